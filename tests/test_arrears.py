"""The arrears engine against the worked examples of docs/jkn-rules.md: months, rates, arrears."""

from __future__ import annotations

from datetime import date

import pytest

from rules.arrears import (
    MemberDues,
    NoRateError,
    RateTable,
    arrears_for,
)
from rules.months import add_months, month_of, months_between
from tests.dues import (
    MID_NOVEMBER,
    RATES,
    TEN_BEHIND,
    family,
    kelas3_family_of,
)

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
