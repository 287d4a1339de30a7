"""Telegram in: Bot API updates through the webhook (and by long polling) become what the person said, and
are answered through the real PTB client to a fake Bot API on loopback. The Updates are in
tests/telegram_payloads.py."""

from __future__ import annotations

import copy
import json
import random
import string
from dataclasses import replace
from typing import Any

import pytest

from app import create_app
from bot.channels.telegram import TelegramChannel
from bot.channels.telegram_polling import poll_once
from bot.settings import Settings
from handlers.menu import MENU_ITEMS
from handlers.texts import text
from models import Chat, InboundMessage, OutboxMessage
from tests.fakes import TELEGRAM_SECRET, FakeTelegramAPI, with_telegram
from tests.telegram_payloads import (
    BUTTON,
    CHANNEL_POST,
    CHAT_ID,
    DOCUMENT,
    EDITED,
    HELLO,
    HELP,
    JOINED_GROUP,
    LOCATION,
    MENU,
    NO_CONTENT,
    OTHER_CONTACT,
    OWN_CONTACT,
    PHOTO,
    PHOTO_WITH_CAPTION,
    START,
    STICKER,
    USER,
    VOICE,
    message_update,
    post,
    stored,
)
from tests.transcript import settle

pytest_plugins = ["tests.fakes.fixtures"]

# payload -> what the adapter must make of it (None: nothing a person said, so nothing is handled)
PARSE_CASES: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = [
    ("text", HELLO, {"kind": "text", "text": "Halo, selamat pagi", "address": str(CHAT_ID),
                     "provider_id": "174114370", "sender_name": "Siti"}),
    ("/start", START, {"kind": "text", "text": "/start"}),
    ("button press", BUTTON, {"kind": "choice", "choice": "BANTUAN", "callback_id": "4382bfdwdsb323b2d9",
                              "address": str(CHAT_ID), "provider_id": "174114374"}),
    ("own contact", OWN_CONTACT, {"kind": "contact", "contact_phone": "+6281234567890",
                                  "contact_is_sender": True}),
    ("someone else's contact", OTHER_CONTACT, {"kind": "contact", "contact_phone": "+6281298765432",
                                               "contact_is_sender": False}),
    ("location", LOCATION, {"kind": "location", "location": (-7.566035, 110.826172)}),
    ("photo", PHOTO, {"kind": "photo", "media": "photo", "text": ""}),
    ("photo with caption", PHOTO_WITH_CAPTION, {"media": "photo", "text": "menu"}),
    ("sticker", STICKER, {"kind": "sticker", "media": "sticker"}),
    ("voice note", VOICE, {"kind": "voice"}),
    ("document", DOCUMENT, {"kind": "document"}),
    ("edited message", EDITED, None),
    ("channel post", CHANNEL_POST, None),
    ("joined a group", JOINED_GROUP, None),
    ("update with nothing in it", NO_CONTENT, None),
]


@pytest.fixture
def settings(settings: Settings, telegram_api: FakeTelegramAPI) -> Settings:
    return with_telegram(settings, telegram_api)


@pytest.fixture
def channel(telegram_api: FakeTelegramAPI, tmp_path):  # type: ignore[no-untyped-def]
    """An adapter alone, for parsing (no database)."""
    adapter = TelegramChannel(Settings(instance_path=tmp_path, secret_key="x", telegram_bot_token=telegram_api.token,
                                       telegram_api_url=telegram_api.url))
    yield adapter
    adapter.close()


# --- parsing ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("label", "payload", "expected"), PARSE_CASES, ids=[case[0] for case in PARSE_CASES])
def test_updates_become_what_the_person_said(channel, now, label, payload, expected):
    incoming = channel.parse_update(copy.deepcopy(payload), now)
    if expected is None:
        assert incoming is None
        return
    assert incoming is not None
    assert incoming.channel == "telegram"
    assert incoming.received_at == now
    for attribute, value in expected.items():
        assert getattr(incoming, attribute) == value, attribute


@pytest.mark.parametrize("payload", [[], "update", {"update_id": "12"}, {"message": {"text": "hi"}},
                                     {"update_id": 5, "message": {"text": "no chat, no date"}}])
def test_what_is_not_an_update_is_refused(channel, now, payload):
    with pytest.raises(ValueError):
        channel.parse_update(payload, now)


# --- the webhook, end to end ------------------------------------------------------------------------------


