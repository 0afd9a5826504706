"""The publishing pipeline: selection, incremental state, atomic output, ledger, errors."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import io
import json
import re
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

import govdisclosure as gd
from govdisclosure import cli as command
from govdisclosure.model import RECORD_TYPES
from govdisclosure.publishers.site.index import SiteIndex
from govdisclosure.publishing import AUDIENCES, StateStore, registry, select, state_path
from govdisclosure.publishing.output import exclusive, safe_relpath
from govdisclosure.publishing.pipeline import assets_digest
from govdisclosure.publishing.selection import content_hash, tombstone_of
from govdisclosure.testing import AS_OF, EARLIER, META, output_files, snapshot
from strategies import catalogs

CITY = gd.Agency(id="city", name="City", level="city")


def disclosure(ident: str, title: str = "Title", **extra: Any) -> gd.Disclosure:
    """A public disclosure of the city."""
    return gd.Disclosure(id=ident, agency="city", title=title, issued_at=EARLIER, **extra)


def catalog(*records: gd.Record) -> gd.Catalog:
    """An in-memory catalogue with the city agency."""
    return gd.Catalog(records=[CITY, *records], meta=META)


@attrs.frozen
class EchoOptions:
    """Options of the test publisher."""

    fail: tuple[str, ...] = ()
    crash: bool = False
    path_prefix: str = ""


class EchoPublisher(gd.BasePublisher):
    """One file per record holding its id and title; can fail records or crash on request."""

    name = "echo"
    Options = EchoOptions
    seen: ClassVar[list[str]] = []

    def publish(self, job: gd.Job) -> None:
        """Write ``<type>/<id>.txt`` for changed records, remove the removed ones."""
        if self.options.crash:
            raise RuntimeError("boom")
        for record in job.records:
            EchoPublisher.seen.append(record.id)
            if record.id in self.options.fail:
                job.fail(record, "cannot render")
                continue
            if job.full or (record.TYPE, record.id) in job.changed:
                job.write(f"{self.options.path_prefix}{record.TYPE}/{record.id}.txt",
                          f"{record.id} {gd.localize(record.label, 'en', 'en')}\n")
        for stone in job.tombstones:
            job.write(f"{stone.type}/{stone.id}.txt", f"{stone.id} withdrawn\n")
        for kind, ident in job.removed:
            job.remove(f"{kind}/{ident}.txt")


def run(cat: gd.Catalog, out: Path, **kwargs: Any) -> gd.PublishReport:
    """Publish with the echo publisher."""
    kwargs.setdefault("as_of", AS_OF)
    return gd.publish(cat, [EchoPublisher], out, **kwargs)


def test_selection_never_hands_a_publisher_a_non_public_record(tmp_path: Path) -> None:
    """Secret, restricted, draft, embargoed and internal records never reach the publisher."""
    EchoPublisher.seen.clear()
    hidden = [
        disclosure("secret", classification="secret"),
        disclosure("restricted", classification="restricted"),
        disclosure("draft", status="draft"),
        disclosure("embargoed", publish_at=AS_OF + dt.timedelta(seconds=1)),
        disclosure("internal", audience="internal"),
    ]
    run(catalog(disclosure("open"), *hidden), tmp_path)
    assert EchoPublisher.seen == ["city", "open"]


def test_channels_limit_a_record_to_the_publishers_they_name(tmp_path: Path) -> None:
    """A record with ``channels`` reaches only the publishers named there (none for an
    empty list); a record without them reaches every publisher."""
    EchoPublisher.seen.clear()
    run(catalog(disclosure("all"), disclosure("echoed", channels=["echo", "feeds"]),
                disclosure("elsewhere", channels=["feeds"]), disclosure("nowhere", channels=[]),
                disclosure("gone", status="withdrawn", channels=["feeds"],
                           withdrawn=gd.Withdrawal(on=EARLIER.date(), reason="wrong"))), tmp_path)
    assert sorted(EchoPublisher.seen) == ["all", "city", "echoed"]
    assert sorted(p.name for p in output_files(tmp_path)) == ["all.txt", "city.txt",
                                                            "echoed.txt"]


def test_a_record_taken_off_a_channel_leaves_that_output(tmp_path: Path) -> None:
    """Narrowing a record's ``channels`` removes it from the publishers no longer named, as
    an incremental run, and the ledger says so."""
    run(catalog(disclosure("a"), disclosure("b")), tmp_path)
    report = run(catalog(disclosure("a", channels=["feeds"]), disclosure("b")), tmp_path)
    assert report.publishers[0].removed == 1
    assert sorted(p.name for p in output_files(tmp_path)) == ["b.txt", "city.txt"]
    with StateStore(state_path(tmp_path)) as store:
        assert [r.action for r in store.receipts("disclosure:a")] == ["published", "removed"]


def test_internal_audience_sees_internal_records_only_in_its_own_output(tmp_path: Path) -> None:
    """An internal run includes internal records; the output root then refuses public runs."""
    EchoPublisher.seen.clear()
    cat = catalog(disclosure("open"), disclosure("internal", audience="internal"))
    run(cat, tmp_path, audience="internal")
    assert sorted(EchoPublisher.seen) == ["city", "internal", "open"]
    with pytest.raises(gd.ConfigError, match="internal"):
        run(cat, tmp_path, audience="public")


@given(catalogs(include_unpublishable=True), st.sampled_from(AUDIENCES),
       st.sampled_from(["site", "kiosk", "echo"]))
def test_a_catalog_view_holds_what_selection_hands_the_publisher(
        generated: tuple[gd.CatalogMeta, list[gd.Record]], audience: str, name: str) -> None:
    """``check_catalog`` looks records up as its publisher receives them: the records a
    ``CatalogView`` at ``as_of`` gives (by ``get`` and by ``of_type``) are the live ones
    that selection hands that publisher (audience, embargo, channels, a case's item)."""
    meta, records = generated
    cat = gd.Catalog(records, meta)
    view = gd.CatalogView(cat, name, audience, AS_OF)
    chosen = {(r.TYPE, r.id) for r in select(cat, AS_OF, audience).for_channel(name).records}
    assert {(r.TYPE, r.id) for r in cat if view.get(r.TYPE, r.id) is not None} == chosen
    assert {(r.TYPE, r.id) for cls in RECORD_TYPES.values() for r in view.of_type(cls)
            } == chosen


def test_a_catalog_view_without_an_instant_keeps_nothing_out_for_its_embargo() -> None:
    """``validate`` checks options at no particular instant: a record under embargo is in
    its view (the run at ``as_of`` decides), a withdrawn one never is."""
    later = disclosure("later", publish_at=AS_OF + dt.timedelta(days=1))
    cat = catalog(later, disclosure("gone", status="withdrawn",
                                    withdrawn=gd.Withdrawal(on=EARLIER.date(), reason="wrong")))
    assert gd.CatalogView(cat, "echo", "public").get("disclosure", "later") is later
    assert gd.CatalogView(cat, "echo", "public", AS_OF).get("disclosure", "later") is None
    assert gd.CatalogView(cat, "echo", "public").get("disclosure", "gone") is None


@attrs.frozen
class PickyOptions:
    """Options of a publisher that needs some disclosures."""

    needs: tuple[str, ...] = ()


class Picky(gd.BasePublisher):
    """Needs the disclosures of its ``needs`` option, checked against the catalogue."""

    name = "picky"
    Options = PickyOptions

    def check_catalog(self, view: gd.CatalogView) -> list[str]:
        """``needs: ...`` for each needed disclosure this publisher would not receive."""
        return [f"needs: no disclosure {ident!r} for {view.audience}"
                for ident in self.options.needs if view.get("disclosure", ident) is None]

    def publish(self, job: gd.Job) -> None:
        """One file naming what it needs."""
        job.write("needs.txt", " ".join(self.options.needs))


class Offline:
    """A third party's publisher without the base class, whose ``preflight`` takes no
    argument (as before ``check_catalog``): its device is not attached."""

    name = "offline"
    Options = EchoOptions
    audiences = ("public",)

    def __init__(self, options: EchoOptions) -> None:
        self.options = options

    def preflight(self) -> list[str]:
        """The device is missing."""
        return ["device: no signage screen attached"]

    def publish(self, job: gd.Job) -> None:
        """Never reached."""
        job.write("shown.txt", "shown")


def test_every_answer_of_check_catalog_and_preflight_refuses_the_run(tmp_path: Path) -> None:
    """Before the first target runs, each publisher is asked ``check_catalog`` (options
    that do not fit the catalogue) and ``preflight`` (what this machine lacks, called
    without arguments, as third parties wrote it): every answer is named in one error
    and nothing is written; without answers the run goes on."""
    cat = catalog(disclosure("open"), disclosure("secret", classification="secret"))
    options = {"picky": {"needs": ["open", "secret"]}}
    with pytest.raises(gd.ConfigError) as caught:
        gd.publish(cat, [EchoPublisher, Picky, Offline], tmp_path, as_of=AS_OF,
                   options=options)
    assert str(caught.value) == ("[publish.picky] needs: no disclosure 'secret' for public; "
                                 "offline: device: no signage screen attached")
    assert (caught.value.publisher, caught.value.key) == ("picky", "preflight")
    assert list(tmp_path.iterdir()) == []
    report = gd.publish(cat, [EchoPublisher, Picky], tmp_path, as_of=AS_OF,
                        options={"picky": {"needs": ["open"]}})
    assert [p.name for p in report.publishers] == ["echo", "picky"]


def test_one_changed_record_rewrites_only_its_file(tmp_path: Path) -> None:
    """An incremental run hands over only what changed, and writes only that."""
    run(catalog(disclosure("a"), disclosure("b")), tmp_path)
    report = run(catalog(disclosure("a", "New"), disclosure("b")), tmp_path)
    echo = report.publishers[0]
    assert (echo.written, echo.unchanged, echo.files_written) == (1, 2, 1)
    assert (tmp_path / "echo/disclosure/a.txt").read_text() == "a New\n"


def _stats(folder: Path) -> dict[str, tuple[int, int]]:
    """``name -> (inode, mtime)`` of the files below ``folder`` (through its symlink)."""
    return {p.relative_to(folder.resolve()).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.resolve().rglob("*") if p.is_file()}


@pytest.mark.parametrize("workers", [1, 2], ids=["writer-threads", "in-line"])
def test_full_rebuild_renders_everything_and_rewrites_what_differs(tmp_path: Path,
                                                                   workers: int) -> None:
    """--full renders every record again, and writes what differs from the last release:
    a file with the same bytes stays as it is (the same file and mtime: ``job.write``
    rewrites no identical bytes), one changed in the output since is replaced, as is a
    changed record's."""
    run(catalog(disclosure("a"), disclosure("b"), disclosure("c")), tmp_path)
    before = _stats(tmp_path / "echo")
    (tmp_path / "echo/disclosure/b.txt").write_text("edited by hand\n")
    EchoPublisher.seen.clear()

    report = run(catalog(disclosure("a"), disclosure("b"), disclosure("c", "New")), tmp_path,
                 full=True, workers=workers)

    assert sorted(EchoPublisher.seen) == ["a", "b", "c", "city"]
    echo = report.publishers[0]
    assert (echo.files_written, echo.files_unchanged) == (2, 2)
    assert echo.bytes == len("b Title\n") + len("c New\n")
    after = _stats(tmp_path / "echo")
    assert {path for path in after if after[path] == before[path]} == {
        "agency/city.txt", "disclosure/a.txt"}
    assert (tmp_path / "echo/disclosure/b.txt").read_text() == "b Title\n"
    assert (tmp_path / "echo/disclosure/c.txt").read_text() == "c New\n"


def test_a_full_rebuild_in_forked_workers_keeps_identical_files(tmp_path: Path) -> None:
    """Files rendered by forked workers (``job.parallel``) that a full run finds the same
    stay as they are too, and count as unchanged."""
    records = catalog(*(disclosure(f"d{n}") for n in range(4)))
    gd.publish(records, [ModifiedProbe], tmp_path, as_of=AS_OF, workers=2)
    before = _stats(tmp_path / "modified")
    report = gd.publish(records, [ModifiedProbe], tmp_path, as_of=AS_OF, workers=2, full=True)
    assert (report.publishers[0].files_written, report.publishers[0].files_unchanged) == (0, 5)
    assert _stats(tmp_path / "modified") == before


def test_removed_record_disappears_and_is_receipted(tmp_path: Path) -> None:
    """A record gone from the catalogue is removed from the output and the ledger says so."""
    run(catalog(disclosure("a"), disclosure("b")), tmp_path)
    report = run(catalog(disclosure("a")), tmp_path)
    assert report.publishers[0].removed == 1
    assert not (tmp_path / "echo/disclosure/b.txt").exists()
    with StateStore(state_path(tmp_path)) as store:
        assert [r.action for r in store.receipts("b")] == ["published", "removed"]


def test_a_run_waits_while_another_run_holds_the_output_root(tmp_path: Path) -> None:
    """Two runs into one root would delete each other's releases: the second waits for
    the first (here the lock held as a run holds it), touches nothing meanwhile, then
    publishes and says how long it waited."""
    run(catalog(disclosure("a")), tmp_path)
    reports: list[gd.PublishReport] = []
    with exclusive(tmp_path):
        second = threading.Thread(target=lambda: reports.append(
            run(catalog(disclosure("a"), disclosure("b")), tmp_path)))
        second.start()
        second.join(1.5)
        assert second.is_alive()
        assert not (tmp_path / "echo/disclosure/b.txt").exists()
    second.join(30)
    assert (tmp_path / "echo/disclosure/b.txt").read_text() == "b Title\n"
    assert reports[0].publishers[0].written == 1
    assert re.fullmatch(r"waited \d+ s for another publication into .+ to finish",
                        reports[0].warnings[0])


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    """--dry-run reports what would change and leaves no file behind."""
    report = run(catalog(disclosure("a")), tmp_path / "out", dry_run=True)
    assert report.publishers[0].written == 2  # the agency and the disclosure
    assert not (tmp_path / "out").exists()


def test_dry_run_on_a_published_root_changes_nothing_there(tmp_path: Path) -> None:
    """--dry-run over earlier output reads the state store without touching it: no WAL
    or lock file appears, no file or folder of the root changes, not even in mtime."""
    run(catalog(disclosure("a")), tmp_path)

    def seen() -> dict[str, int]:
        return {str(path.relative_to(tmp_path)): path.lstat().st_mtime_ns
                for path in [tmp_path, *tmp_path.rglob("*")]}

    before = seen()
    report = run(catalog(disclosure("a"), disclosure("b")), tmp_path, dry_run=True)
    assert report.publishers[0].written == 1
    assert seen() == before


def test_failed_record_is_reported_and_retried(tmp_path: Path) -> None:
    """A record the publisher cannot render is in the report, and is tried again next run."""
    report = gd.publish(catalog(disclosure("a"), disclosure("bad")), [EchoPublisher], tmp_path,
                        as_of=AS_OF, options={"echo": {"fail": ["bad"]}})
    echo = report.publishers[0]
    assert echo.failed == 1
    assert echo.failures == [{"record": "disclosure:bad", "message": "cannot render"}]
    again = run(catalog(disclosure("a"), disclosure("bad")), tmp_path)
    assert again.publishers[0].written == 1


def test_a_record_failing_in_a_full_run_is_unpublished_then_published_again(
        tmp_path: Path) -> None:
    """A full run removes every file it does not write, a failed record's too: the ledger
    says so (removed), the report counts it once, and the next run renders it again."""
    records = catalog(disclosure("a"), disclosure("b"))
    run(records, tmp_path)
    report = gd.publish(records, [EchoPublisher], tmp_path, as_of=AS_OF, full=True,
                        options={"echo": {"fail": ["b"]}}).publishers[0]
    assert (report.failed, report.unchanged, report.written) == (1, 2, 0)  # city, a; b
    assert not (tmp_path / "echo/disclosure/b.txt").exists()
    with StateStore(state_path(tmp_path), create=False) as store:
        assert [r.action for r in store.receipts("disclosure:b")] == ["published", "removed"]
    again = run(records, tmp_path).publishers[0]
    assert again.written == 1
    assert (tmp_path / "echo/disclosure/b.txt").read_text() == "b Title\n"
    with StateStore(state_path(tmp_path), create=False) as store:
        assert [r.action for r in store.receipts("disclosure:b")] == [
            "published", "removed", "published"]


def test_a_dry_run_counts_what_the_run_would(tmp_path: Path, example_path: Path) -> None:
    """--dry-run reports the counts the run then reports: only the types shown."""
    loaded = gd.load_catalog(example_path)
    dry = gd.publish(loaded, ["site"], tmp_path, as_of=AS_OF, dry_run=True).publishers[0]
    done = gd.publish(loaded, ["site"], tmp_path, as_of=AS_OF).publishers[0]
    assert (dry.written, dry.unchanged, dry.withdrawn) == (
        done.written, done.unchanged, done.withdrawn)
    again = gd.publish(loaded, ["site"], tmp_path, as_of=AS_OF, dry_run=True).publishers[0]
    assert (again.written, again.unchanged) == (0, done.written + done.unchanged + done.withdrawn)


def test_crashing_publisher_keeps_the_previous_output(tmp_path: Path) -> None:
    """A publisher that raises fails its target with PublishError; the old output stays."""
    run(catalog(disclosure("a")), tmp_path)
    before = snapshot(tmp_path)
    with pytest.raises(gd.PublishError, match="boom"):
        gd.publish(catalog(disclosure("a", "changed")), [EchoPublisher], tmp_path, as_of=AS_OF,
                   options={"echo": {"crash": True}})
    assert snapshot(tmp_path) == before


class OtherEcho(EchoPublisher):
    """The echo publisher under another name: a second target."""

    name = "other"


class EchoCrashingInShown(EchoPublisher):
    """The echo publisher that also crashes in ``shown``, which a dry run asks."""

    def shown(self, job: gd.Job) -> list[tuple[str, str]]:
        if self.options.crash:
            raise RuntimeError("boom in shown")
        return [(record.TYPE, record.id) for record in job.records]


@pytest.mark.parametrize("dry_run", [False, True])
@pytest.mark.parametrize("order", ["crash first", "crash last"])
def test_a_crashing_target_does_not_stop_the_others(tmp_path: Path, order: str,
                                                    dry_run: bool) -> None:
    """Each target is published or kept whole on its own: a crash in one leaves its old
    output, the other is published all the same, and the error carries the report of
    both, the crashed one as failed, with its error and nothing counted (a dry run too)."""
    crashing = EchoCrashingInShown if dry_run else EchoPublisher
    targets = [crashing, OtherEcho] if order == "crash first" else [OtherEcho, crashing]
    with pytest.raises(gd.PublishError, match="boom") as caught:
        gd.publish(catalog(disclosure("a")), targets, tmp_path, as_of=AS_OF, dry_run=dry_run,
                   options={"echo": {"crash": True}, "other": {}})
    assert caught.value.publisher == "echo"
    report = caught.value.report
    assert [p.name for p in report.publishers] == [t.name for t in targets]
    reports = {p.name: p for p in report.publishers}
    assert (reports["other"].state, reports["other"].error, reports["other"].written) == (
        "ok", None, 2)
    crashed = reports["echo"]
    assert crashed.state == "failed"
    assert crashed.error == str(caught.value)
    assert "boom" in crashed.error
    assert (crashed.written, crashed.unchanged, crashed.failed, crashed.files_written) == (
        0, 0, 0, 0)
    assert crashed.out == str(tmp_path / "echo")
    assert report.as_dict()["publishers"][targets.index(crashing)]["state"] == "failed"
    assert (tmp_path / "other").is_dir() is not dry_run
    assert not (tmp_path / "echo").exists()


class GcProbe(EchoPublisher):
    """Notes whether the cyclic collector runs while it publishes."""

    name = "gcprobe"
    collecting: ClassVar[list[bool]] = []

    def publish(self, job: gd.Job) -> None:
        GcProbe.collecting.append(gc.isenabled())
        super().publish(job)


@pytest.mark.parametrize("crash", [False, True])
@pytest.mark.parametrize("enabled", [True, False])
def test_the_cyclic_collector_is_paused_for_a_run_and_restored(tmp_path: Path, crash: bool,
                                                                enabled: bool) -> None:
    """The pipeline's bulk work runs without the cyclic collector (it makes no cycles);
    the caller's setting is back afterwards, also when the publisher fails."""
    GcProbe.collecting.clear()
    (gc.enable if enabled else gc.disable)()
    try:
        with contextlib.nullcontext() if not crash else pytest.raises(gd.PublishError):
            gd.publish(catalog(disclosure("a")), [GcProbe], tmp_path, as_of=AS_OF,
                       options={"gcprobe": {"crash": crash}})
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
    assert GcProbe.collecting == [False]


def test_a_site_build_is_freed_when_the_run_ends(tmp_path: Path) -> None:
    """The site's look-ups (every record, by key, type and agency) do not wait for the
    cyclic collector, which a run pauses: they go when the run ends."""
    records = [disclosure(f"d{i}", f"Title {i}") for i in range(3)]
    gc.collect()
    gc.disable()
    try:
        gd.publish(catalog(*records), "site", tmp_path, as_of=AS_OF)
        kept = [o for o in gc.get_objects() if isinstance(o, SiteIndex)]
    finally:
        gc.enable()
    assert kept == []


@pytest.mark.parametrize("prefix", ["../", "/abs/", "a/../../", "sp ace/"])
def test_output_paths_cannot_escape(tmp_path: Path, prefix: str) -> None:
    """A publisher cannot write outside its folder, whatever path it asks for."""
    with pytest.raises(gd.PublishError, match="unsafe output path"):
        gd.publish(catalog(disclosure("a")), [EchoPublisher], tmp_path / "out", as_of=AS_OF,
                   options={"echo": {"path_prefix": prefix}})
    assert not list((tmp_path / "out").glob("echo"))


class PathWriter(EchoPublisher):
    """Removes, then writes, the paths of its ``plan`` (each file holding its path)."""

    name = "paths"
    plan: ClassVar[tuple[tuple[str, ...], tuple[str, ...]]] = ((), ())

    def publish(self, job: gd.Job) -> None:
        """Carry out the plan."""
        removes, writes = self.plan
        for path in removes:
            job.remove(path)
        for path in writes:
            job.write(path, path)


DEEP = "/".join(["d" * 200] * 25) + "/x.json"  # each name short enough, the path not


@pytest.mark.parametrize(("writes", "message"), [
    (("a/b.json", "a/"), "cannot write 'a/': a path ending with '/' names a folder, not a file"),
    (("a/b.json", "a"), "cannot write 'a': it is a folder of the output, which holds files"),
    (("a.json", "a.json/b.json"), "cannot write 'a.json/b.json': 'a.json' is a file of the "
                                  "output, not a folder (remove it first)"),
    (("g" * 300 + ".json",), f"output path '{'g' * 80}...': a name of 305 characters (file "
                             "systems take at most 255)"),
    ((DEEP,), f"cannot write '{DEEP[:80]}...': the path is too long for the file system"),
], ids=["trailing-slash", "file-over-folder", "folder-over-file", "long-name", "long-path"])
@pytest.mark.parametrize("workers", [1, 2], ids=["writer-threads", "in-line"])
def test_a_path_the_output_cannot_hold_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                writes: tuple[str, ...], message: str,
                                                workers: int) -> None:
    """A path that a file cannot have (a folder's, one below a file, a name or path too
    long for the file system) fails the target with a PublishError naming the path as the
    publisher wrote it, never an OSError naming the staging folder."""
    monkeypatch.setattr(PathWriter, "plan", ((), writes))
    with pytest.raises(gd.PublishError) as caught:
        gd.publish(catalog(), [PathWriter], tmp_path / "out", as_of=AS_OF, workers=workers)
    assert str(caught.value) == f"publisher 'paths' failed: PublishError: {message}"
    assert str(tmp_path) not in str(caught.value)
    assert not (tmp_path / "out" / "paths").exists()


