"""How many entries one chat message may record.

Every entry a message records is confirmed in one reply and undone with one button; past a
hundred that reply is a wall nobody reads (and, unsummarised, longer than Telegram sends), and a
pasted statement belongs in /import, which previews before it saves. So a message with more is
refused whole, with a reply that says what to do instead.
"""

from __future__ import annotations

from collections.abc import Sized
from typing import Final

from models.services.results import Rejected

MAX_ENTRIES_PER_MESSAGE: Final = 100


def over_entry_cap(parsed: Sized) -> Rejected | None:
    """Rejected when ``parsed`` holds more entries than one message may record."""
    count = len(parsed)
    if count <= MAX_ENTRIES_PER_MESSAGE:
        return None
    return too_many_entries(count)


def too_many_entries(count: int) -> Rejected:
    """The refusal of a message of ``count`` entries (the parser counts them past 200)."""
    return Rejected(
        f"That's {count:,} entries in one message; I save up to {MAX_ENTRIES_PER_MESSAGE} at a "
        "time. Split them over a few messages, or send them as a CSV file (/import shows how)."
    )
