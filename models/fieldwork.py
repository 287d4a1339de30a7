"""What members and cadres do: consents, promises, REHAB plans, visits, tickets, and the audit log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base


class Consent(Base):
    """Consent to process a family's data (UU PDP): when, on which channel, and when withdrawn (HAPUS)."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int | None] = mapped_column(ForeignKey("chats.id", ondelete="SET NULL"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[str] = mapped_column(String(40), default="arrears")  # arrears / rehab / reminders
    granted_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]


class Promise(Base):
    """A promise to pay by a date (JANJI): reminders to the family pause until then."""

    __tablename__ = "promises"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    promised_on: Mapped[date]
    made_at: Mapped[datetime]
    chat_id: Mapped[int | None] = mapped_column(ForeignKey("chats.id", ondelete="SET NULL"))
    cadre_id: Mapped[int | None] = mapped_column(ForeignKey("cadres.id", ondelete="SET NULL"))


class RehabPlan(Base):
    """An enrolment in REHAB: the family's arrears split into instalments, each with current dues."""

    __tablename__ = "rehab_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="active")  # active / completed / cancelled
    months_in_arrears: Mapped[int]  # the billed months the plan pays (24 for a family 50 months behind)
    arrears_amount: Mapped[int]
    instalment_count: Mapped[int]
    enrolled_at: Mapped[datetime] = mapped_column(index=True)
    chat_id: Mapped[int | None] = mapped_column(ForeignKey("chats.id", ondelete="SET NULL"))
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consents.id", ondelete="SET NULL"))
    completed_at: Mapped[datetime | None]

    instalments: Mapped[list[RehabInstalment]] = relationship(
        back_populates="plan", order_by="RehabInstalment.sequence", cascade="all, delete-orphan"
    )


class RehabInstalment(Base):
    """One instalment of a REHAB plan: its due date, amount, and when it was paid."""

    __tablename__ = "rehab_instalments"
    __table_args__ = (UniqueConstraint("plan_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("rehab_plans.id", ondelete="CASCADE"))
    sequence: Mapped[int]  # 1..n
    due_on: Mapped[date]
    arrears_share: Mapped[int]
    current_dues: Mapped[int]
    amount: Mapped[int]  # arrears_share + current_dues
    paid_at: Mapped[datetime | None]

    plan: Mapped[RehabPlan] = relationship(back_populates="instalments")


class Visit(Base):
    """A cadre's report of a household visit (kunjungan), numbered L-000123 for the cadre and the member.

    The source key (the report's content and day, or a client report id) makes a resent report a no-op.
    A cancelled report (BATAL) keeps its row with `cancelled_at`; an edited one (UBAH) is cancelled and
    replaced by a new row pointing back at it, so the history keeps both. A BAYAR report is "reported"
    until a payments import shows the family's payment ("confirmed", with that payment).
    """

    __tablename__ = "visits"
    __table_args__ = (UniqueConstraint("cadre_id", "source_key"),
                      Index("ix_visits_cadre_reported", "cadre_id", "reported_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadres.id", ondelete="CASCADE"), index=True)
    # None only for a DAFTAR report of a household not (or not yet) on the cadre's list: see `household`.
    family_id: Mapped[int | None] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    household: Mapped[str | None] = mapped_column(String(16))  # the card or KK number the cadre typed
    result: Mapped[str] = mapped_column(String(12))  # BAYAR / JANJI / REHAB / TOLAK / TIDAKADA / ...
    amount: Mapped[int | None]
    promised_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    source_key: Mapped[str] = mapped_column(String(80))  # channel message id or client report id
    reported_at: Mapped[datetime] = mapped_column(index=True)
    visited_at: Mapped[datetime | None]  # when the visit happened (`jam 10.30`, `kemarin`); else reported_at
    cancelled_at: Mapped[datetime | None]
    chat_id: Mapped[int | None] = mapped_column(ForeignKey("chats.id", ondelete="SET NULL"))
    via: Mapped[str] = mapped_column(String(8), default="line")  # line / guided
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    status: Mapped[str | None] = mapped_column(String(12))  # BAYAR only: reported / confirmed
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id", ondelete="SET NULL"))
    flagged_at: Mapped[datetime | None]  # told to the supervisor as still unconfirmed
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id", ondelete="SET NULL"))
    promise_id: Mapped[int | None] = mapped_column(ForeignKey("promises.id", ondelete="SET NULL"))
    followed_up_at: Mapped[datetime | None]  # REHAB: the family's next message started the REHAB journey

    @property
    def number(self) -> str:
        """What the cadre and the member quote: L-000123."""
        return f"L-{self.id:06d}"


class Ticket(Base):
    """A complaint or a request for help (KELUHAN), or a request to register (DAFTAR), for a cadre."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # what the member quotes, e.g. K-000123
    kind: Mapped[str] = mapped_column(String(12), default="complaint")  # complaint / registration
    chat_id: Mapped[int | None] = mapped_column(ForeignKey("chats.id", ondelete="SET NULL"), index=True)
    family_id: Mapped[int | None] = mapped_column(ForeignKey("families.id", ondelete="SET NULL"))
    cadre_id: Mapped[int | None] = mapped_column(ForeignKey("cadres.id", ondelete="SET NULL"), index=True)
    region_code: Mapped[str | None] = mapped_column(String(4))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open / answered / closed
    answer: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime | None]


class AuditEntry(Base):
    """Who saw or changed what (UU PDP): one line per disclosure of personal data."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(80))  # chat:12 / cadre:KDR001 / admin:siti
    action: Mapped[str] = mapped_column(String(40))  # view_arrears / enrol_rehab / import_members ...
    family_id: Mapped[int | None] = mapped_column(ForeignKey("families.id", ondelete="SET NULL"), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class AdminUser(Base):
    """A branch staff account for the dashboard (models/accounts.py signs it in).

    Roles: `admin` (everything in the branch), `supervisor` (the team of the cadre `cadre_id`: the cadres whose
    supervisor it is), `viewer` (figures only, never a name or an identifier).
    """

    __tablename__ = "admin_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]
    role: Mapped[str] = mapped_column(String(12), default="admin")  # admin / supervisor / viewer
    cadre_id: Mapped[int | None] = mapped_column(ForeignKey("cadres.id", ondelete="SET NULL"))  # supervisors
    failed_sign_ins: Mapped[int] = mapped_column(default=0)  # in a row; the fifth locks the account
    locked_until: Mapped[datetime | None]
    last_sign_in_at: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
