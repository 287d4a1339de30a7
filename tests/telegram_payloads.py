"""Bot API Updates from Siti's private chat, for the Telegram tests, and posting them to the webhook. Payloads
follow the Bot API's Update, Message, CallbackQuery, Contact, Location, PhotoSize and Sticker objects field
for field (https://core.telegram.org/bots/api#available-types)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from tests.fakes import TELEGRAM_SECRET

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


def post(client, payload: Any, secret: str | None = TELEGRAM_SECRET, raw: bytes | None = None):  # type: ignore[no-untyped-def]
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    data = raw if raw is not None else json.dumps(payload)
    return client.post("/webhooks/telegram", data=data, headers=headers, content_type="application/json")


def stored(runtime, model):  # type: ignore[no-untyped-def]
    with runtime.sessions() as session:
        return list(session.execute(select(model).order_by(model.id)).scalars())

