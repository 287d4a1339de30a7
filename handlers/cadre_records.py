"""Filing one visit report for a cadre, however it was typed (one line, guided, UBAH): who the household is,
whether the cadre may report it, recording it once, what the result sets going (a promise, a receipt, a
payment check), and the echo the cadre reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.messages import Outgoing
from bot.turns import Turn
from handlers.context import cadre_now, reach_of, rules_of
from handlers.recipients import RECEIPT, deliver, family_chats, notify_family
from handlers.texts import date_text, text
from models import AuditEntry, Cadre, Family, Promise, Visit
from models.visits import BAYAR, REPORTED, household_for, may_report, reconcile_family, record_visit
from rules.display import format_rupiah
from rules.identifiers import mask_identifier, mask_name
from rules.regions import zone_for_region, zone_label
from rules.visit_reports import ReportProblem, VisitReport, content_key

MESSAGE_LIMIT = 1400  # one echo message stays under WhatsApp's 1,600 characters with room to spare


@dataclass
class Filed:
    """What became of one report: the echo line, and the report kept (None when refused)."""

    answer: str
    visit: Visit | None = None
    new: bool = False


def resolve(turn: Turn, cadre: Cadre, number: str, result: str | None) -> tuple[Family | None, bool]:
    """(the household, whether this report may be filed). A DAFTAR report may name a household that is not
    (or not yet) the cadre's: it is filed unlinked, exactly as for a number that does not exist, so the
    answer never tells whether a number exists."""
    family = household_for(turn.session, number)
    if family is not None and may_report(turn.session, cadre, family):
        return family, True
    return None, result == "DAFTAR"


def file_report(turn: Turn, cadre: Cadre, report: VisitReport, via: str,
                location: tuple[float, float] | None = None, replaces: Visit | None = None) -> Filed:
    """Authorise, record once, set the result going, and say what was recorded."""
    language = turn.language
    family, allowed = resolve(turn, cadre, report.number, report.result)
    if not allowed:
        return Filed(text("report.not_yours", language, number=mask_identifier(report.number)))
    local = cadre_now(turn.now, cadre)
    reference = f"F{family.id}" if family is not None else report.number
    visit = Visit(cadre_id=cadre.id, family_id=family.id if family else None, household=report.number,
                  result=report.result, amount=report.amount, promised_on=report.promised_on,
                  note=report.note, source_key=content_key(report, reference, local.date()),
                  reported_at=turn.now, visited_at=_visited_at(report, local), chat_id=turn.chat.id, via=via,
                  latitude=location[0] if location else None, longitude=location[1] if location else None,
                  status=REPORTED if report.result == BAYAR and family is not None else None,
                  replaces_id=replaces.id if replaces else None)
    visit, new = record_visit(turn.session, visit)
    turn.session.flush()
    if not new:
        return Filed(text("report.duplicate", language, number=visit.number), visit)
    turn.session.add(AuditEntry(at=turn.now, actor=f"cadre:{cadre.code}", action="visit_report",
                                family_id=visit.family_id, detail=f"{visit.number} {visit.result}"))
    answer = text("report.recorded", language, number=visit.number, what=describe(turn, visit, cadre))
    if family is None:
        return Filed(answer, visit, True)
    if visit.result == "JANJI" and visit.promised_on is not None:
        promise = Promise(family_id=family.id, promised_on=visit.promised_on, made_at=turn.now, cadre_id=cadre.id)
        turn.session.add(promise)
        turn.session.flush()
        visit.promise_id = promise.id
    if visit.result == BAYAR:
        reconcile_family(turn.session, family.id)  # the payment may have been imported already
        if visit.amount is not None:
            sent = send_receipt(turn, cadre, family, visit, replaces)
            answer += "\n" + text("report.receipt_sent" if sent else "report.no_receipt", language)
    return Filed(answer, visit, True)


def send_receipt(turn: Turn, cadre: Cadre, family: Family, visit: Visit, replaces: Visit | None) -> bool:
    """The family hears who collected how much, the report's number, and how to check the cadre; after UBAH
    of a receipted report, that this one replaces it."""
    amount, when = visit.amount, visit.visited_at or visit.reported_at
    assert amount is not None
    corrected = replaces is not None and replaces.result == BAYAR and replaces.amount is not None

    def render(language: str) -> str:
        receipt = text("receipt.to_member", language, cadre=cadre.name, code=cadre.code,
                       amount=format_rupiah(amount), family=mask_identifier(family.number), number=visit.number,
                       when=moment_text(when, family.region_code, language), days=rules_of(turn).report_confirm_days)
        if corrected and replaces is not None:
            receipt = text("receipt.replaced", language, old=replaces.number, number=visit.number) + "\n" + receipt
        return receipt

    reach = reach_of(turn)
    rows = deliver(turn.session, family_chats(turn.session, family, turn.now, reach), turn.now, reach,
                   RECEIPT, render, dedupe=f"receipt:{visit.id}")
    return bool(rows)


def tell_family_cancelled(turn: Turn, cadre: Cadre, visit: Visit) -> None:
    """A receipt was sent for this report: the family hears that it no longer stands."""
    family = turn.session.get(Family, visit.family_id) if visit.family_id else None
    if family is None or visit.result != BAYAR or visit.amount is None:
        return
    notify_family(turn.session, family, turn.now, reach_of(turn), "receipt.cancelled",
                  {"number": visit.number, "amount": format_rupiah(visit.amount), "cadre": cadre.name,
                   "code": cadre.code}, dedupe=f"receipt-cancelled:{visit.id}")


def describe(turn: Turn, visit: Visit, cadre: Cadre) -> str:
    """KK 3372****0001 (Bu** Sa*****), BAYAR Rp150.000, 2 Juni 2025 10.30 WIB, catatan: ..."""
    language = turn.language
    details = ""
    if visit.promised_on is not None:
        details += text("report.promise", language, date=date_text(visit.promised_on, language))
    if visit.amount is not None:
        details += text("report.amount", language, amount=format_rupiah(visit.amount))
    when = moment_text(visit.visited_at or visit.reported_at, cadre.region_code, language)
    family = turn.session.get(Family, visit.family_id) if visit.family_id else None
    if family is None:
        what = text("report.what_unlinked", language, household=mask_identifier(visit.household or ""),
                    result=visit.result, details=details, when=when)
    else:
        holder = family.account_holder
        what = text("report.what", language, family=mask_identifier(family.number),
                    name=mask_name(holder.name) if holder else "-", result=visit.result, details=details,
                    when=when)
    if visit.note:
        what += text("report.note", language, note=visit.note)
    if visit.latitude is not None:
        what += " 📍"
    return what


def moment_text(moment: datetime, region_code: str, language: str) -> str:
    """2 Juni 2025 10.30 WIB: a moment as people of that region read it."""
    zone = zone_for_region(region_code)
    local = moment.astimezone(zone)
    return f"{date_text(local.date(), language)} {local:%H.%M} {zone_label(zone)}"


def problem_text(problem: ReportProblem, language: str) -> str:
    """What could not be read on a line, and how to write it."""
    values = dict(problem.values)
    if isinstance(values.get("latest"), date):
        values["latest"] = date_text(values["latest"], language)  # type: ignore[arg-type]
    if isinstance(values.get("most"), int):
        values["most"] = format_rupiah(values["most"])  # type: ignore[arg-type]
    return text("report.problem", language, problem=text(f"report.problem.{problem.code}", language, **values))


def as_messages(lines: list[str]) -> list[Outgoing]:
    """Echo lines grouped into messages a phone shows whole (long batches become several messages)."""
    messages: list[str] = []
    for line in lines:
        if messages and len(messages[-1]) + 1 + len(line) <= MESSAGE_LIMIT:
            messages[-1] += "\n" + line
        else:
            messages.append(line)
    return [Outgoing(message) for message in messages]


def day_start(turn: Turn, cadre: Cadre) -> datetime:
    """The start of the cadre's local day: BATAL and UBAH reach only reports made since."""
    local = cadre_now(turn.now, cadre)
    return datetime.combine(local.date(), time(0), tzinfo=local.tzinfo)


def _visited_at(report: VisitReport, local: datetime) -> datetime:
    """When the visit happened, in the cadre's zone: the time and day typed, else now (`kemarin` alone:
    the same clock time yesterday)."""
    day = report.visited_on or local.date()
    if report.visited_time is not None:
        return datetime.combine(day, report.visited_time, tzinfo=local.tzinfo)
    return local - timedelta(days=(local.date() - day).days)

