"""Shared values and the fields common to every record (MODEL.md, "Value conventions")."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from types import UnionType
from typing import (
    Any,
    ClassVar,
    Literal,
    TypeAlias,
    Union,
    cast,
    get_args,
    get_origin,
    get_type_hints,
)

import attrs
from attrs import Attribute, field, frozen

from ..errors import InvalidValue

__all__ = [
    "ID_PATTERN",
    "Attachment",
    "Audience",
    "Change",
    "ContactPoint",
    "Money",
    "OwnedRecord",
    "Person",
    "Record",
    "Text",
    "Value",
    "Withdrawal",
    "kind_of",
    "localize",
]

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")
LANGUAGE_PATTERN = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
MAX_TEXT = 1_000_000  # characters in one text value; more is a mistake, not a disclosure

#: Localized text: a plain string (the catalogue's default language) or language -> text.
Text: TypeAlias = str | dict[str, str]
Audience = Literal["public", "internal"]
Classification = Literal["public", "restricted", "secret"]
Status = Literal["draft", "approved", "withdrawn"]
Sector = Literal["government", "factory", "village", "tax", "police", "school", "medical", "other"]
Level = Literal["province", "city", "county", "township", "village", "other"]


def localize(text: Text | None, language: str, default: str) -> str:
    """The text in ``language``, else in ``default``, else the first one given; '' for None."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return text.get(language) or text.get(default) or next(iter(text.values()), "")


# -- validators: each raises InvalidValue naming the field ------------------------------------

Validator = Callable[[Any, "Attribute[Any]", Any], None]


def _fail(attribute: Attribute[Any], message: str) -> InvalidValue:
    return InvalidValue(attribute.name, message)


def is_id(value: object) -> bool:
    """Whether ``value`` is a valid id: the pattern, and no ``..`` (MODEL.md)."""
    return (isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None
            and ".." not in value)


def _id_problem(inst: object, attribute: Attribute[Any], value: object) -> str:
    """Why ``value`` is no valid id (or reference) for ``attribute``."""
    target = attribute.metadata.get(REF)
    if target is not None and isinstance(value, str) and ":" in value:
        # the converter dropped a matching ``type:`` already: any prefix left is a wrong one
        return wrong_type(value, target)
    shown = _quoted(value)
    if isinstance(value, str) and ID_PATTERN.fullmatch(value):
        return f"{shown} is not a valid id: '..' is not allowed in ids"
    return f"{shown} is not a valid id (^[a-z0-9][a-z0-9._-]{{0,79}}$)"


def _quoted(value: object) -> str:
    """A value as a message quotes it: a long string cut, saying how long it was."""
    if isinstance(value, str) and len(value) > 200:
        return f"{value[:200] + '…'!r} ({len(value):,} characters)"
    return repr(value)


def a_type(name: str) -> str:
    """A record type's name with its article: ``a case``, ``an approval_item``."""
    return f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"


def wrong_type(value: str, target: str) -> str:
    """The message for a ``type:id`` reference whose type is not ``target``."""
    return f"{value!r} must refer to {a_type(target)}"


def check_id(inst: object, attribute: Attribute[Any], value: str | None) -> None:
    """An id (or a reference to one): lower case, digits, '.', '_' and '-', at most 80."""
    if value is None:
        return
    if not is_id(value):
        raise _fail(attribute, _id_problem(inst, attribute, value))


def check_own_id(inst: object, attribute: Attribute[Any], value: str) -> None:
    """A record's own id (:func:`check_id`; required, as its type hint says)."""
    check_id(inst, attribute, value)


def check_ids(inst: object, attribute: Attribute[Any], value: tuple[str, ...]) -> None:
    """Every id of a tuple is valid."""
    for index, item in enumerate(value):
        if not is_id(item):
            raise InvalidValue(f"{attribute.name}.{index}", _id_problem(inst, attribute, item))


def check_ref(_: object, attribute: Attribute[Any], value: str | None) -> None:
    """A reference to a record of any type: ``type:id`` (or an ``id`` unique across types)."""
    if value is None:
        return
    _, _, ident = value.rpartition(":")
    if not is_id(ident):
        raise _fail(attribute, f"{value!r} is not a valid reference (id or type:id)")


