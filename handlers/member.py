"""Member journeys about the family's money: arrears (CEK), how to pay (BAYAR) and promises (JANJI).

The rest of a member's menu (their cadre, complaints, registering, reminders on/off) is in member_help.py.
"""

from __future__ import annotations

from datetime import timedelta

from bot.messages import Choice, Reply
from bot.turns import Turn
from handlers import identity
from handlers.context import after_keyword, family_cadre, tell_cadre
from handlers.situation import DUES, NOTHING, Situation, pay_lines, payer_text, read_situation
from handlers.steps import ask_again
from handlers.texts import date_text, example_dates, month_text, text
from handlers.values import parse_date
from models import Family, Promise
from rules.arrears import MemberArrears
from rules.display import called_name, format_rupiah
from rules.identifiers import mask_identifier
from rules.months import add_months

# The flow's step (handlers.STEPS): a promise's date.
PROMISE_DATE = "promise.date"
STATES = (PROMISE_DATE,)


# --- CEK -------------------------------------------------------------------------------------------------


def check_arrears(turn: Turn) -> Reply:
    """CEK: the whole family's arrears in one message, and the next step."""
    family = identity.family_for(turn, then="CEK")
    if isinstance(family, Reply):
        return family
    situation = read_situation(turn, family)
    identity.audit(turn, "view_arrears", family)
    language, arrears, today = turn.language, situation.arrears, situation.today

    lines = [text("cek.title", language, family=mask_identifier(family.number), date=date_text(today, language))]
    lines += [_member_line(result, language) for result in arrears.members]
    if not arrears.in_arrears:
        lines.append(_nothing_late(situation, language))
        if situation.progress is None:
            return Reply().say("\n".join(lines))
    elif arrears.capped:
        lines.append(text("cek.total_capped", language, amount=format_rupiah(arrears.total),
                          counted=arrears.counted_months, months=arrears.months_in_arrears))
    elif not arrears.pays_own_dues:
        lines.append(text("cek.total_old", language, amount=format_rupiah(arrears.total),
                          months=arrears.counted_months))
    else:
        lines.append(text("cek.total", language, amount=format_rupiah(arrears.total),
                          months=arrears.months_in_arrears))
    if arrears.in_arrears:
        lines += _card_status(situation, language)
    elif situation.progress is not None:
        lines += _plan_lines(situation, language)
    if situation.progress is not None:
        return Reply().say("\n".join(lines) + "\n\n" + text("cek.next_plan", language),
                           (Choice("REHAB", text("menu.rehab", language)),
                            Choice("BAYAR", text("menu.bayar", language))))
    eligibility = situation.eligibility()
    if eligibility.eligible:
        next_step = "cek.next_rehab_old" if eligibility.moved else "cek.next_rehab"
        choices: tuple[Choice, ...] = (Choice("REHAB", text("menu.rehab", language)),
                                       Choice("BAYAR", text("menu.bayar", language)))
    else:
        next_step, choices = "cek.next_pay", (Choice("BAYAR", text("menu.bayar", language)),)
    return Reply().say("\n".join(lines) + "\n\n" + text(next_step, language), choices)


def _member_line(result: MemberArrears, language: str) -> str:
    """One member's months and amount, by the name they are called (no title), card masked."""
    name, card = called_name(result.member.name), mask_identifier(result.member.card_number)
    if not result.months:
        return text("cek.member_paid", language, name=name, card=card)
    if result.member.moved:
        return text("cek.member_old", language, name=name, card=card, months=len(result.counted),
                    amount=format_rupiah(result.amount))
    if result.months > len(result.counted):
        return text("cek.member_capped", language, name=name, card=card, months=result.months,
                    counted=len(result.counted), amount=format_rupiah(result.amount))
    return text("cek.member", language, name=name, card=card, months=result.months,
                amount=format_rupiah(result.amount))


def _nothing_late(situation: Situation, language: str) -> str:
    """No arrears: the next dues and by when (this month's, or a later one's when this month is paid)."""
    arrears = situation.arrears
    if not arrears.pays_own_dues or arrears.next_month is None or arrears.next_due_on is None:
        return text("cek.no_arrears_others_pay", language, payer=payer_text(situation, language),
                    segment=situation.holder.segment)
    due = date_text(arrears.next_due_on, language)
    if situation.paid_this_month:
        return text("cek.paid_ahead", language, paid=month_text(add_months(arrears.next_month, -1), language),
                    month=month_text(arrears.next_month, language), dues=format_rupiah(arrears.next_dues), due=due)
    return text("cek.no_arrears", language, dues=format_rupiah(arrears.next_dues), due=due)


def _card_status(situation: Situation, language: str) -> list[str]:
    """Active or not, and what to pay: the plan's next instalment (the card comes back with its last), or the
    one payment that reactivates the card."""
    arrears = situation.arrears
    if not arrears.pays_own_dues:
        lines = [text("cek.active_others_pay", language, segment=situation.holder.segment,
                      payer=payer_text(situation, language))]
    elif arrears.coverage_active:
        lines = [text("cek.active", language)]
    else:
        assert arrears.suspended_since is not None
        lines = [text("cek.suspended", language, since=date_text(arrears.suspended_since, language))]
    suspended = arrears.suspended_since is not None
    month = month_text(arrears.current_month, language)
    if situation.progress is not None:
        lines += _plan_lines(situation, language)
        if suspended:
            lines.append(text("cek.plan_card", language))
    elif suspended and arrears.extra_for_reactivation:
        lines.append(text("cek.reactivate", language, amount=format_rupiah(arrears.reactivation_amount),
                          month=month, dues=format_rupiah(arrears.extra_for_reactivation)))
    elif suspended:
        lines.append(text("cek.reactivate_included", language, month=month))
    if suspended:
        lines.append(text("cek.penalty", language))
    return lines


