"""Cadre journeys over WhatsApp: signed Twilio webhooks in, messages read at the fake Twilio REST API.

Notices reach a cadre by the phone in the cadres file even if the cadre never wrote to the bot; outside the
24-hour window they go as the approved template (ContentSid + ContentVariables), like reminders.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from bot.settings import Settings
from models import Cadre, Chat, Visit
from reminders.scheduler import cadre_mornings_once
from tests.cadres import BUDI_KK, BUDI_PHONE, SRI_PHONE, arrange_cadres
from tests.fakes import FakeTwilioAPI, with_whatsapp
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, SANDBOX_FROM
from tests.journeys import BUDI_CARD

pytest_plugins = ["tests.fakes.fixtures"]

PUBLIC = "https://kaderbot.example.id"
CADRE_TEMPLATE = "HX" + "c" * 32
RECEIPT_TEMPLATE = "HX" + "r" * 32
_sids = itertools.count(1)


@pytest.fixture
def settings(settings: Settings, twilio_api: FakeTwilioAPI) -> Settings:
    """WhatsApp on, with the two approved templates notices use outside the 24-hour window."""
    templates = {"cadre_notice": {"content_sid": CADRE_TEMPLATE, "variables": ["text"]},
                 "receipt": {"content_sid": RECEIPT_TEMPLATE, "variables": ["text"]}}
    (settings.instance_path / "whatsapp_templates.json").write_text(json.dumps(templates), encoding="utf-8")
    return replace(with_whatsapp(settings, twilio_api), public_base_url=PUBLIC)


@pytest.fixture
def branch(db):  # type: ignore[no-untyped-def]
    return arrange_cadres(db)


def whatsapp(client, twilio_api: FakeTwilioAPI, phone: str, body: str = "", **extra: str) -> str:  # type: ignore[no-untyped-def]
    """`phone` sends `body` on WhatsApp; returns the replies that arrive on that phone."""
    before = len(twilio_api.messages)
    sid = f"SM{next(_sids):032x}"
    form = {"MessageSid": sid, "SmsMessageSid": sid, "AccountSid": ACCOUNT_SID, "From": f"whatsapp:{phone}",
            "To": SANDBOX_FROM, "Body": body, "NumMedia": "0", "ProfileName": "Kader", "WaId": phone[1:],
            "ApiVersion": "2010-04-01", **extra}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC + "/webhooks/whatsapp", form)
    assert client.post("/webhooks/whatsapp", data=form, headers={"X-Twilio-Signature": signature}).status_code == 200
    return "\n".join(m.body for m in twilio_api.messages[before:] if m.to == f"whatsapp:{phone}")


def delivered_to(twilio_api: FakeTwilioAPI, phone: str) -> list:  # type: ignore[type-arg]
    return [m for m in twilio_api.messages if m.to == f"whatsapp:{phone}"]


def test_a_complaint_reaches_a_cadre_who_never_wrote_to_the_bot(client, runtime, twilio_api, branch):
    whatsapp(client, twilio_api, BUDI_PHONE, "KELUHAN")
    whatsapp(client, twilio_api, BUDI_PHONE, BUDI_CARD)
    whatsapp(client, twilio_api, BUDI_PHONE, "17-08-1985")
    whatsapp(client, twilio_api, BUDI_PHONE, "YA")
    assert "K-000001" in whatsapp(client, twilio_api, BUDI_PHONE, "kartu anak saya belum aktif")
    runtime.sender.run_once()
    [notice] = delivered_to(twilio_api, SRI_PHONE)
    assert notice.get("ContentSid") == CADRE_TEMPLATE and "Body" not in notice.params
    variable = notice.content_variables["1"]
    assert "K-000001" in variable and "kartu anak saya belum aktif" in variable and "\n" not in variable


def test_inside_the_window_a_cadre_gets_the_notice_as_text(client, runtime, twilio_api, branch):
    whatsapp(client, twilio_api, SRI_PHONE, "HALO")
    whatsapp(client, twilio_api, BUDI_PHONE, "KELUHAN tolong datang")
    for answer in (BUDI_CARD, "17-08-1985", "YA"):
        whatsapp(client, twilio_api, BUDI_PHONE, answer)
    runtime.sender.run_once()
    notice = delivered_to(twilio_api, SRI_PHONE)[-1]
    assert "K-000001" in notice.body and "JAWAB K-000001" in notice.body and notice.get("ContentSid") is None


def test_a_cadre_reports_on_whatsapp_and_the_member_gets_a_receipt(client, runtime, twilio_api, branch, db):
    echo = whatsapp(client, twilio_api, SRI_PHONE, f"LAPOR {BUDI_CARD} bayr 150.000")
    assert "✅ L-000001: KK 3372********0001 (Bu•• Sa•••••), BAYAR Rp150.000" in echo
    runtime.sender.run_once()
    [receipt] = delivered_to(twilio_api, BUDI_PHONE)  # Budi never wrote: the receipt goes as its template
    assert receipt.get("ContentSid") == RECEIPT_TEMPLATE
    text = receipt.content_variables["1"]
    assert "Sri Wahyuni (KDR-SKA-01)" in text and "Rp150.000" in text and "L-000001" in text
    assert "CEK KADER KDR-SKA-01" in text
    assert db.scalars(select(Visit.status)).one() == "reported"


def test_the_guided_report_on_whatsapp_with_numbers_and_a_location(client, runtime, twilio_api, branch, db):
    households = whatsapp(client, twilio_api, SRI_PHONE, "lapor")
    assert "1. Pa••••" in households
    assert "Hasil kunjungan" in whatsapp(client, twilio_api, SRI_PHONE, BUDI_KK)
    assert "Catatan singkat?" in whatsapp(client, twilio_api, SRI_PHONE, "5")  # 5. Tidak ada di rumah
    located = whatsapp(client, twilio_api, SRI_PHONE, "", Latitude="-7.5660", Longitude="110.8261")
    assert "Lokasi diterima" in located and "1. Simpan" in located
    echo = whatsapp(client, twilio_api, SRI_PHONE, "1")
    assert "✅ L-000001: KK 3372********0001 (Bu•• Sa•••••), TIDAKADA" in echo and "📍" in echo
    visit = db.scalars(select(Visit)).one()
    assert (visit.via, visit.latitude, visit.longitude) == ("guided", -7.566, 110.8261)


def test_a_resent_report_over_whatsapp_is_recorded_once(client, twilio_api, branch, db):
    whatsapp(client, twilio_api, SRI_PHONE, f"LAPOR {BUDI_CARD} TOLAK")
    assert "sudah tercatat" in whatsapp(client, twilio_api, SRI_PHONE, f"LAPOR {BUDI_CARD} TOLAK")
    assert len(db.scalars(select(Visit)).all()) == 1


@pytest.fixture
def now() -> datetime:
    return datetime(2025, 6, 2, 0, 5, tzinfo=UTC)  # Monday, 07:05 WIB


def test_the_morning_list_reaches_a_cadre_on_whatsapp_as_a_template(runtime, twilio_api, branch):
    assert "messages sent: " in cadre_mornings_once(runtime)
    [morning] = delivered_to(twilio_api, SRI_PHONE)
    assert morning.get("ContentSid") == CADRE_TEMPLATE
    assert morning.content_variables["1"].startswith("Tugas Senin, 2 Juni 2025 (3 rumah): · 1. Painem")


def test_every_cadre_gets_a_whatsapp_chat_so_any_planner_reaches_them(runtime, branch, db):
    cadre_mornings_once(runtime, at=datetime(2025, 6, 2, 12, 0, tzinfo=UTC))  # 19:00 WIB: nobody's morning
    chats = {chat.phone: chat.cadre_id for chat in db.scalars(select(Chat).where(Chat.channel == "whatsapp"))}
    cadres = {cadre.phone: cadre.id for cadre in db.scalars(select(Cadre))}
    assert chats == cadres
