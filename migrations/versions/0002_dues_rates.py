"""Dues rates for PBPU/BP members as data: the member's share per class, with the month each took effect.

Source: docs/jkn-rules.md (Perpres 28/2016, 75/2019, 64/2020). A new rate is a new row, never a code change.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# effective from -> (Kelas I, Kelas II, Kelas III)
RATES = {
    date(2016, 4, 1): (80_000, 51_000, 25_500),
    date(2020, 1, 1): (160_000, 110_000, 42_000),
    date(2020, 4, 1): (80_000, 51_000, 25_500),
    date(2020, 7, 1): (150_000, 100_000, 25_500),
    date(2021, 1, 1): (150_000, 100_000, 35_000),
}


def upgrade() -> None:
    table = sa.table("dues_rates", sa.column("class_", sa.Integer), sa.column("effective_from", sa.Date),
                     sa.column("amount", sa.Integer))
    op.bulk_insert(table, [
        {"class_": klass, "effective_from": start, "amount": amount}
        for start, amounts in RATES.items()
        for klass, amount in zip((1, 2, 3), amounts, strict=True)
    ])


def downgrade() -> None:
    op.execute("DELETE FROM dues_rates")
