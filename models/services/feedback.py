"""Use cases for a voice back to the makers: /feedback, the rating offer, and its answers.

The rating is offered at most once in :data:`RATING_EVERY` (half a year after an answer), only
with a month-end report, only to someone who has used Penny on a few days, and never while they
are logging; one tap dismisses it and another switches it off for good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from models import feedback as repo
from models import habits as habit_repo
from models.services.results import STALE, Rejected, Stale
from models.users import Profile

# Long enough to say what is wrong; the forwarded copy stays well under Telegram's 4,096.
TEXT_LIMIT: Final = 2000
# Per user per day; more than this is someone stuck, not someone with more ideas.
DAILY_LIMIT: Final = 5
RATING_EVERY: Final = timedelta(days=30)
# Someone who answered has said their piece: not again for half a year.
RATING_AFTER_ANSWER: Final = timedelta(days=180)
# Someone who logged this recently may still be typing: no rating offer now.
BUSY_FOR: Final = timedelta(minutes=15)
# Logging days before the rating is offered: a first-week user has no opinion to give yet.
RATING_AFTER_DAYS: Final = 5


@dataclass(frozen=True, slots=True)
class FeedbackSaved:
    id: int


async def send_feedback(
    *, session: AsyncSession, profile: Profile, now: datetime, text: str
) -> FeedbackSaved | Rejected:
    """Store a note for the makers; the handler forwards it to the operator's chat."""
    text = text.strip()
    if len(text) > TEXT_LIMIT:
        return Rejected(f"That's over {TEXT_LIMIT:,} characters — could you shorten it?")
    recent = await repo.sent_since(
        session=session, user_id=profile.user_id, since=now - timedelta(days=1)
    )
    if recent >= DAILY_LIMIT:
        return Rejected(f"That's {DAILY_LIMIT} notes today already — send more tomorrow, please.")
    return FeedbackSaved(
        await repo.add_feedback(session=session, user_id=profile.user_id, now=now, text=text)
    )


# --- the rating offer ---


async def offer_rating(*, session: AsyncSession, user_id: int, now: datetime) -> bool:
    """Whether the month-end report composed now may carry the rating; records the offer."""
    prefs = await repo.rating_prefs(session=session, user_id=user_id)
    if prefs.off:
        return False
    if prefs.offered_at is not None:
        answered = await repo.rated_since(session=session, user_id=user_id, since=prefs.offered_at)
        if now - prefs.offered_at < (RATING_AFTER_ANSWER if answered else RATING_EVERY):
            return False
    last = await repo.last_activity(session=session, user_id=user_id)
    if last is not None and now - last < BUSY_FOR:
        return False
    if await habit_repo.day_count(session=session, user_id=user_id) < RATING_AFTER_DAYS:
        return False
    await repo.set_rating_prefs(session=session, user_id=user_id, offered_at=now)
    return True


@dataclass(frozen=True, slots=True)
class Rated:
    stars: int


async def rate(
    *, session: AsyncSession, profile: Profile, now: datetime, stars: int
) -> Rated | Stale:
    """A tap on the offered rating: kept once per offer; an old or forged tap is ``STALE``."""
    prefs = await repo.rating_prefs(session=session, user_id=profile.user_id)
    offered = prefs.offered_at
    if not 1 <= stars <= 5 or offered is None or now - offered > RATING_EVERY:
        return STALE
    if await repo.rated_since(session=session, user_id=profile.user_id, since=offered):
        return STALE
    await repo.add_feedback(session=session, user_id=profile.user_id, now=now, stars=stars)
    return Rated(stars)


async def rating_off(*, session: AsyncSession, profile: Profile, now: datetime) -> None:
    """ "Don't ask again": the rating is never offered to this user again."""
    await repo.set_rating_prefs(session=session, user_id=profile.user_id, off=True)


# --- the operator's side (no profile: the operator's chat is not an account) ---


@dataclass(frozen=True, slots=True)
class Answer:
    feedback_id: int
    user_id: int


async def answer_feedback(
    *, session: AsyncSession, now: datetime, feedback_id: int, text: str
) -> Answer | Stale:
    """Record the operator's answer; the handler delivers it to the user."""
    found = await repo.get_feedback(session=session, feedback_id=feedback_id)
    if found is None:
        return STALE
    await repo.save_answer(session=session, feedback_id=feedback_id, answer=text, now=now)
    return Answer(found.id, found.user_id)
