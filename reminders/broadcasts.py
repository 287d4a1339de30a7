"""Broadcasts: a message to a segment of families at a set time, once or repeating, in both languages.

`create`, `listing`, `recipients` and `cancel` are what `flask --app app broadcast ...` calls, and what the
dashboard will call. `plan_broadcasts` turns each occurrence that has come into reminder rows (kind
`broadcast`, period `<id>@<occurrence>`), one per family and channel, by set-based SQL; from there the
broadcast goes like any reminder: send windows, STOP, the 24-hour window, rate limits.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from models import Broadcast, Chat, ChatFamily, Family
from models.base import UTCDateTime
from models.reminders import CANCELLED, FINISHED, PLANNED, SCHEDULED
from reminders.planner import insert_planned, take_planning_lock
from reminders.segments import Segment
from rules import reminder_rules as kinds
from rules.months import add_months, month_index
from rules.programme import ProgrammeRules
from rules.regions import WIB

REPEATS = ("once", "daily", "weekly", "monthly")
MAX_TEXT = 1000  # a phone screen or two; WhatsApp and Telegram take more, people read less


class BroadcastError(ValueError):
    """Something the operator asked that cannot be scheduled; the message says why."""


@dataclass(frozen=True)
class BroadcastView:
    """A broadcast as `broadcast list` shows it."""

    id: int
    status: str
    segment: str
    starts_at: datetime
    repeat: str
    until: datetime | None
    next_at: datetime | None
    recipients: int
    preview: str


def create(session: Session, *, segment_text: str, at: datetime, text_id: str, text_en: str | None, now: datetime,
           repeat: str = "once", until: datetime | None = None, created_by: str = "") -> Broadcast:
    """Schedule a broadcast; BroadcastError for a segment, time or text that cannot be used."""
    segment = Segment.parse(segment_text)
    if at.tzinfo is None:
        raise BroadcastError("the time needs a zone, e.g. 2025-06-20T09:00+07:00")
    if repeat not in REPEATS:
        raise BroadcastError(f"repeat is one of {', '.join(REPEATS)}")
    if until is not None and until < at:
        raise BroadcastError("'until' is before the first time")
    text_id, text_en = text_id.strip(), (text_en or "").strip() or None
    if not text_id:
        raise BroadcastError("the Indonesian text is empty")
    if len(text_id) > MAX_TEXT or len(text_en or "") > MAX_TEXT:
        raise BroadcastError(f"a broadcast text is at most {MAX_TEXT} characters")
    broadcast = Broadcast(segment=segment.to_json(), segment_text=segment.describe(), text_id=text_id,
                          text_en=text_en, starts_at=at.astimezone(UTC), repeat=repeat,
                          until=until.astimezone(UTC) if until else None, status=SCHEDULED, created_at=now,
                          created_by=created_by[:80])
    session.add(broadcast)
    session.flush()
    return broadcast


def recipients(session: Session, segment: Segment, on_day: datetime, rules: ProgrammeRules) -> int:
    """How many families in the segment can be reached now (a linked chat with reminders on)."""
    reachable = (select(ChatFamily.family_id).join(Chat, Chat.id == ChatFamily.chat_id)
                 .where(ChatFamily.family_id == Family.id, Chat.reminders_stopped_at.is_(None)).exists())
    return int(session.execute(select(func.count(Family.id)).where(
        segment.condition(on_day.astimezone(WIB).date(), rules), reachable)).scalar_one())


def listing(session: Session, now: datetime, rules: ProgrammeRules, include_done: bool = False) -> list[BroadcastView]:
    """Scheduled broadcasts (and, if asked, cancelled and finished ones), with recipients as of now."""
    query = select(Broadcast).order_by(Broadcast.starts_at, Broadcast.id)
    if not include_done:
        query = query.where(Broadcast.status == SCHEDULED)
    views = []
    for broadcast in session.execute(query).scalars():
        segment = Segment.from_json(broadcast.segment)
        count = recipients(session, segment, now, rules) if broadcast.status == SCHEDULED else 0
        views.append(BroadcastView(broadcast.id, broadcast.status, broadcast.segment_text, broadcast.starts_at,
                                   broadcast.repeat, broadcast.until, next_occurrence(broadcast, now), count,
                                   broadcast.text_id[:60] + ("…" if len(broadcast.text_id) > 60 else "")))
    return views


def cancel(session: Session, broadcast_id: int, now: datetime) -> Broadcast:
    """No more occurrences, and what is planned but not yet queued is skipped at send time."""
    broadcast = session.get(Broadcast, broadcast_id)
    if broadcast is None:
        raise BroadcastError(f"there is no broadcast {broadcast_id}")
    if broadcast.status == SCHEDULED:
        broadcast.status = CANCELLED
        broadcast.cancelled_at = now
    return broadcast


def occurrence(broadcast: Broadcast, number: int) -> datetime:
    """The moment of the broadcast's `number`th occurrence (0 is the first)."""
    start = broadcast.starts_at
    if broadcast.repeat == "daily":
        return start + timedelta(days=number)
    if broadcast.repeat == "weekly":
        return start + timedelta(weeks=number)
    if broadcast.repeat == "monthly":  # the same day, or the month's last when it is shorter
        month = add_months(start.date().replace(day=1), number)
        day = min(start.day, kinds.last_day(month).day)
        return start.replace(year=month.year, month=month.month, day=day)
    return start


