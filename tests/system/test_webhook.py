"""Webhook mode: two Penny instances, each with its own HTTP server, sharing one PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.app import PennyApplication, build_application
from bot.config import Settings
from bot.offline.server import FakeTelegram
from bot.webhook import SECRET_HEADER, WebhookServer, url_path
from handlers.runtime import BOT_DATA_KEY
from models.tables import ProcessedUpdate, Transaction
from tests.conftest import Clock
from tests.support.harness import settings_for

ALICE = 1001
SECRET = "s3cret-token_for-tests"
PUBLIC_URL = "https://penny.example.com/telegram"


@asynccontextmanager
async def webhook_instance(
    fake: FakeTelegram, database_url: str, clock: Clock
) -> AsyncIterator[tuple[PennyApplication, str]]:
    """One Penny process's worth: the Application and its webhook server on 127.0.0.1."""
    settings = settings_for(
        fake, database_url, webhook_url=PUBLIC_URL, webhook_secret=SECRET, port=8443
    )
    app = build_application(settings, clock=clock)
    async with app:
        await app.start()
        server = WebhookServer(
            app, listen="127.0.0.1", port=0, path=url_path(PUBLIC_URL), secret=SECRET
        )
        await server.start()
        await app.bot.set_webhook(url=PUBLIC_URL, secret_token=SECRET)
        try:
            yield app, f"http://127.0.0.1:{server.port}{server.path}"
        finally:
            await server.stop()
            await app.stop()


@pytest.fixture
async def pg_url(pg_cluster: Any) -> str:
    url: str = await pg_cluster.create_database()
    return url


async def post(url: str, update: dict[str, Any], secret: str | None = SECRET) -> int:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    async with (
        aiohttp.ClientSession() as client,
        client.post(url, json=update, headers=headers) as response,
    ):
        return response.status


async def count(app: PennyApplication, table: Any) -> int:
    async with app.bot_data[BOT_DATA_KEY].sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def test_two_instances_handle_each_update_once(pg_url: str, clock: Clock) -> None:
    async with FakeTelegram() as fake, AsyncExitStack() as stack:
        first, first_url = await stack.enter_async_context(webhook_instance(fake, pg_url, clock))
        _, second_url = await stack.enter_async_context(webhook_instance(fake, pg_url, clock))
        assert first_url != second_url

        updates = []
        for n, text in enumerate(("coffee 4.50", "lunch 12", "+5000 salary")):
            message = await fake.send_text(ALICE, text)
            updates.append({"update_id": 5000 + n, "message": message})
        # Telegram re-delivers every update to both processes at once, and once more later.
        statuses = await asyncio.gather(
            *(post(url, update) for update in updates for url in (first_url, second_url))
        )
        assert set(statuses) == {200}
        for _ in updates:
            await fake.next_reply(ALICE)
        await post(second_url, updates[0])
        await fake.no_reply(ALICE, wait=0.5)

        assert await count(first, Transaction) == 3
        assert await count(first, ProcessedUpdate) == 3


