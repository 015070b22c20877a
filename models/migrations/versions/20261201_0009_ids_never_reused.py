"""ids that buttons carry are never reused; single-use /deleteme; undone messages remembered

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

SQLite without AUTOINCREMENT gives a new row the id of the newest one deleted, so an old Undo
removed a newer entry and confirming one import preview imported another file. SQLite can't add
AUTOINCREMENT to a table: batch mode rebuilds each (``models.db.migrate`` runs this without
foreign keys, so rebuilding a parent cascades into nothing). PostgreSQL's sequences never reuse
ids; there only the new columns and table are added.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BUTTON_TABLES = (
    "categories",
    "transactions",
    "pending_entries",
    "budgets",
    "recurring",
    "pending_imports",
    "goals",
    "goal_contributions",
)
# Ids deleted just before the upgrade may lie above the highest one left, and buttons may
# still carry them: new ids start this far above it.
GAP = 1000


def upgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        for table in BUTTON_TABLES:
            with op.batch_alter_table(
                table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
            ):
                pass
            # The copy left (name, highest id) in sqlite_sequence, or nothing for an empty table.
            op.execute(sa.text(f"DELETE FROM sqlite_sequence WHERE name = '{table}'"))
            op.execute(
                sa.text(
                    "INSERT INTO sqlite_sequence (name, seq) "
                    f"SELECT '{table}', COALESCE(MAX(id), 0) + {GAP} FROM {table}"
                )
            )
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("erase_nonce", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("erase_asked_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "undone_messages",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_undone_messages_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "user_id", "chat_id", "message_id", name=op.f("pk_undone_messages")
        ),
    )
    op.create_index(
        op.f("ix_undone_messages_undone_at"), "undone_messages", ["undone_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_undone_messages_undone_at"), table_name="undone_messages")
    op.drop_table("undone_messages")
    # In place, not by batch mode: rebuilding ``users`` on SQLite would cascade (see 0008).
    op.drop_column("users", "erase_asked_at")
    op.drop_column("users", "erase_nonce")
