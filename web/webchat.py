"""The embedded web chat at `/`: try the bot as any demo member or cadre, without any account."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, jsonify, render_template, request
from sqlalchemy import select

from bot.messages import Incoming
from models import Chat, OutboxMessage
from web import runtime

blueprint = Blueprint("webchat", __name__)


@blueprint.get("/")
def page():  # type: ignore[no-untyped-def]
    return render_template("chat.html")


@blueprint.post("/chat/<chat_address>/messages")
def send(chat_address: str):  # type: ignore[no-untyped-def]
    """A person typed (or pressed a button) in the web chat."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        abort(400)
    rt = runtime()
    incoming = Incoming(
        channel="web",
        address=chat_address[:64],
        provider_id=str(payload.get("id") or uuid.uuid4()),
        received_at=rt.clock.now(),
        text=str(payload.get("text") or "")[:5000],
        choice=str(payload["choice"]) if payload.get("choice") else None,
        sender_phone=str(payload["phone"]) if payload.get("phone") else None,
        sender_name=str(payload["name"]) if payload.get("name") else None,
    )
    rt.receive(incoming)
    return jsonify(messages=_messages(chat_address, after=int(payload.get("after") or 0)))


@blueprint.get("/chat/<chat_address>/messages")
def poll(chat_address: str):  # type: ignore[no-untyped-def]
    """Everything sent to this chat after message `after`: replies, reminders, broadcasts."""
    return jsonify(messages=_messages(chat_address, after=request.args.get("after", 0, type=int)))


def _messages(chat_address: str, after: int) -> list[dict[str, object]]:
    with runtime().sessions() as session:
        rows = session.execute(
            select(OutboxMessage)
            .join(Chat, Chat.id == OutboxMessage.chat_id)
            .where(Chat.channel == "web", Chat.address == chat_address, OutboxMessage.id > after,
                   OutboxMessage.status.in_(("sent", "delivered", "read")))
            .order_by(OutboxMessage.id)
        ).scalars().all()
        return [{"id": row.id, "text": row.body, "kind": row.kind, "choices": row.choices,
                 "at": row.created_at.isoformat()} for row in rows]
