"""The news publisher, checked by real consumers: the ninjs 3.2 schema, lxml, json."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator
from tests.strategies import catalogs

import govdisclosure as gd
from govdisclosure.testing import check_html_inert, snapshot
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
    """Each public release has .txt, .html and .json, each conference its five parts and
    event.json, in each catalogue language; the embargoed release has none."""
    publish(example, tmp_path)
    output = files(tmp_path)
    for lang in ("zh-CN", "en"):
        for ident in ("nr-2002-ten-disclosures", RELEASE):
            for ext in ("txt", "html", "json"):
                assert f"{lang}/releases/{ident}.{ext}" in output
        for part in ("advisory.txt", "agenda.txt", "speakers.txt", "statements.txt",
                     "qa.txt", "event.json"):
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
    assert text["status"][1].startswith("禁发至 2030-01-01 09:00")
    item = json.loads(output[f"en/releases/{EMBARGOED}.json"])
    assert item["embargoedUntil"] == "2030-01-01T09:00:00+08:00"
    page = lxml.html.fromstring(output[f"en/releases/{EMBARGOED}.html"])
    assert page.xpath('//p[contains(@class, "embargoed")]')[0].text_content().startswith(
        "EMBARGOED UNTIL")
    publish(example, tmp_path, as_of=LIFTED, audience="media")
    lifted = files(tmp_path)
    assert parse_release(lifted[f"en/releases/{EMBARGOED}.txt"].decode())["status"] == [
        "FOR IMMEDIATE RELEASE"]
    assert "EMBARGOED" not in lifted[f"en/conferences/{CONFERENCE}/statements.txt"].decode()


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

def test_one_changed_release_rewrites_only_its_files_and_what_lists_it(
        example: gd.Catalog, tmp_path: Path) -> None:
    """Its three files per language, its conference's statements and event item, and the
    indexes; nothing else is written."""
    publish(example, tmp_path)
    before = snapshot(tmp_path / "news")
    changed = attrs.evolve(example.get("news_release", RELEASE),
                           headline={"zh-CN": "新标题", "en": "New headline"})
    records = [changed if r.id == RELEASE else r for r in example]
    publish(gd.Catalog(records, example.meta, check=False), tmp_path)
    after = snapshot(tmp_path / "news")
    differ = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    expected = {"index.json"} | {
        f"{lang}/{path}" for lang in ("zh-CN", "en") for path in (
            f"releases/{RELEASE}.txt", f"releases/{RELEASE}.html", f"releases/{RELEASE}.json",
            f"conferences/{CONFERENCE}/statements.txt",
            f"conferences/{CONFERENCE}/event.json", "index.html")}
    assert differ == expected


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


def test_withdrawn_conference_keeps_only_its_notice(example: gd.Catalog,
                                                    tmp_path: Path) -> None:
    """A withdrawn conference keeps advisory.txt (the notice) and event.json (canceled)."""
    publish(example, tmp_path)
    withdrawn = attrs.evolve(example.get("press_conference", CONFERENCE), status="withdrawn",
                             withdrawn=gd.Withdrawal(on=dt.date(2002, 12, 1), reason="Moved"))
    records = [withdrawn if r.id == CONFERENCE else r for r in example]
    publish(gd.Catalog(records, example.meta, check=False), tmp_path)
    output = files(tmp_path)
    folder = sorted(p for p in output if p.startswith(f"en/conferences/{CONFERENCE}/"))
    assert folder == [f"en/conferences/{CONFERENCE}/advisory.txt",
                      f"en/conferences/{CONFERENCE}/event.json"]
    assert json.loads(output[folder[1]])["pubStatus"] == "canceled"
    assert output[folder[0]].decode().startswith("WITHDRAWN - DO NOT USE\n")


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
                for document in jsonld(data):
                    assert document["@type"] == "NewsArticle"


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
