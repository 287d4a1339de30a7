"""Planning a million reminders writes fewer indexes: every index is written once per planned row.

- `ix_reminders_chat_id` goes: no query looks reminders up by chat (they are claimed by status and time,
  and read by id).
- `ix_reminders_broadcast_id` and `ix_reminders_settled_at` become partial (`IS NOT NULL`): a dues
  reminder has no broadcast, and a planned row is not settled yet, so planning never writes them, while the
  queries that use them (`broadcast_id IN (...)`, `settled_at >= ...`) imply the condition and still do.

Revision ID: 0007_reminders_indexes
Revises: 0006_reminders_keys
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_reminders_indexes"
down_revision: str | None = "0006_reminders_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTIAL = ("broadcast_id", "settled_at")


def upgrade() -> None:
    op.drop_index("ix_reminders_chat_id", table_name="reminders")
    for column in PARTIAL:
        op.drop_index(f"ix_reminders_{column}", table_name="reminders")
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(f"ix_reminders_{column}", "reminders", [column], postgresql_where=where,
                        sqlite_where=where)


def downgrade() -> None:
    for column in PARTIAL:
        op.drop_index(f"ix_reminders_{column}", table_name="reminders")
        op.create_index(f"ix_reminders_{column}", "reminders", [column])
    op.create_index("ix_reminders_chat_id", "reminders", ["chat_id"])
