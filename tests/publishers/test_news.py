"""The news publisher, checked by real consumers: the ninjs 3.2 schema, lxml, json."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from pathlib import Path
from typing import Any

import attrs
import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator
from tests.strategies import catalogs

import govdisclosure as gd
from govdisclosure.testing import HOSTILE, check_html_inert, snapshot
from strategies import AS_OF, CST

#: The example's embargoed release and the instant its embargo ends.
EMBARGOED = "nr-online-approval-pilot"
LIFTED = dt.datetime(2030, 1, 1, 9, 0, tzinfo=CST)
CONFERENCE = "pc-2002-09-26"
RELEASE = "nr-2002-hotlines"


def publish(catalog: gd.Catalog, out: Path, *, as_of: dt.datetime = AS_OF,
            audience: str = "public", **options: Any) -> gd.PublisherReport:
    """Publish with the news publisher only; its report."""
    report = gd.publish(catalog, to=["news"], out=out, as_of=as_of, audience=audience,
                        options={"news": options}, workers=1)
    assert report.failed == 0, report.publishers[0].failures
    return report.publishers[0]


def files(out: Path) -> dict[str, bytes]:
    """Every file of the news output by relative path."""
    root = (out / "news").resolve()
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def text_of(output: dict[str, bytes]) -> str:
    """All the output as one string (JSON decoded too, so escapes hide nothing)."""
    chunks = [data.decode() for data in output.values()]
    chunks += [json.dumps(json.loads(data), ensure_ascii=False)
               for path, data in output.items() if path.endswith(".json")]
    return "\n".join(chunks)


def parse_release(text: str) -> dict[str, Any]:
    """A plain-text release split into its parts: the status lines before the first blank
    line, the paragraphs, and the closing line."""
    assert text.endswith("\n")
    assert "\r" not in text
    paragraphs = text[:-1].split("\n\n")
    return {"status": paragraphs[0].split("\n"), "paragraphs": paragraphs[1:-1],
            "end": paragraphs[-1], "lines": text[:-1].split("\n")}


def jsonld(html: bytes) -> list[dict[str, Any]]:
    """The JSON-LD documents of a page, parsed."""
    page = lxml.html.fromstring(html)
    return [json.loads(script.text) for script in
            page.xpath('//script[@type="application/ld+json"]')]


@pytest.fixture(name="example")
def fixture_example(example_path: Path) -> gd.Catalog:
    """The jilin-2002 catalogue."""
    return gd.load_catalog(example_path)


@pytest.fixture(name="ninjs")
def fixture_ninjs(schemas: Path) -> Draft202012Validator:
    """The IPTC ninjs 3.2 validator, formats checked."""
    schema = json.loads((schemas / "ninjs/ninjs-schema_3.2.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_ninjs_valid(validator: Draft202012Validator, output: dict[str, bytes]) -> int:
    """Every ninjs file of ``output`` validates; returns how many there are."""
    count = 0
    for path, data in output.items():
        if path.endswith(".json") and path != "index.json":
            errors = sorted(validator.iter_errors(json.loads(data)), key=str)
            assert not errors, (path, errors[0].message, list(errors[0].path))
            count += 1
    return count


# -- the example --------------------------------------------------------------------------------

def test_layout_of_the_example(example: gd.Catalog, tmp_path: Path) -> None:
    """Each public release has .txt, .html and .json, each conference its five parts, its
    page and event.json, in each catalogue language; the embargoed release has none."""
    publish(example, tmp_path)
    output = files(tmp_path)
    for lang in ("zh-CN", "en"):
        for ident in ("nr-2002-ten-disclosures", RELEASE):
            for ext in ("txt", "html", "json"):
                assert f"{lang}/releases/{ident}.{ext}" in output
        for part in ("advisory.txt", "agenda.txt", "speakers.txt", "statements.txt",
                     "qa.txt", "index.html", "event.json"):
            assert f"{lang}/conferences/{CONFERENCE}/{part}" in output
        assert f"{lang}/index.html" in output
    assert not any(EMBARGOED in path for path in output)


def test_every_ninjs_file_of_the_example_validates(example: gd.Catalog, tmp_path: Path,
                                                   ninjs: Draft202012Validator) -> None:
    """Releases (type text) and conferences (type event) are valid ninjs 3.2, in the
    public and in the media output (embargoedUntil)."""
    publish(example, tmp_path / "public")
    publish(example, tmp_path / "media", audience="media")
    assert assert_ninjs_valid(ninjs, files(tmp_path / "public")) == 6
    assert assert_ninjs_valid(ninjs, files(tmp_path / "media")) == 8


def test_conference_event_associates_its_parts(example: gd.Catalog, tmp_path: Path) -> None:
    """event.json is a ninjs event whose associations are the five parts, then the
    statements by the uri of their own items."""
    publish(example, tmp_path)
    output = files(tmp_path)
    event = json.loads(output[f"en/conferences/{CONFERENCE}/event.json"])
    assert event["type"] == "event"
    assert event["eventDetails"]["dates"]["startDate"] == "2002-09-26T10:00:00+08:00"
    rels = [a["rel"] for a in event["associations"]]
    assert rels == ["advisory", "agenda", "speakers", "statements", "qa",
                    "statement", "statement"]
    release = json.loads(output[f"en/releases/{RELEASE}.json"])
    assert release["uri"] in {a["uri"] for a in event["associations"]}
    advisory = output[f"en/conferences/{CONFERENCE}/advisory.txt"].decode()
    assert event["associations"][0]["bodies"][0]["value"] == advisory


def test_plain_text_release_structure(example: gd.Catalog, tmp_path: Path) -> None:
    """First line FOR IMMEDIATE RELEASE, then contacts, headline, dateline with the body,
    boilerplate, and ``###`` as the last line, the only one."""
    publish(example, tmp_path)
    output = files(tmp_path)
    en = parse_release(output[f"en/releases/{RELEASE}.txt"].decode())
    assert en["status"] == ["FOR IMMEDIATE RELEASE"]
    assert en["end"] == "###"
    assert en["lines"].count("###") == 1
    contacts, headline, body, about = en["paragraphs"]
    assert contacts.split("\n")[:3] == ["Media contacts:",
                                        "Press Office of the Provincial Government",
                                        "Tel: 0431-88900166"]
    assert headline.startswith("Public hotlines of heads of government")
    assert body.startswith("CHANGCHUN, 26 September 2002 - As the provincial")
    assert about.startswith("About General Office of the Jilin")
    zh = parse_release(output[f"zh-CN/releases/{RELEASE}.txt"].decode())
    assert zh["status"] == ["FOR IMMEDIATE RELEASE", "即时发布"]
    assert zh["paragraphs"][2].startswith("长春，2002年9月26日——")
    assert zh["end"] == "###"


