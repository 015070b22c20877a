"""Use cases for getting into the dashboard: the one-time login link and the browser session.

``/dashboard`` issues a link (valid ten minutes, once); opening it trades the link for a session
(the browser keeps its token in an HttpOnly cookie). Only SHA-256 hashes of both secrets are
stored, in the database, so any process can check them and a copy of the table opens nothing.

Exchanging a link and checking a session come before anyone is known, so those two take no
``profile``; they answer the user id or ``STALE``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from models import web_tokens
from models.services.results import STALE, Stale
from models.users import Profile

LINK_LIFETIME = timedelta(minutes=10)
SESSION_LIFETIME = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Secret:
    """A token to hand out once (in a link or a cookie) and when it stops working."""

    token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class WebLogin:
    user_id: int
    session: Secret


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_secret(now: datetime, lifetime: timedelta) -> Secret:
    return Secret(secrets.token_urlsafe(32), now + lifetime)


async def issue_link(*, session: AsyncSession, profile: Profile, now: datetime) -> Secret:
    """A fresh one-time login link token for the user."""
    link = _new_secret(now, LINK_LIFETIME)
    await web_tokens.add_token(
        session=session,
        user_id=profile.user_id,
        kind=web_tokens.LINK,
        token_hash=token_hash(link.token),
        expires_at=link.expires_at,
        now=now,
    )
    return link


async def open_link(*, session: AsyncSession, now: datetime, token: str) -> WebLogin | Stale:
    """Trade a login link for a browser session; ``STALE`` when used, expired or unknown."""
    user_id = await web_tokens.take_link(session=session, token_hash=token_hash(token), now=now)
    if user_id is None:
        return STALE
    browser = _new_secret(now, SESSION_LIFETIME)
    await web_tokens.add_token(
        session=session,
        user_id=user_id,
        kind=web_tokens.SESSION,
        token_hash=token_hash(browser.token),
        expires_at=browser.expires_at,
        now=now,
    )
    return WebLogin(user_id, browser)


async def session_owner(*, session: AsyncSession, now: datetime, token: str) -> int | Stale:
    """Whose browser session this is; ``STALE`` once it expired, ended or was erased."""
    user_id = await web_tokens.session_user(session=session, token_hash=token_hash(token), now=now)
    return STALE if user_id is None else user_id


async def end_session(*, session: AsyncSession, now: datetime, token: str) -> None:
    """Log the browser out: its cookie opens nothing any more."""
    await web_tokens.drop_session(session=session, token_hash=token_hash(token))
