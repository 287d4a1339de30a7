"""Identity before data: card number or NIK, then birth date, then consent; then the chat is linked to a family.

Any handler that shows personal data starts with `family = identity.family_for(turn, then="CEK")`: it
returns the linked Family, or a Reply that starts (or continues) the proof, after which the original request
(`then`, with its words) runs by itself. Five wrong birth dates for one card within an hour lock that card in
chat for an hour, whichever chat the guesses came from.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import delete, or_, select, update

from bot.conversation import Turn
from bot.messages import Choice, Reply
from handlers.texts import text
from handlers.values import birth_date_in_nik, digits_of, parse_date
from models import AuditEntry, ChatFamily, Consent, Family, Member, VerificationAttempt
from models.arrears import mask_identifier

MAX_WRONG_DATES = 5
LOCK_WINDOW = timedelta(hours=1)
LOCK_FOR = timedelta(hours=1)
ANOTHER_FAMILY = "KELUARGA_LAIN"


def linked_families(turn: Turn) -> list[Family]:
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
        chosen = turn.data.get("family_id")  # picked a moment ago, or carried by the flow in progress
        for family in families:
            if family.id == chosen:
                return family
        return _ask_which_family(turn, families, then)
    return _ask_number(turn, then)


def audit(turn: Turn, action: str, family: Family, detail: str = "") -> None:
    """UU PDP: who saw what, when."""
    turn.session.add(AuditEntry(at=turn.now, actor=f"chat:{turn.chat.id}", action=action, family_id=family.id,
                                detail=detail[:500]))


# --- the steps -------------------------------------------------------------------------------------------


def _ask_number(turn: Turn, then: str, retry: str | None = None) -> Reply:
    reply = Reply(state="identity.number", data={"then": then})
    if retry:
        reply.say(retry)
    return reply.say(text("identity.ask_number", turn.language))


def step_number(turn: Turn) -> Reply:
    """The chat was asked for a card number (13 digits) or a NIK (16 digits)."""
    then = str(turn.data.get("then", "MENU"))
    typed = digits_of(turn.text)
    if not typed.isdigit() or len(typed) not in (13, 16):
        hint = "identity.bad_number" if typed.isdigit() else "identity.not_a_number"
        return _ask_number_again(turn, then, text(hint, turn.language, count=len(typed)))
    column = Member.card_number if len(typed) == 13 else Member.nik
    member = turn.session.execute(select(Member).where(column == typed)).scalar_one_or_none()
    if member is None:
        return _ask_number_again(turn, then, text("identity.not_found", turn.language,
                                                  number=mask_identifier(typed)))
    locked_until = _locked_until(turn, member.card_number)
    if locked_until:
        return Reply().say(text("identity.locked", turn.language, minutes=_minutes_until(turn.now, locked_until)))
    return Reply(state="identity.birthdate", data={"then": then, "member_id": member.id}).say(
        text("identity.ask_birthdate", turn.language))


def _ask_number_again(turn: Turn, then: str, problem: str) -> Reply:
    reply = Reply(state="identity.number", data={"then": then}).say(problem)
    return reply.say(text("identity.ask_number", turn.language))


def step_birthdate(turn: Turn) -> Reply:
    """The chat was asked for the member's birth date."""
    member = turn.session.get(Member, int(turn.data.get("member_id", 0)))
    if member is None:
        return _ask_number(turn, str(turn.data.get("then", "MENU")))
    keep = Reply(state="identity.birthdate", data=dict(turn.data))
    typed = parse_date(turn.text, turn.now.date())
    if typed is None:
        return keep.say(text("identity.bad_date", turn.language))
    if typed > turn.now.date():
        return keep.say(text("identity.future_date", turn.language))
    locked_until = _locked_until(turn, member.card_number)
    if locked_until:
        return Reply().say(text("identity.locked", turn.language, minutes=_minutes_until(turn.now, locked_until)))

    right = typed == member.birth_date and _agrees_with_nik(member.nik, typed)
    turn.session.add(VerificationAttempt(card_number=member.card_number, chat_id=turn.chat.id, succeeded=right,
                                         attempted_at=turn.now))
    turn.session.flush()
    if not right:
        locked_until = _locked_until(turn, member.card_number)
        if locked_until:
            return Reply().say(text("identity.locked", turn.language,
                                    minutes=_minutes_until(turn.now, locked_until)))
        return keep.say(text("identity.wrong_date", turn.language, left=_tries_left(turn, member.card_number)))

    if _has_consent(turn, member):
        return _link(turn, member, str(turn.data.get("then", "MENU")))
    return Reply(state="identity.consent", data={**turn.data, "member_id": member.id}).say(
        text("identity.consent", turn.language),
        (Choice("YA", text("choice.yes", turn.language)), Choice("TIDAK", text("choice.no", turn.language))))


