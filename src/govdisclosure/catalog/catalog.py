"""The in-memory catalogue: metadata, records indexed by type and id, and reference checks."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, overload

from attrs import Attribute, field, fields, frozen

from ..calendar import check_calendar
from ..errors import CalendarError, CatalogError, ConfigError, InvalidValue, Problem
from ..model import (
    RECORD_TYPES,
    AccountabilityRecord,
    Agency,
    ApprovalItem,
    Case,
    Complaint,
    Consultation,
    Evaluation,
    HotlineCall,
    NewsRelease,
    OwnedRecord,
    PressConference,
    Record,
    ServiceHall,
    ServiceWindow,
    Suggestion,
    Text,
    WorkPlan,
)
from ..model.common import LANGUAGE_PATTERN, a_type, check_text
from .converter import kind_of, structure_date

__all__ = ["MAX_FILE_BYTES", "Catalog", "CatalogMeta", "FileDigest", "PublisherInfo",
           "check_references", "expect_catalog", "file_digest", "read_file", "ref_key",
           "references"]

#: The largest catalogue file a record may name (a floor plan, a staff photo).
MAX_FILE_BYTES = 10_000_000


def read_file(root: Path | None, path: str) -> bytes | None:
    """The bytes of the catalogue file ``path`` names (a record's ``files``), or None.

    None when there is no catalogue folder, the file is missing, unreadable, larger than
    :data:`MAX_FILE_BYTES`, lies outside the folder once links are followed, or is one of
    the catalogue's own sources (:func:`is_source`): a record never makes anything else
    readable, not the records' files, secret ones among them, nor the configuration.
    """
    target = _readable(root, path)
    return None if target is None else _read(target)


class FileDigest(NamedTuple):
    """What a catalogue file is, without its bytes: their number and their sha256."""

    size: int
    sha256: str

    @classmethod
    def of(cls, data: bytes) -> FileDigest:
        """The digest of ``data``."""
        return cls(len(data), hashlib.sha256(data).hexdigest())


def file_digest(root: Path | None, path: str) -> FileDigest | None:
    """The :class:`FileDigest` of what :func:`read_file` reads, or None where it reads
    nothing. Remembered (in this process) while the file's status stays the same (device,
    inode, size, modification and change times), so that the selection, which hashes a
    record's files to tell a change, and every publisher that links an attachment
    (``pages.attachment_copies``) read a file once per run, not once each."""
    target = _readable(root, path)
    if target is None:
        return None
    try:
        status = target.stat()
    except OSError:
        return None
    if status.st_size > MAX_FILE_BYTES:
        return None
    key = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns,
           status.st_ctime_ns)
    if time.time_ns() - max(status.st_mtime_ns, status.st_ctime_ns) < _RACY_NS:
        return _digest.__wrapped__(str(target), key)  # may change again unseen: not kept
    return _digest(str(target), key)


#: A file changed this recently may change again within its time stamps' granularity (a
#: second on some file systems) without a new status: its digest is not remembered (git's
#: "racily clean" rule).
_RACY_NS = 2_000_000_000


@lru_cache(maxsize=1 << 17)  # a file an entry: the 100k-record benchmark fits
def _digest(target: str, status: tuple[int, ...]) -> FileDigest | None:
    """:func:`file_digest` of a checked file in the given status (the cache key)."""
    data = _read(Path(target))
    return None if data is None else FileDigest.of(data)


def _readable(root: Path | None, path: str) -> Path | None:
    """The resolved file ``path`` names below ``root``, if a record may read it
    (:func:`read_file`); None otherwise."""
    if root is None:
        return None
    try:
        base = root.resolve()
        target = (base / path).resolve()
        if (not target.is_relative_to(base) or not target.is_file()
                or is_source(target.relative_to(base).as_posix())):
            return None
        if target.name.endswith(RECORD_SUFFIXES) and any(
                target.is_relative_to(folder) for folder in linked_sources(base)):
            return None  # a source the loader read through a link (a linked folder)
    except (OSError, ValueError):
        return None
    return target


#: ``catalogue folder -> where the links among its sources lead`` (resolved files and
#: folders), as its last load found them (:func:`remember_linked_sources`).
_LINKED: dict[Path, tuple[Path, ...]] = {}


def remember_linked_sources(base: Path, links: Iterable[str]) -> None:
    """Note, for the catalogue folder ``base`` (resolved), where the links the loader
    followed lead (a linked ``records/shared/`` folder, a linked record file): record
    files there are sources, which no record may read as its file (:func:`read_file`)."""
    _LINKED[base] = tuple(Path(link) for link in links)


def linked_sources(base: Path) -> tuple[Path, ...]:
    """Where the links among the sources of the catalogue folder ``base`` led when it was
    last loaded (none for a catalogue never loaded from files here)."""
    return _LINKED.get(base, ())


def _read(target: Path) -> bytes | None:
    """The bytes of a checked file, or None: unreadable or over :data:`MAX_FILE_BYTES`."""
    try:
        with target.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError):
        return None
    return data if len(data) <= MAX_FILE_BYTES else None


#: Top-level files of a catalogue that are its sources, not files to publish.
_SOURCE_FILES = frozenset({"catalog.toml", "agencies.toml", "govdisclosure.toml"})
#: Suffixes of record files, below ``records/`` (and ``agencies/``).
RECORD_SUFFIXES = (".toml", ".json", ".jsonl", ".md")


def is_source(path: str) -> bool:
    """Whether a path relative to the catalogue folder is one of the catalogue's sources:
    ``catalog.toml``, ``agencies.toml``, ``govdisclosure.toml``, a record file below
    ``records/`` or ``agencies/``, or anything hidden (``.git/``, ``.env``). A PDF beside
    its record in ``records/`` is no source."""
    if is_hidden(path) or path in _SOURCE_FILES:
        return True
    return path.split("/", 1)[0] in ("records", "agencies") and path.endswith(RECORD_SUFFIXES)


def is_hidden(path: str) -> bool:
    """Whether any part of a ``/``-separated path is hidden (starts with a dot)."""
    return any(part.startswith(".") for part in path.split("/"))


R = TypeVar("R", bound=Record)
TYPE_ORDER = {name: index for index, name in enumerate(RECORD_TYPES)}


# -- the [catalog] table: the constructor takes what catalog.toml holds, and refuses the rest --


def _string(_: object, attribute: Attribute[Any], value: object) -> None:
    """A string (or None where that is the default)."""
    if not isinstance(value, str) and not (value is None and attribute.default is None):
        raise InvalidValue(attribute.name, f"expected a string, got {kind_of(value)}")


def _required_text(inst: object, attribute: Attribute[Any], value: Text | None) -> None:
    """Localized text that must be given."""
    if value is None:
        raise InvalidValue(attribute.name, "required field is missing")
    check_text(inst, attribute, value)


def _check_zone(inst: object, attribute: Attribute[str], value: str) -> None:
    _string(inst, attribute, value)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidValue(attribute.name, f"unknown timezone {value!r} (IANA name, "
                                           "e.g. Asia/Shanghai)") from None


def _check_calendar(inst: object, attribute: Attribute[str | None], value: str | None) -> None:
    _string(inst, attribute, value)
    try:
        check_calendar(value)
    except CalendarError as exc:
        raise InvalidValue(attribute.name, str(exc)) from None


def _listed(value: object) -> object:
    """A list (any iterable) as a tuple; a string, table or single value as it is, for the
    validator to refuse (``languages = "en"`` is no list of "e" and "n")."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        return value
    return tuple(value)


