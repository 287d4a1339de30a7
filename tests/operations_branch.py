"""A hand-built branch with known answers for the dashboard's operations tests (test_admin_operations*.py).

Endang (KDR-A-00) supervises Sri (KDR-A-01); Yusuf (KDR-B-01) is another team. Five families: F1, F2 on
Sri's list, F3 on Yusuf's, F4 on Endang's own, F5 on nobody's; F1 chats on the web, F2 on Telegram (in
English), F3 on the web with reminders stopped. Plans P1 running, P2 overdue (opened in June), P3 completed,
P4 due today (opened in June); tickets K-000001 (Sri, open), K-000002 (Yusuf, open), K-000003 (Sri, closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from models import (
    Assignment,
    Cadre,
    Chat,
    ChatFamily,
    Family,
    Member,
    RehabInstalment,
    RehabPlan,
    Ticket,
    Visit,
)

TODAY = date(2025, 6, 2)  # the tests' DEFAULT_NOW in WIB
JUNE = date(2025, 6, 1)


def at(day: str, hour: int = 3) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


@dataclass
class Branch:
    families: dict[str, Family]
    cadres: dict[str, Cadre]
    chats: dict[str, Chat]


@pytest.fixture
def branch(db) -> Branch:  # type: ignore[no-untyped-def]
    """The branch of this module's docstring: cadres, families, assignments and chats."""
    endang = Cadre(code="KDR-A-00", name="Endang Lestari", region_code="3372", phone="+6281100000000")
    db.add(endang)
    db.flush()
    sri = Cadre(code="KDR-A-01", name="Sri Wahyuni", region_code="3372", supervisor_id=endang.id)
    yusuf = Cadre(code="KDR-B-01", name="Yusuf Wonda", region_code="9171")
    db.add_all([sri, yusuf])
    db.flush()
    families = {}
    for index, owner in enumerate([sri, sri, yusuf, endang, None], start=1):
        family = Family(number=f"337201010125990{index}", region_code="3372")
        db.add(family)
        db.flush()
        db.add(Member(card_number=f"000500000000{index}", nik=f"337201010180000{index}", name=f"Warga Nomor{index}",
                      birth_date=date(1980, 1, 1), family_id=family.id, relation="head", segment="PBPU", class_=3,
                      region_code="3372", paid_through=date(2025, 1, 1)))
        if owner is not None:
            db.add(Assignment(family_id=family.id, cadre_id=owner.id))
        families[f"F{index}"] = family
    chats = {
        "F1": Chat(channel="web", address="web-f1", language="id", state_data={}, created_at=at("2025-05-01")),
        "F2": Chat(channel="telegram", address="1002", language="en", state_data={}, created_at=at("2025-05-01")),
        "F3": Chat(channel="web", address="web-f3", language="id", state_data={}, created_at=at("2025-05-01"),
                   reminders_stopped_at=at("2025-05-02")),
    }
    db.add_all(chats.values())
    db.flush()
    for key, chat in chats.items():
        family = families[key]
        db.add(ChatFamily(chat_id=chat.id, family_id=family.id, member_id=family.members[0].id,
                          verified_at=at("2025-05-01")))
    db.commit()
    return Branch(families, {"endang": endang, "sri": sri, "yusuf": yusuf}, chats)


def plan(db, family: Family, enrolled: datetime, dues: list[tuple[str, bool]], status: str = "active") -> RehabPlan:  # type: ignore[no-untyped-def]
    row = RehabPlan(family_id=family.id, status=status, months_in_arrears=5, arrears_amount=175_000,
                    instalment_count=len(dues), enrolled_at=enrolled)
    db.add(row)
    db.flush()
    for sequence, (due, paid) in enumerate(dues, start=1):
        db.add(RehabInstalment(plan_id=row.id, sequence=sequence, due_on=date.fromisoformat(due), arrears_share=87_500,
                               current_dues=35_000, amount=122_500, paid_at=at(due) if paid else None))
    db.commit()
    return row


@pytest.fixture
def plans(db, branch: Branch) -> dict[str, RehabPlan]:  # type: ignore[no-untyped-def]
    """P1 running (May), P2 overdue (opened in June), P3 completed, P4 due today (opened in June: running)."""
    f = branch.families
    return {
        "P1": plan(db, f["F1"], at("2025-05-10"), [("2025-05-20", True), ("2025-06-20", False)]),
        "P2": plan(db, f["F2"], at("2025-06-01", 1), [("2025-06-01", False), ("2025-07-01", False)]),
        "P3": plan(db, f["F3"], at("2025-01-05"), [("2025-02-05", True), ("2025-03-05", True)], "completed"),
        "P4": plan(db, f["F4"], at("2025-06-01", 0), [("2025-06-02", False), ("2025-07-02", False)]),
    }


@pytest.fixture
def queue(db, branch: Branch) -> dict[str, Ticket]:  # type: ignore[no-untyped-def]
    f, c = branch.families, branch.cadres
    rows = {
        "T1": Ticket(number="K-000001", chat_id=branch.chats["F1"].id, family_id=f["F1"].id, cadre_id=c["sri"].id,
                     region_code="3372", text="Kartu saya tidak aktif", status="open", created_at=at("2025-06-01")),
        "T2": Ticket(number="K-000002", chat_id=branch.chats["F3"].id, family_id=f["F3"].id, cadre_id=c["yusuf"].id,
                     region_code="9171", text="Mohon dikunjungi", status="open", created_at=at("2025-05-30")),
        "T3": Ticket(number="K-000003", chat_id=branch.chats["F2"].id, family_id=f["F2"].id, cadre_id=c["sri"].id,
                     region_code="3372", text="Sudah bayar", status="closed", answer="Terima kasih",
                     created_at=at("2025-05-20"), updated_at=at("2025-05-21")),
    }
    db.add_all(rows.values())
    db.commit()
    return rows


@pytest.fixture
def visits(db, branch: Branch) -> None:  # type: ignore[no-untyped-def]
    f, c = branch.families, branch.cadres
    rows = [
        (c["sri"], f["F1"], "BAYAR", 150_000, "confirmed", at("2025-06-01"), None, "=HYPERLINK(1)"),
        (c["sri"], f["F1"], "BAYAR", 50_000, "reported", at("2025-06-02"), None, ""),
        (c["sri"], f["F2"], "JANJI", None, None, at("2025-06-02", 1), None, ""),
        (c["sri"], f["F2"], "BAYAR", 999, "reported", at("2025-06-02", 2), at("2025-06-02", 2), ""),
        (c["yusuf"], f["F3"], "BAYAR", 100_000, "reported", at("2025-05-15"), None, ""),
    ]
    for number, (cadre, family, result, amount, status, when, cancelled, note) in enumerate(rows):
        db.add(Visit(cadre_id=cadre.id, family_id=family.id, result=result, amount=amount, status=status,
                     source_key=f"k{number}", reported_at=when, cancelled_at=cancelled, note=note))
    db.commit()
