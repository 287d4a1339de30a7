"""APScheduler as a clock only: a few jobs defined in code, each calling an idempotent planner or sender.

What is scheduled (reminders, broadcasts) lives in our own tables, so several schedulers on several
machines can run side by side without sending anything twice (APScheduler's job stores cannot be shared).
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from bot.runtime import Runtime
from models.regions import WIB
from models.rehab_plans import overdue_instalments, remind_overdue

log = logging.getLogger(__name__)

SEND_EVERY_SECONDS = 5
# Daily reminders go out at 09:00 WIB (10:00 WITA, 11:00 WIT): daytime in all three zones.
DAILY_AT = {"hour": 9, "minute": 0, "timezone": WIB}


def start_scheduler(runtime: Runtime) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(_send_due, "interval", args=[runtime], seconds=SEND_EVERY_SECONDS, id="send-outbox",
                      max_instances=1, coalesce=True, misfire_grace_time=30)
    scheduler.add_job(_daily, "cron", args=[runtime], id="daily-reminders", max_instances=1, coalesce=True,
                      misfire_grace_time=3600, **DAILY_AT)
    scheduler.start()
    return scheduler


def _daily(runtime: Runtime) -> None:
    try:
        log.info(remind_once(runtime))
    except Exception:  # planning is idempotent: the next run catches up
        log.exception("daily reminders failed")


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
    """One pass at `at` (default now): remind overdue REHAB instalments, then send what is due.

    Idempotent (unique outbox keys and ticket numbers), so running it twice, or on two machines, sends once.
    Dues reminders and broadcasts join this pass with the reminders issue.
    """
    moment = at or runtime.clock.now()
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    on = moment.astimezone(WIB).date()
    if dry_run:
        with runtime.reading() as session:
            overdue = len(overdue_instalments(session, on))
        return f"overdue REHAB instalments: {overdue} (dry run: nothing planned or sent)"
    with runtime.sessions.begin() as session:
        notices = remind_overdue(session, on, runtime.clock.now())  # planned for `at`, queued now
    sent = 0
    while (batch := runtime.sender.run_once(limit=500)) > 0:
        sent += batch
    return f"overdue REHAB instalments reminded: {len(notices)}; messages sent: {sent}"