def test_html_release_carries_news_article_json_ld(example: gd.Catalog,
                                                   tmp_path: Path) -> None:
    """The page's JSON-LD is one schema.org NewsArticle naming the page, in its language."""
    publish(example, tmp_path)
    output = files(tmp_path)
    for lang in ("zh-CN", "en"):
        page = output[f"{lang}/releases/{RELEASE}.html"]
        (data,) = jsonld(page)
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "NewsArticle"
        assert data["inLanguage"] == lang
        assert data["url"] == f"https://gk.example.gov.cn/news/{lang}/releases/{RELEASE}.html"
        assert data["datePublished"] == "2002-09-26T11:00:00+08:00"
        title = lxml.html.fromstring(page).findtext(".//h1")
        assert data["headline"] == title
        check_html_inert(f"{lang}/{RELEASE}.html", page)


# -- conference pages -----------------------------------------------------------------------------

def page_links(output: dict[str, bytes], path: str) -> list[str]:
    """The links of a page as output paths (each relative href resolved against ``path``)."""
    page = lxml.html.fromstring(output[path])
    folder = posixpath.dirname(path)
    return [posixpath.normpath(posixpath.join(folder, href))
            for href in page.xpath("//a/@href")]


def test_conference_page_shows_the_advisory_and_every_part(example: gd.Catalog,
                                                           tmp_path: Path) -> None:
    """Facts, speakers, agenda, the public statements linked to their pages, Q&A and the
    other formats; every link leads to a file of the output."""
    publish(example, tmp_path)
    output = files(tmp_path)
    path = f"en/conferences/{CONFERENCE}/index.html"
    page = lxml.html.fromstring(output[path])
    assert page.findtext(".//h1") == json.loads(
        output[f"en/conferences/{CONFERENCE}/event.json"])["title"]
    assert page.xpath('//dl[@class="facts"]/dt/text()') == ["When", "Where", "Organiser",
                                                            "Status"]
    assert page.xpath('//dl[@class="facts"]//time/@datetime') == ["2002-09-26T10:00:00+08:00"]
    assert len(page.xpath('//section[@aria-labelledby="speakers"]//li')) == 3
    assert page.xpath('//section[@aria-labelledby="agenda"]//time/text()') == [
        "10:00", "10:20", "10:35", "10:50"]
    assert page.xpath('//section[@aria-labelledby="statements"]//a/@href') == [
        "../../releases/nr-2002-ten-disclosures.html", f"../../releases/{RELEASE}.html"]
    questions = page.xpath('//section[@aria-labelledby="qa"]//dt/text()')
    assert questions[0].endswith("(Jilin Daily)")
    assert len(questions) == 3
    assert all(link in output for link in page_links(output, path)), page_links(output, path)
    check_html_inert(path, output[path])
    zh = lxml.html.fromstring(output[f"zh-CN/conferences/{CONFERENCE}/index.html"])
    assert zh.get("lang") == "zh-CN"
    assert zh.xpath('//dl[@class="facts"]/dt/text()')[:2] == ["时间", "地点"]


def test_conference_page_carries_event_json_ld(example: gd.Catalog, tmp_path: Path) -> None:
    """One schema.org Event: name, start, venue as a Place, organiser, speakers as
    performers, the page's URL and language; a held conference is EventScheduled."""
    publish(example, tmp_path)
    output = files(tmp_path)
    for lang in ("zh-CN", "en"):
        page = output[f"{lang}/conferences/{CONFERENCE}/index.html"]
        (data,) = jsonld(page)
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "Event"
        assert data["name"] == lxml.html.fromstring(page).findtext(".//h1")
        assert data["startDate"] == "2002-09-26T10:00:00+08:00"
        assert data["eventStatus"] == "https://schema.org/EventScheduled"
        assert data["location"]["@type"] == "Place"
        assert data["organizer"]["@type"] == "GovernmentOrganization"
        assert len(data["performer"]) == 3
        assert data["inLanguage"] == lang
        assert data["url"] == (f"https://gk.example.gov.cn/news/{lang}/conferences/"
                               f"{CONFERENCE}/index.html")
    (en,) = jsonld(output[f"en/conferences/{CONFERENCE}/index.html"])
    assert en["location"]["name"] == ("Press room of the Provincial Government, "
                                      "1 Renmin Street, Changchun")


@pytest.mark.parametrize(("status", "event_status"), [
    ("scheduled", "EventScheduled"), ("held", "EventScheduled"),
    ("cancelled", "EventCancelled")])
def test_conference_status_is_the_same_in_page_json_ld_and_ninjs(
        example: gd.Catalog, tmp_path: Path, status: str, event_status: str) -> None:
    """Held is EventScheduled (schema.org: "has taken place ... as scheduled"); a
    cancelled conference says CANCELLED in its page's banner too."""
    conference = attrs.evolve(example.get("press_conference", CONFERENCE), status=status)
    records = [conference if r.id == CONFERENCE else r for r in example]
    publish(gd.Catalog(records, example.meta, check=False), tmp_path)
    output = files(tmp_path)
    page = output[f"en/conferences/{CONFERENCE}/index.html"]
    item = json.loads(output[f"en/conferences/{CONFERENCE}/event.json"])
    assert jsonld(page)[0]["eventStatus"] == f"https://schema.org/{event_status}"
    assert item["eventDetails"]["eventStatus"] == f"https://schema.org/{event_status}"
    banner = lxml.html.fromstring(page).xpath('//p[@role="note"]')[0]
    assert ("CANCELLED" in banner.text_content()) == (status == "cancelled")


