"""Category rules users teach Penny, and the /categories command's arguments. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from bot.core.errors import UserMistake

T = TypeVar("T")

_WORD = re.compile(r"[^\W\d_][\w'’&.-]*", re.UNICODE)
# Words that say nothing about what was bought; never learned as a keyword.
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "on",
        "for",
        "at",
        "to",
        "in",
        "of",
        "and",
        "with",
        "from",
        "my",
        "our",
        "spent",
        "paid",
        "pay",
        "bought",
        "got",
        "received",
        "earned",
        "some",
        "today",
        "yesterday",
    ]
)
MAX_NAME = 32


def _words(note: str) -> list[str]:
    return [w.casefold().replace("’", "").replace("'", "").strip(".-") for w in _WORD.findall(note)]


def _forms(word: str) -> tuple[str, ...]:
    if len(word) > 3 and word.endswith("ies"):
        return (word, word[:-3] + "y")
    if len(word) > 3 and word.endswith("es"):
        return (word, word[:-1], word[:-2])
    if len(word) > 3 and word.endswith("s"):
        return (word, word[:-1])
    return (word,)


def rule_keyword(note: str) -> str | None:
    """The word to learn from a note: its first meaningful word, singular (``Ubers`` → ``uber``)."""
    for word in _words(note):
        if word and word not in _STOP and len(word) >= 2:
            return _forms(word)[-1] if word.endswith("s") and len(word) > 3 else word
    return None


def match_rule(note: str, rules: Mapping[str, T]) -> T | None:
    """The user's rule for the first word of ``note`` that has one, plurals included."""
    if not rules:
        return None
    for word in _words(note):
        for form in _forms(word):
            found = rules.get(form)
            if found is not None:
                return found
    return None


def match_name(note: str, names: Mapping[str, T]) -> T | None:
    """The category whose name the note says ("cleats for kids" → Kids), plurals included.

    ``names`` maps a lower-case category name, one word or several ("eating out"), to what
    it stands for; the earliest word of the note that starts a name wins.
    """
    if not names:
        return None
    words = _words(note)
    wanted = [(name.split(), found) for name, found in names.items() if name.strip()]
    for start in range(len(words)):
        for parts, found in wanted:
            end = start + len(parts)
            if end <= len(words) and all(
                part in _forms(word) or word in _forms(part)
                for part, word in zip(parts, words[start:end], strict=True)
            ):
                return found
    return None


@dataclass(frozen=True, slots=True)
class CategoriesCommand:
    action: Literal["list", "add", "rename", "remove", "emoji", "forget"]
    kind: Literal["expense", "income"] = "expense"
    name: str = ""
    new_name: str = ""
    emoji: str | None = None
    kind_given: bool = False  # "remove income Gifts"; without it, a name of one kind picks it


CATEGORIES_USAGE = (
    "/categories – list your categories and what I've learned\n"
    "/categories add Pets 🐶 – a new expense category (add income Rent 🏠 for income)\n"
    "/categories rename Pets to Animals\n"
    "/categories emoji Pets 🐱\n"
    "/categories remove Pets – its transactions move to Other\n"
    "/categories forget uber – drop a learned keyword"
)


class CategoriesUsage(UserMistake):
    """The /categories arguments fit no form; the message is the usage text."""


class FormulaName(CategoriesUsage):
    """A category name a spreadsheet would run as a formula."""

    message = (
        "A category name can't start with =, +, - or @: spreadsheets would run it as a formula "
        "when you open your export. Pick another name."
    )


# What makes a spreadsheet read a cell as a formula (OWASP's list, and the full-width forms
# CJK Excel reads the same; tabs and newlines never reach a name, which is split on whitespace).
_FORMULA_START = ("=", "+", "-", "@", "＝", "＋", "－", "＠")


def _is_emoji(token: str) -> bool:
    return bool(token) and not any(ch.isalnum() for ch in token) and len(token) <= 8


def _name(words: Sequence[str]) -> str:
    name = " ".join(words).strip()
    if not name or len(name) > MAX_NAME or any(ch in name for ch in ":\n"):
        raise CategoriesUsage(CATEGORIES_USAGE)
    if name.startswith(_FORMULA_START):
        raise FormulaName()
    return name


def parse_categories_args(args: Sequence[str]) -> CategoriesCommand:
    """Read /categories arguments; raises CategoriesUsage when they fit no form."""
    words = [a for a in args if a.strip()]
    if not words:
        return CategoriesCommand("list")
    verb, rest = words[0].lower(), words[1:]
    kind: Literal["expense", "income"] = "expense"
    given = bool(rest) and rest[0].lower() in {"income", "expense"}
    if given:
        kind = "income" if rest[0].lower() == "income" else "expense"
        rest = rest[1:]
    emoji = rest[-1] if rest and _is_emoji(rest[-1]) else None
    if emoji is not None:
        rest = rest[:-1]
    if verb == "add":
        return CategoriesCommand("add", kind, _name(rest), emoji=emoji)
    if verb == "emoji" and emoji is not None:
        return CategoriesCommand("emoji", kind, _name(rest), emoji=emoji, kind_given=given)
    if verb in {"remove", "delete"} and emoji is None:
        return CategoriesCommand("remove", kind, _name(rest), kind_given=given)
    if verb == "forget" and len(rest) == 1:
        return CategoriesCommand("forget", kind, rest[0].casefold())
    if verb == "rename" and "to" in [w.lower() for w in rest]:
        at = [w.lower() for w in rest].index("to")
        return CategoriesCommand(
            "rename", kind, _name(rest[:at]), _name(rest[at + 1 :]), emoji, kind_given=given
        )
    raise CategoriesUsage(CATEGORIES_USAGE)
