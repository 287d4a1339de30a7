"""A turn of a conversation: one stored inbound message, its chat and saved step, the handlers' answer, and
the replies queued in the outbox.

Everything happens in the caller's transaction (a worker's batch, bot/worker.py), so the records a handler
changes, the chat's new state and the queued replies are committed together or not at all. The dedupe
happened before, when the message was stored (bot/inbox.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from bot import outbox
from bot.messages import Choice, Incoming, Reply
from bot.settings import Settings
from models import Cadre, Chat
from models.db import insert_ignoring_duplicates
from rules.programme import DEFAULT_RULES, ProgrammeRules

STATE_TIMEOUT = timedelta(minutes=30)  # a half-finished flow is forgotten after this much silence
MAX_TEXT = 1000  # longer messages are cut: nobody types more on a phone, and noise stays small


@dataclass
class Services:
    """What handlers may need besides the message, loaded once at start (app.py)."""

    rules: ProgrammeRules = DEFAULT_RULES  # the branch's programme rules (instance/rules.json)
    settings: Settings | None = None  # None in bare handler tests: notices reach only existing chats
    templates: object | None = None  # reminders/templates.WhatsAppTemplates (a layer above bot/)


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
    services: Services = field(default_factory=Services)

    @property
    def language(self) -> str:
        """The chat's language: "id" or "en"."""
        return self.chat.language

    @property
    def words(self) -> list[str]:
        """The text split on whitespace."""
        return self.text.split()

    @property
    def rules(self) -> ProgrammeRules:
        """The branch's programme rules."""
        return self.services.rules

    @property
    def settings(self) -> Settings | None:
        """The service's settings (None in bare handler tests)."""
        return self.services.settings


Handle = Callable[[Turn], Reply]


class Lookups:
    """What a batch of messages looks up once instead of once a message: their chats, and which of their
    phones are active cadres'. (Cadres are not what a batch writes, so their answers stay true meanwhile.)"""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.chats: dict[tuple[str, str], Chat] = {}
        self.cadres: dict[str, int | None] = {}

    def prefetch(self, incomings: Iterable[Incoming]) -> None:
        """The batch's chats in one query, then its phones (WhatsApp tells each sender's) in one more."""
        incomings = list(incomings)
        by_channel: dict[str, set[str]] = {}
        for incoming in incomings:
            if (incoming.channel, incoming.address) not in self.chats:
                by_channel.setdefault(incoming.channel, set()).add(incoming.address)
        if by_channel:
            found = self.session.execute(select(Chat).where(or_(*(
                and_(Chat.channel == channel, Chat.address.in_(addresses))
                for channel, addresses in by_channel.items())))).scalars()
            self.chats.update({(chat.channel, chat.address): chat for chat in found})
        phones = {incoming.sender_phone for incoming in incomings if incoming.sender_phone}
        phones |= {chat.phone for chat in self.chats.values() if chat.phone and chat.cadre_id is None}
        self._cadres_of(phones)

    def chat(self, incoming: Incoming, now: datetime) -> Chat:
        """The chat of this message's address (created on its first message)."""
        key = (incoming.channel, incoming.address)
        if key not in self.chats:
            self.chats[key] = _chat_for(self.session, incoming, now)
        return self.chats[key]

    def cadre_id(self, phone: str) -> int | None:
        """The cadre recognised by this phone from the cadres file (WhatsApp, or a shared contact)."""
        self._cadres_of({phone})
        return self.cadres[phone]

    def _cadres_of(self, phones: set[str]) -> None:
        wanted = phones - self.cadres.keys()
        if wanted:
            self.cadres.update(dict.fromkeys(wanted))
            with self.session.no_autoflush:
                found = self.session.execute(select(Cadre.phone, Cadre.id).where(
                    Cadre.phone.in_(wanted), Cadre.active.is_(True)))
                self.cadres.update({phone: cadre_id for phone, cadre_id in found if phone})


@dataclass(frozen=True)
class Answered:
    """A message answered: its chat (the replies are in the session, flushed with the batch)."""

    chat_id: int


def answer(session: Session, incoming: Incoming, handle: Handle, services: Services | None = None,
           lookups: Lookups | None = None) -> Answered:
    """Answer one stored message: find its chat and saved step, ask the handlers, queue their replies.

    Nothing is flushed here: the batch's changes go to the database together (or when a handler's query
    needs them), so a batch of fifty costs a few statements, not fifty times a few."""
    lookups = lookups or Lookups(session)
    now = incoming.received_at
    chat = lookups.chat(incoming, now)
    chat.last_inbound_at = now
    own_phone = incoming.sender_phone or (incoming.contact_phone if incoming.contact_is_sender else None)
    if own_phone and chat.phone != own_phone:
        chat.phone = own_phone
        chat.cadre_id = lookups.cadre_id(own_phone)
    elif chat.phone and chat.cadre_id is None:
        chat.cadre_id = lookups.cadre_id(chat.phone)
    if incoming.sender_name and not chat.display_name:
        chat.display_name = incoming.sender_name[:120]

    saved = dict(chat.state_data or {})
    last_choices = saved.pop("_choices", [])
    expired = bool(chat.state and chat.state_expires_at and chat.state_expires_at < now)
    state = None if expired else chat.state
    data = {} if expired else saved
    incoming = _as_choice(incoming, last_choices)

    turn = Turn(session=session, chat=chat, incoming=incoming, now=now, text=incoming.text.strip()[:MAX_TEXT],
                state=state, data=data, expired=expired, services=services or Services())
    reply = handle(turn)

    offered = next((m.choices for m in reversed(reply.messages) if m.choices), ())
    chat.state = reply.state
    chat.state_data = {**(reply.data if reply.state else {}),
                       "_choices": [[c.key, c.label] for c in offered]}
    chat.state_expires_at = now + STATE_TIMEOUT if reply.state else None

    for message in reply.messages:
        outbox.queue(session, channel=chat.channel, address=chat.address, message=message, now=now,
                     chat_id=chat.id)
    return Answered(chat.id)


def _chat_for(session: Session, incoming: Incoming, now: datetime) -> Chat:
    """The chat of this address, created on its first message (by one idempotent insert: no savepoint)."""
    query = select(Chat).where(Chat.channel == incoming.channel, Chat.address == incoming.address)
    chat = session.execute(query).scalar_one_or_none()
    if chat is not None:
        return chat
    session.execute(insert_ignoring_duplicates(session, Chat, ["channel", "address"]).values(
        channel=incoming.channel, address=incoming.address, phone=incoming.sender_phone,
        display_name=(incoming.sender_name or "")[:120] or None, language="id", state_data={},
        created_at=now))
    return session.execute(query).scalar_one()


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
    """Choices from (key, label) pairs."""
    return tuple(Choice(key, label) for key, label in pairs)
