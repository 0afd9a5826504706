"""Central selection: the only way records reach a publisher, and their content hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import attrs
import orjson

from ..catalog import Catalog, CatalogMeta
from ..catalog.catalog import file_digest
from ..model import (
    Agency,
    ApprovalItem,
    Case,
    Hotline,
    HotlineCall,
    Record,
    is_publishable,
    is_tombstone,
)
from .parallel import map_in_workers
from .protocol import RecordKey, StateRow, Tombstone

__all__ = ["CatalogView", "Selection", "content_hash", "select"]

R = TypeVar("R", bound=Record)


@attrs.define
class Selection:
    """The publishable part of a catalogue for one audience at one instant.

    ``keys`` are the chosen records' ``(type, id)``, records then tombstones; ``sources``
    the digest of each one's source (:attr:`Catalog.digests`; None for records not read
    from a file), which :meth:`revisions` uses to skip hashing records whose source did
    not change since they were last published; ``channels`` each one's ``channels``
    (None: every publisher), which :meth:`for_channel` applies; ``files`` a digest of
    the catalogue files each record shows (:attr:`Record.files`), mixed into its hash and
    source digest, so that a new floor plan counts as a change of its hall; for the
    ``media`` audience, a release under embargo has a mark saying so mixed in too, so that
    the end of its embargo counts as a change of the release (its text, its ninjs item),
    receipted ``updated``.
    """

    records: tuple[Record, ...]
    tombstones: tuple[Tombstone, ...]
    keys: list[RecordKey]
    sources: list[bytes | None]
    workers: int = 1
    channels: list[tuple[str, ...] | None] | None = None
    files: dict[RecordKey, bytes] = attrs.field(factory=dict)
    _hashed: dict[RecordKey, str] = attrs.field(factory=dict)

    def for_channel(self, name: str) -> Selection:
        """What the publisher ``name`` may show: the records whose ``channels`` name it or
        are not set (MODEL.md: "subset of publisher names; default: all")."""
        channels = self.channels
        if channels is None or all(c is None or name in c for c in channels):
            return self
        keep = [i for i, c in enumerate(channels) if c is None or name in c]
        count = len(self.records)
        # a case or call only with its item or hotline, which its channels may leave out
        parents = {self.keys[i] for i in keep if i < count}
        keep = [i for i in keep if i >= count or _has_parent(self.records[i], parents)]
        records = tuple(self.records[i] for i in keep if i < count)
        stones = tuple(self.tombstones[i - count] for i in keep if i >= count)
        return Selection(records, stones, [self.keys[i] for i in keep],
                         [self.sources[i] for i in keep], self.workers,
                         [channels[i] for i in keep], self.files,
                         self._hashed)  # hashes are shared

    @property
    def hashes(self) -> dict[RecordKey, str]:
        """``(type, id) -> content hash`` of every chosen record (records, then tombstones)."""
        return self.revisions({})[0]

    def revisions(self, known: Mapping[RecordKey, StateRow],
                  ) -> tuple[dict[RecordKey, str], dict[RecordKey, StateRow]]:
        """:attr:`hashes`, and the rows that ``known`` does not confirm.

        Args:
            known: ``(type, id) -> (hash, source digest)`` as the state store holds them
                for a target: a record whose source digest is the same there takes the
                stored hash instead of being hashed again.

        Returns:
            ``(hashes, fresh)``: every record's hash, and the ``(hash, source)`` rows that
            differ from ``known`` (records new, changed, or read from another source).
        """
        keys, sources, hashed = self.keys, self.sources, self._hashed
        hashes: dict[RecordKey, str] = {}
        fresh: list[int] = []
        for i, key in enumerate(keys):
            entry = known.get(key)
            source = sources[i]
            if entry is not None and source is not None and entry[1] == source:
                hashes[key] = entry[0]
            else:
                hashes[key] = hashed.get(key, "")
                fresh.append(i)
        todo = [i for i in fresh if not hashes[keys[i]]]
        chosen: tuple[Record | Tombstone, ...] = (*self.records, *self.tombstones)
        computed = map_in_workers(content_hash, [chosen[i] for i in todo], self.workers)
        files = self.files
        for i, digest in zip(todo, computed, strict=True):
            extra = files.get(keys[i])
            hashes[keys[i]] = hashed[keys[i]] = digest if extra is None else _mix(digest, extra)
        rows = ((keys[i], (hashes[keys[i]], sources[i])) for i in fresh)
        return hashes, {key: row for key, row in rows if known.get(key) != row}


def tombstone_of(record: Record) -> Tombstone:
    """The tombstone of a withdrawn record: no body, summary or attachments."""
    assert record.withdrawn is not None  # noqa: S101 - guaranteed by the model's validator
    return Tombstone(
        type=record.TYPE,
        id=record.id,
        agency=record.id if isinstance(record, Agency) else getattr(record, "agency", None),
        title=record.label,
        withdrawn=record.withdrawn,
        issued_at=record.issued_at,
        updated_at=record.updated_at,
        category=getattr(record, "category", None),
    )


def _plain(value: object) -> object:
    """orjson's fallback for what it does not serialize itself: attrs instances, Decimal."""
    if isinstance(value, Decimal):
        return str(value)
    fields = getattr(value, "__attrs_attrs__", None)
    if fields is None:
        raise TypeError(f"cannot hash {type(value).__name__}")
    plain = {field.name: getattr(value, field.name) for field in fields}
    if isinstance(value, Tombstone):
        # hashed as before tombstones kept a category (which only says where the notice
        # is listed): an upgrade does not publish every withdrawal again (receipts,
        # feed dates, closed archives, webhook deliveries)
        del plain["category"]
    return plain


