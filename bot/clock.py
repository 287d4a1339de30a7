"""The service's one clock: real time, or frozen by KADERBOT_NOW for demos, training and tests."""

from __future__ import annotations

from datetime import UTC, datetime


class Clock:
    """The service's clock: the real time, or the moment KADERBOT_NOW freezes it at."""

    def __init__(self, frozen: datetime | None = None) -> None:
        self.frozen = frozen

    def now(self) -> datetime:
        """Timezone-aware UTC."""
        return self.frozen.astimezone(UTC) if self.frozen else datetime.now(UTC)
