"""Sends outbox rows through their channel's adapter: at once for replies, on every tick for the rest.

The HTTP call to a provider happens outside any database transaction, so a slow provider never holds
SQLite's write lock or a PostgreSQL row lock.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot import outbox
from bot.channels import OutboundChannel, SendFailure
from bot.clock import Clock
from bot.limiter import SendLimiter
from models import Chat, OutboxMessage
from models.chats import REMINDER_PRIORITY

log = logging.getLogger(__name__)


class Sender:
    def __init__(self, sessions: sessionmaker[Session], channels: Mapping[str, OutboundChannel],
                 clock: Clock, limiter: SendLimiter | None = None) -> None:
        self.sessions = sessions
        self.channels = channels
        self.clock = clock
        self.limiter = limiter  # consulted before every provider call: waits until the call is allowed

    def send_now(self, ids: Iterable[int]) -> int:
        """The reply path: send these rows now, unless another sender already took them."""
        with self.sessions.begin() as session:
            rows = outbox.claim(session, ids)
            windows = self._windows(session, rows)
        return self._deliver(rows, windows)

    def run_once(self, limit: int = 50) -> int:
        """One tick: claim due rows of the channels this process can send on, and send them."""
        now = self.clock.now()
        with self.sessions.begin() as session:
            rows = outbox.claim_due(session, now, limit, channels=list(self.channels))
            windows = self._windows(session, rows)
        return self._deliver(rows, windows)

    def _send_one(self, row: OutboxMessage, last_inbound_at: datetime | None,
                  now: datetime) -> tuple[str | None, SendFailure | None]:
        """(provider id, None) when sent, (None, why) when not."""
        channel = self.channels.get(row.channel)
        if channel is None:
            return None, SendFailure(f"channel {row.channel} is not configured", retryable=True)
        try:
            return channel.send(row, last_inbound_at, now), None
        except SendFailure as failure:
            return None, failure
        except Exception as error:  # a bug or a network fault: keep the row, try again later
            log.exception("sending outbox row %s failed", row.id)
            return None, SendFailure(repr(error), retryable=True)

    def _windows(self, session: Session, rows: list[OutboxMessage]) -> dict[int, datetime | None]:
        chat_ids = {row.chat_id for row in rows if row.chat_id}
        if not chat_ids:
            return {}
        found = session.execute(select(Chat.id, Chat.last_inbound_at).where(Chat.id.in_(chat_ids))).all()
        return {chat_id: last for chat_id, last in found}

    def _deliver(self, rows: list[OutboxMessage], windows: dict[int, datetime | None]) -> int:
        sent = 0
        for row in rows:
            if self.limiter is not None:
                self.limiter.acquire(row.channel, row.address, bulk=row.priority >= REMINDER_PRIORITY)
            now = self.clock.now()
            provider_id, failure = self._send_one(row, windows.get(row.chat_id or 0), now)
            with self.sessions.begin() as session:
                fresh = session.get(OutboxMessage, row.id)
                if fresh is None:
                    continue
                if failure is None:
                    outbox.mark_sent(fresh, provider_id, now)
                    sent += 1
                    continue
                outbox.mark_failed(fresh, now, code=failure.code, error=failure.detail,
                                   retryable=failure.retryable, retry_after=failure.retry_after)
                if fresh.status == "dead":
                    outbox.note_undeliverable(session, fresh, now)
                if failure.opted_out and fresh.chat_id:
                    chat = session.get(Chat, fresh.chat_id)
                    if chat is not None and chat.reminders_stopped_at is None:
                        chat.reminders_stopped_at = now
        return sent
