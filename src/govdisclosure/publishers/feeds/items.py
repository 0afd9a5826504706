"""What a feed shows of a record: its dates, its scopes and its text, per language.

Everything here is a pure function of the record (or tombstone) and the catalogue
metadata: no clock, no I/O, so that the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
import zoneinfo
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from attrs import Factory, evolve, field, frozen
from markdown_it import MarkdownIt

from ...model import Record, Text, localize
from ...publishing import Tombstone
from ..labels import type_label
from ..pages import (
    AttachmentFile,
    attachment_size,
    attachment_url,
    clean,
    safe_links,
    without_empty_headings,
    without_userinfo,
)

__all__ = [
    "Entry",
    "Item",
    "clean",
    "item_of_record",
    "item_of_tombstone",
    "markdown_html",
    "scopes_of",
    "tag_authority",
]

#: Characters XML 1.0 forbids (C0 controls but tab/LF/CR, surrogates, U+FFFE/F) and C1
#: controls (allowed but never meant as text); removed from every text that is shown.

# Raw HTML off: markup in a body is shown as text; links and images: safe_links.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")

#: Dates that stand for first publication when neither publish_at nor issued_at is given.
_PUBLISHED_FALLBACK: dict[str, tuple[str, ...]] = {
    "press_conference": ("scheduled_at",),
    "consultation": ("opens_at", "scheduled_at"),
    "allocation": ("before.published_at", "during.published_at", "after.published_at"),
    "approval_item": ("catalogue.approved_on", "review.on"),
    "hotline": ("opened_on",),
    "suggestion": ("responded_at", "received_at"),
    "complaint": ("received_at",),
    "accountability_record": ("decided_on",),
    "evaluation": ("published_on",),
}
#: Later events of a record's own lifecycle that count as an update.
_UPDATE_DATES: dict[str, tuple[str, ...]] = {
    "allocation": ("before.published_at", "during.published_at", "after.published_at"),
    "consultation": ("outcome_published_at",),
    "suggestion": ("responded_at",),
    "complaint": ("resolved_at",),
    "accountability_record": ("decided_on",),
}


def markdown_html(text: str, base: str) -> str:
    """Markdown rendered to HTML with raw HTML disabled (so hostile markup stays text),
    links and images through :func:`~govdisclosure.publishers.pages.safe_links` (resolved
    against ``base``, the site's; no user information, no unsafe scheme)."""
    return safe_links(without_empty_headings(_MARKDOWN.render(clean(text))), base)


def tag_authority(base_url: str, override: str | None) -> str:
    """The host part of entry tag URIs."""
    return override or urlsplit(base_url).hostname or "localhost"


@frozen
class Item:
    """One feed entry, independent of language: identity, dates and scopes."""

    type: str
    id: str
    agency: str | None
    category: str | None
    tag: str
    published: dt.datetime
    updated: dt.datetime
    scopes: tuple[str, ...]
    source: Record | Tombstone
    #: ``YYYY-MM`` of ``updated`` (in the catalogue's zone): its archive. Computed once:
    #: archiving asks for it of every item of every scope.
    month: str = field(init=False, default=Factory(
        lambda self: f"{self.updated.year:04d}-{self.updated.month:02d}", takes_self=True))

    @property
    def key(self) -> tuple[str, str]:
        """``(type, id)``."""
        return (self.type, self.id)

    @property
    def withdrawn(self) -> bool:
        """Whether the entry announces a withdrawal."""
        return isinstance(self.source, Tombstone)


@frozen
class Enclosure:
    """An attachment as feeds carry it (Atom ``rel="enclosure"``, RSS ``<enclosure>``,
    JSON Feed ``attachments``): an http(s) URL, never another scheme."""

    url: str
    title: str
    media_type: str
    length: int | None


@frozen
class Entry:
    """One item rendered in one language: plain strings, ready for any format."""

    item: Item
    lang: str
    title: str
    url: str | None  # None: the record has no page to link (docs/feeds.md)
    summary: str
    content_html: str
    content_text: str
    author: str
    categories: tuple[str, ...]
    enclosures: tuple[Enclosure, ...] = ()


def scopes_of(kind: str, agency: str | None, category: str | None) -> tuple[str, ...]:
    """Every scope whose feed shows an entry of this type, agency and category."""
    scopes = ["all", f"type/{kind}"]
    if agency:
        # not agency/<agency>/<kind>: the folder of agency 'x.atom' would meet agency x's file
        scopes += [f"agency/{agency}", f"agency-type/{agency}/{kind}"]
    if category:
        scopes.append(f"category/{category}")
    return tuple(scopes)


def _value(record: object, path: str) -> object:
    value: object = record
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def _instant(value: object, zone: dt.tzinfo) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value.astimezone(zone)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), zone)
    return None


def _instants(record: object, paths: Iterable[str], zone: dt.tzinfo) -> list[dt.datetime]:
    found = (_instant(_value(record, path), zone) for path in paths)
    return [value for value in found if value is not None]


def _tag(authority: str, year: int, kind: str, ident: str) -> str:
    """``tag:`` URI of an entry: the authority's own date if it has one, else the year."""
    if "," in authority:
        return f"tag:{authority}:{kind}/{ident}"
    return f"tag:{authority},{year:04d}:{kind}/{ident}"


