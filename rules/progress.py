"""REKAP: a cadre's targets for a day, a week, a month and a reporting period, and a text progress bar.

Visit targets count households (a family visited twice in a day counts once); the week's and the month's
visit targets are the daily target times the working days in them (holidays excluded), so a week with
Idul Adha asks for fewer visits. The period target and the monthly collection target are flat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rules.calendar import working_days_between
from rules.programme import DEFAULT_RULES, ProgrammeRules

BAR_WIDTH = 10
FULL, EMPTY = "█", "░"  # block characters render on every phone WhatsApp and Telegram run on


@dataclass(frozen=True)
class Span:
    """The days from `first` to `last`, both included."""

    first: date
    last: date


@dataclass(frozen=True)
class Targets:
    """A cadre's targets: households visited a day, week, month and period; rupiah collected a month."""

    day: int
    week: int
    month: int
    period: int
    collection_month: int


def week_of(day: date) -> Span:
    """Monday to Sunday."""
    monday = day - timedelta(days=day.weekday())
    return Span(monday, monday + timedelta(days=6))


def month_of_day(day: date) -> Span:
    """The calendar month holding `day`."""
    following = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return Span(day.replace(day=1), following - timedelta(days=1))


def period_of(day: date, rules: ProgrammeRules = DEFAULT_RULES) -> Span:
    """The reporting period holding `day`: with 6-month periods, January-June or July-December."""
    months = rules.cadre_period_months
    first_month = (day.month - 1) // months * months + 1
    first = date(day.year, first_month, 1)
    last_month = first_month + months - 1
    return Span(first, month_of_day(date(day.year, last_month, 1)).last)


def targets_for(day: date, region: str, rules: ProgrammeRules = DEFAULT_RULES) -> Targets:
    """The targets of the day, week, month and period holding `day`, for a cadre working in `region`."""
    week, month = week_of(day), month_of_day(day)
    weekdays = rules.cadre_working_days
    return Targets(
        day=rules.cadre_daily_visits,
        week=rules.cadre_daily_visits * working_days_between(week.first, week.last, region, rules, weekdays),
        month=rules.cadre_daily_visits * working_days_between(month.first, month.last, region, rules, weekdays),
        period=rules.cadre_period_visits,
        collection_month=rules.cadre_monthly_collection,
    )


def percent(done: int, target: int) -> int:
    """Whole percent of the target reached (a target of 0 counts as reached)."""
    if target <= 0:
        return 100
    return done * 100 // target


def progress_bar(done: int, target: int, width: int = BAR_WIDTH) -> str:
    """`███░░░░░░░ 30%`: full blocks for each tenth reached (at most full), and the percent (may pass 100)."""
    share = percent(done, target)
    filled = min(width, share * width // 100)
    return f"{FULL * filled}{EMPTY * (width - filled)} {share}%"
