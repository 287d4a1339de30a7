"""REHAB by chat: eligibility, the instalment count, the schedule, an explicit YA, then the plan's status.

The flow (steps registered in handlers.STEPS):
- `rehab` (REHAB, or the menu's choice): identity first; a family with a plan sees its status; otherwise the
  eligibility, and when eligible the instalment counts on offer -> COUNT.
- COUNT (`step_count`): the count chosen -> the schedule and a question: YA? -> CONFIRM.
- CONFIRM (`step_confirm`): YA enrols (eligibility and figures checked again first), TIDAK leaves.
BATAL and MENU leave at any step, and so does any keyword that is not an answer (handlers/__init__.py).

Step data is small: the family's id, and at confirmation the count and the figures the member was shown.
Everything else is read again at each step, once (handlers.situation), on the family's local date.

The counts are offered after a first choice "pay it all at once", so on WhatsApp the number typed is the
number of instalments ("5" picks "5 instalments") as long as the smallest count is 2 (the default rule).
"""

from __future__ import annotations

import re
from itertools import groupby

from sqlalchemy import select

from bot.keywords import normalise
from bot.messages import Choice, Reply
from bot.turns import Turn
from handlers import identity
from handlers.context import local_date
from handlers.situation import Situation, payer_text, read_situation
from handlers.texts import date_text, text
from handlers.values import yes_or_no
from models import ChatFamily, Consent, Family
from models.fieldwork import RehabPlan
from models.rehab_plans import DUE, AlreadyEnrolled, enrol, last_completed_plan
from rules.arrears import FamilyArrears
from rules.display import format_rupiah
from rules.identifiers import mask_identifier
from rules.months import add_months, month_of
from rules.rehab import Instalment, rehab_schedule

# The flow's steps (handlers.STEPS): how many instalments, then YA to the schedule shown.
COUNT, CONFIRM = "rehab.count", "rehab.confirm"
STATES = (COUNT, CONFIRM)
PAY_IN_FULL = "LUNAS"
MOST_BUTTONS = 12  # instalment counts shown as buttons (all of them, up to REHAB's usual 12)
_TYPED_COUNT = re.compile(r"^(\d{1,2})\s*(X|KALI|TIMES|INSTALMENTS?|CICILAN)?$")


def rehab(turn: Turn) -> Reply:
    """REHAB: the plan's status when the family has one, else whether it may enrol and the counts on offer."""
    family = identity.family_for(turn, then="REHAB")
    if isinstance(family, Reply):
        return family
    situation = read_situation(turn, family)
    if situation.plan is not None:
        return _status(turn, situation, situation.plan)
    return _offer(turn, situation)


def step_count(turn: Turn) -> Reply:
    """The member was offered the instalment counts: a count (or "pay it all at once") is expected."""
    family = _family_of_step(turn)
    if family is None:
        return rehab(turn)
    situation = read_situation(turn, family)
    eligibility = situation.eligibility()
    if not eligibility.eligible:
        return _refusal(turn, situation, eligibility.reason)
    allowed = eligibility.allowed_counts
    choice = turn.incoming.choice
    if choice == PAY_IN_FULL:
        return Reply().say(text("rehab.pay_in_full", turn.language, amount=format_rupiah(situation.to_pay().amount)),
                           (Choice("BAYAR", text("menu.bayar", turn.language)),))
    # A number typed beyond the buttons shown ("24") is read as typed, not as a button's position.
    count = int(choice) if choice and choice.isdigit() else _typed_count(turn.text)
    if count not in allowed:
        return _ask_count(turn, situation, allowed, again=True)
    return _show_schedule(turn, situation, count)


def reads_count(turn: Turn) -> bool:
    """A count ("5", "5 kali") or a button of the offer answers the count step (one not offered is told so)."""
    choice = turn.incoming.choice
    if choice is not None:
        return choice == PAY_IN_FULL or choice.isdigit()
    return _typed_count(turn.text) is not None


def step_confirm(turn: Turn) -> Reply:
    """The schedule was shown: YA enrols the family, TIDAK leaves; anything else asks again."""
    family = _family_of_step(turn)
    if family is None:
        return rehab(turn)
    agreed = yes_or_no(turn.incoming.choice or turn.text)
    if agreed is False:
        return Reply().say(text("rehab.declined", turn.language))
    if agreed is None:  # the text says TIDAK is the way out
        return Reply(state=CONFIRM, data=dict(turn.data)).say(text("rehab.confirm_again", turn.language),
                                                              _yes_no(turn.language))
    situation = read_situation(turn, family)
    if situation.plan is not None:  # another chat of the family enrolled meanwhile
        return Reply().say(text("rehab.already", turn.language))
    eligibility = situation.eligibility()
    if not eligibility.eligible:
        return _refusal(turn, situation, eligibility.reason)
    count = int(turn.data.get("count", 0))
    if count not in eligibility.allowed_counts:
        return _ask_count(turn, situation, eligibility.allowed_counts, again=True)
    schedule = rehab_schedule(situation.arrears, count, situation.today, situation.rules)
    if _figures(situation.arrears, schedule) != (turn.data.get("total"), turn.data.get("first_due")):
        return _show_schedule(turn, situation, count, changed=True)
    return _enrol(turn, situation, schedule)