def _plan_lines(situation: Situation, language: str) -> list[str]:
    """A family on a plan: its progress and the instalment to pay next (not the whole arrears)."""
    progress = situation.progress
    assert progress is not None
    return [text("cek.plan", language, paid=progress.paid_count, count=len(progress.instalments),
                 remaining=format_rupiah(max(progress.remaining - situation.toward_next, 0))),
            *pay_lines(situation, language)]


# --- BAYAR -----------------------------------------------------------------------------------------------


def how_to_pay(turn: Turn) -> Reply:
    """BAYAR: the family's virtual account by bank (once verified), what to pay now, the other channels."""
    families = identity.linked_families(turn)
    language = turn.language
    if not families:
        return Reply().say(text("bayar.general", language) + "\n\n" + text("bayar.channels", language))
    family = identity.family_for(turn, then="BAYAR")
    if isinstance(family, Reply):
        return family
    situation = read_situation(turn, family)
    identity.audit(turn, "view_virtual_account", family)
    accounts = situation.arrears.virtual_accounts
    lines = [text("bayar.va", language, bri=accounts.get("BRI", "-"), mandiri=accounts.get("Mandiri", "-")),
             "\n".join(pay_lines(situation, language)), text("bayar.channels", language)]
    return Reply().say("\n\n".join(lines))


# --- JANJI -----------------------------------------------------------------------------------------------


def promise(turn: Turn) -> Reply:
    """JANJI <date>: a promise to pay by a date; reminders pause until then. Not when nothing is owed."""
    typed = turn.incoming.choice is None  # a menu button carries no date
    return _promise(turn, then=turn.text if typed else "JANJI", date_typed=after_keyword(turn) if typed else "")


def step_promise_date(turn: Turn) -> Reply:
    """The member was asked by when they will pay."""
    family = turn.session.get(Family, int(turn.data.get("family_id", 0)))
    if family is None:  # the family's record went meanwhile: prove it again, then record the date
        return _promise(turn, then="JANJI " + turn.text, date_typed=turn.text)
    situation = read_situation(turn, family)
    if _nothing_to_pay(situation):  # paid meanwhile
        return _no_promise_needed(turn, situation)
    return _record_promise(turn, situation, turn.text)


def reads_promise_date(turn: Turn) -> bool:
    """A date in any common form (also "besok", "20/6") answers the promise step; "JANJI 20/6" is the
    keyword again, which records it just as well."""
    return parse_date(turn.text, turn.now.date(), future=True) is not None


def _promise(turn: Turn, then: str, date_typed: str) -> Reply:
    """Identity first (then `then` runs again by itself), then whether anything is owed, then the date: asked
    for when none was typed."""
    family = identity.family_for(turn, then=then)
    if isinstance(family, Reply):
        return family
    situation = read_situation(turn, family)
    if _nothing_to_pay(situation):
        return _no_promise_needed(turn, situation)
    if not date_typed:
        return Reply(state=PROMISE_DATE, data={"family_id": family.id}).say(
            text("janji.ask", turn.language, **_example_promise_date(situation, turn.language)))
    return _record_promise(turn, situation, date_typed)


def _nothing_to_pay(situation: Situation) -> bool:
    """Nothing late, no instalment, and this month paid (or dues others pay): no promise to make."""
    due = situation.to_pay()
    return due.kind == NOTHING or (due.kind == DUES and situation.paid_this_month)


def _no_promise_needed(turn: Turn, situation: Situation) -> Reply:
    return Reply().say(text("janji.nothing", turn.language, next=" ".join(pay_lines(situation, turn.language))))


def _example_promise_date(situation: Situation, language: str) -> dict[str, str]:
    """Example dates a week from today, so the examples are never in the past."""
    return example_dates(situation.today + timedelta(days=7), language)


def _record_promise(turn: Turn, situation: Situation, typed: str) -> Reply:
    family, today, rules, language = situation.family, situation.today, situation.rules, turn.language
    promised = parse_date(typed, today, future=True)
    step = {"family_id": family.id}
    if promised is None:
        return ask_again(PROMISE_DATE, step, language,
                         text("janji.bad_date", language, **_example_promise_date(situation, language)))
    latest = today + timedelta(days=rules.promise_max_days)
    if promised < today:
        return ask_again(PROMISE_DATE, step, language, text("janji.past", language))
    if promised > latest:
        return ask_again(PROMISE_DATE, step, language, text("janji.too_far", language, days=rules.promise_max_days,
                                                            latest=date_text(latest, language)))
    turn.session.add(Promise(family_id=family.id, promised_on=promised, made_at=turn.now, chat_id=turn.chat.id))
    identity.audit(turn, "promise", family, promised.isoformat())
    cadre = family_cadre(turn, family)
    if cadre is not None:
        head = family.head
        tell_cadre(turn, cadre, "janji.to_cadre", family=mask_identifier(family.number),
                   name=head.name if head else "-", date=promised)  # worded in each chat's language
    return Reply().say(text("janji.recorded", language, date=date_text(promised, language)))
