"""a chat message's entries are unique, so a re-delivered update stores nothing twice

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("transactions") as batch_op:
        batch_op.drop_index("ix_transactions_user_source")
        batch_op.create_index(
            "uq_transactions_source_entry",
            ["user_id", "source_chat_id", "source_message_id", "position"],
            unique=True,
        )


def downgrade() -> None:
    with op.batch_alter_table("transactions") as batch_op:
        batch_op.drop_index("uq_transactions_source_entry")
        batch_op.create_index(
            "ix_transactions_user_source", ["user_id", "source_chat_id", "source_message_id"]
        )