def test_menu_is_answered_with_inline_buttons(client, runtime, telegram_api):
    response = post(client, MENU)

    assert response.status_code == 200
    [sent] = telegram_api.sent()
    assert sent["chat_id"] == str(CHAT_ID)
    assert sent["text"] == text("menu", name=" Siti")
    assert [key for _label, key in sent.buttons] == list(MENU_ITEMS)
    assert sent.buttons[0] == (text("menu.cek"), "CEK")
    assert sent.content_type == "application/x-www-form-urlencoded"  # PTB's way, the fake reads both
    [row] = stored(runtime, OutboxMessage)
    assert (row.status, row.channel, row.address) == ("sent", "telegram", str(CHAT_ID))
    assert row.provider_id == f"{CHAT_ID}:1" or row.provider_id.startswith(f"{CHAT_ID}:")


@pytest.mark.parametrize(("payload", "expected"), [
    (START, lambda: text("menu", name=" Siti")),
    (HELP, lambda: text("help")),
    (STICKER, lambda: text("unreadable")),
    (PHOTO, lambda: text("unreadable")),
    (VOICE, lambda: text("unreadable")),
], ids=["/start", "BANTUAN", "sticker", "photo", "voice"])
def test_the_reply_reaches_the_person(client, telegram_api, payload, expected):
    assert post(client, payload).status_code == 200
    assert telegram_api.texts() == [expected()]


def test_a_button_press_is_answered_and_handled_as_that_choice(client, runtime, telegram_api):
    assert post(client, BUTTON).status_code == 200

    [answered] = telegram_api.wait_for("answerCallbackQuery")
    assert answered["callback_query_id"] == "4382bfdwdsb323b2d9"
    assert telegram_api.texts() == [text("help")]
    [inbound] = stored(runtime, InboundMessage)
    assert inbound.kind == "choice"


@pytest.mark.parametrize("payload", [OWN_CONTACT, LOCATION, DOCUMENT], ids=["contact", "location", "document"])
def test_contacts_locations_and_files_are_stored_with_their_kind_and_answered(client, runtime, telegram_api,
                                                                             payload):
    assert post(client, payload).status_code == 200
    [inbound] = stored(runtime, InboundMessage)
    assert inbound.kind == next(key for key in ("contact", "location", "document") if key in payload["message"])
    assert len(telegram_api.sent()) == 1


def test_sharing_ones_own_contact_gives_the_chat_its_phone(client, runtime, telegram_api):
    post(client, OWN_CONTACT)
    [chat] = stored(runtime, Chat)
    assert chat.phone == "+6281234567890"


@pytest.mark.parametrize("payload", [EDITED, CHANNEL_POST, JOINED_GROUP, NO_CONTENT],
                         ids=["edited message", "channel post", "service message", "empty update"])
def test_updates_that_are_not_messages_are_acknowledged_and_ignored(client, runtime, telegram_api, payload):
    assert post(client, payload).status_code == 200
    assert stored(runtime, InboundMessage) == []
    assert telegram_api.sent() == []


def test_the_same_update_twice_is_handled_once(client, runtime, telegram_api):
    assert post(client, MENU).status_code == 200
    assert post(client, MENU).status_code == 200

    assert len(stored(runtime, InboundMessage)) == 1
    assert len(stored(runtime, OutboxMessage)) == 1
    assert len(telegram_api.sent()) == 1


def test_the_bot_is_initialised_once_for_many_messages(client, telegram_api):
    for update_id in range(500, 505):
        post(client, message_update(update_id, text="MENU"))
    assert len(telegram_api.sent()) == 5
    assert len(telegram_api.calls_to("getMe")) == 1


@pytest.mark.parametrize(("secret", "status"), [(TELEGRAM_SECRET, 200), ("wrong-secret", 403), (None, 403),
                                                ("", 403), (TELEGRAM_SECRET + "x", 403), ("sëcret", 403)],
                         ids=["right", "wrong", "missing", "empty", "longer", "not ascii"])
def test_the_secret_header_must_match(client, runtime, telegram_api, secret, status):
    assert post(client, HELLO, secret=secret).status_code == status
    if status == 403:
        assert stored(runtime, InboundMessage) == []
        assert stored(runtime, Chat) == []
        assert telegram_api.calls == []


@pytest.mark.parametrize("sent", [None, "", "anything"], ids=["no header", "empty header", "some header"])
def test_without_a_secret_configured_nothing_is_taken(runtime, telegram_api, sent):
    """Fail closed: a forged update would otherwise speak as any chat (a cadre, a member withdrawing consent)."""
    app = create_app(runtime=replace_settings(runtime, telegram_webhook_secret=None))
    assert post(app.test_client(), HELLO, secret=sent).status_code == 403
    assert stored(runtime, InboundMessage) == []
    assert stored(runtime, Chat) == []
    assert telegram_api.calls == []


