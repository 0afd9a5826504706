"""Hostile catalogue text stays inert on the site, checked by parsing the pages with lxml."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree, html
from markupsafe import Markup, escape

import govdisclosure as gd
from govdisclosure.publishers.site import _output
from govdisclosure.publishers.site.text import clean
from govdisclosure.testing import output_files

AS_OF = dt.datetime(2003, 1, 1, tzinfo=dt.UTC)
SCRIPT = "<script>alert('x')</script>"
BREAKOUT = "</script><script>alert(1)</script>"
QUOTES = "\"' onmouseover=\"alert(1)\" x='"
RTL = "\u202eevil\u202c \u2067isolated\u2069"
CONTROL = "bell\x07nul\x00esc\x1b"
EVIL_URLS = ["javascript:alert(1)", "JaVaScRiPt:alert(2)", " javascript:alert(3)",
             "java\tscript:alert(4)", "data:text/html,<script>alert(5)</script>",
             "vbscript:msgbox(6)", "//evil.example/x", "javascript&#58;alert(7)"]
HOSTILE = f"{SCRIPT}{BREAKOUT}{QUOTES}{RTL}{CONTROL}"


def attachments() -> list[gd.Attachment]:
    """One attachment per hostile URL."""
    return [gd.Attachment(title=f"{SCRIPT} {n}", url=url) for n, url in enumerate(EVIL_URLS)]


@pytest.fixture(name="site", scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue full of hostile text, published."""
    meta = gd.CatalogMeta(name={"zh-CN": f"站{SCRIPT}", "en": f"Site {QUOTES}"},
                          base_url="https://example.org/", languages=("zh-CN", "en"),
                          default_language="zh-CN", timezone="Asia/Shanghai")
    body = (f"# {SCRIPT}\n\n<img src=x onerror=alert(1)> [click](javascript:alert(1)) "
            f"[ok](https://example.org/a) {RTL}\n\n<a href=\"javascript:alert(1)\">raw</a>")
    records: list[gd.Record] = [
        gd.Agency(id="evil-agency", name=HOSTILE, level="province", website=EVIL_URLS[0],
                  contact=gd.ContactPoint(phone=f"123{SCRIPT}", email=f"a@b{QUOTES}")),
        gd.Disclosure(id="evil-doc", agency="evil-agency", title=HOSTILE, summary=HOSTILE,
                      body=body, category="policy", attachments=attachments(),
                      tags=(SCRIPT,), issued_at=AS_OF - dt.timedelta(days=3)),
        gd.NewsRelease(id="evil-news", agency="evil-agency", headline=HOSTILE, body=body,
                       issued_at=AS_OF - dt.timedelta(days=2)),
        gd.ApprovalItem(id="evil-item", agency="evil-agency", title=HOSTILE,
                        handling_unit=HOSTILE, online_url=EVIL_URLS[1],
                        legal_basis=[gd.LegalBasis(title=HOSTILE, url=EVIL_URLS[0])],
                        results=gd.Results(channel=HOSTILE, url=EVIL_URLS[4]),
                        conditions=[HOSTILE], fees=[]),
        gd.PressConference(id="evil-pc", agency="evil-agency", title=HOSTILE,
                           scheduled_at=AS_OF - dt.timedelta(days=1), venue=HOSTILE,
                           qa=[gd.QA(question=HOSTILE, answer=body)]),
        gd.ServiceHall(id="evil-hall", agency="evil-agency", name=HOSTILE,
                       online_url=EVIL_URLS[2],
                       floors=[gd.Floor(label=HOSTILE,
                                        windows=[gd.FloorWindow(window="evil-w", x=50, y=50)])]),
        gd.ServiceWindow(id="evil-w", agency="evil-agency", hall="evil-hall",
                         number=f"1{QUOTES}", name=HOSTILE, guide=body,
                         staff=[gd.Staff(name=HOSTILE, badge=SCRIPT)]),
        gd.Hotline(id="evil-line", agency="evil-agency", number=f"12345{SCRIPT}", title=HOSTILE),
        gd.Complaint(id="evil-complaint", agency="evil-agency", received_at=AS_OF,
                     summary=HOSTILE, topic=HOSTILE),
    ]
    out = tmp_path_factory.mktemp("hostile")
    report = gd.publish(gd.Catalog(records, meta), to=["site"], out=out, as_of=AS_OF)
    assert report.failed == 0, report.publishers[0].failures
    return (out / "site").resolve()


