"""Calendar periods as half-open date ranges ``[start, end)``. Pure."""

from __future__ import annotations

import re
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
    """``November 2026`` for a calendar month, ``25 Oct – 24 Nov 2026`` for a shifted one."""
    if period.start.day == 1:
        return period.start.strftime("%B %Y")
    last = period.end - timedelta(days=1)
    return f"{period.start.day} {period.start:%b} – {last.day} {last:%b %Y}"


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


def month_period(day: date, start_day: int = 1) -> Period:
    """The month containing ``day`` when months start on ``start_day`` (1–28), e.g. payday."""
    if start_day <= 1:
        return month_of(day)
    anchor = day if day.day >= start_day else month_of(day).start - timedelta(days=1)
    start = anchor.replace(day=start_day)
    end = month_of(start).end.replace(day=start_day)
    return Period(start, end)


def week_period(day: date) -> Period:
    """The Monday-to-Sunday week containing ``day``."""
    start = day - timedelta(days=day.weekday())
    return Period(start, start + timedelta(days=7))


# --- period words: what /report and /chart accept, and short keys for buttons ---

MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        date(2000, number, 1).strftime("%B").lower(),
        date(2000, number, 1).strftime("%b").lower(),
    )
}
MONTHS["sept"] = 9

# Longest range a user can ask for; beyond this a chart or report stops being readable.
MAX_RANGE_DAYS = 5 * 366


def year_of(day: date) -> Period:
    return Period(date(day.year, 1, 1), date(day.year + 1, 1, 1))


def shift_months(day: date, months: int) -> date:
    """The first of the month ``months`` after (negative: before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_back(today: date, count: int) -> Period:
    """The calendar month ``count`` months before today's (0 is this month)."""
    return month_of(shift_months(today, -count))


def previous(period: Period, start_day: int = 1) -> Period:
    """The period just before: the previous month (starting on ``start_day``) or year for whole
    ones, else as many days (so a week gives the week before)."""
    if period == month_period(period.start, start_day):
        return month_period(period.start - timedelta(days=1), start_day)
    if _is_month(period):
        return month_of(period.start - timedelta(days=1))
    if _is_year(period):
        return Period(period.start.replace(year=period.start.year - 1), period.start)
    return Period(period.start - timedelta(days=period.days), period.start)


def following(period: Period) -> Period:
    """The period just after, the mirror of ``previous``."""
    if _is_month(period):
        return Period(period.end, _add_months(period.end, 1))
    if _is_year(period):
        return Period(period.end, period.end.replace(year=period.end.year + 1))
    return Period(period.end, period.end + timedelta(days=period.days))


def _is_month(period: Period) -> bool:
    """A calendar month, or a month starting on another day (``month_period``)."""
    return period.start.day <= 28 and period.end == _add_months(period.start, 1)


