"""Turn a free-text chat message into zero or more money entries.

Pure: only the standard library, dateparser, :mod:`bot.core.money`, :mod:`bot.core.categories`
and :mod:`bot.core.keywords`. ``parse_message("coffee 4.50", now=...)`` returns one expense; text
that is not a transaction returns ``[]``; a transaction with an impossible amount raises
:class:`AmountRejected`, whose message is meant for the user.

The pipeline for one message: split into lines and pieces (``taxi 12, lunch 18``), pull out a
date phrase with cheap regexes (dateparser only for leftovers that still look like a date), read
amount expressions (sign, currency, number, multiplier, ``+``/``*`` arithmetic), then decide the
kind, category and note from the remaining words.
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from bot.core.categories import Kind
from bot.core.keywords import lookup, normalize_word
from bot.core.money import MAX_AMOUNT, AmountError, D, check_amount
from bot.core.parsing import lexicon
from bot.core.parsing.amounts import Amount, currency_word, read_amounts, resolve_currency
from bot.core.parsing.tokens import Tok, blank, normalize, spell_out, tokenize, wordlike

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

__all__ = [
    "AmountRejected",
    "ParseError",
    "ParsedEntry",
    "match_category",
    "parse_message",
    "warm_up",
]

logger = logging.getLogger(__name__)

# Telegram caps a message at 4096 characters; anything longer is not typed by a person.
MAX_MESSAGE_CHARS: Final = 4096


class ParseError(ValueError):
    """I couldn't read that message."""


class AmountRejected(ParseError, AmountError):
    """That amount doesn't look right."""


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """One money movement read from a message; ``currency`` None means the user's default."""

    kind: Kind
    amount: Decimal
    currency: str | None
    category: str | None
    note: str
    occurred_on: date


# --------------------------------------------------------------------------------------------
# Dates


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def _past_date(today: date, month: int, day: int, year: int | None) -> date | None:
    """The date with that day and month, in ``year`` or else the latest one not after today."""
    try:
        if year is not None:
            year = year + 2000 if year < 100 else year
            if not today.year - 30 <= year <= today.year + 5:
                return None
            return date(year, month, day)
        found = date(today.year, month, day)
        if found > today:
            found = date(today.year - 1, month, day)
        return found
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    return int(text) if text else None


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
        word = lexicon.SPACES_RE.sub(" ", g("ago_n").lower())
        count = int(word) if word.isdigit() else lexicon.NUMBER_WORDS.get(word, 1)
        unit = g("ago_unit").lower()
        try:
            if unit == "day":
                return today - timedelta(days=count)
            if unit == "week":
                return today - timedelta(weeks=count)
            return _shift_months(today, -count * (12 if unit == "year" else 1))
        except (OverflowError, ValueError):
            return None
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
        modifier = (g("wd_mod") or g("wd_mod2") or "").lower()
        target = lexicon.WEEKDAYS[weekday.lower()]
        if modifier.endswith(("next", "coming")):
            return today + timedelta(days=(target - today.weekday()) % 7 or 7)
        back = (today.weekday() - target) % 7
        if back == 0 and modifier in ("last", "past", "previous", "this past"):
            back = 7
        return today - timedelta(days=back)
    if g("iso_y"):
        return _past_date(today, int(g("iso_m")), int(g("iso_d")), int(g("iso_y")))
    first, second, year = g("n1") or g("n1b"), g("n2") or g("n2b"), g("n3") or g("n3b")
    if first:
        a, b = int(first), int(second)
        if a > 12 or (b <= 12 and not month_first):
            return _past_date(today, b, a, _int(year))
        return _past_date(today, a, b, _int(year))
    if g("dm_m"):
        return _past_date(
            today, lexicon.MONTHS[g("dm_m").lower()[:3]], int(g("dm_d")), _int(g("dm_y"))
        )
    if g("md_m"):
        return _past_date(
            today, lexicon.MONTHS[g("md_m").lower()[:3]], int(g("md_d")), _int(g("md_y"))
        )
    ordinal = g("ord") or g("ord2")
    if ordinal:
        day = int(ordinal)
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
    return None


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


