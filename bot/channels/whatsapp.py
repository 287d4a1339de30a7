"""WhatsApp through Twilio: parse the inbound form into an Incoming, check its signature, send outbox rows.

Sending goes through the real `twilio.rest.Client`, over one pooled keep-alive session shared by the
sender's threads. Its `edge`/`region` settings can only choose among Twilio's own hosts, so TWILIO_API_URL
(a fake on loopback in tests, a proxy in some deployments) is applied by an HTTP client that rewrites the
base of every request. Every create carries the row's idempotency token (I-Twilio-Idempotency-Token).

WhatsApp allows free-form text only within 24 hours of the person's last message. Outside that window a
row goes as its approved template (ContentSid + ContentVariables) if it has one, and fails for good with
Twilio's own code 63016 if it has not, rather than being refused by Twilio a moment later.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from requests.utils import get_environ_proxies
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from bot.channels import SendFailure
from bot.messages import Incoming, Outbound, printable
from bot.settings import Settings

TWILIO_API = "https://api.twilio.com"
SESSION_WINDOW = timedelta(hours=24)
MAX_BODY = 1600  # Twilio's limit for Body
PREFIX = "whatsapp:"
STATUS_PATH = "/webhooks/whatsapp/status"

# Twilio error codes that decide what happens to a row (https://www.twilio.com/docs/api/errors).
TOO_MANY_REQUESTS = 20429
OPTED_OUT = 21610  # "Attempt to send to unsubscribed recipient"
NOT_A_NUMBER = (21211, 21614)  # "Invalid 'To' Phone Number", "'To' number is not a valid mobile number"
OUTSIDE_WINDOW = 63016  # "Failed to send freeform message because you are outside the allowed window"

# MediaContentType0 -> the media kind handlers see ("sticker", "photo", ... as on Telegram).
MEDIA_KINDS = (
    ("image/webp", "sticker"),  # WhatsApp stickers arrive as WebP images
    ("image/", "photo"),
    ("audio/", "voice"),
    ("video/", "video"),
    ("text/vcard", "contact"),
    ("text/x-vcard", "contact"),
    ("application/", "document"),
)


# The token of the message being created on this thread, sent as I-Twilio-Idempotency-Token: a retry of a
# request whose answer was lost (a timeout, a sender killed) is then accepted once where Twilio honours it.
IDEMPOTENCY_TOKEN: ContextVar[str | None] = ContextVar("twilio_idempotency_token", default=None)
IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token"


class PooledHttpClient(TwilioHttpClient):  # type: ignore[misc]  # twilio ships no types
    """TwilioHttpClient for a sender with many requests in flight: one keep-alive pool of `connections`,
    proxies and CA bundle read from the environment once (requests rescans it on every request otherwise),
    and what was meant for https://api.twilio.com sent to `base_url` (a fake on loopback, a proxy)."""

    def __init__(self, base_url: str = TWILIO_API, timeout: float = 15.0, connections: int = 16) -> None:
        super().__init__(timeout=timeout)
        self.base_url = base_url.rstrip("/")
        session = self.session = requests.Session()
        session.trust_env = False  # no per-request environment scan: what it would find is resolved here
        self.proxy = {key: value for key, value in get_environ_proxies(self.base_url).items()
                      if key in ("http", "https")}
        session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=connections)
        session.mount("https://", adapter)
        session.mount("http://", adapter)

    def request(self, method: str, url: str, params: dict[str, object] | None = None,
                data: dict[str, object] | None = None, headers: dict[str, str] | None = None,
                auth: tuple[str, str] | None = None, timeout: float | None = None,
                allow_redirects: bool = False) -> Response:
        """One Twilio API request on the pooled session, redirected to `base_url`, with the idempotency token."""
        if url.startswith(TWILIO_API):
            url = self.base_url + url[len(TWILIO_API):]
        token = IDEMPOTENCY_TOKEN.get()
        if token is not None and method.upper() == "POST":
            headers = {**(headers or {}), IDEMPOTENCY_HEADER: token}
        return super().request(method, url, params=params, data=data, headers=headers, auth=auth,
                               timeout=timeout, allow_redirects=allow_redirects)


class WhatsAppChannel:
    """The WhatsApp adapter: `send` for the sender; `parse_inbound` and `signature_valid` for the webhooks."""

    name = "whatsapp"

    def __init__(self, settings: Settings, connections: int = 16) -> None:
        if not settings.whatsapp_enabled:
            raise ValueError("TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_WHATSAPP_FROM must all be set")
        self.settings = settings
        self.sender_address = with_prefix(settings.twilio_whatsapp_from or "")
        self.status_callback = settings.public_base_url + STATUS_PATH
        self.http = PooledHttpClient(settings.twilio_api_url, connections=connections)
        self.client = Client(settings.twilio_account_sid, settings.twilio_auth_token, http_client=self.http)

    def send(self, message: Outbound, last_inbound_at: datetime | None, now: datetime) -> str | None:
        """Messages.create: free text with a numbered menu inside the window, the template outside it."""
        params: dict[str, Any] = {"from_": self.sender_address, "to": with_prefix(message.address),
                                  "status_callback": self.status_callback}
        if inside_window(last_inbound_at, now) and message.body.strip():
            params["body"] = render_body(message.body, message.choices)
        elif message.template_sid:
            params["content_sid"] = message.template_sid
            if message.template_variables:
                params["content_variables"] = json.dumps(dict(message.template_variables), ensure_ascii=False)
        elif not message.body.strip():
            raise SendFailure("nothing to send: the row has neither text nor template", code="empty")
        else:
            raise SendFailure("outside WhatsApp's 24-hour window and the message has no template",
                              code=str(OUTSIDE_WINDOW), retryable=False)
        # The same row with the same request is the same message: a row sent again as its template is not.
        request = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:12]
        token = IDEMPOTENCY_TOKEN.set(f"{message.idempotency_key}-{request}")
        try:
            created = self.client.messages.create(**params)
        except (TwilioRestException, TwilioServiceException) as error:
            raise failure_from(error) from error
        except requests.RequestException as error:  # no answer: Twilio may not have it, try again later
            raise SendFailure(f"{type(error).__name__}: {error}", code="network", retryable=True) from error
        finally:
            IDEMPOTENCY_TOKEN.reset(token)
        return str(created.sid) if created.sid else None