def test_a_folder_and_a_file_trade_places_once_emptied(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A file may take the place of a folder of the last output once its files are
    removed, and a folder that of a removed file, also in the releases recycled after;
    while the files are there, the error names the path, and the last output stays."""
    out = tmp_path / "out"

    def run_plan(removes: tuple[str, ...], writes: tuple[str, ...], hours: int) -> None:
        monkeypatch.setattr(PathWriter, "plan", (removes, writes))
        gd.publish(catalog(), [PathWriter], out, as_of=AS_OF + dt.timedelta(hours=hours),
                   workers=1)

    run_plan((), ("a/b.json", "c.json"), 0)
    with pytest.raises(gd.PublishError, match="cannot write 'a': it is a folder of the output"):
        run_plan((), ("a",), 1)
    with pytest.raises(gd.PublishError, match=r"'c\.json' is a file of the output"):
        run_plan((), ("c.json/d.json",), 2)
    assert sorted(snapshot(out)) == ["paths/a/b.json", "paths/c.json"]
    run_plan(("a/b.json", "c.json"), ("a", "c.json/d.json"), 3)
    assert {path: (out / path).read_text() for path in snapshot(out)} == {
        "paths/a": "a", "paths/c.json/d.json": "c.json/d.json"}
    run_plan((), ("e.json",), 4)  # starts from the first release, relinked where they differ
    assert sorted(snapshot(out)) == ["paths/a", "paths/c.json/d.json", "paths/e.json"]


@pytest.mark.parametrize("workers", [1, 2], ids=["writer-threads", "in-line"])
def test_a_full_run_rebuilds_a_layout_where_files_and_folders_trade_places(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    """A full run (what a publisher's new ``version`` forces) starts over: a file where a
    folder of the last output was, and a folder where its file was, need no removes."""
    out = tmp_path / "out"
    monkeypatch.setattr(PathWriter, "plan", ((), ("a/b.json", "a/c/d.json", "c.json", "k.json")))
    gd.publish(catalog(), [PathWriter], out, as_of=AS_OF, workers=workers)
    monkeypatch.setattr(PathWriter, "plan", ((), ("a", "c.json/d.json", "k.json")))
    report = gd.publish(catalog(), [PathWriter], out, as_of=AS_OF + dt.timedelta(hours=1),
                        full=True, workers=workers)
    assert {path: (out / path).read_text() for path in snapshot(out)} == {
        "paths/a": "a", "paths/c.json/d.json": "c.json/d.json", "paths/k.json": "k.json"}
    (target,) = report.publishers
    assert (target.files_written, target.files_removed) == (2, 3)


@given(st.text(alphabet="a.Z9/_- \\", max_size=12))
def test_safe_paths_are_plain_relative_and_normal(path: str) -> None:
    """An output path is accepted only as plain parts below the folder, and comes back
    normalised: no empty, ``.`` or ``..`` part, no leading slash."""
    parts = PurePosixPath(path).parts
    plain = bool(parts) and not path.startswith("/") and all(
        re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._@+=-]*", part) for part in parts)
    if plain:
        assert safe_relpath(path) == "/".join(parts)
    else:
        with pytest.raises(gd.PublishError, match="unsafe output path"):
            safe_relpath(path)


def test_unknown_option_names_publisher_and_key(tmp_path: Path) -> None:
    """An option the publisher does not have is a ConfigError naming both."""
    with pytest.raises(gd.ConfigError) as caught:
        gd.publish(catalog(), [EchoPublisher], tmp_path, as_of=AS_OF,
                   options={"echo": {"colour": "red"}})
    assert (caught.value.publisher, caught.value.key) == ("echo", "colour")


@attrs.frozen
class ListOptions(EchoOptions):
    """Options with a list, as vendors write them."""

    ids: list[str] = attrs.Factory(list)
    indent: int = 2


class ListEcho(EchoPublisher):
    """The echo publisher with list options."""

    Options = ListOptions


@pytest.mark.parametrize(("table", "expected"), [
    ({"ids": "abc"}, "ids: expected a list, got a string"),
    ({"ids": {"a": 1}}, "ids: expected a list, got a table"),
    ({"indnet": 4, "indent": 1.5, "hook_warnig": True},
     "hook_warnig: unknown key; indent: expected an integer, got a float; indnet: unknown key"),
])
def test_every_bad_option_is_named_at_once(tmp_path: Path, table: dict[str, Any],
                                           expected: str) -> None:
    """A string is no list of characters, and every bad key of a table is named in one
    error (a typo no longer hides behind a wrong value)."""
    with pytest.raises(gd.ConfigError) as caught:
        gd.publish(catalog(), [ListEcho], tmp_path, as_of=AS_OF, options={"echo": table})
    assert str(caught.value).startswith(f"[publish.echo] {expected}")
    assert caught.value.key == expected.partition(":")[0]
    report = gd.publish(catalog(disclosure("a")), [ListEcho], tmp_path, as_of=AS_OF,
                        options={"echo": {"ids": ["a", "b"]}})
    assert report.publishers[0].written == 2


@attrs.frozen
class ScreenOptions:
    """Options with attrs' own validator, as vendors write them."""

    screen: str = attrs.field(default="portrait",
                              validator=attrs.validators.in_(["portrait", "landscape"]))


class ScreenEcho(EchoPublisher):
    """The echo publisher with a validated option."""

    Options = ScreenOptions


def test_options_are_checked_by_publisher_and_key(tmp_path: Path) -> None:
    """Options for a publisher the run does not publish are an error, not silently left
    unused (a misspelt name); a validator's error names its key."""
    with pytest.raises(gd.ConfigError, match=r"options for 'ehco', which this run does not "
                       r"publish \(to: echo\)"):
        gd.publish(catalog(), [EchoPublisher], tmp_path, as_of=AS_OF,
                   options={"ehco": {"crash": True}})
    with pytest.raises(gd.ConfigError) as caught:
        gd.publish(catalog(), [ScreenEcho], tmp_path, as_of=AS_OF,
                   options={"echo": {"screen": "diagonal"}})
    assert str(caught.value).startswith("[publish.echo] screen: 'screen' must be in")
    assert caught.value.key == "screen"


def configured(tmp_path: Path, config: str) -> Path:
    """A catalogue made by ``govdisclosure init`` with ``config`` as its govdisclosure.toml."""
    root = tmp_path / "cat"
    subprocess.run([sys.executable, "-m", "govdisclosure", "init", str(root)], check=True,
                   capture_output=True)
    (root / "govdisclosure.toml").write_text(config)
    return root


def test_api_options_go_over_the_file_key_by_key(tmp_path: Path) -> None:
    """``options=`` changes the keys it names; the file's other keys stay."""
    root = configured(tmp_path, '[publish.echo]\nfail = ["first-announcement"]\n'
                                'path_prefix = "x/"\n')
    report = gd.publish(gd.load_catalog(root), [EchoPublisher], tmp_path / "out", as_of=AS_OF,
                        options={"echo": {"path_prefix": "y/"}})
    assert report.publishers[0].failed == 1  # the file's fail list
    assert (tmp_path / "out" / "echo" / "y").is_dir()
    assert not (tmp_path / "out" / "echo" / "x").exists()


class NoInit:
    """Not a publisher: the pipeline cannot make it with its options."""

    name = "no-init"
    Options = EchoOptions
    audiences = ("public",)

    def publish(self, job: gd.Job) -> None:
        """Never called."""


def test_a_publisher_that_cannot_be_made_is_named(tmp_path: Path) -> None:
    """A class without ``__init__(options)`` is a ConfigError before anything runs."""
    with pytest.raises(gd.ConfigError, match=r"NoInit: must be made with no-init\(options\)"):
        gd.publish(catalog(), [NoInit], tmp_path, as_of=AS_OF)


def test_a_broken_package_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry point whose module raises or lacks the class is a ConfigError naming the
    publisher and the entry point; ``publishers`` still lists the others."""
    (tmp_path / "broken_pub.py").write_text("raise RuntimeError('half installed')\n")
    (tmp_path / "empty_pub.py").write_text("")
    info = tmp_path / "broken_pub-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-pub\nVersion: 0\n")
    (info / "entry_points.txt").write_text("[govdisclosure.publishers]\n"
                                           "broken = broken_pub:Broken\n"
                                           "missing = empty_pub:DoesNotExist\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry._third_party.cache_clear()
    registry.load_publisher.cache_clear()
    try:
        with pytest.raises(gd.ConfigError, match=r"publisher 'broken' \(broken_pub:Broken\) "
                           r"cannot be imported: RuntimeError: half installed"):
            gd.publish(catalog(), ["broken"], tmp_path / "out", as_of=AS_OF)
        with pytest.raises(gd.ConfigError, match="empty_pub has no class 'DoesNotExist'"):
            gd.publish(catalog(), ["missing"], tmp_path / "out", as_of=AS_OF)
        described = {entry["name"]: entry for entry in registry.describe_publishers()}
        assert "cannot be imported" in described["broken"]["error"]
        assert described["site"]["audiences"] == ["public", "internal"]
    finally:
        registry._third_party.cache_clear()
        registry.load_publisher.cache_clear()


def test_unknown_publisher_is_named(tmp_path: Path) -> None:
    """Asking for a publisher nobody installed is UnknownPublisher, listing what exists."""
    with pytest.raises(gd.UnknownPublisher, match="no publisher named 'nope'"):
        gd.publish(catalog(), ["nope"], tmp_path, as_of=AS_OF)


def test_ledger_detects_an_edited_row(tmp_path: Path) -> None:
    """Changing any receipt breaks the hash chain at that row."""
    run(catalog(disclosure("a"), disclosure("b")), tmp_path)
    with sqlite3.connect(state_path(tmp_path)) as db:
        db.execute("UPDATE ledger SET at = '2001-01-01T00:00:00+08:00' WHERE seq = 1")
    with StateStore(state_path(tmp_path)) as store, pytest.raises(gd.LedgerError, match="1"):
        store.verify()


@pytest.mark.parametrize("seq", [1, 2, 3])
def test_ledger_detects_a_deleted_row(tmp_path: Path, seq: int) -> None:
    """Deleting a receipt, the last one included, is detected."""
    run(catalog(disclosure("a"), disclosure("b")), tmp_path)
    with sqlite3.connect(state_path(tmp_path)) as db:
        db.execute("DELETE FROM ledger WHERE seq = ?", (seq,))
    with StateStore(state_path(tmp_path)) as store, pytest.raises(gd.LedgerError):
        store.verify()


def lose_state(out: Path, how: str) -> None:
    """Empty (truncate to 0 bytes) or delete the state store of ``out``."""
    if how == "emptied":
        state_path(out).write_bytes(b"")
    else:
        state_path(out).unlink()


LOST = "holds published output: the ledger of its publications is lost"


@pytest.mark.parametrize("how", ["emptied", "deleted"])
def test_publishing_over_a_lost_state_store_warns_that_the_ledger_starts_anew(
        tmp_path: Path, how: str) -> None:
    """A state store emptied or deleted while published output exists: the run warns
    that a new ledger starts (the history of earlier publications is gone)."""
    first = run(catalog(disclosure("a")), tmp_path)
    lose_state(tmp_path, how)

    again = run(catalog(disclosure("a")), tmp_path)

    assert first.warnings == []
    assert [w for w in again.warnings if LOST in w and "a new ledger starts" in w], \
        again.warnings


@pytest.mark.parametrize("how", ["emptied", "deleted"])
def test_ledger_verify_never_calls_a_lost_ledger_intact(tmp_path: Path, how: str) -> None:
    """ledger verify: a lost state store beside published output, and later the new
    ledger started over that output, are reported as broken (exit 1), never as intact."""
    run(catalog(disclosure("a")), tmp_path)
    lose_state(tmp_path, how)
    verify = ["ledger", "verify", "--out", str(tmp_path)]

    lost = CliRunner().invoke(command.cli, verify)
    run(catalog(disclosure("a"), disclosure("b")), tmp_path)
    restarted = CliRunner().invoke(command.cli, verify)

    assert lost.exit_code == 1, lost.output
    assert LOST in " ".join(lost.output.split())
    assert restarted.exit_code == 1, restarted.output
    assert "the ledger was started anew" in restarted.output
    with StateStore(state_path(tmp_path)) as store, pytest.raises(
            gd.LedgerError, match="receipts of earlier publications are lost"):
        store.verify()


def test_a_run_as_of_a_future_instant_is_warned_of(tmp_path: Path) -> None:
    """--as-of later than now publishes what is embargoed until then, and dates its
    receipts then: allowed (a preview), but said; a run as of now is not warned of."""
    now = dt.datetime.now(dt.UTC)
    embargoed = attrs.evolve(disclosure("a"), publish_at=now + dt.timedelta(days=30))
    ahead = gd.publish(catalog(embargoed), [EchoPublisher], tmp_path / "ahead",
                       as_of=now + dt.timedelta(days=31))
    present = gd.publish(catalog(embargoed), [EchoPublisher], tmp_path / "now", as_of=now)
    assert [w for w in ahead.warnings if "later than now" in w], ahead.warnings
    assert not [w for w in present.warnings if "later than now" in w], present.warnings


def test_a_run_as_of_an_earlier_instant_is_warned_of_and_verify_says_so(
        tmp_path: Path) -> None:
    """Receipts prove when a record was published: a run --as-of an instant before the
    ledger's last receipt warns, and ``ledger verify`` (chain intact, exit 0) names the
    first receipt of that run as dated before earlier ones."""
    first = gd.publish(catalog(disclosure("a")), [EchoPublisher], tmp_path, as_of=AS_OF)
    back = gd.publish(catalog(disclosure("a", "changed")), [EchoPublisher], tmp_path,
                      as_of=AS_OF - dt.timedelta(days=400))
    result = CliRunner().invoke(command.cli, ["--json", "ledger", "verify", "--out",
                                              str(tmp_path)])

    assert first.warnings == []
    assert [w for w in back.warnings if "before the ledger's last receipt" in w], back.warnings
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["ok"] is True
    [warning] = document["warnings"]
    assert "disclosure:a, echo) is dated" in warning
    assert "before a receipt written earlier" in warning


def test_a_first_publication_starts_a_ledger_without_a_word(tmp_path: Path) -> None:
    """A new output folder (or one never published) is no lost ledger."""
    report = run(catalog(disclosure("a")), tmp_path / "new")

    result = CliRunner().invoke(command.cli, ["ledger", "verify", "--out",
                                              str(tmp_path / "new")])

    assert report.warnings == []
    assert result.exit_code == 0, result.output
    assert "hash chain intact" in result.output


def test_ledger_receipts_prove_first_publication(tmp_path: Path) -> None:
    """The ledger gives first-publication times, which the audit uses for timeliness."""
    run(catalog(disclosure("a")), tmp_path)
    later = AS_OF + dt.timedelta(days=3)
    gd.publish(catalog(disclosure("a", "changed")), [EchoPublisher], tmp_path, as_of=later)
    with StateStore(state_path(tmp_path)) as store:
        assert store.verify() == 3  # city, a published; a updated
        assert store.first_published()[("disclosure", "a")] == AS_OF
        assert [r.action for r in store.receipts("disclosure:a")] == ["published", "updated"]


def test_a_config_table_may_configure_a_publisher_given_as_a_class(tmp_path: Path) -> None:
    """``[publish.echo]`` is known when the echo publisher class is passed to publish()."""
    root = configured(tmp_path, '[publish.echo]\nfail = ["first-announcement"]\n')
    report = gd.publish(gd.load_catalog(root), [EchoPublisher], tmp_path / "out", as_of=AS_OF)
    assert report.publishers[0].failed == 1


def test_config_file_selects_publishers_and_options(tmp_path: Path) -> None:
    """govdisclosure.toml's [publish] table gives the defaults; bad keys are ConfigErrors."""
    root = configured(tmp_path, '[publish]\nto = ["signage"]\n\n[publish.signage]\nlimit = 1\n')
    cat = gd.load_catalog(root)
    report = gd.publish(cat, out=tmp_path / "out", as_of=AS_OF)
    assert [p.name for p in report.publishers] == ["signage"]
    (root / "govdisclosure.toml").write_text('[publish.signage]\nlimt = 1\n')
    with pytest.raises(gd.ConfigError, match="limt"):
        gd.publish(gd.load_catalog(root), ["signage"], out=tmp_path / "out", as_of=AS_OF)
    # every wrong table at once, not one per attempt
    (root / "govdisclosure.toml").write_text('[publish.signage]\nlimt = 1\n\n'
                                             '[publish.site]\npage_sise = 5\n')
    with pytest.raises(gd.ConfigError) as caught:
        gd.publish(gd.load_catalog(root), ["signage", "site"], out=tmp_path / "out",
                   as_of=AS_OF)
    assert [p.field for p in caught.value.problems] == [  # type: ignore[attr-defined]
        "publish.signage.limt", "publish.site.page_sise"]
    assert "limt" in str(caught.value)
    assert "page_sise" in str(caught.value)


TWICE = {
    "names": ["signage", "signage"],
    "classes": [EchoPublisher, "signage", EchoPublisher],
    "a-name-and-its-class": ["signage", registry.load_publisher("signage")],
}


@pytest.mark.parametrize("to", TWICE.values(), ids=TWICE.keys())
def test_a_publisher_named_twice_runs_once(tmp_path: Path, to: list[Any]) -> None:
    """A publisher given twice in ``to`` runs once, in its first place: one report and one
    receipt per record each, on a dry run as on a real one."""
    cat = catalog(disclosure("a"))
    expected = list(dict.fromkeys(e if isinstance(e, str) else e.name for e in to))

    dry = gd.publish(cat, to, tmp_path, as_of=AS_OF, dry_run=True)
    report = gd.publish(cat, to, tmp_path, as_of=AS_OF)

    assert [p.name for p in dry.publishers] == [p.name for p in report.publishers] == expected
    with StateStore(state_path(tmp_path)) as store:
        assert [(r.target, r.action) for r in store.receipts("disclosure:a")] == [
            (name, "published") for name in expected]


def test_two_publishers_of_one_name_are_refused(tmp_path: Path) -> None:
    """Two classes of one name would write into one folder: a ConfigError before anything
    is written."""
    class OtherEcho(EchoPublisher):
        """Another publisher named echo."""

    with pytest.raises(gd.ConfigError, match="two publishers named 'echo'") as caught:
        gd.publish(catalog(disclosure("a")), [EchoPublisher, OtherEcho], tmp_path / "out",
                   as_of=AS_OF)
    assert (caught.value.publisher, caught.value.key) == ("echo", "to")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("name", "owner"), [
    ("feeds", r"builtin: govdisclosure\.publishers\.feeds:FeedsPublisher"),
    ("signage", r"govdisclosure-signage: govdisclosure_signage:SignagePublisher"),
], ids=["built-in", "third-party"])
def test_a_class_named_as_an_installed_publisher_is_refused(tmp_path: Path, name: str,
                                                            owner: str) -> None:
    """A class given to ``publish`` under another installed publisher's name would write
    into its folder and take over its state and ledger: refused as a second entry point
    of that name is, naming both, before anything is written."""
    impostor = type("Impostor", (EchoPublisher,), {"name": name})
    out = tmp_path / "out"
    gd.publish(catalog(disclosure("a")), [name], out, as_of=AS_OF)
    before = snapshot(out)

    with pytest.raises(gd.ConfigError, match=rf"publisher class Impostor \([\w.]*test_pipeline\) "
                       rf"is named '{name}', as the installed publisher '{name}' \({owner}\)"
                       ) as caught:
        gd.publish(catalog(disclosure("a")), [impostor], out, as_of=AS_OF)
    assert caught.value.publisher == name
    assert snapshot(out) == before


def test_an_installed_publisher_may_be_given_as_its_class(tmp_path: Path) -> None:
    """The class a name is installed as is that publisher, given either way."""
    feeds = registry.load_publisher("feeds")
    by_class = gd.publish(catalog(disclosure("a")), [feeds], tmp_path / "class", as_of=AS_OF)
    gd.publish(catalog(disclosure("a")), ["feeds"], tmp_path / "name", as_of=AS_OF)
    assert [p.name for p in by_class.publishers] == ["feeds"]
    assert snapshot(tmp_path / "class") == snapshot(tmp_path / "name")


def test_a_wrong_table_outside_the_run_refuses_the_run(tmp_path: Path) -> None:
    """A wrong [publish.NAME] table of an installed publisher that the run does not
    publish is refused as validate refuses it, before anything is written."""
    root = configured(tmp_path, '[publish.site]\npage_sise = 5\n')
    with pytest.raises(gd.ConfigError) as caught:
        gd.publish(gd.load_catalog(root), ["signage"], tmp_path / "out", as_of=AS_OF)
    assert [p.field for p in caught.value.problems] == [  # type: ignore[attr-defined]
        "publish.site.page_sise"]
    assert not (tmp_path / "out").exists()


def test_a_wrong_publish_key_hides_no_wrong_table(tmp_path: Path) -> None:
    """A wrong key of [publish] is listed with the wrong tables, not instead of them."""
    root = configured(tmp_path, '[publish]\nout = 5\ntoo = 1\n\n'
                                '[publish.site]\npage_sise = 5\n')
    with pytest.raises(gd.ConfigError) as caught:
        gd.publish(gd.load_catalog(root), ["signage"], tmp_path / "out", as_of=AS_OF)
    assert [p.field for p in caught.value.problems] == [  # type: ignore[attr-defined]
        "publish.out", "publish.too", "publish.site.page_sise"]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line."""
    return subprocess.run([sys.executable, "-m", "govdisclosure", *args], capture_output=True,
                          text=True, check=False)


def test_as_of_may_be_a_date_or_a_naive_datetime_in_the_catalogue_zone(tmp_path: Path) -> None:
    """A date publishes at the end of that day, a naive datetime at that wall time, both in
    the catalogue's timezone (as ``--as-of`` and MODEL.md read them); other values are
    ConfigErrors."""
    zone = META.zone
    day = dt.date(2026, 2, 1)
    for as_of, expected in [
        (day, dt.datetime(2026, 2, 1, 23, 59, 59, tzinfo=zone)),
        (dt.datetime(2026, 2, 2, 9, 30),  # noqa: DTZ001 - naive on purpose
         dt.datetime(2026, 2, 2, 9, 30, tzinfo=zone)),
    ]:
        report = gd.publish(catalog(disclosure("a")), [EchoPublisher], tmp_path / str(as_of),
                            as_of=as_of)
        assert dt.datetime.fromisoformat(report.as_of) == expected
    with pytest.raises(gd.ConfigError, match="as_of"):
        gd.publish(catalog(), [EchoPublisher], tmp_path / "x", as_of="2026-02-01")  # type: ignore[arg-type]


def test_to_may_name_publishers_in_one_string(tmp_path: Path) -> None:
    """``to="a,b"`` means what ``--to a,b`` means, not a list of letters."""
    report = gd.publish(catalog(disclosure("a")), to=" signage ,site", out=tmp_path, as_of=AS_OF)
    assert [p.name for p in report.publishers] == ["signage", "site"]


def test_cli_publish_reports_json_and_ledger(tmp_path: Path) -> None:
    """`publish --json` reports per publisher; `ledger verify` and `ledger show` read it back."""
    root = tmp_path / "cat"
    cli("init", str(root))
    out = tmp_path / "out"
    done = cli("publish", str(root), "--to", "signage", "--out", str(out), "--as-of",
               "2026-02-01", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["publishers"][0]["name"] == "signage"
    assert report["publishers"][0]["written"] == 1  # the notice: signage shows no agencies
    assert cli("ledger", "verify", "--out", str(out)).returncode == 0
    shown = json.loads(cli("ledger", "show", "first-announcement", "--out", str(out),
                           "--json").stdout)
    assert shown["receipts"][0]["action"] == "published"
    assert cli("ledger", "show", "never", "--out", str(out)).returncode == 2


def test_cli_publish_on_a_terminal_shows_progress(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal, publish draws each publisher's progress on stderr, then its table."""
    root = tmp_path / "cat"
    cli("init", str(root))
    shown, progress = io.StringIO(), io.StringIO()
    monkeypatch.setattr(command, "console", Console(file=shown, force_terminal=True))
    monkeypatch.setattr(command, "err_console", Console(file=progress, force_terminal=True))

    done = CliRunner().invoke(command.cli, ["publish", str(root), "--to", "site", "--out",
                                            str(tmp_path / "out"), "--as-of", "2026-02-01"])

    assert done.exit_code == 0, done.output
    assert "site" in progress.getvalue()
    assert "published to" in shown.getvalue()


def test_cli_publish_bad_input_exits_2(tmp_path: Path) -> None:
    """Unusable arguments or catalogues give exit code 2 and no traceback."""
    root = tmp_path / "cat"
    cli("init", str(root))
    for args in (["--to", "nope"], ["--as-of", "yesterday"], ["--audience", "everyone"]):
        done = cli("publish", str(root), "--out", str(tmp_path / "out"), *args)
        assert done.returncode == 2, args
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "out" / "signage").exists()