def _dateparser_date(fragment: str, today: date) -> date | None:
    """Ask dateparser about a short fragment; None if it sees no date there."""
    try:
        data = _date_parser(today).get_date_data(fragment)
    except Exception:  # dateparser raises assorted errors on odd input; a miss is fine
        logger.debug("dateparser failed on a %d-char fragment", len(fragment), exc_info=True)
        return None
    found = data.date_obj
    return found.date() if found is not None else None


def warm_up() -> None:
    """Load dateparser's language data once, so the first dated message isn't slow."""
    _dateparser_date("last friday", date(2000, 1, 1))


# --------------------------------------------------------------------------------------------
# Pieces of a message


@dataclass(slots=True)
class _Context:
    today: date
    default: str | None
    shouting: bool
    month_first: bool


@dataclass(slots=True)
class _Piece:
    """One stretch of text meant as one or more entries, with dates and amounts found."""

    text: str  # with date and time phrases blanked out
    toks: list[Tok]
    amounts: list[Amount]
    occurred_on: date | None
    has_word: bool


def _analyse(raw: str, ctx: _Context) -> _Piece:
    """Find the date, times and amounts in one piece of text."""
    text = raw
    occurred_on: date | None = None
    for m in lexicon.DATE_RE.finditer(text):
        found = _date_from_match(m, ctx.today, ctx.month_first)
        if found is None:
            continue
        start, end = m.start(), m.end()
        if m.group("dm_m") and not m.group("dm_y"):
            # "books 30 nov 3": the number after the month is the day, the one before the price
            day = lexicon.DAY_AFTER_RE.match(text, end)
            if day is not None:
                month = lexicon.MONTHS[m.group("dm_m").lower()[:3]]
                found = _past_date(ctx.today, month, int(day[1]), _int(day[2]))
                start, end = m.start("dm_m"), day.end()
        if found is not None and occurred_on is None:
            occurred_on = found
            text = blank(text, start, end)
        elif found is not None:
            text = blank(text, start, end)  # "on friday the 20th": the first date wins
    if ":" in text or "m" in text or "M" in text or "o" in text:
        for m in lexicon.TIME_RE.finditer(text):
            text = blank(text, m.start(), m.end())
    toks = tokenize(text)
    amounts = read_amounts(toks, text, ctx.default, ctx.shouting)
    # "at 5" is a time, not a price
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
    amounts = kept
    if occurred_on is None and lexicon.DATEISH_RE.search(text):
        occurred_on, text = _fallback_date(text, toks, amounts, ctx.today)
        if occurred_on is not None:
            toks = tokenize(text)
            amounts = read_amounts(toks, text, ctx.default, ctx.shouting)
    has_word = any(wordlike(t) for t in toks)
    return _Piece(text, toks, amounts, occurred_on, has_word)


def _fallback_date(
    text: str, toks: list[Tok], amounts: list[Amount], today: date
) -> tuple[date | None, str]:
    """Try dateparser on the run of date-like words around the first date-ish word."""
    taken: set[int] = set()
    for a in amounts:
        taken.update(range(a.first, a.last))
    trigger = -1
    for idx, tok in enumerate(toks):
        if idx not in taken and tok.kind == "word" and lexicon.DATEISH_RE.fullmatch(tok.text):
            trigger = idx
            break
    if trigger < 0:
        return None, text

    def datey(idx: int) -> bool:
        tok = toks[idx]
        if tok.kind == "word":
            return tok.low in lexicon.DATE_VOCAB
        if tok.kind == "num" and idx not in taken and len(tok.text) <= 4:
            return idx + 1 < len(toks) and toks[idx + 1].low in lexicon.DATE_VOCAB
        return False

    lo = hi = trigger
    while lo > 0 and datey(lo - 1):
        lo -= 1
    while hi + 1 < len(toks) and datey(hi + 1):
        hi += 1
    if lo > 0 and toks[lo - 1].low == "for":
        return None, text  # "rent for october" names what was paid for, not when
    fragment = text[toks[lo].start : toks[hi].end]
    found = _dateparser_date(fragment, today)
    if found is None:
        return None, text
    return found, blank(text, toks[lo].start, toks[hi].end)