def check_refs(inst: object, attribute: Attribute[Any], value: tuple[str, ...]) -> None:
    """Every reference of a tuple is valid."""
    for index, item in enumerate(value):
        _, _, ident = item.rpartition(":")
        if not is_id(ident):
            raise InvalidValue(f"{attribute.name}.{index}", f"{item!r} is not a valid reference")


#: What localized text is, as messages say.
_TEXT = "text or a table of language = text"
_LANGUAGES: set[str] = set()  # language tags already seen valid (a hot path of loading)


def _check_text(name: str, value: object) -> None:
    """Localized text (None is not): the kind check of a :class:`Value`'s text fields."""
    if type(value) is str:
        if len(value) > MAX_TEXT:
            raise InvalidValue(name, f"text longer than {MAX_TEXT} characters")
        return
    if not isinstance(value, dict):
        raise InvalidValue(name, f"expected {_TEXT}, got {kind_of(value)}")
    if not value:
        raise InvalidValue(name, "localized text is a string or a table of language -> text")
    for language, text in value.items():
        if language not in _LANGUAGES:
            if not isinstance(language, str) or not LANGUAGE_PATTERN.fullmatch(language):
                raise InvalidValue(f"{name}.{language}", "not a language tag")
            _LANGUAGES.add(language)
        if not isinstance(text, str):
            raise InvalidValue(f"{name}.{language}", "must be a string")
        if len(text) > MAX_TEXT:
            raise InvalidValue(f"{name}.{language}", f"text longer than {MAX_TEXT} characters")


def check_text(_: object, attribute: Attribute[Any], value: Text | None) -> None:
    """Localized text: a string or a table of language tag -> string."""
    if value is not None:
        _check_text(attribute.name, value)


def check_aware(_: object, attribute: Attribute[Any], value: dt.datetime | None) -> None:
    """A datetime must carry its offset."""
    if value is None:
        return
    if value.tzinfo is None:
        raise _fail(attribute, "datetime must be timezone-aware")
    if value.year in (1, 9999):  # only there can the offset take it out of Python's range
        try:
            value.astimezone(dt.UTC)
        except OverflowError:
            raise _fail(attribute, f"{value.isoformat()!r} is out of range: in UTC it falls "
                                   "outside years 1 to 9999") from None


def not_one_of(value: object, allowed: tuple[Any, ...]) -> str:
    """The message for a value outside a ``Literal``'s choices (null for a required one)."""
    choices = ", ".join(map(str, allowed))
    if value is None:
        return f"expected one of {choices}, got nothing (null)"
    return f"{value!r} is not one of {choices}"


def check_choice(choices: Any) -> Validator:
    """One of the values of a ``Literal`` type (for attrs classes outside the model: a
    :class:`Value` checks its ``Literal`` fields itself)."""
    allowed = get_args(choices)

    def check(_: object, attribute: Attribute[Any], value: object) -> None:
        if value is not None and value not in allowed:
            raise _fail(attribute, not_one_of(value, allowed))

    return check


def check_non_negative(_: object, attribute: Attribute[Any], value: float | None) -> None:
    """Counts and days are never negative."""
    if value is not None and value < 0:
        raise _fail(attribute, "must not be negative")


#: The longest period a count of days may give (a time limit, suspensions, a commitment):
#: a hundred years. More is a typo, and date arithmetic must stay within years 1 to 9999.
MAX_DAYS = 36_500


def check_days(_: object, attribute: Attribute[Any], value: int | None) -> None:
    """A number of days: from 0 to :data:`MAX_DAYS`."""
    if value is not None and not 0 <= value <= MAX_DAYS:
        raise _fail(attribute, "must not be negative" if value < 0 else
                    f"must be at most {MAX_DAYS} days (a hundred years), not {value}")


_URL = re.compile(r"https?://", re.IGNORECASE)


def local_file(value: str | None) -> str | None:
    """The catalogue file a path field names, as a normalised POSIX path relative to the
    catalogue folder; None for an http(s) URL or no value (see :func:`check_file`)."""
    if value is None or _URL.match(value):
        return None
    return "/".join(part for part in value.split("/") if part not in ("", "."))


