"""What publishers share (publishers/pages.py)."""

from __future__ import annotations

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.catalog.catalog import FileDigest
from govdisclosure.publishers.feeds.items import markdown_html as feeds_markdown
from govdisclosure.publishers.news.render import markdown_html as news_markdown
from govdisclosure.publishers.pages import (
    attachment_copies,
    attachment_files,
    attachment_url,
    natural,
    without_userinfo,
)
from govdisclosure.publishers.site.text import Markdown


@given(st.lists(st.text(alphabet="a1-0 9B", max_size=6), max_size=8))
def test_any_window_numbers_sort_naturally(numbers: list[str]) -> None:
    """Any two keys compare (a number first against a letter first, e.g. '1' and 'A',
    crashed the kiosk's sort), and runs of digits compare as numbers."""
    ordered = sorted(numbers, key=natural)
    assert sorted(ordered, key=natural) == ordered
    assert sorted(["10", "2", "B", "1A"], key=natural) == ["1A", "2", "10", "B"]


BASE = "https://gk.example.gov.cn/"


@pytest.mark.parametrize(("url", "expected"), [
    ("https://cdn.example.gov.cn/a.pdf", "https://cdn.example.gov.cn/a.pdf"),
    ("HTTP://cdn.example.gov.cn/a.pdf", "HTTP://cdn.example.gov.cn/a.pdf"),
    ("files/a.pdf", f"{BASE}assets/disclosure/d1/attachment-1.pdf"),
    ("/files/a.pdf", f"{BASE}files/a.pdf"),
    ("javascript:alert(1)", None),
    ("JaVaScRiPt:alert(1)", None),
    (" javascript:alert(1)", None),  # a space before the scheme: not a catalogue file
    ("data:text/html,<script>alert(1)</script>", None),
    ("mailto:press@example.gov.cn", None),
    ("tel:+86431", None),
    ("file:///etc/passwd", None),
    ("//evil.example/a.pdf", None),
    ("https:///no-host", None),
    ("https://user:pw@cdn.example.gov.cn/a.pdf?x=1", "https://cdn.example.gov.cn/a.pdf?x=1"),
    ("https://user@cdn.example.gov.cn:8443/a.pdf", "https://cdn.example.gov.cn:8443/a.pdf"),
])
def test_attachments_link_only_to_the_web(url: str, expected: str | None) -> None:
    """Feeds, OCDS and ninjs link an attachment at an absolute http(s) URL: a catalogue
    file at the site's copy, a relative URL below the base; any other scheme, or none."""
    record = gd.Disclosure(id="d1", agency="a", category="other", title="t",
                           attachments=[gd.Attachment(title="a", url=url)])
    (attachment,) = record.attachments
    copies = attachment_copies(record, lambda path: FileDigest.of(b"%PDF"))
    assert attachment_url(attachment, copies, BASE) == expected
    # a file the site does not copy is linked as the site links it: below the base URL
    assert attachment_url(attachment, attachment_copies(record, lambda path: None), BASE) == (
        f"{BASE}files/a.pdf" if url == "files/a.pdf" else expected)


def test_one_decision_says_which_attachments_the_site_copies() -> None:
    """``attachment_files``: a url naming a catalogue file is copied when the file can be
    read and matches every sha256 declared for that url (none copied when they disagree),
    as ``attachment-N`` after the url's first place; each file is asked for once, and a
    record without catalogue files asks for none."""
    good, other = FileDigest.of(b"good"), FileDigest.of(b"other")
    files = {"docs/good.pdf": good, "docs/twice.pdf": good, "docs/bad.pdf": other}
    asked: list[str] = []

    def digests(path: str) -> FileDigest | None:
        asked.append(path)
        return files.get(path)

    record = gd.Disclosure(id="d1", agency="a", category="other", title="t", attachments=[
        gd.Attachment(title="web", url="https://cdn.example.gov.cn/a.pdf"),
        gd.Attachment(title="good", url="docs/good.pdf", sha256=good.sha256),
        gd.Attachment(title="missing", url="docs/missing.PDF"),
        gd.Attachment(title="bad", url="docs/bad.pdf", sha256=good.sha256),
        gd.Attachment(title="twice", url="docs/twice.pdf", sha256=good.sha256),
        gd.Attachment(title="again", url="docs/good.pdf"),
        gd.Attachment(title="twice, wrong", url="docs/twice.pdf", sha256=other.sha256)])
    found = attachment_files(record, digests)
    folder = "assets/disclosure/d1"
    assert {url: (file.target, file.refused) for url, file in found.items()} == {
        "docs/good.pdf": (f"{folder}/attachment-2.pdf", None),
        "docs/missing.PDF": (f"{folder}/attachment-3.pdf",
                             "is missing, unreadable, over 10 MB or a catalogue source file"),
        "docs/bad.pdf": (f"{folder}/attachment-4.pdf", "does not match its sha256"),
        "docs/twice.pdf": (f"{folder}/attachment-5.pdf", "does not match its sha256")}
    assert sorted(asked) == sorted(found)
    assert attachment_copies(record, digests) == {"docs/good.pdf": found["docs/good.pdf"]}
    web = gd.Disclosure(id="d2", agency="a", category="other", title="t", attachments=[
        gd.Attachment(title="web", url="https://cdn.example.gov.cn/a.pdf")])
    assert attachment_files(web, lambda path: pytest.fail(f"read {path}")) == {}


