"""Reading amounts: sign, currency, digits with their separators, multipliers and arithmetic.

``read_amounts`` finds every amount expression among a piece's tokens: ``-12``, ``$4.50``,
``Rs.500/-``, ``1,23,456``, ``1.234,56 €``, ``15k``, ``2 lakh``, ``3 x 40 + 5``. A number that
can't be read for sure carries a ``rejection`` for the user instead of a value (errors are
values here: only the caller knows whether the piece was a transaction at all), and numbers
that count things ("5kg", "3 nights", "2 coffees") are marked as quantities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from bot.core.money import D, exponent
from bot.core.parsing import lexicon
from bot.core.parsing.tokens import Tok


def resolve_currency(marker: str, default: str | None) -> str:
    """Code for a symbol family, preferring the user's own currency of that family."""
    if marker == lexicon.DOLLAR:
        return default if default in lexicon.DOLLAR_CODES else "USD"
    if marker == lexicon.RUPEE:
        return default if default in lexicon.RUPEE_CODES else "INR"
    if marker == lexicon.KRONA:
        return default if default in lexicon.KRONA_CODES else "SEK"
    if marker == lexicon.YEN:
        return "CNY" if default == "CNY" else "JPY"
    if marker == "GBP" and default in {"EGP", "GIP", "FKP", "SHP"}:
        return default
    return marker


@dataclass(slots=True)
class Amount:
    """One amount expression: its value (or why it has none), currency, sign and span."""

    value: Decimal | None  # None when ``rejection`` says why the number can't be used
    currency: str | None
    sign: str
    start: int
    end: int
    first: int  # token indexes [first, last)
    last: int
    hard_quantity: bool = False  # "5kg", "3 nights": never a price
    soft_quantity: bool = False  # "2 coffees", "3 kids": a count when another number is the price
    # "order 12345", "#20931", "221 baker street": names something, a price only if alone
    identifier: bool = False
    rejection: str | None = None


class _NotANumber(Exception):
    """A digit string that is no number ("1.2.3")."""


def _number(raw: str, *, currency: str | None, has_multiplier: bool) -> Decimal | str:
    """Decimal for a digit string with separators, or a message asking the user to clarify.

    One separator followed by exactly three digits is a thousands separator (1,250 and 1.250);
    but a dot there is a decimal point for three-decimal currencies and before a multiplier
    (1.250k), and a dot with three digits not ending in zero (4.505) is ambiguous outside the
    currencies written the European way, so we ask instead of guessing.
    """
    text = raw
    for space in ("\u00a0", "\u202f", "\u2009", "'", "’"):
        text = text.replace(space, "X")
    commas, dots = text.count(","), text.count(".")
    if "X" in text:
        if commas + dots > 1:
            raise _NotANumber
        whole, _, frac = text.replace(",", ".").partition(".")
        if not lexicon.WESTERN_GROUPS_RE.fullmatch(whole) or "X" in frac:
            raise _NotANumber
        return D(whole.replace("X", "") + ("." + frac if frac else ""))
    if commas and dots:
        dec = "," if text.rfind(",") > text.rfind(".") else "."
        thou = "." if dec == "," else ","
        whole, _, frac = text.rpartition(dec)
        if dec in whole:
            raise _NotANumber
        if not (
            lexicon.WESTERN_GROUPS_RE.fullmatch(whole.replace(thou, "X"))
            or (thou == "," and lexicon.INDIAN_GROUPS_RE.fullmatch(whole))
        ):
            raise _NotANumber
        return D(whole.replace(thou, "") + "." + frac)
    count = commas + dots
    if count == 0:
        return D(text)
    sep = "," if commas else "."
    if count > 1:
        if lexicon.WESTERN_GROUPS_RE.fullmatch(text.replace(sep, "X")) or (
            sep == "," and lexicon.INDIAN_GROUPS_RE.fullmatch(text)
        ):
            return D(text.replace(sep, ""))
        raise _NotANumber
    whole, _, frac = text.partition(sep)
    if len(frac) != 3 or has_multiplier or len(whole) > 3 or whole.startswith("0"):
        return D(whole + "." + frac)
    if sep == ",":
        return D(whole + frac)
    places = exponent(currency) if currency else 2
    if places >= 3:
        return D(whole + "." + frac)
    if currency in lexicon.DOT_THOUSANDS_CODES or frac.endswith("0"):
        return D(whole + frac)
    return (
        f"I can't tell whether {raw} means {whole}{frac} or {whole}.{frac[:2]}. "
        f"Please write {whole}{frac} or {whole}.{frac[:2]}."
    )


