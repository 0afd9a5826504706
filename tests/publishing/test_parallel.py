"""Job.parallel: work shared out over forked worker processes gives the same output."""

from __future__ import annotations

import os
from pathlib import Path

import attrs
import pytest

import govdisclosure as gd
from govdisclosure.publishing import StateStore, parallel, state_path
from govdisclosure.publishing.selection import content_hash, select
from govdisclosure.testing import AS_OF, EARLIER, META, snapshot

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "jilin-2002"

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="no safe fork here")


@pytest.fixture(name="tiny_shares")
def fixture_tiny_shares(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even for a handful of items, so that small catalogues exercise the workers."""
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)


def _state(out: Path) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    with StateStore(state_path(out)) as state:
        files = state.file_hashes("site")
        receipts = [(r.target, f"{r.type}:{r.id}", r.action) for r in state.receipts()]
    return files, receipts


@pytest.mark.usefixtures("tiny_shares")
def test_site_from_workers_equals_site_from_one_process(tmp_path: Path) -> None:
    catalog = gd.load_catalog(EXAMPLE)
    reports = {}
    for workers in (1, 3):
        reports[workers] = gd.publish(catalog, to=["site"], out=tmp_path / str(workers),
                                      as_of=AS_OF, workers=workers).publishers[0]
    assert snapshot(tmp_path / "1") == snapshot(tmp_path / "3")
    assert _state(tmp_path / "1") == _state(tmp_path / "3")
    one, three = reports[1], reports[3]
    assert (three.files_written, three.bytes, three.written, three.failures) == (
        one.files_written, one.bytes, one.written, one.failures)
    assert one.files_written > 300


@pytest.mark.usefixtures("tiny_shares")
def test_incremental_run_with_workers_rewrites_the_same_files(tmp_path: Path) -> None:
    catalog = gd.load_catalog(EXAMPLE)
    for workers in (1, 2):
        gd.publish(catalog, to=["site"], out=tmp_path / str(workers), as_of=AS_OF, workers=1)
    edited = [attrs.evolve(r, title={"zh-CN": "改过的标题", "en": "A changed title"})
              if r.TYPE == "approval_item" else r for r in catalog]
    changed = gd.Catalog(edited, catalog.meta, root=catalog.root)
    reports = [gd.publish(changed, to=["site"], out=tmp_path / str(workers), as_of=AS_OF,
                          workers=workers).publishers[0] for workers in (1, 2)]
    assert snapshot(tmp_path / "1") == snapshot(tmp_path / "2")
    assert reports[0].files_written == reports[1].files_written > 0
    assert reports[0].files_unchanged == reports[1].files_unchanged


@attrs.frozen
class ShareOptions:
    """What the test publisher does in its workers."""

    fail_odd: bool = False
    raise_in: str = ""
    exit_in: str = ""


class SharePublisher(gd.BasePublisher):
    """One file per record written through job.parallel; can fail, raise or die on request."""

    name = "share"
    Options = ShareOptions
    def publish(self, job: gd.Job) -> None:
        """Write ``<id>.txt`` per record from the workers, then an index from the parent."""

        def one(record: gd.Record) -> None:
            if record.id == self.options.raise_in:
                raise RuntimeError("boom in a worker")
            if record.id == self.options.exit_in and os.getpid() != parent:
                os._exit(3)
            if self.options.fail_odd and record.id[-1] in "13579":
                job.fail(record, "odd")
                return
            job.write(f"{record.id}.txt", record.id)

        parent = os.getpid()
        job.parallel(one, list(job.records))
        job.write("index.txt", "\n".join(r.id for r in job.records))


def _catalog(n: int) -> gd.Catalog:
    city = gd.Agency(id="city", name="City", level="city")
    notes = [gd.Disclosure(id=f"n-{i:03d}", agency="city", title=f"Note {i}", issued_at=EARLIER)
             for i in range(n)]
    return gd.Catalog(records=[city, *notes], meta=META)


@pytest.mark.usefixtures("tiny_shares")
def test_failures_in_workers_reach_the_report(tmp_path: Path) -> None:
    report = gd.publish(_catalog(9), to=[SharePublisher], out=tmp_path, as_of=AS_OF,
                        workers=3, options={"share": {"fail_odd": True}}).publishers[0]
    assert [f["record"] for f in report.failures] == [
        f"disclosure:n-{i:03d}" for i in (1, 3, 5, 7)]
    assert sorted(p.name for p in (tmp_path / "share").iterdir()) == sorted(
        ["index.txt", "city.txt"] + [f"n-{i:03d}.txt" for i in (0, 2, 4, 6, 8)])
    assert report.files_written == 7


@pytest.mark.usefixtures("tiny_shares")
@pytest.mark.parametrize("option", ["raise_in", "exit_in"])
def test_a_worker_that_fails_fails_the_target_and_keeps_the_old_output(
        tmp_path: Path, option: str) -> None:
    gd.publish(_catalog(6), to=[SharePublisher], out=tmp_path, as_of=AS_OF, workers=1)
    before = snapshot(tmp_path)
    victim = "n-004"  # item 5 of [city, n-000 ... n-005]: the second worker's (2, 5)
    with pytest.raises(gd.PublishError) as caught:
        gd.publish(_catalog(6), to=[SharePublisher], out=tmp_path, as_of=AS_OF, workers=3,
                   full=True, options={"share": {option: victim}})
    message = str(caught.value)
    assert "worker" in message
    assert ("boom in a worker" in message) if option == "raise_in" else (
        "exit status 3" in message)
    assert snapshot(tmp_path) == before
    assert not [p for p in (tmp_path / ".govdisclosure" / "releases" / "share").iterdir()
                if p.resolve() != (tmp_path / "share").resolve()
                and any(p.rglob("*.txt"))]


def test_small_work_stays_in_one_process(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise AssertionError("forked for 6 records")

    monkeypatch.setattr(parallel.os, "fork", no_fork)
    report = gd.publish(_catalog(5), to=[SharePublisher], out=tmp_path, as_of=AS_OF,
                        workers=4).publishers[0]
    assert report.files_written == 7


def test_workers_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(gd.ConfigError, match="workers"):
        gd.publish(_catalog(1), to=[SharePublisher], out=tmp_path, as_of=AS_OF, workers=0)


@pytest.mark.usefixtures("tiny_shares")
@pytest.mark.parametrize("workers", [1, 3])
def test_selection_hashed_in_workers_equals_hashing_here(workers: int) -> None:
    catalog = gd.load_catalog(EXAMPLE)
    selection = select(catalog, AS_OF, "public", workers=workers)
    chosen = [*selection.records, *selection.tombstones]
    assert selection.tombstones
    assert selection.files  # the example's hall has floor plans
    assert list(selection.hashes.values()) == [
        content_hash(r, selection.files.get(key)) for r, key in zip(chosen, selection.keys,
                                                                     strict=True)]


def _explode(n: int) -> int:
    if n == 7:
        raise ValueError("seven")
    return n * n


@pytest.mark.usefixtures("tiny_shares")
def test_map_in_workers_keeps_order_and_reports_a_failure() -> None:
    assert parallel.map_in_workers(_explode, list(range(7)), 3) == [0, 1, 4, 9, 16, 25, 36]
    with pytest.raises(gd.PublishError, match="ValueError: seven"):
        parallel.map_in_workers(_explode, list(range(10)), 3)
