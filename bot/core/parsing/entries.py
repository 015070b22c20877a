"""Turn a free-text chat message into zero or more money entries.

``parse_message("coffee 4.50", now=...)`` returns one expense; text that is not a transaction
(small talk, or a request such as "how much did I spend on food?") returns ``[]``; a
transaction with an impossible amount raises :class:`AmountRejected`, whose message is meant
for the user.

The pipeline for one message: make the text plain (:mod:`.tokens`), set requests aside
(:mod:`.requests`), split it into lines and pieces (``taxi 12, lunch 18``), take out date
phrases (:mod:`.dates`: cheap regexes, dateparser only for leftovers that still look like a
date), read amount expressions (:mod:`.amounts`: sign, currency, number, multiplier, ``+ * /``
arithmetic; counts and ids are not prices), gather each entry's words and label
(:mod:`.words`), then decide the kind and category (:mod:`.kinds`). This module ties the steps
together: pieces, one draft per price, and what the pieces of a line share.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Final

from bot.core.categories import Kind
from bot.core.keywords import lookup, normalize_word
from bot.core.money import MAX_AMOUNT, AmountError, D, check_amount
from bot.core.parsing import lexicon
from bot.core.parsing.amounts import Amount, read_amounts
from bot.core.parsing.dates import (
    Budget,
    blank_times,
    drop_times_of_day,
    fallback_date,
    take_dates,
)
from bot.core.parsing.kinds import classify, kind_signal
from bot.core.parsing.requests import read_request
from bot.core.parsing.tokens import Tok, normalize, spell_out, tokenize, wordlike
from bot.core.parsing.words import clean_note, entry_words

__all__ = [
    "AmountRejected",
    "ParseError",
    "ParsedEntry",
    "TooManyNumbers",
    "parse_message",
]

logger = logging.getLogger(__name__)

# Telegram caps a message at 4096 characters; anything longer is not typed by a person.
MAX_MESSAGE_CHARS: Final = 4096
# Reading costs about 30 µs per number, so "1 1 1 1 …" at 4096 characters would take 40 ms of
# one core: past this many numbers the message is refused before any is read.
MAX_NUMBERS: Final = 200
TOO_MANY_NUMBERS: Final = (
    f"That message holds more than {MAX_NUMBERS} numbers, more than I read at once. "
    "Please send it in parts."
)


class ParseError(ValueError):
    """I couldn't read that message."""


class AmountRejected(ParseError, AmountError):
    """That amount doesn't look right."""


class TooManyNumbers(AmountRejected):
    """That message holds more numbers than I read at once.

    ``count`` is how many it holds: each is about one entry, so the caller can say so.
    """

    def __init__(self, count: int) -> None:
        super().__init__(TOO_MANY_NUMBERS)
        self.count = count


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """One money movement read from a message; ``currency`` None means the user's default.

    ``refund``: money back for an expense (``kind`` is "expense", ``category`` where it goes
    back to). ``unread_date``: a date phrase Penny could not read; the entry is dated today
    then, and the user must be told.
    """

    kind: Kind
    amount: Decimal
    currency: str | None
    category: str | None
    note: str
    occurred_on: date
    refund: bool = False
    unread_date: str = ""


# --------------------------------------------------------------------------------------------
# Pieces of a message


@dataclass(slots=True)
class _Context:
    """What every piece of one message is read against."""

    today: date
    default: str | None
    shouting: bool  # all capitals: a capital code like "TRY" is no clue then
    month_first: bool  # 3/4 is March 4th
    date_budget: Budget = field(default_factory=Budget)  # dateparser asks left


@dataclass(slots=True)
class _Piece:
    """One stretch of text meant as one or more entries, with dates and amounts found."""

    text: str  # with date and time phrases blanked out
    toks: list[Tok]
    amounts: list[Amount]
    occurred_on: date | None
    has_word: bool
    unread_date: str = ""  # a date phrase no reader could make sense of


