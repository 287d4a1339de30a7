"""Identity checks' records and counts: birth-date attempts (the family lock) and number look-ups (the rate limit).

Why per family: the members of one KK share one set of data, so guesses on the husband's card and the wife's
NIK are guesses on the same thing and are counted together. Why a row lock: on PostgreSQL several workers
answer at once; counting, deciding and recording an attempt happen while the family's row is held
(`SELECT ... FOR NO KEY UPDATE`), so the fifth wrong date is the last one recorded on any number of workers.
SQLite needs no lock here: every write transaction already starts with `BEGIN IMMEDIATE` (models/db.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index, String, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base
from models.people import Family

MAX_WRONG_DATES = 5  # wrong birth dates ...
LOCK_WINDOW = timedelta(hours=1)  # ... within this long lock ...
LOCK_FOR = timedelta(hours=1)  # ... for this long
LOOKUP_LIMIT = 10  # card numbers / NIKs typed ...
LOOKUP_WINDOW = timedelta(minutes=10)  # ... per chat and per phone within this long


class VerificationAttempt(Base):
    """One birth date checked: for which family (None when the number typed is nobody's), from which chat, and
    whether that chat writes from a phone on file of the family (`trusted`)."""

    __tablename__ = "verification_attempts"
    __table_args__ = (
        Index("ix_verification_card_time", "card_number", "attempted_at"),
        Index("ix_verification_family_time", "family_id", "attempted_at"),
        Index("ix_verification_chat_time", "chat_id", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    card_number: Mapped[str | None] = mapped_column(String(13))  # the member's card, when the number was one
    family_id: Mapped[int | None] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"))
    chat_id: Mapped[int | None] = mapped_column(ForeignKey("chats.id", ondelete="SET NULL"))
    trusted: Mapped[bool] = mapped_column(default=False)
    succeeded: Mapped[bool]
    attempted_at: Mapped[datetime]


class IdentityLookup(Base):
    """A card number or NIK typed at an identity step: what the per-chat and per-phone rate limit counts.

    Nothing of the number is kept: only that one was typed, where and when."""

    __tablename__ = "identity_lookups"
    __table_args__ = (
        Index("ix_identity_lookups_chat_time", "chat_id", "looked_up_at"),
        Index("ix_identity_lookups_phone_time", "phone", "looked_up_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164, when the chat has one
    looked_up_at: Mapped[datetime]


# --- the family lock -------------------------------------------------------------------------------------


def hold_family(session: Session, family_id: int) -> None:
    """Take the family's row lock until the transaction ends (PostgreSQL; SQLite is serialised already).

    FOR NO KEY UPDATE: lockers queue behind each other, while rows that only refer to the family (audit
    entries, links) can still be inserted by other transactions."""
    session.execute(select(Family.id).where(Family.id == family_id).with_for_update(key_share=True))


def record_attempt(session: Session, *, family_id: int | None, card_number: str | None, chat_id: int,
                   trusted: bool, succeeded: bool, at: datetime) -> None:
    """Count one verification answer, right or wrong, for the limits."""
    session.add(VerificationAttempt(family_id=family_id, card_number=card_number, chat_id=chat_id,
                                    trusted=trusted, succeeded=succeeded, attempted_at=at))
    session.flush()


def family_locked_until(session: Session, family_id: int, now: datetime, trusted: bool) -> datetime | None:
    """When the family's lock ends, or None. A chat writing from a phone on file (`trusted`) is locked only by
    wrong dates typed from such phones: a stranger's guesses keep the lock for everyone else, not for the owner."""
    query = _failures_since(now).where(VerificationAttempt.family_id == family_id)
    if trusted:
        query = query.where(VerificationAttempt.trusted.is_(True))
    return _locked_until(list(session.execute(query).scalars()), now)


def chat_locked_until(session: Session, chat_id: int, now: datetime) -> datetime | None:
    """A chat with five wrong answers within an hour, for whichever numbers (known or not), waits an hour too:
    so a number nobody has is locked exactly like one that exists."""
    query = _failures_since(now).where(VerificationAttempt.chat_id == chat_id)
    return _locked_until(list(session.execute(query).scalars()), now)


def tries_left(session: Session, chat_id: int, now: datetime) -> int:
    """Wrong answers this chat may still give before it is locked (the same count for any number typed)."""
    recent = session.execute(select(func.count(VerificationAttempt.id)).where(
        VerificationAttempt.chat_id == chat_id, VerificationAttempt.succeeded.is_(False),
        VerificationAttempt.attempted_at > now - LOCK_WINDOW)).scalar_one()
    return max(MAX_WRONG_DATES - recent, 0)


def _failures_since(now: datetime):  # type: ignore[no-untyped-def]
    return (select(VerificationAttempt.attempted_at)
            .where(VerificationAttempt.succeeded.is_(False),
                   VerificationAttempt.attempted_at >= now - LOCK_WINDOW - LOCK_FOR)
            .order_by(VerificationAttempt.attempted_at))


def _locked_until(failures: list[datetime], now: datetime) -> datetime | None:
    """Locked for an hour after any five wrong dates that fell within one hour."""
    until = None
    for first, fifth in zip(failures, failures[MAX_WRONG_DATES - 1:], strict=False):
        if fifth - first <= LOCK_WINDOW:
            until = fifth + LOCK_FOR
    return until if until and until > now else None


# --- the look-up rate limit ------------------------------------------------------------------------------


def lookups_blocked_until(session: Session, chat_id: int, phone: str | None, now: datetime) -> datetime | None:
    """When this chat (or any chat of this phone) may type another number, or None when it may now."""
    who = IdentityLookup.chat_id == chat_id
    if phone:
        who = or_(who, IdentityLookup.phone == phone)
    recent = list(session.execute(
        select(IdentityLookup.looked_up_at).where(who, IdentityLookup.looked_up_at > now - LOOKUP_WINDOW)
        .order_by(IdentityLookup.looked_up_at.desc()).limit(LOOKUP_LIMIT)).scalars())
    if len(recent) < LOOKUP_LIMIT:
        return None
    return recent[-1] + LOOKUP_WINDOW


def record_lookup(session: Session, chat_id: int, phone: str | None, at: datetime) -> None:
    """Count one number looked up from a chat (and its phone), for the limits."""
    session.add(IdentityLookup(chat_id=chat_id, phone=phone, looked_up_at=at))