def all_pages(site: Path) -> list[Path]:
    """Every HTML page."""
    return sorted(site.rglob("*.html"))


def test_no_script_runs_but_ours(site: Path) -> None:
    """The only scripts are JSON-LD data and the site's own search script."""
    for page in all_pages(site):
        for script in html.parse(str(page)).iter("script"):
            kind = script.get("type")
            src = script.get("src")
            assert kind == "application/ld+json" or (src or "").endswith("static/search.js"), \
                (page, html.tostring(script)[:200])


def test_no_event_handler_attributes(site: Path) -> None:
    """No element carries an on* attribute, and no raw img from the text exists."""
    for page in all_pages(site):
        tree = html.parse(str(page))
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            assert not [a for a in element.attrib if a.lower().startswith("on")], page
        assert not list(tree.iter("img")), page


def test_no_dangerous_urls(site: Path) -> None:
    """Every href and src is relative, http(s), mailto or tel."""
    for page in all_pages(site):
        for element in html.parse(str(page)).iter():
            if not isinstance(element.tag, str):
                continue
            for attribute in ("href", "src", "action", "formaction", "xlink:href"):
                value = element.get(attribute)
                if value is None:
                    continue
                scheme = urlsplit(value.strip()).scheme.lower()
                assert scheme in ("", "http", "https", "mailto", "tel"), (page, value)
                assert not value.startswith("//"), (page, value)


def test_hostile_text_is_shown_as_text(site: Path) -> None:
    """The title appears literally as the heading's text, minus controls and bidi overrides."""
    tree = html.parse(str(site / "en/disclosures/evil-doc.html"))
    heading = tree.find(".//h1")
    assert heading is not None
    text = heading.text_content()
    assert SCRIPT in text
    assert BREAKOUT in text
    assert QUOTES in text
    assert "\u202e" not in text
    assert "\x07" not in text


def test_json_ld_survives_a_script_breakout(site: Path) -> None:
    """'</script>' inside JSON-LD is escaped: the data parses and holds the text."""
    for path in ("en/agencies/evil-agency.html", "en/news/evil-news.html",
                 "en/items/evil-item.html", "en/press/evil-pc.html"):
        scripts = html.parse(str(site / path)).findall(".//script[@type='application/ld+json']")
        assert len(scripts) == 1, path
        data = json.loads(scripts[0].text or "")
        assert BREAKOUT in json.dumps(data, ensure_ascii=False), path
        raw = (site / path).read_text(encoding="utf-8")
        assert raw.count("</script>") == 1 + raw.count('<script src='), path


def test_attribute_values_keep_their_quotes(site: Path) -> None:
    """Quotes in text never end an attribute: the aria-label holds the whole window name."""
    tree = html.parse(str(site / "en/halls/evil-hall.html"))
    links = [a for a in tree.iter("a") if "evil-w.html" in (a.get("href") or "")]
    labelled = [a.get("aria-label") for a in links if a.get("aria-label")]
    assert labelled
    assert QUOTES in (labelled[0] or "")


def test_no_control_or_override_characters_anywhere(site: Path) -> None:
    """Control characters and bidi overrides never reach a file."""
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml"):
            text = path.read_text(encoding="utf-8")
            for char in ("\x00", "\x07", "\x1b", "\u202e", "\u2067"):
                assert char not in text, (path, repr(char))


@given(st.one_of(st.text(), st.integers(), st.none(), st.text().map(Markup)))
def test_template_output_is_escaped_clean_text(value: object) -> None:
    # what the templates write for {{ value }}: markupsafe's escaping of the cleaned text
    expected = ("" if value is None else value if isinstance(value, Markup)
                else escape(clean(value)) if isinstance(value, str) else escape(value))
    assert _output(value) == str(expected)