def test_conference_page_is_listed_and_linked(example: gd.Catalog, tmp_path: Path) -> None:
    """index.json gives its path as ``html``, like a release's; the language index, each
    statement's page and the event item link to it."""
    publish(example, tmp_path)
    output = files(tmp_path)
    (row,) = [row for row in json.loads(output["index.json"]) if row["id"] == CONFERENCE]
    assert row["paths"]["html"] == f"conferences/{CONFERENCE}/index.html"
    page = f"en/conferences/{CONFERENCE}/index.html"
    assert page in page_links(output, "en/index.html")
    assert page in page_links(output, f"en/releases/{RELEASE}.html")
    item = json.loads(output[f"en/conferences/{CONFERENCE}/event.json"])
    assert item["renditions"] == [{"name": "html", "contentType": "text/html",
                                   "href": f"https://gk.example.gov.cn/news/{page}"}]


def small_catalog(*records: gd.Record) -> gd.Catalog:
    """One language, one agency ``a``, and ``records``."""
    meta = gd.CatalogMeta(name="t", base_url="https://gk.example.gov.cn/",
                          default_language="en", languages=("en",), timezone="UTC")
    return gd.Catalog([gd.Agency(id="a", name="A", level="province"), *records], meta,
                      check=False)


def test_hostile_conference_text_stays_inert_on_its_page(tmp_path: Path) -> None:
    """Markup, a javascript: URL, quotes, bidi and control characters in every field of a
    conference are text on its page: no script but the JSON-LD, no active URL, no control
    or bidi character in any file, and the JSON-LD still parses to the title shown."""
    conference = gd.PressConference(
        id="c1", agency="a", title=f"Title {HOSTILE}", scheduled_at=AS_OF, venue=HOSTILE,
        summary=f"{HOSTILE}\n\n[x](javascript:alert(1))", status="held",
        speakers=[gd.Speaker(name=HOSTILE, title=HOSTILE)],
        agenda=[gd.AgendaItem(item=HOSTILE, speaker=HOSTILE, at=AS_OF)],
        qa=[gd.QA(question=HOSTILE, answer=f"{HOSTILE}\n\njavascript:alert(1)",
                  outlet=HOSTILE)])
    release = gd.NewsRelease(id="r1", agency="a", headline=f"Head {HOSTILE}", body="Body",
                             conference="c1", issued_at=AS_OF)
    publish(small_catalog(conference, release), tmp_path)
    output = files(tmp_path)
    path = "en/conferences/c1/index.html"
    check_html_inert(path, output[path])
    page = lxml.html.fromstring(output[path])
    assert [s.get("type") for s in page.iter("script")] == ["application/ld+json"]
    assert not page.xpath("//img | //iframe | //object | //*[@onerror]")
    assert all(":" not in href for href in page.xpath("//a/@href"))
    title = page.findtext(".//h1")
    assert '<script>alert("pwned")</script>' in title
    assert "\"quotes\" 'single' & ampersand" in title
    assert jsonld(output[path])[0]["name"] == title
    assert not set("\x00\x07\x1b\u202e\u202c") & set(text_of(output))


def test_conference_page_keeps_line_breaks_and_shows_hashes_as_written(
        tmp_path: Path) -> None:
    """Summary and answers keep their paragraphs and line breaks on the page, and a
    ``###`` line shows as written (only the plain text escapes it, as ``\\###``)."""
    conference = gd.PressConference(
        id="c1", agency="a", title="T", scheduled_at=AS_OF, status="held",
        summary="First line\nsecond line\n\n###", qa=[gd.QA(question="Q", answer="###")])
    publish(small_catalog(conference), tmp_path)
    output = files(tmp_path)
    page = lxml.html.fromstring(output["en/conferences/c1/index.html"])
    first, second = page.xpath("//article/p[not(@class) and not(a)]")[:2]
    assert [first.text, *(br.tail for br in first)] == ["First line", "second line"]
    assert second.text == "###"
    assert [p.text for p in page.xpath("//dd/p")] == ["A: ###"]
    assert "\\###" in output["en/conferences/c1/advisory.txt"].decode()


def test_a_conference_page_shows_no_record_that_is_not_public(tmp_path: Path) -> None:
    """Statements that are secret, draft, internal or under embargo, and a speaker's secret
    agency, are not on the page (nor in its JSON-LD); a secret conference has no page."""
    hidden = {"classification": "secret"}, {"status": "draft"}, {"audience": "internal"}, {
        "publish_at": AS_OF + dt.timedelta(days=1)}
    releases = [gd.NewsRelease(id=f"r{n}", agency="a", headline=f"qzxhidden{n}",
                               issued_at=AS_OF, conference="c1", **flaw)
                for n, flaw in enumerate(hidden)]
    shown = gd.NewsRelease(id="shown", agency="a", headline="Shown", issued_at=AS_OF)
    secret_agency = gd.Agency(id="sa", name="qzxhiddenagency", level="province",
                              classification="secret")
    conference = gd.PressConference(
        id="c1", agency="a", title="Conference", scheduled_at=AS_OF,
        releases=["shown", *(r.id for r in releases)],
        speakers=[gd.Speaker(name="Speaker", agency="sa")])
    secret = gd.PressConference(id="c2", agency="a", title="qzxhiddenconference",
                                scheduled_at=AS_OF, classification="secret")
    publish(small_catalog(secret_agency, conference, secret, shown, *releases), tmp_path)
    output = files(tmp_path)
    page = output["en/conferences/c1/index.html"].decode()
    assert "qzxhidden" not in page
    assert lxml.html.fromstring(page).xpath(
        '//section[@aria-labelledby="statements"]//a/@href') == ["../../releases/shown.html"]
    assert "affiliation" not in jsonld(page.encode())[0]["performer"][0]
    assert not [path for path in output if "/c2/" in path]
    assert "qzxhidden" not in text_of(output)


# -- attachments --------------------------------------------------------------------------------

#: An http(s) file, a catalogue file, and URLs that must never become links.
ATTACHMENTS = (
    gd.Attachment(title={"zh-CN": "全文", "en": "Full text"}, media_type="application/pdf",
                  url="https://gk.example.gov.cn/files/full.pdf", bytes=1024),
    gd.Attachment(title="Scan", url="files/scan.png", media_type="image/png"),
    gd.Attachment(title="qzxbad1", url="javascript:alert(1)"),
    gd.Attachment(title="qzxbad2", url="data:text/html,<script>alert(1)</script>"),
    gd.Attachment(title="qzxbad3", url="mailto:press@example.gov.cn"),
    gd.Attachment(title="qzxbad4", url="//evil.example/x.pdf"),
)


