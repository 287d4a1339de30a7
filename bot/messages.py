"""The two shapes every channel shares: an Incoming message, and the Outgoing messages a handler returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Incoming:
    """One thing a person sent, already taken out of its provider's payload."""

    channel: str  # "telegram" / "whatsapp" / "web"
    address: str  # where replies go: Telegram chat id, "whatsapp:+62...", web chat id
    provider_id: str  # Telegram update_id, Twilio MessageSid, web message id: the dedupe key
    received_at: datetime
    text: str = ""
    choice: str | None = None  # the key of a button pressed (Telegram callback data)
    contact_phone: str | None = None  # a shared contact's phone, E.164
    contact_is_sender: bool = False  # Telegram: the contact shared is the sender's own
    location: tuple[float, float] | None = None
    media: str | None = None  # what could not be read as text: "sticker", "photo", "voice", ...
    sender_name: str | None = None
    sender_phone: str | None = None  # E.164, when the channel tells it (WhatsApp)
    callback_id: str | None = None  # Telegram callback query to answer

    @property
    def kind(self) -> str:
        """What was sent: "choice", "contact", "location", a media kind, or "text"."""
        if self.choice is not None:
            return "choice"
        if self.contact_phone:
            return "contact"
        if self.location:
            return "location"
        if self.media:
            return self.media
        return "text"


@dataclass(frozen=True)
class Choice:
    """A button on Telegram, a numbered line on WhatsApp, a button in the web chat."""

    key: str  # what comes back when chosen (also accepted typed)
    label: str


@dataclass(frozen=True)
class Outgoing:
    """One message to send: its text, its buttons, and whether to offer sharing the phone."""

    text: str
    choices: tuple[Choice, ...] = ()
    ask_contact: bool = False  # Telegram: offer a "share my phone number" button


@dataclass
class Reply:
    """What a handler decides: messages to send and the chat's next step (None = no flow in progress)."""

    messages: list[Outgoing] = field(default_factory=list)
    state: str | None = None
    data: dict[str, object] = field(default_factory=dict)

    def say(self, text: str, choices: tuple[Choice, ...] | list[Choice] = (), ask_contact: bool = False) -> Reply:
        """Add a message; returns the reply, so calls chain."""
        self.messages.append(Outgoing(text, tuple(choices), ask_contact))
        return self


@dataclass(frozen=True)
class Outbound:
    """One outbox row as a channel adapter sees it: a frozen copy, never the ORM record (adapters run in the
    sender's threads, outside any session)."""

    id: int
    channel: str
    address: str
    body: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (key, label)
    ask_contact: bool = False
    template_sid: str | None = None
    template_variables: tuple[tuple[str, str], ...] = ()  # WhatsApp ContentVariables, in order
    chat_id: int | None = None
    priority: int = 0
    created_at: datetime | None = None

    @property
    def idempotency_key(self) -> str:
        """The same for every attempt at this row, different for every row (ids restart with a new database,
        hence the creation time): a provider that honours it accepts a repeated attempt only once."""
        stamp = int(self.created_at.timestamp() * 1000) if self.created_at else 0
        return f"kaderbot-{self.id}-{stamp}"
