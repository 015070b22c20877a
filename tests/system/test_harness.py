"""The harness's idea of "the bot is done": no update left in hand, not only a quiet server."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from models.services import entries
from tests.support.harness import Penny

ALICE = 1001


async def test_wait_idle_waits_for_a_handler_that_makes_no_call(
    penny: Penny, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = entries.record_text

    async def slow(**arguments: Any) -> Any:
        # What a handler waiting on a database lock looks like from the server: silence.
        await asyncio.sleep(1.0)
        return await original(**arguments)

    monkeypatch.setattr(entries, "record_text", slow)
    await penny.send(ALICE, "coffee 3")
    # penny.wait_idle(quiet=0.3) returns during the second of silence, before the save.
    await penny.wait_idle(quiet=0.3)
    assert await penny.count(ALICE) == 1
