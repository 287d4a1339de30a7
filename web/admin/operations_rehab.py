"""The REHAB page's data: instalment plans by state, counted and listed with masked identifiers.

States, as the overview counts them: `opened` (enrolled in the chosen month, whatever became of them),
`running` (active, nothing overdue), `overdue` (active with an instalment past its due date and unpaid),
`completed` (the last instalment paid). One set-based query per figure; a list is one page of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session

from models import Assignment, Cadre, Family, Member, RehabInstalment, RehabPlan
from models.rehab_plans import ACTIVE, COMPLETED
from rules.identifiers import mask_identifier, mask_name
from rules.months import add_months, month_of
from web.admin.operations_scope import Scope

STATES = ("opened", "running", "overdue", "completed")
PAGE = 200  # rows on one page; the export has them all


@dataclass(frozen=True)
class PlanRow:
    """One plan as the list shows it: masked family and head, the cadre, and where the instalments stand."""

    plan_id: int
    family: str  # masked KK number
    head: str  # masked name
    region_code: str
    cadre: str  # code, or "-"
    status: str  # active / completed / cancelled
    enrolled_on: date
    instalments: int
    paid: int
    overdue: int
    next_due: date | None
    arrears_amount: int


def overdue_instalment(today: date) -> ColumnElement[bool]:
    """SQL on RehabPlan: an instalment is past its due date and unpaid (on the due date it is still due)."""
    return exists().where(RehabInstalment.plan_id == RehabPlan.id, RehabInstalment.paid_at.is_(None),
                          RehabInstalment.due_on < today)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first moment of the month and of the next, in UTC (enrolment moments are stored in UTC)."""
    first = month_of(month)
    return (datetime.combine(first, time(), UTC), datetime.combine(add_months(first, 1), time(), UTC))


def state_condition(state: str, today: date, month: date) -> ColumnElement[bool]:
    """SQL on RehabPlan for one state of STATES."""
    if state == "opened":
        start, end = month_bounds(month)
        return and_(RehabPlan.enrolled_at >= start, RehabPlan.enrolled_at < end)
    if state == "running":
        return and_(RehabPlan.status == ACTIVE, ~overdue_instalment(today))
    if state == "overdue":
        return and_(RehabPlan.status == ACTIVE, overdue_instalment(today))
    if state == "completed":
        return RehabPlan.status == COMPLETED
    raise ValueError(f"unknown REHAB state {state!r}: one of {', '.join(STATES)}")


def plan_counts(session: Session, scope: Scope, today: date, month: date) -> dict[str, int]:
    """How many plans are in each state (opened: in `month`), within the scope."""
    return {state: session.execute(select(func.count(RehabPlan.id)).where(
        state_condition(state, today, month), scope.sees_family(RehabPlan.family_id))).scalar_one()
        for state in STATES}


def plan_rows(session: Session, scope: Scope, state: str, today: date, month: date,
              limit: int | None = PAGE) -> list[PlanRow]:
    """The plans in one state, newest first, identifiers masked; none for a scope without personal data."""
    if not scope.personal:
        return []
    paid = (select(func.count(RehabInstalment.id)).where(RehabInstalment.plan_id == RehabPlan.id,
                                                         RehabInstalment.paid_at.is_not(None)).scalar_subquery())
    overdue = (select(func.count(RehabInstalment.id)).where(
        RehabInstalment.plan_id == RehabPlan.id, RehabInstalment.paid_at.is_(None),
        RehabInstalment.due_on < today).scalar_subquery())
    next_due = (select(func.min(RehabInstalment.due_on)).where(RehabInstalment.plan_id == RehabPlan.id,
                                                               RehabInstalment.paid_at.is_(None)).scalar_subquery())
    head = (select(Member.name).where(Member.family_id == Family.id).order_by((Member.relation != "head"), Member.id)
            .limit(1).scalar_subquery())
    query = (select(RehabPlan.id, Family.number, head, Family.region_code, Cadre.code, RehabPlan.status,
                    RehabPlan.enrolled_at, RehabPlan.instalment_count, paid, overdue, next_due,
                    RehabPlan.arrears_amount)
             .join(Family, Family.id == RehabPlan.family_id)
             .outerjoin(Assignment, Assignment.family_id == Family.id)
             .outerjoin(Cadre, Cadre.id == Assignment.cadre_id)
             .where(state_condition(state, today, month), scope.sees_family(RehabPlan.family_id))
             .order_by(RehabPlan.enrolled_at.desc(), RehabPlan.id.desc()))
    if limit is not None:
        query = query.limit(limit)
    return [PlanRow(row[0], mask_identifier(row[1]), mask_name(row[2] or "-"), row[3], row[4] or "-", row[5],
                    row[6].date(), row[7], int(row[8] or 0), int(row[9] or 0), row[10], row[11])
            for row in session.execute(query)]