# --------------------------------------------------------------------------------------------
# From pieces to entries


@dataclass(slots=True)
class _Draft:
    amount: Amount
    words: list[str]  # normalized words of this entry, amount excluded
    note: str
    currency: str | None
    occurred_on: date | None
    signal: Kind | None  # kind the words or sign say outright
    kind: Kind
    category: str | None
    money: bool  # looks like money rather than small talk


def _clean_note(text: str) -> str:
    text = lexicon.EMPTY_BRACKETS_RE.sub(" ", text)
    words = lexicon.SPACES_RE.sub(" ", text).strip(lexicon.NOTE_EDGE_CHARS).split(" ")
    while words and (
        words[0].lower() in lexicon.NOTE_VERBS or words[0].lower() in lexicon.NOTE_GLUE
    ):
        words.pop(0)
    while words and (words[-1].lower() in lexicon.NOTE_GLUE or words[-1].lower() == "i"):
        words.pop()
    return " ".join(words).strip(lexicon.NOTE_EDGE_CHARS)


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


def _drafts(piece: _Piece, ctx: _Context) -> list[_Draft]:
    amounts = [a for a in piece.amounts if not a.hard_quantity]
    if len(amounts) > 1 and any(not a.soft_quantity for a in amounts):
        amounts = [a for a in amounts if not a.soft_quantity]
    if not amounts:
        return []
    toks = piece.toks
    regions = _regions(piece, amounts)
    if len(amounts) > 1 and not _separate_entries(toks, amounts, regions):
        # "iphone 15 pro 999": one price, the other numbers are part of the note
        priced = [a for a in amounts if a.currency is not None or a.sign]
        amounts = [priced[0] if len(priced) == 1 else amounts[-1]]
        regions = [(0, len(toks))]
    drafts = []
    for (lo, hi), amount in zip(regions, amounts, strict=True):
        words: list[str] = []
        note_text = piece.text
        currency = amount.currency
        for idx in range(lo, hi):
            tok = toks[idx]
            if amount.first <= idx < amount.last:
                continue
            if currency is None and tok.kind in ("word", "sym") and tok.text != "/-":
                marker = (
                    lexicon.SYMBOLS.get(tok.text)
                    if tok.kind == "sym"
                    else currency_word(tok, adjacent=False, after=False, shouting=ctx.shouting)
                )
                if marker is not None:
                    currency = resolve_currency(marker, ctx.default)
                    note_text = blank(note_text, tok.start, tok.end)
                    continue
            if tok.kind == "word":
                word = normalize_word(tok.text.rstrip("."))
                if idx > lo and toks[idx - 1].kind == "num" and toks[idx - 1].end == tok.start:
                    word = toks[idx - 1].text + word  # "1mg"
                if idx + 1 < hi and toks[idx + 1].kind == "num" and toks[idx + 1].start == tok.end:
                    word += toks[idx + 1].text  # "ps5", "zee5"
                words.append(word)
            elif wordlike(tok):
                words.append(tok.text)  # emoji
        start = toks[lo].start if lo < len(toks) else 0
        end = toks[hi - 1].end if hi > 0 else 0
        note_text = blank(note_text, amount.start, amount.end)[start:end]
        note = _clean_note(note_text)
        signal = _kind_signal(amount.sign, words)
        expense_category = lookup(words, "expense")
        if (
            signal is None
            and expense_category in (None, "Gifts")
            and any(w in lexicon.WEAK_INCOME_WORDS for w in words)
        ):
            signal = "income"
        if signal is None and expense_category is None:
            implied = lookup(words, "income")
            if implied in ("Salary", "Freelance"):
                signal = "income"  # "upwork 450", "client payment 300"
        kind: Kind = signal or "expense"
        category = expense_category if kind == "expense" else lookup(words, "income")
        money = (
            currency is not None
            or bool(amount.sign)
            or signal is not None
            or category is not None
            or not words
        )
        if not money and not ("?" in note_text or len(words) > 6):
            money = not any(w in lexicon.CHATTY for w in words)
        drafts.append(
            _Draft(amount, words, note, currency, piece.occurred_on, signal, kind, category, money)
        )
    return drafts


