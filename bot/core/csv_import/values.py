"""Dates and amounts as banks write them: guessing a column's format, then reading a cell."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from bot.core.money import D

# --- dates ---

DAY_FIRST = ("%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%y", "%d/%m/%y", "%d-%m-%y")
MONTH_FIRST = ("%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y", "%m-%d-%y")
OTHER_FORMATS = (
    "%d %b %Y",
    "%d %B %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %b %y",
    "%Y%m%d",
    "%a %b %d %Y",  # JavaScript's Date.toString(), once its time is cut off
)
ISO_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d")
TIME_SUFFIX = re.compile(
    r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[AaPp][Mm])?( ?(Z|UTC|GMT|[+-]\d{2}:?\d{2}))?$"
)


def _date_formats(month_first: bool) -> tuple[str, ...]:
    ambiguous = MONTH_FIRST + DAY_FIRST if month_first else DAY_FIRST + MONTH_FIRST
    return ISO_FORMATS + ambiguous + OTHER_FORMATS


# JavaScript's Date.toString(): "Tue Apr 02 2019 14:31:05 GMT+0200 (Central European Summer Time)".
JS_DATE = re.compile(r"^(\w{3} \w{3} \d{1,2} \d{4}) \d{2}:\d{2}:\d{2} GMT[+-]\d{4}( \(.*\))?$")


# Arabic-Indic digits and the Arabic decimal and thousands marks, as ASCII.
ARABIC = str.maketrans(
    "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
    "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9\u066b\u066c",
    "01234567890123456789.,",
)


def _strip_time(value: str) -> str:
    value = value.strip().translate(ARABIC)
    js = JS_DATE.match(value)
    return js.group(1) if js else TIME_SUFFIX.sub("", value)


def parse_date(value: str, date_format: str) -> date | None:
    try:
        return datetime.strptime(_strip_time(value), date_format).date()
    except ValueError:
        return None


def any_date(value: str) -> date | None:
    if not re.search(r"\d", value) or len(value) > 40:
        return None
    for date_format in _date_formats(False):
        found = parse_date(value, date_format)
        if found is not None:
            return found
    return None


# Formats are guessed from this many values of a column, spread over the file: every row of a
# 100,000-row file tried against every format froze the bot for seconds.
SAMPLE = 200


def sample(values: Sequence[str], size: int = SAMPLE) -> list[str]:
    """Up to ``size`` non-empty values, evenly spread from the first to the last."""
    present = [v for v in values if v]
    if len(present) <= size:
        return present
    step = (len(present) - 1) / (size - 1)
    return [present[round(i * step)] for i in range(size)]


def detect_date_format(values: Sequence[str], *, month_first: bool = False) -> str | None:
    """The format that reads the most values of a sample (all, in a good file); ambiguous
    day/month order follows ``month_first``. Rows the guess can't read are reported when
    they are parsed."""
    present = sample(values)
    best: str | None = None
    best_count = 0
    for date_format in _date_formats(month_first):
        count = 0
        for value in present:
            if parse_date(value, date_format) is None:
                if count == 0 and best_count > 0:
                    break
                continue
            count += 1
        if count == len(present) and present:
            return date_format
        if count > best_count:
            best, best_count = date_format, count
    return best


# --- money ---

NUMBER = re.compile(r"^\d+(\.\d+)?$")


def detect_decimal(values: Sequence[str], delimiter: str, *, places: int = 2) -> str:
    """``.`` or ``,`` as the decimal mark, by what the amounts show; ``;`` files lean to ``,``.

    A mark followed by one or two digits at the end is decimal; one repeated, or followed by
    exactly three digits, is a thousands separator (and weaker evidence) — unless the currency
    has three decimals (``places`` 3: JOD, KWD, BHD write ``4.750``).
    """
    votes: Counter[str] = Counter()
    for raw in values:
        # From the first digit to the last: a currency's own dots (``د.ا.``) are not marks.
        number = re.search(r"\d(.*\d)?", raw.translate(ARABIC))
        value = re.sub(r"[^\d.,]", "", number.group()) if number else ""
        if "." in value and "," in value:
            votes["." if value.rfind(".") > value.rfind(",") else ","] += 2
            continue
        for mark, other in ((".", ","), (",", ".")):
            if mark not in value:
                continue
            if value.count(mark) > 1:
                votes[other] += 2
            elif re.search(rf"\{mark}\d{{1,2}}$", value):
                votes[mark] += 2
            elif re.search(rf"\{mark}\d{{3}}$", value):
                votes[mark if places == 3 else other] += 1
    if votes[","] != votes["."]:
        return "," if votes[","] > votes["."] else "."
    return "," if delimiter == ";" else "."


# Marks that only set the direction of right-to-left text (``د.ا.‏4.750``): not part of a value.
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
# A currency written beside an amount: a symbol or a code of a few letters (``$``, ``EUR``,
# ``Rs.``, ``د.ا.``); a longer word (``Omschrijving-1``) means the cell is text, not money.
MAX_CURRENCY_LETTERS = 4
# A direction written after the amount: ``1,234.50 CR`` is money in, ``DR`` money out.
DIRECTION_SUFFIX = re.compile(r"\s*\b(cr|dr)\.?$", re.IGNORECASE)


def _currency_like(text: str) -> bool:
    return (
        not any(ch.isdigit() for ch in text)
        and sum(ch.isalpha() for ch in text) <= MAX_CURRENCY_LETTERS
    )


def parse_money(value: str, decimal: str) -> Decimal | None:
    """A signed amount from bank text: ``-1,234.50``, ``1.234,50``, ``(12.00)``, ``12.00-``,
    ``€ 12``, ``1 234,56``, ``- $220.00``, ``+ £1,100.00``, ``د.ا.‏4.750``, ``12.00 DR``.
    None when it isn't one."""
    plain = PLAIN.match(value)
    if plain:  # most cells of most files: a sign, digits and marks, and nothing to strip
        sign, digits = plain.groups()
        return _number(digits, decimal, negative=sign == "-")
    text = BIDI.sub("", value).strip().replace("\u2212", "-").translate(ARABIC)
    if not text:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    elif text.endswith(")") and re.match(r"^[^\d(]{0,5}\(", text):  # "$ (12.00)", "EUR(5)"
        negative, text = True, text.replace("(", "", 1)[:-1].strip()
    suffix = DIRECTION_SUFFIX.search(text)
    if suffix and re.search(r"\d", text[: suffix.start()]):
        negative = negative or suffix.group(1).lower() == "dr"
        text = text[: suffix.start()]
    # A sign and a currency in front, in either order (``- $220.00``, ``$-220.00``).
    digit = re.search(r"\d", text)
    if digit is None:
        return None
    at = digit.start()
    # ``.50`` starts at its mark, but ``د.ا.4.750``'s last dot belongs to the currency.
    if at and text[at - 1] in ".," and (at == 1 or not text[at - 2].isalpha()):
        at -= 1
    lead, text = text[:at].strip(), text[at:]
    for _ in range(2):
        for sign in (lead[:1], lead[-1:]):
            if sign in ("-", "+"):
                negative = negative or sign == "-"
                lead = (lead[1:] if lead[:1] == sign else lead[:-1]).strip()
    if not _currency_like(lead) or "-" in lead or "+" in lead:
        return None
    end = re.search(r"[\d.,]*\d[.,]?", text[::-1])
    assert end is not None  # text holds a digit
    tail = text[len(text) - end.start() :].strip()
    text = text[: len(text) - end.start()]
    if tail.endswith("-") and tail.count("-") == 1:
        negative, tail = True, tail[:-1]
    if not _currency_like(tail):
        return None
    if text.startswith(("-", "+")):
        negative, text = negative or text[0] == "-", text[1:].lstrip()
    return _number(re.sub(r"[\s\u00a0\u202f']", "", text), decimal, negative=negative)


PLAIN = re.compile(r"^\s*([+-]?)(\d[\d.,]*)\s*$")


def _number(text: str, decimal: str, *, negative: bool) -> Decimal | None:
    thousands = "," if decimal == "." else "."
    text = text.replace(thousands, "").replace(decimal, ".")
    if not NUMBER.match(text):
        return None
    amount = D(text)
    return -amount if negative else amount
