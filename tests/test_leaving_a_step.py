"""Never stuck in a flow: a keyword leaves any step and does what it says, unless the message is the step's
answer; every step's refusal says how to leave; HAPUS always works. Transcripts in the web chat, from Budi's
phone on file (card number and birth date prove identity; tests/test_identity.py covers the other ways)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from handlers import STEPS, cadre, cadre_guided, cadre_report, identity, member, member_help, menu, rehab
from models import Chat, ChatFamily, Consent, Promise, RehabPlan, Ticket
from tests.journeys import AGUS_CARD, AGUS_NIK, BUDI_CARD, BUDI_PHONE, arrange_branch, verify
from tests.transcript import Person

LEAVE = "Ketik BATAL untuk keluar."


@pytest.fixture
def branch(db):
    return arrange_branch(db)


def state(db) -> str | None:  # type: ignore[no-untyped-def]
    return db.execute(select(Chat.state)).scalar_one()


@pytest.mark.parametrize(("typed", "expected"), [
    ("halo", "Pilih salah satu"),
    ("DAFTAR", "Kartu Keluarga wajib didaftarkan"),
    ("CEK KADER KDR-SKA-01", "TERDAFTAR dan AKTIF"),
    ("MULAI", "Ketik STOP untuk berhenti"),  # reminders were never off: "sudah menyala"
    ("HAPUS", "ditarik"),
    ("bayar", "88888 + 11 angka terakhir"),
    ("TIKET", "Belum ada tiket"),
])
def test_a_keyword_at_the_card_number_step_leaves_it_and_does_what_it_says(runtime, branch, db, typed, expected):
    member = Person(runtime, phone=BUDI_PHONE)
    member.send("CEK")
    reply = member.says(typed)
    assert expected in reply
    assert "bukan nomor kartu" not in reply
    assert state(db) is None


def test_a_keyword_button_pressed_at_a_step_leaves_it(runtime, branch, db):
    member = Person(runtime, phone=BUDI_PHONE)
    member.send("CEK")
    assert "Kartu Keluarga wajib didaftarkan" in member.says(choice="DAFTAR")  # an old menu button
    assert state(db) is None


def test_a_complaint_typed_at_the_card_number_step_is_sent_once_identity_is_proved(runtime, branch, db):
    member = Person(runtime, phone=BUDI_PHONE)
    member.send("CEK")
    asked = member.says("KELUHAN kartu anak saya belum aktif")
    assert "nomor kartu JKN" in asked and "bukan nomor kartu" not in asked
    member.send(BUDI_CARD)
    member.send("17-08-1985")
    assert "K-000001" in member.says("YA")
    assert db.execute(select(Ticket.text)).scalar_one() == "kartu anak saya belum aktif"


def test_a_keyword_at_the_birth_date_step_leaves_it(runtime, branch, db):
    member = Person(runtime, phone=BUDI_PHONE)
    member.send("CEK")
    member.send(BUDI_CARD)
    reply = member.says("DAFTAR")
    assert "Kartu Keluarga wajib didaftarkan" in reply and "belum terbaca" not in reply
    assert state(db) is None


def test_what_reads_as_the_steps_answer_stays_an_answer(runtime, branch, db):
    member = Person(runtime, phone=BUDI_PHONE)
    verify(member)
    member.send("KELUHAN")
    # Free text at the complaint step, even when it opens with a keyword or a greeting.
    assert "K-000001" in member.says("cek kartu anak saya, daftar ulang belum masuk")
    member.send("KELUHAN")
    assert "K-000002" in member.says("Halo kak, bayar lewat mana?")
    assert db.execute(select(Ticket.text).order_by(Ticket.id)).scalars().all() == [
        "cek kartu anak saya, daftar ulang belum masuk", "Halo kak, bayar lewat mana?"]


@pytest.mark.parametrize("steps", [
    ["CEK", "hah?"],  # card number
    ["CEK", BUDI_CARD, "kemarin"],  # birth date
    ["CEK", BUDI_CARD, "17-08-1985", "mungkin"],  # consent
    ["DAFTAR", "1", "Atlantis"],  # the area of a visit request
])
def test_every_refusal_at_a_step_says_how_to_leave(runtime, branch, db, steps):
    member = Person(runtime, phone=BUDI_PHONE)
    *before, last = steps
    for typed in before:
        member.send(typed)
    reply = member.says(last)
    assert LEAVE in reply
    assert state(db) is not None  # still at the step: nothing typed so far is lost
    assert "Pilih salah satu" in member.says("BATAL")
    assert state(db) is None


@pytest.mark.parametrize(("opening", "refused"), [
    ("JANJI", "kapan-kapan"),  # the promise's date
    ("KELUHAN", "   "),  # the complaint's text
])
def test_every_refusal_at_a_verified_members_step_says_how_to_leave(runtime, branch, db, opening, refused):
    member = Person(runtime, phone=BUDI_PHONE)
    verify(member)
    member.send(opening)
    assert LEAVE in member.says(refused)


def test_the_which_family_step_says_how_to_leave(runtime, branch):
    member = Person(runtime, phone=BUDI_PHONE)
    verify(member)
    member.send("TAMBAH")
    member.send(AGUS_CARD)
    member.send(AGUS_NIK)  # no phone on file for Agus: his NIK is the second factor
    member.send("12-12-1990")
    member.send("YA")
    member.send("MENU")  # Agus's family, just proved, stays chosen until MENU
    assert "beberapa keluarga" in member.says("CEK")
    reply = member.says("hah?")
    assert "beberapa keluarga" in reply and LEAVE in reply


def test_english_members_are_told_how_to_leave_in_english(runtime, branch):
    member = Person(runtime, phone=BUDI_PHONE)
    member.send("BAHASA EN")
    member.send("CEK")
    assert "Type BATAL to leave." in member.says("hah?")


@pytest.mark.parametrize("into_the_flow", [
    ["JANJI"],  # the promise's date
    ["KELUHAN"],  # the complaint's text: HAPUS is not a complaint
    ["REHAB"],  # the instalment count
    ["REHAB", "5"],  # the confirmation
])
def test_hapus_works_inside_every_flow(runtime, branch, db, into_the_flow):
    member = Person(runtime, phone=BUDI_PHONE)
    verify(member)
    for typed in into_the_flow:
        member.send(typed)
    assert state(db) is not None
    assert "ditarik" in member.says("HAPUS")
    assert state(db) is None
    assert db.execute(select(Consent.withdrawn_at)).scalar_one() is not None
    assert db.execute(select(func.count(ChatFamily.id))).scalar_one() == 0
    assert db.execute(select(func.count(Ticket.id))).scalar_one() == 0
    assert db.execute(select(func.count(RehabPlan.id))).scalar_one() == 0


def test_hapus_works_while_proving_identity(runtime, branch, db):
    member = Person(runtime, phone=BUDI_PHONE)
    member.send("CEK")
    member.send(BUDI_CARD)
    assert "ditarik" in member.says("HAPUS")
    assert state(db) is None


def test_janji_with_its_date_at_the_date_step_is_the_date(runtime, branch, db):
    member = Person(runtime, phone=BUDI_PHONE)
    verify(member)
    assert "Kapan Anda bisa membayar" in member.says("JANJI")
    assert "Janji bayar dicatat: 20 Juni 2025" in member.says("JANJI 20/6")
    assert db.execute(select(Promise.promised_on)).scalar_one() == date(2025, 6, 20)
    assert state(db) is None


def test_a_word_one_letter_from_hapus_never_withdraws_consent(runtime, branch, db):
    member = Person(runtime, phone=BUDI_PHONE)
    verify(member)
    assert "ditarik" not in member.says("harus bayar berapa?")
    assert db.execute(select(Consent.withdrawn_at)).scalar_one() is None
    assert db.execute(select(func.count(ChatFamily.id))).scalar_one() == 1
    assert "ditarik" in member.says("hapus")


@pytest.mark.parametrize("yes", ["iya", "Oke.", "ya setuju", "y"])
def test_consent_reads_the_one_yes_vocabulary(runtime, branch, yes):
    member = Person(runtime, phone=BUDI_PHONE)
    member.send("CEK")
    member.send(BUDI_CARD)
    member.send("17-08-1985")
    assert "Terima kasih Budi, data Anda cocok." in member.says(yes)


@pytest.mark.parametrize("no", ["tolak", "tidak setuju", "gak"])
def test_consent_reads_the_one_no_vocabulary(runtime, branch, db, no):
    member = Person(runtime, phone=BUDI_PHONE)
    member.send("CEK")
    member.send(BUDI_CARD)
    member.send("17-08-1985")
    assert "tidak kami tampilkan" in member.says(no)
    assert db.execute(select(ChatFamily)).first() is None


@pytest.mark.parametrize(("typed", "expected"), [
    ("tolak", "tidak jadi mendaftar"), ("gak jadi", "tidak jadi mendaftar"), ("tidak setuju", "tidak jadi mendaftar"),
    ("ya setuju", "Pendaftaran REHAB berhasil"), ("Oke.", "Pendaftaran REHAB berhasil"),
])
def test_rehab_confirmation_reads_the_same_yes_and_no(runtime, branch, typed, expected):
    member = Person(runtime, phone=BUDI_PHONE)
    verify(member, first="REHAB")
    member.send("5")
    assert expected in member.says(typed)


def test_every_step_in_the_table_is_a_state_its_flow_module_exports():
    flows = (identity, member, member_help, rehab, cadre, menu, cadre_guided, cadre_report)
    exported = [state for flow in flows for state in flow.STATES]
    assert sorted(STEPS) == sorted(exported) and len(set(exported)) == len(exported)


def test_the_janji_button_pressed_before_identity_asks_the_date_once_identity_is_proved(runtime, branch):
    member = Person(runtime, phone=BUDI_PHONE)
    member.send(choice="JANJI")
    member.send(BUDI_CARD)
    member.send("17-08-1985")
    assert "Kapan Anda bisa membayar" in member.says("YA")
