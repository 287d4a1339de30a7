"""The embedded web chat at `/`: try the bot as a demo member or cadre, per `WEBCHAT` (off, demo or on).

- `off`: every route here answers 404.
- `demo`: a chat may speak as a demo persona's phone (ingest/demo.py) or as a stranger without a phone;
  any other phone is refused with 403, so nobody can make the browser a real cadre or member.
- `on`: any phone (an operator's own testing).

Which chat a request belongs to never travels in the URL, where access logs and browser history keep it:
the page names its chats with non-secret slot labels, and the server turns (visitor, slot) into the chat's
address, the visitor being a random id in Flask's signed, HttpOnly, SameSite=Strict session cookie. Knowing
a slot, or a whole logged URL, gives nothing without that cookie.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, session
from sqlalchemy import or_, select
from werkzeug.exceptions import HTTPException

from bot.messages import Incoming
from handlers.texts import text as catalogue_text
from ingest.demo import Persona, demo_personas
from models import Chat, InboundMessage, OutboxMessage
from rules.phones import mobile_e164
from web import runtime
from web.edge import refuse_unbounded_body

blueprint = Blueprint("webchat", __name__)

MAX_BODY = 64 * 1024  # the page sends at most 1,000 characters; 5,000 emoji JSON-escaped (12 bytes) still fit
MAX_ADDRESS = 64  # Chat.address and InboundMessage.provider_id are VARCHAR(64): longer would fail on PostgreSQL
MAX_MESSAGE_ID = 2**63 - 1  # outbox ids are BIGINT: a larger `after` cannot be bound (OverflowError)
SLOT = re.compile(r"[A-Za-z0-9_-]{1,64}")
SHOWN = ("sent", "delivered", "read")
ANSWER_WAIT = 5.0  # seconds a message's request waits for its answer before leaving it to the page's polling


@dataclass(frozen=True)
class WebChat:
    """Who a web chat request speaks as: the chat's address and the phone it may claim."""

    address: str
    phone: str | None


class Refused(Exception):
    """The mode does not let this browser speak as that phone."""


def mode() -> str:
    """The web chat's mode: off, demo or on."""
    return str(current_app.config.get("WEBCHAT") or "off")


@blueprint.before_request
def only_when_enabled() -> None:
    """404 when the web chat is off; bodies bounded before they are read."""
    if mode() == "off":
        abort(404)
    request.max_content_length = MAX_BODY  # tighter than the app's limit, checked before reading too
    refuse_unbounded_body()


@blueprint.errorhandler(HTTPException)
def json_error(error: HTTPException) -> Response | HTTPException:
    """The page (and anyone scripting it) reads JSON, so say what was wrong in JSON too."""
    if not request.path.startswith("/chat/"):
        return error
    response = jsonify(error=error.description or error.name)
    response.status_code = error.code or 400
    return response


@blueprint.errorhandler(Refused)
def refused(_error: Refused) -> tuple[Response, int]:
    """403, saying in both languages that only the demo personas may be used."""
    return jsonify(error=catalogue_text("webchat.demo_only", "id"),
                   error_en=catalogue_text("webchat.demo_only", "en")), 403


@blueprint.get("/")
def page():  # type: ignore[no-untyped-def]
    """The chat simulator page; its persona list and messages come from the JSON endpoints below."""
    _ensure_visitor()
    return render_template("chat.html")


@blueprint.get("/chat/personas")
def personas():  # type: ignore[no-untyped-def]
    """The demo members and cadres to chat as (empty when no demo is loaded), and the mode."""
    with runtime().reading() as db:
        found = demo_personas(db)
    return jsonify(mode=mode(), personas=[_persona_json(persona) for persona in found])


@blueprint.post("/chat/messages")
def send():  # type: ignore[no-untyped-def]
    """A person typed (or pressed a button) in the web chat; answers with the messages after `after`."""
    payload = _json_object()
    text, choice, message_id, phone, name, slot = (_optional_str(payload, key) for key in
                                                   ("text", "choice", "id", "phone", "name", "slot"))
    after = _after(payload.get("after"))
    chat = chat_for(_slot(slot), mobile_e164(phone[:64]) if phone else None)  # cadres are matched on E.164
    rt = runtime()
    provider_id = _provider_id(chat.address, message_id)
    rt.receive(Incoming(
        channel="web",
        address=chat.address,
        provider_id=provider_id,
        received_at=rt.clock.now(),
        text=(text or "")[:5000],
        choice=(choice or "")[:64] or None,  # keys are Telegram callback data: 64 bytes at most
        sender_phone=chat.phone,
        sender_name=name or None,
    ))
    _await_answer(provider_id)
    return jsonify(_messages(chat.address, after=after))


@blueprint.get("/chat/messages")
def poll():  # type: ignore[no-untyped-def]
    """Everything sent to this browser's chat `slot` after message `after`: replies, reminders, broadcasts."""
    after = _after(request.args.get("after"))
    slot = _slot(request.args.get("slot"))
    visitor = _visitor()
    if visitor is None:  # a browser that never wrote has no chat yet
        return jsonify(messages=[], after=after)
    return jsonify(_messages(_address(visitor, slot), after=after))


