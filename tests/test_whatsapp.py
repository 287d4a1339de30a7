"""WhatsApp end to end: Twilio's webhook forms in (signed), replies out through the real twilio client to a fake
Twilio REST API on loopback. Forms carry the parameters Twilio documents for WhatsApp inbound messages and
status callbacks (https://www.twilio.com/docs/messaging/guides/webhook-request,
https://www.twilio.com/docs/whatsapp/api)."""

from __future__ import annotations

import random
import re
import string
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from app import build_runtime, create_app
from bot import outbox
from bot.channels.whatsapp import parse_inbound, render_body, signature_valid
from bot.messages import Outgoing
from bot.settings import Settings
from handlers.texts import text
from models import Chat, InboundMessage, OutboxMessage
from tests.fakes import FakeTwilioAPI, with_whatsapp
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, SANDBOX_FROM

pytest_plugins = ["tests.fakes.fixtures"]

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


TEXT = inbound("SM1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d", "Halo")
IMAGE = inbound("MM2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e", "", NumMedia="1", MessageType="image",
                MediaContentType0="image/jpeg",
                MediaUrl0=f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/MM2b/Media/ME1")
STICKER = inbound("MM3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f", "", NumMedia="1", MessageType="sticker",
                  MediaContentType0="image/webp",
                  MediaUrl0=f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/MM3c/Media/ME2")
VOICE = inbound("MM4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a", "", NumMedia="1", MessageType="audio",
                MediaContentType0="audio/ogg",
                MediaUrl0=f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/MM4d/Media/ME3")
LOCATION = inbound("SM5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b", "", MessageType="location", Latitude="-7.566035",
                   Longitude="110.826172", Address="Jl. Slamet Riyadi, Surakarta", Label="Rumah")
BUTTON = inbound("SM6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c", "Bantuan", MessageType="button", ButtonText="Bantuan",
                 ButtonPayload="BANTUAN", OriginalRepliedMessageSid="SM0000000000000000000000000000000a")

PARSE_CASES: list[tuple[str, dict[str, str], dict[str, Any] | None]] = [
    ("text", TEXT, {"kind": "text", "text": "Halo", "address": f"whatsapp:{PHONE}", "sender_phone": PHONE,
                    "sender_name": "Siti Rahayu", "provider_id": "SM1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d"}),
    ("image", IMAGE, {"kind": "photo", "media": "photo", "text": ""}),
    ("sticker", STICKER, {"kind": "sticker"}),
    ("voice note", VOICE, {"kind": "voice"}),
    ("location", LOCATION, {"kind": "location", "location": (-7.566035, 110.826172)}),
    ("quick reply button", BUTTON, {"kind": "choice", "choice": "BANTUAN", "text": "Bantuan"}),
    ("list reply", inbound("SM7", "Cara bayar", MessageType="interactive", ListId="BAYAR", ListTitle="Cara bayar"),
     {"kind": "choice", "choice": "BAYAR"}),
    ("a document", inbound("MM8", "", NumMedia="1", MediaContentType0="application/pdf"), {"kind": "document"}),
    ("no MessageSid", {k: v for k, v in TEXT.items() if k not in ("MessageSid", "SmsMessageSid")}, None),
    ("no From", {k: v for k, v in TEXT.items() if k != "From"}, None),
]


@pytest.fixture
def settings(settings: Settings, twilio_api: FakeTwilioAPI) -> Settings:
    return replace(with_whatsapp(settings, twilio_api), public_base_url=PUBLIC)


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


def numbered(body: str) -> dict[str, int]:
    """'3. Cara bayar' lines of a WhatsApp menu: label -> number."""
    return {label: int(number) for number, label in re.findall(r"^(\d+)\. (.+)$", body, re.MULTILINE)}


# --- parsing and signatures ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("label", "form", "expected"), PARSE_CASES, ids=[case[0] for case in PARSE_CASES])
def test_forms_become_what_the_person_said(now, label, form, expected):
    incoming = parse_inbound(form, now)
    if expected is None:
        assert incoming is None
        return
    assert incoming is not None
    assert (incoming.channel, incoming.received_at) == ("whatsapp", now)
    for attribute, value in expected.items():
        assert getattr(incoming, attribute) == value, attribute


def test_signatures_are_checked_with_twilios_own_algorithm():
    url = PUBLIC + "/webhooks/whatsapp"
    good = sign(url, TEXT)
    assert signature_valid(url, TEXT, good, AUTH_TOKEN)
    assert not signature_valid(url, {**TEXT, "Body": "Halo!"}, good, AUTH_TOKEN)
    assert not signature_valid("http://localhost/webhooks/whatsapp", TEXT, good, AUTH_TOKEN)
    assert not signature_valid(url, TEXT, good, "another-token")
    assert not signature_valid(url, TEXT, "", AUTH_TOKEN)
    assert not signature_valid(url, TEXT, None, AUTH_TOKEN)


def test_choices_are_a_numbered_list_after_the_text():
    assert render_body("Pilih:", [["CEK", "Cek tunggakan keluarga"], ["BAYAR", "Cara bayar"]]) == (
        "Pilih:\n\n1. Cek tunggakan keluarga\n2. Cara bayar")
    assert len(render_body("x" * 3000, [])) == 1600


# --- the webhook, end to end ---------------------------------------------------------------------------------


def test_menu_is_answered_through_the_rest_api_with_a_numbered_list(client, runtime, twilio_api):
    response = say(client, "MENU", sid="SM11111111111111111111111111111111")

    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    assert response.get_data(as_text=True).endswith("<Response/>")  # nothing in TwiML: the API replies
    sent = twilio_api.last()
    assert sent.get("From") == SANDBOX_FROM
    assert sent.to == f"whatsapp:{PHONE}"
    assert sent.get("StatusCallback") == PUBLIC + "/webhooks/whatsapp/status"
    assert sent.body.startswith(text("menu", name=" Siti"))
    assert "\n\n1. " + text("menu.cek") + "\n2. " + text("menu.rehab") in sent.body
    assert sent.get("ContentSid") is None
    [row] = stored(runtime, OutboxMessage)
    assert (row.status, row.provider_id) == ("sent", sent.sid)
    [chat] = stored(runtime, Chat)
    assert (chat.phone, chat.display_name) == (PHONE, "Siti Rahayu")


@pytest.mark.parametrize(("form", "expected"), [
    (inbound("SM21", "bantuan"), lambda: text("help")),
    (BUTTON, lambda: text("help")),
    (STICKER, lambda: text("unreadable")),
    (IMAGE, lambda: text("unreadable")),
], ids=["BANTUAN", "button", "sticker", "image"])
def test_the_reply_reaches_the_person(client, twilio_api, form, expected):
    assert post(client, form).status_code == 200
    assert twilio_api.bodies() == [expected()]


def test_replying_with_a_number_picks_that_line_of_the_menu(client, twilio_api):
    say(client, "MENU")
    number = numbered(twilio_api.last().body)[text("menu.bantuan")]

    say(client, str(number))

    assert twilio_api.last().body == text("help")


def test_replying_2_is_the_same_as_choosing_the_second_line(client, runtime, twilio_api):
    """Two people see the menu; one types "2", the other taps what the second line stands for."""
    say(client, "MENU", From="whatsapp:+6281111111111")
    say(client, "MENU", From="whatsapp:+6282222222222")
    [menu_row, _] = stored(runtime, OutboxMessage)
    second_key = menu_row.choices[1][0]

    say(client, "2", From="whatsapp:+6281111111111")
    typed = twilio_api.last().body
    say(client, "", From="whatsapp:+6282222222222", MessageType="button", ButtonPayload=second_key,
        ButtonText=menu_row.choices[1][1])
    tapped = twilio_api.last().body

    assert typed == tapped
    assert typed != text("unknown", text="2")


def test_the_same_message_sid_twice_is_handled_once(client, runtime, twilio_api):
    form = inbound("SM31313131313131313131313131313131", "MENU")
    assert post(client, form).status_code == 200
    assert post(client, form).status_code == 200  # Twilio's retry, same I-Twilio-Idempotency-Token

    assert len(stored(runtime, InboundMessage)) == 1
    assert len(twilio_api.messages) == 1


@pytest.mark.parametrize(("signature", "status"), [("sign", 200), (None, 403), ("", 403),
                                                   ("bm90IHRoZSBzaWduYXR1cmU=", 403)],
                         ids=["right", "missing", "empty", "wrong"])
def test_the_signature_must_match(client, runtime, twilio_api, signature, status):
    assert post(client, TEXT, signature=signature).status_code == status
    if status == 403:
        assert stored(runtime, InboundMessage) == []
        assert stored(runtime, Chat) == []
        assert twilio_api.messages == []


def test_the_signature_is_over_the_public_url_not_the_one_flask_sees(client, runtime):
    local = sign("http://localhost/webhooks/whatsapp", TEXT)
    assert post(client, TEXT, signature=local).status_code == 403
    assert post(client, TEXT).status_code == 200


def test_a_form_signed_with_another_token_is_refused(client, runtime):
    forged = sign(PUBLIC + "/webhooks/whatsapp", TEXT, token="not-our-token")
    assert post(client, TEXT, signature=forged).status_code == 403


def test_without_whatsapp_configured_the_webhooks_are_not_there(settings):
    rt = build_runtime(replace(settings, twilio_account_sid=None))
    try:
        client = create_app(runtime=rt).test_client()
        assert post(client, TEXT).status_code == 404
        assert post(client, status_callback("SM1", "delivered"), path="/webhooks/whatsapp/status").status_code == 404
    finally:
        rt.engine.dispose()


NOISE = "".join(random.Random(11).choices(string.printable + "éñ漢字🙂\x00", k=5000))


@pytest.mark.parametrize(("form", "signed", "status"), [
    ({}, True, 400),
    ({"Body": "MENU"}, True, 400),
    (inbound("SM41", NOISE), True, 200),
    (inbound("SM42", "MENU", From="whatsapp:+62" + "9" * 80), True, 400),
    (inbound("SM43", "", NumMedia="banyak", Latitude="utara", Longitude="NaN"), True, 200),
    ({"noise": NOISE}, False, 403),
    ({"noise": NOISE}, True, 400),
], ids=["empty form", "no sender", "5000 chars of noise", "absurd sender", "garbage fields", "unsigned noise",
        "signed noise"])
def test_nothing_anyone_posts_makes_a_server_error(client, runtime, form, signed, status):
    assert post(client, form, signature="sign" if signed else None).status_code == status


def test_a_raw_body_that_is_not_a_form_is_refused(client):
    response = client.post("/webhooks/whatsapp", data=b"\x00\xff" * 2500, content_type="application/octet-stream",
                           headers={"X-Twilio-Signature": "x"})
    assert response.status_code == 403


# --- status callbacks ----------------------------------------------------------------------------------------


def test_status_callbacks_move_the_row_forward_never_back(client, runtime, twilio_api):
    say(client, "MENU")
    sid = twilio_api.last().sid

    for status, expected in [("sent", "sent"), ("delivered", "delivered"), ("sent", "delivered"),
                             ("read", "read")]:
        response = post(client, status_callback(sid, status), path="/webhooks/whatsapp/status")
        assert response.status_code == 200
        [row] = stored(runtime, OutboxMessage)
        assert row.status == expected


def test_a_status_callback_must_be_signed_over_its_own_url(client, runtime, twilio_api):
    say(client, "MENU")
    form = status_callback(twilio_api.last().sid, "delivered")
    wrong = sign(PUBLIC + "/webhooks/whatsapp", form)
    assert post(client, form, path="/webhooks/whatsapp/status", signature=wrong).status_code == 403
    assert post(client, form, path="/webhooks/whatsapp/status", signature=None).status_code == 403
    [row] = stored(runtime, OutboxMessage)
    assert row.status == "sent"


def test_a_status_for_a_message_we_do_not_know_is_acknowledged(client):
    form = status_callback("SM" + "f" * 32, "delivered")
    assert post(client, form, path="/webhooks/whatsapp/status").status_code == 200
    assert post(client, {"MessageSid": "SM1"}, path="/webhooks/whatsapp/status").status_code == 400


def test_63016_in_a_status_callback_closes_the_window(client, runtime, twilio_api):
    say(client, "MENU")
    form = status_callback(twilio_api.last().sid, "undelivered", "63016")

    assert post(client, form, path="/webhooks/whatsapp/status").status_code == 200

    [row] = stored(runtime, OutboxMessage)
    assert (row.status, row.error_code) == ("undelivered", "63016")
    [chat] = stored(runtime, Chat)
    assert chat.last_inbound_at is None  # the next message goes as a template


def test_a_reminder_refused_for_the_window_goes_again_as_its_template(client, runtime, twilio_api, now):
    say(client, "HALO")
    row_id = queue_reminder(runtime, now, template_sid="HX0123456789abcdef0123456789abcdef")
    runtime.sender.run_once()
    assert twilio_api.last().body == "Iuran JKN keluarga Anda belum dibayar."  # inside the window: free text

    post(client, status_callback(twilio_api.last().sid, "failed", "63016"), path="/webhooks/whatsapp/status")
    runtime.sender.run_once()

    resent = twilio_api.last()
    assert resent.get("ContentSid") == "HX0123456789abcdef0123456789abcdef"
    assert resent.get("Body") is None
    row = next(r for r in stored(runtime, OutboxMessage) if r.id == row_id)
    assert (row.status, row.provider_id) == ("sent", resent.sid)


def test_21610_in_a_status_callback_stops_reminders(client, runtime, twilio_api, now):
    say(client, "MENU")
    post(client, status_callback(twilio_api.last().sid, "failed", "21610"), path="/webhooks/whatsapp/status")
    [chat] = stored(runtime, Chat)
    assert chat.reminders_stopped_at == now


# --- sending: the 24-hour window and Twilio's refusals ----------------------------------------------------------


def queue_reminder(runtime, now, template_sid=None, last_inbound=None):  # type: ignore[no-untyped-def]
    """A reminder in the outbox for Siti's chat (created if she never wrote)."""
    with runtime.sessions.begin() as session:
        chat = session.execute(select(Chat).where(Chat.address == f"whatsapp:{PHONE}")).scalar_one_or_none()
        if chat is None:
            chat = Chat(channel="whatsapp", address=f"whatsapp:{PHONE}", phone=PHONE, language="id",
                        state_data={}, created_at=now - timedelta(days=30), last_inbound_at=last_inbound)
            session.add(chat)
            session.flush()
        row = outbox.queue(session, channel="whatsapp", address=chat.address,
                           message=Outgoing("Iuran JKN keluarga Anda belum dibayar."), now=now, chat_id=chat.id,
                           kind="reminder", template_sid=template_sid,
                           template_variables={"1": "Siti", "2": "Rp105.000"} if template_sid else None)
        session.flush()
        return row.id


def test_outside_the_window_a_reminder_goes_as_its_template(runtime, twilio_api, now):
    queue_reminder(runtime, now, template_sid="HXb5b62575e6e4ff6129ad7c8efe1f983e",
                   last_inbound=now - timedelta(days=2))

    assert runtime.sender.run_once() == 1

    sent = twilio_api.last()
    assert sent.get("ContentSid") == "HXb5b62575e6e4ff6129ad7c8efe1f983e"
    assert sent.content_variables == {"1": "Siti", "2": "Rp105.000"}
    assert sent.get("Body") is None
    assert sent.get("StatusCallback") == PUBLIC + "/webhooks/whatsapp/status"


@pytest.mark.parametrize("last_inbound", [None, timedelta(hours=24, seconds=1)], ids=["never wrote", "25 h ago"])
def test_outside_the_window_without_a_template_nothing_is_sent(runtime, twilio_api, now, last_inbound):
    queue_reminder(runtime, now, last_inbound=now - last_inbound if last_inbound else None)

    runtime.sender.run_once()

    assert twilio_api.messages == []
    [row] = stored(runtime, OutboxMessage)
    assert (row.status, row.error_code) == ("dead", "63016")


def test_inside_the_window_a_reminder_is_plain_text(runtime, twilio_api, now):
    queue_reminder(runtime, now, template_sid="HX1", last_inbound=now - timedelta(hours=23, minutes=59))
    runtime.sender.run_once()
    assert twilio_api.last().body == "Iuran JKN keluarga Anda belum dibayar."
    assert twilio_api.last().get("ContentSid") is None


def test_twilio_rate_limit_is_retried_later(client, runtime, twilio_api, now):
    twilio_api.fail_next(20429)

    say(client, "MENU")

    [row] = stored(runtime, OutboxMessage)
    assert (row.status, row.error_code) == ("failed", "20429")
    assert twilio_api.messages == []

    runtime.clock.frozen = row.next_attempt_at
    assert runtime.sender.run_once() == 1
    [row] = stored(runtime, OutboxMessage)
    assert row.status == "sent"
    assert twilio_api.last().body.startswith(text("menu", name=" Siti"))


@pytest.mark.parametrize(("code", "status", "error_code", "stopped"), [
    (21610, "dead", "21610", True),
    (63016, "dead", "63016", False),
    (20500, "failed", "20500", False),
    (21211, "dead", "21211", True),  # an invalid number ends that address's reminders (issue 11)
], ids=["opted out", "outside window", "server error", "invalid number"])
def test_refusals_from_create(client, runtime, twilio_api, code, status, error_code, stopped):
    twilio_api.fail_next(code)

    say(client, "MENU")

    [row] = stored(runtime, OutboxMessage)
    assert (row.status, row.error_code) == (status, error_code)
    [chat] = stored(runtime, Chat)
    assert (chat.reminders_stopped_at is not None) == stopped


def test_a_wrong_auth_token_is_not_retried(settings, now):
    rt = build_runtime(replace(settings, twilio_auth_token="wrong-token"))
    try:
        queue_reminder(rt, now, last_inbound=now - timedelta(hours=1))
        rt.sender.run_once()
        [row] = stored(rt, OutboxMessage)
        assert (row.status, row.error_code) == ("dead", "20003")
    finally:
        rt.engine.dispose()


def test_an_unreachable_api_leaves_the_row_for_a_later_try(settings, now):
    rt = build_runtime(replace(settings, twilio_api_url="http://127.0.0.1:9"))  # discard port: refused
    try:
        queue_reminder(rt, now, last_inbound=now - timedelta(hours=1))
        rt.sender.run_once()
        [row] = stored(rt, OutboxMessage)
        assert (row.status, row.error_code) == ("failed", "network")
    finally:
        rt.engine.dispose()
