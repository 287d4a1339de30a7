"""The demo branch's visit history (ingest/demo_history.py): what a supervisor sees on the overview after
`make run`, and what it leaves alone (the personas' families, a second load)."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from ingest.demo import FIXED_FAMILIES, seed_demo
from models import AuditEntry, Cadre, Member, Payment, Promise, Visit
from models.db import make_engine, make_session_factory
from models.figures import TOTAL, FigureMonth, first_of
from models.visits import reconcile_family
from reminders.scheduler import refresh_figures
from rules.calendar import is_working_day
from rules.regions import zone_for_region
from tests.admin_pages import make_account, sign_in

NOW = datetime(2025, 6, 20, 3, 0, tzinfo=UTC)  # a Friday in the middle of the month, 10:00 WIB


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def demo(runtime, db):  # type: ignore[no-untyped-def]
    seed_demo(db, runtime.clock.now().date())
    db.commit()


def figure(page: str, name: str) -> list[str]:
    """The words of the element marked data-figure=name, tags removed."""
    found = re.search(rf'data-figure="{name}">(.*?)</(?:p|dd)>', page, re.S)
    assert found, name
    return re.sub(r"<[^>]+>", "", found.group(1)).split()


def test_the_demo_overview_shows_its_cadres_at_work_this_month_and_before(runtime, client, db, demo):  # type: ignore[no-untyped-def]
    assert refresh_figures(runtime) == [date(2025, 5, 1), date(2025, 6, 1)]  # the scheduler's 5-minute job
    rollup = dict(db.execute(select(FigureMonth.figure, FigureMonth.value).where(
        FigureMonth.month == date(2025, 6, 1), FigureMonth.cadre_id == TOTAL)).tuples().all())
    assert rollup["reporting"] == 5 and rollup["reports"] > 100 and rollup["households"] > 50
    assert rollup["collected_confirmed"] > 0 and rollup["paid_after_visit"] > 0

    make_account(db)
    sign_in(client)
    page = client.get("/admin/").get_data(as_text=True)
    assert figure(page, "active") == ["5", "/", "5", "(100%)"]
    assert int(figure(page, "households")[0].replace(".", "")) == rollup["households"]
    assert figure(page, "collected")[0] != "Rp0"
    assert int(figure(page, "reached")[0]) > 0

    for chart, figures in (("active", 1), ("households", 1), ("money", 2), ("families", 2)):
        data = client.get(f"/admin/data/{chart}.json").get_json()
        assert data["labels"][-4:] == ["2025-03", "2025-04", "2025-05", "2025-06"]
        assert len(data["series"]) == figures
        assert all(value > 0 for value in data["series"][0]["values"][-4:]), (chart, data)
        assert data["series"][0]["values"][:-4] == [0] * 8  # the history starts three months back
    active = client.get("/admin/data/active.json").get_json()["series"][0]["values"]
    assert active[-4:] == [5, 5, 5, 5]


def test_cadres_visit_their_own_families_on_working_days_and_leave_the_personas_alone(db, demo):  # type: ignore[no-untyped-def]
    today = NOW.date()
    cadres = {cadre.id: cadre for cadre in db.scalars(select(Cadre))}
    visits = db.scalars(select(Visit)).all()
    per_day: dict[tuple[int, date], int] = {}
    for visit in visits:
        cadre = cadres[visit.cadre_id]
        day = (visit.visited_at or visit.reported_at).astimezone(zone_for_region(cadre.region_code)).date()
        assert date(2025, 3, 1) <= day < today and is_working_day(day, cadre.region_code)
        assert visit.family_id in {assignment.family_id for assignment in cadre.assignments}
        assert visit.reported_at >= (visit.visited_at or visit.reported_at)
        per_day[(cadre.id, day)] = per_day.get((cadre.id, day), 0) + 1
    assert set(per_day.values()) <= {3, 4, 5, 6}
    assert {cadre_id for cadre_id, _ in per_day} == set(cadres)
    assert db.scalar(select(func.count(Visit.id)).where(Visit.result == "BAYAR", Visit.status != "confirmed")) == 0

    phones = [person.phone for fixed in FIXED_FAMILIES for person in fixed.people if person.phone]
    personas = set(db.scalars(select(Member.family_id).where(Member.phone.in_(phones))))
    theirs = [visit for visit in visits if visit.family_id in personas]
    assert {visit.result for visit in theirs} <= {"EDUKASI", "TIDAKADA"}
    quiet = datetime.combine(today - timedelta(days=3), datetime.min.time(), tzinfo=UTC) - timedelta(hours=12)
    assert all((visit.visited_at or visit.reported_at) < quiet for visit in theirs)
    assert db.scalar(select(func.count(Promise.id)).where(Promise.family_id.in_(personas))) == 0
    assert db.scalar(select(func.count(Payment.id)).where(
        Payment.family_id.in_(personas), Payment.reference.like("DEMO-H%"))) == 0


def test_seeding_again_adds_no_history(runtime, db, demo):  # type: ignore[no-untyped-def]
    def counts() -> list[int]:
        return [db.scalar(select(func.count()).select_from(table))
                for table in (Visit, Promise, Payment, AuditEntry)]

    before = counts()
    assert before[0] > 500
    assert seed_demo(db, runtime.clock.now().date()) == "the demo branch is already loaded; nothing changed"
    db.commit()
    assert counts() == before


def test_the_history_is_the_same_on_every_machine(sqlite_template, tmp_path):  # type: ignore[no-untyped-def]
    loaded = []
    for name in ("one.db", "two.db"):
        shutil.copy(sqlite_template, tmp_path / name)
        engine = make_engine(f"sqlite:///{tmp_path / name}")
        with make_session_factory(engine).begin() as session:
            seed_demo(session, NOW.date())
        with make_session_factory(engine)() as session:
            loaded.append(session.execute(select(Visit.source_key, Visit.result, Visit.amount, Visit.visited_at)
                                          .order_by(Visit.id)).all())
        engine.dispose()
    assert loaded[0] == loaded[1] and len(loaded[0]) > 500
    assert first_of(max(row.visited_at for row in loaded[0]).date()) == date(2025, 6, 1)


def test_every_bayar_report_is_one_a_payments_import_would_confirm(runtime, db, demo):  # type: ignore[no-untyped-def]
    reports = db.scalars(select(Visit).where(Visit.result == "BAYAR")).all()
    assert len(reports) > 30 and {report.status for report in reports} == {"confirmed"}
    families = sorted({report.family_id for report in reports if report.family_id})
    with runtime.sessions.begin() as session:  # the import's own session (the tests' one commits on every read)
        session.execute(update(Visit).where(Visit.result == "BAYAR").values(status="reported", payment_id=None))
        for family_id in families:
            reconcile_family(session, family_id)
    assert set(db.scalars(select(Visit.status).where(Visit.result == "BAYAR"))) == {"confirmed"}
