"""Who receives a notice, and on which chats: cadres and families who may never have written to the bot.

A cadre is reached on every chat they use (Telegram once linked by sharing their contact, the web chat)
and, when WhatsApp is configured, always by the phone in the cadres file: a chat row is made for that
number if the cadre never wrote, and outside WhatsApp's 24-hour window the sender uses the approved
template of the notice's kind (instance/whatsapp_templates.json, kinds `cadre_notice` and `receipt`, whose
variable `text` is the whole message on one line). A family is reached on the chats that proved they belong
to it or that write from a family member's phone, else on WhatsApp by the head's (or any member's) phone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import outbox
from bot.messages import Outgoing
from bot.settings import Settings
from handlers.texts import date_text, text
from models import Cadre, Chat, ChatFamily, Family, Member, OutboxMessage
from models.chats import NOTICE_PRIORITY

CADRE_NOTICE = "cadre_notice"  # template kinds in instance/whatsapp_templates.json
RECEIPT = "receipt"
NOTICE_KINDS = (CADRE_NOTICE, RECEIPT)
TEMPLATE_VARIABLE_MAX = 1000  # WhatsApp caps a template variable at 1,024 characters


class Template(Protocol):
    """An approved WhatsApp template (reminders/templates.py): its ContentSid and how its variables fill."""

    @property
    def content_sid(self) -> str:
        """Twilio's id of the approved template (HX...)."""
        ...

    def fill(self, values: Mapping[str, object]) -> dict[str, object]:
        """The template's numbered variables from the notice's named values."""
        ...


class Templates(Protocol):
    """The approved templates loaded at start (reminders/templates.py)."""

    def find(self, kind: str, language: str) -> Template | None:
        """The template for a kind of notice in a language, or None when there is none."""
        ...


@dataclass(frozen=True)
class Reach:
    """How far a notice goes: WhatsApp by phone when the channel is configured, with its approved templates."""

    whatsapp: bool = False
    templates: Templates | None = None

    @classmethod
    def of(cls, settings: Settings | None, templates: object) -> Reach:
        """From the service's settings and the templates loaded at start (anything without `find`: none)."""
        book: Templates | None = templates if hasattr(templates, "find") else None
        return cls(bool(settings and settings.whatsapp_enabled), book)


NOWHERE_ELSE = Reach()  # only the chats that exist: no WhatsApp by phone, no templates


def notify_cadre(session: Session, cadre: Cadre, now: datetime, reach: Reach, key: str,
                 values: dict[str, object], dedupe: str | None = None) -> list[OutboxMessage]:
    """Queue the text `key` to every chat of the cadre, each in its chat's language (dates among `values`
    worded in it too)."""
    return deliver(session, cadre_chats(session, cadre, now, reach), now, reach, CADRE_NOTICE,
                   lambda language: text(key, language, **in_language(values, language)), dedupe)


def notify_family(session: Session, family: Family, now: datetime, reach: Reach, key: str,
                  values: dict[str, object], dedupe: str | None = None,
                  template: str = RECEIPT) -> list[OutboxMessage]:
    """Queue the text `key` to the family's chats (or its phone on WhatsApp), each in its chat's language
    (dates among `values` worded in it too)."""
    return deliver(session, family_chats(session, family, now, reach), now, reach, template,
                   lambda language: text(key, language, **in_language(values, language)), dedupe)


def in_language(values: Mapping[str, object], language: str) -> dict[str, object]:
    """`values` for a text in `language`: a date is worded in it (2 Juni 2025 / 2 June 2025), the rest as given."""
    return {name: date_text(value, language) if isinstance(value, date) and not isinstance(value, datetime) else value
            for name, value in values.items()}


def deliver(session: Session, chats: list[Chat], now: datetime, reach: Reach, template: str,
            render: Callable[[str], str], dedupe: str | None = None) -> list[OutboxMessage]:
    """Queue `render(language)` to each chat as a notice; with `dedupe`, once per chat however many times it
    is planned, on any machine. WhatsApp rows carry the approved template of `template` for the sender to use
    outside the 24-hour window."""
    return [row for chat in chats
            if (row := _queue(session, chat, render(chat.language), now, reach, template, dedupe)) is not None]


def unsent(session: Session, chats: list[Chat], dedupe: str) -> list[Chat]:
    """The chats that have not been queued the notice `dedupe` yet (so a planner skips costly work)."""
    keys = {f"{dedupe}:{chat.id}": chat for chat in chats}
    if not keys:
        return []
    done = set(session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(list(keys)))))
    return [chat for key, chat in keys.items() if key not in done]


