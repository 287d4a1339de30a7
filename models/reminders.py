"""Scheduled messages: planned reminders, broadcasts, and the days an address could not be reached.

A reminder row is planned first (by set-based SQL, keyed by family, kind, period and channel so that any
number of planners plan it once), then at send time re-checked and worded into an outbox row, or skipped
with the reason, or deferred to the next send window. What it says is decided then, not when planned.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base
from models.db import is_sqlite

PLANNED, QUEUED, SKIPPED = "planned", "queued", "skipped"
SCHEDULED, CANCELLED, FINISHED = "scheduled", "cancelled", "finished"
PAUSE_AFTER_FAILED_DAYS = 5  # an address that failed on this many different days gets no more reminders


def _index_where_set(column: str) -> Index:
    """`ix_reminders_<column>` over the rows where the column is set (a partial index on both databases)."""
    where = text(f"{column} IS NOT NULL")
    return Index(f"ix_reminders_{column}", column, postgresql_where=where, sqlite_where=where)


class Reminder(Base):
    """One scheduled message to one family on one channel; (family, kind, period, channel) is sent once."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("family_id", "kind", "period", "channel"),
        Index("ix_reminders_due", "status", "not_before"),
        # Partial: a planned row has neither, so planning a million rows never touches these two indexes
        # (see migrations/versions/0007_reminders_indexes.py).
        _index_where_set("broadcast_id"),
        _index_where_set("settled_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # family_id, chat_id and broadcast_id carry no foreign key: see migrations/versions/0006_reminders_keys.py
    # and 0008_reminders_broadcast_key.py (planning speed)
    family_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))  # rules.reminder_rules: dues_upcoming ... broadcast
    period: Mapped[str] = mapped_column(String(40))  # 2025-06 / 2025-06-20 / instalment or promise id / ...
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[int]
    broadcast_id: Mapped[int | None]
    not_before: Mapped[datetime]  # planned for; moved to the next send window when deferred
    status: Mapped[str] = mapped_column(String(10), default=PLANNED)  # planned / queued / skipped
    reason: Mapped[str | None] = mapped_column(String(20))  # why skipped: paid, stopped, enrolled, ...
    created_at: Mapped[datetime]
    settled_at: Mapped[datetime | None]  # when it was queued or skipped


class Broadcast(Base):
    """A message to a segment of families at a set time, once or repeating, in both languages."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    segment: Mapped[dict[str, Any]]  # reminders.segments.Segment as JSON
    segment_text: Mapped[str] = mapped_column(String(200))  # as the operator wrote it
    text_id: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime]
    repeat: Mapped[str] = mapped_column(String(8), default="once")  # once / daily / weekly / monthly
    until: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(10), default=SCHEDULED)  # scheduled / cancelled / finished
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(80), default="")
    cancelled_at: Mapped[datetime | None]


class DeliveryFailure(Base):
    """A day on which a message to this chat could not be delivered (five different days pause reminders)."""

    __tablename__ = "delivery_failures"
    __table_args__ = (UniqueConstraint("chat_id", "failed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    failed_on: Mapped[date]
    code: Mapped[str | None] = mapped_column(String(16))


def record_delivery_failure(session: Session, chat_id: int, on: date, code: str | None) -> None:
    """Note that a message to this chat failed on `on` (once per day, whoever notices first)."""
    insert = sqlite_insert if is_sqlite(session) else postgresql_insert
    session.execute(insert(DeliveryFailure).values(chat_id=chat_id, failed_on=on, code=code)
                    .on_conflict_do_nothing(index_elements=["chat_id", "failed_on"]))

