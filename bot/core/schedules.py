"""When scheduled messages and recurring transactions are due. Pure; time zones via zoneinfo.

Every function takes the current instant (``after``, aware) and returns aware UTC datetimes, so
the scheduler and the tests share one clock and DST is handled by the user's zone rules.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.errors import UserMistake

# Recurring transactions are posted in the morning of their day, user time.
RECURRING_AT = time(9, 0)


@dataclass(frozen=True, slots=True)
class Quiet:
    """Hours in which nothing is sent, e.g. 22:00–08:00 (may wrap midnight)."""

    start: time
    end: time

    def contains(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


def at_local(day: date, moment: time, zone: str) -> datetime:
    """``day`` at wall-clock ``moment`` in ``zone``, as UTC.

    A wall time skipped by a DST jump resolves to the same instant an hour later on the clock,
    so a reminder never silently disappears on the change day.
    """
    tz = ZoneInfo(zone)
    local = datetime.combine(day, moment, tzinfo=tz)
    return local.astimezone(UTC)


def next_daily(
    after: datetime,
    zone: str,
    moment: time,
    *,
    weekday: int | None = None,
    quiet: Quiet | None = None,
) -> datetime:
    """The first time strictly after ``after`` that is ``moment`` on the user's clock.

    ``weekday`` (0 = Monday) keeps only that day of the week; quiet hours push a time that falls
    inside them to their end.
    """
    tz = ZoneInfo(zone)
    local_today = after.astimezone(tz).date()
    effective = quiet.end if quiet is not None and quiet.contains(moment) else moment
    for offset in range(0, 15):
        day = local_today + timedelta(days=offset)
        if weekday is not None and day.weekday() != weekday:
            continue
        candidate = at_local(day, effective, zone)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable: a matching day exists within two weeks")


def clamp_day(year: int, month: int, day: int) -> date:
    """``day`` of that month, or its last day when the month is shorter (31st → 30 Nov)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def next_occurrence(frequency: str, day: int, month: int | None, after: date) -> date:
    """The first date strictly after ``after`` on which a recurring transaction falls.

    weekly: ``day`` is the weekday (0 = Monday); monthly: day of month (clamped);
    yearly: ``month``/``day`` (29 Feb → 28 Feb in other years).
    """
    if frequency == "weekly":
        return after + timedelta(days=(day - after.weekday() - 1) % 7 + 1)
    if frequency == "monthly":
        candidate = clamp_day(after.year, after.month, day)
        if candidate > after:
            return candidate
        year, mon = (after.year + 1, 1) if after.month == 12 else (after.year, after.month + 1)
        return clamp_day(year, mon, day)
    if frequency == "yearly":
        assert month is not None
        candidate = clamp_day(after.year, month, day)
        return candidate if candidate > after else clamp_day(after.year + 1, month, day)
    raise ValueError(f"unknown frequency {frequency!r}")


def first_occurrence(frequency: str, day: int, month: int | None, today: date) -> date:
    """The first date on or after ``today``."""
    return next_occurrence(frequency, day, month, today - timedelta(days=1))


@dataclass(frozen=True, slots=True)
class KindDefaults:
    enabled: bool
    at_minute: int
    every_days: int
    weekday: int | None


# What each scheduled message does by default: the nudge and weekly summary are on, the daily
# digest is opt-in, the month-end report arrives the morning a new period starts.
SCHEDULE_KINDS: dict[str, KindDefaults] = {
    "nudge": KindDefaults(True, 20 * 60, 2, None),
    "digest": KindDefaults(False, 21 * 60, 1, None),
    "weekly": KindDefaults(True, 19 * 60, 7, 6),
    "monthly": KindDefaults(True, 9 * 60, 0, None),
}

# After downtime a message this late is skipped rather than sent out of its moment.
MAX_LATENESS = {
    "nudge": timedelta(hours=2),
    "digest": timedelta(hours=2),
    "weekly": timedelta(hours=12),
    "monthly": timedelta(days=1),
}