def inside_window(last_inbound_at: datetime | None, now: datetime) -> bool:
    """Whether free text may still be sent: the member wrote within the last 24 hours."""
    if last_inbound_at is None:
        return False
    if last_inbound_at.tzinfo is None:
        last_inbound_at = last_inbound_at.replace(tzinfo=UTC)
    return now - last_inbound_at < SESSION_WINDOW


def render_body(body: str, choices: Sequence[tuple[str, str]]) -> str:
    """The text, then the choices numbered from 1 (the core reads a typed "2" as the second choice)."""
    text = body.strip()
    if choices:
        lines = [f"{number}. {label}" for number, (_key, label) in enumerate(choices, start=1)]
        text = text + "\n\n" + "\n".join(lines)
    return text if len(text) <= MAX_BODY else text[: MAX_BODY - 1] + "…"


def failure_from(error: TwilioRestException | TwilioServiceException) -> SendFailure:
    """Twilio's refusal, as the sender understands it (retry later, or give up)."""
    status = int(error.status or 0)
    code = int(error.code) if error.code is not None else status
    detail = getattr(error, "msg", None) or getattr(error, "detail", None) or getattr(error, "title", "")
    text = f"HTTP {status}, Twilio error {code}: {detail}"
    if code == TOO_MANY_REQUESTS or status == 429:
        return SendFailure(text, code=str(code), retryable=True)
    if code == OPTED_OUT or code in NOT_A_NUMBER:  # this address will never take a message: stop reminding it
        return SendFailure(text, code=str(code), retryable=False, opted_out=True)
    if code == OUTSIDE_WINDOW:
        return SendFailure(text, code=str(code), retryable=False)
    if status >= 500:
        return SendFailure(text, code=str(code), retryable=True)
    return SendFailure(text, code=str(code), retryable=False)


def with_prefix(address: str) -> str:
    """The address as Twilio wants it for WhatsApp: "whatsapp:+62..."."""
    address = address.strip()
    return address if address.startswith(PREFIX) else PREFIX + address


def parse_inbound(form: Mapping[str, str], now: datetime) -> Incoming | None:
    """Twilio's inbound message form. None when it lacks what every real one has (From, MessageSid)."""
    form = {key: printable(str(value)) for key, value in form.items()}
    sender = (form.get("From") or "").strip()
    sid = (form.get("MessageSid") or form.get("SmsMessageSid") or "").strip()
    if not sender or not sid or len(sender) > 64 or len(sid) > 64:
        return None
    phone = sender[len(PREFIX):] if sender.startswith(PREFIX) else sender
    text = form.get("Body") or ""
    choice = (form.get("ButtonPayload") or form.get("ListId") or "").strip() or None
    if choice is None and form.get("MessageType") == "button":  # a template's quick reply without payload
        choice = (form.get("ButtonText") or "").strip() or None
    return Incoming(
        channel="whatsapp",
        address=sender,
        provider_id=sid,
        received_at=now,
        text=text[:5000],
        choice=choice[:64] if choice else None,
        location=_location(form),
        media=_media(form),
        sender_name=(form.get("ProfileName") or "").strip()[:120] or None,
        sender_phone=phone if phone.startswith("+") and phone[1:].isdigit() else None,
    )


def _location(form: Mapping[str, str]) -> tuple[float, float] | None:
    try:
        latitude, longitude = float(form["Latitude"]), float(form["Longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    if -90 <= latitude <= 90 and -180 <= longitude <= 180:
        return (latitude, longitude)
    return None


def _media(form: Mapping[str, str]) -> str | None:
    try:
        count = int(form.get("NumMedia") or 0)
    except ValueError:
        return None
    if count <= 0:
        return None
    content_type = (form.get("MediaContentType0") or "").lower()
    return next((kind for prefix, kind in MEDIA_KINDS if content_type.startswith(prefix)), "other")



def signature_valid(url: str, form: Mapping[str, Any], signature: str | None, auth_token: str) -> bool:
    """X-Twilio-Signature over the URL Twilio called and the form it posted (Twilio's own validator)."""
    if not signature or not auth_token:
        return False
    try:
        return bool(RequestValidator(auth_token).validate(url, form, signature))
    except Exception:  # a form the validator cannot read is not one Twilio signed
        return False
