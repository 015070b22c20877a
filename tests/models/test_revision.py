"""users.revision changes with everything logging reads about a user, whoever writes it."""

# ruff: noqa: E501 - one SQL statement per line reads best as a table

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from models.db import create_engine, make_sessionmaker, migrate
from models.users import Actor, ensure_user

NOW = datetime(2026, 11, 23, tzinfo=UTC)

CHANGES = [
    ("currency", "UPDATE users SET currency = 'EUR' WHERE id = 1"),
    ("timezone", "UPDATE users SET timezone = 'Asia/Tokyo' WHERE id = 1"),
    ("month start", "UPDATE users SET month_start_day = 25 WHERE id = 1"),
    ("asked for a limit", "UPDATE users SET awaiting_limit_budget_id = 7 WHERE id = 1"),
    ("tapped a category", "UPDATE users SET awaiting_category_id = 7 WHERE id = 1"),
    ("blocked", "UPDATE users SET blocked = true WHERE id = 1"),
    ("category added", "INSERT INTO categories (user_id, kind, name, position) VALUES (1, 'expense', 'Pets', 99)"),
    ("category renamed", "UPDATE categories SET name = 'Animals' WHERE user_id = 1 AND name = 'Pets'"),
    ("rule taught", "INSERT INTO category_rules (user_id, keyword, category_id) SELECT 1, 'kibble', id FROM categories WHERE name = 'Animals'"),
    ("rule changed", "UPDATE category_rules SET keyword = 'food' WHERE user_id = 1"),
    ("rule forgotten", "DELETE FROM category_rules WHERE user_id = 1"),
    ("budget set", "INSERT INTO budgets (user_id, scope, amount_minor, currency, frequency, rollover, created_on) VALUES (1, 'all', 100, 'USD', 'monthly', false, '2026-11-01')"),
    ("budget removed", "DELETE FROM budgets WHERE user_id = 1"),
    ("category removed", "DELETE FROM categories WHERE user_id = 1 AND name = 'Animals'"),
]  # fmt: skip
UNCHANGED = [
    ("quiet hours", "UPDATE users SET quiet_start = 60 WHERE id = 1"),
    ("another user's category", "INSERT INTO categories (user_id, kind, name, position) VALUES (2, 'expense', 'X', 1)"),
    ("the same value again", "UPDATE users SET currency = currency WHERE id = 1"),
]  # fmt: skip


async def test_every_change_logging_reads_bumps_the_revision(database_url: str) -> None:
    engine = create_engine(database_url)
    await migrate(engine)
    sessions = make_sessionmaker(engine)
    async with sessions.begin() as session:
        for user in (1, 2):
            await ensure_user(session=session, actor=Actor(user, "USD", "UTC"), now=NOW)

    async def revision() -> int:
        async with engine.connect() as conn:
            return int(await conn.scalar(text("SELECT revision FROM users WHERE id = 1")) or 0)

    try:
        for name, statement in CHANGES:
            before = await revision()
            async with engine.begin() as conn:
                await conn.execute(text(statement))
            assert await revision() != before, name
        for name, statement in UNCHANGED:
            before = await revision()
            async with engine.begin() as conn:
                await conn.execute(text(statement))
            if name == "the same value again" and engine.dialect.name == "sqlite":
                continue  # SQLite's trigger fires on the SET itself: a harmless extra bump
            assert await revision() == before, name
    finally:
        await engine.dispose()
