"""What bench/reminders.py writes before it plans, not timed and timed: the branch of N self-paying families
(bulk inserts), and the raw inserts of N reminder rows that planning is measured against (its floors).

Imported by bench/reminders.py once the repository root is on sys.path, as `bench.reminders_data`.
"""

from __future__ import annotations

import itertools
import json
import time
import typing
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    Table,
    UniqueConstraint,
    delete,
    func,
    insert,
    literal,
    select,
    text,
)

from models.base import UTCDateTime
from models.reminders import Reminder

AT = datetime(2025, 6, 20, 3, 0, tzinfo=UTC)  # 10:00 WIB on the 20th: the unpaid and the arrears reminders


def load_branch(engine: Engine, families: int) -> None:
    """N families (ids 1..N), 1-2 members each, a chat each, linked: by bulk inserts, not timed."""
    tables = MetaData()
    tables.reflect(engine, only=["families", "members", "chats", "chat_families"])
    paid_up_to_may, behind = date(2025, 5, 1), date(2024, 11, 1)
    created = datetime(2025, 6, 1, tzinfo=UTC)
    recent = AT - timedelta(hours=2)  # inside WhatsApp's window: the reminder goes as text

    def family_rows() -> Iterator[dict[str, Any]]:
        for n in range(1, families + 1):
            yield {"id": n, "number": f"3372{n:012d}", "region_code": ("3372", "6472", "9171")[n % 3], "credit": 0}

    def member_rows() -> Iterator[dict[str, Any]]:
        for n in range(1, families + 1):
            for position in range(1 + n % 2):
                card = 2 * n + position
                yield {"card_number": f"000{card:010d}", "nik": f"3372{card:012d}", "name": "Warga Bench",
                       "birth_date": date(1980, 1, 1), "family_id": n,
                       "relationship": "head" if position == 0 else "spouse", "segment": "PBPU", "class_": 3,
                       "phone": None, "region_code": ("3372", "6472", "9171")[n % 3],
                       "paid_through": paid_up_to_may if n % 2 else behind}

    def chat_rows() -> Iterator[dict[str, Any]]:
        for n in range(1, families + 1):
            telegram = n % 2 == 0
            yield {"id": n, "channel": "telegram" if telegram else "whatsapp",
                   "address": str(100_000_000 + n) if telegram else f"whatsapp:+62812{n:08d}", "language": "id",
                   "state_data": {}, "last_inbound_at": recent, "created_at": created}

    with engine.begin() as connection:
        for table, rows in (("families", family_rows()), ("members", member_rows()), ("chats", chat_rows())):
            bulk_insert(connection, tables.tables[table], rows)
        members, links = tables.tables["members"], tables.tables["chat_families"]
        heads = (select(members.c.family_id, members.c.family_id, func.min(members.c.id),
                        literal(created, UTCDateTime()))
                 .group_by(members.c.family_id))  # chat n proved family n through its first member
        connection.execute(insert(links).from_select(["chat_id", "family_id", "member_id", "verified_at"], heads))
        if engine.dialect.name == "postgresql":
            connection.execute(text("ANALYZE"))


def bulk_insert(connection: Connection, table: Table, rows: Iterator[dict[str, Any]]) -> None:
    """Rows into `table` through the driver, so loading a million families takes minutes, not a quarter hour:
    COPY on PostgreSQL, executemany on SQLite (with values as SQLAlchemy stores them there)."""
    first = next(rows, None)
    if first is None:
        return
    columns = list(first)
    names = ", ".join(columns)
    driver: Any = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        with driver.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in itertools.chain([first], rows):
                copy.write_row([json.dumps(row[name]) if isinstance(row[name], dict) else row[name]
                                for name in columns])
        return
    marks = ", ".join("?" for _ in columns)
    driver.cursor().executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})",
                                ([sqlite_value(row[name]) for name in columns]
                                 for row in itertools.chain([first], rows)))


def sqlite_value(value: Any) -> Any:
    """A value as SQLAlchemy writes it to SQLite: UTC date-times as naive text, dates as ISO, JSON as text."""
    if isinstance(value, datetime):
        return f"{value.astimezone(UTC):%Y-%m-%d %H:%M:%S.%f}"
    if isinstance(value, date):
        return value.isoformat()
    return json.dumps(value) if isinstance(value, dict) else value


def raw_table(engine: Engine) -> Table:
    """An empty copy of the reminders table: its columns and types and its unique key, without its other
    indexes and foreign keys (what any insert of N reminder rows has to write at least)."""
    raw = Table("reminders_raw", MetaData(),
                *(Column(column.name, column.type, primary_key=column.primary_key) for column in Reminder.__table__.c),
                UniqueConstraint("family_id", "kind", "period", "channel"))
    raw.drop(engine, checkfirst=True)
    raw.create(engine)
    return raw


def raw_from_python(engine: Engine, families: int) -> float:
    """N rows from Python through the driver, as bench/import_members.py's floor: COPY on PostgreSQL,
    executemany on SQLite (values as SQLAlchemy stores them there: naive UTC text)."""
    raw = raw_table(engine)
    now = datetime.now(UTC)
    postgresql = engine.dialect.name == "postgresql"
    moments = (AT, now) if postgresql else tuple(f"{moment:%Y-%m-%d %H:%M:%S.%f}" for moment in (AT, now))
    rows = ((n, n, "dues_arrears", "2025-06-20", "whatsapp", n, None, moments[0], "planned", None, moments[1], None)
            for n in range(1, families + 1))
    names = ", ".join(column.name for column in raw.c)
    start = time.perf_counter()
    with engine.begin() as connection:
        driver: Any = connection.connection.driver_connection
        if postgresql:
            with driver.cursor() as cursor, cursor.copy(f"COPY reminders_raw ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in raw.c)
            driver.cursor().executemany(f"INSERT INTO reminders_raw ({names}) VALUES ({marks})", rows)
    seconds = time.perf_counter() - start
    raw.drop(engine)
    return seconds


def raw_in_database(engine: Engine, families: int, into_reminders: bool = False) -> float:
    """N rows made by the database itself (INSERT ... SELECT over the numbers 1..N): no Python per row, no
    join, no grouping; the floor for the planner's own INSERT ... SELECT. Into the bare copy, or with
    `into_reminders` into the reminders table itself, with its indexes and foreign keys (family n, chat n),
    emptied again afterwards."""
    raw = typing.cast(Table, Reminder.__table__) if into_reminders else raw_table(engine)
    if engine.dialect.name == "postgresql":
        numbers: Any = func.generate_series(1, families).table_valued("n").render_derived()
    else:
        numbers = select(literal(1).label("n")).cte("numbers", recursive=True)
        numbers = numbers.union_all(select(numbers.c.n + 1).where(numbers.c.n < families))
    values = {"id": numbers.c.n, "family_id": numbers.c.n, "kind": literal("raw"), "period": literal("2025-06-20"),
              "channel": literal("whatsapp"), "chat_id": numbers.c.n, "broadcast_id": literal(None),
              "not_before": literal(AT, UTCDateTime()), "status": literal("planned"), "reason": literal(None),
              "created_at": literal(datetime.now(UTC), UTCDateTime()), "settled_at": literal(None)}
    if into_reminders:
        del values["id"]  # the table numbers its rows, as for the planner's
    start = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(insert(raw).from_select(list(values), select(*values.values())))
    seconds = time.perf_counter() - start
    if into_reminders:
        with engine.begin() as connection:
            connection.execute(delete(raw))
        if engine.dialect.name == "postgresql":  # no dead rows left for the planner to step over
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE reminders"))
    else:
        raw.drop(engine)
    return seconds
