"""Amounts and dates that follow the family's situation, as transcripts in the web chat: a family on a REHAB
plan, a family that paid this month, a suspended family's two figures, a promise with nothing to pay, a wage
earner with old self-paid arrears (REHAB 2.0), a family 50 months behind. Budi writes from his phone on file,
so his card number and birth date prove identity; the others add their NIK.

Expected amounts come from the rates (Kelas III member share Rp35.000 a month since 2021; Kelas II
Rp100.000) and the rules in docs/jkn-rules.md, never from the code under test.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event, select

from ingest.payments import record_payment
from models import Family, Member, OutboxMessage, Promise, RehabPlan
from tests.journeys import AGUS_NIK, BUDI_PHONE, arrange_branch, verify
from tests.transcript import Person

MONTHLY = 3 * 35_000  # Budi's Kelas III family of three
ARREARS = 10 * MONTHLY  # August 2024 .. May 2025, unpaid on 2 June 2025
EACH_OF_5 = ARREARS // 5 + MONTHLY  # Rp315.000: each instalment carries the month's dues


def rp(amount: int) -> str:
    return f"Rp{amount:,}".replace(",", ".")


def pay(runtime, amount: int, paid_at: datetime, reference: str, number: str = "3372010101250001") -> None:
    """As the payment import does for a new line."""
    with runtime.sessions.begin() as session:
        family = session.execute(select(Family).where(Family.number == number)).scalar_one()
        record_payment(session, family, reference, amount, paid_at, "BRI VA")


def enrol_in_five(member: Person) -> None:
    verify(member, first="REHAB")
    assert "Ketik YA" in member.says("5")
    assert "Pendaftaran REHAB berhasil" in member.says("YA")


# --- a family on a plan ----------------------------------------------------------------------------------


def test_a_family_on_a_plan_is_told_its_next_instalment_not_the_whole_arrears(runtime, db):
    arrange_branch(db)
    budi = Person(runtime, phone=BUDI_PHONE)
    enrol_in_five(budi)

    bayar = budi.says("BAYAR")
    assert f"Cicilan REHAB ke-1 dari 5: {rp(EACH_OF_5)}, paling lambat 10 Juni 2025." in bayar
    assert rp(ARREARS) not in bayar and rp(ARREARS + MONTHLY) not in bayar
    cek = budi.says("CEK")
    assert f"Anda ikut REHAB: 0 dari 5 cicilan lunas, sisa {rp(5 * EACH_OF_5)}." in cek
    assert f"Cicilan REHAB ke-1 dari 5: {rp(EACH_OF_5)}, paling lambat 10 Juni 2025." in cek
    assert "Kartu aktif kembali setelah cicilan terakhir lunas." in cek
    assert "Agar aktif kembali" not in cek and "Berat dibayar sekaligus" not in cek

    # Part of the first instalment arrives: what is left of it is what to pay.
    pay(runtime, 200_000, datetime(2025, 6, 5, 3, tzinfo=UTC), "P1")
    bayar = budi.says("BAYAR")
    assert f"Sudah masuk Rp200.000 untuk cicilan ini; tinggal {rp(EACH_OF_5 - 200_000)}." in bayar
    assert f"Sudah masuk Rp200.000 untuk cicilan berikutnya; tinggal {rp(EACH_OF_5 - 200_000)}." in (
        budi.says("REHAB"))
    pay(runtime, EACH_OF_5 - 200_000, datetime(2025, 6, 6, 3, tzinfo=UTC), "P2")
    budi.wait(days=8)  # 10 June
    cek = budi.says("CEK")
    assert f"1 dari 5 cicilan lunas, sisa {rp(4 * EACH_OF_5)}" in cek
    assert f"Cicilan REHAB ke-2 dari 5: {rp(EACH_OF_5)}, paling lambat 10 Juli 2025." in cek

    budi.wait(days=31)  # 11 July: the second instalment is late
    bayar = budi.says("BAYAR")
    assert f"1 cicilan REHAB lewat jatuh tempo: {rp(EACH_OF_5)}. Mohon segera dibayar." in bayar


# --- a family that paid this month -----------------------------------------------------------------------


def arrange_ratna(session) -> None:  # type: ignore[no-untyped-def]
    """The demo's Ratna: a Kelas II family of four in Samarinda (WITA), paid through November 2026."""
    family = Family(number="6472012105860001", region_code="6472")
    session.add(family)
    session.flush()
    people = [("Ratna Dewi Anwar", "0001350002002", "6472016105860001", date(1986, 5, 21), "head"),
              ("Fajar Anwar", "0001350002013", "6472013001840002", date(1984, 1, 30), "spouse"),
              ("Aisyah Anwar", "0001350002024", "6472014707120003", date(2012, 7, 7), "child"),
              ("Rizky Anwar", "0001350002035", "6472011409160004", date(2016, 9, 14), "child")]
    for name, card, nik, born, relation in people:
        session.add(Member(card_number=card, nik=nik, name=name, birth_date=born, family_id=family.id,
                           relation=relation, segment="PBPU", class_=2, phone=None, region_code="6472",
                           paid_through=date(2026, 11, 1)))
    session.commit()


