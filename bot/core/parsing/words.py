"""The words of one entry: what decides its kind and category, the label the user wrote, the note.

An entry's words are the tokens around its amount. A currency named away from the amount
("paid 40 in euros") is taken out of them; a category the user wrote out — in brackets
("[Travel & Vacation]") or as "Category - Subcategory" ("Food - Grocery", the subcategory first)
— is the entry's *label*, looked up before the other words. Hashtags are tags ("#family"), not
categories: they are words like the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from bot.core.keywords import CATEGORY_NAMES, normalize_word
from bot.core.parsing import lexicon
from bot.core.parsing.amounts import Amount, currency_word, resolve_currency
from bot.core.parsing.tokens import Tok, blank, wordlike

# The words that decide an entry's kind, category and currency: a note is a few words, and
# looking up thousands of them ("1 ’’’’…") would cost more than the rest of the message.
MAX_ENTRY_WORDS: Final = 64


@dataclass(frozen=True, slots=True)
class EntryWords:
    """Normalized words (amount excluded), the label's words, the currency, the note text."""

    words: list[str]
    label: list[str]
    currency: str | None
    note_text: str


def entry_words(
    toks: Sequence[Tok],
    text: str,
    amount: Amount,
    lo: int,
    hi: int,
    default: str | None,
    shouting: bool,
) -> EntryWords:
    """The words of the tokens [lo, hi) around ``amount``, in ``text`` (the piece's text).

    A word glued to digits keeps them ("1mg", "ps5") unless the digits are the amount itself
    ("12.80Sandwich").
    """
    words: list[str] = []
    note_text = text
    currency = amount.currency
    bracket = False
    bracketed: list[str] = []
    for idx in range(lo, hi):
        tok = toks[idx]
        if tok.text in "[]" and tok.kind == "other":
            bracket = tok.text == "["
            continue
        if amount.first <= idx < amount.last:
            continue
        if len(words) >= MAX_ENTRY_WORDS:
            break
        if currency is None and tok.kind in ("word", "sym") and tok.text != "/-":
            marker = (
                lexicon.SYMBOLS.get(tok.text)
                if tok.kind == "sym"
                else currency_word(tok, adjacent=False, after=False, shouting=shouting)
            )
            if marker is not None:
                currency = resolve_currency(marker, default)
                note_text = blank(note_text, tok.start, tok.end)
                continue
        if tok.kind == "word":
            word = normalize_word(tok.text.rstrip("."))
            glued = idx > lo and toks[idx - 1].kind == "num" and toks[idx - 1].end == tok.start
            if glued and not amount.first <= idx - 1 < amount.last:
                word = toks[idx - 1].text + word  # "1mg"
            if idx + 1 < hi and toks[idx + 1].kind == "num" and toks[idx + 1].start == tok.end:
                word += toks[idx + 1].text  # "ps5", "zee5"
            words.append(word)
            if bracket:
                bracketed.append(word)
        elif wordlike(tok):
            words.append(tok.text)  # emoji
    start = toks[lo].start if lo < len(toks) else 0
    end = toks[hi - 1].end if hi > 0 else 0
    label = (_subcategory(toks, lo, hi) if "-" in text else []) + bracketed
    return EntryWords(words, label, currency, blank(note_text, amount.start, amount.end)[start:end])


def _subcategory(toks: Sequence[Tok], lo: int, hi: int) -> list[str]:
    """The words of a "Food - Grocery" label, subcategory first; [] when there is none."""
    for idx in range(lo, hi - 2):
        name, dash = toks[idx], toks[idx + 1]
        if (
            name.kind == "word"
            and normalize_word(name.text) in CATEGORY_NAMES
            and dash.text == "-"
            and dash.start > name.end
        ):
            sub = []
            for tok in toks[idx + 2 : hi]:
                if tok.kind != "word":
                    break
                sub.append(normalize_word(tok.text.rstrip(".")))
            return [*sub, normalize_word(name.text)]
    return []


def clean_note(text: str) -> str:
    """The note as typed, less the verbs and glue words at its edges ("spent on tea" -> "tea")."""
    text = lexicon.EMPTY_BRACKETS_RE.sub(" ", text)
    words = lexicon.SPACES_RE.sub(" ", text).strip(lexicon.NOTE_EDGE_CHARS).split(" ")
    while words and (
        words[0].lower() in lexicon.NOTE_VERBS or words[0].lower() in lexicon.NOTE_GLUE
    ):
        words.pop(0)
    while words and (words[-1].lower() in lexicon.NOTE_GLUE or words[-1].lower() == "i"):
        words.pop()
    return " ".join(words).strip(lexicon.NOTE_EDGE_CHARS)
