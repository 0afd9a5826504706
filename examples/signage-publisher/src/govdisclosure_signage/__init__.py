"""A signage vendor's publisher: flat JSON datasets, one row per record, per language."""

from __future__ import annotations

import json
from typing import Any

import attrs

import govdisclosure as gd

__all__ = ["SignageOptions", "SignagePublisher"]


@attrs.frozen(kw_only=True)
class SignageOptions:
    """Options from ``[publish.signage]``."""

    limit: int = 20
    types: tuple[str, ...] = ("disclosure", "news_release", "hotline", "approval_item")


class SignagePublisher(gd.BasePublisher):
    """Writes ``signage/<language>/<type>.json`` datasets and a page per record."""

    name = "signage"
    Options = SignageOptions
    audiences = ("public",)
    version = "1"

    def shows(self, record_type: str) -> bool:
        """Only the types of the datasets appear here, live or withdrawn (and only they get
        ledger receipts and count in the report)."""
        types: tuple[str, ...] = self.options.types
        return record_type in types

    def publish(self, job: gd.Job) -> None:
        """Render the datasets; a record's own file (or its tombstone's) only when it
        changed, and only for the types it shows."""
        options: SignageOptions = self.options
        for language in job.languages:
            for kind in options.types:
                rows = [self._row(record, language, job) for record in job.records
                        if record.TYPE == kind]
                rows.sort(key=lambda row: (row["date"] or "", row["id"]), reverse=True)
                job.write(f"{language}/{kind}.json", _json(rows[: options.limit]))
            for record in job.records:
                if self.shows(record.TYPE) and job.must_render(record):
                    job.write(f"{language}/records/{record.TYPE}/{record.id}.json",
                              _json(self._row(record, language, job)))
            for stone in job.tombstones:
                if self.shows(stone.type) and job.must_render(stone):
                    job.write(f"{language}/records/{stone.type}/{stone.id}.json", _json({
                        "id": stone.id, "type": stone.type, "withdrawn": True,
                        "title": _text(stone.title, language, job),
                        "reason": _text(stone.withdrawn.reason, language, job),
                    }))
            for kind, ident in job.removed:
                job.remove(f"{language}/records/{kind}/{ident}.json")

    @staticmethod
    def _row(record: gd.Record, language: str, job: gd.Job) -> dict[str, Any]:
        when = record.issued_at or record.publish_at
        return {
            "id": record.id,
            "type": record.TYPE,
            "title": _text(record.label, language, job),
            "summary": _text(record.summary, language, job),
            "date": when.isoformat() if when else None,
        }


def _text(text: gd.Text | None, language: str, job: gd.Job) -> str:
    """``text`` in ``language`` for a screen: without control characters and bidi
    overrides, which JSON would carry to the player (a U+202E turns "gnp.exe" around)."""
    return gd.clean(gd.localize(text, language, job.meta.default_language))


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
