"""Reminders at branch scale: planning for N families, and draining them to the fake providers.

    .venv/bin/python bench/reminders.py [--families 1000000] [--drain N] [--database-url URL]
                                        [--skip-sqlite] [--limited 3000 --limit 100]

For each database (a fresh SQLite file in bench/out/, and PostgreSQL with --database-url or
TEST_DATABASE_URL, in a schema of its own dropped at the end) it loads N self-paying families, each with
one or two members, one verified chat (half Telegram, half WhatsApp) and a linked family, then prints:
- raw bulk inserts of N rows, the floors for putting N rows there: into a bare copy of the reminders table
  (its columns and unique key) from Python through the driver (COPY on PostgreSQL, executemany on SQLite),
  and made by the database itself (INSERT ... SELECT over the numbers 1..N); and that INSERT ... SELECT
  into the reminders table itself, whose indexes and foreign keys every planned row pays for too;
- planning the reminders due on the 20th (every family is due: half with the month unpaid, half in
  arrears), in a process of its own, with its time and peak memory, and a second run (plans nothing);
On PostgreSQL it then drains reminders to the fake Telegram and Twilio servers (each in its own process):
`--drain` outbox rows already worded and queued with 1 sender, then 4 senders (the sender alone), then
`--drain` reminders worded, queued and sent, with 1 and 4 senders (all sender processes, the rate limit off),
each per second; and `--limited` messages with 4 senders sharing a
WhatsApp limit of `--limit`/s through Redis (RATE_LIMIT_STORAGE_URL, default redis://127.0.0.1:6379/0),
reporting the achieved rate against it.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from sqlalchemy import Engine, MetaData, insert, select, text, update  # noqa: E402
from sqlalchemy.exc import DBAPIError  # noqa: E402

from bench.reminders_data import AT, load_branch, raw_from_python, raw_in_database  # noqa: E402
from models.db import make_engine, make_session_factory, normalise_url  # noqa: E402
from models.reminders import Reminder  # noqa: E402
from models.schema import migrate  # noqa: E402
from reminders.planner import plan_reminders  # noqa: E402
from rules.programme import DEFAULT_RULES  # noqa: E402
from tests.fakes.telegram_api import FakeTelegramAPI  # noqa: E402
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, SANDBOX_FROM  # noqa: E402

OUT = ROOT / "bench" / "out"
BATCH = 20_000
TELEGRAM_TOKEN = FakeTelegramAPI.token  # the fake answers this token only


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM, not ru_maxrss: a started process inherits its
    parent's ru_maxrss, which would charge the data set-up to the planning."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def chunks(rows: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    """Lists of at most `size` rows, for executemany."""
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _plan_in_child(url: str, queue: Any) -> None:
    """Plan once in this (spawned) process and report its time, the rows planned and its peak memory."""
    engine = make_engine(url)
    start = time.perf_counter()
    with make_session_factory(engine).begin() as session:
        counts = plan_reminders(session, AT, DEFAULT_RULES)
    queue.put((time.perf_counter() - start, sum(counts.values()), peak_rss_mb()))


def plan(url: str) -> tuple[float, int, float]:
    """Planning in a process of its own, so its peak memory is planning's (plus the interpreter's)."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_plan_in_child, args=(url, queue))
    child.start()
    result = queue.get()
    child.join()
    return result  # type: ignore[no-any-return]


