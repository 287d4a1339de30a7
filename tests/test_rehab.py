"""REHAB as transcripts in the web chat: eligibility, the count, the schedule, YA, the status, payments, the end.

Expected amounts come from the rates (Kelas III member share Rp35.000 a month since 2021) and the REHAB rules
of the JKN rules (docs/jkn-rules.md), never from the code under test. Payments go in the way the payment
import records each new line: `ingest.payments.record_payment`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from ingest.payments import record_payment
from models import (
    AuditEntry,
    Cadre,
    Chat,
    Consent,
    Family,
    Member,
    OutboxMessage,
    RehabPlan,
    Ticket,
)
from models.people import Assignment
from reminders.rehab_notices import overdue_instalments, remind_overdue
from tests.transcript import Person

FAMILY_NUMBER = "3372010101250001"
BUDI_CARD = "0001944358911"  # head of the family; born 17-08-1985
SITI_CARD = "0001944358922"  # spouse; born 05-03-1988 (NIK day + 40)
NIKS = {BUDI_CARD: "3372011708850001", SITI_CARD: "3372014503880002"}
CADRE_PHONE = "+6281234500001"

MONTHLY = 3 * 35_000  # a Kelas III family of three, a month
ARREARS = 10 * MONTHLY  # August 2024 .. May 2025, unpaid on 2 June 2025
EACH_OF_5 = ARREARS // 5 + MONTHLY  # each instalment carries the month's dues: Rp315.000
VA_BRI = "88888" + BUDI_CARD[-11:]  # docs/jkn-rules.md: 88888 / 89888 + the last 11 digits of the head's card
VA_MANDIRI = "89888" + BUDI_CARD[-11:]


def rp(amount: int) -> str:
    return f"Rp{amount:,}".replace(",", ".")


def arrange_family(session, *, segment: str = "PBPU", paid_through: date = date(2024, 7, 1)) -> Family:
    """Budi's Kelas III family of three in Surakarta (WIB), and their cadre, who chats on WhatsApp."""
    family = Family(number=FAMILY_NUMBER, region_code="3372")
    session.add(family)
    session.flush()
    people = [("Budi Santoso", BUDI_CARD, NIKS[BUDI_CARD], date(1985, 8, 17), "head"),
              ("Siti Aminah", SITI_CARD, NIKS[SITI_CARD], date(1988, 3, 5), "spouse"),
              ("Rina Santoso", "0001944358933", "3372012001100003", date(2010, 1, 20), "child")]
    for name, card, nik, born, relation in people:
        session.add(Member(card_number=card, nik=nik, name=name, birth_date=born, family_id=family.id,
                           relation=relation, segment=segment, class_=3, phone=None, region_code="3372",
                           paid_through=paid_through))
    cadre = Cadre(code="KDR-SKA-01", name="Sri Wahyuni", phone=CADRE_PHONE, branch="Surakarta",
                  region_code="3372", active=True)
    session.add(cadre)
    session.flush()
    session.add(Assignment(family_id=family.id, cadre_id=cadre.id))
    session.commit()
    return family


@pytest.fixture
def family(db):
    return arrange_family(db)


def verify(person: Person, card: str = BUDI_CARD, birth: str = "17-08-1985") -> str:
    """REHAB before proving identity: card, NIK, birth date, consent; returns what follows the consent.

    No phone is on file in this branch, so the web chat is asked for the NIK as well as the card number."""
    assert "(13" in person.says("REHAB")  # the card number (13 digits) or NIK, first
    assert "NIK" in person.says(card)
    person.send(NIKS[card])
    person.send(birth)
    return person.says("YA")


def enrol(person: Person, count: str = "5") -> str:
    verify(person)
    person.send(count)
    return person.says("YA")


