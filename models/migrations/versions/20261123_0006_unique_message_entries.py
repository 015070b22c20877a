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
    # Earlier code could give a message's entries repeated positions (an edit that added one,
    # or a re-delivered update); number them 0..n-1 in their shown order so the key can hold.
    op.execute(
        """
        UPDATE transactions SET position = r.rn - 1
        FROM (
            SELECT id, ROW_NUMBER() OVER (
                PARTITION BY user_id, source_chat_id, source_message_id ORDER BY position, id
            ) AS rn
            FROM transactions
            WHERE source_chat_id IS NOT NULL AND source_message_id IS NOT NULL
        ) AS r
        WHERE transactions.id = r.id AND transactions.position <> r.rn - 1
        """
    )
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
