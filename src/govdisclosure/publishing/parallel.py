"""Per-record work spread over forked worker processes (:meth:`Job.parallel`).

Rendering is CPU work and so is creating files (most of a file's cost on ext4 is the
kernel's, not the disk's): threads cannot share it out under the GIL, processes can.
A worker is forked, so it sees the catalogue, the publisher's state and the compiled
templates without copying or pickling them (the loader froze the records out of the
cyclic GC, so a worker's collections leave them alone; reference counting still copies
each page a worker reads, about 340 MB at 100k records). Each worker writes its
files into the same staging release through its own writer; what it wrote and the
records that failed come back through a pipe and are merged into the parent's writer
and job. Where ``fork`` is missing or unsafe (Windows, macOS), everything runs in the
calling process.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import pickle
import signal
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import PublishError

if TYPE_CHECKING:
    from .protocol import Job

__all__ = ["MIN_ITEMS_PER_WORKER", "can_fork", "default_workers", "map_in_workers",
           "run_parallel"]

T = TypeVar("T")
R = TypeVar("R")
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

#: Fewer items than this per worker are not worth a fork (a fork and a merge cost about
#: as much as rendering a few dozen pages).
MIN_ITEMS_PER_WORKER = 200


def can_fork() -> bool:
    """Whether worker processes can be forked safely on this platform."""
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def default_workers() -> int:
    """One worker per CPU this process may run on, at most 8."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


def run_parallel(job: Job, fn: Callable[[T], None], items: Sequence[T], workers: int,
                 min_share: int | None = None) -> None:
    """Call ``fn(item)`` for every item, in up to ``workers`` processes (this one included),
    each with at least ``min_share`` items (default :data:`MIN_ITEMS_PER_WORKER`).

    Raises:
        PublishError: a worker failed outside ``fn``'s own error handling, or died.
    """
    least = MIN_ITEMS_PER_WORKER if min_share is None else max(1, min_share)
    workers = min(workers, len(items) // least) if can_fork() else 1
    if workers <= 1:
        for item in items:
            fn(item)
        return
    shares = [items[i::workers] for i in range(workers)]  # interleaved: like loads per share
    job.flush()  # nothing of the parent's may be half-written when the workers start
    children: list[tuple[int, int]] = []
    try:
        for share in shares[1:]:
            children.append(_fork(functools.partial(_job_share, job, fn, share)))
        for item in shares[0]:
            fn(item)
        results = []
        while children:
            results.append(_collect(*children.pop(0)))
    except BaseException:
        for pid, fd in children:
            _kill(pid, fd)
        raise
    for result in results:
        job.merge(*result)


def map_in_workers(fn: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """``[fn(item) for item in items]``, computed in ``workers`` forked processes.

    Unlike :func:`run_parallel`, this process computes nothing itself: whatever ``fn``
    leaves behind in the objects it reads stays in the workers. Hashing records with
    orjson, say, leaves a UTF-8 copy in every non-ASCII string it reads (CPython keeps
    it for the string's lifetime): about 90 MB at 100k records, kept out of the parent.
    Small work, or no safe fork, runs here.

    Raises:
        PublishError: a worker failed or died.
    """
    if not can_fork() or len(items) < MIN_ITEMS_PER_WORKER:
        return [fn(item) for item in items]
    workers = max(1, min(workers, len(items) // MIN_ITEMS_PER_WORKER))
    size = -(-len(items) // workers)
    children: list[tuple[int, int]] = []
    try:
        for start in range(0, len(items), size):
            share = items[start:start + size]
            children.append(_fork(functools.partial(_map_share, fn, share)))
        results: list[R] = []
        while children:
            results += _collect(*children.pop(0))[0]
    except BaseException:
        for pid, fd in children:
            _kill(pid, fd)
        raise
    return results


def _die_with_parent(parent: int) -> None:  # pragma: no cover - runs in the worker
    """A worker must not outlive a killed parent, writing into a release being removed."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _fork(work: Callable[[], tuple[Any, ...]]) -> tuple[int, int]:
    """Run ``work`` in a forked process; its result comes back through the returned pipe."""
    parent = os.getpid()
    read_fd, write_fd = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns on forking with threads running: the parent's writer threads
        # are idle (flushed) and the worker never touches them or their locks.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the worker, measured by the parent's tests
        _die_with_parent(parent)
        os.close(read_fd)
        _work(work, write_fd)
    os.close(write_fd)
    return pid, read_fd


def _work(work: Callable[[], tuple[Any, ...]], fd: int) -> None:  # pragma: no cover - worker
    code = 1
    payload: tuple[Any, ...]
    try:
        payload = work()
        code = 0
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        payload = ("error", traceback.format_exc())
    try:
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(data)
    finally:
        os._exit(code)


def _job_share(job: Job, fn: Callable[[T], None],
               share: Sequence[T]) -> tuple[Any, ...]:  # pragma: no cover - in the worker
    job.become_worker()
    for item in share:
        fn(item)
    return ("ok", *job.worker_result())


def _map_share(fn: Callable[[T], R],
               share: Sequence[T]) -> tuple[Any, ...]:  # pragma: no cover - in the worker
    return ("ok", [fn(item) for item in share])


def _collect(pid: int, fd: int) -> tuple[Any, ...]:
    with os.fdopen(fd, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    try:
        payload = pickle.loads(data)  # noqa: S301 - our own forked worker wrote it
    except Exception:  # noqa: BLE001 - a worker that died before reporting
        payload = ("error", f"worker {pid} ended without a report "
                            f"(exit status {os.waitstatus_to_exitcode(status)})")
    if payload[0] != "ok":
        raise PublishError(f"a worker process failed:\n{payload[1]}")
    return tuple(payload[1:])


def _kill(pid: int, fd: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.close(fd)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
