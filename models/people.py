"""Who is insured and who visits them: families (KK), members, dues rates, payments, cadres, assignments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base


class Family(Base):
    """A household on one Kartu Keluarga. Dues are paid, and arrears settled, for the whole family."""

    __tablename__ = "families"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)  # KK number
    region_code: Mapped[str] = mapped_column(String(4), index=True)  # the head's kabupaten/kota
    credit: Mapped[int] = mapped_column(default=0)  # rupiah paid beyond whole family-months

    members: Mapped[list[Member]] = relationship(back_populates="family", order_by="Member.id")
    payments: Mapped[list[Payment]] = relationship(back_populates="family", order_by="Payment.paid_at")
    assignment: Mapped[Assignment | None] = relationship(back_populates="family")

    @property
    def head(self) -> Member | None:
        """The member whose relation is head, if the file named one."""
        return next((m for m in self.members if m.relation == "head"), None)

    @property
    def account_holder(self) -> Member | None:
        """The head, or the first member of a family loaded without one: the card the family's VA follows
        and the segment REHAB reads."""
        return self.head or (self.members[0] if self.members else None)


class Member(Base):
    """A person insured by JKN (peserta)."""

    __tablename__ = "members"
    __table_args__ = (
        CheckConstraint("class_ IN (1, 2, 3)", name="class_1_to_3"),
        Index("ix_members_phone", "phone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    card_number: Mapped[str] = mapped_column(String(13), unique=True)
    nik: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    birth_date: Mapped[date]
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    relation: Mapped[str] = mapped_column("relationship", String(8))  # head / spouse / child / other
    segment: Mapped[str] = mapped_column(String(4))  # PBPU / BP / PPU / PBI
    class_: Mapped[int] = mapped_column("class_")
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164
    region_code: Mapped[str] = mapped_column(String(4))
    paid_through: Mapped[date]  # first day of the last month whose dues are paid
    # For a member of a segment whose dues others pay (PPU, PBI): the last month of their own dues, before
    # they moved; NULL while self-paying. Their old arrears end there (rules/segments.py says how it is set).
    own_dues_until: Mapped[date | None]

    family: Mapped[Family] = relationship(back_populates="members")


class DuesRate(Base):
    """The member's monthly share for a class, in force from a month on (history in docs/jkn-rules.md)."""

    __tablename__ = "dues_rates"
    __table_args__ = (UniqueConstraint("class_", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_: Mapped[int] = mapped_column("class_")
    effective_from: Mapped[date]  # first day of a month
    amount: Mapped[int]  # rupiah per person per month


class Payment(Base):
    """Money received for a family (imported from the bank/VA reconciliation)."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    amount: Mapped[int]
    paid_at: Mapped[datetime] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(40), default="")

    family: Mapped[Family] = relationship(back_populates="payments")


class Cadre(Base):
    """A Kader JKN: a BPJS partner who visits households in arrears."""

    __tablename__ = "cadres"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)  # E.164
    telegram_username: Mapped[str | None] = mapped_column(String(64))
    branch: Mapped[str] = mapped_column(String(80), default="")
    region_code: Mapped[str] = mapped_column(String(4))
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("cadres.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(default=True)
    daily_tasks: Mapped[bool] = mapped_column(default=True)  # TUGAS pushed every working morning (TUGAS OFF)

    supervisor: Mapped[Cadre | None] = relationship(remote_side="Cadre.id")
    assignments: Mapped[list[Assignment]] = relationship(back_populates="cadre")


class Assignment(Base):
    """A family on a cadre's list (peserta binaan). One cadre per family."""

    __tablename__ = "assignments"

    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), primary_key=True)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadres.id", ondelete="CASCADE"), index=True)

    family: Mapped[Family] = relationship(back_populates="assignment")
    cadre: Mapped[Cadre] = relationship(back_populates="assignments")
