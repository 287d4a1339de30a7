"""Small things a new user hit in the web chat, as transcripts: Solo is Surakarta, MULAI twice, a closed
ticket's trailing space, and greeting a member by the name they use rather than a title."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Member, OutboxMessage, Ticket
from tests.journeys import BUDI_PHONE, CADRE_PHONE, arrange_branch, verify
from tests.transcript import Person


@pytest.fixture
def branch(db):  # type: ignore[no-untyped-def]
    return arrange_branch(db)


@pytest.mark.parametrize("typed", ["solo", "Solo", "kota Solo", "saya di solo"])
def test_solo_is_surakarta_when_asking_for_a_visit(runtime, branch, db, typed):
    person = Person(runtime, address="web-new", phone="+6285700001111")
    person.send("DAFTAR")
    assert "kota/kabupaten" in person.says("KUNJUNGAN")
    assert "untuk wilayah Kota Surakarta" in person.says(typed)
    ticket = db.execute(select(Ticket)).scalar_one()
    assert (ticket.kind, ticket.region_code, ticket.cadre_id is not None) == ("registration", "3372", True)


def test_mulai_twice_says_the_reminders_were_already_on(runtime, branch):
    member = Person(runtime)
    assert "sudah menyala" in member.says("MULAI")  # never stopped
    member.send("STOP")
    assert "aktif lagi" in member.says("MULAI")
    second = member.says("MULAI")
    assert "aktif lagi" not in second and "Pengingat iuran sudah menyala" in second


def test_a_ticket_closed_without_a_note_leaves_no_trailing_space(runtime, branch, db):
    cadre = Person(runtime, address="web-cadre", phone=CADRE_PHONE)
    cadre.send("HALO")
    member = Person(runtime, phone=BUDI_PHONE)
    verify(member)
    member.send("KELUHAN kartu anak belum aktif")
    assert "ditutup" in cadre.says("TUTUP K-000001")
    notice = db.execute(select(OutboxMessage.body).where(OutboxMessage.address == "web-test",
                                                         OutboxMessage.kind == "notice")).scalar_one()
    assert notice == "Tiket K-000001 sudah diselesaikan oleh kader Sri Wahyuni."
    assert member.says("TIKET") == "Tiket K-000001: selesai."


def test_a_member_is_greeted_by_the_name_they_use_not_a_title(runtime, branch, db):
    budi = db.execute(select(Member).where(Member.name == "Budi Santoso")).scalar_one()
    budi.name = "Muhammad Budi Santoso"
    db.commit()
    member = Person(runtime, phone=BUDI_PHONE)
    reply = verify(member)
    assert "Terima kasih Budi, data Anda cocok." in reply and "Terima kasih Muhammad" not in reply
    assert "- Budi (0001*****8911)" in reply


def test_the_menu_greets_the_chat_by_the_name_it_uses(runtime, branch):
    member = Person(runtime, address="web-syahrul")
    # The web chat passes the name typed on its first page, as WhatsApp passes a profile name.
    reply = member.send("MENU", sender_name="H. Muhammad Syahrul")
    assert reply
    body = reply[0]
    assert body.startswith("Halo Syahrul!")


def test_the_menu_does_not_ask_for_numbers_it_does_not_show(runtime, branch):
    reply = Person(runtime).says("MENU")
    assert "ketik angka" not in reply and "Pilih salah satu" in reply