def currency_word(tok: Tok, *, adjacent: bool, after: bool, shouting: bool) -> str | None:
    """Currency marker for a word next to (``adjacent``) or elsewhere from an amount."""
    low = tok.low
    marker = lexicon.CURRENCY_WORDS.get(low)
    if marker is not None:
        if low in lexicon.AFTER_ONLY_WORDS and not (adjacent and after):
            return None
        if adjacent or len(low) > 3:
            return marker
        # a short word away from the amount counts only as a code ("100 Hotel USD")
    code = tok.text[:-1] if tok.text.endswith(".") else tok.text
    if len(code) != 3:
        return None
    upper = code.upper()
    if upper not in lexicon.ISO_CODES:
        return None
    if upper in lexicon.WORDLIKE_CODES:
        return upper if code.isupper() and adjacent and not shouting else None
    if adjacent or upper in lexicon.MAJOR_CODES or (code.isupper() and not shouting):
        return upper
    return None


def read_amounts(
    toks: Sequence[Tok], text: str, default: str | None, shouting: bool
) -> list[Amount]:
    """Every amount expression in ``toks``, left to right.

    Each number token starts a candidate. The tokens one amount has taken are not looked at
    again by the next, so "5 usd 10" does not give its "usd" to both.
    """
    amounts: list[Amount] = []
    count = len(toks)
    index = 0
    while index < count:
        if toks[index].kind != "num":
            index += 1
            continue
        floor = amounts[-1].last if amounts else 0
        amount, index = _amount_at(toks, text, index, floor, default, shouting)
        if amount is not None:
            amounts.append(amount)
    return amounts


# What each operator token means; "x" (a word) multiplies too.
_OPERATORS = {"+": "+", "*": "*", "×": "*", "/": "/", "÷": "/"}

# One term of an amount expression: (operator joining it to the one before, "" for the first
# term; its digits as typed; its multiplier, as in "15k").
_Term = tuple[str, str, Decimal | None]


def _amount_at(
    toks: Sequence[Tok], text: str, number: int, floor: int, default: str | None, shouting: bool
) -> tuple[Amount | None, int]:
    """The amount whose first digits are token ``number``, or None; and where to read on.

    Tokens before ``floor`` belong to the previous amount and are not looked at.
    """
    if (
        number + 2 < len(toks)
        and toks[number + 1].text == "-"
        and toks[number + 2].kind == "num"
        and _touching(toks, number, number + 1)
        and _touching(toks, number + 1, number + 2)
    ):
        return None, number + 3  # a score or a range ("won 3-0", "10-15"), not a price
    before = _before(toks, text, number, floor, shouting)
    if before is None:
        return None, number + 1  # digits glued to letters ("ps5", "covid19") belong to a word
    first, marker, sign = before
    terms, end, ordinal = _terms(toks, text, number)
    if ordinal:
        return None, end + 1  # "3rd" with its suffix: a date or a rank, not a price
    after = _after(toks, text, end, marker, shouting=shouting, single_term=len(terms) == 1)
    if after is None:
        return None, end + 1  # "5%" and its "%": a rate, not a price
    end, marker, hard_quantity, soft_quantity = after
    currency = resolve_currency(marker, default) if marker else None
    try:
        value, rejection = _evaluate(terms, currency or default)
    except _NotANumber:
        return None, end
    amount = Amount(
        value=value,
        currency=currency,
        sign=sign,
        start=toks[first].start,
        end=toks[end - 1].end,
        first=first,
        last=end,
        hard_quantity=hard_quantity,
        soft_quantity=soft_quantity,
        identifier=marker is None and not sign and _identifier(toks, first, end),
        rejection=rejection,
    )
    return amount, end


