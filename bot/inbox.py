"""The inbound queue: a message is stored by one idempotent insert (the webhook's acknowledgement), then
claimed by a worker, answered in order per chat, and marked answered.

Claiming is safe on any number of workers, processes and machines. On SQLite the worker's batch runs inside
the `BEGIN IMMEDIATE` every write transaction starts with (models/db.py), so one batch at a time. On
PostgreSQL waiting rows are claimed with `FOR UPDATE SKIP LOCKED`; a chat whose earlier message another
worker holds is left for later, so two messages of one chat are never answered at once, nor out of order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from bot.messages import Incoming, printable
from bot.turns import MAX_TEXT
from models import InboundMessage
from models.chats import WAITING
from models.db import insert_ignoring_duplicates, is_sqlite

NOTIFY_CHANNEL = "kaderbot_inbound"  # PostgreSQL LISTEN/NOTIFY: wakes the workers on every machine
INBOUND = cast(Table, InboundMessage.__table__)
EXTRA_FIELDS = ("choice", "contact_phone", "contact_is_sender", "location", "media", "sender_name",
                "sender_phone")


def store(connection: Connection, incoming: Incoming) -> bool:
    """Store one received message; False when the provider sent it before (its id is already stored).

    On PostgreSQL the insert also notifies the workers, delivered when the caller commits.
    """
    extra: dict[str, Any] = {name: getattr(incoming, name) for name in EXTRA_FIELDS if getattr(incoming, name)}
    statement = insert_ignoring_duplicates(connection, InboundMessage, ["channel", "provider_id"]).values(
        channel=incoming.channel, provider_id=incoming.provider_id, address=incoming.address,
        kind=incoming.kind, text=printable(incoming.text).strip()[:MAX_TEXT], payload=extra or None,
        received_at=incoming.received_at).returning(INBOUND.c.id)
    if connection.dialect.name == "postgresql":  # one round trip: the notice only for a row stored
        inserted = statement.cte("inserted")
        return connection.execute(select(inserted.c.id, func.pg_notify(NOTIFY_CHANNEL, ""))).first() is not None
    return connection.execute(statement).first() is not None


@dataclass(frozen=True)
class Waiting:
    """A claimed message: its row id, and what was received."""

    id: int
    incoming: Incoming


def claim(session: Session, limit: int) -> list[Waiting]:
    """Up to `limit` waiting messages, oldest first, that this transaction may answer now."""
    query = select(INBOUND).where(text(WAITING)).order_by(INBOUND.c.id).limit(limit)
    if not is_sqlite(session):
        query = query.with_for_update(skip_locked=True)
    rows = session.execute(query).mappings().all()
    if not rows:
        return []
    held = {} if is_sqlite(session) else _held_elsewhere(session, rows)
    return [Waiting(row["id"], _incoming(row)) for row in rows
            if row["id"] < held.get((row["channel"], row["address"]), row["id"] + 1)]


def _held_elsewhere(session: Session, rows: Sequence[Any]) -> dict[tuple[str, str], int]:
    """Per chat of these rows, the first waiting message another worker holds (skipped by SKIP LOCKED)."""
    ids = [row["id"] for row in rows]
    found = session.execute(
        select(INBOUND.c.channel, INBOUND.c.address, func.min(INBOUND.c.id))
        .where(text(WAITING), INBOUND.c.id < max(ids), INBOUND.c.id.not_in(ids),
               INBOUND.c.address.in_({row["address"] for row in rows}))
        .group_by(INBOUND.c.channel, INBOUND.c.address)).all()
    return {(channel, address): first for channel, address, first in found}


def _incoming(row: Any) -> Incoming:
    extra = dict(row["payload"] or {})
    if extra.get("location"):
        extra["location"] = tuple(extra["location"])
    return Incoming(channel=row["channel"], address=row["address"] or "", provider_id=row["provider_id"],
                    received_at=row["received_at"], text=row["text"], **extra)


def mark_answered(session: Session, answered: Sequence[tuple[int, int | None]], now: datetime) -> None:
    """These (message id, chat id) are answered: never claimed again, and what else was received is gone."""
    if not answered:
        return
    session.execute(
        update(INBOUND).where(INBOUND.c.id == bindparam("message_id"))
        .values(processed_at=now, chat_id=bindparam("answered_chat"), payload=None),
        [{"message_id": message_id, "answered_chat": chat_id} for message_id, chat_id in answered])


def oldest_waiting(session: Session) -> datetime | None:
    """When the oldest message still waiting for an answer arrived (None: nothing waits)."""
    return session.execute(select(func.min(INBOUND.c.received_at)).where(text(WAITING))).scalar()
