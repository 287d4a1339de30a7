"""Sends outbox rows through their channel's adapter: at once for replies, on every tick for the rest.

Several requests are in flight at once (a pool of threads over the adapters' keep-alive connections), one
lane at a time per chat: a chat's next message goes only after the provider accepted the one before it,
and when one fails the rest of its lane waits behind it for the retry. Outcomes are written in batches,
what providers accepted first, a few dozen milliseconds after they arrive, so that a sender killed mid-batch
leaves few rows whose fate is unknown (see docs/operations.md: "Delivery guarantees").

The HTTP call to a provider happens outside any database transaction, so a slow provider never holds
SQLite's write lock or a PostgreSQL row lock.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot import outbox
from bot.channels import OutboundChannel, SendFailure
from bot.clock import Clock
from bot.limiter import SendLimiter
from bot.messages import Outbound
from models import Chat, OutboxMessage
from models.chats import REMINDER_PRIORITY

log = logging.getLogger(__name__)

T = TypeVar("T")

CONCURRENCY = 16  # requests in flight per sender process
FLUSH_EVERY = 50  # outcomes written in one transaction...
FLUSH_SECONDS = 0.05  # ...or this long after the first of them arrived, whichever comes first
DATABASE_TRIES = 5  # a dropped database connection is retried on a fresh one before the outcome waits


@dataclass(frozen=True)
class Outcome:
    """What became of one claimed row: sent (provider id), failed (why), or not tried (its lane stopped)."""

    message: Outbound
    at: datetime
    provider_id: str | None = None
    failure: SendFailure | None = None
    tried: bool = True


class Sender:
    """Claims outbox rows, sends them through the channels' adapters, records the outcomes."""

    def __init__(self, sessions: sessionmaker[Session], channels: Mapping[str, OutboundChannel],
                 clock: Clock, limiter: SendLimiter | None = None, concurrency: int = CONCURRENCY) -> None:
        self.sessions = sessions
        self.channels = channels
        self.clock = clock
        self.limiter = limiter  # consulted before every provider call: waits until the call is allowed
        self.concurrency = max(1, concurrency)
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        self._pid = 0

    def send_now(self, ids: Iterable[int]) -> int:
        """The reply path: send these rows now, unless another sender already took them (or their lane)."""
        ids = list(ids)
        messages, windows = self._database(lambda session: self._claimed(session, outbox.claim(
            session, ids, self.clock.now())))
        return self._deliver(messages, windows)

    def run_once(self, limit: int = 50) -> int:
        """One tick: claim due rows of the channels this process can send on, and send them."""
        now = self.clock.now()
        messages, windows = self._database(lambda session: self._claimed(session, outbox.claim_due(
            session, now, limit, channels=list(self.channels))))
        return self._deliver(messages, windows)

    def close(self) -> None:
        """Stop the sending threads (a clean shutdown; a new pool starts on the next send)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    # --- claiming and recording -------------------------------------------------------------------------------

    def _database(self, work: Callable[[Session], T]) -> T:
        """`work` in one transaction; a connection the database dropped (a restart, an administrator's
        pg_terminate_backend) is retried on a fresh one, so the sender carries on by itself."""
        for attempt in range(DATABASE_TRIES):
            try:
                with self.sessions.begin() as session:
                    return work(session)
            except OperationalError:
                if attempt == DATABASE_TRIES - 1:
                    raise
                log.warning("database connection lost; trying again", exc_info=True)
                time.sleep(0.2 * 2 ** attempt)
        raise AssertionError("unreachable")

    @staticmethod
    def _claimed(session: Session, messages: list[Outbound]) -> tuple[list[Outbound], dict[int, datetime | None]]:
        chat_ids = {message.chat_id for message in messages if message.chat_id}
        if not chat_ids:
            return messages, {}
        found = session.execute(select(Chat.id, Chat.last_inbound_at).where(Chat.id.in_(chat_ids))).all()
        return messages, {chat_id: last for chat_id, last in found}

    def _record(self, outcomes: list[Outcome]) -> None:
        """One transaction for a batch of outcomes: what providers accepted first, in one statement."""
        sent = [(o.message.id, o.provider_id, o.at) for o in outcomes if o.tried and o.failure is None]
        failed = [o for o in outcomes if o.failure is not None]
        untried = [o.message.id for o in outcomes if not o.tried]

        def write(session: Session) -> None:
            outbox.mark_sent(session, sent)
            outbox.release(session, untried)
            for outcome in failed:
                self._record_failure(session, outcome)

        try:
            self._database(write)
        except OperationalError:  # the rows stay `sending`; a sender takes them again when the claim lapses
            log.exception("recording %d outcomes failed", len(outcomes))

    @staticmethod
    def _record_failure(session: Session, outcome: Outcome) -> None:
        row = session.get(OutboxMessage, outcome.message.id)
        failure = outcome.failure
        if row is None or failure is None:
            return
        outbox.mark_failed(row, outcome.at, code=failure.code, error=failure.detail,
                           retryable=failure.retryable, retry_after=failure.retry_after)
        if row.status == "dead":
            outbox.note_undeliverable(session, row, outcome.at)
        if failure.opted_out and row.chat_id:
            chat = session.get(Chat, row.chat_id)
            if chat is not None and chat.reminders_stopped_at is None:
                chat.reminders_stopped_at = outcome.at

    # --- sending ----------------------------------------------------------------------------------------------

    def _deliver(self, messages: list[Outbound], windows: dict[int, datetime | None]) -> int:
        """Send every chat's messages in order, chats side by side; write outcomes as they come."""
        if not messages:
            return 0
        runs: dict[tuple[str, str], list[Outbound]] = {}
        for message in messages:  # already in (priority, id) order
            runs.setdefault((message.channel, message.address), []).append(message)
        if len(runs) == 1:  # one chat (a reply): no thread hop
            outcomes: list[Outcome] = []
            for run in runs.values():
                self._send_run(run, windows, outcomes.append)
            self._record(outcomes)
            return sum(1 for o in outcomes if o.tried and o.failure is None)
        results: queue.SimpleQueue[Outcome] = queue.SimpleQueue()
        pool = self._executor()
        for run in runs.values():
            pool.submit(self._send_run, run, windows, results.put)
        return self._collect(results, len(messages))

    def _collect(self, results: queue.SimpleQueue[Outcome], expected: int) -> int:
        sent = 0
        batch: list[Outcome] = []
        first_at = 0.0
        for _ in range(expected):
            wait = None if not batch else max(0.0, first_at + FLUSH_SECONDS - time.monotonic())
            try:
                outcome = results.get(timeout=wait)
            except queue.Empty:
                self._record(batch)
                batch = []
                outcome = results.get()
            if not batch:
                first_at = time.monotonic()
            batch.append(outcome)
            sent += outcome.tried and outcome.failure is None
            if len(batch) >= FLUSH_EVERY:
                self._record(batch)
                batch = []
        self._record(batch)
        return sent

    def _send_run(self, run: list[Outbound], windows: dict[int, datetime | None],
                  report: Callable[[Outcome], None]) -> None:
        """One chat's claimed messages, in order; after a failure the rest are not tried (their lanes wait)."""
        stopped = False
        for message in run:
            if stopped:
                report(Outcome(message, self.clock.now(), tried=False))
                continue
            outcome = self._send_one(message, windows.get(message.chat_id or 0))
            report(outcome)
            stopped = outcome.failure is not None

    def _send_one(self, message: Outbound, last_inbound_at: datetime | None) -> Outcome:
        channel = self.channels.get(message.channel)
        try:
            if channel is None:
                raise SendFailure(f"channel {message.channel} is not configured", retryable=True)
            if self.limiter is not None:
                self.limiter.acquire(message.channel, message.address, bulk=message.priority >= REMINDER_PRIORITY)
            now = self.clock.now()
            return Outcome(message, now, provider_id=channel.send(message, last_inbound_at, now))
        except SendFailure as failure:
            return Outcome(message, self.clock.now(), failure=failure)
        except Exception as error:  # a bug or a network fault: keep the row, try again later
            log.exception("sending outbox row %s failed", message.id)
            return Outcome(message, self.clock.now(), failure=SendFailure(repr(error), retryable=True))

    def _executor(self) -> ThreadPoolExecutor:
        """The process's sending threads (a forked worker starts its own: threads do not survive a fork)."""
        with self._pool_lock:
            if self._pool is None or self._pid != os.getpid():
                self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="sender")
                self._pid = os.getpid()
            return self._pool
