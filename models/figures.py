"""The programme's monthly figures, rolled up per cadre by set-based SQL, so the dashboard reads a few rows.

A month's figures are computed from the records by one `SELECT ... GROUP BY cadre` per source (visits,
payments, families reached, REHAB plans, reminders), in a read transaction, then stored as one row per
(month, cadre, figure) plus the branch's totals (cadre TOTAL) in a short write, so SQLite's write lock is
held for the store only; family-based figures count for the family's cadre (0: none).
The scheduler refreshes the current and the previous month every few minutes; a month never computed is
computed when first asked for. Months run from the 1st, 00:00 WIB (the branch's clock, as REKAP's months).

Month sums make the year to date, so a figure that counts distinct households or families counts one
visited in two months twice there, as a cadre's monthly REKAP would. Complaints are read live
(tickets are few); see web/admin/figures.py for the page's view of these numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Index,
    String,
    and_,
    case,
    cast,
    delete,
    exists,
    func,
    insert,
    literal,
    not_,
    or_,
    select,
    union,
)
from sqlalchemy.orm import InstrumentedAttribute, Mapped, Session, mapped_column
from sqlalchemy.sql import FromClause
from sqlalchemy.sql._typing import _ColumnExpressionArgument

from models.base import Base
from models.chats import OutboxMessage
from models.db import is_sqlite
from models.fieldwork import RehabInstalment, RehabPlan, Ticket, Visit
from models.people import Assignment, Payment
from models.reminders import QUEUED, Reminder

BRANCH_ZONE = ZoneInfo("Asia/Jakarta")
TOTAL = -1  # the cadre id of the branch's total rows
NO_CADRE = 0  # families on nobody's list
REPORT_DELAY = timedelta(days=2)  # a visit is reported at most a day after it happened (`kemarin`)
STALE_AFTER = timedelta(minutes=10)
LOCK_KEY = 13_000_000  # PostgreSQL advisory locks: one per month, above the planners' keys
COMPUTED = "computed"  # a TOTAL row every computed month has, even one with nothing in it

# What a month holds, per cadre. Flows (counted in the month) and stocks (at the month's end).
VISIT_FIGURES = ("reports", "households", "collected", "collected_confirmed", "paid_after_visit")
FAMILY_FIGURES = ("payments", "payments_amount", "families_reached")
REHAB_FIGURES = ("rehab_opened", "rehab_completed", "rehab_running", "rehab_overdue")
REMINDER_FIGURES = ("reminders_sent", "reminders_delivered", "reminders_read", "reminders_failed")
COMPLAINT_FIGURES = ("complaints_opened", "complaints_closed", "complaints_open")
STOCKS = ("rehab_running", "rehab_overdue", "complaints_open")
# The branch's alone (cadre TOTAL), never summed: cadres reporting in the month and in its year so far, and
# the median minutes from a complaint to its closing, for those closed in the month and in its year so far.
BRANCH_ONLY = ("reporting", "reporting_ytd", "median_close_minutes", "median_close_minutes_ytd")
SENT, DELIVERED, READ = ("sent", "delivered", "read"), ("delivered", "read"), ("read",)
FAILED = ("failed", "dead", "undelivered")


class FigureMonth(Base):
    """One figure of one month for one cadre (TOTAL: the branch), computed at `computed_at`."""

    __tablename__ = "figure_months"
    __table_args__ = (Index("ix_figure_months_cadre", "cadre_id", "month"),)

    month: Mapped[date] = mapped_column(primary_key=True)  # the 1st
    cadre_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    figure: Mapped[str] = mapped_column(String(24), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)
    computed_at: Mapped[datetime]


def first_of(day: date) -> date:
    """The first day of `day`'s month."""
    return day.replace(day=1)


def next_month(month: date) -> date:
    """The first day of the month after `month`."""
    return (month.replace(day=1) + timedelta(days=32)).replace(day=1)


def months_back(month: date, count: int) -> list[date]:
    """`count` months ending with `month`, oldest first."""
    months = [first_of(month)]
    while len(months) < count:
        months.insert(0, first_of(months[0] - timedelta(days=1)))
    return months


