"""A sender killed in the middle of a batch (SIGKILL) and started again: every message reaches the provider,
none lost; none twice where the provider honours the idempotency token, otherwise at most the rows in flight. And two planners at once plan each reminder once (PostgreSQL)."""

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
CHATS, PER_CHAT = 20, 3
MESSAGES = CHATS * PER_CHAT


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


@pytest.mark.parametrize("honoured", [True, False], ids=["idempotency token honoured", "token ignored"])
def test_a_sender_killed_mid_batch_sends_every_message_once_after_a_restart(settings, runtime, twilio_api, now,
                                                                             db, honoured):
    """Every message arrives; twice only for rows in flight at the kill, and never where the provider
    honours the idempotency token. Each chat's messages in the order queued."""
    with runtime.sessions.begin() as session:
        for number in range(MESSAGES):
            chat = number % CHATS
            outbox.queue(session, channel="whatsapp", address=f"whatsapp:+62812000{chat:05d}",
                         message=Outgoing(f"pesan {number}"), now=now, kind="reminder", priority=REMINDER_PRIORITY,
                         template_sid="HX" + "c" * 32, template_variables={"1": number})
    twilio_api.honour_idempotency = honoured
    before = twilio_api.requests
    twilio_api.hold(after=10, processed=True)  # then taken but never answered: the sender cannot know
    first = start_sender(settings, twilio_api, now)
    try:
        assert wait_until(lambda: twilio_api.requests >= before + 16)
        time.sleep(0.3)  # outcomes of the answered requests are written meanwhile
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    unanswered = twilio_api.requests - before - 10
    twilio_api.release()
    statuses = Counter(db.execute(select(OutboxMessage.status)).scalars())
    in_flight = statuses["sending"]  # claimed, outcome unknown: the provider may or may not have them
    assert statuses["sent"] >= 1 and in_flight >= 1, statuses  # killed with a batch half-sent

    # Restarted later than the 5 minutes after which a dead sender's claim lapses.
    second = start_sender(settings, twilio_api, now + timedelta(minutes=6))
    try:
        assert wait_until(lambda: db.execute(select(OutboxMessage.id).where(OutboxMessage.status != "sent")
                                             .limit(1)).first() is None)
        time.sleep(0.5)  # anything sent twice would arrive now
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(10)
    received = [int(message.content_variables["1"]) for message in twilio_api.messages]
    counts = Counter(received)
    duplicates = sum(count - 1 for count in counts.values())
    print(f"\nsender killed mid-batch ({'token honoured' if honoured else 'token ignored'}): "
          f"{sum(1 for count in counts.values() if count == 1)} of {MESSAGES} exactly once, {duplicates} twice; "
          f"rows in flight at the kill: {in_flight} (requests taken but unanswered: {unanswered}); "
          f"repeats absorbed by the token: {twilio_api.repeats}")
    assert set(counts) == set(range(MESSAGES))  # none lost
    assert duplicates <= unanswered <= in_flight
    if honoured:
        assert duplicates == 0
    for chat in range(CHATS):  # each chat's messages in order (a repeat comes right after its first)
        firsts = list(dict.fromkeys(number for number in received if number % CHATS == chat))
        assert firsts == sorted(firsts), (chat, firsts)
    db.expire_all()
    assert Counter(db.execute(select(OutboxMessage.status)).scalars()) == Counter({"sent": MESSAGES})


# two machines sharing PostgreSQL (on SQLite one writer at a time is the database's own rule)
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_planners_at_once_plan_each_reminder_once(settings, runtime, db, now):
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
