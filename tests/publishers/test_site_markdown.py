"""The site's Markdown: markdown-it.rs plus our link, image, heading and raw-HTML rules.

markdown-it-py (which the feeds use) is the reference: on text without links both are
CommonMark parsers and must agree; the rules are checked by parsing the HTML with lxml.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import html
from markdown_it import MarkdownIt

from govdisclosure.publishers.feeds.items import markdown_html as feeds_markdown
from govdisclosure.publishers.site.text import Markdown

BASE = "https://gk.example.gov.cn/site/"


def fragment(text: str) -> html.HtmlElement:
    """The rendered ``text`` parsed as one element."""
    return html.fragment_fromstring(str(Markdown(BASE)(text)), create_parent="div")


def test_relative_links_resolve_against_the_base_and_fragments_stay() -> None:
    tree = fragment("[a](files/x.pdf) [b](/root.html) [c](#part) <https://example.org/y>")
    assert [a.get("href") for a in tree.iter("a")] == [
        f"{BASE}files/x.pdf", "https://gk.example.gov.cn/root.html", "#part",
        "https://example.org/y"]


def test_a_link_to_a_refused_url_is_only_its_text() -> None:
    text = ("[one](ftp://x/y) [two](//evil.example/x \"t\") [three](JaVaScRiPt:alert(1)) "
            "<ftp://q> [**four**](data:text/html,x) [ok](mailto:a@b.cn)")
    tree = fragment(text)
    assert [a.get("href") for a in tree.iter("a")] == ["mailto:a@b.cn"]
    assert [a.text for a in tree.iter("a")] == ["ok"]
    assert tree.find(".//strong").text == "four"  # the link's content is kept
    assert tree.text_content().startswith("one two ")


def test_raw_html_and_images_stay_text() -> None:
    tree = fragment('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> ![pic](p.png)\n\n'
                    '<div onclick="x">\n*a*\n</div>')
    assert not tree.xpath("//script|//img|//div[@onclick]|//*[@onerror]")
    assert "<script>alert(1)</script>" in tree.text_content()
    assert [a.get("href") for a in tree.iter("a")] == [f"{BASE}p.png"]
    assert tree.find(".//em").text == "a"


def test_headings_sit_under_the_body_heading() -> None:
    tree = fragment("# one\n\n## two\n\n##### five\n\nsix\n---")
    assert [(el.tag, el.text) for el in tree if el.tag.startswith("h")] == [
        ("h3", "one"), ("h4", "two"), ("h6", "five"), ("h4", "six")]


def test_a_body_that_starts_below_level_one_does_not_skip_a_level() -> None:
    tree = fragment("## two\n\n### three\n\n## two again")
    assert [el.tag for el in tree if el.tag.startswith("h")] == ["h3", "h4", "h3"]


@pytest.mark.parametrize("render", [lambda text: str(Markdown(BASE)(text)),
                                    lambda text: feeds_markdown(text, BASE)],
                         ids=["site", "feeds"])
def test_an_empty_heading_is_no_heading(render: Callable[[str], str]) -> None:
    """A ``###`` line names no section: no empty heading anywhere (nor does it lower the
    body's real headings), and the paragraphs around it stay apart."""
    text = "one\n\n###\n\ntwo\n\n## ##\n> #\n- ###\n\n## real\n\n`###`"
    tree = html.fragment_fromstring(render(text), create_parent="div")
    headings = tree.xpath("//h1|//h2|//h3|//h4|//h5|//h6")
    assert [el.text_content() for el in headings] == ["real"]
    assert [p.text_content() for p in tree.iter("p")] == ["one", "two", "###"]


def test_tables_are_tables_with_their_text_inert() -> None:
    tree = fragment("| 事项 | 收费 <b>x</b> |\n| --- | ---: |\n| 护照 | [200元](javascript:x) |")
    assert [th.text_content() for th in tree.iter("th")] == ["事项", "收费 <b>x</b>"]
    assert [td.text_content() for td in tree.iter("td")] == ["护照", "[200元](javascript:x)"]
    assert not tree.xpath("//b|//a")


def test_tag_like_text_in_code_is_not_touched() -> None:
    tree = fragment('`<a href="javascript:x">` and `<h1>`\n\n    <a href="y">k</a>')
    assert not tree.xpath("//a|//h1|//h3")
    assert '<a href="javascript:x">' in tree.text_content()


_REFERENCE = MarkdownIt("commonmark", {"html": False})
_REFERENCE.disable("image")
_REFERENCE.enable("table")
# Bodies as agencies write them: blocks of CJK and Latin words with inline emphasis and
# code, apart by blank lines, and no links or markup (the parsers differ on some corner
# cases of malformed input, e.g. ">a\n*", which is not what this test is about).
_WORD = st.sampled_from(["政务公开", "窗口", "a", "text", "，", "。", "：", "1.", "*强调*",
                         "**重点**", "_em_", "`code`", "\\*", "&amp;", "&copy;", "50%"])
_LINE = st.lists(_WORD, min_size=1, max_size=8).map(" ".join)
_BLOCK = st.one_of(
    _LINE,
    st.tuples(st.integers(1, 6), _LINE).map(lambda h: f"{'#' * h[0]} {h[1]}"),
    st.lists(_LINE, min_size=1, max_size=4).map(lambda ls: "\n".join(f"- {x}" for x in ls)),
    st.lists(_LINE, min_size=1, max_size=4).map(
        lambda ls: "\n".join(f"{n}. {x}" for n, x in enumerate(ls, 1))),
    _LINE.map(lambda x: f"> {x}"),
    _LINE.map(lambda x: f"```\n{x}\n```"),
    _LINE.map(lambda x: f"    {x}"),
    st.just("---"),
    st.lists(_LINE, min_size=2, max_size=3).map("  \n".join),
)
_TEXT = st.lists(_BLOCK, max_size=8).map("\n\n".join)


@given(_TEXT)
def test_agrees_with_markdown_it_py_on_text_without_links(text: str) -> None:
    expected = _REFERENCE.render(text)
    levels = [int(level) for level in re.findall(r"<h([1-6])>", expected)]
    shift = 3 - min(levels, default=1)  # the highest heading becomes h3
    expected = re.sub(r"(</?)h([1-6])>", lambda m: f"{m[1]}h{min(6, int(m[2]) + shift)}>",
                      expected)
    assert _tags_apart(str(Markdown(BASE)(text))) == _tags_apart(expected)


def _tags_apart(markup: str) -> str:
    """``markup`` without whitespace next to tags, which the two parsers place differently
    (an empty blockquote, the end of an unclosed fence)."""
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", markup).strip()
