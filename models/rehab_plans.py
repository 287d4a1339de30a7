"""REHAB plans on the database: enrol a family, read a plan's status, follow payments, find missed instalments.

Receives the caller's Session and never opens, commits or rolls one back. The rules that decide who may
enrol and what the instalments are live in models.arrears (pure); this module stores and reads them.

How a plan follows the money (the rule, decided here):
- The money received for a plan is the family's payments (Payment rows) dated on or after the local day of
  enrolment. Bank files date payments by the day, and a payment made right after enrolling at the same ATM
  visit must count; the price is that a payment made earlier on the enrolment day, and imported before the
  member enrolled, would count twice. Imports arrive after the day, so that case should not occur.
- Instalments are paid in order: instalment k is paid once the money received covers instalments 1..k
  together (a partial payment is not lost, it adds up with the next one; paying two at once pays two). Its
  `paid_at` is the moment of the payment that completed that cover. A paid instalment is never unpaid again.
- The plan completes when its last instalment is paid; the family's linked chats then get one notice that
  the card is active again.
- Progress is recomputed from the Payment rows on every call, so calling twice changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import outbox
from bot.messages import Outgoing
from models import Chat, ChatFamily, Family, Payment, RehabInstalment, RehabPlan, Ticket
from models.arrears import FamilyArrears, Instalment, format_rupiah, mask_identifier, virtual_accounts
from models.people import Assignment
from models.promises import promised_until
from models.regions import zone_for_region

log = logging.getLogger(__name__)

ACTIVE, COMPLETED = "active", "completed"
PAID, DUE, OVERDUE = "paid", "due", "overdue"

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
    return session.execute(
        select(RehabPlan).where(RehabPlan.family_id == family.id, RehabPlan.status == COMPLETED)
        .order_by(RehabPlan.id.desc())
    ).scalars().first()


@dataclass(frozen=True, slots=True)
class InstalmentStatus:
    sequence: int
    due_on: date
    amount: int
    state: str  # paid / due (not yet past its due date) / overdue (past its due date, unpaid)
    paid_at: datetime | None


@dataclass(frozen=True, slots=True)
class PlanStatus:
    plan_id: int
    instalments: list[InstalmentStatus]
    total: int  # the sum of all instalments
    paid_amount: int  # the sum of the paid ones

    @property
    def paid_count(self) -> int:
        return sum(1 for i in self.instalments if i.state == PAID)

    @property
    def overdue(self) -> list[InstalmentStatus]:
        return [i for i in self.instalments if i.state == OVERDUE]

    @property
    def next_unpaid(self) -> InstalmentStatus | None:
        return next((i for i in self.instalments if i.state != PAID), None)

    @property
    def remaining(self) -> int:
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
    """Store a plan with its instalments (from models.arrears.rehab_schedule). The caller has checked
    eligibility; this refuses only a second active plan, which would split one family's money in two."""
    if not schedule:
        raise ValueError("a REHAB plan needs its instalments")
    if active_plan(session, family) is not None:
        raise AlreadyEnrolled(f"family {family.id} already has an active REHAB plan")
    plan = RehabPlan(family_id=family.id, status=ACTIVE, months_in_arrears=arrears.months_in_arrears,
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


def apply_payment_to_plan(session: Session, family: Family, amount: int, paid_at: datetime | date) -> list[str]:
    """Mark the instalments the money received since enrolment now covers, and complete the plan when the last
    one is paid (see the module's rule). Returns notices for the operator (identifiers masked).

    Call it after the payment is in the session as a Payment row (the ledger's `apply_payment_to_family`,
    which the payment import calls for every new payment, does). `amount` and `paid_at` describe that payment
    for the notices; the progress itself comes from the Payment rows, so a repeated call changes nothing.
    """
    plan = active_plan(session, family)
    if plan is None:
        return []
    payments = _payments_since_enrolment(session, family, plan)
    kk = mask_identifier(family.number)
    notices = []
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
        _complete(session, family, plan, last_paid)
        notices.append(f"KK {kk}: REHAB plan completed, the card is active again")
    if not notices and amount:
        notices.append(f"KK {kk}: {format_rupiah(amount)} received on {_as_datetime(paid_at, family):%Y-%m-%d}, "
                       f"not yet a whole REHAB instalment")
    for notice in notices:
        log.info(notice)
    return notices


def _payments_since_enrolment(session: Session, family: Family, plan: RehabPlan) -> list[Payment]:
    zone = zone_for_region(family.region_code)
    first_day = plan.enrolled_at.astimezone(zone).date()
    start = datetime.combine(first_day, time(), zone)
    return list(session.execute(
        select(Payment).where(Payment.family_id == family.id, Payment.paid_at >= start)
        .order_by(Payment.paid_at, Payment.id)
    ).scalars())


def _complete(session: Session, family: Family, plan: RehabPlan, at: datetime) -> None:
    """The last instalment is paid: the plan is done, and every chat linked to the family hears it once."""
    text = _catalogue()
    plan.status = COMPLETED
    plan.completed_at = at
    for chat in _family_chats(session, family):
        message = Outgoing(text("rehab.card_active", chat.language))
        _queue_once(session, chat, message, at, f"rehab-completed:{plan.id}:{chat.id}")


def _family_chats(session: Session, family: Family) -> list[Chat]:
    return list(session.execute(
        select(Chat).join(ChatFamily, ChatFamily.chat_id == Chat.id)
        .where(ChatFamily.family_id == family.id).order_by(Chat.id)
    ).scalars())


def _queue_once(session: Session, chat: Chat, message: Outgoing, now: datetime, dedupe_key: str) -> bool:
    """Queue a notice unless one with this key was queued before (by this run or another machine's)."""
    try:
        with session.begin_nested():
            outbox.queue(session, channel=chat.channel, address=chat.address, message=message, now=now,
                         chat_id=chat.id, kind="notice", dedupe_key=dedupe_key)
    except IntegrityError:
        return False
    return True


def _as_datetime(moment: datetime | date, family: Family) -> datetime:
    """A payment dated by the day only is taken at the start of that day, in the family's zone."""
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.combine(moment, time(), zone_for_region(family.region_code))


# --- missed instalments ----------------------------------------------------------------------------------


def overdue_instalments(session: Session, on: date) -> list[RehabInstalment]:
    """Unpaid instalments of active plans whose due date has passed by `on`, oldest first."""
    return list(session.execute(
        select(RehabInstalment).join(RehabPlan, RehabPlan.id == RehabInstalment.plan_id)
        .where(RehabPlan.status == ACTIVE, RehabInstalment.paid_at.is_(None), RehabInstalment.due_on < on)
        .order_by(RehabInstalment.due_on, RehabInstalment.id)
    ).scalars())


def remind_overdue(session: Session, on: date, now: datetime) -> list[str]:
    """For every overdue instalment, once: remind the family's linked chats (unless they said STOP) and tell
    the family's cadre.

    What the cadre gets: a ticket numbered R-<instalment id> (kind "rehab", answered or closed with the
    cadre's JAWAB / TUTUP, and the answer reaches the chat that enrolled), plus a message to every chat the
    cadre uses, when there is one. A family without a cadre still gets the ticket, for branch staff. The
    reminder names no penalty (no public rule says there is one) and points to Care Center 165. The
    unique outbox keys and ticket numbers make a second run, on any machine, send nothing more.

    The reminders planner decides when to call this (daily, inside send windows); WhatsApp outside the
    24-hour window needs a template, which is the sender's business, not this function's.
    """
    text, date_text = _catalogue(), _date_text()
    notices = []
    for instalment in overdue_instalments(session, on):
        plan = instalment.plan
        family = session.get(Family, plan.family_id)
        if family is None:
            continue
        accounts = _virtual_accounts(family)
        values = {"sequence": instalment.sequence, "amount": format_rupiah(instalment.amount),
                  "va": accounts.get("BRI", "-"), "va_mandiri": accounts.get("Mandiri", "-")}
        # A promise to pay pauses the family's reminders until its date; the cadre is still told.
        paused = promised_until(session, family.id, on) is not None
        for chat in [] if paused else _family_chats(session, family):
            if chat.reminders_stopped_at is not None:
                continue
            message = Outgoing(text("rehab.overdue_reminder", chat.language, **values,
                                    due=date_text(instalment.due_on, chat.language)))
            _queue_once(session, chat, message, now, f"rehab-overdue:{instalment.id}:{chat.id}")
        ticket_number = f"R-{instalment.id:06d}"
        exists = session.execute(select(Ticket.id).where(Ticket.number == ticket_number)).first()
        if exists:
            continue
        assignment = session.get(Assignment, family.id)
        cadre_id = assignment.cadre_id if assignment else None
        head = family.head
        cadre_values = {**values, "ticket": ticket_number, "family": mask_identifier(family.number),
                        "name": head.name if head else "-"}
        session.add(Ticket(number=ticket_number, kind="rehab", chat_id=plan.chat_id, family_id=family.id,
                           cadre_id=cadre_id, region_code=family.region_code,
                           text=text("rehab.overdue_to_cadre", "id", **cadre_values,
                                     due=date_text(instalment.due_on, "id")),
                           status="open", created_at=now))
        if cadre_id is not None:
            cadre_chats = session.execute(select(Chat).where(Chat.cadre_id == cadre_id)).scalars().all()
            for chat in cadre_chats:
                message = Outgoing(text("rehab.overdue_to_cadre", chat.language, **cadre_values,
                                        due=date_text(instalment.due_on, chat.language)))
                _queue_once(session, chat, message, now, f"rehab-overdue:{instalment.id}:cadre:{chat.id}")
        notices.append(f"KK {mask_identifier(family.number)}: REHAB instalment {instalment.sequence} overdue, "
                       f"ticket {ticket_number}")
    session.flush()
    return notices


def _virtual_accounts(family: Family) -> dict[str, str]:
    holder = family.account_holder
    return virtual_accounts(holder.card_number) if holder else {}


# The texts members and cadres read live in the one catalogue (handlers/texts.py). Imported when needed, as
# importing the handlers package at load time would import this module again through the handlers.
def _catalogue() -> Callable[..., str]:
    from handlers.texts import text

    return text


def _date_text() -> Callable[[date, str], str]:
    from handlers.texts import date_text

    return date_text
