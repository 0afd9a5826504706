"""What the site's pages say: every field a reader needs, in the page's language."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from lxml import html
from tests.audit.support import ZONE, at, catalog
from tests.publishers.conftest import Build

import govdisclosure as gd
from govdisclosure.publishers.site.i18n import value_label

AS_OF = dt.datetime(2002, 12, 31, 23, 59, tzinfo=ZONE)


def page(site: Path, path: str) -> html.HtmlElement:
    """A page of the site, parsed."""
    return html.parse(str(site / path)).getroot()


def text(tree: html.HtmlElement, xpath: str) -> list[str]:
    """The whitespace-normalised texts of the elements an XPath finds."""
    return [" ".join(e.text_content().split()) for e in tree.xpath(xpath)]


def test_a_page_heading_is_the_whole_topic(build_site: Build) -> None:
    """A record without a title is headed by its whole topic; listings may shorten it."""
    topic = "Commercial land granted by private agreement without any disclosure at all"
    site = build_site(gd.Complaint(id="c1", agency="gov", topic=topic,
                                   received_at=at("2002-05-01")))
    tree = page(site, "en/complaints/c1.html")
    assert text(tree, "//h1") == [topic]
    assert tree.findtext(".//title").startswith(topic)


def test_an_agencys_latest_records_put_a_new_evaluation_first(build_site: Build) -> None:
    """An evaluation published after the agency's other records heads its latest records."""
    site = build_site(
        gd.Disclosure(id="d1", agency="dept", category="policy", title="Old news",
                      issued_at=at("2002-08-08")),
        gd.Evaluation(id="e1", agency="dept", year=2002, score=90.0,
                      published_on=dt.date(2002, 12, 26)),
    )
    tree = page(site, "en/agencies/dept.html")
    links = [a.get("href").rpartition("/en/")[2]
             for a in tree.xpath("//ul[@class='records']//a[@class='record-title']")]
    assert links.index("evaluations/e1.html") < links.index("disclosures/d1.html")


def test_json_ld_gives_inlanguage_only_to_types_that_have_it(build_site: Build) -> None:
    """schema.org's inLanguage belongs to works and events, not organisations or services."""
    site = build_site(gd.NewsRelease(id="n1", agency="gov", headline="Release",
                                issued_at=at("2002-05-01")))
    for path, expected in [("en/news/n1.html", "en"), ("en/agencies/gov.html", None)]:
        (script,) = page(site, path).xpath("//script[@type='application/ld+json']")
        assert json.loads(script.text).get("inLanguage") == expected, path


def test_day_counts_say_working_days_and_one_day(build_site: Build) -> None:
    """A hotline's limit is in working days; one day is "1 day", not "1 days"."""
    site = build_site(
        gd.Hotline(id="h1", agency="gov", number="12345", due_days=1),
        gd.ApprovalItem(id="i1", agency="dept", kind="approval", title="Permit",
                        procedure=[gd.ProcedureStep(title="Accept", days=1)]),
    )
    assert "1 working day" in text(page(site, "en/hotlines/h1.html"), "//dl")[0]
    assert "(1 day)" in text(page(site, "en/items/i1.html"), "//ol[@class='steps']")[0]
    assert "1个工作日" in text(page(site, "zh-CN/hotlines/h1.html"), "//dl")[0]


def test_an_open_allocation_past_its_closing_time_reads_closed(build_site: Build) -> None:
    """The status badge follows ``closes_at``, as a consultation's does."""
    allocation = gd.Allocation(id="a1", agency="gov", title="Land", status="open",
                               closes_at=at("2002-06-30", 17))
    before = build_site(allocation, as_of=at("2002-06-01"))
    after = build_site(allocation)
    badge = "//dl[@class='facts']//span[@class='badge']"
    assert text(page(before, "en/allocations/a1.html"), badge) == ["Open"]
    assert text(page(after, "en/allocations/a1.html"), badge) == ["Closed"]


@pytest.mark.parametrize(("url", "media_type", "size", "zh", "en"), [
    ("t.xls", "application/vnd.ms-excel", 404, "（Excel，404字节）", "(Excel, 404 Bytes)"),
    ("e.pdf", "application/pdf", 0, "（PDF，0字节）", "(PDF, 0 Bytes)"),  # 0 is a size too
])
def test_attachment_formats_and_sizes_are_in_the_pages_language(
        build_site: Build, url: str, media_type: str, size: int, zh: str, en: str) -> None:
    """Known media types by name, sizes with a Chinese unit on Chinese pages."""
    site = build_site(gd.Disclosure(
        id="d1", agency="gov", category="statistics", title="Figures",
        issued_at=at("2002-07-01"),
        attachments=[gd.Attachment(title="Table", url=f"https://example.org/{url}",
                                    media_type=media_type, bytes=size)]))
    meta = "//ul[@class='attachments']//span[@class='record-meta']"
    assert text(page(site, "zh-CN/disclosures/d1.html"), meta) == [zh]
    assert text(page(site, "en/disclosures/d1.html"), meta) == [en]


