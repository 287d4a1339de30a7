"""APScheduler as a clock only: a few jobs defined in code, each calling an idempotent planner or sender.

What is scheduled (reminders, broadcasts) lives in our own tables, so several schedulers on several
machines can run side by side without sending anything twice (APScheduler's job stores cannot be shared).
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler

from bot.runtime import Runtime

log = logging.getLogger(__name__)

SEND_EVERY_SECONDS = 5


def start_scheduler(runtime: Runtime) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(_send_due, "interval", args=[runtime], seconds=SEND_EVERY_SECONDS, id="send-outbox",
                      max_instances=1, coalesce=True, misfire_grace_time=30)
    scheduler.start()
    return scheduler


def _send_due(runtime: Runtime) -> None:
    try:
        while runtime.sender.run_once() > 0:
            pass
    except Exception:  # keep the clock ticking; the row stays in the outbox for the next tick
        log.exception("sender tick failed")


def run_forever(runtime: Runtime) -> None:
    """`flask --app app scheduler`: until SIGINT or SIGTERM."""
    scheduler = start_scheduler(runtime)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        scheduler.shutdown(wait=False)


def remind_once(runtime: Runtime, at: datetime | None = None, dry_run: bool = False) -> str:
    """One planning pass; the reminder planner comes with the reminders issue."""
    sent = 0 if dry_run else runtime.sender.run_once(limit=1000)
    return f"planned 0, sent {sent}"
