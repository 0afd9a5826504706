"""Central selection: the only way records reach a publisher, and their content hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from decimal import Decimal

import attrs
import orjson

from ..catalog import Catalog
from ..model import Agency, Record, is_publishable, is_tombstone
from .parallel import map_in_workers
from .protocol import RecordKey, Tombstone

__all__ = ["Selection", "content_hash", "select"]


@attrs.frozen
class Selection:
    """The publishable part of a catalogue for one audience at one instant."""

    records: tuple[Record, ...]
    tombstones: tuple[Tombstone, ...]
    hashes: dict[RecordKey, str]


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
    )


def _plain(value: object) -> object:
    """orjson's fallback for what it does not serialize itself: attrs instances, Decimal."""
    if isinstance(value, Decimal):
        return str(value)
    fields = getattr(value, "__attrs_attrs__", None)
    if fields is None:
        raise TypeError(f"cannot hash {type(value).__name__}")
    return {field.name: getattr(value, field.name) for field in fields}


def content_hash(value: Record | Tombstone) -> str:
    """sha256 of a record's canonical JSON (sorted keys): what decides whether it changed.

    orjson serializes every field in C, calling back only for nested attrs values, so
    hashing 100k records costs about a second; records loaded from files and records
    built in memory hash alike.
    """
    kind = value.TYPE if isinstance(value, Record) else "tombstone"
    data = orjson.dumps([kind, value], default=_plain, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(data).hexdigest()


def select(catalog: Catalog | Iterable[Record], at: dt.datetime, audience: str, *,
           workers: int = 1) -> Selection:
    """Every record ``is_publishable`` lets through, withdrawn ones turned into tombstones.

    Args:
        catalog: the catalogue (or any records).
        at: the aware instant of publication.
        audience: ``public`` or ``internal``.
        workers: processes to hash the records in (a large selection is hashed in forked
            workers even with 1, to keep the hashing's leftovers out of this process).
    """
    records: list[Record] = []
    tombstones: list[Tombstone] = []
    if isinstance(catalog, Catalog):  # same tzinfo as the records': comparisons skip utcoffset()
        at = at.astimezone(catalog.meta.zone)
    for record in catalog:
        if not is_publishable(record, at, audience):
            continue
        if is_tombstone(record):
            tombstones.append(tombstone_of(record))
        else:
            records.append(record)
    chosen: list[Record | Tombstone] = [*records, *tombstones]
    digests = map_in_workers(content_hash, chosen, workers)
    keys = [(r.TYPE, r.id) if isinstance(r, Record) else r.key for r in chosen]
    return Selection(tuple(records), tuple(tombstones), dict(zip(keys, digests, strict=True)))
