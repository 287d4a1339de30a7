"""/healthz: the database answers, and whether anything drains the inbound queue and the outbox."""

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select

from bot.messages import Incoming
from bot.worker import Background
from models import DuesRate, OutboxMessage
from models.db import make_reader_factory
from web import health


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_healthz_is_503_when_the_database_is_gone(app, runtime):
    gone = create_engine("sqlite:////nonexistent-directory/kaderbot.db")
    runtime.engine, runtime.readers = gone, make_reader_factory(gone)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_migrations_load_the_dues_rate_history(db):
    rates = {(r.class_, r.effective_from.isoformat()): r.amount for r in db.execute(select(DuesRate)).scalars()}
    assert rates[(3, "2021-01-01")] == 35_000
    assert rates[(1, "2020-01-01")] == 160_000
    assert rates[(2, "2020-04-01")] == 51_000


@pytest.fixture
def fresh_backlog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "BACKLOG_EVERY", 0.0)  # every request reads the backlog again


def test_healthz_says_when_nothing_answers_the_inbound_queue(client, runtime, now, fresh_backlog):
    assert runtime.background is not None
    runtime.settings = replace(runtime.settings, background_work=False)  # the next request must not start one
    runtime.background.stop()  # no worker anywhere
    runtime.receive(Incoming(channel="web", address="w-1", provider_id="old-1", received_at=now - timedelta(minutes=5),
                             text="MENU"))
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok"
    assert body["queues"]["inbound"] == {"oldest_waiting_s": 300.0, "stale": True}

    Background(runtime, sweep_every=None).start().settle()  # a worker again: the queue drains
    body = client.get("/healthz").get_json()
    assert body["queues"]["inbound"] == {"oldest_waiting_s": None, "stale": False}


def test_healthz_says_when_nothing_drains_the_outbox(client, runtime, db, now, fresh_backlog):
    db.add(OutboxMessage(channel="web", address="w-1", body="halo", choices=[], status="queued",
                         next_attempt_at=now - timedelta(minutes=2), created_at=now - timedelta(minutes=2)))
    db.commit()
    outbox = client.get("/healthz").get_json()["queues"]["outbox"]
    assert outbox == {"oldest_due_s": 120.0, "last_sent_s": None, "stale": True}

    assert runtime.background is not None
    runtime.background.stop()
    Background(runtime, sweep_every=0.0).start().settle()  # background work that sends due rows
    outbox = client.get("/healthz").get_json()["queues"]["outbox"]
    assert outbox == {"oldest_due_s": None, "last_sent_s": 0.0, "stale": False}
