"""WhatsApp out: Twilio's status callbacks for what the bot sent, the 24-hour window (free text inside it, an
approved template outside) and Twilio's refusals, through the real twilio client to a fake Twilio REST API on
loopback."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import build_runtime
from bot import outbox
from bot.messages import Outgoing
from bot.settings import Settings
from handlers.texts import text
from models import Chat, OutboxMessage
from tests.fakes import FakeTwilioAPI, with_whatsapp
from tests.whatsapp_forms import PHONE, PUBLIC, post, say, sign, status_callback, stored

pytest_plugins = ["tests.fakes.fixtures"]


@pytest.fixture
def settings(settings: Settings, twilio_api: FakeTwilioAPI) -> Settings:
    return replace(with_whatsapp(settings, twilio_api), public_base_url=PUBLIC)


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
