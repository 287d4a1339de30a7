"""The dashboard at branch scale: the overview page, its charts and the team table at 1,000,000 members and
5,000 cadres, on SQLite and PostgreSQL.

    .venv/bin/python bench/admin_overview.py [--members 1000000] [--cadres 5000] [--database-url URL]
                                             [--skip-sqlite] [--runs 20]

The branch is made by set-based SQL (INSERT ... SELECT over a numbers table), not timed: members 3 to a
family, each family on one cadre's list (every tenth cadre supervises the next nine), and the first half of
2025: 45 visit reports per cadre per month (a third BAYAR), payments from 30% of families a month, reminders
to 100,000 families a month with their outbox rows and delivery states, 20,000 REHAB plans with 6
instalments each, and 2 complaints per cadre per month. The clock is 20 June 2025, 10:00 WIB.

It prints: computing one month's rollup (what the scheduler does every 5 minutes for this month and last),
then with the rollup fresh, each page through the Flask app as a signed-in admin (median and 90th
percentile of --runs requests): the overview, one chart's JSON, a supervisor's overview, and the team table.
PostgreSQL uses --database-url or TEST_DATABASE_URL, whose public schema is DROPPED and recreated.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from sqlalchemy import Engine, text  # noqa: E402

from app import create_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from models.accounts import create_account  # noqa: E402
from models.db import make_engine, make_reader_factory, make_session_factory  # noqa: E402
from models.figures import compute_month, refresh_month, store_month  # noqa: E402
from models.schema import migrate  # noqa: E402

NOW = datetime(2025, 6, 20, 3, 0, tzinfo=UTC)
START = int(datetime(2024, 12, 31, 17, 0, tzinfo=UTC).timestamp())  # 1 January 2025, 00:00 WIB
SPAN = int(NOW.timestamp()) - START
OUT = ROOT / "bench" / "out"
PASSWORD = "bench-password-1"


class Dialect:
    """The few expressions SQLite and PostgreSQL write differently."""

    def __init__(self, engine: Engine) -> None:
        self.sqlite = engine.dialect.name == "sqlite"

    def pad(self, expression: str, width: int) -> str:
        """A number as text of `width` digits, zeros in front."""
        if self.sqlite:
            return f"substr('{'0' * width}' || ({expression}), -{width})"
        return f"lpad(({expression})::text, {width}, '0')"

    def day(self, expression: str) -> str:
        """'2025-01-10' as a date."""
        return expression if self.sqlite else f"CAST({expression} AS DATE)"

    def moment(self, seconds: str) -> str:
        """A UTC moment `seconds` after 1 January 2025 00:00 WIB, spread over the half-year."""
        if self.sqlite:  # the text SQLAlchemy stores for a UTC datetime on SQLite
            return f"datetime({START} + ({seconds}), 'unixepoch') || '.000000'"
        return f"to_timestamp({START} + ({seconds}))"


def load_branch(engine: Engine, members: int, cadres: int) -> dict[str, int]:
    """The branch described in the module's docstring; returns the row counts."""
    d = Dialect(engine)
    families = members // 3
    per_cadre = families // cadres
    visits = cadres * 45 * 6
    payments = families * 30 // 100 * 6
    reminded = min(100_000, families)  # families with a chat, reminded every month
    reminders = reminded * 6
    plans = 20_000
    tickets = cadres * 2 * 6
    largest = max(members, visits, payments, reminders)
    spread = f"(CAST(x AS BIGINT) * 7919) % {SPAN}"
    due_on = d.day("'2025-0' || k.x || '-10'")
    statements = [
        f"INSERT INTO families (id, number, region_code, credit) SELECT x, '3372' || {d.pad('x', 12)}, '3372', 0 "
        f"FROM numbers WHERE x <= {families}",
        "INSERT INTO members (id, card_number, nik, name, birth_date, family_id, relationship, segment, class_, "
        "phone, region_code, paid_through) "
        f"SELECT x, '000' || {d.pad('x', 10)}, '3372' || {d.pad('x', 12)}, 'Warga Bench', '1980-01-01', "
        f"(x - 1) / 3 + 1, CASE WHEN x % 3 = 1 THEN 'head' ELSE 'child' END, 'PBPU', 3, NULL, '3372', "
        f"'2024-12-01' FROM numbers WHERE x <= {families * 3}",
        "INSERT INTO cadres (id, code, name, phone, telegram_username, branch, region_code, supervisor_id, "
        "active, daily_tasks) "
        f"SELECT x, 'KDR-' || {d.pad('x', 5)}, 'Kader ' || x, NULL, NULL, 'Bench', "
        f"CASE WHEN x % 2 = 0 THEN '3372' ELSE '3374' END, NULL, TRUE, TRUE FROM numbers WHERE x <= {cadres}",
        "UPDATE cadres SET supervisor_id = ((id - 1) / 10) * 10 + 1 WHERE (id - 1) % 10 <> 0",
        "INSERT INTO assignments (family_id, cadre_id) "
        f"SELECT x, (x - 1) % {cadres} + 1 FROM numbers WHERE x <= {per_cadre * cadres}",
        "INSERT INTO visits (id, cadre_id, family_id, result, amount, note, source_key, reported_at, via, status) "
        f"SELECT x, (x - 1) % {cadres} + 1, (x - 1) % {cadres} + {cadres} * (((x - 1) / {cadres}) % {per_cadre}) + 1, "
        "CASE x % 3 WHEN 0 THEN 'BAYAR' WHEN 1 THEN 'JANJI' ELSE 'EDUKASI' END, "
        "CASE WHEN x % 3 = 0 THEN 150000 END, '', 'b' || x, "
        f"{d.moment(spread)}, 'line', "
        "CASE WHEN x % 3 = 0 THEN (CASE WHEN x % 2 = 0 THEN 'confirmed' ELSE 'reported' END) END "
        f"FROM numbers WHERE x <= {visits}",
        "INSERT INTO payments (id, reference, family_id, amount, paid_at, channel) "
        f"SELECT x, 'B' || x, (x - 1) % {families} + 1, 105000, {d.moment(spread)}, '' "
        f"FROM numbers WHERE x <= {payments}",
        "INSERT INTO chats (id, channel, address, language, state_data, created_at) "
        f"SELECT x, 'web', 'bench-' || x, 'id', '{{}}', {d.moment('0')} FROM numbers WHERE x <= {reminded}",
        "INSERT INTO reminders (id, family_id, kind, period, channel, chat_id, not_before, status, created_at, "
        f"settled_at) SELECT x, (x - 1) % {reminded} + 1, 'dues_overdue', 'b' || x, 'web', (x - 1) % {reminded} + 1, "
        f"{d.moment(spread)}, 'queued', {d.moment(spread)}, {d.moment(spread)} FROM numbers WHERE x <= {reminders}",
        "INSERT INTO outbox (id, channel, address, chat_id, kind, body, choices, ask_contact, dedupe_key, status, "
        "priority, attempts, created_at) "
        f"SELECT x, 'web', 'bench-' || x, (x - 1) % {reminded} + 1, 'reminder', '', '[]', FALSE, 'reminder:' || x, "
        "CASE x % 4 WHEN 0 THEN 'sent' WHEN 1 THEN 'delivered' WHEN 2 THEN 'read' ELSE 'dead' END, 5, 1, "
        f"{d.moment(spread)} FROM numbers WHERE x <= {reminders}",
        "INSERT INTO rehab_plans (id, family_id, status, months_in_arrears, arrears_amount, instalment_count, "
        "enrolled_at, completed_at) "
        f"SELECT x, (x * 16) % {families} + 1, CASE WHEN x % 5 = 0 THEN 'completed' ELSE 'active' END, 10, "
        f"350000, 6, {d.moment(spread)}, CASE WHEN x % 5 = 0 THEN {d.moment(f'{SPAN} - 86400')} END "
        f"FROM numbers WHERE x <= {plans}",
        "INSERT INTO rehab_instalments (plan_id, sequence, due_on, arrears_share, current_dues, amount, paid_at) "
        f"SELECT p.id, k.x, {due_on}, 58334, 35000, 93334, "
        f"CASE WHEN k.x <= p.id % 6 THEN {d.moment('86400 * 30 * k.x')} END "
        f"FROM rehab_plans p CROSS JOIN numbers k WHERE k.x <= 6",
        "INSERT INTO tickets (id, number, kind, cadre_id, text, status, created_at, updated_at) "
        f"SELECT x, 'B-' || x, 'complaint', (x - 1) % {cadres} + 1, '', "
        "CASE WHEN x % 3 = 0 THEN 'open' ELSE 'closed' END, "
        f"{d.moment(spread)}, CASE WHEN x % 3 = 0 THEN NULL ELSE {d.moment(f'({spread}) + 3600 * (x % 72)')} END "
        f"FROM numbers WHERE x <= {tickets}",
    ]
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE numbers (x INTEGER PRIMARY KEY)"))
        if d.sqlite:
            connection.execute(text(f"WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < "
                                    f"{largest}) INSERT INTO numbers SELECT x FROM n"))
        else:
            connection.execute(text(f"INSERT INTO numbers SELECT generate_series(1, {largest})"))
        for statement in statements:
            connection.execute(text(statement))
        connection.execute(text("DROP TABLE numbers"))
        if not d.sqlite:
            for table in ("families", "members", "cadres", "assignments", "visits", "payments", "chats",
                          "reminders", "outbox", "rehab_plans", "rehab_instalments", "tickets"):
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT MAX(id) FROM {table}))") if table != "assignments" else
                                   text("SELECT 1"))
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    return {"families": families, "members": families * 3, "cadres": cadres, "visits": visits,
            "payments": payments, "reminders": reminders, "plans": plans, "tickets": tickets}


