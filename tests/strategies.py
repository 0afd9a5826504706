"""Hypothesis strategies for every record type, its values, and whole catalogues.

Built from the attrs fields and type hints of the model, so that a new field is
generated without touching this module; only references (which record a field
points at) and a few cross-field rules are spelled out here.

- :func:`values` any value of a type hint (localized text, aware datetimes, money, ...)
- :func:`records` one record of a class, references pointing at arbitrary valid ids
- :func:`any_record` one record of any type of ``RECORD_TYPES``
- :func:`catalogs` ``(CatalogMeta, records)``: agencies first, every reference valid
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import zoneinfo
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import attrs
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.model import RECORD_TYPES
from govdisclosure.model.common import Text

__all__ = [
    "AS_OF",
    "CST",
    "FORMATS",
    "HOSTILE",
    "LANGUAGES",
    "META",
    "REFERENCES",
    "UNPUBLISHABLE",
    "any_record",
    "aware_datetimes",
    "catalog_metas",
    "catalogs",
    "date_spellings",
    "datetime_spellings",
    "ids",
    "money",
    "plain_text",
    "record_data",
    "records",
    "texts",
    "values",
    "write_catalog",
]

_OptionalText = Text | None

#: China Standard Time, the instant the publisher tests publish at, and their catalogue.
CST = dt.timezone(dt.timedelta(hours=8))
AS_OF = dt.datetime(2002, 12, 31, 18, 0, tzinfo=CST)
META = gd.CatalogMeta(
    name={"zh-CN": "测试政务公开", "en": "Test Disclosure"},
    base_url="https://gk.example.gov.cn/",
    default_language="zh-CN",
    languages=("zh-CN", "en"),
    timezone="Asia/Shanghai",
    publisher=gd.PublisherInfo(name={"zh-CN": "办公厅", "en": "General Office"}),
)

#: Strings that break naive escaping, parsing or rendering.
HOSTILE = (
    "<script>alert('x')</script>",
    "</title><img src=x onerror=alert(1)>",
    "&amp; &lt; &#0; ]]> <![CDATA[x]]>",
    '"double" \'single\' `back` \\ backslash',
    "\u202eRTL override\u202c \u200fmark\u200e \u2067isolate\u2069",
    "tab\there\r\nCRLF\x00nul\x1b[31mansi\x7fdel",
    "line\u2028separator\u2029para\x85next\x0bvt\x0cff",
    "\u2028+++\u2028",
    "+++\n+++",
    "{{ jinja }} {% raw %} ${shell} $(id) %s %(x)s",
    "../../etc/passwd",
    "政务公开 吉林省 \U0001f600 ﷽ \u0301combining",
    " leading and trailing spaces ",
    "",
)

#: Language tags for localized text (the model accepts any well-formed tag).
LANGUAGES = ("zh-CN", "en", "ug", "bo", "mn-Mong", "ar", "he", "zh-Hant-TW")

#: Fixed offsets and zones without DST, so that equality after a round trip is exact.
_ZONES = (
    dt.UTC,
    dt.timezone(dt.timedelta(hours=8)),
    dt.timezone(dt.timedelta(hours=-5)),
    dt.timezone(dt.timedelta(hours=5, minutes=30)),
    dt.timezone(dt.timedelta(hours=5, minutes=45)),
    dt.timezone(dt.timedelta(hours=-9, minutes=-30)),
    dt.timezone(dt.timedelta(hours=14)),
    dt.timezone(dt.timedelta(hours=-12)),
    zoneinfo.ZoneInfo("Asia/Shanghai"),
    zoneinfo.ZoneInfo("Asia/Kolkata"),
)

#: What makes a record non-publishable (``catalogs(include_unpublishable=True)``).
UNPUBLISHABLE = ("draft", "secret", "restricted", "internal", "embargoed", "withdrawn")

#: Embargoed records are embargoed until at least this instant.
EMBARGO_FROM = dt.datetime(2090, 1, 1, tzinfo=dt.UTC)

#: What an accountability record's ``source`` may name (MODEL.md), besides audit findings.
SOURCE_TYPES = ("complaint", "evaluation")
#: (class, field) -> the record type it refers to; "*" any type (written ``type:id``),
#: "=" the record's own type, "source" one of :data:`SOURCE_TYPES` (written ``type:id``).
#: Every field with an id validator other than ``id`` is here.
REFERENCES: dict[tuple[type, str], str] = {
    (gd.OwnedRecord, "agency"): "agency",
    (gd.Agency, "parent"): "=",
    (gd.Record, "related"): "*",
    (gd.Record, "supersedes"): "=",
    (gd.Case, "item"): "approval_item",
    (gd.ApprovalItem, "windows"): "service_window",
    (gd.HotlineCall, "hotline"): "hotline",
    (gd.Suggestion, "adopted_into"): "*",
    (gd.Consultation, "decision"): "*",
    (gd.NewsRelease, "conference"): "press_conference",
    (gd.PressConference, "releases"): "news_release",
    (gd.Speaker, "agency"): "agency",
    (gd.FloorWindow, "window"): "service_window",
    (gd.ServiceWindow, "hall"): "service_hall",
    (gd.ServiceWindow, "services"): "approval_item",
    (gd.Commitment, "item"): "approval_item",
    (gd.Complaint, "about"): "agency",
    (gd.Complaint, "accountability"): "accountability_record",
    (gd.AccountabilityRecord, "subject_unit"): "agency",
    (gd.AccountabilityRecord, "source"): "source",
    (gd.PlanTask, "owner"): "agency",
}

#: Fields whose later value must not come before the earlier one: (later, earlier).
_ORDER: dict[type, tuple[tuple[str, str], ...]] = {
    gd.Case: (("decided_at", "received_at"),),
    gd.HotlineCall: (("handled_at", "received_at"), ("closed_at", "received_at")),
    gd.Suggestion: (("responded_at", "received_at"),),
    gd.Consultation: (("closes_at", "opens_at"),),
    gd.Complaint: (("resolved_at", "received_at"),),
}


# -- values --------------------------------------------------------------------------------------


@functools.cache
def ids() -> st.SearchStrategy[str]:
    """Ids matching the id rule, from short and readable to 80 odd characters."""
    first = st.sampled_from(_ID_FIRST)
    return st.one_of(
        st.builds(str.__add__, first, st.text(_ID_FIRST + "-", max_size=11)),
        st.builds(str.__add__, first, st.text(_ID_FIRST + "._-", max_size=79)).map(
            lambda ident: ident.replace("..", "._")  # no '..' (MODEL.md); same length
        ),
    )


_ID_FIRST = "abcdefghijklmnopqrstuvwxyz0123456789"


@functools.cache
def plain_text() -> st.SearchStrategy[str]:
    """Any string a person might paste, hostile ones included (no lone surrogates)."""
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=20),
    )


@functools.cache
def texts() -> st.SearchStrategy[Text]:
    """Localized text: a plain string, or a table of language tag -> string."""
    return st.one_of(
        plain_text(),
        st.dictionaries(st.sampled_from(LANGUAGES), plain_text(), min_size=1, max_size=3),
    )


@functools.cache
def aware_datetimes() -> st.SearchStrategy[dt.datetime]:
    """Timezone-aware datetimes in several offsets, microseconds included."""
    return st.datetimes(
        min_value=dt.datetime(1992, 1, 1),  # noqa: DTZ001 - Shanghai kept DST until 1991
        max_value=dt.datetime(2099, 12, 31),  # noqa: DTZ001
        timezones=st.sampled_from(_ZONES),
    )


def dates() -> st.SearchStrategy[dt.date]:
    """Calendar dates."""
    return st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31))


def _date_spelling(day: dt.date, form: str) -> str:
    """``day`` in one of ISO 8601's spellings: extended (``YYYY-MM-DD``), basic, week or
    ordinal."""
    if form == "week":
        year, week, weekday = day.isocalendar()
        return f"{year:04d}-W{week:02d}-{weekday}"
    if form == "ordinal":
        return f"{day.year:04d}-{day.timetuple().tm_yday:03d}"
    return day.strftime("%Y-%m-%d" if form == "extended" else "%Y%m%d")


@st.composite
def date_spellings(draw: st.DrawFn) -> tuple[str, dt.date | None]:
    """A date in one of ISO 8601's spellings, with the date it stands for when catalogue
    files accept it (``YYYY-MM-DD`` only), else None."""
    day = draw(dates())
    form = draw(st.sampled_from(("extended", "basic", "week", "ordinal")))
    return _date_spelling(day, form), day if form == "extended" else None


@st.composite
def datetime_spellings(draw: st.DrawFn) -> tuple[str, dt.datetime | None]:
    """A datetime in one of the spellings of ISO 8601 (most of which ``fromisoformat``
    reads), with the datetime it stands for (naive without an offset) when catalogue files
    accept it, else None. They accept RFC 3339 (``T``, ``t`` or a space; a fraction after
    a dot; ``Z``, ``z`` or ``+HH:MM``) with the seconds, the offset or the whole time left
    out; not ``20020315T0900``, ``2002-W11-5``, ``+0800``, ``+08``, ``,5`` or ``T09``."""
    moment = draw(st.datetimes(dt.datetime(1900, 1, 1),  # noqa: DTZ001 - naive by design
                               dt.datetime(2100, 12, 31)))  # noqa: DTZ001
    date_form = draw(st.sampled_from(("extended", "basic", "week", "ordinal")))
    text, meant = _date_spelling(moment.date(), date_form), moment
    time_form = draw(st.sampled_from(("none", "hour", "minute", "second", "fraction",
                                      "basic")))
    accepted = date_form == "extended"
    if time_form == "none":
        meant = dt.datetime.combine(moment.date(), dt.time())
    else:
        separator = draw(st.sampled_from(("T", "t", " ", "_")))
        text += separator + moment.strftime({"hour": "%H", "minute": "%H:%M", "basic": "%H%M%S"}
                                            .get(time_form, "%H:%M:%S"))
        accepted = accepted and separator != "_" and time_form not in ("hour", "basic")
        meant = moment.replace(second=0, microsecond=0) if time_form == "minute" else moment
        if time_form == "fraction":
            digits = draw(st.integers(1, 9))
            point = draw(st.sampled_from((".", ",")))
            fraction = f"{moment.microsecond:06d}{draw(st.integers(0, 999)):03d}"[:digits]
            text += point + fraction
            accepted = accepted and point == "."
            meant = moment.replace(microsecond=int(fraction[:6].ljust(6, "0")))
        else:
            meant = meant.replace(microsecond=0)
        offset_form = draw(st.sampled_from(("none", "Z", "z", "+HH:MM", "+HHMM", "+HH")))
        if offset_form in ("Z", "z"):
            text += offset_form
            meant = meant.replace(tzinfo=dt.UTC)
        elif offset_form != "none":
            sign = draw(st.sampled_from((1, -1)))
            hours = draw(st.integers(0, 23))
            minutes = 0 if offset_form == "+HH" else draw(st.integers(0, 59))
            text += ("+" if sign > 0 else "-") + {
                "+HH:MM": f"{hours:02d}:{minutes:02d}", "+HHMM": f"{hours:02d}{minutes:02d}",
                "+HH": f"{hours:02d}"}[offset_form]
            offset = dt.timedelta(hours=hours, minutes=minutes) * sign
            meant = meant.replace(tzinfo=dt.timezone(offset))
            accepted = accepted and offset_form == "+HH:MM"
    return text, meant if accepted else None


def amounts() -> st.SearchStrategy[Decimal]:
    """Non-negative decimal amounts, from 0 to billions, 0-4 places."""
    return st.integers(0, 4).flatmap(
        lambda places: st.decimals(
            min_value=0, max_value=10**10, places=places, allow_nan=False, allow_infinity=False
        )
    )


def money() -> st.SearchStrategy[gd.Money]:
    """Money: a Decimal amount and an ISO 4217 code."""
    return st.builds(gd.Money, amount=amounts(), currency=st.sampled_from(("CNY", "USD", "EUR")))


_SIMPLE: dict[Any, Callable[[], st.SearchStrategy[Any]]] = {
    str: plain_text,
    int: lambda: st.integers(0, 10_000),
    float: lambda: st.floats(0, 100),
    bool: st.booleans,
    Decimal: amounts,
    dt.datetime: aware_datetimes,
    dt.date: dates,
    type(None): st.none,
}

#: (class, field) -> strategy, where the type hint says too little.
#: Values of file fields (``plan``, ``photo``): paths in the catalogue folder, URLs.
FILES = ("assets/hall-1f.svg", "./plans//二楼 平面图.svg", "staff/li.jpg",
         "https://cdn.example.gov.cn/staff/wang.png", "plans/a:b.svg")

_FIELDS: dict[tuple[type, str], Callable[[], st.SearchStrategy[Any]]] = {
    (gd.Record, "id"): ids,
    (gd.PlanTask, "id"): ids,
    (gd.Money, "currency"): lambda: st.sampled_from(("CNY", "USD", "EUR", "HKD")),
    (gd.Attachment, "sha256"): lambda: st.none() | st.from_regex(r"[0-9a-f]{64}", fullmatch=True),
    (gd.Evaluation, "year"): lambda: st.integers(1900, 2200),
    (gd.WorkPlan, "year"): lambda: st.integers(1900, 2200),
    (gd.Evaluation, "score"): lambda: st.none() | st.floats(0, 100),
    (gd.Evaluation, "components"): lambda: st.dictionaries(
        plain_text(), st.floats(0, 100), max_size=3
    ),
    (gd.Evaluation, "rank"): lambda: st.none() | st.integers(1, 10_000),
    (gd.Floor, "plan"): lambda: st.none() | st.sampled_from(FILES),
    (gd.Staff, "photo"): lambda: st.none() | st.sampled_from(FILES),
    (gd.Record, "channels"): lambda: st.none() | st.lists(
        st.sampled_from(("site", "feeds", "kiosk", "news", "ocds", "webhook")),
        unique=True, max_size=3,
    ).map(tuple),
}


def values(tp: Any, refs: Refs | None = None) -> st.SearchStrategy[Any]:
    """Any valid value of the type hint ``tp`` (an attrs class, a Literal, a tuple...).

    Args:
        tp: the type hint.
        refs: how references inside attrs values are drawn (see :func:`records`).
    """
    if tp == Text:
        return texts()
    if tp == _OptionalText:
        return st.none() | texts()
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        return st.one_of(*(values(arg, refs) for arg in get_args(tp)))
    if origin is Literal:
        return st.sampled_from(get_args(tp))
    if origin is tuple:
        element = values(get_args(tp)[0], refs)
        if element.is_empty:  # e.g. guide map spots when there is no window to place
            return st.just(())
        return st.lists(element, max_size=2).map(tuple)
    if origin is dict:
        key, value = get_args(tp)
        return st.dictionaries(values(key, refs), values(value, refs), max_size=2)
    if tp in _SIMPLE:
        return _SIMPLE[tp]()
    if attrs.has(tp):
        return records(tp, refs=refs if refs and _has_refs(tp) else _free_refs)
    raise TypeError(f"no strategy for {tp!r}")  # pragma: no cover - a model change


# -- records -------------------------------------------------------------------------------------


_hints = functools.cache(get_type_hints)


def _classes_in(tp: Any) -> set[type]:
    found = {tp} if attrs.has(tp) else set()
    for arg in get_args(tp):
        found |= _classes_in(arg)
    return found


@functools.cache
def _has_refs(cls: type) -> bool:
    """Whether values of ``cls`` hold references, directly or nested."""
    hints = _hints(cls)
    return any(
        reference_target(cls, attribute.name) is not None
        or any(_has_refs(inner) for inner in _classes_in(hints[attribute.name]) if inner != cls)
        for attribute in attrs.fields(cls)
    )


def reference_target(cls: type, name: str) -> str | None:
    """The record type field ``name`` of ``cls`` refers to, or None if it is no reference."""
    for klass in cls.__mro__:
        if (klass, name) in REFERENCES:
            return REFERENCES[(klass, name)]
    return None


def _lookup(table: dict[tuple[type, str], Any], cls: type, name: str) -> Any:
    for klass in cls.__mro__:
        if (klass, name) in table:
            return table[(klass, name)]
    return None


#: ``(target type, owner class) -> strategy of references``, None when there is no target.
Refs = Callable[[str, type], "st.SearchStrategy[str] | None"]


def _free_refs(target: str, owner: type) -> st.SearchStrategy[str] | None:
    """A reference outside a catalogue: any valid id (``type:id`` for any-type fields)."""
    if target in ("*", "source"):
        kinds = list(RECORD_TYPES) if target == "*" else list(SOURCE_TYPES)
        return st.tuples(st.sampled_from(kinds), ids()).map(":".join)
    return ids()


def _field_strategy(cls: type, attribute: attrs.Attribute[Any], hint: Any,
                    refs: Refs) -> st.SearchStrategy[Any]:
    special = _lookup(_FIELDS, cls, attribute.name)
    if special is not None:
        return special()
    target = reference_target(cls, attribute.name)
    if target is None:
        return values(hint, refs)
    one = refs(target, cls)
    if one is None:  # nothing to refer to (records() leaves out required ones)
        return st.just(()) if get_origin(hint) is tuple else st.none()
    if get_origin(hint) is tuple:
        return st.lists(one, max_size=2, unique=True).map(tuple)
    if attribute.default is attrs.NOTHING:
        return one
    return st.none() | one


@st.composite
def _instances(draw: st.DrawFn, cls: type, fields: list[tuple[str, Any, bool]],
               publishable: bool | None, ident: str | None, sparse: bool) -> Any:
    kwargs: dict[str, Any] = {} if ident is None else {"id": ident}
    # which optional fields are given: one draw (a bit mask) instead of one per field
    bits = st.integers(0, 2 ** len(fields) - 1)
    given = draw(bits) & draw(bits) if sparse else draw(bits)
    for index, (name, strategy, required) in enumerate(fields):
        if name not in kwargs and (required or given >> index & 1):
            kwargs[name] = draw(strategy)
    _fix(draw, cls, kwargs, publishable)
    return cls(**kwargs)


def _fix(draw: st.DrawFn, cls: type, kwargs: dict[str, Any], publishable: bool | None) -> None:
    """Bring drawn fields in line with the model's cross-field rules."""
    for later, earlier in _ORDER.get(cls, ()):
        end, start = kwargs.get(later), kwargs.get(earlier)
        if end is not None and start is not None and end < start:
            kwargs[later] = start
    if cls is gd.TimeLimit and kwargs.get("promised") is not None:
        kwargs["promised"] = min(kwargs["promised"], kwargs["statutory"])
    if issubclass(cls, gd.ContactPoint) and not any(
        kwargs.get(name) for name in ("unit", "phone", "email", "address", "hours")
    ):
        kwargs["phone"] = draw(st.sampled_from(("0431-88900001", "+86 431 8890 0120")))
    if cls is gd.NewsRelease and kwargs.get("headline") is None and kwargs.get("title") is None:
        kwargs["headline"] = draw(texts())
    if cls is gd.WorkPlan:
        kwargs["tasks"] = tuple({task.id: task for task in kwargs.get("tasks", ())}.values())
    if issubclass(cls, gd.Record):
        _fix_publication(draw, cls, kwargs, publishable)