def test_fees_are_shown_with_every_decimal_they_have(build_site: Build) -> None:
    """An amount is never rounded (0.005 is not free, the largest one stays itself); it
    has at least two decimals."""
    amounts = ["999999999999999999.99999999", "0.00000001", "0.005", "12.5"]
    site = build_site(gd.ApprovalItem(
        id="i1", agency="dept", kind="fee", title="Fee",
        fees=[gd.Fee(name=f"fee {n}", amount=gd.Money(amount=amount))
              for n, amount in enumerate(amounts)]))
    shown = " ".join(text(page(site, "en/items/i1.html"), "//main")[0].split())
    for expected in ["999,999,999,999,999,999.99999999 CNY", "0.00000001 CNY", "0.005 CNY",
                     "12.50 CNY"]:
        assert expected in shown
    assert "0.00 CNY" not in shown
    assert "0.005元" in text(page(site, "zh-CN/items/i1.html"), "//main")[0]


@pytest.mark.parametrize(("status", "en", "zh"), [("planned", "Planned", "筹备中"),
                                                  ("closed", "Out of service", "已停用")])
def test_a_hotlines_status_is_a_label_in_every_language(
        build_site: Build, status: str, en: str, zh: str) -> None:
    """Every status a hotline may have reads as a label, on its page and in the directory."""
    site = build_site(gd.Hotline(id="h1", agency="gov", number="12345", status=status))
    for language, label in [("en", en), ("zh-CN", zh)]:
        facts = text(page(site, f"{language}/hotlines/h1.html"), "//dl//dd")
        assert label in facts
        assert status not in facts
        assert text(page(site, f"{language}/hotlines.html"), "//span[@class='badge']") == [
            label]


def test_suspensions_longer_than_the_handling_never_make_it_negative(
        build_site: Build) -> None:
    """30 suspended days in a case decided in two: 0 days taken (the same day), not -28."""
    site = build_site(
        gd.ApprovalItem(id="i1", agency="dept", kind="approval", title="Permit",
                        time_limit=gd.TimeLimit(statutory=20)),
        gd.Case(id="c1", agency="dept", item="i1", received_at=at("2002-06-03"),
                decided_at=at("2002-06-05"), outcome="approved", suspended_days=30))
    item = page(site, "en/items/i1.html")
    assert text(item, "//dt[.='Average handling time']/following-sibling::dd[1]") == [
        "same day"]
    (row,) = page(site, "en/statistics/cases.html").xpath("//tbody/tr[td]")
    assert "same day" in text(row, "td")


def test_an_attachments_checksum_is_shown_to_check_a_download(build_site: Build) -> None:
    """MODEL.md's ``sha256`` is there so that a reader can check a downloaded file."""
    digest = "ab" * 32
    site = build_site(gd.Disclosure(
        id="d1", agency="gov", category="statistics", title="Figures",
        issued_at=at("2002-07-01"),
        attachments=[gd.Attachment(title="Table", url="https://example.org/t.xls",
                                    sha256=digest)]))
    tree = page(site, "en/disclosures/d1.html")
    assert text(tree, "//ul[@class='attachments']//span[@class='record-meta checksum']") == [
        f"SHA-256 {digest}"]


@pytest.fixture(name="example", scope="module")
def fixture_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The jilin-2002 example as published at the end of 2002; the site folder."""
    root = Path(__file__).resolve().parents[2] / "examples" / "jilin-2002"
    out = tmp_path_factory.mktemp("example")
    gd.publish(gd.load_catalog(root), to=["site"], out=out, as_of=AS_OF)
    return out / "site"


def test_a_windows_complaint_contact_is_shown(example: Path) -> None:
    """cc-w05 names the hall office to complain to; its page says so."""
    tree = page(example, "en/windows/cc-w05.html")
    (section,) = tree.xpath("//section[@aria-labelledby='s-complaint']")
    assert "0431-88918000" in section.text_content()


def test_markdown_tables_in_bodies_are_tables(example: Path) -> None:
    """The hotline directory's table is a table, not rows of pipes."""
    tree = page(example, "en/disclosures/hotline-directory-2002.html")
    assert tree.xpath("//div[@class='prose']//table//th")
    assert "| ---" not in tree.text_content()


