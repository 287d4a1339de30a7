"""Months as the engine counts them: a month is the `date` of its 1st, or internally an integer index.

An index (year * 12 + month - 1) lets the inner loops of the arrears engine avoid building dates, which is
most of its cost.
"""

from __future__ import annotations

from datetime import date

from rules.programme import ProgrammeRules

# Month names as people type them on a phone, Indonesian and English, full and short: one table for every
# parser (a member's birth or promise date, a cadre's visit report).
MONTH_NAMES = {
    "JANUARI": 1, "JANUARY": 1, "JAN": 1,
    "FEBRUARI": 2, "FEBRUARY": 2, "FEB": 2, "PEBRUARI": 2,
    "MARET": 3, "MARCH": 3, "MAR": 3,
    "APRIL": 4, "APR": 4,
    "MEI": 5, "MAY": 5,
    "JUNI": 6, "JUNE": 6, "JUN": 6,
    "JULI": 7, "JULY": 7, "JUL": 7,
    "AGUSTUS": 8, "AUGUST": 8, "AGU": 8, "AGS": 8, "AUG": 8, "AGT": 8,
    "SEPTEMBER": 9, "SEP": 9, "SEPT": 9,
    "OKTOBER": 10, "OCTOBER": 10, "OKT": 10, "OCT": 10,
    "NOVEMBER": 11, "NOV": 11, "NOPEMBER": 11,
    "DESEMBER": 12, "DECEMBER": 12, "DES": 12, "DEC": 12,
}


def month_of(day: date) -> date:
    """The month `day` falls in, as the 1st of that month."""
    return date(day.year, day.month, 1)


def add_months(month: date, count: int) -> date:
    """The month `count` months after (or before, when negative) `month`."""
    return month_at(month_index(month) + count)


def months_between(start: date, end: date) -> int:
    """How many months `end` is after `start` (negative when before), ignoring the day: Jan -> Mar is 2."""
    return month_index(end) - month_index(start)


def month_index(day: date) -> int:
    """The month of `day` as an integer: year * 12 + month - 1."""
    return day.year * 12 + day.month - 1


def month_at(index: int) -> date:
    """The 1st of the month with this index."""
    return date(index // 12, index % 12 + 1, 1)


# The months of 1900..2199 built once: a family's unpaid months are then a slice, not a date per month.
_FIRST_MONTH = 1900 * 12
_MONTHS = tuple(month_at(index) for index in range(_FIRST_MONTH, 2200 * 12))


def months_from_to(first: int, last: int) -> list[date]:
    """The months first..last (inclusive, as indexes), oldest first; empty when last < first."""
    if first > last:
        return []
    if _FIRST_MONTH <= first and last - _FIRST_MONTH < len(_MONTHS):
        return list(_MONTHS[first - _FIRST_MONTH:last - _FIRST_MONTH + 1])
    return [month_at(index) for index in range(first, last + 1)]


def last_due_index(on: date, rules: ProgrammeRules) -> int:
    """The latest month whose due date has passed on `on`: this month after the due day, else the last."""
    current = month_index(on)
    return current if on.day > rules.due_day else current - 1
