"""What every journey needs to know besides the message: the branch's rules and the family's own date."""

from __future__ import annotations

from datetime import date, datetime

from bot.conversation import Turn
from models import Family
from models.arrears import DEFAULT_RULES, ProgrammeRules
from models.regions import zone_for_region


def rules_of(turn: Turn) -> ProgrammeRules:
    rules = turn.services.get("rules")
    return rules if isinstance(rules, ProgrammeRules) else DEFAULT_RULES


def family_today(turn: Turn, family: Family) -> date:
    """The family's local date: the 10th, the 28th and month ends fall in the family's time zone, not UTC."""
    return local_date(turn.now, family)


def local_date(moment: datetime, family: Family) -> date:
    return moment.astimezone(zone_for_region(family.region_code)).date()
