"""Send time: planned reminders that are due are re-checked, worded and queued in the outbox, skipped with
the reason, or deferred to the next send window of the member's zone (never dropped).

Re-checked at this moment, not when planned: a chat that said STOP (or whose number failed on five days),
a family that paid, enrolled in REHAB or promised to pay, a cancelled broadcast or a family that left its
segment, and WhatsApp outside the 24-hour window without an approved template, all get nothing. A batch is
claimed in one transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL, SQLite's BEGIN IMMEDIATE), and each
reminder becomes at most one outbox row (its dedupe key), so any number of dispatchers send it once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from models import (
    Broadcast,
    Chat,
    ChatFamily,
    DeliveryFailure,
    Family,
    Member,
    OutboxMessage,
    Payment,
    Promise,
    RehabInstalment,
    RehabPlan,
    Reminder,
)
from models.chats import BROADCAST_PRIORITY, NOTICE_PRIORITY, REMINDER_PRIORITY
from models.db import is_sqlite
from models.reminders import CANCELLED, PAUSE_AFTER_FAILED_DAYS, PLANNED, QUEUED, SKIPPED
from reminders import wording
from reminders.segments import Segment
from reminders.templates import WhatsAppTemplates
from rules import reminder_rules as kinds
from rules.arrears import MemberDues, RateTable, arrears_for
from rules.identifiers import virtual_accounts
from rules.programme import ProgrammeRules
from rules.regions import zone_for_region
from rules.rehab import rehab_eligibility

WHATSAPP_WINDOW = timedelta(hours=24)  # free text only this long after the person's last message


@dataclass
class DispatchCounts:
    """What a dispatch did: queued by (kind, channel), deferred to a later window, skipped by reason."""

    queued: Counter[tuple[str, str]] = field(default_factory=Counter)
    deferred: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def handled(self) -> int:
        """Reminders handled: queued, deferred or skipped."""
        return sum(self.queued.values()) + self.deferred + sum(self.skipped.values())

    def add(self, other: DispatchCounts) -> None:
        """Add another batch's counts to these."""
        self.queued.update(other.queued)
        self.deferred += other.deferred
        self.skipped.update(other.skipped)


@dataclass
class _Batch:
    """Everything the decisions need, loaded in a few queries for the whole batch."""

    chats: dict[int, Any]
    links: set[tuple[int, int]]
    families: dict[int, Any]
    members: dict[int, list[MemberDues]]
    heads: dict[int, str]
    enrolled: set[int]
    promised_until: dict[int, date]
    paused: set[int]
    instalments: dict[int, Any]
    promises: dict[int, Any]
    paid_since_promise: set[int]
    superseded: set[int]
    broadcasts: dict[int, Any]
    in_segment: dict[int, set[int]]


def dispatch_due(session: Session, at: datetime, *, queued_at: datetime, rules: ProgrammeRules, rates: RateTable,
                 templates: WhatsAppTemplates, limit: int = 500) -> DispatchCounts:
    """Claim up to `limit` reminders due at `at` and settle each; the caller's transaction commits them all.

    `at` decides what is due and whether it is inside its send window; the outbox rows are queued at
    `queued_at` (the service's clock), so a pass run for another moment is still sent now.
    """
    counts = DispatchCounts()
    claim = (select(Reminder.id).where(Reminder.status == PLANNED, Reminder.not_before <= at)
             .order_by(Reminder.not_before, Reminder.id).limit(limit))
    if not is_sqlite(session):
        claim = claim.with_for_update(skip_locked=True)
    ids = session.execute(claim).scalars().all()
    if not ids:
        return counts
    reminders = session.execute(select(
        Reminder.id, Reminder.family_id, Reminder.kind, Reminder.period, Reminder.channel, Reminder.chat_id,
        Reminder.broadcast_id).where(Reminder.id.in_(ids)).order_by(Reminder.not_before, Reminder.id)).all()
    batch = _load(session, reminders, at, rules)
    outbox_rows: list[dict[str, Any]] = []
    settled: list[dict[str, Any]] = []
    deferred: list[dict[str, Any]] = []
    for reminder in reminders:
        decision = _decide(reminder, batch, at, rules, rates, templates)
        if isinstance(decision, datetime):
            deferred.append({"id": reminder.id, "not_before": decision})
            counts.deferred += 1
        elif isinstance(decision, str):
            settled.append({"id": reminder.id, "status": SKIPPED, "reason": decision, "settled_at": queued_at})
            counts.skipped[decision] += 1
        else:
            outbox_rows.append({**decision, "next_attempt_at": queued_at, "created_at": queued_at,
                                "dedupe_key": f"reminder:{reminder.id}"})
            settled.append({"id": reminder.id, "status": QUEUED, "reason": None, "settled_at": queued_at})
            counts.queued[(reminder.kind, reminder.channel)] += 1
    if outbox_rows:
        session.execute(insert(OutboxMessage), outbox_rows)
    if settled:
        session.execute(update(Reminder), settled)
    if deferred:
        session.execute(update(Reminder), deferred)
    return counts


