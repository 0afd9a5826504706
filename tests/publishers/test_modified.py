"""An edit moves the "updated" date every output gives its record, also an edit that bears
no date of its own: ``Job.modified``, shared by the feeds, site and news publishers."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

import attrs
import feedparser
import lxml.etree
import pytest

import govdisclosure as gd
from govdisclosure.testing import snapshot

ROOT = Path(__file__).resolve().parents[2]
CST = dt.timezone(dt.timedelta(hours=8))
FIRST = dt.datetime(2002, 12, 31, 12, tzinfo=CST)
EDIT = dt.datetime(2003, 1, 6, 9, 30, tzinfo=CST)
LATER = dt.datetime(2003, 1, 20, 9, tzinfo=CST)
RELEASE = "nr-2002-hotlines"  # issued 2002-09-26 10:00, embargo to 11:00, no updated_at
TARGETS = ["feeds", "site", "news"]


@pytest.fixture(name="example")
def fixture_example() -> gd.Catalog:
    """The example catalogue."""
    return gd.load_catalog(ROOT / "examples" / "jilin-2002")


def retitled(catalog: gd.Catalog, **fields: object) -> gd.Catalog:
    """The catalogue with the release's headline changed (and ``fields``), nothing else."""
    records = [attrs.evolve(r, headline={"zh-CN": "新标题", "en": "New headline"}, **fields)
               if (r.TYPE, r.id) == ("news_release", RELEASE) else r for r in catalog]
    return gd.Catalog(records=records, meta=catalog.meta, root=catalog.root)


def dates(out: Path) -> dict[str, str]:
    """Every "updated" date the outputs give the release."""
    found: dict[str, str] = {}
    atom = feedparser.parse((out / "feeds" / "en" / "all.atom").read_bytes())
    found["atom"] = next(e.updated for e in atom.entries if e.id.endswith(f"/{RELEASE}"))
    found["atom feed"] = atom.feed.updated
    feed = json.loads((out / "feeds" / "en" / "all.json").read_bytes())
    found["json"] = next(i["date_modified"] for i in feed["items"]
                         if i["_govdisclosure"]["id"] == RELEASE)
    rss = feedparser.parse((out / "feeds" / "en" / "all.rss").read_bytes())
    found["rss"] = dt.datetime(*rss.feed.updated_parsed[:6], tzinfo=dt.UTC).isoformat()
    sitemap = (out / "site" / "sitemap.xml").read_text()
    found["sitemap"] = re.findall(rf"/en/news/{RELEASE}\.html</loc><lastmod>([^<]+)", sitemap)[0]
    page = (out / "site" / "en" / "news" / f"{RELEASE}.html").read_text()
    found["site json-ld"] = re.findall(r'"dateModified":"([^"]+)"', page)[0]
    ninjs = json.loads((out / "news" / "en" / "releases" / f"{RELEASE}.json").read_bytes())
    found["ninjs"] = ninjs["versionCreated"]
    page = (out / "news" / "en" / "releases" / f"{RELEASE}.html").read_text()
    found["news json-ld"] = re.findall(r'"dateModified": "([^"]+)"', page)[0]
    return found


def moved(instant: dt.datetime) -> dict[str, str]:
    """What :func:`dates` gives when every date is ``instant``."""
    text = instant.isoformat()
    return {"atom": text, "atom feed": text, "json": text,
            "rss": instant.astimezone(dt.UTC).isoformat(), "sitemap": instant.date().isoformat(),
            "site json-ld": text, "ninjs": text, "news json-ld": text}


def test_an_edit_without_a_date_moves_every_updated_date(tmp_path: Path,
                                                         example: gd.Catalog) -> None:
    """ADAPTERS.md: "an update keeps the id and changes `updated`". Only the headline
    changes (no ``updated_at``, no ``changes`` entry): the feed entry's ``updated`` and
    ``date_modified``, the feed's own date and RSS ``lastBuildDate``, the sitemap's
    ``lastmod``, the pages' ``dateModified`` and ninjs ``versionCreated`` become the
    instant of the run that published it."""
    out = tmp_path / "out"
    gd.publish(example, TARGETS, out, as_of=FIRST)
    before = dates(out)
    assert before["ninjs"] == "2002-09-26T11:00:00+08:00"
    gd.publish(retitled(example), TARGETS, out, as_of=EDIT)
    assert dates(out) == moved(EDIT)


def test_the_moved_date_stays_and_a_full_rebuild_gives_the_same_bytes(
        tmp_path: Path, example: gd.Catalog) -> None:
    """A later run of the unchanged catalogue keeps the moved dates and rewrites nothing
    that shows them (the site's statistics change with time alone); a full rebuild from
    the same state, catalogue and instant gives the same files; a fresh output folder
    gives the record's own dates."""
    out = tmp_path / "out"
    gd.publish(example, TARGETS, out, as_of=FIRST)
    gd.publish(retitled(example), TARGETS, out, as_of=EDIT)
    edited = snapshot(out)
    later = gd.publish(retitled(example), TARGETS, out, as_of=LATER)
    assert [p.files_written for p in later.publishers if p.name != "site"] == [0, 0]
    assert dates(out) == moved(EDIT)
    incremental = snapshot(out)
    assert sorted(path for path in incremental if incremental[path] != edited[path]
                  and "/statistics/" not in path) == []
    gd.publish(retitled(example), TARGETS, out, as_of=LATER, full=True)
    assert snapshot(out) == incremental
    fresh = tmp_path / "fresh"
    gd.publish(retitled(example), TARGETS, fresh, as_of=LATER)
    assert dates(fresh)["ninjs"] == "2002-09-26T11:00:00+08:00"
    assert dates(fresh)["atom"] == "2002-09-26T11:00:00+08:00"


