"""Provider webhooks: Telegram and WhatsApp (Twilio). Wrong or missing signature: 403 and nothing stored.

Every inbound webhook goes through `runtime().receive(incoming)`: one idempotent insert on the provider's
id, committed, and the worker woken (bot/worker.py), which answers and sends the replies; the webhook
answers 200 as soon as the message is stored. Whatever a provider or a stranger posts gets a 4xx at
worst, never a 500: a 500 would make the provider retry something that can never succeed. Bodies are
bounded before they are read (web/edge.py).
"""

from __future__ import annotations

import hmac
import json
import logging
from datetime import datetime

from flask import Blueprint, Response, abort, request
from sqlalchemy.orm import Session

from bot import outbox
from bot.channels.telegram import TelegramChannel
from bot.channels.whatsapp import OPTED_OUT, OUTSIDE_WINDOW, WhatsAppChannel, parse_inbound, signature_valid
from bot.outbox import MAX_ATTEMPTS
from models import Chat, OutboxMessage
from web import runtime

log = logging.getLogger(__name__)

blueprint = Blueprint("webhooks", __name__, url_prefix="/webhooks")

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@blueprint.post("/telegram")
def telegram() -> tuple[str, int]:
    """A Telegram Update. 404 when Telegram is not configured, 403 for a wrong or missing secret.

    Fails closed: without a configured secret nothing is accepted (settings generate one when a token is
    set), since anyone could otherwise forge updates as any chat.
    """
    rt = runtime()
    channel = rt.sender.channels.get("telegram")
    if not isinstance(channel, TelegramChannel):
        abort(404)
    secret = rt.settings.telegram_webhook_secret
    if not secret or not _same(request.headers.get(SECRET_HEADER, ""), secret):
        abort(403)
    if not request.is_json:  # Telegram always posts application/json
        abort(415)
    try:
        payload = json.loads(request.get_data(cache=False) or b"")
        incoming = channel.parse_update(payload, rt.clock.now())
    except (ValueError, RecursionError):  # not JSON or not UTF-8 (ValueErrors), or nested too deep to parse
        abort(400)
    if incoming is None:  # an edit, a channel post, a service message: acknowledged, nothing to do
        return "", 200
    if incoming.callback_id:  # before handling, so the button's spinner stops while we work
        channel.answer_callback(incoming.callback_id)
    rt.receive(incoming)
    return "", 200


@blueprint.post("/whatsapp")
def whatsapp() -> Response:
    """Twilio's inbound message. Replies go through the REST API (the outbox), so the TwiML is empty."""
    rt = runtime()
    _whatsapp_channel()
    _check_twilio_signature("/webhooks/whatsapp")
    incoming = parse_inbound(request.form.to_dict(), rt.clock.now())
    if incoming is None:
        abort(400)
    rt.receive(incoming)
    return Response(EMPTY_TWIML, status=200, mimetype="text/xml")


@blueprint.post("/whatsapp/status")
def whatsapp_status() -> tuple[str, int]:
    """Twilio's status callback: the outbox row moves on (delivered, read, undelivered)."""
    rt = runtime()
    _whatsapp_channel()
    _check_twilio_signature("/webhooks/whatsapp/status")
    sid = (request.form.get("MessageSid") or "").strip()
    status = (request.form.get("MessageStatus") or request.form.get("SmsStatus") or "").strip().lower()
    error_code = (request.form.get("ErrorCode") or "").strip()[:16] or None
    if not sid or not status:
        abort(400)
    now = rt.clock.now()
    with rt.sessions.begin() as session:
        row = outbox.record_status(session, "whatsapp", sid[:64], status[:16], error_code)
        if row is not None and status in ("failed", "undelivered") and row.chat_id:
            chat = session.get(Chat, row.chat_id)
            if chat is not None:
                _after_failure(session, chat, row, error_code, now)
    return "", 200


def _after_failure(session: Session, chat: Chat, row: OutboxMessage, error_code: str | None,
                   now: datetime) -> None:
    """What a late failure tells about the chat, which `create()` could not know yet.

    63016: Twilio says the window is closed, whatever our clock thought; unless the person wrote again
    after this message was sent, the chat counts as outside the window, so the next message goes as a
    template. A reminder that has a template is queued again to go as that template. 21610: the person
    opted out on WhatsApp's side; reminders stop, as with STOP.
    """
    if error_code == str(OUTSIDE_WINDOW):
        sent_at = row.sent_at or row.created_at
        if chat.last_inbound_at is not None and chat.last_inbound_at <= sent_at:
            chat.last_inbound_at = None
        if row.template_sid and row.attempts < MAX_ATTEMPTS and chat.last_inbound_at is None:
            row.status = "queued"
            row.next_attempt_at = now
    elif error_code == str(OPTED_OUT) and chat.reminders_stopped_at is None:
        chat.reminders_stopped_at = now


def _whatsapp_channel() -> WhatsAppChannel:
    channel = runtime().sender.channels.get("whatsapp")
    if not isinstance(channel, WhatsAppChannel):
        abort(404)
    return channel


def _check_twilio_signature(path: str) -> None:
    """Signed over the public URL Twilio called (PUBLIC_BASE_URL), not the one a proxy shows Flask."""
    settings = runtime().settings
    url = settings.public_base_url + path
    query = request.query_string.decode("latin-1")
    if query:  # Twilio signs the whole URL it called, query string included
        url += "?" + query
    signature = request.headers.get("X-Twilio-Signature")
    if not signature_valid(url, request.form, signature, settings.twilio_auth_token or ""):
        abort(403)


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))

