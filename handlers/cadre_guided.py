"""LAPOR, guided: the same report as the one line, step by step with choices (buttons on Telegram, numbers
on WhatsApp), for cadres who prefer it. A location shared at any step is attached to the visit.

The steps (registered in handlers.STEPS under these state names):
- HOUSEHOLD: one of today's TUGAS households (a choice) or a typed card / KK number; a whole one-line report
  typed here is filed at once.
- RESULT: BAYAR, JANJI, REHAB, TOLAK, TIDAKADA, PINDAH, DAFTAR, EDUKASI (a choice, or typed with the
  one-line aliases and typos).
- AMOUNT (after BAYAR) or PROMISE (after JANJI).
- NOTE: a short note, a location, or "Simpan"; then the report is filed and echoed like a one-line report.
BATAL and MENU leave at any step; a message a step cannot read that is clearly another command (TUGAS,
REKAP, CEK) leaves the step and is answered (handlers/__init__.py, the steps' `reads_*`).
"""

from __future__ import annotations

from datetime import date

from bot.messages import Choice, Reply
from bot.turns import Turn
from handlers.cadre_lists import todays_tasks
from handlers.cadre_records import as_messages, file_report, problem_text, resolve
from handlers.context import cadre_now, cadre_of, rules_of
from handlers.steps import ask_again
from handlers.texts import text
from models import Cadre, Family
from rules.identifiers import mask_identifier, mask_name
from rules.visit_reports import (
    RESULTS,
    ReportProblem,
    VisitReport,
    check_amount,
    check_promise,
    parse_line,
    read_amount,
    read_number,
    read_promise_date,
    read_result,
)

HOUSEHOLD, RESULT, AMOUNT, PROMISE, NOTE = "report.household", "report.result", "report.amount", \
    "report.promise", "report.note"
STATES = (HOUSEHOLD, RESULT, AMOUNT, PROMISE, NOTE)
NO_AMOUNT, SAVE, TOMORROW, DAY_AFTER = "TANPA", "SIMPAN", "BESOK", "LUSA"
FAMILY_CHOICE = "KK"  # a household chosen from today's list: "KK" + family id


def start(turn: Turn, cadre: Cadre) -> Reply:
    """LAPOR alone: which household, with today's list as choices."""
    today = cadre_now(turn.now, cadre).date()
    choices = []
    for item in todays_tasks(turn.session, cadre, today, rules_of(turn)):
        holder = item.family.account_holder
        label = f"{mask_name(holder.name) if holder else '-'} (KK {mask_identifier(item.family.number)})"
        choices.append(Choice(f"{FAMILY_CHOICE}{item.family.id}", label))
    key = "guided.household" if choices else "guided.household_typed"
    return Reply(state=HOUSEHOLD, data=_located(turn, {})).say(text(key, turn.language), choices)


def step_household(turn: Turn) -> Reply:
    """Which household: a choice from today's list, a typed number, or a whole one-line report."""
    cadre = cadre_of(turn)
    if cadre is None:
        return Reply().say(text("cadre.only", turn.language))
    data = _located(turn, dict(turn.data))
    if turn.incoming.location is not None:
        return Reply(state=HOUSEHOLD, data=data).say(text("guided.location_kept", turn.language))
    choice = turn.incoming.choice or ""
    if choice.startswith(FAMILY_CHOICE) and choice[len(FAMILY_CHOICE):].isdigit():
        family = turn.session.get(Family, int(choice[len(FAMILY_CHOICE):]))
        number = family.number if family is not None else ""
    else:
        number = read_number(turn.text) or ""
        if not number:
            local = cadre_now(turn.now, cadre)
            parsed = parse_line(turn.text, local.date(), local.time(), rules_of(turn))
            if isinstance(parsed, VisitReport):  # a whole one-line report: file it as it is
                return _finish(turn, cadre, parsed, data)
            return ask_again(HOUSEHOLD, data, turn.language, problem_text(parsed, turn.language))
    family, allowed = resolve(turn, cadre, number, None)
    if family is None or not allowed:
        return ask_again(HOUSEHOLD, data, turn.language,
                         text("report.not_yours", turn.language, number=mask_identifier(number or "?")))
    return _ask_result(turn, {**data, "household": number, "family_id": family.id})


def step_result(turn: Turn) -> Reply:
    """The visit's result; with the rest of the line typed after it, the report is filed at once."""
    choice = turn.incoming.choice
    result = choice if choice in RESULTS else read_result(turn.text)
    cadre = cadre_of(turn)
    if result is None and choice is None and cadre is not None:  # the rest of the line at once: BAYAR 150rb
        local = cadre_now(turn.now, cadre)
        household = str(turn.data.get("household", ""))
        parsed = parse_line(turn.text, local.date(), local.time(), rules_of(turn), number=household)
        if isinstance(parsed, VisitReport) and parsed.number == household:
            return _finish(turn, cadre, parsed, _located(turn, dict(turn.data)))
    if result is None:
        return _ask_result(turn, _located(turn, dict(turn.data)), again=True)
    data = {**_located(turn, dict(turn.data)), "result": result}
    if result == "BAYAR":
        return Reply(state=AMOUNT, data=data).say(text("guided.amount", turn.language),
                                                  (Choice(NO_AMOUNT, text("guided.no_amount", turn.language)),))
    if result == "JANJI":
        return _ask_promise(turn, data)
    return _ask_note(turn, data)


