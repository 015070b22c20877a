"""Text before reading: look-alike characters and number words made plain, then cut into tokens.

A token is a number, a currency symbol, a word, an operator or any other character, with its
span in the text; the other modules look at neighbours by span (touching, or only spaces between).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.core.parsing import lexicon


def normalize(text: str) -> str:
    """ASCII digits and signs for look-alikes, and "1 500 €" held together as one number."""
    if not text.isascii():
        text = _ascii_digits(text.translate(lexicon.FANCY))
    if lexicon.DIGIT_SPACE_DIGIT_RE.search(text):
        text = lexicon.SPACE_GROUPS_RE.sub(lambda m: m.group().replace(" ", "\u202f"), text)
    return text


def _ascii_digits(text: str) -> str:
    """Replace any Unicode decimal digit (Devanagari, Arabic-Indic, full-width) by ASCII."""
    out = []
    for ch in text:
        if ch.isdigit() and not ch.isascii():
            try:
                out.append(str(unicodedata.decimal(ch)))
                continue
            except ValueError:
                pass
        out.append(ch)
    return "".join(out)


# How far before a number word "spent", "bought … for" may stand: a few words.
_VERB_REACH = 48


def spell_out(text: str) -> str:
    """Digits for number words that are clearly money: "spent fifty on lunch", "a hundred bucks"."""

    def digits(m: re.Match[str]) -> str:
        currency_after = lexicon.CURRENCY_AFTER_RE.match(text, m.end())
        # The verb stands right before the number: look a few words back, not at all the text.
        verb = lexicon.MONEY_VERB_BEFORE_RE.search(text, max(0, m.start() - _VERB_REACH), m.start())
        money = currency_after or verb
        value = _number_value(m.group()) if money else None
        return str(value) if value else m.group()

    return lexicon.NUMBER_PHRASE_RE.sub(digits, text)


def _number_value(phrase: str) -> int | None:
    """The value of a number phrase ("two thousand five hundred"), or None if it holds no number."""
    total = current = 0
    seen = False
    for word in re.split(r"[\s-]+", phrase.lower()):
        if word in ("a", "an", "and", ""):
            continue
        if word in lexicon.SMALL_NUMBERS:
            current += lexicon.SMALL_NUMBERS[word]
            seen = True
        elif word == "hundred":
            current = max(current, 1) * 100
            seen = True
        elif word in lexicon.SCALES:
            total += max(current, 1) * lexicon.SCALES[word]
            current = 0
            seen = True
    return total + current if seen else None


@dataclass(slots=True)
class Tok:
    """One token: its kind, its text, its span in the text and its lower-case form."""

    kind: str  # num, sym, word, op, other
    text: str
    start: int
    end: int
    low: str


def tokenize(text: str) -> list[Tok]:
    """The tokens of ``text``, left to right; whitespace is not a token."""
    toks: list[Tok] = []
    for m in lexicon.TOKEN_RE.finditer(text):
        kind = m.lastgroup or "other"
        tok_text = m.group()
        toks.append(Tok(kind, tok_text, m.start(), m.end(), tok_text.lower()))
    return toks


def wordlike(tok: Tok) -> bool:
    """Words and emoji: what a note is made of."""
    return tok.kind == "word" or (tok.kind == "other" and not tok.text.isascii())


def blank(text: str, start: int, end: int) -> str:
    """``text`` with [start, end) spaced out, so later spans still line up with the original."""
    return text[:start] + " " * (end - start) + text[end:]
