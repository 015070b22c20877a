"""Shared ledgers: splitting an amount among members and settling who owes whom. Pure.

Amounts are split in integer minor units (cents) so nothing is lost: the shares of a split always
add up to the amount. Debts are settled with the fewest transfers that bring everyone to zero.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from bot.core.errors import UserMistake

K = TypeVar("K", bound=Hashable)

# How a member who erased their data (/deleteme) is named in the household's figures.
FORMER_MEMBER = "a former member"

# Above this many people with a non-zero balance the exact search (2^n subsets) would stall the
# event loop; a household is far smaller, and the greedy plan beyond it is still short.
EXACT_LIMIT = 12


def split_minor(total: int, parts: int, *, start: int = 0) -> list[int]:
    """``total`` minor units in ``parts`` shares that differ by at most one unit.

    The units that don't divide evenly go one each to the shares from ``start`` on (wrapping),
    so the same amount split the same way always gives the same shares, and a caller that varies
    ``start`` (the entry's id) spreads the odd cents instead of always charging the first member.
    """
    if parts < 1:
        raise ValueError("a split needs at least one share")
    base, extra = divmod(total, parts)
    first = start % parts
    return [base + (1 if (i - first) % parts < extra else 0) for i in range(parts)]


@dataclass(frozen=True, slots=True)
class Transfer(Generic[K]):
    """``debtor`` pays ``creditor`` ``amount`` (positive)."""

    debtor: K
    creditor: K
    amount: Decimal


def settle(balances: Mapping[K, Decimal]) -> list[Transfer[K]]:
    """The fewest transfers that bring every balance to zero.

    A balance is what the person is owed (positive) or owes (negative); they must add up to
    zero. The fewest transfers for n people is n minus the largest number of groups the people
    split into whose balances each add up to zero (each group of k settles in k - 1 transfers and
    no fewer), so the groups are searched exactly for up to ``EXACT_LIMIT`` people. Ties are
    broken by the order of ``balances``, so the same balances always give the same plan.
    """
    people = [(key, amount) for key, amount in balances.items() if amount != 0]
    if sum((amount for _, amount in people), Decimal(0)) != 0:
        raise ValueError("balances must add up to zero")
    groups = _zero_sum_groups(people) if len(people) <= EXACT_LIMIT else [people]
    return [transfer for group in groups for transfer in _greedy(group)]


def _zero_sum_groups(people: list[tuple[K, Decimal]]) -> list[list[tuple[K, Decimal]]]:
    """``people`` partitioned into as many groups as possible that each add up to zero.

    ``best[mask]`` is the most zero-sum prefixes any ordering of the people in ``mask`` has; an
    ordering that lists a partition's groups one after another has one per group, so
    ``best[everyone]`` is the most groups, and walking back the choices gives the ordering.
    """
    count = len(people)
    if count == 0:
        return []
    full = (1 << count) - 1
    sums = [Decimal(0)] * (full + 1)
    best = [0] * (full + 1)
    for mask in range(1, full + 1):
        low = (mask & -mask).bit_length() - 1
        sums[mask] = sums[mask & (mask - 1)] + people[low][1]
        best[mask] = max(best[mask & ~(1 << i)] for i in range(count) if mask >> i & 1)
        if sums[mask] == 0:
            best[mask] += 1
    order: list[int] = []
    mask = full
    while mask:
        target = best[mask] - (1 if sums[mask] == 0 else 0)
        last = next(i for i in range(count) if mask >> i & 1 and best[mask & ~(1 << i)] == target)
        order.append(last)
        mask &= ~(1 << last)
    order.reverse()
    groups: list[list[int]] = [[]]
    running = Decimal(0)
    for index in order:
        groups[-1].append(index)
        running += people[index][1]
        if running == 0:
            groups.append([])
    # In the callers' order, whatever order the search happened to find them in.
    ordered = sorted((sorted(group) for group in groups if group), key=lambda group: group[0])
    return [[people[i] for i in group] for group in ordered]


def _greedy(group: Sequence[tuple[K, Decimal]]) -> list[Transfer[K]]:
    """Settle a zero-sum group: the biggest debtor pays the biggest creditor, until all are even.

    Each transfer brings at least one person to zero and the last brings two, so a group of k
    needs at most k - 1.
    """
    keys = [key for key, _ in group]
    left = dict(group)
    transfers: list[Transfer[K]] = []
    while True:
        debtor = min(keys, key=lambda k: (left[k], keys.index(k)))
        creditor = max(keys, key=lambda k: (left[k], -keys.index(k)))
        if left[debtor] >= 0 or left[creditor] <= 0:
            return transfers
        amount = min(-left[debtor], left[creditor])
        transfers.append(Transfer(debtor, creditor, amount))
        left[debtor] += amount
        left[creditor] -= amount


# --- what members type ---

_SPLIT_SUFFIX = re.compile(r"(?:\s+|^)\(?split(?:\s+(?:equally|evenly))?\)?\s*$", re.IGNORECASE)
_HANDLE = re.compile(r"@([A-Za-z0-9_]{1,32})")


def take_split(text: str) -> tuple[str, bool]:
    """``dinner 120 split`` -> (``dinner 120``, True): a last word "split" shares the entry.

    Only the last word counts, so a note such as "split peas 3" stays a note.
    """
    found = _SPLIT_SUFFIX.search(text)
    if found is None or not text[: found.start()].strip():
        return text, False
    return text[: found.start()].rstrip(), True


def take_handles(text: str) -> tuple[str, list[str]]:
    """``90 taxi @ben @cleo`` -> (``90 taxi``, [``ben``, ``cleo``]): who a split is with."""
    handles = [match.group(1) for match in _HANDLE.finditer(text)]
    rest = " ".join(_HANDLE.sub(" ", text).split())
    return rest, handles


class NobodyToSplitWith(UserMistake):
    """A split whose people are all unknown, or only the payer."""

    message = (
        "I need at least one other member to split with. Members are everyone who wrote here "
        "or tapped Join; name them like /split 90 taxi @ben."
    )


class UnknownMembers(UserMistake):
    """Names in a split that are no member of the household."""

    message = (
        "{names}: no member of this household by that name. Members are everyone who wrote "
        "here or tapped Join, and are still in the group."
    )

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__(self.message.format(names=", ".join(f"@{n}" for n in names)))


class NotAnExpense(UserMistake):
    """Only spending is shared: income stays with whoever received it."""

    message = "Only expenses can be split; that one is income."
