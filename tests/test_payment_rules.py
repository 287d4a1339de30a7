"""REHAB plans, payments applied, the inpatient penalty, display and the rules file, against docs/jkn-rules.md."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app import load_rules
from rules.arrears import (
    FamilyArrears,
    MemberDues,
    apply_payment,
    arrears_for,
    inpatient_penalty,
)
from rules.display import format_rupiah
from rules.identifiers import mask_identifier, virtual_accounts
from rules.months import add_months, month_of
from rules.programme import ProgrammeRules
from rules.rehab import rehab_eligibility, rehab_schedule
from tests.dues import (
    MID_NOVEMBER,
    RATES,
    TEN_BEHIND,
    family,
    kelas3_family_of,
)

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
