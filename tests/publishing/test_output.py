"""The release folders: the hard-link copy a run starts from."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from govdisclosure.errors import PublishError
from govdisclosure.publishing import output
from govdisclosure.publishing.output import Release, StagingWriter

TREE = {
    "index.html": b"home",
    ".hidden": b"dot",
    "en/a/1.html": b"one",
    "en/b.html": b"bee",
    "zh-CN/a/1.html": b"yi",
    "static/site.css": b"css",
}


def _released(tmp_path: Path) -> tuple[Release, Path]:
    """An output root whose ``site`` target has one release holding :data:`TREE`."""
    release = Release(tmp_path, "site")
    first = release.stage(carry_over=False)
    for rel, data in TREE.items():
        (first / rel).parent.mkdir(parents=True, exist_ok=True)
        (first / rel).write_bytes(data)
    release.switch(first)
    return release, first


def _files(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("with_cp", [True, False])
def test_a_staged_copy_is_the_current_release_in_hard_links(tmp_path: Path, with_cp: bool,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """However it is made (``cp -al``, or here), the copy holds every file of the
    current release, top-level and hidden ones included, as links to the same inodes."""
    if not with_cp:
        monkeypatch.setattr(output, "_CP", None)
    elif output._CP is None or not sys.platform.startswith("linux"):
        pytest.skip("GNU cp on Linux only")
    release, current = _released(tmp_path)
    staging = release.stage(carry_over=True)
    assert _files(staging) == _files(current)
    assert set(_files(staging)) == set(TREE)


def test_a_failed_copy_fails_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy that fails is a PublishError naming the target."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the copy runs in processes on Linux only")
    release, _ = _released(tmp_path)
    monkeypatch.setattr(output, "_CP", shutil.which("false"))
    with pytest.raises(PublishError, match="cannot copy the current release") as caught:
        release.stage(carry_over=True)
    assert caught.value.publisher == "site"


def test_a_tampered_file_of_the_output_reads_as_none(tmp_path: Path) -> None:
    """What the output never holds (a link, to a file outside or to a device; a FIFO) is
    read as no file: a run neither hangs on it nor takes another file's bytes for its own."""
    release = tmp_path / "release"
    release.mkdir()
    outside = tmp_path / "outside.atom"
    outside.write_bytes(b"OUTSIDE")
    (release / "plain.atom").write_bytes(b"ours")
    (release / "link.atom").symlink_to(outside)
    (release / "zero.atom").symlink_to("/dev/zero")
    os.mkfifo(release / "fifo.atom")
    names = ["plain.atom", "link.atom", "zero.atom", "fifo.atom"]
    writer = StagingWriter(release, dict.fromkeys(names, "0" * 64), threads=0)
    assert [writer.read(name) for name in names] == [b"ours", None, None, None]
