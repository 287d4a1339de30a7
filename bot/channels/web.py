"""The embedded web chat: messages are 'sent' by being in the outbox, where the page polls for them."""

from __future__ import annotations

from datetime import datetime

from models import OutboxMessage


class WebChannel:
    name = "web"

    def send(self, message: OutboxMessage, last_inbound_at: datetime | None, now: datetime) -> str | None:
        return f"web-{message.id}"
