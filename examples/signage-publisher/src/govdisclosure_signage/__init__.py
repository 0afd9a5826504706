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
        """Only the types of the datasets appear here (ledger receipts and the report)."""
        types: tuple[str, ...] = self.options.types
        return record_type in types

    def publish(self, job: gd.Job) -> None:
        """Render the datasets; a record's own file only when it changed."""
        options: SignageOptions = self.options
        for language in job.languages:
            for kind in options.types:
                rows = [self._row(record, language, job) for record in job.records
                        if record.TYPE == kind]
                rows.sort(key=lambda row: (row["date"] or "", row["id"]), reverse=True)
                job.write(f"{language}/{kind}.json", _json(rows[: options.limit]))
            for record in job.records:
                if record.TYPE in options.types and job.must_render(record):
                    job.write(f"{language}/records/{record.TYPE}/{record.id}.json",
                              _json(self._row(record, language, job)))
            for stone in job.tombstones:
                if job.must_render(stone):
                    job.write(f"{language}/records/{stone.type}/{stone.id}.json", _json({
                        "id": stone.id, "type": stone.type, "withdrawn": True,
                        "title": gd.localize(stone.title, language, job.meta.default_language),
                        "reason": gd.localize(stone.withdrawn.reason, language,
                                              job.meta.default_language),
                    }))
            for kind, ident in job.removed:
                job.remove(f"{language}/records/{kind}/{ident}.json")

    @staticmethod
    def _row(record: gd.Record, language: str, job: gd.Job) -> dict[str, Any]:
        default = job.meta.default_language
        when = record.issued_at or record.publish_at
        return {
            "id": record.id,
            "type": record.TYPE,
            "title": gd.localize(record.label, language, default),
            "summary": gd.localize(record.summary, language, default),
            "date": when.isoformat() if when else None,
        }


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
