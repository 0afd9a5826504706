"""The project's own cattrs converter: strict structuring of catalogue data into records.

Strict means a value of the wrong kind is an error, never coerced: ``"12"`` is no
integer, ``1.5`` is no money and ``"false"`` is no boolean. Naive datetimes are read
in the catalogue's timezone. Unknown keys are an error. ``null`` for a field that may be
left out is the field left out; for a required one it is an error.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import types
import zoneinfo
from collections import abc
from decimal import Decimal
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory, list_structure_factory
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ..errors import ConfigError
from ..model import RECORD_TYPES, Record, Text
from ..model.common import DIGITS, WRITTEN, kind_of, not_one_of, parse_amount

__all__ = ["DATETIME_PATTERN", "DATE_PATTERN", "NULL_REFUSED", "dumps", "kind_of", "loads",
           "make_converter", "parse_date", "parse_datetime", "record_from_dict", "record_to_dict",
           "structure_date"]

T = TypeVar("T")
_OptionalText = Text | None

#: Fields whose default publishes a record (classification and audience public, status
#: approved): null there is refused, never read as that default, so that an export's
#: "not decided yet" can never make a record public.
NULL_REFUSED = frozenset({"classification", "audience", "status"})


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {kind_of(value)}")
    return value


def _structure_digits(value: object, _: type) -> str | None:
    """A number that names something: a string, or an integer read as its digits."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise ValueError("must not be negative")
        return str(value)
    raise TypeError(f"expected a string, got {kind_of(value)}")


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an integer, got {kind_of(value)}")
    return value