@pytest.mark.parametrize(("language", "words"), [
    ("en", ["Ten disclosures", "Service windows"]), ("zh-CN", ["十公开", "窗口服务"])])
def test_evaluation_components_and_rewards_are_translated(example: Path, language: str,
                                                         words: list[str]) -> None:
    """Component names and reward kinds are labels of the page's language, not keys."""
    evaluation = " ".join(text(page(example, f"{language}/evaluations/eval-2002-changchun.html"),
                               "//table//td"))
    for word in words:
        assert word in evaluation
    assert "ten disclosures" not in evaluation
    rewards = text(page(example, f"{language}/statistics/suggestions.html"),
                   "//table[caption/@id='t-rewards']//td[1]")
    assert rewards
    colon = "：" if language == "zh-CN" else ": "
    assert all(cell.startswith(f"{value_label(language, 'reward', 'award')}{colon}")
               for cell in rewards), rewards


def test_a_tombstone_ends_its_notice_with_the_languages_full_stop(example: Path) -> None:
    """已撤回。 on Chinese pages, Withdrawn. on English ones."""
    withdrawn = "//div[contains(@class, 'notice-withdrawn')]//strong"
    stone = "disclosures/heating-fees-2002-v1.html"
    assert text(page(example, f"zh-CN/{stone}"), withdrawn) == ["已撤回。"]
    assert text(page(example, f"en/{stone}"), withdrawn) == ["Withdrawn."]


def test_a_corrected_record_links_its_correction(example: Path) -> None:
    """The tombstone of the withdrawn heating-fee notice links the notice correcting it."""
    tree = page(example, "en/disclosures/heating-fees-2002-v1.html")
    links = [a.get("href") for a in tree.xpath("//dl[@class='facts']//a")]
    assert any(link.endswith("/disclosures/heating-fees-2002.html") for link in links)


def test_an_agency_is_named_by_its_name_and_a_title_is_its_subtitle(build_site: Build) -> None:
    """MODEL.md gives agencies (and halls, windows) a ``name``; a ``title`` they may carry
    as every record may does not replace it anywhere."""
    site = build_site(
        gd.Agency(id="bureau", name="Statistics Bureau", title="About us", level="city",
                  parent="gov"),
        gd.Disclosure(id="d1", agency="bureau", category="statistics", title="Figures",
                      issued_at=at("2002-05-01")),
    )
    own = page(site, "en/agencies/bureau.html")
    assert text(own, "//h1") == ["Statistics Bureau"]
    assert text(own, "//p[@class='subheadline']") == ["About us"]
    assert "Statistics Bureau" in text(page(site, "en/disclosures/d1.html"), "//dl//a")


def test_a_release_with_title_and_headline_shows_both(build_site: Build) -> None:
    """MODEL.md: a news release may use ``headline`` for its title; given both, the title
    heads the page and the headline follows it (and is the NewsArticle's headline)."""
    site = build_site(gd.NewsRelease(id="n1", agency="gov", title="Notice 12",
                                     headline="Province opens 40 service windows",
                                     issued_at=at("2002-05-01")))
    tree = page(site, "en/news/n1.html")
    assert text(tree, "//h1") == ["Notice 12"]
    assert text(tree, "//p[@class='subheadline']") == ["Province opens 40 service windows"]
    (script,) = tree.xpath("//script[@type='application/ld+json']")
    assert json.loads(script.text)["headline"] == "Province opens 40 service windows"


@pytest.mark.parametrize(("source", "shown"), [
    ("complaint:c1", "Complaint c1"),
    ("c1", "Complaint c1"),
    ("audit:case.overdue:case:k1",
     "Audit finding: Application handled beyond its time limit (case.overdue)"),
    ("finding:item.facet_missing:i1", "Audit finding: item.facet_missing"),
    ("F-2002-17", None),
    ("complaint:gone", "Withdrawn complaint Withdrawn"),  # its tombstone, badged
])
def test_an_accountability_source_is_shown_as_a_link_or_a_finding(
        build_site: Build, source: str, shown: str | None) -> None:
    """The source of an accountability record, a complaint or evaluation (typed or bare)
    or an audit finding, is on its page; an id of another system is kept, not shown."""
    site = build_site(
        gd.Complaint(id="c1", agency="gov", topic="Complaint c1", received_at=at("2002-05-01")),
        gd.Complaint(id="gone", agency="gov", title="Withdrawn complaint",
                     received_at=at("2002-05-01"), status="withdrawn",
                     withdrawn=gd.Withdrawal(on=dt.date(2002, 6, 1), reason="duplicate")),
        gd.AccountabilityRecord(id="a1", agency="gov", subject_unit="dept", source=source,
                                issued_at=at("2002-06-01")))
    tree = page(site, "en/accountability/a1.html")
    found = [dd for dt_, dd in zip(text(tree, "//dl[@class='facts']/div/dt"),
                                   text(tree, "//dl[@class='facts']/div/dd"), strict=True)
             if dt_ == "Source"]
    assert found == ([shown] if shown else [])