def _dates(value: object) -> object:
    """A list of dates, ISO strings (as catalog.toml writes them) made dates; what is no
    date stays as it is, for the validator to refuse naming its index."""
    value = _listed(value)
    if not isinstance(value, tuple):
        return value
    days = []
    for item in value:
        try:
            days.append(structure_date(item))
        except (TypeError, ValueError):
            days.append(item)
    return tuple(days)


def _is_list(attribute: Attribute[Any], value: object, what: str) -> None:
    if not isinstance(value, tuple):
        raise InvalidValue(attribute.name, f"expected a list of {what}, got {kind_of(value)}")


def _check_languages(_: object, attribute: Attribute[Any], value: object) -> None:
    _is_list(attribute, value, "language tags")  # each tag: in __attrs_post_init__


def _check_dates(_: object, attribute: Attribute[Any], value: tuple[object, ...]) -> None:
    _is_list(attribute, value, "dates")
    for index, item in enumerate(value):
        try:
            structure_date(item)
        except (TypeError, ValueError) as exc:
            raise InvalidValue(f"{attribute.name}.{index}", str(exc)) from None


_DOTS = re.compile("[.\u3002\uff0e\uff61]")  # the dots UTS 46 reads as label separators


def _url_parts(url: str) -> tuple[str, str, str]:
    """``(scheme://userinfo@, host, :port/path...)`` of an absolute URL; the host is empty
    where there is no ``://``."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url, "", ""
    end = min((at for at in map(rest.find, "/?#") if at >= 0), default=len(rest))
    authority, tail = rest[:end], rest[end:]
    user, at, hostport = authority.rpartition("@")
    host, colon, port = hostport, "", ""
    if not hostport.startswith("[") and ":" in hostport:  # not an IPv6 literal
        host, colon, port = hostport.rpartition(":")
    return f"{scheme}://{user}{at}", host, f"{colon}{port}{tail}"


def _ascii_host(host: str) -> str:
    """An internationalised host name in its ASCII form, each non-ASCII label as an
    ``xn--`` A-label (IDNA 2008 with the UTS 46 mapping browsers apply, ``政务.中国`` ->
    ``xn--zfr164b.xn--fiqs8s``); ASCII labels as they are.

    Raises:
        UnicodeError: a label that has no ASCII form (an emoji, a leading hyphen, empty).
    """
    if host.isascii():
        return host
    import idna  # its tables load only for a catalogue that needs them

    labels = _DOTS.split(host)
    if any(not label for label in labels[:-1]):  # a final dot is the root's: it may stay
        raise UnicodeError(f"an empty label in {host!r}")
    return ".".join(label.lower() if label.isascii() else
                    idna.encode(label, uts46=True).decode() for label in labels)


def _ascii_base(value: object) -> object:
    """``base_url`` with its host in ASCII form (:func:`_ascii_host`), once for every
    output: RFC 4151 tag authorities are ASCII DNS names, and the sitemap, feeds, QR codes
    and ninjs carry ``base_url`` as it is here. A host without one stays, for the check
    in :meth:`CatalogMeta.__attrs_post_init__` to refuse."""
    if not isinstance(value, str) or value.isascii():
        return value
    head, host, tail = _url_parts(value)
    try:
        return f"{head}{_ascii_host(host)}{tail}"
    except UnicodeError:
        return value


@frozen(kw_only=True)
class PublisherInfo:
    """Who publishes the catalogue (the feeds' author, the site's footer)."""

    name: Text = field(validator=_required_text)
    email: str | None = field(default=None, validator=_string)
    url: str | None = field(default=None, validator=_string)


def _publisher(value: object) -> object:
    """A ``publisher`` table, as catalog.toml gives it, as a PublisherInfo (anything but a
    table as it is, for the validator to refuse)."""
    if not isinstance(value, Mapping):
        return value
    names = [attribute.name for attribute in fields(PublisherInfo)]
    for key in value:
        if key not in names:
            raise InvalidValue(f"publisher.{key}", f"unknown key (a publisher has "
                                                   f"{', '.join(names)})")
    if "name" not in value:
        raise InvalidValue("publisher.name", "required field is missing")
    try:
        return PublisherInfo(**value)
    except InvalidValue as exc:
        raise InvalidValue(f"publisher.{exc.field}", exc.message) from None


def _check_publisher(_: object, attribute: Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, PublisherInfo):
        names = ", ".join(a.name for a in fields(PublisherInfo))
        raise InvalidValue(attribute.name, f"expected a table ({names}), got "
                                           f"{kind_of(value)}")


@frozen(kw_only=True)
class CatalogMeta:
    """The ``[catalog]`` table of ``catalog.toml``.

    The constructor takes the table's values as catalog.toml holds them: ``publisher``
    as a table (made a :class:`PublisherInfo`) and dates as ISO strings.

    Raises:
        InvalidValue: naming the field (``publisher.email``, ``holidays.2``).
    """

    name: Text = field(validator=_required_text)
    jurisdiction: str | None = field(default=None, validator=_string)
    #: its host in ASCII (IDNA) form: ``https://政务.中国/`` is ``https://xn--zfr164b.xn--fiqs8s/``
    base_url: str = field(default="http://localhost:8000/", converter=_ascii_base,
                          validator=_string)
    default_language: str = field(default="zh-CN", validator=_string)
    languages: tuple[str, ...] = field(default=(), converter=_listed,
                                       validator=_check_languages)
    timezone: str = field(default="UTC", validator=_check_zone)
    calendar: str | None = field(default=None, validator=_check_calendar)
    holidays: tuple[dt.date, ...] = field(default=(), converter=_dates,
                                          validator=_check_dates)
    extra_workdays: tuple[dt.date, ...] = field(default=(), converter=_dates,
                                                validator=_check_dates)
    profile: str | None = field(default=None, validator=_string)
    publisher: PublisherInfo | None = field(default=None, converter=_publisher,
                                            validator=_check_publisher)

    def __attrs_post_init__(self) -> None:
        for name, code in [("default_language", self.default_language),
                           *((f"languages.{i}", c) for i, c in enumerate(self.languages))]:
            # a tag names a folder of the site and the feeds
            if not isinstance(code, str) or not LANGUAGE_PATTERN.fullmatch(code):
                raise InvalidValue(name, f"{code!r} is not a language tag (like zh-CN or en)")
        if self.languages and self.default_language not in self.languages:
            raise InvalidValue("default_language", f"{self.default_language!r} is not one of "
                                                   f"languages {list(self.languages)}")
        scheme, _, rest = self.base_url.partition("://")
        if scheme not in ("http", "https") or not rest.split("/")[0]:
            raise InvalidValue("base_url", "must be an http(s) URL with a host")
        if "@" in rest.split("/")[0]:  # every output links there: a password would be public
            raise InvalidValue("base_url", "must not hold user information (user:password@)")
        host = _url_parts(self.base_url)[1]
        try:
            _ascii_host(host)  # the converter wrote it in ASCII form where it could
        except UnicodeError as exc:
            raise InvalidValue("base_url", f"host {host!r} has no ASCII (IDNA) form, as "
                                           f"links and feed ids need: {exc}") from None

    @property
    def all_languages(self) -> tuple[str, ...]:
        """The catalogue's languages, the default first."""
        rest = tuple(lang for lang in self.languages if lang != self.default_language)
        return (self.default_language, *rest)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The catalogue's timezone."""
        return zoneinfo.ZoneInfo(self.timezone)


