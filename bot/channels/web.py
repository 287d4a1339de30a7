"""The embedded web chat: messages are 'sent' by being in the outbox, where the page polls for them."""

from __future__ import annotations

from datetime import datetime

from bot.messages import Outbound


class WebChannel:
    """Nothing to call: the row is the message; its id is the provider id."""

    name = "web"

    def send(self, message: Outbound, last_inbound_at: datetime | None, now: datetime) -> str | None:
        """The browser polls the outbox: sending is naming the row."""
        return f"web-{message.id}"
