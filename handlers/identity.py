"""Identity before data: two factors (the birth date plus one the identifier typed does not give away), then
consent; then the chat is linked to a family.

Any handler that shows personal data starts with `family = identity.family_for(turn, then="CEK")`: it
returns the linked Family, or a Reply that starts (or continues) the proof, after which the original request
(`then`, with its words) runs by itself (the last step returns a `Resume`, which handlers/__init__.py runs).

The dialogue (steps registered in handlers.STEPS):
- "identity.number": a card number (13 digits) or a NIK (16). When the chat writes from a phone on file of a
  member of that family (WhatsApp and the web chat tell the phone; Telegram once the person shares their own
  contact), the phone is the second factor: straight to the birth date, as short as it ever was.
- "identity.second": otherwise the other identifier of the same member (the NIK when the card number was
  typed, the card number when the NIK was); on Telegram the chat may share its own contact instead.
- "identity.birthdate": the birth date. Why not the NIK alone: the birth date is written inside the NIK.
- "identity.consent": YA / TIDAK, once per member per chat.

Known and unknown numbers get the same answers up to the birth date, and the same "data tidak cocok" after
it, so typing numbers tells nobody which exist. Locks and limits (models/identity.py): five wrong answers
across the members of one family within an hour lock the family in chat for an hour, except for its owners
writing from a phone on file (unless the wrong answers came from such a phone); five wrong answers from one
chat lock that chat; ten numbers per chat or phone per ten minutes. What is typed at these steps is stored
masked (models/personal_data.py); the handler reads it in clear.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from bot.conversation import Turn
from bot.messages import Choice, Reply
from handlers.families import family_label, family_named, remember, session_family_id
from handlers.steps import Resume, ask_again
from handlers.texts import text
from handlers.values import birth_date_in_nik, digits_of, parse_date, yes_or_no
from models import AuditEntry, ChatFamily, Consent, Family, Member
from models.identity import (
    chat_locked_until,
    family_locked_until,
    hold_family,
    lookups_blocked_until,
    record_attempt,
    record_lookup,
    tries_left,
)
from models.personal_data import erase_chat, mask_inbound
from rules.display import called_name

# The flow's steps (handlers.STEPS): number -> second factor (when the phone is not on file) -> birth date ->
# consent; on a shared phone, which family.
NUMBER, SECOND, BIRTHDATE, CONSENT, PICK = (
    "identity.number", "identity.second", "identity.birthdate", "identity.consent", "identity.pick")
STATES = (NUMBER, SECOND, BIRTHDATE, CONSENT, PICK)
CARD_DIGITS, NIK_DIGITS = 13, 16
ANOTHER_FAMILY = "KELUARGA_LAIN"
# The second factor a chat gave before its birth date: a phone on file, the member's other identifier, or
# nothing that matched (an unknown number, a pair that belongs to nobody): the birth date step then fails.
BY_PHONE, BY_NUMBER, NO_FACTOR = "phone", "number", "none"


def linked_families(turn: Turn) -> list[Family]:
    """The families this chat has proved, oldest link first."""
    links = turn.session.execute(
        select(Family).join(ChatFamily, ChatFamily.family_id == Family.id)
        .where(ChatFamily.chat_id == turn.chat.id).order_by(ChatFamily.id)
    ).scalars().all()
    return list(links)


def family_for(turn: Turn, then: str) -> Family | Reply:
    """The family this chat has proved it belongs to, or the next step of proving it."""
    families = linked_families(turn)
    if len(families) == 1:
        return families[0]
    if len(families) > 1:
        # Carried by the flow in progress, or chosen earlier in this session (until 30 quiet minutes or MENU).
        chosen = turn.data.get("family_id") or session_family_id(turn)
        for family in families:
            if family.id == chosen:
                remember(turn, family.id)
                return family
        return _ask_which_family(turn, families, then)
    return _ask_number(turn, then)


def audit(turn: Turn, action: str, family: Family, detail: str = "") -> None:
    """UU PDP: who saw what, when."""
    turn.session.add(AuditEntry(at=turn.now, actor=f"chat:{turn.chat.id}", action=action, family_id=family.id,
                                detail=detail[:500]))


# --- the number ------------------------------------------------------------------------------------------


def _ask_number(turn: Turn, then: str) -> Reply:
    return Reply(state=NUMBER, data={"then": then}).say(text("identity.ask_number", turn.language))


def step_number(turn: Turn) -> Reply:
    """The chat was asked for a card number (13 digits) or a NIK (16 digits)."""
    _store_masked(turn)
    then = str(turn.data.get("then", "MENU"))
    typed = digits_of(turn.text)
    if not typed.isdigit() or len(typed) not in (CARD_DIGITS, NIK_DIGITS):
        return ask_again(NUMBER, {"then": then}, turn.language, _number_problem(turn, typed),
                         text("identity.ask_number", turn.language))
    return _number_typed(turn, then, typed)


def reads_number(turn: Turn) -> bool:
    """Digits, with spaces, dots or dashes, answer the number step (a wrong count of them is told so)."""
    return digits_of(turn.text).isdigit()


def _number_problem(turn: Turn, typed: str) -> str:
    if typed.isdigit():
        return text("identity.bad_number", turn.language, count=len(typed))
    return text("identity.not_a_number", turn.language)


def _number_typed(turn: Turn, then: str, typed: str) -> Reply:
    """A well-formed number: counted against the look-up limit, then the second factor or the birth date."""
    refused = _refused_for_now(turn)
    if refused is not None:
        return refused
    record_lookup(turn.session, turn.chat.id, turn.chat.phone, turn.now)
    column = Member.card_number if len(typed) == CARD_DIGITS else Member.nik
    member = turn.session.execute(select(Member).where(column == typed)).scalar_one_or_none()
    data: dict[str, Any] = {"then": then, "member_id": member.id if member else 0,
                            "first": "card" if len(typed) == CARD_DIGITS else "nik"}
    if member is not None and _phone_on_file(turn, member.family_id):
        return _ask_birthdate(turn, {**data, "factor": BY_PHONE})
    return _ask_second(turn, data)


def _refused_for_now(turn: Turn) -> Reply | None:
    """A chat locked by its own wrong answers, or over the look-up limit, types no more numbers for now."""
    locked_until = chat_locked_until(turn.session, turn.chat.id, turn.now)
    if locked_until:
        return _locked(turn, locked_until)
    blocked_until = lookups_blocked_until(turn.session, turn.chat.id, turn.chat.phone, turn.now)
    if blocked_until:
        return Reply().say(text("identity.too_many_lookups", turn.language,
                                minutes=_minutes_until(turn.now, blocked_until)))
    return None


# --- the second factor -----------------------------------------------------------------------------------


def _ask_second(turn: Turn, data: dict[str, Any], problem: str | None = None) -> Reply:
    ask = text("identity.ask_nik" if data.get("first") == "card" else "identity.ask_card", turn.language)
    telegram = turn.chat.channel == "telegram"  # Telegram tells a bot the phone only when the person shares it
    if telegram:
        ask += "\n" + text("identity.or_share_phone", turn.language)
    reply = ask_again(SECOND, data, turn.language, problem, ask) if problem else Reply(state=SECOND, data=data).say(ask)
    if telegram:
        reply.messages[-1] = replace(reply.messages[-1], ask_contact=True)
    return reply


def reads_second(turn: Turn) -> bool:
    """Digits, or (Telegram) a shared contact, answer the second-factor step."""
    return bool(turn.incoming.contact_phone) or digits_of(turn.text).isdigit()


def step_second(turn: Turn) -> Reply:
    """The chat was asked for the same member's other identifier (or, on Telegram, its own contact)."""
    data = dict(turn.data)
    member = _member_of(turn)
    if turn.incoming.contact_phone:  # the chat's phone was updated from an own contact before we got here
        if member is not None and _phone_on_file(turn, member.family_id):
            return _ask_birthdate(turn, {**data, "factor": BY_PHONE})
        return _ask_second(turn, data, text("identity.phone_not_on_file", turn.language))
    _store_masked(turn)
    typed = digits_of(turn.text)
    wanted = NIK_DIGITS if data.get("first") == "card" else CARD_DIGITS
    if typed.isdigit() and len(typed) == CARD_DIGITS + NIK_DIGITS - wanted:  # the first kind again: start over
        return _number_typed(turn, str(data.get("then", "MENU")), typed)
    if not typed.isdigit() or len(typed) != wanted:
        return _ask_second(turn, data, _number_problem(turn, typed))
    refused = _refused_for_now(turn)
    if refused is not None:
        return refused
    record_lookup(turn.session, turn.chat.id, turn.chat.phone, turn.now)
    matches = member is not None and typed == (member.nik if wanted == NIK_DIGITS else member.card_number)
    return _ask_birthdate(turn, {**data, "factor": BY_NUMBER if matches else NO_FACTOR})


