"""WhatsApp in: Twilio's webhook forms (signed) become what the person said, and are answered through the real
twilio client to a fake Twilio REST API on loopback. The forms are tests/whatsapp_forms.py's."""

from __future__ import annotations

import random
import re
import string
from dataclasses import replace
from typing import Any

import pytest

from app import build_runtime, create_app
from bot.channels.whatsapp import parse_inbound, render_body, signature_valid
from bot.settings import Settings
from handlers.texts import text
from models import Chat, InboundMessage, OutboxMessage
from tests.fakes import FakeTwilioAPI, with_whatsapp
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, SANDBOX_FROM
from tests.whatsapp_forms import PHONE, PUBLIC, inbound, post, say, sign, status_callback, stored

pytest_plugins = ["tests.fakes.fixtures"]

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
