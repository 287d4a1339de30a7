"""What a cadre reads about their work: TUGAS (today's households, ranked), REKAP (progress against targets)
and REKAP TIM (a supervisor's team). The texts are built here for replies and for the morning pushes
(reminders/cadre_mornings.py) alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.messages import Choice, Reply
from bot.turns import Turn
from handlers.context import cadre_now, cadre_of, rules_of
from handlers.texts import date_text, day_text, text
from models import Assignment, Cadre, Family, Visit
from models.ledger import family_arrears, rate_table
from models.visits import (
    CONFIRMED,
    REPORTED,
    collections,
    families_in_plans,
    households_visited,
    last_visits,
    latest_promises,
    team_of,
    unconfirmed_before,
)
from rules.display import format_rupiah
from rules.identifiers import mask_identifier
from rules.programme import ProgrammeRules
from rules.progress import Span, month_of_day, percent, period_of, progress_bar, targets_for, week_of
from rules.regions import zone_for_region
from rules.task_list import Household, Task, rank_households

OFF_WORDS = {"OFF", "MATI", "STOP", "BERHENTI", "NONAKTIF"}
ON_WORDS = {"ON", "NYALA", "HIDUP", "AKTIF", "MULAI"}


@dataclass(frozen=True)
class Planned:
    """One household on today's list, with its family for naming it."""

    task: Task
    family: Family


# --- TUGAS ---------------------------------------------------------------------------------------------------


def tasks(turn: Turn) -> Reply:
    """TUGAS: today's list; TUGAS OFF / TUGAS ON turn the morning push off and on."""
    cadre = cadre_of(turn)
    if cadre is None:
        return Reply().say(text("cadre.only", turn.language))
    switch = turn.words[1].upper() if len(turn.words) > 1 else ""
    rules = rules_of(turn)
    if switch in OFF_WORDS:
        cadre.daily_tasks = False
        return Reply().say(text("tugas.off", turn.language))
    if switch in ON_WORDS:
        cadre.daily_tasks = True
        return Reply().say(text("tugas.on", turn.language, hour=f"{rules.task_list_hour:02d}"))
    today = cadre_now(turn.now, cadre).date()
    body = task_list_text(todays_tasks(turn.session, cadre, today, rules), today, turn.language)
    return Reply().say(body, (Choice("LAPOR", text("cadre.menu.lapor", turn.language)),
                              Choice("REKAP", text("cadre.menu.rekap", turn.language))))


def todays_tasks(session: Session, cadre: Cadre, today: date, rules: ProgrammeRules,
                 limit: int | None = None) -> list[Planned]:
    """The cadre's households ranked for `today` (rules/task_list.py), as long as the daily target."""
    families = list(session.scalars(
        select(Family).join(Assignment, Assignment.family_id == Family.id)
        .where(Assignment.cadre_id == cadre.id).options(selectinload(Family.members))))
    if not families:
        return []
    ids = [family.id for family in families]
    rates = rate_table(session)
    promises, visits, plans = latest_promises(session, ids), last_visits(session, ids), families_in_plans(session, ids)
    households = []
    for family in families:
        arrears = family_arrears(session, family, today, rules, rates)
        last = visits.get(family.id)
        households.append(Household(
            family.id, arrears.months_in_arrears, arrears.total, promises.get(family.id),
            last.astimezone(zone_for_region(cadre.region_code)).date() if last else None, family.id in plans))
    by_id = {family.id: family for family in families}
    return [Planned(task, by_id[task.household.family_id])
            for task in rank_households(households, today, rules, limit)]


def task_list_text(planned: list[Planned], today: date, language: str, morning: bool = False) -> str:
    """The list as the cadre reads it, each household with why it is there; the morning push says how to
    turn it off."""
    if not planned:
        return text("tugas.none", language)
    lines = [text("tugas.title", language, day=day_text(today, language), count=len(planned))]
    for index, item in enumerate(planned, start=1):
        task, family = item.task, item.family
        reasons = ""
        if task.promise_due and task.household.promised_on is not None:
            reasons += text("tugas.promise_due", language, date=date_text(task.household.promised_on, language))
        if task.household.in_plan:
            reasons += text("tugas.in_plan", language)
        since = task.days_since_visit
        if since is None:
            reasons += text("tugas.never", language)
        else:
            key = {0: "tugas.since_today", 1: "tugas.since_yesterday"}.get(since, "tugas.since")
            reasons += text(key, language, days=since)
        holder = family.account_holder
        lines.append(text("tugas.line", language, index=index, name=holder.name if holder else "-",
                          family=mask_identifier(family.number), months=task.household.months_in_arrears,
                          amount=format_rupiah(task.household.amount), reasons=reasons))
    lines.append(text("tugas.footer", language))
    if morning:
        lines.append(text("tugas.morning_footer", language))
    return "\n".join(lines)


# --- REKAP ---------------------------------------------------------------------------------------------------


def progress(turn: Turn) -> Reply:
    """REKAP: today, this week, this month and this period against targets; the month's collections, reported
    and confirmed."""
    cadre = cadre_of(turn)
    if cadre is None:
        return Reply().say(text("cadre.only", turn.language))
    return Reply().say(progress_text(turn.session, cadre, turn.now, rules_of(turn), turn.language))


