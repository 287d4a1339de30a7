"""Cadres' mornings: at 07:00 of each working day in the cadre's own time zone (not on national holidays),
today's list (TUGAS) to every cadre who has not turned it off; to supervisors, on the first working day of
the week, last week's team digest (REKAP TIM), and each working morning the team's BAYAR reports that no
payment has confirmed after the reconciliation delay.

Planning is idempotent: each push has a unique outbox key per cadre, chat and day, and a flagged report
carries `flagged_at`, so the scheduler's 15-minute ticks, a second scheduler or a restart send each once.
A scheduler that was down at 07:00 still sends until 10:00; later the day's list would be stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.cadre_lists import overdue_lines, task_list_text, team_text, todays_tasks
from handlers.context import cadre_now
from handlers.recipients import CADRE_NOTICE, Reach, cadre_chats, deliver, unsent
from handlers.texts import text
from models import Cadre
from models.visits import team_of, unconfirmed_before
from rules.calendar import is_working_day
from rules.programme import ProgrammeRules

MORNING_WINDOW = timedelta(hours=3)


@dataclass
class MorningPlan:
    """What one planning pass queued."""

    task_lists: int = 0
    digests: int = 0
    flagged: int = 0

    def summary(self) -> str:
        """One line for the log and the command line."""
        return (f"cadre task lists: {self.task_lists}; team digests: {self.digests}; "
                f"unconfirmed collections flagged: {self.flagged}")


def plan_cadre_mornings(session: Session, now: datetime, rules: ProgrammeRules,
                        reach: Reach) -> MorningPlan:
    """Queue what each cadre whose working morning it is should receive now (see the module's docstring),
    in the caller's one transaction (reminders/scheduler.py gives each cadre a transaction of its own)."""
    plan = MorningPlan()
    for cadre_id in cadres_due(session, now, rules):
        cadre = session.get(Cadre, cadre_id)
        if cadre is not None:
            plan_cadre_morning(session, cadre, now, rules, reach, plan)
    return plan


def cadres_due(session: Session, now: datetime, rules: ProgrammeRules) -> list[int]:
    """The active cadres for whom `now` is in the first hours of a working morning, in their own zone."""
    due = []
    for cadre in session.scalars(select(Cadre).where(Cadre.active.is_(True)).order_by(Cadre.id)):
        local = cadre_now(now, cadre)
        start = datetime.combine(local.date(), time(rules.task_list_hour), tzinfo=local.tzinfo)
        if start <= local < start + MORNING_WINDOW and is_working_day(local.date(), cadre.region_code, rules,
                                                                       rules.cadre_working_days):
            due.append(cadre.id)
    return due


def plan_cadre_morning(session: Session, cadre: Cadre, now: datetime, rules: ProgrammeRules,
                       reach: Reach, plan: MorningPlan) -> None:
    """One cadre's morning: the list (unless turned off); for a supervisor, the digest and the flags."""
    day = cadre_now(now, cadre).date()
    if cadre.daily_tasks:
        plan.task_lists += _task_list(session, cadre, day, now, rules, reach)
    team = team_of(session, cadre)
    if team:
        if _first_working_day_of_week(day, cadre, rules):
            plan.digests += _digest(session, cadre, day, now, rules, reach)
        plan.flagged += _flag_unconfirmed(session, cadre, team, day, now, rules, reach)
    session.flush()


def _task_list(session: Session, cadre: Cadre, day: date, now: datetime, rules: ProgrammeRules,
               reach: Reach) -> int:
    dedupe = f"tasks:{cadre.id}:{day:%Y%m%d}"
    chats = unsent(session, cadre_chats(session, cadre, now, reach), dedupe)
    if not chats:
        return 0
    planned = todays_tasks(session, cadre, day, rules)
    if not planned:  # nothing owed on the list: no message is better than an empty one at 07:00
        return 0
    deliver(session, chats, now, reach, CADRE_NOTICE,
            lambda language: task_list_text(planned, day, language, morning=True), dedupe)
    return 1


def _digest(session: Session, supervisor: Cadre, day: date, now: datetime, rules: ProgrammeRules,
            reach: Reach) -> int:
    dedupe = f"team-digest:{supervisor.id}:{day:%G%V}"
    chats = unsent(session, cadre_chats(session, supervisor, now, reach), dedupe)
    if not chats:
        return 0
    texts = {language: team_text(session, supervisor, day, now, rules, language, digest=True)
             for language in {chat.language for chat in chats}}
    deliver(session, chats, now, reach, CADRE_NOTICE, lambda language: texts[language] or "", dedupe)
    return 1


def _flag_unconfirmed(session: Session, supervisor: Cadre, team: list[Cadre], day: date, now: datetime,
                      rules: ProgrammeRules, reach: Reach) -> int:
    overdue = unconfirmed_before(session, [member.id for member in team],
                                 now - timedelta(days=rules.report_confirm_days), unflagged_only=True)
    if not overdue:
        return 0

    def render(language: str) -> str:
        return "\n".join([text("tim.flagged", language, days=rules.report_confirm_days),
                          *overdue_lines(session, overdue, language)])

    chats = cadre_chats(session, supervisor, now, reach)
    deliver(session, chats, now, reach, CADRE_NOTICE, render, f"unconfirmed:{supervisor.id}:{day:%Y%m%d}")
    for visit in overdue:
        visit.flagged_at = now
    return len(overdue)


def _first_working_day_of_week(day: date, cadre: Cadre, rules: ProgrammeRules) -> bool:
    monday = day - timedelta(days=day.weekday())
    earlier = (monday + timedelta(days=offset) for offset in range(day.weekday()))
    return not any(is_working_day(other, cadre.region_code, rules, rules.cadre_working_days) for other in earlier)
