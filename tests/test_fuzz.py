"""Property-based: whatever a person types, at whatever step of a conversation, on any channel, the service
answers (never a 5xx, always a reply) and never shows another family's data; odd provider payloads get a
4xx at worst. Hypothesis picks the text; examples are limited so the whole module runs in seconds.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from bot.settings import Settings
from models import Family, Member
from rules.identifiers import mask_identifier
from tests.fakes import TELEGRAM_SECRET, FakeTelegramAPI, FakeTwilioAPI, with_telegram, with_whatsapp
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, SANDBOX_FROM
from tests.journeys import BUDI_CARD, CADRE_PHONE, arrange_branch

pytest_plugins = ["tests.fakes.fixtures"]

PUBLIC = "https://kaderbot.example.id"
# Conversations cost a request per step (Telegram's a Bot API round trip too); payloads one request each.
CONVERSATIONS = examples(max_examples=20, deadline=None, derandomize=True, database=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
PAYLOADS = examples(CONVERSATIONS, max_examples=60)

# Steps of a member's conversation, each reached by typing these first (a fresh chat per example).
VERIFIED = ["CEK", BUDI_CARD, "17-08-1985", "YA"]
MEMBER_STEPS = {
    "fresh": [],
    "asked for the card": ["CEK"],
    "asked for the birth date": ["CEK", BUDI_CARD],
    "asked for consent": ["CEK", BUDI_CARD, "17-08-1985"],
    "verified": VERIFIED,
    "choosing a REHAB option": [*VERIFIED, "REHAB"],
    "asked for a promise date": [*VERIFIED, "JANJI"],
    "asked for a complaint": [*VERIFIED, "KELUHAN"],
    "in English": [*VERIFIED, "BAHASA EN"],
}
CADRE_STEPS = {"cadre": [], "cadre reporting": ["LAPOR"], "cadre reporting a household": ["LAPOR", BUDI_CARD]}

# Maria's family lives in Jayapura with arrears; no chat in these tests is hers or her cadre's.
OTHER_CARD, OTHER_FAMILY, OTHER_NAME = "0009990000011", "9171010101250009", "Kogoya"
OTHERS = (OTHER_NAME, OTHER_CARD, OTHER_FAMILY, mask_identifier(OTHER_CARD), mask_identifier(OTHER_FAMILY))

_ids = itertools.count(1)

WORDS = st.sampled_from(["MENU", "CEK", "YA", "TIDAK", "1", "2", "99", "0", "BATAL", "REHAB", "BAYAR", "JANJI 31/2",
                         "STOP", "MULAI", "HAPUS", "TIKET", "CEK KADER KDR-SKA-01", "BAHASA XX", "LAPOR",
                         f"LAPOR {BUDI_CARD} BAYAR 1,5jt", f"LAPOR {OTHER_CARD} BAYAR 150rb", OTHER_CARD,
                         OTHER_FAMILY, "31-02-1985", "17-08-1985", "00-00-0000", "/start", "JAWAB K-000001 halo"])
EMOJI = st.text(st.sampled_from("🙂😀👍🏽👨‍👩‍👧‍👦🇮🇩❤️\u200d\u202e\ufeff"), min_size=1, max_size=40)
HUGE = st.builds(lambda ch, n: ch * n, st.characters(codec="utf-8", exclude_characters="\r"),
                 st.integers(1500, 6000))
TEXT = st.one_of(st.just(""), WORDS, EMOJI, HUGE, st.text(st.characters(codec="utf-8"), max_size=200),
                 st.builds(lambda a, b: f"{a} {b}", WORDS, st.text(max_size=30)))
# JSON carries what a form cannot: NUL, and lone surrogates, which only the web chat and Telegram can send.
ANY_TEXT = st.one_of(TEXT, st.text(st.characters(codec=None, categories=None), max_size=100))


@pytest.fixture
def settings(settings: Settings, telegram_api: FakeTelegramAPI, twilio_api: FakeTwilioAPI) -> Settings:
    return replace(with_whatsapp(with_telegram(settings, telegram_api), twilio_api), public_base_url=PUBLIC)


@pytest.fixture
def branch(db, runtime):  # type: ignore[no-untyped-def]
    arrange_branch(db)
    family = Family(number=OTHER_FAMILY, region_code="9171")
    db.add(family)
    db.flush()
    db.add(Member(card_number=OTHER_CARD, nik="9171014506800001", name="Maria Kogoya", birth_date=date(1980, 6, 5),
                  family_id=family.id, relation="head", segment="PBPU", class_=3, phone="+6281399990000",
                  region_code="9171", paid_through=date(2024, 1, 1)))
    db.commit()
    return runtime


def fresh_moment(runtime) -> None:  # type: ignore[no-untyped-def]
    """Each example two hours later: wrong birth dates typed by earlier examples no longer lock the card."""
    runtime.clock.frozen += timedelta(hours=2)


def assert_private(replies: list[str]) -> None:
    assert replies, "no reply"
    for reply in replies:
        for secret in OTHERS:
            assert secret not in reply, f"another family's data ({secret}) in: {reply[:300]}"


# --- the three channels, as a person uses each -----------------------------------------------------------------


def web(client, slot: str, text: str, phone: str | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.post("/chat/messages", json={"text": text, "slot": slot, "phone": phone})
    assert response.status_code < 500, response.status_code
    assert response.status_code == 200, response.get_data(as_text=True)
    return [message["text"] for message in response.get_json()["messages"]]


def whatsapp(client, twilio_api: FakeTwilioAPI, phone: str, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    sid = f"SM{next(_ids):032x}"
    form = {"MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": f"whatsapp:{phone}", "To": SANDBOX_FROM,
            "Body": text, "NumMedia": "0", "ProfileName": "Budi"}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC + "/webhooks/whatsapp", form)
    before = len(twilio_api.messages)
    response = client.post("/webhooks/whatsapp", data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200, response.status_code
    return [m.body for m in twilio_api.messages[before:] if m.to == f"whatsapp:{phone}"]


def telegram(client, telegram_api: FakeTelegramAPI, chat_id: int, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    update = {"update_id": next(_ids), "message": {
        "message_id": next(_ids), "date": 1748829600, "text": text, "chat": {"id": chat_id, "type": "private"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Budi"}}}
    before = len(telegram_api.sent())
    response = client.post("/webhooks/telegram", data=json.dumps(update), content_type="application/json",
                           headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})
    assert response.status_code == 200, response.status_code
    return [call["text"] for call in telegram_api.sent()[before:] if int(call["chat_id"]) == chat_id]


# --- properties ---------------------------------------------------------------------------------------------------


@CONVERSATIONS
@given(step=st.sampled_from(sorted({**MEMBER_STEPS, **CADRE_STEPS})), text=ANY_TEXT)
def test_the_web_chat_answers_anything_at_any_step(branch, client, step, text):
    fresh_moment(branch)
    slot, phone = f"s{next(_ids)}", CADRE_PHONE if step in CADRE_STEPS else None
    for typed in {**MEMBER_STEPS, **CADRE_STEPS}[step]:
        web(client, slot, typed, phone)
    assert_private(web(client, slot, text, phone))


@CONVERSATIONS
@given(step=st.sampled_from(sorted(MEMBER_STEPS)), text=TEXT)
def test_whatsapp_answers_anything_at_any_step(branch, client, twilio_api, step, text):
    fresh_moment(branch)
    phone = f"+62813{next(_ids):07d}"
    for typed in MEMBER_STEPS[step]:
        whatsapp(client, twilio_api, phone, typed)
    assert_private(whatsapp(client, twilio_api, phone, text))


@CONVERSATIONS
@given(step=st.sampled_from(sorted(MEMBER_STEPS)), text=ANY_TEXT.filter(lambda t: t.strip() != ""))
def test_telegram_answers_anything_at_any_step(branch, client, telegram_api, step, text):
    """Telegram never delivers an empty text message, so that one case is left to the other channels."""
    fresh_moment(branch)
    chat_id = 500_000 + next(_ids)
    for typed in MEMBER_STEPS[step]:
        telegram(client, telegram_api, chat_id, typed)
    assert_private(telegram(client, telegram_api, chat_id, text))


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                                max_size=4), max_leaves=12)
UPDATE_FIELDS = st.fixed_dictionaries({}, optional={
    "update_id": st.one_of(st.integers(-2**70, 2**70), JSON),
    "message": st.one_of(JSON, st.fixed_dictionaries({}, optional={
        "message_id": JSON, "date": JSON, "text": JSON, "chat": st.one_of(JSON, st.fixed_dictionaries(
            {"id": st.one_of(st.integers(-2**70, 2**70), JSON)}, optional={"type": JSON})),
        "from": JSON, "contact": JSON, "location": JSON, "photo": JSON, "reply_to_message": JSON})),
    "callback_query": JSON, "edited_message": JSON, "my_chat_member": JSON})


@PAYLOADS
@given(payload=st.one_of(UPDATE_FIELDS, JSON))
def test_odd_telegram_payloads_are_never_a_server_error(branch, client, payload):
    response = client.post("/webhooks/telegram", data=json.dumps(payload), content_type="application/json",
                           headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})
    assert response.status_code < 500


FORM_VALUE = st.one_of(st.text(st.characters(codec="utf-8"), max_size=60), WORDS, st.sampled_from(
    ["whatsapp:+6281311112222", "whatsapp:", "+62", "whatsapp:+62813111122229999999", "-1", "1e9", "image"]))
TWILIO_FORM = st.dictionaries(st.sampled_from(["MessageSid", "From", "To", "Body", "NumMedia", "MediaUrl0",
                                               "MediaContentType0", "MessageType", "Latitude", "Longitude",
                                               "ButtonText", "ButtonPayload", "ProfileName", "WaId",
                                               "MessageStatus", "ErrorCode"]), FORM_VALUE, max_size=10)


@PAYLOADS
@given(form=TWILIO_FORM, path=st.sampled_from(["/webhooks/whatsapp", "/webhooks/whatsapp/status"]))
def test_odd_twilio_forms_are_never_a_server_error(branch, client, form, path):
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC + path, form)
    response = client.post(path, data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code < 500


@PAYLOADS
@given(payload=st.one_of(JSON, st.dictionaries(st.sampled_from(
    ["text", "choice", "id", "phone", "name", "slot", "after"]), JSON, max_size=6)))
def test_odd_web_chat_bodies_are_never_a_server_error(branch, client, payload):
    assert client.post("/chat/messages", data=json.dumps(payload), content_type="application/json").status_code < 500
