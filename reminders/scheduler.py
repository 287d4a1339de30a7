"""APScheduler as a clock only: a few jobs defined in code, each calling an idempotent planner or sender.

What is scheduled (reminders, broadcasts) lives in our own tables, so several schedulers on several
machines can run side by side without sending anything twice (APScheduler's job stores cannot be shared).
Every job has an explicit time zone, coalesces missed runs into one, and an explicit misfire grace.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, date, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.runtime import Runtime, wait_until_stopped
from handlers.recipients import Reach, ensure_cadre_chats
from models import Cadre
from models.figures import BRANCH_ZONE, compute_month, first_of, months_back, store_month
from models.ledger import rate_table
from models.personal_data import purge_expired
from models.reminders import PLANNED, Reminder
from reminders.broadcasts import plan_broadcasts
from reminders.cadre_mornings import (
    MORNING_WINDOW,
    MorningPlan,
    cadres_due,
    plan_cadre_morning,
    plan_cadre_mornings,
)
from reminders.dispatch import DispatchCounts, dispatch_due
from reminders.planner import plan_reminders
from reminders.rehab_notices import overdue_instalments, remind_overdue
from reminders.templates import WhatsAppTemplates
from rules.programme import ProgrammeRules
from rules.regions import WIB

log = logging.getLogger(__name__)

SEND_EVERY_SECONDS = 5
BROADCASTS_EVERY_SECONDS = 30
BATCH = 500
FIGURES_EVERY_SECONDS = 300
# Reminders are planned every hour (a zone's new day, and its send window, start on an hour in UTC);
# missed REHAB instalments daily at 09:00 WIB (10:00 WITA, 11:00 WIT): daytime in all three zones.
PLAN_AT = {"minute": 5, "timezone": UTC}
DAILY_AT = {"hour": 9, "minute": 0, "timezone": WIB}
PURGE_AT = {"hour": 2, "minute": 30, "timezone": WIB}  # old message texts are blanked at night


def start_scheduler(runtime: Runtime) -> BackgroundScheduler:
    """Start the background jobs: the outbox sender, reminder and broadcast planning, cadre mornings, the purge."""
    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.add_job(_send_due, "interval", args=[runtime], seconds=SEND_EVERY_SECONDS, id="send-outbox",
                      max_instances=1, coalesce=True, misfire_grace_time=30,
                      next_run_time=datetime.now(UTC))  # at start-up: what a stopped sender left goes at once
    scheduler.add_job(_plan, "cron", args=[runtime], id="plan-reminders", max_instances=1, coalesce=True,
                      misfire_grace_time=3600, **PLAN_AT)
    scheduler.add_job(_plan_broadcasts, "interval", args=[runtime], seconds=BROADCASTS_EVERY_SECONDS,
                      id="plan-broadcasts", max_instances=1, coalesce=True, misfire_grace_time=300)
    scheduler.add_job(_daily, "cron", args=[runtime], id="daily-reminders", max_instances=1, coalesce=True,
                      misfire_grace_time=3600, **DAILY_AT)
    scheduler.add_job(_purge, "cron", args=[runtime], id="daily-purge", max_instances=1, coalesce=True,
                      misfire_grace_time=6 * 3600, **PURGE_AT)
    # Every quarter hour: 07:00 falls on one in WIB, WITA and WIT alike; the planner picks whose morning it is.
    scheduler.add_job(_cadre_mornings, "cron", args=[runtime], id="cadre-mornings", max_instances=1,
                      coalesce=True, misfire_grace_time=600, minute="0,15,30,45", timezone=UTC)
    # The dashboard's monthly figures: the running month (and the last, for late reports) kept fresh.
    scheduler.add_job(_refresh_figures, "interval", args=[runtime], seconds=FIGURES_EVERY_SECONDS,
                      id="refresh-figures", max_instances=1, coalesce=True, misfire_grace_time=600)
    scheduler.start()
    return scheduler


def _refresh_figures(runtime: Runtime) -> None:
    try:
        refresh_figures(runtime)
    except Exception:  # recomputed from the records on the next run, or by the page when it is asked for
        log.exception("refreshing the dashboard's figures failed")


def refresh_figures(runtime: Runtime, at: datetime | None = None) -> list[date]:
    """Recompute this month's and last month's figures (each in its own short transaction)."""
    now = at or runtime.clock.now()
    months = months_back(first_of(now.astimezone(BRANCH_ZONE).date()), 2)
    for month in months:
        with runtime.reading() as reader:  # the counting holds no write lock; the store is a short write
            figures = compute_month(reader, month, now)
        with runtime.sessions.begin() as session:
            store_month(session, month, figures, now)
    return months


def _purge(runtime: Runtime) -> None:
    try:
        log.info(purge_once(runtime))
    except Exception:  # the purge is idempotent: tomorrow's run catches up
        log.exception("daily purge failed")


def purge_once(runtime: Runtime, at: datetime | None = None) -> str:
    """Blank inbound texts older than INBOUND_RETENTION_DAYS and drop look-ups and attempts no limit needs."""
    moment = at or runtime.clock.now()
    with runtime.sessions.begin() as session:
        purged = purge_expired(session, moment, runtime.settings.inbound_retention_days)
    return (f"inbound texts purged: {purged.inbound}; identity look-ups dropped: {purged.lookups}; "
            f"attempts dropped: {purged.attempts}")
def _rules(runtime: Runtime) -> ProgrammeRules:
    return runtime.services.rules


def _templates(runtime: Runtime) -> WhatsAppTemplates:
    templates = runtime.services.templates
    return templates if isinstance(templates, WhatsAppTemplates) else WhatsAppTemplates({})


def _reach(runtime: Runtime) -> Reach:
    return Reach.of(runtime.settings, _templates(runtime))


def _plan(runtime: Runtime) -> None:
    try:
        with runtime.sessions.begin() as session:
            counts = plan_reminders(session, runtime.clock.now(), _rules(runtime))
        log.info("reminders planned: %s", _counted(counts) or "nothing new")
    except Exception:  # planning is idempotent: the next run catches up
        log.exception("planning reminders failed")


def _plan_broadcasts(runtime: Runtime) -> None:
    try:
        with runtime.sessions.begin() as session:
            plan_broadcasts(session, runtime.clock.now(), _rules(runtime))
    except Exception:
        log.exception("planning broadcasts failed")


def _daily(runtime: Runtime) -> None:
    try:
        log.info(remind_once(runtime))
    except Exception:  # planning is idempotent: the next run catches up
        log.exception("daily reminders failed")


def _cadre_mornings(runtime: Runtime) -> None:
    try:
        log.info(cadre_mornings_once(runtime))
    except Exception:  # planning is idempotent: the next quarter hour catches up
        log.exception("cadre mornings failed")


def _send_due(runtime: Runtime) -> None:
    try:
        deliver_due(runtime)
    except Exception:  # keep the clock ticking; the rows stay in their tables for the next tick
        log.exception("sender tick failed")


def deliver_due(runtime: Runtime, at: datetime | None = None, batch: int = BATCH) -> tuple[DispatchCounts, int]:
    """Word and queue the reminders due at `at` a batch at a time, each batch sent before the next is
    worded (so amounts are those of the moment they go), until nothing is left; (what was decided, sent)."""
    counts = DispatchCounts()
    sent = 0
    rules, templates = _rules(runtime), _templates(runtime)
    with runtime.reading() as session:
        rates = rate_table(session)
    while True:
        moment = at or runtime.clock.now()
        with runtime.sessions.begin() as session:
            done = dispatch_due(session, moment, queued_at=runtime.clock.now(), rules=rules, rates=rates,
                                templates=templates, limit=batch)
        counts.add(done)
        batch_sent = 0
        while (some := runtime.sender.run_once(limit=batch)) > 0:
            batch_sent += some
        sent += batch_sent
        if done.handled == 0 and batch_sent == 0:
            return counts, sent


def remind_once(runtime: Runtime, at: datetime | None = None, dry_run: bool = False) -> str:
    """One pass at `at` (default now): plan every reminder and broadcast due, remind overdue REHAB
    instalments, then word, queue and send what is inside its window; what it did, one line per kind of count.

    Idempotent (unique reminder keys, outbox keys and ticket numbers), so running it twice, or on two
    machines, sends once. A dry run does all of it in a transaction that is rolled back, so its counts are
    exactly what the pass would do.
    """
    moment = at or runtime.clock.now()
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    on = moment.astimezone(WIB).date()
    rules, templates = _rules(runtime), _templates(runtime)
    if dry_run:
        with runtime.sessions() as session:  # begun by its first statement, rolled back below
            planned = plan_reminders(session, moment, rules) + plan_broadcasts(session, moment, rules)
            counts = DispatchCounts()
            rates = rate_table(session)
            while (done := dispatch_due(session, moment, queued_at=runtime.clock.now(), rules=rules,
                                        rates=rates, templates=templates, limit=BATCH)).handled:
                counts.add(done)
            overdue = len(overdue_instalments(session, on))
            waiting = _waiting(session, moment)
            session.rollback()
        return "\n".join([*report(planned, counts, waiting),
                          f"overdue REHAB instalments: {overdue} (dry run: nothing planned or sent)"])
    with runtime.sessions.begin() as session:
        planned = plan_reminders(session, moment, rules) + plan_broadcasts(session, moment, rules)
    with runtime.sessions.begin() as session:
        notices = remind_overdue(session, on, runtime.clock.now(), _reach(runtime))  # planned for `at`, queued now
    counts, sent = deliver_due(runtime, moment)
    with runtime.reading() as session:
        waiting = _waiting(session, moment)
    return "\n".join([*report(planned, counts, waiting),
                      f"overdue REHAB instalments reminded: {len(notices)}; messages sent: {sent}"])


def cadre_mornings_once(runtime: Runtime, at: datetime | None = None, dry_run: bool = False) -> str:
    """One pass of the cadres' mornings at `at` (default now): TUGAS lists, team digests, unconfirmed
    collections to supervisors (reminders/cadre_mornings.py); then send what is due. What it did, in words.

    Idempotent (unique outbox keys per cadre, chat and day), so a second pass, or the scheduler's own,
    sends nothing more. A dry run plans in a transaction that is rolled back: its counts are what the pass
    would queue, and nothing is queued or sent."""
    moment = at or runtime.clock.now()
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    rules, reach = _rules(runtime), _reach(runtime)
    if dry_run:
        with runtime.sessions() as session:  # begun by its first statement, rolled back below
            ensure_cadre_chats(session, moment, reach)
            due = cadres_due(session, moment, rules)
            plan = plan_cadre_mornings(session, moment, rules, reach)
            session.rollback()
        return f"{_mornings_of(due, rules)}\n{plan.summary()} (dry run: nothing queued or sent)"
    with runtime.sessions.begin() as session:
        ensure_cadre_chats(session, moment, reach)
    with runtime.reading() as session:
        due = cadres_due(session, moment, rules)
    plan = MorningPlan()
    for cadre_id in due:  # a transaction per cadre: SQLite's write lock is held a moment, not the whole pass
        with runtime.sessions.begin() as session:
            cadre = session.get(Cadre, cadre_id)
            if cadre is not None:
                plan_cadre_morning(session, cadre, moment, rules, reach, plan)
    sent = 0
    while (batch := runtime.sender.run_once(limit=BATCH)) > 0:
        sent += batch
    return f"{_mornings_of(due, rules)}\n{plan.summary()}; messages sent: {sent}"


def _mornings_of(due: list[int], rules: ProgrammeRules) -> str:
    if due:
        return f"cadres whose working morning it is: {len(due)}"
    hours = int(MORNING_WINDOW.total_seconds() // 3600)
    return (f"cadres whose working morning it is: none (a cadre's morning is {rules.task_list_hour:02d}:00 "
            f"for {hours} hours in their own time zone, on working days)")


def _waiting(session: Session, moment: datetime) -> int:
    return int(session.execute(select(func.count(Reminder.id)).where(
        Reminder.status == PLANNED, Reminder.not_before > moment)).scalar_one())


def report(planned: Counter[str], counts: DispatchCounts, waiting: int) -> list[str]:
    """The pass in words: planned by kind, queued by kind and channel, deferred, skipped by reason."""
    by_kind: dict[str, Counter[str]] = {}
    for (kind, channel), number in sorted(counts.queued.items()):
        by_kind.setdefault(kind, Counter())[channel] += number
    queued = "; ".join(f"{kind} {sum(channels.values())} ({_counted(channels)})" for kind, channels in by_kind.items())
    return [f"planned: {_counted(planned) or 'nothing new'}",
            f"queued to send: {queued or 'nothing'}",
            f"deferred to the next send window: {counts.deferred}",
            f"skipped: {_counted(counts.skipped) or 'none'}",
            f"waiting for their send time: {waiting}"]


def _counted(counts: Counter[str]) -> str:
    return ", ".join(f"{key} {number}" for key, number in sorted(counts.items()) if number)


def run_forever(runtime: Runtime) -> None:
    """`flask --app app scheduler`: until SIGINT or SIGTERM."""
    scheduler = start_scheduler(runtime)
    try:
        wait_until_stopped()
    finally:
        scheduler.shutdown(wait=False)
