"""The programme's thresholds: every number docs/jkn-rules.md fixes that a branch may change, with its defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class ProgrammeRules:
    """Every programme threshold, defaulting to docs/jkn-rules.md; a branch may override any of them from JSON."""

    due_day: int = 10  # dues for a month are due by this day of that month
    max_counted_months: int = 24  # reactivation bills at most this many months of arrears
    rehab_min_months: int = 4  # "more than 3 months of arrears"
    rehab_max_months: int = 24
    rehab_min_instalments: int = 2  # one instalment is paying in full, not a plan
    rehab_max_instalments: int = 12
    rehab_tenor_divisor: int = 2  # REHAB 2.0: at most half the months in arrears
    registration_closes_day: int = 28  # last day of the month REHAB registration is open
    registration_closes_day_february: int = 27
    rehab_segments: tuple[str, ...] = ("PBPU", "BP")
    # REHAB 2.0 for members who moved from a self-paying segment (now PPU, PBI, ...) with old arrears
    rehab_moved_min_months: int = 2
    rehab_moved_max_instalments: int = 36
    rehab_moved_min_instalment: int = 35_000  # rupiah: no instalment smaller than this
    promise_max_days: int = 60  # how far ahead a promise to pay (JANJI) may be dated
    inpatient_penalty_percent: int = 5  # of the INA-CBG cost, per month in arrears
    inpatient_penalty_max_months: int = 12
    inpatient_penalty_cap: int = 30_000_000
    inpatient_penalty_window_days: int = 45  # the penalty applies to inpatient care this soon after reactivation
    # Dues reminders to self-paying families (rules/reminder_rules.py reads these).
    reminder_segments: tuple[str, ...] = ("PBPU", "BP")
    reminder_days_before_due: int = 3  # up to date: a reminder this many days before the due day
    reminder_days_after_due: int = 2  # the month still unpaid this many days after the due day
    reminder_days_before_month_end: int = 3  # the last one: coverage stops on the 1st of the next month
    reminder_arrears_days: tuple[int, ...] = (20,)  # coverage stopped: the slower cadence, days of each month
    rehab_reminder_days_before: int = 3  # REHAB instalments: this many days before the due date, and on it
    send_window_start_hour: int = 8  # reminders go out from this hour of the member's local time...
    send_window_end_hour: int = 20  # ...until this one (exclusive), never on a holiday
    extra_holidays: tuple[str, ...] = ()  # "2025-12-24" everywhere, or "2025-03-29:51" (regions starting 51)
    not_holidays: tuple[str, ...] = ()  # national holidays the branch sends on anyway, same form
    # Kader JKN (domain.md "Kader JKN"; Surakarta branch, 2025): targets and how reports are followed up.
    cadre_daily_visits: int = 5  # households visited a day
    cadre_period_visits: int = 500  # households visited in a reporting period
    cadre_period_months: int = 6  # a reporting period: 6 = half-years (Jan-Jun, Jul-Dec); must divide 12
    cadre_monthly_collection: int = 12_000_000  # rupiah collected a month
    cadre_working_days: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday..Friday (0 = Monday), holidays excluded
    report_confirm_days: int = 7  # a BAYAR report unconfirmed by a payment this long is told to the supervisor
    report_max_amount: int = 50_000_000  # above this a typed amount is a typo, not a collection
    recent_visit_days: int = 3  # TUGAS puts households visited this recently at the end of the list
    task_list_hour: int = 7  # TUGAS is pushed at this hour of the cadre's own morning

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name in _TEXT_LISTS:
                if not isinstance(value, tuple) or not all(isinstance(item, str) for item in value):
                    raise ValueError(f"{field.name} must be a list of texts")
            elif field.name in _NUMBER_LISTS:
                if not isinstance(value, tuple) or not all(_whole(item) and 1 <= item <= 31 for item in value):
                    raise ValueError(f"{field.name} must be a list of days of the month (1..31)")
            elif field.name in _WEEKDAY_LISTS:
                if not isinstance(value, tuple) or not value or not all(_whole(item) and 0 <= item <= 6
                                                                        for item in value):
                    raise ValueError(f"{field.name} must list weekdays 0 (Monday) to 6 (Sunday)")
            elif not _whole(value) or value < 0:
                raise ValueError(f"{field.name} must be a whole number >= 0, not {value!r}")
        if not 1 <= self.due_day <= 28:
            raise ValueError("due_day must be 1..28 so that every month has it")
        if self.max_counted_months < 1 or self.rehab_tenor_divisor < 1:
            raise ValueError("max_counted_months and rehab_tenor_divisor must be at least 1")
        if self.reminder_days_before_due >= self.due_day:
            raise ValueError("reminder_days_before_due must leave a day of the month before the due day")
        if not 0 <= self.send_window_start_hour < self.send_window_end_hour <= 24:
            raise ValueError("the send window must start before it ends, within 0..24 hours")
        for entry in (*self.extra_holidays, *self.not_holidays):
            day, _, regions = entry.partition(":")
            try:
                date.fromisoformat(day)
            except ValueError:
                raise ValueError(f"{entry!r}: a holiday is YYYY-MM-DD, or YYYY-MM-DD:<region code prefix>") from None
            if regions and not regions.isdigit():
                raise ValueError(f"{entry!r}: the part after ':' is the start of region codes, e.g. 51 or 3372")
        if self.cadre_period_months < 1 or 12 % self.cadre_period_months:
            raise ValueError("cadre_period_months must divide the year: 1, 2, 3, 4, 6 or 12")
        if not 0 <= self.task_list_hour <= 12:
            raise ValueError("task_list_hour must be a morning hour, 0..12")

    @classmethod
    def from_mapping(cls, overrides: Mapping[str, Any]) -> ProgrammeRules:
        """Defaults with `overrides` applied; an unknown key is an error, so a typo cannot pass silently."""
        known = {field.name for field in fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ValueError(f"unknown programme rule(s): {', '.join(unknown)}")
        values = dict(overrides)
        for name in (*_TEXT_LISTS, *_NUMBER_LISTS, *_WEEKDAY_LISTS):
            if name in values:
                listed = values[name]
                if isinstance(listed, str) or not isinstance(listed, list | tuple):
                    raise ValueError(f"{name} must be a list")
                values[name] = tuple(listed)
        return cls(**values)


_TEXT_LISTS = ("rehab_segments", "reminder_segments", "extra_holidays", "not_holidays")
_NUMBER_LISTS = ("reminder_arrears_days",)
_WEEKDAY_LISTS = ("cadre_working_days",)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


DEFAULT_RULES = ProgrammeRules()