@pytest.mark.parametrize("now", [datetime(2026, 11, 23, 3, tzinfo=UTC)])  # 23 November, 11:00 WITA
def test_a_family_that_paid_this_month_is_told_the_next_due_date(runtime, db):
    arrange_ratna(db)
    ratna = Person(runtime)  # no phone on file in this family: her NIK is the second factor
    cek = verify(ratna, card="0001350002002", second="6472016105860001", birth="21-05-1986")
    assert "Terima kasih Ratna" in cek
    assert ("Tidak ada tunggakan, dan iuran sudah lunas sampai November 2026. Terima kasih! Iuran berikutnya "
            "(Desember 2026) Rp400.000, bayar paling lambat 10 Desember 2026.") in cek
    assert "10 November" not in cek
    bayar = ratna.says("BAYAR")
    assert "Iuran sudah lunas sampai November 2026." in bayar
    assert "Iuran Desember 2026: Rp400.000, bayar paling lambat 10 Desember 2026." in bayar


def test_before_the_due_day_this_months_dues_are_the_next(runtime, db):
    arrange_branch(db, paid_through=date(2025, 5, 1))  # 2 June: June is due on the 10th
    cek = verify(Person(runtime, phone=BUDI_PHONE))
    assert f"Tidak ada tunggakan. Terima kasih! Iuran bulan ini {rp(MONTHLY)}, bayar paling lambat 10 Juni 2025." \
        in cek


# --- the two figures of a suspended family ---------------------------------------------------------------


def test_before_the_due_day_reactivation_adds_this_months_dues_once(runtime, db):
    arrange_branch(db)
    cek = verify(Person(runtime, phone=BUDI_PHONE))
    assert f"Total tunggakan: {rp(ARREARS)} (10 bulan)" in cek
    assert (f"Agar aktif kembali: bayar {rp(ARREARS + MONTHLY)}, yaitu tunggakan di atas ditambah iuran Juni 2025 "
            f"({rp(MONTHLY)}).") in cek
    assert "tunggakan + iuran bulan ini" not in cek


@pytest.mark.parametrize("now", [datetime(2025, 6, 15, 3, tzinfo=UTC)])
def test_after_the_due_day_the_same_figure_is_not_shown_twice(runtime, db):
    arrange_branch(db)  # August 2024 .. June 2025 unpaid on 15 June: June is among the arrears already
    cek = verify(Person(runtime, phone=BUDI_PHONE))
    assert f"Total tunggakan: {rp(11 * MONTHLY)} (11 bulan)" in cek
    assert "Agar aktif kembali: lunasi total tunggakan di atas (iuran Juni 2025 sudah termasuk)." in cek
    assert cek.count(rp(11 * MONTHLY)) == 1


# --- JANJI with nothing to pay ---------------------------------------------------------------------------


def test_janji_from_a_family_with_nothing_to_pay_is_not_recorded(runtime, db):
    arrange_branch(db)
    agus = Person(runtime, address="web-agus")  # Agus Salim: Kelas II, paid through June 2025 on 2 June
    verify(agus, card="0002000000011", second=AGUS_NIK, birth="12-12-1990")
    reply = agus.says("JANJI 20/6")
    assert "Saat ini tidak ada yang perlu dibayar, jadi janji bayar tidak dicatat." in reply
    assert "Iuran Juli 2025: Rp100.000, bayar paling lambat 10 Juli 2025." in reply
    assert "Janji bayar dicatat" not in agus.says("JANJI")
    assert db.execute(select(Promise)).first() is None


