"""Savings goals and the monthly savings target: reading what the user typed, and progress.

Pure: every function takes ``today`` instead of reading a clock. Three kinds of text:

* ``/goal`` arguments — ``laptop 1200 by june``, ``trip to japan 3,000 EUR in 10 months``,
  ``laptop off`` — read by :func:`parse_goal_args`;
* a contribution typed in the chat — ``saved 100 for laptop``, ``put 50 aside for trip`` —
  read by :func:`parse_saved`;
* a savings target — ``save 500 this month``, ``save 500 a month`` — read by
  :func:`parse_target`.

Money put toward a goal is an earmark, not a transaction: it is still the user's money, and
the purchase itself is recorded when it happens. See ``models.services.goals``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Literal

from bot.core.budgets import parse_limit
from bot.core.errors import UserMistake
from bot.core.money import exponent, is_currency

# The parser's own separators, so a piece here is an entry there.
from bot.core.parsing.lexicon import SPLIT_RE
from bot.core.periods import MONTHS, month_of, month_period, shift_months

NAME_LIMIT = 32
# A deadline further out than this is a typo, and months-left arithmetic stays small.
MAX_YEARS_AHEAD = 50
OFF_WORDS = frozenset({"off", "remove", "delete", "done", "cancel"})
# Words that read as part of the sentence, not of the goal's name: "for the laptop", "my trip".
_FILLER = frozenset({"for", "a", "an", "the", "my", "our", "goal"})


class GoalUsage(UserMistake):
    """``/goal`` arguments that fit no form."""

    message = (
        "Usage: /goal NAME AMOUNT [by DATE] — for example /goal laptop 1200 by june, "
        "/goal trip 3000 in 10 months. A new amount keeps the date (“no date” drops it); "
        "/goal laptop off removes the goal; /goal lists your goals."
    )


class GoalDate(UserMistake):
    """A deadline that can't be read, or one in the past."""

    message = (
        "I can't read that date. Try “by june”, “by 15 june 2027”, “by 2027-06-30” "
        "or “in 6 months”."
    )


class GoalDatePassed(GoalDate):
    message = "That date has already passed — pick one from today on."


class GoalName(UserMistake):
    message = f"Give the goal a short name (up to {NAME_LIMIT} characters), e.g. /goal laptop 1200."


# --- /goal arguments ---


@dataclass(frozen=True, slots=True)
class NewGoal:
    """``/goal laptop 1200 by june``: create the goal, or change it when the name exists."""

    name: str
    target: Decimal
    currency: str | None  # None: the user's currency
    deadline: date | None  # None: none typed (a goal being changed keeps the one it has)
    no_deadline: bool = False  # "no date": a goal being changed drops its deadline


@dataclass(frozen=True, slots=True)
class RemoveGoal:
    name: str


@dataclass(frozen=True, slots=True)
class ListGoals:
    pass


@dataclass(frozen=True, slots=True)
class SetTarget:
    """``save 500 a month``: a monthly savings target; ``amount`` None switches it off."""

    amount: Decimal | None
    currency: str | None
    # "this": only the current month; "every": each month until changed.
    scope: Literal["this", "every"] = "every"


GoalCommand = NewGoal | RemoveGoal | ListGoals | SetTarget

_CODE = re.compile(r"[A-Za-z]{3}")
_NO_DEADLINE = frozenset({"no date", "no deadline", "without a date", "anytime", "by any time"})
_DATE_WORDS = frozenset({"by", "in", "until", "till", "before"})


def read_amount(text: str) -> tuple[Decimal, str | None] | None:
    """A bare amount as typed after "how much?": ``100``, ``$100``, ``100 eur``, ``1.5k``."""
    words = text.split()
    if len(words) == 2 and _CODE.fullmatch(words[1]) and is_currency(words[1]):
        found = _amount(words[0])
        return (found[0], words[1].upper()) if found and found[1] is None else None
    return _amount(words[0]) if len(words) == 1 else None


