"""A branch for cadre journey tests, on top of tests/journeys.py's: Sri (KDR-SKA-01) has Budi's family and two
more on her list, her supervisor Endang (KDR-SKA-00) has another team member, Bambang (KDR-SKA-02), with a
family of his own; one Surakarta family is on nobody's list and one Samarinda family is outside the area."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Assignment, Cadre, Family, Member
from tests.journeys import CADRE_PHONE, arrange_branch

SRI_PHONE = CADRE_PHONE
ENDANG_PHONE = "+6281234500000"
BAMBANG_PHONE = "+6285729000102"
BUDI_PHONE = "+6281311112222"
BUDI_KK = "3372010101250001"
SUPARMI_KK = "3372010101250003"  # Sri's, 7 months behind, never visited
PAINEM_CARD = "0003000000031"  # Sri's, 14 months behind
JOKO_KK = "3372010101250005"  # Bambang's
FREE_KK = "3372010101250002"  # Agus Salim, paid up, on nobody's list, in Surakarta
FAR_KK = "6472010101250006"  # Samarinda, on nobody's list


@dataclass
class CadreBranch:
    budi: Family
    sri: Cadre
    endang: Cadre
    bambang: Cadre


def _family(session: Session, number: str, region: str, head: str, card: str, nik: str, paid_through: date,
            phone: str | None = None) -> Family:
    family = Family(number=number, region_code=region)
    session.add(family)
    session.flush()
    session.add(Member(card_number=card, nik=nik, name=head, birth_date=date(1975, 1, 19), family_id=family.id,
                       relation="head", segment="PBPU", class_=3, phone=phone, region_code=region,
                       paid_through=paid_through))
    return family


def arrange_cadres(session: Session) -> CadreBranch:
    budi = arrange_branch(session)
    sri = session.scalars(select(Cadre).where(Cadre.code == "KDR-SKA-01")).one()
    endang = Cadre(code="KDR-SKA-00", name="Endang Lestari", phone=ENDANG_PHONE, branch="Surakarta",
                   region_code="3372")
    bambang = Cadre(code="KDR-SKA-02", name="Bambang Sutrisno", phone=BAMBANG_PHONE, branch="Surakarta",
                    region_code="3372")
    session.add_all([endang, bambang])
    session.flush()
    sri.supervisor_id = endang.id
    bambang.supervisor_id = endang.id
    suparmi = _family(session, SUPARMI_KK, "3372", "Suparmi Wibowo", "0003000000011", "3372015901750001",
                      date(2024, 10, 1))
    painem = _family(session, "3372010101250004", "3372", "Painem", PAINEM_CARD, "3372014606480001",
                     date(2024, 3, 1))
    joko = _family(session, JOKO_KK, "3372", "Joko Susanto", "0003000000051", "3372011901750002",
                   date(2024, 12, 1))
    _family(session, FAR_KK, "6472", "Muhammad Syahrul", "0003000000061", "6472012412580001", date(2025, 1, 1))
    session.add_all([Assignment(family_id=suparmi.id, cadre_id=sri.id), Assignment(family_id=painem.id, cadre_id=sri.id),
                     Assignment(family_id=joko.id, cadre_id=bambang.id)])
    session.commit()
    return CadreBranch(budi, sri, endang, bambang)