def _fix_publication(draw: st.DrawFn, cls: type, kwargs: dict[str, Any],
                     publishable: bool | None) -> None:
    statuses = get_args(_hints(cls)["status"])
    if publishable is None:  # anything goes
        pass
    elif publishable:
        kwargs.update(audience="public", classification="public")
        kwargs.pop("publish_at", None)
        kwargs["status"] = draw(st.sampled_from([s for s in statuses
                                                 if s not in ("draft", "withdrawn")]))
    else:
        flaw = draw(st.sampled_from(UNPUBLISHABLE))
        if flaw in ("draft", "withdrawn"):
            kwargs["status"] = flaw
        elif flaw in ("secret", "restricted"):
            kwargs["classification"] = flaw
        elif flaw == "internal":
            kwargs["audience"] = "internal"
        else:
            kwargs["publish_at"] = draw(st.datetimes(
                min_value=EMBARGO_FROM.replace(tzinfo=None),
                max_value=dt.datetime(2099, 12, 31),  # noqa: DTZ001 - bound of aware values
                timezones=st.sampled_from(_ZONES),
            ))
    if kwargs.get("status", "") == "withdrawn":
        kwargs["withdrawn"] = draw(st.builds(gd.Withdrawal, on=dates(), reason=texts()))


def records(cls: type, *, refs: Refs = _free_refs, publishable: bool | None = None,
            ident: str | None = None, sparse: bool = False) -> st.SearchStrategy[Any]:
    """Valid instances of an attrs class of the model (a record type or a nested value).

    Args:
        cls: e.g. ``gd.Disclosure`` or ``gd.TimeLimit``.
        refs: ``(target type, owner class) -> strategy of references``; by default any id.
        publishable: True: approved, public, not embargoed; False: one reason not to be
            published (see UNPUBLISHABLE); None: anything valid.
        ident: the record's id (else drawn).
        sparse: give an optional field one chance in four (else one in two), for
            strategies that draw many records at once.

    Returns:
        The strategy; empty when a required reference has nothing to point at.
    """
    free = refs is _free_refs and publishable is None and ident is None and not sparse
    if free and cls in _CACHE:
        return _CACHE[cls]
    hints = _hints(cls)
    fields = []
    for attribute in attrs.fields(cls):
        if not attribute.init or attribute.name == "withdrawn":
            continue
        required = attribute.default is attrs.NOTHING
        target = reference_target(cls, attribute.name)
        if required and target and refs(target, cls) is None:
            return st.nothing()
        strategy = _field_strategy(cls, attribute, hints[attribute.name], refs)
        fields.append((attribute.name, strategy, required))
    built = _instances(cls, fields, publishable, ident, sparse)
    if free:
        _CACHE[cls] = built
    return built