def test_janji_examples_are_dates_to_come(runtime, db):
    arrange_branch(db)
    budi = Person(runtime, phone=BUDI_PHONE)
    verify(budi)
    ask = budi.says("JANJI")
    assert "contoh: 09-06-2025 atau 9 Juni" in ask  # a week after 2 June 2025
    assert "Contoh: 09-06-2025, 9/6 atau 9 Juni" in budi.says("kapan-kapan")


@pytest.mark.parametrize("now", [datetime(2026, 3, 3, 3, tzinfo=UTC)])
def test_janji_examples_follow_the_clock(runtime, db):
    arrange_branch(db)
    budi = Person(runtime, phone=BUDI_PHONE)
    verify(budi)
    ask = budi.says("JANJI")
    assert "contoh: 10-03-2026 atau 10 Maret" in ask and "2025" not in ask


# --- REHAB 2.0: moved from the self-paying segment -------------------------------------------------------


def arrange_wage_earner(session, own_dues_until: date | None = date(2025, 5, 1)) -> None:  # type: ignore[no-untyped-def]
    """Budi's family, now wage earners (PPU): their own dues ended in May 2025, paid through November 2024."""
    arrange_branch(session, segment="PPU", paid_through=date(2024, 11, 1))
    for member in session.scalars(select(Member).where(Member.segment == "PPU")):
        member.own_dues_until = own_dues_until
    session.commit()


OLD_ARREARS = 6 * MONTHLY  # December 2024 .. May 2025: Rp630.000


def test_a_wage_earner_with_old_arrears_is_active_and_their_arrears_do_not_grow(runtime, db):
    arrange_wage_earner(db)
    budi = Person(runtime, phone=BUDI_PHONE)
    cek = verify(budi)
    assert "- Budi (0001*****8911): tunggakan lama 6 bulan, Rp210.000" in cek
    assert f"Total tunggakan lama, dari saat masih peserta mandiri: {rp(OLD_ARREARS)} (6 bulan)" in cek
    assert "Status kartu: AKTIF sebagai peserta PPU; iuran bulanan dibayar pemberi kerja." in cek
    assert "TIDAK AKTIF" not in cek and "iuran Juni" not in cek
    assert "REHAB 2.0" in cek
    assert f"Tunggakan lama yang perlu dibayar: {rp(OLD_ARREARS)}." in budi.says("BAYAR")
    budi.wait(days=90)  # 31 August: the employer has paid three more months; the old arrears are the same
    cek = budi.says("CEK")
    assert f"{rp(OLD_ARREARS)} (6 bulan)" in cek and "TIDAK AKTIF" not in cek


def test_a_wage_earner_enrols_in_rehab_2_with_up_to_36_small_instalments(runtime, db):
    arrange_wage_earner(db)
    budi = Person(runtime, phone=BUDI_PHONE)
    offer = verify(budi, first="REHAB")
    assert f"tunggakan lama: {rp(OLD_ARREARS)} (6 bulan)" in offer
    assert "paling sedikit Rp35.000 per bulan" in offer and "dibayar pemberi kerja" in offer
    assert "Pilih 2 sampai 18" in offer  # Rp630.000 / Rp35.000: at most 18 instalments
    assert "Lebih dari 12 kali? Ketik angkanya, sampai 18." in offer
    assert "2. 2 kali, Rp315.000/bulan" in offer and "12. 12 kali, Rp52.500/bulan" in offer
    schedule = budi.says("18")  # typed beyond the buttons
    assert "Rencana REHAB 2.0, 18 kali cicilan:" in schedule
    assert "- 10 Juni 2025 sampai 10 November 2026 (18 kali): Rp35.000 per bulan" in schedule
    assert f"Total {rp(OLD_ARREARS)} (tunggakan lama saja" in schedule
    assert "Pendaftaran REHAB berhasil: 18 kali cicilan." in budi.says("YA")
    plan = db.execute(select(RehabPlan)).scalar_one()
    assert (plan.instalment_count, plan.months_in_arrears, plan.arrears_amount) == (18, 6, OLD_ARREARS)
    assert {(i.amount, i.current_dues) for i in plan.instalments} == {(35_000, 0)}
    assert "Cicilan REHAB ke-1 dari 18: Rp35.000, paling lambat 10 Juni 2025." in budi.says("BAYAR")


