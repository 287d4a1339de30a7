"""The embedded web chat at `/`: try the bot as any demo member or cadre, without any account."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date
from typing import Any

import phonenumbers
from flask import Blueprint, abort, jsonify, render_template, request
from sqlalchemy import or_, select

from bot.messages import Incoming
from models import Chat, OutboxMessage
from web import runtime

blueprint = Blueprint("webchat", __name__)

MAX_ADDRESS = 64  # Chat.address and InboundMessage.provider_id are VARCHAR(64): longer would fail on PostgreSQL
SHOWN = ("sent", "delivered", "read")


@blueprint.errorhandler(400)
def bad_request(error):  # type: ignore[no-untyped-def]
    """The page (and anyone scripting it) reads JSON, so say what was wrong in JSON too."""
    return jsonify(error=getattr(error, "description", "bad request")), 400


@blueprint.get("/")
def page():  # type: ignore[no-untyped-def]
    """The chat simulator page; its persona list and messages come from the JSON endpoints below."""
    return render_template("chat.html")


@blueprint.get("/chat/personas")
def personas():  # type: ignore[no-untyped-def]
    """The demo members and cadres to chat as, with what each can try (empty when no demo is loaded)."""
    try:
        from models.demo import demo_personas
    except ImportError:  # the demo data set is optional: the page still lets you type any phone
        return jsonify(personas=[])
    with runtime().reading() as session:
        found = demo_personas(session)
    return jsonify(personas=[_persona_json(persona) for persona in found])


def _persona_json(persona: Any) -> dict[str, object]:
    fields = asdict(persona)
    for key, value in fields.items():
        if isinstance(value, date):
            fields[key] = value.isoformat()
    return fields


@blueprint.post("/chat/<chat_address>/messages")
def send(chat_address: str):  # type: ignore[no-untyped-def]
    """A person typed (or pressed a button) in the web chat; answers with the messages after `after`."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        abort(400, "expected a JSON object")
    text, choice, message_id, phone, name = (_optional_str(payload, key)
                                             for key in ("text", "choice", "id", "phone", "name"))
    after = _after(payload.get("after"))
    address = chat_address[:MAX_ADDRESS]
    rt = runtime()
    incoming = Incoming(
        channel="web",
        address=address,
        provider_id=(message_id or uuid.uuid4().hex)[:MAX_ADDRESS],
        received_at=rt.clock.now(),
        text=(text or "")[:5000],
        choice=choice or None,
        sender_phone=_e164(phone),
        sender_name=name or None,
    )
    rt.receive(incoming)
    return jsonify(_messages(address, after=after))


@blueprint.get("/chat/<chat_address>/messages")
def poll(chat_address: str):  # type: ignore[no-untyped-def]
    """Everything sent to this chat after message `after`: replies, reminders, broadcasts."""
    return jsonify(_messages(chat_address[:MAX_ADDRESS], after=_after(request.args.get("after"))))


def _optional_str(payload: dict[str, Any], key: str) -> str | None:
    value = payload.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        abort(400, f"'{key}' must be a string")
    return str(value)


def _after(value: object) -> int:
    if value is None or value == "":
        return 0
    try:
        return max(int(str(value)), 0)
    except ValueError:
        abort(400, "'after' must be a message id")


def _e164(phone: str | None) -> str | None:
    """Typed numbers come as 0812..., 62812... or +62812...; the core matches cadres on E.164 only."""
    if not phone:
        return None
    try:
        parsed = phonenumbers.parse(phone, "ID")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _messages(chat_address: str, after: int) -> dict[str, object]:
    """Sent messages after `after`, stopping before any still being sent.

    A reminder queued before a reply can be sent after it; if the page skipped past it (it asks for ids
    greater than the last one it saw) it would never show. So the answer ends just before the first message
    that is due but not sent yet, and the page gets it on a later poll.
    """
    rt = runtime()
    with rt.reading() as session:
        chat_id = session.execute(
            select(Chat.id).where(Chat.channel == "web", Chat.address == chat_address)
        ).scalar_one_or_none()
        if chat_id is None:
            return {"messages": [], "after": after}
        mine = (OutboxMessage.chat_id == chat_id) & (OutboxMessage.id > after)
        first_pending = session.execute(
            select(OutboxMessage.id).where(mine, or_(
                OutboxMessage.status == "sending",
                OutboxMessage.status.in_(("queued", "failed")) & (OutboxMessage.next_attempt_at <= rt.clock.now()),
            )).order_by(OutboxMessage.id).limit(1)
        ).scalar_one_or_none()
        query = select(OutboxMessage).where(mine, OutboxMessage.status.in_(SHOWN)).order_by(OutboxMessage.id)
        if first_pending is not None:
            query = query.where(OutboxMessage.id < first_pending)
        rows = session.execute(query).scalars().all()
        messages = [{"id": row.id, "text": row.body, "kind": row.kind, "choices": row.choices or [],
                     "at": row.created_at.isoformat()} for row in rows]
    return {"messages": messages, "after": rows[-1].id if rows else after}
