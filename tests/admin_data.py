"""A small branch built by hand for the dashboard's tests, with figures known in advance (June 2025, WIB).

Cadres: KDR-S (supervisor of KDR-A and KDR-B), KDR-A, KDR-B, KDR-X (another area, no supervisor).
Families: F1, F2 on A's list; F3 on B's; F4 on X's; F5 on nobody's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from models import (
    Assignment,
    Cadre,
    Chat,
    Family,
    Member,
    OutboxMessage,
    Payment,
    RehabInstalment,
    RehabPlan,
    Reminder,
    Ticket,
    Visit,
)

NOW = datetime(2025, 6, 20, 3, 0, tzinfo=UTC)  # 10:00 WIB on Friday 20 June 2025
JUNE, MAY = date(2025, 6, 1), date(2025, 5, 1)


def at(day: str, hour: int = 3) -> datetime:
    """A moment on a day of 2025 ('06-05'), at `hour` UTC (10:00 WIB by default)."""
    month, number = (int(part) for part in day.split("-"))
    return datetime(2025, month, number, hour, 0, tzinfo=UTC)


@dataclass
class Branch:
    """The ids the tests look things up by."""

    cadres: dict[str, Cadre]
    families: dict[str, Family]


def build_branch(db: Session) -> Branch:
    """The branch described in the module's docstring."""
    s = Cadre(code="KDR-S", name="Endang Supervisor", region_code="3372", phone="+6281200000001")
    db.add(s)
    db.flush()
    cadres = {"S": s}
    for key, region, name, supervisor in (("A", "3372", "Sri Kader", s), ("B", "3372", "Bambang Kader", s),
                                          ("X", "6472", "Nur Lain", None)):
        cadre = Cadre(code=f"KDR-{key}", name=name, region_code=region, supervisor_id=supervisor.id if supervisor
                      else None, phone=f"+62812000000{ord(key)}")
        db.add(cadre)
        cadres[key] = cadre
    families = {}
    for index, key in enumerate(("F1", "F2", "F3", "F4", "F5"), start=1):
        family = Family(number=f"33720100000000{index:02d}", region_code="3372" if key != "F4" else "6472")
        db.add(family)
        db.flush()
        db.add(Member(card_number=f"00019000000{index:02d}", nik=f"33720101800000{index:02d}",
                      name=f"Kepala {key} Santoso", birth_date=date(1980, 1, index), family_id=family.id,
                      relation="head", segment="PBPU", class_=3, phone=f"+62813000000{index:02d}",
                      region_code=family.region_code, paid_through=date(2024, 8, 1)))
        families[key] = family
    db.flush()
    for family, cadre in (("F1", "A"), ("F2", "A"), ("F3", "B"), ("F4", "X")):
        db.add(Assignment(family_id=families[family].id, cadre_id=cadres[cadre].id))

    def visit(cadre: str, family: str, day: str, result: str, amount: int | None = None,
              status: str | None = None, cancelled: bool = False) -> None:
        moment = at(day)
        db.add(Visit(cadre_id=cadres[cadre].id, family_id=families[family].id, result=result, amount=amount,
                     source_key=f"{cadre}{family}{day}{result}", reported_at=moment, status=status,
                     cancelled_at=moment + timedelta(minutes=5) if cancelled else None))

    visit("A", "F1", "06-03", "BAYAR", 150_000, "reported")
    visit("A", "F1", "06-04", "JANJI")
    visit("A", "F2", "06-05", "BAYAR", 100_000, "confirmed")
    visit("B", "F3", "06-06", "TOLAK")
    visit("X", "F4", "06-07", "BAYAR", 90_000, "reported", cancelled=True)
    visit("A", "F1", "05-20", "REHAB")

    for reference, family, amount, day in (("P1", "F1", 105_000, "06-01"), ("P2", "F2", 100_000, "06-10"),
                                           ("P5", "F5", 35_000, "06-12"), ("P4", "F4", 70_000, "05-20")):
        db.add(Payment(reference=reference, family_id=families[family].id, amount=amount, paid_at=at(day)))

    for family, status, outbox_status in (("F4", "queued", "delivered"), ("F3", "queued", "dead"),
                                          ("F1", "skipped", None)):
        chat = Chat(channel="web", address=f"web-{family}", created_at=at("06-01"))
        db.add(chat)
        db.flush()
        reminder = Reminder(family_id=families[family].id, kind="dues_overdue", period="2025-06", channel="web",
                            chat_id=chat.id, not_before=at("06-08"), status=status, created_at=at("06-08"),
                            settled_at=at("06-08"))
        db.add(reminder)
        db.flush()
        if outbox_status:
            db.add(OutboxMessage(channel="web", address=chat.address, chat_id=chat.id, kind="reminder",
                                 body="Pengingat", status=outbox_status, created_at=at("06-08"),
                                 dedupe_key=f"reminder:{reminder.id}"))

    def plan(family: str, enrolled: str, due: str, completed: str | None = None) -> None:
        record = RehabPlan(family_id=families[family].id, status="completed" if completed else "active",
                           months_in_arrears=10, arrears_amount=1_050_000, instalment_count=2,
                           enrolled_at=at(enrolled), completed_at=at(completed) if completed else None)
        db.add(record)
        db.flush()
        db.add(RehabInstalment(plan_id=record.id, sequence=1, due_on=date.fromisoformat(f"2025-{due}"),
                               arrears_share=525_000, current_dues=35_000, amount=560_000,
                               paid_at=at(completed) if completed else None))

    plan("F1", "05-10", "06-10")  # overdue in June
    plan("F3", "06-05", "07-10")  # opened in June, running
    plan("F4", "01-15", "02-10", completed="06-15")  # completed in June

    for number, cadre, created, closed in (("K-000001", "A", at("06-01"), at("06-02")),
                                           ("K-000002", "X", at("06-03"), at("06-05")),
                                           ("K-000003", "A", at("06-10"), None),
                                           ("K-000004", "B", at("05-01"), at("05-01") + timedelta(hours=12))):
        db.add(Ticket(number=number, cadre_id=cadres[cadre].id, text="Kartu saya tidak aktif", created_at=created,
                      status="closed" if closed else "open", updated_at=closed))
    db.commit()
    return Branch(cadres, families)
