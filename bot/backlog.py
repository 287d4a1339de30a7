"""How far behind the background work is, as the database shows it (for /healthz): is anything draining
the inbound queue and the outbox?

Read from the tables, not from a process's memory, so it is true whichever process or machine does the
work, and when none does. A queue is stale when its oldest item has waited longer than STALE_AFTER and
(for the outbox, which a broadcast can fill for minutes while it drains) nothing was sent in that time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from bot import inbox
from bot.outbox import STALE_SENDING
from models import OutboxMessage
from models.chats import PENDING

STALE_AFTER = timedelta(seconds=60)


@dataclass(frozen=True)
class Backlog:
    """The age of the oldest waiting message and due outbox row, and of the last send (seconds)."""

    inbound_waiting: float | None  # None: nothing waits
    outbox_due: float | None
    last_sent: float | None  # None: nothing was ever sent

    @property
    def inbound_stale(self) -> bool:
        """Messages wait and nothing answered them for a while."""
        return self.inbound_waiting is not None and self.inbound_waiting > STALE_AFTER.total_seconds()

    @property
    def outbox_stale(self) -> bool:
        """Rows are due, and nothing was sent for a while."""
        limit = STALE_AFTER.total_seconds()
        return (self.outbox_due is not None and self.outbox_due > limit
                and (self.last_sent is None or self.last_sent > limit))

    def as_json(self) -> dict[str, object]:
        """What /healthz shows."""
        return {"inbound": {"oldest_waiting_s": _rounded(self.inbound_waiting), "stale": self.inbound_stale},
                "outbox": {"oldest_due_s": _rounded(self.outbox_due), "last_sent_s": _rounded(self.last_sent),
                           "stale": self.outbox_stale}}


def backlog(session: Session, now: datetime) -> Backlog:
    """Three small indexed reads."""
    due = or_(OutboxMessage.status.in_(("queued", "failed")),
              (OutboxMessage.status == "sending") & (OutboxMessage.next_attempt_at <= now - STALE_SENDING))
    oldest_due = session.execute(select(func.min(OutboxMessage.next_attempt_at))
                                 .where(text(PENDING), due, OutboxMessage.next_attempt_at <= now)).scalar()
    last_sent = session.execute(select(func.max(OutboxMessage.sent_at))).scalar()
    return Backlog(_age(inbox.oldest_waiting(session), now), _age(oldest_due, now), _age(last_sent, now))


def _age(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else max((now - moment).total_seconds(), 0.0)


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 1)
