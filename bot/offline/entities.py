"""Telegram's text entities: what HTML, MarkdownV2 and Markdown messages show, and where.

Used by the fake Bot API server to accept or refuse a message the way Telegram does, so tests
catch unescaped user text. Offsets and lengths are in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

import html
import re
from typing import Any

from bot.offline.errors import bad_request

JSONDict = dict[str, Any]


class EntityParseError(Exception):
    """The text does not parse in the given parse_mode."""


def render_text(text: str, parse_mode: str | None, entities: Any) -> tuple[str, list[JSONDict]]:
    """What the user sees and its entities, or ApiError worded like Telegram's."""
    mode = (parse_mode or "").lower()
    try:
        if mode == "html":
            return parse_html(text)
        if mode == "markdownv2":
            return parse_markdown_v2(text)
        if mode == "markdown":
            return parse_markdown(text)
    except EntityParseError as exc:
        raise bad_request(f"can't parse entities: {exc}") from None
    if mode:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    return text, list(entities or [])


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


class _Builder:
    """Collects plain text and entities with UTF-16 offsets, like Telegram reports them."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offset = 0
        self.entities: list[JSONDict] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.offset += utf16_len(text)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.offset > start:
            self.entities.append({"type": kind, "offset": start, "length": self.offset - start})
            self.entities[-1].update(extra)

    def result(self) -> tuple[str, list[JSONDict]]:
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), self.entities


HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_TAG_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*")
_ATTRIBUTE = re.compile(r"\s*([a-zA-Z-]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_HTML_ENTITY = re.compile(r"&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot);")


def parse_html(text: str) -> tuple[str, list[JSONDict]]:
    """Plain text and entities of ``text`` in Telegram's HTML dialect."""
    out = _Builder()
    stack: list[tuple[str, int, dict[str, str]]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "&":
            match = _HTML_ENTITY.match(text, i)
            if match:
                out.add(html.unescape(match.group(0)))
                i = match.end()
            else:  # Telegram keeps a lone ampersand as it is
                out.add(char)
                i += 1
            continue
        if char != "<":
            out.add(char)
            i += 1
            continue
        end = text.find(">", i)
        if end == -1:
            raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(text, i)}")
        inner = text[i + 1 : end]
        if inner.startswith("/"):
            name = inner[1:].strip().lower()
            if not stack:
                raise EntityParseError(
                    f'Unexpected end tag "{name}" at byte offset {_byte_offset(text, i)}'
                )
            open_name, start, open_attributes = stack.pop()
            if open_name != name:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(text, i)}, "
                    f'expected "</{open_name}>", found "</{name}>"'
                )
            _close_html_entity(out, open_name, start, open_attributes, stack)
        else:
            match = _TAG_NAME.match(inner)
            name = match.group(0).lower() if match else ""
            if name not in HTML_TAGS:
                raise EntityParseError(
                    f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, i)}'
                )
            attributes: dict[str, str] = {}
            rest = inner[len(name) :]
            for attribute in _ATTRIBUTE.finditer(rest):
                value = attribute.group(2) or ""
                if value[:1] in {'"', "'"}:
                    value = value[1:-1]
                attributes[attribute.group(1).lower()] = html.unescape(value)
            if name == "span" and attributes.get("class") != "tg-spoiler":
                raise EntityParseError('Tag "span" must have class "tg-spoiler"')
            if name == "a" and "href" not in attributes:
                attributes["href"] = ""
            stack.append((name, out.offset, attributes))
        i = end + 1
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return out.result()


def _close_html_entity(
    out: _Builder,
    name: str,
    start: int,
    attributes: dict[str, str],
    stack: list[tuple[str, int, dict[str, str]]],
) -> None:
    kind = HTML_TAGS[name]
    if kind == "text_link":
        if attributes["href"]:
            out.entity(kind, start, url=attributes["href"])
    elif kind == "custom_emoji":
        out.entity(kind, start, custom_emoji_id=attributes.get("emoji-id", ""))
    elif kind == "code" and stack and stack[-1][0] == "pre":
        language = attributes.get("class", "").removeprefix("language-")
        if language:
            stack[-1][2]["language"] = language
        else:
            out.entity(kind, start)
    elif kind == "pre" and attributes.get("language"):
        out.entity(kind, start, language=attributes["language"])
    elif kind == "blockquote" and "expandable" in attributes:
        out.entity("expandable_blockquote", start)
    else:
        out.entity(kind, start)


MARKDOWN_V2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!\\")
_MDV2_MARKERS = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough"}
_ENTITY_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
    "code": "Code",
    "pre": "Pre",
}


