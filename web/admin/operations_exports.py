"""CSV downloads ready for Excel: visit reports, collections per cadre per month, REHAB plans, and the
programme's figures month by month.

Every file starts with a UTF-8 byte order mark (so Excel reads "Rp" and names right) and uses `,` or, as
Excel in Indonesia expects, `;`. A text cell starting with = + - @ is prefixed with ' so that Excel shows
it instead of running it as a formula. Lists follow the user's scope; identifiers are masked as on the pages.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import Cadre, Family, Visit
from models.figures import FAMILY_FIGURES, REHAB_FIGURES, REMINDER_FIGURES, VISIT_FIGURES, FigureMonth
from rules.identifiers import mask_identifier
from rules.programme import ProgrammeRules
from rules.regions import WIB
from web.admin.figures import ensure_fresh, roster, series, this_month
from web.admin.operations_rehab import STATES, plan_rows
from web.admin.operations_scope import Scope

SEPARATORS = {"comma": ",", "semicolon": ";"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | None


@dataclass(frozen=True)
class Table:
    """A file to download: its name, header and rows."""

    filename: str
    header: Sequence[str]
    rows: Iterable[Sequence[Cell]]


def to_csv(table: Table, separator: str = ",") -> bytes:
    """The table as CSV bytes for Excel: BOM, the chosen separator, CRLF line ends, formulas defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([_safe(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _safe(cell: Cell) -> Cell:
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def visit_reports(session: Session, scope: Scope, first: date, last: date) -> Table:
    """Every visit report made from `first` to `last` (days in WIB, by when it was reported), cancelled ones
    marked. Plain columns, not ORM objects: a branch's month is a few hundred thousand rows."""
    start = datetime.combine(first, time(), WIB).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), WIB).astimezone(UTC)
    query = (select(Visit.id, Visit.visited_at, Visit.reported_at, Cadre.code, Cadre.name, Family.number,
                    Visit.household, Visit.result, Visit.amount, Visit.status, Visit.promised_on, Visit.note,
                    Visit.cancelled_at)
             .join(Cadre, Cadre.id == Visit.cadre_id).outerjoin(Family, Family.id == Visit.family_id)
             .where(Visit.reported_at >= start, Visit.reported_at < end, scope.sees_cadre(Visit.cadre_id))
             .order_by(Visit.reported_at, Visit.id))
    header = ["report", "visited_at", "reported_at", "cadre_code", "cadre_name", "household", "result", "amount",
              "status", "promised_on", "note", "cancelled"]
    rows = []
    for (number, visited, reported, code, name, family, typed, result, amount, status, promised, note,
         cancelled) in session.execute(query):
        household = family or typed or ""
        rows.append([f"L-{number:06d}", _local(visited or reported), _local(reported), code,
                     name if scope.personal else "", mask_identifier(household) if household else "", result,
                     amount, status or "", promised.isoformat() if promised else "",
                     note if scope.personal else "", "yes" if cancelled else ""])
    return Table(f"laporan-kunjungan-{first:%Y%m%d}-{last:%Y%m%d}.csv", header, rows)


def collections_per_cadre(sessions: sessionmaker[Session], scope: Scope, year: int, rules: ProgrammeRules,
                          now: datetime) -> Table:
    """For each cadre and month of `year` up to this one: households visited, reports, BAYAR reported and
    confirmed, the collection target and the share of it reached. Read from the monthly rollup the overview
    reads (models/figures.py: months in WIB), so the file and the Ringkasan agree and a year of a large
    branch is a few thousand rows, not a scan of its visits."""
    months = [date(year, number, 1) for number in range(1, 13)]
    months = [month for month in months if month <= this_month(now)] or months[:1]
    ensure_fresh(sessions, months, now)
    wanted = ("households", "reports", "collected", "collected_confirmed")
    with sessions() as session:
        cadres = list(session.execute(select(Cadre.id, Cadre.code, Cadre.name)
                                      .where(scope.sees_cadre(Cadre.id)).order_by(Cadre.code)))
        figures: dict[tuple[int, date], dict[str, int]] = {}
        for cadre_id, month, figure, value in session.execute(
                select(FigureMonth.cadre_id, FigureMonth.month, FigureMonth.figure, FigureMonth.value)
                .where(FigureMonth.month.in_(months), FigureMonth.figure.in_(wanted),
                       scope.sees_cadre(FigureMonth.cadre_id), FigureMonth.cadre_id > 0)):
            figures.setdefault((cadre_id, month), {})[figure] = int(value)
    header = ["cadre_code", "cadre_name", "month", "households_visited", "reports", "collected_reported",
              "collected_confirmed", "collected_total", "target", "percent_of_target"]
    target = rules.cadre_monthly_collection
    rows: list[list[Cell]] = []
    for cadre_id, code, name in cadres:
        for month in months:
            found = figures.get((cadre_id, month), {})
            total, confirmed = found.get("collected", 0), found.get("collected_confirmed", 0)
            rows.append([code, name if scope.personal else "", f"{month:%Y-%m}", found.get("households", 0),
                         found.get("reports", 0), total - confirmed, confirmed, total, target,
                         round(100 * total / target) if target else 0])
    return Table(f"setoran-per-kader-{year}.csv", header, rows)


def rehab_plans(session: Session, scope: Scope, today: date) -> Table:
    """Every REHAB plan running, overdue or completed, identifiers masked."""
    header = ["plan", "state", "family", "head", "region_code", "cadre_code", "enrolled_on", "instalments",
              "paid", "overdue", "next_due", "arrears_amount"]
    rows: list[list[Cell]] = []
    for state in STATES[1:]:  # "opened" is a month's view of the same plans
        for plan in plan_rows(session, scope, state, today, today, limit=None):
            rows.append([plan.plan_id, state, plan.family, plan.head, plan.region_code, plan.cadre,
                         plan.enrolled_on.isoformat(), plan.instalments, plan.paid, plan.overdue,
                         plan.next_due.isoformat() if plan.next_due else "", plan.arrears_amount])
    return Table(f"rencana-rehab-{today:%Y%m%d}.csv", header, rows)


FIGURES = (*VISIT_FIGURES, *FAMILY_FIGURES, *REHAB_FIGURES, *REMINDER_FIGURES, "reporting", "complaints_open",
           "complaints_closed")


def programme_figures(sessions: sessionmaker[Session], cadre_ids: Sequence[int] | None, month: date,
                      rules: ProgrammeRules, now: datetime) -> Table:
    """The overview's figures for each of the 12 months ending with `month` (the same rollup the Ringkasan
    reads), with the active cadres and the month's visit and collection targets. Figures only: no names."""
    months, values = series(sessions, month, FIGURES, cadre_ids, now)
    with sessions() as session:
        cadres = roster(session, cadre_ids)
    header = ["month", "cadres", "visit_target", "collection_target", *FIGURES]
    rows: list[list[Cell]] = []
    for index, first in enumerate(months):
        rows.append([f"{first:%Y-%m}", cadres, rules.cadre_period_visits * cadres // rules.cadre_period_months,
                     rules.cadre_monthly_collection * cadres, *(values[figure][index] for figure in FIGURES)])
    return Table(f"angka-program-{month:%Y%m}.csv", header, rows)


def _local(moment: datetime) -> str:
    return moment.astimezone(WIB).strftime("%Y-%m-%d %H:%M")
