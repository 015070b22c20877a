"""Messages that ask or correct rather than record: "how much did I spend on food this month?",
"what's my balance?", "Change ₹500 food expense to ₹600", "Remove ₹300 grocery expense from
yesterday". Such a message stores nothing; ``read_request`` says what it asks for.

The word tables are English and data-driven (``lexicon``-style sets below), so another language
can add its own beside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Final, Literal

from bot.core.keywords import lookup, normalize_word
from bot.core.parsing import lexicon
from bot.core.parsing.dates import take_dates
from bot.core.parsing.lexicon import words as _words
from bot.core.periods import Period, month_period, parse_period, week_period

Topic = Literal["spent", "earned", "balance", "list", "breakdown"]


@dataclass(frozen=True, slots=True)
class Question:
    """A question about the user's money; ``period`` None means this month (or all, for lists).

    ``category`` is the default category the question's words name ("groceries" → Groceries),
    ``words`` the words themselves, for the user's own categories.
    """

    topic: Topic
    period: Period | None = None
    category: str | None = None
    words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Correction:
    """Change or remove an entry already recorded, found by what the message says about it.

    Every field but ``action`` may be missing: "delete the last one" names nothing.
    """

    action: Literal["change", "remove"]
    amount: Decimal | None = None
    currency: str | None = None
    category: str | None = None
    words: tuple[str, ...] = ()
    day: date | None = None
    new_amount: Decimal | None = None
    new_currency: str | None = None


Request = Question | Correction

# --------------------------------------------------------------------------------------------
# Word tables (English)

_CHANGE_VERBS: Final = frozenset({"change", "edit", "update", "correct", "modify", "fix", "make"})
_REMOVE_VERBS: Final = frozenset({"remove", "delete", "cancel", "erase", "drop", "undo"})
# A correction names what it corrects: "... expense", "the last entry", "that one".
_ENTRY_NOUNS: Final = frozenset(
    {
        "expense",
        "expenses",
        "entry",
        "entries",
        "transaction",
        "transactions",
        "record",
        "income",
        "payment",
        "spending",
        "one",
        "last",
        "previous",
        "that",
        "this",
        "it",
    }
)
_SPENT: Final = frozenset(
    {"spend", "spent", "spending", "expense", "expenses", "expenditure", "expenditures", "cost"}
    | {"paid", "pay", "costs", "outgoings"}
)
_EARNED: Final = frozenset({"earn", "earned", "income", "received", "made", "salary", "earnings"})
_LIST: Final = frozenset({"list", "history", "all", "entries", "transactions"})
_BREAKDOWN: Final = frozenset({"breakdown", "report", "summary", "overview", "split"})
_ASKING: Final = frozenset(
    {"how", "what", "whats", "what's", "show", "list", "get", "give", "tell", "display", "see"}
    | {"view", "check", "much", "total", "many"}
)
_FILLER: Final = frozenset(
    _words(
        """i me my did do does have has had on for from to at in the a an of so far much how
        what whats is was were are all show get give tell display see view check total many
        this last past spend spent spending expense expenses expenditure expenditures cost
        costs paid pay earn earned income received made balance list history breakdown report
        summary overview entries transactions s yesterday today week month year please
        yesterdays todays weeks months years"""
    )
)
_WEEKDAYS: Final = lexicon.WEEKDAYS
# A correction opens with its verb; a question opens with a question word or holds a topic
# word. The cheap tests before reading either.
_VERB_RE: Final = re.compile(
    r"\s*(?:" + "|".join(sorted(_CHANGE_VERBS | _REMOVE_VERBS)) + r")\b", re.IGNORECASE
)
_HINT_RE: Final = re.compile(
    r"\b(?:"
    + "|".join(sorted(_SPENT | _EARNED | _LIST | _BREAKDOWN | {"balance", "left", "remaining"}))
    + r")\b",
    re.IGNORECASE,
)
_WORD_RE: Final = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# What a "remove …" message opens with when it means an entry: an amount, "the", "my".
_OPENS_ON_ENTRY_RE: Final = re.compile(
    r"\s*(?:[$€£₹¥]|rs\.?\s*|[0-9]|(?:the|my|last|that|this)\b)", re.IGNORECASE
)
_QUESTION_START_RE: Final = re.compile(
    r"\s*(?:how\s+much|how\s+many|what(?:'s|’s|s)?|show|list|get|give|tell|display|check|view)\b",
    re.IGNORECASE,
)


def read_request(text: str, *, now: datetime, month_start: int = 1) -> Request | None:
    """What ``text`` asks Penny to answer or correct, or None when it is no such request.

    Dates are relative to ``now`` (the user's local time).
    """
    head = text[:300]
    opens = _QUESTION_START_RE.match(head) is not None
    # Most messages end here, cheaply: "spent 250 on food", "+5000 salary" are entries;
    # "july expenses" or "balance" (no digits) need a topic word.
    if (
        not opens
        and not _VERB_RE.match(head)
        and (lexicon.DIGITS_RE.search(text) or _HINT_RE.search(head) is None)
    ):
        return None
    words = [normalize_word(w) for w in _WORD_RE.findall(head)]
    if not words:
        return None
    correction = _correction(text, words, now)
    if correction is not None:
        return correction
    return _question(text, words, now.date(), month_start, opens)


# --------------------------------------------------------------------------------------------
# Corrections


def _correction(text: str, words: list[str], now: datetime) -> Correction | None:
    # entries asks read_request about every message, so it is imported here, once it exists
    from bot.core.parsing.entries import AmountRejected, ParsedEntry, _parse

    def parse_message(part: str, *, now: datetime) -> list[ParsedEntry]:
        return _parse(part, now, None, requests=False)

    opening = _VERB_RE.match(text)
    if opening is None:
        return None
    verb = opening.group().strip().lower()
    body = text[opening.end() :]
    replacement: ParsedEntry | None = None
    target = body
    if verb in _CHANGE_VERBS:
        target, sep, new = body.rpartition(" to ")
        if not sep:
            return None
        try:
            read = parse_message(new, now=now)
        except AmountRejected:
            return None
        if len(read) != 1 or read[0].note:
            return None  # "change oil 40 to the car": not an amount after "to"
        replacement = read[0]
    named_entry = _ENTRY_NOUNS.intersection(words[1:]) or _dated(target, now)
    # "update lunch to 15" ends on the new amount; "delete 45 lunch", "remove my lunch" go
    # straight to what they remove; "fix car 300", "remove tree 200" are expenses
    if not (named_entry or replacement is not None or _OPENS_ON_ENTRY_RE.match(body)):
        return None
    day, rest, _ = take_dates(target, now.date(), month_first=False)
    try:
        found = parse_message(rest, now=now)
    except AmountRejected:
        found = []
    what = found[0] if len(found) == 1 else None
    named = tuple(w for w in (normalize_word(x) for x in _WORD_RE.findall(rest)) if w)
    named = tuple(w for w in named if w not in _ENTRY_NOUNS and w not in _FILLER)
    return Correction(
        action="change" if replacement is not None else "remove",
        amount=what.amount if what else None,
        currency=what.currency if what else None,
        category=(what.category if what else None) or lookup(named, "expense"),
        words=named,
        day=day,
        new_amount=replacement.amount if replacement else None,
        new_currency=replacement.currency if replacement else None,
    )


def _dated(text: str, now: datetime) -> bool:
    return take_dates(text, now.date(), month_first=False)[0] is not None


# --------------------------------------------------------------------------------------------
# Questions


def _question(
    text: str, words: list[str], today: date, month_start: int, opens: bool
) -> Question | None:
    topic = _topic(words)
    if topic is None:
        return None
    if not opens and lexicon.DIGITS_RE.search(text):
        return None  # "expenses 500 lunch", "spent 20 on lunch?" are entries
    asking = opens or "?" in text
    if not asking and not _about_a_period(words) and topic in ("spent", "earned"):
        return None  # "lunch expense" is no question; "july expenses" is
    period = _period(words, today, month_start)
    named = tuple(w for w in words if w not in _FILLER and w not in _WEEKDAYS)
    category = lookup(named, "income" if topic == "earned" else "expense")
    return Question(topic, period, category, named)


def _topic(words: list[str]) -> Topic | None:
    found = set(words)
    if "balance" in found or ({"left", "remaining"} & found and "much" in found):
        return "balance"
    if _BREAKDOWN & found:
        return "breakdown"
    if _LIST & found and "much" not in found:
        return "list"
    if _EARNED & found:
        return "earned"
    if _SPENT & found:
        return "spent"
    return None


# "this month's spending", "yesterday's expenditure": the possessive of a period word
_POSSESSIVE: Final = {
    "months": "month",
    "weeks": "week",
    "years": "year",
    "yesterdays": "yesterday",
    "todays": "today",
}


def _about_a_period(words: list[str]) -> bool:
    return any(
        w in ("today", "yesterday", "week", "month", "year", *_POSSESSIVE)
        or w in lexicon.MONTHS
        or w in _WEEKDAYS
        for w in words
    )


def _period(words: list[str], today: date, month_start: int) -> Period | None:
    """The longest run of words that names a period ("last month", "july", "monday")."""
    words = [_POSSESSIVE.get(w, w) for w in words]
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start : start + size])
            if size == 2 and words[start] == "this":
                phrase = words[start + 1]
            if words[start] in ("past",):
                phrase = "last " + " ".join(words[start + 1 : start + size])
            if phrase in ("week", "month", "year", "day") and size == 1:
                continue  # only with "this"/"last"
            found = parse_period(phrase, today, month_start)
            if found is not None:
                return found
    for word in words:
        if word in _WEEKDAYS:  # "monday expenses": the latest such day
            back = (today.weekday() - _WEEKDAYS[word]) % 7
            day = today - timedelta(days=back)
            return Period(day, day + timedelta(days=1))
    if "week" in words:
        return week_period(today)
    if "month" in words:
        return month_period(today, month_start)
    return None