def _decide(reminder: Any, batch: _Batch, at: datetime, rules: ProgrammeRules, rates: RateTable,
            templates: WhatsAppTemplates) -> dict[str, Any] | datetime | str:
    """The outbox row's values, a later moment (deferred), or the reason it is skipped."""
    chat = batch.chats.get(reminder.chat_id)
    family = batch.families.get(reminder.family_id)
    if chat is None or family is None:
        return "gone"
    to_cadre = reminder.kind == kinds.PROMISE_TO_CADRE
    if not to_cadre:
        if chat.reminders_stopped_at is not None:
            return "stopped"
        if (chat.id, family.id) not in batch.links:
            return "unlinked"
    if chat.id in batch.paused:
        return "paused"
    opens = kinds.next_send_moment(at, family.region_code, rules)
    if opens > at:
        return opens
    on = at.astimezone(zone_for_region(family.region_code)).date()
    members = batch.members.get(family.id, [])
    if not members:
        return "gone"
    language = chat.language
    promised = batch.promised_until.get(family.id)
    kind = reminder.kind
    if kind in kinds.DUES_KINDS or kind in (kinds.REHAB_UPCOMING, kinds.REHAB_DUE):
        if promised is not None and promised >= on:
            return "promised"
    if kind in kinds.DUES_KINDS:
        if family.id in batch.enrolled:
            return "enrolled"
        if not kinds.still_due(kind, reminder.period, on, min(member.paid_through for member in members)):
            return "paid"
        arrears = arrears_for(members, rates, on, rules)
        holder = next((m for m in members if m.relation == "head"), members[0])
        offer = rehab_eligibility(arrears, holder.segment, on, False, rules) if kind == kinds.DUES_ARREARS else None
        body, values = wording.dues_message(kind, reminder.period, language, family.number, arrears, rules, offer)
        priority = REMINDER_PRIORITY
    elif kind in (kinds.REHAB_UPCOMING, kinds.REHAB_DUE):
        instalment = batch.instalments.get(int(reminder.period))
        if instalment is None or instalment.status != "active":
            return "plan_ended"
        if instalment.paid_at is not None:
            return "paid"
        holder = next((m for m in members if m.relation == "head"), members[0])
        body, values = wording.rehab_message(kind, language, family.number, instalment.sequence,
                                             instalment.amount, instalment.due_on,
                                             virtual_accounts(holder.card_number))
        priority = REMINDER_PRIORITY
    elif kind in (kinds.PROMISE_PASSED, kinds.PROMISE_TO_CADRE):
        promise = batch.promises.get(int(reminder.period))
        if promise is None or promise.id in batch.superseded:
            return "promised"
        if promise.id in batch.paid_since_promise:
            return "paid"
        arrears = arrears_for(members, rates, on, rules)
        body, values = wording.promise_message(kind, language, family.number, promise.promised_on, arrears,
                                               batch.heads.get(family.id, "-"))
        priority = NOTICE_PRIORITY if to_cadre else REMINDER_PRIORITY
    elif kind == kinds.BROADCAST:
        broadcast = batch.broadcasts.get(reminder.broadcast_id or 0)
        if broadcast is None or broadcast.status == CANCELLED:
            return "cancelled"
        if family.id not in batch.in_segment.get(broadcast.id, set()):
            return "left_segment"
        body, values = wording.broadcast_message(language, broadcast.text_id, broadcast.text_en)
        priority = BROADCAST_PRIORITY
    else:
        return "unknown_kind"
    template = templates.find(kind, language) if chat.channel == "whatsapp" else None
    inside = chat.last_inbound_at is not None and at - chat.last_inbound_at < WHATSAPP_WINDOW
    if chat.channel == "whatsapp" and template is None and not inside:
        return "no_template"
    return {"channel": chat.channel, "address": chat.address, "chat_id": chat.id,
            "kind": "broadcast" if kind == kinds.BROADCAST else "reminder", "body": body, "choices": [],
            "ask_contact": False, "template_sid": template.content_sid if template else None,
            "template_variables": template.fill(values) if template else None, "status": "queued",
            "priority": priority, "attempts": 0}


