"""Use cases for /compare: opting in and out, and the medians (only with enough people).

Opting in means two things, said on the button: your category shares count toward the
medians, and you can see them. Nobody sees anyone's figures; below
``bot.core.compare.MINIMUM_PEOPLE`` people with spending in your currency nothing is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.compare import MINIMUM_PEOPLE, Comparison, TooFew, compare
from bot.core.periods import Period, local_now
from models import community
from models.users import Profile

WINDOW_DAYS = 30


@dataclass(frozen=True, slots=True)
class NotOptedIn:
    pass


@dataclass(frozen=True, slots=True)
class Compared:
    currency: str
    days: int
    result: Comparison | TooFew
    minimum: int = MINIMUM_PEOPLE


async def compare_shares(
    *, session: AsyncSession, profile: Profile, now: datetime, join: bool | None = None
) -> Compared | NotOptedIn:
    """The comparison for someone who opted in; ``join`` opts in (True) or out (False) first."""
    if join is True:
        await community.opt_in(session=session, user_id=profile.user_id, now=now)
    elif join is False:
        await community.opt_out(session=session, user_id=profile.user_id)
        return NotOptedIn()
    if not await community.is_opted_in(session=session, user_id=profile.user_id):
        return NotOptedIn()
    currency = profile.currency
    if await community.opted_in_count(session=session, currency=currency) < MINIMUM_PEOPLE:
        # Don't even read the others' totals when they could never be shown.
        return Compared(currency, WINDOW_DAYS, TooFew())
    today = local_now(now, profile.timezone).date()
    period = Period(today - timedelta(days=WINDOW_DAYS - 1), today + timedelta(days=1))
    people = await community.category_totals(session=session, currency=currency, period=period)
    mine = people.get(profile.user_id, {})
    return Compared(currency, WINDOW_DAYS, compare(mine, list(people.values())))