def _amount(word: str) -> tuple[Decimal, str | None] | None:
    """``1200``, ``1,200``, ``1.2k``, ``$1200``, ``1200eur`` as (amount, ISO code or None)."""
    match = re.fullmatch(r"(.*?\d[\d.,_]*[kKmM]?)([A-Za-z]{3})?", word.strip())
    if match is None:
        return None
    value = parse_limit(match.group(1).rstrip("$€£₹¥₽").lstrip("$€£₹¥₽"))
    if value is None:
        return None
    code = match.group(2)
    if code is not None and not is_currency(code):
        return None
    return value, code.upper() if code else None


def _clean_name(words: list[str]) -> str:
    while words and words[0].lower() in _FILLER:
        words = words[1:]
    while words and words[-1].lower() in {"goal", "fund"} and len(words) > 1:
        words = words[:-1]
    name = " ".join(words).strip(" .,:;!?\"'“”")
    if not name or len(name) > NAME_LIMIT or name.replace(" ", "").isdigit():
        raise GoalName()
    return name


def parse_goal_args(text: str, today: date) -> GoalCommand:
    """What ``/goal …`` asks for; raises a :class:`GoalUsage`/:class:`GoalDate` mistake."""
    words = text.split()
    if not words:
        return ListGoals()
    if words[0].lower() == "save":
        wanted = parse_target(text)
        if wanted is None:
            raise GoalUsage(
                "Usage: /goal save 500 a month (every month), /goal save 500 this month, "
                "/goal save off"
            )
        return wanted
    if len(words) >= 2 and words[-1].lower() in OFF_WORDS:
        return RemoveGoal(_clean_name(words[:-1]))
    if words[0].lower() in {"remove", "delete"} and len(words) >= 2:
        return RemoveGoal(_clean_name(words[1:]))
    # The amount is the last number before the date words, so "trip 2027 3000 by june" works.
    when = next((i for i, w in enumerate(words) if i > 1 and w.lower() in _DATE_WORDS), len(words))
    at = next((i for i in range(when - 1, 0, -1) if _amount(words[i]) is not None), None)
    if at is None:
        raise GoalUsage()
    name = _clean_name(words[:at])
    found = _amount(words[at])
    assert found is not None
    target, currency = found
    rest = words[at + 1 :]
    if rest and at + 1 < when and _CODE.fullmatch(rest[0]) and is_currency(rest[0]):
        currency, rest = rest[0].upper(), rest[1:]
    if " ".join(rest).lower() in _NO_DEADLINE:
        return NewGoal(name, target, currency, None, no_deadline=True)
    deadline = parse_deadline(" ".join(rest), today) if rest else None
    return NewGoal(name, target, currency, deadline)


def parse_deadline(text: str, today: date) -> date:
    """``by june`` (its last day), ``by 15 jun 2027``, ``by 2027-06``, ``in 6 months``…

    A month or day without a year is the next one from today on; raises :class:`GoalDate`.
    """
    words = text.lower().replace(",", " ").split()
    if not words:
        raise GoalDate()
    if words[0] == "in" and len(words) in (2, 3) and words[1] not in MONTHS:
        return _in(words[1:], today)
    if words[0] in _DATE_WORDS | {"on"}:
        words = words[1:]
    if words[:1] == ["the"]:
        words = words[1:]
    phrase = " ".join(words)
    if phrase in {"end of year", "end of the year", "year end", "new year", "new year's"}:
        return date(today.year, 12, 31)
    if phrase in {"end of month", "end of the month", "month end"}:
        return month_of(today).end - timedelta(days=1)
    found = _calendar(words, today)
    if found is None:
        raise GoalDate()
    if found < today:
        raise GoalDatePassed()
    if found.year > today.year + MAX_YEARS_AHEAD:
        raise GoalDate("That's too far ahead — pick a date within 50 years.")
    return found


_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 0, "months": 0}


def _in(words: list[str], today: date) -> date:
    count_word, unit = (words[0], words[1]) if len(words) == 2 else ("1", words[0])
    count = (
        1 if count_word in {"a", "an", "one"} else int(count_word) if count_word.isdigit() else 0
    )
    if not 1 <= count <= 600:
        raise GoalDate()
    if unit in {"year", "years"}:
        unit, count = "months", count * 12
    if unit not in _UNITS or count > MAX_YEARS_AHEAD * 12:
        raise GoalDate()
    if _UNITS[unit]:
        return today + timedelta(days=count * _UNITS[unit])
    first = shift_months(today, count)
    last_day = (month_of(first).end - timedelta(days=1)).day
    return first.replace(day=min(today.day, last_day))


