"""The worker: answers stored inbound messages in batches and sends what they queue, then due outbox rows.

A webhook only stores a message (bot/inbox.py) and rings the doorbell; this loop wakes at once, claims a
batch, answers each message in order (bot/turns.py) in one transaction for the whole batch, and hands the
rows it queued to the sender. Between batches it sends whatever else is due (notices, retries, reminders
another process queued) every `sweep_every` seconds, so nothing waits for `flask scheduler`.

It runs as a thread in every serving process (unless BACKGROUND_WORK=0) and as `flask --app app worker`.
What wakes it: the in-process doorbell (a webhook of this process); on PostgreSQL also LISTEN/NOTIFY, so a
message stored on any machine wakes the workers of every machine; in a `worker` process on SQLite, a commit
by any other process (PRAGMA data_version, looked at every few milliseconds). A slow timer is only a safety
net.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import threading
import time
import weakref
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from bot import inbox, turns
from bot.runtime import Runtime, wait_until_stopped
from models import OutboxMessage
from models.chats import WAITING

log = logging.getLogger(__name__)

BATCH = 50  # messages per transaction: the write lock's cost is shared by the batch
# SQLite has one write lock, which webhooks need for their one insert: a batch stops taking messages after
# this long, so an acknowledgement never waits for more than about this (PostgreSQL locks rows, no limit).
SQLITE_BATCH_SECONDS = 0.010
SAFETY_NET = 5.0  # seconds between looks when nothing rang (a lost wake-up, a worker elsewhere that died)
HELD_PAUSE = 0.02  # another worker holds a chat's earlier message: look again this soon
# The worker thread's niceness: on a busy CPU, webhooks (store and acknowledge) go first and answering takes
# what is left; on an idle one it changes nothing. bench/inbound.py: acknowledgements on PostgreSQL went from
# 0.36 to 0.48 of bare /healthz, with the same end-to-end rate.
NICENESS = 10


class Worker:
    """Answers stored messages, a batch per transaction, and sends the rows each batch queued."""

    def __init__(self, runtime: Runtime, batch: int = BATCH) -> None:
        self.runtime = runtime
        self.batch = batch
        self.budget = SQLITE_BATCH_SECONDS if runtime.engine.dialect.name == "sqlite" else None

    def run_batch(self) -> int:
        """Answer one batch and send its replies; returns how many messages were answered."""
        rt = self.runtime
        queued: list[OutboxMessage] = []
        try:
            with rt.sessions.begin() as session:
                waiting = inbox.claim(session, self.batch)
                _collect_queued(session, queued)
                done = self._answer(session, waiting)
        except Exception:  # one message's bug must not block the others: answer them one at a time
            log.exception("a batch of inbound messages failed; answering them one by one")
            return self._one_by_one()
        self._send(queued)
        return done

    def _answer(self, session: Session, waiting: list[inbox.Waiting]) -> int:
        """Answer these in order, stopping early when the budget is spent (the rest wait for the next batch)."""
        rt = self.runtime
        lookups = turns.Lookups(session)
        lookups.prefetch(message.incoming for message in waiting)
        answered: list[tuple[int, int | None]] = []
        until = None if self.budget is None else time.perf_counter() + self.budget
        for message in waiting:
            if answered and until is not None and time.perf_counter() > until:
                break
            result = turns.answer(session, message.incoming, rt.handle, rt.services, lookups)
            answered.append((message.id, result.chat_id))
        session.flush()  # the batch's replies and chats, written together
        inbox.mark_answered(session, answered, rt.clock.now())
        return len(answered)

    def _one_by_one(self) -> int:
        """After a failed batch: each message in its own transaction; one that fails again is set aside."""
        rt = self.runtime
        done = 0
        while True:
            queued: list[OutboxMessage] = []
            with rt.sessions.begin() as session:
                waiting = inbox.claim(session, 1)
                if not waiting:
                    return done
                _collect_queued(session, queued)
                try:
                    with session.begin_nested():
                        self._answer(session, waiting)
                except Exception:
                    log.exception("inbound message %s could not be answered; set aside", waiting[0].id)
                    inbox.mark_answered(session, [(waiting[0].id, None)], rt.clock.now())
                    queued.clear()
            self._send(queued)
            done += 1

    def _send(self, queued: list[OutboxMessage]) -> None:
        ids = [row.id for row in queued]
        if ids:
            self.runtime.sender.send_now(ids)

    def waiting(self) -> bool:
        """Whether any message waits (a read: never SQLite's write lock)."""
        with self.runtime.reading() as session:
            found = session.execute(select(text("1")).select_from(inbox.INBOUND).where(text(WAITING)).limit(1))
            return found.first() is not None

    def sweep(self, limit: int = 50) -> int:
        """Send due outbox rows (notices, retries, rows queued elsewhere) until none is left."""
        sent = total = 0
        while True:
            sent = self.runtime.sender.run_once(limit)
            total += sent
            if sent < limit:
                return total


def give_way_to_webhooks() -> None:
    """Lower the calling thread's CPU priority to NICENESS (Linux, where a thread has a priority of its own;
    elsewhere, or where it is already lower, nothing changes)."""
    if sys.platform != "linux":
        return
    thread = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, thread, max(os.getpriority(os.PRIO_PROCESS, thread), NICENESS))
    except OSError:  # a sandbox that forbids it: the worker runs at the usual priority
        log.debug("could not lower the worker thread's priority", exc_info=True)


