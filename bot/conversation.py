"""One path in: dedupe an Incoming, find its chat and saved step, ask the handlers, queue their replies.

Everything happens in the caller's transaction (one request, one poll), so the inbound record, the records
a handler changes, the new state and the queued replies are committed together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import outbox
from bot.messages import Choice, Incoming, Reply
from models import Cadre, Chat, InboundMessage, OutboxMessage

STATE_TIMEOUT = timedelta(minutes=30)  # a half-finished flow is forgotten after this much silence
MAX_TEXT = 1000  # longer messages are cut: nobody types more on a phone, and noise stays small


@dataclass
class Turn:
    """What a handler sees of one incoming message: who, what, where the chat stands, and when."""

    session: Session
    chat: Chat
    incoming: Incoming
    now: datetime
    text: str  # stripped, at most MAX_TEXT characters
    state: str | None  # the step in progress (None when idle or expired)
    data: dict[str, Any]  # the step's saved data
    expired: bool = False  # a step was in progress but timed out
    services: dict[str, Any] = field(default_factory=dict)  # rules, settings: what handlers may need

    @property
    def language(self) -> str:
        return self.chat.language

    @property
    def words(self) -> list[str]:
        return self.text.split()


Handle = Callable[[Turn], Reply]


def receive(session: Session, incoming: Incoming, handle: Handle,
            services: dict[str, Any] | None = None) -> list[OutboxMessage] | None:
    """Process one message. Returns the queued replies, or None if this message was seen before."""
    incoming = replace(incoming, text=printable(incoming.text))
    now = incoming.received_at
    chat = _chat_for(session, incoming, now)
    if not _record_inbound(session, incoming, chat):
        return None
    chat.last_inbound_at = now
    own_phone = incoming.sender_phone or (incoming.contact_phone if incoming.contact_is_sender else None)
    if own_phone and chat.phone != own_phone:
        chat.phone = own_phone
        chat.cadre_id = _cadre_with_phone(session, own_phone)
    elif chat.phone and chat.cadre_id is None:
        chat.cadre_id = _cadre_with_phone(session, chat.phone)
    if incoming.sender_name and not chat.display_name:
        chat.display_name = incoming.sender_name[:120]

    saved = dict(chat.state_data or {})
    last_choices = saved.pop("_choices", [])
    expired = bool(chat.state and chat.state_expires_at and chat.state_expires_at < now)
    state = None if expired else chat.state
    data = {} if expired else saved
    incoming = _as_choice(incoming, last_choices)

    turn = Turn(session=session, chat=chat, incoming=incoming, now=now, text=incoming.text.strip()[:MAX_TEXT],
                state=state, data=data, expired=expired, services=services or {})
    reply = handle(turn)

    offered = next((m.choices for m in reversed(reply.messages) if m.choices), ())
    chat.state = reply.state
    chat.state_data = {**(reply.data if reply.state else {}),
                       "_choices": [[c.key, c.label] for c in offered]}
    chat.state_expires_at = now + STATE_TIMEOUT if reply.state else None

    rows = [outbox.queue(session, channel=chat.channel, address=chat.address, message=message, now=now,
                         chat_id=chat.id) for message in reply.messages]
    session.flush()
    return rows


def _chat_for(session: Session, incoming: Incoming, now: datetime) -> Chat:
    query = select(Chat).where(Chat.channel == incoming.channel, Chat.address == incoming.address)
    chat = session.execute(query).scalar_one_or_none()
    if chat is not None:
        return chat
    chat = Chat(channel=incoming.channel, address=incoming.address, phone=incoming.sender_phone,
                display_name=(incoming.sender_name or "")[:120] or None, language="id", state_data={},
                created_at=now)
    try:
        with session.begin_nested():
            session.add(chat)
    except IntegrityError:  # another worker created it a moment ago
        return session.execute(query).scalar_one()
    return chat


def printable(text: str) -> str:
    """Without NUL and lone surrogates: PostgreSQL refuses both, and no person typed them."""
    text = text.replace("\x00", "")
    return text.encode("utf-8", "replace").decode("utf-8") if _has_surrogates(text) else text


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _cadre_with_phone(session: Session, phone: str) -> int | None:
    """Cadres are recognised by the phone number in the cadres file (WhatsApp, or a shared contact)."""
    return session.execute(select(Cadre.id).where(Cadre.phone == phone, Cadre.active.is_(True))).scalar()


def _record_inbound(session: Session, incoming: Incoming, chat: Chat) -> bool:
    """The unique (channel, provider_id) key makes a provider's retry a no-op on any worker."""
    record = InboundMessage(channel=incoming.channel, provider_id=incoming.provider_id, chat_id=chat.id,
                            kind=incoming.kind, text=incoming.text[:MAX_TEXT], received_at=incoming.received_at)
    try:
        with session.begin_nested():
            session.add(record)
    except IntegrityError:
        return False
    return True


def _as_choice(incoming: Incoming, offered: list[list[str]]) -> Incoming:
    """Numbered menus: '2', or the label typed out, picks the second choice offered last time."""
    if incoming.choice is not None or not offered:
        return incoming
    typed = incoming.text.strip().rstrip(".").strip()
    picked: str | None = None
    if typed.isdigit() and 1 <= int(typed) <= len(offered):
        picked = offered[int(typed) - 1][0]
    else:
        for key, label in offered:
            if typed.casefold() in (key.casefold(), label.casefold()):
                picked = key
    if picked is None:
        return incoming
    return replace(incoming, choice=picked)


def choices(*pairs: tuple[str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(key, label) for key, label in pairs)
