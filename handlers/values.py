"""Read the values people type on a phone: yes or no, dates in any common form, card numbers.

Rupiah amounts are read by `rules.visit_reports.read_amount`, the one reader for cadres and members alike.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.keywords import normalise
from rules.months import MONTH_NAMES

# One yes/no vocabulary for every question that wants one (consent, REHAB's confirmation): the words people
# type on a phone, Indonesian first, slang and English too.
YES = frozenset({"YA", "Y", "IYA", "YES", "SETUJU", "OK", "OKE"})
NO = frozenset({"TIDAK", "T", "TDK", "GAK", "GA", "NGGAK", "ENGGAK", "NO", "TOLAK"})


def yes_or_no(typed: str) -> bool | None:
    """YA, Iya setuju, OK -> True; TIDAK, tidak setuju, gak jadi, tolak -> False; anything else -> None."""
    words = normalise(typed).split()
    if not words:
        return None
    if words[0] in NO:  # "tidak setuju", "tidak jadi", "gak mau": a no whatever follows
        return False
    if all(word in YES for word in words):
        return True
    return None



_NUMERIC = re.compile(r"^(\d{1,4})[-/. ](\d{1,2})[-/. ](\d{1,4})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})[-/. ](\d{1,2})$")  # 20/6: a promise date in the coming year
_DAY_MONTH_WORDED = re.compile(r"^(\d{1,2}) ([A-Z]+)$")
RELATIVE_DAYS = {"HARI INI": 0, "BESOK": 1, "LUSA": 2, "TODAY": 0, "TOMORROW": 1}
_WORDED = re.compile(r"^(\d{1,2}) ([A-Z]+) (\d{2,4})$")
_COMPACT = re.compile(r"^(\d{2})(\d{2})(\d{4})$")  # 17081985


def _year(value: int, today: date, future: bool) -> int:
    """Two-digit years: a birth year is the latest one not in the future; a promise year is this century."""
    if value >= 100:
        return value
    year = today.year // 100 * 100 + value
    return year - 100 if not future and year > today.year else year


def parse_date(typed: str, today: date, future: bool = False) -> date | None:
    """17-08-1985, 17/8/1985, 17.08.85, 1985-08-17, 17 Agustus 1985, 17 agt 85, 17081985 -> a date.

    With `future` (promise dates) also: "besok", "lusa", and a day and month without a year (the next one).
    """
    text = typed.strip().upper().replace(",", " ")
    text = " ".join(text.split())
    try:
        if future:
            if normalise(text) in RELATIVE_DAYS:
                return today + timedelta(days=RELATIVE_DAYS[normalise(text)])
            day_month = _DAY_MONTH.match(text) or _DAY_MONTH_WORDED.match(normalise(text))
            if day_month:
                day, month_text = day_month.groups()
                month = int(month_text) if month_text.isdigit() else MONTH_NAMES.get(month_text)
                if month is None:
                    return None
                candidate = date(today.year, month, int(day))
                return candidate if candidate >= today else date(today.year + 1, month, int(day))
        if match := _NUMERIC.match(text):
            first, month, last = (int(part) for part in match.groups())
            if len(match.group(1)) == 4:  # year first: 1985-08-17
                return date(first, month, last)
            return date(_year(last, today, future), month, first)
        worded = normalise(text)
        if match := _WORDED.match(worded):
            month_number = MONTH_NAMES.get(match.group(2))
            if month_number is None:
                return None
            return date(_year(int(match.group(3)), today, future), month_number, int(match.group(1)))
        if match := _COMPACT.match(text):
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:  # 31 Februari and friends
        return None
    return None


def digits_of(typed: str) -> str:
    """The digits of a number typed with spaces, dots or dashes: '0001 9443 5891 1' -> '0001944358911'."""
    return re.sub(r"[\s.\-]", "", typed.strip())


def birth_date_in_nik(nik: str) -> tuple[int, int, int] | None:
    """(day, month, two-digit year) embedded in a NIK; women's day has 40 added."""
    if len(nik) != 16 or not nik.isdigit():
        return None
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return day, month, year