def minute_time(minute: int) -> time:
    return time(minute // 60 % 24, minute % 60)


def next_run(
    kind: str,
    *,
    after: datetime,
    zone: str,
    at_minute: int,
    weekday: int | None = None,
    month_start_day: int = 1,
    quiet: Quiet | None = None,
) -> datetime:
    """When a scheduled message of ``kind`` is next due, strictly after ``after`` (UTC)."""
    moment = minute_time(at_minute)
    if kind == "weekly":
        return next_daily(
            after, zone, moment, weekday=6 if weekday is None else weekday, quiet=quiet
        )
    if kind == "monthly":
        local_day = after.astimezone(ZoneInfo(zone)).date()
        effective = quiet.end if quiet is not None and quiet.contains(moment) else moment
        day = clamp_day(local_day.year, local_day.month, month_start_day)
        while True:
            candidate = at_local(day, effective, zone)
            if candidate > after:
                return candidate
            year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
            day = clamp_day(year, month, month_start_day)
    return next_daily(after, zone, moment, quiet=quiet)


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; SQLite hands back naive UTC values."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


RECURRING_USAGE = (
    "Usage: /recurring add WHAT AMOUNT [weekly|monthly|yearly] [on DAY] (monthly if not said)\n"
    "e.g. /recurring add rent 15000 monthly on 1 · /recurring add gym 30 weekly on monday"
)


class RecurringUsage(UserMistake):
    """The /recurring add arguments fit no form; the message is the usage text."""


@dataclass(frozen=True, slots=True)
class RecurringSpec:
    entry_text: str
    frequency: str
    day: int
    month: int | None


def _ordinal(word: str) -> int | None:
    digits = word.lower().removesuffix("st").removesuffix("nd").removesuffix("rd")
    digits = digits.removesuffix("th")
    return int(digits) if digits.isdigit() and 1 <= int(digits) <= 31 else None


def parse_recurring(words: list[str], today: date) -> RecurringSpec:
    """Read ``rent 15000 monthly on 1``; the day defaults to today's (weekday, date), and
    without a frequency it is monthly (``gym 800``, ``gym 800 on 5``)."""
    lowered = [w.lower() for w in words]
    found = [i for i, w in enumerate(lowered) if w in {"weekly", "monthly", "yearly", "annually"}]
    if found and found[0] > 0:
        at, skip = found[0], 1
        frequency = "yearly" if lowered[at] == "annually" else lowered[at]
    elif not found and words:
        at = lowered.index("on") if "on" in lowered else len(words)
        frequency, skip = "monthly", 0
    else:
        raise RecurringUsage(RECURRING_USAGE)
    if at == 0:
        raise RecurringUsage(RECURRING_USAGE)
    entry_text = " ".join(words[:at])
    rest = [w for w in lowered[at + skip :] if w not in {"on", "the", "every", "of"}]
    if frequency == "weekly":
        day: int | None = today.weekday()
        if rest:
            day = next((i for i, n in enumerate(WEEKDAYS) if n.startswith(rest[0][:3])), None)
        if day is None or len(rest) > 1:
            raise RecurringUsage(RECURRING_USAGE)
        return RecurringSpec(entry_text, frequency, day, None)
    if frequency == "monthly":
        day = _ordinal(rest[0]) if rest else today.day
        if day is None or len(rest) > 1:
            raise RecurringUsage(RECURRING_USAGE)
        return RecurringSpec(entry_text, frequency, day, None)
    if not rest:
        return RecurringSpec(entry_text, frequency, today.day, today.month)
    numbers = [_ordinal(w) for w in rest]
    months = [next((i + 1 for i, m in enumerate(MONTHS) if w.startswith(m)), None) for w in rest]
    day = next((n for n in numbers if n is not None), None)
    month = next((m for m in months if m is not None), None)
    if day is None or month is None or len(rest) != 2:
        raise RecurringUsage(RECURRING_USAGE)
    return RecurringSpec(entry_text, frequency, day, month)


# --- /remind typed arguments ---

REMIND_KINDS = {
    "nudge": "nudge",
    "digest": "digest",
    "daily": "digest",
    "weekly": "weekly",
    "week": "weekly",
    "monthly": "monthly",
    "month": "monthly",
}


class RemindUsage(UserMistake):
    """The /remind arguments fit no form."""

    message = (
        "Usage: /remind digest 21:30 (its time), /remind weekly off (or on), "
        "/remind quiet 23:00-07:00 (or off), /remind nudge 3 days, /remind help"
    )


@dataclass(frozen=True, slots=True)
class RemindCommand:
    """What typed ``/remind`` words ask: ``show``, ``help``, ``set`` a kind, or ``quiet``."""

    action: str
    kind: str | None = None
    at_minute: int | None = None
    enabled: bool | None = None
    every_days: int | None = None
    quiet: tuple[int, int] | None = None  # quiet hours to set (minutes after midnight)


def parse_clock(text: str) -> int | None:
    """``21:30``, ``21.30``, ``9``, ``9pm``, ``9:15am`` as minutes after midnight; else None."""
    word = text.strip().lower().replace(".", ":")
    suffix = word[-2:] if word[-2:] in {"am", "pm"} else ""
    word = word.removesuffix(suffix).strip()
    hours, _, minutes = word.partition(":")
    if (
        not hours.isdigit()
        or len(hours) > 2
        or (minutes and not (minutes.isdigit() and len(minutes) == 2))
    ):
        return None
    hour, minute = int(hours), int(minutes or 0)
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return hour * 60 + minute


def parse_remind_args(words: list[str]) -> RemindCommand:
    """Read ``/remind`` arguments; raises RemindUsage when they fit no form."""
    words = [w.lower() for w in " ".join(words).replace("–", "-").split()]
    if not words:
        return RemindCommand("show")
    if words in (["help"], ["?"]):
        return RemindCommand("help")
    head, rest = words[0], words[1:]
    if head == "quiet":
        return _quiet_command(rest)
    kind = REMIND_KINDS.get(head)
    if kind is None or not rest:
        raise RemindUsage()
    if rest in (["on"], ["off"]):
        return RemindCommand("set", kind, enabled=rest == ["on"])
    if kind == "nudge" and rest[0].isdigit() and rest[1:] in ([], ["days"], ["day"]):
        days = int(rest[0])
        if not 1 <= days <= 30:
            raise RemindUsage()
        return RemindCommand("set", kind, every_days=days, enabled=True)
    minute = parse_clock(" ".join(rest).removeprefix("at ")) if len(rest) <= 2 else None
    if minute is None:
        raise RemindUsage()
    return RemindCommand("set", kind, at_minute=minute, enabled=True)


def _quiet_command(rest: list[str]) -> RemindCommand:
    if rest in (["off"], ["on"]):
        return RemindCommand("quiet", enabled=rest == ["on"])
    text = " ".join(rest).replace(" to ", "-").replace(" ", "-")
    first, _, second = text.partition("-")
    start, end = parse_clock(first), parse_clock(second)
    if start is None or end is None or start == end:
        raise RemindUsage()
    return RemindCommand("quiet", enabled=True, quiet=(start, end))
