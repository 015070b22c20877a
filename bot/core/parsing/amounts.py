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
from decimal import Decimal

from bot.core.money import D, exponent
from bot.core.parsing.lexicon import (
    AFTER_ONLY_WORDS,
    CURRENCY_WORDS,
    DOLLAR,
    DOLLAR_CODES,
    DOT_THOUSANDS_CODES,
    INDIAN_GROUPS_RE,
    ISO_CODES,
    KRONA,
    KRONA_CODES,
    MAJOR_CODES,
    MULTIPLIERS,
    ORDINAL_SUFFIXES,
    RUPEE,
    RUPEE_CODES,
    SPACED_MULTIPLIERS,
    SYMBOLS,
    UNITS,
    WESTERN_GROUPS_RE,
    WORDLIKE_CODES,
    YEN,
)
from bot.core.parsing.tokens import Tok


def resolve_currency(marker: str, default: str | None) -> str:
    """Code for a symbol family, preferring the user's own currency of that family."""
    if marker == DOLLAR:
        return default if default in DOLLAR_CODES else "USD"
    if marker == RUPEE:
        return default if default in RUPEE_CODES else "INR"
    if marker == KRONA:
        return default if default in KRONA_CODES else "SEK"
    if marker == YEN:
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
    soft_quantity: bool = False  # "2 coffees": a count when another number is the price
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
        if not WESTERN_GROUPS_RE.fullmatch(whole) or "X" in frac:
            raise _NotANumber
        return D(whole.replace("X", "") + ("." + frac if frac else ""))
    if commas and dots:
        dec = "," if text.rfind(",") > text.rfind(".") else "."
        thou = "." if dec == "," else ","
        whole, _, frac = text.rpartition(dec)
        if dec in whole:
            raise _NotANumber
        if not (
            WESTERN_GROUPS_RE.fullmatch(whole.replace(thou, "X"))
            or (thou == "," and INDIAN_GROUPS_RE.fullmatch(whole))
        ):
            raise _NotANumber
        return D(whole.replace(thou, "") + "." + frac)
    count = commas + dots
    if count == 0:
        return D(text)
    sep = "," if commas else "."
    if count > 1:
        if WESTERN_GROUPS_RE.fullmatch(text.replace(sep, "X")) or (
            sep == "," and INDIAN_GROUPS_RE.fullmatch(text)
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
    if currency in DOT_THOUSANDS_CODES or frac.endswith("0"):
        return D(whole + frac)
    return (
        f"I can't tell whether {raw} means {whole}{frac} or {whole}.{frac[:2]}. "
        f"Please write {whole}{frac} or {whole}.{frac[:2]}."
    )


def currency_word(tok: Tok, *, adjacent: bool, after: bool, shouting: bool) -> str | None:
    """Currency marker for a word next to (``adjacent``) or elsewhere from an amount."""
    low = tok.low
    marker = CURRENCY_WORDS.get(low)
    if marker is not None:
        if low in AFTER_ONLY_WORDS and not (adjacent and after):
            return None
        return marker if adjacent or len(low) > 3 else None
    code = tok.text[:-1] if tok.text.endswith(".") else tok.text
    if len(code) != 3:
        return None
    upper = code.upper()
    if upper not in ISO_CODES:
        return None
    if upper in WORDLIKE_CODES:
        return upper if code.isupper() and adjacent and not shouting else None
    if adjacent or upper in MAJOR_CODES or (code.isupper() and not shouting):
        return upper
    return None


def read_amounts(
    toks: Sequence[Tok], text: str, default: str | None, shouting: bool
) -> list[Amount]:
    """Every amount expression in ``toks``, left to right."""
    amounts: list[Amount] = []
    n = len(toks)

    def touching(a: int, b: int) -> bool:
        return toks[a].end == toks[b].start

    def spaced(a: int, b: int) -> bool:
        gap = text[toks[a].end : toks[b].start]
        return gap == "" or gap.isspace()

    i = 0
    while i < n:
        if toks[i].kind != "num":
            i += 1
            continue
        if (
            i + 2 < n
            and toks[i + 1].text == "-"
            and toks[i + 2].kind == "num"
            and touching(i, i + 1)
            and touching(i + 1, i + 2)
        ):
            i += 3  # a score or a range ("won 3-0", "10-15"), not a price
            continue
        first = i
        marker: str | None = None
        j = i - 1
        floor = amounts[-1].last if amounts else 0
        if j >= floor and toks[j].kind == "word" and touching(j, i):
            marker = currency_word(toks[j], adjacent=True, after=False, shouting=shouting)
            if marker is None:  # digits glued to letters ("ps5", "covid19") belong to a word
                i += 1
                continue
            first, j = j, j - 1
        elif j >= floor and spaced(j, i):
            if toks[j].kind == "sym" and toks[j].text != "/-":
                marker = SYMBOLS[toks[j].text]
                first, j = j, j - 1
            elif toks[j].kind == "word":
                marker = currency_word(toks[j], adjacent=True, after=False, shouting=shouting)
                if marker is not None:
                    first, j = j, j - 1
        sign = ""
        if (
            j >= floor
            and toks[j].kind == "op"
            and toks[j].text in "+-"
            and spaced(j, first)
            and (j == 0 or toks[j - 1].kind not in ("num", "word") or not touching(j - 1, j))
        ):
            sign = toks[j].text
            first = j
        # Terms joined by + * × x, each with an optional multiplier.
        terms: list[tuple[str, str, Decimal | None]] = []
        k, op = i, ""
        ordinal = False
        while True:
            mult: Decimal | None = None
            nxt = k + 1
            if nxt < n and toks[nxt].kind == "word":
                word = toks[nxt].low.rstrip(".")
                if toks[nxt].text == "L" and touching(k, nxt):
                    word = "lakh"  # "1.2L"; a lower-case l is litres
                if word in MULTIPLIERS and (
                    touching(k, nxt) or (word in SPACED_MULTIPLIERS and spaced(k, nxt))
                ):
                    mult = MULTIPLIERS[word]
                    nxt += 1
                elif touching(k, nxt) and toks[nxt].low in ORDINAL_SUFFIXES:
                    ordinal = True
            terms.append((op, toks[k].text, mult))
            if (
                nxt + 1 < n
                and toks[nxt + 1].kind == "num"
                and (
                    (toks[nxt].kind == "op" and toks[nxt].text in "+*×")
                    or (toks[nxt].kind == "word" and toks[nxt].low == "x")
                )
                and spaced(nxt - 1, nxt)
                and spaced(nxt, nxt + 1)
            ):
                op = "+" if toks[nxt].text == "+" else "*"
                k = nxt + 1
                continue
            break
        last = nxt
        if ordinal:
            i = last + 1
            continue
        hard = soft = False
        if last < n and spaced(last - 1, last):
            nt = toks[last]
            if nt.kind == "sym":
                if nt.text == "/-":
                    last += 1
                elif not (
                    last + 1 < n
                    and toks[last + 1].kind == "num"
                    and touching(last, last + 1)
                    and not touching(last - 1, last)
                ):  # in "pixel 8 $699" the $ belongs to 699
                    marker = marker or SYMBOLS[nt.text]
                    last += 1
            elif nt.kind == "word":
                after = currency_word(nt, adjacent=True, after=True, shouting=shouting)
                if after is not None and marker is None:
                    marker = after
                    last += 1
                elif after is None and (
                    nt.low.rstrip(".") in UNITS
                    or (touching(last - 1, last) and nt.low not in CURRENCY_WORDS)
                ):
                    hard = True
                elif len(nt.low) > 3 and nt.low.endswith("s") and not nt.low.endswith("ss"):
                    soft = len(terms) == 1
            elif nt.kind == "other" and nt.text == "%":
                i = last + 1
                continue
        currency = resolve_currency(marker, default) if marker else None
        value: Decimal | None = None
        rejection: str | None = None
        try:
            total = D(0)
            product = D(0)
            for op, raw, mult in terms:
                parsed = _number(raw, currency=currency or default, has_multiplier=bool(mult))
                if isinstance(parsed, str):
                    rejection = parsed
                    break
                if mult is not None:
                    parsed *= mult
                if op == "+":
                    total += product
                    product = parsed
                elif op == "*":
                    product *= parsed
                else:
                    product = parsed
            else:
                value = total + product
                if len(terms) > 1 or terms[0][2] is not None:
                    value = _tidy(value)
        except _NotANumber:
            i = last
            continue
        except ArithmeticError:
            rejection = "That amount is too large to be a real transaction."
        amounts.append(
            Amount(
                value=value,
                currency=currency,
                sign=sign,
                start=toks[first].start,
                end=toks[last - 1].end,
                first=first,
                last=last,
                hard_quantity=hard,
                soft_quantity=soft,
                rejection=rejection,
            )
        )
        i = last
    return amounts


def _tidy(value: Decimal) -> Decimal:
    """``1500.0`` -> ``1500`` after a multiplier or arithmetic; other values as they are."""
    if value.is_finite() and value == value.to_integral_value() and value.adjusted() < 28:
        return value.quantize(D(1))
    return value.normalize() if value.is_finite() else value