def _analyse(raw: str, ctx: _Context) -> _Piece:
    """Find the date, times and amounts in one piece of text."""
    occurred_on, text, unread = take_dates(raw, ctx.today, ctx.month_first)
    text = blank_times(text)
    toks = tokenize(text)
    amounts = drop_times_of_day(read_amounts(toks, text, ctx.default, ctx.shouting), toks)
    if occurred_on is None and lexicon.DATEISH_RE.search(text):
        occurred_on, text, missed = fallback_date(text, toks, amounts, ctx.today, ctx.date_budget)
        unread = unread or missed
        if occurred_on is not None:  # its date words are blanked now: read the rest again
            toks = tokenize(text)
            amounts = drop_times_of_day(read_amounts(toks, text, ctx.default, ctx.shouting), toks)
    has_word = any(wordlike(t) for t in toks)
    return _Piece(text, toks, amounts, occurred_on, has_word, "" if occurred_on else unread)


# --------------------------------------------------------------------------------------------
# From pieces to entries


@dataclass(slots=True)
class _Draft:
    """An entry read from a piece, before its amount is checked; ``_share`` may still change it."""

    amount: Amount
    words: list[str]  # normalized words of this entry, amount excluded
    note: str
    currency: str | None
    occurred_on: date | None
    signal: Kind | None  # kind the words or sign say outright
    kind: Kind
    category: str | None
    money: bool  # looks like money rather than small talk
    refund: bool = False
    unread_date: str = ""


def _drafts(piece: _Piece, ctx: _Context) -> list[_Draft]:
    """One draft per price in the piece, with its words, note, currency, kind and category."""
    amounts, regions = _prices(piece)
    drafts = []
    for (lo, hi), amount in zip(regions, amounts, strict=True):
        found = entry_words(piece.toks, piece.text, amount, lo, hi, ctx.default, ctx.shouting)
        words = found.words
        reading = classify(amount.sign, words, found.label)
        money = (
            found.currency is not None
            or bool(amount.sign)
            or reading.signal is not None
            or reading.category is not None
            or not words
        )
        if not money and not ("?" in found.note_text or len(words) > 6):
            money = not any(w in lexicon.CHATTY for w in words)
        drafts.append(
            _Draft(
                amount,
                words,
                clean_note(found.note_text),
                found.currency,
                piece.occurred_on,
                reading.signal,
                reading.kind,
                reading.category,
                money,
                reading.refund,
                piece.unread_date,
            )
        )
    return drafts


def _prices(piece: _Piece) -> tuple[list[Amount], list[tuple[int, int]]]:
    """The piece's amounts that are prices, each with its token range [lo, hi).

    Quantities go ("5 kg", and "2 coffees" when another number is the price), and several
    numbers that read as one thing ("iphone 15 pro 999") leave one price for the whole piece.
    """
    amounts = [a for a in piece.amounts if not a.hard_quantity]
    if len(amounts) > 1 and any(not a.soft_quantity for a in amounts):
        amounts = [a for a in amounts if not a.soft_quantity]
    if len(amounts) > 1 and any(not a.identifier for a in amounts):
        amounts = [a for a in amounts if not a.identifier]  # "20.00 order 12345"
    if not amounts:
        return [], []
    toks = piece.toks
    regions = _regions(piece, amounts)
    if len(amounts) > 1 and not _separate_entries(toks, amounts, regions):
        # "iphone 15 pro 999": one price, the other numbers are part of the note
        priced = [a for a in amounts if a.currency is not None or a.sign]
        amounts = [priced[0] if len(priced) == 1 else amounts[-1]]
        regions = [(0, len(toks))]
    return amounts, regions


def _regions(piece: _Piece, amounts: list[Amount]) -> list[tuple[int, int]]:
    """Token ranges [lo, hi) belonging to each amount when a piece holds several."""
    n = len(piece.toks)
    if len(amounts) == 1:
        return [(0, n)]
    words_first = any(wordlike(t) for t in piece.toks[: amounts[0].first])
    regions = []
    if words_first:
        lo = 0
        for idx, a in enumerate(amounts):
            hi = n if idx == len(amounts) - 1 else a.last
            regions.append((lo, hi))
            lo = hi
    else:
        for idx, a in enumerate(amounts):
            lo = 0 if idx == 0 else a.first
            hi = n if idx == len(amounts) - 1 else amounts[idx + 1].first
            regions.append((lo, hi))
    return regions


