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
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session, sessionmaker

from models import Cadre, Family, Visit
from models.figures import FAMILY_FIGURES, REHAB_FIGURES, REMINDER_FIGURES, VISIT_FIGURES
from models.visits import BAYAR, CONFIRMED, REPORTED
from rules.identifiers import mask_identifier
from rules.months import add_months
from rules.programme import ProgrammeRules
from rules.regions import WIB, zone_for_region
from web.admin.figures import roster, series
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
    """Every visit report from `first` to `last` (days in WIB), cancelled ones marked."""
    start = datetime.combine(first, time(), WIB).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), WIB).astimezone(UTC)
    moment = func.coalesce(Visit.visited_at, Visit.reported_at)
    query = (select(Visit, Cadre.code, Cadre.name, Family.number).join(Cadre, Cadre.id == Visit.cadre_id)
             .outerjoin(Family, Family.id == Visit.family_id)
             .where(moment >= start, moment < end, scope.sees_cadre(Visit.cadre_id)).order_by(moment, Visit.id))
    header = ["report", "visited_at", "reported_at", "cadre_code", "cadre_name", "household", "result", "amount",
              "status", "promised_on", "note", "cancelled"]
    rows = []
    for visit, code, name, family in session.execute(query):
        household = family or visit.household or ""
        rows.append([visit.number, _local(visit.visited_at or visit.reported_at), _local(visit.reported_at), code,
                     name if scope.personal else "", mask_identifier(household) if household else "",
                     visit.result, visit.amount, visit.status or "",
                     visit.promised_on.isoformat() if visit.promised_on else "",
                     visit.note if scope.personal else "", "yes" if visit.cancelled_at else ""])
    return Table(f"laporan-kunjungan-{first:%Y%m%d}-{last:%Y%m%d}.csv", header, rows)


def collections_per_cadre(session: Session, scope: Scope, year: int, rules: ProgrammeRules) -> Table:
    """For each cadre and month of `year` (in the cadre's own zone): households visited, BAYAR reported and
    confirmed, the collection target and the share of it reached."""
    cadres = list(session.execute(select(Cadre.id, Cadre.code, Cadre.name, Cadre.region_code)
                                  .where(scope.sees_cadre(Cadre.id)).order_by(Cadre.code)).all())
    zones: dict[ZoneInfo, list[int]] = {}
    for cadre_id, _, _, region in cadres:
        zones.setdefault(zone_for_region(region), []).append(cadre_id)
    figures: dict[tuple[int, int], dict[str, int]] = {}
    household = func.coalesce(cast(Visit.family_id, String), Visit.household)
    moment = func.coalesce(Visit.visited_at, Visit.reported_at)
    for zone, ids in zones.items():
        for month in range(1, 13):
            first = date(year, month, 1)
            start = datetime.combine(first, time(), zone).astimezone(UTC)
            end = datetime.combine(add_months(first, 1), time(), zone).astimezone(UTC)
            window = (moment >= start, moment < end, Visit.cancelled_at.is_(None), Visit.cadre_id.in_(ids))
            for cadre_id, visited, reports in session.execute(
                    select(Visit.cadre_id, func.count(func.distinct(household)), func.count(Visit.id))
                    .where(*window).group_by(Visit.cadre_id)):
                figures.setdefault((cadre_id, month), {}).update(visited=visited, reports=reports)
            for cadre_id, status, amount in session.execute(
                    select(Visit.cadre_id, Visit.status, func.coalesce(func.sum(Visit.amount), 0))
                    .where(*window, Visit.result == BAYAR, Visit.amount.is_not(None))
                    .group_by(Visit.cadre_id, Visit.status)):
                figures.setdefault((cadre_id, month), {})[status or REPORTED] = int(amount or 0)
    header = ["cadre_code", "cadre_name", "month", "households_visited", "reports", "collected_reported",
              "collected_confirmed", "collected_total", "target", "percent_of_target"]
    target = rules.cadre_monthly_collection
    rows: list[list[Cell]] = []
    for cadre_id, code, name, _ in cadres:
        for month in range(1, 13):
            found = figures.get((cadre_id, month), {})
            reported, confirmed = found.get(REPORTED, 0), found.get(CONFIRMED, 0)
            total = reported + confirmed
            rows.append([code, name if scope.personal else "", f"{year}-{month:02d}", found.get("visited", 0),
                         found.get("reports", 0), reported, confirmed, total, target,
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
