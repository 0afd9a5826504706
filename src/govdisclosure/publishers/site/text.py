"""Making catalogue text safe for the page: cleaning, URLs, Markdown and localization.

Escaping itself is Jinja2's (autoescape is on for every template); this module removes
what escaping cannot: control characters, bidirectional overrides and lone surrogates
(which could not even be encoded), and URL schemes that run code.
"""

from __future__ import annotations

import re

from markdown_it_pyrs import MarkdownIt as MarkdownItRs
from markupsafe import Markup, escape

from ...model import Text
from ..labels import direction
from ..pages import clean, safe_links, safe_url, without_empty_headings

__all__ = ["Localizer", "Markdown", "clean", "direction", "safe_url"]



class Markdown:
    """Markdown to HTML for one site: raw HTML is escaped, images are dropped, only safe
    link schemes are kept and relative links are resolved against the site's base URL.

    The parser is markdown-it.rs (CommonMark, ten times faster than markdown-it-py, plus
    GFM tables, which agencies' directories and fee lists use) with the raw-HTML and
    image rules left out, so that markup in a body stays text and
    ``![alt](src)`` stays a plain link. The link and heading rules are applied to its
    output, the link rule by :func:`~govdisclosure.publishers.pages.safe_links` (as in
    every publisher's Markdown): every tag in it was made by the parser (text arrives
    escaped), so a tag pattern cannot match reader text.

    Args:
        base: the site's base URL.
        heading_offset: the level of the heading bodies sit under (h2): a body's highest
            heading, whatever its level, becomes one below it (h3).
    """

    def __init__(self, base: str, heading_offset: int = 2) -> None:
        self._md = MarkdownItRs("zero").enable_many([  # CommonMark but raw HTML and images
            "blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph",
            "reference", "autolink", "backticks", "emphasis", "entity", "escape", "link",
            "newline", "table"])
        self._base = base
        self._offset = heading_offset
        self._memo: dict[str, Markup] = {}

    def __call__(self, text: str) -> Markup:
        """The HTML of ``text`` (memoized: a body shown in several languages is parsed once)."""
        found = self._memo.get(text)
        if found is None:
            html = self._md.render(clean(text))
            if "<h" in html:
                html = self._headings(without_empty_headings(html))
            # markdown-it escapes the text; safe_links escapes the URLs it writes
            found = Markup(safe_links(html, self._base))  # noqa: S704
            if len(self._memo) > 64:  # a record's languages are rendered one after another
                self._memo.clear()
            self._memo[text] = found
        return found

    def _headings(self, html: str) -> str:
        """Heading levels moved so that the body's highest heading sits just under the
        page's (a body that starts at '##' must not skip a level)."""
        levels = [int(level) for _, level in _HEADING.findall(html)]
        if not levels:
            return html
        shift = self._offset + 1 - min(levels)
        return _HEADING.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + shift)}>", html)


_HEADING = re.compile(r"<(/?)h([1-6])>")


class Localizer:
    """Record text in one page language, falling back to the catalogue's default.

    Args:
        language: the page's language.
        default: the catalogue's default language.
        markdown: the site's Markdown renderer.
        document: the language the page declares (``<html lang>``), if not ``language``:
            text in any other language is marked with its own.
    """

    def __init__(self, language: str, default: str, markdown: Markdown,
                 document: str | None = None) -> None:
        self.language = language
        self.default = default
        self.document = document or language
        self._direction = direction(self.document)
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
        """Localized text for the page body: marked with ``lang`` when it is not in the
        page's declared language (it fell back, or the interface speaks another)."""
        if text is None:
            return Markup("")
        if isinstance(text, str) and self.document == self.default:
            return escape(clean(text))
        value, lang = self.pick(text)
        if lang == self.document or not value:
            return escape(clean(value))
        # escape() + an f-string: Markup.format goes through the slow string.Formatter
        return Markup(f'<span{self._marks(lang)}>{escape(clean(value))}</span>')  # noqa: S704

    def _marks(self, lang: str) -> str:
        """The attributes of text in ``lang`` within the page: its language, and its
        direction where that is not the page's."""
        way = direction(lang)
        marks = f' lang="{escape(lang)}"'
        return marks if way == self._direction else f'{marks} dir="{way}"'

    def marks(self, lang: str) -> Markup:
        """:meth:`_marks` for a template: the attributes of an element holding text in
        ``lang`` (a language switcher's names, a label the template writes itself)."""
        return Markup(self._marks(lang))  # noqa: S704 - escaped

    def marks_of(self, text: Text | None) -> Markup:
        """The attributes that mark an element holding ``text`` (as :meth:`h` would),
        none when it is in the page's language: for text a template must shape itself
        (cut to fit a map)."""
        if text is None or (isinstance(text, str) and self.document == self.default):
            return Markup("")
        value, lang = self.pick(text)
        if lang == self.document or not value:
            return Markup("")
        return Markup(self._marks(lang))  # noqa: S704 - escaped

    def md(self, text: Text | None) -> Markup:
        """Localized Markdown, wrapped in a ``lang`` div when it fell back."""
        value, lang = self.pick(text)
        if not value:
            return Markup("")
        html = self._markdown(value)
        if lang == self.document:
            return html
        return Markup(f'<div{self._marks(lang)}>{html}</div>')  # noqa: S704 - escaped
