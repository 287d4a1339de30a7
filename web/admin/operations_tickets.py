"""The ticket queue: members' complaints (KELUHAN), registration requests and REHAB follow-ups, which staff
answer or close. The answer reaches the member exactly as a cadre's `JAWAB` does (handlers.cadre.settle_ticket,
through the outbox), and every answer is written to the audit log with who and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers.cadre import settle_ticket
from models import AuditEntry, Cadre, Family, Ticket
from rules.identifiers import mask_identifier
from web.admin.operations_scope import Scope

STATUSES = ("open", "answered", "closed")
PAGE = 200
MAX_ANSWER = 1000  # as a member's complaint: a phone screen or two


class TicketError(ValueError):
    """A ticket staff cannot answer: unknown, outside their team, or an empty answer."""


@dataclass(frozen=True)
class TicketRow:
    """One ticket in the queue: the member's words, the family masked, the cadre it went to."""

    number: str
    kind: str
    status: str
    created_at: datetime
    updated_at: datetime | None
    family: str  # masked KK number, or "-"
    region_code: str
    cadre: str  # "KDR-SKA-01 Sri Wahyuni", or "-"
    text: str
    answer: str


def ticket_counts(session: Session, scope: Scope) -> dict[str, int]:
    """How many tickets are open, answered and closed within the scope."""
    found = dict(session.execute(select(Ticket.status, func.count(Ticket.id))
                                 .where(scope.sees_cadre(Ticket.cadre_id)).group_by(Ticket.status)).all())
    return {status: int(found.get(status, 0)) for status in STATUSES}


def ticket_rows(session: Session, scope: Scope, status: str, limit: int = PAGE) -> list[TicketRow]:
    """The tickets of one status, oldest open first (newest first once answered or closed)."""
    if not scope.personal:
        return []
    order = Ticket.created_at.asc() if status == "open" else func.coalesce(Ticket.updated_at, Ticket.created_at).desc()
    query = (select(Ticket, Family.number, Cadre.code, Cadre.name)
             .outerjoin(Family, Family.id == Ticket.family_id).outerjoin(Cadre, Cadre.id == Ticket.cadre_id)
             .where(Ticket.status == status, scope.sees_cadre(Ticket.cadre_id)).order_by(order, Ticket.id)
             .limit(limit))
    return [TicketRow(ticket.number, ticket.kind, ticket.status, ticket.created_at, ticket.updated_at,
                      mask_identifier(family) if family else "-", ticket.region_code or "-",
                      f"{code} {name}" if code else "-", ticket.text, ticket.answer or "")
            for ticket, family, code, name in session.execute(query)]


@dataclass(frozen=True)
class Settled:
    """A ticket answered or closed: its number, and the outbox row telling the member (None: chat erased)."""

    number: str
    outbox_id: int | None


def answer_ticket(session: Session, scope: Scope, number: str, message: str, *, close: bool, actor: str,
                  now: datetime) -> Settled:
    """Answer (or close) a ticket as the branch office: the member is told in their chat, the audit log keeps
    who did it. TicketError when the ticket is unknown or outside the scope, or an answer is empty."""
    ticket = session.scalar(select(Ticket).where(Ticket.number == number.strip().upper()))
    if ticket is None or not scope.personal or not scope.allows(ticket.cadre_id):
        raise TicketError(f"ticket {number} is not in your queue")
    message = " ".join(message.split())[:MAX_ANSWER]
    if not close and not message:
        raise TicketError("write the answer before sending it")
    row = settle_ticket(session, ticket, message=message, close=close, by="", now=now, staff=True)
    session.add(AuditEntry(at=now, actor=actor[:80], action="close_ticket" if close else "answer_ticket",
                           family_id=ticket.family_id, detail=ticket.number))
    session.flush()
    return Settled(ticket.number, row.id if row is not None else None)
