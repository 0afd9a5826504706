"""The site in real headless Chromium: axe-core finds no WCAG 2.2 AA violation on any page
type in either language, search works with JavaScript, and screenshots are taken."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

import govdisclosure as gd

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"
AS_OF = dt.datetime(2002, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=8)))

#: One page of every page type (below the language folder).
PAGES = [
    "index.html",
    "items/land-farmland-conversion.html",
    "allocations/alloc-land-nanguan-2002-07.html",
    "press/pc-2002-09-26.html",
    "news/nr-2002-ten-disclosures.html",
    "disclosures/hotline-directory-2002.html",  # a body with a Markdown table
    "disclosures/heating-fees-2002-v1.html",  # a tombstone
    "evaluations/eval-2002-changchun.html",
    "halls/changchun-government-affairs-hall.html",
    "windows/cc-w01.html",
    "hotlines.html",
    "hotlines/hl-governor.html",
    "agencies/changchun.html",
    "agencies.html",
    "disclosures.html",
    "category/announcement.html",
    "items.html",
    "statistics/index.html",
    "statistics/hotlines.html",
    "statistics/cases.html",
    "statistics/suggestions.html",
    "statistics/complaints.html",
    "statistics/accountability.html",
    "statistics/evaluations.html",
    "withdrawn.html",
    "search.html?q={query}",
    "404.html",
]
SHOTS = {
    "home": "index.html",
    "approval-item": "items/land-farmland-conversion.html",
    "allocation": "allocations/alloc-land-nanguan-2002-07.html",
    "service-hall": "halls/changchun-government-affairs-hall.html",
}
VIEWPORTS = {"desktop": (1280, 900), "mobile": (390, 844)}



@pytest.fixture(name="server", scope="module")
def fixture_server(tmp_path_factory: pytest.TempPathFactory,
                   serve_folder: Callable[[Path], Iterator[str]]) -> Iterator[str]:
    """The example site served on 127.0.0.1; yields its base URL."""
    catalog = gd.load_catalog(ROOT / "examples" / "jilin-2002")
    out = tmp_path_factory.mktemp("pub")
    gd.publish(catalog, to=["site"], out=out, as_of=AS_OF)
    yield from serve_folder((out / "site").resolve())



@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_no_axe_violations(browser: Any, server: str, axe: Callable[[Any], list[dict[str, Any]]],
                           lang: str) -> None:
    """Every page type, in both languages, has zero WCAG 2.2 AA violations under axe-core,
    and breaks none of its best practices."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    for path in [*PAGES, *(["../index.html", "../404.html"] if lang == "en" else [])]:
        query = "%E5%AE%A1%E6%89%B9" if lang == "zh-CN" else "land"
        page.goto(f"{server}{lang}/{path.format(query=query)}")
        if path == "../index.html":  # the language chooser refreshes into the default language
            page.wait_for_url(f"{server}zh-CN/index.html")
            page.wait_for_load_state("load")
        if path.startswith("search.html"):
            page.wait_for_selector("#search-results li", timeout=5000)
        for violation in axe(page):
            nodes = [" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                     for n in violation["nodes"][:3]]
            problems.append(f"{lang}/{path}: {violation['id']} ({violation['impact']}): "
                            f"{violation['help']} at {nodes}")
    context.close()
    assert not problems, "\n".join(problems)


def test_mobile_layout_has_no_axe_violations(
        browser: Any, server: str, axe: Callable[[Any], list[dict[str, Any]]]) -> None:
    """The narrow layout (390 px) passes too (reflow, target size, contrast)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    problems = []
    for path in ("index.html", "items/land-farmland-conversion.html",
                 "halls/changchun-government-affairs-hall.html", "statistics/cases.html",
                 "disclosures/hotline-directory-2002.html"):
        page.goto(f"{server}zh-CN/{path}")
        problems += [f"{path}: {v['id']}: {v['help']}" for v in axe(page)]
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_no_page_scrolls_sideways_on_a_phone(browser: Any, server: str, lang: str) -> None:
    """At 390 px every page type fits the screen: wide tables scroll in their own region or
    wrap, long URLs and emails wrap."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    # a mobile browser widens its layout viewport to fit content wider than the screen
    wide = _wider_pages(context.new_page(), server, lang, PAGES, 390,
                        "Math.max(window.innerWidth, document.documentElement.scrollWidth)")
    context.close()
    assert not wide, "\n".join(wide)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_page_reflows_at_320_css_pixels(browser: Any, server: str, lang: str) -> None:
    """WCAG 1.4.10: at 320 CSS px (1280 px at 400% zoom) no page type scrolls sideways,
    the header's search form included (its input shrinks, not the page)."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    # the root language chooser, measured before its refresh leads to the default language
    page.route(f"{server}index.html", lambda route: route.fulfill(
        response=route.fetch(), body=re.sub(r'<meta http-equiv="refresh"[^>]*>', "",
                                            route.fetch().text())))
    wide = _wider_pages(page, server, lang, [*PAGES, "../index.html", "../404.html"], 320,
                        "document.documentElement.scrollWidth")
    context.close()
    assert not wide, "\n".join(wide)


def _wider_pages(page: Any, server: str, lang: str, paths: list[str], limit: int,
                 measure: str) -> list[str]:
    """``url: width`` of the pages of ``paths`` whose width (``measure``, a script) is
    over ``limit`` CSS px."""
    wide = []
    for path in paths:
        page.goto(f"{server}{lang}/{path.format(query='land')}")
        width = page.evaluate(measure)
        if width > limit:
            wide.append(f"{page.url}: {width} px")
    return wide


@pytest.mark.parametrize("width", [390, 320])
def test_short_tables_fit_a_phone_without_scrolling(browser: Any, server: str,
                                                     width: int) -> None:
    """On every item page, in both languages, the ten disclosures and the fees (short
    tables) fit the screen: long URLs wrap, and a fee's basis column is on screen."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    cut = []
    for lang in ("zh-CN", "en"):
        page.goto(f"{server}{lang}/items.html")
        items = page.eval_on_selector_all("ul.records a.record-title",
                                          "els => els.map(e => e.href)")
        assert len(items) > 10
        for url in items:
            page.goto(url)
            cut += [f"{url}: {found}" for found in page.evaluate(
                """() => [...document.querySelectorAll('table.narrow')].filter((table) => {
                  const box = table.closest('.table-scroll');
                  return box.scrollWidth > box.clientWidth
                    || table.getBoundingClientRect().right > window.innerWidth;
                }).map((table) => table.caption.id)""")]
    context.close()
    assert not cut, "\n".join(cut)


@pytest.mark.parametrize(("lang", "query", "expected"), [
    ("zh-CN", "12358", ["hotlines/hl-price.html", "items/price-fee-license.html",
                        "agencies/jilin-price.html"]),
    ("en", "0431-88900000", ["hotlines/hl-governor.html"]),
    ("en", "0431 8890 0000", ["hotlines/hl-governor.html"]),
    ("zh-CN", "heating-fees-2002", ["disclosures/heating-fees-2002.html"]),
    ("en", "cc-w03", ["windows/cc-w03.html"]),
    ("zh-CN", "吉价〔2002〕296号", ["items/price-fee-license.html"]),
    ("zh-CN", "吉价[2002]296号", ["items/price-fee-license.html"]),
    ("en", "吉政发〔2002〕21号", ["items/police-passport.html"]),
])
def test_search_finds_the_numbers_a_citizen_has_in_hand(
        browser: Any, server: str, lang: str, query: str, expected: list[str]) -> None:
    """A hotline or complaint number (with or without separators), a record's id (its
    page's name), a document or decision number (with any brackets)."""
    page = browser.new_page()
    page.goto(f"{server}{lang}/search.html?q={quote(query)}")
    page.wait_for_selector("#search-results li a")
    links = page.eval_on_selector_all("#search-results a", "els => els.map(e => e.href)")
    for path in expected:
        assert f"{server}{lang}/{path}" in links, (query, links)
    page.close()


@pytest.mark.parametrize("query", ["0431-8890 0000", "0431 8890 0000", "(0431) 8890-0000"])
def test_a_number_typed_in_groups_is_one_number(browser: Any, server: str, query: str) -> None:
    """The groups of a phone number are not words each found anywhere: 0431-8890 0000 is
    the governor's hotline alone, not also the number that ends 0001."""
    page = browser.new_page()
    page.goto(f"{server}en/search.html?q={quote(query)}")
    page.wait_for_selector("#search-results li a")
    links = page.eval_on_selector_all("#search-results a", "els => els.map(e => e.href)")
    page.close()
    assert [link for link in links if "/hotlines/" in link or "/agencies/" in link] == [
        f"{server}en/hotlines/hl-governor.html"], links


def test_search_lists_title_matches_first(browser: Any, server: str) -> None:
    """Records whose title has every word come first, each group in listing order."""
    page = browser.new_page()
    for lang, query in (("en", "fee"), ("zh-CN", "登记")):
        page.goto(f"{server}{lang}/search.html?q={quote(query)}")
        page.wait_for_selector("#search-results li a")
        titles = page.eval_on_selector_all("#search-results a",
                                           "els => els.map(e => e.textContent.toLowerCase())")
        marks = [query in title for title in titles]
        assert marks[0], titles
        assert marks == sorted(marks, reverse=True), titles
        if lang == "en":  # "Fees" is also a tag: these records come last
            assert False in marks, titles
    page.close()


@pytest.mark.parametrize(("path", "address"), [
    ("items/price-fee-license.html", "1255 Xinmin Street"),  # no window: the agency's
    ("items/aic-registration-fee.html", "2188 Renmin Street"),  # its window's hall
])
def test_an_items_printout_says_where_to_go(browser: Any, server: str, path: str,
                                            address: str) -> None:
    """The printed guide, which people take to the hall, gives the address (and hours or
    phone) next to the window, or the agency's when there is no window."""
    page = browser.new_page()
    page.emulate_media(media="print")
    page.goto(f"{server}en/{path}")
    where = page.locator("section[aria-labelledby='s-where']")
    assert where.is_visible()
    shown = where.inner_text()
    assert address in shown, shown
    assert "Opening hours" in shown or "Phone" in shown, shown
    page.close()


def test_without_javascript_the_search_page_links_the_listings(browser: Any,
                                                               server: str) -> None:
    """The notice says search needs JavaScript and leads to the listings instead."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}en/search.html?q=fee")
    notice = page.locator("main .notice")
    assert notice.is_visible()
    page.click("main .notice a[href$='agencies.html']")
    page.wait_for_url(f"{server}en/agencies.html")
    context.close()


def test_search_finds_records_and_keeps_titles_as_text(browser: Any, server: str) -> None:
    """Typing a query lists matching records as links to their pages."""
    page = browser.new_page()
    page.goto(f"{server}en/search.html")
    page.fill("#search-q", "land")
    page.click("form.search-page button")
    page.wait_for_selector("#search-results li a")
    links = page.eval_on_selector_all("#search-results a", "els => els.map(e => e.href)")
    assert links
    assert all(link.startswith(server) and link.endswith(".html") for link in links)
    assert "results" in (page.text_content("#search-status") or "")
    page.close()


def test_search_matches_agency_and_type_too(browser: Any, server: str) -> None:
    """A query may name the agency or the kind of record, not only words of the title;
    each result says its type and agency."""
    page = browser.new_page()
    page.goto(f"{server}en/search.html?q=general+office+news+release")
    page.wait_for_selector("#search-results li a")
    rows = page.eval_on_selector_all(
        "#search-results li", "els => els.map(e => [e.querySelector('a').textContent, "
        "e.querySelector('.record-meta').textContent])")
    assert rows
    for title, meta in rows:
        assert "General Office" in meta, (title, meta)
        assert "news release" in f"{title} {meta}".lower(), (title, meta)
    assert any(meta.startswith("News releases · ") and "news release" not in title.lower()
               and "general office" not in title.lower() for title, meta in rows), rows
    page.close()


def test_skip_link_is_first_and_moves_focus(browser: Any, server: str) -> None:
    """The first Tab reaches the skip link, which leads to the main content."""
    page = browser.new_page()
    page.goto(f"{server}en/items/land-farmland-conversion.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.close()


#: Count badges narrower than their number and padding (squeezed by a long tile label).
_SQUEEZED = """() => [...document.querySelectorAll('.count')].filter((e) => {
  const text = document.createRange(); text.selectNodeContents(e);
  const style = getComputedStyle(e);
  return e.getBoundingClientRect().width + 0.5 < text.getBoundingClientRect().width
    + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight); }).length"""


def test_screenshots(browser: Any, server: str) -> None:
    """Full-page screenshots of the key pages at desktop and mobile widths."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for view, (width, height) in VIEWPORTS.items():
        context = browser.new_context(viewport={"width": width, "height": height},
                                      device_scale_factor=1, is_mobile=view == "mobile")
        page = context.new_page()
        for lang in ("zh-CN", "en"):
            for name, path in SHOTS.items():
                page.goto(f"{server}{lang}/{path}")
                target = SCREENSHOTS / f"site-{name}-{lang}-{view}.png"
                page.screenshot(path=str(target), full_page=True)
                assert target.stat().st_size > 10_000
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth > window.innerWidth + 1")
                assert not overflow, f"{lang}/{path} scrolls sideways at {width} px"
                squeezed = page.evaluate(_SQUEEZED)
                assert squeezed == 0, f"{lang}/{path}: {squeezed} counts cut at {width} px"
        context.close()


