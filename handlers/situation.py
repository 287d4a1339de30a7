"""A family's situation for one step, read once: arrears today, its REHAB plan, and what it has to pay next.

CEK, BAYAR, JANJI and REHAB all start from `read_situation(turn, family)`, so each step reads the rates,
the members and the plan once (issue 7), and every journey tells a family the same figure: the next
instalment for a family on a plan, the reactivation bill for a suspended one, the arrears for one still
active, the next month's dues (and when) for one that owes nothing yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from bot.conversation import Turn
from handlers.context import family_today, rules_of
from handlers.texts import date_text, month_text, text
from models import Family, Member
from models.fieldwork import RehabPlan
from models.ledger import family_arrears
from models.rehab_plans import PlanStatus, active_plan, money_received, plan_status
from rules.arrears import FamilyArrears
from rules.display import format_rupiah
from rules.months import add_months
from rules.programme import ProgrammeRules
from rules.rehab import RehabEligibility, rehab_eligibility
from rules.segments import payer_of

# What a family has to pay now, by kind (`Situation.to_pay`).
OVERDUE = "overdue"  # REHAB instalments past their due date
INSTALMENT = "instalment"  # the next REHAB instalment
REACTIVATE = "reactivate"  # suspended: the arrears (and this month) bring the card back
ARREARS = "arrears"  # still active, but a month is past its due date
OLD_ARREARS = "old_arrears"  # moved to a segment others pay, with arrears from when they paid themselves
DUES = "dues"  # nothing late: the next month's dues, by its due date
NOTHING = "nothing"  # nothing at all (moved, no old arrears)


@dataclass(frozen=True, slots=True)
class ToPay:
    """What a family has to pay now: its kind (OVERDUE ... NOTHING), the amount, by when."""

    kind: str
    amount: int  # what is still to pay for it (money already received towards an instalment taken off)
    due_on: date | None  # by when (instalments, dues); None when already late or nothing is due


@dataclass(frozen=True, slots=True)
class Situation:
    """A family's situation for one step (read_situation): arrears, plan and what to pay."""

    family: Family
    today: date
    rules: ProgrammeRules
    arrears: FamilyArrears
    plan: RehabPlan | None
    progress: PlanStatus | None  # the plan's instalments on `today`
    toward_next: int  # money received for the plan beyond its paid instalments: part of the next one

    @property
    def holder(self) -> Member:
        """The account holder (the head, or the first member): whose card the VA follows."""
        holder = self.family.account_holder
        assert holder is not None  # a verified family has the member who verified it
        return holder

    @property
    def payer(self) -> str:
        """Who pays the family's monthly dues: self / employer / government / other (the holder's segment)."""
        return "self" if self.arrears.pays_own_dues else payer_of(self.holder.segment)

    def eligibility(self) -> RehabEligibility:
        """Whether the family may enrol in REHAB today, and with how many instalments."""
        return rehab_eligibility(self.arrears, self.holder.segment, self.today, self.plan is not None, self.rules)

    def to_pay(self) -> ToPay:
        """What to pay now, the first that applies: overdue instalments, the next instalment, the reactivation
        bill, the arrears, old arrears, the next month's dues; else nothing."""
        arrears, progress = self.arrears, self.progress
        if progress is not None:
            overdue = progress.overdue
            if overdue:
                return ToPay(OVERDUE, max(sum(i.amount for i in overdue) - self.toward_next, 0), None)
            upcoming = progress.next_unpaid
            if upcoming is not None:
                return ToPay(INSTALMENT, max(upcoming.amount - self.toward_next, 0), upcoming.due_on)
        if arrears.reactivation_amount:
            return ToPay(REACTIVATE, arrears.reactivation_amount, None)
        if arrears.total and arrears.pays_own_dues:
            return ToPay(ARREARS, arrears.total, None)
        if arrears.total:
            return ToPay(OLD_ARREARS, arrears.total, None)
        if arrears.next_dues and arrears.next_month is not None:
            return ToPay(DUES, arrears.next_dues, arrears.next_due_on)
        return ToPay(NOTHING, 0, None)

    @property
    def paid_this_month(self) -> bool:
        """Nothing late and this month's dues paid already: the next dues are a later month's."""
        next_month = self.arrears.next_month
        return next_month is not None and next_month > self.arrears.current_month


def read_situation(turn: Turn, family: Family) -> Situation:
    """The family's situation on its own local date: one read of the rates, the members and the plan."""
    return situation_of(turn.session, family, family_today(turn, family), rules_of(turn))


def situation_of(session: Session, family: Family, today: date, rules: ProgrammeRules) -> Situation:
    """The family's situation on `today` (its local date): what the chat and the dashboard both show."""
    arrears = family_arrears(session, family, today, rules)
    plan = active_plan(session, family)
    progress = plan_status(plan, today) if plan is not None else None
    toward_next = 0
    if plan is not None and progress is not None:
        toward_next = max(money_received(session, family, plan) - progress.paid_amount, 0)
    return Situation(family, today, rules, arrears, plan, progress, toward_next)


def pay_lines(situation: Situation, language: str) -> list[str]:
    """What the family has to pay now, in words (BAYAR, CEK for a family on a plan, JANJI with nothing owed)."""
    due, arrears, progress = situation.to_pay(), situation.arrears, situation.progress
    lines = []
    if due.kind == OVERDUE and progress is not None:
        overdue = progress.overdue
        lines.append(text("pay.overdue", language, count=len(overdue),
                          amount=format_rupiah(sum(item.amount for item in overdue))))
    elif due.kind == INSTALMENT and progress is not None and progress.next_unpaid is not None:
        upcoming = progress.next_unpaid
        lines.append(text("pay.instalment", language, sequence=upcoming.sequence, count=len(progress.instalments),
                          amount=format_rupiah(upcoming.amount), due=date_text(upcoming.due_on, language)))
    elif due.kind == REACTIVATE:
        lines.append(text("pay.reactivate", language, amount=format_rupiah(due.amount)))
    elif due.kind == ARREARS:
        lines.append(text("pay.arrears", language, amount=format_rupiah(due.amount), months=arrears.counted_months))
    elif due.kind == OLD_ARREARS:
        lines.append(text("pay.old_arrears", language, amount=format_rupiah(due.amount)))
    elif due.kind == DUES and arrears.next_month is not None and due.due_on is not None:
        if situation.paid_this_month:
            lines.append(text("pay.paid_up", language, month=month_text(add_months(arrears.next_month, -1), language)))
        lines.append(text("pay.dues", language, month=month_text(arrears.next_month, language),
                          amount=format_rupiah(due.amount), due=date_text(due.due_on, language)))
    else:
        lines.append(text("pay.nothing", language, payer=payer_text(situation, language)))
    if due.kind in (OVERDUE, INSTALMENT) and situation.toward_next:
        lines.append(text("pay.toward", language, received=format_rupiah(situation.toward_next),
                          amount=format_rupiah(due.amount)))
    return lines


def payer_text(situation: Situation, language: str) -> str:
    """Who pays the family's monthly dues, in words: "pemberi kerja", "pemerintah", ..."""
    return payer_words(situation.payer, language)


def payer_words(payer: str, language: str) -> str:
    """A payer (rules.segments.payer_of: employer / government / other) in words."""
    return text(f"payer.{payer if payer in ('employer', 'government') else 'other'}", language)
