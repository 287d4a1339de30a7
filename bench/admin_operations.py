"""The dashboard's operations pages at branch scale: REHAB, Tiket, Siaran (with its live count) and the CSV
exports, at 1,000,000 members and 5,000 cadres, on SQLite and PostgreSQL.

    .venv/bin/python bench/admin_operations.py [--members 1000000] [--cadres 5000] [--runs 10]
                                               [--database-url URL] [--skip-sqlite]

The branch is bench/admin_overview.py's (built by set-based SQL, not timed), plus a proved chat for each of
its 100,000 reminded families and one broadcast to the whole branch planned for them. Each page is asked
through the Flask app as a signed-in admin (median and 90th percentile of --runs requests), and a
supervisor's REHAB and tickets pages. PostgreSQL uses --database-url or TEST_DATABASE_URL, whose public
schema is DROPPED and recreated.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from sqlalchemy import text  # noqa: E402

from app import create_app  # noqa: E402
from bench.admin_overview import NOW, OUT, PASSWORD, load_branch, timed  # noqa: E402
from bot.settings import Settings  # noqa: E402
from models.accounts import create_account  # noqa: E402
from models.db import make_engine, make_session_factory  # noqa: E402
from models.schema import migrate  # noqa: E402
from reminders.broadcasts import create, plan_broadcasts  # noqa: E402
from rules.programme import DEFAULT_RULES  # noqa: E402

PAGES = {
    "REHAB overdue": "/admin/rehab?state=overdue&month=2025-06",
    "tickets (open)": "/admin/tiket",
    "broadcasts (1 planned to 100,000 families)": "/admin/siaran",
    "live count, region=33 months=4-24 plan=no": "/admin/siaran/pratinjau?region=33&months=4-24&plan=no&text_id=Halo&count=1",
    "live count, one cadre's list": "/admin/siaran/pratinjau?cadre=KDR-00012&text_id=Halo&count=1",
    "collections per cadre, 2025 (CSV)": "/admin/ekspor/setoran.csv?year=2025&sep=semicolon",
    "REHAB plans (CSV)": "/admin/ekspor/rehab.csv",
    "visit reports, June (CSV)": "/admin/ekspor/laporan.csv?from=2025-06-01&to=2025-06-30",
    "programme figures (CSV)": "/admin/ekspor/angka.csv?month=2025-06",
}
SUPERVISOR_PAGES = {"supervisor: REHAB running": "/admin/rehab?state=running", "supervisor: tickets": "/admin/tiket"}


def bench(label: str, url: str, args: argparse.Namespace) -> None:
    """Build the branch in the database at `url`, then time each page."""
    engine = make_engine(url)
    migrate(engine)
    start = time.perf_counter()
    counts = load_branch(engine, args.members, args.cadres)
    with engine.begin() as connection:  # bench/admin_overview.py's chats, each proving its family
        connection.execute(text("INSERT INTO chat_families (chat_id, family_id, member_id, verified_at) "
                                "SELECT id, id, id * 3 - 2, created_at FROM chats"))
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        create(session, segment_text="all", at=NOW, text_id="Posyandu JKN besok.", text_en=None, now=NOW)
        create_account(session, "bench", PASSWORD, NOW)
        create_account(session, "spv", PASSWORD, NOW, role="supervisor", cadre_code="KDR-00011")
    with sessions.begin() as session:
        planned = plan_broadcasts(session, NOW, DEFAULT_RULES)
    print(f"{label}: loaded {counts}, broadcast planned {dict(planned)} in {time.perf_counter() - start:.0f} s "
          "(not part of the figures)", flush=True)
    app = create_app(Settings(instance_path=OUT, database_url=url, secret_key="bench", frozen_now=NOW,
                              public_base_url="http://127.0.0.1:8000"))
    for username, pages in (("bench", PAGES), ("spv", SUPERVISOR_PAGES)):
        client = app.test_client()
        page = client.get("/admin/masuk").get_data(as_text=True)
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        client.post("/admin/masuk", data={"username": username, "password": PASSWORD, "csrf_token": token})
        for name, path in pages.items():
            first = time.perf_counter()
            response = client.get(path)
            first_ms = (time.perf_counter() - first) * 1000
            assert response.status_code == 200, (path, response.status_code)
            runs = args.runs if "CSV" not in name else max(2, args.runs // 5)
            median, p90 = timed(lambda path=path, client=client: client.get(path), runs)
            print(f"{label}: {name}: first {first_ms:.0f} ms, median {median:.0f} ms, p90 {p90:.0f} ms, "
                  f"{len(response.get_data()):,} bytes", flush=True)
    engine.dispose()


def main() -> None:
    """Run the benchmark on SQLite, and on PostgreSQL when a URL is given."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--cadres", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if not args.skip_sqlite:
        path = OUT / "admin_operations.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        bench("SQLite", f"sqlite:///{path}", args)
    if args.database_url:
        engine = make_engine(args.database_url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        bench("PostgreSQL", args.database_url, args)


if __name__ == "__main__":
    main()
