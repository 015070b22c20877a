"""Migrations upgrade real data on both engines, including rows older code wrote."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from models.db import alembic_config, create_engine, migrate


async def upgrade_to(url: str, revision: str) -> None:
    engine = create_engine(url)

    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as conn:
        await conn.run_sync(run)
    await engine.dispose()


async def test_repeated_positions_are_renumbered_before_the_unique_key(database_url: str) -> None:
    await upgrade_to(database_url, "0005")
    engine = create_engine(database_url)
    now = datetime(2026, 11, 23, tzinfo=UTC)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO users (id, currency, timezone, created_at)"
                " VALUES (1, 'USD', 'UTC', :t)"
            ),
            {"t": now},
        )
        # What an edit that added an entry used to store: positions 0, 1, 0 for one message.
        for amount, position in ((300, 0), (100, 1), (200, 0)):
            await conn.execute(
                text(
                    "INSERT INTO transactions (user_id, kind, amount_minor, currency, note,"
                    " occurred_on, source_chat_id, source_message_id, position, created_at)"
                    " VALUES (1, 'expense', :a, 'USD', '', :d, 1, 7, :p, :t)"
                ),
                {"a": amount, "d": date(2026, 11, 23), "p": position, "t": now},
            )
    await migrate(engine)  # to head, as the bot does at start
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text("SELECT amount_minor, position FROM transactions ORDER BY position")
            )
        ).all()
    await engine.dispose()
    assert [tuple(row) for row in rows] == [(300, 0), (200, 1), (100, 2)]


async def run_alembic(url: str, action: str, revision: str) -> None:
    engine = create_engine(url)

    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)

    async with engine.begin() as conn:
        await conn.run_sync(run)
    await engine.dispose()


GOAL_TABLES = {
    "goals",
    "goal_contributions",
    "savings_targets",
    "habit_days",
    "points",
    "habit_state",
    "feedback",
    "feedback_prefs",
    "invites",
    "referrals",
    "compare_optins",
}


async def test_goals_and_habits_tables_migrate_up_and_down_on_old_data(database_url: str) -> None:
    await upgrade_to(database_url, "0006")
    engine = create_engine(database_url)
    now = datetime(2026, 11, 23, tzinfo=UTC)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO users (id, currency, timezone, created_at, awaiting_category_id)"
                " VALUES (1, 'USD', 'UTC', :t, NULL)"
            ),
            {"t": now},
        )
        await conn.execute(
            text(
                "INSERT INTO transactions (user_id, kind, amount_minor, currency, note,"
                " occurred_on, position, created_at)"
                " VALUES (1, 'expense', 450, 'USD', '', :d, 0, :t)"
            ),
            {"d": date(2026, 11, 23), "t": now},
        )
    await migrate(engine)
    async with engine.begin() as conn:
        # Old users come through with nothing awaited, and the new tables take rows.
        assert (await conn.execute(text("SELECT awaiting_goal_id FROM users"))).scalar() is None
        await conn.execute(
            text(
                "INSERT INTO goals (user_id, name, target_minor, currency, deadline, created_at)"
                " VALUES (1, 'laptop', 120000, 'USD', :d, :t)"
            ),
            {"d": date(2027, 6, 30), "t": now},
        )
        await conn.execute(
            text(
                "INSERT INTO goal_contributions (user_id, goal_id, amount_minor, saved_on,"
                " created_at) SELECT 1, id, 30000, :d, :t FROM goals"
            ),
            {"d": date(2026, 11, 23), "t": now},
        )
        await conn.execute(
            text("INSERT INTO invites (user_id, code, created_at) VALUES (1, 'c', :t)"), {"t": now}
        )
        shown = (await conn.execute(text("SELECT show_name FROM invites"))).scalar()
        assert not shown  # off unless the inviter agrees
        # Deleting a goal takes its contributions (the foreign key cascades on both engines).
        await conn.execute(text("DELETE FROM goals"))
        left = (await conn.execute(text("SELECT COUNT(*) FROM goal_contributions"))).scalar()
        assert left == 0
    await engine.dispose()

    await run_alembic(database_url, "downgrade", "0006")
    engine = create_engine(database_url)
    async with engine.connect() as conn:
        tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
        columns = {
            c["name"] for c in await conn.run_sync(lambda c: inspect(c).get_columns("users"))
        }
        users = (await conn.execute(text("SELECT COUNT(*) FROM users"))).scalar()
        spent = (await conn.execute(text("SELECT amount_minor FROM transactions"))).all()
    await engine.dispose()
    assert not tables & GOAL_TABLES and "awaiting_goal_id" not in columns and users == 1
    # Going back must not cost anyone their ledger: on SQLite, rebuilding ``users`` to drop the
    # column would drop the old table, and with foreign keys on that cascades to every child.
    assert [tuple(row) for row in spent] == [(450,)]
    await run_alembic(database_url, "upgrade", "head")


async def test_button_ids_are_never_reused_and_rebuilding_keeps_every_row(
    database_url: str,
) -> None:
    await upgrade_to(database_url, "0008")
    engine = create_engine(database_url)
    now = datetime(2026, 11, 23, tzinfo=UTC)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO users (id, currency, timezone, created_at)"
                " VALUES (1, 'USD', 'UTC', :t)"
            ),
            {"t": now},
        )
        await conn.execute(
            text(
                "INSERT INTO categories (id, user_id, kind, name, position)"
                " VALUES (5, 1, 'expense', 'Food', 0)"
            )
        )
        await conn.execute(
            text(
                "INSERT INTO budgets (id, user_id, category_id, scope, amount_minor, currency,"
                " frequency, rollover, created_on) VALUES (3, 1, 5, 'c5', 100, 'USD', 'monthly',"
                " false, :d)"
            ),
            {"d": date(2026, 11, 1)},
        )
        await conn.execute(
            text(
                "INSERT INTO budget_alerts (budget_id, period_start, threshold) VALUES (3, :d, 80)"
            ),
            {"d": date(2026, 11, 1)},
        )
        for tx_id in (1, 2, 3):
            await conn.execute(
                text(
                    "INSERT INTO transactions (id, user_id, kind, amount_minor, currency,"
                    " category_id, note, occurred_on, position, created_at)"
                    " VALUES (:i, 1, 'expense', 100, 'USD', 5, '', :d, 0, :t)"
                ),
                {"i": tx_id, "d": date(2026, 11, 2), "t": now},
            )
        if conn.dialect.name == "postgresql":  # ids taken as the sequence would have given them
            await conn.execute(
                text("SELECT setval(pg_get_serial_sequence('transactions', 'id'), 3)")
            )
        # The newest entry is undone before the upgrade: its Undo button still says 3.
        await conn.execute(text("DELETE FROM transactions WHERE id = 3"))
    await migrate(engine)
    async with engine.begin() as conn:
        # Rebuilding the parent tables cascaded into nothing.
        assert (await conn.scalar(text("SELECT count(*) FROM budget_alerts"))) == 1
        assert (await conn.scalar(text("SELECT count(*) FROM budgets"))) == 1
        assert (await conn.scalar(text("SELECT category_id FROM transactions WHERE id = 2"))) == 5
        new_id = await conn.scalar(
            text(
                "INSERT INTO transactions (user_id, kind, amount_minor, currency, note,"
                " occurred_on, position, created_at)"
                " VALUES (1, 'expense', 900, 'USD', 'rent', :d, 0, :t) RETURNING id"
            ),
            {"d": date(2026, 11, 3), "t": now},
        )
        assert new_id not in (1, 2, 3)
        await conn.execute(text("DELETE FROM transactions WHERE id = :i"), {"i": new_id})
        again = await conn.scalar(
            text(
                "INSERT INTO transactions (user_id, kind, amount_minor, currency, note,"
                " occurred_on, position, created_at)"
                " VALUES (1, 'expense', 5, 'USD', 'tea', :d, 0, :t) RETURNING id"
            ),
            {"d": date(2026, 11, 3), "t": now},
        )
        assert again > new_id  # a deleted newest id is not handed out again
    await engine.dispose()


async def test_waiting_amounts_become_unsorted_entries_and_defaults_keep_their_origin(
    database_url: str,
) -> None:
    await upgrade_to(database_url, "0010")
    engine = create_engine(database_url)
    now = datetime(2026, 11, 23, tzinfo=UTC)
    day = date(2026, 11, 20)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO users (id, currency, timezone, created_at)"
                " VALUES (1, 'USD', 'UTC', :t)"
            ),
            {"t": now},
        )
        for cid, kind, name in (
            (10, "expense", "Other"),
            (11, "income", "Other"),
            (12, "expense", "Essen"),  # renamed before the migration: no origin to find
            (13, "expense", "Food"),
        ):
            await conn.execute(
                text(
                    "INSERT INTO categories (id, user_id, kind, name, position)"
                    " VALUES (:id, 1, :k, :n, 0)"
                ),
                {"id": cid, "k": kind, "n": name},
            )
        # Waiting for a tap: two for message 7 (a re-delivery), one for 8, one for 9 (whose
        # entry was stored after all), an income for 10.
        for pid, kind, amount, message in (
            (1, "expense", 7700, 7),
            (2, "expense", 7700, 7),
            (3, "expense", 34000, 8),
            (4, "expense", 100, 9),
            (5, "income", 500000, 10),
        ):
            await conn.execute(
                text(
                    "INSERT INTO pending_entries (id, user_id, kind, amount_minor, currency, note,"
                    " occurred_on, source_chat_id, source_message_id, created_at)"
                    " VALUES (:id, 1, :k, :a, 'USD', 'zorblax', :d, 1, :m, :t)"
                ),
                {"id": pid, "k": kind, "a": amount, "d": day, "m": message, "t": now},
            )
        await conn.execute(
            text(
                "INSERT INTO transactions (user_id, kind, amount_minor, currency, category_id,"
                " note, occurred_on, source_chat_id, source_message_id, position, created_at)"
                " VALUES (1, 'expense', 100, 'USD', 13, 'tea', :d, 1, 9, 0, :t)"
            ),
            {"d": day, "t": now},
        )
    await migrate(engine)
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT kind, amount_minor, category_id, unsorted, source_message_id, note,"
                    " occurred_on FROM transactions ORDER BY source_message_id"
                )
            )
        ).all()
        found = await conn.execute(
            text("SELECT name, origin FROM categories WHERE kind = 'expense'")
        )
        origins = {name: origin for name, origin in found}
        tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    await engine.dispose()
    assert [(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows] == [
        ("expense", 7700, 10, True, 7),
        ("expense", 34000, 10, True, 8),
        ("expense", 100, 13, False, 9),
        ("income", 500000, 11, True, 10),
    ]
    assert {r[5] for r in rows if r[3]} == {"zorblax"}
    assert {str(r[6]) for r in rows} == {"2026-11-20"}
    assert origins == {"Other": "Other", "Essen": None, "Food": "Food"}
    assert "pending_entries" not in tables


async def test_migrations_build_exactly_the_declared_tables(database_url: str) -> None:
    """The head of the migrations and ``models/tables.py`` describe one schema, on both engines."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from models.tables import Base

    engine = create_engine(database_url)
    await migrate(engine)
    async with engine.connect() as conn:
        differences = await conn.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
        )
    await engine.dispose()
    assert differences == []