def item_of_record(record: Record, zone: zoneinfo.ZoneInfo, authority: str) -> Item | None:
    """The item of a live record, or None when it has no date to place it in time (its
    dates as the record gives them: :func:`capped` keeps them from the future)."""
    kind = record.TYPE
    fallback = _instants(record, _PUBLISHED_FALLBACK.get(kind, ()), zone)
    first_candidates = _instants(record, ("issued_at", "publish_at"), zone) + fallback
    if not first_candidates:
        return None
    published = (_instant(record.publish_at, zone) or _instant(record.issued_at, zone)
                 or fallback[0])
    later = _instants(record, ("updated_at", *_UPDATE_DATES.get(kind, ())), zone)
    later += [change.at.astimezone(zone) for change in record.changes if change.major]
    updated = max([published, *later])
    agency: str | None = getattr(record, "agency", None)
    category: str | None = getattr(record, "category", None)
    first = _instant(record.issued_at, zone) or min(first_candidates)
    return Item(type=kind, id=record.id, agency=agency, category=category,
                tag=_tag(authority, first.year, kind, record.id), published=published,
                updated=updated, scopes=scopes_of(kind, agency, category), source=record)


def capped(item: Item, as_of: dt.datetime) -> Item:
    """``item`` with ``published`` and ``updated`` no later than ``as_of``: a conference
    scheduled for next week, announced without an ``issued_at``, is published now at the
    latest (its id keeps the year of its own date)."""
    if item.updated <= as_of:
        return item
    return evolve(item, published=min(item.published, as_of), updated=as_of)


def item_of_tombstone(stone: Tombstone, zone: zoneinfo.ZoneInfo, authority: str) -> Item:
    """The item of a withdrawn record: same id, ``updated`` at the withdrawal."""
    withdrawn = dt.datetime.combine(stone.withdrawn.on, dt.time(), zone)
    issued = _instant(stone.issued_at, zone)
    updated = max([*_instants(stone, ("issued_at", "updated_at"), zone), withdrawn])
    first = issued or _instant(stone.updated_at, zone) or withdrawn
    # in every feed of the live record, its category's too (docs/feeds.md)
    return Item(type=stone.type, id=stone.id, agency=stone.agency, category=stone.category,
                tag=_tag(authority, first.year, stone.type, stone.id),
                published=issued or withdrawn, updated=updated,
                scopes=scopes_of(stone.type, stone.agency, stone.category), source=stone)


_WORDS: dict[str, dict[str, str]] = {
    "withdrawn": {"zh": "已撤回：{title}", "en": "Withdrawn: {title}"},
    "withdrawn_text": {"zh": "{on} 撤回。理由：{reason}",
                       "en": "Withdrawn on {on}. Reason: {reason}"},
}


def word(name: str, lang: str, **values: str) -> str:
    """A fixed phrase in ``lang`` (Chinese for ``zh*``, English otherwise)."""
    table = _WORDS[name]
    return table["zh" if lang.lower().startswith("zh") else "en"].format(**values)


def entry_of(item: Item, lang: str, default: str, *, url: str | None, author: str,
             base: str = "", copies: Mapping[str, AttachmentFile] | None = None) -> Entry:
    """The entry of ``item`` in ``lang`` (falling back to the default language); relative
    attachment and link URLs are resolved against ``base``, the site's; ``copies`` are the
    site's copies of the record's attachments (``pages.attachment_copies``): the
    enclosures of those are the copies."""
    source = item.source
    kinds = (item.type, *((item.category,) if item.category else ()))
    if isinstance(source, Tombstone):
        title = clean(localize(source.title, lang, default)) or f"{item.type}:{item.id}"
        text = word("withdrawn_text", lang, on=source.withdrawn.on.isoformat(),
                    reason=clean(localize(source.withdrawn.reason, lang, default)))
        return Entry(item=item, lang=lang, title=word("withdrawn", lang, title=title),
                     url=url, summary=text, content_html=f"<p>{html.escape(text)}</p>\n",
                     content_text=text, author=author, categories=kinds)
    title = clean(localize(source.label, lang, default)).strip() or _fallback_title(
        item, lang, author)
    summary = clean(localize(source.summary, lang, default))
    body = _text(source.body, lang, default)
    if body:
        content_html, content_text = markdown_html(body, base), without_userinfo(clean(body))
    elif summary:
        content_html, content_text = f"<p>{html.escape(summary)}</p>\n", summary
    else:
        content_html, content_text = f"<p>{html.escape(title)}</p>\n", title
    categories = (*kinds, *(clean(tag) for tag in source.tags if clean(tag).strip()))
    return Entry(item=item, lang=lang, title=title, url=url, summary=summary,
                 content_html=content_html, content_text=content_text, author=author,
                 categories=tuple(dict.fromkeys(categories)),
                 enclosures=_enclosures(source, lang, default, base, copies or {}))


def _enclosures(record: Record, lang: str, default: str, base: str,
                copies: Mapping[str, AttachmentFile]) -> tuple[Enclosure, ...]:
    found = []
    for attachment in record.attachments:
        link = attachment_url(attachment, copies, base)
        if link is None:
            continue
        found.append(Enclosure(url=link, title=clean(localize(attachment.title, lang, default)),
                               media_type=clean(attachment.media_type or "")
                               or "application/octet-stream",
                               length=attachment_size(attachment, copies)))
    return tuple(found)


def _fallback_title(item: Item, lang: str, author: str) -> str:
    """A title for a record type without one (evaluation): type, year and agency."""
    year = getattr(item.source, "year", None)
    parts = [type_label(item.type, lang), *([str(year)] if year else []), author]
    return " · ".join(part for part in parts if part)


def _text(text: Text | None, lang: str, default: str) -> str:
    return localize(text, lang, default).strip()