class Catalog:
    """A set of records with their metadata; built by the loader or in memory.

    Args:
        records: the records, any order.
        meta: the catalogue metadata.
        root: the folder it was loaded from, if any.
        sources: where each ``(type, id)`` was read (file, line), for messages.
        digests: ``(type, id) -> (record, digest)``: a digest of the source each record was
            structured from (the loader's), so that publishing can skip hashing records
            whose source did not change. An entry counts only for the very record object
            it names, so the map of another catalogue can be passed along with records
            taken from it: edited records (new objects) are hashed again.
        check: check unique ids and references now (raises CatalogError).

    Raises:
        InvalidValue: ``meta`` is no CatalogMeta, or a record no record object.
    """

    def __init__(
        self,
        records: Iterable[Record],
        meta: CatalogMeta,
        *,
        root: Path | None = None,
        sources: dict[tuple[str, str], tuple[str, int | None]] | None = None,
        digests: dict[tuple[str, str], tuple[Record, bytes]] | None = None,
        check: bool = True,
    ) -> None:
        if not isinstance(meta, CatalogMeta):
            raise InvalidValue("meta", "expected gd.CatalogMeta(...) (the [catalog] table "
                                       f"of catalog.toml), got {type(meta).__name__}")
        self.meta = meta
        self.root = root
        self.sources = sources or {}
        self.digests = digests or {}
        self._by_type: dict[str, dict[str, Record]] = {name: {} for name in RECORD_TYPES}
        problems = []
        for record in records:
            if not isinstance(record, Record):
                raise InvalidValue("records", "expected record objects (gd.Disclosure(...), "
                                   f"gd.loads(...)), got {type(record).__name__}")
            table = self._by_type.setdefault(record.TYPE, {})
            if record.id in table:
                problems.append(Problem(file="<memory>", message="duplicate id",
                                        type=record.TYPE, record=record.id, field="id"))
            table[record.id] = record
        for table in self._by_type.values():
            ordered = sorted(table.items())
            table.clear()
            table.update(ordered)
        if check:  # as load_catalog checks what it loads
            from .loader import typo_channels  # here: the loader imports this module
            problems.extend(check_references(self))
            problems.extend(typo_channels(self))
            if problems:
                raise CatalogError(problems)

    def __len__(self) -> int:
        return sum(len(table) for table in self._by_type.values())

    def __iter__(self) -> Iterator[Record]:
        """Every record, by type (MODEL.md's order) then id."""
        for table in self._by_type.values():
            yield from table.values()

    @property
    def records(self) -> list[Record]:
        """Every record, as :meth:`__iter__` gives them (what ``Catalog(records=...)``
        was given, ordered)."""
        return list(self)

    @overload
    def of_type(self, cls: type[R]) -> list[R]: ...

    @overload
    def of_type(self, cls: str) -> list[Record]: ...

    def of_type(self, cls: type[R] | str) -> list[R] | list[Record]:
        """The records of one class (or type name such as ``"case"``), by id."""
        name = cls if isinstance(cls, str) else cls.TYPE
        return list(self._by_type.get(name, {}).values())

    def get(self, type_name: str, ident: str) -> Record | None:
        """The record ``type_name:ident``, or None."""
        return self._by_type.get(type_name, {}).get(ident)

    def resolve(self, ref: str) -> Record | None:
        """A record from ``type:id``, or from a bare id when exactly one type has it."""
        kind, _, ident = ref.rpartition(":")
        if kind:
            return self.get(kind, ident)
        found = [table[ident] for table in self._by_type.values() if ident in table]
        return found[0] if len(found) == 1 else None

    def agency(self, ident: str) -> Agency | None:
        """The agency ``ident``, or None."""
        record = self.get(Agency.TYPE, ident)
        return record if isinstance(record, Agency) else None

    def source_digest(self, record: Record) -> bytes | None:
        """The digest of the source ``record`` was loaded from, if it is that very record."""
        entry = self.digests.get((record.TYPE, record.id))
        return entry[1] if entry is not None and entry[0] is record else None

    def where(self, record: Record) -> tuple[str, int | None]:
        """The file (and line) a record came from."""
        return self.sources.get((record.TYPE, record.id), ("<memory>", None))


