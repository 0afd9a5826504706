"""The news publisher: which files a run writes, rewrites and removes (docs/news.md)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar
from urllib.parse import urlsplit

from jinja2 import TemplateError

from ...model import NewsRelease, PressConference, Record
from ...publishing.protocol import BasePublisher, Job, RecordKey, Tombstone
from ..pages import attachment_copies
from .options import NewsOptions
from .render import KEPT, Renderer, dumps, word

__all__ = ["INDEX", "NewsPublisher"]

#: Every release and conference of the run, all languages, newest first: what a wire
#: service polls, and what the next run reads back (each record's conference and uri).
INDEX = "index.json"
SHOWN = frozenset({NewsRelease.TYPE, PressConference.TYPE})
_ERRORS = (ValueError, TypeError, LookupError, TemplateError)


class NewsPublisher(BasePublisher):
    """Press materials: ninjs, plain-text and HTML releases, and press conference folders.

    Serves the ``media`` audience too: the public output plus the releases still under
    embargo, each marked ``EMBARGOED UNTIL`` (the pipeline selects them; see docs/news.md).
    """

    name: ClassVar[str] = "news"
    Options: ClassVar[type[Any]] = NewsOptions
    audiences: ClassVar[tuple[str, ...]] = ("public", "internal", "media")
    version: ClassVar[str] = "7"  # 2: conference pages, attachments (ninjs, pages, text);
    # 3: body links through pages.safe_links, no user information in a body's URLs;
    # 4: an attachment is linked at the site's copy only when the site makes one
    # (pages.attachment_copies), sizeInBytes the copy's size; 5: an edit moves
    # versionCreated and dateModified (Job.modified); 6: Chinese times as 2002年9月26日
    # 10:00（北京时间）, speakers' parts joined with "，"; 7: empty Markdown headings dropped
    # from every format, ninjs HTML bodies rendered as the page's, an embargoed release's
    # versionCreated without publish_at, a conference's with its statements' and without
    # scheduled_at

    def __init__(self, options: NewsOptions | None = None) -> None:
        super().__init__(options or NewsOptions())
        self.options: NewsOptions

    def shows(self, record_type: str) -> bool:
        """News releases and press conferences."""
        return record_type in SHOWN

    def publish(self, job: Job) -> None:
        """Render what the job's changes touch (everything on a full run)."""
        _Run(job, self.options).render()