def test_a_wage_earner_who_pays_off_rehab_2_hears_the_old_arrears_are_settled_not_card_active_again(runtime, db):
    # Their card never stopped (old arrears do not suspend it) and the employer pays the monthly dues, so the
    # self-paying family's "active again, pay by the 10th" would be wrong for them.
    arrange_wage_earner(db)
    budi = Person(runtime, phone=BUDI_PHONE)
    verify(budi, first="REHAB")
    budi.send("2")
    assert "Pendaftaran REHAB berhasil: 2 kali cicilan." in budi.says("YA")
    pay(runtime, OLD_ARREARS, datetime(2025, 6, 5, 3, tzinfo=UTC), "PAY-ALL")
    notices = db.execute(select(OutboxMessage.body).where(OutboxMessage.address == budi.address,
                                                          OutboxMessage.kind == "notice")).scalars().all()
    assert notices == ["Selamat! Semua cicilan REHAB 2.0 sudah lunas: tunggakan lama keluarga Anda sudah beres. "
                       "Kartu tetap AKTIF; iuran bulanan Anda dibayar pemberi kerja."]
    assert db.execute(select(RehabPlan.status)).scalar_one() == "completed"


def test_one_month_of_old_arrears_is_too_few_for_rehab_2(runtime, db):
    arrange_wage_earner(db, own_dues_until=date(2024, 12, 1))  # December 2024 only
    reply = verify(Person(runtime, phone=BUDI_PHONE), first="REHAB")
    assert f"Tunggakan keluarga Anda 1 bulan ({rp(MONTHLY)})" in reply and "minimal 2 bulan" in reply


def test_a_wage_earner_without_old_arrears_owes_nothing(runtime, db):
    arrange_wage_earner(db, own_dues_until=date(2024, 11, 1))
    budi = Person(runtime, phone=BUDI_PHONE)
    cek = verify(budi)
    assert "Tidak ada tunggakan. Kartu AKTIF: iuran bulanan Anda dibayar pemberi kerja (segmen PPU)." in cek
    assert "Tidak ada yang perlu Anda bayar: iuran bulanan dibayar pemberi kerja." in budi.says("BAYAR")
    assert "tidak ada yang perlu dibayar" in budi.says("JANJI 20/6")


# --- 50 months behind ------------------------------------------------------------------------------------


def test_fifty_months_behind_enrols_on_the_24_billed_months(runtime, db):
    arrange_branch(db, paid_through=date(2021, 3, 1))  # April 2021 .. May 2025: 50 months, 24 billed
    budi = Person(runtime, phone=BUDI_PHONE)
    cek = verify(budi)
    billed = 24 * MONTHLY
    assert f"- Budi (0001*****8911): 50 bulan, yang ditagih 24 bulan: {rp(24 * 35_000)}" in cek
    assert f"Total tunggakan yang ditagih: {rp(billed)} (24 bulan terakhir dari 50 bulan" in cek
    assert "REHAB" in cek and "Berat dibayar sekaligus" in cek
    offer = budi.says("REHAB")
    assert "Tunggakan Anda 50 bulan, tetapi yang ditagih hanya 24 bulan terakhir" in offer
    assert f"Tunggakan: {rp(billed)} (24 bulan)" in offer and "Pilih 2 sampai 12" in offer
    budi.send("12")
    assert "Pendaftaran REHAB berhasil: 12 kali cicilan." in budi.says("YA")
    plan = db.execute(select(RehabPlan)).scalar_one()
    assert (plan.months_in_arrears, plan.arrears_amount) == (24, billed)


# --- one read per step -----------------------------------------------------------------------------------


def test_each_step_reads_the_arrears_and_the_plan_once(runtime, db):
    arrange_branch(db)
    budi = Person(runtime, phone=BUDI_PHONE)
    verify(budi)
    statements: list[str] = []

    def remember(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(" ".join(statement.split()).lower())

    event.listen(runtime.engine, "before_cursor_execute", remember)
    try:
        for typed in ("CEK", "BAYAR", "REHAB", "5", "YA", "REHAB", "CEK", "BAYAR", "JANJI 20/6"):
            statements.clear()
            budi.send(typed)
            rates = [s for s in statements if s.startswith("select") and "from dues_rates" in s]
            plans = [s for s in statements if s.startswith("select") and "from rehab_plans" in s]
            assert len(rates) == 1, (typed, rates)
            assert len(plans) <= (2 if typed == "YA" else 1), (typed, plans)  # YA: enrol() guards once more
    finally:
        event.remove(runtime.engine, "before_cursor_execute", remember)