def test_without_telegram_configured_the_webhook_is_not_there(settings):
    from app import build_runtime

    rt = build_runtime(replace(settings, telegram_bot_token=None))
    try:
        assert post(create_app(runtime=rt).test_client(), HELLO).status_code == 404
    finally:
        rt.engine.dispose()


NOISE = "".join(random.Random(7).choices(string.printable + "éñ漢字🙂\u0000", k=5000))


@pytest.mark.parametrize(("raw", "status"), [
    (b"", 400),
    (b"{not json", 400),
    (b"[1, 2, 3]", 400),
    (b'"update"', 400),
    (b'{"update_id": 1, "message": {"message_id": 1}}', 400),  # no chat, no date
    (NOISE.encode("utf-8", "surrogatepass"), 400),
    (bytes(random.Random(8).getrandbits(8) for _ in range(5000)), 400),
    (json.dumps(message_update(600, text=NOISE)).encode(), 200),
    (json.dumps(message_update(601, text="\ud83d lone surrogate")).encode(), 200),
], ids=["empty", "broken json", "array", "string", "not an update", "5000 chars noise", "5000 random bytes",
        "5000 chars of noise as text", "lone surrogate"])
def test_nothing_anyone_posts_makes_a_server_error(client, runtime, raw, status):
    assert post(client, None, raw=raw).status_code == status


@pytest.mark.parametrize("payload", [
    {"update_id": 10**80, "message": HELLO["message"]},
    {"update_id": True, "message": HELLO["message"]},
    {"update_id": 700, "message": {**HELLO["message"], "text": 12345}},
    {"update_id": 701, "message": {**HELLO["message"], "chat": {"id": 10**70, "type": "private"}}},
    {"update_id": 702, "message": {**HELLO["message"], "date": 10**20}},
    {"update_id": 703, "message": {**HELLO["message"], "from": {"id": "x", "first_name": ["a"]}}},
    {"update_id": 704, "message": "MENU"},
    {"update_id": 705, "callback_query": {"id": 5, "from": USER, "chat_instance": "1", "data": {"a": 1}}},
    {"update_id": 706, "message": {**HELLO["message"], "contact": {"phone_number": None, "first_name": "x"}}},
], ids=["huge update_id", "boolean update_id", "number as text", "huge chat id", "date far away",
        "sender of the wrong shape", "message is a string", "callback data an object", "contact without phone"])
def test_updates_of_the_wrong_shape_are_refused_not_crashed_on(client, runtime, payload):
    assert post(client, payload).status_code in (200, 400)


def test_a_very_long_message_is_answered_with_a_short_quote(client, runtime, telegram_api):
    post(client, message_update(602, text="x" * 5000))
    [sent] = telegram_api.sent()
    assert len(sent["text"]) < 300
    [inbound] = stored(runtime, InboundMessage)
    assert len(inbound.text) <= 1000


# --- polling ------------------------------------------------------------------------------------------------


def test_polling_handles_updates_and_moves_the_offset(runtime, telegram_api):
    channel = runtime.sender.channels["telegram"]
    telegram_api.push_update(MENU)
    telegram_api.push_update(BUTTON)

    offset = poll_once(runtime, channel, None, timeout=1)
    settle(runtime)  # the poller stores the updates; the background worker answers them

    assert offset == BUTTON["update_id"] + 1
    assert telegram_api.texts() == [text("menu", name=" Siti"), text("help")]
    assert telegram_api.wait_for("answerCallbackQuery")
    assert poll_once(runtime, channel, offset, timeout=0) == offset  # confirmed: Telegram forgot them
    assert len(telegram_api.sent()) == 2


def test_the_poll_command_is_registered(app):
    result = app.test_cli_runner().invoke(args=["telegram-poll", "--help"])
    assert result.exit_code == 0
    assert "getUpdates" in result.output


def replace_settings(runtime, **changes):  # type: ignore[no-untyped-def]
    """The same runtime (database, channels) with different settings, for the webhook's own checks."""
    from bot.runtime import Runtime

    return Runtime(settings=replace(runtime.settings, **changes), clock=runtime.clock, engine=runtime.engine,
                   sessions=runtime.sessions, sender=runtime.sender, handle=runtime.handle,
                   services=runtime.services)

