"""Personal data the chats leave behind (UU PDP): identity input stored masked, old message texts purged, and a
chat's data erased at once when its owner types HAPUS.

What stays after an erasure or a purge: that a message came and went, when, on which channel (the dedupe keys
and the outbox's delivery record), the audit log's who and when, and the identity attempts and look-ups that
keep the family lock and the rate limit honest (a HAPUS must not reset a lock).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Executable, delete, or_, select, update
from sqlalchemy.orm import Session

from models.chats import Chat, ChatFamily, InboundMessage, OutboxMessage
from models.fieldwork import AuditEntry, Consent
from models.identity import LOCK_FOR, LOCK_WINDOW, LOOKUP_WINDOW, IdentityLookup, VerificationAttempt

ERASED = "[dihapus]"  # what an erased outbox body reads: the row stays as the delivery record
INBOUND_RETENTION_DAYS = 90  # default; the operator's INBOUND_RETENTION_DAYS overrides it
ATTEMPT_RETENTION = timedelta(days=30)  # long enough to look into a reported break-in attempt
_WORD_CHARACTER = re.compile(r"\w")


def masked(typed: str) -> str:
    """'17 Agustus 1985' -> '** ******* ****': the shape of what was typed (for support), none of the value."""
    return _WORD_CHARACTER.sub("*", typed)


def mask_inbound(session: Session, channel: str, provider_id: str) -> None:
    """Store this inbound message's text masked (an identity step's answer); the handler keeps the real text.

    The row was inserted by the same transaction, so the clear text is never committed."""
    record = session.execute(select(InboundMessage).where(
        InboundMessage.channel == channel, InboundMessage.provider_id == provider_id)).scalar_one_or_none()
    if record is not None:
        record.text = masked(record.text)


@dataclass(frozen=True)
class Erased:
    """What HAPUS erased: received texts blanked, sent bodies replaced, family links removed."""

    inbound: int
    outbox: int
    links: int


def erase_chat(session: Session, chat: Chat, now: datetime) -> Erased:
    """HAPUS: consent withdrawn, links removed, message texts and the chat's state and name erased, now."""
    links = list(session.execute(select(ChatFamily).where(ChatFamily.chat_id == chat.id)).scalars())
    member_ids = [link.member_id for link in links]
    session.execute(
        update(Consent).where(Consent.withdrawn_at.is_(None),
                              or_(Consent.chat_id == chat.id, Consent.member_id.in_(member_ids or [0])))
        .values(withdrawn_at=now))
    session.execute(delete(ChatFamily).where(ChatFamily.chat_id == chat.id))
    inbound = _changed(session, update(InboundMessage)
                       .where(InboundMessage.chat_id == chat.id, InboundMessage.text != "").values(text=""))
    # Messages not sent yet would carry the withdrawn data out after the withdrawal: they are given up.
    session.execute(update(OutboxMessage).where(OutboxMessage.chat_id == chat.id,
                                                OutboxMessage.status.in_(("queued", "failed")))
                    .values(status="dead", error="erased: HAPUS"))
    outbox = _changed(session, update(OutboxMessage)
                      .where(OutboxMessage.chat_id == chat.id, OutboxMessage.body != ERASED)
                      .values(body=ERASED, choices=[], template_variables=None))
    chat.state, chat.state_data, chat.state_expires_at = None, {}, None
    chat.active_family_id, chat.active_family_until = None, None
    chat.display_name = None
    if chat.cadre_id is None:  # a cadre's phone is how the service knows them: their own record, not erased
        chat.phone = None
    for link in links:
        session.add(AuditEntry(at=now, actor=f"chat:{chat.id}", action="withdraw_consent", family_id=link.family_id))
    session.add(AuditEntry(at=now, actor=f"chat:{chat.id}", action="erase_chat_data",
                           detail=f"inbound={inbound} outbox={outbox} links={len(links)}"))
    session.flush()
    return Erased(inbound=inbound, outbox=outbox, links=len(links))


@dataclass(frozen=True)
class Purged:
    """What the nightly purge did: received texts blanked, look-ups and attempts dropped."""

    inbound: int
    lookups: int
    attempts: int


def purge_expired(session: Session, now: datetime, retention_days: int = INBOUND_RETENTION_DAYS) -> Purged:
    """The daily purge: inbound texts older than the retention period are blanked (the row stays: it is the
    dedupe key), look-ups and attempts are deleted once no limit or lock can need them."""
    before = now - timedelta(days=retention_days)
    inbound = _changed(session, update(InboundMessage)
                       .where(InboundMessage.received_at < before, InboundMessage.text != "").values(text=""))
    lookups = _changed(session, delete(IdentityLookup).where(
        IdentityLookup.looked_up_at < now - max(LOOKUP_WINDOW, timedelta(days=1))))
    attempts = _changed(session, delete(VerificationAttempt).where(
        VerificationAttempt.attempted_at < now - max(ATTEMPT_RETENTION, LOCK_WINDOW + LOCK_FOR)))
    return Purged(inbound=inbound, lookups=lookups, attempts=attempts)


def _changed(session: Session, statement: Executable) -> int:
    """Rows an UPDATE or DELETE touched."""
    result = cast(CursorResult[Any], session.execute(statement))
    return result.rowcount