def _separate_entries(
    toks: Sequence[Tok], amounts: Sequence[Amount], regions: Sequence[tuple[int, int]]
) -> bool:
    """True if several amounts in one piece are several entries ("taxi 12 lunch 18").

    A later stretch of words with no keyword after a bare whole number reads as a model name
    ("iphone 15 pro 999"), so then the piece is one entry.
    """
    for idx in range(1, len(amounts)):
        before = amounts[idx - 1]
        if before.currency is not None or before.sign:
            continue
        if not toks[before.first].text.isdigit() or before.last - before.first != 1:
            continue
        lo, hi = regions[idx]
        skip = range(amounts[idx].first, amounts[idx].last)
        words = [
            normalize_word(toks[k].text) if toks[k].kind == "word" else toks[k].text
            for k in range(lo, hi)
            if wordlike(toks[k]) and k not in skip
        ]
        if lookup(words, "expense") is None and lookup(words, "income") is None:
            return False
    return True


def _not_a_number(piece: _Piece) -> bool:
    """True for "coffee NaN": a transaction whose amount is no number at all."""
    words = [t.low for t in piece.toks if t.kind in ("word", "other")]
    if not any(w in lexicon.NOT_A_NUMBER for w in words):
        return False
    rest = [normalize_word(w) for w in words if w not in lexicon.NOT_A_NUMBER]
    return not rest or lookup(rest, "expense") is not None or kind_signal("", rest) is not None


def _may_hold_amount(text: str) -> bool:
    """False for text with no digit and no "nan"/"inf": no piece or line of it can be an entry."""
    return lexicon.DIGITS_RE.search(text) is not None or any(
        word in text.lower() for word in ("nan", "inf", "∞")
    )


def _split_line(line: str) -> list[str]:
    """The pieces of a line between ";", commas, "and", "&", "plus", "+" and "|"; else the line."""
    pieces = [p for p in lexicon.SPLIT_RE.split(line) if p and p.strip()]
    return pieces or [line]


def _parse_line(line: str, ctx: _Context) -> list[_Draft]:
    """Drafts for one line: split on commas and "and" when every piece holds an amount."""
    raw_pieces = _split_line(line)
    pieces = (
        [_analyse(p, ctx) for p in raw_pieces]
        if len(raw_pieces) > 1 and all(_may_hold_amount(p) for p in raw_pieces)
        else []
    )
    if not pieces or not all(p.amounts and p.has_word for p in pieces) or _counted(pieces):
        pieces = [_analyse(line, ctx)]
    drafts: list[_Draft] = []
    for piece in pieces:
        found = _drafts(piece, ctx)
        if not found and _not_a_number(piece):
            raise AmountRejected("That isn't a number I can record.")
        drafts.extend(found)
    if len(drafts) > 1:
        _share(drafts)
    return drafts


def _counted(pieces: Sequence[_Piece]) -> bool:
    """True when a piece only counts things the next piece prices: "2 noodles, 10 SGD"."""
    return any(
        all(a.soft_quantity and not a.sign and a.currency is None for a in piece.amounts)
        and any(not a.soft_quantity for a in later.amounts)
        for piece, later in itertools.pairwise(pieces)
    )


def _share(drafts: list[_Draft]) -> None:
    """Let pieces of one line share a date, a currency and a verb: "coffee $3 and bagel 2"."""
    dates = {d.occurred_on for d in drafts if d.occurred_on is not None}
    currencies = {d.currency for d in drafts if d.currency is not None}
    signal: Kind | None = None
    for idx, d in enumerate(drafts):
        if len(dates) == 1 and d.occurred_on is None:
            drafts[idx].occurred_on = next(iter(dates))
        if len(currencies) == 1 and d.currency is None:
            drafts[idx].currency = next(iter(currencies))
        if d.signal is not None:
            signal = d.signal
        elif signal is not None and signal != d.kind and d.category is None:
            # "got 500 from dad and 200 from mom"; but "salary 5000, rent 1500" keeps rent
            d.kind = signal
            d.category = lookup(d.words, signal)
            d.money = True