def test_state_store_is_one_sqlite_file_in_the_output_root(tmp_path: Path) -> None:
    """The state lives in OUT/.govdisclosure/state.sqlite and targets are symlinked releases."""
    run(catalog(disclosure("a")), tmp_path)
    assert state_path(tmp_path) == tmp_path / ".govdisclosure" / "state.sqlite"
    assert state_path(tmp_path).is_file()
    assert (tmp_path / "echo").is_symlink()
    assert sorted(p.name for p in output_files(tmp_path)) == ["a.txt", "city.txt"]


def test_loaded_and_in_memory_records_hash_alike(tmp_path: Path) -> None:
    """A catalogue rebuilt in memory from loaded records is not seen as all changed."""
    root = tmp_path / "cat"
    cli("init", str(root))
    loaded = gd.load_catalog(root)
    run(loaded, tmp_path / "out")
    records = [attrs.evolve(r, title="Changed") if r.TYPE == "disclosure" else r for r in loaded]
    report = run(gd.Catalog(records=records, meta=loaded.meta), tmp_path / "out")
    assert (report.publishers[0].written, report.publishers[0].unchanged) == (1, 1)


def releases(out: Path) -> Path:
    """The release folders of the echo target."""
    return out / ".govdisclosure" / "releases" / "echo"


