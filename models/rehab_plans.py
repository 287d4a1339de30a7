"""REHAB plans on the database: enrol a family, read a plan's status, follow payments, find missed instalments.

Receives the caller's Session and never opens, commits or rolls one back, and never sends. The rules that decide who may
enrol and what the instalments are live in rules.rehab (pure); this module stores and reads them.

How a plan follows the money (the rule, decided here):
- The money received for a plan is the family's payments (Payment rows) dated on or after the local day of
  enrolment. Bank files date payments by the day, and a payment made right after enrolling at the same ATM
  visit must count; the price is that a payment made earlier on the enrolment day, and imported before the
  member enrolled, would count twice. Imports arrive after the day, so that case should not occur.
- Instalments are paid in order: instalment k is paid once the money received covers instalments 1..k
  together (a partial payment is not lost, it adds up with the next one; paying two at once pays two). Its
  `paid_at` is the moment of the payment that completed that cover. A paid instalment is never unpaid again.
- The plan completes when its last instalment is paid; that is returned as a `PlanCompleted` event, which
  the payment import hands to reminders/ to tell the family (this module never sends).
- Progress is recomputed from the Payment rows on every call, so calling twice changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Family, Payment, RehabInstalment, RehabPlan
from rules.arrears import FamilyArrears
from rules.display import format_rupiah
from rules.identifiers import mask_identifier
from rules.regions import zone_for_region
from rules.rehab import Instalment

log = logging.getLogger(__name__)

ACTIVE, COMPLETED = "active", "completed"
PAID, DUE, OVERDUE = "paid", "due", "overdue"

@dataclass(frozen=True, slots=True)
class PlanCompleted:
    """An event: a payment completed a family's plan, so its card is active again (reminders/ tells them)."""

    plan_id: int
    family_id: int
    at: datetime


class AlreadyEnrolled(Exception):
    """The family already has an active plan: one plan at a time per KK."""


# --- reading ---------------------------------------------------------------------------------------------


def active_plan(session: Session, family: Family) -> RehabPlan | None:
    """The family's plan in progress, if any (one registration covers the whole KK)."""
    return session.execute(
        select(RehabPlan).where(RehabPlan.family_id == family.id, RehabPlan.status == ACTIVE)
        .order_by(RehabPlan.id.desc())
    ).scalars().first()


def last_completed_plan(session: Session, family: Family) -> RehabPlan | None:
    """The family's most recent completed REHAB plan, if any."""
    return session.execute(
        select(RehabPlan).where(RehabPlan.family_id == family.id, RehabPlan.status == COMPLETED)
        .order_by(RehabPlan.id.desc())
    ).scalars().first()


@dataclass(frozen=True, slots=True)
class InstalmentStatus:
    """One instalment on a day: paid, due or overdue."""

    sequence: int
    due_on: date
    amount: int
    state: str  # paid / due (not yet past its due date) / overdue (past its due date, unpaid)
    paid_at: datetime | None


@dataclass(frozen=True, slots=True)
class PlanStatus:
    """A plan's instalments on a day (plan_status), with its totals."""

    plan_id: int
    instalments: list[InstalmentStatus]
    total: int  # the sum of all instalments
    paid_amount: int  # the sum of the paid ones

    @property
    def paid_count(self) -> int:
        """How many instalments are paid."""
        return sum(1 for i in self.instalments if i.state == PAID)

    @property
    def overdue(self) -> list[InstalmentStatus]:
        """The instalments past their due date and unpaid."""
        return [i for i in self.instalments if i.state == OVERDUE]

    @property
    def next_unpaid(self) -> InstalmentStatus | None:
        """The first instalment not paid yet, or None when all are."""
        return next((i for i in self.instalments if i.state != PAID), None)

    @property
    def remaining(self) -> int:
        """What is left to pay, in rupiah."""
        return self.total - self.paid_amount


def plan_status(plan: RehabPlan, on: date) -> PlanStatus:
    """Each instalment as paid, due or overdue on `on` (overdue: its due date has passed and it is unpaid;
    on the due date itself it is still due)."""
    rows = []
    for instalment in plan.instalments:
        if instalment.paid_at is not None:
            state = PAID
        elif instalment.due_on < on:
            state = OVERDUE
        else:
            state = DUE
        rows.append(InstalmentStatus(instalment.sequence, instalment.due_on, instalment.amount, state,
                                     instalment.paid_at))
    total = sum(i.amount for i in rows)
    paid = sum(i.amount for i in rows if i.state == PAID)
    return PlanStatus(plan.id, rows, total, paid)


