"""Every figure of the overview against the hand-built branch of tests/admin_data.py, whose answers are known."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from models import Visit
from models.figures import read_months, stale_months
from reminders.scheduler import refresh_figures
from rules.programme import DEFAULT_RULES
from tests.admin_data import JUNE, MAY, NOW, build_branch
from web.admin.figures import overview, series


@pytest.fixture
def now() -> datetime:
    return NOW


def test_june_for_the_branch(runtime, db):  # type: ignore[no-untyped-def]
    build_branch(db)
    month, year = overview(runtime.sessions, JUNE, None, DEFAULT_RULES, NOW)
    assert (month.reporting, month.roster, month.active_percent) == (2, 4, 50)
    assert month["reports"] == 4  # the cancelled report does not count
    assert month["households"] == 3  # F1 twice counts once
    assert month.visit_target == 500 * 4 // 6
    assert (month["collected"], month["collected_confirmed"]) == (250_000, 100_000)
    assert month.collection_target == 12_000_000 * 4
    assert (month["payments"], month["payments_amount"]) == (3, 240_000)
    assert month["families_reached"] == 4  # F1, F2, F3 visited; F4 (and F3) reminded
    assert month["paid_after_visit"] == 1  # F2 paid after A's visit; F1 paid before
    assert (month["rehab_opened"], month["rehab_running"], month["rehab_completed"], month["rehab_overdue"]) == \
        (1, 2, 1, 1)
    assert (month["reminders_sent"], month["reminders_delivered"], month["reminders_read"],
            month["reminders_failed"]) == (1, 1, 0, 1)
    assert (month.complaints.opened, month.complaints.closed, month.complaints.open,
            month.complaints.median_hours) == (3, 2, 1, 36.0)


def test_year_to_june_adds_the_months(runtime, db):  # type: ignore[no-untyped-def]
    build_branch(db)
    _, year = overview(runtime.sessions, JUNE, None, DEFAULT_RULES, NOW)
    assert year.months[0].month == 1 and len(year.months) == 6
    assert (year.reporting, year["reports"], year["households"]) == (2, 5, 4)
    assert year.visit_target == 500 * 4 * 6 // 6
    assert (year["payments"], year["payments_amount"]) == (4, 310_000)
    assert (year["rehab_opened"], year["rehab_running"]) == (3, 2)  # running: at the end of June
    assert (year.complaints.opened, year.complaints.closed, year.complaints.median_hours) == (4, 3, 24.0)


def test_may_stands_alone(runtime, db):  # type: ignore[no-untyped-def]
    build_branch(db)
    may, _ = overview(runtime.sessions, MAY, None, DEFAULT_RULES, NOW)
    assert (may.reporting, may["reports"], may["households"], may["collected"]) == (1, 1, 1, 0)
    # at the end of May F4's February instalment was still unpaid (it was paid in June, completing the plan)
    assert (may["payments"], may["rehab_opened"], may["rehab_running"], may["rehab_overdue"]) == (1, 1, 2, 1)


def test_a_supervisor_counts_their_team_only(runtime, db):  # type: ignore[no-untyped-def]
    branch = build_branch(db)
    team = [branch.cadres[key].id for key in ("S", "A", "B")]
    month, _ = overview(runtime.sessions, JUNE, team, DEFAULT_RULES, NOW)
    assert (month.reporting, month.roster, month["households"], month["collected"]) == (2, 3, 3, 250_000)
    assert month["payments"] == 2  # F5's payment is on nobody's list, F4's on another team's
    assert (month["rehab_completed"], month["reminders_delivered"], month["reminders_failed"]) == (0, 0, 1)
    assert (month.complaints.opened, month.complaints.closed, month.complaints.median_hours) == (2, 1, 24.0)


def test_twelve_months_for_the_charts(runtime, db):  # type: ignore[no-untyped-def]
    build_branch(db)
    months, values = series(runtime.sessions, JUNE, ("households", "reporting", "complaints_open"), None, NOW)
    assert len(months) == 12 and months[-1] == JUNE and months[0].year == 2024
    assert values["households"][-2:] == [1, 3]
    assert values["reporting"][-2:] == [1, 2]
    assert sum(values["households"][:-2]) == 0


def test_a_report_after_the_month_was_computed_shows_once_it_is_stale(runtime, db):  # type: ignore[no-untyped-def]
    branch = build_branch(db)
    overview(runtime.sessions, JUNE, None, DEFAULT_RULES, NOW)
    db.add(Visit(cadre_id=branch.cadres["X"].id, family_id=branch.families["F4"].id, result="TOLAK",
                 source_key="late", reported_at=NOW - timedelta(hours=1)))
    db.commit()
    month, _ = overview(runtime.sessions, JUNE, None, DEFAULT_RULES, NOW)
    assert month["reports"] == 4  # the rollup is at most ten minutes old
    month, _ = overview(runtime.sessions, JUNE, None, DEFAULT_RULES, NOW + timedelta(minutes=11))
    assert month["reports"] == 5 and month.reporting == 3


def test_the_scheduler_refreshes_this_month_and_the_last(runtime, db):  # type: ignore[no-untyped-def]
    build_branch(db)
    assert refresh_figures(runtime, NOW) == [MAY, JUNE]
    with runtime.reading() as session:
        assert stale_months(session, [MAY, JUNE], NOW) == []
        assert read_months(session, [JUNE], None)[JUNE]["households"] == 3