def test_incremental_runs_recycle_the_previous_release(tmp_path: Path) -> None:
    """From the third run on, the release before the current one is renamed and relinked
    where the two differ, instead of copying the whole tree; the output is what a full
    build gives, and the current release's files are never touched."""
    out = tmp_path / "out"
    versions = [catalog(disclosure("a"), disclosure("b"), disclosure(f"c{n}", title=f"T{n}"))
                for n in range(4)]
    run(versions[0], out)
    run(versions[1], out)  # copied (no manifest yet); c0 removed, c1 added
    second = (out / "echo").resolve()
    inode_of_first = {p.name: p.stat().st_ino for p in releases(out).iterdir() if p.is_dir()}
    manifest = json.loads((releases(out) / f"{second.name}.changes").read_text())
    assert sorted(manifest["paths"]) == ["disclosure/c0.txt", "disclosure/c1.txt"]
    a_before = (second / "disclosure" / "a.txt").stat().st_ino
    for n, version in enumerate(versions[2:]):
        run(version, out)
        run(version, tmp_path / f"fresh-{n}", full=True)
        assert snapshot(out) == snapshot(tmp_path / f"fresh-{n}")
    fourth = (out / "echo").resolve()
    assert fourth.stat().st_ino in inode_of_first.values()  # a renamed folder, not a new one
    assert (fourth / "disclosure" / "a.txt").stat().st_ino == a_before  # a link, not a copy
    assert not (fourth / "disclosure" / "c0.txt").exists()
    # the current release and the one before it (for readers still on it, and to recycle)
    assert len([p for p in releases(out).iterdir() if p.is_dir()]) == 2
    run(versions[3], out, full=True)  # a full build that changes nothing lists no path
    manifest = json.loads((releases(out) / f"{(out / 'echo').resolve().name}.changes")
                          .read_text())
    assert manifest == {"from": fourth.name, "paths": []}


