"""The REHAB, Tiket and Siaran pages: plans by state, the complaint queue, broadcasts and reminder rules.

Routes only: the data comes from operations_rehab, operations_tickets and operations_broadcasts, which take
a Session and a Scope (admin: the branch; supervisor: their team; viewer: figures only).
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from models import Broadcast
from reminders.broadcasts import REPEATS, BroadcastError, cancel, create
from reminders.segments import Segment, SegmentError
from rules.regions import WIB
from web import runtime
from web.admin import operations_broadcasts as broadcasts
from web.admin import operations_rehab as rehab
from web.admin import operations_tickets as tickets
from web.admin.core import blueprint, current_account, db, require_role, t, visible_cadre_ids
from web.admin.nav import STAFF
from web.admin.operations_scope import BRANCH, FIGURES_ONLY, Scope


def current_scope() -> Scope:
    """The signed-in account's scope: the branch (admin), their team (supervisor), figures only (viewer)."""
    account = current_account()
    if account is None or account.role == "viewer":
        return FIGURES_ONLY
    team = visible_cadre_ids()
    return BRANCH if team is None else Scope(team=frozenset(team))


def actor() -> str:
    """How the audit log and a broadcast's `created_by` name the signed-in account."""
    account = current_account()
    return f"admin:{account.username}" if account else "admin:?"


def chosen_month(value: str | None, today: date) -> date:
    """`?month=2025-06`, else this month."""
    year, _, month = (value or "").partition("-")
    if year.isdigit() and month.isdigit() and 2000 <= int(year) <= 2100 and 1 <= int(month) <= 12:
        return date(int(year), int(month), 1)
    return today.replace(day=1)


def branch_today() -> date:
    """Today in the branch's zone (WIB), on the service's clock (KADERBOT_NOW freezes it)."""
    return runtime().clock.now().astimezone(WIB).date()


# --- REHAB -------------------------------------------------------------------------------------------------


@blueprint.get("/rehab")
@require_role(*STAFF)
def rehab_page() -> ResponseReturnValue:
    """Plans by state, counted, and one state listed with masked identifiers."""
    today = branch_today()
    state = request.args.get("state", "running")
    if state not in rehab.STATES:
        state = "running"
    month = chosen_month(request.args.get("month"), today)
    scope = current_scope()
    counts = rehab.plan_counts(db(), scope, today, month)
    rows = rehab.plan_rows(db(), scope, state, today, month)
    return render_template("admin/rehab.html", active="rehab", counts=counts, rows=rows, state=state,
                           states=rehab.STATES, month=month, page=rehab.PAGE)


# --- tickets -----------------------------------------------------------------------------------------------


@blueprint.get("/tiket")
@require_role(*STAFF)
def tickets_page() -> ResponseReturnValue:
    """The queue of one status (open first), with a form to answer or close each open ticket."""
    status = request.args.get("status", "open")
    if status not in tickets.STATUSES:
        status = "open"
    scope = current_scope()
    return render_template("admin/tickets.html", active="tickets", status=status, statuses=tickets.STATUSES,
                           counts=tickets.ticket_counts(db(), scope), rows=tickets.ticket_rows(db(), scope, status),
                           zone=WIB)


@blueprint.post("/tiket/<number>")
@require_role(*STAFF)
def answer_ticket(number: str) -> ResponseReturnValue:
    """Answer (`action=answer`) or close (`action=close`) a ticket; the member is told in their chat."""
    close = request.form.get("action") == "close"
    try:
        with runtime().sessions.begin() as writer:
            settled = tickets.answer_ticket(writer, current_scope(), number, request.form.get("answer", ""),
                                            close=close, actor=actor(), now=runtime().clock.now())
    except tickets.TicketError as problem:
        flash(str(problem))
        return redirect(url_for("admin.tickets_page"))
    if settled.outbox_id is not None:  # like a reply: sent now, not on the sender's next round
        runtime().sender.send_now([settled.outbox_id])
    flash(t("tickets.closed" if close else "tickets.answered", number=settled.number))
    return redirect(url_for("admin.tickets_page"))


