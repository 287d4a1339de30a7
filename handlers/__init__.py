"""What the bot answers: one explicit table of keywords and one of flow steps, read like the member's menu.

`handle(turn)` is the only entry point (bot/conversation.py calls it). Order of precedence:
1. words that always win, even in the middle of a flow (STOP, MENU, BATAL, ...);
2. the step of a flow in progress;
3. a keyword (or a menu choice), typos forgiven;
4. a kind "I did not understand".
"""

from __future__ import annotations

from collections.abc import Callable

from bot.conversation import Turn
from bot.keywords import closest, normalise
from bot.messages import Reply
from handlers import cadre, identity, member, menu, rehab
from handlers.texts import text

Handler = Callable[[Turn], Reply]

# Keyword -> handler. Multi-word keywords ("CEK KADER") are matched before single words ("CEK").
KEYWORDS: dict[str, Handler] = {
    "MENU": menu.show_menu,
    "HALO": menu.show_menu,
    "HALLO": menu.show_menu,
    "HAI": menu.show_menu,
    "/START": menu.show_menu,
    "START": menu.show_menu,
    "BATAL": menu.show_menu,
    "BANTUAN": menu.show_help,
    "/HELP": menu.show_help,
    "HELP": menu.show_help,
    "BAHASA": menu.set_language,
    "LANGUAGE": menu.set_language,
    "SIAPA": menu.who_am_i,
    # member journeys (handlers/member.py), identity first where data is personal
    "CEK": member.check_arrears,
    "TUNGGAKAN": member.check_arrears,
    "BAYAR": member.how_to_pay,
    "JANJI": member.promise,
    "STOP": member.stop_reminders,
    "BERHENTI": member.stop_reminders,
    "UNSUBSCRIBE": member.stop_reminders,
    "MULAI": member.resume_reminders,
    "KADER": member.my_cadre,
    "CEK KADER": member.check_cadre,
    "KELUHAN": member.complaint,
    "TIKET": member.ticket_status,
    "DAFTAR": member.how_to_register,
    "KUNJUNGAN": member.request_visit,
    "HAPUS": identity.withdraw,
    "TAMBAH": identity.add_family,
    "REHAB": rehab.rehab,
    # cadres
    "JAWAB": cadre.answer_ticket,
    "TUTUP": cadre.close_ticket,
}

# Keywords that leave any flow in progress.
ALWAYS = {"MENU", "BATAL", "/START", "STOP", "BERHENTI", "BANTUAN", "BAHASA"}

# Flow step -> handler (filled by the journeys: identity, REHAB, reports, ...).
STEPS: dict[str, Handler] = {
    "identity.number": identity.step_number,
    "identity.birthdate": identity.step_birthdate,
    "identity.consent": identity.step_consent,
    "identity.pick": identity.step_pick,
    "promise.date": member.step_promise_date,
    "complaint.text": member.step_complaint_text,
    "register.area": member.step_register_area,
    "rehab.count": rehab.step_count,
    "rehab.confirm": rehab.step_confirm,
}


def keyword_of(words: list[str]) -> str | None:
    if not words:
        return None
    two = normalise(" ".join(words[:2]))
    if len(words) >= 2 and two in KEYWORDS:
        return two
    first = words[0]
    if first.startswith("/"):
        command = first.split("@")[0].upper()  # Telegram's "/start@KaderBot" in groups
        return command if command in KEYWORDS else None
    return closest(first, KEYWORDS)


def handle(turn: Turn) -> Reply:
    if turn.incoming.media and not turn.text:
        return menu.unreadable(turn)
    choice = turn.incoming.choice
    keyword = keyword_of(turn.words) if choice is None else None

    if keyword in ALWAYS:
        return KEYWORDS[keyword](turn)
    if turn.state in STEPS:
        return STEPS[turn.state](turn)
    if choice is not None and normalise(choice) in KEYWORDS:
        return KEYWORDS[normalise(choice)](turn)
    if keyword is not None:
        return _with_expiry_note(turn, KEYWORDS[keyword](turn))
    if not turn.text:
        return menu.empty(turn)
    return _with_expiry_note(turn, menu.not_understood(turn))


def _with_expiry_note(turn: Turn, reply: Reply) -> Reply:
    if turn.expired:
        reply.messages.insert(0, Reply().say(text("expired", turn.language)).messages[0])
    return reply
