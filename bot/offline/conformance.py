"""A call checked against the Bot API specification, refused with Telegram's words where known.

Every parameter must be one the method has, of one of its types, with every required one
present; nested objects are checked field by field the same way (InlineKeyboardMarkup,
InlineKeyboardButton and its "exactly one of", InputMedia by its ``type``, BotCommand,
MessageEntity…), and so are the limits the specification states: lengths in characters or
bytes (text after parse_mode's markup is removed), list sizes, enumerations.

Telegram counts a text's length in Unicode code points, not UTF-16 code units: TDLib refuses a
bot's message when ``utf8_length(text) > message_text_length_max`` (td/telegram/
MessageContent.cpp), so 4096 emoji outside the BMP (8192 UTF-16 units) are still accepted. Python's
``len`` counts code points too.

Where this is stricter than Telegram it says so: Telegram ignores parameters and fields it
doesn't know and reads a non-number as 0, which hides a bot's typo; here they are refused.
"""

from __future__ import annotations

import re
from typing import Any

from bot.offline.entities import render_text
from bot.offline.errors import ApiError, bad_request
from bot.offline.messages import FileInfo, JSONDict
from bot.offline.spec import SCALARS, BotApiSpec, FieldSpec, TypeSpec

# Telegram's own words for a limit broken, by (method or type, field).
_TOO_LONG = {
    ("sendMessage", "text"): "message is too long",
    ("editMessageText", "text"): "message is too long",
    ("InputTextMessageContent", "message_text"): "message is too long",
    ("InlineKeyboardButton", "callback_data"): "BUTTON_DATA_INVALID",
    ("answerCallbackQuery", "text"): "MESSAGE_TOO_LONG",
    ("BotCommand", "command"): "BOT_COMMAND_INVALID",
    ("BotCommand", "description"): "BOT_COMMAND_DESCRIPTION_INVALID",
    ("setMyCommands", "commands"): "BOT_COMMANDS_TOO_MUCH",
    ("deleteMessages", "message_ids"): "too many message identifiers specified",
}
_EMPTY = {
    ("sendMessage", "text"): "message text is empty",
    ("editMessageText", "text"): "message text is empty",
    ("InputTextMessageContent", "message_text"): "message text is empty",
    ("InlineKeyboardButton", "callback_data"): "BUTTON_DATA_INVALID",
    ("BotCommand", "command"): "BOT_COMMAND_INVALID",
    ("BotCommand", "description"): "BOT_COMMAND_DESCRIPTION_INVALID",
    ("deleteMessages", "message_ids"): "message identifiers are not specified",
}
_NOT_ONE_OF = {("sendChatAction", "action"): "wrong parameter action in request"}
_NOT_HTTPS = {("setWebhook", "url"): "bad webhook: An HTTPS URL must be provided for webhook"}
_MISSING = {
    "chat_id": "chat_id is empty",
    ("sendMessage", "text"): "message text is empty",
    ("editMessageText", "text"): "message text is empty",
    ("sendDocument", "document"): "there is no document in the request",
    ("sendPhoto", "photo"): "there is no photo in the request",
}
# How Telegram names an object in "can't parse …: <detail>".
_PARSE_NAMES = {
    "InlineKeyboardButton": "inline keyboard button",
    "InlineKeyboardMarkup": "reply markup",
}
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
_INTEGER = re.compile(r"-?\d+")


