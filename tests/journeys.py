"""A small branch for journey tests, arranged with the ORM: a Kelas III family of three 10 months behind on
the tests' default day (2 June 2025), a paid-up family, and a cadre who looks after the first."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from models import Assignment, Cadre, Family, Member

# Budi's family: PBPU, Kelas III, paid through July 2024 -> August 2024 .. May 2025 unpaid on 2 June 2025.
BUDI_CARD = "0001944358911"
BUDI_NIK = "3372011708850001"  # born 17-08-1985
BUDI_BIRTH = date(1985, 8, 17)
BUDI_PHONE = "+6281311112222"  # on file for Budi: a chat from it needs no second identifier
SITI_CARD = "0001944358922"
SITI_NIK = "3372014503880002"  # a woman born 05-03-1988: day + 40
AGUS_CARD = "0002000000011"  # the paid-up family's head; no phone on file
AGUS_NIK = "3372011212900001"
CADRE_PHONE = "+6281234500001"


def arrange_branch(session: Session, *, segment: str = "PBPU", paid_through: date = date(2024, 7, 1)) -> Family:
    family = Family(number="3372010101250001", region_code="3372")
    session.add(family)
    session.flush()
    people = [
        ("Budi Santoso", BUDI_CARD, BUDI_NIK, BUDI_BIRTH, "head", BUDI_PHONE),
        ("Siti Aminah", SITI_CARD, SITI_NIK, date(1988, 3, 5), "spouse", None),
        ("Rina Santoso", "0001944358933", "3372012001100003", date(2010, 1, 20), "child", None),
    ]
    for name, card, nik, born, relation, phone in people:
        session.add(Member(card_number=card, nik=nik, name=name, birth_date=born, family_id=family.id,
                           relation=relation, segment=segment, class_=3, phone=phone, region_code="3372",
                           paid_through=paid_through))
    paid_up = Family(number="3372010101250002", region_code="3372")
    session.add(paid_up)
    session.flush()
    session.add(Member(card_number=AGUS_CARD, nik=AGUS_NIK, name="Agus Salim",
                       birth_date=date(1990, 12, 12), family_id=paid_up.id, relation="head", segment="PBPU",
                       class_=2, phone=None, region_code="3372", paid_through=date(2025, 6, 1)))
    cadre = Cadre(code="KDR-SKA-01", name="Sri Wahyuni", phone=CADRE_PHONE, telegram_username="sriwahyuni",
                  branch="Surakarta", region_code="3372", active=True)
    session.add(cadre)
    session.flush()
    session.add(Assignment(family_id=family.id, cadre_id=cadre.id))
    session.commit()
    return family


def verify(person, card: str = BUDI_CARD, birth: str = "17-08-1985", first: str = "CEK",  # type: ignore[no-untyped-def]
           second: str | None = None) -> str:
    """Prove identity the way a member does; returns the replies after consent.

    From a phone on file (Budi's) the card number and the birth date are enough; from any other phone the
    member's other identifier (`second`: the NIK for a card number) is asked in between."""
    person.send(first)
    person.send(card)
    if second is not None:
        person.send(second)
    person.send(birth)
    return person.says("YA")
