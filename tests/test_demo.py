"""The demo branch: what someone trying the bot finds there, whatever day they load it."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date

import phonenumbers
import pytest
from sqlalchemy import func, select

from ingest.demo import demo_personas, seed_demo
from models import Cadre, Family, Member, Payment
from models.db import make_engine, make_session_factory
from models.ledger import family_arrears
from rules.regions import zone_for_region, zone_label

TODAY = date(2025, 6, 2)


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    summary = seed_demo(db, TODAY)
    db.commit()
    return summary


def arrears_by_card(db, on: date) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Head's card number -> the family's months in arrears on `on`."""
    months = {}
    for family in db.scalars(select(Family)):
        months[family.head.card_number] = family_arrears(db, family, on).months_in_arrears
    return months


def test_families_live_in_all_three_time_zones(db, demo):
    zones = Counter(zone_label(zone_for_region(f.region_code)) for f in db.scalars(select(Family)))
    assert set(zones) == {"WIB", "WITA", "WIT"}
    assert min(zones.values()) >= 40 and sum(zones.values()) >= 200
    assert "families" in demo and "Kota Surakarta" in demo


def test_every_family_has_one_head_and_realistic_identifiers(db, demo):
    families = db.scalars(select(Family)).all()
    assert Counter(len(f.members) for f in families).keys() == {1, 2, 3, 4, 5, 6}
    for family in families:
        assert [m.relation for m in family.members].count("head") == 1
        assert len(family.number) == 16 and family.number.startswith(family.region_code)
        for member in family.members:
            assert len(member.card_number) == 13 and member.card_number.startswith("000")
            nik = member.nik
            assert len(nik) == 16 and nik[:4] == member.region_code == family.region_code
            day = int(nik[6:8]) % 40 or 40  # women: day + 40
            assert (day, int(nik[8:10]), int(nik[10:12])) == (
                member.birth_date.day, member.birth_date.month, member.birth_date.year % 100)
            assert member.birth_date <= TODAY
            if member.phone:
                assert phonenumbers.is_valid_number(phonenumbers.parse(member.phone))
    niks = db.scalars(select(Member.nik)).all()
    assert len(niks) == len(set(niks))
    classes = Counter(db.scalars(select(Member.class_)))
    assert classes[3] > classes[2] + classes[1] and classes[1] > 0
    segments = Counter(f.head.segment for f in families)
    assert segments["PBPU"] > segments["BP"] > 0 and segments["PPU"] > 0 and segments["PBI"] > 0
    assert sum(1 for f in families if f.head.phone) > 0.7 * len(families)


def test_arrears_span_paid_up_to_more_than_24_months(db, demo):
    months = arrears_by_card(db, TODAY)
    assert min(months.values()) == 0
    assert max(months.values()) == 50
    assert sum(1 for m in months.values() if m == 10) >= 5
    assert sum(1 for m in months.values() if 4 <= m <= 24) >= 50
    assert sum(1 for m in months.values() if m > 24) >= 10
    assert db.scalar(select(func.count(Payment.id))) > 20


def test_arrears_are_relative_to_the_day_the_demo_is_loaded(db):
    later = date(2027, 1, 20)
    seed_demo(db, later)
    db.commit()
    budi = next(p for p in demo_personas(db) if p.name == "Budi Santoso")
    assert arrears_by_card(db, later)[budi.card_number] == 10


def test_cadres_have_families_of_their_own_region(db, demo):
    cadres = db.scalars(select(Cadre)).all()
    assert 4 <= len(cadres) <= 6
    supervisors = {c.supervisor.code for c in cadres if c.supervisor}
    assert len(supervisors) == 1
    for cadre in cadres:
        assert 30 <= len(cadre.assignments) <= 60
        assert {a.family.region_code for a in cadre.assignments} == {cadre.region_code}
        assert cadre.phone.startswith("+62") and cadre.telegram_username and cadre.code.startswith("KDR-")


def test_personas_are_real_people_of_the_demo(db, demo):
    personas = demo_personas(db)

    assert 8 <= len(personas) <= 10
    members = [p for p in personas if p.role == "member"]
    cadre_phones = set(db.scalars(select(Cadre.phone)))
    zones = set()
    for persona in members:
        row = db.scalars(select(Member).where(Member.card_number == persona.card_number)).one()
        assert (row.name, row.birth_date, row.phone) == (persona.name, persona.birth_date, persona.phone)
        zones.add(zone_label(zone_for_region(row.region_code)))
    assert zones == {"WIB", "WITA", "WIT"}
    assert {p.phone for p in personas if p.role == "cadre"} <= cadre_phones
    assert len({p.phone for p in personas}) == len(personas)

    months = arrears_by_card(db, TODAY)
    by_note = {p.note.split(":")[0]: months[p.card_number] for p in members}
    assert sorted(by_note.values()) == [0, 2, 6, 7, 10, 50]
    shared = next(p for p in members if "TAMBAH" in p.note)
    assert len(db.scalars(select(Member.family_id).where(Member.phone == shared.phone)).all()) == 2
    ppu = next(p for p in members if "PPU" in p.note)
    assert db.scalars(select(Member.segment).where(Member.card_number == ppu.card_number)).one() == "PPU"


def test_seeding_again_changes_nothing(db, demo):
    families = db.scalar(select(func.count(Family.id)))
    assert seed_demo(db, TODAY) == "the demo branch is already loaded; nothing changed"
    db.commit()
    assert db.scalar(select(func.count(Family.id))) == families


def test_personas_are_empty_without_the_demo(db):
    assert demo_personas(db) == []


def test_the_demo_is_the_same_on_every_machine(sqlite_template, tmp_path):
    loaded = []
    for name in ("one.db", "two.db"):
        shutil.copy(sqlite_template, tmp_path / name)
        engine = make_engine(f"sqlite:///{tmp_path / name}")
        with make_session_factory(engine).begin() as session:
            summary = seed_demo(session, TODAY)
        with make_session_factory(engine)() as session:
            loaded.append((summary, demo_personas(session),
                           session.execute(select(Member.card_number, Member.nik, Member.name)).all()))
        engine.dispose()
    assert loaded[0] == loaded[1]


def test_seed_demo_command(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.output.startswith("Loaded the demo branch: ")
    again = app.test_cli_runner().invoke(args=["seed-demo"])
    assert "already loaded" in again.output


def test_a_reminder_pass_can_be_watched_arriving_in_the_web_chat(client, app, db, demo):
    """The demo of issue 11: chat as Budi in the web chat, run `flask remind --at ...`, see the reminder."""
    budi = next(p for p in demo_personas(db) if p.name == "Budi Santoso")

    def say(text: str) -> dict:  # type: ignore[type-arg]
        return client.post("/chat/messages", json={"text": text, "phone": budi.phone, "slot": "budi"}).get_json()

    say("CEK")
    say(budi.card_number or "")
    say(f"{budi.birth_date:%d-%m-%Y}")
    last = say("YA")["after"]
    result = app.test_cli_runner().invoke(args=["remind", "--at", "2025-06-20T02:00:00+00:00"])
    assert "dues_arrears" in result.output and "web 1" in result.output, result.output
    arrived = client.get(f"/chat/messages?slot=budi&after={last}").get_json()["messages"]
    [reminder] = [message for message in arrived if message["kind"] == "reminder"]
    assert "tidak aktif: tunggakan 11 bulan" in reminder["text"]
    assert "Rp1.155.000" in reminder["text"] and "Ketik REHAB" in reminder["text"]