# --- broadcasts --------------------------------------------------------------------------------------------


def _moment(value: str | None) -> datetime | None:
    """A `datetime-local` field, read in WIB (the branch's zone); None when empty or unreadable."""
    try:
        return datetime.fromisoformat((value or "").strip()).replace(tzinfo=WIB) if value else None
    except ValueError:
        return None


@blueprint.get("/siaran")
@require_role(*STAFF)
def broadcasts_page() -> ResponseReturnValue:
    """The form (with its live count and previews), the broadcasts with their delivery, the rules in force."""
    rt = runtime()
    shown = broadcasts.broadcasts(db())
    now = rt.clock.now()
    return render_template("admin/broadcasts.html", active="broadcasts", rows=shown, now=now,
                           delivery=broadcasts.delivery(db(), [row.id for row in shown]),
                           rules=broadcasts.reminder_rules(rt.services.rules), repeats=REPEATS,
                           default_at=now.astimezone(WIB).strftime("%Y-%m-%dT%H:%M"),
                           team_only=current_scope().team is not None, form=request.args, zone=WIB)


@blueprint.get("/siaran/pratinjau")
@require_role(*STAFF)
def broadcast_preview() -> ResponseReturnValue:
    """JSON for the form's script: the segment as written, the text on each channel, and with `count=1`
    the live count (the script asks for it only when the segment changes: on a large branch it costs most)."""
    rt = runtime()
    written = broadcasts.segment_text(request.args)
    shown = [vars(preview) for preview in broadcasts.previews(request.args.get("text_id", ""),
                                                               request.args.get("text_en"), rt.services.templates)]
    try:
        segment = broadcasts.scoped_segment(db(), current_scope(), written)
    except SegmentError as problem:
        return jsonify(segment=written, error=str(problem), previews=shown)
    if not request.args.get("count"):
        return jsonify(segment=segment.describe(), previews=shown)
    count = broadcasts.count(db(), segment, rt.clock.now(), rt.services.rules)
    return jsonify(segment=segment.describe(), count=count, line=t("broadcasts.count_line", **count), previews=shown)


@blueprint.post("/siaran")
@require_role(*STAFF)
def create_broadcast() -> ResponseReturnValue:
    """Schedule a broadcast exactly as `flask --app app broadcast create` does."""
    rt = runtime()
    form = request.form
    at = _moment(form.get("at"))
    try:
        if at is None:
            raise BroadcastError(t("broadcasts.at"))
        with rt.sessions.begin() as writer:
            segment = broadcasts.scoped_segment(writer, current_scope(), broadcasts.segment_text(form))
            created = create(writer, segment_text=segment.describe(), at=at, text_id=form.get("text_id", ""),
                             text_en=form.get("text_en"), now=rt.clock.now(), repeat=form.get("repeat", "once"),
                             until=_moment(form.get("until")), created_by=actor())
            count = broadcasts.count(writer, Segment.from_json(created.segment), rt.clock.now(),
                                     rt.services.rules)["reachable"]
            created_id = created.id
    except (BroadcastError, SegmentError) as problem:
        flash(str(problem))
        kept = {key: form.get(key, "") for key in (*broadcasts.SEGMENT_FIELDS, "text_id", "text_en")}
        return redirect(url_for("admin.broadcasts_page") + "?" + urlencode(kept))  # the form as it was
    flash(t("broadcasts.created", id=created_id, count=count))
    return redirect(url_for("admin.broadcasts_page"))


@blueprint.post("/siaran/<int:broadcast_id>/batal")
@require_role(*STAFF)
def cancel_broadcast(broadcast_id: int) -> ResponseReturnValue:
    """Cancel a broadcast (a supervisor only their own)."""
    rt = runtime()
    with rt.sessions.begin() as writer:
        found = writer.get(Broadcast, broadcast_id)
        if found is None or (current_scope().team is not None and found.created_by != actor()):
            abort(404)
        cancel(writer, broadcast_id, rt.clock.now())
    flash(t("broadcasts.cancelled", id=broadcast_id))
    return redirect(url_for("admin.broadcasts_page"))