def _add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later; only for days 1–28, which every month has."""
    return shift_months(day, months).replace(day=day.day)


def _is_year(period: Period) -> bool:
    return period.start.month == 1 and period.start.day == 1 and year_of(period.start) == period


def label(period: Period) -> str:
    """``November 2026``, ``2026``, ``Dec 2025 – Nov 2026``, ``23 Nov 2026`` or a range of days."""
    if _is_month(period):
        return month_label(period)
    if _is_year(period):
        return str(period.start.year)
    last = period.end - timedelta(days=1)
    if period.start.day == 1 and period.end.day == 1:  # whole months
        return f"{period.start:%b %Y} – {last:%b %Y}"
    if period.days == 1:
        return f"{last.day} {last:%b} {last.year}"
    first = f"{period.start.day} {period.start:%b}"
    if period.start.year != last.year:
        first += f" {period.start.year}"
    return f"{first} – {last.day} {last:%b} {last.year}"


def parse_period(text: str, today: date, month_start: int = 1) -> Period | None:
    """A period from words, relative to ``today``; None when the text isn't one.

    Accepts ``today``, ``yesterday``, ``week``/``this week``/``last week``, ``month``/``this
    month``/``last month``, ``year``/``this year``/``last year``, a month name (the most recent
    one not in the future, or ``march 2025``), ``2026-10``, ``2026``, a day (``2026-10-05``,
    ``5 oct``), ``last 7 days``/``past 2 weeks``/``last 3 months`` and a range of days
    (``1 oct - 15 oct``, ``2026-10-01..2026-10-15``), inclusive of both ends as people say them.
    """
    try:
        period = _parse_period(text, today, month_start)
    except (OverflowError, ValueError):  # 9999-12-31 + 1 day, and the like
        return None
    if period is None or not (period.start.year >= MIN_YEAR and period.end.year <= MAX_YEAR):
        return None
    return period


# Periods outside these years are typos; they also keep date arithmetic away from its limits.
MIN_YEAR, MAX_YEAR = 1900, 2200


def _parse_period(text: str, today: date, month_start: int) -> Period | None:
    words = " ".join(text.lower().replace("–", "-").replace("—", "-").split())
    words = words.removeprefix("this ").strip()
    if not words:
        return None
    fixed = _relative_period(words, today, month_start)
    if fixed is not None:
        return fixed
    for separator in ("..", " - ", " to ", "-"):
        if separator in words:
            first, _, second = words.partition(separator)
            start = _parse_day(first.strip(), today, default_year=None)
            if start is None:
                continue
            end = _parse_day(second.strip(), today, default_year=start.year)
            if end is None:
                continue
            # "15 dec - 5 jan" runs into the next year; an end with its own year stays put.
            if end < start and not re.search(r"\d{4}", second):
                end = end.replace(year=end.year + 1) if (end.month, end.day) != (2, 29) else end
            if end < start or (end - start).days >= MAX_RANGE_DAYS:
                return None
            return Period(start, end + timedelta(days=1))
    month = _parse_month(words, today)
    if month is not None:
        return month
    day = _parse_day(words, today, default_year=None)
    return Period(day, day + timedelta(days=1)) if day is not None else None


def _relative_period(words: str, today: date, month_start: int) -> Period | None:
    one_day = timedelta(days=1)
    this_month = month_period(today, month_start)
    match words:
        case "today" | "day":
            return Period(today, today + one_day)
        case "yesterday":
            return Period(today - one_day, today)
        case "week":
            return week_period(today)
        case "last week":
            return previous(week_period(today))
        case "month":
            return this_month
        case "last month":
            return previous(this_month, month_start)
        case "year":
            return year_of(today)
        case "last year":
            return previous(year_of(today))
    return _last_n(words, today)


_LAST_N = re.compile(r"(?:last|past) (\d{1,3}) (day|week|month)s?")


def _last_n(words: str, today: date) -> Period | None:
    """``last 7 days`` (today and the six before), ``past 2 weeks``, ``last 3 months`` (this
    month and the two before, whole)."""
    match = _LAST_N.fullmatch(words)
    if match is None or int(match[1]) == 0:
        return None
    count, unit = int(match[1]), match[2]
    if count * (31 if unit == "month" else 7 if unit == "week" else 1) >= MAX_RANGE_DAYS:
        return None
    end = today + timedelta(days=1)
    if unit == "month":
        return Period(shift_months(today, 1 - count), shift_months(today, 1))
    days = count * (7 if unit == "week" else 1)
    return Period(end - timedelta(days=days), end)


def _parse_month(words: str, today: date) -> Period | None:
    parts = words.split()
    if len(parts) == 1 and _is_iso_month(parts[0]):
        year, month = int(parts[0][:4]), int(parts[0][5:])
        return month_of(date(year, month, 1)) if 1 <= month <= 12 and year >= 1900 else None
    if len(parts) == 1 and parts[0].isdigit() and len(parts[0]) == 4:
        year = int(parts[0])
        return year_of(date(year, 1, 1)) if year >= 1900 else None
    if parts and parts[0] in MONTHS and len(parts) <= 2:
        month = MONTHS[parts[0]]
        if len(parts) == 2:
            if not (parts[1].isdigit() and len(parts[1]) == 4 and int(parts[1]) >= 1900):
                return None
            return month_of(date(int(parts[1]), month, 1))
        year = today.year if month <= today.month else today.year - 1
        return month_of(date(year, month, 1))
    return None


def _is_iso_month(word: str) -> bool:
    return len(word) == 7 and word[4] == "-" and word[:4].isdigit() and word[5:].isdigit()


def _parse_day(words: str, today: date, *, default_year: int | None) -> date | None:
    """``2026-10-05``, ``5 oct``, ``oct 5``, ``5 october 2026``; None otherwise.

    Without a year: ``default_year`` when given (the end of a range takes the start's year),
    else the most recent such day not in the future.
    """
    try:
        if len(words) == 10 and words[4] == "-" and words[7] == "-":
            return date.fromisoformat(words)
    except ValueError:
        return None
    parts = words.replace(",", " ").split()
    if len(parts) not in (2, 3):
        return None
    if parts[0].isdigit():
        day_text, month_text = parts[0], parts[1]
    else:
        month_text, day_text = parts[0], parts[1]
    month = MONTHS.get(month_text)
    if month is None or not day_text.isdigit() or len(day_text) > 2:
        return None
    year_text = parts[2] if len(parts) == 3 else None
    try:
        if year_text is not None:
            if not (year_text.isdigit() and len(year_text) == 4):
                return None
            return date(int(year_text), month, int(day_text))
        if default_year is not None:
            return date(default_year, month, int(day_text))
        found = date(today.year, month, int(day_text))
        return found if found <= today else date(today.year - 1, month, int(day_text))
    except ValueError:
        return None


def period_key(period: Period, today: date, month_start: int = 1) -> str:
    """A short key for callback data: ``d0``, ``w1``, ``m0``, ``y2`` or ``r20261001-20261015``.

    Relative keys (``m1`` = last month) stay short and mean the same on every press.
    """
    for prefix, current in _current(today, month_start).items():
        if period.days != current.days and prefix in "dw":
            continue
        candidate = current
        for back in range(0, 100):
            if candidate == period:
                return f"{prefix}{back}"
            if candidate.start < period.start:
                break
            candidate = (
                previous(candidate, month_start) if prefix in "my" else _back_days(candidate)
            )
    last = period.end - timedelta(days=1)
    return f"r{period.start:%Y%m%d}-{last:%Y%m%d}"


def period_from_key(key: str, today: date, month_start: int = 1) -> Period | None:
    """The period a key from ``period_key`` names; None for a malformed or forged key."""
    if len(key) >= 2 and key[0] in "dwmy" and key[1:].isdigit() and len(key) <= 3:
        back = int(key[1:])
        period = _current(today, month_start)[key[0]]
        for _ in range(back):
            period = previous(period, month_start) if key[0] in "my" else _back_days(period)
        return period
    if len(key) == 18 and key[0] == "r" and key[9] == "-":
        try:
            start = datetime.strptime(key[1:9], "%Y%m%d").date()
            last = datetime.strptime(key[10:], "%Y%m%d").date()
        except ValueError:
            return None
        if last < start or (last - start).days >= MAX_RANGE_DAYS:
            return None
        return Period(start, last + timedelta(days=1))
    return None


def _current(today: date, month_start: int) -> dict[str, Period]:
    """The day, week, month (from ``month_start``) and year containing today, by key prefix."""
    return {
        "d": _day_of(today),
        "w": week_period(today),
        "m": month_period(today, month_start),
        "y": year_of(today),
    }


def _day_of(day: date) -> Period:
    return Period(day, day + timedelta(days=1))


def _back_days(period: Period) -> Period:
    return Period(period.start - timedelta(days=period.days), period.start)