_CACHE: dict[type, st.SearchStrategy[Any]] = {}


def any_record() -> st.SearchStrategy[gd.Record]:
    """A record of any type."""
    return st.sampled_from(list(RECORD_TYPES.values())).flatmap(records)


# -- catalogues ----------------------------------------------------------------------------------

_TIMEZONES = ("Asia/Shanghai", "UTC", "Asia/Kolkata", "Asia/Urumqi", "Pacific/Chatham")


@st.composite
def catalog_metas(draw: st.DrawFn) -> gd.CatalogMeta:
    """Catalogue metadata: languages with the default among them, a real timezone."""
    languages = draw(st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=3, unique=True))
    publisher = draw(st.none() | st.builds(
        gd.PublisherInfo, name=texts(), email=st.none() | st.just("gk@example.gov.cn")
    ))
    return gd.CatalogMeta(
        name=draw(texts()),
        jurisdiction=draw(st.none() | st.sampled_from(("CN-22", "CN-JL", "FR"))),
        base_url=draw(st.sampled_from(("https://gk.example.gov.cn/", "http://localhost:8000/"))),
        default_language=languages[0],
        languages=draw(st.permutations(languages)),
        timezone=draw(st.sampled_from(_TIMEZONES)),
        calendar=draw(st.none() | st.just("CN")),
        holidays=draw(st.lists(dates(), max_size=3, unique=True)),
        extra_workdays=draw(st.lists(dates(), max_size=2, unique=True)),
        profile=draw(st.none() | st.just("cn-jilin-2002")),
        publisher=publisher,
    )


