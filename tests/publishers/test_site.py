"""The site publisher: pages, links, sitemap, languages, privacy and determinism."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import attrs
import pytest
from lxml import etree, html

import govdisclosure as gd
from govdisclosure.publishers.pages import page_path

AS_OF = dt.datetime(2002, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=8)))
BASE = "https://gk.example.gov.cn/"


@pytest.fixture(name="catalog", scope="module")
def fixture_catalog() -> gd.Catalog:
    """The jilin-2002 example, loaded once."""
    return gd.load_catalog(Path(__file__).resolve().parents[2] / "examples" / "jilin-2002")


@pytest.fixture(name="site", scope="module")
def fixture_site(catalog: gd.Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example published to a temporary folder; returns the site folder."""
    out = tmp_path_factory.mktemp("pub")
    report = gd.publish(catalog, to=["site"], out=out, as_of=AS_OF)
    assert report.failed == 0
    return (out / "site").resolve()


def pages(site: Path) -> list[Path]:
    """Every HTML page of a site."""
    return sorted(site.rglob("*.html"))


def targets(page: Path) -> list[tuple[str, str, str]]:
    """``(tag, attribute, value)`` of every href and src of a page."""
    tree = html.parse(str(page))
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ("href", "src", "data-index"):
            value = element.get(attribute)
            if value is not None:
                found.append((element.tag, attribute, value))
    return found


def resolve(site: Path, page: Path, tag: str, url: str) -> Path | None:
    """The file a URL the site generated points to, or None for any other URL.

    Relative URLs are the site's own, and so are root-relative ones (the 404 pages',
    served at any depth, start at the base URL's path). Absolute ones under the base URL
    are the site's in ``<link>`` (canonical, alternates); elsewhere they come from the data
    (attachments hosted by the agency) and are not checked.
    """
    if url.startswith(BASE):
        if tag != "link" and page.name != "404.html":
            return None
        path = unquote(urlsplit(url).path.lstrip("/"))
        return site / (path + "index.html" if path.endswith("/") or not path else path)
    parts = urlsplit(url)
    if parts.path.startswith("/") and not parts.netloc:  # root-relative: the 404 pages'
        path = unquote(parts.path.removeprefix(urlsplit(BASE).path))
        return site / (path + "index.html" if path.endswith("/") or not path else path)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:  # '#fragment' or '?query' on the same page
        return page
    return (page.parent / unquote(parts.path)).resolve()


def test_every_internal_link_resolves(site: Path) -> None:
    """Every href and src of every page points at a generated file (or outside the site)."""
    broken = []
    for page in pages(site):
        for tag, attribute, url in targets(page):
            if attribute == "href" and url.startswith(("mailto:", "tel:")):
                continue
            target = resolve(site, page, tag, url)
            if target is not None and not target.is_file():
                broken.append(f"{page.relative_to(site)}: {url}")
    assert not broken, "\n".join(broken[:50])


def test_no_page_links_to_a_script_url(site: Path) -> None:
    """No href or src anywhere uses a scheme other than http(s), mailto or tel."""
    for page in pages(site):
        for _, _, url in targets(page):
            scheme = urlsplit(url).scheme.lower()
            assert scheme in ("", "http", "https", "mailto", "tel"), (page, url)


def test_sitemap_is_valid(site: Path, schemas: Path) -> None:
    """sitemap.xml validates against the sitemaps.org XSD and lists existing pages."""
    xsd = etree.XMLSchema(etree.parse(str(schemas / "sitemap" / "sitemap.xsd")))
    doc = etree.parse(str(site / "sitemap.xml"))
    xsd.assertValid(doc)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in doc.findall(".//s:loc", ns)]
    assert f"{BASE}zh-CN/index.html" in locs
    assert f"{BASE}en/items/land-farmland-conversion.html" in locs
    for loc in locs:
        assert loc is not None
        assert (site / loc.removeprefix(BASE)).is_file(), loc


