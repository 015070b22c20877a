"""Talking to the dashboard of a running Penny: login links, signed init data, a client."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp

from tests.support.harness import Penny
from web import initdata


async def login_link(penny: Penny, user_id: int) -> str:
    """What the "Open in a browser" button of /dashboard points at."""
    reply = await penny.say(user_id, "/dashboard")
    url = reply.button("Open in a browser").url
    assert url is not None and "#t=" in url, reply.describe()
    return url


def token_of(link: str) -> str:
    return link.split("#t=", 1)[1]


def init_data(penny: Penny, user_id: int, *, token: str | None = None, age: float = 0) -> str:
    """Init data as Telegram would sign it for ``user_id`` (with another bot's ``token``)."""
    auth_date = int(penny.clock.now.timestamp() - age)
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps({"id": user_id, "first_name": "Test"}, separators=(",", ":")),
        "auth_date": str(auth_date),
    }
    return initdata.sign(fields, token or penny.fake.token)


class Client:
    """An HTTP client of the dashboard, signed in with a browser session (cookie + CSRF)."""

    def __init__(self, base: str, http: aiohttp.ClientSession) -> None:
        self.base = base
        self.http = http
        self.csrf: str | None = None

    async def login(self, token: str) -> int:
        async with self.http.post(f"{self.base}/api/login", json={"token": token}) as response:
            if response.status == 200:
                self.csrf = (await response.json())["csrf"]
            return response.status

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {"X-CSRF-Token": self.csrf} if self.csrf else {}
        return {**headers, **(extra or {})}

    async def get(self, path: str, **kwargs: Any) -> tuple[int, Any]:
        async with self.http.get(f"{self.base}{path}", **kwargs) as response:
            return response.status, await _body(response)

    async def send(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        async with self.http.request(
            method, f"{self.base}{path}", json=body, headers=self._headers(headers)
        ) as response:
            return response.status, await _body(response)


async def _body(response: aiohttp.ClientResponse) -> Any:
    if response.content_type == "application/json":
        return await response.json()
    return await response.text()


@asynccontextmanager
async def client(penny: Penny) -> AsyncIterator[Client]:
    # unsafe: aiohttp keeps no cookies for an IP address (127.0.0.1) otherwise.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        yield Client(penny.dashboard_url, http)


@asynccontextmanager
async def signed_in(penny: Penny, user_id: int) -> AsyncIterator[Client]:
    async with client(penny) as dashboard:
        assert await dashboard.login(token_of(await login_link(penny, user_id))) == 200
        yield dashboard