def _identifier(toks: Sequence[Tok], first: int, end: int) -> bool:
    """A number that names something: after "#" or "order", or a house number before a street."""
    if end - first != 1 or not toks[first].text.isdigit():
        return False
    if first > 0:
        before = toks[first - 1]
        if before.text == "#" or before.low.rstrip(".") in lexicon.ID_WORDS:
            return True
    # "221 baker street", "123 Main St": a street word within a few words after
    for tok in toks[end : end + lexicon.STREET_REACH]:
        if tok.kind != "word":
            return False
        if tok.low.rstrip(".") in lexicon.STREET_WORDS:
            return True
    return False


def _touching(toks: Sequence[Tok], left: int, right: int) -> bool:
    """Nothing at all between the two tokens, as in "15k" or "$5"."""
    return toks[left].end == toks[right].start


def _spaced(toks: Sequence[Tok], text: str, left: int, right: int) -> bool:
    """Only whitespace, or nothing, between the two tokens."""
    gap = text[toks[left].end : toks[right].start]
    return gap == "" or gap.isspace()


def _before(
    toks: Sequence[Tok], text: str, number: int, floor: int, shouting: bool
) -> tuple[int, str | None, str] | None:
    """What stands before the number: (first token of the amount, currency marker, sign).

    A currency symbol or word may stand before the digits ("$5", "Rs 500", "USD12"), and a
    sign ("+500", "-$12") before that. None when the digits are glued to a word that names
    no currency.
    """
    first, marker = number, None
    previous = number - 1
    if previous >= floor and toks[previous].kind == "word" and _touching(toks, previous, number):
        marker = currency_word(toks[previous], adjacent=True, after=False, shouting=shouting)
        if marker is None:
            return None
        first = previous
    elif previous >= floor and _spaced(toks, text, previous, number):
        tok = toks[previous]
        if tok.kind == "sym" and tok.text != "/-":
            marker = lexicon.SYMBOLS[tok.text]
            first = previous
        elif tok.kind == "word":
            marker = currency_word(tok, adjacent=True, after=False, shouting=shouting)
            if marker is not None:
                first = previous
    sign = ""
    previous = first - 1
    if (
        previous >= floor
        and toks[previous].kind == "op"
        and toks[previous].text in "+-"
        and _spaced(toks, text, previous, first)
        # a sign stands on its own: in "5-3" and "a-5" the "-" joins, it doesn't sign
        and (
            previous == 0
            or toks[previous - 1].kind not in ("num", "word")
            or not _touching(toks, previous - 1, previous)
        )
    ):
        sign = toks[previous].text
        first = previous
    return first, marker, sign


def _terms(toks: Sequence[Tok], text: str, number: int) -> tuple[list[_Term], int, bool]:
    """The number and the terms joined to it by + * × x, each with its multiplier.

    Returns the terms, the index of the token after them, and whether the number turned out
    to be an ordinal ("3rd"); an ordinal ends the expression and the token after it is its
    suffix.
    """
    count = len(toks)
    terms: list[_Term] = []
    at, operator = number, ""
    ordinal = False
    while True:
        multiplier: Decimal | None = None
        after = at + 1
        if after < count and toks[after].kind == "word":
            word = toks[after].low.rstrip(".")
            if toks[after].text == "L" and _touching(toks, at, after):
                word = "lakh"  # "1.2L"; a lower-case l is litres
            if word in lexicon.MULTIPLIERS and (
                _touching(toks, at, after)
                or (word in lexicon.SPACED_MULTIPLIERS and _spaced(toks, text, at, after))
            ):
                multiplier = lexicon.MULTIPLIERS[word]
                after += 1
            elif _touching(toks, at, after) and toks[after].low in lexicon.ORDINAL_SUFFIXES:
                ordinal = True
        terms.append((operator, toks[at].text, multiplier))
        if not (  # joined by + * × x / ÷, with spaces or nothing around, to another number
            after + 1 < count
            and toks[after + 1].kind == "num"
            and (
                (toks[after].kind == "op" and toks[after].text in "+*×/÷")
                or (toks[after].kind == "word" and toks[after].low == "x")
            )
            and _spaced(toks, text, after - 1, after)
            and _spaced(toks, text, after, after + 1)
        ):
            return terms, after, ordinal
        operator = _OPERATORS.get(toks[after].text, "*")
        at = after + 1