def test_attachments_are_linked_from_ninjs_pages_and_text_and_stay_inert(
        example: gd.Catalog, tmp_path: Path, ninjs: Draft202012Validator) -> None:
    """A release's and a conference's attachments are ninjs associations (rel attachment),
    each file the rendition ``original`` (valid ninjs 3.2), a list of links on their pages
    and, for a release, lines before ``###``: http(s) as is, a catalogue file at the site's
    copy when the site makes one, else (here: a catalogue without a folder) resolved
    against the base URL; javascript:, data:, mailto: and scheme-relative URLs are left
    out."""
    changed = {("news_release", RELEASE), ("press_conference", CONFERENCE)}
    records = [attrs.evolve(r, attachments=ATTACHMENTS) if (r.TYPE, r.id) in changed else r
               for r in example]
    publish(gd.Catalog(records, example.meta, check=False), tmp_path)
    output = files(tmp_path)
    assert_ninjs_valid(ninjs, output)
    for path in (f"en/releases/{RELEASE}.json", f"en/conferences/{CONFERENCE}/event.json"):
        item = json.loads(output[path])
        found = [a for a in item["associations"] if a["rel"] == "attachment"]
        assert found == [
            {"name": "Full text", "rel": "attachment", "uri": f"{item['uri']}#attachment-1",
             "renditions": [{"name": "original", "title": "Full text",
                             "href": "https://gk.example.gov.cn/files/full.pdf",
                             "contentType": "application/pdf", "sizeInBytes": 1024}]},
            {"name": "Scan", "rel": "attachment", "uri": f"{item['uri']}#attachment-2",
             "type": "picture",
             "renditions": [{"name": "original", "title": "Scan", "contentType": "image/png",
                             "href": "https://gk.example.gov.cn/files/scan.png"}]}]
    zh = json.loads(output[f"zh-CN/releases/{RELEASE}.json"])
    assert [a["name"] for a in zh["associations"]] == ["全文", "Scan"]
    site = "https://gk.example.gov.cn/"
    for page in (f"en/releases/{RELEASE}.html", f"en/conferences/{CONFERENCE}/index.html"):
        links = lxml.html.fromstring(output[page]).xpath(
            '//section[@aria-labelledby="attachments"]//a')
        assert [(a.text, a.get("href"), a.get("type")) for a in links] == [
            ("Full text", f"{site}files/full.pdf", "application/pdf"),
            ("Scan", f"{site}files/scan.png", "image/png")]
    text = output[f"en/releases/{RELEASE}.txt"].decode()
    assert (f"Attachments:\nFull text: {site}files/full.pdf\n"
            f"Scan: {site}files/scan.png\n\n###") in text
    shown = text_of(output)
    assert "qzxbad" not in shown
    assert "evil.example" not in shown
    assert "javascript:" not in shown


# -- embargo --------------------------------------------------------------------------------------

def test_embargoed_release_is_public_only_after_publish_at(example: gd.Catalog,
                                                           tmp_path: Path) -> None:
    """Before publish_at no public file names the release or shows its text; a run at
    publish_at publishes it for immediate release and lists it in its conference."""
    headline = "Jilin starts a pilot of online administrative approval"
    publish(example, tmp_path, as_of=LIFTED - dt.timedelta(minutes=1))
    before = text_of(files(tmp_path))
    assert EMBARGOED not in before
    assert headline not in before
    publish(example, tmp_path, as_of=LIFTED)
    after = files(tmp_path)
    text = parse_release(after[f"en/releases/{EMBARGOED}.txt"].decode())
    assert text["status"] == ["FOR IMMEDIATE RELEASE"]
    assert headline in after[f"en/conferences/{CONFERENCE}/statements.txt"].decode()
    assert "embargoedUntil" not in json.loads(after[f"en/releases/{EMBARGOED}.json"])


def test_media_audience_receives_the_release_marked_embargoed(example: gd.Catalog,
                                                              tmp_path: Path) -> None:
    """The media output holds the embargoed release, marked in every format; when the
    embargo ends, a run rewrites it for immediate release (its record did not change)."""
    publish(example, tmp_path, audience="media")
    output = files(tmp_path)
    text = parse_release(output[f"zh-CN/releases/{EMBARGOED}.txt"].decode())
    assert text["status"][0] == "EMBARGOED UNTIL 2030-01-01 09:00 Asia/Shanghai (UTC+08:00)"
    assert text["status"][1].startswith("禁发至 2030年1月1日 09:00（北京时间）")
    item = json.loads(output[f"en/releases/{EMBARGOED}.json"])
    assert item["embargoedUntil"] == "2030-01-01T09:00:00+08:00"
    page = lxml.html.fromstring(output[f"en/releases/{EMBARGOED}.html"])
    assert page.xpath('//p[contains(@class, "embargoed")]')[0].text_content().startswith(
        "EMBARGOED UNTIL")
    # the Chinese list of statements says it in Chinese, in Chinese brackets
    statements = output[f"zh-CN/conferences/{CONFERENCE}/statements.txt"].decode()
    assert "（禁发至 2030年1月1日 09:00（北京时间）" in statements
    assert "EMBARGOED" not in statements
    publish(example, tmp_path, as_of=LIFTED, audience="media")
    lifted = files(tmp_path)
    assert parse_release(lifted[f"en/releases/{EMBARGOED}.txt"].decode())["status"] == [
        "FOR IMMEDIATE RELEASE"]
    assert "EMBARGOED" not in lifted[f"en/conferences/{CONFERENCE}/statements.txt"].decode()


def test_the_end_of_an_embargo_is_a_new_version_of_what_the_media_saw(
        example: gd.Catalog, tmp_path: Path) -> None:
    """The run at publish_at rewrites the release and its conference's event item for
    immediate release: both ninjs ``versionCreated`` and the page's ``dateModified`` move
    to that run's instant (none said a later one under embargo)."""
    publish(example, tmp_path, audience="media")
    before = files(tmp_path)
    publish(example, tmp_path, as_of=LIFTED, audience="media")
    after = files(tmp_path)
    page = f"en/releases/{EMBARGOED}.html"
    dates = {path: (json.loads(before[path]).get("versionCreated"),
                    json.loads(after[path]).get("versionCreated"))
             for path in (f"en/releases/{EMBARGOED}.json",
                          f"en/conferences/{CONFERENCE}/event.json")}
    dates[page] = tuple(jsonld(output[page])[0].get("dateModified") for output in (before, after))
    for path, (old, new) in dates.items():
        assert before[path] != after[path], path
        assert new is not None, path
        assert dt.datetime.fromisoformat(new) == LIFTED, path
        assert old is None or dt.datetime.fromisoformat(old) < LIFTED, path


