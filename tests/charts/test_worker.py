"""The chart worker process: a hung worker is timed out and replaced, nobody waits behind a
picture, and the worker never outlives the bot."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.core.chartdata import CategoryChart
from charts import worker
from handlers.charts import TOO_SLOW
from tests.conftest import Clock
from tests.support.harness import Penny, running_penny

ALICE, BOB = 1001, 2002
ROOT = Path(__file__).resolve().parents[2]


def hang(data: Any) -> bytes:
    """A renderer stuck for good (runs in the worker process, imported from this module)."""
    time.sleep(3600)
    return b""


@pytest.fixture
async def penny(tmp_path: Path, clock: Clock) -> AsyncIterator[Penny]:
    async with running_penny(
        f"sqlite+aiosqlite:///{tmp_path}/penny.db", clock, rate_limit=False, flood_burst=0
    ) as harness:
        yield harness


def gone_soon(pid: int, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) is gone for our purpose.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


async def test_a_hung_worker_times_out_politely_and_is_replaced(
    penny: Penny, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "Saved" in (await penny.say(ALICE, "coffee 3")).text
    await worker.warm_up()
    assert worker._pool is not None
    [hung_pid] = list(worker._pool._processes)  # type: ignore[attr-defined]
    monkeypatch.setattr(worker, "RENDER_TIMEOUT_S", 2.0)
    monkeypatch.setitem(worker.RENDERERS, CategoryChart, hang)
    worker._cache.clear()

    await penny.send(ALICE, "/chart")
    # Nobody waits behind the picture: not another user, and not Alice herself.
    started = time.monotonic()
    assert "Saved" in (await penny.say(BOB, "coffee 3")).text
    assert "Saved" in (await penny.say(ALICE, "lunch 5")).text
    waited = time.monotonic() - started
    print(f"two messages answered {waited * 1000:.0f} ms after a chart hung")
    assert waited < 1.5
    # Asking again while it draws gets a word, not a second stuck render.
    assert "Still drawing" in (await penny.say(ALICE, "/chart")).text
    assert (await penny.fake.next_reply(ALICE, timeout=10)).text == TOO_SLOW
    assert gone_soon(hung_pid)

    monkeypatch.setitem(worker.RENDERERS, CategoryChart, worker.render_categories)
    monkeypatch.setattr(worker, "RENDER_TIMEOUT_S", 60.0)  # a new worker starts up first
    photo = await penny.say(ALICE, "/chart")
    assert photo.photo is not None  # drawn by a fresh worker
    assert worker._pool is not None and hung_pid not in worker._pool._processes  # type: ignore[attr-defined]


async def test_a_chart_button_on_a_hung_worker_gets_an_answer(
    penny: Penny, monkeypatch: pytest.MonkeyPatch
) -> None:
    await penny.say(ALICE, "coffee 3")
    chart = await penny.say(ALICE, "/chart")
    assert chart.photo is not None
    monkeypatch.setattr(worker, "RENDER_TIMEOUT_S", 1.0)
    monkeypatch.setitem(worker.RENDERERS, CategoryChart, hang)
    worker._cache.clear()
    query_id = await penny.fake.press(ALICE, chart.message_id, "ch:cat:y0")
    answer = await penny.fake.wait_for_call(
        lambda c: (
            c.method == "answerCallbackQuery" and c.params.get("callback_query_id") == query_id
        ),
        timeout=15,
    )
    assert answer.params.get("text") == TOO_SLOW


def test_the_worker_dies_with_its_parent(tmp_path: Path) -> None:
    # A bot killed with SIGKILL runs no cleanup; its worker must not live on as an orphan.
    script = textwrap.dedent(
        """
        import asyncio, sys
        from charts import worker

        async def main():
            await worker.warm_up()
            print(*worker._pool._processes, flush=True)
            await asyncio.sleep(3600)

        if __name__ == "__main__":
            asyncio.run(main())
        """
    )
    path = tmp_path / "bot_like.py"
    path.write_text(script)
    bot = subprocess.Popen(
        [sys.executable, str(path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert bot.stdout is not None
        [worker_pid] = [int(pid) for pid in bot.stdout.readline().split()]
        assert alive(worker_pid)
        bot.send_signal(signal.SIGKILL)
        bot.wait(timeout=10)
        assert gone_soon(worker_pid, 10), "the chart worker outlived the bot"
    finally:
        bot.kill()