def _plain_json(value: object) -> object:
    """:func:`_plain` for the standard library's encoder, which takes no dates either."""
    return value.isoformat() if isinstance(value, dt.date) else _plain(value)


def content_hash(value: Record | Tombstone, files: bytes | None = None) -> str:
    """sha256 of a record's canonical JSON (sorted keys): what decides whether it changed;
    ``files`` is the digest of the catalogue files it shows (:func:`files_digest`).

    orjson serializes every field in C, calling back only for nested attrs values, so
    hashing 100k records costs about a second; records loaded from files and records
    built in memory hash alike.
    """
    kind = value.TYPE if isinstance(value, Record) else "tombstone"
    try:
        data = orjson.dumps([kind, value], default=_plain, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # an integer beyond 64 bits (a byte count of 10**21)
        data = json.dumps([kind, value], default=_plain_json, sort_keys=True,
                          ensure_ascii=False).encode()
    digest = hashlib.sha256(data).hexdigest()
    return digest if files is None else _mix(digest, files)


def _mix(digest: str, files: bytes) -> str:
    return hashlib.sha256(digest.encode() + files).hexdigest()


def select(catalog: Catalog | Iterable[Record], at: dt.datetime, audience: str, *,
           workers: int = 1) -> Selection:
    """Every record ``is_publishable`` lets through, withdrawn ones turned into tombstones;
    a case or hotline call only with its (live) item or hotline, and never as a tombstone.

    Args:
        catalog: the catalogue (or any records).
        at: the aware instant of publication.
        audience: ``public``, ``internal`` or ``media`` (the public selection plus the
            news releases that only their embargo keeps from it: :func:`is_publishable`).
        workers: processes to hash the records in, when they are hashed (a large number
            is hashed in forked workers even with 1, to keep the hashing's leftovers out
            of this process).
    """
    records: list[Record] = []
    tombstones: list[Record] = []
    source_of: Callable[[Record], bytes | None] = lambda record: None  # noqa: E731
    if isinstance(catalog, Catalog):  # same tzinfo as the records': comparisons skip utcoffset()
        at = at.astimezone(catalog.meta.zone)
        source_of = catalog.source_digest
    for record in catalog:
        if is_publishable(record, at, audience):
            (tombstones if is_tombstone(record) else records).append(record)
    records, tombstones = _with_parents(records, tombstones)
    chosen = (*records, *tombstones)
    keys = [(record.TYPE, record.id) for record in chosen]
    sources = [source_of(record) for record in chosen]
    channels = [record.channels for record in chosen]
    files: dict[RecordKey, bytes] = {}
    root = catalog.root if isinstance(catalog, Catalog) else None
    early = audience == "media"  # news releases under embargo are selected too
    if root is not None or early:
        for i, record in enumerate(records):
            extra = files_digest(root, record.files) if root is not None and record.files else b""
            if early and record.publish_at is not None and record.publish_at > at:
                extra += _EMBARGOED
            if extra:
                files[keys[i]] = extra
                source = sources[i]
                if source is not None:
                    sources[i] = hashlib.sha256(source + extra).digest()
    return Selection(tuple(records), tuple(tombstone_of(r) for r in tombstones), keys,
                     sources, workers, channels, files)


class CatalogView:
    """The catalogue as one publisher will receive it, for its optional ``check_catalog``
    hook, which the pipeline calls before any publisher of a run starts (and
    ``govdisclosure validate`` too): look-ups over the live records that :func:`select`
    hands that publisher, as ``job.catalog`` offers them, asked record by record.

    The whole catalogue stays private: a publisher sees only ``root``, ``meta`` and the
    records it would receive (ADAPTERS.md: never a record ``is_publishable`` rejects).

    Attributes:
        name: the publisher, the channel that records' ``channels`` name.
        audience: the audience of the run (``validate``: ``public``).
        as_of: the instant of publication; None (``validate``): no particular instant, so
            that no embargo keeps a record out.
    """

    def __init__(self, catalog: Catalog, name: str, audience: str,
                 as_of: dt.datetime | None = None) -> None:
        self._catalog = catalog
        self.name = name
        self.audience = audience
        self.as_of = as_of

    @property
    def root(self) -> Path | None:
        """The catalogue folder, if the catalogue was loaded from one."""
        return self._catalog.root

    @property
    def meta(self) -> CatalogMeta:
        """The catalogue's metadata."""
        return self._catalog.meta

    def get(self, type_name: str, ident: str) -> Record | None:
        """The record, if the publisher receives it live (not withdrawn)."""
        record = self._catalog.get(type_name, ident)
        return record if record is not None and self._live(record) else None

    def of_type(self, cls: type[R]) -> list[R]:
        """The records of one class that the publisher receives live, by id."""
        return [record for record in self._catalog.of_type(cls) if self._live(record)]

    def _live(self, record: Record) -> bool:
        """Whether ``select(...).for_channel(name)`` keeps ``record`` as a live record."""
        if (not is_publishable(record, self.as_of or _ANY_TIME, self.audience)
                or is_tombstone(record)
                or (record.channels is not None and self.name not in record.channels)):
            return False
        link = _PARENTS.get(record.TYPE)
        return link is None or self.get(link[1], getattr(record, link[0])) is not None


#: The instant of a :class:`CatalogView` without one: later than any embargo.
_ANY_TIME = dt.datetime.max.replace(tzinfo=dt.UTC)


#: Records published only through another one (MODEL.md: cases as result notices and
#: statistics of their item, calls only in aggregate, by hotline): type -> (field, type).
_PARENTS = {Case.TYPE: ("item", ApprovalItem.TYPE), HotlineCall.TYPE: ("hotline", Hotline.TYPE)}


def _with_parents(records: list[Record], tombstones: list[Record],
                  ) -> tuple[list[Record], list[Record]]:
    """Leave out the cases and calls whose item or hotline is not selected and live (a
    secret or withdrawn hotline's calls must not show in any count or topic list), and
    their tombstones: they are shown only through their parent, never one by one."""
    parents = {(r.TYPE, r.id) for r in records if r.TYPE in (ApprovalItem.TYPE, Hotline.TYPE)}
    return ([r for r in records if _has_parent(r, parents)],
            [r for r in tombstones if r.TYPE not in _PARENTS])


def _has_parent(record: Record, parents: set[RecordKey]) -> bool:
    """Whether a record is no case or call, or its item or hotline is among ``parents``."""
    link = _PARENTS.get(record.TYPE)
    return link is None or (link[1], getattr(record, link[0])) in parents


#: What :func:`select` mixes into the hash of a release it selects under embargo.
_EMBARGOED = b"\0under embargo"


def files_digest(root: Path, paths: Iterable[str]) -> bytes:
    """A digest of catalogue files by path and content (a missing one counts as such)."""
    digest = hashlib.sha256()
    for path in paths:
        found = file_digest(root, path)
        digest.update(path.encode() + b"\0")
        digest.update(b"-" if found is None else bytes.fromhex(found.sha256))
    return digest.digest()
