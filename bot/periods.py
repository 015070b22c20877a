"""Calendar periods as half-open date ranges ``[start, end)``. Pure."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo


class Period(NamedTuple):
    """Days from ``start`` (included) to ``end`` (excluded)."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day < self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def local_now(now: datetime, timezone: str) -> datetime:
    """``now`` (aware) seen on the user's wall clock."""
    return now.astimezone(ZoneInfo(timezone))


def month_of(day: date) -> Period:
    """The calendar month containing ``day``."""
    start = day.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    return Period(start, end)


def month_label(period: Period) -> str:
    """``November 2026`` for a calendar month."""
    return period.start.strftime("%B %Y")


def relative_day(day: date, today: date) -> str:
    """``today``, ``yesterday`` or ``Mon 3 Nov`` (with the year when it differs)."""
    if day == today:
        return "today"
    if day == today - timedelta(days=1):
        return "yesterday"
    if day == today + timedelta(days=1):
        return "tomorrow"
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"
