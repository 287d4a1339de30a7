"""The outbox: every outgoing message is a row first; senders claim rows, send them, and record the outcome.

Claiming is safe across threads, processes and machines: on PostgreSQL with `FOR UPDATE SKIP LOCKED`, on
SQLite inside the `BEGIN IMMEDIATE` every write transaction starts with (models/db.py). A row is `queued`,
then `sending` while one sender holds it, then `sent` (and later `delivered`/`read`/`undelivered` from the
provider's status callback) or `failed` (to retry at `next_attempt_at`) or `dead` (given up).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select, text, update
from sqlalchemy.orm import Session

from bot.messages import Outgoing
from models import OutboxMessage
from models.chats import PENDING, REMINDER_PRIORITY, REPLY_PRIORITY
from models.db import is_sqlite
from models.reminders import record_delivery_failure

MAX_ATTEMPTS = 8
OUTSIDE_WINDOW = "63016"  # Twilio: outside WhatsApp's 24-hour window (the webhook requeues it as a template)
STALE_SENDING = timedelta(minutes=5)  # a sender that died mid-send: its rows become claimable again


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


def claim(session: Session, ids: Iterable[int]) -> list[OutboxMessage]:
    """Take these rows for sending if nobody has (the reply path: sent at once by the request that made them)."""
    ids = list(ids)
    if not ids:
        return []
    claimed = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status.in_(("queued", "failed")))
        .values(status="sending")
        .returning(OutboxMessage.id)
    ).scalars().all()
    return _load(session, claimed)


def claim_due(session: Session, now: datetime, limit: int = 50,
              channels: Sequence[str] | None = None) -> list[OutboxMessage]:
    """Take up to `limit` rows that are due (the sender's tick), skipping rows other senders hold.

    Lowest priority first (replies to people ahead of bulk reminders), then oldest first.
    """
    due = or_(
        OutboxMessage.status.in_(("queued", "failed")) & (OutboxMessage.next_attempt_at <= now),
        (OutboxMessage.status == "sending") & (OutboxMessage.next_attempt_at <= now - STALE_SENDING),
    )
    query = (select(OutboxMessage.id).where(text(PENDING), due)
             .order_by(OutboxMessage.priority, OutboxMessage.id).limit(limit))
    if channels is not None:
        query = query.where(OutboxMessage.channel.in_(list(channels)))
    if not is_sqlite(session):
        query = query.with_for_update(skip_locked=True)
    ids = session.execute(query).scalars().all()
    if not ids:
        return []
    session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                    .values(status="sending", next_attempt_at=now))
    return _load(session, ids)


def _load(session: Session, ids: Sequence[int]) -> list[OutboxMessage]:
    if not ids:
        return []
    rows = session.execute(
        select(OutboxMessage).where(OutboxMessage.id.in_(list(ids)))
        .order_by(OutboxMessage.priority, OutboxMessage.id)
        .execution_options(populate_existing=True)
    ).scalars().all()
    return list(rows)


def mark_sent(row: OutboxMessage, provider_id: str | None, now: datetime) -> None:
    row.status = "sent"
    row.provider_id = provider_id
    row.sent_at = now
    row.attempts += 1
    row.error_code = None
    row.error = None


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