def _finish(draft: _Draft, ctx: _Context) -> ParsedEntry:
    """The entry a draft stands for; AmountRejected if its amount can't be recorded."""
    amount = draft.amount
    if amount.rejection is not None or amount.value is None:
        raise AmountRejected(amount.rejection or "That isn't a number I can record.")
    value = _check(amount.value, draft.currency or ctx.default)
    return ParsedEntry(
        kind=draft.kind,
        amount=value,
        currency=draft.currency,
        category=draft.category,
        note=draft.note,
        occurred_on=draft.occurred_on or ctx.today,
        refund=draft.refund,
        unread_date="" if draft.occurred_on else draft.unread_date,
    )


def _check(value: Decimal, currency: str | None) -> Decimal:
    """``value`` if it can be recorded in ``currency`` (None: two decimals); else AmountRejected."""
    if currency is not None:
        try:
            return check_amount(value, currency)
        except AmountError as exc:
            raise AmountRejected(str(exc)) from None
    if not value.is_finite():
        raise AmountRejected("That isn't a number I can record.")
    if value <= 0:
        raise AmountRejected("The amount has to be more than zero.")
    if value > MAX_AMOUNT:
        raise AmountRejected("That amount is too large to be a real transaction.")
    if value != value.quantize(D("0.01")):
        raise AmountRejected(f"Amounts have at most 2 decimal places; {value} has more.")
    return value


def _parse(
    text: str, now: datetime, default_currency: str | None, *, requests: bool = True
) -> list[ParsedEntry]:
    """``parse_message`` without its guard, so a bug raises (the property tests call this).

    ``requests=False`` reads entries only: how a correction reads what it names ("₹500 food
    expense"), which must not be taken for a request again.
    """
    if len(text) > MAX_MESSAGE_CHARS:
        return []
    text = normalize(text)
    if "?" in text and lexicon.QUESTION_RE.match(text):
        return []  # "is 500 too much for rent?"
    if requests and read_request(text, now=now) is not None:
        return []  # "how much did I spend on food?", "change ₹500 food expense to ₹600"
    if lexicon.DIGITS_RE.search(text) is None:
        text = spell_out(text)
        if not _may_hold_amount(text):
            return []
    numbers = len(lexicon.DIGITS_RE.findall(text))
    if numbers > MAX_NUMBERS:
        raise TooManyNumbers(numbers)
    default = default_currency.upper() if default_currency else None
    if default is not None and default not in lexicon.ISO_CODES:
        default = None
    ctx = _Context(
        today=now.date(),
        default=default,
        shouting=text.isupper(),
        month_first=default == "USD",
    )
    lines = [line for line in text.splitlines() if line.strip()]
    drafts: list[_Draft] = []
    if len(lines) > 1:
        # A line that can't hold an amount joins the lines into one, so read none on its own.
        each = all(_may_hold_amount(line) for line in lines)
        per_line = [_parse_line(line, ctx) for line in lines] if each else []
        if per_line and all(per_line):
            drafts = [d for found in per_line for d in found]
        else:
            drafts = _parse_line(" ".join(lines), ctx)
    elif lines:
        drafts = _parse_line(lines[0], ctx)
    drafts = [d for d in drafts if d.money]
    return [_finish(d, ctx) for d in drafts]


# --------------------------------------------------------------------------------------------
# Public API


def parse_message(
    text: str, *, now: datetime, default_currency: str | None = None
) -> list[ParsedEntry]:
    """Entries typed in ``text`` (``[]`` if it isn't a transaction); dates relative to ``now``.

    Raises AmountRejected, with a message for the user, when the text is clearly a transaction
    but its amount can't be recorded (zero, absurd, not a number, too many decimals).
    """
    try:
        return _parse(text, now, default_currency)
    except AmountRejected:
        raise
    except Exception:  # the contract: junk never raises; log the bug without the user's text
        logger.exception(
            "parser failed on a %d-char message", len(text) if isinstance(text, str) else -1
        )
        return []