#: Types that cannot exist without a record of another type (their required references).
_REQUIRES = {
    cls.TYPE: {
        target for attribute in attrs.fields(cls)
        if attribute.default is attrs.NOTHING
        and (target := reference_target(cls, attribute.name)) not in (None, "*", "=", "source")
    }
    for cls in RECORD_TYPES.values()
}


@st.composite
def catalogs(draw: st.DrawFn, *, include_unpublishable: bool = False,
             max_per_type: int = 2) -> tuple[gd.CatalogMeta, list[gd.Record]]:
    """A whole valid catalogue: ``(meta, records)``, agencies first, every reference valid.

    Ids are unique across the catalogue, so bare ids never turn ambiguous. A record's
    ``parent`` and ``supersedes`` point only at earlier records of its type (no cycles).

    Args:
        include_unpublishable: also generate draft, secret, restricted, internal,
            embargoed and withdrawn records (else every record is publishable).
        max_per_type: at most this many records of each type other than agency.
    """
    meta = draw(catalog_metas())
    counts = {name: draw(st.integers(0, max_per_type)) for name in RECORD_TYPES}
    counts["agency"] = draw(st.integers(1, 3))
    changed = True
    while changed:
        changed = False
        for name, needs in _REQUIRES.items():
            if counts[name] and any(counts[target] == 0 for target in needs):
                counts[name] = 0
                changed = True
    total = sum(counts.values())
    all_ids = draw(st.lists(ids(), min_size=total, max_size=total, unique=True))
    pools: dict[str, list[str]] = {}
    for name, count in counts.items():
        pools[name], all_ids = all_ids[:count], all_ids[count:]
    every = [f"{name}:{ident}" for name, pool in pools.items() for ident in pool]

    result: list[gd.Record] = []
    for name, cls in RECORD_TYPES.items():
        for index, ident in enumerate(pools[name]):
            earlier = pools[name][:index]

            def refs(target: str, owner: type, earlier: list[str] = earlier,
                     ) -> st.SearchStrategy[str] | None:
                if target == "=":
                    return st.sampled_from(earlier) if earlier else None
                if target == "*":
                    return st.sampled_from(every)
                if target == "source":
                    found = [f"{kind}:{i}" for kind in SOURCE_TYPES for i in pools[kind]]
                    return st.sampled_from(found) if found else None
                return st.sampled_from(pools[target]) if pools[target] else None

            publishable = not (include_unpublishable and draw(st.booleans()))
            result.append(draw(records(cls, refs=refs, publishable=publishable, ident=ident,
                                       sparse=True)))
    return meta, result