# --- enrolling -------------------------------------------------------------------------------------------


def enrol(
    session: Session,
    family: Family,
    arrears: FamilyArrears,
    schedule: Sequence[Instalment],
    enrolled_at: datetime,
    chat_id: int | None = None,
    consent_id: int | None = None,
) -> RehabPlan:
    """Store a plan with its instalments (from rules.rehab.rehab_schedule). The caller has checked
    eligibility; this refuses only a second active plan, which would split one family's money in two."""
    if not schedule:
        raise ValueError("a REHAB plan needs its instalments")
    if active_plan(session, family) is not None:
        raise AlreadyEnrolled(f"family {family.id} already has an active REHAB plan")
    # The months the plan pays are the billed ones: 24 for a family 50 months behind.
    plan = RehabPlan(family_id=family.id, status=ACTIVE, months_in_arrears=arrears.counted_months,
                     arrears_amount=arrears.total, instalment_count=len(schedule), enrolled_at=enrolled_at,
                     chat_id=chat_id, consent_id=consent_id)
    for item in schedule:
        plan.instalments.append(RehabInstalment(sequence=item.sequence, due_on=item.due_on,
                                                arrears_share=item.arrears_share, current_dues=item.current_dues,
                                                amount=item.amount))
    session.add(plan)
    session.flush()
    return plan


# --- following payments ----------------------------------------------------------------------------------


def apply_payment_to_plan(session: Session, family: Family, amount: int,
                          paid_at: datetime | date) -> PlanCompleted | None:
    """Mark the instalments the money received since enrolment now covers, and complete the plan when the last
    one is paid (see the module's rule). Logs what happened (identifiers masked); returns the completion
    event when this payment completed the plan.

    Call it after the payment is in the session as a Payment row (the ledger's `apply_payment_to_family`,
    which the payment import calls for every new payment, does). `amount` and `paid_at` describe that payment
    for the notices; the progress itself comes from the Payment rows, so a repeated call changes nothing.
    """
    plan = active_plan(session, family)
    if plan is None:
        return None
    payments = _payments_since_enrolment(session, family, plan)
    kk = mask_identifier(family.number)
    notices = []
    completed = None
    received, cover, index = 0, 0, 0
    for instalment in plan.instalments:
        cover += instalment.amount
        while received < cover and index < len(payments):
            received += payments[index].amount
            index += 1
        if received < cover:
            break
        if instalment.paid_at is None:
            instalment.paid_at = payments[index - 1].paid_at
            notices.append(f"KK {kk}: REHAB instalment {instalment.sequence}/{plan.instalment_count} paid "
                           f"({format_rupiah(instalment.amount)})")
    if all(instalment.paid_at is not None for instalment in plan.instalments):
        last_paid = max(i.paid_at for i in plan.instalments if i.paid_at is not None)
        completed = _complete(plan, last_paid)
        notices.append(f"KK {kk}: REHAB plan completed, the card is active again")
    if not notices and amount:
        notices.append(f"KK {kk}: {format_rupiah(amount)} received on {_as_datetime(paid_at, family):%Y-%m-%d}, "
                       f"not yet a whole REHAB instalment")
    for notice in notices:
        log.info(notice)
    return completed


def money_received(session: Session, family: Family, plan: RehabPlan) -> int:
    """The money the plan has received so far (the family's payments since the day of enrolment)."""
    return sum(payment.amount for payment in _payments_since_enrolment(session, family, plan))


def _payments_since_enrolment(session: Session, family: Family, plan: RehabPlan) -> list[Payment]:
    zone = zone_for_region(family.region_code)
    first_day = plan.enrolled_at.astimezone(zone).date()
    start = datetime.combine(first_day, time(), zone)
    return list(session.execute(
        select(Payment).where(Payment.family_id == family.id, Payment.paid_at >= start)
        .order_by(Payment.paid_at, Payment.id)
    ).scalars())


def _complete(plan: RehabPlan, at: datetime) -> PlanCompleted:
    """The last instalment is paid: the plan is done."""
    plan.status = COMPLETED
    plan.completed_at = at
    return PlanCompleted(plan.id, plan.family_id, at)


def _as_datetime(moment: datetime | date, family: Family) -> datetime:
    """A payment dated by the day only is taken at the start of that day, in the family's zone."""
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.combine(moment, time(), zone_for_region(family.region_code))
