"""The running service's parts, wired once by app.py and shared by web workers, the CLI and the scheduler."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot import conversation
from bot.clock import Clock
from bot.messages import Incoming
from bot.sender import Sender
from bot.settings import Settings


@dataclass
class Runtime:
    """The service's parts: settings, clock, database, sender, the handler and what handlers need."""

    settings: Settings
    clock: Clock
    engine: Engine
    sessions: sessionmaker[Session]
    sender: Sender
    handle: conversation.Handle
    readers: sessionmaker[Session] | None = None  # read-only sessions (never SQLite's write lock)
    services: dict[str, Any] = field(default_factory=dict)  # what handlers may need: rules, settings

    def reading(self) -> Session:
        """A session for reads only; writes belong in `sessions.begin()`."""
        return (self.readers or self.sessions)()

    def receive(self, incoming: Incoming) -> list[int] | None:
        """One message in: handled and committed, then its replies sent at once. None for a duplicate."""
        with self.sessions.begin() as session:
            rows = conversation.receive(session, incoming, self.handle, self.services)
            ids = None if rows is None else [row.id for row in rows]
        if ids:
            self.sender.send_now(ids)
        return ids