@pytest.mark.parametrize("source", ["case:k1", "agency:gov"])
def test_an_accountability_source_of_another_record_type_is_refused(source: str) -> None:
    """A typed source must be a complaint or an evaluation: the error names the field."""
    with pytest.raises(gd.CatalogError, match=r"'a1': source: .*complaint"):
        catalog(gd.AccountabilityRecord(id="a1", agency="gov", subject_unit="dept",
                                        source=source))


def test_an_agency_that_is_not_public_leaves_no_empty_field(build_site: Build) -> None:
    """A public record of an internal agency (or naming one) shows no empty "Agency",
    "About", "Unit" or "()" where the agency's name would be."""
    site = build_site(
        gd.Agency(id="inner", name="Inner office", level="city", parent="gov",
                  audience="internal"),
        gd.Disclosure(id="d1", agency="inner", category="policy", title="Notice",
                      issued_at=at("2002-05-01")),
        gd.Complaint(id="c1", agency="gov", about="inner", topic="Complaint",
                     received_at=at("2002-05-01")),
        gd.AccountabilityRecord(id="a1", agency="gov", subject_unit="inner",
                                issued_at=at("2002-06-01")),
        gd.PressConference(id="p1", agency="gov", title="Briefing",
                           scheduled_at=at("2002-06-01"),
                           speakers=[gd.Speaker(name="Li", agency="inner")]),
    )
    for path in ("disclosures/d1", "complaints/c1", "accountability/a1", "press/p1"):
        tree = page(site, f"en/{path}.html")
        assert all(text(tree, "//dl[@class='facts']/div/dd")), path
        assert "()" not in " ".join(text(tree, "//main//li")), path
    # the statistics tables name no agency there either, and leave no header cell empty
    tree = page(site, "en/statistics/accountability.html")
    assert all(text(tree, "//main//tbody/tr/th")), "empty row header"


def test_a_hidden_conference_or_corrected_record_leaves_no_empty_field(
        build_site: Build) -> None:
    """A release whose conference is restricted, a record correcting a secret one: no
    "Press conference" or "Corrects" row, which would tell that the hidden one exists;
    nor their ids anywhere, not even in an attribute."""
    site = build_site(
        gd.PressConference(id="hidden-conf-p1", agency="gov", title="Closed briefing",
                           scheduled_at=at("2002-06-01"), classification="restricted"),
        gd.NewsRelease(id="n1", agency="gov", headline="Release", conference="hidden-conf-p1",
                       issued_at=at("2002-06-02")),
        gd.Disclosure(id="hidden-orig-d0", agency="gov", category="policy",
                      title="Secret original", issued_at=at("2002-05-01"),
                      classification="secret"),
        gd.Disclosure(id="d1", agency="gov", category="policy", title="Correction",
                      issued_at=at("2002-05-02"), supersedes="hidden-orig-d0"),
    )
    for path in ("news/n1", "disclosures/d1"):
        tree = page(site, f"en/{path}.html")
        facts = text(tree, "//dl[@class='facts']/div/dd")
        assert all(facts), (path, facts)
        assert not {"Press conference", "Corrects"} & set(text(tree, "//dl/div/dt")), path
    leaks = [str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()
             and (b"hidden-conf-p1" in p.read_bytes() or b"hidden-orig-d0" in p.read_bytes())]
    assert not leaks


def test_a_hidden_decision_or_adoption_leaves_no_empty_section(build_site: Build) -> None:
    """A suggestion adopted into a secret record and a consultation decided by one: no
    "Response" or "Outcome" section with nothing in it."""
    site = build_site(
        gd.Disclosure(id="hidden-rule", agency="gov", category="policy", title="Secret",
                      issued_at=at("2002-05-01"), classification="secret"),
        gd.Suggestion(id="s1", agency="gov", received_at=at("2002-05-02"),
                      status="adopted", adopted_into="disclosure:hidden-rule"),
        gd.Consultation(id="c1", agency="gov", title="Hearing", kind="hearing",
                        opens_at=at("2002-05-03"), decision="disclosure:hidden-rule"),
    )
    for path in ("suggestions/s1", "consultations/c1"):
        tree = page(site, f"en/{path}.html")
        assert not {"Response", "Outcome"} & set(text(tree, "//main//h2")), path


