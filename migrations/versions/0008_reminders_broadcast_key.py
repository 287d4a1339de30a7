"""Reminders keep their broadcast id without a foreign key: PostgreSQL ran the key's check trigger once for
every planned row, a million times for a million dues reminders that have no broadcast at all (0.4-0.7 s of
planning). Broadcasts are cancelled, never deleted, and a reminder's broadcast id is only ever written by
the broadcast planner from a broadcast it has just read; the dispatcher skips a reminder whose broadcast it
cannot find. Like 0006, the key guarded against nothing the service does.

Revision ID: 0008_reminders_broadcast_key
Revises: 0007_reminders_indexes
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008_reminders_broadcast_key"
down_revision: str | None = "0007_reminders_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reminders") as batch:
        batch.drop_constraint("fk_reminders_broadcast_id_broadcasts", type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("reminders") as batch:
        batch.create_foreign_key("fk_reminders_broadcast_id_broadcasts", "broadcasts", ["broadcast_id"], ["id"],
                                 ondelete="CASCADE")
