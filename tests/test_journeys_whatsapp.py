"""Member journeys over WhatsApp: signed Twilio webhooks in, replies read at the fake Twilio REST API."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from bot.settings import Settings
from models import Chat, RehabPlan
from tests.fakes import FakeTwilioAPI, with_whatsapp
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, SANDBOX_FROM
from tests.journeys import BUDI_CARD, arrange_branch

pytest_plugins = ["tests.fakes.fixtures"]

PUBLIC = "https://kaderbot.example.id"
PHONE = "+6281311112222"  # Budi's own phone
_sids = itertools.count(1)


@pytest.fixture
def settings(settings: Settings, twilio_api: FakeTwilioAPI) -> Settings:
    return replace(with_whatsapp(settings, twilio_api), public_base_url=PUBLIC)


def whatsapp(client, twilio_api: FakeTwilioAPI, body: str) -> str:  # type: ignore[no-untyped-def]
    """Budi types `body` on WhatsApp; returns what arrives on his phone (every reply to it)."""
    before = len(twilio_api.bodies())
    sid = f"SM{next(_sids):032x}"
    form = {"MessageSid": sid, "SmsMessageSid": sid, "AccountSid": ACCOUNT_SID, "From": f"whatsapp:{PHONE}",
            "To": SANDBOX_FROM, "Body": body, "NumMedia": "0", "ProfileName": "Budi", "WaId": PHONE[1:],
            "ApiVersion": "2010-04-01"}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC + "/webhooks/whatsapp", form)
    response = client.post("/webhooks/whatsapp", data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200
    return "\n".join(twilio_api.bodies()[before:])


def test_a_member_checks_arrears_and_enrols_in_rehab_on_whatsapp(client, db, twilio_api):
    arrange_branch(db)
    assert "nomor kartu JKN" in whatsapp(client, twilio_api, "cek")
    assert "tanggal lahir" in whatsapp(client, twilio_api, BUDI_CARD)
    consent = whatsapp(client, twilio_api, "17/8/1985")
    assert "1. Ya, setuju" in consent
    arrears = whatsapp(client, twilio_api, "1")
    assert "Total tunggakan: Rp1.050.000 (10 bulan)" in arrears
    assert "0001*****8911" in arrears and BUDI_CARD not in arrears

    options = whatsapp(client, twilio_api, "REHAB")
    assert "5 kali" in options or "5x" in options
    schedule = whatsapp(client, twilio_api, "5")
    assert schedule.count("Rp315.000") >= 1
    done = whatsapp(client, twilio_api, "YA")
    assert "8988801944358911" in done or "8888801944358911" in done
    plan = db.execute(select(RehabPlan)).scalar_one()
    assert plan.instalment_count == 5 and plan.arrears_amount == 1_050_000
    assert [i.amount for i in plan.instalments] == [315_000] * 5
    # Every reply asked Twilio to report its delivery back.
    assert twilio_api.last().params["StatusCallback"] == PUBLIC + "/webhooks/whatsapp/status"


def test_stop_on_whatsapp_is_honoured_at_once(client, db, twilio_api):
    arrange_branch(db)
    whatsapp(client, twilio_api, "CEK")
    assert "dihentikan" in whatsapp(client, twilio_api, "STOP")
    assert db.execute(select(Chat.reminders_stopped_at)).scalar_one() is not None
