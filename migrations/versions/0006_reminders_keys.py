"""Reminders keep their family and chat ids without foreign keys: planning inserts a million rows at once,
and PostgreSQL checked both keys row by row with a lock on the family's and the chat's rows (half the
planning time). The rows are only ever made by one INSERT ... SELECT from the families and chats that exist,
and the service never deletes a family or a chat, so the keys guarded against nothing it does.

Revision ID: 0006_reminders_keys
Revises: 0005_inbound
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006_reminders_keys"
down_revision: str | None = "0005_inbound"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reminders") as batch:
        batch.drop_constraint("fk_reminders_family_id_families", type_="foreignkey")
        batch.drop_constraint("fk_reminders_chat_id_chats", type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("reminders") as batch:
        batch.create_foreign_key("fk_reminders_family_id_families", "families", ["family_id"], ["id"],
                                 ondelete="CASCADE")
        batch.create_foreign_key("fk_reminders_chat_id_chats", "chats", ["chat_id"], ["id"], ondelete="CASCADE")
