"""Dates in what people type: "yesterday", "last friday", "3 nov", "15/11", "2 days ago".

Regexes from :mod:`lexicon` catch the usual phrases cheaply; only a leftover that still looks
like a date ("3rd of last month", "in june") goes to dateparser, which is slow to load (so
``warm_up`` loads it at start) and slow to ask. Dates are relative to the user's ``today``; a
day and month without a year is the latest such day not after today.
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from bot.core.parsing import lexicon
from bot.core.parsing.amounts import Amount
from bot.core.parsing.tokens import Tok, blank

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

logger = logging.getLogger(__name__)


def take_dates(text: str, today: date, month_first: bool) -> tuple[date | None, str, str]:
    """(the date the first date phrase names, ``text`` with date phrases blanked, unread phrase).

    Only the cheap regexes; ``fallback_date`` asks dateparser about what they leave.
    ``month_first`` reads 3/4 as March 4th (the user's default currency is USD). A phrase
    shaped like a date that names no day ("31 feb", "the 32nd") is blanked too, and returned
    as the unread phrase so the user hears of it.
    """
    occurred_on: date | None = None
    unread = ""
    for m in lexicon.DATE_RE.finditer(text):  # over the text as it came; blanking keeps offsets
        start, end = m.start(), m.end()
        if m.group("dm_m") and not m.group("dm_y"):
            # "books 30 nov 3": the number after the month is the day, the one before the price
            day = lexicon.DAY_AFTER_RE.match(text, end)
            if day is not None:
                month = lexicon.MONTHS[m.group("dm_m").lower()[:3]]
                found = _day_month(today, month, int(day[1]), _int(day[2]))
                start, end = m.start("dm_m"), day.end()
                if found is not None:
                    occurred_on = occurred_on or found
                    text = blank(text, start, end)
                    continue
                start, end = m.start(), m.end()
        found = _date_from_match(m, today, month_first)
        if found is None:
            if _names_a_day(m):
                unread = unread or " ".join(m.group().split())
                text = blank(text, start, end)
            continue
        occurred_on = occurred_on or found  # "on friday the 20th": the first date wins
        text = blank(text, start, end)
    return occurred_on, text, unread


def _names_a_day(m: re.Match[str]) -> bool:
    """A match meant as a date though it names none: "31 feb", "the 32nd", "2026-02-30"."""
    day = m.group("dm_d") or m.group("md_d") or m.group("ord") or m.group("ord2")
    if day is not None:
        return 1 <= int(day) <= 32
    return m.group("iso_y") is not None


def blank_times(text: str) -> str:
    """``text`` with times of day ("5pm", "10:30", "7 o'clock", "5 hrs") blanked out."""
    # A cheap test before the regex: every time it knows holds ":" or one of these letters
    # (am, pm, a.m., o'clock, hrs), in either case.
    if lexicon.TIME_HINT_RE.search(text):
        for m in lexicon.TIME_RE.finditer(text):
            text = blank(text, m.start(), m.end())
    return text


def drop_times_of_day(amounts: list[Amount], toks: Sequence[Tok]) -> list[Amount]:
    """``amounts`` without a bare hour after "at", "by", "until"…: "at 5" is a time, not a price."""
    kept = []
    for a in amounts:
        if (
            a.first > 0
            and not a.sign
            and a.currency is None
            and a.last == a.first + 1
            and toks[a.first - 1].low in lexicon.TIME_PREPOSITIONS
            and toks[a.first].start - toks[a.first - 1].end <= 2
            and toks[a.first].text.isdigit()
            and int(toks[a.first].text) <= 24
        ):
            continue
        kept.append(a)
    return kept


@dataclass(slots=True)
class Budget:
    """How many more times one message may ask dateparser (each ask costs about a millisecond)."""

    asks: int = 2


# A date phrase dateparser reads ("the 3rd of last month") is a few words: what is around the
# first date-ish word is cut to this many tokens each side and this many characters.
_WINDOW_TOKENS: Final = 4
# How far ahead a day and month without a year may be read: entries are logged for what was
# spent or is about to be (a booked flight), not for next summer.
_AHEAD: Final = timedelta(days=62)
_FRAGMENT_CHARS: Final = 40


def fallback_date(
    text: str, toks: list[Tok], amounts: list[Amount], today: date, budget: Budget
) -> tuple[date | None, str, str]:
    """Try dateparser on the run of date-like words around the first date-ish word.

    Returns (the date, ``text`` with its words blanked, a date phrase left unread). The run is
    cut short (``_WINDOW_TOKENS``) and a message asks at most ``budget.asks`` times, so a long
    message of date words costs no more than a short one. A run around a word that only names
    a date ("tuesday", "ago", "march") that dateparser can't read is the unread phrase.
    """
    taken: set[int] = set()
    for a in amounts:
        taken.update(range(a.first, a.last))
    trigger = -1
    for idx, tok in enumerate(toks):
        if idx not in taken and tok.kind == "word" and lexicon.DATEISH_RE.fullmatch(tok.text):
            trigger = idx
            break
    if trigger < 0:
        return None, text, ""

    def datey(idx: int) -> bool:
        """A date word, or a short number just before one ("3 weeks", "2nd")."""
        tok = toks[idx]
        if tok.kind == "word":
            return tok.low in lexicon.DATE_VOCAB
        if tok.kind == "num" and idx not in taken and len(tok.text) <= 4:
            return idx + 1 < len(toks) and toks[idx + 1].low in lexicon.DATE_VOCAB
        return False

    lo = hi = trigger
    while lo > 0 and trigger - lo < _WINDOW_TOKENS and datey(lo - 1):
        lo -= 1
    while hi + 1 < len(toks) and hi - trigger < _WINDOW_TOKENS and datey(hi + 1):
        hi += 1
    if lo > 0 and toks[lo - 1].low == "for":
        return None, text, ""  # "rent for october" names what was paid for, not when
    fragment = text[toks[lo].start : toks[hi].end]
    found = None
    if len(fragment) <= _FRAGMENT_CHARS and budget.asks > 0:
        budget.asks -= 1
        found = _dateparser_date(" ".join(fragment.lower().split()), today)
    if found is None:
        strong = lexicon.DATE_ONLY_RE.fullmatch(toks[trigger].text) is not None
        return None, text, " ".join(fragment.split())[:_FRAGMENT_CHARS] if strong else ""
    return found, blank(text, toks[lo].start, toks[hi].end), ""


def clear_cache() -> None:
    """Forget dateparser's cached answers (the benchmark measures the uncached cost)."""
    _dateparser_date.cache_clear()


def warm_up() -> None:
    """Load dateparser's language data once, so the first dated message isn't slow."""
    _dateparser_date("last friday", date(2000, 1, 1))


def _date_from_match(m: re.Match[str], today: date, month_first: bool) -> date | None:
    """The date a ``lexicon.DATE_RE`` match names, relative to ``today``; None if it names none."""
    g = m.group
    if g("dby"):
        return today - timedelta(days=2)
    if g("yest"):
        return today - timedelta(days=1)
    if g("today"):
        return today
    if g("tomorrow"):
        return today + timedelta(days=1)
    if g("ago_unit"):
        return _ago(today, g("ago_n"), g("ago_unit").lower())
    if g("fortnight"):
        return today - timedelta(days=14)
    if g("unit"):
        unit = g("unit").lower()
        if unit == "week":
            return today - timedelta(days=7)
        return _shift_months(today, -12 if unit == "year" else -1)
    if g("weekend"):
        return today - timedelta(days=(today.weekday() - 5) % 7)
    weekday = g("wd") or g("wd2") or g("wd3")
    if weekday:
        return _weekday(today, weekday.lower(), (g("wd_mod") or g("wd_mod2") or "").lower())
    if g("iso_y"):
        return _day_month(today, int(g("iso_m")), int(g("iso_d")), int(g("iso_y")))
    first, second, year = g("n1") or g("n1b"), g("n2") or g("n2b"), g("n3") or g("n3b")
    if first:
        a, b = int(first), int(second)
        if a > 12 or (b <= 12 and not month_first):
            return _day_month(today, b, a, _int(year))
        return _day_month(today, a, b, _int(year))
    if g("dm_m"):
        return _day_month(
            today, lexicon.MONTHS[g("dm_m").lower()[:3]], int(g("dm_d")), _int(g("dm_y"))
        )
    if g("md_m"):
        return _day_month(
            today, lexicon.MONTHS[g("md_m").lower()[:3]], int(g("md_d")), _int(g("md_y"))
        )
    ordinal = g("ord") or g("ord2")
    if ordinal:
        return _latest_day_of_month(today, int(ordinal))
    return None


def _ago(today: date, count_text: str, unit: str) -> date | None:
    """``today`` less "2", "a", "a couple of" ``unit``s (day, week, month, year); None if absurd."""
    word = lexicon.SPACES_RE.sub(" ", count_text.lower())
    count = int(word) if word.isdigit() else lexicon.NUMBER_WORDS.get(word, 1)
    try:
        if unit == "day":
            return today - timedelta(days=count)
        if unit == "week":
            return today - timedelta(weeks=count)
        return _shift_months(today, -count * (12 if unit == "year" else 1))
    except (OverflowError, ValueError):
        return None


def _weekday(today: date, name: str, modifier: str) -> date:
    """The day "friday", "last fri" or "next friday" names: the past one unless told "next"."""
    target = lexicon.WEEKDAYS[name]
    if modifier.endswith(("next", "coming")):
        return today + timedelta(days=(target - today.weekday()) % 7 or 7)
    back = (today.weekday() - target) % 7
    if back == 0 and modifier in ("last", "past", "previous", "this past"):
        back = 7  # "last monday" said on a Monday is a week ago
    return today - timedelta(days=back)


def _latest_day_of_month(today: date, day: int) -> date | None:
    """The latest day ``day`` of a month ("the 5th") not after ``today``, up to 3 months back."""
    if not 1 <= day <= 31:
        return None
    month_start = today.replace(day=1)
    for back in range(0, 4):
        start = _shift_months(month_start, -back)
        if day <= calendar.monthrange(start.year, start.month)[1]:
            found = start.replace(day=day)
            if found <= today:
                return found
    return None


def _day_month(today: date, month: int, day: int, year: int | None) -> date | None:
    """The date with that day and month: in ``year``, or else the one people mean.

    That is the latest one not after today, unless the coming one is nearer and within
    ``_AHEAD`` days: "20 dec" typed on 1 Dec is the coming 20 Dec (a flight booked), not last
    year's; "3 nov" typed on 23 Nov is this 3 Nov; "5/11" typed in November is last May.
    """
    try:
        if year is not None:
            year = year + 2000 if year < 100 else year
            if not today.year - 30 <= year <= today.year + 5:
                return None
            return date(year, month, day)
        candidates = []
        for offset in (-1, 0, 1):
            try:
                candidates.append(date(today.year + offset, month, day))
            except ValueError:  # 29 Feb in a year without one
                continue
        past = [d for d in candidates if d <= today]
        ahead = [d for d in candidates if today < d <= today + _AHEAD]
        if ahead and (not past or ahead[0] - today < today - past[-1]):
            return ahead[0]
        return past[-1] if past else None
    except ValueError:
        return None


def _shift_months(day: date, months: int) -> date:
    """``day`` moved by ``months``, kept inside the month it lands in (Mar 31 - 1 is Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def _int(text: str | None) -> int | None:
    """An optional regex group as a number."""
    return int(text) if text else None


@lru_cache(maxsize=8)
def _date_parser(today: date) -> DateDataParser:
    """One dateparser instance per calendar day (its relative base is fixed at creation)."""
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime(today.year, today.month, today.day, 12),
            "PREFER_DATES_FROM": "past",
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False,
            "STRICT_PARSING": False,
        },
    )


@lru_cache(maxsize=512)
def _dateparser_date(fragment: str, today: date) -> date | None:
    """Ask dateparser about a short fragment; None if it sees no date there."""
    try:
        data = _date_parser(today).get_date_data(fragment)
    except Exception:  # dateparser raises assorted errors on odd input; a miss is fine
        logger.debug("dateparser failed on a %d-char fragment", len(fragment), exc_info=True)
        return None
    found = data.date_obj
    return found.date() if found is not None else None
