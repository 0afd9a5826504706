"""The feeds publisher, checked by real consumers: feedparser, the JSON Feed schema, lxml."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs
import feedparser
import lxml.html
import pytest
from lxml import etree
from referencing import Registry
from referencing.jsonschema import DRAFT4

import govdisclosure as gd
from govdisclosure.publishers.feeds import FeedsOptions, FeedsPublisher
from govdisclosure.publishing.selection import select
from strategies import AS_OF, CST, META

#: Where each language's feeds are: the default language's (zh-CN) at the top.
FOLDERS = ("", "en/")


def at(month: int, day: int, hour: int = 9) -> dt.datetime:
    """An instant of 2002 in China Standard Time."""
    return dt.datetime(2002, month, day, hour, tzinfo=CST)


def disclosure(ident: str, agency: str, when: dt.datetime, category: str = "policy",
               **fields: Any) -> gd.Disclosure:
    """A disclosure with a bilingual title."""
    fields.setdefault("title", {"zh-CN": f"标题 {ident}", "en": f"Title {ident}"})
    return gd.Disclosure(id=ident, agency=agency, category=category, issued_at=when, **fields)


def base_records() -> list[gd.Record]:
    """Two agencies, disclosures over three months, a release, a case and a call."""
    return [
        gd.Agency(id="a1", name={"zh-CN": "甲局", "en": "Bureau A"}, level="province"),
        gd.Agency(id="a2", name={"zh-CN": "乙局", "en": "Bureau B"}, level="city"),
        disclosure("d1", "a1", at(10, 3), body="First **bold** paragraph."),
        disclosure("d2", "a1", at(10, 20), category="budget", summary="Budget summary"),
        disclosure("d3", "a2", at(11, 5)),
        disclosure("d4", "a1", at(11, 5)),  # same instant as d3: type:id decides
        disclosure("d5", "a1", at(12, 2), updated_at=at(12, 10)),
        gd.NewsRelease(id="n1", agency="a2", headline={"zh-CN": "通稿", "en": "Release"},
                       issued_at=at(11, 18)),
        gd.ApprovalItem(id="ai1", agency="a1", title="Permit"),  # no date: left out
        gd.Case(id="c1", agency="a1", item="ai1", received_at=at(10, 5),
                applicant_kind="organisation", applicant_name="Acme Co"),
        gd.HotlineCall(id="h1", agency="a1", hotline="hl", received_at=at(10, 6)),
    ]


def catalog(records: Iterable[gd.Record]) -> gd.Catalog:
    """An in-memory catalogue (references not checked)."""
    return gd.Catalog(list(records), META, check=False)


def publish(records: Iterable[gd.Record], out: Path, *, as_of: dt.datetime = AS_OF,
            full: bool = False, **options: Any) -> gd.PublishReport:
    """Publish the records with the feeds publisher only."""
    return gd.publish(catalog(records), to=["feeds"], out=out, as_of=as_of, full=full,
                      options={"feeds": FeedsOptions(**options)})


def files(root: Path) -> dict[str, bytes]:
    """Every file under ``root/feeds`` by relative path."""
    base = (root / "feeds").resolve()
    return {p.relative_to(base).as_posix(): p.read_bytes()
            for p in sorted(base.rglob("*")) if p.is_file()}


class MemoryWriter:
    """A real (if small) writer for the Job: files in a dict, every call recorded."""

    def __init__(self, files: dict[str, bytes] | None = None) -> None:
        self.files = dict(files or {})
        self.written: list[str] = []
        self.removed: list[str] = []

    def write(self, path: str, data: bytes) -> None:
        self.files[path] = data
        self.written.append(path)

    def remove(self, path: str) -> None:
        if self.files.pop(path, None) is not None:
            self.removed.append(path)

    def exists(self, path: str) -> bool:
        return path in self.files

    def keep(self, path: str) -> None:
        """Kept files stay as they are (nothing to do in memory)."""

    def read(self, path: str) -> bytes | None:
        return self.files.get(path)


def run_job(records: Sequence[gd.Record], writer: MemoryWriter, *, full: bool = True,
            changed: Iterable[tuple[str, str]] = (), removed: Iterable[tuple[str, str]] = (),
            as_of: dt.datetime = AS_OF, **options: Any) -> FeedsPublisher:
    """Run the publisher directly on a Job (to see exactly what it writes)."""
    selection = select(records, as_of, "public")
    job = gd.Job(records=selection.records, tombstones=selection.tombstones, meta=META,
                 options=FeedsOptions(**options), as_of=as_of, audience="public", full=full,
                 changed=frozenset(selection.hashes if full else changed),
                 removed=frozenset(removed), writer=writer)
    publisher = FeedsPublisher(FeedsOptions(**options))
    publisher.publish(job)
    publisher.after_switch(job)
    return publisher


def jsonfeed_validator(schemas: Path) -> Any:
    """The JSON Feed 1.1 validator, loaded as ../shared/schemas/README.md says."""
    from jsonschema import Draft4Validator

    def load(name: str) -> Any:
        return json.loads((schemas / "jsonfeed" / name).read_text(encoding="utf-8"))

    registry: Registry[Any] = Registry().with_resource(
        "https://json.schemastore.org/feed-1", DRAFT4.create_resource(load("feed-1.json")))
    return Draft4Validator(load("feed.json"), registry=registry)


# -- consumers ---------------------------------------------------------------------------------

def parsed(data: bytes) -> Any:
    """feedparser's view of a document; a bozo document fails the test."""
    result = feedparser.parse(data)
    assert not result.bozo, result.get("bozo_exception")
    return result


