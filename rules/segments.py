"""Who pays a member's dues, by segment, and how the data says a member moved away from paying their own.

PBPU (informal workers) and BP (non-workers) pay their own dues: they are the self-paying ("mandiri")
segments the arrears engine bills every month. A PPU member's employer and a PBI member's government pay
theirs, so those members are never billed a month themselves; what they can owe is old arrears from the
time they were self-paying (REHAB 2.0 admits them: domain.md).

How the data says a member moved (the rule, decided here). The members file carries a segment and a
`paid_through` month, not the day a member changed segment. So:
- a member whose segment is not self-paying has old self-paid arrears when their `paid_through` is before
  the last month they paid their own dues, `own_dues_until` (kept on the member);
- `own_dues_until` is the month before the one in which the service first saw the member in a segment that
  does not pay its own dues (the members import, or the migration that added it, records it; a later import
  keeps it, and a member back in a self-paying segment loses it). From that month on the employer or the
  government pays, so the old arrears stop growing: a wage earner is not billed month after month at PBPU
  rates, and old arrears never make their card inactive;
- without `own_dues_until` (data arranged by hand) such a member owes nothing: the service never invents a
  debt it cannot date.
A branch that knows the month a member moved can load the file in that month; nothing in the file says it.
"""

from __future__ import annotations

from datetime import date

from rules.months import add_months, month_of

SELF_PAYING_SEGMENTS = frozenset({"PBPU", "BP"})
PAYER_OF_SEGMENT = {"PPU": "employer", "PBI": "government"}  # who pays the dues of the other segments


def pays_own_dues(segment: str) -> bool:
    """True for the self-paying segments (PBPU, BP), which are billed every month."""
    return segment.strip().upper() in SELF_PAYING_SEGMENTS


def payer_of(segment: str) -> str:
    """Who pays a segment's monthly dues: "self", "employer", "government" or "other"."""
    code = segment.strip().upper()
    return "self" if code in SELF_PAYING_SEGMENTS else PAYER_OF_SEGMENT.get(code, "other")


def billed_until(segment: str, own_dues_until: date | None, paid_through: date) -> date | None:
    """The last month the member themselves is billed: None while self-paying (every month is theirs);
    for another segment `own_dues_until`, or `paid_through` when it is unknown (nothing owed)."""
    if pays_own_dues(segment):
        return None
    return month_of(own_dues_until) if own_dues_until is not None else month_of(paid_through)


def own_dues_until_on_import(segment: str, known: date | None, imported_on: date) -> date | None:
    """What an import records for a member: nothing for a self-paying one; for another segment the month
    already known, else the month before the import's (the member is in the new segment at least since)."""
    if pays_own_dues(segment):
        return None
    return known if known is not None else add_months(month_of(imported_on), -1)