def _structure_float(value: object, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {kind_of(value)}")
    return float(value)


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {kind_of(value)}")
    return value


def _structure_decimal(value: object, _: type) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        raise TypeError("money is a decimal string such as \"12.50\", never a float")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(f"expected a decimal string, got {kind_of(value)}")
    return parse_amount(value) if isinstance(value, str) else Decimal(value)


def _structure_text(value: object, tp: type) -> Text | None:
    if isinstance(value, str):
        return value
    if value is None and tp != Text:  # optional text: null is the field left out
        return None
    if isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        return dict(value)
    raise TypeError(f"expected text or a table of language = text, got {kind_of(value)}")


def structure_date(value: object, _: type = dt.date) -> dt.date:
    """A date from a TOML date or an ISO ``YYYY-MM-DD`` string (not a datetime).

    Raises:
        TypeError, ValueError: with a message for the user.
    """
    if isinstance(value, dt.datetime):
        raise TypeError("expected a date (YYYY-MM-DD), got a datetime")
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise TypeError(f"expected a date (YYYY-MM-DD), got {kind_of(value)}")
    return parse_date(value)


#: MODEL.md's dates, ``YYYY-MM-DD``, and the date part of a datetime: the other spellings
#: of ISO 8601 that ``fromisoformat`` reads (``20020315``, ``2002-W11-5``) are refused.
#: Months and days are in range here; whether the month has that day, the parse checks.
DATE_PATTERN = r"(?!0000)[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
#: RFC 3339 (``T``, ``t`` or a space before the time, as its section 5.6 allows; a
#: fraction after a dot; ``Z``, ``z`` or ``+HH:MM``) with what catalogue files may also
#: leave out: the seconds, the offset (read in the catalogue's timezone) or the whole
#: time (a bare date, 00:00). The JSON Schema uses this pattern too: the two agree.
DATETIME_PATTERN = (DATE_PATTERN + r"(?:[Tt ](?:[01][0-9]|2[0-3]):[0-5][0-9]"
                    r"(?::[0-5][0-9](?:\.[0-9]+)?)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?)?")
_DATE = re.compile(DATE_PATTERN)
_DATETIME = re.compile(DATETIME_PATTERN)


def parse_date(value: str) -> dt.date:
    """A date written ``YYYY-MM-DD``, and no other ISO 8601 spelling.

    Raises:
        ValueError: not such a date, with a message for the user.
    """
    if _DATE.fullmatch(value) is None:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:  # a day the month does not have
        raise ValueError(f"{value!r} is not a valid date (YYYY-MM-DD)") from None


def _datetime_hook(zone: dt.tzinfo | None) -> Any:
    def structure(value: object, _: type) -> dt.datetime:
        if isinstance(value, dt.datetime):
            moment = value
        elif isinstance(value, dt.date):
            moment = dt.datetime.combine(value, dt.time())
        elif isinstance(value, str):
            moment = parse_datetime(value)
        else:
            raise TypeError(f"expected an RFC 3339 datetime, got {kind_of(value)}")
        if moment.tzinfo is None:
            if zone is None:
                shown = value.isoformat() if isinstance(value, dt.date) else str(value)
                raise ValueError(f"{shown!r} has no UTC offset and no timezone is given to "
                                 "read it in: write its offset (like +08:00 or Z), or pass "
                                 "timezone= (the catalogue's zone)")
            moment = moment.replace(tzinfo=zone)
        if moment.year in (1, 9999):  # only there can another offset leave Python's range
            check_in_range(moment, zone, value)
        return moment

    return structure


def check_in_range(moment: dt.datetime, zone: dt.tzinfo | None, value: object) -> None:
    """Refuse an instant that UTC or the catalogue's zone cannot show: every output
    converts datetimes to one of them, and Python's datetimes end with years 1 and 9999
    (``0001-01-01T01:00:00+08:00`` is 17:00 UTC on the last day of year 0).

    Raises:
        ValueError: with a message for the user.
    """
    zones: list[tuple[dt.tzinfo, str]] = [(dt.UTC, "UTC")]
    if zone is not None and zone is not dt.UTC:
        zones.append((zone, f"the catalogue timezone {zone}"))
    for target, name in zones:
        try:
            moment.astimezone(target)
        except OverflowError:
            edge = "before 0001-01-01" if moment.year == 1 else "after 9999-12-31"
            shown = value.isoformat() if isinstance(value, dt.date) else str(value)
            raise ValueError(f"{shown!r} is out of range: in {name} it falls {edge} "
                             "(datetimes must lie within years 1 to 9999 both in UTC and "
                             "in the catalogue timezone)") from None


_LEAP_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:60(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?")


def parse_datetime(value: str) -> dt.datetime:
    """A datetime as catalogue files spell them (:data:`DATETIME_PATTERN`), naive when it
    has no offset; a leap second is refused with a message saying so.

    Raises:
        ValueError: not such a datetime, with a message for the user.
    """
    if _DATETIME.fullmatch(value) is None:
        if _LEAP_SECOND.fullmatch(value):
            raise ValueError(f"{value!r} is a leap second (:60), which cannot be stored: "
                             "write :59 (or the next minute's :00)")
        raise ValueError(f"{value!r} is not an RFC 3339 datetime")
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:  # lower-case t and z, or a day the month does not have
        pass
    try:
        return dt.datetime.fromisoformat(value.upper())
    except ValueError:
        raise ValueError(f"{value!r} is not an RFC 3339 datetime") from None


def _is_tuple(tp: Any) -> bool:
    return get_origin(tp) is tuple


def _is_list(tp: Any) -> bool:
    return get_origin(tp) in (list, abc.Sequence, abc.MutableSequence)


def _is_literal(tp: Any) -> bool:
    return get_origin(tp) is Literal


def _choice(tp: Any) -> Any:
    allowed = get_args(tp)

    def structure(value: object, _: type) -> object:
        if value not in allowed:
            raise ValueError(not_one_of(value, allowed))
        return value

    return structure


def _is_text(tp: object) -> bool:
    return tp in (Text, _OptionalText)


def _plain_decimal(value: Decimal) -> str:
    """``1000``, never ``1E+3``: money is written as MODEL.md's decimal string."""
    return format(value, "f")


def _iso(value: dt.date) -> str:
    return value.isoformat()


def make_converter(
    timezone: str | dt.tzinfo | None = "UTC", *, detailed: bool = True
) -> cattrs.Converter:
    """A converter for records and their values.

    Args:
        timezone: the zone naive datetimes are read in (the catalogue's); None refuses them.
        detailed: collect every error with its path (slower); False fails at the first.

    Returns:
        A new converter; the global cattrs converter is never touched.
    """
    zone = zoneinfo.ZoneInfo(timezone) if isinstance(timezone, str) else timezone
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed)
    configure_converter(conv, zone)
    return conv


def configure_converter(conv: cattrs.Converter, zone: dt.tzinfo | None) -> None:
    """Install the project's hooks on ``conv``."""
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_structure_hook(dt.date, structure_date)
    conv.register_structure_hook(dt.datetime, _datetime_hook(zone))
    conv.register_structure_hook_func(_is_text, _structure_text)
    conv.register_unstructure_hook_func(_is_text, lambda v: v)
    conv.register_unstructure_hook(dt.datetime, _iso)
    conv.register_unstructure_hook(dt.date, _iso)
    conv.register_unstructure_hook(Decimal, _plain_decimal)

    def omit_defaults(cls: type) -> Any:
        written: dict[str, Any] = {a.name: override(omit_if_default=False)
                                   for a in attrs.fields(cls) if a.metadata.get(WRITTEN)}
        return make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True, **written)

    def forbid_extra(cls: type) -> Any:
        hints = get_type_hints(cls)
        fields: dict[str, Any] = {}
        for a in attrs.fields(cls):
            if a.metadata.get(DIGITS):
                fields[a.name] = override(struct_hook=_structure_digits)
            elif (a.default is not attrs.NOTHING and a.default is not None
                  and a.name not in NULL_REFUSED):
                # a default of None: the optional type's own hook reads null as None
                fields[a.name] = override(struct_hook=_null_is_default(
                    a.default, conv.get_structure_hook(hints[a.name])))
        hook: Any = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True, **fields)
        if not conv.detailed_validation:
            return hook  # fails on a non-table anyway, and the loader asks the detailed one why
        names = [a.name for a in attrs.fields(cls) if a.init]
        expected = f"a table ({', '.join(names)})" if len(names) <= 6 else "a table"

        def structure(value: object, tp: type) -> Any:
            if not isinstance(value, dict):  # not "'str' object has no attribute 'keys'"
                raise TypeError(f"expected {expected}, got {kind_of(value)}")
            return hook(value, tp)

        return structure

    def strict(factory: Any) -> Any:
        """``factory``'s hook, refusing anything but a list (a string is no list of
        characters, a table no list of its keys)."""

        def make(tp: Any) -> Any:
            items = factory(tp, conv)

            def structure(value: object, _: type) -> Any:
                if not isinstance(value, list | tuple):
                    raise TypeError(f"expected a list, got {kind_of(value)}")
                return items(value, tp)

            return structure

        return make

    conv.register_unstructure_hook_factory(attrs.has, omit_defaults)
    conv.register_structure_hook_factory(attrs.has, forbid_extra)
    conv.register_structure_hook_factory(_is_tuple, strict(homogenous_tuple_structure_factory))
    conv.register_structure_hook_factory(_is_list, strict(list_structure_factory))
    conv.register_structure_hook_factory(_is_literal, _choice)
    if not conv.detailed_validation:
        _install_fast_paths(conv)


