"""Telegram out: what the Bot API refuses when the bot answers (a blocked bot, flood control, a chat that is
gone, a revoked token) and an API out of reach, through the real PTB client to a fake Bot API on loopback;
and the guard that keeps every channel test away from the real Bot API."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from app import create_app
from bot.channels import SendFailure
from bot.channels.telegram import TelegramChannel
from bot.settings import Settings
from handlers.texts import text
from models import Chat, OutboxMessage
from tests.conftest import settled_client
from tests.fakes import FakeTelegramAPI, with_telegram
from tests.telegram_payloads import MENU, post, stored

pytest_plugins = ["tests.fakes.fixtures"]


@pytest.fixture
def settings(settings: Settings, telegram_api: FakeTelegramAPI) -> Settings:
    return with_telegram(settings, telegram_api)


def test_a_blocked_bot_gives_up_on_the_message_and_stops_reminders(client, runtime, telegram_api, now):
    telegram_api.block_bot()

    assert post(client, MENU).status_code == 200

    [row] = stored(runtime, OutboxMessage)
    assert (row.status, row.error_code) == ("dead", "403")
    assert "blocked by the user" in row.error
    [chat] = stored(runtime, Chat)
    assert chat.reminders_stopped_at == now


def test_flood_control_retries_when_telegram_says(client, runtime, telegram_api, now):
    telegram_api.flood(retry_after=7)

    post(client, MENU)

    [row] = stored(runtime, OutboxMessage)
    assert (row.status, row.error_code, row.next_attempt_at) == ("failed", "429", now + timedelta(seconds=7))
    assert runtime.sender.run_once() == 0  # not yet due

    runtime.clock.frozen = now + timedelta(seconds=8)
    assert runtime.sender.run_once() == 1
    [row] = stored(runtime, OutboxMessage)
    assert row.status == "sent"
    assert telegram_api.texts() == [text("menu", name=" Siti")] * 2  # the refused try, then the one that went


@pytest.mark.parametrize(("status", "description", "row_status", "stopped"), [
    (400, "Bad Request: chat not found", "dead", True),  # no such chat: its reminders end (issue 11)
    (400, "Bad Request: message text is empty", "dead", False),
    (502, "Bad Gateway", "failed", False),
    (401, "Unauthorized", "dead", False),
], ids=["chat not found", "bad request", "bad gateway", "token revoked"])
def test_other_refusals_are_retried_only_when_they_can_succeed(client, runtime, telegram_api, status, description,
                                                               row_status, stopped):
    telegram_api.fail_next("sendMessage", status, description)
    post(client, MENU)
    [row] = stored(runtime, OutboxMessage)
    assert row.status == row_status
    [chat] = stored(runtime, Chat)
    assert (chat.reminders_stopped_at is not None) == stopped


def test_an_unreachable_api_leaves_the_row_for_a_later_try(settings, now):
    from app import build_runtime

    rt = build_runtime(replace(settings, telegram_api_url="http://127.0.0.1:9"))  # discard port: refused
    try:
        client = settled_client(create_app(runtime=rt))
        assert post(client, MENU).status_code == 200
        [row] = stored(rt, OutboxMessage)
        assert (row.status, row.error_code) == ("failed", "network")
    finally:
        rt.sender.channels["telegram"].close()  # type: ignore[attr-defined]
        rt.engine.dispose()


def test_tests_cannot_reach_the_real_bot_api(no_internet, tmp_path, now):
    """The guard every channel test runs under: a client left pointing at Telegram fails at once."""
    import socket

    with pytest.raises(OSError):
        socket.create_connection(("149.154.167.220", 443), timeout=1)
    with pytest.raises(OSError):
        socket.getaddrinfo("api.telegram.org", 443)
    adapter = TelegramChannel(Settings(instance_path=tmp_path, secret_key="x", telegram_bot_token="1:real"))
    try:
        with pytest.raises(SendFailure) as refused:
            adapter.send(OutboxMessage(id=1, address="1", body="halo", choices=[]), None, now)
        assert (refused.value.code, refused.value.retryable) == ("network", True)
    finally:
        adapter.close()