def step_consent(turn: Turn) -> Reply:
    """Consent to process the family's data (UU PDP), asked once per member per chat."""
    member = turn.session.get(Member, int(turn.data.get("member_id", 0)))
    answer = (turn.incoming.choice or turn.text).strip().upper()
    if member is None:
        return _ask_number(turn, str(turn.data.get("then", "MENU")))
    if answer in ("YA", "Y", "YES", "SETUJU", "OK"):
        turn.session.add(Consent(chat_id=turn.chat.id, member_id=member.id, channel=turn.chat.channel,
                                 purpose="arrears", granted_at=turn.now))
        return _link(turn, member, str(turn.data.get("then", "MENU")))
    if answer in ("TIDAK", "T", "NO", "TOLAK"):
        return Reply().say(text("identity.no_consent", turn.language))
    return Reply(state="identity.consent", data=dict(turn.data)).say(
        text("identity.consent_again", turn.language),
        (Choice("YA", text("choice.yes", turn.language)), Choice("TIDAK", text("choice.no", turn.language))))


def _link(turn: Turn, member: Member, then: str) -> Reply:
    exists = turn.session.execute(select(ChatFamily).where(
        ChatFamily.chat_id == turn.chat.id, ChatFamily.family_id == member.family_id)).scalar_one_or_none()
    if exists is None:
        turn.session.add(ChatFamily(chat_id=turn.chat.id, family_id=member.family_id, member_id=member.id,
                                    verified_at=turn.now))
    turn.chat.active_family_id = member.family_id
    turn.session.flush()
    first_name = member.name.split()[0] if member.name else ""
    verified = text("identity.verified", turn.language, name=first_name, name_sep=" " if first_name else "")
    reply = _run(turn, then, family_id=member.family_id)
    reply.messages.insert(0, Reply().say(verified).messages[0])
    return reply


def _ask_which_family(turn: Turn, families: list[Family], then: str) -> Reply:
    choices = []
    for family in families:
        head = family.head
        label = f"{head.name.split()[0] if head else '-'} (KK {mask_identifier(family.number)})"
        choices.append(Choice(f"KK{family.id}", label))
    choices.append(Choice(ANOTHER_FAMILY, text("identity.another_family", turn.language)))
    return Reply(state="identity.pick", data={"then": then}).say(text("identity.which_family", turn.language),
                                                                  choices)


def step_pick(turn: Turn) -> Reply:
    """A shared phone linked to several families: which one is this about?"""
    then = str(turn.data.get("then", "MENU"))
    picked = (turn.incoming.choice or "").upper()
    if picked == ANOTHER_FAMILY:
        return _ask_number(turn, then)
    families = {f"KK{family.id}": family for family in linked_families(turn)}
    if picked not in families:
        return _ask_which_family(turn, list(families.values()), then)
    turn.chat.active_family_id = families[picked].id
    return _run(turn, then, family_id=families[picked].id)


def add_family(turn: Turn) -> Reply:
    """TAMBAH: prove a second family on a shared phone."""
    return _ask_number(turn, "CEK")


def withdraw(turn: Turn) -> Reply:
    """HAPUS: withdraw consent and unlink this chat from every family (honoured at once)."""
    links = turn.session.execute(select(ChatFamily).where(ChatFamily.chat_id == turn.chat.id)).scalars().all()
    member_ids = [link.member_id for link in links]
    turn.session.execute(
        update(Consent).where(Consent.withdrawn_at.is_(None),
                              or_(Consent.chat_id == turn.chat.id, Consent.member_id.in_(member_ids or [0])))
        .values(withdrawn_at=turn.now))
    turn.session.execute(delete(ChatFamily).where(ChatFamily.chat_id == turn.chat.id))
    turn.chat.active_family_id = None
    for link in links:
        turn.session.add(AuditEntry(at=turn.now, actor=f"chat:{turn.chat.id}", action="withdraw_consent",
                                    family_id=link.family_id))
    return Reply().say(text("identity.withdrawn", turn.language))


# --- rules -----------------------------------------------------------------------------------------------


def _run(turn: Turn, then: str, family_id: int) -> Reply:
    """Carry on with what the member asked for before proving who they are."""
    from handlers import handle

    turn.chat.active_family_id = family_id
    incoming = replace(turn.incoming, text=then, choice=None)
    again = replace(turn, incoming=incoming, text=then, state=None, data={"family_id": family_id},
                    expired=False)
    return handle(again)


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


def _failures(turn: Turn, card_number: str) -> list[datetime]:
    since = turn.now - LOCK_WINDOW - LOCK_FOR
    return list(turn.session.execute(
        select(VerificationAttempt.attempted_at).where(
            VerificationAttempt.card_number == card_number, VerificationAttempt.succeeded.is_(False),
            VerificationAttempt.attempted_at >= since)
        .order_by(VerificationAttempt.attempted_at)).scalars())


def _locked_until(turn: Turn, card_number: str) -> datetime | None:
    """Locked for an hour after any five wrong dates that fell within one hour."""
    failures = _failures(turn, card_number)
    until = None
    for first, fifth in zip(failures, failures[MAX_WRONG_DATES - 1:], strict=False):
        if fifth - first <= LOCK_WINDOW:
            until = fifth + LOCK_FOR
    return until if until and until > turn.now else None


def _tries_left(turn: Turn, card_number: str) -> int:
    recent = [at for at in _failures(turn, card_number) if at > turn.now - LOCK_WINDOW]
    return max(MAX_WRONG_DATES - len(recent), 0)


def _minutes_until(now: datetime, until: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds() / 60))