def entry_ids(data: bytes) -> list[str]:
    """The entry ids of an Atom or RSS document, in document order."""
    return [entry.id for entry in parsed(data).entries]


def expected_order(records: Iterable[gd.Record], scope: str = "all") -> list[str]:
    """Tag ids of the feedable records of a scope, newest first (docs/feeds.md)."""
    rows = []
    for record in records:
        if record.TYPE not in ("disclosure", "news_release") or record.issued_at is None:
            continue
        agency = getattr(record, "agency", None)
        category = getattr(record, "category", None)
        scopes = {"all", f"type/{record.TYPE}", f"agency/{agency}",
                  f"agency-type/{agency}/{record.TYPE}"} | ({f"category/{category}"}
                                                      if category else set())
        if scope not in scopes:
            continue
        updated = max(d for d in (record.issued_at, record.publish_at, record.updated_at) if d)
        tag = f"tag:gk.example.gov.cn,{record.issued_at.year}:{record.TYPE}/{record.id}"
        rows.append((updated, record.TYPE, record.id, tag))
    rows.sort(key=lambda row: (row[1], row[2]))
    rows.sort(key=lambda row: row[0], reverse=True)
    return [row[3] for row in rows]


@pytest.fixture(name="out")
def fixture_out(tmp_path: Path) -> Path:
    """A fresh output root."""
    return tmp_path / "public"


@pytest.fixture(name="published")
def fixture_published(out: Path) -> dict[str, bytes]:
    """The base catalogue published once; every output file by path."""
    report = publish(base_records(), out)
    assert report.failed == 0
    return files(out)


# -- layout and consumers ------------------------------------------------------------------------

def test_layout_has_one_feed_set_per_language_and_scope(published: dict[str, bytes]) -> None:
    """Every scope has .atom, .rss and .json in every catalogue language."""
    scopes = {"all", "type/disclosure", "type/news_release", "agency/a1", "agency/a2",
              "agency-type/a1/disclosure", "agency-type/a2/disclosure",
              "agency-type/a2/news_release", "category/policy", "category/budget"}
    expected = {f"{folder}{scope}.{ext}" for folder in FOLDERS for scope in scopes
                for ext in ("atom", "rss", "json")}
    feeds = {path for path in published
             if "archive/" not in path and path != "scope-index.json"}
    assert feeds == expected


@pytest.mark.parametrize("ext", ["atom", "rss", "json"])
def test_an_agency_id_ending_in_a_feed_extension_has_feeds_of_its_own(
        tmp_path: Path, ext: str) -> None:
    """Agencies ``a1`` and ``a1.<ext>`` (ids MODEL.md allows) each get their feed and their
    feed of one type, every one parsing, neither in the other's way."""
    records = [*base_records(), gd.Agency(id=f"a1.{ext}", name="Bureau A1", level="city"),
               disclosure("d6", f"a1.{ext}", at(12, 3))]
    report = publish(records, tmp_path)
    assert report.failed == 0
    published = files(tmp_path)
    for agency, ident in (("a1", "d5"), (f"a1.{ext}", "d6")):
        for scope in (f"agency/{agency}", f"agency-type/{agency}/disclosure"):
            for folder in FOLDERS:
                feed = parsed(published[f"{folder}{scope}.atom"])
                assert any(entry.id.endswith(f"/{ident}") for entry in feed.entries), scope
                assert json.loads(published[f"{folder}{scope}.json"])["items"]


def test_every_atom_and_rss_file_parses_without_bozo(published: dict[str, bytes]) -> None:
    """feedparser reads every Atom and RSS document cleanly, archives included."""
    for path, data in published.items():
        if path.endswith((".atom", ".rss")):
            assert parsed(data).entries, path


def test_every_xml_file_is_well_formed(published: dict[str, bytes]) -> None:
    """lxml parses every Atom and RSS document with a strict parser."""
    parser = etree.XMLParser(recover=False, resolve_entities=False)
    for path, data in published.items():
        if path.endswith((".atom", ".rss")):
            etree.fromstring(data, parser)


def test_every_json_feed_validates_against_the_schema(published: dict[str, bytes],
                                                      schemas: Path) -> None:
    """Each .json document is a valid JSON Feed 1.1."""
    validator = jsonfeed_validator(schemas)
    for path, data in published.items():
        if path.endswith(".json") and path != "scope-index.json":
            errors = list(validator.iter_errors(json.loads(data)))
            assert not errors, (path, errors[:1])


@pytest.mark.parametrize("scope", ["all", "agency/a1", "agency/a2", "type/disclosure",
                                   "category/policy", "agency-type/a1/disclosure"])
def test_entries_are_the_scope_newest_first(published: dict[str, bytes], scope: str) -> None:
    """Atom, RSS and JSON hold the scope's records, newest first, ties by type:id."""
    expected = expected_order(base_records(), scope)
    for folder in FOLDERS:
        assert entry_ids(published[f"{folder}{scope}.atom"]) == expected
        assert entry_ids(published[f"{folder}{scope}.rss"]) == expected
        items = json.loads(published[f"{folder}{scope}.json"])["items"]
        assert [item["id"] for item in items] == expected


def test_limit_keeps_the_newest_entries(out: Path) -> None:
    """``limit`` entries per subscription feed, the newest ones."""
    publish(base_records(), out, limit=2)
    assert entry_ids(files(out)["en/all.atom"]) == expected_order(base_records())[:2]