def attachment_file(url: str) -> str | None:
    """The catalogue file an attachment's ``url`` names: a relative path (no scheme, no
    leading slash, query, fragment, ``..`` or ``:`` in its first segment), normalised as
    :func:`local_file` does; None for a URL of any scheme (`` javascript:`` with a space
    before it too) or anything else."""
    if url.startswith(("/", "\\")) or any(c in url for c in "?#\\"):
        return None
    parts = [part for part in url.split("/") if part not in ("", ".")]
    return "/".join(parts) if parts and ".." not in parts and ":" not in parts[0] else None


def check_file(_: object, attribute: Attribute[Any], value: str | None) -> None:
    """A file of the catalogue (a relative path below its folder) or an http(s) URL."""
    path = local_file(value)
    if path is None or value is None:
        return
    parts = path.split("/")
    if (not path or value.startswith("/") or ".." in parts or "\\" in value
            or ":" in parts[0] or not value.isprintable() or len(value) > 1000):
        raise _fail(attribute, f"{value[:200]!r} is not a path relative to the catalogue "
                               "folder (no leading '/', no '..') or an http(s) URL")


def optional_tuple(value: Iterable[Any] | None) -> tuple[Any, ...] | None:
    """A list stored as a tuple, keeping None (for lists where 'not given' differs from
    'empty')."""
    return None if value is None else tuple(value)


def text_field(*, required: bool = False) -> Any:
    """A localized text field (:class:`Value` checks it: :func:`check_text`)."""
    if required:
        return field()
    return field(default=None)


def datetime_field(*, required: bool = False) -> Any:
    """An aware datetime field."""
    if required:
        return field(validator=check_aware)
    return field(default=None, validator=check_aware)


def date_field() -> Any:
    """An optional date field."""
    return field(default=None)


def tuple_field(validator: Validator | None = None) -> Any:
    """A list stored as a tuple (a list or tuple is given: :class:`Value` checks it)."""
    return field(factory=tuple, converter=tuple, validator=validator)


#: Attribute metadata key: a string field whose value may be written as an integer (a
#: window's or hotline's number, a badge number), read as its digits.
DIGITS = "govdisclosure.digits"


def _digits(value: str | int | None) -> str | None:
    """An integer given for a :func:`number_field` as its digits (:class:`Value` let
    through only one that is not negative)."""
    return str(value) if value.__class__ is int else cast("str | None", value)


def number_field(*, required: bool = True) -> Any:
    """A number that is a name rather than a quantity (``number = 3`` reads as ``"3"``)."""
    if required:
        return field(converter=_digits, metadata={DIGITS: True})
    return field(default=None, converter=_digits, metadata={DIGITS: True})


def file_field() -> Any:
    """An optional catalogue file or URL (:func:`check_file`)."""
    return field(default=None, validator=check_file)


#: Attribute metadata key: the record type a reference field implies.
REF = "govdisclosure.ref"
#: Attribute metadata key: a field written out even when it holds its default (MODEL.md
#: writes money as ``{ amount, currency }``: a reader must not have to know it is CNY).
WRITTEN = "govdisclosure.written"
#: The implied type of ``supersedes``: the record's own type.
SAME_TYPE = "="


def _bare(target: str) -> Callable[[Any], Any]:
    """A converter dropping a ``target:`` prefix: the field holds the bare id."""
    prefix = f"{target}:"
    size = len(prefix)

    def convert(value: Any) -> Any:
        if value.__class__ is str and ":" in value and value.startswith(prefix):
            return value[size:]
        return value

    return convert


def ref_field(target: str | None = None, *, required: bool = False) -> Any:
    """A reference to another record.

    Args:
        target: the record type the field implies (MODEL.md: "just ``id`` where the type
            is implied by the field"), or :data:`SAME_TYPE` (then ``Record`` normalises
            it, once the type is known). ``id`` and ``target:id`` are both accepted and
            stored as the bare id; another ``type:`` is an error. None: any type,
            ``type:id`` (or an id unique across types), kept as written.
        required: no default.
    """
    if target is None or target == SAME_TYPE:
        metadata = {} if target is None else {REF: target}
        if required:
            return field(validator=check_ref, metadata=metadata)
        return field(default=None, validator=check_ref, metadata=metadata)
    if required:
        return field(converter=_bare(target), validator=check_id, metadata={REF: target})
    return field(default=None, converter=_bare(target), validator=check_id,
                 metadata={REF: target})