def _collect_queued(session: Session, into: list[OutboxMessage]) -> None:
    """Every outbox row this session writes (replies, and notices a handler queued) goes into `into`."""

    def persisted(_session: Session, instance: Any) -> None:
        if isinstance(instance, OutboxMessage):
            into.append(instance)

    event.listen(session, "pending_to_persistent", persisted)


_running: weakref.WeakSet[Background] = weakref.WeakSet()


class Background:
    """One process's background work: a worker thread, woken by the doorbell (and NOTIFY on PostgreSQL).

    `settle()` waits until the work rung for so far is done: what a test (or the web chat) waits for.
    """

    def __init__(self, runtime: Runtime, *, sweep_every: float | None = 5.0, batch: int = BATCH,
                 other_processes: bool = False) -> None:
        self.runtime = runtime
        self.worker = Worker(runtime, batch)
        self.sweep_every = sweep_every  # None: only what batches queue is sent (tests that send by hand)
        self.other_processes = other_processes  # SQLite: messages stored by other processes wake it too
        self.stopping = threading.Event()
        self.done = threading.Condition()
        self.cycles_started = self.cycles_done = 0
        self.last_sweep = 0.0
        self.threads: list[threading.Thread] = []

    def start(self) -> Background:
        """Start the worker thread (and the PostgreSQL listener); returns self."""
        self.runtime.background = self
        self.threads = [threading.Thread(target=self.run, name="kaderbot-worker", daemon=True)]
        if self.runtime.engine.dialect.name == "postgresql":
            self.threads.append(threading.Thread(target=self.listen, name="kaderbot-listen", daemon=True))
        elif self.other_processes:
            self.threads.append(threading.Thread(target=self.watch_commits, name="kaderbot-watch", daemon=True))
        for thread in self.threads:
            thread.start()
        _running.add(self)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the batch in hand, then stop."""
        self.stopping.set()
        self.runtime.doorbell.ring()
        for thread in self.threads:
            thread.join(timeout)
        if self.runtime.background is self:
            self.runtime.background = None
        _running.discard(self)

    def run(self) -> None:
        """The loop: answer until nothing waits, sweep when due, then sleep until rung (or the safety net)."""
        give_way_to_webhooks()
        while not self.stopping.is_set():
            with self.done:
                self.cycles_started += 1
            try:
                self.cycle()
            except Exception:  # the database is away, say: keep the thread, try again on the next ring
                log.exception("background work failed; trying again")
                self.stopping.wait(1.0)
            with self.done:
                self.cycles_done += 1
                self.done.notify_all()
            self.runtime.doorbell.wait(SAFETY_NET)

    def cycle(self) -> None:
        """Answer every waiting message, then sweep when due.

        A read looks first: a write transaction with nothing to do would still take SQLite's write lock.
        """
        if self.worker.waiting():
            while not self.stopping.is_set():
                answered = self.worker.run_batch()
                with self.done:
                    self.done.notify_all()  # a web chat request waiting for its answer looks again
                if answered == 0:
                    if not self.worker.waiting():
                        break
                    self.stopping.wait(HELD_PAUSE)  # held by another worker, or stored just now
        if self.sweep_every is not None and time.monotonic() - self.last_sweep >= self.sweep_every:
            self.last_sweep = time.monotonic()
            self.worker.sweep()

    def settle(self, timeout: float = 30.0) -> bool:
        """Ring, and wait until a whole cycle that started after this call has finished."""
        with self.done:
            target = self.cycles_started + 1
        self.runtime.doorbell.ring()
        deadline = time.monotonic() + timeout
        with self.done:
            while self.cycles_done < target:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.done.wait(left)
        return True

    def wait_progress(self, timeout: float) -> None:
        """Sleep until a batch or a cycle of this process is done, or `timeout` seconds."""
        with self.done:
            self.done.wait(timeout)

    def listen(self) -> None:
        """PostgreSQL: ring the doorbell on every NOTIFY from a webhook on any machine."""
        while not self.stopping.is_set():
            try:
                url = self.runtime.engine.url.set(drivername="postgresql")
                connection = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
                connection.execute(f"LISTEN {inbox.NOTIFY_CHANNEL}")  # its own connection, outside the pool
                # A message stored before LISTEN took hold notified no one: look once more now, or it would
                # wait for the safety net (at start, and after every reconnection).
                self.runtime.doorbell.ring()
                try:
                    while not self.stopping.is_set():
                        for _notice in connection.notifies(timeout=1.0, stop_after=1):
                            self.runtime.doorbell.ring()
                finally:
                    connection.close()
            except Exception:  # the server restarted, say: the safety net covers the gap
                log.warning("LISTEN %s lost; listening again shortly", inbox.NOTIFY_CHANNEL, exc_info=True)
                self.stopping.wait(1.0)

    def watch_commits(self) -> None:
        """SQLite: ring the doorbell whenever another connection has committed since the last look.

        `PRAGMA data_version` changes when any other connection, in any process, commits; reading it reads
        no table and takes no lock, so looking every COMMIT_LOOK seconds costs next to nothing.
        """
        path = Path(self.runtime.engine.url.database or "").resolve()
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            seen = None
            while not self.stopping.wait(COMMIT_LOOK):
                version = connection.execute("PRAGMA data_version").fetchone()[0]
                if version != seen:
                    seen = version
                    self.runtime.doorbell.ring()
        finally:
            connection.close()


_starting = threading.Lock()  # two first requests at once start one background, not two


def start_background(runtime: Runtime) -> None:
    """This process answers stored messages and sends due rows in the background, unless BACKGROUND_WORK=0
    (then `flask --app app worker` processes do it) or it already does."""
    if runtime.settings.background_work and runtime.background is None:
        with _starting:
            if runtime.background is None:
                Background(runtime).start()


COMMIT_LOOK = 0.002  # SQLite: how often a `worker` process looks whether another process committed


def run_forever(runtime: Runtime) -> None:
    """`flask --app app worker`: answer and send until SIGINT or SIGTERM, then finish the batch in hand.

    On PostgreSQL NOTIFY wakes it at once; on SQLite (one machine) a commit by the web processes does.
    """
    background = Background(runtime, other_processes=True).start()
    try:
        wait_until_stopped()
    finally:
        background.stop()


def stop_all() -> None:
    """Stop every background started in this process (tests, between tests)."""
    for background in list(_running):
        background.stop()
