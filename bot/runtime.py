"""The running service's parts, wired once by app.py and shared by web workers, the CLI and the scheduler."""

from __future__ import annotations

import signal
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot import inbox, turns
from bot.clock import Clock
from bot.messages import Incoming
from bot.sender import Sender
from bot.settings import Settings

if TYPE_CHECKING:  # bot/worker.py imports this module
    from bot.worker import Background


class Doorbell:
    """Wakes this process's worker when a message is stored here (an in-process event)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def ring(self) -> None:
        """Something waits to be answered."""
        self._event.set()

    def wait(self, timeout: float) -> bool:
        """Sleep until rung or `timeout` seconds; True when rung."""
        rung = self._event.wait(timeout)
        self._event.clear()
        return rung


@dataclass
class Runtime:
    """Settings, clock, database, sender and handlers: what every edge of the service works with."""

    settings: Settings
    clock: Clock
    engine: Engine
    sessions: sessionmaker[Session]
    sender: Sender
    handle: turns.Handle
    readers: sessionmaker[Session] | None = None  # read-only sessions (never SQLite's write lock)
    services: turns.Services = field(default_factory=turns.Services)  # what handlers may need
    doorbell: Doorbell = field(default_factory=Doorbell)
    background: Background | None = None  # this process's worker thread, when it runs one

    def reading(self) -> Session:
        """A session for reads only; writes belong in `sessions.begin()`."""
        return (self.readers or self.sessions)()

    def receive(self, incoming: Incoming) -> bool:
        """One message in: stored and committed (acknowledged), and the worker woken to answer it.

        False for a message stored before (a provider's retry): nothing more happens to it.
        """
        with self.engine.begin() as connection:
            stored = inbox.store(connection, incoming)
        if stored:
            self.doorbell.ring()
        return stored


def wait_until_stopped() -> None:
    """Block a long-running command (`worker`, `scheduler`) until SIGTERM or Ctrl-C; the caller then stops."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