def test_the_end_of_an_embargo_is_receipted_and_counted_as_an_update(
        example: gd.Catalog, tmp_path: Path) -> None:
    """The media output changed the release when its embargo ended: the run at publish_at
    counts it written (a dry run says so first), the ledger gives it an ``updated``
    receipt, and a later run counts it unchanged again."""
    first = publish(example, tmp_path, audience="media")
    dry = gd.publish(example, to=["news"], out=tmp_path, as_of=LIFTED, audience="media",
                     dry_run=True).publishers[0]
    lifted = publish(example, tmp_path, as_of=LIFTED, audience="media")
    later = publish(example, tmp_path, as_of=LIFTED + dt.timedelta(days=1), audience="media")
    shown = first.written
    assert (dry.written, dry.unchanged) == (1, shown - 1)
    assert (lifted.written, lifted.unchanged) == (1, shown - 1)
    assert (later.written, later.unchanged) == (0, shown)
    with gd.publishing.StateStore(gd.publishing.state_path(tmp_path), create=False) as store:
        receipts = [(r.action, dt.datetime.fromisoformat(r.at))
                    for r in store.receipts(f"news_release:{EMBARGOED}")]
    assert receipts == [("published", AS_OF), ("updated", LIFTED)]


def test_the_media_output_holds_the_releases_is_publishable_admits(example: gd.Catalog,
                                                                  tmp_path: Path) -> None:
    """MODEL.md: every publisher selects through ``is_publishable``: the releases of the
    media output are the live ones it admits for the ``media`` audience, the one under
    embargo included (it answered False for it while the output held it)."""
    publish(example, tmp_path, audience="media")
    shown = {posixpath.basename(path).removesuffix(".json") for path in files(tmp_path)
             if path.startswith("en/releases/") and path.endswith(".json")}
    admitted = {release.id for release in example.of_type(gd.NewsRelease)
                if gd.is_publishable(release, AS_OF, "media") and not gd.is_tombstone(release)}
    assert EMBARGOED in admitted
    assert shown == admitted


@pytest.mark.parametrize("flaw", [{"classification": "secret"}, {"status": "draft"},
                                  {"audience": "internal"}])
def test_media_audience_gets_no_other_unpublishable_release(example: gd.Catalog,
                                                            tmp_path: Path,
                                                            flaw: dict[str, str]) -> None:
    """Only the embargo is lifted for the media: a secret, draft or internal release under
    embargo, and an embargoed disclosure, stay out."""
    release = attrs.evolve(example.get("news_release", EMBARGOED), **flaw)
    notice = gd.Disclosure(id="embargoed-notice", agency="jilin-general-office",
                           category="announcement", title="qzxembargoednotice",
                           publish_at=LIFTED)
    records = [r for r in example if r.id != EMBARGOED] + [release, notice]
    publish(gd.Catalog(records, example.meta, check=False), tmp_path, audience="media")
    shown = text_of(files(tmp_path))
    assert EMBARGOED not in shown
    assert "qzxembargoednotice" not in shown


def test_publishers_that_do_not_serve_the_media_refuse_it(example: gd.Catalog,
                                                          tmp_path: Path) -> None:
    """The site and feeds would show an embargoed release unmarked: they refuse media."""
    for name in ("site", "feeds"):
        with pytest.raises(gd.ConfigError, match="media"):
            gd.publish(example, to=[name], out=tmp_path, as_of=AS_OF, audience="media")


# -- incremental, withdrawal, hostile text -----------------------------------------------------

def rewritten(example: gd.Catalog, out: Path, kind: str, ident: str,
              **fields: Any) -> set[str]:
    """The files of the news output that differ after a run in which record ``kind:ident``
    of the example got ``fields``, from a run of the example as it is."""
    publish(example, out)
    before = snapshot(out / "news")
    records = [attrs.evolve(r, **fields) if (r.TYPE, r.id) == (kind, ident) else r
               for r in example]
    publish(gd.Catalog(records, example.meta, check=False), out)
    after = snapshot(out / "news")
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def test_one_changed_release_rewrites_only_its_files_and_what_lists_it(
        example: gd.Catalog, tmp_path: Path) -> None:
    """Its three files per language, its conference's statements, page and event item, and
    the indexes; nothing else is written."""
    differ = rewritten(example, tmp_path, "news_release", RELEASE,
                       headline={"zh-CN": "新标题", "en": "New headline"})
    expected = {"index.json"} | {
        f"{lang}/{path}" for lang in ("zh-CN", "en") for path in (
            f"releases/{RELEASE}.txt", f"releases/{RELEASE}.html", f"releases/{RELEASE}.json",
            f"conferences/{CONFERENCE}/statements.txt",
            f"conferences/{CONFERENCE}/index.html",
            f"conferences/{CONFERENCE}/event.json", "index.html")}
    assert differ == expected


def test_one_changed_conference_rewrites_its_folder_with_its_page(
        example: gd.Catalog, tmp_path: Path) -> None:
    """A new title: its five parts, its page and event item, the releases that name it (page
    and ninjs; their text does not show it) and the indexes; nothing else is written."""
    differ = rewritten(example, tmp_path, "press_conference", CONFERENCE,
                       title={"zh-CN": "新发布会", "en": "New conference"})
    folder = [f"conferences/{CONFERENCE}/{name}" for name in (
        "advisory.txt", "agenda.txt", "speakers.txt", "statements.txt", "qa.txt",
        "index.html", "event.json")]
    releases = [f"releases/{ident}.{ext}" for ident in ("nr-2002-ten-disclosures", RELEASE)
                for ext in ("html", "json")]
    assert differ == {"index.json"} | {f"{lang}/{path}" for lang in ("zh-CN", "en")
                                       for path in (*folder, *releases, "index.html")}
    page = lxml.html.fromstring((tmp_path / "news" / "en" / folder[5]).read_bytes())
    assert page.findtext(".//h1") == "New conference"


