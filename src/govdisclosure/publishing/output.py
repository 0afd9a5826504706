"""Atomic output: each target is built in a release folder and switched in by a symlink flip.

``OUT/<target>`` is a symlink to ``OUT/.govdisclosure/releases/<target>/<n>``. A run makes a
new release holding hard links to the current one's files, writes only what changed (a
file is replaced, never modified in place, so the old release keeps its bytes), then
replaces the symlink with ``os.replace``. A crash at any moment leaves the previous
complete release in place. The previous release stays until the next run, without the
paths the new one changed or removed: what left the output (a record made secret) is
unlinked from it at the switch, so only the current release serves it.

The next run recycles it: a release's manifest (``<n>.changes``) lists the paths in which
it differs from the release before it, so that one, renamed, becomes the current one
again by relinking just those paths (a dozen files for one changed record, where copying
the tree took 80,000 hard links at 100k records). Without a usable manifest (the first
runs, after a crash, or when the state store does not know the current release's files)
the current tree is copied with ``cp -al``. A staged folder that a run did not write
into is kept (:meth:`Release.keep`): the current release's manifest then names it, with
no paths; a recycled one goes back under its old name, so that a run that changed nothing
writes no file at all. Leftovers of crashed runs are deleted in the background.

One run at a time writes an output root (:func:`exclusive`): two would each take the
other's staging or current release for a leftover and delete it.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path, PurePosixPath

from ..errors import PublishError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; runs into one root must not overlap
    fcntl = None  # type: ignore[assignment]

__all__ = ["Release", "StagingWriter", "exclusive", "file_delta", "safe_relpath"]

_CP = shutil.which("cp")
#: How many ``cp -al`` share the copy of a release (the machines this runs on: 2 cores).
_COPIERS = 2
_NICE = shutil.which("nice")
_RM = shutil.which("rm")
_MAX_PENDING = 64  # writes queued for the writer threads before the renderer waits

_SAFE_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+=-]*")
_SAFE_PATH = re.compile(r"(?:[A-Za-z0-9][A-Za-z0-9._@+=-]*/)*[A-Za-z0-9][A-Za-z0-9._@+=-]*")


#: The longest name of a file or folder that file systems take (NAME_MAX, in bytes; the
#: plain characters of a safe path are one byte each).
NAME_MAX = 255


def safe_relpath(path: str) -> str:
    """A relative POSIX path with no ``..``, no absolute start, only plain characters and
    no name longer than :data:`NAME_MAX`.

    Raises:
        PublishError: the path could escape the output folder or is not portable.
    """
    if len(path) <= NAME_MAX and _SAFE_PATH.fullmatch(path):  # every file written asks
        return path
    parts = PurePosixPath(path).parts
    if not parts or path.startswith("/") or any(
        part in ("..", ".") or not _SAFE_PART.fullmatch(part) for part in parts
    ):
        raise PublishError(f"unsafe output path {_short(path)!r}")
    long = next((part for part in parts if len(part) > NAME_MAX), None)
    if long is not None:
        raise PublishError(f"output path {_short(path)!r}: a name of {len(long)} characters "
                           f"(file systems take at most {NAME_MAX})")
    return "/".join(parts)


def _short(path: str, limit: int = 80) -> str:
    """``path`` cut to ``limit`` characters for a message."""
    return path if len(path) <= limit else f"{path[:limit]}..."


class StagingWriter:
    """Writes files into a release folder, skipping bytes that are already there.

    Args:
        root: the staging release folder (holding the carried-over files, if any).
        previous: ``path -> sha256`` of the carried-over files that can be trusted; a full
            run passes none, so that every file is written again or explicitly kept.
        full: a full run: carried-over files neither written nor kept are removed at
            :meth:`finish`.
        ready: called once before the release folder is first touched.
        threads: writer threads, which create the files while the caller renders; worth
            it only while a CPU is idle (0: write in the calling thread).
        carried: on a full run, ``path -> sha256`` of the carried-over files as the state
            store has them, not trusted: a file written with the bytes it says is there
            is compared with the file, and kept (the same inode) when they are the same.
    """

    def __init__(self, root: Path, previous: dict[str, str], *, full: bool = False,
                 ready: Callable[[], None] | None = None, threads: int = 4,
                 carried: Mapping[str, str] | None = None) -> None:
        self.root = root
        self._ready = ready
        self.files = dict(previous)
        self._carried = carried or {}
        self._folders_carried: set[str] | None = None
        #: sizes of the files that :func:`_replace_file` found the same and kept
        self._kept: list[int] = []
        #: what this writer changed in :attr:`files`: ``path -> sha256``, None if removed
        self.delta: dict[str, str | None] = {}
        self.full = full
        self.written = 0
        self.unchanged = 0
        self.removed = 0
        self.bytes = 0
        self._base = f"{root}/"
        self._made: set[str] = set()  # folders made, relative
        self._folders: dict[str, set[str]] | None = None  # listdir()'s index, once asked
        # File system calls release the GIL: a few threads write while the publisher renders.
        self._pool = (ThreadPoolExecutor(max_workers=threads, thread_name_prefix="gd-write")
                      if threads else None)
        self._pending: dict[str, Future[None]] = {}
        self._queue: deque[tuple[str, Future[None]]] = deque()

    def _touch(self) -> None:
        if self._ready is not None:
            ready, self._ready = self._ready, None
            ready()

    def write(self, path: str, data: bytes) -> None:
        """Write ``data`` at ``path`` unless the same bytes are already there.

        Raises:
            PublishError: the path is unsafe, or a file cannot be there: a folder of the
                output is (one that still holds files), or a file is where a folder of
                the path must be (each named by its path in the output).
        """
        self._touch()
        if path.endswith("/"):
            raise PublishError(f"cannot write {_short(path)!r}: a path ending with '/' names "
                               "a folder, not a file")
        rel = safe_relpath(path)
        digest = hashlib.sha256(data).hexdigest()
        if self.files.get(rel) == digest:
            self.unchanged += 1
            return
        target = self._base + rel  # strings: pathlib took 30 us a file
        parent = rel.rpartition("/")[0]
        if rel in self._made:
            self._unmake(rel)
        elif self.full and rel in self._carried_folders():
            self._clear_carried(rel)
        if parent not in self._made:
            self._make(parent, rel)
        kept = self._kept if self._carried.get(rel) == digest else None  # maybe there
        pool = self._pool
        if pool is None:
            _replace_file(target, data, rel, kept)
        else:
            self._submit(pool, rel, target, data, kept)
        self.files[rel] = self.delta[rel] = digest
        self.written += 1
        self.bytes += len(data)
        if self._folders is not None:
            self._folders.setdefault(parent, set()).add(rel.rpartition("/")[2])

    def _make(self, folder: str, rel: str) -> None:
        """Make ``folder`` (relative) for the file ``rel``, and note it and the folders
        above it as made."""
        parts = folder.split("/")
        folders = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
        # a file of this output (maybe still on a writer thread's queue), or on the disk
        blocking = next((above for above in folders if above in self.files), None)
        if blocking is None:
            try:
                self._makedirs(folder, folders, rel)
            except (FileExistsError, NotADirectoryError):
                blocking = next((above for above in folders
                                 if os.path.isfile(self._base + above)), folder)
        if blocking is not None:
            raise PublishError(f"cannot write {_short(rel)!r}: {_short(blocking)!r} is a file "
                               "of the output, not a folder (remove it first)")
        made = self._made
        while folder not in made:
            made.add(folder)
            if not folder:
                break
            folder = folder.rpartition("/")[0]

    def _makedirs(self, folder: str, folders: list[str], rel: str) -> None:
        """``os.makedirs`` of ``folder`` (``folders``: it and those above it) for the file
        ``rel``; on a full run, a carried-over file in the way goes first (what the run
        has not written, :meth:`finish` would remove)."""
        try:
            try:
                os.makedirs(self._base + folder, exist_ok=True)
            except (FileExistsError, NotADirectoryError):
                found = next((above for above in folders
                              if os.path.isfile(self._base + above)), None)
                if not self.full or found is None:
                    raise
                self._clear_carried(found)
                os.makedirs(self._base + folder, exist_ok=True)
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:
                raise _too_long(rel) from exc
            raise

    def _carried_folders(self) -> set[str]:
        """The folders of the carried-over files (a full run's), made once."""
        if self._folders_carried is None:
            self._folders_carried = {rel[:i] for rel in self._carried
                                     for i, char in enumerate(rel) if char == "/"}
        return self._folders_carried

    def _clear_carried(self, rel: str) -> None:
        """On a full run, take away the carried-over file or folder at ``rel`` for a path
        of this run: what this run has not written there would go at :meth:`finish`."""
        self.flush()
        target = self._base + rel
        if os.path.isdir(target):
            if any(written.startswith(f"{rel}/") for written in self.files):
                return  # this run wrote below it: _replace_file names the conflict
            removed = sum(len(names) for _, _, names in os.walk(target))
            shutil.rmtree(target)
        else:
            os.unlink(target)
            removed = 1
        self.removed += removed

    def _unmake(self, rel: str) -> None:
        """Make way for the file ``rel`` where this writer made a folder: only an empty one
        (its files removed) goes."""
        self.flush()
        _remove_folder(self._base + rel, rel)
        self._made = {made for made in self._made
                      if made != rel and not made.startswith(f"{rel}/")}

    def _submit(self, pool: ThreadPoolExecutor, rel: str, target: str, data: bytes,
                kept: list[int] | None) -> None:
        self._settle(rel)
        future = pool.submit(_replace_file, target, data, rel, kept)
        self._pending[rel] = future
        self._queue.append((rel, future))
        if len(self._queue) > _MAX_PENDING:  # bounded: rendered bytes must not pile up
            done_rel, done = self._queue.popleft()
            done.result()
            if self._pending.get(done_rel) is done:
                del self._pending[done_rel]

    def _settle(self, rel: str) -> None:
        """Wait for a pending write of ``rel`` (a second write or a read must follow it)."""
        pending = self._pending.pop(rel, None)
        if pending is not None:
            pending.result()

    def flush(self) -> None:
        """Wait for every pending write; raises the first error."""
        self._touch()
        pending, self._pending = self._pending, {}
        self._queue.clear()
        for future in pending.values():
            future.result()

    def close(self) -> None:
        """Wait for every pending write and stop the writer threads; raises the first error.
        The files found the same and kept count as unchanged from now on."""
        try:
            self.flush()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
        kept, self._kept = self._kept, []
        self.written -= len(kept)
        self.unchanged += len(kept)
        self.bytes -= sum(kept)

    def for_worker(self) -> StagingWriter:
        """A writer for a forked worker process (call it in the worker): the same release
        and files, its own counts, no threads (the workers keep every CPU busy).
        :meth:`changes` tells what it did."""
        writer = StagingWriter(self.root, self.files, full=self.full, threads=0,
                               carried=self._carried)
        writer._made = set(self._made)
        return writer

    def changes(self) -> tuple[dict[str, str | None], tuple[int, int, int, int]]:
        """What a worker's writer did: its :attr:`delta` and its counts ``(written,
        unchanged, removed, bytes)``; waits for its writes first."""
        self.close()
        return self.delta, (self.written, self.unchanged, self.removed, self.bytes)

    def merge(self, delta: dict[str, str | None], counts: tuple[int, int, int, int]) -> None:
        """Take in what a worker's writer did (:meth:`changes`)."""
        self.delta.update(delta)
        self._folders = None
        for rel, digest in delta.items():
            if digest is None:
                self.files.pop(rel, None)
            else:
                self.files[rel] = digest
        written, unchanged, removed, size = counts
        self.written += written
        self.unchanged += unchanged
        self.removed += removed
        self.bytes += size

    def remove(self, path: str) -> None:
        """Remove ``path`` from the release (no error if absent)."""
        self._touch()
        rel = safe_relpath(path)
        self._settle(rel)
        if self.files.pop(rel, None) is not None:
            (self.root / rel).unlink(missing_ok=True)
            self.delta[rel] = None
            self.removed += 1
            if self._folders is not None:
                parent, _, name = rel.rpartition("/")
                self._folders.get(parent, set()).discard(name)

    def listdir(self, folder: str) -> list[str]:
        """The names of the files directly in ``folder`` (carried over and trusted, or
        written by this writer), sorted."""
        if self._folders is None:
            self._folders = {}
            for rel in self.files:
                parent, _, name = rel.rpartition("/")
                self._folders.setdefault(parent, set()).add(name)
        return sorted(self._folders.get(safe_relpath(folder), ()))

    def exists(self, path: str) -> bool:
        """Whether ``path`` is in the release."""
        self._touch()
        rel = safe_relpath(path)
        return rel in self.files or (self.full and (self.root / rel).is_file())

    def keep(self, path: str) -> None:
        """Keep a carried-over file as it is (on a full run, where others are rebuilt)."""
        self._touch()
        rel = safe_relpath(path)
        if rel not in self.files and (self.root / rel).is_file():
            digest = hashlib.sha256((self.root / rel).read_bytes()).hexdigest()
            self.files[rel] = self.delta[rel] = digest
            self.unchanged += 1
            self._folders = None

    def finish(self) -> None:
        """Wait for the writes; on a full run, remove every carried-over file not written or
        kept; on any run, the folders that removals leave empty (an empty
        ``archive/category/budget/`` would still tell that a budget entry was there)."""
        self.close()
        if not self.full:
            gone = {rel.rpartition("/")[0] for rel, digest in self.delta.items()
                    if digest is None}
            for parent in sorted(gone - {""}, reverse=True):  # deepest first
                left = self.root / parent
                while left != self.root:
                    try:
                        left.rmdir()
                    except OSError:  # not empty (or gone already): it and its parents stay
                        break
                    left = left.parent
            return
        for folder, _, names in os.walk(self.root, topdown=False):  # children first
            for name in names:
                full_path = os.path.join(folder, name)
                rel = os.path.relpath(full_path, self.root).replace(os.sep, "/")
                if rel not in self.files:
                    os.unlink(full_path)
                    self.removed += 1
            if folder != str(self.root):
                with contextlib.suppress(OSError):  # not empty: it stays
                    os.rmdir(folder)

    def read(self, path: str) -> bytes | None:
        """The bytes at ``path`` in the release, or None: also for what this output never
        holds, so that a tampered output cannot hang a run or feed it another file (a
        link, followed or not; a FIFO, a device)."""
        self._touch()
        rel = safe_relpath(path)
        self._settle(rel)
        if not self.exists(rel):
            return None
        try:
            fd = os.open(self._base + rel, _OWN_FILE)
        except OSError:
            return None
        with os.fdopen(fd, "rb") as handle:
            return handle.read() if stat.S_ISREG(os.fstat(fd).st_mode) else None

    @property
    def changed(self) -> bool:
        """Whether anything was written or removed."""
        return bool(self.written or self.removed)


def file_delta(before: dict[str, str], after: dict[str, str]) -> dict[str, str | None]:
    """What changed between two ``path -> sha256`` maps: the new digest, None if removed."""
    delta: dict[str, str | None] = {
        rel: digest for rel, digest in after.items() if before.get(rel) != digest}
    delta.update((rel, None) for rel in before.keys() - after.keys())
    return delta


#: How a file of the output is opened to be read: never through a link, never waiting.
_OWN_FILE = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
             | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(
    os, "O_BINARY", 0)


def _replace_file(target: str, data: bytes, rel: str, kept: list[int] | None = None) -> None:
    # The staging release is not live, so writing in place is safe; a carried-over file is
    # a hard link into the live release, so it is unlinked first, never written through.
    # Creating exclusively costs one system call for a new file (most of them). With
    # ``kept`` (a full run, whose state says these bytes are there), a file that holds
    # them stays: reading it costs less than replacing it, and keeps its inode and mtime.
    if kept is not None and _holds(target, data):
        kept.append(len(data))
        return
    try:
        try:
            fd = os.open(target, _NEW_FILE, 0o666)
        except FileExistsError:
            try:
                os.unlink(target)
            except OSError:
                if not os.path.isdir(target):
                    raise
                _remove_folder(target, rel)  # a carried-over folder: only an empty one goes
            fd = os.open(target, _NEW_FILE, 0o666)
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise _too_long(rel) from exc
        raise
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except OSError as exc:  # a full disk or quota names no file: name it, as open() does
        raise OSError(exc.errno, exc.strerror, target) from exc
    finally:
        os.close(fd)


def _holds(target: str, data: bytes) -> bool:
    """Whether the file ``target`` holds exactly ``data``."""
    try:
        with open(target, "rb") as handle:
            return os.fstat(handle.fileno()).st_size == len(data) and handle.read() == data
    except OSError:  # gone, a folder: replaced, or refused, as any other
        return False


def _remove_folder(folder: str, rel: str) -> None:
    """Remove the empty ``folder`` of the output, where the file ``rel`` is to be written.

    Raises:
        PublishError: it holds files (or folders).
    """
    try:
        os.rmdir(folder)
    except OSError:
        raise PublishError(f"cannot write {_short(rel)!r}: it is a folder of the output, "
                           "which holds files") from None


def _too_long(rel: str) -> PublishError:
    """The error of a path the file system cannot take (ENAMETOOLONG), named in the output."""
    return PublishError(f"cannot write {_short(rel)!r}: the path is too long for the file "
                        "system")


@contextlib.contextmanager
def exclusive(out: Path) -> Iterator[float]:
    """Hold the lock of the output root ``out`` (``.govdisclosure/lock``) for a run that
    writes it, waiting while another run (another process) holds it; yields the seconds
    waited. The lock goes with the process: a killed run leaves none behind.

    Raises:
        OSError: the lock file cannot be made (a read-only folder, one below a file) or
            is a symlink.
    """
    folder = out / ".govdisclosure"
    folder.mkdir(parents=True, exist_ok=True)
    # never through a symlink: it would make (or lock) a file wherever it points
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
    with open(os.open(folder / "lock", flags, 0o644), "ab") as handle:
        waited = 0.0
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                started = time.monotonic()
                fcntl.flock(handle, fcntl.LOCK_EX)
                waited = time.monotonic() - started
        yield waited


class Release:
    """The release folders and the ``current`` symlink of one target in one output root."""

    def __init__(self, out: Path, target: str) -> None:
        self.link = out / target
        self.base = out / ".govdisclosure" / "releases" / target
        if self.link.exists() and not self.link.is_symlink():
            raise PublishError(f"{self.link} exists and is not managed by govdisclosure "
                               "(move it away or publish into another --out)", publisher=target)
        self._from: Path | None = None  # the release the staging one was made from
        self._spare: Path | None = None  # the old release the staging one was renamed from
        self._copy: list[subprocess.Popen[bytes]] = []
        self._cleaner: subprocess.Popen[bytes] | threading.Thread | None = None

    def current(self) -> Path | None:
        """The folder the symlink points to, if any."""
        if not self.link.is_symlink():
            return None
        return (self.link.parent / os.readlink(self.link)).resolve()

    def stage(self, *, carry_over: bool, wait: bool = True) -> Path:
        """A new release folder, holding hard links to the current one if ``carry_over``.

        The previous release, kept until now for readers still on it, becomes the new one
        where its manifest allows (module docstring); other old releases and leftovers of
        crashed runs are deleted in the background while the publisher renders
        (:meth:`switch` waits for it). With ``wait=False`` a copy may still be running on
        return: :meth:`wait_copy` before touching the folder.
        """
        self.base.mkdir(parents=True, exist_ok=True)
        current = self.current()
        self._from = current
        spare = self._recyclable(current) if carry_over else None
        self._spare = spare[0] if spare is not None else None
        keep = {current, current and self._manifest(current).resolve(), spare and spare[0]}
        old = [p for p in self.base.iterdir() if p.resolve() not in keep]
        numbers = [int(p.name) for p in self.base.iterdir() if p.name.isdigit()]
        staging = self.base / f"{max(numbers, default=0) + 1:06d}"
        self._cleaner = _remove_in_background(old)
        if spare is not None and current is not None:
            os.rename(spare[0], staging)
            _relink(current, staging, spare[1])
        elif carry_over and current is not None and current.is_dir():
            self._copy = _link_tree(current, staging)
            if wait:
                self.wait_copy()
        else:
            staging.mkdir()
        return staging

    def _manifest(self, release: Path) -> Path:
        return self.base / f"{release.name}.changes"

    def _recyclable(self, current: Path | None) -> tuple[Path, list[str]] | None:
        """The release before ``current`` and the paths in which the two differ, if the
        manifest of ``current`` names them and that release is still there."""
        if current is None:
            return None
        try:
            data = json.loads(self._manifest(current).read_bytes())
            source, paths = data["from"], data["paths"]
            spare = self.base / source
            if not (source.isdigit() and spare != current and spare.is_dir()
                    and not spare.is_symlink()):
                return None
            return spare.resolve(), [safe_relpath(path) for path in paths]
        except (OSError, ValueError, KeyError, TypeError, AttributeError, PublishError):
            return None

    def wait_copy(self) -> None:
        """Wait for the hard-link copy of :meth:`stage` (no-op when it is done).

        Raises:
            PublishError: the copy failed.
        """
        copies, self._copy = self._copy, []
        failed = [err for copy in copies for _, err in [copy.communicate()] if copy.returncode]
        if failed:
            raise PublishError(f"cannot copy the current release: "
                               f"{failed[0].decode(errors='replace')}", publisher=self.link.name)

    def switch(self, staging: Path, changes: Iterable[str] | None = None) -> None:
        """Point the symlink at ``staging`` atomically (the old release goes next run).

        Args:
            staging: the folder of :meth:`stage`.
            changes: the paths in which it differs from the release it was staged from
                (None: unknown, e.g. a full build): its manifest, for the next run.
        """
        self._wait()
        source = self._from
        if changes is not None and source is not None:
            self._write_manifest(staging, source, changes)
        temp = self.link.with_name(f".{self.link.name}.switch")
        temp.unlink(missing_ok=True)
        temp.symlink_to(os.path.relpath(staging, self.link.parent))
        os.replace(temp, self.link)
        if source is not None and source != staging:
            self._scrub(source, changes)

    def _scrub(self, old: Path, changes: Iterable[str] | None) -> None:
        """Take out of the release just replaced what the new one changed or removed: a
        page of a record made secret (or listing it) must not stay readable there until
        the next run. Readers still on it keep the files they opened; the next run, which
        recycles it, links the changed paths again from the current release. Where the
        changes are not known (no state of the old release's files: rare), the old
        release goes altogether."""
        if changes is None:
            shutil.rmtree(old, ignore_errors=True)
            return
        for rel in sorted(changes, reverse=True):  # a folder's files before the folder
            _remove_path(old / safe_relpath(rel))

    def _write_manifest(self, release: Path, source: Path, changes: Iterable[str]) -> None:
        manifest = self._manifest(release)
        temp = manifest.with_name(f".{manifest.name}.tmp")
        temp.write_text(json.dumps({"from": source.name, "paths": sorted(changes)}))
        os.replace(temp, manifest)

    def keep(self, staging: Path) -> None:
        """Keep a staging folder nothing was written into as the next run's starting point:
        it holds what the current release holds, so the current release's manifest now
        names it, with no paths (rather than deleting 80,000 links now and copying them
        again next run). A recycled release goes back under its old name, which the
        manifest names already: a run that changed nothing writes nothing."""
        current = self.current()
        try:
            self.wait_copy()
        except PublishError:
            current = None
        if current is None or current != self._from:
            self.discard(staging)
            return
        self._wait()
        if self._spare is not None:
            os.rename(staging, self._spare)
        else:
            self._write_manifest(current, staging, ())

    def discard(self, staging: Path) -> None:
        """Throw a staging folder away (the publisher failed, or it cannot be kept)."""
        with contextlib.suppress(PublishError):
            self.wait_copy()
        self._wait()
        shutil.rmtree(staging, ignore_errors=True)

    def _wait(self) -> None:
        cleaner = self._cleaner
        if isinstance(cleaner, subprocess.Popen):
            cleaner.wait()
        elif cleaner is not None:
            cleaner.join()


def _remove_in_background(folders: list[Path]
                          ) -> subprocess.Popen[bytes] | threading.Thread | None:
    """Delete ``folders`` while the run goes on: at the lowest CPU priority in a process of
    its own where ``nice`` and ``rm`` exist (a thread's unlinks compete for the GIL and
    the CPU with rendering: 80k of them per run at 100k records), else in a thread."""
    if not folders:  # the usual case since releases are recycled
        return None
    if _NICE and _RM and sys.platform.startswith("linux"):
        return subprocess.Popen([_NICE, "-n", "19", _RM, "-rf", "--", *map(str, folders)],  # noqa: S603 - our own paths
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    thread = threading.Thread(target=_remove_all, args=(folders,), daemon=True)
    thread.start()
    return thread


def _remove_all(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def _relink(current: Path, staging: Path, paths: list[str]) -> None:
    """Make ``staging`` hold what ``current`` holds at ``paths`` (a hard link, or nothing).
    What is to go goes first, a folder's files before the folder, so that a file may take
    the place of a folder, or a folder that of a file."""
    for rel in sorted(paths, reverse=True):
        target = staging / rel
        _remove_path(target)
        if (current / rel).is_file():
            continue
        folder = target.parent  # removed there: drop the folders it leaves empty
        with contextlib.suppress(OSError):
            while folder != staging:
                folder.rmdir()
                folder = folder.parent
    for rel in paths:
        source = current / rel
        if source.is_file():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(source, target)


def _remove_path(path: Path) -> None:
    """Remove the file at ``path``, or the folder there if it is empty (one that still
    holds files stays); nothing if there is none."""
    try:
        os.unlink(path)
    except (FileNotFoundError, NotADirectoryError):
        pass
    except OSError:
        if not path.is_dir():
            raise
        with contextlib.suppress(OSError):
            path.rmdir()


def _link_tree(source: Path, target: Path) -> list[subprocess.Popen[bytes]]:
    """A copy of ``source`` made of hard links: GNU ``cp -al`` where present (2x faster),
    started and returned running, one process for each half of the entries of ``source``
    (the work is the kernel's, on different folders: 79,349 links took 0.55 s so, 1.06 s
    in one process); else made here."""
    if _CP and sys.platform.startswith("linux"):
        names = sorted(os.listdir(source))
        target.mkdir()
        return [subprocess.Popen([_CP, "-al", "-t", str(target), "--",  # noqa: S603 - our paths
                                  *(str(source / name) for name in names[half::_COPIERS])],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                for half in range(min(_COPIERS, len(names)))]
    for folder, _, names in os.walk(source):
        relative = os.path.relpath(folder, source)
        destination = target / relative if relative != "." else target
        destination.mkdir(parents=True, exist_ok=True)
        for name in names:
            os.link(os.path.join(folder, name), destination / name)
    return []