def test_cases_calls_and_undated_records_are_never_entries(published: dict[str, bytes]) -> None:
    """case and hotline_call publish only in aggregate; an undated record has no place."""
    for path, data in published.items():
        if path.endswith(".atom"):
            for ident in entry_ids(data):
                assert not ident.endswith(("/c1", "/h1", "/ai1"))
    assert not any("Acme" in data.decode() for data in published.values())


def test_case_types_are_refused_as_options(out: Path) -> None:
    """Asking for case entries is a configuration error, not a silent leak."""
    with pytest.raises(gd.ConfigError, match="aggregate"):
        gd.publish(catalog(base_records()), to=["feeds"], out=out, as_of=AS_OF,
                   options={"feeds": {"types": ["disclosure", "case"]}})


def test_unknown_option_names_the_key(out: Path) -> None:
    """An unknown key in [publish.feeds] is an error naming the publisher."""
    with pytest.raises(gd.ConfigError) as info:
        gd.publish(catalog(base_records()), to=["feeds"], out=out, as_of=AS_OF,
                   options={"feeds": {"limt": 5}})
    assert info.value.publisher == "feeds"


def test_entry_text_is_localized(published: dict[str, bytes]) -> None:
    """Each language's feeds carry that language's titles and feed names."""
    zh, en = parsed(published["all.atom"]), parsed(published["en/all.atom"])
    assert zh.feed.title == "测试政务公开"
    assert en.feed.title == "Test Disclosure"
    assert "Title d1" in {entry.title for entry in en.entries}
    assert "标题 d1" in {entry.title for entry in zh.entries}
    assert parsed(published["en/agency/a1.atom"]).feed.title == "Test Disclosure · Bureau A"


def test_dates_come_from_the_data(published: dict[str, bytes]) -> None:
    """Feed updated and RSS lastBuildDate are the newest entry's date, never now()."""
    atom = parsed(published["en/all.atom"])
    assert atom.feed.updated == "2002-12-10T09:00:00+08:00"
    rss = etree.fromstring(published["en/all.rss"])
    assert rss.findtext("channel/lastBuildDate") == "Tue, 10 Dec 2002 09:00:00 +0800"


def test_markdown_body_becomes_html(published: dict[str, bytes]) -> None:
    """A body's Markdown is rendered to HTML in the content."""
    entry = next(e for e in parsed(published["en/all.atom"]).entries if e.id.endswith("/d1"))
    assert "<strong>bold</strong>" in entry.content[0].value


# -- determinism, updates, withdrawals ----------------------------------------------------------

def test_same_input_gives_identical_bytes(tmp_path: Path) -> None:
    """Two publications of the same catalogue at the same instant are byte-identical."""
    publish(base_records(), tmp_path / "one")
    publish(base_records(), tmp_path / "two")
    assert files(tmp_path / "one") == files(tmp_path / "two")


def test_unchanged_rerun_writes_nothing(out: Path) -> None:
    """Re-publishing an unchanged catalogue writes no file."""
    publish(base_records(), out)
    report = publish(base_records(), out)
    assert report.publishers[0].files_written == 0


def test_update_keeps_the_id_and_moves_updated(out: Path) -> None:
    """An updated record keeps its entry id; its updated date changes, to the run that
    published it (later than its ``updated_at``), even at the instant of the first run."""
    publish(base_records(), out)
    before = {e.id: e for e in parsed(files(out)["en/all.atom"]).entries}
    records = [r if r.id != "d2" else attrs.evolve(r, updated_at=at(12, 20), title="New")
               for r in base_records()]
    publish(records, out)
    after = parsed(files(out)["en/all.atom"]).entries
    assert after[0].id == "tag:gk.example.gov.cn,2002:disclosure/d2"
    assert after[0].id in before
    assert after[0].updated == AS_OF.isoformat() != before[after[0].id].updated
    assert after[0].title == "New"


def test_a_record_without_a_date_gets_no_receipt_until_it_has_one(out: Path) -> None:
    """A disclosure without ``issued_at`` is in no feed: it is not counted as written and
    the ledger has no feeds receipt of it; once dated, it is published there."""
    undated = gd.Disclosure(id="d9", agency="a1", category="policy", title="Undated")
    report = publish([*base_records(), undated], out).publishers[0]
    entries = sum(1 for r in base_records() if r.TYPE in ("disclosure", "news_release"))
    assert (report.written, report.unchanged) == (entries, 0)
    later = AS_OF + dt.timedelta(hours=1)  # the same month: no archive to write
    report = publish([*base_records(), attrs.evolve(undated, summary="edited")], out,
                     as_of=later).publishers[0]
    assert (report.written, report.unchanged, report.files_written) == (0, entries, 0)
    dated = attrs.evolve(undated, issued_at=later)
    report = publish([*base_records(), dated], out, as_of=later).publishers[0]
    assert report.written == 1
    with gd.publishing.StateStore(gd.publishing.state_path(out), create=False) as store:
        assert [r.action for r in store.receipts("disclosure:d9")] == ["published"]
    assert "tag:gk.example.gov.cn,2002:disclosure/d9" in entry_ids(files(out)["en/all.atom"])


