"""The broadcasts page's data: a segment from the form's fields, its live count, the text as each channel
shows it, the broadcasts with their delivery progress, and the reminder rules in force.

Creating and cancelling are reminders/broadcasts.py's `create` and `cancel`, exactly as the CLI calls them;
the segment is reminders/segments.py's, so the count here is the count the planner will send to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import String, cast, func, literal, select
from sqlalchemy.orm import Session

from models import Broadcast, Chat, ChatFamily, Family, OutboxMessage, Reminder
from reminders.segments import Segment, SegmentError
from reminders.wording import broadcast_message
from rules.programme import ProgrammeRules
from rules.regions import WIB
from web.admin.operations_scope import Scope, team_codes

CHANNELS = ("web", "telegram", "whatsapp")
SEGMENT_FIELDS = ("region", "class", "months", "plan", "cadre")
# What the page lists under "reminder rules in force", with what each means (Indonesian, English).
REMINDER_RULES: dict[str, tuple[str, str]] = {
    "due_day": ("iuran jatuh tempo tanggal", "dues are due by day"),
    "reminder_segments": ("segmen yang diingatkan", "segments reminded"),
    "reminder_days_before_due": ("hari sebelum jatuh tempo", "days before the due day"),
    "reminder_days_after_due": ("hari setelah jatuh tempo, bila belum dibayar", "days after the due day, if unpaid"),
    "reminder_days_before_month_end": ("hari sebelum akhir bulan (kartu nonaktif tanggal 1)",
                                       "days before the month ends (coverage stops on the 1st)"),
    "reminder_arrears_days": ("tanggal pengingat tunggakan tiap bulan", "days of each month arrears are reminded"),
    "rehab_reminder_days_before": ("hari sebelum cicilan REHAB jatuh tempo, dan pada harinya",
                                   "days before a REHAB instalment is due, and on the day"),
    "send_window_start_hour": ("jam mulai kirim (waktu setempat)", "sending starts at (local hour)"),
    "send_window_end_hour": ("jam akhir kirim (waktu setempat)", "sending ends at (local hour)"),
    "extra_holidays": ("hari libur tambahan cabang", "the branch's extra days off"),
    "not_holidays": ("hari libur nasional yang tetap kirim", "national holidays sent on anyway"),
}


class ScopeError(SegmentError):
    """A segment outside what the user may reach (a supervisor naming another team's cadre)."""


@dataclass(frozen=True)
class ChannelPreview:
    """What one channel shows, in one language: the text, or the approved template WhatsApp needs."""

    channel: str
    language: str
    body: str
    note: str = ""  # e.g. "outside 24 h: template HX..."


@dataclass
class Delivery:
    """Where a broadcast's messages stand: planned, skipped (by reason), and the outbox's states."""

    planned: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    queued: int = 0  # in the outbox, not yet sent
    sent: int = 0
    delivered: int = 0
    read: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        """Every message of the broadcast, whatever became of it."""
        return self.planned + sum(self.skipped.values()) + self.queued + self.sent + self.delivered + self.read \
            + self.failed

    @property
    def done_percent(self) -> int:
        """The share no longer waiting (sent, delivered, read, failed or skipped): the progress bar."""
        return 100 if not self.total else round(100 * (self.total - self.planned - self.queued) / self.total)


def segment_text(form: Mapping[str, str]) -> str:
    """The segment as the CLI writes it, from the form's fields (empty fields leave that key out)."""
    parts = []
    for key in SEGMENT_FIELDS:
        value = " ".join((form.get(key) or "").split()).replace(" ", "")
        if value:
            parts.append(f"{key}={value}")
    return " ".join(parts) or "all"


def scoped_segment(session: Session, scope: Scope, written: str) -> Segment:
    """Read the segment (SegmentError says what is wrong); a supervisor's stays within their team's lists."""
    segment = Segment.parse(written)
    if scope.team is None:
        return segment
    codes = {code.upper() for code in team_codes(session, scope)}
    outside = [code for code in segment.cadres if code not in codes]
    if outside:
        raise ScopeError(f"cadre {', '.join(outside)} is not in your team")
    if not segment.cadres:  # a supervisor reaches their team's families only
        return Segment(segment.regions, segment.classes, segment.months_from, segment.months_to, segment.plan,
                       tuple(sorted(codes)) or ("-",))
    return segment


def count(session: Session, segment: Segment, now: datetime, rules: ProgrammeRules) -> dict[str, int]:
    """The live count: families in the segment, those reachable now (a proved chat with reminders on, as
    reminders.broadcasts.recipients counts them), and the chats per channel the broadcast would go to. Two
    queries: the segment's condition is costly on a large branch, the linked chats are far fewer."""
    condition = segment.condition(now.astimezone(WIB).date(), rules)
    families = session.execute(select(func.count(Family.id)).where(condition)).scalar_one()
    linked = (select(Chat.channel, ChatFamily.chat_id, ChatFamily.family_id).select_from(ChatFamily)
              .join(Chat, Chat.id == ChatFamily.chat_id).join(Family, Family.id == ChatFamily.family_id)
              .where(condition, Chat.reminders_stopped_at.is_(None)).subquery())
    reachable = session.execute(select(func.count(func.distinct(linked.c.family_id)))).scalar_one()
    per_channel: dict[str, int] = {channel: number for channel, number in session.execute(
        select(linked.c.channel, func.count(func.distinct(linked.c.chat_id))).group_by(linked.c.channel))}
    return {"families": families, "reachable": reachable,
            **{channel: int(per_channel.get(channel, 0)) for channel in CHANNELS}}


def previews(text_id: str, text_en: str | None, templates: object) -> list[ChannelPreview]:
    """The broadcast as each channel shows it in each language; WhatsApp outside its 24-hour window sends
    the approved `broadcast` template instead, or nothing when none is configured."""
    shown = []
    find = getattr(templates, "find", None)
    for language in ("id", "en"):
        body, values = broadcast_message(language, text_id.strip(), (text_en or "").strip() or None)
        for channel in CHANNELS:
            note = ""
            if channel == "whatsapp":
                template = find("broadcast", language) if find else None
                note = (f"template {template.content_sid}: {template.fill(values)}" if template is not None
                        else "no template: only chats that wrote in the last 24 hours")
            shown.append(ChannelPreview(channel, language, body, note))
    return shown


def delivery(session: Session, broadcast_ids: list[int]) -> dict[int, Delivery]:
    """Each broadcast's messages by state: its reminder rows, and the outbox rows they became."""
    found = {broadcast_id: Delivery() for broadcast_id in broadcast_ids}
    if not broadcast_ids:
        return found
    outbox_key = literal("reminder:") + cast(Reminder.id, String)
    query = (select(Reminder.broadcast_id, Reminder.status, Reminder.reason, OutboxMessage.status,
                    func.count(Reminder.id))
             .outerjoin(OutboxMessage, OutboxMessage.dedupe_key == outbox_key)
             .where(Reminder.broadcast_id.in_(broadcast_ids))
             .group_by(Reminder.broadcast_id, Reminder.status, Reminder.reason, OutboxMessage.status))
    for broadcast_id, status, reason, sent_status, number in session.execute(query):
        if broadcast_id is None:
            continue
        progress = found[broadcast_id]
        if status == "skipped":
            progress.skipped[reason or "-"] = progress.skipped.get(reason or "-", 0) + number
        elif status == "planned" or sent_status is None:
            progress.planned += number
        elif sent_status in ("queued", "sending"):
            progress.queued += number
        elif sent_status in ("delivered", "read", "sent"):
            setattr(progress, sent_status, getattr(progress, sent_status) + number)
        else:  # failed (retrying), dead, undeliverable, undelivered
            progress.failed += number
    return found


def broadcasts(session: Session, limit: int = 50) -> list[Broadcast]:
    """The latest broadcasts, newest first."""
    return list(session.scalars(select(Broadcast).order_by(Broadcast.id.desc()).limit(limit)))


def reminder_rules(rules: ProgrammeRules) -> list[tuple[str, str, str, str]]:
    """The reminder rules in force: (name, value, meaning in Indonesian, in English)."""
    shown = []
    for name, (indonesian, english) in REMINDER_RULES.items():
        value = getattr(rules, name)
        written = ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)
        shown.append((name, written or "-", indonesian, english))
    return shown
