"""The pure rules behind TUGAS and REKAP: the day's ranking, working days and holidays, targets, the bar, and
the cadre rules a branch may override in instance/rules.json."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from app import load_rules
from rules.calendar import is_holiday, is_working_day, working_days_between
from rules.identifiers import mask_name
from rules.programme import ProgrammeRules
from rules.progress import period_of, progress_bar, targets_for, week_of
from rules.task_list import Household, rank_households

TODAY = date(2025, 6, 2)  # a Monday


def household(family_id: int, months: int, amount: int | None = None, **facts: object) -> Household:
    return Household(family_id, months, amount if amount is not None else months * 35_000, **facts)  # type: ignore[arg-type]


def ranked(households: list[Household], limit: int | None = None) -> list[int]:
    return [task.household.family_id for task in rank_households(households, TODAY, limit=limit)]


def test_more_months_in_arrears_come_first_then_the_larger_amount():
    assert ranked([household(1, 4), household(2, 12), household(3, 12, 1_200_000), household(4, 7)]) == [3, 2, 4, 1]


def test_a_promise_falling_due_goes_to_the_top():
    promised = [household(1, 20), household(2, 5, promised_on=TODAY), household(3, 8, promised_on=TODAY - timedelta(days=3)),
                household(4, 9, promised_on=TODAY + timedelta(days=20))]
    assert ranked(promised) == [3, 2, 1, 4]


def test_longest_unvisited_breaks_ties_and_never_visited_is_longest():
    tied = [household(1, 6, last_visit=TODAY - timedelta(days=10)), household(2, 6),
            household(3, 6, last_visit=TODAY - timedelta(days=40))]
    assert ranked(tied) == [2, 3, 1]


def test_households_visited_in_the_last_days_or_in_a_plan_drop_down():
    families = [household(1, 24, last_visit=TODAY - timedelta(days=1)), household(2, 20, in_plan=True),
                household(3, 5), household(4, 4, last_visit=TODAY - timedelta(days=3))]
    tasks = rank_households(families, TODAY)
    assert [task.household.family_id for task in tasks] == [3, 4, 1, 2]
    assert [task.set_aside for task in tasks] == [False, False, True, True]


def test_families_owing_nothing_are_not_listed_and_the_list_is_as_long_as_the_daily_target():
    families = [household(n, n % 7) for n in range(1, 30)]
    assert len(ranked(families)) == 5
    assert all(task.household.months_in_arrears > 0 for task in rank_households(families, TODAY))
    assert len(rank_households(families, TODAY, ProgrammeRules(cadre_daily_visits=8))) == 8


@pytest.mark.parametrize(("day", "working"), [
    (date(2025, 6, 2), True),  # Monday
    (date(2025, 6, 6), False),  # Idul Adha, a Friday
    (date(2025, 6, 7), False),  # Saturday
    (date(2025, 3, 29), False),  # Nyepi (a Saturday anyway)
    (date(2025, 3, 31), False),  # Idul Fitri
    (date(2025, 5, 12), False),  # Waisak
    (date(2025, 12, 25), False),  # Christmas
    (date(2025, 12, 24), True),
])
def test_working_days_skip_weekends_and_national_holidays(day, working):
    assert is_working_day(day, "3372") is working


def test_a_branch_working_saturdays_and_its_own_days_off():
    saturdays = (0, 1, 2, 3, 4, 5)
    assert is_working_day(date(2025, 6, 7), "3372", weekdays=saturdays)
    assert not is_working_day(date(2025, 6, 3), "3372", ProgrammeRules(extra_holidays=("2025-06-03:33",)))
    assert is_holiday(date(2025, 8, 17), "3372") and not is_holiday(date(2025, 8, 18), "3372")


def test_targets_follow_the_working_days_of_the_week_and_month():
    assert working_days_between(date(2025, 6, 2), date(2025, 6, 8), "3372") == 4  # Idul Adha on Friday
    targets = targets_for(TODAY, "3372")
    assert (targets.day, targets.week, targets.period, targets.collection_month) == (5, 20, 500, 12_000_000)
    assert targets.month == 5 * working_days_between(date(2025, 6, 1), date(2025, 6, 30), "3372")
    assert week_of(date(2025, 6, 4)).first == TODAY and week_of(TODAY).last == date(2025, 6, 8)
    assert (period_of(TODAY).first, period_of(TODAY).last) == (date(2025, 1, 1), date(2025, 6, 30))
    quarter = period_of(date(2025, 8, 20), ProgrammeRules(cadre_period_months=3))
    assert (quarter.first, quarter.last) == (date(2025, 7, 1), date(2025, 9, 30))


@pytest.mark.parametrize(("done", "target", "bar"), [
    (0, 5, "░░░░░░░░░░ 0%"), (3, 5, "██████░░░░ 60%"), (5, 5, "██████████ 100%"),
    (7, 5, "██████████ 140%"), (1, 3, "███░░░░░░░ 33%"), (0, 0, "██████████ 100%"),
])
def test_the_text_progress_bar(done, target, bar):
    assert progress_bar(done, target) == bar


def test_names_are_masked_for_echoes():
    assert mask_name("Budi Santoso") == "Bu•• Sa•••••"
    assert mask_name("Painem") == "Pa••••" and mask_name("Al") == "Al"


def test_targets_and_the_reconciliation_delay_come_from_rules_json(tmp_path):
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"cadre_daily_visits": 8, "cadre_monthly_collection": 15_000_000,
                                "report_confirm_days": 5, "cadre_working_days": [0, 1, 2, 3, 4, 5]}))
    rules = load_rules(path)
    assert (rules.cadre_daily_visits, rules.cadre_monthly_collection, rules.report_confirm_days) == (8, 15_000_000, 5)
    assert rules.cadre_working_days == (0, 1, 2, 3, 4, 5)
    for wrong in ({"cadre_working_days": [7]}, {"cadre_period_months": 5}, {"cadre_working_days": "Mon"}):
        with pytest.raises(ValueError):
            ProgrammeRules.from_mapping(wrong)
