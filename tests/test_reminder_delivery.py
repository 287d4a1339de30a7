"""Reminders at the providers: WhatsApp's 24-hour window (text inside, the approved template outside),
provider faults (retried, ending an address, pausing it after five bad days), and the send rate limit held,
in this process and shared through Redis."""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot import outbox
from bot.limiter import SendLimiter
from bot.messages import Outgoing
from bot.sender import Sender
from models import Chat, OutboxMessage
from models.chats import REMINDER_PRIORITY
from tests.fakes import with_telegram, with_whatsapp
from tests.journeys import BUDI_NIK, arrange_branch, verify
from tests.transcript import Person

pytest_plugins = ["tests.fakes.fixtures"]

PHONE = "+6281311112222"
TEMPLATES = {"dues_arrears": {"content_sid": "HX" + "a" * 32, "variables": ["family", "amount", "va"]},
             "broadcast": {"id": {"content_sid": "HX" + "b" * 32, "variables": ["text"]}}}
ARREARS_DAY = "2025-06-20T02:00:00+00:00"


@pytest.fixture
def settings(settings, twilio_api, telegram_api):  # type: ignore[no-untyped-def]
    (settings.instance_path / "whatsapp_templates.json").write_text(json.dumps(TEMPLATES))
    return with_telegram(with_whatsapp(settings, twilio_api), telegram_api)


def remind(app, at: str = ARREARS_DAY) -> str:  # type: ignore[no-untyped-def]
    """A pass at `at` with the service's clock there too (KADERBOT_NOW): the sender's 24-hour window and
    the day a failure counts for are the sender's own time."""
    app.extensions["kaderbot"].clock.frozen = datetime.fromisoformat(at)
    result = app.test_cli_runner().invoke(args=["remind", "--at", at])
    assert result.exit_code == 0, result.output
    return result.output


def on_whatsapp(runtime, db) -> Person:  # type: ignore[no-untyped-def]
    arrange_branch(db)
    person = Person(runtime, address=f"whatsapp:{PHONE}", phone=PHONE, channel="whatsapp")
    verify(person)
    return person


def on_telegram(runtime, db) -> Person:  # type: ignore[no-untyped-def]
    arrange_branch(db)
    person = Person(runtime, address="700100200", channel="telegram")
    verify(person, second=BUDI_NIK)  # no phone from Telegram: the NIK is the second factor
    return person


def test_outside_the_24_hour_window_a_reminder_goes_as_its_approved_template(app, runtime, db, twilio_api):
    on_whatsapp(runtime, db)  # wrote on 2 June; the reminder goes on 20 June
    remind(app)
    sent = twilio_api.last()
    assert sent.get("ContentSid") == "HX" + "a" * 32 and sent.body == ""
    assert sent.content_variables == {"1": "3372********0001", "2": "Rp1.155.000", "3": "8888801944358911"}


def test_inside_the_window_the_same_reminder_goes_as_text(app, runtime, db, twilio_api):
    member = on_whatsapp(runtime, db)
    member.wait(days=18)
    member.send("MENU")  # 20 June 02:00: the window is open again
    member.runtime.clock.frozen = member.now()
    remind(app, "2025-06-20T03:00:00+00:00")
    sent = twilio_api.last()
    assert sent.get("ContentSid") is None and "Rp1.155.000" in sent.body and "3372********0001" in sent.body


def test_without_a_template_nothing_is_sent_outside_the_window(app, runtime, db, twilio_api):
    runtime.services.templates.by_kind.pop("dues_arrears")
    on_whatsapp(runtime, db)
    before = len(twilio_api.messages)
    assert "skipped: no_template 1" in remind(app)
    assert len(twilio_api.messages) == before


def test_a_server_error_is_retried_with_back_off(app, runtime, db, twilio_api):
    on_whatsapp(runtime, db)
    twilio_api.fail_next(20500)
    remind(app)
    row = db.execute(select(OutboxMessage).where(OutboxMessage.kind == "reminder")).scalar_one()
    assert (row.status, row.error_code, row.attempts) == ("failed", "20500", 1)
    assert row.next_attempt_at == runtime.clock.now() + timedelta(seconds=30)
    runtime.clock.frozen = row.next_attempt_at
    assert runtime.sender.run_once() == 1
    db.refresh(row)
    assert row.status == "sent" and twilio_api.last().get("ContentSid")


@pytest.mark.parametrize("code", [21610, 21211], ids=["opted-out", "invalid-number"])
def test_a_permanent_refusal_ends_the_addresss_reminders(app, runtime, db, twilio_api, code):
    on_whatsapp(runtime, db)
    twilio_api.fail_next(code)
    remind(app)
    chat = db.execute(select(Chat).where(Chat.channel == "whatsapp")).scalar_one()
    assert chat.reminders_stopped_at is not None
    count = len(twilio_api.messages)
    output = remind(app, "2025-07-20T02:00:00+00:00")  # next month's arrears day: not even planned
    assert "planned: nothing new" in output and len(twilio_api.messages) == count


