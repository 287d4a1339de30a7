"""The dashboard's pages as people see them, on the hand-built branch: the overview's figures, the team table,
one cadre, one family; and who may see what (a supervisor only their team, a viewer never a name)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from ingest.demo import seed_demo
from models import AuditEntry, Visit
from tests.admin_data import NOW, build_branch
from tests.admin_pages import make_account, sign_in
from web.admin.accounts import first_accounts

NAMES = ("Sri Kader", "Bambang Kader", "Nur Lain", "Endang Supervisor", "Kepala F1 Santoso")


@pytest.fixture
def now() -> datetime:
    return NOW


def figure(page: str, name: str) -> str:
    """The text of the element marked data-figure=name, tags removed."""
    found = re.search(rf'data-figure="{name}">(.*?)</(?:p|dd)>', page, re.S)
    assert found, name
    return re.sub(r"<[^>]+>", "", found.group(1)).split()


def test_overview_shows_the_months_figures(client, db):  # type: ignore[no-untyped-def]
    build_branch(db)
    make_account(db)
    sign_in(client)
    page = client.get("/admin/?bulan=2025-06").get_data(as_text=True)
    assert figure(page, "active") == ["2", "/", "4", "(50%)"]
    assert figure(page, "households") == ["3", "/", "333", "(0%)"]
    assert figure(page, "collected")[0] == "Rp250.000"
    assert figure(page, "rehab_overdue") == ["1", "·", "1"]
    assert figure(page, "median-close") == ["36.0", "jam", "·", "24.0", "jam"]
    assert "vendor/chart.umd.min.js" in page


def test_chart_data_is_twelve_months_of_json(client, db):  # type: ignore[no-untyped-def]
    build_branch(db)
    make_account(db)
    sign_in(client)
    data = client.get("/admin/data/households.json?bulan=2025-06").get_json()
    assert data["labels"][-1] == "2025-06" and len(data["labels"]) == 12
    assert data["series"][0]["values"][-2:] == [1, 3]


def test_team_table_for_an_admin_lists_every_cadre(client, db):  # type: ignore[no-untyped-def]
    branch = build_branch(db)
    db.add(Visit(cadre_id=branch.cadres["A"].id, family_id=branch.families["F2"].id, result="EDUKASI",
                 source_key="today", reported_at=NOW - timedelta(hours=1)))
    make_account(db)
    sign_in(client)
    page = client.get("/admin/kader").get_data(as_text=True)
    for code in ("KDR-S", "KDR-A", "KDR-B", "KDR-X"):
        assert f">{code}</a>" in page
    row = re.search(r"KDR-A</a>.*?</tr>", page, re.S)
    assert row is not None
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)]
    # today (20 June), this week (16-22 June), this month against 5 a working day (19 in June 2025), ...
    assert cells[2:5] == ["1", "1", "2 / 95"]
    assert cells[6] == "Rp250.000" and cells[9] == "1" and cells[10] == "ya"
    assert ">KDR-X</a>" not in client.get("/admin/kader?area=3372").get_data(as_text=True)


def test_a_supervisor_sees_only_their_team(client, db):  # type: ignore[no-untyped-def]
    branch = build_branch(db)
    make_account(db, "endang", role="supervisor", cadre_code="KDR-S")
    sign_in(client, "endang")
    page = client.get("/admin/kader").get_data(as_text=True)
    assert ">KDR-A</a>" in page and ">KDR-B</a>" in page and "KDR-X" not in page and "Nur Lain" not in page
    assert client.get("/admin/kader/KDR-X").status_code == 404
    assert client.get("/admin/data/money.json?kader=KDR-X").status_code == 404
    assert client.get(f"/admin/keluarga/{branch.families['F4'].id}").status_code == 404
    assert client.get("/admin/keluarga?q=0001900000004").status_code == 404  # F4's card: another team's
    assert client.get(f"/admin/keluarga/{branch.families['F1'].id}").status_code == 200
    overview = client.get("/admin/?bulan=2025-06").get_data(as_text=True)
    assert figure(overview, "active") == ["2", "/", "3", "(66%)"]


def test_a_viewer_never_sees_a_name(client, db):  # type: ignore[no-untyped-def]
    branch = build_branch(db)
    make_account(db, "tamu", role="viewer")
    sign_in(client, "tamu")
    pages = [client.get("/admin/?bulan=2025-06"), *(client.get(f"/admin/data/{chart}.json?bulan=2025-06")
                                                    for chart in ("active", "money", "complaints"))]
    for response in pages:
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        for name in NAMES:
            assert name not in text
        assert "KDR-" not in text and "000190" not in text
    for path in ("/admin/kader", "/admin/kader/KDR-A", f"/admin/keluarga/{branch.families['F1'].id}",
                 "/admin/keluarga?q=0001900000001", "/admin/data/money.json?kader=KDR-A"):
        assert client.get(path).status_code in (403, 404), path


def test_cadre_page_shows_progress_reports_and_households(client, db):  # type: ignore[no-untyped-def]
    build_branch(db)
    make_account(db)
    sign_in(client)
    page = client.get("/admin/kader/KDR-A").get_data(as_text=True)
    assert "Sri Kader" in page
    assert figure(page, "progress-month")[:3] == ["2", "/", "95"]
    assert "L-000001" in page and "3372********0001" in page  # the household's KK, masked
    assert "Kepala F1 Santoso" in page and "Kepala F3" not in page


def test_family_search_is_exact_and_audited(client, db):  # type: ignore[no-untyped-def]
    branch = build_branch(db)
    make_account(db)
    sign_in(client)
    assert client.get("/admin/keluarga?q=000190000000").status_code == 404  # a digit short
    response = client.get("/admin/keluarga?q=3372010180000002")  # F2's head's NIK
    assert response.headers["Location"] == f"/admin/keluarga/{branch.families['F2'].id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3372010180000002" in page  # whole for an admin, on the family's own page
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.actor == "admin:siti")
                         .order_by(AuditEntry.id)).all()
    assert actions[-3:] == ["admin_search_family", "admin_search_family", "admin_view_family"]
    detail = db.scalars(select(AuditEntry.detail).where(AuditEntry.action == "admin_search_family")).all()
    assert detail == ["0001****0000", "3372********0002"]


def test_family_page_shows_arrears_as_the_bot_computes_them(client, db):  # type: ignore[no-untyped-def]
    branch = build_branch(db)
    make_account(db, "endang", role="supervisor", cadre_code="KDR-S")
    sign_in(client, "endang")
    page = client.get(f"/admin/keluarga/{branch.families['F1'].id}").get_data(as_text=True)
    # paid through August 2024, on 20 June 2025: September 2024 to May 2025 are late (June is due on the 10th)
    assert figure(page, "months") == ["10"]
    assert figure(page, "arrears-total") == ["Rp350.000"]
    assert "L-000001" in page and "BAYAR" in page
    assert "0001900000001" not in page and "0001*****0001" in page  # a supervisor sees identifiers masked


def test_the_demo_branch_signs_in_with_the_printed_password_and_shows_its_figures(runtime, app, client, db):  # type: ignore[no-untyped-def]
    seed_demo(db, runtime.clock.now().date())
    db.commit()
    first_accounts(runtime, demo=True)
    password = (runtime.settings.instance_path / "admin_password").read_text().strip()
    assert sign_in(client, "admin", password).status_code == 302
    page = client.get("/admin/").get_data(as_text=True)
    assert figure(page, "active")[1:3] == ["/", "5"]  # the demo's five cadres
    assert figure(page, "payments-ytd")[0] != "0"
    supervisor = app.test_client()
    assert sign_in(supervisor, "endang", password).status_code == 302
    team = supervisor.get("/admin/kader").get_data(as_text=True)
    assert "KDR-SKA-01" in team and "KDR-JPR-01" not in team