def latest_occurrence(broadcast: Broadcast, at: datetime) -> datetime | None:
    """The last occurrence at or before `at` (only the latest: a repeat missed while no scheduler ran is
    not sent in a burst), or None when the first is still ahead or `until` has passed."""
    if at < broadcast.starts_at:
        return None
    if broadcast.repeat == "once":
        number = 0
    elif broadcast.repeat == "monthly":
        number = month_index(at.date()) - month_index(broadcast.starts_at.date())
        while number > 0 and occurrence(broadcast, number) > at:
            number -= 1
    else:
        step = timedelta(days=1 if broadcast.repeat == "daily" else 7)
        number = int((at - broadcast.starts_at) / step)
    moment = occurrence(broadcast, number)
    if broadcast.until is not None and moment > broadcast.until:
        return None
    return moment


def next_occurrence(broadcast: Broadcast, now: datetime) -> datetime | None:
    """When a scheduled broadcast goes next after `now`, or None when it will not."""
    if broadcast.status != SCHEDULED:
        return None
    latest = latest_occurrence(broadcast, now)
    if latest is None:
        return broadcast.starts_at if now < broadcast.starts_at else None
    if broadcast.repeat == "once":
        return None
    number = 1
    while occurrence(broadcast, number) <= latest:
        number += 1
    upcoming = occurrence(broadcast, number)
    return upcoming if broadcast.until is None or upcoming <= broadcast.until else None


def plan_broadcasts(session: Session, at: datetime, rules: ProgrammeRules) -> Counter[str]:
    """Plan the latest occurrence of every scheduled broadcast that has come; how many rows were new."""
    take_planning_lock(session)
    counts: Counter[str] = Counter()
    for broadcast in session.execute(select(Broadcast).where(Broadcast.status == SCHEDULED,
                                                             Broadcast.starts_at <= at)).scalars():
        moment = latest_occurrence(broadcast, at)
        if moment is not None:
            counts[kinds.BROADCAST] += _plan_occurrence(session, broadcast, moment, at, rules)
        if next_occurrence(broadcast, at) is None:
            broadcast.status = FINISHED
    return counts


def _plan_occurrence(session: Session, broadcast: Broadcast, moment: datetime, at: datetime,
                     rules: ProgrammeRules) -> int:
    segment = Segment.from_json(broadcast.segment)
    period = f"{broadcast.id}@{moment:%Y%m%dT%H%M}"
    query = (select(Family.id, literal(kinds.BROADCAST), literal(period), Chat.channel, Chat.id,
                    literal(broadcast.id), literal(moment, UTCDateTime()), literal(PLANNED),
                    literal(at, UTCDateTime()))
             .select_from(Family).join(ChatFamily, ChatFamily.family_id == Family.id)
             .join(Chat, Chat.id == ChatFamily.chat_id)
             .where(segment.condition(moment.astimezone(WIB).date(), rules), Chat.reminders_stopped_at.is_(None)))
    return insert_planned(session, query)
