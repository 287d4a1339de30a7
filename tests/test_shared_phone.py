"""One phone, two families: the family chosen is remembered for the session, a family can be named, and REHAB
notices to that phone say which family they are about."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import OutboxMessage
from reminders.rehab_notices import remind_overdue
from tests.journeys import AGUS_CARD, AGUS_NIK, BUDI_PHONE, arrange_branch, verify
from tests.transcript import Person


@pytest.fixture
def shared(runtime, db) -> Person:  # type: ignore[no-untyped-def]
    """Budi's phone, proved for his own family and then (TAMBAH) for Agus's."""
    arrange_branch(db)
    phone = Person(runtime, phone=BUDI_PHONE)
    verify(phone)
    phone.send("TAMBAH")
    phone.send(AGUS_CARD)
    phone.send(AGUS_NIK)
    phone.send("12-12-1990")
    phone.send("YA")
    phone.send("MENU")  # a fresh start: the next question about data asks which family
    return phone


def test_the_family_chosen_is_remembered_until_menu_or_thirty_quiet_minutes(shared):
    assert "Yang mana?" in shared.says("CEK")
    assert "Rp1.050.000" in shared.says("1")
    assert "8888801944358911" in shared.says("BAYAR")  # no second "Yang mana?"
    assert "Sri Wahyuni" in shared.says("KADER")
    shared.wait(minutes=20)
    assert "Rp1.050.000" in shared.says("CEK")  # still the session: each message keeps it alive
    shared.wait(minutes=31)
    assert "Yang mana?" in shared.says("CEK")
    shared.send("2")
    shared.send("MENU")
    assert "Yang mana?" in shared.says("BAYAR")


@pytest.mark.parametrize("typed", ["budi", "Budi Santoso", "pak budi", "BDUI"])
def test_the_family_can_be_named_by_its_head(shared, typed):
    shared.send("CEK")
    assert "Rp1.050.000" in shared.says(typed)


def test_agus_by_name_and_an_unknown_name_asks_again(shared):
    shared.send("CEK")
    again = shared.says("Joko")
    assert "belum saya kenali" in again and "Yang mana?" in again
    assert "Tidak ada tunggakan" in shared.says("agus salim")


def test_rehab_notices_to_a_shared_phone_name_the_family(runtime, db):
    arrange_branch(db)
    phone = Person(runtime, phone=BUDI_PHONE)
    verify(phone)
    phone.send("REHAB")
    phone.send("5")
    assert "berhasil" in phone.says("YA")
    single = Person(runtime, address="web-single", phone=BUDI_PHONE)  # this chat knows one family only
    verify(single)
    phone.send("TAMBAH")
    phone.send(AGUS_CARD)
    phone.send(AGUS_NIK)
    phone.send("12-12-1990")
    phone.send("YA")
    with runtime.sessions.begin() as session:
        remind_overdue(session, date(2025, 6, 11), phone.now())
    notices = dict(db.execute(select(OutboxMessage.address, OutboxMessage.body).where(
        OutboxMessage.dedupe_key.like("rehab-overdue:%"), OutboxMessage.address.like("web-%"))).all())
    assert notices[phone.address].startswith("Untuk keluarga Budi (KK 3372********0001):\nPengingat: cicilan REHAB")
    assert notices["web-single"].startswith("Pengingat: cicilan REHAB")