def test_dates_and_the_evaluated_agency_are_labelled_for_what_they_are(
        build_site: Build) -> None:
    """``issued_at`` is when the document was made (成文日期), ``publish_at`` when it was
    published (发布日期, shown once the embargo lifts); an evaluation's agency is the one
    evaluated, not its publisher."""
    site = build_site(
        gd.Disclosure(id="d1", agency="gov", category="policy", title="Notice",
                      issued_at=at("2002-03-01"), publish_at=at("2002-04-01")),
        gd.Evaluation(id="e1", agency="town", year=2002, evaluator="省政府", score=90.0),
    )
    facts = dict(zip(text(page(site, "en/disclosures/d1.html"), "//dl[@class='facts']/div/dt"),
                     text(page(site, "en/disclosures/d1.html"), "//dl[@class='facts']/div/dd"),
                     strict=True))
    assert (facts["Issued"], facts["Published"]) == ("1 March 2002", "1 April 2002")
    zh = text(page(site, "zh-CN/disclosures/d1.html"), "//dl[@class='facts']/div/dt")
    assert {"成文日期", "发布日期"} <= set(zh)
    assert "Agency evaluated" in text(page(site, "en/evaluations/e1.html"), "//dl/div/dt")


def test_the_search_index_lists_no_agency_that_is_not_public(build_site: Build) -> None:
    """Records of a secret agency are found by title, without an agency: the index does
    not hold a blank entry per hidden agency (their number, and which records share one)."""
    site = build_site(
        gd.Agency(id="hidden-a", name="Hidden A", level="city", classification="secret"),
        gd.Agency(id="hidden-b", name="Hidden B", level="city", audience="internal"),
        gd.Disclosure(id="da", agency="hidden-a", category="policy", title="Under A",
                      issued_at=at("2002-05-01")),
        gd.Disclosure(id="db", agency="hidden-b", category="policy", title="Under B",
                      issued_at=at("2002-05-02")),
    )
    data = json.loads((site / "search" / "en.json").read_text(encoding="utf-8"))
    assert all(data["agencies"])
    by_title = {item[0]: item for item in data["items"]}
    assert by_title["Under A"][4] == by_title["Under B"][4] == -1


@pytest.mark.parametrize(("status", "language", "before", "after"), [
    ("scheduled", "en", "Scheduled", "Date passed; not yet recorded as held"),
    ("scheduled", "zh-CN", "即将举行", "预定时间已过，尚无举行记录"),
    ("held", "en", "Held", "Held"),
    ("cancelled", "en", "Cancelled", "Cancelled"),
])
def test_a_conference_past_its_date_is_not_announced_as_coming(
        build_site: Build, status: str, language: str, before: str, after: str) -> None:
    """A conference still ``scheduled`` after ``scheduled_at`` does not read "scheduled"
    (nor "held": nothing says it was), on its page and in the listing; the record's own
    ``held`` or ``cancelled`` stands."""
    conference = gd.PressConference(id="p1", agency="gov", title="Briefing", status=status,
                                    scheduled_at=at("2002-09-26"), issued_at=at("2002-09-20"))
    badge = "//dl[@class='facts']//span[@class='badge']"
    for as_of, expected in ((at("2002-09-25"), before), (at("2002-09-26", 11), after)):
        site = build_site(conference, as_of=as_of)
        assert text(page(site, f"{language}/press/p1.html"), badge) == [expected]
        assert text(page(site, f"{language}/press.html"),
                    "//ul[@class='records']//span[@class='badge']") == [expected]


@pytest.mark.parametrize(("language", "label", "lp", "rp"), [
    ("en", "Application handled beyond its time limit", " (", ")"),
    ("zh-CN", "办件超过时限", "（", "）")])