def test_user_information_in_a_url_is_never_published(tmp_path: Path) -> None:
    """A password written into a website, a result URL, an online hall or an attachment
    URL (``https://user:password@...``, with a host or not) appears in no file of any
    built-in publisher: the links lose it, and so does the text that shows them."""
    with_password = "https://clerk:s3cretpw@www.example.org/"  # noqa: S105 - the point
    meta = gd.CatalogMeta(name="Site", base_url="https://example.org/",
                          timezone="Asia/Shanghai")
    records: list[gd.Record] = [
        gd.Agency(id="office", name="Office", level="province", website=with_password),
        gd.ApprovalItem(id="item", agency="office", title="Item", online_url=f"{with_password}a",
                        results=gd.Results(channel="web", url=f"{with_password}r"), fees=[],
                        attachments=[gd.Attachment(title="f", url=f"{with_password}f.pdf")]),
        gd.ServiceHall(id="hall", agency="office", name="Hall", online_url=f"{with_password}h"),
        # no host: not linked, shown as text, and that text loses the password too
        gd.ServiceHall(id="hall2", agency="office", name="Hall 2",
                       online_url="https://clerk:s3cretpw@/h"),
    ]
    out = tmp_path / "out"
    report = gd.publish(gd.Catalog(records, meta), out=out, as_of=AS_OF)
    assert report.failed == 0
    files = list(output_files(out))
    assert len(files) > 50
    assert [path for path in files if b"s3cretpw" in path.read_bytes()] == []
    page = (out / "site" / "zh-CN" / "agencies" / "office.html").read_text(encoding="utf-8")
    assert "https://www.example.org/" in page


def _links(page: html.HtmlElement) -> list[str]:
    """The URLs a parsed page links to: hrefs and image sources."""
    return [*page.xpath("//a/@href"), *page.xpath("//img/@src")]


def test_user_information_in_a_markdown_body_is_never_published(tmp_path: Path) -> None:
    """A password in a Markdown body's link, autolink, image or bare URL
    (``https://user:password@...``) is in no page, feed, news file, OCDS release or webhook
    document: the HTML (parsed) links to the URL without it and shows no text with it, and
    the plain-text renditions of the body lose it too."""
    host = "https://www.example.org"
    with_password = "https://clerk:s3cretpw@www.example.org"  # noqa: S105 - the point
    body = (f"Fill in [the form]({with_password}/form), see <{with_password}/auto>, "
            f"![map]({with_password}/map.png) or {with_password}/bare. 详见{with_password}/cn。")
    meta = gd.CatalogMeta(name="Site", base_url="https://example.org/", languages=("en",),
                          default_language="en", timezone="Asia/Shanghai")
    issued = dt.datetime(2002, 5, 1, tzinfo=dt.UTC)
    records: list[gd.Record] = [
        gd.Agency(id="office", name="Office", level="province"),
        gd.Disclosure(id="notice", agency="office", category="other", title="Notice",
                      body=body, issued_at=issued),
        gd.NewsRelease(id="release", agency="office", headline="Release", body=body,
                       issued_at=issued),
        gd.Allocation(id="grant", agency="office", title="Grant",
                      before=gd.Stage(published_at=issued, body=body)),
    ]
    out = tmp_path / "out"
    report = gd.publish(gd.Catalog(records, meta), out=out, as_of=AS_OF)
    assert report.failed == 0
    site = html.parse(out / "site" / "en" / "disclosures" / "notice.html").getroot()
    news = html.parse(out / "news" / "en" / "releases" / "release.html").getroot()
    (content,) = etree.parse(out / "feeds" / "all.atom").xpath(
        "//a:entry[a:id[contains(., 'notice')]]/a:content/text()",
        namespaces={"a": "http://www.w3.org/2005/Atom"})
    feed = html.fragment_fromstring(content, create_parent="div")
    for page in (site, news, feed):
        assert {f"{host}/form", f"{host}/auto"} <= set(_links(page))
        assert not [link for link in _links(page) if "@" in link]
        assert "s3cretpw" not in page.text_content()
        assert f"{host}/bare." in page.text_content()
    files = list(output_files(out))
    assert [path for path in files if b"s3cretpw" in path.read_bytes()] == []
