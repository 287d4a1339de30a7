"""Every text a member or cadre reads, Indonesian first and English second: one catalogue, by area.

    common.py     the menu, help, language, what the bot cannot read, the web chat page
    identity.py   proving who one is, consent, a shared phone's choice of family, HAPUS
    member.py     CEK, BAYAR, JANJI, STOP/MULAI, KADER, KELUHAN/TIKET, DAFTAR
    rehab.py      REHAB, and its notices to families and cadres
    cadre.py      what cadres read (menus, reports, TUGAS, REKAP, tickets), and receipts to families
    reminders.py  reminders, promises followed up, broadcasts
    dates.py      dates, months and weekdays in words

Keep texts short (a small phone screen) and in the plain Indonesian a cadre would use; add a feature's texts
to its area. Placeholders are `str.format` fields. `text(key, language, **values)` reads every area: a key
written in two areas stops the import.
"""

from __future__ import annotations

from collections.abc import Mapping

from handlers.texts import cadre, common, identity, member, rehab, reminders
from handlers.texts.dates import date_text, day_text, example_dates, month_text

__all__ = ["LANGUAGES", "TEXTS", "date_text", "day_text", "example_dates", "month_text", "text"]

LANGUAGES = ("id", "en")


def _merged(*areas: Mapping[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """One catalogue from the areas'; a key in two areas is a mistake that would hide one of the texts."""
    catalogue: dict[str, tuple[str, str]] = {}
    for area in areas:
        twice = catalogue.keys() & area.keys()
        if twice:
            raise ValueError(f"texts written twice: {', '.join(sorted(twice))}")
        catalogue.update(area)
    return catalogue


TEXTS = _merged(common.TEXTS, identity.TEXTS, member.TEXTS, rehab.TEXTS, cadre.TEXTS, reminders.TEXTS)

def text(key: str, language: str = "id", **values: object) -> str:
    """The text for `key` in `language` (Indonesian when unknown), with its placeholders filled.

    An empty placeholder at the end of a line (a ticket closed without a note) leaves no trailing space."""
    indonesian, english = TEXTS[key]
    template = english if language == "en" else indonesian
    if not values:
        return template
    return "\n".join(line.rstrip() for line in template.format(**values).split("\n"))