def step_amount(turn: Turn) -> Reply:
    """How much was paid (BAYAR), or no amount."""
    data = _located(turn, dict(turn.data))
    if turn.incoming.choice == NO_AMOUNT:
        return _ask_note(turn, {**data, "amount": None})
    amount = read_amount(turn.text)
    problem = (ReportProblem("amount_unreadable", turn.text, {"typed": turn.text}) if amount is None
               else check_amount(amount, rules_of(turn)))
    if problem is not None:
        return ask_again(AMOUNT, data, turn.language, problem_text(problem, turn.language),
                         choices=(Choice(NO_AMOUNT, text("guided.no_amount", turn.language)),))
    return _ask_note(turn, {**data, "amount": amount})


def step_promise(turn: Turn) -> Reply:
    """By when the family promised to pay (JANJI), with the member's JANJI rules."""
    cadre = cadre_of(turn)
    if cadre is None:
        return Reply().say(text("cadre.only", turn.language))
    data = _located(turn, dict(turn.data))
    today = cadre_now(turn.now, cadre).date()
    typed = {TOMORROW: "besok", DAY_AFTER: "lusa"}.get(turn.incoming.choice or "", turn.text)
    promised = read_promise_date(typed, today)
    problem = (ReportProblem("janji_bad_date", typed, {"typed": typed}) if promised is None
               else check_promise(promised, today, rules_of(turn)))
    if problem is not None or promised is None:
        assert problem is not None
        return ask_again(PROMISE, data, turn.language, problem_text(problem, turn.language))
    return _ask_note(turn, {**data, "promised_on": promised.isoformat()})


def step_note(turn: Turn) -> Reply:
    """A note (or Simpan): the report is filed; a location keeps the step open for the note."""
    cadre = cadre_of(turn)
    if cadre is None:
        return Reply().say(text("cadre.only", turn.language))
    data = _located(turn, dict(turn.data))
    if turn.incoming.location is not None:
        return _ask_note(turn, data, located=True)
    note = "" if turn.incoming.choice == SAVE else turn.text[:500]
    promised, amount = data.get("promised_on"), data.get("amount")
    report = VisitReport(number=str(data.get("household", "")), result=str(data.get("result", "")),
                         amount=amount if isinstance(amount, int) else None, note=note,
                         promised_on=date.fromisoformat(promised) if isinstance(promised, str) else None)
    return _finish(turn, cadre, report, data)


# --- what each step asks -------------------------------------------------------------------------------------


def _ask_result(turn: Turn, data: dict[str, object], again: bool = False) -> Reply:
    family = turn.session.get(Family, int(str(data.get("family_id", 0))))
    holder = family.account_holder if family else None
    name = f"{mask_name(holder.name) if holder else '-'} (KK {mask_identifier(family.number if family else '')})"
    choices = [Choice(result, text(f"guided.result.{result}", turn.language)) for result in RESULTS]
    if again:
        return ask_again(RESULT, data, turn.language, text("guided.result_again", turn.language), choices=choices)
    return Reply(state=RESULT, data=data).say(text("guided.result", turn.language, name=name), choices)


def _ask_promise(turn: Turn, data: dict[str, object]) -> Reply:
    return Reply(state=PROMISE, data=data).say(text("guided.promise", turn.language), (
        Choice(TOMORROW, text("guided.tomorrow", turn.language)),
        Choice(DAY_AFTER, text("guided.day_after", turn.language))))


def _ask_note(turn: Turn, data: dict[str, object], located: bool = False) -> Reply:
    message = text("guided.note", turn.language)
    if located:
        message = text("guided.location_kept", turn.language) + " " + message
    return Reply(state=NOTE, data=data).say(message, (Choice(SAVE, text("guided.save", turn.language)),))


def _finish(turn: Turn, cadre: Cadre, report: VisitReport, data: dict[str, object]) -> Reply:
    latitude, longitude = data.get("latitude"), data.get("longitude")
    location = (float(str(latitude)), float(str(longitude))) if latitude is not None and longitude is not None \
        else None
    filed = file_report(turn, cadre, report, via="guided", location=location)
    reply = Reply()
    reply.messages.extend(as_messages([filed.answer]))
    return reply


def _located(turn: Turn, data: dict[str, object]) -> dict[str, object]:
    """Keep a location shared at any step for the visit."""
    if turn.incoming.location is not None:
        data["latitude"], data["longitude"] = turn.incoming.location
    return data


# --- what each step reads as its answer (anything else that is clearly a command leaves the step) -----------


def reads_household(turn: Turn) -> bool:
    """A household from the list, a location, or a line that starts with a number (or is a whole report)."""
    choice, words = turn.incoming.choice or "", turn.text.split()
    return (choice.startswith(FAMILY_CHOICE) or turn.incoming.location is not None
            or bool(words) and any(ch.isdigit() for ch in words[0])
            or isinstance(_whole_line(turn), VisitReport))


def reads_result(turn: Turn) -> bool:
    """A result (a button, or typed with the one-line aliases), possibly with the rest of the line."""
    return (turn.incoming.choice in RESULTS or turn.incoming.location is not None or bool(turn.words)
            and read_result(turn.words[0]) is not None)


def reads_amount(turn: Turn) -> bool:
    """An amount, or something that tries to be one (digits), or "no amount"."""
    return (turn.incoming.choice == NO_AMOUNT or turn.incoming.location is not None
            or any(ch.isdigit() for ch in turn.text))


def reads_promise(turn: Turn) -> bool:
    """A date (digits, a month, besok / lusa), or one of the buttons."""
    return (turn.incoming.choice in (TOMORROW, DAY_AFTER) or turn.incoming.location is not None
            or any(ch.isdigit() for ch in turn.text) or read_promise_date(turn.text, turn.now.date()) is not None)


def _whole_line(turn: Turn) -> VisitReport | ReportProblem | None:
    cadre = cadre_of(turn)
    if cadre is None or not turn.text:
        return None
    local = cadre_now(turn.now, cadre)
    return parse_line(turn.text, local.date(), local.time(), rules_of(turn))
