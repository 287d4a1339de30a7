"""What every journey needs to know besides the message: the branch's rules, how far notices reach, who
the cadre is (writing, or assigned to the family) and how to tell them, the family's or the cadre's own
date, and what follows a keyword."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from bot.turns import Turn
from handlers.recipients import Reach, notify_cadre
from models import Assignment, Cadre, Family
from rules.programme import ProgrammeRules
from rules.regions import zone_for_region


def rules_of(turn: Turn) -> ProgrammeRules:
    """The branch's programme rules (instance/rules.json), the defaults in bare handler tests."""
    return turn.rules


def reach_of(turn: Turn) -> Reach:
    """How far notices go (WhatsApp by phone when configured, with its templates); nowhere extra in bare
    handler tests."""
    return Reach.of(turn.settings, turn.services.templates)


def cadre_of(turn: Turn) -> Cadre | None:
    """The active cadre writing, recognised by the phone in the cadres file; None for everyone else."""
    cadre = turn.session.get(Cadre, turn.chat.cadre_id) if turn.chat.cadre_id else None
    return cadre if cadre is not None and cadre.active else None


def in_cadre_menu(turn: Turn) -> bool:
    """A cadre's chat shows the cadre menu unless the cadre switched to the member menu (MENU PESERTA)."""
    return turn.chat.cadre_id is not None and turn.chat.menu != "member"


def family_today(turn: Turn, family: Family) -> date:
    """The family's local date: the 10th, the 28th and month ends fall in the family's time zone, not UTC."""
    return local_date(turn.now, family)


def local_date(moment: datetime, family: Family) -> date:
    """The date `moment` falls on in the family's time zone."""
    return moment.astimezone(zone_for_region(family.region_code)).date()


def cadre_now(moment: datetime, cadre: Cadre) -> datetime:
    """The cadre's local time: a day's reports and the 07:00 list follow the cadre's own time zone."""
    return moment.astimezone(zone_for_region(cadre.region_code))


def after_keyword(turn: Turn, words: int = 1) -> str:
    """What follows the keyword: 'JANJI 20/6' -> '20/6'."""
    return " ".join(turn.words[words:]).strip()


def family_cadre(turn: Turn, family: Family) -> Cadre | None:
    """The cadre assigned to the family, if any."""
    return turn.session.execute(
        select(Cadre).join(Assignment, Assignment.cadre_id == Cadre.id).where(Assignment.family_id == family.id)
    ).scalar_one_or_none()


def tell_cadre(turn: Turn, cadre: Cadre, key: str, **values: object) -> None:
    """Queue a notice to the cadre: every chat they use, and their phone on WhatsApp even if they never wrote
    (handlers/recipients.py); the sender delivers it on its next tick."""
    notify_cadre(turn.session, cadre, turn.now, reach_of(turn), key, values)
