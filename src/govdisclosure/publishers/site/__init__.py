"""The ``site`` publisher: a static, accessible, multilingual disclosure portal (政务公开网站).

Every page exists in every catalogue language (``<lang>/...``), rendered by Jinja2 with
autoescape on from the templates next to this module (a ``theme`` folder overrides any
of them). Internal links are relative, so the output works under any path and from
disk; canonical, ``hreflang``, sitemap and JSON-LD URLs are absolute from the
catalogue's ``base_url``. See docs/site.md for the layout and the rules that decide
what an incremental run re-renders.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import heapq
import html
import itertools
import json
import re
from collections.abc import Iterable, Iterator, MutableMapping
from functools import cache, lru_cache, partial
from importlib import resources
from pathlib import Path
from types import MethodType
from typing import Any
from urllib.parse import urlsplit

import attrs
import orjson
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    Template,
)
from jinja2.runtime import Context
from markupsafe import Markup, escape

try:  # markupsafe's C escaping without the Markup object (markupsafe >= 3)
    from markupsafe import _escape_inner as _escape_text  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another markupsafe
    def _escape_text(text: str, /) -> str:
        return str(escape(text))

from ...calendar import calendar_for
from ...catalog.catalog import FileDigest
from ...errors import CalendarError, ConfigError
from ...model import (
    CATEGORIES,
    AccountabilityRecord,
    Agency,
    Allocation,
    ApprovalItem,
    Case,
    Complaint,
    Consultation,
    ContactPoint,
    Disclosure,
    Evaluation,
    Hotline,
    HotlineCall,
    Money,
    NewsRelease,
    PressConference,
    Record,
    ServiceHall,
    ServiceWindow,
    Suggestion,
    Text,
)
from ...model.common import local_file
from ...publishing.pipeline import folder_digest
from ...publishing.protocol import BasePublisher, Job, RecordKey, Tombstone
from ...publishing.selection import CatalogView
from ..guide import floor_layout
from ..guide import spans as _spans  # noqa: F401 - its old name here (tests)
from ..images import NOT_IMAGE, NOT_SVG, UNREADABLE
from ..pages import attachment_files, natural, without_userinfo
from . import stats
from .assets import image_type, sanitize_svg
from .i18n import (
    LANGUAGE_NAMES,
    MEDIA_NAMES,
    format_date,
    format_datetime,
    format_money,
    format_month,
    format_size,
    known_label,
    ui,
    ui_language,
    value_label,
)
from .index import (
    EMBEDDED_IN,
    SECTIONS,
    SiteIndex,
    hosts_of,
    listing_order,
    page_path,
    record_date,
    refs_of,
    result_notices,
    search_keys,
    shown_keys,
    task_deadlines,
    thresholds,
)
from .text import Localizer, Markdown, clean, direction, safe_url

__all__ = ["SiteOptions", "SitePublisher"]

#: At most this many URLs go into one sitemap file (the sitemaps.org limit).
SITEMAP_LIMIT = 50_000
#: How templates are compiled here (bump on a change of environment options or _Template):
#: part of the key of compiled templates cached between runs.
_COMPILED_AS = "gd-site-2"
_MENU = ("disclosure", "approval_item", "allocation", "news_release", "press_conference",
         "service_hall", "hotline", "agency")
_STATS_PAGES = ("hotlines", "cases", "suggestions", "complaints", "accountability",
                "evaluations")
_LEVELS = {name: index for index, name in enumerate(
    ("province", "city", "county", "township", "village", "other"))}


def _positive(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise ValueError(f"{attribute.name} must be at least 1")


@attrs.frozen(kw_only=True)
class SiteOptions:
    """Options from ``[publish.site]``.

    Attributes:
        theme: a folder of templates; each one replaces the built-in template of the
            same name (``static/site.css`` and ``static/search.js`` in it replace the
            built-in files). A relative path is read from the catalogue folder. Its files
            are part of the options (:meth:`SitePublisher.fingerprint`): a change to them
            rebuilds every page.
        page_size: records per listing page.
        latest: records in the "latest" lists of the home and agency pages.
    """

    theme: str | None = None
    page_size: int = attrs.field(default=50, validator=_positive)
    latest: int = attrs.field(default=10, validator=_positive)


class SitePublisher(BasePublisher):
    """Renders the portal into ``OUT/site/``."""

    name = "site"
    Options = SiteOptions
    audiences = ("public", "internal")
    version = "14"  # 2: floor plans and staff photos; 3: attachments, the search index v2;
    # 4: no data-supersedes naming a record without a page (a secret one); data-owner;
    # 5: guide maps in pixels, hotline months and numbers, narrow tables, labels;
    # 6: past conferences, finding and component codes labelled, Chinese punctuation,
    # the hotline directory, lang on plain strings, compact mobile header, 404 links;
    # 7: no user information in a Markdown body's URLs (pages.safe_links); 8: an
    # attachment is copied only if it matches every sha256 declared for its url; 9: an
    # edit moves the sitemap's lastmod and a release's dateModified (Job.modified); 10:
    # the seed's words (十公开 facets, 责任领导, 已撤回, accountability statuses, 受理单位,
    # component names without their keys); internal builds marked, noindex, no sitemap;
    # 11: where to go on item pages, a bilingual root 404, wrapping short tables, the
    # search index v3 (phone and document numbers), "1 working day" and "same day"; 12:
    # no empty headings (a "###" line) in a Markdown body; 13: a page is laid out in its
    # declared language's direction, right-to-left text marked dir="rtl" within it; 14:
    # record text marked with its language in the header, breadcrumb, captions, titles
    # built from an agency's name, attachments and guide maps, the search index v4 (the
    # language of titles and agency names not in the page's, marked by search.js)

    def __init__(self, options: SiteOptions) -> None:
        super().__init__(options)
        #: catalogue folder -> :meth:`fingerprint` (a run asks twice: the theme is read once)
        self._fingerprints: dict[Path | None, str] = {}

    def shows(self, record_type: str) -> bool:
        """Types with pages of their own, and cases (their item's page lists the result
        notices of decided cases); hotline calls are only counted."""
        return record_type in SECTIONS or record_type == Case.TYPE

    def fingerprint(self, root: Path | None) -> str:
        """The digest of the ``theme`` folder's files, their paths and contents (``""``
        without a theme): a template edited, added or removed there rebuilds every page
        on the next run, as a change of options does.

        Raises:
            ConfigError: there is no such folder (:func:`theme_folder`).
        """
        found = self._fingerprints.get(root)
        if found is None:
            theme = theme_folder(self.options.theme, root)
            found = self._fingerprints[root] = "" if theme is None else folder_digest(
                Path(theme))
        return found

    def shown(self, job: Job) -> set[RecordKey]:
        """Every record and tombstone but the cases that no item's page lists as a result
        notice (a person's case is only counted)."""
        return shown_keys(job.records, job.tombstones)

    def check_catalog(self, view: CatalogView) -> list[str]:
        """A relative ``theme`` folder that the catalogue folder lacks."""
        return self._theme_problems(view.root, absolute=False)

    def preflight(self) -> list[str]:
        """An absolute ``theme`` folder that this machine lacks (a folder of the machine,
        not of the catalogue)."""
        return self._theme_problems(None, absolute=True)

    def _theme_problems(self, root: Path | None, *, absolute: bool) -> list[str]:
        theme = self.options.theme
        if not theme or Path(theme).expanduser().is_absolute() is not absolute:
            return []
        problem = theme_problem(theme, root)
        return [] if problem is None else [problem]

    def publish(self, job: Job) -> None:
        """Render the pages that show what changed (everything when ``job.full``)."""
        build = _Build(job, self.options, self.fingerprint(job.root))
        try:
            build.run()
        finally:
            build.close()


# -- the Jinja2 environment: one per theme, templates compiled once per process -----------------


@lru_cache(maxsize=8)
def environment(theme: str | None, digest: str) -> Environment:
    """The Jinja2 environment for ``theme`` (None: the built-in templates) whose files
    have the ``digest`` :meth:`SitePublisher.fingerprint` gives: an edited theme gets a
    new environment, never the templates compiled from its old files (Jinja2 does not
    look at them again: ``auto_reload`` is off)."""
    loaders: list[Any] = []
    if theme:
        loaders.append(FileSystemLoader(theme))
    loaders.append(PackageLoader("govdisclosure.publishers.site", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        auto_reload=False,
        cache_size=-1,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        # compiled templates kept between runs (a private folder in the temp directory,
        # keyed by each template's source): compiling them took 0.5 s of every run
        bytecode_cache=_bytecode_cache(),
    )
    env.template_class = _Template
    env.context_class = _Context
    env.policies["json.dumps_function"] = _json  # |tojson (Jinja2 then escapes <, >, & and ')
    env.policies["json.dumps_kwargs"] = {}
    return env


class _Template(Template):
    """Templates whose ``{{ output }}`` goes through :func:`_output` instead of markupsafe's
    ``escape``: the same text, without a Markup object per value."""

    @classmethod
    def _from_namespace(cls, environment: Environment, namespace: MutableMapping[str, Any],
                        globals: MutableMapping[str, Any]) -> Template:
        # The compiled module imported escape from jinja2.runtime; its render functions
        # look it up in this namespace on every call. Jinja2 uses it only on the values of
        # output tags, whose results are joined into the page (or a macro's Markup).
        namespace["escape"] = _output
        result: Template = super()._from_namespace(environment, namespace, globals)
        return result


class _Context(Context):
    """A template context whose calls of plain methods skip Jinja2's pass-argument checks
    (three ``hasattr`` a call, and the templates make about 25 calls a page)."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja2's
        if type(__obj) is MethodType and _takes_no_context(__obj.__func__):
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            return __obj(*args, **kwargs)
        return super().call(__obj, *args, **kwargs)


@cache  # functions of the classes whose methods templates call: a small, fixed set
def _takes_no_context(function: Any) -> bool:
    return not hasattr(function, "jinja_pass_arg")


def _output(value: Any) -> str:
    """A value written by ``{{ }}``: None as nothing, text without control characters,
    bidi overrides and lone surrogates, escaped; Markup as it is."""
    if type(value) is str:
        return _escape_text(value if value.isprintable() else clean(value))
    if value is None:
        return ""
    markup = getattr(value, "__html__", None)
    if markup is not None:
        return str(markup())
    return _escape_text(str(value))


class _BytecodeCache(FileSystemBytecodeCache):
    """Jinja2's cache of compiled templates, skipped where it cannot be read or written.

    The key carries the version of how templates are compiled here (environment options
    and :class:`_Template`), not only the template's name: compiled code is not portable
    between them.
    """

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{_COMPILED_AS}:{name}", filename)

    def load_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    try:  # a private folder (0700, checked to be ours) in the temp directory
        return _BytecodeCache()
    except (OSError, RuntimeError):  # pragma: no cover - no usable temp directory
        return None


def _json(value: Any) -> str:
    """Compact JSON with sorted keys (orjson: the stdlib encoder is slow on every page)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def theme_folder(theme: str | None, root: Path | None) -> str | None:
    """The theme folder, a relative one read from the catalogue folder (where
    govdisclosure.toml names it), not from wherever the command runs.

    Raises:
        ConfigError: there is no such folder (a typo would publish the built-in look).
    """
    if not theme:
        return None
    problem = theme_problem(theme, root)
    if problem is not None:
        raise ConfigError(f"[publish.site] {problem}", publisher="site", key="theme")
    return str(_theme_path(theme, root).resolve())


def theme_problem(theme: str, root: Path | None) -> str | None:
    """``theme: no folder ...`` when :func:`theme_folder` finds no folder, else None."""
    path = _theme_path(theme, root)
    if path.is_dir():
        return None
    return (f"theme: no folder {str(path)!r} (a relative theme is read from the catalogue "
            "folder)")


def _theme_path(theme: str, root: Path | None) -> Path:
    path = Path(theme).expanduser()
    return root / path if not path.is_absolute() and root is not None else path


@lru_cache(maxsize=8)
def static_files(theme: str | None, digest: str) -> dict[str, bytes]:
    """The stylesheet and the search script (a theme's own copies first, read again when
    the theme's ``digest`` changes, as for :func:`environment`)."""
    files: dict[str, bytes] = {}
    package = resources.files("govdisclosure.publishers.site") / "static"
    for name in ("site.css", "search.js"):
        own = Path(theme) / "static" / name if theme else None
        files[name] = own.read_bytes() if own is not None and own.is_file() else (
            package / name).read_bytes()
    return files


# -- per-language helpers the templates call --------------------------------------------------


class Strings(dict[str, str]):
    """Interface strings, readable as ``L.t.key`` in templates without a failed getattr."""

    def __init__(self, table: dict[str, str]) -> None:
        super().__init__(table)
        self.__dict__.update(table)


class Lang:
    """Formatting and text for one page language (``L`` in the templates)."""

    def __init__(self, code: str, default: str, markdown: Markdown, zone: dt.tzinfo,
                 as_of: dt.datetime) -> None:
        self.code = code
        self.name = LANGUAGE_NAMES.get(code, code)
        self.t = Strings(ui(code))
        #: the language the page declares: its own, or the interface's (ui_language)
        self.doc = ui_language(code)
        #: the page's direction, its declared language's (text in another is marked)
        self.dir = direction(self.doc)
        self.zone = zone
        self.as_of = as_of
        self._text = Localizer(code, default, markdown, self.doc)
        self.agency_name: Any = lambda ident: None  # set by the build

    def title(self, record: Record | Tombstone, limit: int | None = 60) -> Markup:
        """A record's display title; records without one get a descriptive stand-in (a
        topic or summary marked with its language, as :meth:`h` marks text; ``limit``: as
        :meth:`title_s`)."""
        if isinstance(record, Tombstone):
            return self.h(record.title) if record.title else escape(record.id)
        if record.label:
            return self.h(record.label)
        if isinstance(record, Evaluation):  # the agency's name marked within the words
            return self.fmt_h("evaluation_title", agency=self.h(self.agency_name(record.agency)),
                              year=record.year)
        if isinstance(record, AccountabilityRecord):
            return self.fmt_h("accountability_title",
                              unit=self.h(self.agency_name(record.subject_unit)),
                              violation=self.v("violation", record.violation))
        stand_in = self.title_s(record, limit)
        for name in ("topic", "summary"):
            value, lang = self._text.pick(getattr(record, name, None))
            if value:  # the stand-in is this text
                if lang == self.doc:
                    return escape(stand_in)
                return Markup(  # noqa: S704 - escaped
                    f'<span{self._text.marks(lang)}>{escape(stand_in)}</span>')
        if isinstance(record, Hotline) and getattr(record, "agency", None):
            return self.h(self.agency_name(record.agency)) + f" {record.number}"
        return escape(stand_in)

    def title_s(self, record: Record | Tombstone, limit: int | None = 60) -> str:
        """:meth:`title` as plain text; a stand-in taken from a record's topic or summary
        is cut to ``limit`` characters (listings), or not at all (None: its own page)."""
        if isinstance(record, Tombstone):
            return self.s(record.title) or record.id
        if record.label:
            return self.s(record.label)
        agency = self.s(self.agency_name(getattr(record, "agency", None)))
        if isinstance(record, Evaluation):
            return self.fmt("evaluation_title", agency=agency, year=record.year)
        if isinstance(record, AccountabilityRecord):
            unit = self.s(self.agency_name(record.subject_unit))
            return self.fmt("accountability_title", unit=unit,
                            violation=self.v("violation", record.violation))
        for name in ("topic", "summary"):
            text = self.s(getattr(record, name, None))
            if text:
                return text if limit is None or len(text) <= limit else text[:limit - 1] + "…"
        if isinstance(record, Hotline):
            return f"{agency} {record.number}".strip()
        return f"{self.v('type', record.TYPE)} {record.id}"

    def title_lang(self, record: Record) -> str:
        """The language of :meth:`title_s` where it is one other than the page's, else ""
        (the page's, or interface words around a name: an evaluation's title)."""
        if record.label:
            text: Text | None = record.label
        elif isinstance(record, Evaluation | AccountabilityRecord):
            return ""
        else:
            text = next((value for value in (getattr(record, "topic", None),
                                             getattr(record, "summary", None))
                         if self._text.pick(value)[0]), None)
            if text is None and isinstance(record, Hotline):
                text = self.agency_name(record.agency)
        return self.lang_of(text)

    def lang_of(self, text: Text | None) -> str:
        """The language ``text`` is shown in when it is not the page's, else ""."""
        if text is None:
            return ""
        value, lang = self._text.pick(text)
        return lang if value and lang != self.doc else ""

    def s(self, text: Text | None) -> str:
        """Plain localized text."""
        return self._text.s(text)

    def h(self, text: Text | None) -> Markup:
        """Localized text marked with its language when it fell back."""
        return self._text.h(text)

    def md(self, text: Text | None) -> Markup:
        """Localized Markdown."""
        return self._text.md(text)

    def v(self, group: str, value: str) -> str:
        """The label of an enumerated value."""
        return value_label(self.code, group, value)

    def named(self, group: str, value: str) -> str:
        """A name of the catalogue's (an evaluation component) by its label in the page's
        language, else as it is written: never a key in brackets, which the public cannot
        read."""
        return known_label(self.code, group, value) or value

    def coded(self, group: str, value: str, *, literal: bool = False) -> Markup:
        """A code of the audit (a finding) by its label in the page's language, with the
        code itself kept after it in ``<code>`` so that it can be traced; a code without a
        label as it is written (in ``<code>`` when ``literal``: a finding code, not a name
        someone wrote)."""
        label = known_label(self.code, group, value)
        code = f"<code>{_output(value)}</code>"
        if label is None:
            return Markup(code if literal else _output(value))  # noqa: S704 - escaped
        return Markup(f"{_output(label)}{self.t['lp']}{code}{self.t['rp']}")  # noqa: S704

    def fmt(self, key: str, **values: object) -> str:
        """An interface string with ``{placeholders}`` filled."""
        return self.t[key].format(**values)

    def fmt_h(self, key: str, **values: object) -> Markup:
        """:meth:`fmt` for the page body: values that are Markup (record text marked
        with its language by :meth:`h`) are kept, the rest escaped."""
        return Markup(escape(self.t[key])).format(**values)  # noqa: S704 - escaped

    def marks(self, code: str) -> Markup:
        """The ``lang`` (and ``dir``) attributes of an element holding text in ``code``."""
        return self._text.marks(code)

    def marks_of(self, text: Text | None) -> Markup:
        """The attributes marking an element that holds ``text`` (none in the page's
        language)."""
        return self._text.marks_of(text)

    def days(self, n: int, unit: str = "calendar_days") -> str:
        """``3 days`` / ``3天``, ``1 working day`` / ``1个工作日``."""
        key = "working_days" if unit == "working_days" else "days"
        return self.fmt(f"{key}_one" if n == 1 else key, n=n)

    def in_unit(self, n: object, unit: str) -> str:
        """A number of a time limit's ``unit``: ``20 working days``, ``1 working day``,
        ``20个工作日``; none (a limit of 0, an average that rounds to ``0.0``) is the same
        day, ``same day`` / ``当日``."""
        if str(n) in ("0", "0.0"):
            return self.t["same_day"]
        return self.fmt("n_unit", n=n, unit=self.v("unit_one" if str(n) == "1" else "unit", unit))

    def date(self, value: dt.date | dt.datetime | None) -> str:
        """A date (a datetime's date in the catalogue's timezone)."""
        if isinstance(value, dt.datetime):
            value = value.astimezone(self.zone).date()
        return format_date(value, self.code)

    dt_date = date

    def month(self, month: str) -> str:
        """``2002年3月`` / ``March 2002`` from ``2002-03``."""
        return format_month(month, self.code)

    def datetime(self, value: dt.datetime | None) -> str:
        """A date and time in the catalogue's timezone."""
        return format_datetime(value, self.code, self.zone)

    def time(self, value: dt.datetime) -> str:
        """``HH:MM`` in the catalogue's timezone."""
        return f"{value.astimezone(self.zone):%H:%M}"

    def size(self, size: int) -> str:
        """A file size."""
        return format_size(size, self.code)

    def media(self, media_type: str) -> str:
        """A file format's short name (``PDF``), else its media type."""
        return MEDIA_NAMES.get(media_type.lower(), media_type)

    def money(self, money: Money) -> str:
        """An amount with its currency."""
        return format_money(money.amount, money.currency, self.code)

    def badge(self, record: Record) -> str:
        """The short status shown next to a record in listings."""
        if record.expires_at is not None and record.expires_at <= self.as_of:
            return self.t["expired"]
        if isinstance(record, Disclosure):
            return self.v("category", record.category)
        if isinstance(record, ApprovalItem):
            return self.v("item_kind", record.kind)
        if isinstance(record, Consultation):
            return self.v("consultation_kind", record.kind)
        if isinstance(record, AccountabilityRecord):
            return self.v("violation", record.violation)
        if isinstance(record, Evaluation):
            return f"{record.year}" + (f" · {record.score:.1f}" if record.score is not None
                                       else "")
        if isinstance(record, ServiceWindow):
            return self.fmt("window_no", n=record.number)
        if isinstance(record, Hotline):  # a number to call from the directory, on a phone
            digits = _tel(record.number)
            link = f'<a href="tel:{escape(digits)}">{escape(clean(record.number))}</a>'
            return Markup(link) if digits else record.number  # noqa: S704 - escaped
        if record.TYPE in ("allocation", "suggestion", "complaint", "press_conference"):
            return self.status(record)
        return ""

    def status(self, record: Record) -> str:
        """The label of a record's ``status``; an allocation still ``open`` after its
        ``closes_at`` reads as closed (as a consultation's dates decide its status); a
        press conference still ``scheduled`` after its ``scheduled_at`` is not announced
        as coming: its date has passed and nothing records that it was held."""
        status: str = getattr(record, "status", "")
        if (isinstance(record, Allocation) and status == "open"
                and record.closes_at is not None and record.closes_at <= self.as_of):
            status = "closed"
        if (isinstance(record, PressConference) and status == "scheduled"
                and record.scheduled_at <= self.as_of):
            return self.t["conference_past"]
        return self.v("status", status)


@attrs.define
class _Dirty:
    """What an incremental run re-renders (besides the pages rendered on every run)."""

    records: set[RecordKey]
    listings: set[str]
    #: records whose row in a listing may have changed in place
    rows: set[RecordKey] = attrs.Factory(set)
    #: per type: (order before, order now, category before, category now); None where the
    #: record was not listed, _UNKNOWN where the previous order cannot be read
    moves: dict[str, list[tuple[Any, Any, str | None, str | None]]] = attrs.Factory(dict)
    #: whether the statistics pages may differ (a record they count, or the instant)
    stats: bool = True


_UNKNOWN = object()
#: The format of the search index (an incremental run reuses only one of its own format):
#: 2 lists types and agencies once, 3 adds each entry's :func:`.index.search_keys`.
_SEARCH_V = 4
#: The types the statistics pages count or name; a change elsewhere leaves them as they are
#: (as long as the instant is the same: overdue cases depend on it).
_STATS_TYPES = frozenset({Agency.TYPE, ApprovalItem.TYPE, Case.TYPE, Hotline.TYPE,
                          HotlineCall.TYPE, Suggestion.TYPE, Complaint.TYPE,
                          AccountabilityRecord.TYPE, Evaluation.TYPE})
_MARKER = re.compile(rb'<article [^>]*data-order="([^"]*)"(?: data-category="([^"]*)")?'
                     rb'(?: data-supersedes="([^"]*)")?(?: data-owner="([^"]*)")?')


def _page_count(rows: int, size: int) -> int:
    """The pages of a listing of ``rows`` rows (an empty listing still has its first)."""
    return max(1, -(-rows // size))


def _page_href(stem: str, n: int) -> str:
    """Page ``n`` of a listing: ``stem.html``, ``stem-2.html`` ..."""
    return f"{stem}.html" if n == 1 else f"{stem}-{n}.html"


def _tel(phone: str) -> str | None:
    digits = re.sub(r"[^0-9+\-]", "", phone)
    return digits if sum(ch.isdigit() for ch in digits) >= 3 else None


def _has_cjk(text: str) -> bool:
    return any("\u3000" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffef" for ch in text)


def _svg(data: bytes) -> tuple[bytes, str, tuple[float, float] | None] | None:
    """A floor plan as the site serves it (:func:`.assets.sanitize_svg`)."""
    clean_svg = sanitize_svg(data)
    return None if clean_svg is None else (clean_svg[0], "svg", clean_svg[1])


def _photo(data: bytes) -> tuple[bytes, str, None] | None:
    """A staff photo as it is, named after the image type its bytes show."""
    ext = image_type(data)
    return None if ext is None else (data, ext, None)


#: Why a file the check refused is left out (as `images.unshown`, which validate calls, says).
_KINDS = {_svg: NOT_SVG, _photo: NOT_IMAGE}


class _Build:
    """One run of the site publisher."""

    def __init__(self, job: Job, options: SiteOptions, theme_digest: str) -> None:
        self.job = job
        self.options = options
        self.theme = theme_folder(options.theme, job.root)
        self.theme_digest = theme_digest
        self.env = environment(self.theme, theme_digest)
        self.index = SiteIndex(job.records, job.tombstones)
        self.meta = job.meta
        self.zone = job.meta.zone
        self.base_url = job.base_url
        #: an internal build (机关内部公开): a banner on every page, nothing for search
        #: engines (noindex, robots.txt ``Disallow: /``, no sitemap)
        self.internal = job.audience == "internal"
        #: the path of ``base_url`` (``/``, ``/portal/``): the 404 pages link from it, so
        #: that they work on any host that serves the site there (a preview, a mirror)
        self.base_path = urlsplit(job.base_url).path or "/"
        self.default = job.meta.default_language
        self.markdown = Markdown(self.base_url)
        self.langs = {code: Lang(code, self.default, self.markdown, self.zone, job.as_of)
                      for code in job.languages}
        for lang in self.langs.values():
            lang.agency_name = self.agency_name
        self.templates: dict[str, Template] = {}
        self.rendered = 0
        self.common: dict[str, Any] = {
            "path": self.path, "find": self.find, "resolve": self.resolve,
            "agency_name": self.agency_name, "date_of": record_date,
            "iso_date": self.iso_date, "related": self.related, "safe_url": self.safe_url,
            "without_userinfo": without_userinfo, "successors": self.successors,
            "tel_href": _tel, "has_cjk": _has_cjk, "listing_rows": self.rows,
            "order_token": _order_token, "overdue": self.overdue, "as_of": job.as_of,
            "site_name": "", "publisher": job.meta.publisher, "noindex": False,
            "internal": self.internal,
            "jsonld": None, "description": "", "inline_css": None, "crumbs": (),
            "section": "", "heading": "",
        }
        self._figures: dict[str, Any] | None = None
        self._chrome: dict[tuple[str, str, str], dict[str, Markup]] = {}
        self._macros: dict[tuple[str, str], Any] = {}
        self._rows: dict[tuple[str, str, str], tuple[str, Markup, str, str, str, str, str]] = {}
        self._dirty: _Dirty | None = None
        self.site_names = {code: lang.s(job.meta.name) for code, lang in self.langs.items()}
        #: the name in the page body (the header, the home heading): marked with its language
        self.site_names_h = {code: lang.h(job.meta.name) for code, lang in self.langs.items()}

    @property
    def inline_css(self) -> Markup:
        """The stylesheet, for pages served at any depth (404) that cannot link it."""
        css = static_files(self.theme, self.theme_digest)["site.css"].decode("utf-8")
        return Markup(css.replace("</", "<\\/"))  # noqa: S704 - our own stylesheet

    # -- helpers the templates call ----------------------------------------------------------

    @staticmethod
    def path(obj: Record | Tombstone) -> str:
        """The page of a record or tombstone, below the language folder."""
        if isinstance(obj, Tombstone):
            return page_path(obj.type, obj.id)
        return page_path(obj.TYPE, obj.id)

    def find(self, kind: str, ident: str | None) -> Record | Tombstone | None:
        """A record (or its tombstone) with a page, by type and id."""
        if ident is None or kind not in SECTIONS:
            return None
        return self.index.by_key.get((kind, ident)) or self.index.stones.get((kind, ident))

    def resolve(self, ref: str | None, kind: str = "") -> Record | Tombstone | None:
        """A record (or tombstone) with a page from ``type:id`` or a bare id."""
        if not ref:
            return None
        prefix, _, ident = ref.rpartition(":")
        if prefix or kind:
            return self.find(prefix or kind, ident)
        found = [self.find(k, ident) for k in SECTIONS]
        hits = [hit for hit in found if hit is not None]
        return hits[0] if len(hits) == 1 else None

    def agency_name(self, ident: str | None) -> Text | None:
        """The name of an agency (live or withdrawn)."""
        found = self.find(Agency.TYPE, ident)
        if isinstance(found, Agency):
            return found.label
        if isinstance(found, Tombstone):
            return found.title
        return None

    def rows(self, lang: Lang, records: Iterable[Record], show_agency: bool = True
             ) -> list[tuple[str, Markup, str, str, str, str, str]]:
        """Listing rows ``(path, title, type, agency, iso date, date, badge)``, each record's
        computed once per language however many listings show it."""
        out = []
        cache = self._rows
        for record in records:
            key = (lang.code, record.TYPE, record.id)
            row = cache.get(key)
            if row is None:
                when = record_date(record)
                agency = getattr(record, "agency", None)
                row = cache[key] = (
                    self.path(record), lang.title(record), lang.v("type", record.TYPE),
                    lang.h(self.agency_name(agency)) if agency else Markup(""),
                    self.iso_date(when) if when else "", lang.date(when), lang.badge(record))
            out.append(row if show_agency else (*row[:3], "", *row[4:]))
        return out

    def iso_date(self, value: dt.datetime) -> str:
        """``YYYY-MM-DD`` in the catalogue's timezone."""
        return value.astimezone(self.zone).date().isoformat()

    def successors(self, obj: Record | Tombstone) -> list[Record]:
        """The live records that correct ``obj``, by id."""
        key = obj.key if isinstance(obj, Tombstone) else (obj.TYPE, obj.id)
        return sorted(self.index.successors.get(key, ()), key=lambda r: r.id)

    def related(self, record: Record) -> list[Record | Tombstone]:
        """The related records that have a page (secret ones are simply absent)."""
        found = (self.resolve(ref) for ref in record.related)
        return [hit for hit in found if hit is not None]

    def safe_url(self, url: str | None) -> str | None:
        """``url`` if it is safe to link, resolved against the base URL."""
        return safe_url(url, self.base_url)

    def overdue(self, due: dt.date) -> bool:
        """Whether a task due on ``due`` is late at ``as_of``."""
        return due < self.job.as_of.astimezone(self.zone).date()

    # -- rendering --------------------------------------------------------------------------

    def template(self, name: str) -> Template:
        found = self.templates.get(name)
        if found is None:
            found = self.templates[name] = self.env.get_template(name)
        return found

    def render(self, lang: Lang, path: str, template: str, *, absolute: bool = False,
               languages: Iterable[str] | None = None, **page: Any) -> None:
        """Render one page in one language and write it (``path`` below ``lang/``);
        ``absolute``: its links start at the base URL's path (a page served at any depth)."""
        full = f"{lang.code}/{path}"
        root = self.base_path if absolute else "../" * full.count("/")
        codes = list(languages) if languages is not None else list(self.langs)
        alternates = [{"code": code, "name": self.langs[code].name,
                       "href": f"{root}{code}/{path}",
                       "absolute": f"{self.base_url}{code}/{path}"} for code in codes]
        context = dict(self.common)
        context.update(L=lang, root=root, base=f"{root}{lang.code}/",
                       canonical=f"{self.base_url}{full}", alternates=alternates,
                       site_name=self.site_names[lang.code], menu=self.menus[lang.code],
                       site_name_h=self.site_names_h[lang.code])
        context.update(page)
        context["m"] = self.macros(lang, context["base"])
        context["chrome"] = self.chrome(context)
        self.job.write(full, self.template(template).render(context))
        self.rendered += 1

    def macros(self, lang: Lang, base: str) -> Any:
        """``macros.html`` as a module (``m`` in the templates), built once per language and
        depth: an ``import ... with context`` would run it again for every page."""
        key = (lang.code, base)
        found = self._macros.get(key)
        if found is None:
            found = self._macros[key] = self.template("macros.html").make_module(
                {**self.common, "L": lang, "base": base,
                 "root": base.removesuffix(f"{lang.code}/")})
        return found

    def chrome(self, context: dict[str, Any]) -> dict[str, Markup]:
        """Header, menu and footer: the same for every page of a language, depth and
        section, so rendered once for each (most of a page's markup)."""
        key = (context["L"].code, context["root"], context["section"])
        found = self._chrome.get(key)
        if found is None:
            found = self._chrome[key] = {
                part: Markup(self.template(f"chrome_{part}.html").render(context))  # noqa: S704
                for part in ("top", "middle", "bottom")
            }
        return found

    # -- the run ----------------------------------------------------------------------------

    def close(self) -> None:
        """Let go of the look-ups and caches. The helpers in the templates' contexts are
        this build's methods (a reference cycle), so without this the build would stay
        until the cyclic collector ran, which the pipeline pauses during a run."""
        self.__dict__.clear()

    def run(self) -> None:
        job = self.job
        dirty = self._dirty = None if job.full else self.dirty()
        self.menus = {code: self.menu(lang) for code, lang in self.langs.items()}
        records = [record for record in self.index.pages()
                   if dirty is None or (record.TYPE, record.id) in dirty.records]
        total = len(records) * len(self.langs)
        # What the pages need, computed once before the work is shared out.
        if dirty is None or dirty.stats or any(
                r.TYPE in (ApprovalItem.TYPE, Hotline.TYPE) for r in records):
            self.figures  # noqa: B018 - a lazy property, wanted now
        for kind in {record.TYPE for record in records}:
            self.template(f"{kind}.html")

        def record_pages(record: Record) -> None:
            self.record_pages(record)
            if self.rendered % 500 < len(self.langs):
                job.progress(self.rendered, total)

        job.parallel(record_pages, records)
        # then every other page, one language per process
        job.parallel(self.language_pages, list(self.langs.values()), min_share=1)
        for kind, ident in sorted(job.removed):
            if kind in SECTIONS and (kind, ident) not in self.index.stones:
                for code in self.langs:
                    job.remove(f"{code}/{page_path(kind, ident)}")
        # the files of records gone or withdrawn (a full run removes every file it did not
        # write anyway)
        gone = () if job.full else sorted(
            key for key in job.touched if key[0] in SECTIONS and key not in self.index.by_key)
        for kind, ident in gone:
            for name in job.listdir(f"assets/{kind}/{ident}"):
                job.remove(f"assets/{kind}/{ident}/{name}")
        self.site_files()
        job.progress(total, total)

    def language_pages(self, lang: Lang) -> None:
        """Every page of a language but the record pages: tombstones, listings, home,
        statistics, search."""
        dirty = self._dirty
        self._rows.clear()  # rows of one language at a time (at 100k: 20 MB each), and
        # none kept for the rest of the run
        for stone in self.index.stones.values():
            if dirty is None or stone.key in dirty.records:
                self.render(lang, self.path(stone), "tombstone.html", stone=stone,
                            title=lang.title_s(stone), heading=(shown := lang.title(stone)),
                            crumbs=[(lang.t["withdrawn_list"], "withdrawn.html"),
                                    (shown, None)])
        for kind in SECTIONS:
            if dirty is None or kind in dirty.listings:
                self.listing(lang, kind)
        if dirty is None or Disclosure.TYPE in dirty.listings:
            for category in CATEGORIES:
                self.category(lang, category)
        self.home(lang)
        if dirty is None or dirty.stats:
            self.statistics(lang)
        self.render(lang, "withdrawn.html", "withdrawn.html",
                    title=lang.t["withdrawn_list"], crumbs=[(lang.t["withdrawn_list"], None)],
                    stones=sorted(self.index.stones.values(),
                                  key=lambda s: (s.withdrawn.on, s.type, s.id), reverse=True))
        self.render(lang, "search.html", "search.html", title=lang.t["search"],
                    crumbs=[(lang.t["search"], None)], noindex=True)
        self.render(lang, "404.html", "404.html", absolute=True, noindex=True,
                    title=lang.t["not_found"], alternates=self.homes(), switch_current="true",
                    inline_css=self.inline_css)
        self._rows.clear()
        self.job.write(f"search/{lang.code}.json", self.search_index(lang))

    def menu(self, lang: Lang) -> list[dict[str, str]]:
        items = [{"key": "home", "href": "index.html", "label": lang.t["home"]}]
        items += [{"key": kind, "href": f"{SECTIONS[kind]}.html",
                   "label": lang.v("type", kind)} for kind in _MENU]
        items.append({"key": "statistics", "href": "statistics/index.html",
                      "label": lang.t["statistics"]})
        return items

    # -- incremental planning ---------------------------------------------------------------

    def dirty(self) -> _Dirty:
        """The record pages and listings that show a touched record (module docstring of
        :mod:`.index`)."""
        job = self.job
        index = self.index
        touched = set(job.touched)
        previous = job.previous_as_of
        same_instant = previous == job.as_of
        for record in () if same_instant else index.pages():
            moments = list(thresholds(record))
            if record.TYPE == "work_plan":
                moments += task_deadlines(record, self.zone)  # type: ignore[arg-type]
            if any(previous is None or previous < moment <= job.as_of
                   or job.as_of < moment <= previous for moment in moments):
                touched.add((record.TYPE, record.id))
        records: set[RecordKey] = set()
        listings: set[str] = set()
        agencies_touched = set()
        rows: set[RecordKey] = set()
        moves: dict[str, list[tuple[Any, Any, str | None, str | None]]] = {}
        for key in touched:
            kind, ident = key
            if kind in SECTIONS:
                records.add(key)
                listings.add(kind)
                old, new, old_category, category, before = self.move(key)
                moves.setdefault(kind, []).append((old, new, old_category, category))
                # the record it corrected, the agency (or parent) that listed it before
                records.update(before)
            live = index.by_key.get(key)
            if live is not None:
                rows.add(key)
                records.update(hosts_of(live))
            else:
                stone = index.stones.get(key)
                if stone is not None and stone.agency:
                    records.add((Agency.TYPE, stone.agency))
                else:  # gone: whatever listed it may have; its agency is unknown
                    records.update((Agency.TYPE, a.id) for a in index.of_type(Agency.TYPE))
                for host in EMBEDDED_IN.get(kind, ()):
                    records.update((host, r.id) for r in index.of_type(host))
            if kind == Agency.TYPE:
                agencies_touched.add(ident)
            elif kind == ServiceHall.TYPE:  # item pages name the halls of their windows
                records.update((ApprovalItem.TYPE, item) for item in self.items_in_hall(ident))
        stats = not same_instant or any(kind in _STATS_TYPES for kind, _ in touched)
        dirty = _Dirty(records=records, listings=listings, rows=rows, moves=moves, stats=stats)
        self.showing(touched, agencies_touched, dirty)
        return dirty

    def showing(self, touched: set[RecordKey], agencies: set[str], dirty: _Dirty) -> None:
        """Add to ``dirty`` the pages that name a touched record, and the listing rows of
        records named after a touched agency."""
        index = self.index
        touched_ids = {ident for _, ident in touched}
        for record in index.pages():
            for ref in refs_of(record):
                if ref in touched or (not ref[0] and ref[1] in touched_ids):
                    # its page shows the touched record; so may its title (an evaluation
                    # or accountability record is named after an agency) wherever it is listed
                    dirty.records.add((record.TYPE, record.id))
                    dirty.records.update(hosts_of(record))
                    dirty.listings.add(record.TYPE)
                    dirty.rows.add((record.TYPE, record.id))
                    break
        for stone in index.stones.values():  # a withdrawal notice names its agency
            if stone.agency in agencies:
                dirty.records.add(stone.key)
        for ident in agencies:
            for record in index.by_agency.get(ident, ()):
                dirty.listings.add(record.TYPE)
                dirty.rows.add((record.TYPE, record.id))

    def items_in_hall(self, hall: str) -> set[str]:
        """The approval items whose pages list a window of ``hall`` (one the item names, or
        one that serves it)."""
        windows = self.index.windows_of_hall.get(hall, ())
        found = {item for window in windows for item in window.services}
        ids = {window.id for window in windows}
        found.update(item.id for item in self.index.of_type(ApprovalItem.TYPE)
                     if ids.intersection(item.windows))
        return found

    def move(self, key: RecordKey) -> tuple[Any, Any, str | None, str | None, set[RecordKey]]:
        """Where a touched record was listed before (read back from the marker on its old
        page) and where it is listed now; and the pages that named it before: the record
        it corrected, the agency that listed it (an agency's parent)."""
        old: Any = None
        old_category = None
        before: set[RecordKey] = set()
        data = self.job.read(f"{self.default}/{page_path(*key)}")
        if data is not None:
            found = _MARKER.search(data)
            if found is None:
                old = _UNKNOWN  # a tombstone or a page by another version
            else:
                old = tuple(json.loads(html.unescape(found.group(1).decode())))
                old_category = found.group(2).decode() if found.group(2) else None
                # ids: nothing in them was escaped
                if found.group(3):
                    before.add((key[0], found.group(3).decode()))
                if found.group(4):
                    before.add((Agency.TYPE, found.group(4).decode()))
        live = self.index.by_key.get(key)
        new = listing_order(live) if live is not None else None
        category = live.category if isinstance(live, Disclosure) else None
        return old, new, old_category, category, before

    def pages_to_render(self, lang: Lang, kind: str, ordered: list[Record],
                        category: str | None, href: Any) -> set[int] | None:
        """The listing pages (1-based) whose content may differ, or None for all."""
        dirty = self._dirty
        if dirty is None or kind in (Hotline.TYPE, Agency.TYPE):
            return None
        size = self.options.page_size
        count = _page_count(len(ordered), size)
        job = self.job
        if not job.exists(f"{lang.code}/{href(count)}") or \
                job.exists(f"{lang.code}/{href(count + 1)}"):
            return None  # the number of pages changed: every pager changes
        # ``ordered`` is in listing order: a bisection finds a record or an old place in
        # it, computing the order of a few dozen records rather than of every one
        def spot(order: Any) -> int:
            return bisect.bisect_left(ordered, order, key=listing_order)

        pages: set[int] = set()
        for key in dirty.rows:
            record = self.index.by_key.get(key) if key[0] == kind else None
            if record is not None:
                at = spot(listing_order(record))
                if at < len(ordered) and ordered[at] is record:  # in this listing
                    pages.add(at // size + 1)
        for old, new, old_category, new_category in dirty.moves.get(kind, ()):
            if old is _UNKNOWN:
                return None
            was = old is not None and (category is None or old_category == category)
            now = new is not None and (category is None or new_category == category)
            if was and now and old == new:
                continue
            spots = [spot(k) for k, on in ((old, was), (new, now)) if on]
            if not spots:
                continue
            low = min(spots) // size + 1
            high = max(spots) // size + 1 if was and now else count
            pages.update(range(low, high + 1))
        if category is None and kind == Disclosure.TYPE and dirty.moves.get(kind):
            pages.add(1)  # page 1 shows the category counts
        return pages

    # -- record pages ---------------------------------------------------------------------

    def record_pages(self, record: Record) -> None:
        """A record's page in every language (one process: extras and Markdown shared)."""
        try:
            extra = self.extras(record)
            for lang in self.langs.values():
                title = lang.title_s(record, limit=None)
                shown = lang.title(record, limit=None)  # marked with its language
                self.render(
                    lang, self.path(record), f"{record.TYPE}.html", r=record, title=title,
                    heading=shown, description=lang.s(record.summary), section=record.TYPE,
                    crumbs=[(lang.v("type", record.TYPE), f"{SECTIONS[record.TYPE]}.html"),
                            (shown, None)],
                    jsonld=self.jsonld(lang, record), **extra)
        except Exception as exc:  # noqa: BLE001 - one bad record must not stop the site
            self.job.fail(record, f"site: {type(exc).__name__}: {exc}")

    def extras(self, record: Record) -> dict[str, Any]:
        """What a record's page shows besides the record: related records, figures, and
        the catalogue files it shows, copied below ``assets/<type>/<id>/`` (the folder's
        other files are removed)."""
        written: set[str] = set()
        found = self.specific(record, written)
        found["copies"], found["sizes"] = self.copy_attachments(record, written)
        if not self.job.full:  # a full run removes every file it does not write anyway
            folder = f"assets/{record.TYPE}/{record.id}"
            for stale in self.job.listdir(folder):
                if stale not in written:
                    self.job.remove(f"{folder}/{stale}")
        return found

    def copy_attachments(self, record: Record, written: set[str]
                         ) -> tuple[dict[str, str], dict[str, int]]:
        """``url -> site path`` and ``url -> size`` of the attachments that are catalogue
        files the site copies (:func:`attachment_files` decides, for every publisher; the
        size shown is the copy's, as the feeds give it); one it does not copy (missing, not
        matching its ``sha256`` ...) keeps its link, with a warning. The bytes copied are
        those the decision read (a file changed since is not copied)."""
        job = self.job
        copies, sizes = {}, {}
        for url, file in attachment_files(record, job.file_digest).items():
            why = file.refused
            if why is None:
                data = job.file(file.path)
                if data is not None and FileDigest.of(data) == file.digest:
                    job.write(file.target, data)
                    written.add(file.target.rpartition("/")[2])
                    copies[url], sizes[url] = file.target, len(data)
                    continue
                why = "changed while the site was published"
            job.warn(f"site: {record.TYPE}:{record.id} attachments: {file.path!r} {why}; "
                     "not copied")
        return copies, sizes

    def specific(self, record: Record, written: set[str]) -> dict[str, Any]:
        index = self.index
        if isinstance(record, ApprovalItem):
            windows = {w.id: w for w in index.windows_of_item.get(record.id, ())}
            for ident in record.windows:
                found = index.by_key.get((ServiceWindow.TYPE, ident))
                if isinstance(found, ServiceWindow):
                    windows[ident] = found
            notices = result_notices(index.cases_of_item.get(record.id, []))
            ordered = sorted(windows.values(), key=lambda w: natural(w.number))
            return {"windows": ordered, "where": self.where_to_go(record, ordered),
                    "figures": self.figures["cases_by_item"].get(record.id),
                    "notices": notices}
        if isinstance(record, ServiceHall):
            plans = self.files(record, [
                (f"floors.{n}.plan", floor.plan, f"floor-{n + 1}", _svg)
                for n, floor in enumerate(record.floors)], written)
            return {"floors": self.floors(record, plans),
                    "windows": sorted(index.windows_of_hall.get(record.id, ()),
                                      key=lambda w: natural(w.number))}
        if isinstance(record, ServiceWindow):
            items = (index.by_key.get((ApprovalItem.TYPE, i)) for i in record.services)
            photos = self.files(record, [
                (f"staff.{n}.photo", person.photo, f"photo-{n + 1}", _photo)
                for n, person in enumerate(record.staff)], written)
            return {"items": [i for i in items if i is not None],
                    "photos": [photo and photo[0] for photo in photos]}
        if isinstance(record, Hotline):
            return {"figures": self.figures["calls_by_hotline"].get(record.id)}
        if isinstance(record, PressConference):
            releases: dict[str, Record | Tombstone] = {}
            for ident in record.releases:
                release = self.find(NewsRelease.TYPE, ident)
                if release is not None:
                    releases[ident] = release
            for release in index.releases_of_conference.get(record.id, ()):
                releases.setdefault(release.id, release)
            return {"releases": list(releases.values())}
        if isinstance(record, Agency):
            own = index.by_agency.get(record.id, [])
            return {
                "hotlines": [r for r in own if isinstance(r, Hotline)],
                "items": [r for r in own if isinstance(r, ApprovalItem)],
                "windows": sorted((r for r in own if isinstance(r, ServiceWindow)),
                                  key=lambda w: (w.hall, natural(w.number))),
                "evaluations": [r for r in own if isinstance(r, Evaluation)],
                "children": sorted(index.children.get(record.id, ()), key=lambda a: a.id),
                "latest": own[: self.options.latest],
            }
        return {}

    def where_to_go(self, item: ApprovalItem, windows: list[ServiceWindow]
                    ) -> list[tuple[Record | Tombstone | None, ContactPoint | None]]:
        """Where an item's page sends a citizen: ``(hall, its address and the window's
        hours, else the hall's)`` per window (a hall without a page: None), or with no
        window, ``(agency, its address and contact)``."""
        def point(address: Text | None, contact: ContactPoint | None = None,
                  hours: Text | None = None) -> ContactPoint | None:
            if contact is not None:
                address = address or contact.address
                contact = attrs.evolve(contact, address=address, hours=hours or contact.hours)
            elif address or hours:
                contact = ContactPoint(address=address, hours=hours)
            return contact

        if not windows:
            agency = self.find(Agency.TYPE, item.agency)
            if not isinstance(agency, Agency):
                return [(agency, None)]
            return [(agency, point(agency.address, agency.contact))]
        places: list[tuple[Record | Tombstone | None, ContactPoint | None]] = []
        for window in windows:
            hall = self.find(ServiceHall.TYPE, window.hall)
            if isinstance(hall, ServiceHall):
                places.append((hall, point(hall.address, hours=window.hours or hall.hours)))
            else:
                places.append((hall, point(None, hours=window.hours)))
        return places

    def files(self, record: Record, wanted: list[tuple[str, str | None, str, Any]],
              written: set[str]) -> list[tuple[str, tuple[float, float] | None] | None]:
        """Plans or photos a record shows, written below ``assets/<type>/<id>/`` (their
        names added to ``written``): for each ``(field, value, name, check)``, the URL
        (from the site root, or the value itself if it is an http(s) URL) and the size
        the check found, or None (no value, or a file left out with a warning)."""
        job = self.job
        folder = f"assets/{record.TYPE}/{record.id}"
        found: list[tuple[str, tuple[float, float] | None] | None] = []
        for name, value, stem, check in wanted:
            path = local_file(value)
            if path is None:
                url = self.safe_url(value)
                found.append((url, None) if url else None)
                continue
            data = job.file(path)
            checked = None if data is None else check(data)
            if checked is None:
                why = UNREADABLE if data is None else _KINDS[check]
                job.warn(f"site: {record.TYPE}:{record.id} {name}: {path!r} {why}; not shown")
                found.append(None)
                continue
            data, ext, size = checked
            file = f"{stem}.{ext}"
            job.write(f"{folder}/{file}", data)
            written.add(file)
            found.append((f"{folder}/{file}", size))
        return found

    def floors(self, hall: ServiceHall,
               plans: list[tuple[str, tuple[float, float] | None] | None],
               ) -> list[dict[str, Any]]:
        """The floors to draw, every one of the hall (a floor without windows is still a
        floor a visitor looks for): a plan's proportions set the map's height (positions
        are percentages of it)."""
        floors = []
        def shown(ident: str) -> bool:
            return isinstance(self.index.by_key.get((ServiceWindow.TYPE, ident)), ServiceWindow)

        for floor, plan in zip(hall.floors, plans, strict=True):
            layout = floor_layout(floor, plan[1] if plan else None, shown)
            spots = [{"window": self.index.by_key[(ServiceWindow.TYPE, spot.window)],
                      "x": spot.x, "y": spot.y} for spot in layout.spots]
            floors.append({"label": floor.label, "spots": spots, "height": layout.height,
                           "plan": plan[0] if plan else None})
        return floors

    def jsonld(self, lang: Lang, record: Record) -> dict[str, Any] | None:
        url = f"{self.base_url}{lang.code}/{self.path(record)}"

        def org(ident: str | None) -> dict[str, Any] | None:
            name = self.agency_name(ident)
            if name is None:
                return None
            found = self.find(Agency.TYPE, ident)
            return {"@type": "GovernmentOrganization", "name": lang.s(name),
                    "url": f"{self.base_url}{lang.code}/{self.path(found)}" if found else None}

        data: dict[str, Any]
        if isinstance(record, Agency):
            contact = record.contact
            data = {"@type": "GovernmentOrganization", "name": lang.s(record.name),
                    "alternateName": lang.s(record.short_name) or None,
                    "address": lang.s(record.address) or None,
                    "telephone": contact.phone if contact else None,
                    "email": contact.email if contact else None,
                    "sameAs": self.safe_url(record.website),
                    "parentOrganization": org(record.parent)}
        elif isinstance(record, ApprovalItem):
            data = {"@type": "GovernmentService", "name": lang.s(record.title),
                    "serviceType": lang.v("item_kind", record.kind),
                    "description": lang.s(record.summary) or None,
                    "provider": org(record.agency),
                    "serviceOperator": org(record.agency)}
            online = self.safe_url(record.online_url)
            if online:
                data["availableChannel"] = {"@type": "ServiceChannel", "serviceUrl": online}
        elif isinstance(record, NewsRelease):
            published = record.publish_at or record.issued_at
            modified = self.job.modified(record, record.updated_at or published)
            headline = lang.s(record.headline or record.label)[:110]
            data = {"@type": "NewsArticle", "headline": headline,
                    "description": lang.s(record.summary) or None,
                    "datePublished": published.isoformat() if published else None,
                    "dateModified": modified.isoformat() if modified else None,
                    "author": org(record.agency), "mainEntityOfPage": url,
                    "publisher": {"@type": "GovernmentOrganization",
                                  "name": lang.s(self.meta.publisher.name if self.meta.publisher
                                                 else self.meta.name)}}
        elif isinstance(record, PressConference):
            data = self.event(lang, record.title, record.scheduled_at, record.venue,
                              record.agency, cancelled=record.status == "cancelled")
            data["performer"] = [{"@type": "Person", "name": lang.s(s.name)}
                                 for s in record.speakers] or None
        elif isinstance(record, Consultation) and record.kind == "hearing":
            start = record.scheduled_at or record.opens_at
            if start is None:
                return None
            data = self.event(lang, record.title, start, record.venue, record.agency,
                              cancelled=False)
        else:
            return None
        data = {"@context": "https://schema.org", **data, "url": url}
        if data["@type"] in ("NewsArticle", "Event"):  # schema.org's inLanguage: works, events
            data["inLanguage"] = lang.code
        pruned: dict[str, Any] = _prune(data)
        return pruned

    def event(self, lang: Lang, title: Text, start: dt.datetime, venue: Text | None,
              agency: str, *, cancelled: bool) -> dict[str, Any]:
        status = "EventCancelled" if cancelled else "EventScheduled"
        organizer = self.agency_name(agency)
        # no venue: the organizer's premises where its address is known, else no place
        host = self.find(Agency.TYPE, agency)
        address = lang.s(venue) or (lang.s(host.address) if isinstance(host, Agency) else "")
        name = lang.s(venue) or lang.s(organizer)
        return {"@type": "Event", "name": lang.s(title), "startDate": start.isoformat(),
                "eventStatus": f"https://schema.org/{status}",
                "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                "location": {"@type": "Place", "name": name, "address": address}
                if address else None,
                "organizer": {"@type": "GovernmentOrganization", "name": lang.s(organizer)}
                if organizer else None}

    # -- listings -------------------------------------------------------------------------

    def paginate(self, lang: Lang, stem: str, rows: list[Any], template: str = "listing.html",
                 *, kind: str = "", category: str | None = None, **page: Any) -> None:
        """Write ``stem.html``, ``stem-2.html`` ... (those that may have changed on an
        incremental run) and remove pages beyond the last."""
        size = self.options.page_size
        pages = _page_count(len(rows), size)
        href = partial(_page_href, stem)
        only = self.pages_to_render(lang, kind, rows, category, href) if kind else None
        links = page.pop("links", [])
        for n in range(1, pages + 1):
            if only is not None and n not in only:
                continue
            self.render(lang, href(n), template, rows=rows[(n - 1) * size: n * size],
                        page=n, pages=pages, page_href=href, page_window=_window(n, pages),
                        links=links if n == 1 else [], **page)
        n = pages + 1
        while self.job.exists(f"{lang.code}/{href(n)}"):
            self.job.remove(f"{lang.code}/{href(n)}")
            n += 1

    def listing(self, lang: Lang, kind: str) -> None:
        label = lang.v("type", kind)
        rows = self.index.of_type(kind)
        links = []
        if kind == Disclosure.TYPE:
            links = [(lang.v("category", c), f"category/{c}.html", n)
                     for c, n in self.category_counts() if n]
        template = "listing.html"
        if kind == Hotline.TYPE:
            rows = sorted(rows, key=self.hotline_order)
            template = "hotline_listing.html"
        if kind == Agency.TYPE:
            rows = sorted(rows, key=lambda a: (_LEVELS.get(a.level, 9), a.id))
        self.paginate(lang, SECTIONS[kind], rows, template, title=label, section=kind,
                      crumbs=[(label, None)], links=links, intro="",
                      show_agency=kind != Agency.TYPE, kind=kind)

    def hotline_order(self, hotline: Hotline) -> tuple[int, int, str, str]:
        """The hotline directory's order: by the level of the agency that answers (the
        hotline's own level where the agency is not public), a government before the
        departments of its level, then by agency and hotline id: the governor's line
        first, then the provincial bureaux', then the city's ..."""
        agency = self.find(Agency.TYPE, hotline.agency)
        if isinstance(agency, Agency):
            return (_LEVELS.get(agency.level, 9), 0 if agency.kind == "government" else 1,
                    agency.id, hotline.id)
        return (_LEVELS.get(hotline.level or "other", 9), 1, "", hotline.id)

    def category_counts(self) -> list[tuple[str, int]]:
        groups = self.categories
        return [(c, len(groups.get(c, ()))) for c in CATEGORIES]

    @property
    def categories(self) -> dict[str, list[Disclosure]]:
        found = getattr(self, "_categories", None)
        if found is None:
            found = {}
            for record in self.index.of_type(Disclosure.TYPE):
                found.setdefault(record.category, []).append(record)
            self._categories: dict[str, list[Disclosure]] = found
        return found

    def category(self, lang: Lang, category: str) -> None:
        label = lang.v("category", category)
        self.paginate(lang, f"category/{category}", self.categories.get(category, []),
                      title=label, section=Disclosure.TYPE, intro="", links=[],
                      crumbs=[(lang.v("type", Disclosure.TYPE), "disclosures.html"),
                              (label, None)], show_agency=True, kind=Disclosure.TYPE,
                      category=category)

    # -- home and statistics --------------------------------------------------------------

    def home(self, lang: Lang) -> None:
        index = self.index
        # each type's list is sorted newest first, as the home page sorts within a type
        latest = heapq.nsmallest(self.options.latest, (
            record for kind in SECTIONS if kind not in (Agency.TYPE, Evaluation.TYPE)
            for record in index.of_type(kind)[:self.options.latest]), key=_home_order)
        hotlines = sorted(index.of_type(Hotline.TYPE), key=self.hotline_order)[:6]
        agencies = [a for a in index.of_type(Agency.TYPE)
                    if a.parent is None or (self.find(Agency.TYPE, a.parent) is not None
                                            and getattr(self.find(Agency.TYPE, a.parent),
                                                        "parent", "x") is None)]
        agencies.sort(key=lambda a: (_LEVELS.get(a.level, 9), a.id))
        types = [(lang.v("type", kind), f"{SECTIONS[kind]}.html", len(index.of_type(kind)))
                 for kind in SECTIONS]
        categories = [(lang.v("category", c), f"category/{c}.html", n)
                      for c, n in self.category_counts() if n]
        site = {"@context": "https://schema.org", "@type": "WebSite",
                "name": lang.s(self.meta.name), "url": f"{self.base_url}{lang.code}/index.html",
                "inLanguage": lang.code,
                "potentialAction": {"@type": "SearchAction",
                                    "target": f"{self.base_url}{lang.code}/search.html"
                                              "?q={search_term_string}",
                                    "query-input": "required name=search_term_string"}}
        self.render(lang, "index.html", "home.html", title=lang.s(self.meta.name),
                    heading=self.site_names_h[lang.code],
                    section="home", latest=latest, hotlines=hotlines, agencies=agencies[:40],
                    types=types, categories=categories, jsonld=site,
                    description=lang.t["intro"])

    @property
    def figures(self) -> dict[str, Any]:
        if self._figures is None:
            index = self.index
            items: list[ApprovalItem] = index.of_type(ApprovalItem.TYPE)
            cases: list[Case] = index.of_type(Case.TYPE)
            hotlines: list[Hotline] = index.of_type(Hotline.TYPE)
            calls: list[HotlineCall] = index.of_type(HotlineCall.TYPE)
            try:
                calendar = calendar_for(self.meta.calendar, self.meta.holidays,
                                        self.meta.extra_workdays)
            except CalendarError:  # pragma: no cover - an unknown calendar name
                calendar = calendar_for(None)
            case_rows, case_total = stats.case_figures(items, cases, calendar, self.zone,
                                                       self.job.as_of)
            hotline_rows, hotline_total, months = stats.hotline_figures(hotlines, calls, calendar,
                                                                        self.zone)
            self._figures = {
                "cases": case_rows, "cases_total": case_total,
                "cases_by_item": {row.item.id: row for row in case_rows if row.item},
                "hotlines": hotline_rows, "hotlines_total": hotline_total, "months": months,
                "calls_by_hotline": {row.hotline.id: row for row in hotline_rows
                                     if row.hotline},
                "suggestions": stats.suggestion_figures(index.of_type(Suggestion.TYPE)),
                "complaints": stats.complaint_figures(index.of_type(Complaint.TYPE)),
                "accountability": stats.accountability_figures(
                    index.of_type(AccountabilityRecord.TYPE)),
                "evaluations": stats.league_tables(index.of_type(Evaluation.TYPE)),
            }
        return self._figures

    def statistics(self, lang: Lang) -> None:
        figures = self.figures
        crumbs_root = (lang.t["statistics"], "statistics/index.html")
        titles = {name: lang.t[f"stats_{name}"] for name in _STATS_PAGES}
        headline = {
            "hotlines": figures["hotlines_total"].calls,
            "cases": figures["cases_total"].received,
            "suggestions": figures["suggestions"]["total"],
            "complaints": figures["complaints"]["total"],
            "accountability": figures["accountability"]["total"],
            "evaluations": sum(len(rows) for _, rows in figures["evaluations"]),
        }
        self.render(lang, "statistics/index.html", "stats_index.html",
                    title=lang.t["statistics"], section="statistics",
                    crumbs=[(lang.t["statistics"], None)],
                    pages_list=[(titles[n], f"statistics/{n}.html", headline[n])
                                for n in _STATS_PAGES])
        # marked with their language (a plain string is the catalogue's default language)
        topics = stats.counts([lang.h(c.topic) for c in self.index.of_type(HotlineCall.TYPE)
                               if c.topic])[:10]
        pages: dict[str, dict[str, Any]] = {
            "hotlines": {"rows": figures["hotlines"], "total": figures["hotlines_total"],
                         "months": figures["months"], "topics": topics},
            "cases": {"rows": figures["cases"], "total": figures["cases_total"]},
            "suggestions": {"s": figures["suggestions"]},
            "complaints": {"c": figures["complaints"]},
            "accountability": {"a": figures["accountability"],
                               "records": self.index.of_type(AccountabilityRecord.TYPE)},
            "evaluations": {"tables": figures["evaluations"]},
        }
        for name in _STATS_PAGES:
            self.render(lang, f"statistics/{name}.html", f"stats_{name}.html",
                        title=titles[name], crumbs=[crumbs_root, (titles[name], None)],
                        section="statistics", **pages[name])

    # -- files outside the language folders ------------------------------------------------

    def site_files(self) -> None:
        job = self.job
        default = self.langs[self.default]
        for name, data in static_files(self.theme, self.theme_digest).items():
            job.write(f"static/{name}", data)
        self.render_root(default)
        if self.internal:  # (an output folder holds one audience: no public sitemap here)
            job.write("robots.txt", "User-agent: *\nDisallow: /\n")
        else:
            self.sitemap()
            job.write("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {self.base_url}"
                                    "sitemap.xml\n")
        # no instant here: a re-run at a later moment that changes no page writes nothing
        # base_path: where the 404 pages' links expect the site (``serve`` maps it there)
        job.write("build.json", json.dumps({"generator": "govdisclosure site",
                                            "version": SitePublisher.version,
                                            "base_path": self.base_path}) + "\n")

    def homes(self, prefix: str | None = None) -> list[dict[str, str]]:
        """The home page of every language, for a language switch: the 404 pages (served
        at any URL, so their switch leads home) and the root page (``prefix`` "")."""
        return [{"code": code, "name": self.langs[code].name,
                 "href": f"{self.base_path if prefix is None else prefix}{code}/index.html",
                 "absolute": f"{self.base_url}{code}/index.html"} for code in self.langs]

    def render_root(self, lang: Lang) -> None:
        context = dict(self.common)
        context.update(L=lang, alternates=self.homes(""), site_name=lang.s(self.meta.name))
        self.job.write("index.html", self.template("root.html").render(context))
        # The server's 404 page lives at the root: same page as <default>/404.html.
        page = dict(self.common)
        # it says so in every language: a server shows it for a missing page of any
        page.update(L=lang, root=self.base_path, base=f"{self.base_path}{lang.code}/",
                    others=[other for code, other in self.langs.items() if code != lang.code],
                    canonical="", alternates=self.homes(), switch_current="true",
                    site_name=lang.s(self.meta.name), site_name_h=lang.h(self.meta.name),
                    menu=self.menus[lang.code], title=lang.t["not_found"], noindex=True,
                    inline_css=self.inline_css)
        page["chrome"] = self.chrome(page)
        self.job.write("404.html", self.template("404.html").render(page))

    def search_index(self, lang: Lang) -> str:
        """The search page's index: title, page, type, date, agency, tags and
        :func:`.index.search_keys` of every record page (types and agency names listed
        once, entries point at them).

        An incremental run takes the entries of records whose rows and pages did not
        change from the previous index (an entry is what a listing row and the page show).
        """
        kinds = list(SECTIONS)
        types = [lang.v("type", k) for k in kinds]
        pages = list(self.index.pages())
        # agencies with a name to show: one that is not public is not even a blank entry
        # (how many there are, and which records share one, is not for the public either)
        named = {ident: self.agency_name(ident)
                 for ident in {getattr(record, "agency", None) or "" for record in pages} - {""}}
        owners = sorted(ident for ident, name in named.items() if name is not None)
        agencies = [lang.s(named[ident]) for ident in owners]
        # the languages of names not in the page's (search.js marks them), if any
        marks = [lang.lang_of(named[ident]) for ident in owners]
        agency_langs = marks if any(marks) else []
        at = {ident: n for n, ident in enumerate(owners)}
        dirty = self._dirty
        old = {} if dirty is None else self.previous_search_items(lang, types, agencies,
                                                                  agency_langs)
        rows = set() if dirty is None else dirty.rows
        shown = set() if dirty is None else dirty.records
        cases = self.index.cases_of_item
        items = []
        for record in pages:
            path = page_path(record.TYPE, record.id)
            key = (record.TYPE, record.id)
            item = old.get(path)
            if item is None or key in rows or key in shown:
                when = record_date(record)
                item = [lang.title_s(record), path, kinds.index(record.TYPE),
                        self.iso_date(when) if when else "",
                        at.get(getattr(record, "agency", None) or "", -1),
                        " ".join(clean(tag) for tag in record.tags),
                        " ".join(clean(k) for k in search_keys(record, cases.get(record.id, ())))]
                title_lang = lang.title_lang(record)
                if title_lang:  # the title's language, only where it is not the page's
                    item.append(title_lang)
            items.append(item)
        index: dict[str, Any] = {"v": _SEARCH_V, "types": types, "agencies": agencies}
        if agency_langs:
            index["agency_langs"] = agency_langs
        index["items"] = items
        return json.dumps(index, ensure_ascii=False, separators=(",", ":")) + "\n"

    def previous_search_items(self, lang: Lang, types: list[str], agencies: list[str],
                              agency_langs: list[str]) -> dict[str, list[Any]]:
        """``page -> entry`` of the previous search index of ``lang`` (empty if unusable)."""
        data = self.job.read(f"search/{lang.code}.json")
        try:
            index = orjson.loads(data or b"")
            if ((index["v"], index["types"], index["agencies"], index.get("agency_langs", []))
                    != (_SEARCH_V, types, agencies, agency_langs)):
                return {}
            return {item[1]: item for item in index["items"]
                    if len(item) in (7, 8) and isinstance(item[1], str)}
        except (orjson.JSONDecodeError, KeyError, TypeError):
            return {}

    def sitemap_urls(self) -> Iterator[str]:
        """The sitemap's ``<url>`` elements."""
        size = self.options.page_size
        listings = [(SECTIONS[kind], len(self.index.of_type(kind))) for kind in SECTIONS]
        listings += [(f"category/{category}", n) for category, n in self.category_counts()]
        pages = [_page_href(stem, n) for stem, rows in listings
                 for n in range(1, _page_count(rows, size) + 1)]
        pages += ["statistics/index.html", *(f"statistics/{name}.html" for name in _STATS_PAGES),
                  "withdrawn.html"]
        # the record pages and their dates, the same in every language: computed once, and
        # escaped once (escaping works character by character, so parts can be escaped apart)
        shown: Iterator[Record | Tombstone] = itertools.chain(self.index.pages(),
                                                              self.index.stones.values())
        dated = ((self.path(obj), self.lastmod(obj)) for obj in shown)
        records = [f"{_output(path)}</loc><lastmod>{self.iso_date(when)}</lastmod></url>\n"
                   if when else f"{_output(path)}</loc></url>\n" for path, when in dated]
        for code in self.langs:
            start = f"<url><loc>{_output(self.base_url)}{_output(code)}/"
            yield f"{start}index.html</loc></url>\n"
            for page in pages:
                yield f"{start}{_output(page)}</loc></url>\n"
            for entry in records:
                yield start + entry

    def lastmod(self, page: Record | Tombstone) -> dt.datetime | None:
        """When the page of a record was last modified: its own date (``updated_at``, else
        the date it is listed under; a tombstone's withdrawal day) and, once an edit of it
        was published, the instant of that (:meth:`Job.modified`)."""
        if isinstance(page, Tombstone):
            return self.job.modified(page, dt.datetime.combine(page.withdrawn.on, dt.time(),
                                                               self.zone))
        return self.job.modified(page, page.updated_at or record_date(page))

    def sitemap(self) -> None:
        """``sitemap.xml``, or an index of ``sitemaps/sitemap-<n>.xml`` beyond
        :data:`SITEMAP_LIMIT` URLs (written one by one: 200k URLs are 25 MB)."""
        urls = self.sitemap_urls()
        chunk = list(itertools.islice(urls, SITEMAP_LIMIT))
        following = list(itertools.islice(urls, SITEMAP_LIMIT))
        names: list[str] = []
        if not following:
            self.job.write("sitemap.xml", _urlset(chunk))
        else:
            while chunk:
                names.append(f"sitemaps/sitemap-{len(names) + 1}.xml")
                self.job.write(names[-1], _urlset(chunk))
                chunk, following = following, list(itertools.islice(urls, SITEMAP_LIMIT))
            self.job.write("sitemap.xml", self.template("sitemapindex.xml").render(
                sitemaps=[f"{self.base_url}{name}" for name in names]))
        n = len(names) + 1
        while self.job.exists(f"sitemaps/sitemap-{n}.xml"):
            self.job.remove(f"sitemaps/sitemap-{n}.xml")
            n += 1


def _urlset(urls: list[str]) -> str:
    """A sitemaps.org ``urlset`` of ``<url>`` elements: built here, not by a template (a
    Jinja2 loop over 100k URLs took 1 s of every run, incremental ones included)."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "".join(urls) + "</urlset>")


def _order_token(record: Record) -> str:
    """The record's listing order as JSON: read back from its page on the next run."""
    return _json(listing_order(record))


def _home_order(record: Record) -> tuple[float, str, str]:
    when = record_date(record)
    return (-(when.timestamp() if when else -1e12), record.TYPE, record.id)


def _window(page: int, pages: int) -> list[int | None]:
    """Page numbers around the current one, with None for a gap."""
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    out: list[int | None] = []
    for n in shown:
        last = out[-1] if out else None
        if last is not None and n - last > 1:
            out.append(None)
        out.append(n)
    return out


def _prune(value: Any) -> Any:
    """Drop None and empty values from JSON-LD."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value