# --- what each step says ---------------------------------------------------------------------------------


def _offer(turn: Turn, situation: Situation) -> Reply:
    eligibility = situation.eligibility()
    if not eligibility.eligible:
        return _refusal(turn, situation, eligibility.reason)
    identity.audit(turn, "view_rehab", situation.family, "options")
    return _ask_count(turn, situation, eligibility.allowed_counts)


def _ask_count(turn: Turn, situation: Situation, allowed: list[int], again: bool = False) -> Reply:
    language, arrears, rules = turn.language, situation.arrears, situation.rules
    # Buttons for the first counts only, so a long REHAB 2.0 range (2 to 36) stays a short list; the button
    # numbers stay the counts ("5" is "5 instalments") and larger counts are typed.
    shown = [count for count in allowed if count <= MOST_BUTTONS]
    if again:
        message = text("rehab.count_again", language, low=allowed[0], high=allowed[-1])
    elif not arrears.pays_own_dues:
        message = text("rehab.options_moved", language, amount=format_rupiah(arrears.total),
                       months=arrears.counted_months, least=format_rupiah(rules.rehab_moved_min_instalment),
                       payer=payer_text(situation, language), low=allowed[0], high=allowed[-1])
    else:
        message = text("rehab.options", language, amount=format_rupiah(arrears.total),
                       months=arrears.counted_months, dues=format_rupiah(arrears.current_month_dues),
                       low=allowed[0], high=allowed[-1])
        if arrears.capped:
            message = text("rehab.options_capped", language, months=arrears.months_in_arrears,
                           counted=arrears.counted_months) + "\n" + message
    if shown and shown[-1] < allowed[-1]:
        message += "\n" + text("rehab.type_more", language, shown=shown[-1], high=allowed[-1])
    choices = [Choice(PAY_IN_FULL, text("rehab.option_full", language))]
    for count in shown:
        choices.append(Choice(str(count), text("rehab.option", language, count=count,
                                               amount=format_rupiah(_instalment_amount(arrears, count)))))
    return Reply(state=COUNT, data={"family_id": situation.family.id}).say(message, choices)


def _show_schedule(turn: Turn, situation: Situation, count: int, changed: bool = False) -> Reply:
    language, arrears = turn.language, situation.arrears
    schedule = rehab_schedule(arrears, count, situation.today, situation.rules)
    lines = "\n".join(_schedule_lines(schedule, language))
    total = format_rupiah(sum(item.amount for item in schedule))
    if arrears.pays_own_dues:
        message = text("rehab.schedule", language, count=count, lines=lines, total=total,
                       arrears=format_rupiah(arrears.total))
    else:
        message = text("rehab.schedule_moved", language, count=count, lines=lines, total=total,
                       payer=payer_text(situation, language))
    if changed:
        message = text("rehab.changed", language) + "\n" + message
    total_amount, first_due = _figures(arrears, schedule)
    identity.audit(turn, "view_rehab", situation.family, f"schedule {count}")
    return Reply(state=CONFIRM, data={"family_id": situation.family.id, "count": count, "total": total_amount,
                                      "first_due": first_due}).say(message, _yes_no(language))


def _schedule_lines(schedule: list[Instalment], language: str) -> list[str]:
    """One line per instalment, or for a long plan one line per run of equal instalments."""
    if len(schedule) <= MOST_BUTTONS:
        return [text("rehab.schedule_line", language, due=date_text(item.due_on, language),
                     amount=format_rupiah(item.amount)) for item in schedule]
    lines = []
    for amount, run in groupby(schedule, key=lambda item: item.amount):
        items = list(run)
        if len(items) == 1:
            lines.append(text("rehab.schedule_line", language, due=date_text(items[0].due_on, language),
                              amount=format_rupiah(amount)))
        else:
            lines.append(text("rehab.schedule_span", language, first=date_text(items[0].due_on, language),
                              last=date_text(items[-1].due_on, language), times=len(items),
                              amount=format_rupiah(amount)))
    return lines


def _enrol(turn: Turn, situation: Situation, schedule: list[Instalment]) -> Reply:
    """YA: the plan, its instalments and the consent of the member who proved this chat, in one go."""
    family, arrears = situation.family, situation.arrears
    consent = Consent(chat_id=turn.chat.id, member_id=_verifying_member(turn, family), channel=turn.chat.channel,
                      purpose="rehab", granted_at=turn.now)
    turn.session.add(consent)
    turn.session.flush()
    try:
        plan = enrol(turn.session, family, arrears, schedule, turn.now, chat_id=turn.chat.id,
                     consent_id=consent.id)
    except AlreadyEnrolled:
        return Reply().say(text("rehab.already", turn.language))
    identity.audit(turn, "enrol_rehab", family,
                   f"plan {plan.id}: {len(schedule)} x, total {sum(item.amount for item in schedule)}")
    first = schedule[0]
    accounts = arrears.virtual_accounts
    return Reply().say(text("rehab.enrolled", turn.language, count=len(schedule),
                            amount=format_rupiah(first.amount), due=date_text(first.due_on, turn.language),
                            bri=accounts.get("BRI", "-"), mandiri=accounts.get("Mandiri", "-")))


