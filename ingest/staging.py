"""A file's parsed rows in TEMP tables on one connection, so that an import decides with set-based SQL.

The rows go in with COPY on PostgreSQL (psycopg's cursor.copy, written from a thread of psycopg's own so that
formatting the next rows overlaps with sending these) and with executemany on SQLite. Filling and querying the
temp tables needs no write lock on SQLite (a temp table lives in the connection's own temp database), so only
the transactions that change the real tables take it, each for one chunk of rows: the service keeps
answering while a million members load.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import Connection, Engine, MetaData, Table, func, select
from sqlalchemy.orm import Session, sessionmaker

from models.db import READ_ONLY

# Rows handed to the database at once while loading: large enough that the per-call cost vanishes, small
# enough to keep memory flat (measured with bench/import_members.py: 10,000 and 50,000 load alike).
LOAD_CHUNK = 10_000
# Lines written per write transaction: each holds SQLite's write lock for about a second at most.
WRITE_CHUNK = 100_000

TEMPORARY = MetaData()  # the temp tables' own metadata: never created by migrations


def temporary(name: str, *columns: Any) -> Table:
    """A TEMP table definition (created per import on the import's connection, dropped at its end)."""
    return Table(name, TEMPORARY, *columns, prefixes=["TEMPORARY"])


class Staging:
    """One connection holding an import's temp tables; `reading()` and `writing()` are its transactions."""

    def __init__(self, sessions: sessionmaker[Session], *tables: Table) -> None:
        with sessions() as session:
            engine = session.get_bind()
        assert isinstance(engine, Engine)
        self.tables = tables
        self.connection: Connection = engine.connect()
        self.postgresql = engine.dialect.name == "postgresql"
        try:
            with self.reading():
                if self.postgresql:
                    # Local buffers for the temp tables (default 8 MB; must be set before they are first used), and
                    # room to sort and hash a million lines in memory (default 4 MB). This session only: the
                    # connection is discarded at the end.
                    self.connection.exec_driver_sql("SET temp_buffers = '256MB'")
                    self.connection.exec_driver_sql("SET work_mem = '64MB'")
                else:
                    # SQLite's temp database caches 2 MB by default: every query over the staged lines would
                    # read them back from a temp file. 64 MB: most of a million lines' hot pages.
                    self.connection.exec_driver_sql("PRAGMA temp.cache_size = -65536")
                for table in tables:
                    table.create(self.connection)
        except BaseException:
            self.connection.close()
            raise

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *_: object) -> None:
        # The connection is discarded, not returned to the pool: its temp tables go with it, at once (dropping
        # a million staged rows costs as much as a query over them) and also when the import failed.
        self.connection.invalidate()
        self.connection.close()

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A transaction that writes only temp tables: on SQLite a plain BEGIN, no write lock."""
        self.connection.execution_options(**{READ_ONLY: True})
        try:
            with self.connection.begin():
                yield self.connection
        finally:
            self.connection.execution_options(**{READ_ONLY: False})

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A transaction that changes the real tables (BEGIN IMMEDIATE on SQLite)."""
        with self.connection.begin():
            yield self.connection

    def timestamp(self, moment: datetime) -> str:
        """An aware date-time as the staging table takes it: with its zone on PostgreSQL, as naive UTC text in
        SQLAlchemy's format on SQLite (which keeps no zone; read it back as UTC)."""
        if self.postgresql:
            return moment.isoformat()
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    def load(self, table: Table, rows: Iterable[tuple[Any, ...]], names: list[str]) -> None:
        """Append rows (tuples of the `names` columns, values the driver takes as they are: dates as ISO text)
        to a temp table."""
        with self.reading():
            driver = self.connection.connection.driver_connection
            assert driver is not None
            if self.postgresql:
                with driver.cursor() as cursor, cursor.copy(
                        f"COPY {table.name} ({', '.join(names)}) FROM STDIN",
                        writer=QueuedLibpqWriter(cursor)) as copy:
                    for row in rows:
                        copy.write_row(row)
                self.connection.exec_driver_sql(f"ANALYZE {table.name}")  # autovacuum never analyses temp tables
                return
            statement = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
            cursor = driver.cursor()
            iterator = iter(rows)
            while chunk := list(islice(iterator, LOAD_CHUNK)):
                cursor.executemany(statement, chunk)
            cursor.close()


def line_ranges(connection: Connection, table: Table, size: int | None = None) -> Iterator[tuple[int, int]]:
    """[first, last] ranges of about `size` lines covering a temp table's `line` column, in order."""
    step = size or WRITE_CHUNK
    first, last = connection.execute(select(func.min(table.c.line), func.max(table.c.line))).one()
    if first is None:
        return
    for start in range(first, last + 1, step):
        yield start, min(start + step - 1, last)