def test_a_later_date_of_the_record_itself_wins(tmp_path: Path, example: gd.Catalog) -> None:
    """The moved date is a floor: an ``updated_at`` after it (one still to come when the
    edit was published; the feeds date nothing after their run) is what the outputs give."""
    out = tmp_path / "out"
    gd.publish(example, TARGETS, out, as_of=FIRST)
    own = EDIT + dt.timedelta(days=3)
    gd.publish(retitled(example, updated_at=own), TARGETS, out, as_of=EDIT)
    assert dates(out) == {**moved(own), **{key: value for key, value in moved(EDIT).items()
                                           if key in ("atom", "atom feed", "json", "rss")}}
    gd.publish(retitled(example, updated_at=own), TARGETS, out, as_of=LATER)
    assert dates(out) == moved(own)


def test_an_edit_at_the_instant_of_the_first_publication_moves_every_date(
        tmp_path: Path, example: gd.Catalog) -> None:
    """An edit published at the very instant of the record's first publication (a run
    ``--as-of`` the same instant again) is an update, as the ledger says: every date
    becomes that instant, and a full rebuild from that state, at that instant, gives the
    same files."""
    out = tmp_path / "out"
    gd.publish(example, TARGETS, out, as_of=FIRST)
    gd.publish(retitled(example), TARGETS, out, as_of=FIRST)
    with gd.publishing.StateStore(gd.publishing.state_path(out), create=False) as store:
        receipts = [(r.target, r.action, r.at) for r in store.receipts(RELEASE)]
    assert ("feeds", "updated", FIRST.isoformat()) in receipts
    assert dates(out) == moved(FIRST)
    incremental = snapshot(out)
    gd.publish(retitled(example), TARGETS, out, as_of=FIRST, full=True)
    assert snapshot(out) == incremental
    assert dates(out) == moved(FIRST)


def test_a_state_store_from_before_revised_gains_it(tmp_path: Path,
                                                    example: gd.Catalog) -> None:
    """A state store written before the ``revised`` column: a dry run reads it as it is,
    a run adds the column, filled for the records published again after their first
    publication, so that the dates an edit moved stay where they were."""
    out = tmp_path / "out"
    gd.publish(example, TARGETS, out, as_of=FIRST)
    gd.publish(retitled(example), TARGETS, out, as_of=EDIT)
    path = gd.publishing.state_path(out)
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE records DROP COLUMN revised")
    db.commit()
    db.close()
    dry = gd.publish(retitled(example), TARGETS, out, as_of=LATER, dry_run=True)
    assert [p.written for p in dry.publishers] == [0, 0, 0]
    gd.publish(retitled(example), TARGETS, out, as_of=LATER, full=True)
    assert dates(out) == moved(EDIT)
    db = sqlite3.connect(path)
    rows = db.execute("SELECT type, id, revised FROM records WHERE target = 'feeds' AND "
                      "revised IS NOT NULL").fetchall()
    db.close()
    assert rows == [("news_release", RELEASE, EDIT.isoformat())]


def test_a_full_rebuild_keeps_an_archive_an_edit_moved_its_only_entry_out_of(
        tmp_path: Path, example: gd.Catalog) -> None:
    """An undated edit moves an entry to the current month; the closed archive that held
    it alone (announcements of 2002-06) stays, on an incremental run as on a full one,
    and every archive link still resolves."""
    edited = gd.Catalog(records=[
        attrs.evolve(r, summary="An edited summary")
        if (r.TYPE, r.id) == ("disclosure", "approval-catalogue-2002") else r
        for r in example], meta=example.meta, root=example.root)
    later = dt.datetime(2003, 1, 3, 9, tzinfo=CST)
    for name, full in (("incremental", False), ("full", True)):
        gd.publish(example, ["feeds"], tmp_path / name, as_of=FIRST)
        gd.publish(edited, ["feeds"], tmp_path / name, as_of=later, full=full)
    assert snapshot(tmp_path / "full") == snapshot(tmp_path / "incremental")
    feeds = tmp_path / "full" / "feeds"
    assert (feeds / "archive" / "category" / "announcement" / "2002-06.atom").is_file()
    atom = "{http://www.w3.org/2005/Atom}"
    for path in feeds.rglob("*.atom"):
        for link in lxml.etree.parse(str(path)).iterfind(f"{atom}link"):
            if link.get("rel") in ("prev-archive", "next-archive", "current"):
                target = link.get("href").split("/feeds/", 1)[1]
                assert (feeds / target).is_file(), (path, link.get("href"))
