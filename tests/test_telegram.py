"""Telegram end to end: Bot API updates in through the webhook, replies out through the real PTB client to a
fake Bot API on loopback. Payloads follow the Bot API's Update, Message, CallbackQuery, Contact, Location,
PhotoSize and Sticker objects field for field (https://core.telegram.org/bots/api#available-types)."""

from __future__ import annotations

import copy
import json
import random
import string
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app import create_app
from bot.channels import SendFailure
from bot.channels.telegram import TelegramChannel
from bot.channels.telegram_polling import poll_once
from bot.settings import Settings
from handlers.menu import MENU_ITEMS
from handlers.texts import text
from models import Chat, InboundMessage, OutboxMessage
from tests.conftest import settled_client
from tests.fakes import TELEGRAM_SECRET, FakeTelegramAPI, with_telegram
from tests.transcript import settle

pytest_plugins = ["tests.fakes.fixtures"]

CHAT_ID = 3527065
USER = {"id": CHAT_ID, "is_bot": False, "first_name": "Siti", "last_name": "Rahayu", "username": "sitirahayu",
        "language_code": "id"}
PRIVATE_CHAT = {"id": CHAT_ID, "first_name": "Siti", "last_name": "Rahayu", "username": "sitirahayu",
                "type": "private"}


def message_update(update_id: int, **content: Any) -> dict[str, Any]:
    """An Update carrying a Message from Siti in her private chat with the bot."""
    return {"update_id": update_id,
            "message": {"message_id": update_id % 1000, "from": USER, "chat": PRIVATE_CHAT, "date": 1748829600,
                        **content}}


HELLO = message_update(174114370, text="Halo, selamat pagi")
MENU = message_update(174114371, text="MENU")
START = message_update(174114372, text="/start",
                       entities=[{"offset": 0, "length": 6, "type": "bot_command"}])
HELP = message_update(174114373, text="bantuan")
BUTTON = {
    "update_id": 174114374,
    "callback_query": {
        "id": "4382bfdwdsb323b2d9",
        "from": USER,
        "message": {"message_id": 41, "from": {"id": 7000000001, "is_bot": True, "first_name": "KaderBot JKN",
                                               "username": "KaderBotJKN_bot"},
                    "chat": PRIVATE_CHAT, "date": 1748829500, "text": "Halo Siti! Saya KaderBot JKN."},
        "chat_instance": "-8474920837293723512",
        "data": "BANTUAN",
    },
}
OWN_CONTACT = message_update(174114375, contact={"phone_number": "6281234567890", "first_name": "Siti",
                                                 "last_name": "Rahayu", "user_id": CHAT_ID})
OTHER_CONTACT = message_update(174114376, contact={"phone_number": "+62 812-9876-5432", "first_name": "Budi"})
LOCATION = message_update(174114377, location={"latitude": -7.566035, "longitude": 110.826172})
PHOTO = message_update(174114378, photo=[
    {"file_id": "AgACAgUAAxkBAAIBY2Y", "file_unique_id": "AQADq7wxG3n1", "file_size": 1140, "width": 90,
     "height": 51},
    {"file_id": "AgACAgUAAxkBAAIBY2Z", "file_unique_id": "AQADq7wxG3n2", "file_size": 104737, "width": 1280,
     "height": 720},
])
PHOTO_WITH_CAPTION = message_update(174114379, photo=PHOTO["message"]["photo"], caption="menu")
STICKER = message_update(174114380, sticker={
    "file_id": "CAACAgIAAxkBAAIBZGY", "file_unique_id": "AgADeQADVp29Cg", "type": "regular", "width": 512,
    "height": 512, "is_animated": False, "is_video": False, "emoji": "👍",
    "thumbnail": {"file_id": "AAMCAgADGQEAAgFkZg", "file_unique_id": "AQADeQADVp29Cg", "file_size": 5416,
                  "width": 128, "height": 128},
    "set_name": "HotCherry", "file_size": 25084})
VOICE = message_update(174114381, voice={"file_id": "AwACAgUAAxkBAAIBZWY", "file_unique_id": "AgADnQ4AAq",
                                         "duration": 3, "mime_type": "audio/ogg", "file_size": 8316})
DOCUMENT = message_update(174114382, document={"file_name": "kartu.pdf", "mime_type": "application/pdf",
                                               "file_id": "BQACAgUAAxkBAAIBZmY", "file_unique_id": "AgADnw4AAq",
                                               "file_size": 45409})
EDITED = {"update_id": 174114383,
          "edited_message": {"message_id": 41, "from": USER, "chat": PRIVATE_CHAT, "date": 1748829600,
                             "edit_date": 1748829660, "text": "MENU"}}
CHANNEL_POST = {"update_id": 174114384,
                "channel_post": {"message_id": 7, "sender_chat": {"id": -1001234567890, "title": "Info JKN",
                                                                  "type": "channel"},
                                 "chat": {"id": -1001234567890, "title": "Info JKN", "type": "channel"},
                                 "date": 1748829600, "text": "Pengumuman"}}
JOINED_GROUP = {"update_id": 174114385,
                "message": {"message_id": 9, "from": USER,
                            "chat": {"id": -4012345678, "title": "Kader Surakarta", "type": "group"},
                            "date": 1748829600, "new_chat_members": [USER]}}
NO_CONTENT = {"update_id": 174114386}

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


def post(client, payload: Any, secret: str | None = TELEGRAM_SECRET, raw: bytes | None = None):  # type: ignore[no-untyped-def]
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    data = raw if raw is not None else json.dumps(payload)
    return client.post("/webhooks/telegram", data=data, headers=headers, content_type="application/json")


def stored(runtime, model):  # type: ignore[no-untyped-def]
    with runtime.sessions() as session:
        return list(session.execute(select(model).order_by(model.id)).scalars())


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


# --- failures when sending ----------------------------------------------------------------------------------


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
