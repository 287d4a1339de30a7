"""Telegram's Updates as what a person said: one `Incoming` per message or button press, or None.

Used by the adapter's `parse_update` (the webhook) and by long polling. Decisions where the Bot API leaves a
choice:
- `edited_message` is ignored. Handling an edit as a new message would repeat its side effects (a second
  visit report, a second promise); a person corrects with UBAH or BATAL, or simply types again.
- Channel posts, inline queries, chat-member changes and service messages (someone joined a group) are
  ignored: they are not something a person said to the bot.
"""

from __future__ import annotations

import warnings
from datetime import datetime
from typing import Any

from telegram import Message, Update
from telegram.constants import MessageAttachmentType

from bot.messages import Incoming, printable

# What the person sent that the bot cannot read, by the name Telegram gives it. Anything else that is an
# attachment (an invoice, a giveaway...) becomes "other", which also keeps the name short for the database.
MEDIA_KINDS = {"animation", "audio", "document", "photo", "sticker", "video", "video_note", "voice", "dice",
               "poll", "game", "story"}


def incoming_from(update: Update, now: datetime) -> Incoming | None:
    """What a person said in one Update, or None (see the module's notes for what is ignored)."""
    provider_id = str(update.update_id)
    query = update.callback_query
    if query is not None:
        chat = query.message.chat if query.message is not None else None
        address = str(chat.id if chat is not None else query.from_user.id)  # private chat id == user id
        return Incoming(channel="telegram", address=address, provider_id=provider_id, received_at=now,
                        choice=printable(query.data) if query.data is not None else None,
                        callback_id=query.id, sender_name=printable(query.from_user.first_name) or None)
    message = update.message
    if message is None:  # edited_message, channel_post, inline_query, my_chat_member, ...
        return None
    return _incoming_from_message(message, provider_id, now)


def _incoming_from_message(message: Message, provider_id: str, now: datetime) -> Incoming | None:
    sender = message.from_user
    base: dict[str, Any] = {
        "channel": "telegram", "address": str(message.chat.id), "provider_id": provider_id,
        "received_at": now, "text": printable(message.text or message.caption or "")[:5000],
        "sender_name": (printable(sender.first_name) or None) if sender else None,
    }
    if message.contact is not None:
        contact = message.contact
        is_sender = bool(sender and contact.user_id is not None and contact.user_id == sender.id)
        return Incoming(**base, contact_phone=e164(contact.phone_number) or None, contact_is_sender=is_sender)
    if message.location is not None:  # a venue carries its location too
        return Incoming(**base, location=(message.location.latitude, message.location.longitude))
    media = attachment_kind(message)
    if media is not None:
        return Incoming(**base, media=media)
    if message.text is None:  # a service message: someone joined, a pinned message, a new chat title
        return None
    return Incoming(**base)


def attachment_kind(message: Message) -> str | None:
    """What a message carries besides text ("photo", "sticker", ..., "other"), or None for plain text."""
    for kind in MessageAttachmentType:
        if kind in (MessageAttachmentType.CONTACT, MessageAttachmentType.LOCATION):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # successful_payment's deprecation note
            present = getattr(message, str(kind), None)
        if present:
            return str(kind) if str(kind) in MEDIA_KINDS else "other"
    return None


def e164(phone: str) -> str:
    """Telegram sends contacts' numbers without '+' ("6281234567890"); an Indonesian 08... is local."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return "+" + digits if digits else ""
