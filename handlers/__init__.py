"""What the bot answers: one table of keywords, read like the menu a member sees, and one of flow steps.

`handle(turn)` is the only entry point (bot/turns.py calls it). Order of precedence:
1. a keyword whose row interrupts (STOP, MENU, BATAL, HAPUS, ...): it leaves any flow at once, typos forgiven;
2. the step of a flow in progress, for a message the step reads as its answer (a card number, a date, a count,
   any text at the complaint step). A message it cannot read that is clearly a keyword (typed as it is, or a
   keyword's button) leaves the step and does what it says; anything else the step refuses, saying how to
   leave;
3. what a cadre's report asks of this family's next message (REHAB); a location or a contact shared;
4. a keyword (or a menu choice), typos forgiven;
5. a kind "I did not understand".

A new keyword is a row of KEYWORDS; a new step is a row of STEPS, named by a constant of its flow module.
A cadre's chat shows the cadre menu (MENU, BANTUAN), and BATAL there, outside any flow, cancels the cadre's
last report; MENU PESERTA and MENU KADER switch between the member and the cadre menus.

The journeys: member (CEK, BAYAR, JANJI), member_help (KADER, KELUHAN, TIKET, DAFTAR, STOP/MULAI), identity,
rehab, menu; cadre, cadre_report, cadre_guided, cadre_lists and cadre_records for cadres; invitations (what a
cadre's report asks of a family). What they share: steps, situation (a family's figures, read once),
context, values (what people type), families (a shared phone), recipients (who receives a notice), and
texts/ (every text, by area).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.keywords import closest, normalise
from bot.messages import Outgoing, Reply
from bot.turns import Turn
from handlers import (
    cadre,
    cadre_guided,
    cadre_lists,
    cadre_report,
    identity,
    invitations,
    member,
    member_help,
    menu,
    rehab,
)
from handlers.steps import Resume, Step, any_text, yes_or_no_given
from handlers.texts import text

Handler = Callable[[Turn], Reply]


@dataclass(frozen=True)
class Keyword:
    """One row of the menu: the words that call it (the first is the one people are told) and what answers.

    `interrupts`: the word leaves any flow at once, even where the message could be the step's answer (the
    complaint step takes any text). Other keywords leave a step only when the message cannot be its answer.
    `typos`: small slips are forgiven ("CEKK", "rehap"), except where a guess would do harm.
    """

    words: tuple[str, ...]
    answer: Handler
    interrupts: bool = False
    typos: bool = True


KEYWORDS: tuple[Keyword, ...] = (
    # the menu, in the order a member sees it (handlers/menu.py)
    Keyword(("CEK", "TUNGGAKAN"), member.check_arrears),
    Keyword(("REHAB",), rehab.rehab),
    Keyword(("BAYAR",), member.how_to_pay),
    Keyword(("JANJI",), member.promise),
    Keyword(("KELUHAN",), member_help.complaint),
    Keyword(("DAFTAR",), member_help.how_to_register),
    Keyword(("STOP", "BERHENTI", "UNSUBSCRIBE"), member_help.stop_reminders, interrupts=True),
    Keyword(("BANTUAN", "HELP", "/HELP"), cadre.show_help, interrupts=True),  # a cadre's chat: how to report
    # at hand everywhere; in a cadre's chat the cadre menu (handlers/cadre.py)
    Keyword(("MENU", "/START"), cadre.show_menu, interrupts=True),
    Keyword(("HALO", "HALLO", "HAI", "START"), cadre.show_menu),  # a greeting may open a complaint's text
    # leaves a flow; a cadre outside any flow cancels their last report (handlers/cadre_report.py)
    Keyword(("BATAL",), cadre_report.cancel, interrupts=True),
    Keyword(("BAHASA", "LANGUAGE"), menu.set_language, interrupts=True),
    # withdrawing consent is a legal right, so it always works; never guessed ("harus" is one slip away)
    Keyword(("HAPUS",), identity.withdraw, interrupts=True, typos=False),
    # members, named in the answers and in BANTUAN
    Keyword(("MULAI",), member_help.resume_reminders),
    Keyword(("CEK KADER",), member_help.check_cadre),
    Keyword(("KADER",), member_help.my_cadre),
    Keyword(("TIKET",), member_help.ticket_status),
    Keyword(("KUNJUNGAN",), member_help.request_visit),
    Keyword(("TAMBAH",), identity.add_family),
    Keyword(("SIAPA",), menu.who_am_i),
    # cadres (handlers/cadre*.py)
    Keyword(("LAPOR", "LAPORAN"), cadre_report.report),
    Keyword(("UBAH",), cadre_report.amend),
    Keyword(("TUGAS",), cadre_lists.tasks),
    Keyword(("REKAP",), cadre_lists.progress),
    Keyword(("REKAP TIM",), cadre_lists.team),
    Keyword(("JAWAB",), cadre.answer_ticket),
    Keyword(("TUTUP",), cadre.close_ticket),
    Keyword(("MENU PESERTA",), cadre.to_member_menu, interrupts=True),
    Keyword(("MENU KADER",), cadre.to_cadre_menu, interrupts=True),
)

# Flow step -> what answers it and what reads as its answer (handlers/steps.py).
STEPS: dict[str, Step] = {
    identity.NUMBER: Step(identity.step_number, reads=identity.reads_number),
    identity.SECOND: Step(identity.step_second, reads=identity.reads_second),
    identity.BIRTHDATE: Step(identity.step_birthdate, reads=identity.reads_birthdate),
    identity.CONSENT: Step(identity.step_consent, reads=yes_or_no_given),
    identity.PICK: Step(identity.step_pick, reads=identity.reads_pick),
    member.PROMISE_DATE: Step(member.step_promise_date, reads=member.reads_promise_date),
    member_help.COMPLAINT_TEXT: Step(member_help.step_complaint_text, reads=any_text),
    member_help.REGISTER_AREA: Step(member_help.step_register_area, reads=member_help.reads_area),
    rehab.COUNT: Step(rehab.step_count, reads=rehab.reads_count),
    rehab.CONFIRM: Step(rehab.step_confirm, reads=yes_or_no_given),
    cadre_guided.HOUSEHOLD: Step(cadre_guided.step_household, reads=cadre_guided.reads_household),
    cadre_guided.RESULT: Step(cadre_guided.step_result, reads=cadre_guided.reads_result),
    cadre_guided.AMOUNT: Step(cadre_guided.step_amount, reads=cadre_guided.reads_amount),
    cadre_guided.PROMISE: Step(cadre_guided.step_promise, reads=cadre_guided.reads_promise),
    cadre_guided.NOTE: Step(cadre_guided.step_note, reads=any_text),
    cadre_report.AMEND: Step(cadre_report.step_amend, reads=cadre_report.reads_correction),
}

_BY_WORD: dict[str, Keyword] = {word: row for row in KEYWORDS for word in row.words}
_FORGIVING: tuple[str, ...] = tuple(word for row in KEYWORDS if row.typos for word in row.words)


def keyword_of(words: list[str], typos: bool = True) -> Keyword | None:
    """The keyword a message starts with ("CEK KADER" before "CEK"), small typos forgiven unless not asked."""
    if not words:
        return None
    two = normalise(" ".join(words[:2]))
    if len(words) >= 2 and two in _BY_WORD:
        return _BY_WORD[two]
    first = words[0]
    if first.startswith("/"):
        return _BY_WORD.get(first.split("@")[0].upper())  # Telegram's "/start@KaderBot" in groups
    exact = _BY_WORD.get(normalise(first))
    if exact is not None or not typos:
        return exact
    guessed = closest(first, _FORGIVING)
    return _BY_WORD[guessed] if guessed else None


def handle(turn: Turn) -> Reply:
    """The answer to one message, and the chat's next step (see the order of precedence above)."""
    if turn.incoming.media and not turn.text:
        return menu.unreadable(turn)
    choice = turn.incoming.choice
    keyword = keyword_of(turn.words) if choice is None else None

    if keyword is not None and keyword.interrupts:
        return keyword.answer(turn)
    step = STEPS.get(turn.state) if turn.state else None
    if step is not None:
        leaving = None if step.reads(turn) else _clearly_keyword(turn)
        return leaving.answer(turn) if leaving is not None else _answer(turn, step)
    invited = invitations.rehab_invitation(turn, keyword.words[0] if keyword is not None else None)
    if invited is not None:
        return _with_expiry_note(turn, invited)
    if turn.incoming.location is not None and not turn.text:
        return cadre_report.location(turn)
    if turn.incoming.contact_phone and not turn.text:
        return cadre.contact_shared(turn)
    if choice is not None and normalise(choice) in _BY_WORD:
        return _BY_WORD[normalise(choice)].answer(turn)
    if keyword is not None:
        return _with_expiry_note(turn, keyword.answer(turn))
    if not turn.text:
        return menu.empty(turn)
    return _with_expiry_note(turn, menu.not_understood(turn))


def _clearly_keyword(turn: Turn) -> Keyword | None:
    """A keyword's button, or a message that starts with a keyword as it is spelt (no guessing at a step)."""
    choice = turn.incoming.choice
    if choice is not None:
        return _BY_WORD.get(normalise(choice))
    return keyword_of(turn.words, typos=False)


def _answer(turn: Turn, step: Step) -> Reply:
    answered = step.answer(turn)
    return _carry_on(turn, answered) if isinstance(answered, Resume) else answered


def _carry_on(turn: Turn, resume: Resume) -> Reply:
    """Identity is proved: what the member asked for before runs now, as if typed again, for that family."""
    turn.chat.active_family_id = resume.family_id
    incoming = replace(turn.incoming, text=resume.then, choice=None)
    again = replace(turn, incoming=incoming, text=resume.then, state=None, data={"family_id": resume.family_id},
                    expired=False)
    reply = handle(again)
    if resume.said:
        reply.messages.insert(0, Outgoing(resume.said))
    return reply


def _with_expiry_note(turn: Turn, reply: Reply) -> Reply:
    if turn.expired:
        reply.messages.insert(0, Outgoing(text("expired", turn.language)))
    return reply