def _load(session: Session, reminders: Iterable[Any], at: datetime, rules: ProgrammeRules) -> _Batch:
    reminders = list(reminders)
    family_ids = sorted({r.family_id for r in reminders})
    chat_ids = sorted({r.chat_id for r in reminders})
    chats = {row.id: row for row in session.execute(select(
        Chat.id, Chat.channel, Chat.address, Chat.language, Chat.reminders_stopped_at, Chat.last_inbound_at)
        .where(Chat.id.in_(chat_ids)))}
    links = {(row.chat_id, row.family_id) for row in session.execute(
        select(ChatFamily.chat_id, ChatFamily.family_id)
        .where(ChatFamily.chat_id.in_(chat_ids), ChatFamily.family_id.in_(family_ids)))}
    families = {row.id: row for row in session.execute(
        select(Family.id, Family.number, Family.region_code).where(Family.id.in_(family_ids)))}
    members: dict[int, list[MemberDues]] = defaultdict(list)
    heads: dict[int, str] = {}
    for row in session.execute(select(
            Member.family_id, Member.id, Member.card_number, Member.name, Member.class_, Member.segment,
            Member.relation, Member.paid_through).where(Member.family_id.in_(family_ids)).order_by(Member.id)):
        members[row.family_id].append(MemberDues(row.id, row.card_number, row.name, row.class_, row.segment,
                                                 row.relation, row.paid_through))
        if row.relation == "head" or row.family_id not in heads:
            heads[row.family_id] = row.name
    enrolled = set(session.execute(select(RehabPlan.family_id).where(
        RehabPlan.family_id.in_(family_ids), RehabPlan.status == "active")).scalars())
    yesterday = (at - timedelta(days=2)).date()  # every zone's "today" is after this
    promised_until = {family_id: day for family_id, day in session.execute(
        select(Promise.family_id, func.max(Promise.promised_on))
        .where(Promise.family_id.in_(family_ids), Promise.promised_on >= yesterday).group_by(Promise.family_id))}
    failures: dict[int, list[date]] = defaultdict(list)
    for chat_id, failed_on in session.execute(select(DeliveryFailure.chat_id, DeliveryFailure.failed_on)
                                              .where(DeliveryFailure.chat_id.in_(chat_ids))):
        failures[chat_id].append(failed_on)
    paused = {chat_id for chat_id, days in failures.items() if _paused(days, chats.get(chat_id))}
    instalment_ids = [int(r.period) for r in reminders if r.kind in (kinds.REHAB_UPCOMING, kinds.REHAB_DUE)]
    instalments = {row.id: row for row in session.execute(select(
        RehabInstalment.id, RehabInstalment.sequence, RehabInstalment.due_on, RehabInstalment.amount,
        RehabInstalment.paid_at, RehabPlan.status).join(RehabPlan, RehabPlan.id == RehabInstalment.plan_id)
        .where(RehabInstalment.id.in_(instalment_ids)))} if instalment_ids else {}
    promise_ids = [int(r.period) for r in reminders if r.kind in (kinds.PROMISE_PASSED, kinds.PROMISE_TO_CADRE)]
    promises, paid_since, superseded = _promises(session, promise_ids)
    broadcast_ids = sorted({r.broadcast_id for r in reminders if r.broadcast_id})
    broadcasts = {row.id: row for row in session.execute(select(
        Broadcast.id, Broadcast.status, Broadcast.text_id, Broadcast.text_en, Broadcast.segment)
        .where(Broadcast.id.in_(broadcast_ids)))} if broadcast_ids else {}
    in_segment: dict[int, set[int]] = {}
    for broadcast in broadcasts.values():
        mine = [r.family_id for r in reminders if r.broadcast_id == broadcast.id]
        segment = Segment.from_json(broadcast.segment)
        in_segment[broadcast.id] = set(session.execute(select(Family.id).where(
            Family.id.in_(mine), segment.condition(at.date(), rules))).scalars())
    return _Batch(chats, links, families, dict(members), heads, enrolled, promised_until, paused, instalments,
                  promises, paid_since, superseded, broadcasts, in_segment)


def _paused(days: list[date], chat: Any) -> bool:
    """Five days with a failure since the person last wrote (writing again shows the address works)."""
    since = chat.last_inbound_at.date() if chat is not None and chat.last_inbound_at else date.min
    return len({day for day in days if day >= since}) >= PAUSE_AFTER_FAILED_DAYS


def _promises(session: Session, ids: list[int]) -> tuple[dict[int, Any], set[int], set[int]]:
    """The promises, those followed by a payment, and those a later promise replaced."""
    if not ids:
        return {}, set(), set()
    promises = {row.id: row for row in session.execute(select(
        Promise.id, Promise.family_id, Promise.promised_on, Promise.made_at).where(Promise.id.in_(ids)))}
    paid = set(session.execute(select(Promise.id).where(Promise.id.in_(ids), select(Payment.id).where(
        Payment.family_id == Promise.family_id, Payment.paid_at >= Promise.made_at).exists())).scalars())
    later = select(Promise.id).where(Promise.id.in_(ids))
    newer = Promise.__table__.alias("newer")
    superseded = set(session.execute(later.where(select(newer.c.id).where(
        newer.c.family_id == Promise.family_id, newer.c.made_at > Promise.made_at).exists())).scalars())
    return promises, paid, superseded
