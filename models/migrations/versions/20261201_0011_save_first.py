"""save first, sort later: entries without a category are stored (unsorted), not pending

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23

Amounts waiting in ``pending_entries`` for a category tap become transactions in the user's
Other category, marked unsorted, and the table goes: nothing waits unstored any more. Default
categories remember the name they started as (``origin``), so a rename keeps their words.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

DEFAULTS = {
    "expense": (
        "Food",
        "Groceries",
        "Transport",
        "Housing",
        "Utilities",
        "Shopping",
        "Health",
        "Entertainment",
        "Travel",
        "Education",
        "Gifts",
        "Other",
    ),
    "income": ("Salary", "Freelance", "Investments", "Gifts", "Other"),
}


def upgrade() -> None:
    with op.batch_alter_table("transactions") as batch_op:
        batch_op.add_column(sa.Column("unsorted", sa.Boolean(), server_default="0", nullable=False))
    with op.batch_alter_table("categories") as batch_op:
        batch_op.add_column(sa.Column("origin", sa.String(length=64), nullable=True))
    categories = sa.table(
        "categories",
        sa.column("kind", sa.String),
        sa.column("name", sa.String),
        sa.column("origin", sa.String),
    )
    # A category still named as a default is that default (renamed ones can't be told apart).
    for kind, names in DEFAULTS.items():
        op.execute(
            categories.update()
            .where(categories.c.kind == kind, categories.c.name.in_(names))
            .values(origin=categories.c.name)
        )
    _pending_to_transactions()
    op.drop_index("ix_pending_entries_user_id", table_name="pending_entries")
    op.drop_table("pending_entries")


def _pending_to_transactions() -> None:
    """Each waiting amount becomes an unsorted transaction in its user's Other category.

    One per message (the old code asked once per message), and none for a message that has a
    transaction already (its entry was recorded after all).
    """
    bind = op.get_bind()
    pending = bind.execute(
        sa.text(
            "SELECT id, user_id, kind, amount_minor, currency, note, occurred_on,"
            " source_chat_id, source_message_id, created_at FROM pending_entries ORDER BY id"
        )
    ).all()
    others = {
        (user_id, kind): category_id
        for category_id, user_id, kind in bind.execute(
            sa.text("SELECT id, user_id, kind FROM categories WHERE name = 'Other'")
        )
    }
    seen: set[tuple[int, int | None, int | None]] = set()
    for row in pending:
        source = (row.user_id, row.source_chat_id, row.source_message_id)
        if row.source_message_id is not None and source in seen:
            continue
        seen.add(source)
        if row.source_message_id is not None:
            stored = bind.execute(
                sa.text(
                    "SELECT 1 FROM transactions WHERE user_id = :u AND source_chat_id = :c"
                    " AND source_message_id = :m"
                ),
                {"u": row.user_id, "c": row.source_chat_id, "m": row.source_message_id},
            ).first()
            if stored is not None:
                continue
        bind.execute(
            sa.text(
                "INSERT INTO transactions (user_id, kind, amount_minor, currency, category_id,"
                " note, occurred_on, source_chat_id, source_message_id, position, created_at,"
                " unsorted) VALUES (:u, :k, :a, :cur, :cat, :n, :d, :c, :m, 0, :t, :unsorted)"
            ),
            {
                "u": row.user_id,
                "k": row.kind,
                "a": row.amount_minor,
                "cur": row.currency,
                "cat": others.get((row.user_id, row.kind)),
                "n": row.note,
                "d": row.occurred_on,
                "c": row.source_chat_id,
                "m": row.source_message_id,
                "t": row.created_at,
                "unsorted": True,
            },
        )


def downgrade() -> None:
    op.create_table(
        "pending_entries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("source_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("source_message_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_pending_entries_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_entries")),
    )
    op.create_index("ix_pending_entries_user_id", "pending_entries", ["user_id"])
    # Dropped in place (SQLite ≥ 3.35 and PostgreSQL alike), not by batch mode: rebuilding the
    # categories table on SQLite would drop its revision triggers (migration 0010).
    op.drop_column("categories", "origin")
    op.drop_column("transactions", "unsorted")
