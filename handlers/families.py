"""A phone shared by several families: how a family is named to it, naming one by its head, and the family
chosen for the session (until MENU or 30 quiet minutes), so that "Yang mana?" is asked once, not per command."""

from __future__ import annotations

from bot.keywords import closest, normalise
from bot.turns import STATE_TIMEOUT, Turn
from models import Family
from rules.display import called_name
from rules.identifiers import mask_identifier


def family_label(family: Family) -> str:
    """The head's first name and the masked KK number: 'Budi (KK 3372********0001)'."""
    return f"{head_first_name(family)} (KK {mask_identifier(family.number)})"


def head_first_name(family: Family) -> str:
    """The name the head is called by ('H. Muhammad Yusuf' -> 'Yusuf'; '-' for a family without members)."""
    head = family.account_holder
    return (called_name(head.name) if head else "") or "-"


def family_named(typed: str, families: list[Family]) -> Family | None:
    """'budi', 'Pak Budi', 'budi santoso', 'bdui': the one family whose head the words name, typos forgiven."""
    names: dict[str, set[int]] = {}
    for family in families:
        head = family.account_holder
        full = normalise(head.name) if head else ""
        for name in filter(None, (full, *full.split())):
            names.setdefault(name, set()).add(family.id)
    whole = normalise(typed)
    found: set[int] = set()
    for word in [whole, *whole.split()]:
        match = closest(word, names)
        if match is not None:
            found |= names[match]
    if len(found) != 1:  # no name, or one that two heads share: ask again rather than guess
        return None
    return next(family for family in families if family.id in found)


def session_family_id(turn: Turn) -> int | None:
    """The family this chat chose in the current session, if any."""
    until = turn.chat.active_family_until
    return turn.chat.active_family_id if until is not None and until > turn.now else None


def remember(turn: Turn, family_id: int) -> None:
    """The family chosen stays chosen while the chat keeps talking (the same 30 minutes as a flow's step)."""
    turn.chat.active_family_id = family_id
    turn.chat.active_family_until = turn.now + STATE_TIMEOUT


def forget_chosen_family(turn: Turn) -> None:
    """MENU starts afresh: a shared phone is asked again which family it means."""
    turn.chat.active_family_until = None
