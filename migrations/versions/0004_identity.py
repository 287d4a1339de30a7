"""Identity: attempts counted per family (and per chat), number look-ups for the rate limit, a shared phone's
chosen family for the session.

Revision ID: 0004_identity
Revises: 0004_member
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0004_identity"
down_revision: str | None = "0004_member"  # re-chained after main's 0004_member
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("verification_attempts") as batch:
        batch.alter_column("card_number", existing_type=sa.String(length=13), nullable=True)
        batch.add_column(sa.Column("family_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("trusted", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.create_foreign_key(batch.f("fk_verification_attempts_family_id_families"), "families",
                                 ["family_id"], ["id"], ondelete="CASCADE")
        batch.create_index("ix_verification_family_time", ["family_id", "attempted_at"], unique=False)
        batch.create_index("ix_verification_chat_time", ["chat_id", "attempted_at"], unique=False)
    # Attempts recorded before this revision counted per card: give them their family so a lock in force
    # during the upgrade stays in force.
    op.execute("UPDATE verification_attempts SET family_id = (SELECT members.family_id FROM members "
               "WHERE members.card_number = verification_attempts.card_number)")

    op.create_table(
        "identity_lookups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("looked_up_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["chat_id"], ["chats.id"], name=op.f("fk_identity_lookups_chat_id_chats"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_lookups")),
    )
    with op.batch_alter_table("identity_lookups") as batch:
        batch.create_index("ix_identity_lookups_chat_time", ["chat_id", "looked_up_at"], unique=False)
        batch.create_index("ix_identity_lookups_phone_time", ["phone", "looked_up_at"], unique=False)

    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("active_family_until", models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("active_family_until")
    op.drop_table("identity_lookups")
    op.execute("DELETE FROM verification_attempts WHERE card_number IS NULL")
    with op.batch_alter_table("verification_attempts") as batch:
        batch.drop_index("ix_verification_chat_time")
        batch.drop_index("ix_verification_family_time")
        batch.drop_constraint(batch.f("fk_verification_attempts_family_id_families"), type_="foreignkey")
        batch.drop_column("trusted")
        batch.drop_column("family_id")
        batch.alter_column("card_number", existing_type=sa.String(length=13), nullable=False)
