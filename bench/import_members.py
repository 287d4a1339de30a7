"""How long a members CSV of 1,000,000 rows takes to import, next to a raw bulk insert of the same rows.

    .venv/bin/python bench/import_members.py [--rows N] [--database-url URL] [--skip-sqlite]

Writes bench/out/members-N.csv (git-ignored; reused when already there) with the mix of forms a branch export
has, and the same rows as the database stores them. Then, on SQLite (a fresh file in bench/out/) and, with
--database-url or TEST_DATABASE_URL, on PostgreSQL (a schema of its own, dropped at the end):
  raw    families and members inserted as they are, no checks (executemany on SQLite, COPY on PostgreSQL),
         into the same tables with the same indexes, in a fresh schema;
  first  `flask import members` of the file into another fresh schema;
  again  the same file once more (everything unchanged).
Each line prints the time, rows per second, the ratio to the raw insert, this process's CPU time, and the
peak RSS of the process so far (the raw insert streams, so the peak is the imports').
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from sqlalchemy import Engine, func, select, text  # noqa: E402

import ingest  # noqa: E402
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
RELATIONS = (("kepala keluarga", "head"), ("istri", "spouse"), ("anak", "child"), ("anak", "child"),
             ("anak", "child"), ("lainnya", "other"))
CLASSES = {"1": 1, "2": 2, "3": 3, "III": 3}
MEMBER_COLUMNS = ("card_number", "nik", "name", "birth_date", "family_id", "relationship", "segment", "class_",
                  "phone", "region_code", "paid_through")


@dataclass(frozen=True)
class Files:
    """The generated members file, and the same rows as stored (for the raw insert)."""

    csv: Path  # what a branch sends
    families: Path  # id,number,region_code,credit as stored
    members: Path  # MEMBER_COLUMNS as stored (empty phone: none)


def generated(rows: int) -> Iterator[tuple[str, list[str] | None, list[str]]]:
    """(CSV line, the family's stored row when the line starts a family, the member's stored row): families of
    1 to 6 in file order, heads first."""
    rng = random.Random(SEED)
    written = family = 0
    while written < rows:
        family += 1
        size = min(rng.choice((1, 2, 3, 3, 4, 4, 5, 6)), rows - written)
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
            phone = stored_phone = ""
            if position == 0 or rng.random() < 0.2:
                digits = f"81{rng.choice('2389')}{rng.randrange(10**8):08d}"  # 0812..., 0813..., ...
                phone = rng.choice((f"0{digits}", f"62{digits}", f"+62 {digits}",
                                    f"0{digits[:3]}-{digits[3:7]}-{digits[7:]}"))
                stored_phone = f"+62{digits}"
            name = f"{rng.choice(GIVEN)} {rng.choice(SECOND)}"
            card, nik = f"000{written:010d}", f"{region}{written:012d}"
            word, relationship = RELATIONS[position]
            line = (f"{card},{nik},{name},{born_text},{family_number},{word},{segment},{klass},{phone},{region},"
                    f"{paid_through}\n")
            stored = [card, nik, name, born.isoformat(), str(family), relationship, segment, str(CLASSES[klass]),
                      stored_phone, region, f"{paid_through}-01"]
            yield line, [str(family), family_number, region, "0"] if position == 0 else None, stored


def write_files(rows: int) -> Files:
    """Generate the files for `rows` members once; later runs reuse them."""
    files = Files(OUT / f"members-{rows}.csv", OUT / f"members-{rows}.families.raw",
                  OUT / f"members-{rows}.members.raw")
    if all(path.exists() for path in (files.csv, files.families, files.members)):
        return files
    OUT.mkdir(parents=True, exist_ok=True)
    with (files.csv.open("w", encoding="utf-8", newline="") as lines,
          files.families.open("w", encoding="utf-8", newline="") as families,
          files.members.open("w", encoding="utf-8", newline="") as members):
        lines.write(HEADER)
        family_rows, member_rows = csv.writer(families), csv.writer(members)
        for line, family, member in generated(rows):
            lines.write(line)
            if family is not None:
                family_rows.writerow(family)
            member_rows.writerow(member)
    return files


def peak_rss_mb() -> float:
    """This process's peak resident memory, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cpu_seconds() -> float:
    """User and system CPU time this process has used, in seconds."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def raw_insert(engine: Engine, files: Files) -> None:
    """The same rows, already as stored, into the same tables in one transaction: the floor for an import."""
    connection = engine.raw_connection()
    try:
        driver = connection.driver_connection
        assert driver is not None
        cursor = driver.cursor()
        if engine.dialect.name == "postgresql":
            for table, columns, path in (("families", "id, number, region_code, credit", files.families),
                                         ("members", ", ".join(MEMBER_COLUMNS), files.members)):
                with path.open("rb") as source, cursor.copy(
                        f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
                    while chunk := source.read(1 << 20):
                        copy.write(chunk)
        else:
            cursor.execute("BEGIN IMMEDIATE")
            with files.families.open(encoding="utf-8", newline="") as source:
                cursor.executemany("INSERT INTO families (id, number, region_code, credit) VALUES (?, ?, ?, ?)",
                                   csv.reader(source))
            marks = ", ".join("NULLIF(?, '')" if name == "phone" else "?" for name in MEMBER_COLUMNS)
            with files.members.open(encoding="utf-8", newline="") as source:
                cursor.executemany(f"INSERT INTO members ({', '.join(MEMBER_COLUMNS)}) VALUES ({marks})",
                                   csv.reader(source))
        connection.commit()
    finally:
        connection.close()


def measure(label: str, rows: int, started: float, cpu: float, raw: float | None) -> float:
    """Print one line of figures for a step begun at `started`; returns its seconds."""
    seconds = time.perf_counter() - started
    ratio = f"{seconds / raw:5.2f} x raw" if raw else "         "
    print(f"{label:17} {seconds:7.1f} s {rows / seconds:10,.0f} rows/s  {ratio}  cpu {cpu_seconds() - cpu:6.1f} s  "
          f"peak RSS {peak_rss_mb():4.0f} MiB", flush=True)
    return seconds


def bench(name: str, fresh: Engine, files: Files, rows: int, schema_again: Engine) -> None:
    """raw, first and again on one database; `fresh` and `schema_again` are empty migrated schemas."""
    started, cpu = time.perf_counter(), cpu_seconds()
    raw_insert(fresh, files)
    raw = measure(f"{name} raw", rows, started, cpu, None)
    sessions = make_session_factory(schema_again)
    for attempt in ("first", "again"):
        started, cpu = time.perf_counter(), cpu_seconds()
        report = ingest.import_file(sessions, "members", files.csv, today=TODAY, progress=sys.stderr.isatty())
        measure(f"{name} {attempt}", rows, started, cpu, raw)
        print(f"{'':17} {report.summary()}")
    with sessions() as session:
        members = session.scalar(select(func.count(Member.id)))
        families = session.scalar(select(func.count(Family.id)))
    print(f"{'':17} database: {members:,} members in {families:,} families", flush=True)


def bench_sqlite(files: Files, rows: int) -> None:
    """Raw insert, first import and again, each on a fresh SQLite file in bench/out/ (removed after)."""
    paths = [OUT / "import-bench-raw.db", OUT / "import-bench.db"]
    leftovers = [Path(f"{path}{suffix}") for path in paths for suffix in ("", "-wal", "-shm")]
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    engines = [make_engine(f"sqlite:///{path}") for path in paths]
    try:
        for engine in engines:
            migrate(engine)
        bench("SQLite", engines[0], files, rows, engines[1])
    finally:
        for engine in engines:
            engine.dispose()
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)


def bench_postgresql(url: str, files: Files, rows: int) -> None:
    """In schemas of their own, so a shared test database is not disturbed; dropped at the end."""
    schemas = [f"bench_import_raw_{os.getpid()}", f"bench_import_{os.getpid()}"]
    admin = make_engine(normalise_url(url))
    engines = []
    try:
        for schema in schemas:
            with admin.begin() as connection:
                connection.execute(text(f"CREATE SCHEMA {schema}"))
            engines.append(make_engine(normalise_url(url), connect_args={"options": f"-csearch_path={schema}"}))
            migrate(engines[-1])
        bench("PostgreSQL", engines[0], files, rows, engines[1])
    finally:
        for engine in engines:
            engine.dispose()
        with admin.begin() as connection:
            for schema in schemas:
                connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


def main() -> None:
    """Parse the command line, write the files, then bench SQLite and PostgreSQL."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="members in the file (default 1,000,000)")
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"),
                        help="also bench PostgreSQL (default: TEST_DATABASE_URL)")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()

    started = time.perf_counter()
    files = write_files(args.rows)
    print(f"{files.csv.relative_to(ROOT)}: {args.rows:,} members, {files.csv.stat().st_size / 2**20:.0f} MiB "
          f"(ready in {time.perf_counter() - started:.1f} s); RSS before importing {peak_rss_mb():.0f} MiB; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)
    if not args.skip_sqlite:
        bench_sqlite(files, args.rows)
    if args.database_url:
        bench_postgresql(args.database_url, files, args.rows)


if __name__ == "__main__":
    main()
