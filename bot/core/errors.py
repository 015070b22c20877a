"""The one base of the mistakes Penny explains to the user.

A user's mistake is expected, so it is data with a message, not a bug: each area subclasses
:class:`UserMistake` and sets ``message``, its default text. Handlers turn them into replies at
one boundary; anything else that is raised is a bug or an outage.
"""

from __future__ import annotations

from typing import ClassVar


class UserMistake(ValueError):
    """Something the user sent can't be used as it is; ``str(error)`` is the text to show."""

    message: ClassVar[str] = "That doesn't look right."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
