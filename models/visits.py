"""Visit reports on the database: the household a cadre typed, whether they may report it, recording once,
cancelling, reconciling BAYAR reports with imported payments, and the figures TUGAS and REKAP read.

Receives the caller's Session and never commits; sends nothing (handlers and reminders do).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.fieldwork import Promise, RehabPlan, Visit
from models.people import Assignment, Cadre, Family, Member, Payment
from models.rehab_plans import ACTIVE

BAYAR = "BAYAR"
REPORTED, CONFIRMED = "reported", "confirmed"
# A member may have paid a few days before the cadre came and shown the proof: that payment still confirms.
PAID_BEFORE_VISIT = timedelta(days=7)


def household_for(session: Session, number: str) -> Family | None:
    """The family of a card number (13 digits), a KK number, or a NIK (16 digits)."""
    if len(number) == 13:
        member = session.scalars(select(Member).where(Member.card_number == number)).first()
        return member.family if member else None
    if len(number) == 16:
        family = session.scalars(select(Family).where(Family.number == number)).first()
        if family is not None:
            return family
        member = session.scalars(select(Member).where(Member.nik == number)).first()
        return member.family if member else None
    return None


def may_report(session: Session, cadre: Cadre, family: Family) -> bool:
    """A household on the cadre's list, or one in the cadre's own area that nobody has on their list."""
    assignment = session.get(Assignment, family.id)
    if assignment is not None:
        return assignment.cadre_id == cadre.id
    return family.region_code == cadre.region_code


def visited_at(visit: Visit) -> datetime:
    """When the visit happened (older rows have only the moment it was reported)."""
    return visit.visited_at or visit.reported_at


def record_visit(session: Session, visit: Visit) -> tuple[Visit, bool]:
    """Store a report unless this cadre sent the same one before: (the report kept, whether it is new).

    The unique (cadre, source key) decides, so a resend handled by another worker at the same moment is
    still recorded once.
    """
    same = select(Visit).where(Visit.cadre_id == visit.cadre_id, Visit.source_key == visit.source_key)
    earlier = session.scalars(same).first()
    if earlier is not None:
        return earlier, False
    try:
        with session.begin_nested():
            session.add(visit)
    except IntegrityError:
        return session.scalars(same).one(), False
    return visit, True


def last_report(session: Session, cadre_id: int, since: datetime) -> Visit | None:
    """The cadre's latest report still standing, made at or after `since` (the start of their day)."""
    return session.scalars(
        select(Visit).where(Visit.cadre_id == cadre_id, Visit.cancelled_at.is_(None), Visit.reported_at >= since)
        .order_by(Visit.reported_at.desc(), Visit.id.desc()).limit(1)
    ).first()


def cancel_visit(session: Session, visit: Visit, now: datetime) -> None:
    """BATAL (or the first half of UBAH): the row stays, marked cancelled; its source key is freed so the
    report can be sent again; a promise it made no longer pauses reminders."""
    visit.cancelled_at = now
    visit.source_key = f"{visit.source_key}~{visit.id}"[:80]
    if visit.promise_id is not None:
        promise = session.get(Promise, visit.promise_id)
        visit.promise_id = None
        if promise is not None:
            session.delete(promise)


def reconcile_family(session: Session, family_id: int) -> list[Visit]:
    """Confirm the family's reported BAYAR reports with payments not yet used by another report: a payment
    made at most a week before the visit, or after it, of at least the amount reported. Oldest first."""
    reports = list(session.scalars(
        select(Visit).where(Visit.family_id == family_id, Visit.result == BAYAR, Visit.status == REPORTED,
                            Visit.cancelled_at.is_(None))
        .order_by(func.coalesce(Visit.visited_at, Visit.reported_at), Visit.id)))
    if not reports:
        return []
    used = set(session.scalars(select(Visit.payment_id).where(Visit.payment_id.is_not(None),
                                                               Visit.cancelled_at.is_(None))))
    payments = list(session.scalars(select(Payment).where(Payment.family_id == family_id)
                                    .order_by(Payment.paid_at, Payment.id)))
    confirmed = []
    for report in reports:
        for payment in payments:
            if payment.id in used or payment.paid_at < visited_at(report) - PAID_BEFORE_VISIT:
                continue
            if report.amount is not None and payment.amount < report.amount:
                continue
            report.status, report.payment_id = CONFIRMED, payment.id
            used.add(payment.id)
            confirmed.append(report)
            break
    return confirmed


