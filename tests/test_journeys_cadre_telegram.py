"""Cadre journeys over Telegram: a cadre shares their own contact, reports with buttons and a location, and
receives their families' notices once linked (Bot API updates in, calls read at the fake Bot API)."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from sqlalchemy import select

from bot.settings import Settings
from models import Visit
from tests.cadres import arrange_cadres
from tests.fakes import TELEGRAM_SECRET, FakeTelegramAPI, with_telegram
from tests.journeys import verify
from tests.transcript import Person

pytest_plugins = ["tests.fakes.fixtures"]

SRI = {"id": 6660001, "is_bot": False, "first_name": "Sri", "language_code": "id"}
CHAT = {"id": 6660001, "first_name": "Sri", "type": "private"}
_updates = itertools.count(800000001)


@pytest.fixture
def settings(settings: Settings, telegram_api: FakeTelegramAPI) -> Settings:
    return with_telegram(settings, telegram_api)


@pytest.fixture
def branch(db):  # type: ignore[no-untyped-def]
    return arrange_cadres(db)


def post(client, telegram_api: FakeTelegramAPI, update: dict[str, Any]) -> list[Any]:  # type: ignore[no-untyped-def]
    before = len(telegram_api.sent())
    response = client.post("/webhooks/telegram", data=json.dumps(update), content_type="application/json",
                           headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})
    assert response.status_code == 200
    return telegram_api.sent()[before:]


def sends(client, telegram_api: FakeTelegramAPI, **content: Any) -> list[Any]:  # type: ignore[no-untyped-def]
    update_id = next(_updates)
    return post(client, telegram_api, {"update_id": update_id, "message": {
        "message_id": update_id % 10000, "from": SRI, "chat": CHAT, "date": 1748829600, **content}})


def presses(client, telegram_api: FakeTelegramAPI, data: str) -> list[Any]:  # type: ignore[no-untyped-def]
    update_id = next(_updates)
    return post(client, telegram_api, {"update_id": update_id, "callback_query": {
        "id": f"cb{update_id}", "from": SRI, "chat_instance": "-1", "data": data,
        "message": {"message_id": 1, "chat": CHAT, "date": 1748829500, "text": "..."}}})


def link_sri(client, telegram_api: FakeTelegramAPI) -> list[Any]:  # type: ignore[no-untyped-def]
    sends(client, telegram_api, text="SIAPA")
    return sends(client, telegram_api, contact={"phone_number": "6281234500001", "first_name": "Sri",
                                                "user_id": SRI["id"]})


def test_a_cadre_shares_their_contact_and_reports_with_buttons_and_a_location(client, telegram_api, branch, db):
    recognised = link_sri(client, telegram_api)
    assert "kader KDR-SKA-01 (Sri Wahyuni)" in recognised[0]["text"]
    assert ("Lapor kunjungan", "LAPOR") in recognised[-1].buttons
    [households] = presses(client, telegram_api, "LAPOR")
    budi = next(data for label, data in households.buttons if label.startswith("Bu••"))
    [results] = presses(client, telegram_api, budi)
    assert ("Bayar / setor", "BAYAR") in results.buttons and len(results.buttons) == 8
    [amount] = presses(client, telegram_api, "BAYAR")
    assert ("Tanpa jumlah", "TANPA") in amount.buttons
    [note] = sends(client, telegram_api, text="150rb")
    assert ("Simpan", "SIMPAN") in note.buttons
    [located] = sends(client, telegram_api, location={"latitude": -7.566035, "longitude": 110.826172})
    assert "Lokasi diterima" in located["text"]
    [echo] = presses(client, telegram_api, "SIMPAN")
    assert "✅ L-000001: KK 3372********0001 (Bu•• Sa•••••), BAYAR Rp150.000" in echo["text"]
    visit = db.scalars(select(Visit)).one()
    assert (visit.via, visit.amount, visit.latitude) == ("guided", 150_000, -7.566035)
    assert len(telegram_api.calls_to("answerCallbackQuery")) == 4


def test_notices_reach_a_cadre_linked_on_telegram(client, runtime, telegram_api, branch):
    link_sri(client, telegram_api)
    member = Person(runtime, address="web-budi", phone="+6281311112222")
    verify(member)
    member.send("KELUHAN kartu anak saya belum aktif")
    runtime.sender.run_once()
    notice = telegram_api.sent()[-1]
    assert notice["chat_id"] in (CHAT["id"], str(CHAT["id"])) and "K-000001" in notice["text"]


def test_tugas_and_rekap_on_telegram(client, telegram_api, branch):
    link_sri(client, telegram_api)
    [tasks] = sends(client, telegram_api, text="tugas")
    assert tasks["text"].startswith("Tugas Senin, 2 Juni 2025 (3 rumah):")
    assert ("Lapor kunjungan", "LAPOR") in tasks.buttons
    [progress] = presses(client, telegram_api, "REKAP")
    assert "Hari ini: 0 dari 5 rumah" in progress["text"]