def _kind_signal(sign: str, words: Sequence[str]) -> Kind | None:
    if sign == "+":
        return "income"
    if sign == "-":
        return "expense"
    count = len(words)
    for idx, word in enumerate(words):
        if word in lexicon.EXPENSE_VERBS:
            if word == "paid" and (
                (idx and (words[idx - 1] in lexicon.GOT_PAID or _payer(words[idx - 1])))
                or (idx + 1 < count and words[idx + 1] == "me")
            ):
                return "income"  # "got paid 2500", "client paid 800", "raj paid me 200"
            return "expense"
    for word in words:
        if word in lexicon.INCOME_WORDS:
            return "income"
    for idx, word in enumerate(words[:-1]):
        if word == "from" and lookup(words[idx + 1 : idx + 2], "income") == "Gifts":
            return "income"  # "birthday money from grandma"
    return None


def _payer(word: str) -> bool:
    """A word naming who pays a person: "client", "employer", "invoice"."""
    return lookup([word], "income") in ("Salary", "Freelance")


def _not_a_number(piece: _Piece) -> bool:
    """True for "coffee NaN": a transaction whose amount is no number at all."""
    words = [t.low for t in piece.toks if t.kind in ("word", "other")]
    if not any(w in lexicon.NOT_A_NUMBER for w in words):
        return False
    rest = [normalize_word(w) for w in words if w not in lexicon.NOT_A_NUMBER]
    return not rest or lookup(rest, "expense") is not None or _kind_signal("", rest) is not None


def _split_line(line: str) -> list[str]:
    pieces = [p for p in lexicon.SPLIT_RE.split(line) if p and p.strip()]
    return pieces or [line]


def _parse_line(line: str, ctx: _Context) -> list[_Draft]:
    """Drafts for one line: split on commas and "and" when every piece holds an amount."""
    raw_pieces = _split_line(line)
    pieces = [_analyse(p, ctx) for p in raw_pieces] if len(raw_pieces) > 1 else []
    if not pieces or not all(p.amounts and p.has_word for p in pieces):
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


def _parse(text: str, now: datetime, default_currency: str | None) -> list[ParsedEntry]:
    if len(text) > MAX_MESSAGE_CHARS:
        return []
    text = normalize(text)
    if "?" in text and lexicon.QUESTION_RE.match(text):
        return []  # "is 500 too much for rent?"
    if not any(ch.isdigit() for ch in text):
        text = spell_out(text)
        low = text.lower()
        if not any(ch.isdigit() for ch in text) and not any(
            word in low for word in ("nan", "inf", "∞")
        ):
            return []
    default = default_currency.upper() if default_currency else None
    if default is not None and default not in lexicon.ISO_CODES:
        default = None
    ctx = _Context(
        today=now.date(),
        default=default,
        shouting=any(ch.isalpha() for ch in text) and text.upper() == text,
        month_first=default == "USD",
    )
    lines = [line for line in text.splitlines() if line.strip()]
    drafts: list[_Draft] = []
    if len(lines) > 1:
        per_line = [_parse_line(line, ctx) for line in lines]
        if all(per_line):
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


def match_category(note: str, kind: str) -> str | None:
    """Default category the keywords suggest for ``note`` ("Coffees" -> Food), else None."""
    if kind not in ("expense", "income"):
        return None
    words = [
        normalize_word(t.text.rstrip(".")) if t.kind == "word" else t.text
        for t in tokenize(normalize(note))
        if t.kind in ("word", "other")
    ]
    return lookup(words, "income" if kind == "income" else "expense")
