"""Member journeys over Telegram: Bot API updates in (with the secret header), replies and buttons read at the
fake Bot API."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from sqlalchemy import select

from bot.settings import Settings
from models import Consent
from tests.fakes import TELEGRAM_SECRET, FakeTelegramAPI, with_telegram
from tests.journeys import BUDI_CARD, BUDI_NIK, BUDI_PHONE, arrange_branch

pytest_plugins = ["tests.fakes.fixtures"]

BUDI = {"id": 5550001, "is_bot": False, "first_name": "Budi", "language_code": "id"}
CHAT = {"id": 5550001, "first_name": "Budi", "type": "private"}
_updates = itertools.count(900000001)


@pytest.fixture
def settings(settings: Settings, telegram_api: FakeTelegramAPI) -> Settings:
    return with_telegram(settings, telegram_api)


def post(client, telegram_api: FakeTelegramAPI, update: dict[str, Any]) -> list[Any]:  # type: ignore[no-untyped-def]
    before = len(telegram_api.sent())
    response = client.post("/webhooks/telegram", data=json.dumps(update), content_type="application/json",
                           headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})
    assert response.status_code == 200
    return telegram_api.sent()[before:]


def types(client, telegram_api: FakeTelegramAPI, text: str) -> list[Any]:  # type: ignore[no-untyped-def]
    update_id = next(_updates)
    return post(client, telegram_api, {"update_id": update_id, "message": {
        "message_id": update_id % 10000, "from": BUDI, "chat": CHAT, "date": 1748829600, "text": text}})


def shares_own_contact(client, telegram_api: FakeTelegramAPI, phone: str) -> list[Any]:  # type: ignore[no-untyped-def]
    update_id = next(_updates)
    contact = {"phone_number": phone.lstrip("+"), "first_name": "Budi", "user_id": BUDI["id"]}
    return post(client, telegram_api, {"update_id": update_id, "message": {
        "message_id": update_id % 10000, "from": BUDI, "chat": CHAT, "date": 1748829600, "contact": contact}})


def presses(client, telegram_api: FakeTelegramAPI, data: str) -> list[Any]:  # type: ignore[no-untyped-def]
    update_id = next(_updates)
    return post(client, telegram_api, {"update_id": update_id, "callback_query": {
        "id": f"cb{update_id}", "from": BUDI, "chat_instance": "-1", "data": data,
        "message": {"message_id": 1, "chat": CHAT, "date": 1748829500, "text": "..."}}})


def test_a_member_checks_arrears_on_telegram_with_buttons(client, db, telegram_api):
    arrange_branch(db)
    [ask] = types(client, telegram_api, "/start")
    assert ("Cek tunggakan keluarga", "CEK") in ask.buttons
    [ask_number] = presses(client, telegram_api, "CEK")
    assert "nomor kartu JKN" in ask_number["text"]
    # Telegram does not tell a bot the phone: the NIK is asked, or the phone on file shared with one button.
    [ask_second] = types(client, telegram_api, BUDI_CARD)
    assert "NIK" in ask_second["text"]
    assert ask_second["reply_markup"]["keyboard"][0][0]["request_contact"] is True
    [ask_birth] = shares_own_contact(client, telegram_api, BUDI_PHONE)
    assert "tanggal lahir" in ask_birth["text"]
    [consent] = types(client, telegram_api, "17 Agustus 1985")
    assert ("Ya, setuju", "YA") in consent.buttons
    replies = presses(client, telegram_api, "YA")
    answer = "\n".join(call["text"] for call in replies)
    assert "Total tunggakan: Rp1.050.000 (10 bulan)" in answer
    assert "TIDAK AKTIF sejak 1 September 2024" in answer
    assert ("Cicilan REHAB", "REHAB") in replies[-1].buttons
    assert len(telegram_api.calls_to("answerCallbackQuery")) >= 2  # every button press is answered
    assert db.execute(select(Consent.channel)).scalar_one() == "telegram"


def test_on_telegram_the_nik_is_the_second_factor_when_no_phone_is_shared(client, db, telegram_api):
    arrange_branch(db)
    types(client, telegram_api, "CEK")
    types(client, telegram_api, BUDI_CARD)
    [ask_birth] = types(client, telegram_api, BUDI_NIK)
    assert "tanggal lahir" in ask_birth["text"]
    types(client, telegram_api, "17-08-1985")
    replies = presses(client, telegram_api, "YA")
    assert "Total tunggakan: Rp1.050.000" in "\n".join(call["text"] for call in replies)


def test_a_shared_phone_that_is_not_on_file_is_no_second_factor(client, db, telegram_api):
    arrange_branch(db)
    types(client, telegram_api, "CEK")
    types(client, telegram_api, BUDI_CARD)
    again = "\n".join(call["text"] for call in shares_own_contact(client, telegram_api, "+6285700009999"))
    assert "tidak bisa dipakai" in again and "ketik juga NIK" in again


def test_english_on_telegram(client, db, telegram_api):
    arrange_branch(db)
    types(client, telegram_api, "BAHASA EN")
    [reply] = types(client, telegram_api, "BANTUAN")
    assert "Official BPJS Kesehatan channels" in reply["text"]
