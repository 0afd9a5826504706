"""Central selection: the only way records reach a publisher, and their content hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable

import attrs

from ..catalog import Catalog, make_converter
from ..model import Agency, Record, is_publishable, is_tombstone
from .protocol import RecordKey, Tombstone

__all__ = ["Selection", "content_hash", "select"]

_CONVERTER = make_converter("UTC")


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


def content_hash(value: Record | Tombstone) -> str:
    """sha256 of a record's canonical JSON: what decides whether it changed."""
    data = _CONVERTER.unstructure(value, type(value))
    kind = value.TYPE if isinstance(value, Record) else "tombstone"
    text = json.dumps([kind, data], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def select(catalog: Catalog | Iterable[Record], at: dt.datetime, audience: str) -> Selection:
    """Every record ``is_publishable`` lets through, withdrawn ones turned into tombstones.

    Args:
        catalog: the catalogue (or any records).
        at: the aware instant of publication.
        audience: ``public`` or ``internal``.
    """
    records: list[Record] = []
    tombstones: list[Tombstone] = []
    hashes: dict[RecordKey, str] = {}
    known = catalog.digests if isinstance(catalog, Catalog) else {}
    if isinstance(catalog, Catalog):  # same tzinfo as the records': comparisons skip utcoffset()
        at = at.astimezone(catalog.meta.zone)
    for record in catalog:
        if not is_publishable(record, at, audience):
            continue
        if is_tombstone(record):
            stone = tombstone_of(record)
            tombstones.append(stone)
            hashes[stone.key] = content_hash(stone)
        else:
            records.append(record)
            key = (record.TYPE, record.id)
            hashes[key] = known.get(key) or content_hash(record)
    return Selection(tuple(records), tuple(tombstones), hashes)
