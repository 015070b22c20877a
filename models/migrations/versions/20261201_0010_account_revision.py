"""users.revision: changes whenever what logging a message reads about the user changes

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

Logging a message keeps the user's profile, categories and rules in the process's memory
(``models.services.quick``). The revision tells a copy from the current state in the same
statement that stores the entry, in every process. Triggers bump it, so no code that writes a
category, rule, budget or setting (today's or tomorrow's, the bot's or the dashboard's) can
forget to.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The users columns logging reads (Profile); quiet hours and the /deleteme prompt don't count.
WATCHED = (
    "currency",
    "timezone",
    "month_start_day",
    "awaiting_limit_budget_id",
    "awaiting_category_id",
    "awaiting_goal_id",
    "blocked",
)
# Tables whose rows logging reads, and the changes that matter (a budget's amount doesn't:
# alerts read budgets afresh; only whether there is one is kept).
CHILDREN = {
    "categories": ("INSERT", "UPDATE", "DELETE"),
    "category_rules": ("INSERT", "UPDATE", "DELETE"),
    "budgets": ("INSERT", "DELETE"),
}
TRIGGERS = [(f"trg_{table}_{event.lower()}_revision", table) for table, events in CHILDREN.items()
            for event in events] + [("trg_users_revision", "users")]  # fmt: skip


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("revision", sa.BigInteger(), nullable=False, server_default="0")
        )
    if op.get_context().dialect.name == "sqlite":
        _sqlite_triggers()
    else:
        _postgresql_triggers()


def _sqlite_triggers() -> None:
    for table, events in CHILDREN.items():
        for event in events:
            row = "OLD" if event == "DELETE" else "NEW"
            op.execute(
                f"CREATE TRIGGER trg_{table}_{event.lower()}_revision AFTER {event} ON {table} "
                f"BEGIN UPDATE users SET revision = revision + 1 WHERE id = {row}.user_id; END"
            )
    # Only the SET of a watched column fires it; its own UPDATE sets revision alone.
    op.execute(
        f"CREATE TRIGGER trg_users_revision AFTER UPDATE OF {', '.join(WATCHED)} ON users "
        "BEGIN UPDATE users SET revision = revision + 1 WHERE id = NEW.id; END"
    )


def _postgresql_triggers() -> None:
    op.execute(
        """
        CREATE FUNCTION penny_child_revision() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                UPDATE users SET revision = revision + 1 WHERE id = OLD.user_id;
                RETURN OLD;
            END IF;
            UPDATE users SET revision = revision + 1 WHERE id = NEW.user_id;
            RETURN NEW;
        END $$
        """
    )
    op.execute(
        """
        CREATE FUNCTION penny_user_revision() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.revision := OLD.revision + 1;
            RETURN NEW;
        END $$
        """
    )
    for table, events in CHILDREN.items():
        for event in events:
            op.execute(
                f"CREATE TRIGGER trg_{table}_{event.lower()}_revision AFTER {event} ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION penny_child_revision()"
            )
    old = ", ".join(f"OLD.{column}" for column in WATCHED)
    new = ", ".join(f"NEW.{column}" for column in WATCHED)
    op.execute(
        f"CREATE TRIGGER trg_users_revision BEFORE UPDATE OF {', '.join(WATCHED)} ON users "
        f"FOR EACH ROW WHEN (ROW({old}) IS DISTINCT FROM ROW({new})) "
        "EXECUTE FUNCTION penny_user_revision()"
    )


def downgrade() -> None:
    postgresql = op.get_context().dialect.name != "sqlite"
    for name, table in TRIGGERS:
        op.execute(f"DROP TRIGGER {name}" + (f" ON {table}" if postgresql else ""))
    if postgresql:
        op.execute("DROP FUNCTION penny_child_revision()")
        op.execute("DROP FUNCTION penny_user_revision()")
    # In place, not by batch mode: rebuilding ``users`` on SQLite drops the old table, and with
    # foreign keys on that cascades to every row pointing at it (see 0008's downgrade).
    op.drop_column("users", "revision")
