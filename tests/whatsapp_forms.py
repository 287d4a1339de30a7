"""Twilio's WhatsApp webhook forms, for the WhatsApp tests, and posting them signed as Twilio signs them. Forms
carry the parameters Twilio documents for WhatsApp inbound messages and status callbacks
(https://www.twilio.com/docs/messaging/guides/webhook-request, https://www.twilio.com/docs/whatsapp/api)."""

from __future__ import annotations

import random

from sqlalchemy import select
from twilio.request_validator import RequestValidator

from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, SANDBOX_FROM

PUBLIC = "https://kaderbot.example.id"  # what Twilio calls; the test client's own host differs on purpose
PHONE = "+6281234567890"


def inbound(sid: str, body: str = "", **extra: str) -> dict[str, str]:
    """Twilio's inbound WhatsApp message form, as posted to the webhook."""
    form = {
        "SmsMessageSid": sid, "NumMedia": "0", "ProfileName": "Siti Rahayu", "MessageType": "text",
        "SmsSid": sid, "WaId": PHONE[1:], "SmsStatus": "received", "Body": body, "To": SANDBOX_FROM,
        "NumSegments": "1", "ReferralNumMedia": "0", "MessageSid": sid, "AccountSid": ACCOUNT_SID,
        "From": f"whatsapp:{PHONE}", "ApiVersion": "2010-04-01",
    }
    form.update(extra)
    return form


def status_callback(sid: str, status: str, error_code: str | None = None) -> dict[str, str]:
    """Twilio's status callback form for an outbound WhatsApp message."""
    form = {
        "ChannelPrefix": "whatsapp", "ApiVersion": "2010-04-01", "MessageStatus": status, "SmsSid": sid,
        "SmsStatus": status, "ChannelInstallSid": "XE" + "0" * 32, "To": f"whatsapp:{PHONE}",
        "From": SANDBOX_FROM, "MessageSid": sid, "StructuredMessage": "false", "AccountSid": ACCOUNT_SID,
        "ChannelToAddress": PHONE,
    }
    if error_code:
        form["ErrorCode"] = error_code
    return form


def sign(url: str, form: dict[str, str], token: str = AUTH_TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, form)


def post(client, form: dict[str, str], path: str = "/webhooks/whatsapp", signature: str | None = "sign"):  # type: ignore[no-untyped-def]
    headers = {}
    if signature == "sign":
        headers["X-Twilio-Signature"] = sign(PUBLIC + path, form)
    elif signature is not None:
        headers["X-Twilio-Signature"] = signature
    return client.post(path, data=form, headers=headers)


def say(client, body: str, sid: str | None = None, **extra: str):  # type: ignore[no-untyped-def]
    sid = sid or "SM" + "".join(random.choices("0123456789abcdef", k=32))
    return post(client, inbound(sid, body, **extra))


def stored(runtime, model):  # type: ignore[no-untyped-def]
    with runtime.sessions() as session:
        return list(session.execute(select(model).order_by(model.id)).scalars())