def test_codes_read_as_labels_and_stay_visible_as_code(
        build_site: Build, language: str, label: str, lp: str, rp: str) -> None:
    """An audit finding cited as a source is shown by its label in the page's language, the
    code after it in ``<code>``; an evaluation component by its label only (its key means
    nothing to the public); unknown ones as written."""
    site = build_site(
        gd.AccountabilityRecord(id="a1", agency="gov", subject_unit="dept",
                                source="finding:case.overdue:k1", issued_at=at("2002-06-01")),
        gd.AccountabilityRecord(id="a2", agency="gov", subject_unit="dept",
                                source="finding:local.rule:k1", issued_at=at("2002-06-01")),
        gd.Evaluation(id="e1", agency="dept", year=2002, score=90.0,
                      components={"ten_disclosures": 50.0, "窗口服务_x": 40.0}))
    source = "//dl[@class='facts']/div[dt=$dt]/dd"
    dt_ = "Source" if language == "en" else "线索来源"
    (dd,) = page(site, f"{language}/accountability/a1.html").xpath(source, dt=dt_)
    assert [c.text for c in dd.iter("code")] == ["case.overdue"]
    assert " ".join(dd.text_content().split()).endswith(f"{label}{lp}case.overdue{rp}")
    (dd,) = page(site, f"{language}/accountability/a2.html").xpath(source, dt=dt_)
    assert [c.text for c in dd.iter("code")] == ["local.rule"]
    assert " ".join(dd.text_content().split()).endswith("local.rule")
    cells = page(site, f"{language}/evaluations/e1.html").xpath("//table//tbody//td[1]")
    known = value_label(language, "component", "ten_disclosures")
    assert [" ".join(c.text_content().split()) for c in cells] == [known, "窗口服务_x"]
    assert [[code.text for code in c.iter("code")] for c in cells] == [[], []]


#: ASCII punctuation joining Chinese text: ", " ": " "; " " (" next to a Chinese character
_ASCII_JOIN = re.compile(r"[\u3400-\u9fff（）][,;:] |[,;:] ?[\u3400-\u9fff]"
                         r"| \([\u3400-\u9fff]|[\u3400-\u9fff]\)")


def test_chinese_pages_join_with_chinese_punctuation(example: Path) -> None:
    """No Chinese page joins Chinese text with ASCII commas, colons, semicolons or
    parentheses (the record's own text aside, which this catalogue writes in Chinese
    punctuation): labels, names and roles, lists and asides use 、，：；（）."""
    found = []
    for path in sorted((example / "zh-CN").rglob("*.html")):
        tree = html.parse(str(path)).getroot()
        for element in tree.xpath("//script|//style|//code"):
            element.drop_tree()
        words = " ".join(tree.find("body").text_content().split())
        found += [f"{path.relative_to(example)}: {words[max(0, m.start() - 20):m.end() + 10]}"
                  for m in _ASCII_JOIN.finditer(words)]
    assert found == []


@pytest.mark.parametrize(("language", "owner", "speaker", "limit"), [
    ("zh-CN", "周永刚，局长", "周永刚，省工商局局长（吉林省工商行政管理局）",
     "法定时限：20个工作日；承诺时限：10个工作日"),
    ("en", "Zhou Yonggang, Director-General",
     "Zhou Yonggang, Director-General, Provincial AIC (Jilin Provincial Administration for "
     "Industry and Commerce)", "Statutory: 20 working days; Promised: 10 working days"),
])
def test_names_roles_and_limits_are_joined_in_the_pages_language(
        example: Path, language: str, owner: str, speaker: str, limit: str) -> None:
    """周永刚，局长 on Chinese pages, "Zhou Yonggang, Director-General" on English ones."""
    owners = text(page(example, f"{language}/hotlines/hl-aic.html"),
                  "//dl[@class='facts']/div[3]/dd")
    assert owners == [owner]
    assert speaker in text(page(example, f"{language}/press/pc-2002-09-26.html"),
                           "//ul[@class='people']/li")
    assert limit in text(page(example, f"{language}/items/aic-company-registration.html"),
                         "//table[caption/@id='t-ten']//tr[6]/td")


def test_the_hotline_directory_gives_agency_and_hours_in_order(example: Path) -> None:
    """The directory lists the governor's line first, then the provincial departments',
    then the city's, county's and town's; each with its agency linked and its hours."""
    tree = page(example, "en/hotlines.html")
    rows = tree.xpath("//ul[contains(@class, 'directory')]/li")
    ids = [row.xpath("a[@class='record-title']/@href")[0].rpartition("/")[2] for row in rows]
    assert ids == ["hl-governor.html", "hl-aic.html", "hl-land.html", "hl-police.html",
                   "hl-price.html", "hl-changchun-mayor.html", "hl-nongan-county.html",
                   "hl-helong-town.html"]
    governor = rows[0]
    assert governor.xpath(".//span[@class='record-meta']/a/@href") == [
        "../en/agencies/jilin-province.html"]
    meta = " ".join(governor.xpath(".//span[@class='record-meta']")[0].text_content().split())
    assert "Opening hours: Working days 8:00-20:00" in meta
    assert "Zhao Zhendong, Governor" in meta
    assert text(page(example, "en/index.html"),
                "//ul[@class='hotlines']/li[1]/a")[0] == "Jilin Governor's Public Hotline"
    zh = " ".join(page(example, "zh-CN/hotlines.html").xpath(
        "//ul[contains(@class, 'directory')]/li[1]")[0].text_content().split())
    assert "办公时间：工作日 8:00-20:00" in zh


