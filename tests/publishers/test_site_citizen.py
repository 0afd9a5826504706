"""What a citizen needs from the site (the citizen review's findings): where to go for an
item, numbers in hand that search finds, time limits read as words, a 404 page in every
language and listings to browse without JavaScript."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import html
from tests.audit.support import case, item
from tests.publishers.conftest import Build
from tests.publishers.test_site_content import page, text

import govdisclosure as gd
from govdisclosure.publishers.site.index import search_keys

HALL = gd.ServiceHall(id="hall", agency="gov", name="政务大厅", address="人民大街1号",
                      hours="工作日 8:30-17:00")


def window(ident: str = "w1", **changes: object) -> gd.ServiceWindow:
    """Window 3 of the hall, serving the ``permit`` item."""
    fields: dict[str, object] = {"id": ident, "agency": "dept", "hall": "hall", "number": "3",
                                 "name": "许可窗口", "services": ["permit"]}
    fields.update(changes)
    return gd.ServiceWindow(**fields)  # type: ignore[arg-type]


def where(site: Path, lang: str, ident: str = "permit") -> list[str]:
    """The texts of an item page's "where to go" section (its lines)."""
    (section,) = page(site, f"{lang}/items/{ident}.html").xpath(
        "//section[@aria-labelledby='s-where']")
    return [" ".join(e.text_content().split()) for e in section.xpath(".//h2|.//p|.//li")]


def test_an_item_gives_the_address_and_hours_of_its_windows_hall(build_site: Build) -> None:
    """Next to the window: the hall's address, and the window's own hours before the hall's."""
    site = build_site(HALL, window(), window("w2", number="4", hours="周一至周五 9:00-16:00"))
    lines = where(site, "zh-CN")
    assert lines[0] == "受理窗口"
    assert any(line.startswith("许可窗口 · 3号窗口 · 政务大厅") and "地址：人民大街1号" in line
               and "办公时间：工作日 8:30-17:00" in line for line in lines), lines
    assert any("4号窗口" in line and "周一至周五 9:00-16:00" in line
               and "工作日 8:30" not in line for line in lines), lines


def test_an_item_without_a_window_sends_to_its_agency(build_site: Build) -> None:
    """No window: the agency's address and contact, so that the page (and its printout)
    still says where to go."""
    agency = gd.Agency(id="dept", name="省直重点部门", level="province", kind="department",
                       parent="gov", address="新民大街1255号",
                       contact=gd.ContactPoint(unit="办公室", phone="0431-88900120",
                                               hours="工作日 8:30-17:00"))
    site = build_site(agency)
    lines = where(site, "zh-CN")
    assert lines[0] == "办理地点"
    assert lines[1] == "本事项未列明受理窗口，请到本单位办理：省直重点部门"
    assert "地址：新民大街1255号" in lines
    assert "电话：0431-88900120" in lines
    assert "办公时间：工作日 8:30-17:00" in lines
    assert where(site, "en")[0] == "Where to go"
    # an agency with nothing to add: the link alone
    bare = build_site()
    assert where(bare, "en")[1:] == [
        "No service window is listed for this item: apply to the agency: 省直重点部门"]


def test_short_tables_wrap_on_a_phone(build_site: Build) -> None:
    """The ten disclosures and the fees are short tables (a label and a value or two a
    row): they wrap rather than keep the 32 rem minimum of wide tables, and long values
    (URLs) may break anywhere."""
    site = build_site(item(fees=[gd.Fee(name="工本费", amount=gd.Money(amount="20"),
                                        basis="吉价费〔2002〕56号")]))
    tree = page(site, "en/items/permit.html")
    for caption in ("t-ten", "t-fees"):
        assert tree.xpath(f"//table[caption/@id='{caption}']/@class") == ["narrow"], caption
    css = (site / "static" / "site.css").read_text(encoding="utf-8")
    assert "table.narrow td { overflow-wrap: anywhere; }" in css
    assert ".search-box { display: flex; align-items: center; gap: 0.4rem; flex: 0 1 22rem;\n" \
           "  min-width: 0; }" in css


def test_time_limits_read_as_words(build_site: Build) -> None:
    """One working day is singular, as a procedure step's; none is the same day."""
    site = build_site(item(time_limit=gd.TimeLimit(statutory=1, promised=0)))
    assert text(page(site, "en/items/permit.html"), "//tr[th[starts-with(., '6.')]]/td") == [
        "Statutory: 1 working day; Promised: same day"]
    assert text(page(site, "zh-CN/items/permit.html"), "//tr[th[starts-with(., '6.')]]/td") == [
        "法定时限：1个工作日；承诺时限：当日"]
    site = build_site(item(time_limit=gd.TimeLimit(statutory=1, unit="calendar_days")))
    assert text(page(site, "en/items/permit.html"), "//tr[th[starts-with(., '6.')]]/td") == [
        "Statutory: 1 calendar day"]


