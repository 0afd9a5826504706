"""The feeds publisher: which feeds exist, what they hold, and which to (re)write."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
from collections.abc import Iterable
from functools import cached_property
from typing import Any, ClassVar

import attrs
from lxml import etree

from ...errors import PublishError
from ...model import Agency, localize
from ...publishing import BasePublisher, Job, Tombstone
from ...publishing.protocol import RecordKey
from ..labels import category_label, type_label
from ..pages import attachment_copies, page_path
from . import archives
from .items import (
    Item,
    capped,
    clean,
    entry_of,
    item_of_record,
    item_of_tombstone,
    scopes_of,
)
from .items import tag_authority as _authority
from .options import NEVER_ENTRIES, FeedsOptions
from .render import FeedDoc, RenderedEntry, atom_bytes, json_bytes, json_item, rss_bytes
from .websub import HubPingFailure, ping_hub

__all__ = ["INDEX", "FeedsPublisher"]

#: Where the publisher keeps ``type, id, agency, category`` of every entry of the last
#: run, so that an incremental run also re-renders the feeds a record has left.
INDEX = "scope-index.json"
FORMATS = ("atom", "rss", "json")


class FeedsPublisher(BasePublisher):
    """RSS 2.0, Atom and JSON Feed 1.1 per scope and language, with monthly archives.

    Attributes:
        hub_failures: the WebSub pings of the last :meth:`publish` that failed every
            retry (also logged as warnings); a failed ping never fails the publication.
        pinged: the feed URLs of the last run that were sent to the hub.
    """

    name: ClassVar[str] = "feeds"
    Options: ClassVar[type[Any]] = FeedsOptions
    audiences: ClassVar[tuple[str, ...]] = ("public", "internal")
    version: ClassVar[str] = "13"  # 2: default language at the top; 3: no dead links to the
    # site; 4: attachments as enclosures, Atom links with their rel and type; 5: attachments
    # that are catalogue files link to the site's copies; 6: no entry dated after as_of,
    # an empty feed of everything, no feeds of an agency that is not public; 7 (never set:
    # 6 stayed): body links and images through pages.safe_links (no user information),
    # content_text without it; 8: an enclosure is the site's copy only when the site makes
    # one (pages.attachment_copies), its length the copy's size; 9: an edit moves
    # `updated` to its publication (Job.modified); 10: agency-type/<agency>/<type>, not
    # agency/<agency>/<type> (agency 'x.atom' met agency x's file); 11: a withdrawal stays
    # in its category's feeds, and replaces the entry in the closed archives that held it;
    # 12: no empty headings (a "###" line) in content_html; 13: no Atom enclosure length
    # when the size is unknown (it said 0)

    def __init__(self, options: FeedsOptions | None = None) -> None:
        super().__init__(options or FeedsOptions())
        self.options: FeedsOptions
        self.hub_failures: list[HubPingFailure] = []
        self.pinged: list[str] = []
        self._run: _Run | None = None

    def shows(self, record_type: str) -> bool:
        """The types that become entries (``types``; never cases or hotline calls)."""
        return record_type in self.options.types and record_type not in NEVER_ENTRIES

    def shown(self, job: Job) -> set[RecordKey]:
        """The records that have an entry (not one without any date): with ``archives``
        every one (a closed month's archive holds all its entries), else those among the
        ``limit`` newest of some feed."""
        run = self._run if self._run is not None and self._run.job is job else _Run(
            job, self.options)
        return run.shown()

    def publish(self, job: Job) -> None:
        """Render the feeds the job's changes touch (every feed on a full run)."""
        run = self._run = _Run(job, self.options)
        run.render()
        self.pinged = run.changed_urls
        self.hub_failures = []

    def after_switch(self, job: Job) -> list[str]:
        """Ping the hub once the new feeds are live (so it fetches them, not the old ones)."""
        if self.options.hub and self.pinged:
            self.hub_failures = ping_hub(
                self.options.hub, self.pinged, timeout_s=self.options.hub_timeout_s,
                retries=self.options.hub_retries, batch=self.options.hub_batch)
        return [f"WebSub hub {failure.hub}: {failure.error} after {failure.attempts} attempts"
                for failure in self.hub_failures]


class _Run:
    """One publication: the items, their scopes, and the documents to write."""

    def __init__(self, job: Job, options: FeedsOptions) -> None:
        self.job = job
        self.options = options
        self.zone = job.meta.zone
        self.default = job.meta.default_language
        base = options.feeds_url or f"{job.base_url}feeds/"
        self.feeds_url = base if base.endswith("/") else base + "/"
        self.current_month = _month(job.as_of.astimezone(self.zone))
        self.changed_urls: list[str] = []
        self._entries: dict[tuple[tuple[str, str], str], tuple[RenderedEntry, dict[str, Any]]]
        self._entries = {}
        self._notices: dict[tuple[RecordKey, str], Any] = {}
        self.refresh: set[tuple[str, str]] = set()  # entries whose dates moved with as_of
        self.items = self._items()
        self.by_scope: dict[str, list[Item]] = {}
        for item in self.items:
            for scope in item.scopes:
                self.by_scope.setdefault(scope, []).append(item)

    # -- what is in the feeds ----------------------------------------------------------------

    def _items(self) -> list[Item]:
        job, authority = self.job, _authority(self.job.base_url, self.options.tag_authority)
        wanted = set(self.options.types) - NEVER_ENTRIES
        as_of = job.as_of.astimezone(self.zone)
        # dates later than either instant read differently at the other one: their scopes
        # change with the instant alone (a scheduled conference's entry, published now)
        moved = job.previous_as_of
        before = min(moved, as_of) if moved is not None and moved != as_of else None
        items: list[Item] = []
        for record in job.records:
            if record.TYPE in wanted:
                item = item_of_record(record, self.zone, authority)
                if item is not None:
                    item = self._revised(item)
                    if before is not None and item.updated > before:
                        self.refresh.add(item.key)
                    items.append(capped(item, as_of))
        items += [self._revised(item_of_tombstone(stone, self.zone, authority))
                  for stone in job.tombstones if stone.type in wanted]
        # an agency that is not public has no feeds: its id would name their files
        shown = self._public_agencies
        items = [item if item.agency is None or item.agency in shown else attrs.evolve(
            item, agency=None, scopes=scopes_of(item.type, None, item.category))
            for item in items]
        # Newest first by `updated`; equal instants by type:id (docs/feeds.md).
        items.sort(key=lambda item: (item.type, item.id))
        items.sort(key=lambda item: item.updated, reverse=True)
        return items

    def _revised(self, item: Item) -> Item:
        """``item`` updated when this target published the record's current revision, if
        that is later than its own dates (:meth:`Job.modified`: an edit without a date of
        its own, a new title, still moves ``updated``)."""
        updated = self.job.modified(item.source, item.updated)
        if updated is None or updated == item.updated:
            return item
        return attrs.evolve(item, updated=updated)

    def shown(self) -> set[RecordKey]:
        """:meth:`FeedsPublisher.shown`."""
        if self.options.archives:
            return {item.key for item in self.items}
        limit = self.options.limit
        return {item.key for items in self.by_scope.values() for item in items[:limit]}

    def _affected(self) -> set[str]:
        """Scopes to re-render: every one on a full run, else those a change touches."""
        if self.job.full:
            return set(self.by_scope)
        by_key = {item.key: item for item in self.items}
        old = self._old_index
        affected: set[str] = set()
        agencies = {ident for kind, ident in self.job.touched if kind == Agency.TYPE}
        for key in self.job.touched | self.refresh:
            if key in by_key:
                affected.update(by_key[key].scopes)
            if key in old:
                affected.update(scopes_of(key[0], *old[key][0][:2]))  # where it was last run
        if agencies:  # an agency's name is in its feeds' titles and its entries' authors
            for item in self.items:
                if item.agency in agencies:
                    affected.update(item.scopes)
        return affected

    @cached_property
    def _old_index(self) -> dict[tuple[str, str], tuple[Placement, ...]]:
        """``(type, id) -> (agency, category, archive month)`` of the last run, first, then
        every earlier one it was archived under (a record moved to another agency, category
        or month stays in the archives of the old ones)."""
        data = self.job.read(INDEX)
        if data is None:
            return {}
        old: dict[tuple[str, str], tuple[Placement, ...]] = {}
        for row in json.loads(data):
            now = (row[2], row[3], row[4] if len(row) > 4 else None)
            earlier = tuple(tuple(p) for p in row[5]) if len(row) > 5 else ()
            old[(row[0], row[1])] = (now, *earlier)
        return old

    def _edits(self) -> dict[str, dict[str, dict[RecordKey, Item | None]]]:
        """Scope -> archive month -> the entries to change in that closed archive, and
        what each becomes (:meth:`_edited`): nothing (None: its record is no longer
        public: made secret, internal, deleted), its withdrawal notice (a withdrawn
        record's tombstone), or itself without the name of an agency that is no longer
        public (a live record's).

        A closed archive is never rewritten otherwise: privacy outranks RFC 5005's
        immutability. The placements come from the scope index, every one a record was
        archived under (:attr:`_old_index`), also those it has left since; the withdrawn
        records are those withdrawn in this run (:attr:`Job.updated`, on a full run too),
        whose content leaves the archives that held it. An agency scope of an agency that
        is no longer public loses every archive (:meth:`_hidden`).
        """
        current = {item.key: item for item in self.items}
        edits: dict[str, dict[str, dict[RecordKey, Item | None]]] = {}
        for key, placements in self._old_index.items():
            now = current.get(key)
            for agency, category, month in placements:
                if month and self._gone(now, (agency, category, month)):
                    for scope in scopes_of(key[0], agency, category):
                        edits.setdefault(scope, {}).setdefault(month, {})[key] = now
        updated = self.job.updated
        for scope, months in self._withdrawn_places.items():
            for month, items in months.items():
                for item in items:
                    if item.key in updated:
                        edits.setdefault(scope, {}).setdefault(month, {})[item.key] = item
        return edits

    def _hidden(self, scope: str) -> bool:
        """Whether ``scope`` is one of an agency that is no longer public (its id would
        name the files)."""
        kind, _, rest = scope.partition("/")
        return kind in ("agency", "agency-type") and (
            rest.partition("/")[0] not in self._public_agencies)

    @cached_property
    def _public_agencies(self) -> set[str]:
        """The agencies the feeds may name: live ones, and withdrawn ones by their notice."""
        agencies = {r.id for r in self.job.records if r.TYPE == Agency.TYPE}
        agencies.update(s.id for s in self.job.tombstones if s.type == Agency.TYPE)
        return agencies

    def _gone(self, now: Item | None, placement: Placement) -> bool:
        """Whether an entry must leave the archives of a place it was archived under: it
        left the feeds, or its agency there is no longer public. A withdrawn one stays,
        as its withdrawal notice (:meth:`_withdrawn_places`)."""
        agency = placement[0]
        return now is None or (agency is not None and agency not in self._public_agencies)

    @cached_property
    def _earlier(self) -> dict[RecordKey, list[Placement]]:
        """``(type, id) ->`` the other places an entry was archived under and stays in (not
        those purged this run), sorted: a record moved to another agency, category or
        month (an edit moves it to the current month) is still in the old archives. A
        place of the same month whose scopes the current one covers is no other place
        (the category a tombstone did not carry before)."""
        old = self._old_index
        found: dict[RecordKey, list[Placement]] = {}
        for item in self.items:
            now = (item.agency, item.category, item.month)
            earlier = {p for p in old.get(item.key, ()) if p != now and not self._gone(item, p)
                       and not (p[2] == item.month
                                and set(scopes_of(item.type, *p[:2])) <= set(item.scopes))}
            if earlier:  # rare (a record that moved): no sort for the others
                found[item.key] = sorted(earlier, key=lambda p: tuple(part or "" for part in p))
        return found

    @cached_property
    def _withdrawn_places(self) -> dict[str, dict[str, list[Item]]]:
        """Scope -> month -> the withdrawn entries archived there before, besides their
        current month: a closed archive that held a record's entry holds its withdrawal
        notice (same id) once it is withdrawn, never its content, and is not deleted
        for it (MODEL.md: a tombstone, never a silent removal)."""
        found: dict[str, dict[str, list[Item]]] = {}
        for item in self.items:
            if item.withdrawn:
                for agency, category, month in self._earlier.get(item.key, ()):
                    if month:
                        for scope in scopes_of(item.type, agency, category):
                            found.setdefault(scope, {}).setdefault(month, []).append(item)
        return found

    def _archived(self, scope: str) -> dict[str, list[Item]]:
        """Month -> the entries of ``scope``'s archive of that month: those of the month,
        and the withdrawal notices of entries it held before, newest first."""
        by_month: dict[str, list[Item]] = {}
        for item in self.by_scope.get(scope, ()):
            by_month.setdefault(item.month, []).append(item)
        for month, stones in self._withdrawn_places.get(scope, {}).items():
            items = by_month.setdefault(month, [])
            known = {item.key for item in items}
            items += [stone for stone in stones if stone.key not in known]
            items.sort(key=lambda item: (item.type, item.id))
            items.sort(key=lambda item: item.updated, reverse=True)
        return by_month

    def _earlier_months(self) -> dict[str, set[str]]:
        """Scope -> the months of archives that hold an entry only as it was before."""
        months: dict[str, set[str]] = {}
        for (kind, _), places in self._earlier.items():
            for agency, category, month in places:
                if month:
                    for scope in scopes_of(kind, agency, category):
                        months.setdefault(scope, set()).add(month)
        return months

    def _index_bytes(self) -> bytes:
        rows = []
        for item in self.items:
            row: list[Any] = [item.type, item.id, item.agency, item.category, item.month]
            earlier = self._earlier.get(item.key)
            if earlier:
                row.append(earlier)
            rows.append(row)
        rows.sort(key=lambda row: (row[0], row[1]))
        return (json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "\n").encode()

    # -- rendering -----------------------------------------------------------------------------

    def render(self) -> None:
        affected = self._affected()
        renewed = self._archives() if self.options.archives else set()
        # the feed of everything is always there, if empty: a subscriber gets no 404
        empty = {_EVERYTHING} if _EVERYTHING not in self.by_scope and (
            self.job.full or not self.job.exists(self._path(self.job.languages[0],
                                                            _EVERYTHING, "atom"))) else set()
        scopes = sorted(affected | renewed | empty)
        for done, scope in enumerate(scopes, 1):
            items = self.by_scope.get(scope)
            for lang in self.job.languages:
                if items or scope == _EVERYTHING:
                    self._subscription(scope, lang, items or [])
                else:
                    for ext in FORMATS:
                        self.job.remove(self._path(lang, scope, ext))
            self.job.progress(done, len(scopes))
        self.job.write(INDEX, self._index_bytes())

    def _subscription(self, scope: str, lang: str, items: list[Item]) -> None:
        top = [pair for pair in (self._entry(item, lang) for item in items[: self.options.limit])
               if pair is not None]
        if not top and scope != _EVERYTHING:
            return
        months: list[str] = []
        if self.options.archives:  # those of its entries and of notices archived before
            months = self._closed_months(itertools.chain(
                (item.month for item in items), self._withdrawn_places.get(scope, ())))
        # an empty feed was last updated when it was made
        updated = items[0].updated if items else self.job.as_of.astimezone(self.zone)
        doc = self._doc(scope, lang, updated, self._url(lang, scope, "atom"),
                        prev_archive=self._archive_url(lang, scope, months[-1]) if months
                        else None)
        rendered = [pair[0] for pair in top]
        self._put(self._path(lang, scope, "atom"), doc, lambda: atom_bytes(doc, rendered))
        rss_doc = _replace(doc, self_url=self._url(lang, scope, "rss"))
        self._put(self._path(lang, scope, "rss"), rss_doc, lambda: rss_bytes(rss_doc, rendered))
        json_doc = _replace(doc, self_url=self._url(lang, scope, "json"))
        self._put(self._path(lang, scope, "json"), json_doc,
                  lambda: json_bytes(json_doc, [pair[1] for pair in top]))

    def _archives(self) -> set[str]:
        """Write every closed month's archive that is not there yet, and edit those that
        hold an entry :meth:`_edits` changes; the scopes whose archives changed."""
        renewed: set[str] = set()
        edits = self._edits()
        before = self._earlier_months()
        scopes = set(self.by_scope) | set(edits) | set(self._withdrawn_places) | set(before)
        for scope in sorted(scopes):
            by_month = self._archived(scope)
            months = self._closed_months(by_month)
            changes = edits.get(scope, {})
            # archives that hold entries only as they were, and those an edit leaves as
            # they are: a full run keeps them too
            kept = (before.get(scope, set()) | set(changes)) - set(months)
            for lang in self.job.languages:
                if self._hidden(scope):
                    for month in sorted(changes):
                        self.job.remove(self._archive_path(lang, scope, month))
                    renewed.add(scope)
                    continue
                edited, dropped = self._edited(scope, lang, changes, set(months),
                                               set(months) | kept)
                if edited or dropped:
                    renewed.add(scope)
                for month, data in sorted(edited.items()):
                    self.job.write(self._archive_path(lang, scope, month), data)
                for month in sorted(dropped):
                    self.job.remove(self._archive_path(lang, scope, month))
                for month in sorted(kept - edited.keys() - dropped):
                    if self.job.exists(self._archive_path(lang, scope, month)):
                        self.job.keep(self._archive_path(lang, scope, month))
                for index, month in enumerate(months):
                    path = self._archive_path(lang, scope, month)
                    if month in edited:
                        continue
                    if month not in dropped and self.job.exists(path):
                        self.job.keep(path)  # a closed month is never rewritten
                        continue
                    renewed.add(scope)
                    self._archive(scope, lang, month, by_month[month], months, index, path)
        return renewed

    def _edited(self, scope: str, lang: str, changes: dict[str, dict[RecordKey, Item | None]],
                months: set[str], known: set[str]) -> tuple[dict[str, bytes], set[str]]:
        """Apply ``changes`` (month -> :meth:`_edits`) to the archives of ``scope`` in
        ``lang`` that hold those entries, every other entry as it was: month -> the new
        bytes of each archive edited, and the months whose archive has no entry left.
        Those are deleted, or written again from the catalogue when a record has been
        dated into that month since (``months``, as a missing month is); the archives
        among ``known`` that link to a deleted one link past it instead."""
        docs: dict[str, Any] = {}  # month -> root, None: no archive (or not one we read)
        raw: dict[str, bytes | None] = {}
        dirty: set[str] = set()
        dropped: set[str] = set()

        def read(month: str) -> bytes | None:
            if month not in raw:
                raw[month] = self.job.read(self._archive_path(lang, scope, month))
            return raw[month]

        def load(month: str) -> Any:
            if month not in docs:
                data = read(month)
                try:
                    docs[month] = None if data is None else archives.parse(data)
                except ValueError as exc:
                    self.job.warn(f"feeds: {self._archive_path(lang, scope, month)} is no "
                                  f"archive this publisher wrote ({exc})")
                    docs[month] = None
            return docs[month]

        for month in sorted(changes):
            root = load(month)
            if root is None:
                if read(month) is not None:  # not one to edit: written again or deleted
                    dropped.add(month)
                continue
            if not self._apply(root, changes[month], lang):
                continue
            if archives.entries(root):
                archives.settle_updated(root)
                dirty.add(month)
                continue
            dropped.add(month)
            dirty.discard(month)
            if month in months:
                continue
            url = self._archive_url(lang, scope, month)
            needle = self._archive_path(lang, scope, month).encode()
            prev, after = archives.link(root, "prev-archive"), archives.link(root, "next-archive")
            for other in sorted(known - dropped):
                data = read(other)
                if other not in docs and (data is None or needle not in data):
                    continue
                neighbour = load(other)
                if neighbour is None:
                    continue
                for rel, target in (("prev-archive", prev), ("next-archive", after)):
                    if archives.link(neighbour, rel) == url:
                        archives.set_link(neighbour, rel, target)
                        dirty.add(other)
        return {month: archives.serialize(docs[month]) for month in dirty}, dropped

    def _apply(self, root: Any, changes: dict[RecordKey, Item | None], lang: str) -> bool:
        """Change the entries of ``changes`` in the archive ``root``; whether any was there."""
        changed = False
        for entry in archives.entries(root):
            key = archives.entry_key(entry)
            if key is None or key not in changes:
                continue
            item = changes[key]
            if item is not None and not item.withdrawn:  # its agency is no longer public
                changed = archives.renamed_author(entry, self._publisher(lang)) or changed
                continue
            notice = self._notice(item, lang) if item is not None else None
            if item is not None and notice is None:
                continue  # its notice failed (job.failures): the entry stays for a retry
            archives.remove(root, entry)
            changed = True
            if notice is not None:
                archives.insert_entry(root, notice)
        return changed

    def _notice(self, item: Item, lang: str) -> Any:
        """The Atom entry element of ``item`` (a withdrawal notice), as an archive holds
        it; None if the item could not be rendered (it failed)."""
        key = (item.key, lang)
        if key not in self._notices:
            pair = self._entry(item, lang)
            element = None
            if pair is not None:
                doc = self._doc(_EVERYTHING, lang, item.updated,
                                self._url(lang, _EVERYTHING, "atom"), archive=True)
                try:
                    data = atom_bytes(doc, [pair[0]])
                except (ValueError, TypeError, etree.Error) as exc:
                    raise PublishError(f"feeds: cannot render the withdrawal of "
                                       f"{item.type} '{item.id}': {exc}",
                                       publisher="feeds") from exc
                element = archives.entries(archives.parse(data))[0]
            self._notices[key] = element
        found = self._notices[key]
        return None if found is None else copy.deepcopy(found)

    def _archive(self, scope: str, lang: str, month: str, items: list[Item], months: list[str],
                 index: int, path: str) -> None:
        """Write the archive of ``month``, whose entries are ``items``."""
        pairs = [self._entry(item, lang) for item in items]  # the items of this month
        rendered = [pair[0] for pair in pairs if pair is not None]
        if not rendered:
            return
        doc = self._doc(
            scope, lang, max(item.updated for item in items),
            self._archive_url(lang, scope, month), archive=True,
            current=self._url(lang, scope, "atom"),
            prev_archive=self._archive_url(lang, scope, months[index - 1]) if index else None,
            next_archive=(self._archive_url(lang, scope, months[index + 1])
                          if index + 1 < len(months) else None))
        self._put(path, doc, lambda: atom_bytes(doc, rendered), ping=False)

    def _put(self, path: str, doc: FeedDoc, make: Any, *, ping: bool = True) -> None:
        try:
            data: bytes = make()
        except (ValueError, TypeError, etree.Error) as exc:
            raise PublishError(f"feeds: cannot render {path}: {exc}", publisher="feeds") from exc
        if ping and (self.job.full or self.job.read(path) != data):
            self.changed_urls.append(doc.self_url)
        self.job.write(path, data)

    def _entry(self, item: Item, lang: str) -> tuple[RenderedEntry, dict[str, Any]] | None:
        key = (item.key, lang)
        cached = self._entries.get(key)
        if cached is None:
            if item.key in self.job.failures:
                return None
            try:
                url = self._entry_url(item, lang)
                source = item.source
                copies = (None if isinstance(source, Tombstone)
                          else attachment_copies(source, self.job.file_digest))
                entry = entry_of(item, lang, self.default, url=url,
                                 author=self._author(item.agency, lang),
                                 base=self.job.base_url, copies=copies)
                cached = (RenderedEntry(entry), json_item(entry))
            except (ValueError, TypeError) as exc:  # feedgen rejects a value: this record only
                self.job.fail(item.source if isinstance(item.source, Tombstone)
                              else item.key, f"feeds: {exc}")
                return None
            self._entries[key] = cached
        return cached

    # -- names and addresses -------------------------------------------------------------------

    def _entry_url(self, item: Item, lang: str) -> str | None:
        """An entry's link: ``entry_url`` filled in; none when it names the site's page
        (``{page}``) of a record whose ``channels`` leave the site out."""
        template = self.options.entry_url
        channels = getattr(item.source, "channels", None)
        if channels is not None and "site" not in channels and "{page}" in template:
            return None
        return template.format(base_url=self.job.base_url, lang=lang, type=item.type,
                               id=item.id, page=page_path(item.type, item.id))

    def _closed_months(self, months: Iterable[str]) -> list[str]:
        """The closed ones of ``months`` (each once), oldest first."""
        return sorted({month for month in months if month < self.current_month})

    def _path(self, lang: str, scope: str, ext: str) -> str:
        """A subscription feed's file: the default language's at the top (ADAPTERS.md:
        ``feeds/<scope>.atom``), the others in a folder of their own (``feeds/en/...``)."""
        return f"{scope}.{ext}" if lang == self.default else f"{lang}/{scope}.{ext}"

    def _archive_path(self, lang: str, scope: str, month: str) -> str:
        return self._path(lang, f"archive/{scope}/{month}", "atom")

    def _url(self, lang: str, scope: str, ext: str) -> str:
        return f"{self.feeds_url}{self._path(lang, scope, ext)}"

    def _archive_url(self, lang: str, scope: str, month: str) -> str:
        return f"{self.feeds_url}{self._archive_path(lang, scope, month)}"

    def _author(self, agency: str | None, lang: str) -> str:
        record = self.job.catalog.get(Agency.TYPE, agency) if agency else None
        if record is not None:
            return clean(localize(record.label, lang, self.default)) or agency or ""
        return self._publisher(lang)

    def _publisher(self, lang: str) -> str:
        meta = self.job.meta
        name = meta.publisher.name if meta.publisher else meta.name
        return clean(localize(name, lang, self.default)) or "govdisclosure"

    def _title(self, scope: str, lang: str) -> str:
        site = clean(localize(self.job.meta.name, lang, self.default)).strip() or "govdisclosure"
        parts = scope.split("/")
        if parts[0] == "type":
            label = type_label(parts[1], lang)
        elif parts[0] == "category":
            label = category_label(parts[1], lang)
        elif parts[0] in ("agency", "agency-type"):
            label = self._author(parts[1], lang) if self.job.catalog.get(
                Agency.TYPE, parts[1]) else parts[1]
            if len(parts) == 3:
                label = f"{label} · {type_label(parts[2], lang)}"
        else:
            return site
        return f"{site} · {label}"

    def _doc(self, scope: str, lang: str, updated: dt.datetime, self_url: str, *,
             archive: bool = False, current: str | None = None, prev_archive: str | None = None,
             next_archive: str | None = None) -> FeedDoc:
        return FeedDoc(id=self._url(lang, scope, "atom"), title=self._title(scope, lang),
                       lang=lang, self_url=self_url, home_url=f"{self.job.base_url}{lang}/",
                       updated=updated, author=self._publisher(lang), hub=self.options.hub,
                       current=current, prev_archive=prev_archive, next_archive=next_archive,
                       archive=archive)


#: The scope of every entry.
_EVERYTHING = "all"
#: Where an entry was archived: ``(agency, category, month)``.
Placement = tuple[str | None, str | None, str | None]


def _month(moment: dt.datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def _replace(doc: FeedDoc, **changes: Any) -> FeedDoc:
    return attrs.evolve(doc, **changes)