def cadre_chats(session: Session, cadre: Cadre, now: datetime, reach: Reach) -> list[Chat]:
    """Every chat the cadre uses, and (WhatsApp configured) the chat of their phone, made if need be."""
    chats = list(session.scalars(select(Chat).where(Chat.cadre_id == cadre.id).order_by(Chat.id)))
    if cadre.phone and reach.whatsapp:
        address = whatsapp_address(cadre.phone)
        if not any(chat.channel == "whatsapp" and chat.address == address for chat in chats):
            chat = whatsapp_chat(session, cadre.phone, now)
            chat.cadre_id = chat.cadre_id or cadre.id
            chats.append(chat)
    return chats


def ensure_cadre_chats(session: Session, now: datetime, reach: Reach) -> int:
    """Give every active cadre with a phone a WhatsApp chat (when WhatsApp is configured), so that whatever
    is planned for "the cadre's chats", here or in the reminders' set-based planners, reaches them too."""
    if not reach.whatsapp:
        return 0
    known = set(session.scalars(select(Chat.address).where(Chat.channel == "whatsapp")))
    missing = [cadre for cadre in session.scalars(select(Cadre).where(Cadre.active.is_(True), Cadre.phone.is_not(None)))
               if cadre.phone and whatsapp_address(cadre.phone) not in known]
    for cadre in missing:
        assert cadre.phone is not None
        chat = whatsapp_chat(session, cadre.phone, now)
        chat.cadre_id = chat.cadre_id or cadre.id
    return len(missing)


def family_chats(session: Session, family: Family, now: datetime, reach: Reach) -> list[Chat]:
    """The family's linked chats and chats on its members' phones; else (WhatsApp configured) the head's phone."""
    phones = [member.phone for member in _members_head_first(session, family) if member.phone]
    linked = select(ChatFamily.chat_id).where(ChatFamily.family_id == family.id)
    query = select(Chat).where(Chat.id.in_(linked) | Chat.phone.in_(phones or [""])).order_by(Chat.id)
    chats = list(session.scalars(query))
    if not chats and phones and reach.whatsapp:
        chats.append(whatsapp_chat(session, phones[0], now))
    return chats


def whatsapp_address(phone: str) -> str:
    """How Twilio names a WhatsApp number: whatsapp:+62..."""
    return f"whatsapp:{phone}"


def whatsapp_chat(session: Session, phone: str, now: datetime) -> Chat:
    """The WhatsApp chat of a phone, made now if nobody on it has written yet (it has no 24-hour window)."""
    address = whatsapp_address(phone)
    query = select(Chat).where(Chat.channel == "whatsapp", Chat.address == address)
    chat = session.scalars(query).first()
    if chat is not None:
        return chat
    chat = Chat(channel="whatsapp", address=address, phone=phone, language="id", state_data={}, created_at=now)
    try:
        with session.begin_nested():
            session.add(chat)
    except IntegrityError:  # the person wrote, or another worker made it, a moment ago
        return session.scalars(query).one()
    return chat


def one_line(body: str) -> str:
    """A message as one template variable: WhatsApp refuses newlines and tabs in variables."""
    flat = " · ".join(part.strip() for part in body.splitlines() if part.strip())
    flat = " ".join(flat.split())
    return flat if len(flat) <= TEMPLATE_VARIABLE_MAX else flat[: TEMPLATE_VARIABLE_MAX - 1] + "…"


def _queue(session: Session, chat: Chat, body: str, now: datetime, reach: Reach, template: str,
           dedupe: str | None) -> OutboxMessage | None:
    """One notice to one chat; with `dedupe`, once per chat however many times it is planned."""
    found = reach.templates.find(template, chat.language) if reach.templates and chat.channel == "whatsapp" \
        else None
    template_sid = found.content_sid if found is not None else None
    values = found.fill({"text": one_line(body)}) if found is not None else None
    key = f"{dedupe}:{chat.id}" if dedupe else None
    try:
        with session.begin_nested():
            row = outbox.queue(session, channel=chat.channel, address=chat.address, message=Outgoing(body),
                               now=now, chat_id=chat.id, kind="notice", dedupe_key=key, template_sid=template_sid,
                               template_variables=values, priority=NOTICE_PRIORITY)
    except IntegrityError:
        return None
    return row


def _members_head_first(session: Session, family: Family) -> list[Member]:
    members = list(session.scalars(select(Member).where(Member.family_id == family.id).order_by(Member.id)))
    return sorted(members, key=lambda member: member.relation != "head")
