"""The HTTP edge: every bad body a 4xx (never a 500), bodies bounded before reading, security headers,
and secrets on disk readable by their owner only."""

from __future__ import annotations

import io
import json
import stat

import pytest
from sqlalchemy import select
from werkzeug.test import EnvironBuilder, run_wsgi_app

from bot.settings import Settings
from models import Chat, InboundMessage
from tests.fakes import TELEGRAM_SECRET, FakeTelegramAPI, with_telegram, with_whatsapp
from tests.fakes.twilio_api import FakeTwilioAPI

pytest_plugins = ["tests.fakes.fixtures"]

CHAT = "/chat/messages"
TELEGRAM = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
DEEP = b"[" * 20_000 + b"]" * 20_000  # json.loads raises RecursionError, which is not a ValueError


@pytest.fixture
def settings(settings: Settings, telegram_api: FakeTelegramAPI, twilio_api: FakeTwilioAPI) -> Settings:
    return with_whatsapp(with_telegram(settings, telegram_api), twilio_api)


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def,override]
        raise AssertionError("the body was read")


def unread_post(app, path: str, headers: dict[str, str], content_type: str, **environ: object) -> int:  # type: ignore[no-untyped-def]
    """POST whose body fails if read (what a server hands the app as a 300 MB upload begins); the status."""
    env = EnvironBuilder(path=path, method="POST", headers=headers, content_type=content_type).get_environ()
    env.pop("CONTENT_LENGTH", None)
    env.update({"wsgi.input": Unreadable(), **environ})
    _body, status, _headers = run_wsgi_app(app, env, buffered=True)
    return int(status.split()[0])


def nothing_stored(db) -> bool:  # type: ignore[no-untyped-def]
    return not db.execute(select(InboundMessage)).first() and not db.execute(select(Chat)).first()


# --- bodies that are not what they should be: 4xx ------------------------------------------------------------


@pytest.mark.parametrize(("path", "headers"), [("/webhooks/telegram", TELEGRAM), (CHAT, {})],
                         ids=["telegram", "web chat"])
def test_deeply_nested_json_is_a_400(client, db, path, headers):
    response = client.post(path, data=DEEP, headers=headers, content_type="application/json")
    assert response.status_code == 400
    assert nothing_stored(db)


@pytest.mark.parametrize(("path", "headers"), [("/webhooks/telegram", TELEGRAM), (CHAT, {})],
                         ids=["telegram", "web chat"])
def test_invalid_utf8_is_a_400(client, db, path, headers):
    body = b'{"update_id": 1, "text": "\xff\xfe\xc3("}'
    response = client.post(path, data=body, headers=headers, content_type="application/json")
    assert response.status_code == 400
    assert nothing_stored(db)


@pytest.mark.parametrize(("path", "headers"), [("/webhooks/telegram", TELEGRAM), (CHAT, {})],
                         ids=["telegram", "web chat"])
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_that_is_not_declared_json_is_a_415(client, db, path, headers, content_type):
    headers = {key: value for key, value in headers.items() if key != "Content-Type"}
    response = client.post(path, data=json.dumps({"update_id": 5, "text": "MENU"}), headers=headers,
                           content_type=content_type)
    assert response.status_code == 415
    assert nothing_stored(db)


def test_json_sent_to_the_whatsapp_webhook_is_refused(client, db):
    response = client.post("/webhooks/whatsapp", json={"From": "whatsapp:+6281234567890", "Body": "MENU"})
    assert 400 <= response.status_code < 500
    assert nothing_stored(db)


@pytest.mark.parametrize("after", [2**63, 10**30, -(2**70)], ids=["2^63", "10^30", "-2^70"])
def test_an_after_past_any_message_id_is_a_400_not_an_overflow(client, after):
    say = client.post(CHAT, json={"text": "MENU", "after": after})
    poll = client.get(f"{CHAT}?after={after}")
    if after < 0:  # before every message: simply all of them
        assert (say.status_code, poll.status_code) == (200, 200)
    else:
        assert (say.status_code, poll.status_code) == (400, 400)
        assert "error" in poll.get_json()


def test_the_largest_message_id_is_still_a_message_id(client):
    assert client.get(f"{CHAT}?after={2**63 - 1}").get_json() == {"messages": [], "after": 2**63 - 1}


# --- bodies too large, or of unknown size: 413 before reading -------------------------------------------------


