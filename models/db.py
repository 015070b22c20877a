"""Engine, sessions and migrations. The database is chosen by DATABASE_URL alone."""

from __future__ import annotations

import asyncio
import logging
import os
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

# Another process's writer (a second bot, `penny backup`) is waited for this long before
# "database is locked"; writers in this process queue for the connection instead (see below).
SQLITE_BUSY_TIMEOUT_MS = 10_000
# How long an update waits for the process's one SQLite connection before giving up.
SQLITE_QUEUE_TIMEOUT_S = 30


class DatabaseFileGone(Exception):
    """The SQLite file was deleted or replaced under the running bot: writes would vanish."""


class DatabaseFileError(Exception):
    """The SQLite files can't be used as they are (permissions); said at start."""


# SQLite's wal-index (the -shm file) grows in regions of this size and never shrinks while a
# connection has it mapped.
SHM_REGION = 32 * 1024


class SqliteFiles:
    """Watches the SQLite files of one engine between transactions.

    SQLite doesn't notice its file being deleted: the open descriptor keeps writing into the
    unlinked file, every entry confirmed and then lost at the next start. And a -shm file
    truncated under it kills the process with SIGBUS the next time SQLite touches its mapping
    (even to close it), with no log line. Both are checked before each transaction begins.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.shm = path.with_name(path.name + "-shm")
        self.identity: tuple[int, int] | None = None
        self.shm_size = 0
        self.gone = False

    def check_usable(self) -> None:
        """At start: refuse files this process can't read and write, with the fix to make."""
        for file in (self.path, self.path.with_name(self.path.name + "-wal"), self.shm):
            if file.exists() and not os.access(file, os.R_OK | os.W_OK):
                raise DatabaseFileError(
                    f"Penny can't read and write {file}; give the user running Penny write "
                    "access to it (and its folder), then start again."
                )

    def opened(self) -> None:
        found = self.path.stat()
        self.identity = (found.st_dev, found.st_ino)
        # SQLite creates and maps the -shm file at the connection's first transaction.
        self.shm_size = 0

    def check(self) -> None:
        if self.gone:
            raise DatabaseFileGone(f"the database file {self.path} was deleted or replaced")
        try:
            found = self.path.stat()
        except FileNotFoundError:
            found = None
        if found is None or (found.st_dev, found.st_ino) != self.identity:
            self.gone = True
            logger.critical(
                "the database file %s was deleted or replaced while Penny ran; nothing more is "
                "saved or confirmed. Put the file back (or restore a backup) and restart Penny.",
                self.path,
            )
            raise DatabaseFileGone(f"the database file {self.path} was deleted or replaced")
        try:
            size = self.shm.stat().st_size
        except FileNotFoundError:
            size = -1
        if self.shm_size and size < self.shm_size:
            # SQLite can't be touched again, not even to close: stop here, saying why. A new
            # start recreates the file and recovers everything committed.
            logger.critical(
                "the SQLite file %s was truncated or removed while Penny ran; SQLite would "
                "crash the process (SIGBUS) the next time it used it. Stopping now: start Penny "
                "again, nothing committed is lost.",
                self.shm,
            )
            logging.shutdown()
            os._exit(70)  # EX_SOFTWARE
        self.shm_size = max(self.shm_size, size)


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
    DatabaseFileGone,
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


def create_engine(url: str, *, pool_size: int = 5, foreign_keys: bool = True) -> AsyncEngine:
    """An async engine; SQLite gets WAL, a busy timeout, write-locking transactions and
    enforced foreign keys (``foreign_keys=False`` only for migrations that rebuild tables)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        files = None
        if parsed.database and parsed.database != ":memory:":
            path = Path(parsed.database).expanduser().absolute()
            path.parent.mkdir(parents=True, exist_ok=True)
            files = SqliteFiles(path)
            files.check_usable()
        # SQLite has one writer. Writers of this process take turns on one connection, in
        # order, in the pool's queue: waiting in SQLite's busy handler instead polls with
        # growing sleeps, and under load a writer could lose every poll to newcomers until
        # its timeout ran out ("database is locked", the update answered "can't save").
        engine = create_async_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_size=1,
            max_overflow=0,
            pool_timeout=SQLITE_QUEUE_TIMEOUT_S,
            # Errors are logged with their statement; its parameters are notes and amounts.
            hide_parameters=True,
        )
        event.listen(
            engine.sync_engine, "connect", _sqlite_connect(foreign_keys=foreign_keys, files=files)
        )
        event.listen(engine.sync_engine, "begin", _sqlite_begin(files))
        return engine
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_recycle=1800,
        hide_parameters=True,  # see above: no notes or amounts in error logs
    )


def _sqlite_connect(*, foreign_keys: bool, files: SqliteFiles | None) -> Any:
    def connect(dbapi_connection: Any, _record: Any) -> None:
        # SQLAlchemy's documented recipe for SQLite transactions: the driver emits no BEGIN
        # of its own (its legacy mode starts one only before a write) and _sqlite_begin does.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        if files is not None:
            files.opened()

    return connect


def _sqlite_begin(files: SqliteFiles | None) -> Any:
    def begin(connection: Connection) -> None:
        if files is not None:
            files.check()
        # Take the write lock when the transaction begins. A deferred transaction that reads
        # first and writes later can't wait for the lock: if another connection (another
        # process) committed in between, its write fails with "database is locked" at once,
        # whatever the busy timeout. IMMEDIATE waits (busy timeout) at BEGIN, where it's safe.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return begin


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

    if engine.dialect.name != "sqlite":
        async with engine.begin() as conn:
            await conn.run_sync(upgrade)
        logger.info("database schema is up to date")
        return
    # SQLite rebuilds a table to change it (batch mode), and dropping the old copy with foreign
    # keys on would cascade into the rows that refer to it: migrate on a connection without
    # them, in one transaction, then check that every reference still holds.
    unchecked = create_engine(engine.url.render_as_string(hide_password=False), foreign_keys=False)
    try:
        async with unchecked.begin() as conn:
            await conn.run_sync(upgrade)
            broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
            if broken:
                raise RuntimeError(f"migration left {len(broken)} broken references: {broken[:3]}")
    finally:
        await unchecked.dispose()
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