def pending_rehab_invitations(session: Session, family_ids: Iterable[int], since: datetime) -> list[Visit]:
    """REHAB reports since `since` whose family has not written since (the next message starts REHAB)."""
    ids = list(family_ids)
    if not ids:
        return []
    return list(session.scalars(
        select(Visit).where(Visit.family_id.in_(ids), Visit.result == "REHAB", Visit.cancelled_at.is_(None),
                            Visit.followed_up_at.is_(None), Visit.reported_at >= since)
        .order_by(Visit.id)))


# --- what TUGAS and REKAP read -------------------------------------------------------------------------------


def _visited_between(first: datetime, last: datetime) -> ColumnElement[bool]:
    moment = func.coalesce(Visit.visited_at, Visit.reported_at)
    return (moment >= first) & (moment < last) & Visit.cancelled_at.is_(None)


def households_visited(session: Session, cadre_id: int, first: datetime, last: datetime) -> int:
    """How many households the cadre visited from `first` until before `last` (twice counts once)."""
    rows = session.execute(select(Visit.family_id, Visit.household).distinct()
                           .where(Visit.cadre_id == cadre_id, _visited_between(first, last))).all()
    return len({family_id if family_id is not None else household for family_id, household in rows})


def collections(session: Session, cadre_id: int, first: datetime, last: datetime) -> dict[str, tuple[int, int]]:
    """BAYAR amounts reported in the span, by status: {"reported": (rupiah, reports), "confirmed": ...}."""
    rows = session.execute(
        select(Visit.status, func.coalesce(func.sum(Visit.amount), 0), func.count(Visit.id))
        .where(Visit.cadre_id == cadre_id, Visit.result == BAYAR, Visit.amount.is_not(None),
               _visited_between(first, last))
        .group_by(Visit.status)).all()
    found = {status: (int(total or 0), int(count)) for status, total, count in rows}
    return {REPORTED: found.get(REPORTED, (0, 0)), CONFIRMED: found.get(CONFIRMED, (0, 0))}


def unconfirmed_before(session: Session, cadre_ids: Iterable[int], before: datetime,
                       unflagged_only: bool = False) -> list[Visit]:
    """BAYAR reports of these cadres visited before `before` that no payment has confirmed yet."""
    ids = list(cadre_ids)
    if not ids:
        return []
    query = select(Visit).where(Visit.cadre_id.in_(ids), Visit.result == BAYAR, Visit.status == REPORTED,
                                Visit.cancelled_at.is_(None),
                                func.coalesce(Visit.visited_at, Visit.reported_at) < before)
    if unflagged_only:
        query = query.where(Visit.flagged_at.is_(None))
    return list(session.scalars(query.order_by(Visit.id)))


def last_visits(session: Session, family_ids: Iterable[int]) -> dict[int, datetime]:
    """The latest visit (by any cadre) of each family."""
    ids = list(family_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Visit.family_id, func.max(func.coalesce(Visit.visited_at, Visit.reported_at)))
        .where(Visit.family_id.in_(ids), Visit.cancelled_at.is_(None)).group_by(Visit.family_id)).all()
    return {family_id: moment for family_id, moment in rows if family_id is not None}


def latest_promises(session: Session, family_ids: Iterable[int]) -> dict[int, date]:
    """The latest promise date of each family that made one."""
    ids = list(family_ids)
    if not ids:
        return {}
    rows = session.execute(select(Promise.family_id, func.max(Promise.promised_on))
                           .where(Promise.family_id.in_(ids)).group_by(Promise.family_id)).all()
    return {family_id: promised for family_id, promised in rows}


def families_in_plans(session: Session, family_ids: Iterable[int]) -> set[int]:
    """Which of these families pay through an active REHAB plan."""
    ids = list(family_ids)
    if not ids:
        return set()
    return set(session.scalars(select(RehabPlan.family_id).where(RehabPlan.family_id.in_(ids),
                                                                 RehabPlan.status == ACTIVE)))


def team_of(session: Session, supervisor: Cadre) -> list[Cadre]:
    """The active cadres whose supervisor this cadre is."""
    return list(session.scalars(select(Cadre).where(Cadre.supervisor_id == supervisor.id, Cadre.active.is_(True))
                                .order_by(Cadre.code)))
