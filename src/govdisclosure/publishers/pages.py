"""What publishers share: where each record type's page lives on the portal (the ``site``
publisher writes the pages, others link to them: a feed entry's link), and the text every
output must be rid of."""

from __future__ import annotations

import re
from html import unescape
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from markupsafe import escape

from ..model.common import attachment_file

if TYPE_CHECKING:
    from ..model import Attachment, Record

__all__ = ["SECTIONS", "attachment_copies", "attachment_url", "clean", "natural", "page_path",
           "safe_links", "safe_url", "script_safe", "web_url", "without_userinfo"]

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


def attachment_copies(record: Record) -> dict[str, tuple[str, str]]:
    """``url -> (catalogue path, site path)`` of a record's attachments that are files of
    the catalogue folder: the site copies each below ``assets/<type>/<id>/`` (as
    ``attachment-N.<ext>``, N its first place among the record's attachments) and every
    publisher links there."""
    found: dict[str, tuple[str, str]] = {}
    for n, attachment in enumerate(record.attached, start=1):
        path = attachment_file(attachment.url)
        if path is not None and attachment.url not in found:
            ext = _EXTENSION.search(path)
            name = f"attachment-{n}{ext.group(0).lower() if ext else ''}"
            found[attachment.url] = (path, f"assets/{record.TYPE}/{record.id}/{name}")
    return found


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


def attachment_url(attachment: Attachment, copies: dict[str, tuple[str, str]],
                   base: str) -> str | None:
    """The absolute http(s) URL an attachment is linked at: the site's copy of a catalogue
    file (``copies`` is :func:`attachment_copies` of its record), else its own ``url``
    through :func:`web_url`; None for ``javascript:``, ``data:`` and the like."""
    copy = copies.get(attachment.url)
    return web_url(copy[1] if copy else attachment.url, base)


def without_userinfo(text: str) -> str:
    """``text`` with the user information (``user:password@``) of every http(s) URL in it
    taken out, as :func:`safe_url` takes it out of a link: all between ``//`` and the last
    ``@`` of the host part (a URL in text ends at white space). A password written into a
    catalogue by mistake is shown neither in a link nor in the text that shows one (a
    Markdown body's source, as plain text).

    ``<``, ``>`` and ``"`` end the host part (they are not URL characters): HTML goes
    through as safely as text, its tags and attributes whole."""
    return _USERINFO.sub(r"\1", text) if "@" in text else text


_USERINFO = re.compile(r"\b(https?://)[^\s/?#<>\"]*@", re.IGNORECASE)


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
    return without_userinfo(html)


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
