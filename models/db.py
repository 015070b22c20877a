"""Engine, sessions and migrations. The database is chosen by DATABASE_URL alone."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from asyncpg import exceptions as pg_errors
from sqlalchemy import event
from sqlalchemy import exc as db_errors
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")

# Writers wait this long for SQLite's lock instead of failing with "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 10_000


def insert_ignoring_conflicts(session: AsyncSession, model: Any) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING`` for the session's database (SQLite or PostgreSQL).

    Call ``.values(...).on_conflict_do_nothing()`` on the result; a unique key then decides
    races between processes instead of a lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)


# Errors that mean the database can't be reached right now, not a bug in Penny.
_OUTAGES: tuple[type[BaseException], ...] = (
    db_errors.OperationalError,
    db_errors.InterfaceError,
    db_errors.DisconnectionError,
    db_errors.TimeoutError,  # no pooled connection came free in time
    ConnectionError,  # refused or reset by the database server
    TimeoutError,
    pg_errors.PostgresConnectionError,
    pg_errors.OperatorInterventionError,  # the server is shutting down or starting up
    pg_errors.InsufficientResourcesError,  # too many connections, disk full
    pg_errors.InterfaceError,
)


def is_unreachable(error: BaseException) -> bool:
    """True when this one exception (not its causes) says the database can't be reached."""
    if isinstance(error, _OUTAGES):
        return True
    if isinstance(error, db_errors.DBAPIError) and error.connection_invalidated:
        return True
    # asyncio's "Multiple exceptions: ... Connect call failed" when connecting
    return isinstance(error, OSError) and "connect call failed" in str(error).lower()


def create_engine(url: str, *, pool_size: int = 5) -> AsyncEngine:
    """An async engine; SQLite gets WAL, a busy timeout and enforced foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True, pool_recycle=1800
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded values readable after commit (one session per update)."""
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema to the newest migration; safe to run on every start."""

    def upgrade(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    async with engine.begin() as conn:
        await conn.run_sync(upgrade)
    logger.info("database schema is up to date")


def migrate_url(url: str) -> None:
    """Run migrations for a URL from synchronous code (the `alembic` CLI path)."""

    async def run() -> None:
        engine = create_engine(url)
        try:
            await migrate(engine)
        finally:
            await engine.dispose()

    asyncio.run(run())
