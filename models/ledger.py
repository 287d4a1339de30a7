"""The arrears engine on the database: read rates and members into plain data, write a payment back.

A thin adapter: it receives the caller's Session (whose lifetime belongs to the edge) and never opens,
commits or rolls one back; the rules themselves live in rules/ (pure).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.people import DuesRate, Family
from rules.arrears import FamilyArrears, MemberDues, PaymentApplication, RateTable, apply_payment, arrears_for
from rules.programme import DEFAULT_RULES, ProgrammeRules
from rules.segments import billed_until


def rate_table(session: Session) -> RateTable:
    """Every dues rate in the database (a new rate is a new row, never a code change)."""
    rows = session.execute(select(DuesRate.class_, DuesRate.effective_from, DuesRate.amount))
    return RateTable((klass, effective_from, amount) for klass, effective_from, amount in rows)


def family_dues(family: Family) -> list[MemberDues]:
    """The family's members as the arrears engine reads them (a moved member billed only their old months)."""
    return [
        MemberDues(
            member_id=member.id,
            card_number=member.card_number,
            name=member.name,
            klass=member.class_,
            segment=member.segment,
            relation=member.relation,
            paid_through=member.paid_through,
            billed_until=billed_until(member.segment, member.own_dues_until, member.paid_through),
        )
        for member in family.members
    ]


def family_arrears(
    session: Session,
    family: Family,
    on: date,
    rules: ProgrammeRules = DEFAULT_RULES,
    rates: RateTable | None = None,
) -> FamilyArrears:
    """The family's arrears on `on`. Pass `rates` to reuse one table across many families in a batch."""
    return arrears_for(family_dues(family), rates or rate_table(session), on, rules)


def apply_payment_to_family(
    session: Session,
    family: Family,
    amount: int,
    on: date,
    rules: ProgrammeRules = DEFAULT_RULES,
    rates: RateTable | None = None,
) -> PaymentApplication:
    """Apply a payment to the family: moves each member's paid_through and sets the family's credit.

    The changes stay in the session for the caller to commit with whatever else the request records.
    """
    if any(member.id is None for member in family.members):
        session.flush()  # payments are keyed by member id; flushing is not committing
    application = apply_payment(
        family_dues(family), amount, family.credit, rates or rate_table(session), on, rules
    )
    for member in family.members:
        member.paid_through = application.paid_through[member.id]
    family.credit = application.credit
    return application
