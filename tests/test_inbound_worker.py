"""The path in: a webhook acknowledges once the message is stored, a worker answers it. Each chat's messages
are answered in order on any number of workers; a worker killed mid-batch (SIGKILL) loses no message and
answers none twice; with BACKGROUND_WORK=0 a `flask --app app worker` process answers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from app import build_runtime, create_app
from bot.messages import Incoming
from bot.runtime import Runtime
from bot.settings import Settings
from bot.worker import NICENESS, SAFETY_NET, Background, Worker
from models import InboundMessage, OutboxMessage
from tests.fakes import FakeTwilioAPI, with_whatsapp
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, SANDBOX_FROM

pytest_plugins = ["tests.fakes.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = "https://kaderbot.example.id"
PHONE = "+6281234567890"


@pytest.fixture
def settings(settings: Settings, twilio_api: FakeTwilioAPI) -> Settings:
    return replace(with_whatsapp(settings, twilio_api), public_base_url=PUBLIC)


def whatsapp_form(sid: str, body: str) -> tuple[dict[str, str], dict[str, str]]:
    """Twilio's inbound form and its signature header."""
    form = {"MessageSid": sid, "SmsMessageSid": sid, "AccountSid": ACCOUNT_SID, "From": f"whatsapp:{PHONE}",
            "To": SANDBOX_FROM, "Body": body, "NumMedia": "0", "ProfileName": "Siti", "WaId": PHONE[1:],
            "ApiVersion": "2010-04-01"}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC + "/webhooks/whatsapp", form)
    return form, {"X-Twilio-Signature": signature}


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> bool:
    """A hang guard only: the condition usually holds within milliseconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_a_message_acknowledged_is_answered_by_the_worker(app, runtime, twilio_api, db):
    assert runtime.background is not None
    runtime.settings = replace(runtime.settings, background_work=False)  # the next request must not start one
    runtime.background.stop()  # no worker for a moment: the webhook only stores
    form, headers = whatsapp_form("SM" + "a" * 32, "MENU")
    response = app.test_client().post("/webhooks/whatsapp", data=form, headers=headers)
    assert response.status_code == 200
    assert twilio_api.messages == []
    assert db.execute(select(InboundMessage.processed_at)).scalar_one() is None  # acknowledged, waiting

    Background(runtime, sweep_every=None).start()  # a worker starts: what was acknowledged is answered
    assert wait_until(lambda: len(twilio_api.messages) == 1)
    assert "Pilih salah satu" in twilio_api.messages[0].body
    assert db.execute(select(InboundMessage.processed_at)).scalar_one() is not None


def store_conversations(runtime: Runtime, chats: int, per_chat: int) -> None:
    """`per_chat` messages from each of `chats` chats, interleaved as they would arrive."""
    for number in range(per_chat):
        for chat in range(chats):
            runtime.receive(Incoming(channel="web", address=f"w-{chat}", provider_id=f"m-{chat}-{number}",
                                     received_at=runtime.clock.now(), text=f"pesan {number}"))


def answers_per_chat(db) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Each chat's replies in the order they were queued; the worker quotes what it did not understand."""
    found: dict[str, list[str]] = defaultdict(list)
    for address, body in db.execute(select(OutboxMessage.address, OutboxMessage.body).order_by(OutboxMessage.id)):
        found[address].append(body.split('"')[1])
    return found


def drain(worker: Worker) -> None:
    """Answer batches until nothing waits (a batch may find every waiting chat held by another worker)."""
    while worker.waiting():
        worker.run_batch()


