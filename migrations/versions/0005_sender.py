"""The sender keeps each chat's order: an index to find a pending row's earlier rows in its lane (the same
channel, address and priority) at once.

Revision ID: 0005_sender
Revises: 0004_cadre
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_sender"
down_revision: str | None = "0004_cadre"  # re-chained at merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("status IN ('queued', 'failed', 'sending')")


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.create_index("ix_outbox_lane", ["channel", "address", "priority", "id"], unique=False,
                              sqlite_where=PENDING, postgresql_where=PENDING)


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_index("ix_outbox_lane", sqlite_where=PENDING, postgresql_where=PENDING)
