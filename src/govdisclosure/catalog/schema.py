"""JSON Schema (2020-12) of catalogue records, generated from the model's attrs classes."""

from __future__ import annotations

import datetime as dt
import functools
import types
import unicodedata
from decimal import Decimal
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import attrs

from ..model import RECORD_TYPES, Text
from ..model.common import (
    AMOUNT_DIGITS,
    AMOUNT_PLACES,
    DIGITS,
    ID_PATTERN,
    MAX_DAYS,
    REF,
    SAME_TYPE,
    check_days,
    check_file,
    check_id,
    check_ids,
    check_non_negative,
    check_own_id,
)
from ..model.oversight import FIRST_YEAR, LAST_YEAR
from .converter import DATE_PATTERN, DATETIME_PATTERN, NULL_REFUSED

__all__ = ["record_schema"]

_OptionalText = Text | None
_TEXT = {
    "anyOf": [
        {"type": "string"},
        {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string"},
         "propertyNames": {"pattern": r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"}},
    ],
}
_NO_DOTDOT = r"(?!.*\.\.)"  # MODEL.md: no '..' in ids
_ID = {"type": "string", "pattern": f"^{_NO_DOTDOT}{ID_PATTERN.pattern}$"}
#: Types that need one of two fields (MODEL.md: "a news_release may use headline" for title).
_ONE_OF_REQUIRED = {"news_release": ("headline", "title")}
_SCORE = {"minimum": 0, "maximum": 100}
#: Money's amount: a decimal string (leading zeros aside, at most AMOUNT_DIGITS digits before
#: the point and AMOUNT_PLACES after it) or a whole number in that range, as the model takes.
_AMOUNT = {"type": ["string", "integer"],
           "pattern": f"^0*[0-9]{{1,{AMOUNT_DIGITS}}}(\\.[0-9]{{1,{AMOUNT_PLACES}}})?$",
           "minimum": 0, "maximum": 10**AMOUNT_DIGITS - 1}
_YEAR = {"minimum": FIRST_YEAR, "maximum": LAST_YEAR}
#: What the model's validators check beyond the types, where JSON Schema can say it.
_FIELD_EXTRAS: dict[tuple[str, str], dict[str, Any]] = {
    ("Money", "currency"): {"pattern": "^[A-Z]{3}$"},
    ("Attachment", "sha256"): {"pattern": "^[0-9a-f]{64}$"},
    ("FloorWindow", "x"): {"minimum": 0},  # no maximum: beyond 100 is the plan's units
    ("FloorWindow", "y"): {"minimum": 0},
    ("evaluation", "score"): _SCORE,
    ("evaluation", "components"): {"additionalProperties": {"type": "number", **_SCORE}},
    ("evaluation", "rank"): {"minimum": 1},
    ("evaluation", "year"): _YEAR,
    ("work_plan", "year"): _YEAR,
}
#: ``withdrawn`` is required with ``status = "withdrawn"`` and refused otherwise.
_WITHDRAWN = {
    "if": {"properties": {"status": {"const": "withdrawn"}}, "required": ["status"]},
    "then": {"required": ["withdrawn"], "properties": {"withdrawn": {"type": "object"}}},
    "else": {"properties": {"withdrawn": {"type": "null"}}},
}


@functools.cache
def _file_pattern() -> str:
    """:func:`~govdisclosure.model.common.check_file` as a pattern: an http(s) URL (any
    case; Python's case folding also reads a long s, ``ſ``, as ``s``), or a path relative
    to the catalogue folder of at most 1000 printable characters: no leading ``/``, no
    ``..`` part, no backslash, no ``:`` in its first part (``./`` and empty parts aside),
    and some part besides those.

    "Printable" is Python's ``str.isprintable`` for the Basic Multilingual Plane, less the
    code points Unicode has not assigned yet (the class would have hundreds of ranges);
    beyond it, and for unassigned code points, only the loader checks. A lookahead for
    no character ends the text: ``$`` also matches before a final newline in Python's ``re``.
    """
    excluded = [code for code in range(0x10000) if not chr(code).isprintable()
                and unicodedata.category(chr(code)) != "Cn"]
    runs: list[list[int]] = []
    for code in excluded:
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    unprintable = "".join(f"\\u{low:04x}" if low == high else f"\\u{low:04x}-\\u{high:04x}"
                          for low, high in runs)
    char = rf"[^/\\{unprintable}]"  # a character of a part of the path
    first = rf"[^/:\\{unprintable}]"  # ... of its first part
    end = r"(?![\s\S])"
    local = (r"(?!/)"  # not absolute
             r"(?![\s\S]{1001})"  # at most 1000 characters
             rf"(?![\s\S]*(?:^|/)\.\.(?:/|{end}))"  # no '..' part
             r"(?:\.?/)*"  # './' and empty parts first
             rf"(?!\.\.?(?:/|{end})){first}+"  # then the first part that is none of those
             rf"(?:/{char}*)*{end}")
    return f"^(?:[Hh][Tt][Tt][Pp][Ssſ]?://|{local})"


def _file() -> dict[str, Any]:
    return {"type": "string", "pattern": _file_pattern(),
            "description": "a file of the catalogue folder (a path relative to it, no "
            "'..') or an http(s) URL"}


def _ref(target: str) -> dict[str, Any]:
    """An id, or ``target:id`` (stored as the bare id) where the field implies the type."""
    return {"type": "string", "pattern": f"^(?:{target}:)?{_NO_DOTDOT}{ID_PATTERN.pattern}$"}


_NULL = {"type": "null"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` or null (a field that may be left out may be written null)."""
    if schema == _NULL or _NULL in schema.get("anyOf", ()):
        return schema
    return {"anyOf": [schema, _NULL]}


def _given(key: str, *, empty: str | None = None) -> dict[str, Any]:
    """``key`` is present and not null (nor ``empty``, when that is given)."""
    unset = _NULL if empty is None else {"enum": [None, empty]}
    return {"required": [key], "properties": {key: {"not": unset}}}


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def of_type(self, tp: Any) -> dict[str, Any]:
        if tp in (Text, _OptionalText):
            return {"$ref": "#/$defs/Text"} if tp == Text else {
                "anyOf": [{"$ref": "#/$defs/Text"}, {"type": "null"}]}
        origin = get_origin(tp)
        if origin in (Union, types.UnionType):
            options = [self.of_type(arg) for arg in get_args(tp)]
            return {"anyOf": options}
        if origin is Literal:
            return {"enum": list(get_args(tp))}
        if origin is tuple:
            return {"type": "array", "items": self.of_type(get_args(tp)[0])}
        if origin is dict:
            return {"type": "object", "additionalProperties": self.of_type(get_args(tp)[1])}
        simple: dict[Any, dict[str, Any]] = {
            str: {"type": "string"},
            int: {"type": "integer"},
            float: {"type": "number"},
            bool: {"type": "boolean"},
            type(None): {"type": "null"},
            Decimal: _AMOUNT,
            dt.datetime: {"type": "string", "pattern": f"^{DATETIME_PATTERN}$",
                          "description": "RFC 3339 (seconds may be left out); without an "
                          "offset read in the catalogue timezone; a date is 00:00 that day"},
            dt.date: {"type": "string", "format": "date", "pattern": f"^{DATE_PATTERN}$"},
        }
        if tp in simple:
            return simple[tp]
        if attrs.has(tp):
            return self.of_class(tp)
        raise TypeError(f"no schema for {tp!r}")  # pragma: no cover - a model change

    def of_class(self, cls: type, record_type: str | None = None) -> dict[str, Any]:
        name = record_type or cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # placeholder against recursion
            hints = get_type_hints(cls)
            properties: dict[str, Any] = {}
            required: list[str] = []
            if record_type:
                properties["type"] = {"const": record_type}
                required.append("type")
            for attribute in attrs.fields(cls):
                if not attribute.init:
                    continue
                schema = self.of_type(hints[attribute.name])
                target = attribute.metadata.get(REF)
                if target == SAME_TYPE:
                    target = record_type
                ident = _ID if target is None else _ref(target)
                if attribute.validator is check_ids:
                    schema = {"type": "array", "items": ident}
                elif attribute.validator in (check_id, check_own_id) or target is not None:
                    schema = ident
                elif attribute.metadata.get(DIGITS):  # "3" or 3
                    schema = {"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 0}]}
                elif attribute.validator is check_days:
                    schema = {**schema, "minimum": 0, "maximum": MAX_DAYS}
                elif attribute.validator is check_non_negative:
                    schema = {**schema, "minimum": 0}
                elif attribute.validator is check_file:
                    schema = {"$ref": "#/$defs/File"}
                    self.defs.setdefault("File", _file())
                extra = _FIELD_EXTRAS.get((name, attribute.name))
                if extra is not None:
                    schema = {**schema, **extra}
                if attribute.default is attrs.NOTHING:
                    required.append(attribute.name)
                else:  # null is the field left out, as the loader reads it
                    if attribute.name not in NULL_REFUSED:
                        schema = _nullable(schema)
                    if isinstance(attribute.default, str | bool | int | float):
                        schema = {**schema, "default": attribute.default}
                properties[attribute.name] = schema
            self.defs[name] = {
                "type": "object",
                "title": name,
                "description": (cls.__doc__ or "").strip().splitlines()[0],
                "properties": properties,
                "required": required,
                "additionalProperties": False,
            }
            if name in _ONE_OF_REQUIRED:
                self.defs[name]["anyOf"] = [_given(key) for key in _ONE_OF_REQUIRED[name]]
            needs_one = getattr(cls, "ANY_OF", ())  # a contact point: one field given
            if needs_one:
                self.defs[name]["anyOf"] = [_given(key, empty="") for key in needs_one]
            if record_type and "withdrawn" in properties:
                self.defs[name].update(_WITHDRAWN)
        return {"$ref": f"#/$defs/{name}"}


def record_schema(record_type: str | None = None) -> dict[str, Any]:
    """The JSON Schema of one record type, or of any record (``record_type=None``).

    Args:
        record_type: a type name of MODEL.md (``disclosure``, ``case``, ...).

    Raises:
        KeyError: the type is unknown.
    """
    builder = _Builder()
    builder.defs["Text"] = _TEXT
    chosen = [record_type] if record_type else list(RECORD_TYPES)
    refs = [builder.of_class(RECORD_TYPES[name], name) for name in chosen]
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://govdisclosure.invalid/schema/{record_type or 'record'}.json",
        "title": f"govdisclosure {record_type or 'record'}",
    }
    schema.update(refs[0] if record_type else {"anyOf": refs})
    schema["$defs"] = builder.defs
    return schema