def _await_answer(provider_id: str, timeout: float = ANSWER_WAIT) -> None:
    """Wait (briefly) until a worker has answered this message and its replies are sent, so the answer to
    the request shows them at once, as a chat app would; after the timeout the page's polling shows them."""
    rt = runtime()
    deadline = time.monotonic() + timeout
    while not _answered(provider_id) and time.monotonic() < deadline:
        if rt.background is not None:
            rt.background.wait_progress(0.05)  # woken when a batch of this process is done
        else:
            time.sleep(0.05)  # answered by a `worker` process: look again shortly


def _answered(provider_id: str) -> bool:
    rt = runtime()
    with rt.reading() as db:
        found = db.execute(select(InboundMessage.processed_at, InboundMessage.chat_id).where(
            InboundMessage.channel == "web", InboundMessage.provider_id == provider_id)).first()
        if found is None or found.processed_at is None:
            return False
        unsent = db.execute(select(OutboxMessage.id).where(
            OutboxMessage.chat_id == found.chat_id, OutboxMessage.status.in_(("queued", "sending")),
            OutboxMessage.next_attempt_at <= rt.clock.now()).limit(1)).first()
        return unsent is None


def chat_for(slot: str, claimed_phone: str | None) -> WebChat:
    """The chat this browser speaks in, and the phone it may claim there; Refused when the mode says no.

    Kept apart from how a message is then processed: whatever receives it gets a decided address and phone.
    """
    if claimed_phone and mode() == "demo" and claimed_phone not in _demo_phones():
        raise Refused(claimed_phone)
    return WebChat(_address(_ensure_visitor(), slot), claimed_phone)


def _demo_phones() -> set[str]:
    with runtime().reading() as db:
        return {persona.phone for persona in demo_personas(db) if persona.phone}


def _visitor() -> str | None:
    """This browser's random id, kept in the signed session cookie."""
    visitor = session.get("visitor")
    return visitor if isinstance(visitor, str) and visitor else None


def _ensure_visitor() -> str:
    """The visitor id, given now if the browser has none (a permanent cookie: a month, like the page's log)."""
    visitor = _visitor()
    if visitor is None:
        session.permanent = True
        session["visitor"] = visitor = secrets.token_hex(16)
    return visitor


def _address(visitor: str, slot: str) -> str:
    """A chat address nobody can choose or guess: derived from the visitor id that only the cookie holds."""
    return "w" + hashlib.sha256(f"{visitor}\n{slot}".encode()).hexdigest()[:40]


def _provider_id(address: str, message_id: str | None) -> str:
    """The page's message id, scoped to its chat: a repeat dedupes, another chat's ids cannot collide."""
    if not message_id:
        return uuid.uuid4().hex
    return "w" + hashlib.sha256(f"{address}\n{message_id}".encode()).hexdigest()[:40]


def _persona_json(persona: Persona) -> dict[str, object]:
    fields = asdict(persona)
    for key, value in fields.items():
        if isinstance(value, date):
            fields[key] = value.isoformat()
    return fields


def _json_object() -> dict[str, Any]:
    if not request.is_json:
        abort(415, "expected a JSON object (Content-Type: application/json)")
    try:
        payload = json.loads(request.get_data(cache=False))
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested deeper than Python recurses
        abort(400, "expected a JSON object")
    if not isinstance(payload, dict):
        abort(400, "expected a JSON object")
    return payload


def _optional_str(payload: dict[str, Any], key: str) -> str | None:
    value = payload.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        abort(400, f"'{key}' must be a string")
    return str(value)


def _slot(value: str | None) -> str:
    if value is None or value == "":
        return "default"
    if not SLOT.fullmatch(value):
        abort(400, "'slot' must be 1-64 letters, digits, '-' or '_'")
    return value


def _after(value: object) -> int:
    if value is None or value == "":
        return 0
    try:
        after = int(str(value))
    except ValueError:
        abort(400, "'after' must be a message id")
    if after > MAX_MESSAGE_ID:
        abort(400, "'after' must be a message id")
    return max(after, 0)


def _messages(chat_address: str, after: int) -> dict[str, object]:
    """Sent messages after `after`, stopping before any still being sent.

    A reminder queued before a reply can be sent after it; if the page skipped past it (it asks for ids
    greater than the last one it saw) it would never show. So the answer ends just before the first message
    that is due but not sent yet, and the page gets it on a later poll.
    """
    rt = runtime()
    with rt.reading() as db:
        chat_id = db.execute(
            select(Chat.id).where(Chat.channel == "web", Chat.address == chat_address)
        ).scalar_one_or_none()
        if chat_id is None:
            return {"messages": [], "after": after}
        mine = (OutboxMessage.chat_id == chat_id) & (OutboxMessage.id > after)
        first_pending = db.execute(
            select(OutboxMessage.id).where(mine, or_(
                OutboxMessage.status == "sending",
                OutboxMessage.status.in_(("queued", "failed")) & (OutboxMessage.next_attempt_at <= rt.clock.now()),
            )).order_by(OutboxMessage.id).limit(1)
        ).scalar_one_or_none()
        query = select(OutboxMessage).where(mine, OutboxMessage.status.in_(SHOWN)).order_by(OutboxMessage.id)
        if first_pending is not None:
            query = query.where(OutboxMessage.id < first_pending)
        rows = db.execute(query).scalars().all()
        messages = [{"id": row.id, "text": row.body, "kind": row.kind, "choices": row.choices or [],
                     "at": row.created_at.isoformat()} for row in rows]
    return {"messages": messages, "after": rows[-1].id if rows else after}
