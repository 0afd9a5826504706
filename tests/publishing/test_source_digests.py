"""Source digests: a record read from an unchanged source is not hashed again, and every
change of a source, of what shapes the record it becomes, or of a failed record's fate
still reaches the output."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.publishing.test_pipeline import EchoPublisher, run

import govdisclosure as gd
from govdisclosure.publishing import StateStore, selection, state_path
from govdisclosure.testing import AS_OF, snapshot

CATALOG = """[catalog]
name = "Test"
base_url = "https://example.gov/"
default_language = "en"
languages = ["en"]
timezone = "{zone}"
"""
AGENCIES = '[[agency]]\nid = "city"\nname = "City"\nlevel = "city"\n'


def line(ident: str, title: str) -> dict[str, Any]:
    """One disclosure as a JSONL record (a naive time: the catalogue's zone applies)."""
    return {"type": "disclosure", "id": ident, "agency": "city", "title": title,
            "issued_at": "2002-06-01T09:00:00"}


def write(root: Path, titles: dict[str, str], zone: str = "Asia/Shanghai") -> Path:
    """A catalogue folder: the city, and one JSONL line per disclosure; a Markdown record."""
    (root / "records").mkdir(parents=True, exist_ok=True)
    (root / "catalog.toml").write_text(CATALOG.format(zone=zone), encoding="utf-8")
    (root / "agencies.toml").write_text(AGENCIES, encoding="utf-8")
    text = "".join(json.dumps(line(i, t), ensure_ascii=False) + "\n" for i, t in titles.items())
    (root / "records" / "d.jsonl").write_text(text, encoding="utf-8")
    (root / "records" / "note.md").write_text(
        '+++\ntype = "disclosure"\nid = "note"\nagency = "city"\ntitle = "Note"\n'
        "issued_at = 2002-06-02T09:00:00\n+++\nBody.\n", encoding="utf-8")
    return root


@pytest.fixture(name="hashed")
def fixture_hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the records hashed (small selections are hashed in this process)."""
    seen: list[str] = []
    original = selection.content_hash

    def counting(value: Any) -> str:
        seen.append(value.id)
        return original(value)

    monkeypatch.setattr(selection, "content_hash", counting)
    return seen


def echo(catalog: gd.Catalog, out: Path, **kwargs: Any) -> gd.PublisherReport:
    """Publish with the echo test publisher; its report."""
    return run(catalog, out, **kwargs).publishers[0]


def test_unchanged_sources_are_not_hashed_again(tmp_path: Path, hashed: list[str]) -> None:
    """A second run hashes nothing; an edited line is hashed, and only it."""
    root = write(tmp_path / "cat", {"a": "A", "b": "B"})
    first = echo(gd.load_catalog(root), tmp_path / "out")
    assert sorted(hashed) == ["a", "b", "city", "note"]
    assert first.written == 4
    hashed.clear()
    again = echo(gd.load_catalog(root), tmp_path / "out")
    assert (hashed, again.unchanged, again.written) == ([], 4, 0)
    write(root, {"a": "A", "b": "B changed"})
    edited = echo(gd.load_catalog(root), tmp_path / "out")
    assert (hashed, edited.written) == (["b"], 1)
    assert (tmp_path / "out/echo/disclosure/b.txt").read_text() == "b B changed\n"


def test_a_new_source_with_the_same_content_is_not_a_new_revision(
        tmp_path: Path, hashed: list[str]) -> None:
    """Reformatting a line hashes the record again, finds the same hash, writes nothing;
    the new digest is kept, so the run after hashes nothing."""
    root = write(tmp_path / "cat", {"a": "A"})
    echo(gd.load_catalog(root), tmp_path / "out")
    path = root / "records" / "d.jsonl"
    path.write_text(json.dumps(line("a", "A"), separators=(",", ":")) + "\n",
                    encoding="utf-8")
    hashed.clear()
    report = echo(gd.load_catalog(root), tmp_path / "out")
    assert (hashed, report.written, report.unchanged) == (["a"], 0, 3)
    hashed.clear()
    echo(gd.load_catalog(root), tmp_path / "out")
    assert hashed == []
    receipts = list(StateStore(state_path(tmp_path / "out")).receipts("disclosure:a"))
    assert [r.action for r in receipts] == ["published"]


@pytest.mark.parametrize("change", ["zone", "version"])
def test_what_shapes_a_record_is_part_of_its_digest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    """The same bytes under another timezone (naive times move) or another version of the
    library (its model may read them otherwise) are another source."""
    root = write(tmp_path / "cat", {"a": "A"})
    before = gd.load_catalog(root)
    if change == "zone":
        write(root, {"a": "A"}, zone="UTC")
    else:
        monkeypatch.setattr(gd, "__version__", gd.__version__ + ".post1")
    after = gd.load_catalog(root)
    key = ("disclosure", "a")
    assert before.digests[key][1] != after.digests[key][1]
    assert before.source_digest(before.get(*key)) == before.digests[key][1]  # type: ignore[arg-type]


def test_edited_records_in_memory_are_hashed_again(tmp_path: Path, hashed: list[str]) -> None:
    """Records taken from a loaded catalogue keep their digests; an edited one (a new
    object under the same key) has none, whatever map is passed along."""
    root = write(tmp_path / "cat", {"a": "A", "b": "B"})
    loaded = gd.load_catalog(root)
    echo(loaded, tmp_path / "out")
    records = [attrs.evolve(r, title="B edited") if r.id == "b" else r for r in loaded]
    edited = gd.Catalog(records, loaded.meta, digests=loaded.digests)
    hashed.clear()
    report = echo(edited, tmp_path / "out")
    assert (hashed, report.written) == (["b"], 1)
    assert edited.source_digest(edited.get("disclosure", "b")) is None  # type: ignore[arg-type]


class Picky(gd.BasePublisher):
    """The echo publisher's files, but it cannot render a record whose title says FAIL."""

    name = "echo"
    Options = EchoPublisher.Options

    def publish(self, job: gd.Job) -> None:
        """Write ``<type>/<id>.txt`` for changed records."""
        for record in job.records:
            if job.full or (record.TYPE, record.id) in job.changed:
                title = gd.localize(record.label, "en", "en")
                if title.startswith("FAIL"):
                    job.fail(record, "cannot render")
                else:
                    job.write(f"{record.TYPE}/{record.id}.txt", f"{record.id} {title}\n")


def test_a_failed_record_is_retried_though_its_source_is_unchanged(tmp_path: Path) -> None:
    """A changed record that fails keeps its last good row (hash and source), so the next
    run with the same files sees it as changed and tries again."""
    root = write(tmp_path / "cat", {"a": "A", "bad": "Old"})
    out = tmp_path / "out"

    def picky() -> gd.PublisherReport:
        return gd.publish(gd.load_catalog(root), [Picky], out, as_of=AS_OF).publishers[0]

    picky()
    write(root, {"a": "A", "bad": "FAIL"})
    assert (picky().failed, picky().failed) == (1, 1)  # the same files: tried again
    assert (out / "echo/disclosure/bad.txt").read_text() == "bad Old\n"
    write(root, {"a": "A", "bad": "New"})
    assert (picky().written, picky().written) == (1, 0)
    assert (out / "echo/disclosure/bad.txt").read_text() == "bad New\n"


def test_a_state_store_from_before_source_digests_is_upgraded(tmp_path: Path) -> None:
    """A store whose records table has no source column gains one; nothing is republished."""
    root = write(tmp_path / "cat", {"a": "A"})
    echo(gd.load_catalog(root), tmp_path / "out")
    db = sqlite3.connect(state_path(tmp_path / "out"))
    db.execute("ALTER TABLE records DROP COLUMN source")
    db.commit()
    db.close()
    report = echo(gd.load_catalog(root), tmp_path / "out")
    assert (report.written, report.unchanged) == (0, 3)
    with StateStore(state_path(tmp_path / "out")) as store:
        rows = store.record_state("echo")
    assert all(source is not None for _, source in rows.values())


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.dictionaries(st.sampled_from("abcd"),
                                      st.sampled_from(["T1", "T2", "标题", ""]),
                                      max_size=4), min_size=1, max_size=5))
def test_incremental_runs_from_files_equal_a_full_build(
        tmp_path_factory: pytest.TempPathFactory, steps: list[dict[str, str]]) -> None:
    """Whatever sequence of file edits (titles changed, records added or dropped), each
    incremental run's output is a full build's of the same files."""
    base = tmp_path_factory.mktemp("steps")
    out = base / "out"
    for n, titles in enumerate(steps):
        kept = {ident: title for ident, title in titles.items() if title}
        root = write(base / "cat", kept)
        echo(gd.load_catalog(root), out)
        echo(gd.load_catalog(root), base / f"full-{n}", full=True)
        assert snapshot(out) == snapshot(base / f"full-{n}")