# --- the birth date --------------------------------------------------------------------------------------


def _ask_birthdate(turn: Turn, data: dict[str, Any]) -> Reply:
    return Reply(state=BIRTHDATE, data=data).say(text("identity.ask_birthdate", turn.language))


def step_birthdate(turn: Turn) -> Reply | Resume:
    """The chat was asked for the member's birth date: the answer is checked with the family's row held."""
    _store_masked(turn)
    data = dict(turn.data)
    typed_digits = digits_of(turn.text)
    if typed_digits.isdigit() and len(typed_digits) in (CARD_DIGITS, NIK_DIGITS):  # another number: start over
        return _number_typed(turn, str(data.get("then", "MENU")), typed_digits)
    typed = parse_date(turn.text, turn.now.date())
    if typed is None:
        return ask_again(BIRTHDATE, data, turn.language, text("identity.bad_date", turn.language))
    if typed > turn.now.date():
        return ask_again(BIRTHDATE, data, turn.language, text("identity.future_date", turn.language))

    member = _member_of(turn)
    family_id = member.family_id if member else None
    if family_id is not None:
        hold_family(turn.session, family_id)  # counted, decided and recorded while no other worker can
    trusted = family_id is not None and _phone_on_file(turn, family_id)
    locked_until = _locked_until(turn, family_id, trusted)
    if locked_until:
        return _locked(turn, locked_until)

    factor = data.get("factor")
    right = (member is not None and (factor == BY_NUMBER or (factor == BY_PHONE and trusted))
             and typed == member.birth_date and _agrees_with_nik(member.nik, typed))
    record_attempt(turn.session, family_id=family_id, card_number=member.card_number if member else None,
                   chat_id=turn.chat.id, trusted=trusted, succeeded=right, at=turn.now)
    if not right:
        locked_until = _locked_until(turn, family_id, trusted)
        if locked_until:
            return _locked(turn, locked_until)
        return Reply(state=BIRTHDATE, data=data).say(text("identity.no_match", turn.language,
                                                          left=tries_left(turn.session, turn.chat.id, turn.now)))

    assert member is not None  # `right` says so
    if _has_consent(turn, member):
        return _link(turn, member, str(data.get("then", "MENU")))
    return Reply(state=CONSENT, data={"then": data.get("then", "MENU"), "member_id": member.id}).say(
        text("identity.consent", turn.language), _yes_no(turn.language))


