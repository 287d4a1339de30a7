"""What each reminder says, worded at send time from the catalogue with the amounts of that moment.

Each function returns the text and the values it was made from; the values also fill a WhatsApp template
(reminders/templates.py) when the chat is outside the 24-hour window.
"""

from __future__ import annotations

from datetime import date, timedelta

from handlers.texts import date_text, month_text, text
from rules.arrears import FamilyArrears
from rules.display import format_rupiah
from rules.identifiers import mask_identifier
from rules.programme import ProgrammeRules
from rules.rehab import RehabEligibility
from rules.reminder_rules import DUES_ARREARS, DUES_MONTH_END, DUES_UPCOMING, last_day

Values = dict[str, object]


def _with_footer(body: str, language: str) -> str:
    return body + "\n\n" + text("reminder.footer", language)


def _accounts(accounts: dict[str, str]) -> Values:
    return {"va": accounts.get("BRI", "-"), "va_mandiri": accounts.get("Mandiri", "-")}


def dues_message(kind: str, period: str, language: str, family_number: str, arrears: FamilyArrears,
                 rules: ProgrammeRules, rehab: RehabEligibility | None) -> tuple[str, Values]:
    """A dues reminder: this month's dues before and after the due day, then the reactivation amount."""
    values: Values = {"family": mask_identifier(family_number), **_accounts(arrears.virtual_accounts)}
    if kind == DUES_ARREARS:
        values |= {"amount": format_rupiah(arrears.reactivation_amount or arrears.total),
                   "months": arrears.months_in_arrears}
    else:
        month = date.fromisoformat(period + "-01")
        end = last_day(month)
        amount = arrears.current_month_dues if kind == DUES_UPCOMING else arrears.total
        due = end if kind == DUES_MONTH_END else month.replace(day=rules.due_day)
        values |= {"amount": format_rupiah(amount), "month": month_text(month, language),
                   "due": date_text(due, language), "stop": date_text(end + timedelta(days=1), language)}
    body = text(f"reminder.{kind}", language, **values)
    if rehab is not None and rehab.eligible and rehab.allowed_counts:
        body += "\n" + text("reminder.rehab_offer", language, least=rehab.allowed_counts[0],
                            most=rehab.allowed_counts[-1])
    return _with_footer(body, language), values


def rehab_message(kind: str, language: str, family_number: str, sequence: int, amount: int, due_on: date,
                  accounts: dict[str, str]) -> tuple[str, Values]:
    """A REHAB instalment reminder, before its due date or on it."""
    values: Values = {"family": mask_identifier(family_number), "sequence": sequence,
                      "amount": format_rupiah(amount), "due": date_text(due_on, language), **_accounts(accounts)}
    return _with_footer(text(f"reminder.{kind}", language, **values), language), values


def promise_message(kind: str, language: str, family_number: str, promised_on: date, arrears: FamilyArrears,
                    head_name: str) -> tuple[str, Values]:
    """A promise to pay that passed unpaid: to the family (with the footer), or to its cadre."""
    amount = arrears.reactivation_amount or arrears.total or arrears.current_month_dues
    values: Values = {"family": mask_identifier(family_number), "date": date_text(promised_on, language),
                      "amount": format_rupiah(amount), "name": head_name, **_accounts(arrears.virtual_accounts)}
    body = text(f"reminder.{kind}", language, **values)
    return (body if kind == "promise_cadre" else _with_footer(body, language)), values


def broadcast_message(language: str, text_id: str, text_en: str | None) -> tuple[str, Values]:
    """A broadcast in the chat's language (Indonesian when no English text was given)."""
    chosen = text_en if language == "en" and text_en else text_id
    return _with_footer(chosen, language), {"text": chosen}
