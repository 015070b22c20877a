"""The Bot API specification the offline server checks every call against.

Telegram publishes the Bot API as a web page; others publish it machine-readable. The repository
does not copy those files: they live beside it, in ``<repo>/../shared/botapi/`` (see its
README), and are read when a server starts. ``api.json`` gives the methods, their parameters,
the types and their fields, and which are required; ``ark0f_custom_v2.json`` (an older version
of the API) gives per-field limits and enumerations that ``api.json`` only states in prose. The
prose is read too: "1-4096 characters after entities parsing", "1-64 bytes", "list of 1-100",
"At most 100 commands", "must be one of", "Required if inline_message_id is not specified".

Without the files the server falls back to its built-in rules (``validation.py``); in CI
(``CI=true``) a missing specification is an error, so the suite can't silently check less.
"""

from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

API_FILE = "api.json"
LIMITS_FILE = "ark0f_custom_v2.json"

SCALARS = frozenset({"Integer", "String", "Boolean", "Float", "InputFile", "True"})


class SpecMissing(RuntimeError):
    """The specification must be present (CI) but is not."""


@dataclass(frozen=True)
class FieldSpec:
    """One parameter of a method, or one field of a type, and the limits on its value."""

    name: str
    types: tuple[str, ...]
    required: bool
    description: str = ""
    # Required unless this other field is given ("Required if inline_message_id is not specified").
    required_unless: str | None = None
    min_len: int | None = None
    max_len: int | None = None
    unit: Literal["characters", "bytes"] = "characters"
    # The length counts the text as shown, after parse_mode's markup is removed.
    after_entities: bool = False
    min_items: int | None = None
    max_items: int | None = None
    enum: frozenset[str] | None = None
    # "Can contain only lowercase English letters, digits and underscores".
    charset: str | None = None
    # The one value a subtype's discriminator takes ("Type of the media, must be document").
    constant: str | None = None
    # "An HTTPS URL of a Web App", "HTTPS URL to send updates to": other schemes are refused.
    https_only: bool = False


@dataclass(frozen=True)
class TypeSpec:
    name: str
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    subtypes: tuple[str, ...] = ()
    # Fields of which exactly one must be set (InlineKeyboardButton's button kinds).
    exactly_one_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class MethodSpec:
    name: str
    fields: dict[str, FieldSpec]


@dataclass(frozen=True)
class BotApiSpec:
    version: str
    methods: dict[str, MethodSpec]  # by lowercased name: Telegram ignores the case
    types: dict[str, TypeSpec]
    source: Path

    def method(self, name: str) -> MethodSpec | None:
        return self.methods.get(name.lower())


def spec_dir() -> Path:
    """Where the specification is: ``<repo>/../shared/botapi``, beside the repository."""
    repo = Path(__file__).resolve().parents[2]
    return repo.parent / "shared" / "botapi"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def find_spec(directory: Path | None = None) -> BotApiSpec | None:
    """The specification in ``directory`` (default: :func:`spec_dir`), or None when absent.

    Raises SpecMissing in CI, where checking against the built-in rules alone is not enough.
    """
    where = directory or spec_dir()
    if not (where / API_FILE).is_file():
        if in_ci():
            raise SpecMissing(
                f"the Bot API specification is missing: {where / API_FILE} "
                "(CI checks every call against it; see the README of ../shared/botapi)"
            )
        return None
    return load_spec(where.resolve())


@functools.lru_cache(maxsize=4)
def load_spec(directory: Path) -> BotApiSpec:
    """Read and compile the specification once per process (every test starts a server)."""
    api = json.loads((directory / API_FILE).read_text(encoding="utf-8"))
    limits_path = directory / LIMITS_FILE
    limits = json.loads(limits_path.read_text(encoding="utf-8")) if limits_path.is_file() else None
    extra = _ark0f_limits(limits) if limits else {}
    methods = {
        name.lower(): MethodSpec(name, _fields(name, raw.get("fields", []), extra))
        for name, raw in api["methods"].items()
    }
    types = {name: _type(name, raw, extra) for name, raw in api["types"].items()}
    return BotApiSpec(str(api.get("version", "")), methods, types, directory)


# ---- compiling ---------------------------------------------------------------------------

