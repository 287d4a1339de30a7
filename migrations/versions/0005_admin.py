"""Dashboard accounts gain a role (admin / supervisor / viewer), a supervisor's cadre, and sign-in lockout;
the monthly figures' rollup table and the time indexes it is computed with.

Revision ID: 0005_admin
Revises: 0004_cadre
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0005_admin"
down_revision: str | None = "0005_sender"  # re-chained at merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("admin_users") as batch:
        batch.add_column(sa.Column("role", sa.String(length=12), nullable=False, server_default="admin"))
        batch.add_column(sa.Column("cadre_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("failed_sign_ins", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", models.base.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("last_sign_in_at", models.base.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.create_foreign_key(batch.f("fk_admin_users_cadre_id_cadres"), "cadres", ["cadre_id"], ["id"],
                                 ondelete="SET NULL")
    op.create_table(
        "figure_months",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("cadre_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("figure", sa.String(length=24), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("computed_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("month", "cadre_id", "figure", name=op.f("pk_figure_months")),
    )
    op.create_index("ix_figure_months_cadre", "figure_months", ["cadre_id", "month"], unique=False)
    # Figures count a month of reports, payments, reminders, plans and tickets: indexes to read a range.
    with op.batch_alter_table("payments") as batch:
        batch.create_index("ix_payments_paid_at", ["paid_at"], unique=False)
    with op.batch_alter_table("reminders") as batch:
        batch.create_index("ix_reminders_settled_at", ["settled_at"], unique=False)
    with op.batch_alter_table("visits") as batch:
        batch.create_index("ix_visits_reported_at", ["reported_at"], unique=False)
    with op.batch_alter_table("rehab_plans") as batch:
        batch.create_index("ix_rehab_plans_enrolled_at", ["enrolled_at"], unique=False)
    with op.batch_alter_table("tickets") as batch:
        batch.create_index("ix_tickets_created_at", ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.drop_index("ix_tickets_created_at")
    with op.batch_alter_table("rehab_plans") as batch:
        batch.drop_index("ix_rehab_plans_enrolled_at")
    with op.batch_alter_table("visits") as batch:
        batch.drop_index("ix_visits_reported_at")
    with op.batch_alter_table("reminders") as batch:
        batch.drop_index("ix_reminders_settled_at")
    with op.batch_alter_table("payments") as batch:
        batch.drop_index("ix_payments_paid_at")
    op.drop_index("ix_figure_months_cadre", table_name="figure_months")
    op.drop_table("figure_months")
    with op.batch_alter_table("admin_users") as batch:
        batch.drop_constraint("fk_admin_users_cadre_id_cadres", type_="foreignkey")
        for column in ("active", "last_sign_in_at", "locked_until", "failed_sign_ins", "cadre_id", "role"):
            batch.drop_column(column)
