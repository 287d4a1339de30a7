"""Cadre journeys: visit reports gain their time, place, reconciliation and history; cadres can turn the
morning list off; a chat remembers whether a cadre chose the cadre or the member menu.

Revision ID: 0004_cadre
Revises: 0004_reminders
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0004_cadre"
down_revision: str | None = "0004_reminders"  # re-chained at merge: member -> identity -> reminders -> cadre
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.alter_column("family_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("household", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("visited_at", models.base.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("chat_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("via", sa.String(length=8), nullable=False, server_default="line"))
        batch.add_column(sa.Column("latitude", sa.Double(), nullable=True))
        batch.add_column(sa.Column("longitude", sa.Double(), nullable=True))
        batch.add_column(sa.Column("status", sa.String(length=12), nullable=True))
        batch.add_column(sa.Column("payment_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("flagged_at", models.base.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("replaces_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("promise_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("followed_up_at", models.base.UTCDateTime(timezone=True), nullable=True))
        batch.create_foreign_key(batch.f("fk_visits_chat_id_chats"), "chats", ["chat_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_foreign_key(batch.f("fk_visits_payment_id_payments"), "payments", ["payment_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_foreign_key(batch.f("fk_visits_replaces_id_visits"), "visits", ["replaces_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_foreign_key(batch.f("fk_visits_promise_id_promises"), "promises", ["promise_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_index("ix_visits_cadre_reported", ["cadre_id", "reported_at"], unique=False)
    with op.batch_alter_table("cadres") as batch:
        batch.add_column(sa.Column("daily_tasks", sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("menu", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("menu")
    with op.batch_alter_table("cadres") as batch:
        batch.drop_column("daily_tasks")
    with op.batch_alter_table("visits") as batch:
        batch.drop_index("ix_visits_cadre_reported")
        for name in ("fk_visits_promise_id_promises", "fk_visits_replaces_id_visits",
                     "fk_visits_payment_id_payments", "fk_visits_chat_id_chats"):
            batch.drop_constraint(name, type_="foreignkey")
        for column in ("followed_up_at", "promise_id", "replaces_id", "flagged_at", "payment_id", "status",
                       "longitude", "latitude", "via", "chat_id", "visited_at", "household"):
            batch.drop_column(column)
        batch.alter_column("family_id", existing_type=sa.Integer(), nullable=False)
