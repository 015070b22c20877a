"""What an entry is: an expense, an income or a refund, and which category its words suggest.

A sign or a verb says the kind outright ("+500", "paid", "received"); without one, weaker hints
decide ("got 20", "upwork 450"), and an entry is an expense unless something says otherwise.
A refund is money back into the category it left ("refund 89.99 amazon"): an expense given
back, which lowers that category's spending. Categories come from the keyword dictionary in
:mod:`bot.core.keywords`; a label the user wrote ("[Travel]", "Food - Grocery") goes first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.categories import Kind
from bot.core.keywords import lookup, normalize_word
from bot.core.parsing import lexicon
from bot.core.parsing.tokens import normalize, tokenize


@dataclass(frozen=True, slots=True)
class Reading:
    """The kind the sign or words say outright (or None), the kind, category and refund flag."""

    signal: Kind | None
    kind: Kind
    category: str | None
    refund: bool = False


def classify(sign: str, words: Sequence[str], label: Sequence[str] = ()) -> Reading:
    """How one entry reads: its kind, category and whether it is a refund.

    A weak income word ("got", "won") makes income unless the words name something bought
    ("got coffee 4"); so does a payer with no purchase in sight ("upwork 450"). ``label`` are
    the words of a category the user wrote out; they are looked up before the rest.
    """
    expense_category = lookup(label, "expense") or lookup(words, "expense")
    back = _given_back(words)
    if _refund(sign, words, expense_category, back):
        return Reading("expense", "expense", expense_category, refund=True)
    signal = kind_signal(sign, words, back)
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
    category = (
        expense_category
        if kind == "expense"
        else lookup(label, "income") or lookup(words, "income")
    )
    return Reading(signal, kind, category)


def _refund(
    sign: str, words: Sequence[str], expense_category: str | None, back: Kind | None
) -> bool:
    """True for money given back for something bought.

    "refund" says so outright ("tax refund" is income, though: no purchase is undone); money
    returned or got back is a refund when it names what was bought ("returned shoes 40"),
    else money a person gave back ("rahul returned 500"), income.
    """
    if sign == "-":
        return False
    for idx, word in enumerate(words):
        if word in lexicon.REFUND_WORDS:
            return not (idx and words[idx - 1] in lexicon.NOT_A_PURCHASE)
    return expense_category not in (None, "Gifts") and back == "income"


def _given_back(words: Sequence[str]) -> Kind | None:
    """Which way money went back: "rahul returned 500", "got back 250" in; "paid back 200" out."""
    for idx, word in enumerate(words):
        after = words[idx + 1 :]
        if word in lexicon.GIVEN_BACK:
            mine = "to" in after or (idx > 0 and words[idx - 1] == "i")
            return "expense" if mine else "income"
        if after[:1] == ["back"]:
            if word in lexicon.GOT_BACK:
                return "income"
            if word in lexicon.PAID_BACK:
                return "income" if "me" in after[1:3] else "expense"
    return None


def kind_signal(sign: str, words: Sequence[str], back: Kind | None = None) -> Kind | None:
    """The kind a sign or a word states outright ("+500", "paid", "salary"); else None.

    ``back`` is which way money went back (``_given_back``), when the caller knows it.
    """
    if sign == "+":
        return "income"
    if sign == "-":
        return "expense"
    back = back or _given_back(words)
    if back is not None:
        return back
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
