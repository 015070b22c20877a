"""Use cases for the account itself: opening it, currency, time zone, settings, balance, erasing.

Every use case takes the session keyword-only and the caller's ``Profile``; the caller (a handler,
a web route) opens the account once per request with :func:`open_account`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.money import is_currency
from bot.core.periods import local_now, month_label, month_period
from models import recurring, schedules
from models import transactions as tx
from models.erase import erase_user
from models.households import anonymise
from models.services.households import MemberSpending, MyShare, my_shares, spending_by_member
from models.services.results import STALE, Stale
from models.users import (
    Actor,
    Profile,
    arm_erase,
    disarm_erase,
    ensure_user,
    quiet_hours,
    set_currency,
    set_timezone,
    update_user,
)

# Quiet hours when the user switches them on: 22:00–08:00, in minutes after midnight.
DEFAULT_QUIET = (22 * 60, 8 * 60)


async def open_account(*, session: AsyncSession, actor: Actor, now: datetime) -> Profile:
    """The user's profile, opening the account (categories, schedules) on first contact."""
    return await ensure_user(session=session, actor=actor, now=now)


async def change_currency(
    *, session: AsyncSession, profile: Profile, now: datetime, code: str
) -> Profile | Stale:
    """Set the user's currency; ``STALE`` when the code isn't an ISO 4217 currency."""
    if not code.isalpha() or len(code) != 3 or not is_currency(code):
        return STALE
    await set_currency(session=session, user_id=profile.user_id, currency=code.upper())
    return Profile(profile.user_id, code.upper(), profile.timezone)


async def change_timezone(
    *, session: AsyncSession, profile: Profile, now: datetime, name: str
) -> Profile | Stale:
    """Set the user's time zone (scheduled messages follow it); ``STALE`` for an unknown zone."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a path
        return STALE
    await set_timezone(session=session, user_id=profile.user_id, timezone=name)
    await schedules.reschedule_user(session=session, user_id=profile.user_id, now=now)
    await recurring.follow_timezone(session=session, user_id=profile.user_id, zone=name)
    return Profile(profile.user_id, profile.currency, name)


@dataclass(frozen=True)
class UserSettings:
    """What /settings shows: the month start day and quiet hours (minutes after midnight)."""

    profile: Profile
    quiet: tuple[int, int] | None


async def user_settings(*, session: AsyncSession, profile: Profile, now: datetime) -> UserSettings:
    return UserSettings(profile, await quiet_hours(session=session, user_id=profile.user_id))


async def set_month_start(
    *, session: AsyncSession, profile: Profile, now: datetime, day: int
) -> UserSettings | Stale:
    """Start every monthly period on ``day`` (1–28); ``STALE`` when out of range."""
    if not 1 <= day <= 28:
        return STALE
    await update_user(session=session, user_id=profile.user_id, month_start_day=day)
    await schedules.reschedule_user(session=session, user_id=profile.user_id, now=now)
    return await user_settings(
        session=session, profile=replace(profile, month_start_day=day), now=now
    )


async def toggle_quiet(*, session: AsyncSession, profile: Profile, now: datetime) -> UserSettings:
    """Switch quiet hours (22:00–08:00) on or off; schedules move out of them."""
    current = await quiet_hours(session=session, user_id=profile.user_id)
    start, end = (None, None) if current else DEFAULT_QUIET
    await update_user(session=session, user_id=profile.user_id, quiet_start=start, quiet_end=end)
    await schedules.reschedule_user(session=session, user_id=profile.user_id, now=now)
    return await user_settings(session=session, profile=profile, now=now)


@dataclass(frozen=True)
class Balance:
    month: str
    # currency -> (income, expenses), the user's own currency first
    this_month: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    all_time_net: dict[str, Decimal] = field(default_factory=dict)
    # In a private chat: the person's share in each household they belong to (only theirs).
    households: list[MyShare] = field(default_factory=list)
    # In a group: who paid this month's expenses, per currency.
    by_member: dict[str, list[MemberSpending]] = field(default_factory=dict)


async def balance(*, session: AsyncSession, profile: Profile, now: datetime) -> Balance:
    """This month's income and expenses, and the all-time net, per currency.

    A group's adds who paid what; a person's adds their share in each of their households.
    """
    period = month_period(local_now(now, profile.timezone).date(), profile.month_start_day)
    month = await tx.totals_by_currency(session=session, user_id=profile.user_id, period=period)
    ever = await tx.totals_by_currency(session=session, user_id=profile.user_id, period=None)
    zero = Decimal(0)
    currencies = sorted(
        {cur for cur, _ in ever} | {profile.currency}, key=lambda c: (c != profile.currency, c)
    )
    if profile.shared:
        by_member = await spending_by_member(session=session, profile=profile, now=now)
        households = []
    else:
        by_member = {}
        households = await my_shares(session=session, person_id=profile.user_id, now=now)
    return Balance(
        households=households,
        by_member=by_member,
        month=month_label(period),
        this_month={
            cur: (month.get((cur, "income"), zero), month.get((cur, "expense"), zero))
            for cur in currencies
            if cur == profile.currency or (cur, "income") in month or (cur, "expense") in month
        },
        all_time_net={
            cur: ever.get((cur, "income"), zero) - ever.get((cur, "expense"), zero)
            for cur in currencies
        },
    )


@dataclass(frozen=True)
class Erased:
    """How many rows of each table went."""

    counts: dict[str, int]

    @property
    def transactions(self) -> int:
        return self.counts.get("transactions", 0)


# How long a /deleteme prompt's button stays armed.
ERASE_PROMPT_TTL = timedelta(minutes=10)


async def ask_erase(*, session: AsyncSession, profile: Profile, now: datetime) -> int:
    """Arm a new /deleteme prompt; its buttons carry the returned number."""
    nonce = secrets.randbelow(10**18)
    await arm_erase(session=session, user_id=profile.user_id, nonce=nonce, now=now)
    return nonce


async def answer_erase(
    *, session: AsyncSession, profile: Profile, now: datetime, nonce: int, erase: bool
) -> Erased | Stale | None:
    """The user's tap on a /deleteme prompt: erase everything (``Erased``), or keep it (None).

    A prompt works once, for ``ERASE_PROMPT_TTL``, and only the last one shown: ``STALE``
    for any other (cancelled, used, expired, replaced, or from an account since erased).
    """
    if not await disarm_erase(
        session=session, user_id=profile.user_id, nonce=nonce, asked_since=now - ERASE_PROMPT_TTL
    ):
        return STALE
    if not erase:
        return None
    return await erase_account(session=session, profile=profile, now=now)


async def erase_account(*, session: AsyncSession, profile: Profile, now: datetime) -> Erased:
    """Erase every row that belongs to the account; writing again starts a fresh one.

    A person's entries in shared ledgers are not theirs alone: they stay, paid by "a former
    member", so the household's figures and debts still add up. A group's erase takes its whole
    ledger, every member's entries with it.
    """
    counts = await erase_user(session=session, user_id=profile.user_id)
    if not profile.shared:
        counts["memberships"] = await anonymise(session=session, person_id=profile.user_id, now=now)
    return Erased(counts)