def refs_field(target: str) -> Any:
    """A list of references to records of type ``target`` (bare ids, see :func:`ref_field`)."""
    bare = _bare(target)

    def convert(value: Iterable[Any]) -> tuple[Any, ...]:
        return tuple([bare(item) for item in value])

    return field(factory=tuple, converter=convert, validator=check_ids,
                 metadata={REF: target})


# -- kinds: every value given to a constructor is of its field's type, as the loader wants ------

#: A check of one value: raises InvalidValue naming ``field`` when the value is of the wrong kind.
KindCheck = Callable[[str, Any], None]
#: ``(classes taken as they are, check of any other value)`` for one field.
Kind = tuple[frozenset[type], KindCheck]
#: A field's kind and its default (taken as it is: ``"public"`` needs no check).
FieldKind = tuple[frozenset[type], KindCheck, object]
_OptionalText = Text | None
#: what ``__attrs_pre_init__`` is given for a field with a factory when no value is
_NOT_GIVEN = type(attrs.NOTHING)


def kind_of(value: object) -> str:
    """What a value is, for a message: ``a string``, ``a table``, ``nothing (null)``."""
    if value is None:  # JSON's null where a value is required
        return "nothing (null)"
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a float",
             list: "a list", dict: "a table", dt.datetime: "a datetime", dt.date: "a date"}
    return names.get(type(value), type(value).__name__)


def _instance(kinds: tuple[type, ...], what: str, *, but: type | None = None) -> Kind:
    """Instances of ``kinds`` (not of ``but``, a subclass of one of them: a bool is no
    integer, a datetime no date)."""

    def check(field: str, value: object) -> None:
        if not isinstance(value, kinds) or (but is not None and isinstance(value, but)):
            raise InvalidValue(field, f"expected {what}, got {kind_of(value)}")

    return frozenset(kinds), check


def _model_class(cls: type) -> Kind:
    def check(field: str, value: object) -> None:
        if not isinstance(value, cls):
            got = kind_of(value) if value is None else type(value).__name__
            raise InvalidValue(field, f"expected {cls.__name__} (gd.{cls.__name__}(...); "
                                      f"gd.loads reads a mapping), got {got}")

    return frozenset({cls}), check


def _choice(allowed: tuple[Any, ...]) -> Kind:
    def check(field: str, value: object) -> None:
        if value not in allowed:
            raise InvalidValue(field, not_one_of(value, allowed))

    return frozenset(), check


def _digits_kind(field: str, value: object) -> None:
    if type(value) is not int:
        raise InvalidValue(field, f"expected a string, got {kind_of(value)}")
    if value < 0:
        raise InvalidValue(field, "must not be negative")


def _items(item: Kind) -> Kind:
    """A list or tuple of values of the kind ``item``, each named by its index."""
    passes, check_item = item

    def check(field: str, value: object) -> None:
        if not isinstance(value, list | tuple):
            raise InvalidValue(field, f"expected a list, got {kind_of(value)}")
        for index, element in enumerate(value):
            if element.__class__ not in passes:
                check_item(f"{field}.{index}", element)

    return frozenset(), check


def _table(item: Kind) -> Kind:
    """A dict of string keys to values of the kind ``item``, each named by its key."""
    passes, check_item = item

    def check(field: str, value: object) -> None:
        if not isinstance(value, dict):
            raise InvalidValue(field, f"expected a table, got {kind_of(value)}")
        for key, element in value.items():
            if not isinstance(key, str):
                raise InvalidValue(field, f"keys must be strings, not {kind_of(key)}")
            if element.__class__ not in passes:
                check_item(f"{field}.{key}", element)

    return frozenset(), check