def test_an_unchanged_run_keeps_its_copy_for_the_next_run(tmp_path: Path) -> None:
    """Right after the first build the next run copies the release before it knows that
    nothing changed; the copy is kept (the current release's manifest names it, with no
    path) and the next changed run starts from it by renaming it: no second copy."""
    out = tmp_path / "out"
    run(catalog(disclosure("a"), disclosure("b")), out)
    first = (out / "echo").resolve()
    report = run(catalog(disclosure("a"), disclosure("b")), out)
    assert report.publishers[0].files_written == 0
    assert (out / "echo").resolve() == first  # no new release
    manifest = json.loads((releases(out) / f"{first.name}.changes").read_text())
    spare = releases(out) / manifest["from"]
    assert manifest["paths"] == []
    assert snapshot(spare) == snapshot(first)
    spare_inode = spare.stat().st_ino
    run(catalog(disclosure("a"), disclosure("b", title="New")), out)
    assert (out / "echo").resolve().stat().st_ino == spare_inode  # renamed, not copied
    assert (out / "echo" / "disclosure" / "a.txt").stat().st_ino \
        == (first / "disclosure" / "a.txt").stat().st_ino
    run(catalog(disclosure("a"), disclosure("b", title="New")), tmp_path / "fresh", full=True)
    assert snapshot(out) == snapshot(tmp_path / "fresh")