async def test_two_edits_of_one_message_at_once_apply_one_after_the_other(
    pg_url: str, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from models import transactions

    read = transactions.entries_from_message

    async def slow_read(**arguments: Any) -> Any:
        # Both processes read the message's entries before either writes: the race, every time.
        found = await read(**arguments)
        await asyncio.sleep(0.3)
        return found

    async with FakeTelegram() as fake, AsyncExitStack() as stack:
        first, first_url = await stack.enter_async_context(webhook_instance(fake, pg_url, clock))
        _, second_url = await stack.enter_async_context(webhook_instance(fake, pg_url, clock))
        message = await fake.send_text(ALICE, "coffee 1, tea 2, cake 3")
        assert await post(first_url, {"update_id": 9000, "message": message}) == 200
        await fake.next_reply(ALICE)
        monkeypatch.setattr(transactions, "entries_from_message", slow_read)
        # Notes that are words of their own ("a" is an article: its note is empty).
        long_edit = await fake.edit_text(
            ALICE, message["message_id"], "ant 1, bee 2, cat 3, dog 4, elk 5"
        )
        short_edit = await fake.edit_text(ALICE, message["message_id"], "x 9")
        await asyncio.gather(
            post(first_url, {"update_id": 9001, "edited_message": long_edit}),
            post(second_url, {"update_id": 9002, "edited_message": short_edit}),
        )
        await fake.next_reply(ALICE, timeout=10)
        await fake.next_reply(ALICE, timeout=10)
        async with first.bot_data[BOT_DATA_KEY].sessions() as session:
            notes = list(
                await session.scalars(
                    select(Transaction.note)
                    .where(Transaction.user_id == ALICE)
                    .order_by(Transaction.position)
                )
            )
        # Whichever came second wins whole; never a mix of the two.
        assert notes in (["ant", "bee", "cat", "dog", "elk"], ["x"]), notes


async def test_wrong_or_missing_secret_is_rejected(pg_url: str, clock: Clock) -> None:
    async with FakeTelegram() as fake, webhook_instance(fake, pg_url, clock) as (app, url):
        message = await fake.send_text(ALICE, "coffee 4.50")
        update = {"update_id": 1, "message": message}
        assert await post(url, update, secret="wrong-secret-value-000") == 403
        assert await post(url, update, secret=None) == 403
        async with (
            aiohttp.ClientSession() as client,
            client.post(url, data=b"not json", headers={SECRET_HEADER: SECRET}) as response,
        ):
            assert response.status == 400
        await fake.no_reply(ALICE)
        assert await count(app, Transaction) == 0
        assert await post(url, update) == 200
        await fake.next_reply(ALICE)
        assert await count(app, Transaction) == 1


async def test_unreadable_update_is_skipped_not_answered_sorry(
    pg_url: str, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    async with FakeTelegram() as fake, webhook_instance(fake, pg_url, clock) as (_, url):
        fake.register_user(ALICE)
        press = {"id": "5", "chat_instance": "1", "data": "undo:1"}  # a press without "from"
        assert await post(url, {"update_id": 7, "callback_query": press}) == 200
        assert await post(url, {"update_id": 8, "message": {"text": "x"}}) == 200
        await fake.no_reply(ALICE)
        assert not [c for c in fake.calls if c.method == "answerCallbackQuery"]
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert len([r for r in caplog.records if r.name == "bot.polling"]) == 2


def test_webhook_settings_are_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="WEBHOOK_SECRET is required"):
        Settings(_env_file=None, webhook_url=PUBLIC_URL)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="16-256 characters"):
        Settings(_env_file=None, webhook_url=PUBLIC_URL, webhook_secret="short")  # type: ignore[call-arg,arg-type]
    with pytest.raises(ValueError, match="public address"):
        Settings(_env_file=None, webhook_url="penny.example.com", webhook_secret=SECRET)  # type: ignore[call-arg,arg-type]
    # Telegram posts only to HTTPS, and only to these ports: anything else fails setWebhook.
    with pytest.raises(ValueError, match="https://"):
        Settings(_env_file=None, webhook_url="http://penny.example.com/t", webhook_secret=SECRET)  # type: ignore[call-arg,arg-type]
    with pytest.raises(ValueError, match="443"):
        Settings(
            _env_file=None, webhook_url="https://penny.example.com:8080/t", webhook_secret=SECRET
        )  # type: ignore[call-arg,arg-type]
    assert (
        Settings(
            _env_file=None, webhook_url="https://penny.example.com:8443/t", webhook_secret=SECRET
        ).port
        == 8080
    )  # type: ignore[call-arg,arg-type]
    with pytest.raises(ValueError):
        Settings(_env_file=None, port=70000)  # type: ignore[call-arg]
    # Empty values in the environment (as `.env.example` leaves them) mean "not set".
    monkeypatch.setenv("WEBHOOK_URL", "")
    monkeypatch.setenv("WEBHOOK_SECRET", "")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.webhook_url is None and settings.port == 8080
    assert url_path(PUBLIC_URL) == "/telegram" and url_path("https://x.example") == "/"


async def test_the_dashboard_serves_in_webhook_mode(pg_url: str, clock: Clock) -> None:
    """Each webhook process serves the dashboard too; a link one issues opens on another."""
    async with FakeTelegram() as fake, AsyncExitStack() as stack:
        first, first_url = await stack.enter_async_context(webhook_instance(fake, pg_url, clock))
        second, _ = await stack.enter_async_context(webhook_instance(fake, pg_url, clock))
        for n, text in enumerate(("coffee 4.50", "/dashboard")):
            message = await fake.send_text(ALICE, text)
            assert await post(first_url, {"update_id": 7000 + n, "message": message}) == 200
        await fake.next_reply(ALICE)
        link = (await fake.next_reply(ALICE)).button("Open in a browser").url or ""
        assert link.startswith(first.bot_data[BOT_DATA_KEY].dashboard_url + "/login#t=")
        other = f"http://127.0.0.1:{second._dashboard.port}"  # type: ignore[union-attr]
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            token = link.split("#t=", 1)[1]
            async with http.post(f"{other}/api/login", json={"token": token}) as response:
                assert response.status == 200
            async with http.get(f"{other}/api/summary") as response:
                assert (await response.json())["expenses"] == "4.50"


async def press_via(fake: FakeTelegram, url: str, message_id: int, data: str) -> None:
    """Alice taps a button; Telegram delivers that press to the process behind ``url``."""
    query_id = await fake.press(ALICE, message_id, data)
    [update] = [u for u in fake.world.updates if u.get("callback_query", {}).get("id") == query_id]
    assert await post(url, update) == 200


async def test_a_press_is_shown_even_after_another_process_edited_the_message(
    pg_url: str, clock: Clock
) -> None:
    # Each process remembers what it made its recent messages show (to skip a double tap's
    # repeat edit); another process's edit must not leave that memory trusted.
    async with FakeTelegram() as fake, AsyncExitStack() as stack:
        _, first = await stack.enter_async_context(webhook_instance(fake, pg_url, clock))
        _, second = await stack.enter_async_context(webhook_instance(fake, pg_url, clock))
        message = await fake.send_text(ALICE, "coffee 4.50")
        assert await post(first, {"update_id": 7000, "message": message}) == 200
        receipt = await fake.next_reply(ALICE)
        change = receipt.button("Change category").callback_data
        assert change is not None

        await press_via(fake, first, receipt.message_id, change)
        menu = await fake.next_reply(ALICE)
        back = menu.button("Back").callback_data
        assert back is not None
        await press_via(fake, second, receipt.message_id, back)
        assert any(
            "Change category" in b.text for b in (await fake.next_reply(ALICE)).all_buttons()
        )

        await press_via(fake, first, receipt.message_id, change)
        shown = await fake.next_reply(ALICE, timeout=2.0)
        assert any("Back" in b.text for b in shown.all_buttons())
