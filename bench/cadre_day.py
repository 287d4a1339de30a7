"""How long a cadre waits: TUGAS over a full list, REKAP, a day's reports in one message, and the morning
planner for a whole branch of cadres, on SQLite (default) or PostgreSQL.

    .venv/bin/python bench/cadre_day.py [--cadres N] [--households N] [--database-url URL]

Builds a fresh branch each run (a temporary SQLite file, or the public schema of the given PostgreSQL
database, dropped and recreated: name a database kept for benchmarks): N cadres with the given number of
households each (the domain's typical assignment is about 500), members a few months to years behind.
Prints the median of a few runs of each, in milliseconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere, like the README says

from sqlalchemy import text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app import build_runtime  # noqa: E402
from bot.messages import Incoming  # noqa: E402
from bot.settings import Settings  # noqa: E402
from models import Assignment, Cadre, Family, Member  # noqa: E402
from models.db import make_engine  # noqa: E402
from models.schema import migrate  # noqa: E402
from reminders.cadre_mornings import plan_cadre_mornings  # noqa: E402
from rules.programme import DEFAULT_RULES  # noqa: E402

MORNING = datetime(2025, 6, 2, 0, 5, tzinfo=UTC)  # Monday 07:05 WIB
SEED = 20250602


def build(url: str, cadres: int, households: int) -> list[tuple[str, list[str]]]:
    """The branch; returns each cadre's phone and card numbers."""
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrate(engine)
    rng = random.Random(SEED)
    made = []
    with engine.begin() as connection:
        session = Session(bind=connection)
        serial = 0
        for number in range(cadres):
            cadre = Cadre(code=f"KDR-B-{number:03d}", name=f"Kader {number}", phone=f"+62812{number:08d}",
                          region_code="3372")
            session.add(cadre)
            session.flush()
            cards = []
            for _ in range(households):
                serial += 1
                family = Family(number=f"3372{serial:012d}", region_code="3372")
                session.add(family)
                session.flush()
                behind = rng.choice((0, 1, 3, 5, 8, 12, 18, 24, 30))
                index = 2025 * 12 + 4 - behind
                for person in range(rng.randint(1, 5)):
                    card = f"0001{serial:06d}{person:03d}"
                    session.add(Member(card_number=card, nik=f"3372{serial:09d}{person:03d}", name=f"Warga {serial}",
                                       birth_date=date(1980, 1, 1), family_id=family.id,
                                       relation="head" if person == 0 else "child", segment="PBPU",
                                       class_=3, region_code="3372",
                                       paid_through=date(index // 12, index % 12 + 1, 1)))
                    if person == 0:
                        cards.append(card)
                session.add(Assignment(family_id=family.id, cadre_id=cadre.id))
            made.append((cadre.phone or "", cards))
        session.flush()
    engine.dispose()
    return made


def median_ms(action: Callable[[], object], runs: int = 5) -> float:
    """The median of `runs` calls of `action`, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    """Parse the command line, then build the branch and time a cadre's day."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cadres", type=int, default=20)
    parser.add_argument("--households", type=int, default=500)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cadre-day-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    started = time.perf_counter()
    made = build(url, args.cadres, args.households)
    print(f"branch: {args.cadres} cadres x {args.households} households ({make_engine(url).dialect.name}), "
          f"built in {time.perf_counter() - started:.1f} s")
    runtime = build_runtime(Settings(instance_path=folder, database_url=url, secret_key="bench", frozen_now=MORNING))
    phone, cards = made[0]
    ids = iter(range(10**9))

    def say(body: str, sender: str = phone) -> None:
        runtime.receive(Incoming(channel="web", address=f"bench-{sender}", provider_id=f"b{next(ids)}",
                                 received_at=MORNING, text=body, sender_phone=sender))

    for other, _ in made:  # every cadre has a chat the morning list can go to
        say("HALO", other)
    print(f"TUGAS over {args.households} households: {median_ms(lambda: say('TUGAS')):.0f} ms")
    print(f"REKAP: {median_ms(lambda: say('REKAP')):.0f} ms")
    rounds = iter(range(10**6))

    def day_of_reports() -> None:
        offset = next(rounds) * 20
        say("LAPOR\n" + "\n".join(f"{card} bayar 150rb" for card in cards[offset:offset + 20]))

    print(f"one message of 20 reports: {median_ms(day_of_reports, runs=3):.0f} ms")

    def mornings() -> None:
        with runtime.sessions() as session:
            plan_cadre_mornings(session, MORNING, DEFAULT_RULES, runtime.settings)
            session.rollback()  # plan again from scratch on the next run

    print(f"morning planner, {args.cadres} cadres: {median_ms(mornings, runs=3):.0f} ms")
    runtime.engine.dispose()


if __name__ == "__main__":
    main()