# -- writing generated catalogues ----------------------------------------------------------------

#: The file formats of a catalogue's records.
FORMATS = ("toml", "json", "jsonl", "md")


@functools.cache
def _plain_converter(native: bool) -> Any:
    conv = gd.make_converter("UTC")
    if native:  # TOML has datetimes and dates of its own: write them as such
        conv.register_unstructure_hook(dt.datetime, lambda value: value)
        conv.register_unstructure_hook(dt.date, lambda value: value)
    return conv


def record_data(record: gd.Record, *, native: bool = False) -> dict[str, Any]:
    """A record as plain data with its ``type`` (datetimes as TOML values if ``native``)."""
    data: dict[str, Any] = _plain_converter(native).unstructure(record, type(record))
    return {"type": record.TYPE, **data}


def write_catalog(root: Any, meta: gd.CatalogMeta, records: list[gd.Record],
                  fmt: str = "toml") -> None:
    """Write ``meta`` and ``records`` as a catalogue folder, every record in format ``fmt``.

    toml: agencies.toml and records/records.toml with ``[[type]]`` arrays of tables;
    json: records/records.json, one list; jsonl: records/records.jsonl, one object a line;
    md: records/<type>/<id>.md, TOML front matter and a string ``body`` after it.
    """
    import json
    from pathlib import Path

    import tomli_w

    root = Path(root)
    (root / "records").mkdir(parents=True, exist_ok=True)
    meta_data = _plain_converter(True).unstructure(meta)
    (root / "catalog.toml").write_text(tomli_w.dumps({"catalog": meta_data}), encoding="utf-8")
    if fmt == "toml":
        tables: dict[str, list[dict[str, Any]]] = {}
        for record in records:
            data = record_data(record, native=True)
            tables.setdefault(data.pop("type"), []).append(data)
        agencies = {"agency": tables.pop("agency", [])}
        (root / "agencies.toml").write_text(tomli_w.dumps(agencies), encoding="utf-8")
        (root / "records" / "records.toml").write_text(tomli_w.dumps(tables), encoding="utf-8")
    elif fmt == "json":
        text = json.dumps([record_data(r) for r in records], ensure_ascii=False, indent=1)
        (root / "records" / "records.json").write_text(text, encoding="utf-8")
    elif fmt == "jsonl":
        lines = [json.dumps(record_data(r), ensure_ascii=False) + "\n" for r in records]
        (root / "records" / "records.jsonl").write_text("".join(lines), encoding="utf-8")
    elif fmt == "md":
        for record in records:
            data = record_data(record, native=True)
            body = data.get("body")
            after = ""
            if (isinstance(body, str) and body and "\r" not in body
                    and body.strip("\n") == body and "+++" not in body):
                after = data.pop("body") + "\n"
            folder = root / "records" / record.TYPE
            folder.mkdir(exist_ok=True)
            text = f"+++\n{tomli_w.dumps(data)}+++\n{after}"
            (folder / f"{record.id}.md").write_text(text, encoding="utf-8", newline="")
    else:
        raise ValueError(fmt)