def reads_birthdate(turn: Turn) -> bool:
    """A date in any common form answers the birth-date step (a wrong or future one is told so), and so does
    a new card number or NIK (it starts over)."""
    typed = digits_of(turn.text)
    return (parse_date(turn.text, turn.now.date()) is not None
            or (typed.isdigit() and len(typed) in (CARD_DIGITS, NIK_DIGITS)))


def _locked_until(turn: Turn, family_id: int | None, trusted: bool) -> datetime | None:
    chat_lock = chat_locked_until(turn.session, turn.chat.id, turn.now)
    family_lock = (family_locked_until(turn.session, family_id, turn.now, trusted)
                   if family_id is not None else None)
    return max((until for until in (chat_lock, family_lock) if until), default=None)


def _locked(turn: Turn, until: datetime) -> Reply:
    return Reply().say(text("identity.locked", turn.language, minutes=_minutes_until(turn.now, until)))


# --- consent and the link --------------------------------------------------------------------------------


def step_consent(turn: Turn) -> Reply | Resume:
    """Consent to process the family's data (UU PDP), asked once per member per chat."""
    member = turn.session.get(Member, int(turn.data.get("member_id", 0)))
    if member is None:
        return _ask_number(turn, str(turn.data.get("then", "MENU")))
    agreed = yes_or_no(turn.incoming.choice or turn.text)
    if agreed:
        turn.session.add(Consent(chat_id=turn.chat.id, member_id=member.id, channel=turn.chat.channel,
                                 purpose="arrears", granted_at=turn.now))
        return _link(turn, member, str(turn.data.get("then", "MENU")))
    if agreed is False:
        return Reply().say(text("identity.no_consent", turn.language))
    return ask_again(CONSENT, turn.data, turn.language, text("identity.consent_again", turn.language),
                     choices=_yes_no(turn.language))


