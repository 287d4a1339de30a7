"""Chats and messages: one row per chat with its saved state, inbound dedupe, and the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base


class Chat(Base):
    """One conversation with one address on one channel, and where it stands.

    The state lives here, not in a process, so any worker on any machine can answer the next message.
    """

    __tablename__ = "chats"
    __table_args__ = (UniqueConstraint("channel", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))  # telegram / whatsapp / web
    address: Mapped[str] = mapped_column(String(64))  # Telegram chat id, whatsapp:+62..., web chat id
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164, when known (WhatsApp, shared contact)
    display_name: Mapped[str | None] = mapped_column(String(120))
    language: Mapped[str] = mapped_column(String(2), default="id")
    state: Mapped[str | None] = mapped_column(String(40))  # the step of a flow in progress
    state_data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state_expires_at: Mapped[datetime | None]
    cadre_id: Mapped[int | None] = mapped_column(ForeignKey("cadres.id", ondelete="SET NULL"))
    active_family_id: Mapped[int | None] = mapped_column(ForeignKey("families.id", ondelete="SET NULL"))
    active_family_until: Mapped[datetime | None]  # a shared phone's chosen family, for this session
    reminders_stopped_at: Mapped[datetime | None]  # STOP / BERHENTI; None = reminders on
    menu: Mapped[str | None] = mapped_column(String(8))  # a cadre's chosen menu: cadre / member (None: by role)
    last_inbound_at: Mapped[datetime | None]  # WhatsApp's 24-hour window opens here
    created_at: Mapped[datetime]

    links: Mapped[list[ChatFamily]] = relationship(back_populates="chat", cascade="all, delete-orphan")


class ChatFamily(Base):
    """A family this chat has proved it belongs to (a shared family phone may hold several)."""

    __tablename__ = "chat_families"
    __table_args__ = (UniqueConstraint("chat_id", "family_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"), index=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))  # who proved it
    verified_at: Mapped[datetime]

    chat: Mapped[Chat] = relationship(back_populates="links")


class InboundMessage(Base):
    """Every message received; the unique key makes a provider's retry a no-op on any worker."""

    __tablename__ = "inbound_messages"
    __table_args__ = (UniqueConstraint("channel", "provider_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    provider_id: Mapped[str] = mapped_column(String(64))  # Telegram update_id, Twilio MessageSid, web id
    chat_id: Mapped[int | None] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="text")  # text / choice / contact / sticker ...
    text: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime]


# Rows a sender may still have to send. Written out (not bound parameters) so that SQLite, like PostgreSQL,
# sees that a claim's WHERE implies the partial index's, and the index stays small as sent rows pile up.
PENDING = "status IN ('queued', 'failed', 'sending')"
REPLY_PRIORITY, NOTICE_PRIORITY, REMINDER_PRIORITY, BROADCAST_PRIORITY = 0, 1, 5, 9


class OutboxMessage(Base):
    """Every message we send, reply or reminder: a row first, then sent by its channel's adapter."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_chat", "chat_id", "id"),
        Index("ix_outbox_pending", "priority", "id", sqlite_where=text(PENDING), postgresql_where=text(PENDING)),
        # A chat's order is kept per lane (channel, address, priority): a row waits for its lane's earlier rows.
        Index("ix_outbox_lane", "channel", "address", "priority", "id", sqlite_where=text(PENDING),
              postgresql_where=text(PENDING)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[int | None] = mapped_column(ForeignKey("chats.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16), default="reply")  # reply / reminder / broadcast / notice
    body: Mapped[str] = mapped_column(Text, default="")
    choices: Mapped[list[Any]] = mapped_column(default=list)  # [[key, label], ...]
    ask_contact: Mapped[bool] = mapped_column(default=False)  # Telegram: offer "share my phone number"
    template_sid: Mapped[str | None] = mapped_column(String(64))  # WhatsApp ContentSid outside 24 h
    template_variables: Mapped[dict[str, Any] | None]
    # Reminders: (family, kind, period, channel) sends once, however many planners run.
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    # Lower goes first: replies to people ahead of notices, reminders and broadcasts (bulk).
    priority: Mapped[int] = mapped_column(SmallInteger, default=REPLY_PRIORITY)
    # queued -> sending -> sent -> delivered/read, or failed (retryable, next_attempt_at) / undeliverable
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    provider_id: Mapped[str | None] = mapped_column(String(64), index=True)
    error_code: Mapped[str | None] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
