"""Identity as transcripts in the web chat: two real factors, the family lock (and the owner's way through it),
the lock's count under concurrency, and numbers that tell nobody whether they exist."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from models import Chat, ChatFamily, VerificationAttempt
from tests.journeys import (
    BUDI_CARD,
    BUDI_NIK,
    BUDI_PHONE,
    SITI_CARD,
    SITI_NIK,
    arrange_branch,
    verify,
)
from tests.transcript import Person

RINA_CARD, RINA_NIK = "0001944358933", "3372012001100003"  # Budi's daughter, born 20-01-2010
STRANGER_PHONE = "+6289900001111"


@pytest.fixture
def branch(db):
    return arrange_branch(db)


def stranger(runtime, address: str = "web-stranger", phone: str | None = STRANGER_PHONE) -> Person:  # type: ignore[no-untyped-def]
    return Person(runtime, address=address, phone=phone)


def test_knowing_a_nik_is_not_enough_from_a_phone_not_on_file(runtime, branch, db):
    # The birth date is written inside the NIK (170885): typing both proves nothing.
    thief = stranger(runtime)
    thief.send("CEK")
    asked = thief.says(BUDI_NIK)
    assert "ketik juga nomor kartu JKN" in asked and "tanggal lahir" not in asked
    replies = [thief.says("17-08-1985"), thief.says("YA")]
    assert not any("Rp" in reply or "Budi" in reply for reply in replies)
    assert db.execute(select(ChatFamily)).first() is None


def test_the_card_number_is_the_second_factor_for_a_nik_and_the_other_way_round(runtime, branch):
    member = stranger(runtime, address="web-a", phone=None)
    member.send("CEK")
    assert "ketik juga nomor kartu JKN" in member.says(BUDI_NIK)
    assert "tanggal lahir" in member.says(BUDI_CARD)
    member.send("17-08-1985")
    assert "Rp1.050.000" in member.says("YA")
    wife = stranger(runtime, address="web-b", phone=None)
    wife.send("CEK")
    assert "ketik juga NIK" in wife.says(SITI_CARD)
    assert "Rp1.050.000" in verify(wife, card=SITI_CARD, second=SITI_NIK, birth="05-03-1988")


def test_the_owner_writing_from_the_phone_on_file_gives_card_and_birth_date_only(runtime, branch):
    owner = Person(runtime, phone=BUDI_PHONE)
    owner.send("CEK")
    assert "tanggal lahir" in owner.says(BUDI_CARD)
    owner.send("17-08-1985")
    assert "Rp1.050.000" in owner.says("YA")


def test_a_card_and_a_nik_of_two_members_do_not_make_a_pair(runtime, branch, db):
    mixer = stranger(runtime)
    mixer.send("CEK")
    mixer.send(BUDI_CARD)
    assert "tanggal lahir" in mixer.says(SITI_NIK)  # told nothing yet
    assert "Data tidak cocok" in mixer.says("17-08-1985")
    assert db.execute(select(ChatFamily)).first() is None


def test_wrong_dates_across_the_members_of_a_family_lock_the_family(runtime, branch):
    for address, card, nik, guesses in (("web-g1", BUDI_CARD, BUDI_NIK, 3), ("web-g2", SITI_CARD, SITI_NIK, 2)):
        guesser = stranger(runtime, address=address, phone=None)
        guesser.send("CEK")
        guesser.send(card)
        guesser.send(nik)
        for _ in range(guesses):
            reply = guesser.says("01-01-1980")
    assert "dikunci" in reply  # the fifth wrong date of the family, from a second chat
    # Rina's own card, NIK and date, from a third chat: the family is locked for everyone else.
    other = stranger(runtime, address="web-g3", phone=None)
    other.send("CEK")
    other.send(RINA_CARD)
    other.send(RINA_NIK)
    reply = other.says("20-01-2010")
    assert "dikunci" in reply and "60 menit" in reply and "Rina" not in reply


def test_the_owner_still_passes_while_strangers_locked_the_family(runtime, branch):
    guesser = stranger(runtime)
    guesser.send("CEK")
    guesser.send(BUDI_CARD)
    guesser.send(BUDI_NIK)
    for _ in range(5):
        reply = guesser.says("01-01-1980")
    assert "dikunci" in reply
    assert "Rp1.050.000" in verify(Person(runtime, phone=BUDI_PHONE))  # from the phone on file
    late = stranger(runtime, address="web-late", phone=None)  # the lock stays for everyone else
    late.send("CEK")
    late.send(BUDI_CARD)
    late.send(BUDI_NIK)
    assert "dikunci" in late.says("17-08-1985")


def test_wrong_dates_from_the_phone_on_file_lock_it_too(runtime, branch):
    owner = Person(runtime, phone=BUDI_PHONE)
    owner.send("CEK")
    owner.send(BUDI_CARD)
    for left in (4, 3, 2, 1):
        assert f"Sisa percobaan: {left}" in owner.says("01-01-1980")
    assert "dikunci" in owner.says("01-01-1980")


def test_thirty_concurrent_wrong_dates_record_exactly_five(runtime, branch, db):
    """8 workers, 30 chats at the birth date step of one family: the count is exact (the family's row lock on
    PostgreSQL; BEGIN IMMEDIATE serialises SQLite)."""
    chats = [stranger(runtime, address=f"web-race-{n}", phone=None) for n in range(30)]
    for chat in chats:
        chat.send("CEK")
        chat.send(BUDI_CARD)
        assert "tanggal lahir" in chat.says(BUDI_NIK)
    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(pool.map(lambda chat: chat.says("01-01-1980"), chats))
    assert db.execute(select(func.count(VerificationAttempt.id))).scalar_one() == 5
    assert sum("Data tidak cocok" in reply for reply in replies) == 4
    assert sum("dikunci" in reply for reply in replies) == 26


def test_unknown_and_known_numbers_get_the_same_answers(runtime, branch):
    def answers(person: Person, card: str, nik: str) -> list[str]:
        return [person.says(typed) for typed in ("CEK", card, nik, "01-01-1980")]

    known = answers(stranger(runtime, address="web-known", phone=None), BUDI_CARD, BUDI_NIK)
    unknown = answers(stranger(runtime, address="web-unknown", phone=None), "0009999999999", "3372010101800009")
    assert known == unknown
    assert "tidak cocok" in unknown[-1]


def test_more_than_ten_numbers_in_ten_minutes_are_refused_per_chat_and_per_phone(runtime, branch):
    prober = stranger(runtime)
    prober.send("CEK")
    for n in range(10):
        assert "ketik juga NIK" in prober.says(f"00099999999{n:02d}")
    refused = prober.says("0009999999910")
    assert "terlalu banyak nomor" in refused and "10 menit" in refused
    same_phone = stranger(runtime, address="web-same-phone")  # another chat of the same phone
    same_phone.send("CEK")
    assert "terlalu banyak nomor" in same_phone.says(BUDI_CARD)
    prober.wait(minutes=11)
    prober.send("CEK")
    assert "ketik juga NIK" in prober.says(BUDI_CARD)


def test_the_second_factor_step_says_how_to_leave_and_batal_leaves(runtime, branch, db):
    member = stranger(runtime, phone=None)
    member.send("CEK")
    member.send(BUDI_CARD)
    reply = member.says("hah?")
    assert "bukan nomor kartu" in reply and "ketik juga NIK" in reply and "Ketik BATAL untuk keluar." in reply
    assert "12 angka" in member.says("337201170885")  # a NIK four digits short is told so
    assert "Kartu Keluarga wajib didaftarkan" in member.says("DAFTAR")  # a keyword leaves the step
    assert db.execute(select(Chat.state).where(Chat.address == member.address)).scalar_one() is None