def start_fake(module: str) -> tuple[subprocess.Popen[str], str]:
    """Start a fake provider's process; returns it and the base URL it printed."""
    process = subprocess.Popen([sys.executable, "-W", "ignore::RuntimeWarning", "-m", module], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def _sender(url: str, fakes: dict[str, str], limits: dict[str, str], storage: str | None, queue: Any,
            outbox_only: bool = False) -> None:
    """One sender process: drain worded outbox rows (`outbox_only`) or reminders (worded, queued, sent)."""
    # Only the sender processes load the app and the providers' libraries: the planning child, which
    # imports this module too, keeps its peak memory for planning.
    from app import build_runtime  # noqa: PLC0415
    from bot.settings import Settings  # noqa: PLC0415
    from reminders.scheduler import deliver_due  # noqa: PLC0415

    settings = Settings(instance_path=OUT / "instance", database_url=url, secret_key="bench", frozen_now=AT,
                        telegram_bot_token=TELEGRAM_TOKEN, telegram_api_url=fakes["telegram"],
                        twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN,
                        twilio_whatsapp_from=SANDBOX_FROM, twilio_api_url=fakes["twilio"],
                        send_limits=limits, rate_limit_storage_url=storage)
    runtime = build_runtime(settings)
    started = time.time()  # the wall clock, comparable across the sender processes
    if outbox_only:  # the sender alone: rows already worded and queued
        sent = 0
        while (some := runtime.sender.run_once(limit=200)) > 0:
            sent += some
    else:
        _counts, sent = deliver_due(runtime, AT, batch=200)
    queue.put((started, time.time(), sent))
    runtime.sender.close()
    for channel in runtime.sender.channels.values():
        close = getattr(channel, "close", None)
        if close is not None:
            close()


def fill_outbox(engine: Engine, count: int) -> None:
    """`count` reminders already worded and queued, one per chat (half Telegram, half WhatsApp inside its
    24-hour window): what the sender alone drains."""
    tables = MetaData()
    tables.reflect(engine, only=["outbox", "chats"])
    outbox, chats = tables.tables["outbox"], tables.tables["chats"]
    with engine.begin() as connection:
        found = connection.execute(select(chats.c.id, chats.c.channel, chats.c.address)
                                   .order_by(chats.c.id).limit(count)).all()
        rows = ({"channel": channel, "address": address, "chat_id": chat_id, "kind": "reminder",
                 "body": "Iuran JKN keluarga 3372********0001 belum dibayar: Rp105.000. Bayar ke VA 8888...",
                 "choices": [], "ask_contact": False, "status": "queued", "priority": 5, "attempts": 0,
                 "next_attempt_at": AT, "created_at": AT} for chat_id, channel, address in found)
        for batch in chunks(rows):
            connection.execute(insert(outbox), batch)


def release(engine: Engine, count: int) -> None:
    """Make `count` of the planned reminders due (and the others wait), so a drain has a known size."""
    with engine.begin() as connection:
        later = AT + timedelta(days=3650)
        connection.execute(update(Reminder).where(Reminder.status == "planned").values(not_before=later))
        due = select(Reminder.id).where(Reminder.status == "planned").order_by(Reminder.id).limit(count)
        connection.execute(update(Reminder).where(Reminder.id.in_(due.scalar_subquery())).values(not_before=AT))


def provider_count(fake_url: str) -> int:
    """How many messages the fake provider has received (its own counter, read over HTTP)."""
    with urllib.request.urlopen(f"{fake_url}/_fake/stats", timeout=5) as answer:
        return int(json.loads(answer.read())["requests"])


def watch(fake_url: str, samples: list[tuple[float, int]], stop: threading.Event) -> None:
    """Sample the fake provider's message count every 0.1 s until stopped."""
    while not stop.is_set():
        samples.append((time.monotonic(), provider_count(fake_url)))
        stop.wait(0.1)


def steady_rate(samples: list[tuple[float, int]], limit: int) -> float:
    """Messages per second at the provider once the first second's burst is past, until the last arrived."""
    base, final = samples[0][1], samples[-1][1]
    after_burst = next((t, n) for t, n in samples if n >= base + limit)
    last = next((t, n) for t, n in samples if n >= final)
    return (last[1] - after_burst[1]) / (last[0] - after_burst[0]) if last[0] > after_burst[0] else 0.0


def drain(url: str, engine: Engine, fakes: dict[str, str], senders: int, count: int, limits: dict[str, str],
          storage: str | None = None, outbox_only: bool = False) -> tuple[int, float]:
    """Queue `count` worded rows (`outbox_only`) or release `count` reminders, and send them with `senders`
    processes; returns (sent, seconds)."""
    if outbox_only:
        fill_outbox(engine, count)
    else:
        release(engine, count)
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    children = [context.Process(target=_sender, args=(url, fakes, limits, storage, queue, outbox_only))
                for _ in range(senders)]
    for child in children:
        child.start()
    results = [queue.get() for _ in children]
    for child in children:
        child.join()
    # From the first sender's start (its imports and connections done) to the last one's end.
    seconds = max(end for _start, end, _sent in results) - min(start for start, _end, _sent in results)
    return sum(sent for _start, _end, sent in results), seconds


def quiet_disk(engine: Engine) -> None:
    """PostgreSQL: write every dirty page back now (CHECKPOINT), so that the pages of what came before (the
    load, the previous step) are not written back in the middle of whichever timed step comes next."""
    if engine.dialect.name != "postgresql":
        return
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("CHECKPOINT"))
    except DBAPIError:  # CHECKPOINT needs a superuser or pg_checkpoint: the figures are then noisier
        print("(no CHECKPOINT between steps: this role may not; the figures vary more)")


