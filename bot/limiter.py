"""Send rate limits per channel and sender, and per chat for bulk messages, with the `limits` library.

The sender asks `acquire` before every provider call and waits there until the call is allowed. The
counts live in this process by default; with RATE_LIMIT_STORAGE_URL (e.g. redis://127.0.0.1:6379/0) every
sender on every machine shares them, so the limit holds for the service as a whole. A moving window keeps
the rate within the limit over any second, not just on average.

If the shared storage stops answering, the limiter falls back to counting in this process (each sender
then keeps the limit by itself) and tries the storage again a minute later: providers refuse bursts with
their own 429, which the sender retries, so sending goes on rather than stopping.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)

RETRY_STORAGE_AFTER = 60.0  # seconds in-process after the shared storage failed
MAX_NAP = 0.25  # seconds: wake often enough to notice a slot freed by another sender's window


def parse_limit(value: str | None) -> RateLimitItem | None:
    """'30/second', '80 per second', '1/second'; None for 'off' or nothing."""
    if value is None or value.strip().lower() in ("", "off", "none", "0"):
        return None
    return parse(value)


class SendLimiter:
    """Waits until a message may go: `limits[channel]` for every message on a channel from one sender
    identity, and `per_chat[channel]` also per address for bulk messages (reminders, broadcasts)."""

    def __init__(self, limits: Mapping[str, str | None], per_chat: Mapping[str, str | None] | None = None,
                 senders: Mapping[str, str] | None = None, storage_url: str | None = None,
                 sleep: Callable[[float], Any] = time.sleep) -> None:
        self.limits = {channel: item for channel, value in limits.items() if (item := parse_limit(value))}
        self.per_chat = {channel: item for channel, value in (per_chat or {}).items()
                         if (item := parse_limit(value))}
        self.senders = dict(senders or {})
        self.storage_url = storage_url
        self.sleep = sleep
        self._local = MovingWindowRateLimiter(storage_from_string("memory://"))
        self._shared: MovingWindowRateLimiter | None = None
        self._shared_failed_at: float | None = None
        if storage_url:
            self._shared = MovingWindowRateLimiter(self._storage(storage_url))

    @staticmethod
    def _storage(url: str) -> Storage:
        storage = storage_from_string(url)
        if not isinstance(storage, Storage):
            raise ValueError(f"{url}: an asyncio storage cannot serve the sender's threads")
        return storage

    @property
    def active(self) -> bool:
        """Whether any limit is configured (without one, acquiring is free)."""
        return bool(self.limits or self.per_chat)

    def acquire(self, channel: str, address: str, bulk: bool) -> float:
        """Block until one message to `address` on `channel` may be sent; returns the seconds waited."""
        waited = 0.0
        sender = self.senders.get(channel, channel)
        overall = self.limits.get(channel)
        chat = self.per_chat.get(channel) if bulk else None
        if chat is not None:
            waited += self._take(chat, ("chat", channel, sender, address))
        if overall is not None:
            waited += self._take(overall, ("send", channel, sender))
        return waited

    def _take(self, item: RateLimitItem, key: tuple[str, ...]) -> float:
        waited = 0.0
        while True:
            limiter = self._limiter()
            try:
                if limiter.hit(item, "kaderbot", *key):
                    return waited
                reset_at, _remaining = limiter.get_window_stats(item, "kaderbot", *key)
            except Exception as error:  # the shared storage went away: count here meanwhile
                self._storage_failed(error)
                continue
            nap = min(max(reset_at - time.time(), 0.001), MAX_NAP)
            self.sleep(nap)
            waited += nap

    def _limiter(self) -> MovingWindowRateLimiter:
        if self._shared is None:
            return self._local
        if self._shared_failed_at is not None:
            if time.monotonic() - self._shared_failed_at < RETRY_STORAGE_AFTER:
                return self._local
            self._shared_failed_at = None
        return self._shared

    def _storage_failed(self, error: Exception) -> None:
        if self._shared is None or self._shared_failed_at is not None:
            raise error
        log.warning("rate limit storage %s failed (%s); limiting in this process for %.0f s",
                    self.storage_url, error, RETRY_STORAGE_AFTER)
        self._shared_failed_at = time.monotonic()
