"""Dashboard login links and sessions: the repository. Only SHA-256 hashes of tokens are stored.

Callers own the unit of work (no commits). A link is taken with one ``DELETE … RETURNING``, so
two processes (or two tabs) opening the same link at once let exactly one of them in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedules import as_utc
from models.tables import WebToken

LINK, SESSION = "link", "session"


async def add_token(
    *,
    session: AsyncSession,
    user_id: int,
    kind: str,
    token_hash: str,
    expires_at: datetime,
    now: datetime,
) -> None:
    """Store a new token's hash; expired tokens of anyone are pruned on the way."""
    await session.execute(delete(WebToken).where(WebToken.expires_at <= now))
    session.add(
        WebToken(
            token_hash=token_hash,
            user_id=user_id,
            kind=kind,
            expires_at=expires_at,
            created_at=now,
        )
    )
    await session.flush()


async def take_link(*, session: AsyncSession, token_hash: str, now: datetime) -> int | None:
    """The user a login link belongs to, deleting it so it can't be used again.

    None when it is unknown, already used or expired (an expired one is deleted too).
    """
    row = (
        await session.execute(
            delete(WebToken)
            .where(WebToken.token_hash == token_hash, WebToken.kind == LINK)
            .returning(WebToken.user_id, WebToken.expires_at)
        )
    ).first()
    if row is None:
        return None
    user_id, expires_at = row
    return int(user_id) if _aware(expires_at) > now else None


async def session_user(*, session: AsyncSession, token_hash: str, now: datetime) -> int | None:
    """The user a browser session belongs to, while it has not expired."""
    row = (
        await session.execute(
            select(WebToken.user_id, WebToken.expires_at).where(
                WebToken.token_hash == token_hash, WebToken.kind == SESSION
            )
        )
    ).first()
    if row is None or _aware(row[1]) <= now:
        return None
    return int(row[0])


async def drop_session(*, session: AsyncSession, token_hash: str) -> None:
    await session.execute(
        delete(WebToken).where(WebToken.token_hash == token_hash, WebToken.kind == SESSION)
    )


def _aware(value: datetime) -> datetime:
    return as_utc(value)  # SQLite hands back naive datetimes; everything stored is UTC
