"""Channel adapters: each knows its provider (parse inbound, send outbound) and nothing of JKN.

Every adapter has the same two verbs, like nyaruka/courier's handlers: the web layer calls `parse_*` on a
webhook, the sender calls `send` with a frozen copy of an outbox row (`bot.messages.Outbound`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.messages import Outbound


class SendFailure(Exception):
    """A provider refused or failed a message. `retryable` decides between a later try and giving up."""

    def __init__(self, detail: str, *, code: str | None = None, retryable: bool = False,
                 retry_after: float | None = None, opted_out: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code
        self.retryable = retryable
        self.retry_after = retry_after
        self.opted_out = opted_out  # the person blocked the bot / opted out: stop reminding them


class OutboundChannel(Protocol):
    """What the sender needs of an adapter. `send` is called from the sender's threads, several at once."""

    name: str

    def send(self, message: Outbound, last_inbound_at: datetime | None, now: datetime) -> str | None:
        """Send one outbox row's frozen copy; return the provider's message id, or raise SendFailure."""
        ...