_LENGTH = re.compile(r"(\d+)-(\d+) (characters|bytes)")
_ITEMS = re.compile(r"list of (\d+)-(\d+)")
_AT_MOST = re.compile(r"At most (\d+) \w+ can be specified|At most (\d+) commands")
_ONE_OF = re.compile(r"[Mm]ust be one of (.*?)(?:\.(?: |$)|$)")
_QUOTED = re.compile(r"“([^”]*)”|\"([^\"]*)\"")
_CONSTANT = re.compile(r"(?:must be|always) [“\"]?([a-z_]+)[”\"]?$")
_REQUIRED_UNLESS = re.compile(r"[Rr]equired if (\w+) (?:is not|isn't) specified")
_EXACTLY_ONE = re.compile(r"Exactly one of the fields other than ([\w, ]+?) must be used")
_CHARSET = "Can contain only lowercase English letters, digits and underscores"
_HTTPS = ("An HTTPS URL", "HTTPS URL")


def _ark0f_limits(raw: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(owner, field) → the limits ark0f's rendering states as data."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for method in raw.get("methods", []):
        for argument in method.get("arguments") or []:
            out[(method["name"], argument["name"])] = argument.get("type_info", {})
    for obj in raw.get("objects", []):
        for prop in obj.get("properties") or []:
            out[(obj["name"], prop["name"])] = prop.get("type_info", {})
    return out


def _fields(
    owner: str, raw_fields: list[dict[str, Any]], extra: dict[tuple[str, str], dict[str, Any]]
) -> dict[str, FieldSpec]:
    return {
        raw["name"]: _field(owner, raw, extra.get((owner, raw["name"]), {})) for raw in raw_fields
    }


def _field(owner: str, raw: dict[str, Any], info: dict[str, Any]) -> FieldSpec:
    description: str = raw.get("description", "")
    types = tuple(raw.get("types", []))
    limits: dict[str, Any] = {}
    if types == ("String",):
        length = _LENGTH.search(description)
        if length:
            limits.update(
                min_len=int(length.group(1)),
                max_len=int(length.group(2)),
                unit=length.group(3),
                after_entities="after entit" in description,
            )
        elif info.get("type") == "string" and ("min_len" in info or "max_len" in info):
            limits.update(min_len=info.get("min_len"), max_len=info.get("max_len"))
        one_of = _ONE_OF.search(description)
        if one_of:
            limits["enum"] = frozenset(a or b for a, b in _QUOTED.findall(one_of.group(1)))
        elif info.get("enumeration"):
            # ark0f's list is of an older API: values the newer prose quotes are allowed too.
            quoted = {a or b for a, b in _QUOTED.findall(description)}
            limits["enum"] = frozenset({str(v) for v in info["enumeration"]} | quoted)
        if _CHARSET in description:
            limits["charset"] = "a-z0-9_"
        constant = _CONSTANT.search(description.rstrip("."))
        if raw["name"] == "type" and constant:
            limits["constant"] = constant.group(1)
        if description.startswith(_HTTPS):
            limits["https_only"] = True
    if types and types[0].startswith("Array of"):
        items = _ITEMS.search(description)
        at_most = _AT_MOST.search(description)
        if items:
            limits.update(min_items=int(items.group(1)), max_items=int(items.group(2)))
        elif at_most:
            limits["max_items"] = int(at_most.group(1) or at_most.group(2))
    unless = _REQUIRED_UNLESS.search(description)
    return FieldSpec(
        name=raw["name"],
        types=types,
        required=bool(raw.get("required")),
        description=description,
        required_unless=unless.group(1) if unless else None,
        **limits,
    )


def _type(name: str, raw: dict[str, Any], extra: dict[tuple[str, str], dict[str, Any]]) -> TypeSpec:
    fields = _fields(name, raw.get("fields", []), extra)
    exactly_one: tuple[str, ...] = ()
    for line in raw.get("description", []):
        found = _EXACTLY_ONE.search(line)
        if found:
            others = {w.strip() for w in re.split(r",|\band\b", found.group(1)) if w.strip()}
            exactly_one = tuple(f for f in fields if f not in others)
    return TypeSpec(name, fields, tuple(raw.get("subtypes", [])), exactly_one)
