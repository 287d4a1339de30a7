"""Engines and sessions, with the SQLite settings that keep concurrent writers honest.

SQLite under a threaded server loses updates unless every write transaction starts with BEGIN IMMEDIATE
(SQLAlchemy's documented recipe: let pysqlite do no transaction handling, emit BEGIN ourselves), in WAL
mode with a busy timeout. PostgreSQL needs nothing special.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 30_000  # SQLite: how long a writer waits for the write lock before it gives up
LOCK_RETRY_SECONDS = 0.0005  # ... trying again this often (begin_immediate)


def normalise_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean psycopg 3 here (the only PostgreSQL driver we install)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str, *, write_lock_at_begin: bool = True, **kwargs: Any) -> Engine:
    """`write_lock_at_begin=False` gives SQLite readers that never block writers (tests' inspection only)."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        reading = connection.get_execution_options().get(READ_ONLY, False)
        if write_lock_at_begin and not reading:
            begin_immediate(connection)
        else:
            connection.exec_driver_sql("BEGIN")

    return engine


READ_ONLY = "kaderbot_read_only"


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (expire_on_commit off)."""
    return sessionmaker(engine, expire_on_commit=False)


def make_reader_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that only read (health checks, polling): on SQLite they never take the write lock."""
    return sessionmaker(engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)


def is_sqlite(session_or_engine: Session | Engine) -> bool:
    """Whether the session or engine talks to SQLite."""
    bind = session_or_engine.get_bind() if isinstance(session_or_engine, Session) else session_or_engine
    return bind.dialect.name == "sqlite"


def insert_ignoring_duplicates(bind: Session | Connection | Engine, model: Any,
                               keys: list[str]) -> postgresql.Insert | sqlite.Insert:
    """`INSERT ... ON CONFLICT (keys) DO NOTHING` for this database: a repeat is a no-op, without a savepoint."""
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    if engine.dialect.name == "postgresql":
        return postgresql.insert(model).on_conflict_do_nothing(index_elements=keys)
    return sqlite.insert(model).on_conflict_do_nothing(index_elements=keys)


def begin_immediate(connection: Connection) -> None:
    """BEGIN IMMEDIATE, trying again every half millisecond while another writer holds the lock.

    SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms between tries, so a
    writer that just missed the lock sleeps on long after it was freed: webhooks waiting behind a worker's
    batch took 180-500 ms at the 99th percentile. Its timeout is off while we try; after BUSY_TIMEOUT_MS
    one last try waits with it, and fails as any statement does.
    """
    raw: sqlite3.Connection = connection.connection.driver_connection  # type: ignore[assignment]
    raw.execute("PRAGMA busy_timeout=0")
    try:
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while time.monotonic() < deadline:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode != sqlite3.SQLITE_BUSY:
                    raise
            time.sleep(LOCK_RETRY_SECONDS)
    finally:
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    connection.exec_driver_sql("BEGIN IMMEDIATE")
