"""Channel adapters: each knows its provider (parse inbound, send outbound) and nothing of JKN.

Every adapter has the same two verbs, like nyaruka/courier's handlers: the web layer calls `parse_*` on a
webhook, the sender calls `send` for an outbox row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from models import OutboxMessage


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
    name: str

    def send(self, message: OutboxMessage, last_inbound_at: datetime | None, now: datetime) -> str | None:
        """Send one outbox row; return the provider's message id, or raise SendFailure."""
        ...