def test_without_archives_an_entry_beyond_every_limit_is_not_shown(out: Path) -> None:
    """With ``archives = false`` a feed holds its ``limit`` newest entries only: an entry in
    none of them is no publication of the feeds (no receipt, no count)."""
    report = publish(base_records(), out, limit=1, archives=False).publishers[0]
    shown = {entry.rpartition("/")[2] for path, data in files(out).items()
             if path.endswith(".atom") for entry in entry_ids(data)}
    with gd.publishing.StateStore(gd.publishing.state_path(out), create=False) as store:
        receipted = {r.id for r in store.receipts() if r.target == "feeds"}
    assert receipted == shown
    assert "d1" not in shown
    assert report.written == len(shown)


def test_withdrawal_updates_the_entry_with_the_reason(out: Path) -> None:
    """A withdrawn record keeps its id in every feed that held it; the entry says it was
    withdrawn, and why, dated by the run that published the withdrawal."""
    publish(base_records(), out)
    withdrawal = gd.Withdrawal(on=dt.date(2002, 12, 15), reason={"zh-CN": "数据有误",
                                                                 "en": "Wrong figures"})
    records = [r if r.id != "d1" else attrs.evolve(r, status="withdrawn", withdrawn=withdrawal)
               for r in base_records()]
    publish(records, out)
    output = files(out)
    tag = "tag:gk.example.gov.cn,2002:disclosure/d1"
    for scope in ("all", "agency/a1", "type/disclosure", "agency-type/a1/disclosure",
                  "category/policy"):
        entry = parsed(output[f"en/{scope}.atom"]).entries[0]
        assert entry.id == tag
        assert entry.title == "Withdrawn: Title d1"
        assert "Wrong figures" in entry.content[0].value
        assert entry.updated == AS_OF.isoformat()  # the run that published it
    zh = parsed(output["all.rss"]).entries[0]
    assert zh.title == "已撤回：标题 d1"
    assert "数据有误" in zh.description
    item = json.loads(output["en/all.json"])["items"][0]
    assert item["_govdisclosure"] == {"type": "disclosure", "id": "d1", "withdrawn": True}


# -- archives (RFC 5005) --------------------------------------------------------------------------

def test_archives_hold_each_closed_month_with_links(published: dict[str, bytes]) -> None:
    """Closed months are archived with prev-archive, next-archive, current and fh:archive."""
    months = sorted(p for p in published if p.startswith("en/archive/all/"))
    assert months == ["en/archive/all/2002-10.atom", "en/archive/all/2002-11.atom"]
    base = "https://gk.example.gov.cn/feeds/en/"
    october = etree.fromstring(published["en/archive/all/2002-10.atom"])
    links = {link.get("rel"): link.get("href") for link in october.iter("{*}link")}
    assert links["current"] == base + "all.atom"
    assert links["next-archive"] == base + "archive/all/2002-11.atom"
    assert "prev-archive" not in links
    assert october.find("{http://purl.org/syndication/history/1.0}archive") is not None
    ids = entry_ids(published["en/archive/all/2002-10.atom"])
    assert ids == [t for t in expected_order(base_records()) if t[-2:] in ("d1", "d2")]
    current = etree.fromstring(published["en/all.atom"])
    rels = {link.get("rel"): link.get("href") for link in current.iter("{*}link")}
    assert rels["prev-archive"] == base + "archive/all/2002-11.atom"


def test_open_month_is_not_archived(published: dict[str, bytes]) -> None:
    """The month of as_of is still open: no archive for it yet."""
    assert not any(p.endswith("2002-12.atom") for p in published)


def test_closed_archives_never_change(out: Path) -> None:
    """Once written, a closed month's archive keeps its bytes whatever changes later."""
    publish(base_records(), out)
    october = files(out)["en/archive/all/2002-10.atom"]
    records = [r if r.id != "d1" else attrs.evolve(r, title="Corrected title")
               for r in base_records()]
    records.append(disclosure("d6", "a2", at(10, 25)))  # a late record in a closed month
    publish(records, out, as_of=dt.datetime(2003, 1, 5, tzinfo=CST))
    output = files(out)
    assert output["en/archive/all/2002-10.atom"] == october
    assert "en/archive/all/2002-12.atom" in output  # December closed meanwhile
    links = {link.get("rel"): link.get("href")
             for link in etree.fromstring(output["en/all.atom"]).iter("{*}link")}
    assert links["prev-archive"].endswith("archive/all/2002-12.atom")


@pytest.mark.parametrize("full", [False, True], ids=["incremental", "full"])
def test_a_withdrawn_record_is_its_notice_in_the_closed_archives(out: Path, full: bool) -> None:
    """d1's October entry (its body) leaves October's archives when it is withdrawn in
    December, on an incremental or a full run, and its withdrawal notice (same id) takes
    its place; a later full run keeps those archives as they are."""
    publish(base_records(), out)
    assert b"First" in files(out)["en/archive/all/2002-10.atom"]
    withdrawal = gd.Withdrawal(on=dt.date(2002, 12, 15), reason="Wrong figures")
    records = [r if r.id != "d1" else attrs.evolve(r, status="withdrawn", withdrawn=withdrawal)
               for r in base_records()]
    publish(records, out, full=full)
    archives = {}
    for _ in range(2):
        output = files(out)
        for path, data in output.items():
            assert b"First" not in data, path  # d1's body
        for scope in ("all", "agency/a1", "category/policy"):
            october = parsed(output[f"en/archive/{scope}/2002-10.atom"])
            d1 = next(e for e in october.entries
                      if e.id == "tag:gk.example.gov.cn,2002:disclosure/d1")
            assert d1.title == "Withdrawn: Title d1"
        archives = {path: data for path, data in output.items() if "archive/" in path}
        publish(records, out, full=True)
    assert {path: data for path, data in files(out).items() if "archive/" in path} == archives


