"""What publishers share: where each record type's page lives on the portal (the ``site``
publisher writes the pages, others link to them: a feed entry's link), and the text every
output must be rid of."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from html import unescape
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from attrs import frozen
from markupsafe import escape

from ..catalog.catalog import FileDigest
from ..model.common import attachment_file

if TYPE_CHECKING:
    from ..model import Attachment, Record

__all__ = ["SECTIONS", "AttachmentFile", "Digests", "attachment_copies", "attachment_files",
           "attachment_size", "attachment_url", "clean", "natural", "page_path", "safe_links",
           "safe_url", "script_safe", "web_url", "without_empty_headings", "without_userinfo"]

# C0 controls but tab and newlines, DEL and C1 controls, bidi embeddings/overrides/isolates,
# lone surrogates and the two non-characters that break XML.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff\ufffe\uffff]")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def clean(text: str) -> str:
    """``text`` without control characters, bidi overrides and lone surrogates: what XML
    forbids, and what makes "exe.png" display as "gnp.exe"."""
    if text.isprintable():  # the common case, and cheaper than a search: none is printable
        return text
    return _UNSAFE.sub("", text) if _UNSAFE.search(text) else text


def script_safe(json_text: str) -> str:
    """JSON text with U+2028 and U+2029 (line and paragraph separators) written as
    ``\\u2028`` and ``\\u2029``: the same JSON to a parser, but safe to embed in a
    ``<script>`` or a JavaScript source, where older engines end a string at them."""
    return json_text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def natural(text: str) -> tuple[str | int, ...]:
    """A sort key in which ``2`` comes before ``10`` (window numbers): text and numbers
    alternate from a text part on, so that two keys always compare."""
    return tuple(int(part) if index % 2 else part
                 for index, part in enumerate(re.split(r"(\d+)", text)))


#: URL folder of each record type that has pages, in the order of the main menu.
SECTIONS: dict[str, str] = {
    "disclosure": "disclosures",
    "approval_item": "items",
    "allocation": "allocations",
    "news_release": "news",
    "press_conference": "press",
    "consultation": "consultations",
    "service_hall": "halls",
    "service_window": "windows",
    "hotline": "hotlines",
    "suggestion": "suggestions",
    "complaint": "complaints",
    "accountability_record": "accountability",
    "evaluation": "evaluations",
    "work_plan": "plans",
    "agency": "agencies",
}


#: A catalogue file's size and sha256 by its path (``Job.file_digest``; None: not readable).
Digests = Callable[[str], FileDigest | None]


@frozen
class AttachmentFile:
    """An attachment that names a file of the catalogue folder, and whether the site copies
    it (:func:`attachment_files`).

    Attributes:
        path: the file, relative to the catalogue folder.
        target: the site's copy, from the site root: ``assets/<type>/<id>/attachment-N.ext``.
        digest: the file's size and sha256; None when the site cannot read it.
        refused: why the site does not copy it, or None: it does.
    """

    path: str
    target: str
    digest: FileDigest | None
    refused: str | None


def attachment_files(record: Record, digests: Digests) -> dict[str, AttachmentFile]:
    """``url -> AttachmentFile`` of a record's attachments that name files of the catalogue
    folder: the one decision, for every publisher, of which the site copies.

    The site copies a file below ``assets/<type>/<id>/`` (as ``attachment-N.<ext>``, N the
    url's first place among the record's attachments) when it can read it (``digests``:
    not missing, unreadable, over 10 MB or one of the catalogue's sources) and its sha256 is
    every one the attachments naming that url declare. Every publisher links there, and to
    the url resolved against ``base_url`` (as any relative url) when it is not copied. Only
    catalogue files are looked up: a record without any is never read.
    """
    declared: dict[str, set[str]] = {}
    for attachment in record.attached:
        if attachment.sha256 is not None:
            declared.setdefault(attachment.url, set()).add(attachment.sha256)
    found: dict[str, AttachmentFile] = {}
    for n, attachment in enumerate(record.attached, start=1):
        url = attachment.url
        path = attachment_file(url)
        if path is None or url in found:
            continue
        ext = _EXTENSION.search(path)
        target = f"assets/{record.TYPE}/{record.id}/attachment-{n}" + (
            ext.group(0).lower() if ext else "")
        digest = digests(path)
        found[url] = AttachmentFile(path, target, digest,
                                    _refusal(digest, declared.get(url, set())))
    return found


def _refusal(digest: FileDigest | None, declared: set[str]) -> str | None:
    """Why the site does not copy a file (None: it does), as its warning says."""
    if digest is None:
        return "is missing, unreadable, over 10 MB or a catalogue source file"
    if declared - {digest.sha256}:
        return "does not match its sha256"  # one of them, when they differ
    return None


def attachment_copies(record: Record, digests: Digests) -> dict[str, AttachmentFile]:
    """``url -> AttachmentFile`` of the attachments the site copies (:func:`attachment_files`):
    what every publisher links at the copy."""
    return {url: file for url, file in attachment_files(record, digests).items()
            if file.refused is None}


_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")


def page_path(kind: str, ident: str) -> str:
    """The page of a record below the language folder, e.g. ``items/land-use.html``."""
    return f"{SECTIONS[kind]}/{ident}.html"


def safe_url(url: str | None, base: str) -> str | None:
    """An http(s), mailto or tel URL, or None.

    A relative URL is resolved against the site's ``base`` (the agency hosts the file
    there); anything with another scheme (``javascript:``, ``data:``, ``file:`` ...) is
    refused, whatever its case, whitespace or entity tricks. User information in an
    http(s) URL (``user:password@``) is never published: it is taken out.
    """
    if not url:
        return None
    text = clean(url).strip()
    if not text or any(ch.isspace() for ch in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if not parts.scheme:
        if text.startswith("//"):
            return None
        text = urljoin(base, text)
        parts = urlsplit(text)
    if parts.scheme.lower() not in _SAFE_SCHEMES:
        return None
    if parts.scheme.lower() in ("http", "https"):
        if not parts.hostname:
            return None
        if "@" in parts.netloc:
            return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
    return text


def web_url(url: str | None, base: str) -> str | None:
    """:func:`safe_url` for outputs that link only to the web (feeds, OCDS, ninjs): an
    absolute http(s) URL, or None (``mailto:`` and ``tel:`` too)."""
    link = safe_url(url, base)
    return link if link is not None and link.lower().startswith(("http://", "https://")) \
        else None


def attachment_url(attachment: Attachment, copies: Mapping[str, AttachmentFile],
                   base: str) -> str | None:
    """The absolute http(s) URL an attachment is linked at: the site's copy of a catalogue
    file (``copies`` is :func:`attachment_copies` of its record), else its own ``url``
    through :func:`web_url` (resolved against ``base``, as the site links a file it does
    not copy); None for ``javascript:``, ``data:`` and the like."""
    copy = copies.get(attachment.url)
    return web_url(copy.target if copy else attachment.url, base)


def attachment_size(attachment: Attachment, copies: Mapping[str, AttachmentFile]) -> int | None:
    """The size in bytes of the file an attachment is linked at: the site's copy's own,
    else the ``bytes`` the attachment declares (None: not known)."""
    copy = copies.get(attachment.url)
    return copy.digest.size if copy and copy.digest else attachment.bytes


def without_userinfo(text: str, *, html: bool = False) -> str:
    """``text`` with the user information (``user:password@``) of every http(s) URL in it
    taken out, as :func:`safe_url` takes it out of a link: all between ``//`` and the last
    ``@`` of the host part. A password written into a catalogue by mistake is shown neither
    in a link nor in the text that shows one (a Markdown body's source, as plain text).

    A URL may follow any text but a letter, which would end another scheme's name
    (``详见https://...`` is one); its host part ends at white space, ``/``, ``?``,
    ``#``, ``\\`` or the first character that is not printable ASCII (Chinese text after a
    URL is not taken for its host).
    With ``html``, ``<``, ``>`` and ``"`` end it too: HTML goes through as safely as
    text, its tags and attributes whole (a quote in a password is ``&quot;`` there)."""
    if "@" not in text:
        return text
    return (_USERINFO_HTML if html else _USERINFO).sub(r"\1", text)


_AFTER = r"(?<![A-Za-z])(https?://)"  # not the end of another scheme's name
_USERINFO = re.compile(_AFTER + r"(?:(?![/?#\\])[!-~])*@", re.IGNORECASE)
_USERINFO_HTML = re.compile(_AFTER + r"(?:(?![/?#\\<>\"])[!-~])*@", re.IGNORECASE)


def safe_links(html: str, base: str) -> str:
    """Rendered Markdown whose links and images all go through :func:`safe_url`: resolved
    against ``base`` and rid of user information; a link to a refused URL becomes its
    content, an image whose source is not on the web (:func:`web_url`) its alt text. A
    link to a part of the page (``#part``) stays as it is. Every URL the text shows (an
    autolink's text, an alt text, a URL that is not a link) loses its user information
    too (:func:`without_userinfo`).

    Every publisher that renders Markdown passes its HTML through here. ``html`` must be
    markdown-it's (or markdown-it.rs's) with raw HTML off: every tag in it was made by the
    parser (reader text arrives escaped, so a tag pattern cannot match it), links do not
    nest, and ``href`` and ``src`` come first in their tags, quoted with ``"``.
    """
    if "<a " in html:
        html = _LINK.sub(lambda match: _link(match, base), html)
    if "<img " in html:
        html = _IMAGE.sub(lambda match: _image(match, base), html)
    return without_userinfo(html, html=True)


def without_empty_headings(html: str) -> str:
    """Rendered Markdown without its empty headings: a line such as ``###`` is a heading
    with no text to Markdown, which names no section (an accessibility fault) and was
    most likely meant as a separator. The news publisher drops them from the Markdown
    source (its plain text shows it too); ``html`` is the parser's, as for
    :func:`safe_links`."""
    return _EMPTY_HEADING.sub("", html) if "></h" in html else html


_EMPTY_HEADING = re.compile(r"<h([1-6])></h\1>\n?")
_LINK = re.compile(r'<a href="([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)
_IMAGE = re.compile(r'<img src="([^"]*)" alt="([^"]*)"([^>]*)>')


def _link(match: re.Match[str], base: str) -> str:
    url = unescape(match[1])
    safe = url if url.startswith("#") else safe_url(url, base)
    if safe is None:
        return match[3]
    return f'<a href="{escape(safe)}"{match[2]}>{match[3]}</a>'


def _image(match: re.Match[str], base: str) -> str:
    safe = web_url(unescape(match[1]), base)
    if safe is None:
        return match[2]
    return f'<img src="{escape(safe)}" alt="{match[2]}"{match[3]}>'
