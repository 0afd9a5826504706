"""Closed RFC 5005 archives when a record in them stops being public or is withdrawn:
only the archives that hold it change, and in them only its entry (docs/feeds.md,
"Archives"). Judged with lxml and feedparser against the output of the run before."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from lxml import etree
from tests.publishers.test_feeds import at, base_records, disclosure, files, parsed, publish

import govdisclosure as gd
from govdisclosure.publishers.feeds import archives as feed_archives
from govdisclosure.publishers.feeds import publisher as feeds_publisher
from govdisclosure.publishers.feeds.items import Entry, Item
from govdisclosure.publishers.feeds.render import FeedDoc, RenderedEntry, atom_bytes
from strategies import CST

#: Oct, Nov and Dec 2002 are closed months at this instant.
LATER = dt.datetime(2003, 1, 5, 9, tzinfo=CST)
ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = "https://gk.example.gov.cn/feeds/"

Records = list[gd.Record]


def tag(ident: str, kind: str = "disclosure") -> str:
    """The entry id of a record of 2002."""
    return f"tag:gk.example.gov.cn,2002:{kind}/{ident}"


def entries(data: bytes) -> dict[str, bytes]:
    """Each entry of an Atom document by id, as lxml serializes the element: equal
    bytes are an entry kept exactly as it was."""
    root = etree.fromstring(data)
    return {entry.findtext(f"{ATOM}id"): etree.tostring(entry, encoding="UTF-8",
                                                        with_tail=False)
            for entry in root.iterfind(f"{ATOM}entry")}


def links(data: bytes) -> dict[str, str]:
    """The feed-level links of an Atom document by rel."""
    root = etree.fromstring(data)
    return {link.get("rel"): link.get("href") for link in root.iterfind(f"{ATOM}link")}


def archives(output: dict[str, bytes]) -> dict[str, bytes]:
    """The archive documents of an output, by path."""
    return {path: data for path, data in output.items() if "archive/" in path}


def holding(output: dict[str, bytes], ident: str) -> set[str]:
    """The archives holding an entry of ``ident``."""
    return {path for path, data in archives(output).items() if tag(ident) in entries(data)}


def edited(records: Records, ident: str, **changes: Any) -> Records:
    """The records with ``ident`` changed."""
    return [attrs.evolve(r, **changes) if r.id == ident else r for r in records]


def secret(records: Records, ident: str) -> Records:
    """The records with ``ident`` made secret."""
    return edited(records, ident, classification="secret")


def withdrawn(records: Records, ident: str) -> Records:
    """The records with ``ident`` withdrawn on 2003-01-04."""
    return edited(records, ident, status="withdrawn", withdrawn=gd.Withdrawal(
        on=dt.date(2003, 1, 4), reason="Wrong figures"))


def history(out: Path, *steps: Records, full: bool = False) -> tuple[dict[str, bytes],
                                                                       dict[str, bytes]]:
    """Publish each catalogue of ``steps`` at :data:`LATER` (the last one with ``full``);
    the output before and after the last."""
    for records in steps[:-1]:
        publish(records, out, as_of=LATER)
    before = files(out)
    report = publish(steps[-1], out, as_of=LATER, full=full)
    assert report.failed == 0
    return before, files(out)


def edited_n1_d5(records: Records) -> Records:
    """n1 (Nov, a2) and d5 (Dec, a1) edited without a date: both join January, their
    earlier versions stay in the November and December archives."""
    records = edited(records, "n1", headline={"zh-CN": "新标题", "en": "New headline"})
    return edited(records, "d5", title={"zh-CN": "新 d5", "en": "New d5"})


def dated_back(records: Records) -> Records:
    """d6 (a2, policy) added into October, d7 (a1, budget) into November, both months
    archived already."""
    return [*records, disclosure("d6", "a2", at(10, 25)),
            disclosure("d7", "a1", at(11, 20), category="budget")]


def unlinked(data: bytes) -> bytes:
    """An Atom document without its prev-archive and next-archive links."""
    root = etree.fromstring(data)
    for link in root.iterfind(f"{ATOM}link"):
        if link.get("rel") in ("prev-archive", "next-archive"):
            root.remove(link)
    return etree.tostring(root, encoding="UTF-8")


def assert_untouched(before: dict[str, bytes], after: dict[str, bytes], path: str) -> None:
    """The archive ``path`` is as it was, byte for byte, or only its links to an archive
    that is gone have changed (they link past it)."""
    if after.get(path) == before[path]:
        return
    assert path in after, path
    assert unlinked(after[path]) == unlinked(before[path]), path
    old, new = links(before[path]), links(after[path])
    for rel in ("prev-archive", "next-archive"):
        if old.get(rel) != new.get(rel):
            assert old[rel].removeprefix(FEEDS) not in after, (path, rel)


def assert_only_taken_out(before: dict[str, bytes], after: dict[str, bytes], ident: str,
                          replaced: Callable[[bytes], bool] | None = None) -> None:
    """Every archive that did not hold ``ident`` keeps its bytes (but for its links to an
    archive that is gone); every one that did holds exactly its other entries as they
    were, in the same order (and, with ``replaced``, one more entry ``replaced`` accepts,
    under the same id), or is gone when it held nothing else."""
    held = holding(before, ident)
    assert held
    for path in archives(before):
        if path not in held:
            assert_untouched(before, after, path)
            continue
        data = before[path]
        others = {i: e for i, e in entries(data).items() if i != tag(ident)}
        if not others and replaced is None:
            assert path not in after, path
            continue
        now = entries(after[path])
        if replaced is not None:
            assert replaced(now.pop(tag(ident))), path
        assert now == others, path
        order = [i for i in entries(after[path]) if i != tag(ident)]
        assert order == [i for i in entries(data) if i != tag(ident)], path


def assert_chains_resolve(output: dict[str, bytes]) -> None:
    """Every current, prev-archive and next-archive link names a file of the output."""
    for path, data in output.items():
        if path.endswith(".atom"):
            found = links(data)
            for rel in ("current", "prev-archive", "next-archive"):
                if rel in found:
                    assert found[rel].removeprefix(FEEDS) in output, (path, rel, found[rel])


@pytest.fixture(name="out")
def fixture_out(tmp_path: Path) -> Path:
    """A fresh output root."""
    return tmp_path / "public"


# -- a record that is no longer public ----------------------------------------------------

@pytest.mark.parametrize("gone", [secret, lambda records, ident: [
    r for r in records if r.id != ident]], ids=["secret", "deleted"])
def test_a_record_no_longer_public_leaves_only_the_archives_that_held_it(
        out: Path, gone: Callable[[Records, str], Records]) -> None:
    """d3 (November, a2, policy) made secret or deleted, after other records were edited
    (n1, d5) or dated back (d6 into October, d7 into November): the archives that held
    d3 lose its entry and nothing else; every other archive (October's and December's,
    agency a1's, every other scope's) keeps its bytes."""
    records = dated_back(edited_n1_d5(base_records()))
    before, after = history(out, base_records(), records, gone(records, "d3"))
    assert_only_taken_out(before, after, "d3")
    assert not [path for path, data in after.items() if b"disclosure/d3" in data]
    assert "archive/agency-type/a2/disclosure/2002-11.atom" not in after  # d3 alone
    assert "en/archive/agency/a2/2002-11.atom" in after  # n1 is in it too


def test_the_rewrite_keeps_an_older_version_of_another_record(out: Path) -> None:
    """n1 and d5 were edited (their current versions are January's); d3 made secret: the
    November archives still hold n1 as it was, agency a2's among them, though d3 and
    n1's earlier version were all it held; the scope index still places n1 there."""
    records = edited_n1_d5(base_records())
    before, after = history(out, base_records(), records, secret(records, "d3"))
    assert_only_taken_out(before, after, "d3")
    for scope in ("all", "agency/a2"):
        november = parsed(after[f"en/archive/{scope}/2002-11.atom"])
        n1 = next(e for e in november.entries if e.id == tag("n1", "news_release"))
        assert n1.title == "Release"
    assert tag("d3") not in entries(after["en/archive/agency/a2/2002-11.atom"])
    index = {(row[0], row[1]): row for row in json.loads(after["scope-index.json"])}
    assert ["a2", None, "2002-11"] in index[("news_release", "n1")][5]


def test_the_rewrite_adds_no_record_dated_back_into_the_month(out: Path) -> None:
    """d6 and d7 were dated back into October and November after they were archived, so
    they are in no archive; d3 made secret rewrites November's archives without adding
    d7, and leaves October's alone (d6 stays out). (They are in the archives of the
    months their scopes had none of: category/budget's November, agency a2's October.)"""
    records = dated_back(base_records())
    before, after = history(out, base_records(), records, secret(records, "d3"))
    assert_only_taken_out(before, after, "d3")
    assert tag("d7") not in entries(after["en/archive/all/2002-11.atom"])
    assert tag("d6") not in entries(after["en/archive/all/2002-10.atom"])
    for ident in ("d6", "d7"):
        assert holding(after, ident) == holding(before, ident)


def test_an_archive_left_with_nothing_is_deleted_and_its_neighbours_joined(out: Path) -> None:
    """agency-type/a1/disclosure has October (d1, d2), November (d4) and December (d5,
    edited since: its earlier version): d4 made secret deletes November, and October
    and December then link to each other; every link of every feed still resolves."""
    records = edited_n1_d5(base_records())
    before, after = history(out, base_records(), records, secret(records, "d4"))
    assert_only_taken_out(before, after, "d4")
    folder = "en/archive/agency-type/a1/disclosure/"
    assert f"{folder}2002-11.atom" in before
    assert sorted(p for p in after if p.startswith(folder)) == [
        f"{folder}2002-10.atom", f"{folder}2002-12.atom"]
    assert links(after[f"{folder}2002-10.atom"])["next-archive"] == FEEDS + folder + "2002-12.atom"
    assert links(after[f"{folder}2002-12.atom"])["prev-archive"] == FEEDS + folder + "2002-10.atom"
    assert_chains_resolve(after)


def test_an_emptied_month_that_has_entries_since_is_archived_anew(out: Path) -> None:
    """agency-type/a1/disclosure's November held d4 alone; d7 was dated into November
    since. d4 made secret leaves that archive empty: it is written again, as a missing
    month is, from the current catalogue (d7), and its links resolve."""
    records = dated_back(base_records())
    _, after = history(out, base_records(), records, secret(records, "d4"))
    november = after["en/archive/agency-type/a1/disclosure/2002-11.atom"]
    assert list(entries(november)) == [tag("d7")]
    assert_chains_resolve(after)


@pytest.mark.parametrize("change", [secret, withdrawn], ids=["secret", "withdrawn"])
@pytest.mark.parametrize("ident", ["d3", "d4"])
def test_a_full_rebuild_into_the_same_folder_agrees_with_an_incremental_run(
        tmp_path: Path, change: Callable[[Records, str], Records], ident: str) -> None:
    """The same history, its last run incremental or --full, gives the same files."""
    records = dated_back(edited_n1_d5(base_records()))
    outputs = [history(tmp_path / str(full), base_records(), records, change(records, ident),
                       full=full)[1] for full in (False, True)]
    assert outputs[0] == outputs[1]
    assert_chains_resolve(outputs[0])


# -- a withdrawn record ------------------------------------------------------------------------

def test_a_withdrawal_replaces_only_its_entry_in_the_archives_that_held_it(out: Path) -> None:
    """d3 withdrawn: in November's archives its notice (same id) takes the place of its
    entry; n1's earlier version stays, d7 (dated back) is not added, and the archives
    that never held d3 keep their bytes."""
    records = dated_back(edited_n1_d5(base_records()))
    before, after = history(out, base_records(), records, withdrawn(records, "d3"))

    def notice(entry: bytes) -> bool:
        return entry != entries(before["en/archive/all/2002-11.atom"])[tag("d3")] and \
            b"<title>Withdrawn: Title d3</title>" in entry

    assert_only_taken_out(before, after, "d3", replaced=lambda entry: (
        b"Withdrawn: Title d3" in entry or "已撤回".encode() in entry))
    november = parsed(after["en/archive/agency/a2/2002-11.atom"])
    assert [(e.id, e.title) for e in november.entries] == [
        (tag("d3"), "Withdrawn: Title d3"), (tag("n1", "news_release"), "Release")]
    assert notice(entries(after["en/archive/all/2002-11.atom"])[tag("d3")])
    assert holding(after, "d7") == holding(before, "d7")


def test_a_withdrawal_whose_notice_fails_leaves_the_entry_for_the_next_run(
        out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """d3 withdrawn while its notice cannot be rendered (the record fails): the closed
    archives keep its entry as it was; the next run puts the notice in its place."""
    records = base_records()
    publish(records, out, as_of=LATER)
    before = files(out)
    render = feeds_publisher.entry_of

    def failing(item: Item, *args: Any, **kwargs: Any) -> Entry:
        if item.withdrawn:
            raise ValueError("cannot render it")
        return render(item, *args, **kwargs)

    monkeypatch.setattr(feeds_publisher, "entry_of", failing)
    assert publish(withdrawn(records, "d3"), out, as_of=LATER).failed == 1
    failed = files(out)
    assert holding(failed, "d3") == holding(before, "d3") != set()
    assert all(failed[path] == before[path] for path in archives(before))
    monkeypatch.setattr(feeds_publisher, "entry_of", render)
    assert publish(withdrawn(records, "d3"), out, as_of=LATER).failed == 0
    after = files(out)
    assert holding(after, "d3") == holding(before, "d3")
    assert all(b"Withdrawn: Title d3" in entries(after[path])[tag("d3")]
               for path in holding(after, "d3") if path.startswith("en/"))


# -- an agency that is no longer public ----------------------------------------------------------

def canonical(entry: bytes) -> bytes:
    """An entry as exclusive XML canonicalization writes it: the same in any document."""
    return etree.tostring(etree.fromstring(entry), method="c14n", exclusive=True)


def test_an_agency_made_secret_leaves_the_archives_but_its_records_entries_stay(
        out: Path) -> None:
    """a2 made secret: its agency archives are deleted; in the others its records'
    entries stay (n1's earlier version too) with the publisher as author, also in the
    title an untitled evaluation takes from it, each as the current catalogue renders
    it; nothing else changes, and no file names a2."""
    evaluation = gd.Evaluation(id="ev1", agency="a2", year=2002,
                               published_on=dt.date(2002, 11, 10))
    records = [*dated_back(edited_n1_d5(base_records())), evaluation]
    before, after = history(out, [*base_records(), evaluation], records,
                            secret(records, "a2"))
    assert not [path for path, data in after.items()
                if "/a2" in path or b"Bureau B" in data or "乙局".encode() in data
                or b'"a2"' in data]
    november = parsed(after["en/archive/all/2002-11.atom"])
    assert [(e.id, e.title, e.author) for e in november.entries] == [
        (tag("n1", "news_release"), "Release", "General Office"),
        (tag("ev1", "evaluation"), "Evaluations · 2002 · General Office", "General Office"),
        (tag("d3"), "Title d3", "General Office"),
        (tag("d4"), "Title d4", "Bureau A")]
    for lang in ("", "en/"):
        archived = entries(after[f"{lang}archive/all/2002-11.atom"])
        current = entries(after[f"{lang}all.atom"])
        for ident in (tag("d3"), tag("ev1", "evaluation")):
            assert canonical(archived[ident]) == canonical(current[ident])
    for path, data in archives(before).items():
        if "/a2/" not in path and b"Bureau B" not in data and "乙局".encode() not in data:
            assert_untouched(before, after, path)
    assert holding(after, "d7") == holding(before, "d7")
    assert_chains_resolve(after)


# -- the edits themselves ------------------------------------------------------------------------

def rendered(ident: str, day: int) -> RenderedEntry:
    """A feedgen entry of a disclosure of November ``day``."""
    item = Item(type="disclosure", id=ident, agency=None, category=None, tag=tag(ident),
                published=at(11, day), updated=at(11, day), scopes=("all",),
                source=disclosure(ident, "a1", at(11, day)))
    return RenderedEntry(Entry(item=item, lang="en", title=f"Title {ident}", url=None,
                               summary="", content_html="<p>x</p>\n", content_text="x",
                               author="甲局 & Co", categories=("disclosure",)))


def test_an_edited_archive_is_what_feedgen_writes_for_its_entries() -> None:
    """Taking entries out of an archive, or putting one in, gives the bytes feedgen
    writes for the document with those entries: first, middle, last and only one."""
    doc = FeedDoc(id="urn:x", title="T", lang="en", self_url="https://x/a.atom",
                  home_url="https://x/", updated=at(11, 30), author="Office", archive=True,
                  current="https://x/all.atom")
    three = [rendered("e3", 20), rendered("e2", 10), rendered("e1", 5)]
    full = atom_bytes(doc, three)
    for kept in ([0, 1], [0, 2], [1, 2], [0], [1], [2]):
        root = feed_archives.parse(full)
        for entry in [e for n, e in enumerate(feed_archives.entries(root)) if n not in kept]:
            feed_archives.remove(root, entry)
        assert feed_archives.serialize(root) == atom_bytes(doc, [three[n] for n in kept])
        for missing in sorted(set(range(3)) - set(kept)):
            element = feed_archives.entries(feed_archives.parse(full))[missing]
            feed_archives.insert_entry(root, element)
        assert feed_archives.serialize(root) == full


def test_a_full_rebuild_keeps_the_archives_of_a_scope_every_record_has_left(
        tmp_path: Path) -> None:
    """d2, the only budget disclosure, moved to another category: the budget scope has no
    entry left, but its October archive still holds d2 as it was, on an incremental run
    as on a full one."""
    records = edited(base_records(), "d2", category="policy")
    outputs = [history(tmp_path / str(full), base_records(), records, records,
                       full=full)[1] for full in (False, True)]
    assert outputs[0] == outputs[1]
    assert list(entries(outputs[1]["en/archive/category/budget/2002-10.atom"])) == [tag("d2")]
