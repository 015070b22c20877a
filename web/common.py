"""One use case per request, for the caller's account, like ``handlers.common.call``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiohttp import web

from models.services.account import open_account
from models.users import Actor
from web.auth import Caller
from web.context import web_of

T = TypeVar("T")


async def call(
    request: web.Request,
    who: Caller,
    use_case: Callable[..., Awaitable[T]],
    /,
    **arguments: Any,
) -> T:
    """Run ``use_case(session=…, profile=…, now=…, **arguments)`` in one unit of work.

    The account is opened here (a Mini App user who never wrote to the bot gets one, as a
    first message would), with the same defaults the chat gives a new account.
    """
    site = web_of(request)
    now = site.clock()
    actor = Actor(who.user_id, site.config.default_currency, site.config.default_timezone)
    async with site.sessions.begin() as session:
        profile = await open_account(session=session, actor=actor, now=now)
        return await use_case(session=session, profile=profile, now=now, **arguments)