# -- reference checks ---------------------------------------------------------------------------

def expect_catalog(value: object, *, key: str = "catalog") -> Catalog:
    """``value``, when it is a :class:`Catalog`: what the public functions that take one
    check first, so that a path or a record list given instead is a message, not an
    ``AttributeError`` from deep inside.

    Raises:
        ConfigError: ``value`` is no Catalog.
    """
    if not isinstance(value, Catalog):
        raise ConfigError(f"{key} must be a gd.Catalog (gd.load_catalog(path) reads a folder; "
                          f"gd.Catalog(records=..., meta=...) builds one in memory), not "
                          f"{type(value).__name__}", key=key)
    return value


def ref_key(ref: str, kind: str | None) -> tuple[str, str]:
    """A reference as ``(type, id)``: the type it is written with (``type:id``), else the
    type its field names, else "" (a bare id in a field that may name any type)."""
    prefix, _, ident = ref.rpartition(":")
    return (prefix or kind or "", ident)


def references(record: Record) -> Iterator[tuple[str, str | None, str | None]]:
    """``(field path, reference, target type)`` for each reference a record makes: the
    reference as written (``type:id``, or a bare id; None for an empty field) and the type
    the field names, None for a field that may name any (``related``, ``adopted_into``)."""
    if isinstance(record, OwnedRecord):
        yield "agency", record.agency, Agency.TYPE
    if isinstance(record, Agency):
        yield "parent", record.parent, Agency.TYPE
    for index, ref in enumerate(record.related):
        yield f"related.{index}", ref, None
    yield "supersedes", record.supersedes, record.TYPE
    if isinstance(record, Case):
        yield "item", record.item, ApprovalItem.TYPE
    elif isinstance(record, ApprovalItem):
        for index, ref in enumerate(record.windows):
            yield f"windows.{index}", ref, ServiceWindow.TYPE
    elif isinstance(record, HotlineCall):
        yield "hotline", record.hotline, "hotline"
    elif isinstance(record, Suggestion):
        yield "adopted_into", record.adopted_into, None
    elif isinstance(record, Consultation):
        yield "decision", record.decision, None
    elif isinstance(record, NewsRelease):
        yield "conference", record.conference, PressConference.TYPE
    elif isinstance(record, PressConference):
        for index, ref in enumerate(record.releases):
            yield f"releases.{index}", ref, NewsRelease.TYPE
        for index, speaker in enumerate(record.speakers):
            yield f"speakers.{index}.agency", speaker.agency, Agency.TYPE
    elif isinstance(record, ServiceHall):
        for number, floor in enumerate(record.floors):
            for index, spot in enumerate(floor.windows):
                yield f"floors.{number}.windows.{index}.window", spot.window, ServiceWindow.TYPE
    elif isinstance(record, ServiceWindow):
        yield "hall", record.hall, ServiceHall.TYPE
        for index, ref in enumerate(record.services):
            yield f"services.{index}", ref, ApprovalItem.TYPE
        for index, commitment in enumerate(record.commitments):
            yield f"commitments.{index}.item", commitment.item, ApprovalItem.TYPE
    elif isinstance(record, Complaint):
        yield "about", record.about, Agency.TYPE
        yield "accountability", record.accountability, AccountabilityRecord.TYPE
    elif isinstance(record, AccountabilityRecord):
        yield "subject_unit", record.subject_unit, Agency.TYPE
        # MODEL.md: a complaint, an evaluation or an audit finding (``audit:<code>:...``,
        # ``finding:<code>:...`` or an id of another system: not checked)
        source = record.source or ""
        kind, _, ident = source.partition(":")
        if kind in (Complaint.TYPE, Evaluation.TYPE):
            yield "source", source, None
        elif kind in RECORD_TYPES:  # another record type: "'x' is a case, not a complaint"
            yield "source", ident, Complaint.TYPE
    elif isinstance(record, WorkPlan):
        for index, task in enumerate(record.tasks):
            yield f"tasks.{index}.owner", task.owner, Agency.TYPE


