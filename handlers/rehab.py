"""REHAB by chat: eligibility, the instalment count, the schedule, an explicit YA, then the plan's status.

The flow (steps registered in handlers.STEPS):
- `rehab` (REHAB, or the menu's choice): identity first; a family with a plan sees its status; otherwise the
  eligibility, and when eligible the instalment counts on offer -> "rehab.count".
- "rehab.count" (`step_count`): the count chosen -> the schedule and a question: YA? -> "rehab.confirm".
- "rehab.confirm" (`step_confirm`): YA enrols (eligibility and figures checked again first), TIDAK leaves.
BATAL and MENU leave at any step (handlers.ALWAYS).

Step data is small: the family's id, and at confirmation the count and the figures the member was shown.
Everything else is computed again from the database at each step, on the family's local date.

The counts are offered after a first choice "pay it all at once", so on WhatsApp the number typed is the
number of instalments ("5" picks "5 instalments") as long as the smallest count is 2 (the default rule).
"""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.conversation import Turn
from bot.keywords import normalise
from bot.messages import Choice, Reply
from handlers import identity
from handlers.context import family_today, local_date, rules_of
from handlers.texts import date_text, text
from models import ChatFamily, Consent, Family
from models.arrears import (
    FamilyArrears,
    Instalment,
    add_months,
    format_rupiah,
    mask_identifier,
    month_of,
    rehab_eligibility,
    rehab_schedule,
)
from models.fieldwork import RehabPlan
from models.ledger import family_arrears
from models.rehab_plans import DUE, AlreadyEnrolled, active_plan, enrol, last_completed_plan, plan_status

COUNT, CONFIRM = "rehab.count", "rehab.confirm"
PAY_IN_FULL = "LUNAS"
YES = {"YA", "Y", "IYA", "YES", "SETUJU", "OK", "OKE"}
NO = {"TIDAK", "T", "GAK", "ENGGAK", "NGGAK", "NO", "TIDAK JADI"}
_TYPED_COUNT = re.compile(r"^(\d{1,2})\s*(X|KALI|TIMES|INSTALMENTS?|CICILAN)?$")


def rehab(turn: Turn) -> Reply:
    """REHAB: the plan's status when the family has one, else whether it may enrol and the counts on offer."""
    family = identity.family_for(turn, then="REHAB")
    if isinstance(family, Reply):
        return family
    plan = active_plan(turn.session, family)
    if plan is not None:
        return _status(turn, family, plan)
    return _offer(turn, family)


def step_count(turn: Turn) -> Reply:
    """The member was offered the instalment counts: a count (or "pay it all at once") is expected."""
    family = _family_of_step(turn)
    if family is None:
        return rehab(turn)
    arrears, allowed, refusal = _eligibility(turn, family)
    if refusal is not None:
        return refusal
    choice = turn.incoming.choice
    if choice == PAY_IN_FULL:
        amount = arrears.reactivation_amount or arrears.total
        return Reply().say(text("rehab.pay_in_full", turn.language, amount=format_rupiah(amount)),
                           (Choice("BAYAR", text("menu.bayar", turn.language)),))
    count = int(choice) if choice and choice.isdigit() else _typed_count(turn.text)
    if count not in allowed:
        return _ask_count(turn, family, arrears, allowed, again=True)
    return _show_schedule(turn, family, arrears, count)


def step_confirm(turn: Turn) -> Reply:
    """The schedule was shown: YA enrols the family, TIDAK leaves; anything else asks again."""
    family = _family_of_step(turn)
    if family is None:
        return rehab(turn)
    answer = normalise(turn.incoming.choice or turn.text)
    if answer in NO:
        return Reply().say(text("rehab.declined", turn.language))
    if answer not in YES:
        return Reply(state=CONFIRM, data=dict(turn.data)).say(text("rehab.confirm_again", turn.language),
                                                              _yes_no(turn.language))
    if active_plan(turn.session, family) is not None:  # another chat of the family enrolled meanwhile
        return Reply().say(text("rehab.already", turn.language))
    arrears, allowed, refusal = _eligibility(turn, family)
    if refusal is not None:
        return refusal
    count = int(turn.data.get("count", 0))
    if count not in allowed:
        return _ask_count(turn, family, arrears, allowed, again=True)
    schedule = rehab_schedule(arrears, count, family_today(turn, family), rules_of(turn))
    if _figures(arrears, schedule) != (turn.data.get("total"), turn.data.get("first_due")):
        return _show_schedule(turn, family, arrears, count, changed=True)
    return _enrol(turn, family, arrears, schedule)


# --- what each step says ---------------------------------------------------------------------------------


def _offer(turn: Turn, family: Family) -> Reply:
    arrears, allowed, refusal = _eligibility(turn, family)
    if refusal is not None:
        return refusal
    identity.audit(turn, "view_rehab", family, "options")
    return _ask_count(turn, family, arrears, allowed)


