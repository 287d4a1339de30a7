"""How fast the arrears engine is, alone and behind a card-number lookup in a database of 1,000,000 members.

    .venv/bin/python bench/arrears.py [--families N] [--members N] [--lookups N] [--database-url URL] [--fresh]

The database (SQLite in bench/out/ by default, git-ignored) is generated once and reused while it holds the
asked number of members; --fresh rebuilds it. A PostgreSQL URL must name a database kept for benchmarks:
--fresh drops and recreates its public schema.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere, like the README says

from sqlalchemy import Engine, func, insert, inspect, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import joinedload  # noqa: E402

from models.base import Base  # noqa: E402
from models.db import make_engine, make_session_factory, normalise_url  # noqa: E402
from models.ledger import family_arrears, rate_table  # noqa: E402
from models.people import Family, Member  # noqa: E402
from models.schema import migrate  # noqa: E402
from rules.arrears import MemberDues, RateTable, arrears_for  # noqa: E402

ON = date(2025, 11, 15)  # a fixed day: figures must not depend on when the bench runs
SEED = 20251115
CHUNK = 50_000
RELATIONS = ("head", "spouse", "child", "child", "child", "other")


def migration_rates() -> RateTable:
    """The rates the migration loads, read from its file so that the engine bench needs no database."""
    spec = importlib.util.spec_from_file_location("dues_rates", ROOT / "migrations/versions/0002_dues_rates.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return RateTable(
        (klass, start, amount)
        for start, amounts in module.RATES.items()
        for klass, amount in zip((1, 2, 3), amounts, strict=True)
    )


def paid_through(rng: random.Random) -> date:
    """Mostly a few months behind, some far behind (beyond the 24 counted), some paid ahead."""
    behind = rng.choice((0, 0, 1, 2, 3, 5, 8, 12, 18, 24, 36, 50, -2))
    index = ON.year * 12 + ON.month - 1 - behind
    return date(index // 12, index % 12 + 1, 1)


def engine_throughput(families: int) -> tuple[float, int]:
    """The pure arrears engine over generated families: families per second, and the members counted."""
    rng = random.Random(SEED)
    rates = migration_rates()
    generated: list[list[MemberDues]] = []
    member_id = 0
    for _ in range(families):
        klass, paid = rng.choice((1, 2, 3, 3, 3)), paid_through(rng)
        family = []
        for n in range(rng.randint(1, 6)):
            member_id += 1
            family.append(MemberDues(member_id, f"{member_id:013d}", "x", klass, "PBPU", RELATIONS[n], paid))
        generated.append(family)
    start = time.perf_counter()
    for family in generated:
        arrears_for(family, rates, ON)
    return families / (time.perf_counter() - start), member_id


def member_count(engine: Engine) -> int | None:
    """Members in the database, or None before its schema exists."""
    if not inspect(engine).has_table("members"):
        return None
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Member.__table__))


def generate(engine: Engine, members: int) -> int:
    """Families of 1-6 members until `members`, inserted with executemany in chunks; returns families."""
    rng = random.Random(SEED)
    families: list[dict[str, object]] = []
    rows: list[dict[str, object]] = []
    with engine.begin() as connection:
        def flush() -> None:
            if families:
                connection.execute(insert(Base.metadata.tables["families"]), families)
            if rows:
                connection.execute(insert(Base.metadata.tables["members"]), rows)
            families.clear()
            rows.clear()

        family_id = member_id = 0
        while member_id < members:
            family_id += 1
            families.append({"id": family_id, "number": f"3372{family_id:012d}", "region_code": "3372",
                             "credit": 0})
            klass, paid = rng.choice((1, 2, 3, 3, 3)), paid_through(rng)
            for n in range(min(rng.randint(1, 6), members - member_id)):
                member_id += 1
                rows.append({
                    "id": member_id, "card_number": f"{member_id:013d}", "nik": f"3372{member_id:012d}",
                    "name": f"Peserta {member_id}", "birth_date": date(1980 + member_id % 30, 1 + member_id % 12, 1),
                    "family_id": family_id, "relationship": RELATIONS[n], "segment": "PBPU", "class_": klass,
                    "phone": None, "region_code": "3372", "paid_through": paid,
                })
            if len(rows) >= CHUNK:
                flush()
        flush()
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
            for table in ("families", "members"):
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                ))
        connection.execute(text("ANALYZE"))  # fresh statistics, as a live database would have
    return family_id


def prepare(url: str, members: int, fresh: bool) -> Engine:
    """The database to measure: reused when it holds `members` already, else migrated and generated."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite" and fresh and parsed.database:
        for suffix in ("", "-wal", "-shm"):
            Path(parsed.database + suffix).unlink(missing_ok=True)
    engine = make_engine(url)
    if engine.dialect.name == "postgresql" and fresh:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    found = member_count(engine)
    if found == members:
        print(f"database: {engine.url.render_as_string(hide_password=True)}, reusing {found:,} members")
        return engine
    if found:
        sys.exit(f"{engine.url.render_as_string(hide_password=True)} holds {found:,} members, "
                 f"not {members:,}: run with --fresh to rebuild it")
    migrate(engine)
    start = time.perf_counter()
    families = generate(engine, members)
    elapsed = time.perf_counter() - start
    print(f"database: {engine.url.render_as_string(hide_password=True)}, generated {members:,} members "
          f"in {families:,} families in {elapsed:.1f} s")
    return engine


def lookup_latencies(engine: Engine, members: int, lookups: int, shared_rates: bool) -> list[float]:
    """One request's work: a fresh session, the family by a member's card number, its arrears."""
    rng = random.Random(SEED + 1)
    factory = make_session_factory(engine)
    with factory() as session:
        rates = rate_table(session) if shared_rates else None
    latencies = []
    for _ in range(lookups):
        card = f"{rng.randint(1, members):013d}"
        start = time.perf_counter()
        with factory() as session:
            # One round trip: the family and all its members (a selectinload would be a second one).
            holder = select(Member.family_id).where(Member.card_number == card).scalar_subquery()
            family = session.scalars(
                select(Family).where(Family.id == holder).options(joinedload(Family.members))
            ).unique().one()
            family_arrears(session, family, ON, rates=rates)
        latencies.append(time.perf_counter() - start)
    return latencies


def report(label: str, latencies: list[float]) -> None:
    """Print the median and 99th percentile of the latencies, in milliseconds."""
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    print(f"{label}: p50 {cuts[49] * 1000:.2f} ms, p99 {cuts[98] * 1000:.2f} ms ({len(latencies):,} lookups)")


def main() -> None:
    """Parse the command line, then measure the engine and the lookups."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=100_000, help="families for the pure engine")
    parser.add_argument("--members", type=int, default=1_000_000, help="members in the database")
    parser.add_argument("--lookups", type=int, default=1_000)
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'bench/out/arrears.db'}")
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    args = parser.parse_args()

    throughput, members = engine_throughput(args.families)
    print(f"engine: {throughput:,.0f} families/s ({args.families:,} families, {members:,} members)")

    engine = prepare(args.database_url, args.members, args.fresh)
    try:
        report("lookup + arrears (rates read per request)", lookup_latencies(engine, args.members, args.lookups, False))
        report("lookup + arrears (rates shared)", lookup_latencies(engine, args.members, args.lookups, True))
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
