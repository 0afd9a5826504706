"""The pushed documents: the public view of a record, as JSON.

A record is never copied wholesale: its references are resolved through the job's
catalogue (which holds only what is public here) and those that do not resolve are left
out; the fields MODEL.md keeps private unless a flag says otherwise are left out; URLs
are made absolute and safe (a catalogue file the site copies becomes the copy) or left
out; paths of catalogue files that are not attachments (floor plans, staff photos) are
left out; every string is rid of control characters and bidi overrides, and the URLs in
it (a Markdown body's links) of user information.
"""

from __future__ import annotations

import json
from typing import Any

from ...catalog.catalog import ref_key, references
from ...catalog.converter import default_converter
from ...model import AccountabilityRecord, Record, Suggestion
from ...publishing import Job, Tombstone
from ..pages import attachment_copies, clean, safe_url, without_userinfo

__all__ = ["SCHEMA", "document", "encode", "record_view", "tombstone_view"]

#: The ``schema`` of every document (a new number for a change receivers must know of).
SCHEMA = "govdisclosure-webhook/1"
#: Fields that hold paths of catalogue files, never URLs (shown by the site only).
_FILE_FIELDS = frozenset({"plan", "photo"})
#: Fields that only say how a record is routed or guarded inside the catalogue.
_INTERNAL_FIELDS = frozenset({"classification", "channels"})

Json = Any


def encode(document: dict[str, Json]) -> bytes:
    """A document as UTF-8 JSON: keys sorted, two-space indent, a final newline."""
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2)
            + "\n").encode("utf-8")


def document(*, action: str, kind: str, ident: str, revision: str | None, as_of: str,
             audience: str, record: dict[str, Json] | None) -> dict[str, Json]:
    """The document pushed for one record (``record`` None for a removal)."""
    return {"schema": SCHEMA, "action": action, "type": kind, "id": ident,
            "revision": revision or None, "as_of": as_of, "audience": audience,
            "record": record}


def record_view(job: Job, record: Record) -> dict[str, Json]:
    """What the public may know of a live record (see the module docstring)."""
    data: dict[str, Json] = default_converter().unstructure(record)
    for name in _INTERNAL_FIELDS:
        data.pop(name, None)
    if isinstance(record, AccountabilityRecord) and not record.name_public:
        data.pop("subject_name", None)
    if isinstance(record, AccountabilityRecord) and record.source and ":" not in record.source \
            and job.catalog.get("complaint", record.source) is None \
            and job.catalog.get("evaluation", record.source) is None:
        # a bare id: a public complaint or evaluation, or one not public (its id must not
        # show), or another system's: only the first is known to be safe (as on the site)
        data.pop("source", None)
    if isinstance(record, Suggestion) and not record.credit_public:
        data.pop("credit_name", None)
    gone = []
    for path, ref, kind in references(record):
        if ref and not _resolves(job, ref, kind):
            gone.append(path.split("."))
    # the last first: removing list item 3 before item 1 keeps the indexes of the others
    for parts in sorted(gone, key=_order, reverse=True):
        _remove(data, parts)
    copies = {url: f"{job.base_url}{file.target}" for url, file in
              attachment_copies(record, job.file_digest).items()}
    result: dict[str, Json] = _public(data, job.base_url, copies)
    return result


def tombstone_view(job: Job, stone: Tombstone) -> dict[str, Json]:
    """What a withdrawn record still shows: its title, agency, dates and withdrawal."""
    data: dict[str, Json] = {
        "title": stone.title, "withdrawn": default_converter().unstructure(stone.withdrawn),
        "issued_at": stone.issued_at.isoformat() if stone.issued_at else None,
        "updated_at": stone.updated_at.isoformat() if stone.updated_at else None,
    }
    if stone.agency and job.catalog.agency(stone.agency) is not None:
        data["agency"] = stone.agency
    result: dict[str, Json] = _public({k: v for k, v in data.items() if v is not None},
                                      job.base_url, {})
    return result


def _resolves(job: Job, ref: str, kind: str | None) -> bool:
    target, ident = ref_key(ref, kind)
    catalog = job.catalog
    return (catalog.get(target, ident) if target else catalog.resolve(ident)) is not None


def _order(parts: list[str]) -> list[tuple[int, int | str]]:
    return [(0, int(part)) if part.isdigit() else (1, part) for part in parts]


def _remove(data: Json, parts: list[str]) -> None:
    """Leave out the value at ``parts`` (a list item is taken out of its list)."""
    *parents, last = parts
    for part in parents:
        data = data[int(part)] if part.isdigit() and isinstance(data, list) else (
            data.get(part) if isinstance(data, dict) else None)
        if data is None:
            return
    if isinstance(data, list) and last.isdigit() and int(last) < len(data):
        del data[int(last)]
    elif isinstance(data, dict):
        data.pop(last, None)


def _is_url_field(name: str) -> bool:
    return name in ("url", "website") or name.endswith("_url")


def _public(value: Json, base: str, copies: dict[str, str]) -> Json:
    """``value`` with clean strings (no user information in a URL of a text: a Markdown
    body's links), safe URLs and no catalogue file paths."""
    if isinstance(value, str):
        return without_userinfo(clean(value))
    if isinstance(value, list):
        return [_public(item, base, copies) for item in value]
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if key in _FILE_FIELDS:
                continue
            if _is_url_field(key) and isinstance(item, str):
                url = safe_url(copies.get(item, item), base)
                if url is not None:
                    result[clean(key)] = url
                continue
            result[clean(key)] = _public(item, base, copies)
        return result
    return value
