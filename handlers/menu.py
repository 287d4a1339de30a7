"""The menu, help, language, and the answers for what the bot cannot read."""

from __future__ import annotations

from bot.conversation import Turn
from bot.messages import Choice, Reply
from handlers.families import forget_chosen_family
from handlers.texts import text
from models import Cadre
from rules.display import called_name

STATES: tuple[str, ...] = ()  # no steps: every answer here is one message

MENU_ITEMS = ("CEK", "REHAB", "BAYAR", "JANJI", "KELUHAN", "DAFTAR", "STOP", "BANTUAN")


def menu_choices(language: str) -> tuple[Choice, ...]:
    """The main menu's buttons in the chat's language."""
    return tuple(Choice(key, text(f"menu.{key.lower()}", language)) for key in MENU_ITEMS)


def show_menu(turn: Turn) -> Reply:
    """MENU, HALO, /start, BATAL: the main menu, leaving any flow in progress (and a shared phone's choice of
    family: the next question about data asks again which family)."""
    forget_chosen_family(turn)
    called = called_name(turn.chat.display_name or "")
    name = f" {called}" if called else ""
    return Reply().say(text("menu", turn.language, name=name), menu_choices(turn.language))


def show_help(turn: Turn) -> Reply:
    """BANTUAN: what the bot does and BPJS's official channels."""
    return Reply().say(text("help", turn.language))


def set_language(turn: Turn) -> Reply:
    """BAHASA EN / BAHASA ID."""
    wanted = next((w.lower() for w in turn.words[1:] if w.lower() in ("id", "en")), None)
    if wanted is None:
        return Reply().say(text("language.ask", turn.language))
    turn.chat.language = wanted
    return Reply().say(text("language.set", wanted))


def who_am_i(turn: Turn) -> Reply:
    """SIAPA: echo of who the bot thinks is talking (useful when connecting a channel)."""
    cadre = turn.session.get(Cadre, turn.chat.cadre_id) if turn.chat.cadre_id else None
    cadre_text = text("whoami.cadre", turn.language, code=cadre.code, name=cadre.name) if cadre else ""
    reply = Reply().say(text("whoami", turn.language, channel=turn.chat.channel, address=turn.chat.address,
                             cadre=cadre_text))
    if turn.chat.channel == "telegram" and not turn.chat.phone:
        reply.say(text("whoami.share_contact", turn.language), ask_contact=True)
    return reply


def unreadable(turn: Turn) -> Reply:
    """What was sent cannot be read (a sticker, a photo ...): say so and stay at the same step."""
    return Reply(state=turn.state, data=turn.data).say(text("unreadable", turn.language))


def empty(turn: Turn) -> Reply:
    """An empty message: say so and stay at the same step."""
    return Reply(state=turn.state, data=turn.data).say(text("empty", turn.language))


def not_understood(turn: Turn) -> Reply:
    """No keyword matched: quote the start of what was typed and show the menu."""
    shown = turn.text if len(turn.text) <= 40 else turn.text[:37] + "..."
    return Reply().say(text("unknown", turn.language, text=shown), menu_choices(turn.language))