class _Refusal(Exception):
    """Why a value doesn't fit; ``final`` details are Telegram's codes, never prefixed."""

    def __init__(self, detail: str, *, final: bool = False, parsed: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.final = final
        self.parsed = parsed  # already prefixed with "can't parse <object>: "


def check_against_spec(
    spec: BotApiSpec, method: str, params: JSONDict, files: dict[str, FileInfo]
) -> None:
    """Raise ApiError (400 with Telegram's description, 404 for an unknown method)."""
    found = spec.method(method)
    if found is None:
        raise ApiError(404, "Not Found: method not found")
    owner = found.name
    attached = set(_attachments(params))
    for key in params:
        if key not in found.fields:
            # Telegram ignores it, so a misspelt parameter silently does nothing: refuse it.
            raise bad_request(f'unknown parameter "{key}" of {owner}')
    for key in files:
        if key not in found.fields and key not in attached:
            raise bad_request(f'unknown file "{key}": no parameter attaches it')
    missing_files = sorted(attached - set(files))
    if missing_files:
        raise bad_request(f'file "attach://{missing_files[0]}" is not in the request')
    checker = _Checker(spec, files)
    for name, field in found.fields.items():
        if name not in params and name not in files:
            needed = field.required or (
                field.required_unless is not None and field.required_unless not in params
            )
            if needed:
                missing = _MISSING.get((owner, name)) or _MISSING.get(name)
                raise bad_request(missing or f'parameter "{name}" is required')
            continue
        try:
            if name in files:
                if "InputFile" not in field.types:
                    raise _Refusal(f'parameter "{name}" can\'t be a file')
                continue
            checker.field(params[name], field, owner=owner, container=params, top=True)
        except _Refusal as refusal:
            raise bad_request(_telegram_case(refusal.detail)) from None


def _attachments(value: Any) -> list[str]:
    """Every ``attach://name`` the call refers to, anywhere in its parameters."""
    if isinstance(value, str):
        return [value.removeprefix("attach://")] if value.startswith("attach://") else []
    if isinstance(value, dict):
        return [name for item in value.values() for name in _attachments(item)]
    if isinstance(value, list):
        return [name for item in value for name in _attachments(item)]
    return []


def _telegram_case(detail: str) -> str:
    # Telegram lowercases the first letter unless the detail is an UPPER_CASE code.
    if len(detail) >= 2 and (detail[1] == "_" or detail[1].isupper()):
        return detail
    return detail[:1].lower() + detail[1:]


class _Checker:
    def __init__(self, spec: BotApiSpec, files: dict[str, FileInfo]) -> None:
        self.spec = spec
        self.files = files

    # ---- one field: its type, then its limits ------------------------------------------

    def field(
        self, value: Any, field: FieldSpec, *, owner: str, container: JSONDict, top: bool
    ) -> None:
        where = f'parameter "{field.name}"' if top else f'Field "{field.name}"'
        self.value(value, field.types, where=where, top=top)
        if isinstance(value, str):
            self.text_limits(value, field, owner=owner, container=container, where=where)
        elif isinstance(value, list) and (field.min_items is not None or field.max_items):
            key = (owner, field.name)
            if field.max_items is not None and len(value) > field.max_items:
                raise _Refusal(
                    _TOO_LONG.get(key, f"{where} holds at most {field.max_items} items"),
                    final=key in _TOO_LONG,
                )
            if field.min_items is not None and len(value) < field.min_items:
                raise _Refusal(
                    _EMPTY.get(key, f"{where} needs at least {field.min_items} items"),
                    final=key in _EMPTY,
                )

    def text_limits(
        self, value: str, field: FieldSpec, *, owner: str, container: JSONDict, where: str
    ) -> None:
        key = (owner, field.name)
        if field.enum is not None and value not in field.enum:
            choices = ", ".join(f'"{v}"' for v in sorted(field.enum))
            raise _Refusal(
                _NOT_ONE_OF.get(key, f"{where} must be one of {choices}"), final=key in _NOT_ONE_OF
            )
        # An empty one removes it (setWebhook's "Use an empty string to remove").
        if field.https_only and value and not value.lower().startswith("https://"):
            raise _Refusal(
                _NOT_HTTPS.get(key, f"{where} must be an HTTPS URL"), final=key in _NOT_HTTPS
            )
        if field.charset is not None and not re.fullmatch(f"[{field.charset}]*", value):
            raise _Refusal(
                _TOO_LONG.get(key, f"{where} may hold only [{field.charset}]"),
                final=key in _TOO_LONG,
            )
        if field.max_len is None:
            return
        text = value
        if field.after_entities:
            text = shown_text(value, container, field.name)
        size = len(text.encode("utf-8")) if field.unit == "bytes" else len(text)
        lowest = field.min_len or 0
        if size > field.max_len:
            fallback = (
                "message caption is too long"
                if field.name.endswith("caption")
                else f"{where} must be {lowest}-{field.max_len} {field.unit}"
            )
            raise _Refusal(_TOO_LONG.get(key, fallback), final=True)
        blank = not text.strip() if field.after_entities else size == 0
        if lowest > 0 and (size < lowest or blank):
            raise _Refusal(
                _EMPTY.get(key, f"{where} must be {lowest}-{field.max_len} {field.unit}"),
                final=True,
            )

    # ---- types ---------------------------------------------------------------------------

    def value(self, value: Any, types: tuple[str, ...], *, where: str, top: bool) -> None:
        refusals: list[_Refusal] = []
        # Try the types that look like the value first (for an object: one whose required
        # fields it has), so the refusal names the type the bot meant.
        for type_name in sorted(types, key=lambda t: self.unlike(value, t)):
            try:
                self.one(value, type_name, where=where, top=top)
                return
            except _Refusal as refusal:
                refusals.append(refusal)
        raise refusals[0]

    def unlike(self, value: Any, type_name: str) -> tuple[bool, bool]:
        spec = self.spec.types.get(type_name)
        has_required = (
            isinstance(value, dict)
            and spec is not None
            and all(name in value for name, f in spec.fields.items() if f.required)
        )
        return not _looks_like(value, type_name), not has_required

    def one(self, value: Any, type_name: str, *, where: str, top: bool) -> None:
        if type_name.startswith("Array of "):
            if not isinstance(value, list):
                raise _Refusal(f"{where} must be an Array")
            inner = type_name.removeprefix("Array of ")
            for item in value:
                self.one(item, inner, where=where, top=False)
            return
        if type_name in SCALARS:
            self.scalar(value, type_name, where=where, top=top)
            return
        spec = self.spec.types.get(type_name)
        if spec is None:  # a type the specification names but doesn't describe
            return
        if type_name == "KeyboardButton" and isinstance(value, str):
            return  # "For simple text buttons, String can be used instead of this object"
        self.obj(value, spec)

    def scalar(self, value: Any, type_name: str, *, where: str, top: bool) -> None:
        if type_name == "String":
            # At the top level Telegram reads every value as text; inside JSON it wants strings.
            ok = isinstance(value, str) or (
                top and isinstance(value, int | float) and not isinstance(value, bool)
            )
            if not ok:
                raise _Refusal(f"{where} must be of type String")
        elif type_name == "Integer":
            ok = (isinstance(value, int) and not isinstance(value, bool)) or (
                isinstance(value, str) and bool(_INTEGER.fullmatch(value))
            )
            if not ok:
                raise _Refusal(f"{where} must be of type Number")
        elif type_name == "Float":
            ok = (isinstance(value, int | float) and not isinstance(value, bool)) or (
                isinstance(value, str) and bool(_NUMBER.fullmatch(value))
            )
            if not ok:
                raise _Refusal(f"{where} must be of type Number")
        elif type_name == "Boolean":
            if not isinstance(value, bool):
                raise _Refusal(f"{where} must be of type Boolean")
        elif type_name == "True":
            if value is not True:
                raise _Refusal(f"{where} must be True")
        elif type_name == "InputFile" and not (
            isinstance(value, str) and value.startswith("attach://")
        ):
            raise _Refusal(f"{where} must be an uploaded file")

    def obj(self, value: Any, spec: TypeSpec) -> None:
        label = _PARSE_NAMES.get(spec.name, spec.name)
        if spec.subtypes:
            self.union(value, spec)
            return
        try:
            if not isinstance(value, dict):
                raise _Refusal(f"{spec.name} must be an Object")
            for key in value:
                if key not in spec.fields:
                    raise _Refusal(f'unknown field "{key}"')
            for name, field in spec.fields.items():
                if name not in value:
                    if field.required:
                        raise _Refusal(f'Can\'t find field "{name}"')
                    continue
                if field.constant is not None and value[name] != field.constant:
                    raise _Refusal(f'Field "{name}" must be "{field.constant}"')
                self.field(value[name], field, owner=spec.name, container=value, top=False)
            if spec.exactly_one_of:
                used = [name for name in spec.exactly_one_of if name in value]
                if not used:
                    raise _Refusal("Text buttons are unallowed in the inline keyboard")
                if len(used) > 1:
                    raise _Refusal(
                        f"exactly one of {', '.join(spec.exactly_one_of)} must be used, "
                        f"not {' and '.join(used)}"
                    )
        except _Refusal as refusal:
            if refusal.final or refusal.parsed:
                raise
            raise _Refusal(f"Can't parse {label}: {refusal.detail}", parsed=True) from None

    def union(self, value: Any, spec: TypeSpec) -> None:
        """One of the subtypes, picked by the value of its discriminating ``type`` field."""
        if not isinstance(value, dict):
            raise _Refusal(f"Can't parse {spec.name}: {spec.name} must be an Object", parsed=True)
        kinds: dict[str, TypeSpec] = {}
        for name in spec.subtypes:
            subtype = self.spec.types.get(name)
            constant = subtype.fields.get("type") if subtype else None
            if subtype is not None and constant is not None and constant.constant:
                kinds[constant.constant] = subtype
        if not kinds:  # subtypes without a discriminator: the first that fits
            self.value(value, spec.subtypes, where=spec.name, top=False)
            return
        chosen = kinds.get(str(value.get("type", "")))
        if chosen is None:
            raise _Refusal(
                f'Can\'t parse {spec.name}: type "{value.get("type", "")}" is unsupported',
                parsed=True,
            )
        self.obj(value, chosen)


def _looks_like(value: Any, type_name: str) -> bool:
    if type_name.startswith("Array of "):
        return isinstance(value, list)
    if type_name == "String":
        return isinstance(value, str)
    if type_name in {"Integer", "Float"}:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if type_name in {"Boolean", "True"}:
        return isinstance(value, bool)
    return isinstance(value, dict)


# ---- text as shown -----------------------------------------------------------------------


def shown_text(raw: str, container: JSONDict, name: str) -> str:
    """``raw`` after its parse_mode's markup is removed; ApiError if the markup doesn't parse."""
    if name in {"text", "caption", "message_text"}:
        mode = container.get("parse_mode")
    else:
        mode = container.get(f"{name}_parse_mode")
    text, _ = render_text(raw, mode, None)
    return text
