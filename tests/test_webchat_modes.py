"""WEBCHAT: off (404), demo (demo personas' phones only) and on; and the chat is named by a cookie, not the URL.

The hole these close: `POST /chat/<id>/messages {"text": "SIAPA", "phone": "<a cadre's number>"}` made any
browser that cadre, reading families' complaints and answering members with whatever it liked.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from app import create_app
from ingest.demo import demo_personas, seed_demo
from models import Cadre, Chat, InboundMessage, Member
from tests.journeys import CADRE_PHONE, arrange_branch

CHAT = "/chat/messages"


@pytest.fixture
def mode_app(runtime):  # type: ignore[no-untyped-def]
    """`mode_app("demo")`: the same runtime served in another WEBCHAT mode."""

    def build(mode: str | None):  # type: ignore[no-untyped-def]
        runtime.settings = replace(runtime.settings, webchat=mode)
        application = create_app(runtime=runtime)
        application.config["TESTING"] = True
        return application

    return build


@pytest.fixture
def demo(runtime, db):  # type: ignore[no-untyped-def]
    seed_demo(db, runtime.clock.now().date())
    db.commit()
    return demo_personas(db)


def stored(db, model):  # type: ignore[no-untyped-def]
    return db.execute(select(model)).scalars().all()


@pytest.mark.parametrize("mode", ["off", None], ids=["off", "unset"])
def test_off_and_unset_answer_404_on_every_web_chat_route(mode_app, db, mode):
    client = mode_app(mode).test_client()
    assert client.get("/").status_code == 404
    assert client.get("/chat/personas").status_code == 404
    assert client.get(CHAT).status_code == 404
    assert client.post(CHAT, json={"text": "MENU"}).status_code == 404
    assert stored(db, Chat) == [] and stored(db, InboundMessage) == []
    assert client.get("/healthz").status_code == 200  # the rest of the service is there


def test_demo_refuses_a_real_cadres_phone_with_a_clear_json_error(mode_app, db):
    arrange_branch(db)  # a cadre who is not a demo persona: the attack in the issue
    client = mode_app("demo").test_client()
    response = client.post(CHAT, json={"text": "SIAPA", "phone": CADRE_PHONE})
    assert response.status_code == 403
    body = response.get_json()
    assert "hanya nomor HP peserta atau kader demo" in body["error"]
    assert "only the demo members' and cadres' phone numbers" in body["error_en"]
    assert stored(db, Chat) == [] and stored(db, InboundMessage) == []


def test_demo_refuses_a_demo_members_phone_that_is_not_a_persona(mode_app, demo, db):
    personas = {p.phone for p in demo}
    other = db.execute(select(Member.phone).where(Member.phone.is_not(None), Member.phone.not_in(personas))
                       ).scalars().first()
    local = "0" + other.removeprefix("+62")  # typed the Indonesian way: the check is on the E.164 number
    response = mode_app("demo").test_client().post(CHAT, json={"text": "CEK", "phone": local})
    assert response.status_code == 403
    assert stored(db, Chat) == []


def test_demo_lets_a_demo_cadre_persona_be_that_cadre(mode_app, demo, db):
    cadre = next(p for p in demo if p.role == "cadre")
    response = mode_app("demo").test_client().post(CHAT, json={"text": "SIAPA", "phone": cadre.phone})
    assert response.status_code == 200
    chat = db.execute(select(Chat).where(Chat.channel == "web")).scalar_one()
    assert chat.phone == cadre.phone
    assert chat.cadre_id == db.execute(select(Cadre.id).where(Cadre.phone == cadre.phone)).scalar_one()


def test_demo_lets_a_stranger_without_a_phone_chat(mode_app, db):
    response = mode_app("demo").test_client().post(CHAT, json={"text": "BANTUAN"})
    assert response.status_code == 200
    assert "Care Center 165" in response.get_json()["messages"][0]["text"]


def test_demo_tells_the_page_its_mode(mode_app):
    assert mode_app("demo").test_client().get("/chat/personas").get_json()["mode"] == "demo"


def test_on_lets_any_phone_chat(mode_app, db):
    arrange_branch(db)
    response = mode_app("on").test_client().post(CHAT, json={"text": "SIAPA", "phone": CADRE_PHONE})
    assert response.status_code == 200
    assert db.execute(select(Chat)).scalar_one().cadre_id is not None


def test_the_old_address_in_the_path_opens_nothing(client):
    assert client.post("/chat/w-test/messages", json={"text": "MENU"}).status_code == 404
    assert client.get("/chat/w-test/messages").status_code == 404


def test_the_chat_lives_in_a_signed_httponly_samesite_strict_cookie(app, client, db):
    page = client.get("/")
    cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    client.post(CHAT, json={"text": "MENU", "slot": "s1"})
    address = db.execute(select(Chat.address)).scalar_one()
    assert address not in cookie  # the address is derived on the server, not carried

    # Everything a log line could hold (the URL, with its slot) opens nothing in another browser...
    thief = app.test_client()
    assert thief.get(f"{CHAT}?slot=s1").get_json()["messages"] == []
    # ...nor does a session cookie with a tampered visitor id: the signature fails, so a fresh one is given.
    name = app.config["SESSION_COOKIE_NAME"]
    value = client.get_cookie(name).value
    thief.set_cookie(name, value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert thief.get(f"{CHAT}?slot=s1").get_json()["messages"] == []
    # The owner, with the cookie, still sees the chat.
    assert len(client.get(f"{CHAT}?slot=s1").get_json()["messages"]) == 1


def test_a_message_id_only_dedupes_within_its_own_chat(app, client):
    """The page's message ids are chosen by the page: another browser's ids cannot swallow this one's."""
    other = app.test_client()
    assert len(other.post(CHAT, json={"text": "MENU", "id": "m1"}).get_json()["messages"]) == 1
    assert len(client.post(CHAT, json={"text": "MENU", "id": "m1"}).get_json()["messages"]) == 1
