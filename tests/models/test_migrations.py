"""Migrations upgrade real data on both engines, including rows older code wrote."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import text
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