def _status(turn: Turn, situation: Situation, plan: RehabPlan) -> Reply:
    """Each instalment (due date, amount, paid / not yet paid / overdue) and what to do next."""
    language, status = turn.language, situation.progress
    assert status is not None  # read with the plan
    accounts = situation.arrears.virtual_accounts
    bri, mandiri = accounts.get("BRI", "-"), accounts.get("Mandiri", "-")
    lines = [text("rehab.status", language, family=mask_identifier(situation.family.number),
                  paid=status.paid_count, count=len(status.instalments))]
    lines += [text(f"rehab.status.{item.state}", language, due=date_text(item.due_on, language),
                   amount=format_rupiah(item.amount)) for item in status.instalments]
    overdue = status.overdue
    upcoming = next((item for item in status.instalments if item.state == DUE), None)
    if overdue:
        lines.append("\n" + text("rehab.overdue", language, count=len(overdue),
                                 amount=format_rupiah(sum(item.amount for item in overdue)), bri=bri,
                                 mandiri=mandiri))
    elif upcoming is not None:
        lines.append("\n" + text("rehab.next", language, amount=format_rupiah(upcoming.amount),
                                 due=date_text(upcoming.due_on, language), bri=bri, mandiri=mandiri))
    if situation.toward_next and (overdue or upcoming is not None):
        lines.append(text("rehab.toward", language, received=format_rupiah(situation.toward_next),
                          amount=format_rupiah(situation.to_pay().amount)))
    identity.audit(turn, "view_rehab", situation.family, f"status plan {plan.id}")
    return Reply().say("\n".join(lines))


def _refusal(turn: Turn, situation: Situation, reason: str | None) -> Reply:
    """Why the family may not enrol, kindly, with what it can do instead."""
    family, arrears, rules, today = situation.family, situation.arrears, situation.rules, situation.today
    language = turn.language
    if reason == "too_few_months" and not arrears.in_arrears:
        completed = last_completed_plan(turn.session, family)
        if completed is not None and completed.completed_at is not None:
            return Reply().say(text("rehab.completed", language,
                                    date=date_text(local_date(completed.completed_at, family), language)))
        return Reply().say(text("rehab.no_arrears", language))
    if reason == "segment":
        message = text("rehab.segment", language, segment=situation.holder.segment,
                       segments=", ".join(rules.rehab_segments))
    elif reason == "active_plan":
        message = text("rehab.already", language)
    elif reason == "too_few_months":
        least = rules.rehab_min_months if arrears.pays_own_dues else rules.rehab_moved_min_months
        return Reply().say(
            text("rehab.too_few", language, months=arrears.counted_months, amount=format_rupiah(arrears.total),
                 least=least),
            (Choice("BAYAR", text("menu.bayar", language)),))
    elif reason == "too_many_months":
        message = text("rehab.too_many", language, most=rules.rehab_max_months, counted=arrears.counted_months,
                       amount=format_rupiah(arrears.reactivation_amount or arrears.total))
    else:  # registration_closed
        closes = (rules.registration_closes_day_february if today.month == 2
                  else rules.registration_closes_day)
        message = text("rehab.closed", language, last_day=closes,
                       reopens=date_text(add_months(month_of(today), 1), language))
    return Reply().say(message)


# --- small rules -----------------------------------------------------------------------------------------


def _family_of_step(turn: Turn) -> Family | None:
    """The family the flow is about, as long as this chat is still linked to it (HAPUS unlinks)."""
    family_id = turn.data.get("family_id")
    return next((family for family in identity.linked_families(turn) if family.id == family_id), None)


def _verifying_member(turn: Turn, family: Family) -> int:
    """The member who proved this chat belongs to the family: the one whose consent is recorded."""
    link = turn.session.execute(select(ChatFamily).where(
        ChatFamily.chat_id == turn.chat.id, ChatFamily.family_id == family.id)).scalar_one()
    return link.member_id


def _typed_count(typed: str) -> int | None:
    """'5', '5x', '5 kali' -> 5."""
    match = _TYPED_COUNT.match(normalise(typed))
    return int(match.group(1)) if match else None


def _instalment_amount(arrears: FamilyArrears, count: int) -> int:
    """What each instalment costs (the last may carry a few rupiah of rounding more)."""
    return arrears.total // count + arrears.current_month_dues


def _figures(arrears: FamilyArrears, schedule: list[Instalment]) -> tuple[int, str]:
    """What the member agreed to: the arrears total and the first due date."""
    return arrears.total, schedule[0].due_on.isoformat()


def _yes_no(language: str) -> tuple[Choice, ...]:
    return (Choice("YA", text("rehab.choice_yes", language)), Choice("TIDAK", text("choice.no", language)))
