"""Provider outages (500s, 429s, timeouts, then recovery): nothing lost, nothing sent twice, and each chat's
messages reach the provider in the order they were queued, retries included (issue 8)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot import outbox
from bot.messages import Outgoing
from bot.runtime import Runtime
from models import OutboxMessage
from tests.fakes import FakeTelegramAPI, FakeTwilioAPI, with_telegram, with_whatsapp

pytest_plugins = ["tests.fakes.fixtures"]

CHATS, PER_CHAT = 12, 4
MESSAGES = CHATS * PER_CHAT


@pytest.fixture
def settings(settings, twilio_api, telegram_api):  # type: ignore[no-untyped-def]
    return with_telegram(with_whatsapp(settings, twilio_api), telegram_api)


def queue_replies(runtime: Runtime, now, channel: str) -> None:  # type: ignore[no-untyped-def]
    """Four replies to each of twelve chats, interleaved as a busy hour would queue them."""
    with runtime.sessions.begin() as session:
        for number in range(MESSAGES):
            chat = number % CHATS
            if channel == "whatsapp":
                outbox.queue(session, channel="whatsapp", address=f"whatsapp:+6281300{chat:05d}",
                             message=Outgoing(f"pesan {number}"), now=now, template_sid="HX" + "d" * 32,
                             template_variables={"1": number})
            else:
                outbox.queue(session, channel="telegram", address=str(500_000 + chat),
                             message=Outgoing(f"pesan {number}"), now=now)


def next_retry(runtime: Runtime) -> None:
    """Move the frozen clock to the earliest retry, as time passing would."""
    with runtime.reading() as session:
        due = session.execute(select(func.min(OutboxMessage.next_attempt_at))
                              .where(OutboxMessage.status == "failed")).scalar_one()
    if due is not None and runtime.clock.frozen is not None:
        runtime.clock.frozen = max(runtime.clock.frozen, due)


def drain(runtime: Runtime) -> None:
    for _ in range(40):
        next_retry(runtime)
        if runtime.sender.run_once(limit=100) == 0 and not pending(runtime):
            return


def pending(runtime: Runtime) -> int:
    with runtime.reading() as session:
        return int(session.execute(select(func.count(OutboxMessage.id))
                                   .where(OutboxMessage.status != "sent")).scalar_one())


def assert_each_once_in_order(received: list[int]) -> None:
    assert Counter(received) == Counter(range(MESSAGES))  # none lost, none twice
    for chat in range(CHATS):
        in_chat = [number for number in received if number % CHATS == chat]
        assert in_chat == sorted(in_chat), (chat, in_chat)


def test_a_whatsapp_outage_loses_nothing_repeats_nothing_and_keeps_each_chats_order(runtime, twilio_api, db, now):
    api: FakeTwilioAPI = twilio_api
    queue_replies(runtime, now, "whatsapp")
    for chat in range(5):  # it starts: five chats' first message fails, the others go
        api.fail_to(f"whatsapp:+6281300{chat:05d}", 20500)

    runtime.sender.run_once(limit=100)
    failed_first = {row.address for row in db.execute(select(OutboxMessage)
                                                      .where(OutboxMessage.status == "failed")).scalars()}
    assert len(failed_first) == 5
    waiting = db.execute(select(OutboxMessage).where(OutboxMessage.address.in_(failed_first),
                                                     OutboxMessage.status == "queued")).scalars().all()
    assert len(waiting) == 15  # their later messages wait behind them, untried
    http = runtime.sender.channels["whatsapp"].http  # type: ignore[attr-defined]
    for mode in ("500", "429", "timeout"):  # then Twilio is down for a while, three ways
        api.down(mode)
        http.timeout = 0.5 if mode == "timeout" else 15.0  # the fake answers after 2 s
        next_retry(runtime)
        runtime.sender.run_once(limit=100)
    http.timeout = 15.0
    assert api.repeats == 0 and len(api.messages) == 7 * PER_CHAT + 5  # the timed-out creates were taken
    api.up()

    drain(runtime)

    assert_each_once_in_order([int(message.content_variables["1"]) for message in api.messages])
    assert api.repeats == 5  # the timed-out ones, retried with their idempotency token: recognised
    assert Counter(db.execute(select(OutboxMessage.status)).scalars()) == Counter({"sent": MESSAGES})


def test_a_telegram_outage_loses_nothing_repeats_nothing_and_keeps_each_chats_order(runtime, telegram_api, db,
                                                                                     now):
    api: FakeTelegramAPI = telegram_api
    queue_replies(runtime, now, "telegram")
    api.fail_next("sendMessage", 500, "Internal Server Error", times=5)

    runtime.sender.run_once(limit=100)
    assert db.execute(select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "failed")).scalar() == 5
    api.flood(retry_after=3, times=CHATS)  # then flood control, then a bad gateway, for everyone
    next_retry(runtime)
    runtime.sender.run_once(limit=100)
    api.fail_next("sendMessage", 502, "Bad Gateway", times=CHATS)
    next_retry(runtime)
    runtime.sender.run_once(limit=100)

    drain(runtime)

    received = [int(call["text"].split()[1]) for call in api.delivered()]
    assert_each_once_in_order(received)
    for call in api.delivered():
        assert int(call["chat_id"]) == 500_000 + int(call["text"].split()[1]) % CHATS
    assert Counter(db.execute(select(OutboxMessage.status)).scalars()) == Counter({"sent": MESSAGES})


def test_a_reply_is_not_held_back_by_bulk_messages_of_its_chat(runtime, telegram_api, now):
    """Lanes: a chat's broadcast waiting on flood control does not hold back the reply to what they asked."""
    with runtime.sessions.begin() as session:
        outbox.queue(session, channel="telegram", address="600001", message=Outgoing("info 1"), now=now,
                     kind="broadcast", priority=9)
        outbox.queue(session, channel="telegram", address="600001", message=Outgoing("info 2"), now=now,
                     kind="broadcast", priority=9)
    telegram_api.flood(retry_after=60)
    runtime.sender.run_once()  # the first broadcast meets flood control; the second waits behind it
    with runtime.sessions.begin() as session:
        reply = outbox.queue(session, channel="telegram", address="600001", message=Outgoing("jawaban"), now=now)
        session.flush()
        reply_id = reply.id
    assert runtime.sender.send_now([reply_id]) == 1
    assert [call["text"] for call in telegram_api.delivered()] == ["jawaban"]
    runtime.clock.frozen = now + timedelta(seconds=60)
    drain(runtime)
    assert [call["text"] for call in telegram_api.delivered()] == ["jawaban", "info 1", "info 2"]