@pytest.mark.parametrize("manifest", [
    '{"from": "000001", "paths": ["../../../../keep.txt"]}',  # OUT/keep.txt
    '{"from": "../x", "paths": []}',
    '{"from": "000001"}',
    "not json",
])
def test_a_bad_manifest_means_a_full_copy(tmp_path: Path, manifest: str) -> None:
    """A manifest that is damaged, or names paths outside the release, is not used."""
    out = tmp_path / "out"
    run(catalog(disclosure("a")), out)
    run(catalog(disclosure("a", title="Two")), out)
    (out / "keep.txt").write_text("not the publisher's")
    current = (out / "echo").resolve()
    (releases(out) / f"{current.name}.changes").write_text(manifest)
    run(catalog(disclosure("a", title="Three")), out)
    run(catalog(disclosure("a", title="Three")), tmp_path / "fresh", full=True)
    assert (out / "keep.txt").read_text() == "not the publisher's"
    (out / "keep.txt").unlink()
    assert snapshot(out) == snapshot(tmp_path / "fresh")


def test_first_publication_compares_instants_not_text(tmp_path: Path) -> None:
    """A run at 23:00+08:00 is earlier than a later run at 16:30Z, whose text sorts first."""
    early = dt.datetime(2002, 3, 1, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    gd.publish(catalog(disclosure("a")), [EchoPublisher], tmp_path, as_of=early)
    later = dt.datetime(2002, 3, 1, 16, 30, tzinfo=dt.UTC)  # 2002-03-02 00:30 in +08:00
    gd.publish(catalog(disclosure("a", "changed")), [EchoPublisher], tmp_path, as_of=later)
    with StateStore(state_path(tmp_path)) as store:
        assert store.first_published()[("disclosure", "a")] == early


def test_a_publisher_needs_no_version(tmp_path: Path) -> None:
    """A publisher class with only a name, an attrs Options class and audiences runs."""

    class Minimal:
        name = "minimal"
        audiences = ("public",)

        @attrs.frozen
        class Options:
            """No options."""

        def __init__(self, options: object) -> None:
            self.options = options

        def publish(self, job: gd.Job) -> None:
            job.write("count.txt", str(len(job.records)))

    report = gd.publish(catalog(disclosure("a")), [Minimal], tmp_path, as_of=AS_OF)
    assert (tmp_path / "minimal" / "count.txt").read_text() == "2"
    assert report.publishers[0].written == 2


def test_a_changed_template_beside_a_publisher_means_a_full_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that is not Python in a publisher's package (a template, a kiosk's script)
    changes the output as a new ``version`` does: the next run is full without a bump;
    a changed Python file does not."""
    package = tmp_path / "src" / "templated_pub"
    (package / "templates").mkdir(parents=True)
    (package / "templates" / "page.txt").write_text("v1 {n}")
    (package / "__init__.py").write_text(
        "from pathlib import Path\n"
        "import attrs\n"
        "import govdisclosure as gd\n"
        "class Templated(gd.BasePublisher):\n"
        "    name = 'templated'\n"
        "    audiences = ('public',)\n"
        "    Options = attrs.make_class('Options', {})\n"
        "    rendered = []\n"
        "    def publish(self, job):\n"
        "        text = (Path(__file__).parent / 'templates' / 'page.txt').read_text()\n"
        "        for record in job.records:\n"
        "            if job.must_render(record):\n"
        "                self.rendered.append(record.id)\n"
        "                job.write(f'{record.TYPE}/{record.id}.txt', text.format(n=record.id))\n")
    monkeypatch.syspath_prepend(str(tmp_path / "src"))
    from templated_pub import Templated  # type: ignore[import-not-found]

    def run() -> bool:
        """Whether a run of the same records rendered them (a full run)."""
        assets_digest.cache_clear()  # a new process after an upgrade
        Templated.rendered.clear()
        gd.publish(catalog(disclosure("a")), [Templated], tmp_path / "out", as_of=AS_OF)
        return bool(Templated.rendered)

    assert run()
    assert not run()
    (package / "__init__.py").write_text((package / "__init__.py").read_text() + "# edit\n")
    assert not run()
    (package / "templates" / "page.txt").write_text("v2 {n}")
    assert run()
    assert (tmp_path / "out" / "templated" / "disclosure" / "a.txt").read_text() == "v2 a"


class Fingerprinted(EchoPublisher):
    """The echo publisher whose output also depends on a file outside the records (as the
    site's on its theme folder): its ``fingerprint`` is the file's text, or it raises."""

    name = "fingerprinted"
    roots: ClassVar[list[Path | None]] = []
    full: ClassVar[list[bool]] = []

    def fingerprint(self, root: Path | None) -> str:
        """The text of ``look.txt`` in the catalogue folder."""
        Fingerprinted.roots.append(root)
        return (root / "look.txt").read_text() if root else ""

    def publish(self, job: gd.Job) -> None:
        """As the echo publisher; notes whether the run is full."""
        Fingerprinted.full.append(job.full)
        super().publish(job)


def test_a_changed_fingerprint_means_a_full_run(tmp_path: Path) -> None:
    """A publisher's optional ``fingerprint(root)`` is part of its options: the same
    answer runs nothing, another one makes the run full; ``root`` is the catalogue folder.
    A fingerprint that raises fails its target as a whole, the old output kept."""
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "look.txt").write_text("blue")
    cat = gd.Catalog([CITY, disclosure("a")], META, root=folder)

    def run() -> bool:
        """Whether a run of the same records is full."""
        Fingerprinted.full.clear()
        gd.publish(cat, [Fingerprinted], tmp_path / "out", as_of=AS_OF)
        return Fingerprinted.full == [True]

    assert run()
    assert not run()
    (folder / "look.txt").write_text("green")
    assert run()
    assert not run()
    assert set(Fingerprinted.roots) == {folder}
    before = snapshot(tmp_path / "out")
    (folder / "look.txt").unlink()
    with pytest.raises(gd.PublishError, match="FileNotFoundError") as caught:
        run()
    assert caught.value.publisher == "fingerprinted"
    assert snapshot(tmp_path / "out") == before


def test_a_later_instant_with_the_same_records_updates_what_time_changes(tmp_path: Path) -> None:
    """Publishing the same records at a later instant runs the publishers: the site equals
    a full build at that instant, the feeds close the month that ended; the same instant
    again writes nothing."""
    root = Path(__file__).resolve().parents[2] / "examples" / "jilin-2002"
    cat = gd.load_catalog(root)
    as_of = dt.datetime(2002, 12, 31, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    later = as_of + dt.timedelta(days=40)
    gd.publish(cat, ["feeds", "site"], tmp_path / "out", as_of=as_of)
    assert not (tmp_path / "out" / "feeds" / "archive" / "all" / "2002-12.atom").exists()
    gd.publish(cat, ["feeds", "site"], tmp_path / "out", as_of=later)
    gd.publish(cat, ["site"], tmp_path / "fresh", as_of=later, full=True)
    assert snapshot(tmp_path / "out" / "site") == snapshot(tmp_path / "fresh" / "site")
    assert (tmp_path / "out" / "feeds" / "archive" / "all" / "2002-12.atom").is_file()
    again = gd.publish(cat, ["feeds", "site"], tmp_path / "out", as_of=later)
    assert [p.files_written for p in again.publishers] == [0, 0]


def test_receipts_and_counts_are_for_the_records_a_publisher_shows(tmp_path: Path) -> None:
    """The site counts hotline calls but shows none, feeds show no agency or case: the
    ledger proves only what each output made public, and the report counts only that.
    (The site shows the cases an item's page lists as result notices, those of named
    organisations, and the audit's results.not_published reads their receipts; a
    person's case is only counted.)"""
    root = Path(__file__).resolve().parents[2] / "examples" / "jilin-2002"
    catalog_ = gd.load_catalog(root)
    report = gd.publish(catalog_, to=["site", "feeds"], out=tmp_path, as_of=AS_OF)
    with StateStore(state_path(tmp_path)) as store:
        targets = {(r.target, r.type) for r in store.receipts()}
    assert ("site", "hotline_call") not in targets
    assert ("feeds", "agency") not in targets
    assert ("feeds", "case") not in targets
    assert {("site", "disclosure"), ("site", "agency"), ("site", "case"),
            ("feeds", "disclosure")} <= targets
    site, feeds = report.publishers
    pages = [r for r in catalog_ if r.TYPE != "hotline_call" and gd.is_publishable(r, AS_OF)
             and (not isinstance(r, gd.Case) or (r.applicant_kind == "organisation"
                                                 and r.applicant_name and r.decided_at))]
    assert any(isinstance(r, gd.Case) for r in pages)
    assert site.written + site.withdrawn == len(pages)
    assert feeds.written + feeds.withdrawn < site.written + site.withdrawn
    # the audit reads result notices from the site's case receipts: none is missing,
    # but the whole year's were first published on its last day, late but for December's
    report_ = gd.audit(catalog_, as_of=AS_OF.date(),
                       first_published=gd.publishing.first_published(tmp_path))
    assert report_.findings
    results = [f for f in report_.findings if f.code == "results.not_published"]
    assert results
    assert all(f.evidence["missing"] == 0 and not f.ongoing for f in results)


def test_one_instant_spelled_two_ways_gives_the_same_output(tmp_path: Path) -> None:
    """``--as-of 2002-12-31T18:00:00+08:00`` and ``...T10:00:00Z`` are one instant: the
    same bytes, and the second run is not a new instant for the state store."""
    root = Path(__file__).resolve().parents[2] / "examples" / "jilin-2002"
    catalog_ = gd.load_catalog(root)
    east = dt.datetime(2002, 12, 31, 18, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    first = gd.publish(catalog_, to=["site"], out=tmp_path / "a", as_of=east)
    gd.publish(catalog_, to=["site"], out=tmp_path / "b", as_of=east.astimezone(dt.UTC))
    assert first.as_of == "2002-12-31T18:00:00+08:00"
    tree = {p.relative_to(tmp_path / "a" / "site"): p.read_bytes()
            for p in (tmp_path / "a" / "site").rglob("*") if p.is_file()}
    assert len(tree) > 100
    assert tree == {p.relative_to(tmp_path / "b" / "site"): p.read_bytes()
                    for p in (tmp_path / "b" / "site").rglob("*") if p.is_file()}
    again = gd.publish(catalog_, to=["site"], out=tmp_path / "a", as_of=east.astimezone(dt.UTC))
    assert again.publishers[0].files_written == 0


def test_an_unchanged_catalogue_published_again_later_writes_nothing(tmp_path: Path) -> None:
    """ADAPTERS.md: "Re-publishing an unchanged catalogue writes nothing", also at a later
    instant (the default, now) that changes no page: no file, no new release."""
    root = Path(__file__).resolve().parents[2] / "examples" / "jilin-2002"
    catalog_ = gd.load_catalog(root)
    first = dt.datetime(2003, 6, 1, 9, tzinfo=dt.UTC)
    gd.publish(catalog_, to=["site", "feeds"], out=tmp_path, as_of=first)
    release = (tmp_path / "site").resolve()
    again = gd.publish(catalog_, to=["site", "feeds"], out=tmp_path,
                       as_of=first + dt.timedelta(minutes=5))
    assert [(p.name, p.files_written, p.files_removed) for p in again.publishers] == [
        ("site", 0, 0), ("feeds", 0, 0)]
    assert (tmp_path / "site").resolve() == release
    # at the same instant again not even the bookkeeping changes (the state store, the
    # releases' manifests): no file under the root is written
    files = {path: path.stat().st_mtime_ns for path in tmp_path.rglob("*") if path.is_file()}
    gd.publish(catalog_, to=["site", "feeds"], out=tmp_path,
               as_of=first + dt.timedelta(minutes=5))
    assert {path: path.stat().st_mtime_ns
            for path in tmp_path.rglob("*") if path.is_file()} == files


@pytest.mark.parametrize("name", ["../escape", "a/b", "", ".hidden", "Acme Kiosk", "x" * 65, 7])
def test_a_publisher_name_that_is_no_folder_name_is_refused(tmp_path: Path,
                                                            name: object) -> None:
    """A publisher's name is its output folder: one that could leave ``out`` (or is no
    name at all) is a ConfigError, and nothing is written anywhere."""
    cls = type("Named", (EchoPublisher,), {"name": name})

    with pytest.raises(gd.ConfigError, match="is not a publisher name"):
        gd.publish(catalog(disclosure("d1")), [cls], tmp_path / "out", as_of=AS_OF)
    assert list(tmp_path.iterdir()) == []


def test_an_entry_point_must_carry_its_class_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry point ``mismatch`` whose class calls itself ``feeds`` would write into, and
    share the state of, another publisher: refused, naming both."""
    from importlib.metadata import EntryPoint

    from govdisclosure.publishing import registry

    point = EntryPoint("mismatch", "govdisclosure.publishers.feeds:FeedsPublisher",
                       registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry, "_third_party", lambda: {"mismatch": [point]})
    registry.load_publisher.cache_clear()
    try:
        with pytest.raises(gd.ConfigError, match=r"'mismatch'.*calls itself 'feeds'"):
            registry.load_publisher("mismatch")
    finally:
        registry.load_publisher.cache_clear()


def test_a_full_run_leaves_no_empty_folders(tmp_path: Path) -> None:
    """Files a full run no longer writes go, and so do the folders they leave empty."""
    records = catalog(disclosure("a"))
    gd.publish(records, [EchoPublisher], tmp_path, as_of=AS_OF,
               options={"echo": {"path_prefix": "old/deep/"}})
    assert (tmp_path / "echo/old/deep/disclosure/a.txt").is_file()
    gd.publish(records, [EchoPublisher], tmp_path, as_of=AS_OF, full=True,
               options={"echo": {"path_prefix": "new/"}})
    release = (tmp_path / "echo").resolve()
    assert sorted(p.relative_to(release).as_posix() for p in release.rglob("*")) == [
        "new", "new/agency", "new/agency/city.txt", "new/disclosure", "new/disclosure/a.txt"]


def test_an_incremental_run_leaves_no_empty_folders(tmp_path: Path) -> None:
    """A record removed by an incremental run takes the folders it leaves empty along
    (an empty folder would still tell that something of its kind was there)."""
    release = gd.NewsRelease(id="n1", agency="city", headline="Release", issued_at=EARLIER)
    gd.publish(catalog(disclosure("a"), release), [EchoPublisher], tmp_path, as_of=AS_OF)
    out = tmp_path / "echo"
    assert (out / "news_release/n1.txt").is_file()
    gd.publish(catalog(disclosure("a")), [EchoPublisher], tmp_path, as_of=AS_OF)
    assert sorted(p.relative_to(out.resolve()).as_posix() for p in out.resolve().rglob("*")) == [
        "agency", "agency/city.txt", "disclosure", "disclosure/a.txt"]


class HistoryProbe(EchoPublisher):
    """The echo publisher writing what the state view says of each record's publication."""

    name = "history"

    def publish(self, job: gd.Job) -> None:
        def one(record: gd.Record) -> None:
            times = job.published(record)
            job.write(f"{record.id}.txt", "new" if times is None else
                      " ".join(t.isoformat() for t in times))

        job.parallel(one, job.records, min_share=1)


def test_the_state_view_gives_first_and_last_publication(tmp_path: Path) -> None:
    """ADAPTERS.md: the state store holds first/last publication times per target and
    record, and a publisher's context has a state view: ``job.published`` reads them, in a
    forked worker too. An unchanged record keeps its last publication."""
    later = AS_OF + dt.timedelta(days=2)
    gd.publish(catalog(disclosure("a"), disclosure("b")), [HistoryProbe], tmp_path,
               as_of=AS_OF, workers=2)
    assert (tmp_path / "history" / "a.txt").read_text() == "new"
    gd.publish(catalog(disclosure("a", "changed"), disclosure("b")), [HistoryProbe], tmp_path,
               as_of=later, workers=2, full=True)
    first = AS_OF.isoformat()
    assert (tmp_path / "history" / "a.txt").read_text() == f"{first} {first}"
    final = AS_OF + dt.timedelta(days=4)
    gd.publish(catalog(disclosure("a", "changed"), disclosure("b")), [HistoryProbe], tmp_path,
               as_of=final, workers=2, full=True)
    assert (tmp_path / "history" / "a.txt").read_text() == f"{first} {later.isoformat()}"
    assert (tmp_path / "history" / "b.txt").read_text() == f"{first} {first}"


class ModifiedProbe(EchoPublisher):
    """The echo publisher writing ``job.modified`` of each record, given its own dates."""

    name = "modified"

    def publish(self, job: gd.Job) -> None:
        def one(record: gd.Record) -> None:
            when = job.modified(record, record.issued_at, record.updated_at)
            job.write(f"{record.id}.txt", "none" if when is None else when.isoformat())

        job.parallel(one, job.records, min_share=1)


@pytest.mark.parametrize("full", [False, True])
def test_job_modified_dates_an_edit_by_its_publication(tmp_path: Path, full: bool) -> None:
    """``job.modified``: a record's own dates, and once an edit of it was published, the
    instant of that run (this one's ``as_of``, later its last publication of a new
    revision): on an incremental run as on a full one, in a forked worker too; a record
    new to the target keeps its own dates."""
    edit, later = AS_OF + dt.timedelta(days=2), AS_OF + dt.timedelta(days=5)

    def seen(*records: gd.Record, as_of: dt.datetime) -> dict[str, str]:
        gd.publish(catalog(*records), [ModifiedProbe], tmp_path, as_of=as_of, workers=2,
                   full=full)
        return {p.stem: p.read_text() for p in (tmp_path / "modified").glob("*.txt")}

    own = EARLIER.isoformat()
    assert seen(disclosure("a"), disclosure("b"), as_of=AS_OF) == {
        "a": own, "b": own, "city": "none"}
    assert seen(disclosure("a", "changed"), disclosure("b"), disclosure("c"), as_of=edit) == {
        "a": edit.isoformat(), "b": own, "c": own, "city": "none"}
    assert seen(disclosure("a", "changed"), disclosure("b"), disclosure("c"), as_of=later) == {
        "a": edit.isoformat(), "b": own, "c": own, "city": "none"}
    own_later = later + dt.timedelta(days=1)
    assert seen(disclosure("a", "changed", updated_at=own_later), as_of=later)["a"] == (
        own_later.isoformat())


def test_job_modified_is_a_function_of_the_job() -> None:
    """``job.modified`` reads ``updated`` (records whose new revision this run publishes,
    also at the instant of their first publication) and the times of the records the
    target published a new revision of (``revised_history``), whenever that was."""
    first, second = AS_OF - dt.timedelta(days=9), AS_OF - dt.timedelta(days=3)
    job = gd.Job(records=[], tombstones=[], meta=META, options=None, as_of=AS_OF,
                 audience="public", full=False, changed=frozenset(), removed=frozenset(),
                 writer=None, updated={("disclosure", "edited"): (first, first),
                                       ("disclosure", "again"): (AS_OF, AS_OF)},
                 revised_history=lambda: {("disclosure", "old"): (first, second),
                                          ("disclosure", "back"): (second, first)})
    early = dt.datetime(2002, 1, 1, tzinfo=dt.UTC)
    assert job.modified(("disclosure", "edited"), early) == AS_OF
    assert job.modified(("disclosure", "again"), early) == AS_OF  # the same instant: an edit
    assert job.modified(("disclosure", "old"), early) == second
    assert job.modified(("disclosure", "old"), AS_OF) == AS_OF
    assert job.modified(("disclosure", "back"), early) == first  # published backdated
    assert job.modified(("disclosure", "new"), early, None) == early
    assert job.modified(("disclosure", "new")) is None


def test_a_withdrawal_hashes_without_its_category() -> None:
    """The category only says where a withdrawal notice is listed: hashed as before
    tombstones carried it, so an upgrade does not publish every withdrawal again."""
    stone = tombstone_of(disclosure("w", category="budget", status="withdrawn",
                                    withdrawn=gd.Withdrawal(on=dt.date(2002, 5, 1),
                                                            reason="wrong")))
    assert stone.category == "budget"
    assert content_hash(stone) == content_hash(attrs.evolve(stone, category=None))
    assert content_hash(stone) != content_hash(attrs.evolve(stone, title="Other"))


def test_a_lock_that_is_a_symlink_is_refused_and_its_target_not_made(tmp_path: Path) -> None:
    """The lock is never opened through a symlink (it would make a file where it points)."""
    (tmp_path / "out/.govdisclosure").mkdir(parents=True)
    (tmp_path / "out/.govdisclosure/lock").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OSError, match="symbolic links"):
        run(catalog(disclosure("a")), tmp_path / "out")
    assert not (tmp_path / "elsewhere").exists()
    assert not (tmp_path / "out/echo").exists()


@pytest.mark.parametrize("to", [[], "", " , "])
def test_to_naming_no_publisher_is_refused_not_taken_for_every_one(
        tmp_path: Path, to: Any) -> None:
    """``to=[]`` (a system with no target enabled) runs nothing: refused as ``--to ''``
    is, not read as the default, which is every publisher, the webhook included."""
    with pytest.raises(gd.ConfigError, match="names no publisher"):
        gd.publish(catalog(disclosure("a")), to, tmp_path, as_of=AS_OF)
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("to", ["[]", '""'])
def test_a_file_whose_to_names_no_publisher_is_refused(tmp_path: Path, to: str) -> None:
    """``to = []`` in govdisclosure.toml is refused as ``to=[]`` is, naming the file and
    publish.to, not read as "every publisher" (the webhook included)."""
    root = configured(tmp_path, f"[publish]\nto = {to}\n")
    with pytest.raises(gd.ConfigError) as caught:
        gd.publish(gd.load_catalog(root), out=tmp_path / "out", as_of=AS_OF)
    assert [p.field for p in caught.value.problems] == ["publish.to"]  # type: ignore[attr-defined]
    assert "govdisclosure.toml: publish.to: names no publisher" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_a_file_may_name_publishers_in_one_string(tmp_path: Path) -> None:
    """``to = "signage, site"`` in the file means what ``--to signage,site`` means."""
    root = configured(tmp_path, '[publish]\nto = "signage, site"\n')
    report = gd.publish(gd.load_catalog(root), out=tmp_path / "out", as_of=AS_OF)
    assert [p.name for p in report.publishers] == ["signage", "site"]


def test_a_full_disk_names_the_file_and_keeps_the_live_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC while writing names no file by itself: the error names the one being
    written, and the previous output stays in place."""
    run(catalog(disclosure("a")), tmp_path)

    def full(fd: int, data: Any) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("govdisclosure.publishing.output.os.write", full)
    with pytest.raises(gd.PublishError, match=r"No space left on device: '.+/b\.txt'"):
        run(catalog(disclosure("a"), disclosure("b")), tmp_path, workers=1)
    assert (tmp_path / "echo/disclosure/a.txt").read_text() == "a Title\n"
    assert not (tmp_path / "echo/disclosure/b.txt").exists()
