"""PostgreSQL drops the sender's connections mid-drain, as a database restart or failover does: the sender
carries on by itself and every message reaches the provider once (issue 8).

Restarting the server would disturb every other database on it, so the outage is played by terminating
this sender's own connections (`pg_terminate_backend`, matched by their application name in this test's
database only).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from bot import outbox
from bot.channels.whatsapp import WhatsAppChannel
from bot.clock import Clock
from bot.messages import Outgoing
from bot.sender import Sender
from models import OutboxMessage
from models.chats import REMINDER_PRIORITY
from models.db import make_engine, make_session_factory
from tests.fakes import FakeTwilioAPI, with_whatsapp

pytest_plugins = ["tests.fakes.fixtures"]

MESSAGES = 600
KILLS = 6


# plays a PostgreSQL outage
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_sender_recovers_by_itself_when_postgresql_drops_its_connections(settings, twilio_api, db, now):
    api: FakeTwilioAPI = twilio_api
    api.latency = 0.03  # a provider's round trip: the drain lasts long enough to be interrupted
    name = f"kaderbot-sender-{uuid.uuid4().hex[:8]}"
    engine = make_engine(settings.database_url, connect_args={"application_name": name})
    sender = Sender(make_session_factory(engine), {"whatsapp": WhatsAppChannel(with_whatsapp(settings, api))},
                    Clock(now))
    with sender.sessions.begin() as session:
        for number in range(MESSAGES):
            outbox.queue(session, channel="whatsapp", address=f"whatsapp:+62814{number % 150:07d}",
                         message=Outgoing(f"pesan {number}"), now=now, kind="reminder", priority=REMINDER_PRIORITY,
                         template_sid="HX" + "e" * 32, template_variables={"1": number})
    stop = threading.Event()
    errors: list[Exception] = []

    def tick() -> None:  # what the scheduler does every few seconds: a failed tick is logged, the next runs
        while not stop.is_set():
            try:
                sender.run_once(limit=40)
            except Exception as error:
                errors.append(error)
                time.sleep(0.05)

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    terminated = 0
    try:
        for _ in range(KILLS):
            time.sleep(0.25)
            terminated += len(db.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = :name"), {"name": name}).all())
        deadline = time.monotonic() + 120  # a hang guard only
        waiting = select(func.count(OutboxMessage.id)).where(OutboxMessage.status.in_(("queued", "failed")))
        while db.execute(waiting).scalar():
            assert time.monotonic() < deadline, "the sender did not carry on"
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(30)
    # A claim or outcome whose commit the outage cut off stays `sending` until the claim lapses; then it goes.
    sender.clock = Clock(now + timedelta(minutes=6))
    while sender.run_once(limit=100):
        pass
    sender.close()
    engine.dispose()

    received = Counter(int(message.content_variables["1"]) for message in api.messages)
    print(f"\nPostgreSQL dropped the sender's connections {terminated} times mid-drain: {len(received)} of "
          f"{MESSAGES} messages sent, {sum(received.values()) - len(received)} twice, {api.repeats} retries "
          f"recognised by their idempotency token; failed ticks: {len(errors)}")
    assert terminated >= 1
    assert received == Counter(range(MESSAGES))
    assert Counter(db.execute(select(OutboxMessage.status)).scalars()) == Counter({"sent": MESSAGES})
