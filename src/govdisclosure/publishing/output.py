"""Atomic output: each target is built in a release folder and switched in by a symlink flip.

``OUT/<target>`` is a symlink to ``OUT/.govdisclosure/releases/<target>/<n>``. A run copies
the current release as hard links into a new one, writes only what changed (a file is
replaced, never modified in place, so the old release keeps its bytes), then replaces the
symlink with ``os.replace``. A crash at any moment leaves the previous complete release
in place; leftovers of a crashed run are removed by the next.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path, PurePosixPath

from ..errors import PublishError

__all__ = ["Release", "StagingWriter", "safe_relpath"]

_SAFE_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+=-]*")


def safe_relpath(path: str) -> str:
    """A relative POSIX path with no ``..``, no absolute start and only plain characters.

    Raises:
        PublishError: the path could escape the output folder or is not portable.
    """
    parts = PurePosixPath(path).parts
    if not parts or path.startswith("/") or any(
        part in ("..", ".") or not _SAFE_PART.fullmatch(part) for part in parts
    ):
        raise PublishError(f"unsafe output path {path!r}")
    return "/".join(parts)


class StagingWriter:
    """Writes files into a release folder, skipping bytes that are already there."""

    def __init__(self, root: Path, previous: dict[str, str]) -> None:
        self.root = root
        self.files = dict(previous)
        self.written = 0
        self.unchanged = 0
        self.removed = 0
        self.bytes = 0
        self._made: set[Path] = set()

    def write(self, path: str, data: bytes) -> None:
        """Write ``data`` at ``path`` unless the same bytes are already there."""
        rel = safe_relpath(path)
        digest = hashlib.sha256(data).hexdigest()
        if self.files.get(rel) == digest:
            self.unchanged += 1
            return
        target = self.root / rel
        parent = target.parent
        if parent not in self._made:
            parent.mkdir(parents=True, exist_ok=True)
            self._made.add(parent)
        temp = parent / f".{target.name}.tmp"
        temp.write_bytes(data)
        os.replace(temp, target)
        self.files[rel] = digest
        self.written += 1
        self.bytes += len(data)

    def remove(self, path: str) -> None:
        """Remove ``path`` from the release (no error if absent)."""
        rel = safe_relpath(path)
        if self.files.pop(rel, None) is not None:
            (self.root / rel).unlink(missing_ok=True)
            self.removed += 1

    def exists(self, path: str) -> bool:
        """Whether ``path`` is in the release."""
        return safe_relpath(path) in self.files

    def read(self, path: str) -> bytes | None:
        """The bytes at ``path`` in the release, or None."""
        rel = safe_relpath(path)
        return (self.root / rel).read_bytes() if rel in self.files else None

    @property
    def changed(self) -> bool:
        """Whether anything was written or removed."""
        return bool(self.written or self.removed)


class Release:
    """The release folders and the ``current`` symlink of one target in one output root."""

    def __init__(self, out: Path, target: str) -> None:
        self.link = out / target
        self.base = out / ".govdisclosure" / "releases" / target
        if self.link.exists() and not self.link.is_symlink():
            raise PublishError(f"{self.link} exists and is not managed by govdisclosure "
                               "(move it away or publish into another --out)", publisher=target)

    def current(self) -> Path | None:
        """The folder the symlink points to, if any."""
        if not self.link.is_symlink():
            return None
        return (self.link.parent / os.readlink(self.link)).resolve()

    def stage(self, *, carry_over: bool) -> Path:
        """A new release folder, holding hard links to the current one if ``carry_over``."""
        self.base.mkdir(parents=True, exist_ok=True)
        current = self.current()
        for leftover in self.base.iterdir():  # a crashed run's staging folder
            if current is None or leftover.resolve() != current:
                shutil.rmtree(leftover, ignore_errors=True)
        numbers = [int(p.name) for p in self.base.iterdir() if p.name.isdigit()]
        staging = self.base / f"{max(numbers, default=0) + 1:06d}"
        if carry_over and current is not None and current.is_dir():
            _link_tree(current, staging)
        else:
            staging.mkdir()
        return staging

    def switch(self, staging: Path) -> None:
        """Point the symlink at ``staging`` atomically and drop the previous release."""
        previous = self.current()
        temp = self.link.with_name(f".{self.link.name}.switch")
        temp.unlink(missing_ok=True)
        temp.symlink_to(os.path.relpath(staging, self.link.parent))
        os.replace(temp, self.link)
        if previous is not None and previous != staging.resolve():
            shutil.rmtree(previous, ignore_errors=True)

    def discard(self, staging: Path) -> None:
        """Throw a staging folder away (nothing changed, or a dry run)."""
        shutil.rmtree(staging, ignore_errors=True)


def _link_tree(source: Path, target: Path) -> None:
    for folder, _, names in os.walk(source):
        relative = os.path.relpath(folder, source)
        destination = target / relative if relative != "." else target
        destination.mkdir(parents=True, exist_ok=True)
        for name in names:
            os.link(os.path.join(folder, name), destination / name)