def _unchecked(field: str, value: object) -> None:
    """Money's amount: its converter and validator read and check any value themselves."""


_SIMPLE: dict[Any, Kind] = {
    str: _instance((str,), "a string"),
    int: _instance((int,), "an integer", but=bool),
    float: _instance((int, float), "a number", but=bool),
    bool: _instance((bool,), "true or false"),
    dt.datetime: _instance((dt.datetime,), "an aware datetime"),
    dt.date: _instance((dt.date,), "a date (YYYY-MM-DD)", but=dt.datetime),
    Decimal: (frozenset(), _unchecked),
}


def _kind(hint: Any) -> Kind:
    """The kind of a field's type hint, as the loader's converter reads it."""
    if hint in (Text, _OptionalText):
        return (frozenset() if hint == Text else frozenset({type(None)})), _check_text
    if get_origin(hint) in (Union, UnionType):
        args = [arg for arg in get_args(hint) if arg is not type(None)]
        if len(args) != 1:  # pragma: no cover - a model change
            raise TypeError(f"no kind for {hint!r}")
        passes, check = _kind(args[0])
        return passes | {type(None)}, check
    if get_origin(hint) is Literal:
        return _choice(get_args(hint))
    if get_origin(hint) is tuple:
        return _items(_kind(get_args(hint)[0]))
    if get_origin(hint) is dict:
        return _table(_kind(get_args(hint)[1]))
    if hint in _SIMPLE:
        return _SIMPLE[hint]
    if isinstance(hint, type) and attrs.has(hint):
        return _model_class(hint)
    raise TypeError(f"no kind for {hint!r}")  # pragma: no cover - a model change


#: The kind of every field of each class built so far.
_KINDS: dict[type, dict[str, FieldKind]] = {}


def _kinds(cls: type) -> dict[str, FieldKind]:
    hints = get_type_hints(cls)
    kinds = {}
    for attribute in attrs.fields(cls):
        passes, check = _kind(hints[attribute.name])
        if attribute.metadata.get(DIGITS):  # an integer is its digits, as the loader reads it
            passes, check = passes & {type(None)} | {str}, _digits_kind
        kinds[attribute.alias] = passes | {_NOT_GIVEN}, check, attribute.default
    _KINDS[cls] = kinds
    return kinds


class Value:
    """Base of the model's attrs classes: every value given to the constructor must be of
    its field's kind, from the type hint, as ``gd.loads`` reads the field: no ``None``
    where the hint has none, ``"20"``, ``20.5`` or ``True`` is no integer, a string no
    list, a mapping no ``gd.Attachment``. Checked before converters and validators, which
    then only check the rules beyond the kind (an id's pattern, a number of days).

    Raises:
        InvalidValue: naming the field (``tags.1`` for an item of a list).
    """

    __slots__ = ()

    def __attrs_pre_init__(self, **given: Any) -> None:
        kinds = _KINDS.get(self.__class__) or _kinds(self.__class__)
        for name, value in given.items():
            passes, check, default = kinds[name]
            if value.__class__ not in passes and value is not default:
                check(name, value)


# -- shared values -----------------------------------------------------------------------------


#: An amount as MODEL.md writes it: digits with an optional fraction (``"12.50"``), nothing
#: else: ``Decimal()`` also reads ``"1e3"``, ``"+5"``, ``" 5"``, ``"1_000"`` and ``"NaN"``.
AMOUNT_PATTERN = re.compile(r"[0-9]+(\.[0-9]+)?")
#: The most digits an amount may have before its decimal point, and after it: a budget of
#: trillions fits, while ``1E+99999999`` would be a page of a hundred million digits.
AMOUNT_DIGITS, AMOUNT_PLACES = 18, 8


def parse_amount(text: str) -> Decimal:
    """An amount from its decimal string (:data:`AMOUNT_PATTERN`).

    Raises:
        ValueError: with a message for the user.
    """
    if AMOUNT_PATTERN.fullmatch(text):
        return Decimal(text)
    if text.startswith("-") and AMOUNT_PATTERN.fullmatch(text[1:]):
        raise ValueError("must not be negative")
    raise ValueError(f"{text!r} is not a decimal string: digits with an optional fraction, "
                     'like "12.50"')


