"""A sender killed in the middle of a batch (SIGKILL) and started again: every message reaches the provider
exactly once, none lost, none twice. And two planners at once plan each reminder once (PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import outbox
from bot.messages import Outgoing
from models import OutboxMessage, Reminder
from models.chats import REMINDER_PRIORITY
from models.db import make_engine, make_session_factory
from reminders.planner import plan_reminders
from rules.programme import DEFAULT_RULES
from tests.fakes.twilio_api import SANDBOX_FROM, FakeTwilioAPI
from tests.test_broadcasts import people_in_three_families

pytest_plugins = ["tests.fakes.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = 30


def start_sender(settings, twilio_api: FakeTwilioAPI, now) -> subprocess.Popen[bytes]:  # type: ignore[no-untyped-def]
    """`flask --app app scheduler` in its own process: the clock and sender of a real deployment."""
    env = {**os.environ, "DATABASE_URL": settings.database_url, "KADERBOT_INSTANCE": str(settings.instance_path),
           "KADERBOT_NOW": now.isoformat(), "TWILIO_ACCOUNT_SID": twilio_api.account_sid,
           "TWILIO_AUTH_TOKEN": twilio_api.auth_token, "TWILIO_WHATSAPP_FROM": SANDBOX_FROM,
           "TWILIO_API_URL": twilio_api.url, "SECRET_KEY": "test", "SEND_LIMIT_WHATSAPP": "off"}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "scheduler"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_until(condition, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_sender_killed_mid_batch_sends_every_message_exactly_once_after_a_restart(settings, runtime, twilio_api,
                                                                                      now, db):
    with runtime.sessions.begin() as session:
        for number in range(MESSAGES):
            outbox.queue(session, channel="whatsapp", address=f"whatsapp:+62812000{number:05d}",
                         message=Outgoing(f"pesan {number}"), now=now, kind="reminder", priority=REMINDER_PRIORITY,
                         template_sid="HX" + "c" * 32, template_variables={"1": number})
    before = twilio_api.requests
    twilio_api.hold(after=7)  # the 8th request hangs: the sender is killed while waiting for it
    first = start_sender(settings, twilio_api, now)
    try:
        assert wait_until(lambda: twilio_api.requests >= before + 8)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    twilio_api.release()
    statuses = Counter(db.execute(select(OutboxMessage.status)).scalars())
    assert statuses["sent"] == 7 and statuses["sending"] >= 1, statuses  # a batch was claimed and left half-sent

    # Restarted later than the 5 minutes after which a dead sender's claim lapses.
    second = start_sender(settings, twilio_api, now + timedelta(minutes=6))
    try:
        assert wait_until(lambda: len(twilio_api.messages) >= MESSAGES)
        time.sleep(0.5)  # anything sent twice would arrive now
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(10)
    received = Counter(message.content_variables["1"] for message in twilio_api.messages)
    assert received == Counter({str(number): 1 for number in range(MESSAGES)})
    assert Counter(db.execute(select(OutboxMessage.status)).scalars()) == Counter({"sent": MESSAGES})


def test_two_planners_at_once_plan_each_reminder_once(settings, runtime, db, now):
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("two machines share PostgreSQL; on SQLite one writer at a time is the database's own rule")
    people_in_three_families(runtime, db, count=6)
    engines = [make_engine(settings.database_url) for _ in range(2)]
    start = threading.Barrier(2)
    results: list[object] = []
    moment = now.replace(day=20)

    def planner(index: int) -> None:
        sessions = make_session_factory(engines[index])
        start.wait()
        try:
            with sessions.begin() as session:
                results.append(plan_reminders(session, moment, DEFAULT_RULES))
        except Exception as error:  # recorded for the assertion below
            results.append(error)

    threads = [threading.Thread(target=planner, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for engine in engines:
        engine.dispose()
    assert not [result for result in results if isinstance(result, Exception)], results
    keys = db.execute(select(Reminder.family_id, Reminder.kind, Reminder.period, Reminder.channel)).all()
    # Budi's family in arrears, five more with June unpaid: one reminder each, whoever planned it
    assert len(keys) == len(set(keys)) == 6
    assert sorted(sum(result.values()) for result in results) == [0, 6]  # type: ignore[attr-defined]