def _calendar(words: list[str], today: date) -> date | None:
    """A date from ``june``, ``june 2027``, ``15 june``, ``june 15 2027``, ISO forms."""
    if len(words) == 1 and (iso := re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", words[0])):
        iso_year, iso_month = int(iso.group(1)), int(iso.group(2))
        try:
            if iso.group(3):
                return date(iso_year, iso_month, int(iso.group(3)))
            return month_of(date(iso_year, iso_month, 1)).end - timedelta(days=1)
        except ValueError:
            return None
    month: int | None = None
    day: int | None = None
    year: int | None = None
    for word in (w for w in words if w != "of"):
        bare = re.sub(r"(st|nd|rd|th)$", "", word) if word[:1].isdigit() else word
        if word in MONTHS and month is None:
            month = MONTHS[word]
        elif bare.isdigit() and len(bare) == 4 and year is None:
            year = int(bare)
        elif bare.isdigit() and len(bare) <= 2 and day is None:
            day = int(bare)
        else:
            return None
    if month is None:
        return None
    for candidate_year in [year] if year is not None else [today.year, today.year + 1]:
        assert candidate_year is not None
        try:
            last = month_of(date(candidate_year, month, 1)).end - timedelta(days=1)
            found = last if day is None else date(candidate_year, month, day)
        except ValueError:
            return None
        if year is not None or found >= today:
            return found
    return None


# --- free text: contributions, targets ---


@dataclass(frozen=True, slots=True)
class Saved:
    """``saved 100 for laptop``: ``goal`` is the name as typed (None: "saved 100")."""

    amount: Decimal
    currency: str | None
    goal: str | None


_AMOUNT = r"(?P<amount>[$€£₹¥₽]?\d[\d.,_]*[kKmM]?[$€£₹¥₽]?)(?:\s*(?P<code>[A-Za-z]{3})\b)?"
_SAVED = re.compile(
    r"(?:i\s+(?:just\s+)?)?"
    r"(?:(?:saved|save|stashed|added)(?:\s+(?:aside|away))?"
    r"|(?:set|put)\s+(?:aside|away))"
    rf"\s+{_AMOUNT}"
    r"(?:\s+(?:aside|away))?"
    r"(?:\s+(?:for|to|toward|towards|into)\s+(?P<goal>.+?))?"
    r"[.!]*",
    re.IGNORECASE,
)
# "put 100 toward laptop", "put 50 aside for trip": a bare "put" needs "aside"/"away" or a
# goal-ish preposition, since "put 50 on gas" is spending.
_PUT = re.compile(
    rf"put\s+{_AMOUNT}\s+"
    r"(?:(?:aside|away)(?:\s+(?:for|to|toward|towards|into)\s+(?P<goal>.+?))?"
    r"|(?:toward|towards|into)\s+(?P<goal2>.+?))[.!]*",
    re.IGNORECASE,
)


def parse_saved(text: str) -> Saved | None:
    """A contribution toward a goal typed as free text, or None when the text isn't one."""
    text = " ".join(text.split())
    found = _SAVED.fullmatch(text) or _PUT.fullmatch(text)
    if found is None:
        return None
    code = found.group("code")
    if code is not None and not is_currency(code):
        return None
    amount = parse_limit(found.group("amount").strip("$€£₹¥₽"))
    if amount is None:
        return None
    goal = found.group("goal") or found.groupdict().get("goal2")
    name = None
    if goal is not None:
        try:
            name = _clean_name(goal.split())
        except GoalName:
            return None
    return Saved(amount, code.upper() if code else None, name)


_TARGET = re.compile(
    r"(?:i\s+want\s+to\s+|i(?:'|’)?ll\s+|let'?s\s+)?save\s+"
    rf"{_AMOUNT}\s+"
    r"(?P<when>this\s+month|a\s+month|per\s+month|each\s+month|every\s+month|monthly"
    r"|a\s+mo|/\s*month|/mo)[.!]*",
    re.IGNORECASE,
)
_TARGET_OFF = re.compile(r"save\s+(?:off|none|nothing|0)", re.IGNORECASE)


def parse_target(text: str) -> SetTarget | None:
    """``save 500 this month`` / ``save 500 a month`` / ``save off``, else None."""
    text = " ".join(text.split())
    if _TARGET_OFF.fullmatch(text):
        return SetTarget(None, None)
    found = _TARGET.fullmatch(text)
    if found is None:
        return None
    amount = parse_limit(found.group("amount").strip("$€£₹¥₽"))
    if amount is None:
        return None
    code = found.group("code")
    if code is not None and not is_currency(code):
        return None
    scope: Literal["this", "every"] = (
        "this" if found.group("when").lower().startswith("this") else "every"
    )
    return SetTarget(amount, code.upper() if code else None, scope)


class GoalAmongEntries(UserMistake):
    """A goal sentence in a message with other entries: the parser would take it for one."""

    message = (
        "Send “saved 100 for laptop” or “save 500 a month” in a message on its own, "
        "please — with other entries around it, I can't tell it from spending."
    )


def goal_among_entries(text: str) -> bool:
    """True when ``text`` holds several entries (lines, or pieces between commas and "and"
    that each hold a number) and one of them is a contribution or a savings target."""
    pieces: list[str] = []
    for line in (line for line in text.splitlines() if line.strip()):
        split = [p for p in SPLIT_RE.split(line) if p and p.strip()]
        several = len(split) > 1 and all(any(c.isdigit() for c in p) for p in split)
        pieces += split if several else [line]
    return len(pieces) > 1 and any(
        parse_saved(p) is not None or parse_target(p) is not None for p in pieces
    )


def matching_goals(typed: str, names: list[str]) -> list[str]:
    """Goal names ``typed`` refers to: the exact name, else every name containing its words."""
    wanted = typed.casefold()
    exact = [n for n in names if n.casefold() == wanted]
    if exact:
        return exact
    words = wanted.split()
    return [n for n in names if all(w in n.casefold().split() for w in words)]


# --- progress ---


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a goal stands on ``today``.

    ``per_month`` is what is still needed in each remaining month (the current one included)
    to reach the target by the deadline; None without a deadline, once reached, or when the
    deadline has passed (``overdue``).
    """

    saved: Decimal
    target: Decimal
    currency: str
    percent: int
    months_left: int | None
    per_month: Decimal | None
    overdue: bool

    @property
    def remaining(self) -> Decimal:
        return max(self.target - self.saved, Decimal(0))

    @property
    def reached(self) -> bool:
        return self.saved >= self.target


def months_left(today: date, deadline: date, month_start_day: int = 1) -> int:
    """Monthly periods from today's through the deadline's, both counted (0 when past)."""
    if deadline < today:
        return 0
    first, last = month_period(today, month_start_day), month_period(deadline, month_start_day)
    return (last.start.year - first.start.year) * 12 + last.start.month - first.start.month + 1


def percent_of(saved: Decimal, target: Decimal) -> int:
    """Whole percent reached, rounded down so 99.9% never reads as done."""
    if target <= 0:
        return 100
    return int((saved * 100 / target).to_integral_value(rounding=ROUND_FLOOR))


def progress(
    saved: Decimal,
    target: Decimal,
    currency: str,
    deadline: date | None,
    today: date,
    month_start_day: int = 1,
) -> Progress:
    remaining = max(target - saved, Decimal(0))
    overdue = deadline is not None and deadline < today and remaining > 0
    months = months_left(today, deadline, month_start_day) if deadline is not None else None
    per_month = None
    if months and remaining > 0:
        step = Decimal(1).scaleb(-exponent(currency))
        per_month = (remaining / months).quantize(step, rounding=ROUND_CEILING)
    return Progress(saved, target, currency, percent_of(saved, target), months, per_month, overdue)


@dataclass(frozen=True, slots=True)
class TargetStatus:
    """The month's savings target against what the month kept: income − expenses."""

    target: Decimal
    kept: Decimal
    currency: str

    @property
    def percent(self) -> int:
        return max(percent_of(self.kept, self.target), 0)

    @property
    def met(self) -> bool:
        return self.kept >= self.target
