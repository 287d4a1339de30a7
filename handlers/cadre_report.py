"""LAPOR in one line (one report per line, each echoed with its number), BATAL and UBAH of the cadre's last
report of the day (the history keeps both), and a location sent right after a report.

For a cadre in the cadre menu and outside any flow, BATAL cancels the last report; anywhere else BATAL
leaves the flow in progress, as it does for members.
"""

from __future__ import annotations

from datetime import timedelta

from bot.messages import Reply
from bot.turns import Turn
from handlers import cadre_guided, menu
from handlers.cadre import show_menu
from handlers.cadre_records import (
    as_messages,
    day_start,
    describe,
    file_report,
    problem_text,
    resolve,
    tell_family_cancelled,
)
from handlers.context import cadre_now, cadre_of, in_cadre_menu, rules_of
from handlers.steps import ask_again
from handlers.texts import text
from models import Cadre, Family, Visit
from models.visits import cancel_visit, last_report
from rules.identifiers import mask_identifier
from rules.visit_reports import ReportProblem, parse_line, parse_message, read_result

AMEND = "report.amend"  # the step after UBAH alone (handlers.STEPS)
STATES = (AMEND,)
MAX_REPORTS = 30  # per message: a day's visits and then some
LOCATION_WINDOW = timedelta(hours=1)  # a location this soon after a report belongs to it


def report(turn: Turn) -> Reply:
    """LAPOR <card|KK> <RESULT> [amount] [note], one report per line; LAPOR alone is guided."""
    cadre = cadre_of(turn)
    if cadre is None:
        return Reply().say(text("cadre.only", turn.language))
    local = cadre_now(turn.now, cadre)
    # The whole message, not the turn's shortened text: a batch of lines must not lose its last report.
    parsed = parse_message(turn.incoming.text, local.date(), local.time(), rules_of(turn))
    if not parsed:
        return cadre_guided.start(turn, cadre)
    answers, recorded = [], False
    for index, line in enumerate(parsed[:MAX_REPORTS], start=1):
        if isinstance(line, ReportProblem):
            answer = problem_text(line, turn.language)
        else:
            filed = file_report(turn, cadre, line, via="line")
            answer, recorded = filed.answer, recorded or filed.new
        answers.append(answer if len(parsed) == 1 else text("report.line", turn.language, line=index,
                                                             answer=answer))
    if len(parsed) > MAX_REPORTS:
        answers.append(text("report.too_many", turn.language, most=MAX_REPORTS))
    if recorded:
        answers.append(text("report.next", turn.language))
    reply = Reply()
    reply.messages.extend(as_messages(answers))
    return reply


def cancel(turn: Turn) -> Reply:
    """BATAL: a cadre's last report of the day is cancelled (outside any flow); otherwise leave the flow."""
    cadre = cadre_of(turn)
    if cadre is None or turn.state is not None or not in_cadre_menu(turn):
        return show_menu(turn)
    last = last_report(turn.session, cadre.id, day_start(turn, cadre))
    if last is None:
        return Reply().say(text("report.none_today", turn.language))
    what = describe(turn, last, cadre)
    cancel_visit(turn.session, last, turn.now)
    tell_family_cancelled(turn, cadre, last)
    return Reply().say(text("report.cancelled", turn.language, number=last.number, what=what))


def amend(turn: Turn) -> Reply:
    """UBAH <correction>: the last report of the day, corrected (UBAH alone asks for the correction)."""
    cadre = cadre_of(turn)
    if cadre is None:
        return Reply().say(text("cadre.only", turn.language))
    last = last_report(turn.session, cadre.id, day_start(turn, cadre))
    if last is None:
        return Reply().say(text("report.none_today", turn.language))
    correction = " ".join(turn.incoming.text.split()[1:])
    if not correction:
        return Reply(state=AMEND, data={"visit_id": last.id}).say(
            text("report.amend_ask", turn.language, number=last.number, what=describe(turn, last, cadre)))
    return _amend_with(turn, cadre, last, correction)


def step_amend(turn: Turn) -> Reply:
    """The correction typed after UBAH alone."""
    cadre = cadre_of(turn)
    if cadre is None:
        return Reply().say(text("cadre.only", turn.language))
    last = last_report(turn.session, cadre.id, day_start(turn, cadre))
    if last is None or last.id != turn.data.get("visit_id"):
        return Reply().say(text("report.none_today", turn.language))
    return _amend_with(turn, cadre, last, turn.text, keep_asking=True)


def reads_correction(turn: Turn) -> bool:
    """A correction starts with a result (BAYAR 200rb, tdk ada) or a household's number."""
    words = turn.text.split()
    return bool(words) and (read_result(words[0]) is not None or any(ch.isdigit() for ch in words[0]))


def _amend_with(turn: Turn, cadre: Cadre, last: Visit, correction: str, keep_asking: bool = False) -> Reply:
    local = cadre_now(turn.now, cadre)
    family = turn.session.get(Family, last.family_id) if last.family_id else None
    household = last.household or (family.number if family else "")
    parsed = parse_line(correction, local.date(), local.time(), rules_of(turn), number=household)
    if isinstance(parsed, ReportProblem):
        if keep_asking:
            return ask_again(AMEND, {"visit_id": last.id}, turn.language, problem_text(parsed, turn.language))
        return Reply().say(problem_text(parsed, turn.language))
    _household, allowed = resolve(turn, cadre, parsed.number, parsed.result)
    if not allowed:  # refused before anything changes: the last report still stands
        return Reply().say(text("report.not_yours", turn.language, number=mask_identifier(parsed.number)))
    location = (last.latitude, last.longitude) if last.latitude is not None and last.longitude is not None \
        else None
    cancel_visit(turn.session, last, turn.now)
    turn.session.flush()  # the old report's key is free before the new one claims it
    filed = file_report(turn, cadre, parsed, via=last.via, location=location, replaces=last)
    new_receipt = filed.visit is not None and filed.visit.result == "BAYAR" and filed.visit.amount is not None
    if not new_receipt:
        tell_family_cancelled(turn, cadre, last)
    answers = [filed.answer]
    if filed.visit is not None and filed.new:
        answers.append(text("report.amended", turn.language, number=filed.visit.number, old=last.number))
    reply = Reply()
    reply.messages.extend(as_messages(answers))
    return reply


def location(turn: Turn) -> Reply:
    """A location shared outside any flow: attached to the cadre's report of the last hour, if any."""
    cadre = cadre_of(turn)
    if cadre is None or turn.incoming.location is None:
        return menu.empty(turn)
    last = last_report(turn.session, cadre.id, max(day_start(turn, cadre), turn.now - LOCATION_WINDOW))
    if last is None or last.latitude is not None:
        return Reply().say(text("report.location_alone", turn.language))
    last.latitude, last.longitude = turn.incoming.location
    return Reply().say(text("report.location_saved", turn.language, number=last.number))