def test_each_chats_messages_are_answered_in_order_by_several_workers(settings, runtime, db):
    assert runtime.background is not None
    runtime.background.stop()
    store_conversations(runtime, chats=6, per_chat=12)
    workers = [build_runtime(replace(settings, background_work=False)) for _ in range(3)]
    try:
        threads = [threading.Thread(target=drain, args=(Worker(rt, batch=4),)) for rt in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    finally:
        for rt in workers:
            rt.engine.dispose()

    expected = [f"pesan {number}" for number in range(12)]
    assert answers_per_chat(db) == {f"w-{chat}": expected for chat in range(6)}
    assert db.execute(select(func.count()).where(InboundMessage.processed_at.is_(None))).scalar_one() == 0


def worker_process(settings: Settings, twilio_api: FakeTwilioAPI) -> subprocess.Popen[bytes]:
    """`flask --app app worker` in its own process, configured as a deployment's would be."""
    env = {**os.environ, "DATABASE_URL": settings.database_url, "KADERBOT_INSTANCE": str(settings.instance_path),
           "KADERBOT_NOW": (settings.frozen_now.isoformat() if settings.frozen_now else ""),
           "TWILIO_ACCOUNT_SID": twilio_api.account_sid, "TWILIO_AUTH_TOKEN": twilio_api.auth_token,
           "TWILIO_WHATSAPP_FROM": SANDBOX_FROM, "TWILIO_API_URL": twilio_api.url, "PUBLIC_BASE_URL": PUBLIC,
           "SECRET_KEY": "test", "SEND_LIMIT_WHATSAPP": "off", "BACKGROUND_WORK": "0"}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "worker"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_a_worker_killed_mid_batch_loses_no_message_and_answers_none_twice(settings, runtime, twilio_api, db):
    assert runtime.background is not None
    runtime.background.stop()
    chats, per_chat = 20, 30
    store_conversations(runtime, chats=chats, per_chat=per_chat)
    total = chats * per_chat

    def answered() -> int:
        return int(db.execute(select(func.count()).where(InboundMessage.processed_at.is_not(None))).scalar_one())

    doomed = worker_process(settings, twilio_api)
    try:
        assert wait_until(lambda: answered() > 0), "the worker process answered nothing"
        doomed.send_signal(signal.SIGKILL)  # in the middle of its next batch, most likely
        doomed.wait(30)
    finally:
        if doomed.poll() is None:
            doomed.kill()
    at_kill = answered()
    assert at_kill < total, "the worker finished before it could be killed: store more messages"

    Background(runtime, sweep_every=None).start()  # another worker takes over
    assert wait_until(lambda: answered() == total)
    expected = [f"pesan {number}" for number in range(per_chat)]
    assert answers_per_chat(db) == {f"w-{chat}": expected for chat in range(chats)}
    print(f"killed after {at_kill} of {total} messages; every message answered exactly once")


def test_with_background_work_off_a_worker_process_answers(settings, twilio_api, db):
    rt = build_runtime(replace(settings, background_work=False))
    try:
        client = create_app(runtime=rt).test_client()
        form, headers = whatsapp_form("SM" + "b" * 32, "MENU")
        assert client.post("/webhooks/whatsapp", data=form, headers=headers).status_code == 200
        assert rt.background is None  # this serving process does no background work
        time.sleep(0.3)
        assert twilio_api.messages == []

        worker = worker_process(settings, twilio_api)
        try:
            assert wait_until(lambda: len(twilio_api.messages) == 1, timeout=60)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(30)
        assert "Pilih salah satu" in twilio_api.messages[0].body
    finally:
        rt.engine.dispose()


def test_an_idle_worker_process_is_woken_by_a_message_another_process_stored(settings, twilio_api, db):
    """Not by its 5-second safety net: by NOTIFY on PostgreSQL, by the commit itself on SQLite."""
    rt = build_runtime(replace(settings, background_work=False))
    client = create_app(runtime=rt).test_client()
    worker = worker_process(settings, twilio_api)
    try:
        for number, sid in enumerate(("b" * 32, "c" * 32, "d" * 32)):
            if number:
                time.sleep(1.0)  # the worker is idle, asleep until something wakes it
            stored = time.monotonic()
            form, headers = whatsapp_form("SM" + sid, "MENU")
            assert client.post("/webhooks/whatsapp", data=form, headers=headers).status_code == 200
            assert wait_until(lambda n=number: len(twilio_api.messages) == n + 1, timeout=60)
            # The first answer only shows the process is up: starting it can take seconds on a busy machine.
            if number:
                assert time.monotonic() - stored < SAFETY_NET / 2, "answered by the safety net, not woken"
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
        rt.engine.dispose()


@pytest.mark.skipif(sys.platform != "linux", reason="a thread's own CPU priority is a Linux feature")
def test_the_worker_thread_gives_way_to_webhooks(runtime):
    """The worker thread runs nicer than the threads that serve webhooks, which keep the process's priority."""
    assert runtime.background is not None
    worker = next(thread for thread in runtime.background.threads if thread.name == "kaderbot-worker")
    assert worker.native_id is not None
    serving = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    wanted = max(serving, NICENESS)
    assert wait_until(lambda: os.getpriority(os.PRIO_PROCESS, worker.native_id) == wanted)  # set as it starts
    assert wanted > serving
    assert os.getpriority(os.PRIO_PROCESS, os.getpid()) == serving  # the main thread keeps the usual priority


def test_the_web_chat_answers_through_the_worker_too(client, runtime):
    response = client.post("/chat/messages", json={"text": "MENU", "id": "m1"})
    assert response.status_code == 200
    texts = [message["text"] for message in response.get_json()["messages"]]
    assert any("Pilih salah satu" in text for text in texts)
