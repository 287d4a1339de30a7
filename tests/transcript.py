"""Chat with the bot as a person would, and read back what they would see (zulip_bots' verify_dialog)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from bot.messages import Incoming
from bot.runtime import Runtime
from models import OutboxMessage

_ids = itertools.count(1)


@dataclass
class Person:
    """One person in the web chat (the embedded channel: no provider, same handlers)."""

    runtime: Runtime
    address: str = "web-test"
    phone: str | None = None
    channel: str = "web"
    clock_offset: timedelta = field(default_factory=timedelta)

    def send(self, text: str = "", *, choice: str | None = None, media: str | None = None,
             provider_id: str | None = None, location: tuple[float, float] | None = None,
             sender_name: str | None = None) -> list[str]:
        """Send a message; return the texts of the replies (with numbered choices, as WhatsApp shows them).

        The message is stored as any channel's is, and answered by the runtime's background worker."""
        incoming = Incoming(channel=self.channel, address=self.address,
                            provider_id=provider_id or f"t{next(_ids)}", received_at=self.now(), text=text,
                            choice=choice, media=media, sender_phone=self.phone, location=location,
                            sender_name=sender_name)
        before = self.last_row_id()
        if not self.runtime.receive(incoming):
            return []
        settle(self.runtime)
        return [render(row) for row in self.rows_after(before)]

    def says(self, text: str = "", **kwargs: object) -> str:
        """All replies to one message as one text, for `in` assertions."""
        return "\n".join(self.send(text, **kwargs))  # type: ignore[arg-type]

    def send_location(self, latitude: float, longitude: float) -> str:
        """Share a location (Telegram's and WhatsApp's location message)."""
        return "\n".join(self.send(location=(latitude, longitude)))

    def choices(self) -> list[list[str]]:
        """The choices offered in the last reply that had any."""
        with self.runtime.sessions() as session:
            rows = session.execute(select(OutboxMessage).where(OutboxMessage.address == self.address)
                                   .order_by(OutboxMessage.id.desc())).scalars().all()
            return next((row.choices for row in rows if row.choices), [])

    def last_row_id(self) -> int:
        with self.runtime.sessions() as session:
            return session.execute(select(func.max(OutboxMessage.id))
                                   .where(OutboxMessage.address == self.address)).scalar() or 0

    def rows_after(self, row_id: int) -> list[OutboxMessage]:
        """What reached this person after outbox row `row_id`."""
        with self.runtime.sessions() as session:
            return list(session.execute(select(OutboxMessage).where(
                OutboxMessage.address == self.address, OutboxMessage.channel == self.channel,
                OutboxMessage.id > row_id).order_by(OutboxMessage.id)).scalars())

    def now(self) -> datetime:
        return self.runtime.clock.now() + self.clock_offset

    def wait(self, **delta: float) -> None:
        self.clock_offset += timedelta(**delta)


def settle(runtime: Runtime) -> None:
    """Wait until the runtime's background worker has answered what was stored and sent its replies."""
    assert runtime.background is not None, "the runtime fixture runs a background worker"
    assert runtime.background.settle(), "the background worker did not finish in time"


def render(row: OutboxMessage) -> str:
    lines = [row.body] + [f"{number}. {label}" for number, (_key, label) in enumerate(row.choices, 1)]
    return "\n".join(lines)
