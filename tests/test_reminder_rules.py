"""When reminders are due and when they may go: the dues cadence across month ends, REHAB instalments, the
send window in WIB / WITA / WIT, and holidays (tables of cases, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from rules.calendar import is_holiday, is_working_day
from rules.programme import ProgrammeRules
from rules.reminder_rules import (
    DUES_ARREARS,
    DUES_MONTH_END,
    DUES_UNPAID,
    DUES_UPCOMING,
    REHAB_DUE,
    REHAB_UPCOMING,
    Slot,
    dues_slot,
    next_send_moment,
    rehab_slot,
    still_due,
)

MAY, JUNE = date(2025, 5, 1), date(2025, 6, 1)
SURAKARTA, SAMARINDA, JAYAPURA, DENPASAR = "3372", "6472", "9171", "5171"


@pytest.mark.parametrize(("on", "paid_through", "expected"), [
    pytest.param(date(2025, 6, 6), MAY, None, id="too-early-for-the-upcoming-one"),
    pytest.param(date(2025, 6, 7), MAY, Slot(DUES_UPCOMING, "2025-06", date(2025, 6, 7)), id="three-days-before"),
    pytest.param(date(2025, 6, 10), MAY, Slot(DUES_UPCOMING, "2025-06", date(2025, 6, 7)), id="on-the-due-day"),
    pytest.param(date(2025, 6, 11), MAY, None, id="the-day-after-the-due-day"),
    pytest.param(date(2025, 6, 12), MAY, Slot(DUES_UNPAID, "2025-06", date(2025, 6, 12)), id="unpaid-after-the-10th"),
    pytest.param(date(2025, 6, 26), MAY, Slot(DUES_UNPAID, "2025-06", date(2025, 6, 12)), id="unpaid-late"),
    pytest.param(date(2025, 6, 27), MAY, Slot(DUES_MONTH_END, "2025-06", date(2025, 6, 27)), id="30-day-month-end"),
    pytest.param(date(2025, 7, 28), date(2025, 6, 1),
                 Slot(DUES_MONTH_END, "2025-07", date(2025, 7, 28)), id="31-day-month-end"),
    pytest.param(date(2025, 7, 27), date(2025, 6, 1),
                 Slot(DUES_UNPAID, "2025-07", date(2025, 7, 12)), id="31-day-month-still-unpaid-slot"),
    pytest.param(date(2025, 2, 25), date(2025, 1, 1),
                 Slot(DUES_MONTH_END, "2025-02", date(2025, 2, 25)), id="february-month-end"),
    pytest.param(date(2024, 2, 26), date(2024, 1, 1),
                 Slot(DUES_MONTH_END, "2024-02", date(2024, 2, 26)), id="leap-february-month-end"),
    pytest.param(date(2025, 2, 24), date(2025, 1, 1),
                 Slot(DUES_UNPAID, "2025-02", date(2025, 2, 12)), id="february-still-unpaid"),
    pytest.param(date(2025, 6, 7), JUNE, None, id="paid-this-month"),
    pytest.param(date(2025, 6, 27), date(2025, 9, 1), None, id="paid-ahead"),
    pytest.param(date(2025, 6, 19), date(2025, 4, 1), None, id="arrears-before-their-day"),
    pytest.param(date(2025, 6, 20), date(2025, 4, 1),
                 Slot(DUES_ARREARS, "2025-06-20", date(2025, 6, 20)), id="arrears-on-the-20th"),
    pytest.param(date(2025, 6, 30), date(2023, 1, 1),
                 Slot(DUES_ARREARS, "2025-06-20", date(2025, 6, 20)), id="arrears-until-the-month-ends"),
    pytest.param(date(2025, 7, 1), MAY, None, id="june-ended-unpaid-arrears-wait-for-their-day"),
])
def test_the_dues_cadence(on: date, paid_through: date, expected: Slot | None) -> None:
    assert dues_slot(on, paid_through) == expected


def test_a_branch_sets_its_own_cadence() -> None:
    rules = ProgrammeRules.from_mapping({"reminder_days_before_due": 5, "reminder_arrears_days": [5, 31]})
    assert dues_slot(date(2025, 6, 5), MAY, rules) == Slot(DUES_UPCOMING, "2025-06", date(2025, 6, 5))
    behind = date(2025, 1, 1)
    assert dues_slot(date(2025, 6, 10), behind, rules) == Slot(DUES_ARREARS, "2025-06-05", date(2025, 6, 5))
    # 31 in a 30-day month means its last day; in February the 28th
    assert dues_slot(date(2025, 6, 30), behind, rules) == Slot(DUES_ARREARS, "2025-06-30", date(2025, 6, 30))
    assert dues_slot(date(2025, 2, 28), date(2024, 10, 1), rules) == Slot(DUES_ARREARS, "2025-02-28",
                                                                           date(2025, 2, 28))


def test_a_cadence_that_cannot_fit_a_month_is_refused() -> None:
    with pytest.raises(ValueError, match="reminder_days_before_due"):
        ProgrammeRules.from_mapping({"reminder_days_before_due": 10})
    with pytest.raises(ValueError, match="holiday"):
        ProgrammeRules.from_mapping({"extra_holidays": ["24-12-2025"]})


@pytest.mark.parametrize(("kind", "period", "on", "paid_through", "due"), [
    pytest.param(DUES_UPCOMING, "2025-06", date(2025, 6, 8), MAY, True, id="upcoming-still-unpaid"),
    pytest.param(DUES_UPCOMING, "2025-06", date(2025, 6, 8), JUNE, False, id="upcoming-paid-meanwhile"),
    pytest.param(DUES_MONTH_END, "2025-06", date(2025, 7, 1), MAY, True, id="month-end-sent-late-still-due"),
    pytest.param(DUES_ARREARS, "2025-06-20", date(2025, 6, 21), date(2025, 3, 1), True, id="arrears-still"),
    pytest.param(DUES_ARREARS, "2025-06-20", date(2025, 6, 21), MAY, False, id="arrears-caught-up"),
])
def test_still_due_at_send_time(kind: str, period: str, on: date, paid_through: date, due: bool) -> None:
    assert still_due(kind, period, on, paid_through) is due


@pytest.mark.parametrize(("on", "expected"), [
    (date(2025, 7, 6), None), (date(2025, 7, 7), REHAB_UPCOMING), (date(2025, 7, 9), REHAB_UPCOMING),
    (date(2025, 7, 10), REHAB_DUE), (date(2025, 7, 11), None),
])
def test_rehab_instalment_reminders_before_and_on_the_due_date(on: date, expected: str | None) -> None:
    assert rehab_slot(on, date(2025, 7, 10)) == expected


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(("moment", "region", "expected"), [
    # 08:00 opens the window: 01:00 UTC in WIB, 00:00 UTC in WITA, 23:00 UTC the day before in WIT
    pytest.param(utc(2025, 6, 2, 0, 30), SURAKARTA, utc(2025, 6, 2, 1, 0), id="wib-before-eight"),
    pytest.param(utc(2025, 6, 2, 0, 30), SAMARINDA, utc(2025, 6, 2, 0, 30), id="wita-already-open"),
    pytest.param(utc(2025, 5, 31, 22, 30), JAYAPURA, utc(2025, 6, 1, 23, 0), id="wit-pancasila-day"),
    pytest.param(utc(2025, 6, 2, 22, 30), JAYAPURA, utc(2025, 6, 2, 23, 0), id="wit-before-eight"),
    pytest.param(utc(2025, 6, 2, 12, 59), SURAKARTA, utc(2025, 6, 2, 12, 59), id="wib-19-59-open"),
    pytest.param(utc(2025, 6, 2, 13, 0), SURAKARTA, utc(2025, 6, 3, 1, 0), id="wib-20-00-closed"),
    pytest.param(utc(2025, 6, 2, 11, 0), JAYAPURA, utc(2025, 6, 2, 23, 0), id="wit-20-00-closed"),
    pytest.param(utc(2025, 6, 2, 12, 0), SAMARINDA, utc(2025, 6, 3, 0, 0), id="wita-20-00-closed"),
    pytest.param(utc(2025, 6, 5, 14, 0), SURAKARTA, utc(2025, 6, 7, 1, 0), id="idul-adha-skipped"),
    pytest.param(utc(2025, 3, 28, 13, 0), DENPASAR, utc(2025, 3, 30, 0, 0), id="nyepi-in-bali"),
    pytest.param(utc(2025, 3, 28, 13, 0), SURAKARTA, utc(2025, 3, 30, 1, 0), id="nyepi-national"),
    pytest.param(utc(2025, 3, 30, 13, 0), SURAKARTA, utc(2025, 4, 2, 1, 0), id="idul-fitri-two-days"),
    pytest.param(utc(2025, 12, 31, 13, 0), SURAKARTA, utc(2026, 1, 2, 1, 0), id="new-year"),
    pytest.param(utc(2025, 2, 28, 14, 0), SAMARINDA, utc(2025, 3, 1, 0, 0), id="end-of-february"),
])
def test_the_send_window_in_each_zone(moment: datetime, region: str, expected: datetime) -> None:
    assert next_send_moment(moment, region) == expected


def test_a_branch_adds_and_removes_holidays_by_region() -> None:
    rules = ProgrammeRules.from_mapping({"extra_holidays": ["2025-06-03:3372"], "not_holidays": ["2025-06-06"]})
    assert is_holiday(date(2025, 6, 3), SURAKARTA, rules)
    assert not is_holiday(date(2025, 6, 3), SAMARINDA, rules)
    assert not is_holiday(date(2025, 6, 6), SURAKARTA, rules)  # Idul Adha: the branch sends anyway
    assert next_send_moment(utc(2025, 6, 2, 14, 0), SURAKARTA, rules) == utc(2025, 6, 4, 1, 0)
    hours = ProgrammeRules.from_mapping({"send_window_start_hour": 9, "send_window_end_hour": 17})
    assert next_send_moment(utc(2025, 6, 2, 1, 30), SURAKARTA, hours) == utc(2025, 6, 2, 2, 0)


@pytest.mark.parametrize(("day", "working"), [
    (date(2025, 6, 2), True), (date(2025, 6, 6), False), (date(2025, 6, 7), False), (date(2025, 8, 18), True),
    (date(2025, 8, 17), False), (date(2025, 12, 25), False),
])
def test_working_days(day: date, working: bool) -> None:
    assert is_working_day(day, SURAKARTA) is working