def test_a_withdrawal_stays_in_its_category_feeds(out: Path) -> None:
    """d2, the only budget disclosure, withdrawn: the budget feeds and their closed
    October archive stay, with d2's entry under the same id, titled withdrawn and with a
    new ``updated``, in every format and every scope that held it."""
    publish(base_records(), out)
    tag = "tag:gk.example.gov.cn,2002:disclosure/d2"
    before = {e.id: e.updated for e in parsed(files(out)["en/category/budget.atom"]).entries}
    assert tag in before
    withdrawal = gd.Withdrawal(on=dt.date(2002, 12, 15), reason="Wrong figures")
    records = [r if r.id != "d2" else attrs.evolve(r, status="withdrawn", withdrawn=withdrawal)
               for r in base_records()]
    publish(records, out)
    output = files(out)
    for scope in ("all", "type/disclosure", "agency/a1", "agency-type/a1/disclosure",
                  "category/budget"):
        for ext in ("atom", "rss"):
            entry = next(e for e in parsed(output[f"en/{scope}.{ext}"]).entries if e.id == tag)
            assert entry.title == "Withdrawn: Title d2", (scope, ext)
        atom = next(e for e in parsed(output[f"en/{scope}.atom"]).entries if e.id == tag)
        assert atom.updated != before[tag]
        assert [t.term for t in atom.tags] == ["disclosure", "budget"]
        item = next(i for i in json.loads(output[f"en/{scope}.json"])["items"]
                    if i["id"] == tag)
        assert item["_govdisclosure"]["withdrawn"] is True
        assert item["date_modified"] == atom.updated
    october = parsed(output["en/archive/category/budget/2002-10.atom"])
    assert [(e.id, e.title) for e in october.entries] == [(tag, "Withdrawn: Title d2")]
    assert b"Budget summary" not in output["en/archive/category/budget/2002-10.atom"]


@pytest.mark.parametrize("move", [{"agency": "a2"}, {"category": "emergency"},
                                  {"issued_at": at(11, 12)}],
                         ids=["agency", "category", "month"])
def test_a_record_moved_then_made_secret_leaves_every_archive_it_was_in(
        out: Path, move: dict[str, Any]) -> None:
    """d1 (October, a1, policy) is archived; moved to another agency, category or month,
    it stays in the old archives (they are never rewritten), until it is made secret:
    then every archive it was ever in is rewritten without it."""
    as_of = dt.datetime(2003, 1, 5, tzinfo=CST)  # October and November are closed
    publish(base_records(), out, as_of=as_of)
    moved = [r if r.id != "d1" else attrs.evolve(r, **move) for r in base_records()]
    publish(moved, out, as_of=as_of)
    secret = [r if r.id != "d1" else attrs.evolve(r, classification="secret") for r in moved]
    publish(secret, out, as_of=as_of)
    leaks = [path for path, data in files(out).items() if b"disclosure/d1<" in data
             or b"disclosure/d1\"" in data]
    assert leaks == []


def test_the_scope_index_forgets_an_agency_that_is_no_longer_public(out: Path) -> None:
    """d1 moved from a1 to a2, then a1 made secret: the scope index keeps no place under
    a1 (its archives were purged), so no public file names it."""
    publish(base_records(), out)
    moved = [r if r.id != "d1" else attrs.evolve(r, agency="a2") for r in base_records()]
    publish(moved, out)
    assert b'"a1"' in files(out)["scope-index.json"]
    hidden = [r if r.id != "a1" else attrs.evolve(r, classification="secret") for r in moved]
    publish(hidden, out)
    assert [path for path, data in files(out).items()
            if b'"a1"' in data or "/a1" in path or b"/a1" in data] == []


# -- incremental runs ----------------------------------------------------------------------------

def test_incremental_run_renders_only_the_touched_scopes() -> None:
    """One changed record re-renders only the scopes that contain it."""
    records = base_records()
    writer = MemoryWriter()
    run_job(records, writer)
    writer.written.clear()
    changed = [r if r.id != "d3" else attrs.evolve(r, title="Changed") for r in records]
    run_job(changed, writer, full=False, changed=[("disclosure", "d3")])
    rendered = {path.rsplit(".", 1)[0] for path in writer.written if path != "scope-index.json"}
    assert rendered == {f"{folder}{scope}" for folder in FOLDERS for scope in (
        "all", "type/disclosure", "agency/a2", "agency-type/a2/disclosure", "category/policy")}


def test_record_moving_agency_updates_both_and_removes_empty_feeds() -> None:
    """A record that leaves a scope leaves its feed; an emptied scope loses its files."""
    records = [r for r in base_records() if r.id != "n1"]
    writer = MemoryWriter()
    run_job(records, writer)
    assert "en/agency/a2.atom" in writer.files
    moved = [r if r.id != "d3" else attrs.evolve(r, agency="a1") for r in records]
    run_job(moved, writer, full=False, changed=[("disclosure", "d3")])
    assert "en/agency/a2.atom" not in writer.files
    assert "agency-type/a2/disclosure.json" not in writer.files
    a1 = entry_ids(writer.files["en/agency/a1.atom"])
    assert "tag:gk.example.gov.cn,2002:disclosure/d3" in a1


