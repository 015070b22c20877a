"""Buttons own their callback data: built, parsed and registered from one declaration."""

from __future__ import annotations

import re
from typing import Any

import pytest

import bot.app  # noqa: F401  (imports every handler module, so every button is declared)
from handlers.buttons import MAX_DATA_BYTES, Button, registered


def test_id_buttons_round_trip_and_refuse_forgeries() -> None:
    mine: list[Button] = []
    undo = Button("undo", ints=1, registry=mine)
    pick = Button("pk", ints=2, registry=mine)
    assert undo.data(1834) == "undo:1834"
    assert undo.parse("undo:1834") == ("1834",)
    assert pick.parse(pick.data(7, 12)) == ("7", "12")
    for forged in ["undo:", "undo:x", "undo:1:2", "undo:-1", "undo:" + "9" * 19, "pk:1", "", None]:
        assert (pick if forged and forged.startswith("pk") else undo).parse(forged) is None
    assert re.match(undo.pattern, "undo:1") and not re.match(undo.pattern, "undone:1")


def test_word_buttons_and_bare_buttons() -> None:
    mine: list[Button] = []
    currency = Button("cur", fields=(r"[A-Z]{3}",), registry=mine)
    bare = Button("ln", registry=mine)
    assert currency.parse(currency.data("EUR")) == ("EUR",)
    assert currency.parse("cur:eur") is None and currency.parse("cur:EURO") is None
    assert bare.data() == "ln" and bare.parse("ln") == () and bare.parse("ln:1") is None


def test_data_that_the_parser_would_refuse_is_never_built() -> None:
    mine: list[Button] = []
    word = Button("w", fields=(r"[a-z]+",), registry=mine)
    with pytest.raises(ValueError, match="not valid data"):
        word.data("UPPER")
    with pytest.raises(ValueError, match="not valid data"):
        word.data("a" * MAX_DATA_BYTES)  # over Telegram's 64 bytes


def test_a_prefix_is_declared_once_and_needs_a_handler() -> None:
    mine: list[Button] = []
    Button("dup", ints=1, registry=mine)
    with pytest.raises(ValueError, match="share the prefix"):
        Button("dup", ints=2, registry=mine)
    with pytest.raises(RuntimeError, match="without a handler: dup"):
        registered(mine)


async def test_a_malformed_press_is_answered_as_expired_without_running_the_handler() -> None:
    mine: list[Button] = []
    ran: list[tuple[int, ...]] = []
    answers: list[str] = []
    delete = Button("del", ints=1, registry=mine)

    @delete.handles
    async def on_delete(update: Any, context: Any, query: Any, ids: tuple[int, ...]) -> None:
        ran.append(ids)

    class Query:
        def __init__(self, data: str) -> None:
            self.data = data

        async def answer(self, text: str = "", show_alert: bool = False) -> None:
            answers.append(text)

    class FakeUpdate:
        def __init__(self, data: str) -> None:
            self.callback_query = Query(data)

    await on_delete(FakeUpdate("del:41"), None)  # type: ignore[arg-type]
    await on_delete(FakeUpdate("del:41; DROP TABLE"), None)  # type: ignore[arg-type]
    assert ran == [(41,)] and answers == ["That button has expired."]


def test_every_button_penny_declares_has_a_handler_and_its_own_prefix() -> None:
    patterns = [pattern for pattern, _ in registered()]
    assert len(patterns) == len(set(patterns)) >= 20