def test_search_results_read_as_the_site_and_the_switch_keeps_the_query(
        browser: Any, server: str) -> None:
    """Dates in results are written as on every page (not ISO), one hit is "1 result", the
    language switch leads to the same search in the other language, and an index that
    cannot be loaded says so."""
    page = browser.new_page()
    page.goto(f"{server}en/search.html?q=farmland+conversion")
    page.wait_for_selector("#search-results li a")
    metas = page.eval_on_selector_all("#search-results .record-meta",
                                      "els => els.map(e => e.textContent)")
    assert metas
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", meta) for meta in metas), metas
    assert any(re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}", meta) for meta in metas), metas
    switch = page.get_attribute("a[hreflang='zh-CN']", "href") or ""
    assert switch.endswith("search.html?q=farmland%20conversion"), switch
    page.goto(f"{server}zh-CN/search.html?q=" + "农用地转用")
    page.wait_for_selector("#search-results li a")
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日",
                     page.text_content("#search-results .record-meta") or "")
    count = len(page.query_selector_all("#search-results li"))
    status = page.text_content("#search-status") or ""
    assert status == (f"共{count}条结果" if count > 1 else "共1条结果"), status
    page.route("**/search/*.json", lambda route: route.abort())
    page.goto(f"{server}en/search.html?q=land")
    page.wait_for_function("document.getElementById('search-status').textContent !== ''")
    assert "could not be loaded" in (page.text_content("#search-status") or "")
    page.close()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_header_is_compact_on_a_phone(browser: Any, server: str, lang: str) -> None:
    """At 390 x 844 the header (name, language switch, search, menu) takes under a quarter
    of the first screen, and every part of it still works: the skip link comes first, the
    language switch and every menu link can be reached and followed."""
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  device_scale_factor=1, is_mobile=True)
    page = context.new_page()
    for path in ("index.html", "items/land-farmland-conversion.html", "statistics/cases.html"):
        page.goto(f"{server}{lang}/{path}")
        height = page.evaluate(
            "document.querySelector('header.masthead').getBoundingClientRect().height")
        assert height < 0.25 * 844, f"{lang}/{path}: header {height} px high"
    page.screenshot(path=str(SCREENSHOTS / f"site-header-{lang}-mobile.png"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    for selector in (".langs a", "form.search-box input", "form.search-box button"):
        for element in page.query_selector_all(selector):
            assert element.is_visible(), selector
            box = element.bounding_box()
            assert box is not None
            assert box["x"] >= 0, selector
            assert box["x"] + box["width"] <= 390, selector
            assert box["height"] >= 24, selector
    hrefs = page.eval_on_selector_all(".menu a", "els => els.map(e => e.href)")
    assert len(hrefs) == 10
    last = page.locator(".menu a").last  # off the screen at first: the row scrolls
    last.focus()
    box = last.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    last.click()
    page.wait_for_url(hrefs[-1])
    other = "en" if lang == "zh-CN" else "zh-CN"
    page.click(f".langs a[hreflang='{other}']")
    page.wait_for_url(f"{server}{other}/statistics/index.html")
    context.close()


@pytest.fixture(name="internal_server", scope="module")
def fixture_internal_server(tmp_path_factory: pytest.TempPathFactory,
                            serve_folder: Callable[[Path], Iterator[str]]) -> Iterator[str]:
    """The example site built for the internal audience, served on 127.0.0.1."""
    catalog = gd.load_catalog(ROOT / "examples" / "jilin-2002")
    out = tmp_path_factory.mktemp("internal")
    gd.publish(catalog, to=["site"], out=out, as_of=AS_OF, audience="internal")
    yield from serve_folder((out / "site").resolve())


@pytest.mark.parametrize("viewport", ["desktop", "mobile"])
def test_the_internal_banner_has_no_axe_violations(
        browser: Any, internal_server: str, axe: Callable[[Any], list[dict[str, Any]]],
        viewport: str) -> None:
    """An internal build's banner is a named landmark with enough contrast, at either width,
    and shown (not hidden off screen)."""
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    problems = []
    for path in ("zh-CN/index.html", "en/items/land-farmland-conversion.html", "zh-CN/404.html"):
        page.goto(f"{internal_server}{path}")
        assert page.locator("section.internal-banner").is_visible(), path
        problems += [f"{path}: {v['id']}: {v['help']}" for v in axe(page)]
    context.close()
    assert not problems, "\n".join(problems)