def _null_is_default(default: Any, hook: Any) -> Any:
    """A field's hook reading JSON's null as the field left out: its ``default``
    (exporters write null for what they do not have; the JSON Schema allows it)."""
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        make = default.factory

        def structure_made(value: object, tp: type) -> Any:
            return make() if value is None else hook(value, tp)

        return structure_made

    def structure(value: object, tp: type) -> Any:
        return default if value is None else hook(value, tp)

    return structure


def _is_optional(tp: object) -> bool:
    args = get_args(tp)
    return (get_origin(tp) in (Union, types.UnionType) and len(args) == 2
            and type(None) in args and not _is_text(tp))


def _is_homogeneous_tuple(tp: object) -> bool:
    args = get_args(tp)
    return get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _install_fast_paths(conv: cattrs.Converter) -> None:
    """Optional and tuple hooks bound to their element's hook once (cattrs looks it up per call).

    Only for the fail-fast converter: the detailed one keeps cattrs' own hooks, whose
    errors carry the index and field notes that problem messages are made of.
    """

    def optional(tp: Any) -> Any:
        inner = next(arg for arg in get_args(tp) if arg is not type(None))
        hook = conv.get_structure_hook(inner)

        def structure(value: object, _: object) -> object:
            return None if value is None else hook(value, inner)

        return structure

    def homogeneous_tuple(tp: Any) -> Any:
        inner = get_args(tp)[0]
        hook = conv.get_structure_hook(inner)

        def structure(value: object, _: object) -> tuple[object, ...]:
            if not isinstance(value, list | tuple):
                raise TypeError(f"expected a list, got {kind_of(value)}")
            return tuple([hook(item, inner) for item in value])

        return structure

    conv.register_structure_hook_factory(_is_optional, optional)
    conv.register_structure_hook_factory(_is_homogeneous_tuple, homogeneous_tuple)


