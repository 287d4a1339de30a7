"""Service configuration, read once from the environment (names and defaults: docs/interface.md)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from models.personal_data import INBOUND_RETENTION_DAYS

ROOT = Path(__file__).resolve().parent.parent


WEBCHAT_MODES = ("off", "demo", "on")


def generated_secret(path: Path, make: Callable[[], str] = lambda: secrets.token_hex(32)) -> str:
    """A secret generated once into `path`, readable by its owner only (0600), so it survives a restart.

    Created with O_EXCL at mode 0600 rather than written then chmod-ed: no moment where another user of the
    machine could read it. Two processes starting at once both end up with the one that won the race.
    """
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as file:
        file.write(value)
    return value


def _telegram_secret(instance: Path) -> str:
    """Telegram allows 1-256 characters of A-Z, a-z, 0-9, _ and -: token_urlsafe's alphabet exactly."""
    return generated_secret(instance / "telegram_webhook_secret", lambda: secrets.token_urlsafe(32))


def parse_webchat(value: str | None) -> str | None:
    """WEBCHAT: off, demo or on; None when unset (then `make run` decides, everything else is off)."""
    if not value:
        return None
    mode = value.strip().lower()
    if mode not in WEBCHAT_MODES:
        raise ValueError(f"WEBCHAT must be one of {', '.join(WEBCHAT_MODES)}, not {value!r}")
    return mode


def parse_frozen_now(value: str | None) -> datetime | None:
    """KADERBOT_NOW: an ISO 8601 date-time; without a zone it is read as UTC."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _positive_int(value: str | None, default: int, unit: str = "days") -> int:
    """A whole number above zero, or the default when unset; anything else stops the start with a clear error."""
    if not value:
        return default
    if not value.strip().isdigit() or int(value) < 1:
        raise ValueError(f"expected a whole number of {unit} above 0, got {value!r}")
    return int(value)


SEND_CONCURRENCY = 16  # provider requests in flight per sender process (each chat still one at a time)
# Messages per second a sender may send (the `limits` notation; "off" for none): Telegram's documented
# 30/s for a bot and about 1/s in one chat (bulk only here), Twilio's default WhatsApp throughput of 80/s.
DEFAULT_SEND_LIMITS = {"telegram": "30/second", "telegram_chat": "1/second", "whatsapp": "80/second",
                       "web": "off"}


@dataclass(frozen=True)
class Settings:
    """The service's configuration, read once from the environment (README: Configuration)."""

    instance_path: Path = ROOT / "instance"
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str = ""
    frozen_now: datetime | None = None
    telegram_bot_token: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_api_url: str = "https://api.telegram.org"
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_whatsapp_from: str | None = None
    twilio_api_url: str = "https://api.twilio.com"
    public_base_url: str = ""
    admin_username: str | None = None
    admin_password: str | None = None
    rate_limit_storage_url: str | None = None  # shared send limits (Redis); in-process when unset
    send_limits: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SEND_LIMITS))
    send_concurrency: int = SEND_CONCURRENCY  # SEND_CONCURRENCY: provider requests in flight per sender process
    webchat: str | None = None  # None: unset, so off unless `make run` serves the demo branch
    inbound_retention_days: int = INBOUND_RETENTION_DAYS  # INBOUND_RETENTION_DAYS: received texts are blanked after this many days
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, instance_path: Path | None = None) -> Settings:
        """Read the environment (or `env`); missing secrets are generated once into the instance folder."""
        env = os.environ if env is None else env
        instance = Path(instance_path or env.get("KADERBOT_INSTANCE") or ROOT / "instance")
        host = env.get("HOST", "127.0.0.1")
        port = int(env.get("PORT", "8000"))
        return cls(
            instance_path=instance,
            database_url=env.get("DATABASE_URL") or f"sqlite:///{instance / 'kaderbot.db'}",
            host=host,
            port=port,
            secret_key=env.get("SECRET_KEY") or generated_secret(instance / "secret_key"),
            frozen_now=parse_frozen_now(env.get("KADERBOT_NOW")),
            telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN") or None,
            telegram_webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET") or (
                _telegram_secret(instance) if env.get("TELEGRAM_BOT_TOKEN") else None),
            telegram_api_url=(env.get("TELEGRAM_API_URL") or "https://api.telegram.org").rstrip("/"),
            twilio_account_sid=env.get("TWILIO_ACCOUNT_SID") or None,
            twilio_auth_token=env.get("TWILIO_AUTH_TOKEN") or None,
            twilio_whatsapp_from=env.get("TWILIO_WHATSAPP_FROM") or None,
            twilio_api_url=(env.get("TWILIO_API_URL") or "https://api.twilio.com").rstrip("/"),
            public_base_url=(env.get("PUBLIC_BASE_URL") or f"http://{host}:{port}").rstrip("/"),
            admin_username=env.get("ADMIN_USERNAME") or None,
            admin_password=env.get("ADMIN_PASSWORD") or None,
            rate_limit_storage_url=env.get("RATE_LIMIT_STORAGE_URL") or None,
            send_limits={name: env.get(f"SEND_LIMIT_{name.upper()}", default)
                         for name, default in DEFAULT_SEND_LIMITS.items()},
            webchat=parse_webchat(env.get("WEBCHAT")),
            send_concurrency=_positive_int(env.get("SEND_CONCURRENCY"), SEND_CONCURRENCY, "requests"),
            inbound_retention_days=_positive_int(env.get("INBOUND_RETENTION_DAYS"),
                                                 INBOUND_RETENTION_DAYS),
        )

    @property
    def telegram_enabled(self) -> bool:
        """Whether a bot token is set."""
        return bool(self.telegram_bot_token)

    @property
    def whatsapp_enabled(self) -> bool:
        """Whether Twilio's account, token and WhatsApp sender are all set."""
        return bool(self.twilio_account_sid and self.twilio_auth_token and self.twilio_whatsapp_from)
