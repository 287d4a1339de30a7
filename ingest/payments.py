"""The payments file: each new payment recorded, applied to its family's months and to its REHAB plan."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, String, func, select, update
from sqlalchemy import Column as C
from sqlalchemy.orm import Session, selectinload, sessionmaker

from ingest import source as csv_files
from ingest.fields import parse_amount, parse_digits, parse_name, parse_paid_at
from ingest.source import CsvRow, CsvSource, ImportReport, among, checked_lines
from ingest.staging import Staging, temporary
from models.ledger import apply_payment_to_family, rate_table
from models.people import Family, Payment
from models.rehab_plans import apply_payment_to_plan
from models.visits import reconcile_family
from reminders.rehab_notices import notify_plan_completed
from rules.arrears import RateTable
from rules.programme import DEFAULT_RULES, ProgrammeRules
from rules.regions import zone_for_region

ROWS = temporary(
    "payment_rows",
    C("line", Integer, primary_key=True, autoincrement=False),
    C("reference", String(64), nullable=False),
    C("family", String(16), nullable=False),
    C("amount", BigInteger, nullable=False),
    C("paid_at", DateTime(timezone=True), nullable=False),
    C("channel", String(40), nullable=False),
    C("first_line", Integer),  # set when an earlier line of the file has the same reference
)


def import_payments(sessions: sessionmaker[Session], source: CsvSource, report: ImportReport, today: date,
                     rules: ProgrammeRules) -> None:
    """New payments are recorded and applied to their family's months; a reference already known is not.

    The file's good lines are staged first, so that a reference repeated in the file is found by a query
    (memory stays flat however long the file); then payments are applied in file order, batch by batch, as
    each one moves the family's months from where the previous one left them."""
    parsers: dict[str, Callable[[str], Any]] = {
        "reference": lambda v: parse_name(v, "reference", 64),
        "family_number": lambda v: parse_digits(v, "family_number", 16),
        "amount": parse_amount,
        "paid_at": parse_paid_at,
        "channel": lambda v: " ".join(v.split())[:40],
    }
    with sessions() as session:
        rates = rate_table(session)

    def in_the_future(row: CsvRow, values: dict[str, Any]) -> list[str]:
        if "paid_at" in values and values["paid_at"].date() > today:
            return [f"paid_at {row.values['paid_at']} is in the future"]
        return []

    with Staging(sessions, ROWS) as staging:
        staging.load(ROWS, ((row.line, values["reference"], values["family_number"], values["amount"],
                             staging.timestamp(values["paid_at"]), values["channel"])
                            for row, values in checked_lines(source, parsers, report, in_the_future)),
                     ["line", "reference", "family", "amount", "paid_at", "channel"])
        with staging.reading() as connection:
            first = (select(ROWS.c.reference, func.min(ROWS.c.line).label("line")).group_by(ROWS.c.reference)
                     .having(func.count() > 1).subquery())
            connection.execute(update(ROWS).where(ROWS.c.reference == first.c.reference, ROWS.c.line > first.c.line)
                               .values(first_line=first.c.line))
            for line, reference, first_line in connection.execute(
                    select(ROWS.c.line, ROWS.c.reference, ROWS.c.first_line).where(ROWS.c.first_line.is_not(None))):
                report.reject(line, f"reference {reference} is also on line {first_line}: each payment must have "
                                    "its own reference")
        last = 0
        while True:
            with staging.reading() as connection:
                batch = connection.execute(
                    select(ROWS).where(ROWS.c.first_line.is_(None), ROWS.c.line > last).order_by(ROWS.c.line)
                    .limit(csv_files.BATCH_SIZE)).all()  # read here: tests set it
            if not batch:
                break
            last = batch[-1].line
            with sessions.begin() as session:
                record_batch(session, batch, report, rules, rates)


def record_batch(session: Session, batch: Sequence[Any], report: ImportReport, rules: ProgrammeRules,
                 rates: RateTable) -> None:
    """Staged lines in file order: a known reference is unchanged, an unknown family rejected, the rest recorded."""
    known = set(session.scalars(select(Payment.reference).where(
        among(session, Payment.reference, [row.reference for row in batch]))))
    families = {family.number: family for family in session.scalars(
        select(Family).where(among(session, Family.number, {row.family for row in batch}))
        .options(selectinload(Family.members)))}
    for row in batch:
        if row.reference in known:
            report.unchanged += 1
            continue
        family = families.get(row.family)
        if family is None:
            report.reject(row.line, f"family_number {row.family} is not in the database (import the members first)")
            continue
        paid_at = row.paid_at if row.paid_at.tzinfo else row.paid_at.replace(tzinfo=UTC)  # SQLite keeps no zone
        record_payment(session, family, row.reference, row.amount, paid_at, row.channel, rules, rates)
        report.inserted += 1


def record_payment(session: Session, family: Family, reference: str, amount: int, paid_at: datetime,
                   channel: str | None, rules: ProgrammeRules = DEFAULT_RULES, rates: RateTable | None = None) -> None:
    """One new payment: stored, applied to the family's months, then to its REHAB plan (the same money); a
    plan it completes is told to the family through reminders/; a cadre's BAYAR report it shows is confirmed."""
    session.add(Payment(reference=reference, family_id=family.id, amount=amount, paid_at=paid_at, channel=channel))
    reconcile_family(session, family.id)  # its query flushes the payment, which then has its id
    # Applied on the day the family's clock showed when they paid.
    on = paid_at.astimezone(zone_for_region(family.region_code)).date()
    apply_payment_to_family(session, family, amount, on, rules, rates)
    completed = apply_payment_to_plan(session, family, amount, on)
    if completed is not None:
        notify_plan_completed(session, completed)


# -------------------------------------------------------------------------------------------------- cadres
