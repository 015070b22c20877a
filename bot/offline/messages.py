"""What the tests and the local chat see of the offline server: messages, buttons, files, calls.

Plain dataclasses, so a test reads a chat without knowing how the server stores it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

JSONDict = dict[str, Any]


@dataclass
class InlineButton:
    text: str
    callback_data: str | None
    url: str | None
    web_app: str | None = None  # the Mini App's address, for a web_app button


@dataclass
class FileInfo:
    """A file that went through the server: uploaded by the user or sent by the bot."""

    filename: str
    content: bytes
    mime_type: str | None = None
    file_id: str = ""
    # Where the server wrote it, when it was started with files_dir.
    path: Path | None = None


@dataclass
class BotMessage:
    """One message as the chat shows it, or one bot output event (send, edit, delete)."""

    event: str
    chat_id: int
    message_id: int
    text: str | None
    parse_mode: str | None
    buttons: list[list[InlineButton]]
    document: FileInfo | None
    photo: bytes | None
    from_bot: bool
    # The text as the bot sent it, with markup; ``text`` is what the user sees.
    raw_text: str | None = None
    photo_file: FileInfo | None = None
    raw: JSONDict = field(default_factory=dict, repr=False)

    def all_buttons(self) -> list[InlineButton]:
        return [button for row in self.buttons for button in row]

    def button(self, label_substring: str) -> InlineButton:
        """The first inline button whose label contains ``label_substring`` (any case)."""
        needle = label_substring.casefold()
        for button in self.all_buttons():
            if needle in button.text.casefold():
                return button
        labels = [button.text for button in self.all_buttons()]
        raise AssertionError(
            f"no button matching {label_substring!r} on message {self.message_id}; "
            f"buttons: {labels}; text: {self.text!r}"
        )

    def describe(self) -> str:
        who = "bot" if self.from_bot else "user"
        parts = [f"#{self.message_id} {self.event} ({who}): {self.text!r}"]
        if self.buttons:
            parts.append(" buttons=" + str([[b.text for b in row] for row in self.buttons]))
        if self.document is not None:
            parts.append(f" document={self.document.filename!r}")
        if self.photo is not None:
            parts.append(f" photo={len(self.photo)} bytes")
        return "".join(parts)


@dataclass
class ApiCall:
    """One Bot API request the server answered; ``error`` is set when it answered with ok=false.

    ``injected`` marks an error a test asked for (``fail_next``), not one the bot caused;
    ``spec_checked`` is False when the server had no Bot API specification (built-in rules only).
    """

    method: str
    params: JSONDict
    result: Any
    at: float
    error: JSONDict | None = None
    injected: bool = False
    spec_checked: bool = True
