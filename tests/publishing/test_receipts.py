"""Receipts and report counts are for what an output shows: a publisher's optional
``shows(record_type)`` and ``shown(job)`` (publishing/receipts.py)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import attrs
import pytest

import govdisclosure as gd
from govdisclosure.publishing import StateStore, state_path
from govdisclosure.publishing.protocol import RecordKey
from govdisclosure.testing import AS_OF, EARLIER, META

CITY = gd.Agency(id="city", name="City", level="city")


@attrs.frozen
class ShelfOptions:
    """Options of the shelf."""

    limit: int = 2


class ShelfPublisher(gd.BasePublisher):
    """A notice board: the ``limit`` latest disclosures that are no budget, and every
    tombstone of a disclosure, in one file."""

    name = "shelf"
    Options = ShelfOptions

    def shows(self, record_type: str) -> bool:
        """Disclosures only."""
        return record_type == gd.Disclosure.TYPE

    def shown(self, job: gd.Job) -> set[RecordKey]:
        """The disclosures on the board."""
        return {(r.TYPE, r.id) for r in self._board(job)} | {s.key for s in job.tombstones}

    def _board(self, job: gd.Job) -> list[gd.Record]:
        found = [r for r in job.records
                 if isinstance(r, gd.Disclosure) and r.category != "budget"]
        found.sort(key=lambda r: (r.issued_at, r.id), reverse=True)
        return found[: self.options.limit]

    def publish(self, job: gd.Job) -> None:
        """Write the board."""
        lines = [f"{r.id} {gd.localize(r.label, 'en', 'en')}" for r in self._board(job)]
        lines += [f"{s.id} withdrawn" for s in job.tombstones]
        job.write("board.txt", "\n".join(lines) + "\n")


def notice(ident: str, days: int = 0, category: str = "announcement", **extra: Any
           ) -> gd.Disclosure:
    """A public disclosure of the city, issued ``days`` after EARLIER."""
    return gd.Disclosure(id=ident, agency="city", title=extra.pop("title", ident),
                         category=category, issued_at=EARLIER + dt.timedelta(days=days),
                         **extra)


def shelf(out: Path, *records: gd.Record, as_of: dt.datetime = AS_OF,
          **kwargs: Any) -> gd.PublisherReport:
    """Publish ``records`` (and the city) on the shelf; its report."""
    catalog = gd.Catalog(records=[CITY, *records], meta=META)
    return gd.publish(catalog, [ShelfPublisher], out, as_of=as_of, **kwargs).publishers[0]


def receipts(out: Path) -> list[tuple[str, str]]:
    """``(id, action)`` of every receipt, in order."""
    with StateStore(state_path(out), create=False) as store:
        return [(r.id, r.action) for r in store.receipts()]


def counts(report: gd.PublisherReport) -> tuple[int, int, int, int]:
    """``(written, unchanged, withdrawn, removed)``."""
    return (report.written, report.unchanged, report.withdrawn, report.removed)


def test_a_record_the_output_leaves_out_gets_no_receipt_and_no_count(tmp_path: Path) -> None:
    """Of the disclosures, only those on the board are receipted and counted."""
    report = shelf(tmp_path, notice("a"), notice("b", category="budget"))
    assert receipts(tmp_path) == [("a", "published")]
    assert counts(report) == (1, 0, 0, 0)
    with StateStore(state_path(tmp_path)) as store:  # tracked all the same
        assert ("disclosure", "b") in store.record_state("shelf")
        assert store.hidden("shelf") == {("disclosure", "b")}


def test_an_edit_of_a_record_left_out_counts_and_receipts_nothing(tmp_path: Path) -> None:
    """An edit that no output shows is no publication: written 0, no file, no receipt."""
    shelf(tmp_path, notice("a"), notice("b", category="budget"))
    report = shelf(tmp_path, notice("a"), notice("b", category="budget", title="new"),
                   as_of=AS_OF + dt.timedelta(days=1))
    assert counts(report) == (0, 1, 0, 0)
    assert report.files_written == 0
    assert receipts(tmp_path) == [("a", "published")]


def test_a_record_leaving_the_output_is_removed_and_coming_back_published(
        tmp_path: Path) -> None:
    """A change of category takes a record off the board (removed), and back (published):
    the actions the ledger uses for a record leaving and entering an output."""
    shelf(tmp_path, notice("a"), notice("b", 1))
    report = shelf(tmp_path, notice("a"), notice("b", 1, category="budget"))
    assert counts(report) == (0, 1, 0, 1)
    report = shelf(tmp_path, notice("a"), notice("b", 1))
    assert counts(report) == (1, 1, 0, 0)
    assert receipts(tmp_path) == [("a", "published"), ("b", "published"), ("b", "removed"),
                                  ("b", "published")]


def test_an_unchanged_record_pushed_off_the_board_is_removed(tmp_path: Path) -> None:
    """What an output shows may depend on other records: a newer notice pushes the oldest
    off a board of two, which did not change and still gets its ``removed`` receipt; its
    return when the newer one goes is a ``published`` one."""
    shelf(tmp_path, notice("a"), notice("b", 1))
    report = shelf(tmp_path, notice("a"), notice("b", 1), notice("c", 2))
    assert counts(report) == (1, 1, 0, 1)
    report = shelf(tmp_path, notice("a"), notice("b", 1))
    assert counts(report) == (1, 1, 0, 1)
    assert receipts(tmp_path) == [("a", "published"), ("b", "published"), ("a", "removed"),
                                  ("c", "published"), ("a", "published"), ("c", "removed")]


def test_a_record_shown_again_starts_its_publication_anew(tmp_path: Path) -> None:
    """``job.published`` gives no times for a record left out, and those of its return
    once it is back: the instant it was published again."""
    later = AS_OF + dt.timedelta(days=1)
    shelf(tmp_path, notice("a"), notice("b", category="budget"))
    shelf(tmp_path, notice("a"), notice("b"), as_of=later)
    with StateStore(state_path(tmp_path)) as store:
        times = store.publication_times("shelf")
    assert times["disclosure", "b"] == (later, later)
    assert times["disclosure", "a"] == (AS_OF, AS_OF)


def test_the_withdrawal_of_a_record_never_shown_is_receipted_where_its_notice_is(
        tmp_path: Path) -> None:
    """A withdrawn record gets a ``withdrawn`` receipt where the output shows its
    tombstone, whether or not it showed its live version (the shelf lists every withdrawn
    disclosure, budgets too): the ledger says what the output showed. A fresh output
    folder receipts the same."""
    gone = gd.Withdrawal(on=dt.date(2002, 12, 1), reason="wrong")
    shelf(tmp_path, notice("a"), notice("b", category="budget"))
    withdrawn = (notice("a", status="withdrawn", withdrawn=gone),
                 notice("b", category="budget", status="withdrawn", withdrawn=gone),
                 notice("c", status="withdrawn", withdrawn=gone))
    report = shelf(tmp_path, *withdrawn)
    assert counts(report) == (0, 0, 3, 0)
    assert receipts(tmp_path) == [("a", "published"), ("a", "withdrawn"), ("b", "withdrawn"),
                                  ("c", "withdrawn")]
    shelf(tmp_path / "fresh", *withdrawn)
    assert receipts(tmp_path / "fresh") == [("a", "withdrawn"), ("b", "withdrawn"),
                                            ("c", "withdrawn")]
    report = shelf(tmp_path, notice("a", status="withdrawn", withdrawn=gone),
                   notice("b", category="budget", status="withdrawn", withdrawn=gone),
                   notice("c", status="withdrawn", withdrawn=gone),
                   as_of=AS_OF + dt.timedelta(days=1))
    assert counts(report) == (0, 3, 0, 0)


@pytest.mark.parametrize("state", ["none", "earlier"])
def test_a_dry_run_counts_what_the_run_then_does(tmp_path: Path, state: str) -> None:
    """A dry run asks ``shown`` too, of a job without output, and counts as the run."""
    if state == "earlier":
        shelf(tmp_path, notice("a"), notice("b", 1), notice("x", category="budget"))
    after = (notice("a"), notice("b", 1, category="budget"), notice("c", 2),
             notice("x", category="budget", title="edited"))
    dry = shelf(tmp_path, *after, dry_run=True)
    done = shelf(tmp_path, *after)
    assert counts(dry) == counts(done)


def test_a_dry_run_cannot_use_the_output(tmp_path: Path) -> None:
    """``shown`` decides from the records: in a dry run the job's output refuses use."""

    class Peeking(ShelfPublisher):
        def shown(self, job: gd.Job) -> set[RecordKey]:
            job.read("board.txt")
            return set()

    shelf(tmp_path, notice("a"))
    catalog = gd.Catalog(records=[CITY, notice("a")], meta=META)
    with pytest.raises(gd.PublishError, match="used its output in shown on a dry run"):
        gd.publish(catalog, [Peeking], tmp_path, as_of=AS_OF, dry_run=True)


def test_a_state_store_from_before_hidden_gains_it(tmp_path: Path) -> None:
    """A state store written before the ``hidden`` column: a dry run reads it as it is,
    a run adds the column; its records count as shown, so a record the output leaves out
    gets its ``removed`` receipt, correcting the ``published`` one earlier versions gave."""
    shelf(tmp_path, notice("a"), notice("b", category="budget"))
    path = state_path(tmp_path)
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE records DROP COLUMN hidden")
    db.commit()
    db.close()
    records = (notice("a"), notice("b", category="budget"))
    later = AS_OF + dt.timedelta(days=1)
    assert counts(shelf(tmp_path, *records, as_of=later, dry_run=True)) == (0, 1, 0, 1)
    assert counts(shelf(tmp_path, *records, as_of=later)) == (0, 1, 0, 1)
    with StateStore(path) as store:
        assert store.hidden("shelf") == {("disclosure", "b")}