def bounds(month: date) -> tuple[datetime, datetime]:
    """The month as [start, end) moments of the branch's clock."""
    return (datetime.combine(first_of(month), time(0), tzinfo=BRANCH_ZONE),
            datetime.combine(next_month(month), time(0), tzinfo=BRANCH_ZONE))


def _cadre_of_family(family_id: _ColumnExpressionArgument[int]) -> ColumnElement[int]:
    """The family's cadre, or NO_CADRE: a scalar subquery on the assignments' primary key."""
    return func.coalesce(select(Assignment.cadre_id).where(Assignment.family_id == family_id)
                         .scalar_subquery(), NO_CADRE)


def _visits_in(start: datetime, end: datetime) -> ColumnElement[bool]:
    """Visits that happened in [start, end) and stand; `reported_at` first, for its index."""
    moment = func.coalesce(Visit.visited_at, Visit.reported_at)
    return and_(Visit.reported_at >= start, Visit.reported_at < end + REPORT_DELAY,
                moment >= start, moment < end, Visit.cancelled_at.is_(None))


def _grouped(session: Session, cadre: ColumnElement[int] | InstrumentedAttribute[int],
             figures: Sequence[tuple[str, ColumnElement[Any]]], where: Iterable[ColumnElement[bool]],
             source: FromClause | None = None) -> dict[int, dict[str, int]]:
    """One grouped SELECT for several figures of one source: {cadre: {figure: value}}."""
    query = select(cadre, *(func.coalesce(value, 0) for _, value in figures))
    if source is not None:
        query = query.select_from(source)
    found: dict[int, dict[str, int]] = {}
    for cadre_id, *values in session.execute(query.where(*where).group_by(cadre)):
        found[int(cadre_id)] = {name: int(value) for (name, _), value in zip(figures, values, strict=True)}
    return found