def test_removed_record_leaves_its_feeds() -> None:
    """A record gone from the selection (reclassified) disappears from every feed."""
    records = base_records()
    writer = MemoryWriter()
    run_job(records, writer)
    kept = [r for r in records if r.id != "d2"]
    run_job(kept, writer, full=False, removed=[("disclosure", "d2")])
    assert "en/category/budget.atom" not in writer.files
    assert all(not i.endswith("/d2") for i in entry_ids(writer.files["en/all.atom"]))


# -- hostile text --------------------------------------------------------------------------------

HOSTILE_TITLE = "<script>alert('t')</script> & \x00\x1b[31m\x0b\ufffe done"
HOSTILE_BODY = ("<img src=x onerror=alert(1)> [click](javascript:alert(2)) "
                "<iframe src='https://evil.example/'></iframe>\x07")


def _assert_inert(fragment: str) -> None:
    tree = lxml.html.fragment_fromstring(fragment or "<p></p>", create_parent="div")
    assert tree.xpath("//script|//img|//iframe") == []
    assert not [a for a in tree.iter() if any(k.startswith("on") for k in a.attrib)]
    assert not [a for a in tree.xpath("//a[@href]") if "javascript" in a.get("href")]


def test_hostile_text_stays_inert(out: Path) -> None:
    """Markup and control characters in titles and bodies are shown as text, never run."""
    hostile = disclosure("evil", "a1", at(12, 28), title=HOSTILE_TITLE, body=HOSTILE_BODY,
                         summary="<b onmouseover=alert(3)>hi</b>", tags=("<x>", "\x01"))
    publish([*base_records(), hostile], out)
    output = files(out)
    clean_title = "<script>alert('t')</script> & [31m done"
    atom = parsed(output["en/all.atom"]).entries[0]
    assert atom.title == clean_title
    _assert_inert(atom.content[0].value)
    rss = parsed(output["en/all.rss"]).entries[0]
    assert rss.title == clean_title
    raw = etree.fromstring(output["en/all.rss"]).find("channel/item")
    _assert_inert(raw.findtext("description"))
    _assert_inert(raw.findtext("{http://purl.org/rss/1.0/modules/content/}encoded"))
    item = json.loads(output["en/all.json"])["items"][0]
    assert item["title"] == clean_title
    _assert_inert(item["content_html"])
    assert "\x07" not in item["content_text"]


def test_hostile_agency_names_and_bidi_overrides_stay_inert(out: Path) -> None:
    """An agency's name is a feed's title and RSS channel description: escaped as the items'
    are (RSS readers take a description as HTML); bidi overrides, which make "exe.png"
    read as "gnp.exe", are removed from every format as on the site."""
    records = [gd.Agency(id="a1", name="<script>alert('agency')</script>", level="province"),
               disclosure("d1", "a1", at(10, 3), title="file \u202egnp.exe\u202c here",
                          summary="\u2066isolated\u2069")]
    publish(records, out)
    output = files(out)
    for name, data in output.items():
        assert not {"\u202e", "\u2066"} & set(data.decode()), name
    channel = etree.fromstring(output["agency/a1.rss"]).find("channel")
    _assert_inert(channel.findtext("description"))
    # shown as the text it is: the HTML a reader gets escapes it
    assert "&lt;script&gt;alert(" in parsed(output["agency/a1.rss"]).feed.description
    assert parsed(output["all.atom"]).entries[0].title == "file gnp.exe here"


def test_entry_links_lead_to_the_sites_pages(tmp_path: Path) -> None:
    """Every entry's link in the example's feeds is a page the site publisher writes."""
    root = Path(__file__).resolve().parents[2] / "examples" / "jilin-2002"
    catalog = gd.load_catalog(root)
    gd.publish(catalog, to=["feeds", "site"], out=tmp_path, as_of=AS_OF)
    base = catalog.meta.base_url
    links = {entry.link for path in (tmp_path / "feeds").rglob("*.atom")
             for entry in feedparser.parse(path.read_bytes()).entries}
    assert links
    missing = [link for link in sorted(links)
               if not link.startswith(base) or not (tmp_path / "site" / link[len(base):]).is_file()]
    assert not missing, missing[:5]


def test_a_record_kept_off_the_site_has_no_link_to_a_site_page(out: Path,
                                                                 schemas: Path) -> None:
    """``channels = ["feeds"]``: the entry is there, with its content, but links to no
    site page (the site never writes one); a custom ``entry_url`` without ``{page}`` is
    used as it is. Atom, RSS and JSON Feed stay valid."""
    records = [*base_records(), disclosure("only", "a1", at(11, 7), channels=("feeds",))]
    publish(records, out)
    feeds = out / "feeds"
    atom = parsed((feeds / "all.atom").read_bytes())
    (entry,) = [e for e in atom.entries if e.id.endswith(":disclosure/only")]
    assert not entry.get("links")
    assert entry.title == "标题 only"
    (other,) = [e for e in atom.entries if e.id.endswith(":disclosure/d3")]
    assert other.link.endswith("/disclosures/d3.html")
    rss = parsed((feeds / "all.rss").read_bytes())
    assert not next(e for e in rss.entries if e.id.endswith(":disclosure/only")).get("link")
    document = json.loads((feeds / "all.json").read_bytes())
    assert not list(jsonfeed_validator(schemas).iter_errors(document))
    (item,) = [i for i in document["items"] if i["id"].endswith(":disclosure/only")]
    assert "url" not in item

    publish(records, out, full=True, entry_url="https://cms.example/{type}/{id}")
    document = json.loads((feeds / "all.json").read_bytes())
    (item,) = [i for i in document["items"] if i["id"].endswith(":disclosure/only")]
    assert item["url"] == "https://cms.example/disclosure/only"


