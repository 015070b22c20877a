"""Shared fixtures: real databases (SQLite file, throwaway PostgreSQL) and the bot over HTTP."""

from __future__ import annotations

import os
import subprocess
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.offline.messages import ApiCall
from bot.offline.server import FakeTelegram
from bot.offline.spec import SpecMissing, find_spec
from tests.support.conformance import SERVER_TESTS, TALLY, refusals_by_penny
from tests.support.pg import Cluster, find_bindir

BACKENDS = ("sqlite", "postgresql")


def _unavailable(reason: str) -> None:
    # On a developer machine without PostgreSQL the tests skip visibly; in CI that is a failure.
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} — CI must run every test on PostgreSQL too", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    bindir = find_bindir()
    if bindir is None:
        _unavailable("PostgreSQL is not installed (no initdb found)")
    assert bindir is not None
    cluster = Cluster(bindir)
    try:
        cluster.start()
    except (subprocess.CalledProcessError, OSError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        _unavailable(f"could not start a throwaway PostgreSQL cluster: {detail.strip()[:300]}")
    yield cluster
    cluster.stop()


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """A fresh, empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path}/penny.db"
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return await cluster.create_database()


@pytest.fixture(autouse=True)
def conformance(request: pytest.FixtureRequest) -> Iterator[list[ApiCall]]:
    """Every call any Bot API server answers during the test; Telegram's refusals fail it."""
    seen: list[ApiCall] = []
    FakeTelegram.observers.append(seen.append)
    yield seen
    FakeTelegram.observers.remove(seen.append)
    test = request.node.nodeid
    TALLY.add(test, seen)
    refused = refusals_by_penny(seen)
    if refused and not test.startswith(SERVER_TESTS):
        pytest.fail(
            "Telegram would refuse these calls Penny made:\n  " + "\n  ".join(refused),
            pytrace=False,
        )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print how many calls the run made against the validating server, and what it refused."""
    if not TALLY.calls:
        return
    try:
        spec = find_spec()
    except SpecMissing:
        spec = None
    TALLY.spec_version = spec.version if spec else None
    terminalreporter.section("Bot API conformance")
    for line in TALLY.summary():
        terminalreporter.write_line(line)


class Clock:
    """A settable UTC clock injected into the bot, so tests never read the wall clock."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))


@pytest.fixture
async def penny(database_url: str, clock: Clock) -> AsyncIterator[object]:
    """The real bot, polling the embedded fake Bot API server over HTTP, on a real database."""
    from tests.support.harness import running_penny

    async with running_penny(database_url, clock) as harness:
        yield harness
