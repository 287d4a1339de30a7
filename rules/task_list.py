"""TUGAS: which of a cadre's households to visit today, and why, as a pure ranking of plain facts.

Households first whose promise to pay falls due (today, tomorrow, or passed unkept in the last two weeks),
then by months in arrears, then by the amount owed, then by the days since the last visit (never visited
counts as longest). Households visited in the last few days, or already paying through a REHAB plan, drop
to the end: they are listed only when the others do not fill the day. Families owing nothing are not listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from rules.programme import DEFAULT_RULES, ProgrammeRules

PROMISE_LOOKBACK = timedelta(days=14)  # an unkept promise older than this is stale news for the cadre
NEVER = 10_000  # days since the last visit of a household never visited


@dataclass(frozen=True)
class Household:
    """What ranking needs to know about one family on a cadre's list."""

    family_id: int
    months_in_arrears: int
    amount: int  # rupiah owed (at most the counted months)
    promised_on: date | None = None  # the latest promise to pay
    last_visit: date | None = None
    in_plan: bool = False


@dataclass(frozen=True)
class Task:
    """A household on a cadre's day list, with why it ranks where it does."""

    household: Household
    promise_due: bool
    days_since_visit: int | None  # None: never visited
    set_aside: bool  # visited in the last days, or in a REHAB plan


def rank_households(households: Iterable[Household], today: date, rules: ProgrammeRules = DEFAULT_RULES,
                    limit: int | None = None) -> list[Task]:
    """The day's list, best first: at most `limit` (the cadre's daily target when None)."""
    tasks = []
    for household in households:
        if household.months_in_arrears <= 0:
            continue
        promised = household.promised_on
        promise_due = promised is not None and today - PROMISE_LOOKBACK <= promised <= today + timedelta(days=1)
        since = (today - household.last_visit).days if household.last_visit else None
        recent = since is not None and since < rules.recent_visit_days
        tasks.append(Task(household, promise_due, since, recent or household.in_plan))
    tasks.sort(key=lambda task: (task.set_aside, not task.promise_due, -task.household.months_in_arrears,
                                 -task.household.amount,
                                 -(NEVER if task.days_since_visit is None else task.days_since_visit),
                                 task.household.family_id))
    return tasks[: rules.cadre_daily_visits if limit is None else limit]
