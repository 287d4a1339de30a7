"""The web chat's JSON API, as the page at `/` uses it: send, press a button, poll, and odd requests."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot import outbox
from bot.messages import Outgoing
from models import Chat

CHAT = "/chat/messages"  # the chat itself is named by the session cookie, never by the URL


def say(client, text=None, after=0, **extra):  # type: ignore[no-untyped-def]
    body = {"after": after, **extra}
    if text is not None:
        body["text"] = text
    response = client.post(CHAT, json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_menu_answers_with_the_menu_text_and_its_buttons(client):
    answer = say(client, "MENU", id="m1", name="Siti Aminah")
    [message] = answer["messages"]
    assert "Halo Siti! Saya KaderBot JKN" in message["text"]
    assert ["CEK", "Cek tunggakan keluarga"] in message["choices"]
    assert ["BANTUAN", "Bantuan"] in message["choices"]
    assert message["kind"] == "reply" and message["at"].endswith("+00:00")
    assert answer["after"] == message["id"]


def test_pressing_a_button_answers_that_choice(client):
    menu = say(client, "MENU")
    answer = say(client, choice="BANTUAN", after=menu["after"])
    [message] = answer["messages"]
    assert "Care Center 165" in message["text"]


def test_polling_returns_only_messages_after_the_last_one_seen(client):
    first = say(client, "MENU")["messages"][0]["id"]
    second = say(client, "BANTUAN", after=first)["messages"][0]["id"]

    assert [m["id"] for m in client.get(f"{CHAT}?after=0").get_json()["messages"]] == [first, second]
    assert [m["id"] for m in client.get(f"{CHAT}?after={first}").get_json()["messages"]] == [second]
    assert client.get(f"{CHAT}?after={second}").get_json() == {"messages": [], "after": second}


def test_a_chat_nobody_wrote_to_has_no_messages(client):
    assert client.get(f"{CHAT}?slot=nobody").get_json() == {"messages": [], "after": 0}


def test_the_same_message_id_sent_twice_is_answered_once(client):
    once = say(client, "MENU", id="retry-1")
    again = say(client, "MENU", id="retry-1")
    assert len(once["messages"]) == 1
    assert again["messages"] == once["messages"]  # the page retried: it gets the answer it missed, not a new one


def test_other_chats_messages_are_not_shown(app, client):
    say(client, "MENU")
    assert client.get(f"{CHAT}?slot=other").get_json()["messages"] == []
    stranger = app.test_client()  # another browser asking for the same slot gets its own (empty) chat
    assert stranger.get(CHAT).get_json()["messages"] == []
    assert stranger.get(f"{CHAT}?slot=default").get_json()["messages"] == []


def test_a_reminder_queued_before_a_reply_is_not_skipped(runtime, client, db):
    """The page asks for ids after the last it saw; a reminder still queued must not be jumped over."""
    menu = say(client, "MENU")
    chat = db.execute(select(Chat).where(Chat.channel == "web")).scalar_one()
    reminder = outbox.queue(db, channel="web", address=chat.address, chat_id=chat.id, kind="reminder",
                            message=Outgoing("Pengingat: iuran bulan Juni"), now=runtime.clock.now())
    db.commit()

    held = say(client, "BANTUAN", after=menu["after"])
    assert held == {"messages": [], "after": menu["after"]}

    runtime.sender.send_now([reminder.id])
    later = client.get(f"{CHAT}?after={menu['after']}").get_json()["messages"]
    assert [m["kind"] for m in later] == ["reminder", "reply"]
    assert "Care Center 165" in later[1]["text"]


def test_a_typed_local_phone_number_is_stored_as_e164(client, db):
    say(client, "MENU", phone="0812-3456-7890")
    chat = db.execute(select(Chat).where(Chat.channel == "web")).scalar_one()
    assert chat.phone == "+6281234567890"


@pytest.mark.parametrize("body", [
    "not json",
    "[1, 2]",
    '{"text": {"nested": true}}',
    '{"text": "MENU", "after": "yesterday"}',
    '{"choice": ["BANTUAN"]}',
])
def test_malformed_bodies_are_refused_with_400(client, body):
    response = client.post(CHAT, data=body, content_type="application/json")
    assert response.status_code == 400
    assert "error" in response.get_json()


def test_a_malformed_poll_is_refused_with_400(client):
    assert client.get(f"{CHAT}?after=abc").status_code == 400


def test_personas_lists_the_demo_members_and_cadres(runtime, client, db):
    demo = pytest.importorskip("ingest.demo", reason="the demo data set (ingest/demo.py) is not there yet")
    demo.seed_demo(db, runtime.clock.now().date())
    db.commit()
    personas = client.get("/chat/personas").get_json()["personas"]
    roles = {p["role"] for p in personas}
    assert roles == {"member", "cadre"}
    member = next(p for p in personas if p["role"] == "member" and p["card_number"])
    assert member["phone"].startswith("+62") and len(member["birth_date"]) == 10 and member["note"]


def test_personas_is_an_empty_list_without_demo_data(client):
    pytest.importorskip("ingest.demo", reason="the demo data set (ingest/demo.py) is not there yet")
    assert client.get("/chat/personas").get_json()["personas"] == []


def test_the_page_loads_its_script_and_styles(client):
    page = client.get("/").get_data(as_text=True)
    assert "/static/chat.js" in page and "/static/chat.css" in page
    assert client.get("/static/chat.js").status_code == 200
    assert client.get("/static/chat.css").status_code == 200
