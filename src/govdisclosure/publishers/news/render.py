"""What the news publisher writes of one record in one language: pure functions of the
record, the catalogue look-ups and ``as_of`` (no clock, no I/O but the catalogue files
the site's copies are decided on: ``Renderer.copies``), so that the same input gives the
same bytes.

Plain text is made safe here (:func:`line`, :func:`block`, :func:`seal`): control
characters, bidi overrides and line separators go, and no line of catalogue text can pose
as the ``###`` that ends a release. HTML is Jinja2's, autoescaped; JSON is ``json.dumps``'s.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping
from itertools import pairwise
from typing import Any

from attrs import frozen
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

from ...catalog import Catalog, CatalogMeta
from ...model import Attachment, NewsRelease, PressConference, Record, Text, localize
from ...model.news import PressContact
from ...publishing import Tombstone
from ..labels import category_label, direction, type_label, written_date
from ..pages import (
    AttachmentFile,
    attachment_size,
    attachment_url,
    clean,
    safe_links,
    script_safe,
    without_userinfo,
)

__all__ = ["END", "NINJS", "ConferenceView", "Renderer", "block", "line", "seal"]

#: The last line of every plain-text release and advisory (the wire convention).
END = "###"
#: What every ninjs item says it conforms to.
NINJS = {"name": "ninjs", "version": "3.2",
         "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_3.2.json#"}

# Line breaks of every kind: in one-line fields they become spaces, in blocks newlines
# (clean() would drop NEL, VT and FF, gluing the words on either side together).
_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85\x0b\x0c]")
# Raw HTML off (markup in a body stays text), images off (no tracking pixel in a page a
# journalist opens); links: safe_links.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")
# The markers of an empty ATX heading, at the end of the line the parser found it on.
_EMPTY_HEADING = re.compile(r"#+(?:[ \t]+#+)*[ \t]*$")
#: The names of the zone of Beijing time (Asia/Shanghai and its tz links): a Chinese text
#: says 北京时间, as Chinese readers write it; another zone keeps its name.
_BEIJING = frozenset({"Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin",
                      "PRC"})

_WORDS: dict[str, tuple[str, str]] = {  # name -> (Chinese, English)
    "immediate": ("即时发布", "FOR IMMEDIATE RELEASE"),
    "embargoed": ("禁发至 {when}，此前不得发布或播发", "EMBARGOED UNTIL {when}"),
    "withdrawn": ("已撤回，请勿使用", "WITHDRAWN - DO NOT USE"),
    "withdrawn_text": ("{on}撤回。理由：{reason}", "Withdrawn on {on}. Reason: {reason}"),
    "contacts": ("新闻联系人：", "Media contacts:"),
    "phone": ("电话：", "Tel: "),
    "email": ("电子邮件：", "Email: "),
    "address": ("地址：", "Address: "),
    "hours": ("时间：", "Hours: "),
    "about": ("关于{agency}", "About {agency}"),
    "about_us": ("关于我们", "About us"),
    "advisory": ("采访通知", "MEDIA ADVISORY"),
    "cancelled": ("已取消", "CANCELLED"),
    "when": ("时间：", "When: "),
    "where": ("地点：", "Where: "),
    "organiser": ("主办：", "Organiser: "),
    "speakers": ("发布人", "Speakers"),
    "agenda": ("议程", "Agenda"),
    "statements": ("新闻通稿", "Statements"),
    "qa": ("答记者问", "Questions and answers"),
    "question": ("问：", "Q: "),
    "answer": ("答：", "A: "),
    "outlet": ("（{outlet}）", " ({outlet})"),
    "no_answer": ("（未记录回答）", "(no answer recorded)"),
    "none": ("（无）", "(none)"),
    "conference": ("发布会：", "Press conference: "),
    "formats": ("其他格式：", "Other formats: "),
    "index": ("新闻发布", "Press materials"),
    "status": ("状态：", "Status: "),
    "status_scheduled": ("已安排", "Scheduled"),
    "status_held": ("已举行", "Held"),
    "status_cancelled": ("已取消", "Cancelled"),
    "attachment": ("附件{n}", "Attachment {n}"),
    "attachments": ("附件：", "Attachments:"),
    "comma": ("，", ", "),
    # a note after a line (a speaker, an embargo): 内容（李淑琴）, Item (Li Shuqin)
    "aside_open": ("（", " ("), "aside_close": ("）", ")"),
}
#: The parts of a press conference folder, in the order of its ninjs associations.
PARTS = ("advisory", "agenda", "speakers", "statements", "qa")
#: What a withdrawn conference keeps (the others go): the notice, its page, its ninjs.
KEPT = ("advisory", "html", "event")
#: ninjs ``type`` of an attachment by the main type of its media type (else none is said).
_NATURES = {"image": "picture", "audio": "audio", "video": "video"}


def _latest(record: object, *dates: dt.datetime | None) -> dt.datetime | None:
    """The latest of ``dates``, None for none (a :class:`Renderer`'s default ``revised``)."""
    found = [date for date in dates if date is not None]
    return max(found) if found else None


def _zh(lang: str) -> bool:
    return lang.lower().startswith("zh")


def day_text(day: dt.date, lang: str) -> str:
    """A day as the language writes it: ``2002年10月12日``, else ``2002-10-12``."""
    return written_date(day, chinese=True) if _zh(lang) else day.isoformat()


def aside(text: str, lang: str) -> str:
    """``text`` in brackets after a line, as the language writes them."""
    return word("aside_open", lang) + text + word("aside_close", lang)


def word(name: str, lang: str, **values: str) -> str:
    """A fixed phrase in ``lang`` (Chinese for ``zh*``, English otherwise)."""
    pair = _WORDS[name]
    return (pair[0] if _zh(lang) else pair[1]).format(**values)


def line(text: str) -> str:
    """One line of plain text: no control or bidi characters, breaks become spaces, runs of
    white space one space."""
    return " ".join(clean(_BREAKS.sub(" ", text)).split())


def block(text: str) -> str:
    """Paragraphs of plain text: as :func:`line` but keeping single blank lines between
    paragraphs; a line that would read as the closing ``###`` is escaped (``\\###``). A
    Markdown body's source reads as such: its URLs lose their user information."""
    lines: list[str] = []
    for raw in without_userinfo(clean(_BREAKS.sub("\n", text))).split("\n"):
        row = raw.rstrip()
        if _is_mark(row):
            row = "\\" + row.strip()  # '#', '###', '#####': never the end marker
        if row or (lines and lines[-1]):
            lines.append(row)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _is_mark(row: str) -> bool:
    """A line that would read as the closing ``###``: only ``#`` (and spaces)."""
    return bool(row.strip()) and not row.strip().strip("#")


def page_paragraphs(text: str, lead: str = "") -> list[list[str]]:
    """:func:`block` text for an HTML page: paragraphs of lines (shown with ``<br>``),
    a ``###`` line as written (only plain text needs it escaped), ``lead`` before the
    first line."""
    found = [[row[1:] if row.startswith("\\") and _is_mark(row[1:]) else row
              for row in paragraph.split("\n")]
             for paragraph in text.split("\n\n") if paragraph]
    if found:
        found[0][0] = lead + found[0][0]
    return found


def seal(text: str) -> str:
    """A plain-text document: ``text``, a blank line and the closing ``###`` line. A line of
    ``text`` made only of ``#`` (a headline, a name, a title ``###``) is escaped
    (``\\###``), so that ``###`` is exactly one line, the last."""
    lines = ["\\" + row.strip() if _is_mark(row) else row for row in text.split("\n")]
    return "\n".join(lines) + "\n\n" + END + "\n"


def markdown_source(text: str) -> str:
    """A Markdown field (a body, a boilerplate) as every format reads it: cleaned, its line
    breaks newlines (U+2028 and U+2029 too, as in :func:`block`), and without its empty
    headings. A line such as ``###`` is a heading with no text to Markdown, which names no
    section of a page, and looks like the line that ends a plain-text release: it is
    dropped from the page, the ninjs item and the text alike. Its line is left blank (in a
    quote or list, its container's marker stays), so that what stood on either side stays
    apart."""
    source = clean(_BREAKS.sub("\n", text))
    if "#" not in source:
        return source
    tokens = _MARKDOWN.parse(source)
    empty = [token.map[0] for token, inline in pairwise(tokens)
             if token.type == "heading_open" and token.map and not inline.content.strip()]
    if not empty:
        return source
    lines = source.split("\n")
    for row in empty:
        lines[row] = _EMPTY_HEADING.sub("", lines[row])
    return "\n".join(lines)


def markdown_html(text: str, base: str) -> Markup:
    """A Markdown field (:func:`markdown_source`) as HTML, raw HTML and images disabled
    (hostile markup stays text), links through
    :func:`~govdisclosure.publishers.pages.safe_links` (resolved against ``base``, the
    site's; no user information, no unsafe scheme)."""
    # markdown-it escapes the text; safe_links escapes the URLs it writes
    return Markup(safe_links(_MARKDOWN.render(markdown_source(text)), base))  # noqa: S704


def _prune(value: dict[str, Any]) -> dict[str, Any]:
    """Drop None and empty values of a JSON object (ninjs and JSON-LD omit what is unknown)."""
    return {key: item for key, item in value.items() if item not in (None, "", [], {})}


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("govdisclosure.publishers.news", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    env.policies["json.dumps_function"] = _script_dumps  # the JSON-LD in a <script>
    return env


@frozen(kw_only=True)
class ConferenceView:
    """What a press conference's text parts and page show in one language, as safe plain
    text (the page escapes it once more).

    Attributes:
        title: never empty.
        banner: the advisory's first line(s): ``MEDIA ADVISORY`` (and ``CANCELLED``), in
            English, then in the language.
        facts: ``(label, value)``: when (always, first), where, organiser, status (the
            unknown left out).
        summary: paragraphs, or ''.
        speakers: one line each: name, title, agency.
        agenda: ``(HH:MM or '', point, speaker or '')``.
        statements: ``(release, headline, embargo end or None)``.
        qa: ``(question with its outlet, answer paragraphs or '')``.
    """

    title: str
    banner: tuple[str, ...]
    facts: tuple[tuple[str, str], ...]
    summary: str
    speakers: tuple[str, ...]
    agenda: tuple[tuple[str, str, str], ...]
    statements: tuple[tuple[NewsRelease, str, dt.datetime | None], ...]
    qa: tuple[tuple[str, str], ...]


class Renderer:
    """Renders releases, conferences and tombstones for one run.

    Args:
        catalog: look-ups over the selected (public for the audience) records only.
        meta: the catalogue metadata.
        as_of: the instant of publication: a release whose ``publish_at`` is later is
            under embargo (only the ``media`` audience receives such releases).
        url: where the output folder is served, ending in ``/``.
        site: the catalogue's ``base_url``, ending in ``/``: relative attachment URLs are
            resolved against it (a catalogue file at the site's copy).
        authority: the tag URI authority of ninjs ``uri``s.
        known_uris: ``(type, id) -> uri`` of the last run's index, so that a tombstone
            keeps the uri of the item it replaces.
        copies: the site's copies of a record's attachments (``pages.attachment_copies``
            with the job's ``file_digest``; default: none, every catalogue file linked
            below ``site``).
        revised: ``(record, *dates) ->`` when the record was last modified, given its own
            dates (:meth:`Job.modified`: the publication of an edit moves it too);
            default: the latest of the dates.
    """

    def __init__(self, catalog: Catalog, meta: CatalogMeta, as_of: dt.datetime, url: str,
                 site: str, authority: str,
                 known_uris: dict[tuple[str, str], str] | None = None,
                 copies: Callable[[Record], Mapping[str, AttachmentFile]] | None = None,
                 revised: Callable[..., dt.datetime | None] | None = None) -> None:
        self.catalog = catalog
        self.meta = meta
        self.zone = meta.zone
        self.default = meta.default_language
        self.as_of = as_of
        self.url = url
        self.site = site
        self.authority = authority
        self.known_uris = known_uris or {}
        self.copies = copies or (lambda record: {})
        self.revised = revised or _latest
        self.env = _environment()

    # -- shared bits ---------------------------------------------------------------------------

    def text(self, value: Text | None, lang: str) -> str:
        """Localized text as one safe line."""
        return line(localize(value, lang, self.default))

    def local(self, when: dt.datetime) -> dt.datetime:
        """``when`` in the catalogue's timezone."""
        return when.astimezone(self.zone)

    def stamp(self, when: dt.datetime, lang: str) -> str:
        """An instant for people, with its zone: ``2002-09-26 11:00 Asia/Shanghai
        (UTC+08:00)``; in Chinese ``2002年9月26日 11:00（北京时间）``, or with the zone's
        name and offset outside Beijing time (``Europe/Berlin（UTC+01:00）``)."""
        local = self.local(when)
        offset = local.strftime("%z") or "+0000"
        utc = f"UTC{offset[:3]}:{offset[3:]}"
        zone = self.meta.timezone
        if _zh(lang):
            where = "（北京时间）" if zone in _BEIJING else f" {zone}（{utc}）"
            return f"{written_date(local, chinese=True)} {local:%H:%M}{where}"
        return f"{local:%Y-%m-%d %H:%M} {zone} ({utc})"

    def iso(self, when: dt.datetime | None) -> str | None:
        """RFC 3339 in the catalogue's timezone."""
        return self.local(when).isoformat() if when is not None else None

    def embargoed(self, record: NewsRelease) -> bool:
        """Whether the release is still under embargo at ``as_of``."""
        return record.publish_at is not None and record.publish_at > self.as_of

    def agency(self, ident: str | None, lang: str) -> str:
        """The name of a public agency, '' for one that is not (never its id)."""
        found = self.catalog.agency(ident) if ident else None
        return self.text(found.name, lang) if found is not None else ""

    def publisher_name(self, lang: str) -> str:
        """Who publishes the catalogue (its publisher, else its name)."""
        info = self.meta.publisher
        return self.text(info.name if info else self.meta.name, lang)

    def year(self, *dates: dt.datetime | None) -> int | None:
        """The year (in the catalogue's zone) of the first of ``dates`` that is given."""
        first = next((d for d in dates if d is not None), None)
        return self.local(first).year if first is not None else None

    def base_uri(self, kind: str, ident: str, year: int | None) -> str:
        """A record's tag URI (RFC 4151), dated with the year of its first date; the last
        run's, where the index had one (a tombstone knows fewer dates than its record)."""
        known = self.known_uris.get((kind, ident))
        if known is not None:
            return known
        return f"tag:{self.authority},{year or 2000:04d}:{kind}/{ident}"

    def uri(self, kind: str, ident: str, year: int | None, lang: str) -> str:
        """The ninjs ``uri`` of a record in a language (:meth:`base_uri` and the language)."""
        return f"{self.base_uri(kind, ident, year)}/{lang}"

    def release_uri(self, record: NewsRelease, lang: str) -> str:
        """The ninjs ``uri`` of a release."""
        return self.uri(record.TYPE, record.id,
                        self.year(record.issued_at, record.publish_at, record.updated_at), lang)

    def conference_uri(self, record: PressConference, lang: str) -> str:
        """The ninjs ``uri`` of a press conference's event item."""
        return self.uri(record.TYPE, record.id, self.year(record.issued_at, record.scheduled_at),
                        lang)

    def page(self, template: str, lang: str, **context: Any) -> str:
        """An HTML page in ``lang`` (Jinja2, autoescaped)."""
        return self.env.get_template(template).render(
            lang=lang, rtl=direction(lang) == "rtl", **context)

    def href(self, lang: str, path: str) -> str:
        """The absolute URL of an output file."""
        return f"{self.url}{lang}/{path}"

    # -- news releases -------------------------------------------------------------------------

    @staticmethod
    def release_paths(ident: str) -> dict[str, str]:
        """Format -> path below the language folder of a release's files."""
        return {ext: f"releases/{ident}.{ext}" for ext in ("txt", "html", "json")}

    def headline(self, record: NewsRelease, lang: str) -> str:
        """The headline (else the title); never empty."""
        return (self.text(record.headline, lang) or self.text(record.title, lang)
                or f"{record.TYPE}:{record.id}")

    def release_date(self, record: NewsRelease) -> dt.datetime | None:
        """The date the release bears: its embargo, else when it was issued."""
        return record.publish_at or record.issued_at or record.updated_at

    def modified(self, record: NewsRelease) -> dt.datetime | None:
        """The latest of its dates (a major change included; ``publish_at`` only once the
        embargo has ended, so that the media's version under embargo is not dated in the
        future and the one after it is later), or the publication of an edit
        (:attr:`revised`; the end of an embargo the media saw is one: ``select``)."""
        return self.revised(record, record.issued_at,
                            None if self.embargoed(record) else record.publish_at,
                            record.updated_at,
                            *(change.at for change in record.changes if change.major))

    def dateline(self, record: NewsRelease, lang: str) -> str:
        """``CHANGCHUN, 26 September 2002`` / ``长春，2002年9月26日``; '' when neither is known."""
        place = self.text(record.dateline_place, lang)
        when = self.release_date(record)
        day = ""
        if when is not None:
            local = self.local(when)
            day = written_date(local, _zh(lang))
        if _zh(lang):
            return "，".join(part for part in (place, day) if part)
        return ", ".join(part for part in (place.upper(), day) if part)

    def status_lines(self, record: NewsRelease, lang: str) -> list[str]:
        """The release's first line(s): the English wire line, then its translation."""
        if self.embargoed(record):
            assert record.publish_at is not None  # noqa: S101 - embargoed() says so
            lines = [word("embargoed", "en", when=self.stamp(record.publish_at, "en")),
                     word("embargoed", lang, when=self.stamp(record.publish_at, lang))]
        else:
            lines = [word("immediate", "en"), word("immediate", lang)]
        return list(dict.fromkeys(lines))

    def contact_lines(self, contact: PressContact, lang: str) -> list[str]:
        """A press contact, one fact a line."""
        lines = [self.text(contact.name, lang), self.text(contact.unit, lang)]
        for key, value in (("phone", line(contact.phone or "")),
                           ("email", line(contact.email or "")),
                           ("address", self.text(contact.address, lang)),
                           ("hours", self.text(contact.hours, lang))):
            if value:
                lines.append(word(key, lang) + value)
        return [text for text in lines if text]

    def about(self, record: NewsRelease, lang: str) -> str:
        """The heading of the boilerplate."""
        name = self.agency(record.agency, lang)
        return word("about", lang, agency=name) if name else word("about_us", lang)

    def markdown_text(self, value: Text | None, lang: str) -> str:
        """A localized Markdown field as plain text: its source (:func:`markdown_source`),
        which reads as plain text, made safe by :func:`block`."""
        return block(markdown_source(localize(value, lang, self.default)))

    def body(self, record: NewsRelease, lang: str) -> str:
        """The body as plain text (:meth:`markdown_text`)."""
        return self.markdown_text(record.body, lang)

    def release_text(self, record: NewsRelease, lang: str) -> str:
        """The plain-text release: status line, contacts, headline, dateline and body,
        boilerplate, ``###``."""
        parts: list[str] = ["\n".join(self.status_lines(record, lang))]
        contacts = [self.contact_lines(c, lang) for c in record.contacts]
        contacts = [c for c in contacts if c]
        if contacts:
            parts.append(word("contacts", lang) + "\n" + "\n\n".join(
                "\n".join(c) for c in contacts))
        heading = [self.headline(record, lang), self.text(record.subheadline, lang)]
        parts.append("\n".join(text for text in heading if text))
        dateline, body = self.dateline(record, lang), self.body(record, lang)
        lead = (f"{dateline}——" if _zh(lang) else f"{dateline} - ") if dateline else ""
        if lead or body:
            parts.append(lead + body if body else lead.rstrip(" -—"))
        boilerplate = self.markdown_text(record.boilerplate, lang)
        if boilerplate:
            parts.append(self.about(record, lang) + "\n" + boilerplate)
        attachments = self.attachment_lines(record, lang)
        if attachments:
            parts.append(attachments)
        return seal("\n\n".join(parts))

    def conference_of(self, record: NewsRelease) -> PressConference | None:
        """The release's press conference, if it is public."""
        if not record.conference:
            return None
        found = self.catalog.get(PressConference.TYPE, record.conference)
        return found if isinstance(found, PressConference) else None

    def renditions(self, lang: str, paths: dict[str, str]) -> list[dict[str, str]]:
        """ninjs renditions of a record's files (the JSON item itself excluded)."""
        types = {"txt": ("text", "text/plain"), "html": ("html", "text/html")}
        return [{"name": types[ext][0], "href": self.href(lang, path),
                 "contentType": types[ext][1]}
                for ext, path in paths.items() if ext in types]

    def attached(self, record: Record, lang: str
                 ) -> list[tuple[int, str, str, Attachment, int | None]]:
        """A record's attachments that can be linked: number (from 1, as the record lists
        them), absolute URL, title (``Attachment N`` without one), the attachment and the
        size of the file linked. The file is linked as feeds link it
        (:func:`attachment_url`): a catalogue file at the site's copy if the site makes one
        (else at its URL resolved against the site's), and one whose URL is neither
        http(s) nor relative (``javascript:``, ``data:``) is left out."""
        copies = self.copies(record)
        return [(n, href, self.text(a.title, lang) or word("attachment", lang, n=str(n)), a,
                 attachment_size(a, copies))
                for n, a in enumerate(record.attached, start=1)
                if (href := attachment_url(a, copies, self.site)) is not None]

    def attachments(self, record: Record, lang: str, uri: str) -> list[dict[str, Any]]:
        """A record's attachments (:meth:`attached`) as ninjs associations (``rel:
        attachment``, ``uri`` the item's ``uri`` and ``#attachment-N``), each with its file
        as the rendition ``original``."""
        found = []
        for n, href, title, attachment, size in self.attached(record, lang):
            media = line(attachment.media_type or "")
            found.append(_prune({
                "name": title, "rel": "attachment", "uri": f"{uri}#attachment-{n}",
                "type": _NATURES.get(media.partition("/")[0].lower()),
                "renditions": [_prune({"name": "original", "href": href, "title": title,
                                       "contentType": media, "sizeInBytes": size})]}))
        return found

    def attachment_context(self, record: Record, lang: str) -> dict[str, Any]:
        """What a page's attachment list shows: its heading and ``(href, title, media
        type)`` per attachment."""
        return {"attachments_label": word("attachments", lang).rstrip("：:"),
                "attachments": [(href, title, line(a.media_type or ""))
                                for _, href, title, a, _ in self.attached(record, lang)]}

    def attachment_lines(self, record: Record, lang: str) -> str:
        """The plain-text list of a record's attachments (:meth:`attached`), or ``""``."""
        found = self.attached(record, lang)
        return word("attachments", lang) + "\n" + "\n".join(
            f"{title}: {href}" for _, href, title, *_ in found) if found else ""

    def release_ninjs(self, record: NewsRelease, lang: str) -> dict[str, Any]:
        """The release as an IPTC ninjs 3.2 ``text`` item."""
        summary = self.text(record.summary, lang)
        boilerplate = self.markdown_text(record.boilerplate, lang)
        body = self.body(record, lang)
        agency = self.agency(record.agency, lang)
        conference = self.conference_of(record)
        subheadline = self.text(record.subheadline, lang)
        uri = self.release_uri(record, lang)
        item = {
            "standard": NINJS,
            "uri": uri,
            "type": "text",
            "representationType": "full",
            "profile": "govdisclosure-news-release",
            "language": lang,
            "pubStatus": "usable",
            "firstCreated": self.iso(record.issued_at),
            "versionCreated": self.iso(self.modified(record)),
            "embargoedUntil": self.iso(record.publish_at) if self.embargoed(record) else None,
            "title": self.text(record.title, lang) or None,
            "slugline": record.id,
            "headlines": [{"role": "main", "value": self.headline(record, lang)}] + (
                [{"role": "sub", "value": subheadline}] if subheadline else []),
            "located": self.text(record.dateline_place, lang),
            "by": agency,
            "descriptions": [{"role": role, "contentType": "text/plain", "value": value}
                             for role, value in (("summary", summary),
                                                 ("boilerplate", boilerplate)) if value],
            "bodies": [{"role": "main", "contentType": "text/plain", "value": body},
                       {"role": "main", "contentType": "text/html",  # as on the page
                        "value": str(markdown_html(localize(record.body, lang, self.default),
                                                   self.site))}] if body else [],
            "subjects": [{"name": category_label(record.topic, lang), "rel": "topic",
                          "literal": record.topic}]
            + [{"name": tag, "rel": "tag"} for tag in dict.fromkeys(
                line(tag) for tag in record.tags) if tag],
            "organisations": [{"name": agency, "rel": "source"}] if agency else [],
            "people": [self.person(contact, lang) for contact in record.contacts],
            "events": [{"id": conference.id, "name": self.conference_title(conference, lang),
                        "rel": "announcedAt", "uri": self.conference_uri(conference, lang)}]
            if conference is not None else [],
            "renditions": self.renditions(lang, self.release_paths(record.id)),
            "associations": self.attachments(record, lang, uri),
            "copyrightHolder": self.publisher_name(lang),
            "altIds": [{"role": "govdisclosure", "value": f"{record.TYPE}:{record.id}"}],
        }
        return _prune(item)

    def person(self, contact: PressContact, lang: str) -> dict[str, Any]:
        """A press contact as a ninjs person."""
        info = [{"type": kind, "role": "office", "value": value} for kind, value in (
            ("phone", line(contact.phone or "")), ("email", line(contact.email or "")),
            ("address", self.text(contact.address, lang)),
            ("hours", self.text(contact.hours, lang))) if value]
        return _prune({"name": self.text(contact.name, lang) or self.text(contact.unit, lang),
                       "rel": "contact", "contactInfo": info})

    def release_jsonld(self, record: NewsRelease, lang: str) -> dict[str, Any]:
        """schema.org ``NewsArticle`` of the release page."""
        page = self.href(lang, self.release_paths(record.id)["html"])
        agency = self.agency(record.agency, lang)
        published = self.release_date(record)
        return _prune({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.headline(record, lang)[:110],
            "alternativeHeadline": self.text(record.subheadline, lang),
            "description": self.text(record.summary, lang),
            "dateline": self.dateline(record, lang),
            "datePublished": self.iso(published),
            "dateModified": self.iso(self.modified(record)),
            "articleSection": category_label(record.topic, lang),
            "articleBody": self.body(record, lang),
            "author": {"@type": "GovernmentOrganization", "name": agency} if agency else None,
            "publisher": {"@type": "GovernmentOrganization", "name": self.publisher_name(lang)},
            "inLanguage": lang,
            "url": page,
            "mainEntityOfPage": page,
        })

    def release_html(self, record: NewsRelease, lang: str) -> str:
        """The release page (Jinja2, autoescaped) with its JSON-LD."""
        conference = self.conference_of(record)
        return self.page("release.html", lang, title=self.headline(record, lang),
            status=self.status_lines(record, lang), embargoed=self.embargoed(record),
            subheadline=self.text(record.subheadline, lang),
            dateline=self.dateline(record, lang),
            body=markdown_html(localize(record.body, lang, self.default), self.site),
            about=self.about(record, lang),
            boilerplate=markdown_html(localize(record.boilerplate, lang, self.default),
                                     self.site),
            contacts=[self.contact_lines(c, lang) for c in record.contacts],
            contacts_label=word("contacts", lang).rstrip("：:"),
            conference=(word("conference", lang) + self.conference_title(conference, lang),
                        f"../{self.conference_paths(conference.id)['html']}")
            if conference else None,
            formats=word("formats", lang), **self.attachment_context(record, lang),
            links=[(f"{record.id}.txt", "text/plain"), (f"{record.id}.json", "ninjs")],
            jsonld=self.release_jsonld(record, lang), end=END)

    # -- withdrawn records ---------------------------------------------------------------------

    def tombstone_title(self, stone: Tombstone, lang: str) -> str:
        """What a withdrawn record was called."""
        return self.text(stone.title, lang) or f"{stone.type}:{stone.id}"

    def tombstone_lines(self, stone: Tombstone, lang: str) -> list[str]:
        """The withdrawal notice: status line(s), title, date and reason."""
        reason = self.text(stone.withdrawn.reason, lang)
        status = list(dict.fromkeys([word("withdrawn", "en"), word("withdrawn", lang)]))
        return [*status, "", self.tombstone_title(stone, lang), "",
                word("withdrawn_text", lang, on=day_text(stone.withdrawn.on, lang), reason=reason)]

    def tombstone_text(self, stone: Tombstone, lang: str) -> str:
        """The plain-text withdrawal notice, ending ``###``."""
        return seal("\n".join(self.tombstone_lines(stone, lang)))

    def tombstone_uri(self, stone: Tombstone, lang: str) -> str:
        """The uri of the item the tombstone replaces (same as before, where it is known)."""
        year = self.year(stone.issued_at, stone.updated_at) or stone.withdrawn.on.year
        return self.uri(stone.type, stone.id, year, lang)

    def tombstone_ninjs(self, stone: Tombstone, lang: str, paths: dict[str, str]
                        ) -> dict[str, Any]:
        """A ``canceled`` ninjs item that keeps the uri of the withdrawn one."""
        reason = self.text(stone.withdrawn.reason, lang)
        text = word("withdrawn_text", lang, on=day_text(stone.withdrawn.on, lang), reason=reason)
        return _prune({
            "standard": NINJS,
            "uri": self.tombstone_uri(stone, lang),
            "type": "event" if stone.type == PressConference.TYPE else "text",
            "representationType": "partial",
            "language": lang,
            "pubStatus": "canceled",
            "firstCreated": self.iso(stone.issued_at),
            "versionCreated": self.iso(self.revised(stone, dt.datetime.combine(
                stone.withdrawn.on, dt.time(), self.zone))),
            "slugline": stone.id,
            "headlines": [{"role": "main", "value": self.tombstone_title(stone, lang)}],
            "descriptions": [{"role": "withdrawal", "contentType": "text/plain",
                              "value": text}],
            "renditions": self.renditions(lang, paths),
            "altIds": [{"role": "govdisclosure", "value": f"{stone.type}:{stone.id}"}],
        })

    def tombstone_html(self, stone: Tombstone, lang: str) -> str:
        """The withdrawal page of a release or conference."""
        lines = self.tombstone_lines(stone, lang)
        return self.page("tombstone.html", lang, title=self.tombstone_title(stone, lang),
            status=[text for text in lines[:2] if text], notice=lines[-1])

    # -- press conferences ---------------------------------------------------------------------

    @staticmethod
    def conference_paths(ident: str) -> dict[str, str]:
        """Part -> path below the language folder of a conference's files (its five parts,
        ``html`` its page, ``event`` its ninjs item)."""
        paths = {part: f"conferences/{ident}/{part}.txt" for part in PARTS}
        paths["html"] = f"conferences/{ident}/index.html"
        paths["event"] = f"conferences/{ident}/event.json"
        return paths

    def conference_title(self, record: PressConference, lang: str) -> str:
        """The title; never empty."""
        return self.text(record.title, lang) or f"{record.TYPE}:{record.id}"

    @staticmethod
    def event_status(record: PressConference) -> str:
        """The schema.org ``eventStatus`` of ninjs and JSON-LD: ``EventCancelled``, else
        ``EventScheduled``, which schema.org defines as taking place or having taken place
        as scheduled (so a held conference too)."""
        status = "EventCancelled" if record.status == "cancelled" else "EventScheduled"
        return f"https://schema.org/{status}"

    def statements(self, record: PressConference,
                   releases: Iterable[NewsRelease]) -> list[NewsRelease]:
        """The public releases of a conference: those it lists, in its order, then those
        that name it, by id."""
        listed = [found for ident in dict.fromkeys(record.releases)
                  if isinstance(found := self.catalog.get(NewsRelease.TYPE, ident),
                                NewsRelease)]
        seen = {r.id for r in listed}
        naming = sorted((r for r in releases if r.conference == record.id and r.id not in seen),
                        key=lambda r: r.id)
        return listed + naming

    def conference_view(self, record: PressConference, lang: str,
                        statements: list[NewsRelease]) -> ConferenceView:
        """What the conference's text parts and page show in ``lang``."""
        status = record.status if record.status in ("scheduled", "held", "cancelled") else ""
        advisory = [word("advisory", "en"), word("advisory", lang)]
        if record.status == "cancelled":
            advisory += [word("cancelled", "en"), word("cancelled", lang)]
        facts = [(word("when", lang), self.stamp(record.scheduled_at, lang))]
        venue, organiser = self.text(record.venue, lang), self.agency(record.agency, lang)
        if venue:
            facts.append((word("where", lang), venue))
        if organiser:
            facts.append((word("organiser", lang), organiser))
        if status:
            facts.append((word("status", lang), word(f"status_{status}", lang)))
        qa = []
        for entry in record.qa:
            outlet = self.text(entry.outlet, lang)
            qa.append((word("question", lang) + self.text(entry.question, lang)
                       + (word("outlet", lang, outlet=outlet) if outlet else ""),
                       block(localize(entry.answer, lang, self.default))))
        return ConferenceView(
            title=self.conference_title(record, lang),
            banner=tuple(dict.fromkeys(advisory)), facts=tuple(facts),
            summary=block(localize(record.summary, lang, self.default)),
            speakers=tuple(word("comma", lang).join(part for part in (
                self.text(s.name, lang), self.text(s.title, lang), self.agency(s.agency, lang))
                if part) for s in record.speakers),
            agenda=tuple((f"{self.local(point.at):%H:%M}" if point.at else "",
                          self.text(point.item, lang), self.text(point.speaker, lang))
                         for point in record.agenda),
            statements=tuple((release, self.headline(release, lang),
                              release.publish_at if self.embargoed(release) else None)
                             for release in statements),
            qa=tuple(qa))

    def conference_parts(self, view: ConferenceView, lang: str) -> dict[str, str]:
        """Part -> plain text of a conference: advisory, agenda, speakers, statements and
        Q&A, each ending ``###``."""
        title, none = view.title, word("none", lang)
        speakers = "\n".join(view.speakers) or none
        agenda = [(f"{at}  " if at else "") + item
                  + (aside(who, lang) if who else "")
                  for at, item, who in view.agenda]
        listed = [headline + (aside(word("embargoed", lang, when=self.stamp(until, lang)),
                                    lang) if until else "")
                  + "\n" + self.href(lang, self.release_paths(release.id)["txt"])
                  for release, headline, until in view.statements]
        qa = [f"{question}\n{word('answer', lang)}{answer or word('no_answer', lang)}"
              for question, answer in view.qa]
        sections = {
            "advisory": ["\n".join(view.banner), title,
                         "\n".join(label + value for label, value in view.facts),
                         *([view.summary] if view.summary else []),
                         word("speakers", lang) + "\n" + speakers],
            "agenda": [title, word("agenda", lang), "\n".join(agenda) or none],
            "speakers": [title, word("speakers", lang), speakers],
            "statements": [title, word("statements", lang), "\n\n".join(listed) or none],
            "qa": [title, word("qa", lang), "\n\n".join(qa) or none],
        }
        return {part: seal("\n\n".join(texts)) for part, texts in sections.items()}

    def conference_jsonld(self, record: PressConference, lang: str) -> dict[str, Any]:
        """schema.org ``Event`` of the conference page."""
        venue, organiser = self.text(record.venue, lang), self.agency(record.agency, lang)
        performers = []
        for speaker in record.speakers:
            agency = self.agency(speaker.agency, lang)
            performers.append(_prune({
                "@type": "Person", "name": self.text(speaker.name, lang),
                "jobTitle": self.text(speaker.title, lang),
                "affiliation": {"@type": "GovernmentOrganization", "name": agency}
                if agency else None}))
        return _prune({
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.conference_title(record, lang),
            "description": self.text(record.summary, lang),
            "startDate": self.iso(record.scheduled_at),
            "eventStatus": self.event_status(record),
            "location": {"@type": "Place", "name": venue} if venue else None,
            "organizer": {"@type": "GovernmentOrganization", "name": organiser}
            if organiser else None,
            "performer": [p for p in performers if p.get("name")],
            "inLanguage": lang,
            "url": self.href(lang, self.conference_paths(record.id)["html"]),
        })

    def conference_html(self, record: PressConference, lang: str,
                        view: ConferenceView) -> str:
        """The conference page (Jinja2, autoescaped) with its JSON-LD: the advisory's facts,
        speakers, agenda, statements (linked to their pages) and Q&A."""
        return self.page("conference.html", lang, title=view.title, status=view.banner,
            cancelled=record.status == "cancelled", when=self.iso(record.scheduled_at),
            facts=[(label.rstrip("：: "), value) for label, value in view.facts],
            summary=page_paragraphs(view.summary),
            speakers=[s for s in view.speakers if s], agenda=view.agenda,
            statements=[(f"../../releases/{release.id}.html", headline,
                         word("embargoed", lang, when=self.stamp(until, lang)) if until else "")
                        for release, headline, until in view.statements],
            qa=[(question, page_paragraphs(answer or word("no_answer", lang),
                                           lead=word("answer", lang)))
                for question, answer in view.qa],
            words={name: word(name, lang) for name in (
                "speakers", "agenda", "statements", "qa", "none", "formats", "aside_open",
                "aside_close")},
            links=[(f"{part}.txt", f"{part}.txt") for part in PARTS] + [("event.json", "ninjs")],
            jsonld=self.conference_jsonld(record, lang), **self.attachment_context(record, lang))

    def conference_modified(self, record: PressConference,
                            statements: Iterable[NewsRelease]) -> dt.datetime | None:
        """When the conference's ninjs item last changed: the latest of its own
        ``issued_at`` and ``updated_at`` or the publication of an edit (:attr:`revised`),
        and of its statements' (:meth:`modified`), whose headlines and embargoes it shows.
        Not ``scheduled_at``: the date of a conference still to come would date every
        version of its item alike."""
        return _latest(record, self.revised(record, record.issued_at, record.updated_at),
                       *(self.modified(release) for release in statements))

    def conference_ninjs(self, record: PressConference, lang: str,
                         parts: dict[str, str], statements: list[NewsRelease]
                         ) -> dict[str, Any]:
        """The conference as a ninjs ``event`` item whose associations are its parts (each
        with its text), its statements (the releases' items, by uri) and its attachments;
        its rendition is its page."""
        paths = self.conference_paths(record.id)
        title = self.conference_title(record, lang)
        organiser = self.agency(record.agency, lang)
        base = self.conference_uri(record, lang)
        associations: list[dict[str, Any]] = [
            _prune({"name": word(part, lang) if part in _WORDS else part, "rel": part,
                    "uri": f"{base}#{part}", "type": "text", "language": lang,
                    "headlines": [{"value": f"{title} - {part}"}],
                    "bodies": [{"contentType": "text/plain", "value": parts[part]}],
                    "renditions": [{"name": "text", "href": self.href(lang, paths[part]),
                                    "contentType": "text/plain"}]})
            for part in PARTS]
        for release in statements:
            associations.append(_prune({
                "name": self.headline(release, lang), "rel": "statement",
                "uri": self.release_uri(release, lang), "type": "text", "language": lang,
                "embargoedUntil": self.iso(release.publish_at) if self.embargoed(release)
                else None,
                "renditions": self.renditions(lang, self.release_paths(release.id))}))
        associations += self.attachments(record, lang, base)
        return _prune({
            "standard": NINJS,
            "uri": base,
            "type": "event",
            "representationType": "full",
            "profile": "govdisclosure-press-conference",
            "language": lang,
            "pubStatus": "usable",
            "firstCreated": self.iso(record.issued_at),
            "versionCreated": self.iso(self.conference_modified(record, statements)),
            "title": title,
            "slugline": record.id,
            "headlines": [{"role": "main", "value": title}],
            "located": self.text(record.venue, lang),
            "eventDetails": _prune({
                "eventStatus": self.event_status(record),
                "dates": {"startDate": self.iso(record.scheduled_at)},
                "organiser": {"name": organiser} if organiser else None}),
            "people": [_prune({"name": self.text(s.name, lang), "rel": "speaker"})
                       for s in record.speakers if self.text(s.name, lang)],
            "renditions": self.renditions(lang, {"html": paths["html"]}),
            "associations": associations,
            "altIds": [{"role": "govdisclosure", "value": f"{record.TYPE}:{record.id}"}],
        })

    # -- the index -----------------------------------------------------------------------------

    def index_html(self, lang: str, rows: list[dict[str, Any]]) -> str:
        """The language's list of releases and conferences (newest first)."""
        return self.page("index.html", lang, title=word("index", lang), rows=rows,
            releases_label=type_label(NewsRelease.TYPE, lang),
            conferences_label=type_label(PressConference.TYPE, lang))


def dumps(value: Any) -> str:
    """Deterministic, readable JSON (sorted keys, UTF-8 as is but U+2028 and U+2029, which
    are escaped: the JSON may end up in a script)."""
    return script_safe(json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)) + "\n"


def _script_dumps(value: Any, **kwargs: Any) -> str:
    return script_safe(json.dumps(value, **kwargs))

