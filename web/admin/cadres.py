"""Kader: the team table (visits today, this week and month, collected, targets, last report, open tickets),
and one cadre's page (REKAP's figures, reports, households and a 12-month chart)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import String as SqlString
from sqlalchemy import case, cast, func, select
from sqlalchemy.orm import Session, selectinload

from handlers.cadre_lists import utc_bounds
from models import Assignment, Cadre, Family, Ticket, Visit
from models.figures import BRANCH_ZONE, REPORT_DELAY, per_cadre
from models.ledger import family_arrears, rate_table
from models.visits import CONFIRMED, REPORTED, collections, households_visited, last_visits
from rules.programme import ProgrammeRules
from rules.progress import Span, month_of_day, percent, period_of, targets_for, week_of
from rules.regions import region_name
from web import runtime
from web.admin.core import blueprint, db, require_role, visible_cadre_ids
from web.admin.figures import ensure_fresh, this_month
from web.admin.nav import STAFF

REPORTS_SHOWN = 50


@dataclass(frozen=True)
class CadreRow:
    """One line of the team table."""

    code: str
    name: str
    region: str
    today: int
    week: int
    month: int
    month_target: int
    collected: int
    collection_target: int
    last_report: datetime | None
    open_tickets: int

    @property
    def visits_percent(self) -> int:
        """This month's visits against the monthly target, in percent."""
        return percent(self.month, self.month_target)

    @property
    def collected_percent(self) -> int:
        """This month's collections against the target, in percent."""
        return percent(self.collected, self.collection_target)

    @property
    def active(self) -> bool:
        """At least one report this month (the overview's definition)."""
        return self.month > 0


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """A day of the branch's clock as [start, end)."""
    start = datetime.combine(day, time(0), tzinfo=BRANCH_ZONE)
    return start, start + timedelta(days=1)


def team_rows(session: Session, cadre_ids: list[int] | None, area: str | None, now: datetime,
              rules: ProgrammeRules) -> list[CadreRow]:
    """The table, by set-based SQL: this week's visits live, the month from the rollup, the rest grouped."""
    today = now.astimezone(BRANCH_ZONE).date()
    week = week_of(today)
    month = this_month(now)
    last_report = select(func.max(Visit.reported_at)).where(Visit.cadre_id == Cadre.id).scalar_subquery()
    query = select(Cadre.id, Cadre.code, Cadre.name, Cadre.region_code, last_report).where(Cadre.active.is_(True))
    if cadre_ids is not None:
        query = query.where(Cadre.id.in_(cadre_ids or [-2]))
    if area:
        query = query.where(Cadre.region_code == area)
    cadres = session.execute(query.order_by(Cadre.code)).all()
    week_start, _ = day_bounds(week.first)
    today_start, today_end = day_bounds(today)
    moment = func.coalesce(Visit.visited_at, Visit.reported_at)
    household = func.coalesce(cast(Visit.family_id, SqlString), "h" + func.coalesce(Visit.household, ""))
    live = {cadre_id: (today_count, week_count) for cadre_id, today_count, week_count in session.execute(
        select(Visit.cadre_id,
               func.count(case((moment >= today_start, household)).distinct()),
               func.count(household.distinct()))
        .where(Visit.reported_at >= week_start, Visit.reported_at < today_end + REPORT_DELAY,
               moment >= week_start, moment < today_end, Visit.cancelled_at.is_(None))
        .group_by(Visit.cadre_id))}
    tickets = {cadre_id: count for cadre_id, count in session.execute(
        select(Ticket.cadre_id, func.count(Ticket.id)).where(Ticket.status != "closed", Ticket.cadre_id.is_not(None))
        .group_by(Ticket.cadre_id))}
    monthly = per_cadre(session, month, ("households", "collected"))
    rows = []
    targets_by_region: dict[str, int] = {}
    for cadre_id, code, name, region, last in cadres:
        figures = monthly.get(cadre_id, {})
        if region not in targets_by_region:
            targets_by_region[region] = targets_for(today, region, rules).month
        today_count, week_count = live.get(cadre_id, (0, 0))
        rows.append(CadreRow(code, name, region, today_count, week_count, figures.get("households", 0),
                             targets_by_region[region], figures.get("collected", 0),
                             rules.cadre_monthly_collection, last, int(tickets.get(cadre_id, 0))))
    return rows