@pytest.mark.parametrize(("path", "headers", "content_type"), [
    ("/webhooks/telegram", TELEGRAM, "application/json"),
    ("/webhooks/whatsapp", {}, "application/x-www-form-urlencoded"),
    ("/webhooks/whatsapp/status", {}, "application/x-www-form-urlencoded"),
    (CHAT, {}, "application/json"),
], ids=["telegram", "whatsapp", "whatsapp status", "web chat"])
def test_a_declared_300_mb_body_is_refused_unread(app, db, path, headers, content_type):
    assert unread_post(app, path, headers, content_type, CONTENT_LENGTH="300000000") == 413
    assert nothing_stored(db)


@pytest.mark.parametrize("path", ["/webhooks/telegram", "/webhooks/whatsapp", CHAT])
def test_a_chunked_body_of_unknown_size_is_refused_unread(app, db, path):
    # gunicorn (like any server that decodes chunked bodies) says the stream ends by itself: input_terminated
    assert unread_post(app, path, TELEGRAM, "application/json", HTTP_TRANSFER_ENCODING="chunked",
                       **{"wsgi.input_terminated": True}) == 413
    assert nothing_stored(db)


def test_the_web_chat_takes_no_more_than_a_small_json(client, db):
    response = client.post(CHAT, json={"text": "x" * 70_000})
    assert response.status_code == 413
    assert "error" in response.get_json()
    assert nothing_stored(db)
    assert client.post(CHAT, json={"text": "🙂" * 5000}).status_code == 200  # the longest message kept


def test_a_long_telegram_update_still_fits(client, telegram_api):
    """A 4,096-character message quoting another one, every character an escaped emoji, is under the limit."""
    long_text = "🙂" * 2048  # 4,096 UTF-16 units, Telegram's maximum
    quoted = {"message_id": 1, "date": 1748829600, "chat": {"id": 77, "type": "private"}, "text": long_text}
    update = {"update_id": 9, "message": {**quoted, "message_id": 2, "from": {"id": 77, "is_bot": False,
                                                                              "first_name": "Siti"},
                                          "reply_to_message": quoted}}
    body = json.dumps(update)  # ensure_ascii: each emoji is 12 bytes, as Telegram sends it
    assert len(body) > 40_000
    assert client.post("/webhooks/telegram", data=body, headers=TELEGRAM).status_code == 200


# --- headers and secrets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), [("get", "/"), ("get", "/healthz"), ("get", "/static/chat.js"),
                                              ("get", "/nowhere"), ("post", "/webhooks/telegram"),
                                              ("get", f"{CHAT}?after=x")])
def test_every_response_carries_the_security_headers(client, method, path):
    response = getattr(client, method)(path)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_the_page_has_no_inline_script_or_style(client):
    page = client.get("/").get_data(as_text=True)
    assert "<script>" not in page and "<style" not in page and " style=" not in page and " on" + "click=" not in page


def mode(path) -> int:  # type: ignore[no-untyped-def]
    return stat.S_IMODE(path.stat().st_mode)


def test_the_secret_key_is_created_readable_by_its_owner_only(tmp_path):
    settings = Settings.from_env({}, instance_path=tmp_path)
    assert mode(tmp_path / "secret_key") == 0o600
    assert Settings.from_env({}, instance_path=tmp_path).secret_key == settings.secret_key  # kept


def test_a_telegram_token_without_a_secret_generates_one_0600_and_keeps_it(tmp_path):
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:abc"}, instance_path=tmp_path)
    path = tmp_path / "telegram_webhook_secret"
    assert settings.telegram_webhook_secret and len(settings.telegram_webhook_secret) >= 32
    assert path.read_text() == settings.telegram_webhook_secret and mode(path) == 0o600
    assert set(settings.telegram_webhook_secret) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")  # what Telegram accepts
    again = Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:abc"}, instance_path=tmp_path)
    assert again.telegram_webhook_secret == settings.telegram_webhook_secret


def test_a_configured_secret_wins_and_no_token_needs_none(tmp_path):
    given = Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:abc", "TELEGRAM_WEBHOOK_SECRET": "mine"},
                              instance_path=tmp_path)
    assert given.telegram_webhook_secret == "mine"
    assert Settings.from_env({}, instance_path=tmp_path).telegram_webhook_secret is None
    assert not (tmp_path / "telegram_webhook_secret").exists()


def test_webchat_must_be_one_of_the_modes(tmp_path):
    assert Settings.from_env({"WEBCHAT": "Demo"}, instance_path=tmp_path).webchat == "demo"
    assert Settings.from_env({}, instance_path=tmp_path).webchat is None
    with pytest.raises(ValueError, match="WEBCHAT"):
        Settings.from_env({"WEBCHAT": "yes"}, instance_path=tmp_path)