def _decimal(value: Decimal | str | int) -> Decimal:
    """A decimal string or an int as a Decimal (``-0`` as 0); anything else as it is, for
    the validator to refuse (a float above all)."""
    if isinstance(value, str):
        try:
            return parse_amount(value)
        except ValueError:
            pass
    elif isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    elif isinstance(value, Decimal) and value.is_zero():
        return value.copy_abs()  # written "-0", which is no amount
    return cast(Decimal, value)


@frozen(kw_only=True)
class Money(Value):
    """An amount of money: a Decimal (never a float) and a currency code (ISO 4217)."""

    amount: Decimal = field(converter=_decimal)
    currency: str = field(default="CNY", metadata={WRITTEN: True})

    @amount.validator
    def _amount(self, attribute: Attribute[Any], value: Decimal) -> None:
        if isinstance(value, float):
            raise _fail(attribute, "must be a decimal string or Decimal, never a float")
        if isinstance(value, str):
            try:
                parse_amount(value)
            except ValueError as exc:
                raise _fail(attribute, str(exc)) from None
        if not isinstance(value, Decimal) or not value.is_finite():
            raise _fail(attribute, f"{value!r} is not a finite decimal")
        if value < 0:
            raise _fail(attribute, "must not be negative")
        exponent = cast(int, value.as_tuple().exponent)
        if value.adjusted() >= AMOUNT_DIGITS or -exponent > AMOUNT_PLACES:
            raise _fail(attribute, f"must be below 10^{AMOUNT_DIGITS} with at most "
                                   f"{AMOUNT_PLACES} decimal places")

    @currency.validator
    def _currency(self, attribute: Attribute[Any], value: str) -> None:
        # the form only: ISO 4217's list changes, and no maintained copy is at hand
        if not re.fullmatch(r"[A-Z]{3}", value):
            raise _fail(attribute, f"{value!r} must be three upper-case letters (an ISO 4217 "
                                   "code, like CNY)")


@frozen(kw_only=True)
class ContactPoint(Value):
    """Where to reach someone: at least one of the fields is given."""

    #: what the contact is called in messages, and the fields of which one is needed
    KIND: ClassVar[str] = "contact point"
    ANY_OF: ClassVar[tuple[str, ...]] = ("unit", "phone", "email", "address", "hours")

    unit: Text | None = text_field()
    phone: str | None = None
    email: str | None = None
    address: Text | None = text_field()
    hours: Text | None = text_field()

    def __attrs_post_init__(self) -> None:
        if not any(getattr(self, name) for name in self.ANY_OF):
            raise InvalidValue("", f"a {self.KIND} needs at least one of "
                                   f"{', '.join(self.ANY_OF)}")


#: :func:`_nested` of each class asked about.
_NESTED: dict[type, tuple[tuple[str, type, bool], ...]] = {}


def _nested(cls: type) -> tuple[tuple[str, type, bool], ...]:
    """``(field, class, many)`` for each field of attrs class ``cls`` that holds instances
    of an attrs class (``many``: a tuple of them)."""
    known = _NESTED.get(cls)
    if known is not None:
        return known
    found = []
    for name, written in get_type_hints(cls).items():
        if name not in attrs.fields_dict(cls):
            continue
        hint = (next(a for a in get_args(written) if a is not type(None))  # X | None
                if get_origin(written) in (Union, UnionType) else written)
        many = get_origin(hint) is tuple  # tuple[X, ...]
        target = get_args(hint)[0] if many else hint
        if isinstance(target, type) and attrs.has(target):
            found.append((name, target, many))
    _NESTED[cls] = tuple(found)
    return _NESTED[cls]


@frozen(kw_only=True)
class Person(Value):
    """A named office holder (head, deputy in charge, hotline owner)."""

    name: Text = text_field(required=True)
    title: Text | None = text_field()