def test_telegram_blocked_by_the_member_ends_their_reminders(app, runtime, db, telegram_api):
    on_telegram(runtime, db)
    telegram_api.block_bot()
    remind(app)
    assert db.execute(select(Chat.reminders_stopped_at).where(Chat.channel == "telegram")).scalar_one()
    telegram_api.reset()
    remind(app, "2025-07-20T02:00:00+00:00")
    assert telegram_api.sent() == []


def test_telegram_flood_control_is_waited_out(app, runtime, db, telegram_api):
    on_telegram(runtime, db)
    telegram_api.flood(retry_after=4)
    remind(app)
    row = db.execute(select(OutboxMessage).where(OutboxMessage.kind == "reminder")).scalar_one()
    assert (row.status, row.next_attempt_at) == ("failed", runtime.clock.now() + timedelta(seconds=4))
    runtime.clock.frozen = row.next_attempt_at
    runtime.sender.run_once()
    assert "Rp1.155.000" in telegram_api.texts()[-1]


def test_five_bad_days_pause_an_address(app, runtime, db, twilio_api):
    on_whatsapp(runtime, db)
    create = ["broadcast", "create", "--segment", "all", "--at", "2025-06-10T03:00:00Z", "--repeat", "daily",
              "--text", "Info harian"]
    assert app.test_cli_runner().invoke(args=create).exit_code == 0
    for day in range(10, 15):
        twilio_api.fail_next(30008)  # "Unknown error": this message is lost, the address may still work
        remind(app, f"2025-06-{day}T03:00:00+00:00")
    output = remind(app, "2025-06-15T03:00:00+00:00")
    assert "skipped: paused 1" in output
    assert db.execute(select(Chat.reminders_stopped_at).where(Chat.channel == "whatsapp")).scalar_one() is None


def queue_bulk(runtime, count: int, address_prefix: str, now) -> None:  # type: ignore[no-untyped-def]
    with runtime.sessions.begin() as session:
        for number in range(count):
            outbox.queue(session, channel="web", address=f"{address_prefix}{number}", message=Outgoing("info"),
                         now=now, kind="broadcast", priority=REMINDER_PRIORITY)


def test_the_rate_limit_is_held_in_one_process(runtime, now):
    queue_bulk(runtime, 45, "web-r", now)
    sender = Sender(runtime.sessions, runtime.sender.channels, runtime.clock,
                    SendLimiter({"web": "15/second"}, senders={"web": uuid.uuid4().hex}))
    start = time.monotonic()
    sent = 0
    while (some := sender.run_once(limit=50)) > 0:
        sent += some
    elapsed = time.monotonic() - start
    assert sent == 45
    # The lower bound is the limit; the upper one only catches a hang (a loaded CI machine is slow, never fast).
    assert 1.9 <= elapsed < 10  # 15 at once, then 15 a second: 45 take two seconds, not less


def redis_url() -> str:
    url = "redis://127.0.0.1:6379/15"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception as error:
        pytest.skip(f"Redis at 127.0.0.1:6379 is not answering ({error}); RATE_LIMIT_STORAGE_URL needs one")
    return url


def test_the_rate_limit_is_shared_by_senders_through_redis(runtime, now):
    url = redis_url()
    queue_bulk(runtime, 40, "web-s", now)
    identity = uuid.uuid4().hex  # the same sender identity on two "machines"
    senders = [Sender(runtime.sessions, runtime.sender.channels, runtime.clock,
                      SendLimiter({"web": "10/second"}, senders={"web": identity}, storage_url=url))
               for _ in range(2)]
    totals = [0, 0]

    def drain(index: int) -> None:
        while (some := senders[index].run_once(limit=5)) > 0:
            totals[index] += some

    start = time.monotonic()
    threads = [threading.Thread(target=drain, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    elapsed = time.monotonic() - start
    assert sum(totals) == 40 and all(totals)
    assert 2.9 <= elapsed < 12  # together 10 a second: each alone would have needed half the time


def test_a_limiter_whose_redis_is_gone_keeps_limiting_in_process(now):
    limiter = SendLimiter({"web": "5/second"}, storage_url="redis://127.0.0.1:9/0")  # nothing listens there
    start = time.monotonic()
    for _ in range(10):
        limiter.acquire("web", "web-x", bulk=True)
    assert 0.9 <= time.monotonic() - start < 8


def test_settings_read_the_send_limits(settings):
    from bot.settings import Settings

    env = {"SEND_LIMIT_WHATSAPP": "20/second", "RATE_LIMIT_STORAGE_URL": "redis://127.0.0.1:6379/0"}
    read = Settings.from_env(env, instance_path=settings.instance_path)
    assert read.send_limits["whatsapp"] == "20/second" and read.send_limits["telegram"] == "30/second"
    assert read.rate_limit_storage_url == "redis://127.0.0.1:6379/0"
    assert replace(read, send_limits={}).send_limits == {}
