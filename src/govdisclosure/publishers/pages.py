"""What publishers share: where each record type's page lives on the portal (the ``site``
publisher writes the pages, others link to them: a feed entry's link), and the text every
output must be rid of."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

__all__ = ["SECTIONS", "clean", "page_path", "safe_url"]

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


def page_path(kind: str, ident: str) -> str:
    """The page of a record below the language folder, e.g. ``items/land-use.html``."""
    return f"{SECTIONS[kind]}/{ident}.html"


def safe_url(url: str | None, base: str) -> str | None:
    """An http(s), mailto or tel URL, or None.

    A relative URL is resolved against the site's ``base`` (the agency hosts the file
    there); anything with another scheme (``javascript:``, ``data:``, ``file:`` ...) is
    refused, whatever its case, whitespace or entity tricks.
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
    if parts.scheme.lower() in ("http", "https") and not parts.netloc:
        return None
    return text