def _check_ref(catalog: Catalog, ref: str, target: str | None) -> str | None:
    """A message when ``ref`` does not resolve to a record of type ``target``."""
    kind, _, ident = ref.rpartition(":")
    if kind and kind not in RECORD_TYPES:
        return f"unknown record type {kind!r} in reference {ref!r}"
    wanted = kind or target
    if wanted is not None:
        if catalog.get(wanted, ident) is not None:
            return None
        others = [name for name in RECORD_TYPES if catalog.get(name, ident) is not None]
        if others:
            return f"'{ident}' is {a_type(others[0])}, not {a_type(wanted)}"
        return f"no {wanted} '{ident}' in the catalogue"
    matches = [name for name in RECORD_TYPES if catalog.get(name, ident) is not None]
    if not matches:
        return f"no record '{ident}' in the catalogue"
    if len(matches) > 1:
        return f"'{ident}' is ambiguous ({', '.join(matches)}): write type:id"
    return None


def _cycle(catalog: Catalog, record: Record, step: str,
           verdicts: dict[tuple[str, str], bool]) -> bool:
    """Whether following ``step`` (``parent``, ``supersedes``) from ``record`` ever comes
    back to a record already passed (it ends in a cycle). ``verdicts`` remembers the answer
    for every record walked, ``(type, id) ->`` bool, so that a chain is walked once, not
    once per record on it (200,000 agencies in one chain took minutes)."""
    path: list[str] = []
    on_path: set[str] = set()
    current: Record | None = record
    verdict = False
    while current is not None:
        known = verdicts.get((current.TYPE, current.id))
        if known is not None:
            verdict = known
            break
        if current.id in on_path:
            verdict = True
            break
        path.append(current.id)
        on_path.add(current.id)
        nxt = getattr(current, step, None)
        current = catalog.get(record.TYPE, nxt) if nxt is not None else None
    for ident in path:
        verdicts[(record.TYPE, ident)] = verdict
    return verdict


