"""Making catalogue text safe for the page: cleaning, URLs, Markdown and localization.

Escaping itself is Jinja2's (autoescape is on for every template); this module removes
what escaping cannot: control characters, bidirectional overrides and lone surrogates
(which could not even be encoded), and URL schemes that run code.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from ...model import Text

__all__ = ["Localizer", "Markdown", "clean", "safe_url"]

# C0 controls but tab and newlines, DEL and C1 controls, bidi embeddings/overrides/isolates,
# lone surrogates and the two non-characters that break XML.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff\ufffe\uffff]")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def clean(text: str) -> str:
    """``text`` without control characters, bidi overrides and lone surrogates."""
    if text.isprintable():  # the common case, and cheaper than a search: none is printable
        return text
    return _UNSAFE.sub("", text) if _UNSAFE.search(text) else text


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


class Markdown:
    """Markdown to HTML for one site: raw HTML is escaped, images are dropped, only safe
    link schemes are kept and relative links are resolved against the site's base URL.

    Args:
        base: the site's base URL.
        heading_offset: added to heading levels (bodies sit under an h2: '#' becomes h3).
    """

    def __init__(self, base: str, heading_offset: int = 2) -> None:
        md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        md.disable("image")  # remote images would track readers
        normalize = md.normalizeLink

        def validate(url: str) -> bool:
            return url.startswith("#") or safe_url(url, base) is not None

        def normalize_link(url: str) -> str:
            if url.startswith("#"):
                return str(normalize(url))
            return str(normalize(safe_url(url, base) or ""))

        md.validateLink = validate  # type: ignore[method-assign]
        md.normalizeLink = normalize_link  # type: ignore[method-assign]

        renderer: Any = md.renderer

        def heading(_: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
            token = tokens[idx]
            token.tag = f"h{min(6, int(token.tag[1]) + heading_offset)}"
            return str(renderer.renderToken(tokens, idx, options, env))

        md.add_render_rule("heading_open", heading)
        md.add_render_rule("heading_close", heading)
        self._md = md
        self._memo: dict[str, Markup] = {}

    def __call__(self, text: str) -> Markup:
        """The HTML of ``text`` (memoized: a body shown in several languages is parsed once)."""
        found = self._memo.get(text)
        if found is None:
            found = Markup(self._md.render(clean(text)))  # noqa: S704 - markdown-it escapes
            if len(self._memo) > 64:  # a record's languages are rendered one after another
                self._memo.clear()
            self._memo[text] = found
        return found


class Localizer:
    """Record text in one page language, falling back to the catalogue's default.

    Args:
        language: the page's language.
        default: the catalogue's default language.
        markdown: the site's Markdown renderer.
    """

    def __init__(self, language: str, default: str, markdown: Markdown) -> None:
        self.language = language
        self.default = default
        self._markdown = markdown

    def pick(self, text: Text | None) -> tuple[str, str]:
        """``(text, language of that text)``."""
        if text is None:
            return "", self.language
        if isinstance(text, str):
            return text, self.default
        for lang in (self.language, self.default):
            value = text.get(lang)
            if value:
                return value, lang
        for lang, value in text.items():
            return value, lang
        return "", self.language

    def s(self, text: Text | None) -> str:
        """Plain localized text (for attributes, titles and JSON)."""
        value, _ = self.pick(text)
        return clean(value)

    def h(self, text: Text | None) -> Markup:
        """Localized text for the page body: marked with ``lang`` when it fell back."""
        if text is None:
            return Markup("")
        if isinstance(text, str) and self.language == self.default:
            return escape(clean(text))
        value, lang = self.pick(text)
        if lang == self.language or not value:
            return escape(clean(value))
        # escape() + an f-string: Markup.format goes through the slow string.Formatter
        return Markup(f'<span lang="{escape(lang)}">{escape(clean(value))}</span>')  # noqa: S704

    def md(self, text: Text | None) -> Markup:
        """Localized Markdown, wrapped in a ``lang`` div when it fell back."""
        value, lang = self.pick(text)
        if not value:
            return Markup("")
        html = self._markdown(value)
        if lang == self.language:
            return html
        return Markup(f'<div lang="{escape(lang)}">{html}</div>')  # noqa: S704 - escaped
