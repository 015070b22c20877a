"""Results every area of use cases shares.

A use case never answers ``None`` for "that row is gone or isn't yours": it answers ``STALE``,
so a caller can't mistake it for an empty result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class Stale:
    """What a button or link pointed at is gone, already used, or belongs to someone else."""


STALE: Final = Stale()


@dataclass(frozen=True, slots=True)
class Rejected:
    """It looks like a transaction but something in it is wrong; nothing was stored."""

    reason: str