def test_attachments_travel_as_enclosures(out: Path, schemas: Path) -> None:
    """A record's documents reach feed readers: Atom links every one with
    ``rel="enclosure"``, RSS carries the first (it has room for one), JSON Feed lists them
    as ``attachments``. A relative URL names a catalogue file: the feeds link to the
    site's copy of it when the site makes one, else (here: a catalogue without a folder)
    to the URL resolved against the base URL, as the site does; other schemes never leave
    the catalogue."""
    attachments = [
        gd.Attachment(title="Full text", url="files/d1.pdf", media_type="application/pdf",
                      bytes=2048),
        gd.Attachment(title="Table", url="https://cdn.example.gov.cn/t.xlsx"),
        gd.Attachment(title="Evil", url="javascript:alert(1)"),
        gd.Attachment(title="Mail", url="mailto:office@example.gov.cn"),
    ]
    publish([*base_records(), disclosure("att", "a1", at(12, 1), attachments=attachments)],
            out)
    output = files(out)
    pdf = "https://gk.example.gov.cn/files/d1.pdf"
    atom = next(e for e in parsed(output["all.atom"]).entries if e.id.endswith("/att"))
    assert [(link.href, link.type, link.get("length")) for link in atom.links
            if link.rel == "enclosure"] == [
        (pdf, "application/pdf", "2048"),
        ("https://cdn.example.gov.cn/t.xlsx", "application/octet-stream", None)]
    rss = next(e for e in parsed(output["all.rss"]).entries if e.id.endswith("/att"))
    assert [(e.href, e.type) for e in rss.enclosures] == [(pdf, "application/pdf")]
    document = json.loads(output["all.json"])
    assert not list(jsonfeed_validator(schemas).iter_errors(document))
    item = next(i for i in document["items"] if i["id"].endswith("/att"))
    assert item["attachments"] == [
        {"url": pdf, "mime_type": "application/pdf", "title": "Full text",
         "size_in_bytes": 2048},
        {"url": "https://cdn.example.gov.cn/t.xlsx", "mime_type": "application/octet-stream",
         "title": "Table"}]
    assert b"javascript" not in b"".join(output.values())


def test_the_feed_of_everything_exists_when_empty(out: Path, schemas: Path) -> None:
    """A catalogue with nothing dated to put in a feed still has feeds/all.* (an empty
    feed, valid to every consumer) rather than a 404 for its subscribers."""
    publish([gd.Agency(id="a1", name="甲局", level="province")], out)
    published = files(out)
    validator = jsonfeed_validator(schemas)
    for folder in FOLDERS:
        for ext in ("atom", "rss"):
            assert parsed(published[f"{folder}all.{ext}"]).entries == []
        document = json.loads(published[f"{folder}all.json"])
        assert document["items"] == []
        assert not list(validator.iter_errors(document))
    publish([gd.Agency(id="a1", name="甲局", level="province")], out)
    assert files(out) == published


def test_an_entry_is_never_dated_after_the_run(out: Path) -> None:
    """A conference scheduled after --as-of, announced without issued_at, is published
    at the run's instant at the latest; its entry id does not move."""
    conference = gd.PressConference(id="pc", agency="a1", title="Briefing",
                                    scheduled_at=dt.datetime(2003, 1, 15, 10, tzinfo=CST))
    publish([*base_records(), conference], out)
    (item,) = [i for i in json.loads(files(out)["all.json"])["items"] if i["id"].endswith("/pc")]
    assert dt.datetime.fromisoformat(item["date_published"]) <= AS_OF
    assert dt.datetime.fromisoformat(item["date_modified"]) <= AS_OF
    assert item["id"].startswith("tag:gk.example.gov.cn,2003:")
    # once the day has come, an incremental run dates it as a full one does
    later = dt.datetime(2003, 1, 20, tzinfo=CST)
    publish([*base_records(), conference], out, as_of=later)
    publish([*base_records(), conference], out.parent / "fresh", as_of=later, full=True)

    def subscriptions(root: Path) -> dict[str, bytes]:  # archives keep links and history
        return {path: data for path, data in files(root).items()
                if "archive/" not in path and path != "scope-index.json"}

    assert subscriptions(out) == subscriptions(out.parent / "fresh")


@pytest.mark.parametrize("hidden", [{"classification": "secret"}, {"audience": "internal"},
                                    {"status": "draft"}])
def test_an_agency_that_is_not_public_has_no_feeds(out: Path, hidden: dict[str, Any]) -> None:
    """Its public records are entries of the other scopes; no file, title, id or scope
    index row names the agency."""
    records = [*base_records(),
               gd.Agency(id="hidden-agency-zz", name="Hidden ZZ", level="city", **hidden),
               disclosure("dz", "hidden-agency-zz", at(11, 7))]
    publish(records, out)
    published = files(out)
    assert not [path for path, data in published.items()
                if "hidden-agency-zz" in path or b"hidden-agency-zz" in data
                or b"Hidden ZZ" in data]
    assert "/dz" in " ".join(entry_ids(published["all.atom"]))