def progress_text(session: Session, cadre: Cadre, now: datetime, rules: ProgrammeRules, language: str) -> str:
    """REKAP's text for the cadre's local day `now` falls on."""
    today = cadre_now(now, cadre).date()
    targets = targets_for(today, cadre.region_code, rules)
    period = period_of(today, rules)
    spans = [("rekap.today", Span(today, today), targets.day), ("rekap.week", week_of(today), targets.week),
             ("rekap.month", month_of_day(today), targets.month)]
    lines = [text("rekap.title", language, name=cadre.name, code=cadre.code, date=day_text(today, language))]
    for key, span, target in spans:
        done = households_visited(session, cadre.id, *utc_bounds(span, cadre))
        lines.append(text("rekap.visits", language, label=text(key, language), done=done, target=target,
                          bar=progress_bar(done, target)))
    done = households_visited(session, cadre.id, *utc_bounds(period, cadre))
    label = text("rekap.period", language, first=date_text(period.first, language),
                 last=date_text(period.last, language))
    lines.append(text("rekap.visits", language, label=label, done=done, target=targets.period,
                      bar=progress_bar(done, targets.period)))
    money = collections(session, cadre.id, *utc_bounds(month_of_day(today), cadre))
    (confirmed, confirmed_count), (reported, reported_count) = money[CONFIRMED], money[REPORTED]
    lines.append(text("rekap.collected", language, done=format_rupiah(confirmed + reported),
                      target=format_rupiah(targets.collection_month),
                      bar=progress_bar(confirmed + reported, targets.collection_month)))
    lines.append(text("rekap.confirmed", language, amount=format_rupiah(confirmed), count=confirmed_count))
    lines.append(text("rekap.reported", language, amount=format_rupiah(reported), count=reported_count))
    return "\n".join(lines)


def utc_bounds(span: Span, cadre: Cadre) -> tuple[datetime, datetime]:
    """The span's days in the cadre's zone, as [first, last) moments."""
    zone = zone_for_region(cadre.region_code)
    return (datetime.combine(span.first, time(0), tzinfo=zone),
            datetime.combine(span.last + timedelta(days=1), time(0), tzinfo=zone))


# --- REKAP TIM -----------------------------------------------------------------------------------------------


def team(turn: Turn) -> Reply:
    """REKAP TIM: each cadre of a supervisor's team against targets, who has not reported this week, and
    collections still unconfirmed after the reconciliation delay."""
    cadre = cadre_of(turn)
    if cadre is None:
        return Reply().say(text("cadre.only", turn.language))
    today = cadre_now(turn.now, cadre).date()
    body = team_text(turn.session, cadre, today, turn.now, rules_of(turn), turn.language)
    return Reply().say(body or text("tim.not_supervisor", turn.language))


def team_text(session: Session, supervisor: Cadre, day: date, now: datetime, rules: ProgrammeRules,
              language: str, digest: bool = False) -> str | None:
    """The team's week holding `day` (the digest: the week before it); None for a cadre with no team."""
    members = team_of(session, supervisor)
    if not members:
        return None
    week = week_of(day - timedelta(days=7) if digest else day)
    title = "tim.digest_title" if digest else "tim.title"
    lines = [text(title, language, name=supervisor.name, first=date_text(week.first, language),
                  last=date_text(week.last, language))]
    silent = []
    for member in members:
        targets = targets_for(week.first, member.region_code, rules)
        month = month_of_day(week.first)
        week_done = households_visited(session, member.id, *utc_bounds(week, member))
        money = collections(session, member.id, *utc_bounds(month, member))
        collected = money[CONFIRMED][0] + money[REPORTED][0]
        if week_done == 0:
            silent.append(f"{member.code} {member.name}")
        lines.append(text("tim.line", language, code=member.code, name=member.name, week=week_done,
                          week_target=targets.week,
                          month=households_visited(session, member.id, *utc_bounds(month, member)),
                          month_target=targets.month, collected=format_rupiah(collected),
                          collected_percent=percent(collected, targets.collection_month),
                          unconfirmed=format_rupiah(money[REPORTED][0])))
    lines.append(text("tim.silent", language, names=", ".join(silent)) if silent
                 else text("tim.all_reported", language))
    overdue = unconfirmed_before(session, [member.id for member in members],
                                 now - timedelta(days=rules.report_confirm_days))
    if overdue:
        lines.append(text("tim.overdue", language, days=rules.report_confirm_days))
        lines.extend(overdue_lines(session, overdue, language))
    return "\n".join(lines)


def overdue_lines(session: Session, visits: list[Visit], language: str) -> list[str]:
    """One line per unconfirmed BAYAR report: number, cadre, household (masked), amount, day."""
    codes = {cadre.id: cadre for cadre in session.scalars(
        select(Cadre).where(Cadre.id.in_({visit.cadre_id for visit in visits})))}
    lines = []
    for visit in visits:
        family = session.get(Family, visit.family_id) if visit.family_id else None
        cadre = codes[visit.cadre_id]
        moment = (visit.visited_at or visit.reported_at).astimezone(zone_for_region(cadre.region_code))
        lines.append(text("tim.overdue_line", language, number=visit.number, code=cadre.code,
                          family=mask_identifier(family.number if family else visit.household or ""),
                          amount=format_rupiah(visit.amount or 0), date=date_text(moment.date(), language)))
    return lines