def parse_markdown_v2(text: str) -> tuple[str, list[JSONDict]]:
    """Plain text and entities of ``text`` in MarkdownV2; unescaped reserved characters fail."""
    out = _Builder()
    stack: list[tuple[str, int, int]] = []  # kind, utf-16 start, index in text
    i = 0
    at_line_start = True
    while i < len(text):
        char = text[i]
        line_start, at_line_start = at_line_start, char == "\n"
        if char == "\\":
            if i + 1 == len(text) or not 0 < ord(text[i + 1]) < 127:
                raise EntityParseError(
                    "Character '\\' is reserved and must be escaped with the preceding '\\'"
                )
            out.add(text[i + 1])
            i += 2
            continue
        if char == "`":
            i = _markdown_v2_code(text, i, out)
            continue
        if char == "|" and text.startswith("||", i):
            i = _toggle(stack, out, "spoiler", i, text) + 2
            continue
        if char == "_" and text.startswith("__", i):
            i = _toggle(stack, out, "underline", i, text) + 2
            continue
        if char in _MDV2_MARKERS:
            i = _toggle(stack, out, _MDV2_MARKERS[char], i, text) + 1
            continue
        if char == "[" or (char == "!" and text.startswith("![", i)):
            stack.append(("text_link", out.offset, i))
            i += 1 if char == "[" else 2
            continue
        if char == "]" and stack and stack[-1][0] == "text_link":
            _, start, _ = stack.pop()
            i += 1
            if text.startswith("(", i):
                url, i = _markdown_v2_url(text, i + 1)
                if url.startswith("tg://emoji?id="):
                    out.entity("custom_emoji", start, custom_emoji_id=url.split("=", 1)[1])
                else:
                    out.entity("text_link", start, url=url)
            continue
        if char == ">" and line_start:
            i += 1  # a blockquote line; the quote entity itself is not needed here
            continue
        if char in MARKDOWN_V2_RESERVED:
            raise EntityParseError(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        out.add(char)
        i += 1
    if stack:
        kind, _, index = stack[-1]
        raise EntityParseError(
            f"Can't find end of {_ENTITY_NAMES.get(kind, kind)} entity at byte offset "
            f"{_byte_offset(text, index)}"
        )
    return out.result()


def _toggle(stack: list[tuple[str, int, int]], out: _Builder, kind: str, i: int, text: str) -> int:
    if stack and stack[-1][0] == kind:
        _, start, _ = stack.pop()
        out.entity(kind, start)
    else:
        stack.append((kind, out.offset, i))
    return i


def _markdown_v2_code(text: str, i: int, out: _Builder) -> int:
    fence = "```" if text.startswith("```", i) else "`"
    j = i + len(fence)
    language = ""
    if fence == "```":
        newline = text.find("\n", j)
        first_line = text[j:newline] if newline != -1 else ""
        if newline != -1 and first_line and not any(c in first_line for c in "`\\ "):
            language, j = first_line, newline + 1
    start = out.offset
    while j < len(text):
        if text[j] == "\\" and j + 1 < len(text):
            out.add(text[j + 1])
            j += 2
        elif text.startswith(fence, j):
            if fence == "```":
                out.entity("pre", start, **({"language": language} if language else {}))
            else:
                out.entity("code", start)
            return j + len(fence)
        else:
            out.add(text[j])
            j += 1
    kind = "Pre" if fence == "```" else "Code"
    raise EntityParseError(
        f"Can't find end of {kind} entity at byte offset {_byte_offset(text, i)}"
    )


def _markdown_v2_url(text: str, j: int) -> tuple[str, int]:
    url: list[str] = []
    while j < len(text):
        if text[j] == "\\" and j + 1 < len(text):
            url.append(text[j + 1])
            j += 2
        elif text[j] == ")":
            return "".join(url), j + 1
        else:
            url.append(text[j])
            j += 1
    raise EntityParseError("Can't find end of a URL")


def parse_markdown(text: str) -> tuple[str, list[JSONDict]]:
    """Plain text and entities of ``text`` in the legacy Markdown mode."""
    out = _Builder()
    closers = {"*": "bold", "_": "italic", "`": "code"}
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in "_*`[":
            out.add(text[i + 1])
            i += 2
        elif char in closers or char == "[":
            fence = "```" if text.startswith("```", i) else char
            closer = "]" if char == "[" else fence
            end = text.find(closer, i + len(fence))
            if end == -1:
                raise EntityParseError(
                    f"Can't find end of the entity starting at byte offset {_byte_offset(text, i)}"
                )
            start = out.offset
            out.add(text[i + len(fence) : end])
            i = end + len(closer)
            if char == "[":
                if text.startswith("(", i) and ")" in text[i:]:
                    close = text.index(")", i)
                    out.entity("text_link", start, url=text[i + 1 : close])
                    i = close + 1
            else:
                out.entity("pre" if fence == "```" else closers[char], start)
        else:
            out.add(char)
            i += 1
    return out.result()
