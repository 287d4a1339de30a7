"""Inbound messages are stored first and answered by a worker: their chat address, what else was received
(until answered), when they were answered, and an index of those still waiting; the outbox gets an index
on when rows were sent (/healthz tells whether anything drains it).

Revision ID: 0005_inbound
Revises: 0005_admin2
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0005_inbound"
down_revision: str | None = "0005_admin2"  # re-chained after main (sender, dashboard)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING = "processed_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("inbound_messages") as batch:
        batch.add_column(sa.Column("address", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("payload", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("processed_at", models.base.UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE inbound_messages SET processed_at = received_at")  # answered inside their request
    op.create_index("ix_inbound_waiting", "inbound_messages", ["id"], sqlite_where=sa.text(WAITING),
                    postgresql_where=sa.text(WAITING))
    op.create_index("ix_outbox_sent_at", "outbox", ["sent_at"])  # /healthz: when did anything last go out


def downgrade() -> None:
    op.drop_index("ix_outbox_sent_at", table_name="outbox")
    op.drop_index("ix_inbound_waiting", table_name="inbound_messages")
    with op.batch_alter_table("inbound_messages") as batch:
        batch.drop_column("processed_at")
        batch.drop_column("payload")
        batch.drop_column("address")