def record_to_dict(conv: cattrs.Converter, record: Record) -> dict[str, Any]:
    """The plain data of a record, ``type`` first, defaults left out (but a money's
    currency, which MODEL.md always writes)."""
    data: dict[str, Any] = conv.unstructure(record, type(record))
    return {"type": record.TYPE, **data}


def record_from_dict(conv: cattrs.Converter, data: dict[str, Any]) -> Record:
    """A record from plain data with a ``type`` key (raises cattrs/model errors as they come)."""
    kind = data.get("type")
    cls = RECORD_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise KeyError(kind)
    body = {k: v for k, v in data.items() if k != "type"}
    return conv.structure(body, cls)


_DEFAULT = make_converter("UTC")


def default_converter() -> cattrs.Converter:
    """The shared UTC converter (building one costs milliseconds: build it once)."""
    return _DEFAULT


def dumps(record: Record, *, indent: int | None = None) -> str:
    """A record as JSON text (with its ``type``), via the project's converter.

    Raises:
        ConfigError: ``record`` is not a record.
    """
    if not isinstance(record, Record):
        raise ConfigError(f"dumps needs a record, not {type(record).__name__}")
    return json.dumps(
        record_to_dict(_DEFAULT, record), ensure_ascii=False, indent=indent, sort_keys=False
    )


def loads(text: str, cls: type[T] | None = None, *,
          timezone: str | dt.tzinfo | None = None) -> T | Record:
    """A record from JSON text, read as the loader reads a ``.json`` record file.

    Args:
        text: one JSON object.
        cls: the record class: checks the ``type`` key, or sets it where there is none.
        timezone: the zone a datetime without an offset is read in (MODEL.md: the
            catalogue ``timezone``), an IANA name (``"Asia/Shanghai"``) or a ``tzinfo``.
            Without it such a datetime is an error naming its field, never guessed.
            :func:`dumps` writes every offset, so ``loads(dumps(r), type(r)) == r``.

    Raises:
        CatalogError: the text is not a valid record.
        ConfigError: ``timezone`` names no known zone.
    """
    from .loader import parse_json_record

    return parse_json_record(text, cls, source="<json>", timezone=_zone(timezone))


def _zone(timezone: str | dt.tzinfo | None) -> dt.tzinfo | None:
    """``timezone`` as a tzinfo (None stays None).

    Raises:
        ConfigError: an unknown zone name, or neither a name nor a tzinfo.
    """
    if timezone is None or isinstance(timezone, dt.tzinfo):
        return timezone
    if not isinstance(timezone, str):
        raise ConfigError(f"timezone must be an IANA zone name or a tzinfo, not "
                          f"{type(timezone).__name__}")
    try:
        return zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown timezone {timezone!r} (an IANA name, e.g. "
                          "Asia/Shanghai)") from None