def test_large_sitemaps_are_split_into_an_index(
    catalog: gd.Catalog, tmp_path: Path, schemas: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over the per-file limit, sitemap.xml is a sitemap index of valid sitemaps."""
    from govdisclosure.publishers import site as site_module

    monkeypatch.setattr(site_module, "SITEMAP_LIMIT", 100)
    gd.publish(catalog, to=["site"], out=tmp_path, as_of=AS_OF)
    index_xsd = etree.XMLSchema(etree.parse(str(schemas / "sitemap" / "siteindex.xsd")))
    url_xsd = etree.XMLSchema(etree.parse(str(schemas / "sitemap" / "sitemap.xsd")))
    root = tmp_path / "site"
    index = etree.parse(str(root / "sitemap.xml"))
    index_xsd.assertValid(index)
    locs = [e.text or "" for e in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) > 1
    for loc in locs:
        url_xsd.assertValid(etree.parse(str(root / loc.removeprefix(BASE))))


def _sitemap_urls(root: Path, name: str = "sitemap.xml") -> list[str]:
    """Every URL of a site's sitemap, through the index and its files if split."""
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    top = etree.parse(str(root / name)).getroot()
    locs = [e.text or "" for e in top.iter(f"{ns}loc")]
    if top.tag == f"{ns}urlset":
        return locs
    return [url for loc in locs for url in _sitemap_urls(root, loc.removeprefix(BASE))]


def test_split_sitemaps_hold_the_same_urls(
    catalog: gd.Catalog, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At, just under and far under the limit, the sitemap files list the URLs of the
    single sitemap in the same order; one file exactly when they fit."""
    from govdisclosure.publishers import site as site_module

    whole = _sitemap_urls(site)
    for limit in (len(whole), len(whole) - 1, 100):
        monkeypatch.setattr(site_module, "SITEMAP_LIMIT", limit)
        out = tmp_path / str(limit)
        gd.publish(catalog, to=["site"], out=out, as_of=AS_OF)
        assert _sitemap_urls(out / "site") == whole
        files = sorted(p.name for p in (out / "site" / "sitemaps").glob("*.xml")) \
            if (out / "site" / "sitemaps").is_dir() else []
        assert len(files) == (0 if limit == len(whole) else -(-len(whole) // limit))


def test_robots_points_at_the_sitemap(site: Path) -> None:
    """robots.txt allows crawling and names the sitemap."""
    text = (site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASE}sitemap.xml" in text


def test_every_page_exists_in_every_language(site: Path) -> None:
    """Each page under zh-CN/ has its twin under en/, with lang and hreflang set."""
    zh = {p.relative_to(site / "zh-CN") for p in (site / "zh-CN").rglob("*.html")}
    en = {p.relative_to(site / "en") for p in (site / "en").rglob("*.html")}
    assert zh == en
    for rel in sorted(zh)[:40]:
        for lang in ("zh-CN", "en"):
            tree = html.parse(str(site / lang / rel))
            assert tree.getroot().get("lang") == lang
            if rel.name in {"404.html", "search.html"}:
                continue
            alternates = {e.get("hreflang"): e.get("href")
                          for e in tree.iterfind(".//link[@rel='alternate']")}
            assert alternates["zh-CN"] == f"{BASE}zh-CN/{rel.as_posix()}"
            assert alternates["en"] == f"{BASE}en/{rel.as_posix()}"
            assert "x-default" in alternates


def test_interface_is_translated(site: Path) -> None:
    """The English pages use English interface strings, the Chinese ones Chinese."""
    en = html.parse(str(site / "en/items/land-farmland-conversion.html"))
    zh = html.parse(str(site / "zh-CN/items/land-farmland-conversion.html"))
    assert en.findtext(".//a[@class='skip']") == "Skip to main content"
    assert zh.findtext(".//a[@class='skip']") == "跳到主要内容"
    assert en.findtext(".//h1") == "Approval of the conversion of farmland to construction land"
    assert zh.findtext(".//h1") == "农用地转用审批"


def test_approval_item_shows_the_ten_disclosures(site: Path) -> None:
    """An approval item's page holds the ten-disclosure table with row headers."""
    tree = html.parse(str(site / "en/items/land-farmland-conversion.html"))
    table = tree.find(".//table")
    assert table is not None
    rows = [th.text_content() for th in table.iterfind(".//th[@scope='row']")]
    assert len(rows) == 10
    assert rows[0].startswith("1.")
    assert rows[9].startswith("10.")
    assert table.find("caption") is not None


def test_cases_and_calls_only_in_aggregate(site: Path, catalog: gd.Catalog) -> None:
    """No page for a case or a call; a person's name never appears, an organisation's may."""
    assert not list(site.rglob("case-*.html"))
    assert not list(site.rglob("call-*.html"))
    text = "".join(p.read_text(encoding="utf-8") for p in pages(site))
    people = [c.applicant_name for c in catalog.of_type(gd.Case)
              if c.applicant_kind == "person" and c.applicant_name]
    for name in people:
        assert name not in text, name
    organisations = [c.applicant_name for c in catalog.of_type(gd.Case)
                     if c.applicant_kind == "organisation" and c.applicant_name
                     and c.decided_at is not None]
    assert organisations
    assert organisations[0] in text


def test_private_names_stay_private(site: Path, catalog: gd.Catalog) -> None:
    """subject_name appears only with name_public; credit_name only with credit_public."""
    text = "".join(p.read_text(encoding="utf-8") for p in pages(site))
    for record in catalog.of_type(gd.AccountabilityRecord):
        if record.subject_name and not record.name_public:
            assert record.subject_name not in text
    for suggestion in catalog.of_type(gd.Suggestion):
        if suggestion.credit_name and not suggestion.credit_public:
            assert suggestion.credit_name not in text


def test_internal_records_never_reach_the_public_site(site: Path, catalog: gd.Catalog) -> None:
    """Records for the internal audience have no page and are not in the search index."""
    internal = [r for r in catalog if r.audience == "internal"]
    assert internal
    index = (site / "search" / "zh-CN.json").read_text(encoding="utf-8")
    for record in internal:
        assert not list(site.rglob(f"{record.id}.html"))
        assert f"/{record.id}.html" not in index


def test_json_ld_is_valid_json_with_the_right_types(site: Path) -> None:
    """Agencies, items, releases and conferences carry schema.org JSON-LD."""
    expected = {"agencies": "GovernmentOrganization", "items": "GovernmentService",
                "news": "NewsArticle", "press": "Event"}
    for folder, kind in expected.items():
        page = next((site / "en" / folder).glob("*.html"))
        scripts = html.parse(str(page)).findall(".//script[@type='application/ld+json']")
        assert len(scripts) == 1, page
        data = json.loads(scripts[0].text or "")
        assert data["@type"] == kind
        assert data["@context"] == "https://schema.org"


def test_search_index_lists_every_record_page(site: Path) -> None:
    """The compact index points at existing pages only."""
    data = json.loads((site / "search" / "en.json").read_text(encoding="utf-8"))
    assert data["items"]
    assert data["v"] == 4
    for title, path, kind, _, agency, tags, keys in data["items"]:
        assert title
        assert 0 <= kind < len(data["types"])
        assert agency == -1 or data["agencies"][agency]
        assert isinstance(tags, str)
        assert isinstance(keys, str)
        assert (site / "en" / path).is_file()
    # agency names are listed once, the entries point at them
    assert len(data["agencies"]) == len(set(data["agencies"])) > 1


def test_tombstones_and_404(site: Path, catalog: gd.Catalog) -> None:
    """A withdrawn record keeps a page that says so; the site has a 404 page."""
    withdrawn = [r for r in catalog if r.status == "withdrawn" and r.audience == "public"
                 and r.classification == "public"]
    assert withdrawn
    for record in withdrawn:
        found = list(site.glob(f"en/*/{record.id}.html"))
        assert found, record.id
        text = html.parse(str(found[0])).getroot().text_content()
        assert "withdrawn" in text.lower()
    assert (site / "404.html").is_file()
    assert (site / "en" / "404.html").is_file()


def test_output_is_deterministic(catalog: gd.Catalog, site: Path, tmp_path: Path) -> None:
    """Publishing the same catalogue at the same instant gives byte-identical files."""
    gd.publish(catalog, to=["site"], out=tmp_path, as_of=AS_OF)
    again = (tmp_path / "site").resolve()
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_theme_overrides_a_template(catalog: gd.Catalog, tmp_path: Path) -> None:
    """A template in the theme folder replaces the built-in one of the same name."""
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "404.html").write_text('{% extends "base.html" %}{% block content %}'
                                    "<p>THEMED {{ L.t.home }}</p>{% endblock %}")
    gd.publish(catalog, to=["site"], out=tmp_path / "out", as_of=AS_OF,
               options={"site": {"theme": str(theme)}})
    assert "THEMED 首页" in (tmp_path / "out/site/zh-CN/404.html").read_text(encoding="utf-8")


def test_a_relative_theme_is_read_from_the_catalogue_folder(
        example_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``theme = "theme"`` in govdisclosure.toml means the catalogue's theme folder, from
    any working directory; a theme folder that does not exist fails the site (exit 2)
    instead of publishing the built-in look."""
    import shutil

    from click.testing import CliRunner

    from govdisclosure.cli import cli

    cat = tmp_path / "cat"
    shutil.copytree(example_path, cat)
    (cat / "theme").mkdir()
    (cat / "theme" / "404.html").write_text('{% extends "base.html" %}{% block content %}'
                                            "<p>THEMED</p>{% endblock %}", encoding="utf-8")
    (cat / "govdisclosure.toml").write_text('[publish.site]\ntheme = "theme"\n',
                                            encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    runner = CliRunner()
    done = runner.invoke(cli, ["publish", str(cat), "--to", "site", "--out", "out",
                               "--as-of", "2002-12-31"])
    assert done.exit_code == 0, done.output
    assert "THEMED" in (elsewhere / "out/site/en/404.html").read_text(encoding="utf-8")

    (cat / "govdisclosure.toml").write_text('[publish.site]\ntheme = "no-such-theme"\n',
                                            encoding="utf-8")
    failed = runner.invoke(cli, ["publish", str(cat), "--to", "site", "--out", "out2",
                                 "--as-of", "2002-12-31"])
    assert failed.exit_code == 2
    assert f"theme: no folder {str(cat / 'no-such-theme')!r}" in failed.output
    assert not (elsewhere / "out2" / "site").exists()


def test_the_withdrawn_list_gives_each_date_and_reason(catalog: gd.Catalog, site: Path) -> None:
    """withdrawn.html names, for every withdrawn record, the day and the reason (the
    citizen sees why without opening each tombstone)."""
    for code, reason in (("en", "The residential heating rate in the notice was wrong"),
                         ("zh-CN", "通知中的住宅供热收费标准数字有误")):
        page = html.parse(str(site / code / "withdrawn.html")).getroot()
        rows = page.xpath("//main//ul[@class='records']/li")
        stones = [r for r in catalog if r.publication_status == "withdrawn"]
        assert len(rows) == len(stones) == 1
        text = rows[0].text_content()
        assert "2002-10-12" in rows[0].xpath(".//time/@datetime")[0]
        assert reason in text, text


def test_every_listing_page_has_a_title_of_its_own(tmp_path: Path) -> None:
    """Page 2 of a listing is not titled like page 1 (tabs, bookmarks, search results)."""
    agency = gd.Agency(id="gov", name="Government", level="province")
    records = [agency, *(gd.Disclosure(id=f"d{n}", agency="gov", title=f"Notice {n}",
                                       issued_at=dt.datetime(2002, 1, n + 1, tzinfo=dt.UTC))
                         for n in range(5))]
    meta = gd.CatalogMeta(name="Test", base_url="https://gk.example.gov.cn/",
                          default_language="en", languages=("en",))
    gd.publish(gd.Catalog(records=records, meta=meta), to=["site"], out=tmp_path, as_of=AS_OF,
               options={"site": {"page_size": 2}})
    titles = [html.parse(str(tmp_path / "site" / "en" / name)).find(".//title").text
              for name in ("disclosures.html", "disclosures-2.html", "disclosures-3.html")]
    assert len(set(titles)) == 3, titles
    assert "Page 3 of 3" in titles[2]


def test_a_language_without_interface_strings_declares_what_its_pages_speak(
        tmp_path: Path) -> None:
    """A Korean page has English menus and labels: it declares ``lang="en"`` and marks
    its Korean (and fallen-back Chinese) record text with their own languages, so that
    a screen reader reads each in the right voice (WCAG 3.1.1, 3.1.2)."""
    meta = gd.CatalogMeta(name="Test", base_url="https://gk.example.gov.cn/",
                          default_language="zh-CN", languages=("zh-CN", "en", "ko"))
    records = [gd.Agency(id="gov", name={"zh-CN": "政府", "ko": "정부"}, level="province"),
               gd.Disclosure(id="d1", agency="gov", title={"zh-CN": "通知", "ko": "공지"},
                             body={"zh-CN": "正文"}, issued_at=AS_OF)]
    gd.publish(gd.Catalog(records=records, meta=meta), to=["site"], out=tmp_path, as_of=AS_OF)
    site = tmp_path / "site"

    def langs(code: str) -> tuple[str, dict[str, str]]:
        page = html.parse(str(site / code / "disclosures" / "d1.html")).getroot()
        marked = {e.text_content().strip(): e.get("lang")
                  for e in page.xpath("//main//*[@lang]")}
        return page.get("lang"), marked

    assert langs("ko") == ("en", {"공지": "ko", "정부": "ko", "正文": "zh-CN"})
    zh_lang, zh_marked = langs("zh-CN")
    assert (zh_lang, zh_marked) == ("zh-CN", {})
    en_lang, en_marked = langs("en")
    assert en_lang == "en"
    assert set(en_marked.values()) == {"zh-CN"}


def test_right_to_left_text_is_marked_where_the_interface_is_not(tmp_path: Path) -> None:
    """An Arabic page speaks English menus and labels: it is laid out left to right
    (``dir`` of its declared language, so that "3. Legal basis" keeps its order), and its
    Arabic record text alone is marked right to left, in the body and in Markdown."""
    meta = gd.CatalogMeta(name="Test", base_url="https://gk.example.gov.cn/",
                          default_language="en", languages=("en", "ar"))
    records = [gd.Agency(id="gov", name={"en": "Government", "ar": "حكومة"}, level="province"),
               gd.Disclosure(id="d1", agency="gov", title={"en": "Notice", "ar": "إشعار"},
                             body={"en": "Body", "ar": "نص **مهم**"}, issued_at=AS_OF)]
    gd.publish(gd.Catalog(records=records, meta=meta), to=["site"], out=tmp_path, as_of=AS_OF)
    site = tmp_path / "site"
    page = html.parse(str(site / "ar" / "disclosures" / "d1.html")).getroot()
    assert (page.get("lang"), page.get("dir")) == ("en", "ltr")
    marked = {(e.get("lang"), e.get("dir")) for e in page.xpath("//main//*[@lang]")}
    assert marked == {("ar", "rtl")}
    assert page.xpath("//main//div[@lang='ar'][@dir='rtl']//strong")
    english = html.parse(str(site / "en" / "disclosures" / "d1.html")).getroot()
    assert (english.get("dir"), english.xpath("//main//*[@dir]")) == ("ltr", [])


_ARABIC = re.compile("[\u0600-\u06ff]")
_CJK = re.compile("[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _trilingual(catalog: gd.Catalog) -> gd.Catalog:
    """The example in Chinese, English and Arabic (which has no interface strings): every
    other titled record and agency gets an Arabic title or name, every third other titled
    record loses its English (Chinese only)."""
    records = []
    for n, original in enumerate(catalog.records):
        record = original
        title = getattr(record, "title", None)
        if isinstance(title, dict) and n % 2 == 0:
            record = attrs.evolve(record, title={**title, "ar": f"عنوان {n}"})
        elif isinstance(title, dict) and n % 3 == 1 and "zh-CN" in title:
            record = attrs.evolve(record, title={"zh-CN": title["zh-CN"]})
        if isinstance(record, gd.Agency) and isinstance(record.name, dict) and n % 2 == 0:
            record = attrs.evolve(record, name={**record.name, "ar": f"وكالة {n}"})
        records.append(record)
    meta = attrs.evolve(catalog.meta, languages=("zh-CN", "en", "ar"))
    return gd.Catalog(records=records, meta=meta)


def _unmarked(page: Path, scripts: tuple[tuple[re.Pattern[str], str], ...]) -> list[str]:
    """The text of a page's body (no attributes, no scripts) in a script whose language
    is not marked on it: every text node with Arabic (Chinese) characters must sit in an
    element whose nearest ``lang`` is ``ar`` (``zh-CN``), Arabic also ``dir="rtl"``
    there (in a left-to-right page)."""
    body = html.parse(str(page)).getroot().find("body")
    found = []
    for element in body.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        for text, owner in ((element.text, element), (element.tail, element.getparent())):
            if not text or owner is None or owner.tag in ("script", "style"):
                continue
            for script, want in scripts:
                if not script.search(text):
                    continue
                marked = owner
                while marked is not None and marked.get("lang") is None:
                    marked = marked.getparent()
                got = None if marked is None else (marked.get("lang"), marked.get("dir"))
                if got != (want, "rtl" if want == "ar" else got and got[1]):
                    found.append(f"{page.name}: {text.strip()[:40]!r} in {got}")
    return found


def test_record_text_in_another_language_is_marked_on_every_page(
        catalog: gd.Catalog, tmp_path: Path) -> None:
    """WCAG 3.1.2: on the Arabic pages (English interface) every piece of Arabic and
    Chinese record text - the site name in the header, breadcrumbs, captions, titles built
    from an agency's name, attachments, guide maps - carries its language (Arabic its
    direction too); on the English pages the Chinese text that fell back does."""
    gd.publish(_trilingual(catalog), to=["site"], out=tmp_path, as_of=AS_OF)
    site = tmp_path / "site"
    problems = []
    for code, scripts in (("ar", ((_ARABIC, "ar"), (_CJK, "zh-CN"))),
                          ("en", ((_CJK, "zh-CN"),))):
        for page in sorted((site / code).rglob("*.html")):
            problems += _unmarked(page, scripts)
    assert problems == []
    # not vacuous: Arabic titles are shown, and marked, in the heading and breadcrumb
    arabic = [p for p in (site / "ar" / "disclosures").glob("*.html")
              if html.parse(str(p)).getroot().xpath("//main/h1/*[@lang='ar'][@dir='rtl']")]
    assert arabic
    crumb = html.parse(str(arabic[0])).getroot().xpath(
        "//nav[contains(@class,'crumbs')]//span[@aria-current='page']//*[@lang='ar']")
    assert crumb


def test_the_search_index_gives_the_language_of_titles_and_names_not_the_pages(
        catalog: gd.Catalog, tmp_path: Path) -> None:
    """search.js marks the results (it sets text only): the index gives a title's language
    as an entry's 8th value, and agency names' in ``agency_langs``, where it is not the
    page's language, and nothing where it is."""
    trilingual = _trilingual(catalog)
    gd.publish(trilingual, to=["site"], out=tmp_path, as_of=AS_OF)
    titles = {page_path(r.TYPE, r.id): r.title for r in trilingual.records
              if isinstance(getattr(r, "title", None), dict) and getattr(r, "label", None)
              is r.title}
    names = [r.name for r in trilingual.records if isinstance(r, gd.Agency)]
    for code, page_lang in (("ar", "en"), ("en", "en"), ("zh-CN", "zh-CN")):
        data = json.loads((tmp_path / "site" / "search" / f"{code}.json").read_text("utf-8"))
        checked = 0
        for item in data["items"]:
            title = titles.get(item[1])
            if title is None:
                continue
            shown = code if code in title else "zh-CN" if "zh-CN" in title else next(iter(title))
            want = [] if shown == page_lang else [shown]
            assert item[7:] == want, (code, item)
            checked += 1
        assert checked
        langs = data.get("agency_langs", [""] * len(data["agencies"]))
        by_name = {}
        for name in names:
            text = name if isinstance(name, str) else name.get(code) or name.get("zh-CN")
            shown = code if isinstance(name, dict) and code in name else "zh-CN"
            by_name[text] = "" if shown == page_lang else shown
        assert dict(zip(data["agencies"], langs, strict=True)) == {
            a: by_name[a] for a in data["agencies"]}


def test_pages_say_what_is_known_and_no_more(tmp_path: Path) -> None:
    """No invented facts: a conference without a venue is placed at its organizer's
    address (or nowhere), a question without an answer is "not answered yet", and a
    hotline without a title is listed as a hotline, not as its number twice."""
    meta = gd.CatalogMeta(name="Test", base_url="https://gk.example.gov.cn/",
                          default_language="en", languages=("en",))
    records = [
        gd.Agency(id="gov", name="Government", level="province", address="1 Main Street"),
        gd.Agency(id="town", name="Town", level="township"),
        gd.PressConference(id="pc1", agency="gov", title="Briefing", scheduled_at=AS_OF,
                           qa=[gd.QA(question="When?")]),
        gd.PressConference(id="pc2", agency="town", title="Town briefing", scheduled_at=AS_OF),
        gd.Hotline(id="h1", agency="town", number="+86 433 5555", status="open"),
    ]
    gd.publish(gd.Catalog(records=records, meta=meta), to=["site"], out=tmp_path, as_of=AS_OF)
    site = tmp_path / "site" / "en"

    def event(name: str) -> dict[str, object]:
        page = html.parse(str(site / "press" / name)).getroot()
        data: dict[str, object] = json.loads(
            page.xpath("//script[@type='application/ld+json']")[0].text)
        return data

    assert event("pc1.html")["location"] == {"@type": "Place", "name": "Government",
                                             "address": "1 Main Street"}
    assert "location" not in event("pc2.html")
    qa = html.parse(str(site / "press" / "pc1.html")).getroot().text_content()
    assert "Not answered yet" in qa
    town = html.parse(str(site / "agencies" / "town.html")).getroot()
    (row,) = town.xpath("//section[@aria-labelledby='s-hotlines']//li")
    assert " ".join(row.text_content().split()) == "Public hotlines: +86 433 5555"


def test_the_404_pages_switch_language_to_each_home_page(site: Path) -> None:
    """A 404 page is served at any URL: its language switch leads to each language's home
    page (links from the base URL's path, so that they work on any host serving the site
    there, a preview included), and marks the current language without calling it this
    page. None of its links leads to the production host."""
    for page in (site / "404.html", site / "en" / "404.html"):
        root = html.parse(str(page)).getroot()
        links = root.xpath("//nav[@class='langs']//a")
        assert [a.get("href") for a in links] == ["/zh-CN/index.html", "/en/index.html"]
        hrefs = root.xpath("//a/@href")
        assert "/en/search.html" in hrefs or "/zh-CN/search.html" in hrefs
        assert not [h for h in hrefs if h.startswith(BASE)], hrefs
        current = [a.get("aria-current") for a in links]
        assert current.count("true") == 1
        assert "page" not in current


def test_directory_and_figures_read_as_the_public_expects(site: Path) -> None:
    """The hotline directory's numbers can be called from a phone; a hotline in service
    says so (not "in progress"); months read as months; the league table names the unit
    evaluated (被考核单位), not an issuing unit."""
    directory = html.parse(str(site / "zh-CN" / "hotlines.html")).getroot()
    calls = directory.xpath("//ul[contains(@class, 'records')]//a[starts-with(@href, 'tel:')]")
    assert [a.get("href") for a in calls][:1] == ["tel:0431-88900000"]  # the governor's
    hotline = html.parse(str(site / "zh-CN" / "hotlines" / "hl-governor.html")).getroot()
    assert "已开通" in hotline.text_content()
    months = html.parse(str(site / "en" / "statistics" / "hotlines.html")).getroot()
    rows = months.xpath("//table[caption[@id='t-months']]//th[@scope='row']/time")
    assert rows
    number = int(rows[0].get("datetime").removeprefix("2002-"))
    assert rows[0].text == f"{dt.date(2002, number, 1):%B} 2002"
    league = html.parse(str(site / "zh-CN" / "statistics" / "evaluations.html")).getroot()
    assert league.xpath("//table//th[@scope='col']/text()")[1] == "被考核单位"


def test_an_internationalised_base_url_gives_ascii_absolute_urls(tmp_path: Path,
                                                                 schemas: Path) -> None:
    """With ``base_url = "https://政务.中国/"`` the sitemap's ``<loc>`` (lxml, the
    sitemaps.org XSD), robots.txt and the pages' canonical links name the host in its
    xn-- form, never the raw Unicode one."""
    host = "政务.中国".encode("idna").decode("ascii")  # Python's own IDNA codec
    meta = gd.CatalogMeta(name="Test", base_url="https://政务.中国/",
                          default_language="zh-CN", languages=("zh-CN", "en"))
    records = [gd.Agency(id="gov", name="政府", level="province"),
               gd.Disclosure(id="d1", agency="gov", title="通知",
                             issued_at=dt.datetime(2002, 1, 2, tzinfo=dt.UTC))]
    gd.publish(gd.Catalog(records=records, meta=meta), to=["site"], out=tmp_path, as_of=AS_OF)
    site = tmp_path / "site"
    doc = etree.parse(str(site / "sitemap.xml"))
    etree.XMLSchema(etree.parse(str(schemas / "sitemap" / "sitemap.xsd"))).assertValid(doc)
    locs = [loc.text or "" for loc in doc.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"https://{host}/zh-CN/disclosures/d1.html" in locs
    assert all(loc.isascii() and urlsplit(loc).hostname == host for loc in locs), locs
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: https://{host}/sitemap.xml" in robots
    page = html.parse(str(site / "zh-CN" / "disclosures" / "d1.html")).getroot()
    canonical = page.xpath("//link[@rel='canonical']/@href")
    assert canonical == [f"https://{host}/zh-CN/disclosures/d1.html"]
    assert not [path for path in site.rglob("*") if path.is_file()
                and "政务.中国".encode() in path.read_bytes()]