class _Run:
    """One publication of the news output."""

    def __init__(self, job: Job, options: NewsOptions) -> None:
        self.job = job
        url = options.url or f"{job.base_url}news/"
        self.old = self._old_index()
        self.renderer = Renderer(
            job.catalog, job.meta, job.as_of, url if url.endswith("/") else url + "/",
            job.base_url,
            options.tag_authority or urlsplit(job.base_url).hostname or "localhost",
            {key: row["uri"] for key, row in self.old.items() if row.get("uri")},
            copies=partial(attachment_copies, digests=job.file_digest), revised=job.modified)
        self.releases = [r for r in job.records if isinstance(r, NewsRelease)]
        self.conferences = [r for r in job.records if isinstance(r, PressConference)]
        self.stones = [s for s in job.tombstones if s.type in SHOWN]

    def _old_index(self) -> dict[RecordKey, dict[str, Any]]:
        data = self.job.read(INDEX)
        if data is None:
            return {}
        try:
            rows = json.loads(data)
            return {(row["type"], row["id"]): row for row in rows}
        except (ValueError, TypeError, KeyError):  # not ours: rebuilt from the records
            return {}

    def render(self) -> None:
        job, languages = self.job, self.job.languages
        rendered: set[str] = set()
        dirty: set[str] = set()  # conferences whose statements changed
        for release in self.releases:
            if job.must_render(release):  # an embargo that ended too: select() says so
                self._guarded(release, partial(self._release, release))
                rendered.add(release.id)
                dirty.update(c for c in (release.conference, self._old_conference(release))
                             if c)
        for stone in self.stones:
            if job.must_render(stone):
                self._guarded(stone, partial(self._tombstone, stone))
                if stone.type == NewsRelease.TYPE:
                    dirty.update(c for c in (self._old_conference(stone),) if c)
        for kind, ident in sorted(job.removed):
            if kind in SHOWN:
                self._remove(kind, ident, languages)
                dirty.update(c for c in (self.old.get((kind, ident), {}).get("conference"),)
                             if c)
        for done, conference in enumerate(self.conferences, 1):
            statements = self.renderer.statements(conference, self.releases)
            if (job.must_render(conference) or conference.id in dirty
                    or any(r.id in rendered for r in statements)):
                self._guarded(conference, partial(self._conference, conference, statements))
            job.progress(done, len(self.conferences))
        self._index()

    def _guarded(self, record: Record | Tombstone, render: Callable[[], None]) -> None:
        try:
            render()
        except _ERRORS as exc:
            self.job.fail(record, f"news: {type(exc).__name__}: {exc}")

    def _old_conference(self, record: Record | Tombstone) -> str | None:
        key = (record.type, record.id) if isinstance(record, Tombstone) else (record.TYPE,
                                                                             record.id)
        found: str | None = self.old.get(key, {}).get("conference")
        return found

    # -- one record ----------------------------------------------------------------------------

    def _release(self, record: NewsRelease) -> None:
        r, paths = self.renderer, self.renderer.release_paths(record.id)
        for lang in self.job.languages:
            self.job.write(f"{lang}/{paths['txt']}", r.release_text(record, lang))
            self.job.write(f"{lang}/{paths['html']}", r.release_html(record, lang))
            self.job.write(f"{lang}/{paths['json']}", dumps(r.release_ninjs(record, lang)))

    def _conference(self, record: PressConference, statements: list[NewsRelease]) -> None:
        r, paths = self.renderer, self.renderer.conference_paths(record.id)
        for lang in self.job.languages:
            view = r.conference_view(record, lang, statements)
            parts = r.conference_parts(view, lang)
            for part, text in parts.items():
                self.job.write(f"{lang}/{paths[part]}", text)
            self.job.write(f"{lang}/{paths['html']}", r.conference_html(record, lang, view))
            self.job.write(f"{lang}/{paths['event']}",
                           dumps(r.conference_ninjs(record, lang, parts, statements)))

    def _tombstone(self, stone: Tombstone) -> None:
        """A withdrawn record keeps its paths: its text and page say so, its ninjs is
        ``canceled``; a conference's other parts go."""
        r = self.renderer
        for lang in self.job.languages:
            if stone.type == NewsRelease.TYPE:
                paths = r.release_paths(stone.id)
                self.job.write(f"{lang}/{paths['txt']}", r.tombstone_text(stone, lang))
                self.job.write(f"{lang}/{paths['html']}", r.tombstone_html(stone, lang))
                shown = {"txt": paths["txt"], "html": paths["html"]}
                self.job.write(f"{lang}/{paths['json']}",
                               dumps(r.tombstone_ninjs(stone, lang, shown)))
                continue
            paths = r.conference_paths(stone.id)
            keep = {paths[key] for key in KEPT}
            folder = f"{lang}/conferences/{stone.id}"
            for name in self.job.listdir(folder):
                if f"conferences/{stone.id}/{name}" not in keep:
                    self.job.remove(f"{folder}/{name}")
            self.job.write(f"{lang}/{paths['advisory']}", r.tombstone_text(stone, lang))
            self.job.write(f"{lang}/{paths['html']}", r.tombstone_html(stone, lang))
            self.job.write(f"{lang}/{paths['event']}", dumps(r.tombstone_ninjs(
                stone, lang, {"txt": paths["advisory"], "html": paths["html"]})))

    def _remove(self, kind: str, ident: str, languages: tuple[str, ...]) -> None:
        """Take away every file of a record that left the selection (made secret, say)."""
        for lang in languages:
            if kind == NewsRelease.TYPE:
                for path in self.renderer.release_paths(ident).values():
                    self.job.remove(f"{lang}/{path}")
            else:
                folder = f"{lang}/conferences/{ident}"
                for name in self.job.listdir(folder):
                    self.job.remove(f"{folder}/{name}")

    # -- the index -----------------------------------------------------------------------------

    def _index(self) -> None:
        """``index.json`` and each language's ``index.html`` (rewritten only when their
        bytes change: when a record they list changed)."""
        r, job = self.renderer, self.job
        rows: list[tuple[dt.datetime | dt.date | None, dict[str, Any]]] = []
        for release in self.releases:
            date = r.release_date(release)
            rows.append((date, {
                "type": release.TYPE, "id": release.id, "status": "embargoed"
                if r.embargoed(release) else "released", "date": r.iso(date),
                "embargoed_until": r.iso(release.publish_at) if r.embargoed(release) else None,
                "conference": release.conference
                if r.conference_of(release) is not None else None,
                "uri": r.base_uri(release.TYPE, release.id, r.year(
                    release.issued_at, release.publish_at, release.updated_at)),
                "titles": {lang: r.headline(release, lang) for lang in job.languages},
                "paths": r.release_paths(release.id)}))
        for conference in self.conferences:
            rows.append((conference.scheduled_at, {
                "type": conference.TYPE, "id": conference.id, "status": conference.status,
                "date": r.iso(conference.scheduled_at),
                "uri": r.base_uri(conference.TYPE, conference.id,
                                  r.year(conference.issued_at, conference.scheduled_at)),
                "titles": {lang: r.conference_title(conference, lang)
                           for lang in job.languages},
                "paths": r.conference_paths(conference.id)}))
        for stone in self.stones:
            paths = (r.release_paths(stone.id) if stone.type == NewsRelease.TYPE else {
                key: value for key, value in r.conference_paths(stone.id).items()
                if key in KEPT})
            rows.append((stone.withdrawn.on, {
                "type": stone.type, "id": stone.id, "status": "withdrawn",
                "date": stone.withdrawn.on.isoformat(),
                "withdrawn": {"on": stone.withdrawn.on.isoformat(),
                                            "reason": r.text(stone.withdrawn.reason,
                                               job.meta.default_language)},
                "uri": r.base_uri(stone.type, stone.id, r.year(stone.issued_at, stone.updated_at)
                                  or stone.withdrawn.on.year),
                "titles": {lang: r.tombstone_title(stone, lang) for lang in job.languages},
                "paths": paths}))
        rows.sort(key=lambda row: (row[1]["type"], row[1]["id"]))
        rows.sort(key=lambda row: _sort_key(row[0], r.zone), reverse=True)
        plain = [{key: value for key, value in row.items() if value is not None}
                 for _, row in rows]
        job.write(INDEX, dumps(plain))
        for lang in job.languages:
            shown = []
            for row in plain:
                mark = ""
                if row["status"] == "embargoed":
                    until = dt.datetime.fromisoformat(row["embargoed_until"])
                    mark = word("embargoed", lang, when=r.stamp(until, lang))
                elif row["status"] == "withdrawn":
                    mark = word("withdrawn", lang)
                shown.append({"type": row["type"], "title": row["titles"][lang],
                              "href": row["paths"]["html"], "date": row.get("date"),
                              "mark": mark})
            job.write(f"{lang}/index.html", r.index_html(lang, shown))


def _sort_key(value: dt.datetime | dt.date | None, zone: dt.tzinfo) -> float:
    """Newest first; a date counts as its midnight in the catalogue's zone; undated last."""
    if value is None:
        return float("-inf")
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(), zone)
    return value.timestamp()