def test_a_new_headline_of_a_statement_moves_the_event_version(example: gd.Catalog,
                                                               tmp_path: Path) -> None:
    """event.json shows its statements' headlines: a new one is a new version of the event
    item, dated by the run that published it, which a full rebuild keeps."""
    path = f"en/conferences/{CONFERENCE}/event.json"
    publish(example, tmp_path)
    before = json.loads(files(tmp_path)[path])
    edit = AS_OF + dt.timedelta(days=6)
    edited = gd.Catalog([attrs.evolve(r, headline={"zh-CN": "新标题", "en": "New headline"})
                         if r.id == RELEASE else r for r in example], example.meta, check=False)
    publish(edited, tmp_path, as_of=edit)
    after = json.loads(files(tmp_path)[path])
    assert "New headline" in [a.get("name") for a in after["associations"]]
    assert dt.datetime.fromisoformat(before["versionCreated"]) < edit
    assert dt.datetime.fromisoformat(after["versionCreated"]) == edit
    incremental = snapshot(tmp_path / "news")
    gd.publish(edited, to=["news"], out=tmp_path, as_of=edit + dt.timedelta(days=1), full=True)
    assert snapshot(tmp_path / "news") == incremental


def test_a_conference_still_to_come_is_not_dated_by_its_day(tmp_path: Path) -> None:
    """The event item of a conference announced ahead, its statement under embargo until
    it (the media output), moves when the statement's headline changes before the day:
    its version is not the conference's day."""
    day = AS_OF + dt.timedelta(days=10)
    conference = gd.PressConference(id="c1", agency="a", title="T", scheduled_at=day,
                                    status="scheduled", releases=["r1"],
                                    issued_at=AS_OF - dt.timedelta(days=1))
    release = gd.NewsRelease(id="r1", agency="a", headline="Old", body="Body",
                             conference="c1", issued_at=AS_OF - dt.timedelta(days=1),
                             publish_at=day)
    publish(small_catalog(conference, release), tmp_path, audience="media")
    edit = AS_OF + dt.timedelta(days=1)
    publish(small_catalog(conference, attrs.evolve(release, headline="New")), tmp_path,
            as_of=edit, audience="media")
    item = json.loads(files(tmp_path)["en/conferences/c1/event.json"])
    assert [a["name"] for a in item["associations"] if a["rel"] == "statement"] == ["New"]
    assert dt.datetime.fromisoformat(item["versionCreated"]) == edit


def test_withdrawn_release_leaves_a_tombstone_with_its_uri(
        example: gd.Catalog, tmp_path: Path, ninjs: Draft202012Validator) -> None:
    """Same paths: the text says WITHDRAWN with the reason, the ninjs item is canceled under
    the same uri, the conference no longer lists it."""
    publish(example, tmp_path)
    uri = json.loads(files(tmp_path)[f"en/releases/{RELEASE}.json"])["uri"]
    withdrawn = attrs.evolve(example.get("news_release", RELEASE), status="withdrawn",
                             withdrawn=gd.Withdrawal(on=dt.date(2002, 12, 1),
                                                     reason="Wrong figures"))
    records = [withdrawn if r.id == RELEASE else r for r in example]
    report = publish(gd.Catalog(records, example.meta, check=False), tmp_path)
    assert report.withdrawn == 1
    output = files(tmp_path)
    text = parse_release(output[f"en/releases/{RELEASE}.txt"].decode())
    assert text["status"] == ["WITHDRAWN - DO NOT USE"]
    assert text["end"] == "###"
    assert "Wrong figures" in text["paragraphs"][-1]
    item = json.loads(output[f"en/releases/{RELEASE}.json"])
    assert item["pubStatus"] == "canceled"
    assert item["uri"] == uri
    assert "As the provincial disclosure plan" not in text_of(output)
    assert RELEASE not in output[f"en/conferences/{CONFERENCE}/statements.txt"].decode()
    assert_ninjs_valid(ninjs, output)
    # in Chinese, a day as Chinese text writes it
    zh = parse_release(output[f"zh-CN/releases/{RELEASE}.txt"].decode())
    assert zh["paragraphs"][-1] == "2002年12月1日撤回。理由：Wrong figures"


def test_withdrawn_conference_keeps_only_its_notice(example: gd.Catalog,
                                                    tmp_path: Path) -> None:
    """A withdrawn conference keeps advisory.txt and its page (the notice) and event.json
    (canceled); the index links the page."""
    publish(example, tmp_path)
    withdrawn = attrs.evolve(example.get("press_conference", CONFERENCE), status="withdrawn",
                             withdrawn=gd.Withdrawal(on=dt.date(2002, 12, 1), reason="Moved"))
    records = [withdrawn if r.id == CONFERENCE else r for r in example]
    publish(gd.Catalog(records, example.meta, check=False), tmp_path)
    output = files(tmp_path)
    folder = sorted(p for p in output if p.startswith(f"en/conferences/{CONFERENCE}/"))
    advisory, event, page = (f"en/conferences/{CONFERENCE}/{name}"
                             for name in ("advisory.txt", "event.json", "index.html"))
    assert folder == [advisory, event, page]
    item = json.loads(output[event])
    assert item["pubStatus"] == "canceled"
    assert [r["href"].rpartition("/")[2] for r in item["renditions"]] == [
        "advisory.txt", "index.html"]
    assert output[advisory].decode().startswith("WITHDRAWN - DO NOT USE\n")
    shown = lxml.html.fromstring(output[page])
    assert shown.findtext(".//p") == "WITHDRAWN - DO NOT USE"
    assert "Moved" in shown.text_content()
    assert "Questions from the press" not in shown.text_content()
    check_html_inert(page, output[page])
    (row,) = [row for row in json.loads(output["index.json"]) if row["id"] == CONFERENCE]
    assert row["paths"] == {"advisory": f"conferences/{CONFERENCE}/advisory.txt",
                            "html": f"conferences/{CONFERENCE}/index.html",
                            "event": f"conferences/{CONFERENCE}/event.json"}


