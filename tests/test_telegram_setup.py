"""Connecting Telegram safely: `telegram-webhook` registers the webhook with its secret, `make run` does it
when Telegram can reach an HTTPS address (or says to poll), and the bot token never reaches a log."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from app import create_app
from bot.runtime import Runtime
from bot.settings import Settings
from tests.fakes import TELEGRAM_SECRET, FakeTelegramAPI, with_telegram
from web.cli import connect_telegram

pytest_plugins = ["tests.fakes.fixtures"]

PUBLIC = "https://kaderbot.example.org"


@pytest.fixture
def settings(settings: Settings, telegram_api: FakeTelegramAPI) -> Settings:
    return replace(with_telegram(settings, telegram_api), public_base_url=PUBLIC)


def test_telegram_webhook_registers_the_public_url_with_the_secret(app, telegram_api):
    result = app.test_cli_runner().invoke(args=["telegram-webhook"])
    assert result.exit_code == 0, result.output
    [call] = telegram_api.calls_to("setWebhook")
    assert call["url"] == f"{PUBLIC}/webhooks/telegram"
    assert call["secret_token"] == TELEGRAM_SECRET
    assert call["allowed_updates"] == ["message", "callback_query"]
    assert f"{PUBLIC}/webhooks/telegram" in result.output


def test_telegram_webhook_refuses_an_address_telegram_cannot_call(runtime, telegram_api):
    runtime.settings = replace(runtime.settings, public_base_url="http://127.0.0.1:8000")
    result = create_app(runtime=runtime).test_cli_runner().invoke(args=["telegram-webhook"])
    assert result.exit_code != 0
    assert "https://" in result.output and "telegram-poll" in result.output
    assert telegram_api.calls_to("setWebhook") == []


def test_telegram_webhook_without_a_token_says_so(runtime):
    runtime.sender.channels.pop("telegram").close()  # type: ignore[attr-defined]
    result = create_app(runtime=runtime).test_cli_runner().invoke(args=["telegram-webhook"])
    assert result.exit_code != 0 and "TELEGRAM_BOT_TOKEN" in result.output


def test_make_run_registers_the_webhook_on_an_https_address(runtime: Runtime, telegram_api):
    said: list[str] = []
    connect_telegram(runtime, said.append)
    assert telegram_api.webhook["url"] == f"{PUBLIC}/webhooks/telegram"
    assert telegram_api.webhook["secret_token"] == TELEGRAM_SECRET
    assert "webhook registered" in said[0]


def test_make_run_on_a_local_address_tells_the_operator_to_poll(runtime: Runtime, telegram_api):
    runtime.settings = replace(runtime.settings, public_base_url="http://127.0.0.1:8000")
    said: list[str] = []
    connect_telegram(runtime, said.append)
    assert telegram_api.calls_to("setWebhook") == []
    assert "telegram-poll" in said[0]


def test_make_run_keeps_serving_when_telegram_refuses(runtime: Runtime, telegram_api):
    telegram_api.fail_next("setWebhook", 400, "Bad Request: bad webhook: Failed to resolve host")
    said: list[str] = []
    connect_telegram(runtime, said.append)
    assert "failed" in said[0] and "telegram-webhook" in said[0]


def test_the_bot_token_never_reaches_the_logs(client, telegram_api, caplog):
    """httpx logs every request line at INFO, and the Bot API's URLs carry the token."""
    caplog.set_level(logging.DEBUG)
    update = {"update_id": 1, "message": {"message_id": 1, "date": 1748829600, "text": "MENU",
                                          "chat": {"id": 77, "type": "private"},
                                          "from": {"id": 77, "is_bot": False, "first_name": "Siti"}}}
    response = client.post("/webhooks/telegram", json=update,
                           headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})
    assert response.status_code == 200 and telegram_api.sent()
    request_lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert any("sendMessage" in line for line in request_lines), "httpx logged no request line to check"
    assert telegram_api.token not in caplog.text
    assert all(telegram_api.token not in record.getMessage() for record in caplog.records)