def compute_month(session: Session, month: date, now: datetime) -> dict[int, dict[str, int]]:
    """One month's figures per cadre, by five grouped SELECTs (reads only: a reader session will do)."""
    start, end = bounds(month)
    cutoff = min(end, now)  # a stock of the running month is counted now, of a past month at its end
    household = func.coalesce(cast(Visit.family_id, String), literal("h") + func.coalesce(Visit.household, ""))
    paid_in_month = select(Payment.family_id).where(Payment.paid_at >= start, Payment.paid_at < end)
    paid_after = and_(Visit.family_id.in_(paid_in_month), exists().where(
        Payment.family_id == Visit.family_id, Payment.paid_at < end,
        Payment.paid_at >= func.coalesce(Visit.visited_at, Visit.reported_at)))
    bayar = Visit.result == "BAYAR"
    parts = [_grouped(session, Visit.cadre_id, [
        ("reports", func.count(Visit.id)),
        ("households", func.count(household.distinct())),
        ("collected", func.sum(case((bayar, Visit.amount), else_=0))),
        ("collected_confirmed", func.sum(case((and_(bayar, Visit.status == "confirmed"), Visit.amount), else_=0))),
        # a payment after the visit, in the month: only for families with a payment in it (a cheap first test)
        ("paid_after_visit", func.count(case((paid_after, Visit.family_id)).distinct())),
    ], [_visits_in(start, end)])]
    parts.append(_grouped(session, _cadre_of_family(Payment.family_id), [
        ("payments", func.count(Payment.id)), ("payments_amount", func.sum(Payment.amount)),
    ], [Payment.paid_at >= start, Payment.paid_at < end]))
    reached = union(
        select(Visit.family_id.label("family_id")).where(_visits_in(start, end), Visit.family_id.is_not(None)),
        select(Reminder.family_id.label("family_id")).where(Reminder.status == QUEUED, Reminder.settled_at >= start,
                                                              Reminder.settled_at < end),
    ).subquery()
    parts.append(_grouped(session, _cadre_of_family(reached.c.family_id),
                          [("families_reached", func.count(reached.c.family_id))], [], reached))
    running = and_(RehabPlan.enrolled_at < cutoff, RehabPlan.status != "cancelled",
                   or_(RehabPlan.completed_at.is_(None), RehabPlan.completed_at >= cutoff))
    overdue = exists().where(RehabInstalment.plan_id == RehabPlan.id, RehabInstalment.due_on < cutoff.astimezone(
        BRANCH_ZONE).date(), or_(RehabInstalment.paid_at.is_(None), RehabInstalment.paid_at >= cutoff))
    completed_in = and_(RehabPlan.completed_at >= start, RehabPlan.completed_at < end)
    parts.append(_grouped(session, _cadre_of_family(RehabPlan.family_id), [
        ("rehab_opened", func.count(case((RehabPlan.enrolled_at >= start, RehabPlan.id)))),
        ("rehab_completed", func.count(case((completed_in, RehabPlan.id)))),
        ("rehab_running", func.count(case((running, RehabPlan.id)))),
        ("rehab_overdue", func.count(case((and_(running, overdue), RehabPlan.id)))),
    ], [RehabPlan.enrolled_at < end, or_(RehabPlan.enrolled_at >= start, running, completed_in)]))
    sent = select(Reminder.family_id, OutboxMessage.status).join(
        OutboxMessage, OutboxMessage.dedupe_key == literal("reminder:") + cast(Reminder.id, String)).where(
        Reminder.status == QUEUED, Reminder.settled_at >= start, Reminder.settled_at < end).subquery()
    parts.append(_grouped(session, _cadre_of_family(sent.c.family_id), [
        (name, func.count(case((sent.c.status.in_(states), 1))))
        for name, states in (("reminders_sent", SENT), ("reminders_delivered", DELIVERED),
                             ("reminders_read", READ), ("reminders_failed", FAILED))], [], sent))
    closed_by = and_(Ticket.status == "closed", Ticket.updated_at.is_not(None), Ticket.updated_at < cutoff)
    parts.append(_grouped(session, func.coalesce(Ticket.cadre_id, NO_CADRE), [
        ("complaints_opened", func.count(case((Ticket.created_at >= start, Ticket.id)))),
        ("complaints_closed", func.count(case((and_(Ticket.status == "closed", Ticket.updated_at >= start,
                                                    Ticket.updated_at < end), Ticket.id)))),
        ("complaints_open", func.count(case((and_(Ticket.created_at < cutoff, not_(closed_by)), Ticket.id)))),
    ], [Ticket.kind == "complaint", Ticket.created_at < end]))
    figures: dict[int, dict[str, int]] = {}
    for part in parts:
        for cadre_id, values in part.items():
            figures.setdefault(cadre_id, {}).update(values)
    figures[TOTAL] = _branch_only(session, month, figures, end)
    return figures


def _branch_only(session: Session, month: date, figures: dict[int, dict[str, int]], end: datetime) -> dict[str, int]:
    """The BRANCH_ONLY figures: counts of distinct cadres and medians, which no sum of cadres' rows gives."""
    reporting = {cadre_id for cadre_id, values in figures.items() if values.get("reports") and cadre_id > NO_CADRE}
    january = month.replace(month=1)
    earlier = session.scalars(select(FigureMonth.cadre_id).distinct().where(
        FigureMonth.month >= january, FigureMonth.month < month, FigureMonth.figure == "reports",
        FigureMonth.cadre_id > NO_CADRE))
    values = {"reporting": len(reporting), "reporting_ytd": len(reporting | set(earlier))}
    for name, since in (("median_close_minutes", bounds(month)[0]), ("median_close_minutes_ytd", bounds(january)[0])):
        minutes = [(closed - created).total_seconds() / 60 for created, closed in session.execute(
            select(Ticket.created_at, Ticket.updated_at).where(
                Ticket.kind == "complaint", Ticket.status == "closed", Ticket.updated_at >= since,
                Ticket.updated_at < end)) if closed is not None]
        if minutes:
            values[name] = round(median(minutes))
    return values


