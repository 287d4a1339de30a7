"""REHAB, the instalment programme for arrears: who may enrol, with how many instalments, and the schedule.

Pure functions of a family's arrears and a date; storing a plan is models.rehab_plans' job.

Months are the billed months (`FamilyArrears.counted_months`): a family 50 months behind is billed 24, the
way the branch counts them, so it may enrol on those 24. Two routes:
- a family with a self-paying member (PBPU, BP): 4 to 24 billed months, at most 12 instalments and at most
  half the months, each instalment carrying the month's dues;
- REHAB 2.0 for a family whose members all moved to a segment whose dues others pay (rules.segments): at
  least 2 months of old arrears, up to 36 instalments of at least Rp35.000; no month's dues in them, as the
  employer or the government pays those.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rules.arrears import FamilyArrears
from rules.months import month_at, month_index
from rules.programme import DEFAULT_RULES, ProgrammeRules


@dataclass(frozen=True, slots=True)
class RehabEligibility:
    """Whether a family may enrol in REHAB, why not, and the instalment counts it may choose."""

    eligible: bool
    reason: str | None  # segment / active_plan / too_few_months / too_many_months / registration_closed
    allowed_counts: list[int]  # the instalment counts the family may choose; empty when not eligible
    moved: bool = False  # the REHAB 2.0 route for members who moved from a self-paying segment


def instalment_counts(months_in_arrears: int, rules: ProgrammeRules = DEFAULT_RULES) -> list[int]:
    """The instalment counts a family with these months of arrears may choose: at least
    `rehab_min_instalments` (one instalment is paying in full), at most `rehab_max_instalments` and at most
    months // `rehab_tenor_divisor` (REHAB 2.0: 10 months -> 2..5)."""
    most = min(rules.rehab_max_instalments, months_in_arrears // rules.rehab_tenor_divisor)
    return list(range(rules.rehab_min_instalments, most + 1))


def moved_instalment_counts(arrears_total: int, rules: ProgrammeRules = DEFAULT_RULES) -> list[int]:
    """REHAB 2.0 for members who moved segment: at least `rehab_min_instalments`, at most
    `rehab_moved_max_instalments`, and no instalment under `rehab_moved_min_instalment` (Rp1.800.000 -> 2..36,
    Rp105.000 -> 2..3)."""
    most = rules.rehab_moved_max_instalments
    if rules.rehab_moved_min_instalment:
        most = min(most, arrears_total // rules.rehab_moved_min_instalment)
    return list(range(rules.rehab_min_instalments, most + 1))


def allowed_counts(arrears: FamilyArrears, rules: ProgrammeRules = DEFAULT_RULES) -> list[int]:
    """The instalment counts on offer for these arrears, by route (see the module), on the billed months."""
    if arrears.pays_own_dues:
        return instalment_counts(arrears.counted_months, rules)
    return moved_instalment_counts(arrears.total, rules)


def registration_open(on: date, rules: ProgrammeRules = DEFAULT_RULES) -> bool:
    """REHAB registration is open up to and including the closing day (an earlier one in February)."""
    closes = rules.registration_closes_day_february if on.month == 2 else rules.registration_closes_day
    return on.day <= closes


def rehab_eligibility(
    arrears: FamilyArrears,
    segment: str,
    on: date,
    has_active_plan: bool,
    rules: ProgrammeRules = DEFAULT_RULES,
) -> RehabEligibility:
    """Whether the family may enrol in REHAB on `on`, and with how many instalments.

    Reasons are checked from the most lasting to the most passing (segment, an active plan, the months,
    then the registration window), so the reason given is the one that still holds next month. The months
    are the billed ones, so "too many" happens only where a branch bills more months than REHAB takes.
    """
    moved = not arrears.pays_own_dues

    def refused(reason: str) -> RehabEligibility:
        return RehabEligibility(False, reason, [], moved)

    months = arrears.counted_months  # billed months: 50 behind is billed, and judged on, 24
    # `segment` is the account holder's; it decides only for families that pay their own dues.
    if not moved and segment.upper() not in rules.rehab_segments:
        return refused("segment")
    if has_active_plan:
        return refused("active_plan")
    counts = allowed_counts(arrears, rules)
    least = rules.rehab_moved_min_months if moved else rules.rehab_min_months
    if months < least or not counts:
        return refused("too_few_months")
    if months > rules.rehab_max_months:
        return refused("too_many_months")
    if not registration_open(on, rules):
        return refused("registration_closed")
    return RehabEligibility(True, None, counts, moved)


@dataclass(frozen=True, slots=True)
class Instalment:
    """One planned instalment: its share of the arrears plus that month's dues."""

    sequence: int  # 1..n
    due_on: date
    arrears_share: int
    current_dues: int  # the dues of the month of due_on
    amount: int  # arrears_share + current_dues


def first_instalment_due(enrolled_on: date, rules: ProgrammeRules = DEFAULT_RULES) -> date:
    """The due day of the enrolment month when enrolling on or before it, else of the next month.

    Each instalment carries the dues of its own month, and the arrears on the enrolment day already include
    the enrolment month once its due day has passed; so this way every month is paid exactly once.
    """
    month = month_index(enrolled_on) if enrolled_on.day <= rules.due_day else month_index(enrolled_on) + 1
    return month_at(month).replace(day=rules.due_day)


def rehab_schedule(
    arrears: FamilyArrears, count: int, enrolled_on: date, rules: ProgrammeRules = DEFAULT_RULES
) -> list[Instalment]:
    """The instalments of a REHAB plan: the arrears total split into `count` whole-rupiah shares, each with
    the family's monthly dues added, due monthly on the due day from `first_instalment_due`.

    Shares are equal and the last one absorbs the rounding (at most count - 1 rupiah more), so they add up
    exactly to the total. The monthly dues are those of `arrears.current_month` (a rate change during the
    plan is not foreseen: the plan is a promise made on the enrolment day); a family whose members all moved
    segment owes none (`current_month_dues` is 0), so its instalments are the arrears alone.
    """
    allowed = allowed_counts(arrears, rules)
    if count not in allowed:
        raise ValueError(f"{count} instalments not allowed for {arrears.counted_months} billed months: {allowed}")
    share, remainder = divmod(arrears.total, count)
    first = month_index(first_instalment_due(enrolled_on, rules))
    dues = arrears.current_month_dues
    schedule = []
    for sequence in range(1, count + 1):
        arrears_share = share + (remainder if sequence == count else 0)
        schedule.append(Instalment(
            sequence=sequence,
            due_on=month_at(first + sequence - 1).replace(day=rules.due_day),
            arrears_share=arrears_share,
            current_dues=dues,
            amount=arrears_share + dues,
        ))
    return schedule