def pay(runtime, amount: int, paid_at: datetime, reference: str) -> None:
    """As the payment import does for a new line: record the payment, then apply it to the family."""
    with runtime.sessions.begin() as session:
        family = session.execute(select(Family).where(Family.number == FAMILY_NUMBER)).scalar_one()
        record_payment(session, family, reference, amount, paid_at, "BRI VA")


def notices_to(db, person: Person) -> list[str]:
    db.expire_all()
    return list(db.execute(select(OutboxMessage.body).where(
        OutboxMessage.address == person.address, OutboxMessage.kind == "notice").order_by(OutboxMessage.id))
        .scalars())


def test_enrol_in_five_instalments_then_follow_payments_until_the_card_is_active(runtime, family, db):
    budi = Person(runtime)
    offer = verify(budi)
    assert "Terima kasih Budi, data Anda cocok." in offer
    assert f"Tunggakan: {rp(ARREARS)} (10 bulan)" in offer
    assert f"iuran bulan berjalan {rp(MONTHLY)}" in offer
    assert "Pilih 2 sampai 5" in offer
    # The number typed is the number of instalments: "1" is paying it all at once.
    assert "1. Bayar lunas sekaligus" in offer
    for count in (2, 3, 4, 5):
        assert f"{count}. {count} kali, {rp(ARREARS // count + MONTHLY)}/bulan" in offer
    assert "6." not in offer

    schedule = budi.says("5")
    for month in ("Juni", "Juli", "Agustus", "September", "Oktober"):
        assert f"- 10 {month} 2025: {rp(EACH_OF_5)}" in schedule
    assert f"Total {rp(5 * EACH_OF_5)} (tunggakan {rp(ARREARS)} + iuran 5 bulan)" in schedule
    assert "Ketik YA" in schedule and "1. Ya, daftar" in schedule

    done = budi.says("YA")
    assert "Pendaftaran REHAB berhasil: 5 kali cicilan." in done
    assert f"Cicilan pertama {rp(EACH_OF_5)}, paling lambat 10 Juni 2025" in done
    assert VA_BRI in done and VA_MANDIRI in done

    plan = db.execute(select(RehabPlan)).scalar_one()
    assert (plan.status, plan.instalment_count, plan.months_in_arrears, plan.arrears_amount) == (
        "active", 5, 10, ARREARS)
    assert [(i.sequence, i.due_on, i.arrears_share, i.current_dues, i.amount) for i in plan.instalments] == [
        (n, date(2025, 5 + n, 10), ARREARS // 5, MONTHLY, EACH_OF_5) for n in range(1, 6)]
    consent = db.get(Consent, plan.consent_id)
    budi_id = db.execute(select(Member.id).where(Member.card_number == BUDI_CARD)).scalar_one()
    assert (consent.purpose, consent.member_id, consent.channel) == ("rehab", budi_id, "web")
    assert "enrol_rehab" in db.execute(select(AuditEntry.action)).scalars().all()

    status = budi.says("REHAB")
    assert "0 dari 5 lunas" in status
    assert f"- 10 Juni 2025: {rp(EACH_OF_5)}, belum dibayar" in status
    assert f"Cicilan berikutnya {rp(EACH_OF_5)}, paling lambat 10 Juni 2025, ke VA {VA_BRI}" in status

    pay(runtime, EACH_OF_5, datetime(2025, 6, 8, 3, 0, tzinfo=UTC), "PAY-1")
    budi.wait(days=6)
    status = budi.says("REHAB")
    assert "1 dari 5 lunas" in status
    assert f"- 10 Juni 2025: {rp(EACH_OF_5)}, lunas" in status
    assert f"- 10 Juli 2025: {rp(EACH_OF_5)}, belum dibayar" in status
    assert "paling lambat 10 Juli 2025" in status
    assert notices_to(db, budi) == []

    pay(runtime, 4 * EACH_OF_5, datetime(2025, 7, 5, 3, 0, tzinfo=UTC), "PAY-2")
    db.expire_all()
    plan = db.execute(select(RehabPlan)).scalar_one()
    assert plan.status == "completed" and all(i.paid_at is not None for i in plan.instalments)
    [notice] = notices_to(db, budi)
    assert "Kartu JKN keluarga Anda aktif kembali" in notice
    # The ledger agrees: 10 months of arrears and June .. October paid, 15 family-months in all.
    assert set(db.execute(select(Member.paid_through)).scalars()) == {date(2025, 10, 1)}
    budi.wait(days=30)
    assert "Semua cicilan REHAB keluarga Anda lunas" in budi.says("REHAB")


def test_partial_payments_add_up_and_one_payment_can_pay_two(runtime, family, db):
    budi = Person(runtime)
    enrol(budi)
    pay(runtime, 200_000, datetime(2025, 6, 5, 3, tzinfo=UTC), "P1")
    assert "0 dari 5 lunas" in budi.says("REHAB")
    pay(runtime, EACH_OF_5 - 200_000, datetime(2025, 6, 9, 3, tzinfo=UTC), "P2")
    assert "1 dari 5 lunas" in budi.says("REHAB")
    pay(runtime, 2 * EACH_OF_5, datetime(2025, 6, 10, 3, tzinfo=UTC), "P3")
    status = budi.says("REHAB")
    assert "3 dari 5 lunas" in status and "paling lambat 10 September 2025" in status
    db.expire_all()
    paid = [i.paid_at for i in db.execute(select(RehabPlan)).scalar_one().instalments]
    assert paid[:3] == [datetime(2025, 6, 9, 3, tzinfo=UTC)] + [datetime(2025, 6, 10, 3, tzinfo=UTC)] * 2
    assert paid[3:] == [None, None]


def test_an_overdue_instalment_is_shown_reminded_and_told_to_the_cadre(runtime, family, db):
    budi = Person(runtime)
    enrol(budi)
    siti = Person(runtime, address="web-siti")  # linked to the same family, but wants no reminders
    verify(siti, card=SITI_CARD, birth="05-03-1988")
    siti.send("STOP")
    budi.wait(days=9)  # 11 June: the first instalment was due yesterday
    status = budi.says("REHAB")
    assert f"- 10 Juni 2025: {rp(EACH_OF_5)}, TERLAMBAT" in status
    assert f"1 cicilan lewat jatuh tempo, total {rp(EACH_OF_5)}" in status
    assert "Care Center 165" in status and VA_BRI in status
    assert "denda" not in status.lower()  # no public rule gives a penalty for a missed instalment

    with runtime.sessions.begin() as session:
        session.add(Chat(channel="whatsapp", address=f"whatsapp:{CADRE_PHONE}", phone=CADRE_PHONE, language="id",
                         state_data={}, cadre_id=session.execute(select(Cadre.id)).scalar_one(),
                         created_at=budi.now()))
    with runtime.sessions.begin() as session:
        assert [i.sequence for i in overdue_instalments(session, date(2025, 6, 10))] == []
        assert [i.sequence for i in overdue_instalments(session, date(2025, 6, 11))] == [1]
        remind_overdue(session, date(2025, 6, 11), budi.now())
    with runtime.sessions.begin() as session:  # a second run, or another machine's, sends nothing more
        remind_overdue(session, date(2025, 6, 11), budi.now())

    [reminder] = notices_to(db, budi)
    assert notices_to(db, siti) == []
    assert f"cicilan REHAB ke-1 sebesar {rp(EACH_OF_5)} (jatuh tempo 10 Juni 2025)" in reminder
    assert "Care Center 165" in reminder and "denda" not in reminder.lower()
    ticket = db.execute(select(Ticket)).scalar_one()
    assert ticket.kind == "rehab" and ticket.cadre_id is not None and ticket.status == "open"
    to_cadre = db.execute(select(OutboxMessage.body).where(
        OutboxMessage.address == f"whatsapp:{CADRE_PHONE}")).scalars().all()
    assert len(to_cadre) == 1 and ticket.number in to_cadre[0] and "3372********0001" in to_cadre[0]


def test_a_cadre_reading_english_is_told_of_a_missed_instalment_with_an_english_date(runtime, family, db):
    budi = Person(runtime)
    enrol(budi)
    budi.wait(days=9)  # 11 June: the first instalment was due yesterday
    with runtime.sessions.begin() as session:
        session.add(Chat(channel="whatsapp", address=f"whatsapp:{CADRE_PHONE}", phone=CADRE_PHONE, language="en",
                         state_data={}, cadre_id=session.execute(select(Cadre.id)).scalar_one(),
                         created_at=budi.now()))
    with runtime.sessions.begin() as session:
        remind_overdue(session, date(2025, 6, 11), budi.now())
    [to_cadre] = db.execute(select(OutboxMessage.body).where(
        OutboxMessage.address == f"whatsapp:{CADRE_PHONE}")).scalars().all()
    assert (f"family KK 3372********0001 (Budi Santoso) has not paid instalment 1 of {rp(EACH_OF_5)} "
            "(due 10 June 2025). Please visit them.") in to_cadre


def test_a_ppu_family_without_old_self_paid_arrears_needs_no_rehab(runtime, db):
    # Wage earners whose last month of their own dues is unknown owe nothing themselves (rules/segments.py);
    # with old arrears they may enrol in REHAB 2.0 (tests/test_member_amounts.py).
    arrange_family(db, segment="PPU")
    reply = verify(Person(runtime))
    assert "tidak punya tunggakan, jadi tidak perlu REHAB" in reply
    assert db.execute(select(Chat.state)).scalar_one() is None


def test_two_months_behind_is_pointed_to_bayar(runtime, db):
    arrange_family(db, paid_through=date(2025, 3, 1))  # April and May unpaid on 2 June
    reply = verify(Person(runtime))
    assert f"Tunggakan keluarga Anda 2 bulan ({rp(2 * MONTHLY)})" in reply
    assert "minimal 4 bulan" in reply and "Ketik BAYAR" in reply and "1. Cara bayar" in reply


def test_more_than_24_months_behind_may_enrol_on_the_24_billed_months(runtime, db):
    arrange_family(db, paid_through=date(2022, 12, 1))  # January 2023 .. May 2025: 29 months, 24 billed
    reply = verify(Person(runtime))
    assert "Tunggakan Anda 29 bulan, tetapi yang ditagih hanya 24 bulan terakhir" in reply
    assert f"Tunggakan: {rp(24 * MONTHLY)} (24 bulan)" in reply and "Pilih 2 sampai 12" in reply


@pytest.mark.parametrize("now", [datetime(2025, 6, 29, 2, tzinfo=UTC),
                                 datetime(2025, 6, 28, 18, tzinfo=UTC)])  # 29 June 01:00 in Surakarta (WIB)
def test_registration_is_closed_after_the_28th(runtime, family):
    reply = verify(Person(runtime))
    assert "Pendaftaran REHAB bulan ini sudah tutup (sampai tanggal 28)" in reply
    assert "mulai 1 Juli 2025" in reply


@pytest.mark.parametrize("now", [datetime(2025, 2, 28, 2, tzinfo=UTC)])
def test_february_closes_on_the_27th(runtime, family):
    reply = verify(Person(runtime))
    assert "sampai tanggal 27" in reply and "1 Maret 2025" in reply


@pytest.mark.parametrize("now", [datetime(2025, 6, 28, 2, tzinfo=UTC)])
def test_the_28th_itself_is_still_open(runtime, family):
    # After the 10th, June is in arrears too: 11 months, and the first instalment is due on 10 July.
    budi = Person(runtime)
    offer = verify(budi)
    assert f"Tunggakan: {rp(11 * MONTHLY)} (11 bulan)" in offer and "Pilih 2 sampai 5" in offer
    schedule = budi.says("5")
    assert f"- 10 Juli 2025: {rp(11 * MONTHLY // 5 + MONTHLY)}" in schedule
    assert f"- 10 November 2025: {rp(11 * MONTHLY - 4 * (11 * MONTHLY // 5) + MONTHLY)}" in schedule


def test_a_family_already_in_a_plan_sees_its_status_and_cannot_enrol_twice(runtime, family, db):
    siti = Person(runtime, address="web-siti")
    verify(siti, card=SITI_CARD, birth="05-03-1988")
    assert "Ketik YA" in siti.says("3")  # Siti has the schedule in front of her ...
    budi = Person(runtime, address="web-budi")
    assert "Pendaftaran REHAB berhasil" in enrol(budi)  # ... when Budi enrols the family
    assert "sudah terdaftar REHAB" in siti.says("YA")
    assert db.execute(select(func.count(RehabPlan.id))).scalar_one() == 1
    assert "0 dari 5 lunas" in siti.says("REHAB")  # one plan for the whole KK


def test_unexpected_answers_get_a_re_prompt(runtime, family, db):
    budi = Person(runtime)
    verify(budi)
    for typed in ("hah?", "9", "1000"):
        reply = budi.says(typed)
        assert "Pilih jumlah cicilan 2 sampai 5" in reply and "5. 5 kali" in reply
    assert "atau BATAL" in reply
    assert "REHAB 4 kali cicilan" in budi.says("4 kali")
    assert "Ketik YA untuk mendaftar REHAB, atau TIDAK" in budi.says("mungkin")
    assert "tidak jadi mendaftar" in budi.says("tidak")
    assert db.execute(select(func.count(RehabPlan.id))).scalar_one() == 0


def test_batal_leaves_the_flow(runtime, family, db):
    budi = Person(runtime)
    verify(budi)
    assert "Pilih salah satu" in budi.says("BATAL")
    assert db.execute(select(Chat.state)).scalar_one() is None
    assert db.execute(select(func.count(RehabPlan.id))).scalar_one() == 0
    assert "Pilih 2 sampai 5" in budi.says("2")  # the menu's second choice is REHAB


def test_paying_it_all_at_once_points_to_bayar(runtime, family):
    budi = Person(runtime)
    verify(budi)
    reply = budi.says("1")
    assert f"Bayar lunas sekaligus: {rp(ARREARS + MONTHLY)}" in reply and "BAYAR" in reply


def test_new_figures_before_yes_are_shown_again(runtime, family, db):
    budi = Person(runtime)
    verify(budi)
    budi.send("4")
    # Yesterday's payment of one month is imported while Budi reads the schedule: 9 months now.
    pay(runtime, MONTHLY, datetime(2025, 6, 1, 3, tzinfo=UTC), "P0")
    reply = budi.says("YA")
    assert "Angkanya berubah" in reply
    assert f"- 10 Juni 2025: {rp(9 * MONTHLY // 4 + MONTHLY)}" in reply
    assert db.execute(select(func.count(RehabPlan.id))).scalar_one() == 0
    assert "Pendaftaran REHAB berhasil: 4 kali" in budi.says("YA")
    assert db.execute(select(RehabPlan.arrears_amount)).scalar_one() == 9 * MONTHLY


def test_english_on_request(runtime, family):
    budi = Person(runtime)
    budi.send("BAHASA EN")
    offer = verify(budi)
    assert f"Arrears: {rp(ARREARS)} (10 months)" in offer and "Choose 2 to 5" in offer
    assert f"5. 5 instalments, {rp(EACH_OF_5)}/month" in offer
    schedule = budi.says("5")
    assert f"- 10 June 2025: {rp(EACH_OF_5)}" in schedule and "Type YA to enrol" in schedule
    done = budi.says("YA")
    assert "You are enrolled in REHAB: 5 instalments." in done and VA_MANDIRI in done
    assert "0 of 5 paid" in budi.says("REHAB")
