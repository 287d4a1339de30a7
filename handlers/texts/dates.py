"""Dates, months and weekdays as the texts write them, in Indonesian and English."""

from __future__ import annotations

from datetime import date

# How texts write months (rules.months.MONTH_NAMES is how people type them, for reading).
MONTHS_WRITTEN = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}


def date_text(day: date, language: str = "id") -> str:
    """2 Juni 2025 / 2 June 2025."""
    names = MONTHS_WRITTEN["en" if language == "en" else "id"]
    return f"{day.day} {names[day.month - 1]} {day.year}"


def month_text(month: date, language: str = "id") -> str:
    """Juni 2025 / June 2025."""
    names = MONTHS_WRITTEN["en" if language == "en" else "id"]
    return f"{names[month.month - 1]} {month.year}"


def example_dates(day: date, language: str = "id") -> dict[str, str]:
    """The ways a date can be typed, for a text's example: numeric 09-06-2025, short 9/6, worded 9 Juni."""
    names = MONTHS_WRITTEN["en" if language == "en" else "id"]
    return {"numeric": f"{day:%d-%m-%Y}", "short": f"{day.day}/{day.month}",
            "worded": f"{day.day} {names[day.month - 1]}"}


WEEKDAY_NAMES = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def day_text(day: date, language: str = "id") -> str:
    """Senin, 2 Juni 2025 / Monday, 2 June 2025."""
    return f"{WEEKDAY_NAMES['en' if language == 'en' else 'id'][day.weekday()]}, {date_text(day, language)}"
