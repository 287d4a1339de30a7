"""REHAB notices: the missed-instalment reminder (to the family and its cadre) and the plan-completed notice.

Worded from the one catalogue (handlers/texts/) and queued in the outbox; unique outbox keys and ticket
numbers make a second run, on any machine, send nothing more.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import outbox
from bot.messages import Outgoing
from handlers.families import head_first_name
from handlers.recipients import NOWHERE_ELSE, Reach, notify_cadre
from handlers.situation import payer_words
from handlers.texts import date_text, text
from models import Cadre, Chat, ChatFamily, Family, RehabInstalment, RehabPlan, Ticket
from models.people import Assignment
from models.promises import promised_until
from models.rehab_plans import ACTIVE, PlanCompleted
from rules.display import format_rupiah
from rules.identifiers import mask_identifier, virtual_accounts
from rules.segments import payer_of, pays_own_dues


def notify_plan_completed(session: Session, event: PlanCompleted) -> None:
    """Every chat linked to the family hears once that the plan is paid: a self-paying family that its card
    is active again (and to pay by the 10th to keep it so); a family that moved to a segment others pay (REHAB
    2.0, old arrears only) that its old arrears are settled: its card never stopped and it owes no dues."""
    family = session.get(Family, event.family_id)
    if family is None:
        return
    moved = not any(pays_own_dues(member.segment) for member in family.members)
    holder = family.account_holder
    payer = payer_of(holder.segment) if holder else "other"
    for chat in _family_chats(session, family):
        if moved:
            body = text("rehab.old_arrears_settled", chat.language, payer=payer_words(payer, chat.language))
        else:
            body = text("rehab.card_active", chat.language)
        message = Outgoing(_naming_family(session, chat, family, body))
        _queue_once(session, chat, message, event.at, f"rehab-completed:{event.plan_id}:{chat.id}")


def _family_chats(session: Session, family: Family) -> list[Chat]:
    return list(session.execute(
        select(Chat).join(ChatFamily, ChatFamily.chat_id == Chat.id)
        .where(ChatFamily.family_id == family.id).order_by(Chat.id)
    ).scalars())


def _naming_family(session: Session, chat: Chat, family: Family, body: str) -> str:
    """A phone linked to several families is told which family a notice is about (head's first name, masked KK)."""
    families = session.execute(select(func.count(ChatFamily.id)).where(ChatFamily.chat_id == chat.id)).scalar_one()
    if families < 2:
        return body
    named = text("identity.for_family", chat.language, name=head_first_name(family),
                 family=mask_identifier(family.number))
    return named + "\n" + body


def _queue_once(session: Session, chat: Chat, message: Outgoing, now: datetime, dedupe_key: str) -> bool:
    """Queue a notice unless one with this key was queued before (by this run or another machine's)."""
    try:
        with session.begin_nested():
            outbox.queue(session, channel=chat.channel, address=chat.address, message=message, now=now,
                         chat_id=chat.id, kind="notice", dedupe_key=dedupe_key)
    except IntegrityError:
        return False
    return True


def overdue_instalments(session: Session, on: date) -> list[RehabInstalment]:
    """Unpaid instalments of active plans whose due date has passed by `on`, oldest first."""
    return list(session.execute(
        select(RehabInstalment).join(RehabPlan, RehabPlan.id == RehabInstalment.plan_id)
        .where(RehabPlan.status == ACTIVE, RehabInstalment.paid_at.is_(None), RehabInstalment.due_on < on)
        .order_by(RehabInstalment.due_on, RehabInstalment.id)
    ).scalars())


def remind_overdue(session: Session, on: date, now: datetime,
                   reach: Reach = NOWHERE_ELSE) -> list[str]:
    """For every overdue instalment, once: remind the family's linked chats (unless they said STOP) and tell
    the family's cadre.

    What the cadre gets: a ticket numbered R-<instalment id> (kind "rehab", answered or closed with the
    cadre's JAWAB / TUTUP, and the answer reaches the chat that enrolled), plus a message to every chat the
    cadre uses and, when `reach` includes WhatsApp, to their phone in the cadres file. A family
    without a cadre still gets the ticket, for branch staff. The reminder names no penalty (no public rule
    says there is one) and points to Care Center 165. The unique outbox keys and ticket numbers make a
    second run, on any machine, send nothing more.

    The reminders planner decides when to call this (daily, inside send windows); WhatsApp outside the
    24-hour window needs a template, which is the sender's business, not this function's.
    """
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
            message = Outgoing(_naming_family(session, chat, family, text(
                "rehab.overdue_reminder", chat.language, **values, due=date_text(instalment.due_on, chat.language))))
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
        cadre = session.get(Cadre, cadre_id) if cadre_id is not None else None
        if cadre is not None:  # every chat the cadre uses, and their phone on WhatsApp even if they never wrote
            notify_cadre(session, cadre, now, reach, "rehab.overdue_to_cadre",
                         {**cadre_values, "due": instalment.due_on},  # worded in each chat's language
                         dedupe=f"rehab-overdue:{instalment.id}:cadre")
        notices.append(f"KK {mask_identifier(family.number)}: REHAB instalment {instalment.sequence} overdue, "
                       f"ticket {ticket_number}")
    session.flush()
    return notices


def _virtual_accounts(family: Family) -> dict[str, str]:
    holder = family.account_holder
    return virtual_accounts(holder.card_number) if holder else {}
