"""Who is asking: Telegram's signed init data, or the browser session a login link started.

Inside Telegram the page sends ``Authorization: tma <initData>`` (checked in ``initdata``); in
a browser it has the ``penny_session`` cookie. A cookie rides along on any request the browser
makes, so every write with it must also carry ``X-CSRF-Token``, a value only the page can know
(derived from the session, handed to the page by ``/api/session``), and come from our origin.
The init data header is never added by a browser on its own, so it needs neither.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp import web

from models.services import logins
from models.services.results import Stale
from web import initdata
from web.context import Web, web_of

logger = logging.getLogger(__name__)

COOKIE = "penny_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class Caller:
    user_id: int
    session_token: str | None  # the browser's session; None inside Telegram


def csrf_token(session_token: str) -> str:
    """The write token for one browser session: unguessable without the HttpOnly cookie."""
    return hmac.new(session_token.encode(), b"penny-csrf", hashlib.sha256).hexdigest()


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin(request: web.Request, site: Web) -> bool:
    """True unless the browser says the request comes from another site."""
    origin = request.headers.get("Origin")
    if origin is None:
        # Browsers send Origin on every cross-site write; a request without it is not one.
        return request.headers.get("Sec-Fetch-Site", "same-origin") in {"same-origin", "none"}
    allowed = {origin_of(site.config.base_url), f"{request.scheme}://{request.host}".lower()}
    return origin.lower() in allowed


def unauthorized(reason: str) -> web.HTTPUnauthorized:
    return web.HTTPUnauthorized(
        text=json.dumps({"error": reason}),
        content_type="application/json",
        headers={"WWW-Authenticate": "tma"},
    )


async def caller(request: web.Request, *, write: bool = False) -> Caller:
    """The user behind the request; 401 without valid credentials, 403 for a forged write."""
    site = web_of(request)
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "tma":
            raise unauthorized("unsupported authorization")
        try:
            checked = initdata.check(value.strip(), site.config.bot_token, now=site.clock())
        except initdata.InvalidInitData as exc:
            logger.info("dashboard refused Telegram init data: %s", exc)
            raise unauthorized("invalid init data") from None
        return Caller(checked.user_id, None)
    token = request.cookies.get(COOKIE, "")
    if not token or len(token) > 200:
        raise unauthorized("not signed in")
    async with site.sessions.begin() as session:
        owner = await logins.session_owner(session=session, now=site.clock(), token=token)
    if isinstance(owner, Stale):
        raise unauthorized("session expired")
    if write and request.method not in SAFE_METHODS:
        given = request.headers.get(CSRF_HEADER, "")
        if not same_origin(request, site) or not hmac.compare_digest(
            given.encode(), csrf_token(token).encode()
        ):
            logger.warning("dashboard refused a write without a valid CSRF token")
            raise web.HTTPForbidden(
                text='{"error": "missing or wrong CSRF token"}', content_type="application/json"
            )
    return Caller(owner, token)


def set_session_cookie(response: web.StreamResponse, site: Web, token: str, max_age: int) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="Strict",
        # Over HTTPS the cookie never travels in clear; plain http is only for this machine.
        secure=site.config.base_url.startswith("https://"),
    )


def clear_session_cookie(response: web.StreamResponse) -> None:
    response.del_cookie(COOKIE, path="/")