@frozen(kw_only=True)
class Attachment(Value):
    """A document attached to a record."""

    title: Text = text_field(required=True)
    url: str = field()
    media_type: str | None = None
    sha256: str | None = field(default=None)
    bytes: int | None = field(default=None, validator=check_non_negative)

    @sha256.validator
    def _sha(self, attribute: Attribute[Any], value: str | None) -> None:
        if value is not None and not re.fullmatch(r"[0-9a-f]{64}", value):
            raise _fail(attribute, "must be 64 lower-case hex digits")


@frozen(kw_only=True)
class Change(Value):
    """One entry of a record's public change history."""

    at: dt.datetime = datetime_field(required=True)
    note: Text = text_field(required=True)
    major: bool = True


@frozen(kw_only=True)
class Withdrawal(Value):
    """Why and when a record was withdrawn; shown on its tombstone."""

    on: dt.date
    reason: Text = text_field(required=True)


@frozen(kw_only=True)
class Record(Value):
    """Fields common to every record type (MODEL.md, "Fields common to every record")."""

    TYPE: ClassVar[str] = "record"

    id: str = field(validator=check_own_id)
    title: Text | None = text_field()
    summary: Text | None = text_field()
    body: Text | None = text_field()
    audience: Audience = "public"
    classification: Classification = "public"
    status: Status = "approved"
    withdrawn: Withdrawal | None = None
    issued_at: dt.datetime | None = datetime_field()
    publish_at: dt.datetime | None = datetime_field()
    expires_at: dt.datetime | None = datetime_field()
    updated_at: dt.datetime | None = datetime_field()
    changes: tuple[Change, ...] = tuple_field()
    sector: Sector = "government"
    tags: tuple[str, ...] = tuple_field()
    related: tuple[str, ...] = tuple_field(check_refs)
    supersedes: str | None = ref_field(SAME_TYPE)
    attachments: tuple[Attachment, ...] = tuple_field()
    channels: tuple[str, ...] | None = field(default=None, converter=optional_tuple)

    def __attrs_post_init__(self) -> None:
        if self.status == "withdrawn" and self.withdrawn is None:
            raise InvalidValue("withdrawn", "required with status = 'withdrawn' ({ on, reason })")
        if self.status != "withdrawn" and self.withdrawn is not None:
            raise InvalidValue("withdrawn", "only allowed with status = 'withdrawn'")
        if self.supersedes is not None and ":" in self.supersedes:
            kind, _, ident = self.supersedes.partition(":")
            if kind != self.TYPE or not is_id(ident):
                raise InvalidValue("supersedes", wrong_type(self.supersedes, self.TYPE))
            object.__setattr__(self, "supersedes", ident)  # the bare id, as ref_field does
        self._check()

    def _check(self) -> None:
        """Cross-field rules of one record type; overridden by the types that have some."""

    @property
    def publication_status(self) -> Status:
        """``draft``, ``withdrawn`` or ``approved``.

        Some types (allocation, hotline, suggestion, press_conference, complaint,
        accountability_record) give ``status`` a lifecycle of their own (MODEL.md); for
        them every value other than ``draft`` and ``withdrawn`` counts as approved.
        """
        if self.status in ("draft", "withdrawn"):
            return self.status
        return "approved"

    @property
    def attached(self) -> tuple[Attachment, ...]:
        """Every attachment of the record (an allocation's stages' too)."""
        return self.attachments

    @property
    def files(self) -> tuple[str, ...]:
        """The catalogue files the record shows (attachments that are files of the
        catalogue folder, floor plans, staff photos), as paths relative to the catalogue
        folder: their content counts as part of the record's, so every run reads them.
        An attachment that declares its ``sha256`` is left out: that digest, part of the
        record, stands for its content (a big document is read only to be copied)."""
        found = (attachment_file(attachment.url) for attachment in self.attached
                 if attachment.sha256 is None)
        return tuple(dict.fromkeys(path for path in found if path is not None))

    @property
    def ref(self) -> str:
        """``type:id``, the way records refer to each other."""
        return f"{self.TYPE}:{self.id}"

    @property
    def label(self) -> Text | None:
        """The record's display title (name or headline where the type uses those)."""
        return self.title


@frozen(kw_only=True)
class OwnedRecord(Record):
    """A record some agency is responsible for."""

    agency: str = ref_field("agency", required=True)
