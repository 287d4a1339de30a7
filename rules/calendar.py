"""Indonesia's calendar: national holidays (Idul Fitri, Nyepi, Christmas...) with a branch's own changes.

The `holidays` package knows the national days, including the moving Islamic, Hindu and Buddhist ones; a
branch adds its own (cuti bersama, a regional day) or removes one it works on through `extra_holidays` and
`not_holidays` in its programme rules: "YYYY-MM-DD" for every region, or "YYYY-MM-DD:<prefix>" for the
regions whose code starts with that prefix ("51" is Bali, "3372" Kota Surakarta).

Shared by the reminders' send windows and the cadres' mornings (TUGAS at 07:00, weekly targets), so both skip
the same days; the cadres' working weekdays are the branch's `cadre_working_days`.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from functools import lru_cache

import holidays

from rules.programme import DEFAULT_RULES, ProgrammeRules

SATURDAY = 5
MONDAY_TO_FRIDAY = (0, 1, 2, 3, 4)


@lru_cache(maxsize=64)
def _national(year: int) -> frozenset[date]:
    """Built once per year: the package computes the lunar calendars on every construction."""
    return frozenset(holidays.country_holidays("ID", years=year))


def _listed(day: date, region_code: str, entries: tuple[str, ...]) -> bool:
    text = day.isoformat()
    for entry in entries:
        listed, _, prefix = entry.partition(":")
        if listed == text and region_code.strip().startswith(prefix):
            return True
    return False


def is_holiday(day: date, region_code: str, rules: ProgrammeRules = DEFAULT_RULES) -> bool:
    """A national holiday (unless the branch works on it) or one of the branch's own days off there."""
    if _listed(day, region_code, rules.extra_holidays):
        return True
    return day in _national(day.year) and not _listed(day, region_code, rules.not_holidays)


def is_working_day(day: date, region_code: str, rules: ProgrammeRules = DEFAULT_RULES,
                   weekdays: Collection[int] = MONDAY_TO_FRIDAY) -> bool:
    """One of `weekdays` (0 = Monday; Monday to Friday unless given) and not a holiday in that region."""
    return day.weekday() in weekdays and not is_holiday(day, region_code, rules)


def working_days_between(first: date, last: date, region_code: str, rules: ProgrammeRules = DEFAULT_RULES,
                         weekdays: Collection[int] = MONDAY_TO_FRIDAY) -> int:
    """How many working days lie from `first` to `last`, both included (0 when `last` is before `first`)."""
    days = (first + timedelta(days=offset) for offset in range((last - first).days + 1))
    return sum(is_working_day(day, region_code, rules, weekdays) for day in days)
