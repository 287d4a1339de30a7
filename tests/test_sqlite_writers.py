"""SQLite's one write lock: a writer that finds it taken waits its turn (in short steps) and loses nothing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import text

from models.db import BUSY_TIMEOUT_MS, make_engine


def test_a_writer_waits_for_the_lock_and_both_writes_land(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'writers.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (who TEXT, at REAL)"))
    holding = threading.Event()

    def first() -> None:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO notes VALUES ('first', :at)"), {"at": time.monotonic()})
            holding.set()
            time.sleep(0.3)  # the lock is held this long

    thread = threading.Thread(target=first)
    thread.start()
    assert holding.wait(10)
    with engine.begin() as connection:  # BEGIN IMMEDIATE waits here for the first writer's commit
        connection.execute(text("INSERT INTO notes VALUES ('second', :at)"), {"at": time.monotonic()})
    thread.join()

    with engine.connect() as connection:
        rows = connection.execute(text("SELECT who FROM notes ORDER BY at")).scalars().all()
        assert rows == ["first", "second"]
        # Waiting in short steps is for BEGIN alone: every other statement keeps SQLite's 30-second timeout.
        assert connection.execute(text("PRAGMA busy_timeout")).scalar_one() == BUSY_TIMEOUT_MS
    engine.dispose()
