"""Keluarga: find one family by card, NIK or KK number (exact match only), and its page: arrears as the bot
computes them, its REHAB plan, promises, visit reports, and the messages sent with their delivery states.

Every search and every view of a family's page is written to the audit log (UU PDP: who saw what, when).
Identifiers are masked everywhere; an admin sees them whole on the family's own page.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from handlers.context import local_date
from handlers.situation import situation_of
from models import Assignment, Cadre, ChatFamily, Family, Member, OutboxMessage, Promise, Visit
from rules.identifiers import mask_identifier
from rules.regions import region_name
from web import runtime
from web.admin.core import audit, blueprint, current_account, db, require_role, visible_cadre_ids
from web.admin.nav import STAFF

MESSAGES_SHOWN = 50


def find_family(session: Session, typed: str) -> Family | None:
    """The family whose card number, NIK (of any member) or KK number is exactly `typed` (digits only)."""
    number = "".join(ch for ch in typed if ch.isdigit())
    if len(number) not in (13, 16):
        return None
    member = session.scalar(select(Member).where(or_(Member.card_number == number, Member.nik == number)))
    if member is not None:
        return session.get(Family, member.family_id)
    return session.scalar(select(Family).where(Family.number == number))


def may_see(session: Session, family: Family) -> bool:
    """Admins see every family; a supervisor only those on their team's lists."""
    scope = visible_cadre_ids()
    if scope is None:
        return True
    cadre_id = session.scalar(select(Assignment.cadre_id).where(Assignment.family_id == family.id))
    return cadre_id is not None and cadre_id in scope


@blueprint.get("/keluarga")
@require_role(*STAFF)
def families() -> ResponseReturnValue:
    """The search form; a search goes to the family's page, or says nothing was found (audited either way)."""
    typed = request.args.get("q", "").strip()[:40]
    if not typed:
        return render_template("admin/families.html", active="families", typed="", missing=False)
    account = current_account()
    assert account is not None  # require_role
    session = db()
    family = find_family(session, typed)
    if family is not None and not may_see(session, family):
        family = None  # a supervisor is told the same as for a number that does not exist
    audit(account, "admin_search_family", family.id if family else None, mask_identifier(typed))
    if family is None:
        return render_template("admin/families.html", active="families", typed=typed, missing=True), 404
    return redirect(url_for("admin.family_page", family_id=family.id))


@blueprint.get("/keluarga/<int:family_id>")
@require_role(*STAFF)
def family_page(family_id: int) -> ResponseReturnValue:
    """One family: members, arrears (CEK's figures), plan, promises, reports, messages and their states."""
    account = current_account()
    assert account is not None  # require_role
    rt = runtime()
    session = db()
    family = session.get(Family, family_id)
    if family is None or not may_see(session, family):
        abort(404)
    audit(account, "admin_view_family", family.id)
    today = local_date(rt.clock.now(), family)
    situation = situation_of(session, family, today, rt.services["rules"])
    cadre = session.scalar(select(Cadre).join(Assignment, Assignment.cadre_id == Cadre.id)
                           .where(Assignment.family_id == family.id))
    promises = session.scalars(select(Promise).where(Promise.family_id == family.id)
                               .order_by(Promise.made_at.desc())).all()
    visits = session.execute(select(Visit, Cadre.code).join(Cadre, Cadre.id == Visit.cadre_id)
                             .where(Visit.family_id == family.id).order_by(Visit.reported_at.desc())).all()
    chats = select(ChatFamily.chat_id).where(ChatFamily.family_id == family.id)
    messages = session.scalars(select(OutboxMessage).where(OutboxMessage.chat_id.in_(chats))
                               .order_by(OutboxMessage.id.desc()).limit(MESSAGES_SHOWN)).all()
    return render_template("admin/family.html", active="families", family=family, situation=situation,
                           to_pay=situation.to_pay(), eligibility=situation.eligibility(), cadre=cadre,
                           promises=promises, visits=visits, messages=messages,
                           region=region_name(family.region_code) or family.region_code,
                           whole=account.role == "admin")