def bench(label: str, url: str, families: int, args: argparse.Namespace) -> None:
    """Load the branch, then plan twice and (PostgreSQL) drain with and without a shared limit."""
    engine = make_engine(url)
    migrate(engine)
    start = time.perf_counter()
    load_branch(engine, families)
    print(f"{label}: {families:,} families loaded in {time.perf_counter() - start:.0f} s (not part of the figures)")
    quiet_disk(engine)
    python = raw_from_python(engine, families)
    way = "COPY" if engine.dialect.name == "postgresql" else "executemany"
    print(f"{label}: raw bulk insert of {families:,} rows into a reminders copy from Python ({way}): {python:7.1f} s")
    quiet_disk(engine)
    database = raw_in_database(engine, families)
    print(f"{label}: raw bulk insert of {families:,} rows made in the database (INSERT ... SELECT): {database:7.1f} s")
    quiet_disk(engine)
    table = raw_in_database(engine, families, into_reminders=True)
    print(f"{label}: the same into the reminders table itself (its indexes and foreign keys):     {table:7.1f} s")
    quiet_disk(engine)
    seconds, planned, rss = plan(url)
    print(f"{label}: planning {planned:,} reminders: {seconds:7.1f} s = {seconds / python:.2f} x the raw insert from "
          f"Python, {seconds / database:.2f} x the one in the database, {seconds / table:.2f} x the same into the "
          f"reminders table; peak RSS of the planning process {rss:.0f} MiB")
    quiet_disk(engine)
    again, planned_again, _ = plan(url)
    print(f"{label}: planning again: {again:7.1f} s, {planned_again} new")
    if label.startswith("PostgreSQL") and (args.drain or args.limited):
        off = {"telegram": "off", "telegram_chat": "off", "whatsapp": "off", "web": "off"}
        telegram, telegram_url = start_fake("tests.fakes.telegram_api")
        twilio, twilio_url = start_fake("tests.fakes.twilio_api")
        fakes = {"telegram": telegram_url, "twilio": twilio_url}
        try:
            for senders in (1, 4) if args.drain else ():
                sent, spent = drain(url, engine, fakes, senders, args.drain, off, outbox_only=True)
                print(f"{label}: {senders} sender{'s' if senders > 1 else ' '}, rate limit off: {sent:,} sent in "
                      f"{spent:6.1f} s = {sent / spent:6.0f} messages/s (outbox rows sent and recorded)")
            for senders in (1, 4) if args.drain else ():
                sent, spent = drain(url, engine, fakes, senders, args.drain, off)
                print(f"{label}: {senders} sender{'s' if senders > 1 else ' '}, rate limit off: {sent:,} sent in "
                      f"{spent:6.1f} s = {sent / spent:6.0f} messages/s (worded, queued and sent)")
            if args.limited:
                storage = args.storage or None
                limited = {**off, "whatsapp": f"{args.limit}/second", "telegram": f"{args.limit}/second"}
                with engine.begin() as connection:  # one channel, so one limit: WhatsApp only
                    connection.execute(update(Reminder).where(Reminder.channel == "telegram",
                                                              Reminder.status == "planned")
                                       .values(status="skipped", reason="bench"))
                samples: list[tuple[float, int]] = []
                stop = threading.Event()
                watcher = threading.Thread(target=watch, args=(fakes["twilio"], samples, stop), daemon=True)
                watcher.start()
                sent, spent = drain(url, engine, fakes, 4, args.limited, limited, storage)
                stop.set()
                watcher.join()
                achieved = steady_rate(samples, args.limit)
                print(f"{label}: 4 senders sharing a WhatsApp limit of {args.limit}/s through {storage or 'no storage'}:"
                      f" {sent:,} sent; at the provider {achieved:.2f}/s after the first second's burst "
                      f"({(achieved / args.limit - 1) * 100:+.1f}% of the limit)")
        finally:
            telegram.terminate()
            twilio.terminate()
    engine.dispose()


def main() -> None:
    """Parse the command line, then bench SQLite and PostgreSQL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=1_000_000)
    parser.add_argument("--drain", type=int, default=None, help="reminders per drain (default: families / 2)")
    parser.add_argument("--limited", type=int, default=300, help="messages in the rate-limited drain (0: none)")
    parser.add_argument("--limit", type=int, default=10,
                        help="the configured WhatsApp limit, messages/s (below what the senders manage unlimited)")
    parser.add_argument("--storage", default=os.environ.get("RATE_LIMIT_STORAGE_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    if args.drain is None:
        args.drain = args.families // 2
    OUT.mkdir(parents=True, exist_ok=True)
    if not args.skip_sqlite:
        database = OUT / "reminders-bench.db"
        for leftover in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            leftover.unlink(missing_ok=True)
        try:
            bench("SQLite    ", f"sqlite:///{database}", args.families, args)
        finally:
            for leftover in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
                leftover.unlink(missing_ok=True)
    if args.database_url:
        url = normalise_url(args.database_url)
        schema = f"bench_reminders_{uuid.uuid4().hex[:8]}"
        admin = make_engine(url)
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        try:
            # The schema through the URL, so every process the bench starts works in it.
            bench("PostgreSQL", f"{url}?options=-csearch_path%3D{schema}", args.families, args)
        finally:
            with admin.begin() as connection:
                connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()
    print(f"peak RSS of this process (data set-up included): {peak_rss_mb():.0f} MiB")


if __name__ == "__main__":
    main()
