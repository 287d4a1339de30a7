"""When a reminder is due: the dues cadence of a month, REHAB instalment reminders, and the send window.

Pure functions of a date (or a moment) and the branch's rules. The planner asks them once per planning
run and turns the answer into set-based SQL; the dispatcher asks them again for each reminder at send time.

Dues cadence for a self-paying family, by its oldest member's paid-through month P, on a day of month M
with due day D (the defaults: D = 10, 3 days before, 2 after, 3 before the month ends, the 20th):
- P = M - 1 (up to date until this month): `dues_upcoming` from D - 3 to D; `dues_unpaid` from D + 2 to the
  day before the last one; `dues_month_end` for the last days (coverage stops on the 1st).
- P <= M - 2 (a month ended unpaid: coverage stopped): `dues_arrears` on each of the arrears days, each
  active until the next one or the month's end (the slower cadence).
- P >= M: paid, nothing.
A slot is active for a range of days, not one day, so a planner that did not run on the first day still
plans it later; its key (family, kind, period, channel) makes sure it goes once.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from rules.calendar import is_holiday
from rules.months import add_months, month_of
from rules.programme import DEFAULT_RULES, ProgrammeRules
from rules.regions import zone_for_region

DUES_UPCOMING, DUES_UNPAID, DUES_MONTH_END, DUES_ARREARS = (
    "dues_upcoming", "dues_unpaid", "dues_month_end", "dues_arrears")
REHAB_UPCOMING, REHAB_DUE = "rehab_upcoming", "rehab_due"
PROMISE_PASSED, PROMISE_TO_CADRE = "promise_passed", "promise_cadre"
BROADCAST = "broadcast"
DUES_KINDS = (DUES_UPCOMING, DUES_UNPAID, DUES_MONTH_END, DUES_ARREARS)
CURRENT_MONTH_KINDS = (DUES_UPCOMING, DUES_UNPAID, DUES_MONTH_END)
ALL_KINDS = (*DUES_KINDS, REHAB_UPCOMING, REHAB_DUE, PROMISE_PASSED, PROMISE_TO_CADRE, BROADCAST)
MAX_WINDOW_SEARCH_DAYS = 60  # longer than any run of holidays; beyond it the rules are wrong, not the calendar


@dataclass(frozen=True, slots=True)
class Slot:
    """A reminder that is due: its kind, the period that makes its key, and the first day it may go."""

    kind: str
    period: str
    day: date


def last_day(month: date) -> date:
    """The last day of `month`'s month."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def current_month_slot(on: date, rules: ProgrammeRules = DEFAULT_RULES) -> Slot | None:
    """The current month's reminder active on `on` for a family paid up to the month before, if any."""
    month = month_of(on)
    period = f"{month:%Y-%m}"
    end = last_day(month)
    month_end_from = end.day - rules.reminder_days_before_month_end
    upcoming_from = rules.due_day - rules.reminder_days_before_due
    unpaid_from = rules.due_day + rules.reminder_days_after_due
    if upcoming_from <= on.day <= rules.due_day:
        return Slot(DUES_UPCOMING, period, month.replace(day=upcoming_from))
    if on.day >= month_end_from:
        return Slot(DUES_MONTH_END, period, month.replace(day=max(month_end_from, 1)))
    if unpaid_from <= on.day < month_end_from:
        return Slot(DUES_UNPAID, period, month.replace(day=unpaid_from))
    return None


def arrears_slot(on: date, rules: ProgrammeRules = DEFAULT_RULES) -> Slot | None:
    """The arrears reminder active on `on` (the latest arrears day of the month not after it), if any."""
    month = month_of(on)
    end = last_day(month).day
    days = sorted({min(day, end) for day in rules.reminder_arrears_days})
    started = [day for day in days if day <= on.day]
    if not started:
        return None
    day = month.replace(day=started[-1])
    return Slot(DUES_ARREARS, day.isoformat(), day)


def dues_slot(on: date, paid_through: date, rules: ProgrammeRules = DEFAULT_RULES) -> Slot | None:
    """The dues reminder due on `on` for a family whose oldest member is paid through `paid_through`."""
    month = month_of(on)
    if paid_through >= month:
        return None
    if paid_through == add_months(month, -1):
        return current_month_slot(on, rules)
    return arrears_slot(on, rules)


def still_due(kind: str, period: str, on: date, paid_through: date) -> bool:
    """At send time: is a dues reminder planned as (kind, period) still right for this family on `on`?

    False once the month it is about is paid (`dues_upcoming`, `dues_unpaid`, `dues_month_end`) or once
    coverage is no longer stopped (`dues_arrears`): the family paid after it was planned.
    """
    if kind in CURRENT_MONTH_KINDS:
        return paid_through < date.fromisoformat(period + "-01")
    if kind == DUES_ARREARS:
        return paid_through <= add_months(month_of(on), -2)
    raise ValueError(f"{kind} is not a dues reminder")


def rehab_slot(on: date, due_on: date, rules: ProgrammeRules = DEFAULT_RULES) -> str | None:
    """The reminder for an unpaid instalment due on `due_on`: `rehab_upcoming` in the days before it,
    `rehab_due` on the day itself; after it, the missed-instalment notice takes over."""
    if on == due_on:
        return REHAB_DUE
    if due_on - timedelta(days=rules.rehab_reminder_days_before) <= on < due_on:
        return REHAB_UPCOMING
    return None


def window_start(day: date, region_code: str, rules: ProgrammeRules = DEFAULT_RULES) -> datetime:
    """When the send window opens on `day` in the region's time zone, in UTC."""
    zone = zone_for_region(region_code)
    return datetime.combine(day, time(rules.send_window_start_hour), zone).astimezone(UTC)


def next_send_moment(moment: datetime, region_code: str, rules: ProgrammeRules = DEFAULT_RULES) -> datetime:
    """`moment` itself when it is inside the region's send window, else when the next window opens (UTC).

    The window is [start, end) in local time on a day that is not a holiday there. A reminder outside it is
    deferred to this moment, never dropped.
    """
    if moment.tzinfo is None:
        raise ValueError("a send moment must be timezone-aware")
    zone = zone_for_region(region_code)
    day = moment.astimezone(zone).date()
    for _ in range(MAX_WINDOW_SEARCH_DAYS):
        if not is_holiday(day, region_code, rules):
            midnight = datetime.combine(day, time(0), zone)
            start = midnight + timedelta(hours=rules.send_window_start_hour)
            end = midnight + timedelta(hours=rules.send_window_end_hour)
            if moment < start:
                return start.astimezone(UTC)
            if moment < end:
                return moment.astimezone(UTC)
        day += timedelta(days=1)
    raise ValueError(f"no send window within {MAX_WINDOW_SEARCH_DAYS} days of {moment:%Y-%m-%d}: check the holidays")


def in_send_window(moment: datetime, region_code: str, rules: ProgrammeRules = DEFAULT_RULES) -> bool:
    """Whether `moment` is inside the region's send window (local hours, not on a holiday there)."""
    return next_send_moment(moment, region_code, rules) == moment.astimezone(UTC)