def test_hostile_body_cannot_end_the_release_early(tmp_path: Path) -> None:
    """A body line '###', control and bidi characters, line separators and markup: the
    release still has one '###', last; no control character; the page stays inert."""
    meta = gd.CatalogMeta(name="t", base_url="https://gk.example.gov.cn/",
                          default_language="en", languages=("en",), timezone="UTC")
    body = ("Para\n\n###\n\n  ###  \n\n<script>alert(1)</script>\u202eevil\u2028next\x1b[31m"
            "\x00\n\n[x](javascript:alert(1))")
    release = gd.NewsRelease(id="r1", agency="a", headline="Head\nline\u2029two",
                             body=body, issued_at=AS_OF)
    agency = gd.Agency(id="a", name="A", level="province")
    catalog = gd.Catalog([agency, release], meta, check=False)
    publish(catalog, tmp_path)
    output = files(tmp_path)
    text = output["en/releases/r1.txt"].decode()
    parsed = parse_release(text)
    assert parsed["end"] == "###"
    assert parsed["lines"].count("###") == 1
    assert "Head line two" in parsed["paragraphs"]
    assert not any(ch in text for ch in "\x00\x1b\u202e\u2028\u2029")
    check_html_inert("r1.html", output["en/releases/r1.html"])
    for data in json.loads(output["en/releases/r1.json"])["bodies"]:
        if data["contentType"] == "text/html":
            check_html_inert("r1.json", data["value"].encode())


def test_an_empty_markdown_heading_is_in_no_format(tmp_path: Path) -> None:
    """A body or boilerplate line that Markdown reads as a heading without text (``###``,
    ``## ##``, ``#``) is in no format: no empty heading on the page or in ninjs's HTML, no
    such line, escaped or not, in the text, ninjs or JSON-LD; the paragraphs around it stay
    apart, alike in each."""
    release = gd.NewsRelease(id="r1", agency="a", headline="H", issued_at=AS_OF,
                             body="First\n###\nSecond\n\n  ## ##\n\nThird\n#",
                             boilerplate="About\n\n#")
    publish(small_catalog(release), tmp_path)
    output = files(tmp_path)
    paragraphs = ["First", "Second", "Third"]
    page = lxml.html.fromstring(output["en/releases/r1.html"])
    item = json.loads(output["en/releases/r1.json"])
    bodies = {b["contentType"]: b["value"] for b in item["bodies"]}
    for tree in (page.xpath('//div[@class="body"]')[0],
                 lxml.html.fragment_fromstring(bodies["text/html"], create_parent="div")):
        assert not tree.xpath(".//h1 | .//h2 | .//h3 | .//h4 | .//h5 | .//h6")
        assert [p.text_content() for p in tree] == paragraphs
    about = page.xpath('//section[@aria-labelledby="about"]')[0]
    assert [p.text_content() for p in about.xpath("p")] == ["About"]
    assert bodies["text/plain"].split("\n\n") == paragraphs
    assert jsonld(output["en/releases/r1.html"])[0]["articleBody"].split("\n\n") == paragraphs
    assert [d["value"] for d in item["descriptions"] if d["role"] == "boilerplate"] == ["About"]
    text = parse_release(output["en/releases/r1.txt"].decode())
    assert not [row for row in text["lines"][:-1] if row.strip("\\# ") == "" and "#" in row]
    assert text["paragraphs"][1].endswith(" - First")
    assert text["paragraphs"][2:4] == paragraphs[1:]


def test_ninjs_html_body_is_the_page_body(tmp_path: Path) -> None:
    """ninjs's ``text/html`` body is the page's, made from the same Markdown: a hard line
    break, a ``###`` in a code block and a row of seven ``#`` (no heading) read alike."""
    release = gd.NewsRelease(id="r1", agency="a", headline="H", issued_at=AS_OF,
                             body="Line  \nbroken\n\n```\n###\n```\n\n#######")
    publish(small_catalog(release), tmp_path)
    output = files(tmp_path)
    page = lxml.html.fromstring(output["en/releases/r1.html"]).xpath('//div[@class="body"]')[0]
    (html,) = [b["value"] for b in json.loads(output["en/releases/r1.json"])["bodies"]
               if b["contentType"] == "text/html"]
    ninjs = lxml.html.fragment_fromstring(html, create_parent="div")
    assert page.xpath("p/br")
    assert page.xpath("pre/code")[0].text == "###\n"
    assert ([lxml.html.tostring(e, encoding=str) for e in ninjs]
            == [lxml.html.tostring(e, encoding=str) for e in page])


def test_an_id_with_path_tricks_cannot_leave_the_output(tmp_path: Path) -> None:
    """Ids are checked by the model; one forced past it fails the target at the output
    writer, and nothing is written outside the output folder."""
    meta = gd.CatalogMeta(name="t", base_url="https://gk.example.gov.cn/",
                          default_language="en", languages=("en",), timezone="UTC")
    with pytest.raises(ValueError, match="id"):
        gd.NewsRelease(id="../../escape", agency="a", headline="h")
    release = gd.NewsRelease(id="fine", agency="a", headline="h", issued_at=AS_OF)
    object.__setattr__(release, "id", "../../../escape")
    agency = gd.Agency(id="a", name="A", level="province")
    catalog = gd.Catalog([agency, release], meta, check=False)
    with pytest.raises(gd.PublishError, match="unsafe output path"):
        gd.publish(catalog, to=["news"], out=tmp_path / "out", as_of=AS_OF)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert not list((tmp_path / "out").rglob("escape*"))


def test_unknown_option_names_the_publisher(example: gd.Catalog, tmp_path: Path) -> None:
    """An unknown key in [publish.news] is an error naming the publisher."""
    with pytest.raises(gd.ConfigError) as info:
        gd.publish(example, to=["news"], out=tmp_path, as_of=AS_OF,
                   options={"news": {"urll": "https://x.example/"}})
    assert info.value.publisher == "news"


# -- generated catalogues -----------------------------------------------------------------------

@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(drawn=catalogs(include_unpublishable=True))
def test_generated_catalogues_give_valid_ninjs_text_and_pages(
        drawn: tuple[gd.CatalogMeta, list[gd.Record]], tmp_path_factory: pytest.TempPathFactory,
        ninjs: Draft202012Validator) -> None:
    """For any catalogue, public and media: every ninjs file validates, every text file
    starts with its status line and ends with ``###``, every page is inert and its
    JSON-LD parses."""
    meta, records = drawn
    catalog = gd.Catalog(records, meta, check=False)
    for audience in ("public", "media"):
        out = tmp_path_factory.mktemp("news")
        publish(catalog, out, as_of=dt.datetime(2089, 12, 31, tzinfo=dt.UTC),
                audience=audience)
        output = files(out)
        assert_ninjs_valid(ninjs, output)
        for path, data in output.items():
            if path.endswith(".txt"):
                text = parse_release(data.decode())
                assert text["end"] == "###", path
                assert text["lines"].count("###") == 1, path
                first = text["status"][0]
                if "/releases/" in path:
                    assert first in ("FOR IMMEDIATE RELEASE", "WITHDRAWN - DO NOT USE") or (
                        audience == "media" and first.startswith("EMBARGOED UNTIL ")), path
                elif path.endswith("/advisory.txt"):
                    assert first in ("MEDIA ADVISORY", "WITHDRAWN - DO NOT USE"), path
            elif path.endswith(".html"):
                check_html_inert(path, data)
                kind = "Event" if "/conferences/" in path else "NewsArticle"
                for document in jsonld(data):
                    assert document["@type"] == kind, path


