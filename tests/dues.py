"""Families and the dues rates of the migrations, for the tests of the pure JKN rules."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

from rules.arrears import MemberDues, RateTable

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