def timed(action: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Median and 90th percentile in milliseconds."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.9))]


def bench(label: str, url: str, args: argparse.Namespace, load: bool = True) -> None:
    """Load the branch into `url`, compute the rollup, then time the pages."""
    engine = make_engine(url)
    migrate(engine)
    if load:
        start = time.perf_counter()
        counts = load_branch(engine, args.members, args.cadres)
        print(f"{label}: loaded {counts} in {time.perf_counter() - start:.0f} s (not part of the figures)",
              flush=True)
    else:
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM figure_months"))
            connection.execute(text("DELETE FROM admin_users"))
    sessions = make_session_factory(engine)
    readers = make_reader_factory(engine)
    for month in (1, 6):  # a whole past month, and the running one: what the scheduler does, read then stored
        start = time.perf_counter()
        with readers() as reader:
            figures = compute_month(reader, datetime(2025, month, 1, tzinfo=UTC).date(), NOW)
        read = time.perf_counter() - start
        with sessions.begin() as session:
            store_month(session, datetime(2025, month, 1, tzinfo=UTC).date(), figures, NOW)
        print(f"{label}: rollup of 2025-{month:02d}: counting {read:.1f} s (read-only), storing "
              f"{time.perf_counter() - start - read:.2f} s (the write)", flush=True)
    start = time.perf_counter()
    for month in range(7, 13):  # the rest of the 12 months the charts show (empty months of 2024)
        with sessions.begin() as session:
            refresh_month(session, datetime(2024, month, 1, tzinfo=UTC).date(), NOW)
    for month in range(2, 6):
        with sessions.begin() as session:
            refresh_month(session, datetime(2025, month, 1, tzinfo=UTC).date(), NOW)
    print(f"{label}: the other 10 months: {time.perf_counter() - start:.1f} s", flush=True)
    with sessions.begin() as session:
        create_account(session, "bench", PASSWORD, NOW)
        create_account(session, "spv", PASSWORD, NOW, role="supervisor", cadre_code="KDR-00011")
    app = create_app(Settings(instance_path=OUT, database_url=url, secret_key="bench", frozen_now=NOW,
                              public_base_url="http://127.0.0.1:8000"))
    for username, pages in (("bench", {"overview": "/admin/?bulan=2025-06",
                                       "chart (households)": "/admin/data/households.json?bulan=2025-06",
                                       "team table (5,000 cadres)": "/admin/kader",
                                       "one cadre": "/admin/kader/KDR-00012"}),
                            ("spv", {"supervisor's overview (10 cadres)": "/admin/?bulan=2025-06"})):
        client = app.test_client()
        page = client.get("/admin/masuk").get_data(as_text=True)
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        client.post("/admin/masuk", data={"username": username, "password": PASSWORD, "csrf_token": token})
        for name, path in pages.items():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            median, p90 = timed(lambda path=path, client=client: client.get(path), args.runs if "team" not in name else 5)
            print(f"{label}: {name}: median {median:.0f} ms, p90 {p90:.0f} ms", flush=True)
    engine.dispose()


def main() -> None:
    """SQLite in bench/out/, then PostgreSQL when a URL is given."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--cadres", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--reuse-sqlite", action="store_true", help="keep bench/out/admin_overview.db's branch")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if not args.skip_sqlite:
        path = OUT / "admin_overview.db"
        reuse = args.reuse_sqlite and path.exists()
        for suffix in ("", "-wal", "-shm"):
            if not reuse:
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        bench("SQLite", f"sqlite:///{path}", args, load=not reuse)
    if args.database_url:
        engine = make_engine(args.database_url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        bench("PostgreSQL", args.database_url, args)


if __name__ == "__main__":
    main()