@pytest.mark.parametrize("authority", [
    "not a host!", "example.gov.cn,", "example.gov.cn,02", "example.gov.cn,2002-13",
    "example.gov.cn,2002-02-30", ",2002", "exa_mple.cn", "例子.中国", "example.gov.cn:2002",
    "-example.cn", "example.gov.cn,2002,2003",
])
def test_a_tag_authority_that_is_no_tagging_entity_names_the_option(
        out: Path, authority: str) -> None:
    """tag_authority must be an RFC 4151 taggingEntity (or its authorityName alone): a
    ConfigError naming [publish.feeds] and the key, before anything is written."""
    with pytest.raises(gd.ConfigError) as info:
        gd.publish(catalog(base_records()), to=["feeds"], out=out, as_of=AS_OF,
                   options={"feeds": {"tag_authority": authority}})

    assert info.value.publisher == "feeds"
    assert "tag_authority" in str(info.value)
    assert "RFC 4151" in str(info.value)
    assert not (out / "feeds").exists()


def test_a_bad_tag_authority_in_govdisclosure_toml_fails_validate(tmp_path: Path) -> None:
    """validate names the file, [publish.feeds] and tag_authority, and exits 2."""
    from click.testing import CliRunner

    from govdisclosure.cli import cli

    assert CliRunner().invoke(cli, ["init", str(tmp_path / "c")]).exit_code == 0
    (tmp_path / "c" / "govdisclosure.toml").write_text(
        '[publish.feeds]\ntag_authority = "gk example"\n', encoding="utf-8")

    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "c")])

    assert result.exit_code == 2
    assert "govdisclosure.toml: publish.feeds.tag_authority: 'gk example' is not an RFC " \
           "4151 tagging entity" in " ".join(result.output.split())


@pytest.mark.parametrize(("authority", "tag"), [
    ("gk.example.gov.cn", "tag:gk.example.gov.cn,2002:disclosure/d2"),
    ("example.gov.cn,1999", "tag:example.gov.cn,1999:disclosure/d2"),
    ("example.gov.cn,1999-07", "tag:example.gov.cn,1999-07:disclosure/d2"),
    ("gk@example.gov.cn,1999-07-01", "tag:gk@example.gov.cn,1999-07-01:disclosure/d2"),
])
def test_a_tag_authority_with_its_date_is_used_as_it_is(
        out: Path, authority: str, tag: str) -> None:
    """An authorityName alone gets each entry's year; a whole taggingEntity is kept."""
    publish(base_records(), out, tag_authority=authority)

    assert tag in {entry.id for entry in parsed(files(out)["en/all.atom"]).entries}


def test_an_entry_hands_feedgen_its_links_at_once(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """feedgen goes over every link an entry holds on each ``link()`` call: an entry's
    enclosures go in one call (one at a time, 8,000 attachments took 16 s), all in the
    feed, in order."""
    from feedgen.entry import FeedEntry

    calls: list[int] = []
    original = FeedEntry.link

    def counted(self: Any, link: Any = None, replace: bool = False, **kwargs: Any) -> Any:
        if link is not None or kwargs:
            calls.append(len(link) if isinstance(link, list) else 1)
        return original(self, link, replace, **kwargs)

    monkeypatch.setattr(FeedEntry, "link", counted)
    files = [gd.Attachment(title=f"a{n}", url=f"https://cdn.example.gov.cn/{n}.pdf")
             for n in range(40)]
    records = [gd.Agency(id="gov", name="Government", level="province"),
               gd.Disclosure(id="d", agency="gov", category="other", title="T",
                             issued_at=AS_OF - dt.timedelta(days=1), attachments=files)]
    gd.publish(gd.Catalog(records, META), to=["feeds"], out=tmp_path, as_of=AS_OF)
    assert 40 in calls  # the enclosures of an entry, at once
    assert set(calls) == {1, 40}  # and its alternate link
    atom = etree.parse(str(tmp_path / "feeds" / "all.atom"))
    links = atom.xpath("//a:entry/a:link[@rel='enclosure']/@href",
                       namespaces={"a": "http://www.w3.org/2005/Atom"})
    assert links == [f"https://cdn.example.gov.cn/{n}.pdf" for n in range(40)]


def test_an_internationalised_base_url_gives_ascii_tag_ids_and_links(out: Path) -> None:
    """With ``base_url = "https://政务.中国/"`` entry ids are ``tag:`` URIs whose authority
    is the host's xn-- form (RFC 4151 wants an ASCII DNS name), and every link of the
    Atom, RSS and JSON feeds names that host, as feedparser reads them."""
    host = "政务.中国".encode("idna").decode("ascii")  # Python's own IDNA codec
    meta = attrs.evolve(META, base_url="https://政务.中国/")
    gd.publish(gd.Catalog(base_records(), meta, check=False), to=["feeds"], out=out,
               as_of=AS_OF)
    published = files(out)
    for name in ("all.atom", "all.rss", "en/all.atom"):
        feed = parsed(published[name])
        assert feed.entries, name
        for entry in feed.entries:
            assert entry.id.isascii(), entry.id
            assert entry.id.startswith(f"tag:{host},"), entry.id
            assert urlsplit(entry.link).hostname == host, entry.link
        for link in feed.feed.links:
            assert urlsplit(link.href).hostname == host, link.href
    document = json.loads(published["all.json"])
    assert urlsplit(document["feed_url"]).hostname == host
    for item in document["items"]:
        assert item["id"].startswith(f"tag:{host},"), item["id"]
        assert urlsplit(item["url"]).hostname == host, item["url"]
    assert "政务.中国".encode() not in b"".join(published.values())
