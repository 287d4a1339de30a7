"""How long a members CSV of 1,000,000 rows takes to import, and how much memory it needs, on SQLite and PostgreSQL.

    .venv/bin/python bench/import_members.py [--members N] [--database-url URL] [--batch-size N] [--tracemalloc]

Writes bench/out/members-N.csv (git-ignored; streamed, reused when already there), imports it into a fresh
SQLite database in bench/out/, then a second time (everything unchanged), and prints the time, rows per
second and peak memory of each. With --database-url, or TEST_DATABASE_URL set, it does the same on
PostgreSQL in a schema of its own that is dropped at the end. --tracemalloc also reports Python's own peak
allocation, at the price of a much slower run.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
import tracemalloc
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from sqlalchemy import Engine, func, select, text  # noqa: E402

from models import imports  # noqa: E402
from models.db import make_engine, make_session_factory, normalise_url  # noqa: E402
from models.people import Family, Member  # noqa: E402
from models.schema import migrate  # noqa: E402

TODAY = date(2025, 11, 15)  # a fixed day: figures must not depend on when the bench runs
SEED = 20251115
OUT = ROOT / "bench" / "out"
HEADER = "card_number,nik,name,birth_date,family_number,relationship,segment,class,phone,region_code,paid_through\n"
REGIONS = ("3372", "3311", "3313", "6472", "6471", "9171")
GIVEN = ("Budi", "Siti", "Slamet", "Sri", "Agus", "Dewi", "Joko", "Rina", "Andi", "Maria", "Yohanes", "Nur")
SECOND = ("Santoso", "Lestari", "Wibowo", "Rahayu", "Prasetyo", "Wahyuni", "Kogoya", "Hidayat", "Saputra")
RELATIONS = ("kepala keluarga", "istri", "anak", "anak", "anak", "lainnya")


def csv_lines(members: int) -> Iterator[str]:
    """Families of 1 to 6 in file order, heads first, with the mix of forms a branch export has."""
    rng = random.Random(SEED)
    written = family = 0
    while written < members:
        family += 1
        size = min(rng.choice((1, 2, 3, 3, 4, 4, 5, 6)), members - written)
        region = rng.choice(REGIONS)
        family_number = f"{region}{family:012d}"
        klass = rng.choice(("3", "3", "3", "III", "2", "1"))
        segment = rng.choice(("PBPU", "PBPU", "PBPU", "BP", "PPU", "PBI"))
        behind = rng.choice((0, 0, 1, 2, 5, 10, 14, 24, 36, 50))
        month = TODAY.year * 12 + TODAY.month - 1 - behind
        paid_through = f"{month // 12}-{month % 12 + 1:02d}"
        for position in range(size):
            written += 1
            born = date(1950, 1, 1) + timedelta(days=rng.randrange(26_000))
            born_text = born.isoformat() if rng.random() < 0.7 else born.strftime("%d-%m-%Y")
            phone = ""
            if position == 0 or rng.random() < 0.2:
                digits = f"81{rng.choice('2389')}{rng.randrange(10**8):08d}"  # 0812..., 0813..., ...
                phone = rng.choice((f"0{digits}", f"62{digits}", f"+62 {digits}",
                                    f"0{digits[:3]}-{digits[3:7]}-{digits[7:]}"))
            name = f"{rng.choice(GIVEN)} {rng.choice(SECOND)}"
            yield (f"000{written:010d},{region}{written:012d},{name},{born_text},{family_number},"
                   f"{RELATIONS[position]},{segment},{klass},{phone},{region},{paid_through}\n")


def write_csv(members: int) -> Path:
    path = OUT / f"members-{members}.csv"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        handle.writelines(csv_lines(members))
    partial.rename(path)
    return path


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def timed_import(engine: Engine, path: Path, members: int, label: str, trace: bool) -> None:
    sessions = make_session_factory(engine)
    for attempt in ("first", "again"):
        if trace:
            tracemalloc.start()
        start = time.perf_counter()
        report = imports.import_file(sessions, "members", path, today=TODAY, progress=sys.stderr.isatty())
        seconds = time.perf_counter() - start
        traced = ""
        if trace:
            traced = f", tracemalloc peak {tracemalloc.get_traced_memory()[1] / 2**20:.0f} MiB"
            tracemalloc.stop()
        print(f"{label} {attempt:5}: {report.summary()}")
        print(f"{'':{len(label)}}        {seconds:7.1f} s, {members / seconds:8,.0f} rows/s, "
              f"peak RSS so far {peak_rss_mb():.0f} MiB{traced}")
    with sessions() as session:
        counted = session.scalar(select(func.count(Member.id)))
        families = session.scalar(select(func.count(Family.id)))
    print(f"{'':{len(label)}}        database: {counted:,} members in {families:,} families")


def bench_sqlite(path: Path, members: int, trace: bool) -> None:
    database = OUT / "import-bench.db"
    for leftover in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        leftover.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{database}")
    migrate(engine)
    try:
        timed_import(engine, path, members, "SQLite    ", trace)
    finally:
        engine.dispose()
        for leftover in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            leftover.unlink(missing_ok=True)


def bench_postgresql(url: str, path: Path, members: int, trace: bool) -> None:
    """In a schema of its own, so a shared test database is not disturbed; dropped at the end."""
    schema = f"bench_import_{os.getpid()}"
    admin = make_engine(normalise_url(url))
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine = make_engine(normalise_url(url), connect_args={"options": f"-csearch_path={schema}"})
    try:
        migrate(engine)
        timed_import(engine, path, members, "PostgreSQL", trace)
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"),
                        help="also bench PostgreSQL (default: TEST_DATABASE_URL)")
    parser.add_argument("--batch-size", type=int, default=imports.BATCH_SIZE)
    parser.add_argument("--tracemalloc", action="store_true", help="report Python's peak allocation (slow)")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()

    imports.BATCH_SIZE = args.batch_size
    start = time.perf_counter()
    path = write_csv(args.members)
    print(f"{path.relative_to(ROOT)}: {args.members:,} members, {path.stat().st_size / 2**20:.0f} MiB "
          f"(ready in {time.perf_counter() - start:.1f} s); batches of {args.batch_size:,}; "
          f"RSS before importing {peak_rss_mb():.0f} MiB")
    if not args.skip_sqlite:
        bench_sqlite(path, args.members, args.tracemalloc)
    if args.database_url:
        bench_postgresql(args.database_url, path, args.members, args.tracemalloc)


if __name__ == "__main__":
    main()