def test_line_separators_never_reach_the_output(tmp_path: Path) -> None:
    """U+2028 and U+2029 in a release's text: no file holds them raw (text and Markdown
    get line breaks, JSON escapes them), and every JSON still parses."""
    meta = gd.CatalogMeta(name="t", base_url="https://gk.example.gov.cn/",
                          default_language="en", languages=("en",), timezone="UTC")
    release = gd.NewsRelease(id="r1", agency="a", headline="Head\u2028line",
                             summary="One\u2029two", body="Para\u2028graph\u2029\u2029Next",
                             boilerplate="About\u2028us", issued_at=AS_OF)
    agency = gd.Agency(id="a", name="A\u2029gency", level="province")
    publish(gd.Catalog([agency, release], meta, check=False), tmp_path)
    output = files(tmp_path)
    for path, data in output.items():
        assert not {"\u2028", "\u2029"} & set(data.decode()), path
        if path.endswith(".json"):
            json.loads(data)
    assert [d["@type"] for d in jsonld(output["en/releases/r1.html"])] == ["NewsArticle"]


def test_a_field_of_hashes_cannot_end_a_text_early(tmp_path: Path) -> None:
    """Headline, subheadline, a contact's name, a conference's title, a speaker's name, an
    agenda point and a tombstone's title set to '###': every .txt file has one '###' line,
    the last, and the field reads '\\###'."""
    meta = gd.CatalogMeta(name="t", base_url="https://gk.example.gov.cn/",
                          default_language="en", languages=("en",), timezone="UTC")
    agency = gd.Agency(id="a", name="A", level="province")
    conference = gd.PressConference(
        id="c1", agency="a", title="###", scheduled_at=AS_OF, venue="#",
        speakers=[gd.Speaker(name="###", title="##")],
        agenda=[gd.AgendaItem(item="#####")], releases=["r1"],
        qa=[gd.QA(question="###", outlet="###")])
    release = gd.NewsRelease(id="r1", agency="a", headline="###", subheadline=" ### ",
                             contacts=[gd.PressContact(name="###", phone="###")],
                             conference="c1", body="Body", issued_at=AS_OF)
    gone = gd.NewsRelease(id="r2", agency="a", headline="###", issued_at=AS_OF,
                          status="withdrawn", withdrawn=gd.Withdrawal(
                              on=dt.date(2002, 12, 1), reason="###"))
    publish(gd.Catalog([agency, conference, release, gone], meta, check=False), tmp_path)
    texts = {path: data.decode() for path, data in files(tmp_path).items()
             if path.endswith(".txt")}
    assert "en/releases/r2.txt" in texts
    assert "en/conferences/c1/advisory.txt" in texts
    for path, text in texts.items():
        parsed = parse_release(text)
        assert parsed["end"] == "###", path
        assert parsed["lines"].count("###") == 1, path
        assert not [row for row in parsed["lines"][:-1] if row.strip().strip("#") == ""
                    and row.strip()], path
    assert "\\###" in parse_release(texts["en/releases/r1.txt"])["lines"]


def test_a_chinese_advisory_gives_beijing_time_and_chinese_commas(example: gd.Catalog,
                                                                   tmp_path: Path) -> None:
    """时间：2002年9月26日 10:00（北京时间）, not an ISO stamp with a zone name; a speaker's
    name, title and agency joined by "，"; the English advisory keeps the zone's name."""
    publish(example, tmp_path)
    output = files(tmp_path)
    chinese = output[f"zh-CN/conferences/{CONFERENCE}/advisory.txt"].decode().split("\n")
    assert "时间：2002年9月26日 10:00（北京时间）" in chinese
    speaker = chinese[chinese.index("发布人") + 1]
    assert speaker.startswith("李淑琴，省政府副秘书长")
    assert "," not in speaker
    english = output[f"en/conferences/{CONFERENCE}/advisory.txt"].decode().split("\n")
    assert "When: 2002-09-26 10:00 Asia/Shanghai (UTC+08:00)" in english


def test_a_chinese_time_outside_beijing_keeps_its_zone(tmp_path: Path) -> None:
    """Another zone is not 北京时间: its name and offset stay, in Chinese brackets."""
    meta = gd.CatalogMeta(name="t", base_url="https://gk.example.gov.cn/",
                          default_language="zh-CN", languages=("zh-CN",),
                          timezone="Europe/Berlin")
    conference = gd.PressConference(id="c1", agency="a", title="发布会", status="scheduled",
                                    scheduled_at=dt.datetime(2002, 9, 26, 8, 0, tzinfo=dt.UTC))
    publish(gd.Catalog([gd.Agency(id="a", name="A", level="province"), conference], meta,
                       check=False), tmp_path)
    advisory = files(tmp_path)["zh-CN/conferences/c1/advisory.txt"].decode().split("\n")
    assert "时间：2002年9月26日 10:00 Europe/Berlin（UTC+02:00）" in advisory


def test_chinese_conference_parts_and_pages_use_chinese_punctuation(
        example: gd.Catalog, tmp_path: Path) -> None:
    """A speaker after an agenda point in full-width brackets, a colon after 其他格式."""
    publish(example, tmp_path)
    output = files(tmp_path)
    agenda = output[f"zh-CN/conferences/{CONFERENCE}/agenda.txt"].decode()
    assert re.search(r"[^ ]（[^）]+）$", agenda, re.M)
    assert " (" not in agenda
    page = lxml.html.fromstring(output[f"zh-CN/conferences/{CONFERENCE}/index.html"])
    assert next(p.text_content() for p in page.xpath("//p")
                if p.text_content().startswith("其他格式")).startswith("其他格式：")
    english = lxml.html.fromstring(output[f"en/conferences/{CONFERENCE}/index.html"])
    assert next(p.text_content() for p in english.xpath("//p")
                if p.text_content().startswith("Other formats")).startswith("Other formats: ")