def test_plain_strings_are_marked_with_the_catalogues_language(build_site: Build) -> None:
    """MODEL.md: a plain string is in the catalogue's default language. On a page of
    another language it is marked ``lang`` (WCAG 3.1.2), people's names included; on a
    page of the default language nothing is added."""
    site = build_site(
        gd.ServiceHall(id="h1", agency="gov", name="大厅", kind="comprehensive"),
        gd.ServiceWindow(id="w1", agency="dept", hall="h1", number="1", name="窗口",
                         first_inquiry_officer="王明",
                         staff=[gd.Staff(name="王明", badge="007")]),
        gd.AccountabilityRecord(id="a1", agency="gov", subject_unit="dept",
                                subject_name="孟庆伟", name_public=True,
                                issued_at=at("2002-06-01")),
        gd.Suggestion(id="s1", agency="gov", topic="设立便民窗口", received_at=at("2002-03-01"),
                      credit_public=True, credit_name="李华"),
        gd.Disclosure(id="d1", agency="gov", category="policy", title="通知",
                      tags=["公开电话"], issued_at=at("2002-05-01")),
        gd.Complaint(id="c1", agency="gov", topic="公开栏未更新", received_at=at("2002-05-01")),
    )
    checks = {
        "windows/w1.html": ["王明"], "accountability/a1.html": ["孟庆伟"],
        "suggestions/s1.html": ["李华", "设立便民窗口"], "disclosures/d1.html": ["公开电话"],
        "complaints/c1.html": ["公开栏未更新"], "complaints.html": ["公开栏未更新"],
        "halls/h1.html": ["王明"],
    }
    for path, words in checks.items():
        en = page(site, f"en/{path}")
        zh = page(site, f"zh-CN/{path}")
        for word in words:
            hits = en.xpath("//main//*[text()[contains(., $w)]]", w=word)
            assert hits, (path, word)
            for hit in hits:
                assert hit.xpath("ancestor-or-self::*[@lang][1]/@lang") == ["zh-CN"], (
                    path, word, html.tostring(hit))
            assert not zh.xpath("//main//*[@lang]"), path


@pytest.mark.parametrize(("language", "rows", "review"), [
    ("zh-CN", ["8. 工作纪律和廉政制度", "9. 责任追究办法", "10. 投诉举报单位和电话"],
     "政务公开联席会议审定"),
    ("en", ["8. Work discipline and integrity rules", "9. Accountability for violations",
            "10. Complaints and reports: units and phones"], "Reviewed by the joint meeting")])
def test_the_ten_disclosures_are_named_in_the_seeds_words(example: Path, language: str,
                                                          rows: list[str], review: str) -> None:
    """Facets 8 to 10 and the joint-meeting review read as the seed names them (L23), not
    违诺责任, 投诉电话, 工作纪律 or 联合审核."""
    tree = page(example, f"{language}/items/aic-company-registration.html")
    assert text(tree, "//table//th[@scope='row']")[7:10] == rows
    assert review in text(tree, "//dl//dt")


@pytest.mark.parametrize(("language", "owner"), [("zh-CN", "责任领导"), ("en", "Head responsible")])
def test_a_hotline_names_the_head_responsible_for_it(example: Path, language: str,
                                                     owner: str) -> None:
    """The governor's hotline names him as the head responsible, not as who answers."""
    tree = page(example, f"{language}/hotlines/hl-governor.html")
    assert owner in text(tree, "//dl//dt")
    assert "接听人" not in tree.text_content()


@pytest.mark.parametrize(("language", "words"), [
    ("zh-CN", ["调查处理中", "已办结"]), ("en", ["Under investigation", "Concluded"])])
def test_accountability_cases_are_under_investigation_or_concluded(example: Path, language: str,
                                                                  words: list[str]) -> None:
    """An open case reads 调查处理中 and a closed one 已办结, on its page and in the
    statistics (not the allocations' 进行中 and 已结束)."""
    shown = [text(page(example, f"{language}/accountability/{ident}.html"),
                  "//dd/span[@class='badge']") for ident in ("acc-2002-003", "acc-2002-002")]
    assert shown == [[words[0]], [words[1]]]
    statistics = text(page(example, f"{language}/statistics/accountability.html"),
                      "//table[caption/@id='t-status']//th[@scope='row']")
    assert set(words) <= set(statistics)