def store_month(session: Session, month: date, figures: dict[int, dict[str, int]], now: datetime) -> None:
    """Replace a month's rows with these figures and their branch totals: a short write."""
    month = first_of(month)
    if not is_sqlite(session):  # refreshers of one month take turns (SQLite's BEGIN IMMEDIATE does that there)
        session.execute(select(func.pg_advisory_xact_lock(LOCK_KEY + month.year * 12 + month.month)))
    session.execute(delete(FigureMonth).where(FigureMonth.month == month))
    totals: dict[str, int] = {COMPUTED: 0, **figures.get(TOTAL, {})}
    rows = []
    for cadre_id, values in figures.items():
        if cadre_id == TOTAL:
            continue
        for figure, value in values.items():
            if value:
                rows.append({"month": month, "cadre_id": cadre_id, "figure": figure, "value": value,
                             "computed_at": now})
                totals[figure] = totals.get(figure, 0) + value
    rows += [{"month": month, "cadre_id": TOTAL, "figure": figure, "value": value, "computed_at": now}
             for figure, value in totals.items()]
    session.execute(insert(FigureMonth), rows)


def refresh_month(session: Session, month: date, now: datetime) -> None:
    """Compute and store one month's figures in the caller's transaction."""
    store_month(session, month, compute_month(session, first_of(month), now), now)


def stale_months(session: Session, months: Iterable[date], now: datetime) -> list[date]:
    """Of these months, those never computed, and the running month when older than STALE_AFTER."""
    wanted = [first_of(month) for month in months]
    computed = {month: at for month, at in session.execute(
        select(FigureMonth.month, func.min(FigureMonth.computed_at))
        .where(FigureMonth.month.in_(wanted), FigureMonth.cadre_id == TOTAL, FigureMonth.figure == COMPUTED)
        .group_by(FigureMonth.month))}
    running = first_of(now.astimezone(BRANCH_ZONE).date())
    return [month for month in wanted
            if month not in computed or (month >= running and now - computed[month] > STALE_AFTER)]


def read_months(session: Session, months: Sequence[date], cadre_ids: Sequence[int] | None) -> dict[date, dict[str, int]]:
    """{month: {figure: value}} for the branch (cadre_ids None) or the sum over these cadres."""
    wanted = [first_of(month) for month in months]
    query = select(FigureMonth.month, FigureMonth.figure, func.sum(FigureMonth.value)).where(
        FigureMonth.month.in_(wanted))
    if cadre_ids is None:
        query = query.where(FigureMonth.cadre_id == TOTAL)
    else:
        query = query.where(FigureMonth.cadre_id.in_(list(cadre_ids) or [TOTAL - 1]))
    found: dict[date, dict[str, int]] = {month: {} for month in wanted}
    for month, figure, value in session.execute(query.group_by(FigureMonth.month, FigureMonth.figure)):
        found[month][figure] = int(value or 0)
    return found


def reporting_cadres(session: Session, months: Sequence[date], cadre_ids: Sequence[int] | None) -> int:
    """Cadres with at least one report in these months (distinct across them)."""
    query = select(func.count(FigureMonth.cadre_id.distinct())).where(
        FigureMonth.month.in_([first_of(month) for month in months]), FigureMonth.figure == "reports",
        FigureMonth.value > 0, FigureMonth.cadre_id > NO_CADRE)
    if cadre_ids is not None:
        query = query.where(FigureMonth.cadre_id.in_(list(cadre_ids) or [TOTAL - 1]))
    return int(session.scalar(query) or 0)


def per_cadre(session: Session, month: date, figures: Sequence[str]) -> dict[int, dict[str, int]]:
    """{cadre id: {figure: value}} for one month: the team table reads every cadre in one query."""
    found: dict[int, dict[str, int]] = {}
    for cadre_id, figure, value in session.execute(
            select(FigureMonth.cadre_id, FigureMonth.figure, FigureMonth.value)
            .where(FigureMonth.month == first_of(month), FigureMonth.figure.in_(list(figures)),
                   FigureMonth.cadre_id > NO_CADRE)):
        found.setdefault(cadre_id, {})[figure] = int(value)
    return found