@blueprint.get("/kader")
@require_role(*STAFF)
def cadres() -> ResponseReturnValue:
    """The team table: a supervisor's team, or every cadre for admins; ?area= narrows to one region."""
    rt = runtime()
    now = rt.clock.now()
    ensure_fresh(rt.sessions, [this_month(now)], now)
    session = db()
    session.commit()  # end the snapshot read before the refresh (SQLite's WAL): the next query sees its rows
    area = request.args.get("area") or None
    rows = team_rows(session, visible_cadre_ids(), area, now, rt.services.rules)
    areas_query = select(Cadre.region_code).distinct().where(Cadre.active.is_(True))
    scope = visible_cadre_ids()
    if scope is not None:
        areas_query = areas_query.where(Cadre.id.in_(scope or [-2]))
    areas = sorted(session.scalars(areas_query))
    return render_template("admin/cadres.html", active="cadres", rows=rows, area=area,
                           areas=[(code, region_name(code) or code) for code in areas])


def visible_cadre(code: str) -> Cadre:
    """The cadre with this code, if the account may see them; 404 otherwise (never says who exists)."""
    cadre = db().scalar(select(Cadre).where(Cadre.code == code.upper()))
    scope = visible_cadre_ids()
    if cadre is None or (scope is not None and cadre.id not in scope):
        abort(404)
    return cadre


@blueprint.get("/kader/<code>")
@require_role(*STAFF)
def cadre_page(code: str) -> ResponseReturnValue:
    """One cadre: REKAP's figures against targets, their reports, their households, a 12-month chart."""
    rt = runtime()
    rules = rt.services.rules
    session = db()
    cadre = visible_cadre(code)
    now = rt.clock.now()
    today = now.astimezone(BRANCH_ZONE).date()
    targets = targets_for(today, cadre.region_code, rules)
    spans = [("today", Span(today, today), targets.day), ("week", week_of(today), targets.week),
             ("month", month_of_day(today), targets.month), ("period", period_of(today, rules), targets.period)]
    progress = [(key, households_visited(session, cadre.id, *utc_bounds(span, cadre)), target)
                for key, span, target in spans]
    money = collections(session, cadre.id, *utc_bounds(month_of_day(today), cadre))
    reports = session.scalars(select(Visit).where(Visit.cadre_id == cadre.id)
                              .order_by(Visit.reported_at.desc(), Visit.id.desc()).limit(REPORTS_SHOWN)).all()
    numbers = {family_id: number for family_id, number in session.execute(select(Family.id, Family.number).where(
        Family.id.in_({visit.family_id for visit in reports if visit.family_id})))}
    families = session.scalars(select(Family).join(Assignment, Assignment.family_id == Family.id)
                               .where(Assignment.cadre_id == cadre.id)
                               .options(selectinload(Family.members)).order_by(Family.number)).all()
    rates = rate_table(session)
    seen = last_visits(session, [family.id for family in families])
    households = []
    for family in families:
        arrears = family_arrears(session, family, today, rules, rates)
        households.append((family, arrears.months_in_arrears, arrears.total, seen.get(family.id)))
    supervisor = session.get(Cadre, cadre.supervisor_id) if cadre.supervisor_id else None
    return render_template("admin/cadre.html", active="cadres", cadre=cadre, supervisor=supervisor,
                           region=region_name(cadre.region_code) or cadre.region_code, progress=progress,
                           collected=money[CONFIRMED][0] + money[REPORTED][0], confirmed=money[CONFIRMED][0],
                           collection_target=targets.collection_month, reports=reports, numbers=numbers,
                           households=households, percent=percent, month=this_month(now))


def chart_scope(code: str | None) -> list[int] | None:
    """A chart of one cadre (?kader=CODE, if visible), else None: the caller's own scope."""
    if not code:
        return None
    return [visible_cadre(code).id]

