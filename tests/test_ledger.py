"""The arrears engine on a real, migrated SQLite file: rates from dues_rates, payments written to members."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.db import make_engine, make_session_factory
from models.ledger import apply_payment_to_family, family_arrears, rate_table
from models.people import Family, Member
from models.schema import migrate

ON = date(2025, 11, 15)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    engine = make_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    migrate(engine)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def add_family(session: Session, paid_through: list[tuple[int, date]], credit: int = 0) -> Family:
    """A family in Surakarta with one member per (class, paid_through); the first is the head."""
    family = Family(number="3372011201080003", region_code="3372", credit=credit)
    relations = ["head", "spouse", "child", "child"]
    for n, (klass, paid) in enumerate(paid_through):
        family.members.append(Member(
            card_number=f"00019443589{11 + n}",
            nik=f"337201450890000{n}",
            name=f"Anggota {n + 1}",
            birth_date=date(1990, 8, 5),
            relation=relations[n],
            segment="PBPU",
            class_=klass,
            region_code="3372",
            paid_through=paid,
        ))
    session.add(family)
    session.commit()
    return family


def test_rates_come_from_the_migrated_table(session: Session) -> None:
    rates = rate_table(session)
    assert (rates.rate(1, date(2020, 2, 1)), rates.rate(2, date(2020, 5, 1)), rates.rate(3, ON)) == (
        160_000, 51_000, 35_000
    )


def test_family_arrears_from_the_database(session: Session) -> None:
    family = add_family(session, [(3, date(2025, 1, 1))] * 3)
    arrears = family_arrears(session, family, ON)
    assert (arrears.months_in_arrears, arrears.total, arrears.current_month_dues) == (10, 1_050_000, 105_000)
    assert arrears.coverage_active is False
    assert arrears.virtual_accounts["Mandiri"] == "8988801944358911"


def test_a_payment_moves_paid_through_and_keeps_the_change_as_credit(session: Session) -> None:
    family = add_family(session, [(1, date(2025, 8, 1)), (3, date(2025, 6, 1))], credit=10_000)
    # The child owes July and August alone (70.000); September costs the family 185.000.
    application = apply_payment_to_family(session, family, 250_000, ON)
    assert application.months_paid == 3
    assert application.credit == 10_000 + 250_000 - 70_000 - 185_000
    session.commit()

    session.expire_all()
    stored = session.scalars(select(Member).order_by(Member.id)).all()
    assert [m.paid_through for m in stored] == [date(2025, 9, 1), date(2025, 9, 1)]
    assert session.get(Family, family.id).credit == 5_000
    assert family_arrears(session, session.get(Family, family.id), ON).total == 2 * 185_000


def test_the_adapter_does_not_commit(session: Session) -> None:
    family = add_family(session, [(3, date(2025, 1, 1))])
    apply_payment_to_family(session, family, 35_000, ON)
    session.rollback()
    session.expire_all()
    assert session.get(Family, family.id).members[0].paid_through == date(2025, 1, 1)