def test_search_keys_are_the_numbers_a_citizen_has_in_hand() -> None:
    """A hotline's number, the phones an item or an agency gives (digits only), the
    document numbers its page cites (in any of its languages) and its result notices'
    decision numbers."""
    hotline = gd.Hotline(id="h", agency="gov", number="0431-8890 0000转8001")
    assert search_keys(hotline) == ["043188900000", "8001"]
    permit = item(
        complaint=[gd.ContactPoint(phone="(0431) 88901318"), gd.ContactPoint(phone="12358")],
        catalogue=gd.CatalogueEntry(document={"zh-CN": "《决定》（吉政发〔2002〕21号）",
                                              "en": "Decision (Ji Zheng Fa [2002] No. 21)"}),
        review=gd.Review(by="联席会议", ref="吉政公联 〔2002〕3号"),
        fees=[gd.Fee(name="费", amount=gd.Money(amount="1"), basis="吉价费字〔2001〕49号")])
    notices = [case("c1", "2002-03-01", "2002-03-05", applicant_kind="organisation",
                    applicant_name="某公司", decision_ref="吉价〔2002〕296号"),
               case("c2", "2002-03-01", "2002-03-05", applicant_kind="person",
                    decision_ref="吉价〔2002〕297号")]  # a person's case: figures only
    assert search_keys(permit, notices) == [
        "043188901318", "12358", "吉价费字〔2001〕49号", "吉政发〔2002〕21号",
        "吉政公联〔2002〕3号", "吉价〔2002〕296号"]
    # in running text: with the words before it (the search matches within a key)
    (key,) = search_keys(gd.Disclosure(id="d", agency="gov", title="通知",
                                       body="根据吉发〔2001〕13号文件。"))
    assert key.endswith("吉发〔2001〕13号")
    # a run of digits no one dials is no key: the index stays small
    assert search_keys(gd.Hotline(id="h", agency="gov", number="1" * 200_000)) == []


def test_the_search_index_holds_each_pages_keys(build_site: Build) -> None:
    """Entries are ``[title, path, type, date, agency, tags, keys]``; the keys are the
    same in every language (numbers are not words)."""
    site = build_site(gd.Hotline(id="h-price", agency="dept", number="12358"), case(
        "c1", "2002-03-01", "2002-03-05", applicant_kind="organisation",
        applicant_name="某公司", decision_ref="吉价〔2002〕296号"))
    for lang in ("zh-CN", "en"):
        data = json.loads((site / "search" / f"{lang}.json").read_text(encoding="utf-8"))
        assert data["v"] == 4
        keys = {entry[1]: entry[6] for entry in data["items"]}
        assert keys["hotlines/h-price.html"] == "12358"
        assert keys["items/permit.html"] == "04311 吉价〔2002〕296号"


def test_the_root_404_page_speaks_every_language(build_site: Build) -> None:
    """A server shows the root 404 page for any missing page: it says so in every
    catalogue language, each part marked with its language and leading to its home page
    (as the root language chooser does)."""
    root = html.parse(str(build_site() / "404.html")).getroot()
    assert root.get("lang") == "zh-CN"
    assert text(root, "//h1") == ["页面不存在"]
    (english,) = root.xpath("//main/section[@lang='en']")
    assert text(english, "h2") == ["Page not found"]
    assert english.xpath(".//a/@href") == ["/en/index.html", "/en/search.html"]
    # a language's own 404 page is in its language only
    own = html.parse(str(build_site() / "en" / "404.html")).getroot()
    assert not own.xpath("//main/section")


def test_the_search_page_without_javascript_links_the_listings(build_site: Build) -> None:
    """Without JavaScript the search page says so and links each listing to browse."""
    tree = page(build_site(), "en/search.html")
    (notice,) = tree.xpath("//noscript")
    inner = html.fromstring(html.tostring(notice).decode())  # parsed as markup, not text
    hrefs = inner.xpath(".//a/@href")
    assert "../en/items.html" in hrefs
    assert "../en/agencies.html" in hrefs
    assert "../en/disclosures.html" in hrefs
    assert "../en/index.html" not in hrefs
    assert "by type or by agency" in notice.text_content()
