"""The arrears engine against the worked examples of docs/jkn-rules.md: amounts, months, REHAB, payments, display."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app import load_rules
from rules.arrears import (
    FamilyArrears,
    MemberDues,
    NoRateError,
    RateTable,
    apply_payment,
    arrears_for,
    inpatient_penalty,
)
from rules.display import format_rupiah
from rules.identifiers import mask_identifier, virtual_accounts
from rules.months import add_months, month_of, months_between
from rules.programme import ProgrammeRules
from rules.rehab import rehab_eligibility, rehab_schedule

ROOT = Path(__file__).resolve().parent.parent


def _migration_rates() -> dict[date, tuple[int, int, int]]:
    """The very RATES the migration loads into dues_rates, so tests and database cannot drift apart."""
    spec = importlib.util.spec_from_file_location("dues_rates_migration", ROOT / "migrations/versions/0002_dues_rates.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.RATES


RATES = RateTable(
    (klass, start, amount)
    for start, amounts in _migration_rates().items()
    for klass, amount in zip((1, 2, 3), amounts, strict=True)
)
HEAD_CARD = "0001944358911"
RELATIONS = ("head", "spouse", "child", "child", "child", "child")


def family(*members: tuple[int, date], segment: str = "PBPU") -> list[MemberDues]:
    """A family from (class, paid_through) pairs; the first is the head, with the card of docs/jkn-rules.md."""
    return [
        MemberDues(
            member_id=n + 1,
            card_number=HEAD_CARD if n == 0 else f"00019443589{n + 20:02d}",
            name=f"Anggota {n + 1}",
            klass=klass,
            segment=segment,
            relation=RELATIONS[n],
            paid_through=paid_through,
        )
        for n, (klass, paid_through) in enumerate(members)
    ]


def kelas3_family_of(size: int, paid_through: date) -> list[MemberDues]:
    return family(*[(3, paid_through)] * size)


# Paid through January 2025; on 15 November 2025 February..November (10 months) are past their due date.
TEN_BEHIND = kelas3_family_of(3, date(2025, 1, 1))
MID_NOVEMBER = date(2025, 11, 15)


# ------------------------------------------------------------------------------------------------- months


@pytest.mark.parametrize(("start", "count", "expected"), [
    pytest.param(date(2025, 11, 1), 1, date(2025, 12, 1), id="next-month"),
    pytest.param(date(2025, 12, 1), 1, date(2026, 1, 1), id="over-new-year"),
    pytest.param(date(2025, 1, 1), -1, date(2024, 12, 1), id="back-over-new-year"),
    pytest.param(date(2025, 11, 1), -49, date(2021, 10, 1), id="fifty-months-span"),
    pytest.param(date(2024, 2, 1), 12, date(2025, 2, 1), id="a-year"),
])
def test_add_months(start: date, count: int, expected: date) -> None:
    assert add_months(start, count) == expected
    assert months_between(start, expected) == count


def test_month_of_is_the_first_of_the_month() -> None:
    assert month_of(date(2024, 2, 29)) == date(2024, 2, 1)


# -------------------------------------------------------------------------------------------------- rates


@pytest.mark.parametrize(("klass", "month", "expected"), [
    pytest.param(1, date(2019, 12, 1), 80_000, id="kelas1-2019"),
    pytest.param(1, date(2020, 1, 1), 160_000, id="kelas1-jan-2020"),
    pytest.param(2, date(2020, 3, 1), 110_000, id="kelas2-mar-2020"),
    pytest.param(1, date(2020, 4, 1), 80_000, id="kelas1-apr-2020-court-ruling"),
    pytest.param(3, date(2020, 6, 1), 25_500, id="kelas3-jun-2020"),
    pytest.param(1, date(2020, 7, 1), 150_000, id="kelas1-jul-2020"),
    pytest.param(3, date(2020, 12, 1), 25_500, id="kelas3-dec-2020"),
    pytest.param(3, date(2021, 1, 1), 35_000, id="kelas3-2021"),
    pytest.param(2, date(2025, 11, 1), 100_000, id="kelas2-2025"),
    pytest.param(3, date(2025, 11, 20), 35_000, id="any-day-of-the-month"),
])
def test_rate_in_force_each_month(klass: int, month: date, expected: int) -> None:
    assert RATES.rate(klass, month) == expected


@pytest.mark.parametrize(("klass", "month"), [
    pytest.param(3, date(2016, 3, 1), id="before-the-first-rate"),
    pytest.param(4, date(2025, 1, 1), id="no-such-class"),
])
def test_no_rate_is_a_clear_error(klass: int, month: date) -> None:
    with pytest.raises(NoRateError, match="Kelas"):
        RATES.rate(klass, month)


def test_a_rate_must_start_on_the_first() -> None:
    with pytest.raises(ValueError, match="1st"):
        RateTable([(3, date(2021, 1, 15), 35_000)])


# ------------------------------------------------------------------------------------------------ arrears

ARREARS_CASES = [
    # id, members, on, months in arrears, counted months, total
    pytest.param(TEN_BEHIND, MID_NOVEMBER, 10, 10, 1_050_000, id="kelas3-family-of-three-10-months"),
    pytest.param(kelas3_family_of(4, date(2025, 10, 1)), MID_NOVEMBER, 1, 1, 140_000,
                 id="kelas3-family-of-four-one-month"),
    pytest.param(family((3, date(2021, 9, 1))), MID_NOVEMBER, 50, 24, 24 * 35_000,
                 id="50-months-billed-24"),
    pytest.param(family((3, date(2023, 11, 1))), MID_NOVEMBER, 24, 24, 24 * 35_000, id="exactly-24"),
    pytest.param(family((3, date(2023, 10, 1))), MID_NOVEMBER, 25, 24, 24 * 35_000, id="25-billed-24"),
    pytest.param(family((1, date(2019, 12, 1))), date(2020, 10, 15), 10, 10,
                 3 * 160_000 + 3 * 80_000 + 4 * 150_000, id="kelas1-across-the-2020-changes"),
    pytest.param(family((2, date(2019, 12, 1))), date(2020, 10, 15), 10, 10,
                 3 * 110_000 + 3 * 51_000 + 4 * 100_000, id="kelas2-across-the-2020-changes"),
    pytest.param(family((3, date(2020, 11, 1))), date(2021, 3, 15), 4, 4,
                 25_500 + 3 * 35_000, id="kelas3-into-2021"),
    pytest.param(family((3, date(2019, 11, 1))), date(2021, 12, 11), 25, 24,
                 3 * 42_000 + 9 * 25_500 + 12 * 35_000, id="window-of-24-starts-in-2020"),
    pytest.param(family((1, date(2025, 6, 1)), (2, date(2025, 6, 1)), (3, date(2025, 6, 1))),
                 date(2025, 9, 20), 3, 3, 3 * (150_000 + 100_000 + 35_000), id="mixed-classes"),
    pytest.param(family((1, date(2025, 8, 1)), (3, date(2025, 5, 1))), date(2025, 9, 20), 4, 4,
                 1 * 150_000 + 4 * 35_000, id="mixed-classes-and-paid-through"),
    pytest.param(kelas3_family_of(3, date(2025, 11, 1)), MID_NOVEMBER, 0, 0, 0, id="up-to-date"),
    pytest.param(kelas3_family_of(3, date(2026, 3, 1)), MID_NOVEMBER, 0, 0, 0, id="paid-ahead"),
]


@pytest.mark.parametrize(("members", "on", "months", "counted", "total"), ARREARS_CASES)
def test_arrears(members: list[MemberDues], on: date, months: int, counted: int, total: int) -> None:
    arrears = arrears_for(members, RATES, on)
    assert (arrears.months_in_arrears, arrears.counted_months, arrears.total) == (months, counted, total)
    assert sum(member.amount for member in arrears.members) == total


@pytest.mark.parametrize("klass", [1, 2, 3])
@pytest.mark.parametrize("paid_through", [
    pytest.param(date(2018, 6, 1), id="2018"), pytest.param(date(2019, 12, 1), id="end-2019"),
    pytest.param(date(2020, 2, 1), id="feb-2020"), pytest.param(date(2020, 5, 1), id="may-2020"),
    pytest.param(date(2020, 9, 1), id="sep-2020"), pytest.param(date(2021, 6, 1), id="jun-2021"),
])
@pytest.mark.parametrize("on", [
    pytest.param(date(2020, 6, 30), id="mid-2020"), pytest.param(date(2021, 2, 11), id="feb-2021"),
    pytest.param(date(2022, 1, 10), id="jan-2022-10th"),
])
def test_each_counted_month_at_the_rate_then_in_force(klass: int, paid_through: date, on: date) -> None:
    (member,) = arrears_for(family((klass, paid_through)), RATES, on).members
    assert member.amount == sum(RATES.rate(klass, month) for month in member.counted)
    assert member.counted == member.unpaid[-24:]


def test_ten_months_behind_in_detail() -> None:
    arrears = arrears_for(TEN_BEHIND, RATES, MID_NOVEMBER)
    for member in arrears.members:
        assert member.unpaid == [date(2025, month, 1) for month in range(2, 12)]
        assert member.counted == member.unpaid
        assert member.amount == 350_000
    assert arrears.current_month == date(2025, 11, 1)
    assert arrears.current_month_dues == 105_000
    assert arrears.coverage_active is False
    assert arrears.suspended_since == date(2025, 3, 1)  # February ended unpaid
    # After the 10th, November is among the 10 counted months: it is not billed twice.
    assert arrears.reactivation_amount == 1_050_000
    assert arrears.virtual_accounts["BRI"] == "8888801944358911"


def test_fifty_months_behind_counts_the_most_recent_24() -> None:
    arrears = arrears_for(family((3, date(2021, 9, 1))), RATES, MID_NOVEMBER)
    (member,) = arrears.members
    assert member.unpaid[0] == date(2021, 10, 1)
    assert member.counted[0] == date(2023, 12, 1)
    assert member.counted[-1] == date(2025, 11, 1)
    assert len(member.counted) == 24
    assert arrears.suspended_since == date(2021, 11, 1)


@pytest.mark.parametrize(("on", "months", "active", "suspended_since", "reactivation"), [
    # Paid through October 2025, a Kelas III family of three (Rp105.000 a month).
    pytest.param(date(2025, 11, 10), 0, True, None, 0, id="on-the-10th-not-yet-due"),
    pytest.param(date(2025, 11, 11), 1, True, None, 0, id="on-the-11th-due-but-still-covered"),
    pytest.param(date(2025, 11, 30), 1, True, None, 0, id="month-end-still-covered"),
    pytest.param(date(2025, 12, 1), 1, False, date(2025, 12, 1), 105_000 + 105_000,
                 id="1st-of-next-month-suspended-pay-arrears-plus-december"),
    pytest.param(date(2025, 12, 10), 1, False, date(2025, 12, 1), 210_000, id="december-10th"),
    pytest.param(date(2025, 12, 11), 2, False, date(2025, 12, 1), 210_000,
                 id="december-11th-december-now-counted-not-added"),
])
def test_due_date_and_suspension(
    on: date, months: int, active: bool, suspended_since: date | None, reactivation: int
) -> None:
    arrears = arrears_for(kelas3_family_of(3, date(2025, 10, 1)), RATES, on)
    assert arrears.months_in_arrears == months
    assert arrears.coverage_active is active
    assert arrears.suspended_since == suspended_since
    assert arrears.reactivation_amount == reactivation


def test_reactivation_of_a_50_month_debtor_before_the_10th_is_24_months_plus_the_current() -> None:
    arrears = arrears_for(family((3, date(2021, 9, 1))), RATES, date(2025, 12, 5))
    assert arrears.months_in_arrears == 50  # October 2021 .. November 2025
    assert arrears.total == 24 * 35_000
    assert arrears.reactivation_amount == 25 * 35_000


def test_one_member_behind_suspends_the_whole_family() -> None:
    members = family((3, date(2025, 11, 1)), (3, date(2025, 8, 1)))
    arrears = arrears_for(members, RATES, MID_NOVEMBER)
    assert arrears.months_in_arrears == 3
    assert [member.months for member in arrears.members] == [0, 3]
    assert arrears.total == 105_000
    assert arrears.suspended_since == date(2025, 10, 1)


def test_an_empty_family_owes_nothing() -> None:
    arrears = arrears_for([], RATES, MID_NOVEMBER)
    assert (arrears.total, arrears.months_in_arrears, arrears.coverage_active) == (0, 0, True)
    assert arrears.virtual_accounts == {}


# -------------------------------------------------------------------------------------------------- REHAB


def arrears_of(months: int, on: date = MID_NOVEMBER) -> FamilyArrears:
    """A Kelas III family of three exactly `months` behind on `on`."""
    last_due = month_of(on) if on.day > 10 else add_months(month_of(on), -1)
    return arrears_for(kelas3_family_of(3, add_months(last_due, -months)), RATES, on)


@pytest.mark.parametrize(("months", "segment", "on", "active_plan", "reason", "counts"), [
    pytest.param(10, "PBPU", MID_NOVEMBER, False, None, [2, 3, 4, 5], id="10-months-up-to-5"),
    pytest.param(4, "BP", MID_NOVEMBER, False, None, [2], id="4-months-the-least"),
    pytest.param(3, "PBPU", MID_NOVEMBER, False, "too_few_months", [], id="3-months-too-few"),
    pytest.param(24, "PBPU", MID_NOVEMBER, False, None, list(range(2, 13)), id="24-months-at-most-12"),
    pytest.param(25, "PBPU", MID_NOVEMBER, False, None, list(range(2, 13)), id="25-months-billed-24"),
    pytest.param(50, "PBPU", MID_NOVEMBER, False, None, list(range(2, 13)), id="50-months-billed-24"),
    pytest.param(11, "PBPU", MID_NOVEMBER, False, None, [2, 3, 4, 5], id="11-months-half-rounded-down"),
    pytest.param(10, "PPU", MID_NOVEMBER, False, "segment", [], id="wage-earner"),
    pytest.param(10, "PBI", MID_NOVEMBER, False, "segment", [], id="government-paid"),
    pytest.param(10, "pbpu", MID_NOVEMBER, False, None, [2, 3, 4, 5], id="segment-any-case"),
    pytest.param(10, "PBPU", MID_NOVEMBER, True, "active_plan", [], id="already-enrolled"),
    pytest.param(10, "PBPU", date(2025, 11, 28), False, None, [2, 3, 4, 5], id="open-on-the-28th"),
    pytest.param(10, "PBPU", date(2025, 11, 29), False, "registration_closed", [], id="closed-on-the-29th"),
    pytest.param(10, "PBPU", date(2025, 2, 27), False, None, [2, 3, 4, 5], id="february-open-on-the-27th"),
    pytest.param(10, "PBPU", date(2025, 2, 28), False, "registration_closed", [],
                 id="february-closed-on-the-28th"),
    pytest.param(10, "PBPU", date(2024, 2, 28), False, "registration_closed", [],
                 id="leap-february-closed-on-the-28th"),
    pytest.param(10, "PBPU", date(2024, 2, 29), False, "registration_closed", [],
                 id="leap-february-closed-on-the-29th"),
    pytest.param(10, "PPU", date(2025, 11, 29), True, "segment", [], id="segment-reported-first"),
])
def test_rehab_eligibility(
    months: int, segment: str, on: date, active_plan: bool, reason: str | None, counts: list[int]
) -> None:
    eligibility = rehab_eligibility(arrears_of(months, on), segment, on, active_plan)
    assert eligibility.eligible is (reason is None)
    assert eligibility.reason == reason
    assert eligibility.allowed_counts == counts


def test_ten_months_in_five_instalments_of_315_000() -> None:
    arrears = arrears_for(TEN_BEHIND, RATES, MID_NOVEMBER)
    schedule = rehab_schedule(arrears, 5, MID_NOVEMBER)
    assert [i.sequence for i in schedule] == [1, 2, 3, 4, 5]
    assert [i.amount for i in schedule] == [315_000] * 5
    assert [i.arrears_share for i in schedule] == [210_000] * 5
    assert [i.current_dues for i in schedule] == [105_000] * 5
    assert [i.due_on for i in schedule] == [
        date(2025, 12, 10), date(2026, 1, 10), date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 10)
    ]


def test_shares_add_up_exactly_the_last_absorbs_the_rounding() -> None:
    arrears = arrears_for(family((3, date(2025, 4, 1))), RATES, MID_NOVEMBER)  # 7 x 35.000 = 245.000
    schedule = rehab_schedule(arrears, 3, MID_NOVEMBER)
    assert [i.arrears_share for i in schedule] == [81_666, 81_666, 81_668]
    assert [i.amount for i in schedule] == [116_666, 116_666, 116_668]


@pytest.mark.parametrize(("enrolled_on", "due"), [
    # Before its due day the enrolment month is not in the arrears, so the first instalment pays its dues.
    pytest.param(date(2025, 11, 5), [date(2025, 11, 10), date(2025, 12, 10)], id="before-the-10th-this-month"),
    pytest.param(date(2025, 11, 10), [date(2025, 11, 10), date(2025, 12, 10)], id="on-the-10th-this-month"),
    pytest.param(date(2025, 11, 11), [date(2025, 12, 10), date(2026, 1, 10)], id="after-the-10th-next-month"),
    pytest.param(date(2025, 12, 20), [date(2026, 1, 10), date(2026, 2, 10)], id="over-new-year"),
])
def test_instalment_due_dates(enrolled_on: date, due: list[date]) -> None:
    schedule = rehab_schedule(arrears_of(10, enrolled_on), 2, enrolled_on)
    assert [instalment.due_on for instalment in schedule] == due


@pytest.mark.parametrize("count", [pytest.param(1, id="one-is-paying-in-full"), pytest.param(6, id="over-half")])
def test_schedule_refuses_counts_outside_the_options(count: int) -> None:
    with pytest.raises(ValueError, match="instalments not allowed"):
        rehab_schedule(arrears_of(10), count, MID_NOVEMBER)


# ----------------------------------------------------------------------------------------------- payments

PAYMENT_CASES = [
    # members, amount, existing credit, on, expected paid_through per member, credit left, months paid
    pytest.param(TEN_BEHIND, 315_000, 0, MID_NOVEMBER, [date(2025, 4, 1)] * 3, 0, 3, id="exact-three-months"),
    pytest.param(TEN_BEHIND, 350_000, 0, MID_NOVEMBER, [date(2025, 4, 1)] * 3, 35_000, 3,
                 id="remainder-to-credit"),
    pytest.param(TEN_BEHIND, 50_000, 0, MID_NOVEMBER, [date(2025, 1, 1)] * 3, 50_000, 0,
                 id="less-than-a-month-all-credit"),
    pytest.param(TEN_BEHIND, 35_000, 70_000, MID_NOVEMBER, [date(2025, 2, 1)] * 3, 0, 1,
                 id="credit-completes-a-month"),
    pytest.param(TEN_BEHIND, 1_050_000, 0, MID_NOVEMBER, [date(2025, 11, 1)] * 3, 0, 10,
                 id="all-arrears"),
    pytest.param(kelas3_family_of(3, date(2025, 11, 1)), 210_000, 0, MID_NOVEMBER, [date(2026, 1, 1)] * 3, 0,
                 2, id="paying-ahead"),
    pytest.param(family((3, date(2025, 10, 1)), (3, date(2025, 8, 1))), 70_000, 0, MID_NOVEMBER,
                 [date(2025, 10, 1), date(2025, 10, 1)], 0, 2, id="the-member-behind-catches-up-first"),
    pytest.param(family((3, date(2025, 10, 1)), (3, date(2025, 8, 1))), 140_000, 0, MID_NOVEMBER,
                 [date(2025, 11, 1), date(2025, 11, 1)], 0, 3, id="then-the-family-together"),
    pytest.param(family((1, date(2025, 10, 1)), (3, date(2025, 10, 1))), 185_000 + 184_999, 0, MID_NOVEMBER,
                 [date(2025, 11, 1), date(2025, 11, 1)], 184_999, 1, id="mixed-classes-one-month"),
    pytest.param(family((3, date(2020, 11, 1))), 25_500 + 35_000, 0, date(2021, 3, 15),
                 [date(2021, 1, 1)], 0, 2, id="each-month-at-its-own-rate"),
    pytest.param(family((3, date(2021, 9, 1))), 35_000, 0, MID_NOVEMBER, [date(2023, 12, 1)], 0, 1,
                 id="months-beyond-24-are-written-off"),
    pytest.param(family((3, date(2021, 9, 1))), 34_999, 0, MID_NOVEMBER, [date(2021, 9, 1)], 34_999, 0,
                 id="no-write-off-without-a-month-paid"),
]


@pytest.mark.parametrize(("members", "amount", "credit", "on", "paid_through", "credit_left", "months"),
                         PAYMENT_CASES)
def test_apply_payment(
    members: list[MemberDues], amount: int, credit: int, on: date, paid_through: list[date],
    credit_left: int, months: int,
) -> None:
    application = apply_payment(members, amount, credit, RATES, on)
    assert application.paid_through == {m.member_id: p for m, p in zip(members, paid_through, strict=True)}
    assert (application.credit, application.months_paid) == (credit_left, months)


def test_paying_the_reactivation_amount_makes_the_family_active() -> None:
    members = family((3, date(2021, 9, 1)), (3, date(2021, 9, 1)))
    on = date(2025, 12, 5)
    bill = arrears_for(members, RATES, on).reactivation_amount
    application = apply_payment(members, bill, 0, RATES, on)
    paid = [replace(m, paid_through=application.paid_through[m.member_id]) for m in members]
    after = arrears_for(paid, RATES, on)
    assert (bill, application.credit, after.total, after.coverage_active) == (2 * 25 * 35_000, 0, 0, True)
    assert application.paid_through == {1: date(2025, 12, 1), 2: date(2025, 12, 1)}


def test_a_negative_payment_is_refused() -> None:
    with pytest.raises(ValueError):
        apply_payment(TEN_BEHIND, -1, 0, RATES, MID_NOVEMBER)


# --------------------------------------------------------------------------------------- penalty, display


@pytest.mark.parametrize(("months", "cost", "penalty"), [
    pytest.param(7, 5_000_000, 1_750_000, id="domain-example-7-months"),
    pytest.param(20, 5_000_000, 3_000_000, id="at-most-12-months-counted"),
    pytest.param(12, 60_000_000, 30_000_000, id="capped-at-30-million"),
    pytest.param(0, 5_000_000, 0, id="no-arrears-no-penalty"),
    pytest.param(1, 1_234_567, 61_728, id="rounded-down-to-the-rupiah"),
])
def test_inpatient_penalty(months: int, cost: int, penalty: int) -> None:
    assert inpatient_penalty(months, cost) == penalty


@pytest.mark.parametrize(("bank", "number"), [
    pytest.param("BRI", "8888801944358911", id="bri"),
    pytest.param("BNI", "8888801944358911", id="bni"),
    pytest.param("BTN", "8888801944358911", id="btn"),
    pytest.param("BCA", "8888801944358911", id="bca"),
    pytest.param("Mandiri", "8988801944358911", id="mandiri"),
])
def test_virtual_account(bank: str, number: str) -> None:
    assert virtual_accounts("0001944358911")[bank] == number


@pytest.mark.parametrize(("amount", "written"), [
    pytest.param(0, "Rp0", id="zero"),
    pytest.param(500, "Rp500", id="hundreds"),
    pytest.param(35_000, "Rp35.000", id="thousands"),
    pytest.param(1_050_000, "Rp1.050.000", id="millions"),
    pytest.param(30_000_000, "Rp30.000.000", id="the-penalty-cap"),
    pytest.param(-35_000, "-Rp35.000", id="negative"),
])
def test_format_rupiah(amount: int, written: str) -> None:
    assert format_rupiah(amount) == written


@pytest.mark.parametrize(("identifier", "masked"), [
    pytest.param("0001944358911", "0001*****8911", id="card-number"),
    pytest.param("3372014508900001", "3372********0001", id="nik"),
    pytest.param("3372011201080003", "3372********0003", id="kk"),
    pytest.param("12345678", "********", id="short-all-stars"),
])
def test_mask_identifier(identifier: str, masked: str) -> None:
    assert mask_identifier(identifier) == masked


# ----------------------------------------------------------------------------------------------------- rules


def test_rules_from_a_json_file_override_only_what_they_name(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"max_counted_months": 12, "rehab_segments": ["PBPU", "BP", "PPU"]}))
    rules = load_rules(path)
    assert rules.max_counted_months == 12
    assert rules.rehab_segments == ("PBPU", "BP", "PPU")
    assert rules.due_day == 10
    arrears = arrears_for(family((3, date(2021, 9, 1))), RATES, MID_NOVEMBER, rules)
    assert arrears.total == 12 * 35_000


def test_missing_rules_file_means_the_defaults(tmp_path: Path) -> None:
    assert load_rules(tmp_path / "absent.json") == ProgrammeRules()


def test_an_unknown_rule_is_an_error() -> None:
    with pytest.raises(ValueError, match="max_countd_months"):
        ProgrammeRules.from_mapping({"max_countd_months": 12})
