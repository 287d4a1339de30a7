"""The rules of issue 12 as tables: members who moved from the self-paying segment (REHAB 2.0), REHAB on the
billed months, the next dues of a family with nothing late, the name a member is called by, and places.

Pure functions only (rules/): no database, no clock. Figures from domain.md's rates (Kelas III Rp35.000,
Kelas II Rp100.000 a person a month since 2021).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from rules.arrears import MemberDues, apply_payment, arrears_for
from rules.display import called_name
from rules.programme import ProgrammeRules
from rules.regions import region_for_place
from rules.rehab import moved_instalment_counts, rehab_eligibility, rehab_schedule
from rules.segments import billed_until, own_dues_until_on_import, payer_of, pays_own_dues
from tests.dues import MID_NOVEMBER, RATES, family, kelas3_family_of

MAY_2025 = date(2025, 5, 1)


def moved(members: list[MemberDues], until: date = MAY_2025, segment: str = "PPU") -> list[MemberDues]:
    """The same people, now in a segment whose dues others pay, their own dues ending with `until`."""
    return [replace(member, segment=segment, billed_until=until) for member in members]


# --------------------------------------------------------------------------------- how the data says "moved"


@pytest.mark.parametrize(("segment", "own", "paid_through", "expected"), [
    pytest.param("PBPU", None, date(2024, 11, 1), None, id="self-paying-every-month"),
    pytest.param("bp", date(2025, 5, 1), date(2024, 11, 1), None, id="back-to-self-paying"),
    pytest.param("PPU", date(2025, 5, 1), date(2024, 11, 1), date(2025, 5, 1), id="wage-earner"),
    pytest.param("PBI", date(2025, 5, 17), date(2024, 11, 1), date(2025, 5, 1), id="government-paid-month"),
    pytest.param("PPU", None, date(2024, 11, 1), date(2024, 11, 1), id="unknown-owes-nothing"),
])
def test_billed_until(segment: str, own: date | None, paid_through: date, expected: date | None) -> None:
    assert billed_until(segment, own, paid_through) == expected


@pytest.mark.parametrize(("segment", "known", "imported_on", "expected"), [
    pytest.param("PBPU", None, date(2025, 6, 2), None, id="self-paying-none"),
    pytest.param("PBPU", date(2025, 1, 1), date(2025, 6, 2), None, id="back-to-self-paying-forgets"),
    pytest.param("PPU", None, date(2025, 6, 2), date(2025, 5, 1), id="first-seen-month-before"),
    pytest.param("PPU", None, date(2026, 1, 20), date(2025, 12, 1), id="first-seen-in-january"),
    pytest.param("PBI", date(2025, 1, 1), date(2025, 6, 2), date(2025, 1, 1), id="known-is-kept"),
])
def test_own_dues_until_on_import(segment: str, known: date | None, imported_on: date,
                                  expected: date | None) -> None:
    assert own_dues_until_on_import(segment, known, imported_on) == expected


@pytest.mark.parametrize(("segment", "self_paying", "payer"), [
    ("PBPU", True, "self"), ("BP", True, "self"), ("PPU", False, "employer"), ("PBI", False, "government"),
    ("xx", False, "other"),
])
def test_who_pays(segment: str, self_paying: bool, payer: str) -> None:
    assert (pays_own_dues(segment), payer_of(segment)) == (self_paying, payer)


# ------------------------------------------------------------------------------------- a moved family's bill


@pytest.mark.parametrize("on", [date(2025, 6, 2), MID_NOVEMBER, date(2027, 3, 15)])
def test_a_moved_familys_old_arrears_do_not_grow_and_do_not_suspend(on: date) -> None:
    # Paid through November 2024, own dues until May 2025: December .. May, 6 months, whenever one looks.
    arrears = arrears_for(moved(kelas3_family_of(3, date(2024, 11, 1))), RATES, on)
    assert (arrears.months_in_arrears, arrears.counted_months, arrears.total) == (6, 6, 6 * 105_000)
    assert arrears.coverage_active and arrears.suspended_since is None
    assert (arrears.reactivation_amount, arrears.current_month_dues, arrears.next_dues) == (0, 0, 0)
    assert not arrears.pays_own_dues and arrears.next_month is None


def test_in_a_mixed_family_only_the_self_paying_member_is_billed_this_month_and_suspends() -> None:
    members = family((3, date(2025, 1, 1)), (3, date(2024, 11, 1)))
    members[1] = replace(members[1], segment="PPU", billed_until=MAY_2025)  # the spouse now works for wages
    arrears = arrears_for(members, RATES, MID_NOVEMBER)
    assert [m.months for m in arrears.members] == [10, 6]
    assert arrears.total == 16 * 35_000 and arrears.current_month_dues == 35_000
    assert arrears.pays_own_dues and arrears.suspended_since == date(2025, 3, 1)


@pytest.mark.parametrize(("on", "paid_through", "next_month", "next_dues"), [
    pytest.param(date(2025, 6, 2), date(2025, 5, 1), date(2025, 6, 1), 300_000, id="before-the-10th-this-month"),
    pytest.param(date(2025, 6, 2), date(2025, 6, 1), date(2025, 7, 1), 300_000, id="paid-this-month-early"),
    pytest.param(date(2026, 11, 23), date(2026, 11, 1), date(2026, 12, 1), 300_000, id="paid-november-on-23rd"),
    pytest.param(date(2026, 11, 23), date(2027, 1, 1), date(2027, 2, 1), 300_000, id="paid-ahead-to-january"),
    pytest.param(date(2025, 6, 15), date(2025, 3, 1), date(2025, 7, 1), 300_000, id="in-arrears-next-is-july"),
])
def test_the_next_dues_and_when(on: date, paid_through: date, next_month: date, next_dues: int) -> None:
    arrears = arrears_for(family(*[(2, paid_through)] * 3), RATES, on)  # Kelas II family of three
    assert (arrears.next_month, arrears.next_dues, arrears.next_due_on) == (
        next_month, next_dues, next_month.replace(day=10))


def test_the_next_dues_count_only_who_has_not_paid_that_month() -> None:
    arrears = arrears_for(family((2, date(2026, 11, 1)), (2, date(2026, 12, 1))), RATES, date(2026, 11, 23))
    assert (arrears.next_month, arrears.next_dues) == (date(2026, 12, 1), 100_000)


@pytest.mark.parametrize(("on", "extra"), [
    pytest.param(date(2025, 11, 5), 105_000, id="before-the-10th-this-month-is-added"),
    pytest.param(MID_NOVEMBER, 0, id="after-the-10th-it-is-among-the-arrears"),
])
def test_what_reactivation_adds_to_the_arrears(on: date, extra: int) -> None:
    arrears = arrears_for(kelas3_family_of(3, date(2025, 1, 1)), RATES, on)
    assert arrears.extra_for_reactivation == extra
    assert arrears.reactivation_amount == arrears.total + extra


# ------------------------------------------------------------------------------------------------- REHAB 2.0


@pytest.mark.parametrize(("total", "counts"), [
    pytest.param(630_000, list(range(2, 19)), id="630k-up-to-18"),
    pytest.param(1_800_000, list(range(2, 37)), id="1.8m-up-to-36"),
    pytest.param(70_000, [2], id="two-months-of-one-kelas-iii"),
    pytest.param(69_999, [], id="under-two-instalments-of-35k"),
])
def test_moved_instalment_counts(total: int, counts: list[int]) -> None:
    assert moved_instalment_counts(total) == counts


@pytest.mark.parametrize(("paid_through", "until", "on", "plan", "reason", "counts"), [
    pytest.param(date(2024, 11, 1), MAY_2025, MID_NOVEMBER, False, None, list(range(2, 19)), id="6-months-630k"),
    pytest.param(date(2025, 3, 1), MAY_2025, MID_NOVEMBER, False, None, list(range(2, 7)), id="2-months-least"),
    pytest.param(date(2025, 4, 1), MAY_2025, MID_NOVEMBER, False, "too_few_months", [], id="1-month-too-few"),
    pytest.param(date(2025, 5, 1), MAY_2025, MID_NOVEMBER, False, "too_few_months", [], id="nothing-old"),
    pytest.param(date(2021, 3, 1), MAY_2025, MID_NOVEMBER, False, None, list(range(2, 37)), id="50-billed-24"),
    pytest.param(date(2024, 11, 1), MAY_2025, MID_NOVEMBER, True, "active_plan", [], id="already-enrolled"),
    pytest.param(date(2024, 11, 1), MAY_2025, date(2025, 11, 29), False, "registration_closed", [],
                 id="closed-on-the-29th"),
])
def test_rehab_2_for_members_who_moved(paid_through: date, until: date, on: date, plan: bool,
                                       reason: str | None, counts: list[int]) -> None:
    arrears = arrears_for(moved(kelas3_family_of(3, paid_through), until), RATES, on)
    eligibility = rehab_eligibility(arrears, "PPU", on, plan)  # the holder's segment: not asked of them
    assert (eligibility.eligible, eligibility.reason, eligibility.allowed_counts, eligibility.moved) == (
        reason is None, reason, counts, True)


def test_a_rehab_2_schedule_is_the_old_arrears_alone() -> None:
    arrears = arrears_for(moved(kelas3_family_of(3, date(2024, 11, 1))), RATES, MID_NOVEMBER)
    schedule = rehab_schedule(arrears, 18, MID_NOVEMBER)
    assert {(i.arrears_share, i.current_dues, i.amount) for i in schedule} == {(35_000, 0, 35_000)}
    assert schedule[-1].due_on == date(2027, 5, 10)
    with pytest.raises(ValueError, match="not allowed"):
        rehab_schedule(arrears, 19, MID_NOVEMBER)


def test_a_branch_that_bills_more_months_than_rehab_takes_refuses_too_many() -> None:
    rules = ProgrammeRules(max_counted_months=36)
    arrears = arrears_for(kelas3_family_of(3, date(2022, 12, 1)), RATES, MID_NOVEMBER, rules)  # 35 months
    assert rehab_eligibility(arrears, "PBPU", MID_NOVEMBER, False, rules).reason == "too_many_months"


def test_rehab_2_can_be_turned_off_by_a_branch() -> None:
    rules = ProgrammeRules(rehab_moved_max_instalments=0)
    arrears = arrears_for(moved(kelas3_family_of(3, date(2024, 11, 1))), RATES, MID_NOVEMBER, rules)
    assert rehab_eligibility(arrears, "PPU", MID_NOVEMBER, False, rules).reason == "too_few_months"


# --------------------------------------------------------------------------------------- a moved member pays


def test_a_payment_pays_a_moved_members_old_months_and_never_ahead() -> None:
    members = moved(kelas3_family_of(1, date(2024, 11, 1)))  # December .. May: Rp210.000
    application = apply_payment(members, 250_000, 0, RATES, MID_NOVEMBER)
    assert application.paid_through == {1: MAY_2025}
    assert (application.months_paid, application.credit) == (6, 40_000)


def test_a_mixed_family_pays_the_moved_members_old_months_then_the_others_ahead() -> None:
    members = family((3, date(2025, 11, 1)), (3, date(2025, 3, 1)))
    members[1] = replace(members[1], segment="PPU", billed_until=MAY_2025)  # April and May still owed
    application = apply_payment(members, 105_000, 0, RATES, MID_NOVEMBER)
    # April and May (the spouse's Rp70.000), then December for the head (Rp35.000).
    assert application.paid_through == {1: date(2025, 12, 1), 2: MAY_2025}
    assert (application.months_paid, application.credit) == (3, 0)


# ------------------------------------------------------------------------------------- names and places


@pytest.mark.parametrize(("name", "called"), [
    ("Budi Santoso", "Budi"),
    ("Muhammad Syahrul", "Syahrul"),
    ("Muhammad", "Muhammad"),
    ("MUHAMMAD RIZKY RAMADHAN", "RIZKY"),
    ("Moh. Hasan", "Hasan"),
    ("M. Yusuf Aziz", "Yusuf"),
    ("H. Muhammad Yusuf", "Yusuf"),
    ("Hj. Siti Aminah", "Siti"),
    ("Ir. Joko Widodo", "Joko"),
    ("Dr. Sri Lestari", "Sri"),
    ("dr. Ratna Dewi", "Ratna"),
    ("Sri Wahyuni", "Sri"),
    ("Ahmad Rahman", "Ahmad"),
    ("Painem", "Painem"),
    ("  ", ""),
])
def test_the_name_a_member_is_called_by(name: str, called: str) -> None:
    assert called_name(name) == called


@pytest.mark.parametrize(("typed", "code"), [
    ("solo", "3372"), ("Solo", "3372"), ("kota solo", "3372"), ("saya tinggal di Solo", "3372"),
    ("surakarta", "3372"), ("Kota Surakarta", "3372"), ("3372", "3372"),
    ("solo baru", "3311"), ("Kab. Sukoharjo", "3311"),
    ("jogja", "3471"), ("Yogyakarta", "3471"),
    ("samarinda", "6472"), ("jakarta", "3171"),
    ("kota", None), ("sura", None), ("xyz", None), ("", None),
])
def test_places_as_people_type_them(typed: str, code: str | None) -> None:
    assert region_for_place(typed) == code
