"""GET /healthz: 200 when the database answers, 503 otherwise (for load balancers and monitors).

It also tells whether anything drains the inbound queue and the outbox (bot/backlog.py): a `stale` queue
means no worker is answering or sending, on any machine. That is still 200: the web process itself is
healthy and keeps acknowledging; taking it out of a load balancer would not help. Monitors alert on it.
The backlog is read at most once a second per process, so a load balancer's checks stay a bare `SELECT 1`.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.backlog import backlog
from web import runtime

blueprint = Blueprint("health", __name__)

BACKLOG_EVERY = 1.0  # seconds between backlog reads in one process


class RecentBacklog:
    """The last backlog read in this process, and when."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.read_at = float("-inf")
        self.json: dict[str, object] = {}

    def get(self, session: Session, now: datetime) -> dict[str, object]:
        """The backlog, read again when the last read is older than BACKLOG_EVERY."""
        with self.lock:
            if time.monotonic() - self.read_at >= BACKLOG_EVERY:
                self.json = backlog(session, now).as_json()
                self.read_at = time.monotonic()
            return self.json


@blueprint.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    """Status, database dialect, channels this process sends on, and how the queues drain."""
    rt = runtime()
    recent = current_app.extensions.setdefault("kaderbot_backlog", RecentBacklog())
    try:
        with rt.reading() as session:
            session.execute(text("SELECT 1"))
            queues = recent.get(session, rt.clock.now())
    except Exception as error:  # any database failure means "not ready"
        return jsonify(status="unavailable", database=type(error).__name__), 503
    return jsonify(status="ok", database=rt.engine.dialect.name, channels=sorted(rt.sender.channels),
                   queues=queues)
