"""What an entry is: an expense or an income, and which category its words suggest.

A sign or a verb says the kind outright ("+500", "paid", "received"); without one, weaker hints
decide ("got 20", "upwork 450"), and an entry is an expense unless something says otherwise.
Categories come from the keyword dictionary in :mod:`bot.core.keywords`.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.categories import Kind
from bot.core.keywords import lookup, normalize_word
from bot.core.parsing import lexicon
from bot.core.parsing.tokens import normalize, tokenize


def classify(sign: str, words: Sequence[str]) -> tuple[Kind | None, Kind, str | None]:
    """(the kind the sign or words say outright, the kind, the category) of one entry.

    A weak income word ("got", "won") makes income unless the words name something bought
    ("got coffee 4"); so does a payer with no purchase in sight ("upwork 450").
    """
    signal = kind_signal(sign, words)
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
    return signal, kind, category


def kind_signal(sign: str, words: Sequence[str]) -> Kind | None:
    """The kind a sign or a word states outright ("+500", "paid", "salary"); else None."""
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