# -- Markdown links: one rule for every publisher that renders Markdown ------------------------

PASSWORD = "s3cretpw"  # noqa: S105 - the point: it must never be published
WITH_USER = f"https://clerk:{PASSWORD}@www.example.org"
BODY = (f"See [the form]({WITH_USER}/form \"t\"), <{WITH_USER}/auto?a=1&b=2>, "
        f"[{WITH_USER}/text]({WITH_USER}/text), ![{WITH_USER}/alt]({WITH_USER}/i.png), "
        f"[no host](https://clerk:{PASSWORD}@/x), [JS](javascript:alert(1)), "
        f"[part](#part), [file](files/a.pdf) and {WITH_USER}/bare.")
RENDERERS = {
    "site": lambda text: str(Markdown(BASE)(text)),
    "feeds": lambda text: feeds_markdown(text, BASE),
    "news": lambda text: str(news_markdown(text, BASE)),
}


@pytest.mark.parametrize("publisher", sorted(RENDERERS))
def test_markdown_links_lose_user_information(publisher: str) -> None:
    """Every publisher's Markdown takes ``user:password@`` out of link hrefs, image srcs
    and URLs shown as text (an autolink's, a link's whose text is its URL, an alt text, a
    bare one), resolves relative links against the base and refuses a host-less http(s)
    link and ``javascript:``, as ``safe_url`` does for every other URL."""
    tree = lxml.html.fragment_fromstring(RENDERERS[publisher](BODY), create_parent="div")
    image = "https://www.example.org/i.png"
    images = publisher == "feeds"  # the site and the news show an image as a plain link
    assert [a.get("href") for a in tree.iter("a")] == [
        "https://www.example.org/form", "https://www.example.org/auto?a=1&b=2",
        "https://www.example.org/text", *([] if images else [image]), "#part",
        f"{BASE}files/a.pdf"]
    assert [a.text_content() for a in tree.iter("a")][1:3] == [
        "https://www.example.org/auto?a=1&b=2", "https://www.example.org/text"]
    assert [img.get("src") for img in tree.iter("img")] == ([image] if images else [])
    shown = [tree.text_content(), *(img.get("alt") for img in tree.iter("img"))]
    assert not [text for text in shown if PASSWORD in text or "clerk" in text]
    assert "https://www.example.org/bare." in tree.text_content()
    assert "no host" in tree.text_content()


@pytest.mark.parametrize(("text", "expected"), [
    (f"{WITH_USER}/a", "https://www.example.org/a"),
    ("see HTTPS://u@h.example:8443/a and [x](http://a:b@c.example?q=d@e)",
     "see HTTPS://h.example:8443/a and [x](http://c.example?q=d@e)"),
    ("mail a@b.example, https://h.example/@user, https://h.example?u=x@y",
     "mail a@b.example, https://h.example/@user, https://h.example?u=x@y"),
    ('<a href="https://h.example/" title="u@x">https://u:p@h.example/</a>',
     '<a href="https://h.example/" title="u@x">https://h.example/</a>'),
    # glued to Chinese text or a digit, as Chinese catalogues write them
    ("详见https://admin:s3cret@example.gov.cn/x。", "详见https://example.gov.cn/x。"),
    ("第1https://u:pw@h.example", "第1https://h.example"),
    # Chinese text after a URL, then an address: not the URL's host part
    ("https://example.gov.cn，邮箱admin@x.cn", "https://example.gov.cn，邮箱admin@x.cn"),
    # a quote or angle bracket in a password, in plain text
    ('see https://admin:pa"s<s@h.cn/', "see https://h.cn/"),
    ("xhttps://u:p@h.example", "xhttps://u:p@h.example"),  # another scheme's name
])
def test_text_loses_the_user_information_of_its_urls(text: str, expected: str) -> None:
    """A Markdown body's source shown as plain text keeps its URLs but not their
    ``user:password@``; an address, a path or query with ``@``, and HTML tags are kept."""
    assert without_userinfo(text) == expected


def test_html_keeps_its_tags_and_loses_the_user_information_of_its_urls() -> None:
    """In HTML a quote or an angle bracket ends a URL's host part (a tag or attribute
    stays whole); an escaped quote in a password does not."""
    html = ('<p title="https://h.example">详见https://admin:pa&quot;ss@h.cn/x '
            '<a href="https://h.example/">https://u:p@h.example/</a></p>')
    assert without_userinfo(html, html=True) == (
        '<p title="https://h.example">详见https://h.cn/x '
        '<a href="https://h.example/">https://h.example/</a></p>')
