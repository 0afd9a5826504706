"""Atom and RSS 2.0 through feedgen, JSON Feed 1.1 by hand.

feedgen's traps, and what this module does about them:

- it needs aware datetimes: every date comes from the model (always aware), shown in
  the catalogue's zone;
- it prepends entries by default: entries are added with ``order="append"``;
- it defaults ``updated`` / ``lastBuildDate`` to now: both are always set from the data
  (the newest entry), and the generator carries no version;
- it drops every non-self ``atom:link`` from RSS: the hub link goes in through a small
  feedgen extension, as does RFC 5005's ``<fh:archive/>`` marker in archives.

An entry is built once per record and language and may appear in many feeds; its XML
element is built by feedgen on first use and copied afterwards.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from attrs import frozen
from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from .items import Entry

__all__ = ["FeedDoc", "RenderedEntry", "atom_bytes", "json_bytes", "rss_bytes"]

ATOM_NS = "http://www.w3.org/2005/Atom"
HISTORY_NS = "http://purl.org/syndication/history/1.0"
GENERATOR = "govdisclosure"
_TYPE_SCHEME = "https://govdisclosure.example/ns/type"


@frozen(kw_only=True)
class FeedDoc:
    """What a feed document says about itself."""

    id: str
    title: str
    lang: str
    self_url: str
    home_url: str
    updated: dt.datetime
    author: str
    hub: str | None = None
    current: str | None = None
    prev_archive: str | None = None
    next_archive: str | None = None
    archive: bool = False


class _Extension(BaseExtension):  # type: ignore[misc]
    """Puts what feedgen leaves out into the documents: hub link in RSS, fh:archive."""

    hub: str | None = None
    archive: bool = False

    def extend_ns(self) -> dict[str, str]:
        return {"fh": HISTORY_NS} if self.archive else {}

    def extend_atom(self, feed: Any) -> Any:
        if self.archive:
            etree.SubElement(feed, f"{{{HISTORY_NS}}}archive")
        return feed

    def extend_rss(self, feed: Any) -> Any:
        if self.hub:
            channel = feed.find("channel")
            link = etree.SubElement(channel, f"{{{ATOM_NS}}}link")
            link.set("href", self.hub)
            link.set("rel", "hub")
        return feed


class RenderedEntry(FeedEntry):  # type: ignore[misc]
    """A feedgen entry whose Atom and RSS elements are built once and copied into feeds."""

    def __init__(self, entry: Entry) -> None:
        super().__init__()
        item = entry.item
        self.guid(item.tag, permalink=False)
        self.title(entry.title)
        #: (href, attributes) of each Atom link, in order: feedgen 1.0 writes only the href
        self._links: list[dict[str, str]] = []
        if entry.url is not None:  # else the content stands alone (Atom needs one or the other)
            self._add_links({"href": entry.url, "rel": "alternate", "type": "text/html"})
        self.updated(item.updated)
        self.published(item.published)
        self.pubDate(item.published)
        self.author(name=entry.author)
        # RSS readers take <description> as HTML: give them escaped text, never raw text.
        self.description(html.escape(entry.summary or entry.content_text))
        self.content(entry.content_html, type="html")
        if entry.summary:
            self.summary(entry.summary)
        # one call: feedgen rebuilds its category list on each (quadratic in the tags)
        if entry.categories:
            self.category([{"term": term, "scheme": _TYPE_SCHEME} if term == item.type
                           else {"term": term} for term in entry.categories])
        # every attachment in Atom; RSS has room for one: the first (rss_entry). Atom's
        # length is advisory: left out when unknown (RSS, which requires one, says 0)
        self._add_links(*({"href": enclosure.url, "rel": "enclosure",
                           "type": enclosure.media_type,
                           "length": None if enclosure.length is None else str(enclosure.length),
                           "title": enclosure.title} for enclosure in entry.enclosures))
        self._first = entry.enclosures[0] if entry.enclosures else None
        self._atom: Any = None
        self._rss: Any = None

    def _add_links(self, *links: Mapping[str, str | None]) -> None:
        """Add links, their empty attributes left out, in one call: feedgen goes over
        every link it holds on each call (quadratic in the attachments, one at a time)."""
        kept = [{key: value for key, value in link.items() if value} for link in links]
        if kept:
            self._links += kept
            self.link(kept)

    def atom_entry(self, extensions: bool = True) -> Any:
        if self._atom is None:
            self._atom = super().atom_entry(extensions)
            for element, attributes in zip(self._atom.findall("link"),
                                           self._links, strict=True):
                for key in ("rel", "type", "title", "length"):  # the href is there
                    if key in attributes:
                        element.set(key, attributes[key])
        return copy.deepcopy(self._atom)

    def rss_entry(self, extensions: bool = True) -> Any:
        if self._rss is None:
            self._rss = super().rss_entry(extensions)
            element = self._rss.find("enclosure")
            if element is not None and self._first is not None:  # feedgen took the last
                element.set("url", self._first.url)
                element.set("length", str(self._first.length or 0))
                element.set("type", self._first.media_type)
        return copy.deepcopy(self._rss)


def _generator(doc: FeedDoc, entries: Sequence[RenderedEntry], *, rss: bool) -> FeedGenerator:
    fg = FeedGenerator()
    fg.register_extension("govdisclosure", _Extension, None, atom=True, rss=rss)
    ext: _Extension = fg.govdisclosure
    ext.hub = doc.hub
    ext.archive = doc.archive and not rss
    fg.id(doc.id)
    fg.title(doc.title)
    fg.description(html.escape(doc.title) if rss else doc.title)  # RSS: HTML, as items
    fg.language(doc.lang)
    fg.author(name=doc.author)
    fg.generator(GENERATOR)
    fg.updated(doc.updated)  # also lastBuildDate: never feedgen's now()
    fg.link(href=doc.self_url, rel="self",
            type="application/rss+xml" if rss else "application/atom+xml")
    if doc.hub and not rss:
        fg.link(href=doc.hub, rel="hub")
    if not rss:
        for rel, href in (("current", doc.current), ("prev-archive", doc.prev_archive),
                          ("next-archive", doc.next_archive)):
            if href:
                fg.link(href=href, rel=rel)
    fg.link(href=doc.home_url, rel="alternate", type="text/html")  # last: RSS's <link>
    for entry in entries:
        fg.add_entry(entry, order="append")
    return fg


def atom_bytes(doc: FeedDoc, entries: Sequence[RenderedEntry]) -> bytes:
    """The Atom document, entries in the order given."""
    data: bytes = _generator(doc, entries, rss=False).atom_str(pretty=True)
    return data


def rss_bytes(doc: FeedDoc, entries: Sequence[RenderedEntry]) -> bytes:
    """The RSS 2.0 document, entries in the order given."""
    data: bytes = _generator(doc, entries, rss=True).rss_str(pretty=True)
    return data


def json_item(entry: Entry) -> dict[str, Any]:
    """One JSON Feed 1.1 item."""
    item = entry.item
    data: dict[str, Any] = {"id": item.tag}
    if entry.url is not None:
        data["url"] = entry.url
    data |= {
        "title": entry.title,
        "content_html": entry.content_html,
        "content_text": entry.content_text,
    }
    if entry.summary:
        data["summary"] = entry.summary
    data["date_published"] = item.published.isoformat()
    data["date_modified"] = item.updated.isoformat()
    data["authors"] = [{"name": entry.author}]
    data["tags"] = list(entry.categories)
    data["language"] = entry.lang
    if entry.enclosures:
        data["attachments"] = [
            {"url": e.url, "mime_type": e.media_type, **({"title": e.title} if e.title else {}),
             **({"size_in_bytes": e.length} if e.length is not None else {})}
            for e in entry.enclosures]
    extension: dict[str, Any] = {"type": item.type, "id": item.id}
    if item.withdrawn:
        extension["withdrawn"] = True
    data["_govdisclosure"] = extension
    return data


def json_bytes(doc: FeedDoc, items: Sequence[dict[str, Any]]) -> bytes:
    """The JSON Feed 1.1 document."""
    data: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": doc.title,
        "home_page_url": doc.home_url,
        "feed_url": doc.self_url,
        "language": doc.lang,
        "authors": [{"name": doc.author}],
    }
    if doc.hub:
        data["hubs"] = [{"type": "WebSub", "url": doc.hub}]
    data["items"] = list(items)
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"