def _after(
    toks: Sequence[Tok],
    text: str,
    end: int,
    marker: str | None,
    *,
    shouting: bool,
    single_term: bool,
) -> tuple[int, str | None, bool, bool] | None:
    """What stands after the terms: (end of the amount, currency marker, hard, soft quantity).

    A currency symbol or word after the digits counts unless one stood before them; "/-"
    closes an amount ("Rs.500/-"). A unit ("5 kg", "3 nights") makes a hard quantity, never
    a price; a plural word ("2 coffees") after a single term a soft one, a count when
    another number is the price. None for a percentage, which is no amount.
    """
    count = len(toks)
    hard_quantity = soft_quantity = False
    if end < count and _spaced(toks, text, end - 1, end):
        tok = toks[end]
        if tok.kind == "sym":
            if tok.text == "/-":
                end += 1
            elif not (
                end + 1 < count
                and toks[end + 1].kind == "num"
                and _touching(toks, end, end + 1)
                and not _touching(toks, end - 1, end)
            ):  # in "pixel 8 $699" the $ belongs to 699
                marker = marker or lexicon.SYMBOLS[tok.text]
                end += 1
                end, marker = _dollar_code(toks, text, end, marker, shouting)
        elif tok.kind == "word":
            currency = currency_word(tok, adjacent=True, after=True, shouting=shouting)
            unit = tok.low.rstrip(".")
            if currency is not None and marker is None:
                marker = currency
                end += 1
            elif currency is None and unit in lexicon.COUNT_UNITS:
                soft_quantity = True  # "3 kids", "65 kids": a count, or the price if alone
            elif currency is None and (
                unit in lexicon.UNITS
                # glued to the digits: "5kg", "2l" are units, "12.80Sandwich" is a note
                or (
                    _touching(toks, end - 1, end)
                    and len(unit) <= 2
                    and tok.low not in lexicon.CURRENCY_WORDS
                )
            ):
                # "2 x 350 tickets" is the price of two tickets, not a quantity
                hard_quantity = single_term
                soft_quantity = not single_term
            elif len(tok.low) > 3 and tok.low.endswith("s") and not tok.low.endswith("ss"):
                soft_quantity = single_term
        elif tok.kind == "other" and tok.text == "%":
            return None
    return end, marker, hard_quantity, soft_quantity


def _dollar_code(
    toks: Sequence[Tok], text: str, end: int, marker: str | None, shouting: bool
) -> tuple[int, str | None]:
    """A code that says which dollar "$" meant, right after it: "6.80$ SGD"."""
    if marker != lexicon.DOLLAR or end >= len(toks) or not _spaced(toks, text, end - 1, end):
        return end, marker
    code = currency_word(toks[end], adjacent=True, after=True, shouting=shouting)
    if code in lexicon.DOLLAR_CODES:
        return end + 1, code
    return end, marker


def _evaluate(terms: Sequence[_Term], currency: str | None) -> tuple[Decimal | None, str | None]:
    """(value, None) for the terms, * and / before +; or (None, why not) for the user.

    A division is a share ("rent 1800/2"), rounded to the currency's cents. Raises _NotANumber
    when a term's digits are no number at all ("1.2.3"): then there is no amount, rather than a
    bad one.
    """
    try:
        total = D(0)
        product = D(0)
        divided = False
        for operator, digits, multiplier in terms:
            parsed = _number(digits, currency=currency, has_multiplier=bool(multiplier))
            if isinstance(parsed, str):
                return None, parsed
            if multiplier is not None:
                parsed *= multiplier
            if operator == "+":
                total += product
                product = parsed
            elif operator == "*":
                product *= parsed
            elif operator == "/":
                if not parsed:
                    return None, "I can't divide by zero."
                product /= parsed
                divided = True
            else:
                product = parsed
        value = total + product
        if divided:
            cents = D(1).scaleb(-(exponent(currency) if currency else 2))
            value = value.quantize(cents, rounding=ROUND_HALF_UP)
        if len(terms) > 1 or terms[0][2] is not None:
            value = _tidy(value)  # "1.5k" is 1500, not 1500.0
        return value, None
    except ArithmeticError:
        return None, "That amount is too large to be a real transaction."


def _tidy(value: Decimal) -> Decimal:
    """``1500.0`` -> ``1500`` after a multiplier or arithmetic; other values as they are."""
    if value.is_finite() and value == value.to_integral_value() and value.adjusted() < 28:
        return value.quantize(D(1))
    return value.normalize() if value.is_finite() else value
