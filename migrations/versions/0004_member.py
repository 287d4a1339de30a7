"""Members remember the last month they paid their own dues before moving to a segment others pay (REHAB 2.0).

Rows already here get the rule the members import follows (rules/segments.py): a member of a segment that does
not pay its own dues has been in it at least since the service first saw them, so their own dues end with
the month before this migration's.

Revision ID: 0004_member
Revises: 0003
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0004_member"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SELF_PAYING = ("PBPU", "BP")  # rules.segments.SELF_PAYING_SEGMENTS, fixed here as a migration must be


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("own_dues_until", sa.Date(), nullable=True))
    today = datetime.now(UTC).date()
    last_month = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
    members = sa.table("members", sa.column("segment", sa.String), sa.column("own_dues_until", sa.Date))
    op.execute(members.update().where(members.c.segment.not_in(SELF_PAYING)).values(own_dues_until=last_month))


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("own_dues_until")
