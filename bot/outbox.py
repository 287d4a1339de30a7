"""The outbox: every outgoing message is a row first; senders claim rows, send them, and record the outcome.

Claiming is safe across threads, processes and machines: on PostgreSQL with `FOR UPDATE SKIP LOCKED`, on
SQLite inside the `BEGIN IMMEDIATE` every write transaction starts with (models/db.py). A row is `queued`,
then `sending` while one sender holds it, then `sent` (and later `delivered`/`read`/`undelivered` from the
provider's status callback) or `failed` (to retry at `next_attempt_at`) or `dead` (given up).

Each chat's order is kept per lane, (channel, address, priority): a row is claimed only as the first pending
row of its lane (with the due rows after it), so a row waiting for its retry holds back the rows queued after
it, on any number of senders, while replies (priority 0) never wait behind a chat's reminders or broadcasts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, Row, Select, Table, bindparam, exists, or_, select, text, update
from sqlalchemy.orm import Session, aliased

from bot.messages import Outbound, Outgoing
from models import OutboxMessage
from models.chats import PENDING, REMINDER_PRIORITY, REPLY_PRIORITY
from models.db import is_sqlite
from models.reminders import record_delivery_failure

MAX_ATTEMPTS = 8
OUTSIDE_WINDOW = "63016"  # Twilio: outside WhatsApp's 24-hour window (the webhook requeues it as a template)
STALE_SENDING = timedelta(minutes=5)  # a sender that died mid-send: its rows become claimable again
Lane = tuple[str, str, int]  # (channel, address, priority): a chat's messages of one kind, kept in order
LANE = (OutboxMessage.id, OutboxMessage.channel, OutboxMessage.address, OutboxMessage.priority)
OUTBOUND = (OutboxMessage.id, OutboxMessage.channel, OutboxMessage.address, OutboxMessage.body,
            OutboxMessage.choices, OutboxMessage.ask_contact, OutboxMessage.template_sid,
            OutboxMessage.template_variables, OutboxMessage.chat_id, OutboxMessage.priority,
            OutboxMessage.created_at)
MAX_RUN = 20  # rows of one lane taken after its first in one claim (a long reply, a backlog after an outage)


def queue(
    session: Session,
    *,
    channel: str,
    address: str,
    message: Outgoing,
    now: datetime,
    chat_id: int | None = None,
    kind: str = "reply",
    dedupe_key: str | None = None,
    template_sid: str | None = None,
    template_variables: dict[str, object] | None = None,
    priority: int = REPLY_PRIORITY,
) -> OutboxMessage:
    """Record one message to send: every reply, reminder and broadcast leaves through this row."""
    row = OutboxMessage(
        channel=channel,
        address=address,
        chat_id=chat_id,
        kind=kind,
        body=message.text,
        choices=[[choice.key, choice.label] for choice in message.choices],
        ask_contact=message.ask_contact,
        template_sid=template_sid,
        template_variables=template_variables,
        dedupe_key=dedupe_key,
        status="queued",
        priority=priority,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    return row


def claim(session: Session, ids: Iterable[int], now: datetime) -> list[Outbound]:
    """Take these rows for sending if nobody has (the reply path: sent at once by the process that made them).

    A row whose lane still has an earlier row pending is left for the sender that holds (or will take)
    that earlier row: each chat's messages reach the provider in the order they were queued.
    """
    ids = list(ids)
    if not ids:
        return []
    ready = OutboxMessage.status.in_(("queued", "failed")) & (OutboxMessage.next_attempt_at <= now)
    query = (select(*LANE).where(OutboxMessage.id.in_(ids), ready, _first_in_lane())
             .order_by(OutboxMessage.priority, OutboxMessage.id))
    return _take_lanes(session, _locked(session, query), now)


def claim_due(session: Session, now: datetime, limit: int = 50,
              channels: Sequence[str] | None = None) -> list[Outbound]:
    """Take up to `limit` lanes whose first row is due (the sender's tick), skipping rows other senders hold;
    with each, the due rows queued after it in its lane.

    Lowest priority first (replies to people ahead of bulk reminders), then oldest first.
    """
    query = (select(*LANE).where(text(PENDING), _due(now), _first_in_lane())
             .order_by(OutboxMessage.priority, OutboxMessage.id).limit(limit))
    if channels is not None:
        query = query.where(OutboxMessage.channel.in_(list(channels)))
    return _take_lanes(session, _locked(session, query), now)


def _due(now: datetime) -> ColumnElement[bool]:
    """Queued or failed and due, or left `sending` by a sender that died."""
    return or_(
        OutboxMessage.status.in_(("queued", "failed")) & (OutboxMessage.next_attempt_at <= now),
        (OutboxMessage.status == "sending") & (OutboxMessage.next_attempt_at <= now - STALE_SENDING),
    )


def _first_in_lane() -> ColumnElement[bool]:
    """No earlier row of the same lane (channel, address, priority) is still pending: a retried or slow row
    holds back the rows queued after it. (Literal statuses, so PostgreSQL uses the partial index.)"""
    earlier = aliased(OutboxMessage, name="earlier")
    return ~exists().where(earlier.channel == OutboxMessage.channel, earlier.address == OutboxMessage.address,
                           earlier.priority == OutboxMessage.priority, earlier.id < OutboxMessage.id,
                           text("earlier.status IN ('queued', 'failed', 'sending')"))


def _locked(session: Session, query: Select[int, str, str, int]) -> dict[Lane, int]:
    """The first rows found, by lane. On PostgreSQL rows another sender is claiming are skipped; SQLite's
    BEGIN IMMEDIATE already serialises claims."""
    if not is_sqlite(session):
        query = query.with_for_update(skip_locked=True, of=OutboxMessage)
    return {(channel, address, priority): row_id for row_id, channel, address, priority in session.execute(query)}


def _take_lanes(session: Session, first_of: dict[Lane, int], now: datetime) -> list[Outbound]:
    """Mark the first rows of these lanes `sending`, with the run of due rows that follows each. No other
    sender takes those followers meanwhile: a row is only ever claimed as the first pending of its lane."""
    if not first_of:
        return []
    taken = set(first_of.values())
    pending = session.execute(
        select(*LANE, OutboxMessage.status, OutboxMessage.next_attempt_at)
        .where(text(PENDING), OutboxMessage.channel.in_({lane[0] for lane in first_of}),
               OutboxMessage.address.in_({lane[1] for lane in first_of}), OutboxMessage.id > min(taken))
        .order_by(OutboxMessage.id)).all()
    followed: dict[Lane, int] = {}
    stopped: set[Lane] = set()
    for row_id, channel, address, priority, status, next_attempt_at in pending:
        lane = (channel, address, priority)
        if lane not in first_of or row_id <= first_of[lane] or lane in stopped:
            continue
        if followed.get(lane, 0) >= MAX_RUN or not _is_due(status, next_attempt_at, now):
            stopped.add(lane)  # what follows waits: the lane's order is kept
            continue
        followed[lane] = followed.get(lane, 0) + 1
        taken.add(row_id)
    rows = session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(taken))
                           .values(status="sending", next_attempt_at=now)
                           .returning(*OUTBOUND).execution_options(synchronize_session=False)).all()
    return sorted((_outbound(row) for row in rows), key=lambda message: (message.priority, message.id))


def _is_due(status: str, next_attempt_at: datetime | None, now: datetime) -> bool:
    if next_attempt_at is None:
        return False
    if next_attempt_at.tzinfo is None:
        next_attempt_at = next_attempt_at.replace(tzinfo=UTC)
    if status == "sending":
        return next_attempt_at <= now - STALE_SENDING
    return next_attempt_at <= now


def _outbound(row: Row[Any]) -> Outbound:
    """A frozen copy of a row, for adapters that run outside any session."""
    return Outbound(id=row.id, channel=row.channel, address=row.address, body=row.body or "",
                    choices=tuple((str(key), str(label)) for key, label in row.choices or []),
                    ask_contact=bool(row.ask_contact), template_sid=row.template_sid,
                    template_variables=tuple((str(key), str(value))
                                             for key, value in (row.template_variables or {}).items()),
                    chat_id=row.chat_id, priority=row.priority, created_at=row.created_at)


def mark_sent(session: Session, sent: Sequence[tuple[int, str | None, datetime]]) -> None:
    """Record what providers accepted, (row id, provider id, when), in one statement run for every row."""
    if not sent:
        return
    table = cast(Table, OutboxMessage.__table__)
    session.execute(
        update(table).where(table.c.id == bindparam("row_id"))
        .values(status="sent", provider_id=bindparam("provider_id"), sent_at=bindparam("sent_at"),
                attempts=table.c.attempts + 1, error_code=None, error=None),
        [{"row_id": row_id, "provider_id": provider_id, "sent_at": at} for row_id, provider_id, at in sent])


def release(session: Session, ids: Sequence[int]) -> None:
    """Rows claimed but not tried (an earlier row of their lane failed): queued again, behind that row."""
    if ids:
        session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(list(ids)),
                                                    OutboxMessage.status == "sending").values(status="queued"))


def mark_failed(row: OutboxMessage, now: datetime, *, code: str | None, error: str, retryable: bool,
                retry_after: float | None = None) -> None:
    """Retry later with exponential backoff (or when the provider says), or give up."""
    row.attempts += 1
    row.error_code = code
    row.error = error[:2000]
    if retryable and row.attempts < MAX_ATTEMPTS:
        delay = retry_after if retry_after is not None else min(30 * 2 ** (row.attempts - 1), 3600)
        row.status = "failed"
        row.next_attempt_at = now + timedelta(seconds=delay)
    else:
        row.status = "dead"
        row.next_attempt_at = None


def cancel_bulk(session: Session, chat_id: int) -> int:
    """STOP: reminders and broadcasts already queued for this chat are not sent (replies still are)."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.chat_id == chat_id, OutboxMessage.status.in_(("queued", "failed")),
               OutboxMessage.priority >= REMINDER_PRIORITY)
        .values(status="cancelled", next_attempt_at=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def note_undeliverable(session: Session, row: OutboxMessage, now: datetime) -> None:
    """A message to this row's chat failed for good today: five such days pause the chat's reminders."""
    if row.chat_id is not None and row.error_code != OUTSIDE_WINDOW:  # the window, not the address
        record_delivery_failure(session, row.chat_id, now.date(), row.error_code)


# Twilio's statuses, in the order they happen: a late "sent" never overwrites "delivered".
STATUS_ORDER = {"queued": 0, "sending": 1, "sent": 2, "delivered": 3, "read": 4}


def record_status(session: Session, channel: str, provider_id: str, status: str,
                  error_code: str | None = None) -> OutboxMessage | None:
    """Apply a provider's delivery status to its row (never backwards); a failure counts against the chat."""
    row = session.execute(
        select(OutboxMessage).where(OutboxMessage.channel == channel, OutboxMessage.provider_id == provider_id)
    ).scalar_one_or_none()
    if row is None:
        return None
    if status in ("failed", "undelivered"):
        row.status = "undelivered"
        row.error_code = error_code or row.error_code
        if row.chat_id is not None and row.error_code != OUTSIDE_WINDOW:  # the window, not the address
            record_delivery_failure(session, row.chat_id, (row.sent_at or row.created_at).date(), row.error_code)
    elif STATUS_ORDER.get(status, -1) > STATUS_ORDER.get(row.status, -1):
        row.status = status
    return row
