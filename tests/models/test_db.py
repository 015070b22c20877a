"""The engine: transactions that read before they write never fail for SQLite's write lock.

SQLite has one writer. A deferred transaction that reads first holds a snapshot; when another
connection commits in between, its later write can't proceed and fails with "database is
locked" at once, whatever the busy timeout. Penny takes the write lock when a transaction begins
(``BEGIN IMMEDIATE``) and lets one transaction at a time use the file in the process.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, insert, select

from models import db
from models.db import create_engine, make_sessionmaker, migrate
from models.tables import User

NOW = datetime(2026, 11, 23, tzinfo=UTC)


async def read_then_write(sessions: object, user_id: int) -> None:
    async with sessions.begin() as session:  # type: ignore[attr-defined]
        # The read pins this transaction's snapshot; the pause lets the others commit meanwhile.
        await session.scalar(select(func.count()).select_from(User))
        await asyncio.sleep(0.02)
        await session.execute(
            insert(User).values(id=user_id, currency="USD", timezone="UTC", created_at=NOW)
        )


async def test_concurrent_read_then_write_transactions_all_commit(database_url: str) -> None:
    engine = create_engine(database_url)
    await migrate(engine)
    sessions = make_sessionmaker(engine)
    try:
        await asyncio.gather(*(read_then_write(sessions, n) for n in range(1, 21)))
        async with sessions() as session:
            assert await session.scalar(select(func.count()).select_from(User)) == 20
    finally:
        await engine.dispose()


async def write_and_hold(sessions: object, user_id: int) -> None:
    async with sessions.begin() as session:  # type: ignore[attr-defined]
        await session.execute(
            insert(User).values(id=user_id, currency="USD", timezone="UTC", created_at=NOW)
        )
        await asyncio.sleep(0.03)  # a slow update: the lock stays taken meanwhile


async def test_writers_in_one_process_queue_instead_of_timing_out(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Twenty updates that each hold the write lock for 30 ms need 600 ms in all. Waiting in
    # SQLite's busy handler (here cut to 100 ms) would fail the later ones with "database is
    # locked"; waiting in the process's own queue for the connection, none fails.
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 100)
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/busy.db")
    await migrate(engine)
    sessions = make_sessionmaker(engine)
    try:
        await asyncio.gather(*(write_and_hold(sessions, n) for n in range(1, 21)))
        async with sessions() as session:
            assert await session.scalar(select(func.count()).select_from(User)) == 20
    finally:
        await engine.dispose()


async def test_two_engines_on_one_file_wait_for_each_other(tmp_path: object) -> None:
    # Like two processes on one SQLite file (a second bot, `penny backup`): the busy timeout
    # makes one wait for the other's write lock instead of failing.
    url = f"sqlite+aiosqlite:///{tmp_path}/shared.db"
    first, second = create_engine(url), create_engine(url)
    await migrate(first)
    try:
        await asyncio.gather(
            *(
                read_then_write(make_sessionmaker(engine), n)
                for n, engine in enumerate([first, second] * 5, start=1)
            )
        )
        async with make_sessionmaker(first)() as session:
            assert await session.scalar(select(func.count()).select_from(User)) == 10
    finally:
        await first.dispose()
        await second.dispose()
