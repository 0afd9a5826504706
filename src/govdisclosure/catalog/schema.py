"""JSON Schema (2020-12) of catalogue records, generated from the model's attrs classes."""

from __future__ import annotations

import datetime as dt
import types
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
    check_id,
    check_ids,
    check_own_id,
)
from .converter import DATE_PATTERN, DATETIME_PATTERN

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
#: What the model's validators check beyond the types, where JSON Schema can say it.
_FIELD_EXTRAS: dict[tuple[str, str], dict[str, Any]] = {
    ("Money", "currency"): {"pattern": "^[A-Z]{3}$"},
    ("evaluation", "score"): _SCORE,
    ("evaluation", "components"): {"additionalProperties": {"type": "number", **_SCORE}},
}
#: Classes that need at least one field (MODEL.md: a contact point, "one required").
_NOT_EMPTY = {"ContactPoint"}
#: ``withdrawn`` is required with ``status = "withdrawn"`` and refused otherwise.
_WITHDRAWN = {
    "if": {"properties": {"status": {"const": "withdrawn"}}, "required": ["status"]},
    "then": {"required": ["withdrawn"], "properties": {"withdrawn": {"type": "object"}}},
    "else": {"properties": {"withdrawn": {"type": "null"}}},
}


def _ref(target: str) -> dict[str, Any]:
    """An id, or ``target:id`` (stored as the bare id) where the field implies the type."""
    return {"type": "string", "pattern": f"^(?:{target}:)?{_NO_DOTDOT}{ID_PATTERN.pattern}$"}


_NULL = {"type": "null"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` or null (a field that may be left out may be written null)."""
    if schema == _NULL or _NULL in schema.get("anyOf", ()):
        return schema
    return {"anyOf": [schema, _NULL]}


def _given(key: str) -> dict[str, Any]:
    """``key`` is present and not null."""
    return {"required": [key], "properties": {key: {"not": _NULL}}}


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
                    schema = {"anyOf": [schema, {"type": "integer", "minimum": 0}]}
                elif attribute.validator is check_days:
                    schema = {**schema, "minimum": 0, "maximum": MAX_DAYS}
                extra = _FIELD_EXTRAS.get((name, attribute.name))
                if extra is not None:
                    schema = {**schema, **extra}
                if attribute.default is attrs.NOTHING:
                    required.append(attribute.name)
                else:  # null is the field left out, as the loader reads it
                    schema = _nullable(schema)
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
            if name in _NOT_EMPTY:
                self.defs[name]["minProperties"] = 1
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