def _yes_no(language: str) -> tuple[Choice, ...]:
    return (Choice("YA", text("choice.yes", language)), Choice("TIDAK", text("choice.no", language)))


def _link(turn: Turn, member: Member, then: str) -> Resume:
    exists = turn.session.execute(select(ChatFamily).where(
        ChatFamily.chat_id == turn.chat.id, ChatFamily.family_id == member.family_id)).scalar_one_or_none()
    if exists is None:
        turn.session.add(ChatFamily(chat_id=turn.chat.id, family_id=member.family_id, member_id=member.id,
                                    verified_at=turn.now))
    turn.session.flush()
    first_name = called_name(member.name)  # "Muhammad Syahrul" is greeted as Syahrul
    verified = text("identity.verified", turn.language, name=first_name, name_sep=" " if first_name else "")
    remember(turn, member.family_id)  # the family just proved is the session's choice on a shared phone
    return Resume(then, member.family_id, said=verified)


# --- a shared phone: which family ------------------------------------------------------------------------


def _ask_which_family(turn: Turn, families: list[Family], then: str, problem: str | None = None) -> Reply:
    choices = [Choice(f"KK{family.id}", family_label(family)) for family in families]
    choices.append(Choice(ANOTHER_FAMILY, text("identity.another_family", turn.language)))
    question = text("identity.which_family", turn.language)
    if problem:
        return ask_again(PICK, {"then": then}, turn.language, problem, question, choices=choices)
    return Reply(state=PICK, data={"then": then}).say(question, choices)


def reads_pick(turn: Turn) -> bool:
    """A family's button (or its number on WhatsApp), or the name of one family's head, answers the step."""
    choice = turn.incoming.choice or ""
    if choice == ANOTHER_FAMILY or choice.startswith("KK"):
        return True
    return family_named(turn.text, linked_families(turn)) is not None


def step_pick(turn: Turn) -> Reply | Resume:
    """A shared phone linked to several families: which one is this about? A button, its number, or a name."""
    _store_masked(turn)  # a name is personal data too
    then = str(turn.data.get("then", "MENU"))
    picked = (turn.incoming.choice or "").upper()
    if picked == ANOTHER_FAMILY:
        return _ask_number(turn, then)
    families = linked_families(turn)
    family = next((f for f in families if f"KK{f.id}" == picked), None) or family_named(turn.text, families)
    if family is None:
        return _ask_which_family(turn, families, then, text("identity.which_family_again", turn.language))
    remember(turn, family.id)
    return Resume(then, family.id)


def add_family(turn: Turn) -> Reply:
    """TAMBAH: prove a second family on a shared phone."""
    return _ask_number(turn, "CEK")


def withdraw(turn: Turn) -> Reply:
    """HAPUS: withdraw consent, unlink this chat from every family and erase what it stored, at once."""
    erase_chat(turn.session, turn.chat, turn.now)
    return Reply().say(text("identity.withdrawn", turn.language))


# --- rules -----------------------------------------------------------------------------------------------


def _member_of(turn: Turn) -> Member | None:
    return turn.session.get(Member, int(turn.data.get("member_id") or 0))


def _phone_on_file(turn: Turn, family_id: int) -> bool:
    """The chat writes from a phone the branch's file gives for a member of this family."""
    phone = turn.chat.phone
    if not phone:
        return False
    found = turn.session.execute(select(Member.id).where(Member.family_id == family_id, Member.phone == phone)
                                 .limit(1)).first()
    return found is not None


def _store_masked(turn: Turn) -> None:
    mask_inbound(turn.session, turn.incoming.channel, turn.incoming.provider_id)


def _has_consent(turn: Turn, member: Member) -> bool:
    found = turn.session.execute(select(Consent.id).where(
        Consent.member_id == member.id, Consent.chat_id == turn.chat.id, Consent.withdrawn_at.is_(None))).first()
    return found is not None


def _agrees_with_nik(nik: str, typed: date) -> bool:
    """The NIK embeds the birth date (DDMMYY, women +40): a record that disagrees with it is not trusted."""
    embedded = birth_date_in_nik(nik)
    if embedded is None:
        return True
    day, month, year = embedded
    return (typed.day, typed.month, typed.year % 100) == (day, month, year)


def _minutes_until(now: datetime, until: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds() / 60))