def _ask_count(turn: Turn, family: Family, arrears: FamilyArrears, allowed: list[int],
               again: bool = False) -> Reply:
    language = turn.language
    if again:
        message = text("rehab.count_again", language, low=allowed[0], high=allowed[-1])
    else:
        message = text("rehab.options", language, amount=format_rupiah(arrears.total),
                       months=arrears.months_in_arrears, dues=format_rupiah(arrears.current_month_dues),
                       low=allowed[0], high=allowed[-1])
    choices = [Choice(PAY_IN_FULL, text("rehab.option_full", language))]
    for count in allowed:
        first = _instalment_amount(arrears, count)
        choices.append(Choice(str(count), text("rehab.option", language, count=count,
                                               amount=format_rupiah(first))))
    return Reply(state=COUNT, data={"family_id": family.id}).say(message, choices)


def _show_schedule(turn: Turn, family: Family, arrears: FamilyArrears, count: int,
                   changed: bool = False) -> Reply:
    language = turn.language
    schedule = rehab_schedule(arrears, count, family_today(turn, family), rules_of(turn))
    lines = "\n".join(text("rehab.schedule_line", language, due=date_text(item.due_on, language),
                           amount=format_rupiah(item.amount)) for item in schedule)
    message = text("rehab.schedule", language, count=count, lines=lines,
                   total=format_rupiah(sum(item.amount for item in schedule)),
                   arrears=format_rupiah(arrears.total))
    if changed:
        message = text("rehab.changed", language) + "\n" + message
    total, first_due = _figures(arrears, schedule)
    identity.audit(turn, "view_rehab", family, f"schedule {count}")
    return Reply(state=CONFIRM, data={"family_id": family.id, "count": count, "total": total,
                                      "first_due": first_due}).say(message, _yes_no(language))


def _enrol(turn: Turn, family: Family, arrears: FamilyArrears, schedule: list[Instalment]) -> Reply:
    """YA: the plan, its instalments and the consent of the member who proved this chat, in one go."""
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


def _status(turn: Turn, family: Family, plan: RehabPlan) -> Reply:
    """Each instalment (due date, amount, paid / not yet paid / overdue) and what to do next."""
    language, today = turn.language, family_today(turn, family)
    status = plan_status(plan, today)
    accounts = family_arrears(turn.session, family, today, rules_of(turn)).virtual_accounts
    bri, mandiri = accounts.get("BRI", "-"), accounts.get("Mandiri", "-")
    lines = [text("rehab.status", language, family=mask_identifier(family.number), paid=status.paid_count,
                  count=len(status.instalments))]
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
    identity.audit(turn, "view_rehab", family, f"status plan {plan.id}")
    return Reply().say("\n".join(lines))


def _eligibility(turn: Turn, family: Family) -> tuple[FamilyArrears, list[int], Reply | None]:
    """The family's arrears today, the instalment counts it may choose, and the kind refusal when it may not
    enrol (None when it may)."""
    rules, today = rules_of(turn), family_today(turn, family)
    arrears = family_arrears(turn.session, family, today, rules)
    holder = family.account_holder
    assert holder is not None  # a verified family has the member who verified it
    has_plan = active_plan(turn.session, family) is not None
    eligibility = rehab_eligibility(arrears, holder.segment, today, has_plan, rules)
    if eligibility.eligible:
        return arrears, eligibility.allowed_counts, None
    return arrears, [], _refusal(turn, family, arrears, eligibility.reason)


def _refusal(turn: Turn, family: Family, arrears: FamilyArrears, reason: str | None) -> Reply:
    """Why the family may not enrol, kindly, with what it can do instead."""
    rules, today, language = rules_of(turn), family_today(turn, family), turn.language
    holder = family.account_holder
    assert holder is not None
    if reason == "too_few_months" and not arrears.in_arrears:
        completed = last_completed_plan(turn.session, family)
        if completed is not None and completed.completed_at is not None:
            return Reply().say(text("rehab.completed", language,
                                    date=date_text(local_date(completed.completed_at, family), language)))
        return Reply().say(text("rehab.no_arrears", language))
    if reason == "segment":
        message = text("rehab.segment", language, segment=holder.segment)
    elif reason == "active_plan":
        message = text("rehab.already", language)
    elif reason == "too_few_months":
        return Reply().say(
            text("rehab.too_few", language, months=arrears.months_in_arrears, amount=format_rupiah(arrears.total),
                 least=rules.rehab_min_months),
            (Choice("BAYAR", text("menu.bayar", language)),))
    elif reason == "too_many_months":
        message = text("rehab.too_many", language, months=arrears.months_in_arrears, most=rules.rehab_max_months,
                       counted=arrears.counted_months,
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