def check_references(catalog: Catalog, skip: Iterable[str] = (), *,
                     unresolved: bool = True) -> list[Problem]:
    """Every dangling or mistyped reference, and every cycle of parents or ``supersedes``.

    Args:
        catalog: the catalogue to check.
        skip: ids of records that failed to load; references to them are not reported again.
        unresolved: report references to ids that no record has (False while some file
            could not be read: those records may be in it).
    """
    skipped = set(skip)
    tables = catalog._by_type
    problems = []
    chains: dict[str, dict[tuple[str, str], bool]] = {"parent": {}, "supersedes": {}}
    for record in catalog:
        for path, ref, target in references(record):
            if ref is None or (target is not None and ref in tables[target]):
                continue  # the common case: a bare id of the right type
            ident = ref.rpartition(":")[2]
            if ident in skipped or not (unresolved or any(
                    ident in table for table in tables.values())):
                continue
            message = _check_ref(catalog, ref, target)
            if message:
                file, line = catalog.where(record)
                problems.append(Problem(file=file, line=line, type=record.TYPE,
                                        record=record.id, field=path, message=message))
        for step in ("parent", "supersedes"):
            if getattr(record, step, None) is not None and _cycle(catalog, record, step,
                                                                  chains[step]):
                file, line = catalog.where(record)
                problems.append(Problem(file=file, line=line, type=record.TYPE,
                                        record=record.id, field=step,
                                        message=f"{step} chain is circular"))
    return problems


