"""households: a group's shared ledger, its members, split shares and settling payments

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

Member and settlement ids ride on /settle's buttons, so on SQLite their tables are
AUTOINCREMENT like every table whose ids buttons carry (0009). Adding transactions.member_id
with its foreign key rebuilds transactions on SQLite; the rebuild keeps AUTOINCREMENT and the
table's id counter, so an id deleted before the upgrade is still never handed out again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("shared", sa.Boolean(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("title", sa.String(length=128), nullable=True))
    op.create_table(
        "members",
        sa.Column("id", BigId, primary_key=True),
        sa.Column(
            "user_id",
            sa.BigInteger(),
            sa.ForeignKey("users.id", name="fk_members_user_id_users", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("person_id", sa.BigInteger(), nullable=True),
        sa.Column("name", sa.String(length=64), nullable=True),
        sa.Column("username", sa.String(length=32), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_members"),
        sa.UniqueConstraint("user_id", "person_id", name="uq_members_user_id_person_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_members_person_id", "members", ["person_id"])
    sqlite = op.get_context().dialect.name == "sqlite"
    counter = _transactions_counter() if sqlite else None
    with op.batch_alter_table(
        "transactions", table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.add_column(sa.Column("member_id", BigId, nullable=True))
        batch_op.create_foreign_key(
            "fk_transactions_member_id_members",
            "members",
            ["member_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index("ix_transactions_member_id", ["member_id"])
    if counter is not None:
        _restore_transactions_counter(counter)
    op.create_table(
        "shares",
        sa.Column(
            "transaction_id",
            BigId,
            sa.ForeignKey(
                "transactions.id", name="fk_shares_transaction_id_transactions", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.Column(
            "member_id",
            BigId,
            sa.ForeignKey("members.id", name="fk_shares_member_id_members", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "user_id",
            sa.BigInteger(),
            sa.ForeignKey("users.id", name="fk_shares_user_id_users", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("transaction_id", "member_id", name="pk_shares"),
    )
    op.create_index("ix_shares_member_id", "shares", ["member_id"])
    op.create_index("ix_shares_user_id", "shares", ["user_id"])
    op.create_table(
        "settlements",
        sa.Column("id", BigId, primary_key=True),
        sa.Column(
            "user_id",
            sa.BigInteger(),
            sa.ForeignKey("users.id", name="fk_settlements_user_id_users", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "payer_id",
            BigId,
            sa.ForeignKey("members.id", name="fk_settlements_payer_id_members", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "payee_id",
            BigId,
            sa.ForeignKey("members.id", name="fk_settlements_payee_id_members", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("source_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("source_message_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_settlements"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_settlements_user_id", "settlements", ["user_id"])
    op.create_index(
        "uq_settlements_source",
        "settlements",
        ["user_id", "source_chat_id", "source_message_id", "payer_id", "payee_id"],
        unique=True,
    )


def _transactions_counter() -> int:
    """The highest id SQLite ever gave a transaction (the rebuild would restart from MAX(id))."""
    seq = op.get_bind().scalar(
        sa.text("SELECT seq FROM sqlite_sequence WHERE name = 'transactions'")
    )
    return int(seq or 0)


def _restore_transactions_counter(counter: int) -> None:
    op.execute(
        sa.text(
            "UPDATE sqlite_sequence SET seq = MAX(seq, :counter) WHERE name = 'transactions'"
        ).bindparams(counter=counter)
    )
    op.execute(
        sa.text(
            "INSERT INTO sqlite_sequence (name, seq) SELECT 'transactions', :counter "
            "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'transactions')"
        ).bindparams(counter=counter)
    )


def downgrade() -> None:
    op.drop_table("settlements")
    counter = _transactions_counter() if op.get_context().dialect.name == "sqlite" else None
    op.drop_table("shares")
    with op.batch_alter_table(
        "transactions", table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_index("ix_transactions_member_id")
        batch_op.drop_constraint("fk_transactions_member_id_members", type_="foreignkey")
        batch_op.drop_column("member_id")
    if counter is not None:
        _restore_transactions_counter(counter)
    op.drop_index("ix_members_person_id", table_name="members")
    op.drop_table("members")
    # Dropped in place, never by rebuilding users: 0010's triggers name the table, and SQLite
    # refuses to rename a rebuilt copy over a table that triggers point at.
    op.drop_column("users", "title")
    op.drop_column("users", "shared")
