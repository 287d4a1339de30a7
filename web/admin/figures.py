"""The overview's figures for a month and the year to date, read from the monthly rollup (models/figures.py),
with targets from the branch's rules and complaints read live from the tickets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median

from sqlalchemy import and_, func, not_, select
from sqlalchemy.orm import Session, sessionmaker

from models import Cadre, Ticket
from models.db import make_reader_factory
from models.figures import (
    BRANCH_ONLY,
    BRANCH_ZONE,
    STOCKS,
    bounds,
    compute_month,
    first_of,
    months_back,
    read_months,
    reporting_cadres,
    stale_months,
    store_month,
)
from rules.programme import ProgrammeRules

CHART_MONTHS = 12
CLOSED = "closed"


@dataclass(frozen=True)
class Complaints:
    """Complaints in a span: opened, closed, still open at its end, and the median hours to close."""

    opened: int
    closed: int
    open: int
    median_hours: float | None


@dataclass
class Span:
    """One column of the overview: a month, or the year to its end."""

    months: list[date]
    roster: int  # active cadres on the list (the base of targets and of the active share)
    reporting: int  # cadres with at least one report
    values: dict[str, int] = field(default_factory=dict)
    complaints: Complaints = Complaints(0, 0, 0, None)
    visit_target: int = 0
    collection_target: int = 0

    def __getitem__(self, figure: str) -> int:
        return self.values.get(figure, 0)

    @property
    def active_percent(self) -> int:
        """Reporting cadres as a whole percent of the roster."""
        return self.reporting * 100 // self.roster if self.roster else 0


def ensure_fresh(sessions: sessionmaker[Session], months: Sequence[date], now: datetime) -> None:
    """Compute the months never computed (and the running month when stale): each read in a read-only
    transaction, then stored in a short write."""
    refresh_months(sessions, stale_months_of(sessions, months, now), now)


def stale_months_of(sessions: sessionmaker[Session], months: Sequence[date], now: datetime) -> list[date]:
    """Which of these months need computing."""
    with _reader(sessions) as reader:
        return stale_months(reader, months, now)


def _reader(sessions: sessionmaker[Session]) -> Session:
    """A session of the same database that only reads: on SQLite it never takes the write lock."""
    return make_reader_factory(sessions.kw["bind"])()


def refresh_months(sessions: sessionmaker[Session], months: Sequence[date], now: datetime) -> None:
    """Compute each month in a read-only transaction (no write lock on SQLite), then store it."""
    for month in months:
        with _reader(sessions) as reader:
            figures = compute_month(reader, month, now)
        with sessions.begin() as writer:
            store_month(writer, month, figures, now)


def roster(session: Session, cadre_ids: Sequence[int] | None) -> int:
    """Active cadres in scope."""
    query = select(func.count(Cadre.id)).where(Cadre.active.is_(True))
    if cadre_ids is not None:
        query = query.where(Cadre.id.in_(list(cadre_ids) or [-2]))
    return int(session.scalar(query) or 0)


def span_of(session: Session, months: Sequence[date], cadre_ids: Sequence[int] | None, rules: ProgrammeRules,
            now: datetime, cadres: int) -> Span:
    """The figures summed over `months` (stocks: the last month's), with the targets for that many months."""
    by_month = read_months(session, months, cadre_ids)
    values: dict[str, int] = {}
    for month in months:
        for figure, value in by_month[month].items():
            if figure not in STOCKS and figure not in BRANCH_ONLY:
                values[figure] = values.get(figure, 0) + value
    last = by_month[months[-1]]
    values.update({figure: last.get(figure, 0) for figure in STOCKS})
    count = len(months)
    if cadre_ids is None:  # the branch: everything from the rollup
        single = len(months) == 1
        reporting = last.get("reporting" if single else "reporting_ytd", 0)
        minutes = last.get("median_close_minutes" if single else "median_close_minutes_ytd")
        counted = Complaints(values.get("complaints_opened", 0), values.get("complaints_closed", 0),
                             values.get("complaints_open", 0), round(minutes / 60, 1) if minutes else None)
    else:  # a team: its few cadres and tickets, counted live
        reporting = reporting_cadres(session, months, cadre_ids)
        counted = complaints(session, bounds(months[0])[0], bounds(months[-1])[1], now, cadre_ids)
    return Span(list(months), cadres, reporting, values, counted,
                visit_target=rules.cadre_period_visits * cadres * count // rules.cadre_period_months,
                collection_target=rules.cadre_monthly_collection * cadres * count)


def complaints(session: Session, start: datetime, end: datetime, now: datetime,
               cadre_ids: Sequence[int] | None) -> Complaints:
    """Complaints opened and closed in [start, end), open at its end (or now), median time to close."""
    cutoff = min(end, now)
    scope = [Ticket.kind == "complaint"]
    if cadre_ids is not None:
        scope.append(Ticket.cadre_id.in_(list(cadre_ids) or [-2]))
    closed_in = and_(Ticket.status == CLOSED, Ticket.updated_at >= start, Ticket.updated_at < end)
    opened = session.scalar(select(func.count(Ticket.id)).where(*scope, Ticket.created_at >= start,
                                                                  Ticket.created_at < end))
    still_open = session.scalar(select(func.count(Ticket.id)).where(
        *scope, Ticket.created_at < cutoff,
        not_(and_(Ticket.status == CLOSED, Ticket.updated_at.is_not(None), Ticket.updated_at < cutoff))))
    durations = [(closed - created).total_seconds() / 3600 for created, closed in session.execute(
        select(Ticket.created_at, Ticket.updated_at).where(*scope, closed_in)) if closed is not None]
    return Complaints(int(opened or 0), len(durations), int(still_open or 0),
                      round(median(durations), 1) if durations else None)


def year_to(month: date) -> list[date]:
    """January to `month` of its year."""
    return [date(month.year, number, 1) for number in range(1, month.month + 1)]


def overview(sessions: sessionmaker[Session], month: date, cadre_ids: Sequence[int] | None,
             rules: ProgrammeRules, now: datetime) -> tuple[Span, Span]:
    """The chosen month and the year to its end."""
    month = first_of(month)
    ensure_fresh(sessions, months_back(month, CHART_MONTHS), now)
    with sessions() as session:
        cadres = roster(session, cadre_ids)
        return (span_of(session, [month], cadre_ids, rules, now, cadres),
                span_of(session, year_to(month), cadre_ids, rules, now, cadres))


def series(sessions: sessionmaker[Session], month: date, figures: Sequence[str], cadre_ids: Sequence[int] | None,
           now: datetime) -> tuple[list[date], dict[str, list[int]]]:
    """Each figure's value in each of the 12 months ending with `month` (for the charts)."""
    months = months_back(first_of(month), CHART_MONTHS)
    ensure_fresh(sessions, months, now)
    with sessions() as session:
        by_month = read_months(session, months, cadre_ids)
        values = {figure: [by_month[m].get(figure, 0) for m in months] for figure in figures}
        if "reporting" in figures and cadre_ids is not None:
            values["reporting"] = [reporting_cadres(session, [m], cadre_ids) for m in months]
        if ("complaints_open" in figures or "complaints_closed" in figures) and cadre_ids is not None:
            counted = [complaints(session, *bounds(m), now, cadre_ids) for m in months]
            values["complaints_open"] = [c.open for c in counted]
            values["complaints_closed"] = [c.closed for c in counted]
    return months, values


def this_month(now: datetime) -> date:
    """The branch's current month."""
    return first_of(now.astimezone(BRANCH_ZONE).date())