@pytest.mark.parametrize(("language", "label"), [("zh-CN", "受理单位"), ("en", "Handled by")])
def test_a_complaint_names_the_unit_handling_it(example: Path, language: str, label: str) -> None:
    """A complaint's agency is the unit that received and handles it, not a publisher."""
    labels = text(page(example, f"{language}/complaints/cmp-2002-003.html"), "//dl//dt")
    assert labels[0] == label


def test_evaluation_components_show_no_keys(example: Path) -> None:
    """A component reads by its label only: no programme key in brackets or in code."""
    for language in ("zh-CN", "en"):
        tree = page(example, f"{language}/evaluations/eval-2002-changchun.html")
        cells = text(tree, "//table//tbody//td[1]")
        assert cells
        assert not any(bracket in cell for cell in cells for bracket in "(（"), cells
        assert not tree.xpath("//table//code")


def test_withdrawn_is_one_word_on_the_site_the_kiosk_and_the_feeds(example: Path) -> None:
    """已撤回 everywhere (撤销 is an annulment), and 首问负责人 and 行政许可 as the kiosk
    says them."""
    from govdisclosure.publishers.feeds.items import word
    from govdisclosure.publishers.kiosk.strings import strings, value
    from govdisclosure.publishers.site.i18n import ui

    kiosk, site = strings("zh-CN"), ui("zh-CN")
    assert kiosk["withdrawn"] == site["withdrawn"] == "已撤回"
    assert word("withdrawn", "zh-CN", title="").startswith(site["withdrawn"])
    assert kiosk["first_inquiry"] == site["first_inquiry"] == "首问负责人"
    assert value("license", "zh-CN") == value_label("zh-CN", "item_kind", "license")
    assert not [path for path in example.rglob("*.html") if "已撤销" in path.read_text("utf-8")]


@pytest.fixture(name="internal", scope="module")
def fixture_internal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The jilin-2002 example built for the internal audience; the site folder."""
    root = Path(__file__).resolve().parents[2] / "examples" / "jilin-2002"
    out = tmp_path_factory.mktemp("internal")
    gd.publish(gd.load_catalog(root), to=["site"], out=out, as_of=AS_OF, audience="internal")
    return out / "site"


def test_every_page_of_an_internal_build_says_it_is_internal(internal: Path) -> None:
    """Each page, the root and the 404 pages included, carries the banner as a landmark in
    its language, and asks not to be indexed (no canonical URL on the public host)."""
    pages = sorted(internal.rglob("*.html"))
    assert len(pages) > 100
    words = {"zh-CN": "机关内部公开 · 仅限内部", "en": "Internal: not for the public"}
    for path in pages:
        tree = page(internal, str(path.relative_to(internal)))
        language = "en" if path.relative_to(internal).parts[0] == "en" else "zh-CN"
        (banner,) = tree.xpath("//body/section[@class='internal-banner']")
        assert banner.get("aria-labelledby") == "internal-banner", path
        assert text(banner, "p") == [words[language]], path
        assert tree.xpath("//head/meta[@name='robots']/@content") == ["noindex"], path
        assert not tree.xpath("//head/link[@rel='canonical' or @rel='alternate']"), path
        assert not tree.xpath("//a[contains(@href, 'sitemap.xml')]"), path


def test_an_internal_build_keeps_robots_out_and_has_no_sitemap(internal: Path) -> None:
    """robots.txt disallows everything and names no sitemap; there is none."""
    assert (internal / "robots.txt").read_text("utf-8") == "User-agent: *\nDisallow: /\n"
    assert not (internal / "sitemap.xml").exists()
    assert not (internal / "sitemaps").exists()


def test_the_public_build_carries_no_internal_mark(example: Path) -> None:
    """The public site is indexable, with its sitemap, and no page has the banner."""
    assert "Allow: /" in (example / "robots.txt").read_text("utf-8")
    assert (example / "sitemap.xml").is_file()
    for path in ("zh-CN/index.html", "en/items/aic-company-registration.html", "index.html"):
        tree = page(example, path)
        assert not tree.xpath("//*[@class='internal-banner']"), path
        assert tree.xpath("//head/link[@rel='canonical']"), path



def test_evaluation_components_are_listed_in_an_order_of_the_data(build_site: Build) -> None:
    """The record's order of components is not part of its content (its hash sorts keys):
    listed by name, an incremental run and a full one agree."""
    def rows(components: dict[str, float]) -> list[str]:
        site = build_site(gd.Evaluation(id="e1", agency="dept", year=2002, score=90.0,
                                        components=components))
        return text(page(site, "en/evaluations/e1.html"), "//table//tbody//tr")

    forward = rows({"timeliness": 30.0, "content": 60.0})
    assert forward == rows({"content": 60.0, "timeliness": 30.0})
    assert len(forward) == 2
