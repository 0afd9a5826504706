"""The contract between the pipeline and a publisher.

A publisher is any class with these class attributes and methods (a ``typing.Protocol``;
:class:`BasePublisher` is an optional convenience, not a requirement)::

    class SignagePublisher:
        name = "signage"                 # the entry-point name
        Options = SignageOptions         # an attrs class; [publish.signage] is structured into it
        audiences = ("public",)          # the audiences it may serve
        version = "1"                    # bump to force a full rebuild after a code change

        def __init__(self, options: SignageOptions) -> None: ...
        def publish(self, job: Job) -> None: ...
        def after_switch(self, job: Job) -> Sequence[str]: ...   # optional
        def shows(self, record_type: str) -> bool: ...           # optional
        def shown(self, job: Job) -> Iterable[RecordKey]: ...    # optional
        def preflight(self) -> Sequence[str]: ...                # optional
        def check_catalog(self, view: CatalogView) -> Sequence[str]: ...  # optional
        def fingerprint(self, root: Path | None) -> str: ...     # optional

``after_switch`` runs once the new output is live (e.g. to ping a WebSub hub, which
would otherwise fetch the previous feed), and also on a run that changed nothing while the
target's outbox holds deliveries (:attr:`Job.outbox`: queued by an earlier run, not
delivered yet); it returns warnings for the report and never fails the publication.
``shows`` says whether records of a type appear in the output as themselves (not only as
figures); ``shown`` refines it record by record, for a publisher that leaves out some
records of a type it shows (the kiosk lists disclosures of four categories, and only the
items its halls handle): the keys of the job's records and tombstones its output holds.
Its answer may depend on other records (the latest 20 announcements), the options and
``as_of``, never on the output: the pipeline asks it once per run, after ``publish`` (so
that it may reuse what ``publish`` worked out), and in a dry run, whose job has no output.
Only the records both accept get ledger receipts and count in the report (see
``receipts.py``): a record that enters or leaves what ``shown`` accepts gets a
``published`` or ``removed`` receipt even when it did not change, and a tombstone gets
its ``withdrawn`` receipt where ``shown`` accepts it, whether or not the output showed
the live record. Without ``shows``, every type counts; without ``shown``, every record
of those types. ``preflight`` says why this machine cannot run the publisher (a secret
missing from the environment, say); ``check_catalog`` says which of its options do not fit
the catalogue (``hall: no public service_hall 'ghost' in this catalogue``), looking records
up in a :class:`~govdisclosure.publishing.selection.CatalogView`: what selection would hand
it. The pipeline asks every publisher of a run both before the first one runs, and
refuses the run (``ConfigError``, exit code 2) with nothing written when any answers.
``validate`` asks them too: a ``check_catalog`` answer is an error there (the
configuration is wrong wherever it runs), a ``preflight`` answer a warning (the
configuration is fine; this machine is not). ``fingerprint`` digests what else, besides
the records, the options, the ``version`` and the files of the publisher's package,
decides its output: files the options name (the site's ``theme`` folder, a relative one
read from ``root``, the catalogue folder; :func:`~govdisclosure.publishing.folder_digest`
digests a folder). A change of its answer makes the next run full, as a change of options
does.

The pipeline selects the records (never a secret, restricted, draft or embargoed one;
only to the ``media`` audience, which a publisher serves by listing it, news releases
under embargo),
diffs them against the state store and hands the publisher a :class:`Job`. The
publisher writes every file through ``job.write`` (the pipeline skips unchanged bytes,
keeps paths inside the output folder and switches the whole folder in atomically) and
reports per-record problems with ``job.fail``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol, TypeVar, runtime_checkable

import attrs
from attrs import frozen

from ..catalog import Catalog, CatalogMeta, read_file
from ..catalog.catalog import FileDigest, file_digest, ref_key, references
from ..model import Record, Text, Withdrawal
from .outbox import Delivery, Outbox, Queued
from .parallel import run_parallel

if TYPE_CHECKING:
    from .selection import CatalogView

__all__ = ["BasePublisher", "Delivery", "Job", "Outbox", "Publisher", "PublisherReport",
           "RecordKey", "StateRow", "Tombstone"]

T = TypeVar("T")

RecordKey = tuple[str, str]
#: A record's row in the state store: ``(content hash, source digest or None)``.
StateRow = tuple[str, bytes | None]


@frozen(kw_only=True)
class Tombstone:
    """What a publisher receives for a withdrawn record: enough to say so, nothing more.

    Besides its title, dates and withdrawal, it keeps what placed the live record in
    an output, all of it public: its agency and its ``category`` (a disclosure's; None
    for a type without one), so that the notice stands where the record stood (a
    category's feed) rather than leave it silently. Never its body, summary or
    attachments.
    """

    type: str
    id: str
    agency: str | None
    title: Text | None
    withdrawn: Withdrawal
    issued_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    category: str | None = None

    @property
    def key(self) -> RecordKey:
        """``(type, id)``."""
        return (self.type, self.id)


def _key(record: Record | Tombstone | RecordKey) -> RecordKey:
    """``(type, id)`` of a record, a tombstone, or a key itself."""
    if isinstance(record, tuple):
        return record
    return record.key if isinstance(record, Tombstone) else (record.TYPE, record.id)


@runtime_checkable
class Publisher(Protocol):
    """What the pipeline needs of a publisher (see the module docstring)."""

    name: ClassVar[str]
    Options: ClassVar[type[Any]]
    audiences: ClassVar[tuple[str, ...]]
    version: ClassVar[str]  # optional at run time (as ""): a change forces a full rebuild

    def publish(self, job: Job) -> None:
        """Render the job's records through ``job.write``."""


class BasePublisher:
    """Optional base class: stores the options and declares the usual defaults (not of
    ``shown``: without it, every record of a type ``shows`` accepts counts as shown)."""

    name: ClassVar[str] = ""
    audiences: ClassVar[tuple[str, ...]] = ("public", "internal")
    version: ClassVar[str] = "1"

    def __init__(self, options: Any) -> None:
        self.options = options

    def after_switch(self, job: Job) -> Sequence[str]:
        """Work to do once the new output is live; returns warnings (default: none)."""
        return ()

    def shows(self, record_type: str) -> bool:
        """Whether records of ``record_type`` appear in the output (default: every type)."""
        return True

    def preflight(self) -> Sequence[str]:
        """Why this machine cannot run the publisher, checked before any publisher of a
        run starts (default: nothing stands in the way)."""
        return ()

    def check_catalog(self, view: CatalogView) -> Sequence[str]:
        """What in the options does not fit the catalogue (``key: message``), checked
        before any publisher of a run starts (default: nothing)."""
        return ()

    def fingerprint(self, root: Path | None) -> str:
        """A digest of what else decides the output, besides the records, the options and
        the package's files; ``root`` is the catalogue folder (default: nothing else)."""
        return ""


@attrs.define(kw_only=True)
class PublisherReport:
    """What one publisher did in one run.

    ``state`` is ``ok``, or ``failed`` when the publisher raised and its target failed as a
    whole: then ``error`` says why, its output is left unchanged (the previous release
    stays live) and the counts are 0, as nothing of it was published.
    """

    name: str
    written: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    removed: int = 0
    failed: int = 0
    files_written: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    bytes: int = 0
    seconds: float = 0.0
    failures: list[dict[str, str]] = attrs.Factory(list)
    warnings: list[str] = attrs.Factory(list)
    out: str = ""
    state: Literal["ok", "failed"] = "ok"
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return attrs.asdict(self)


class Job:
    """One publisher's share of a run: the selected records, the diff and the writer.

    Attributes:
        records: the publishable live records, by type then id.
        tombstones: the withdrawn records, as tombstones.
        catalog: look-ups over the selected live records only.
        meta: the catalogue metadata (languages, base URL, timezone, publisher).
        options: the publisher's structured options.
        as_of: the aware instant of publication.
        audience: ``public``, ``internal`` or ``media`` (served only by publishers that
            list it: its records are the public ones plus news releases still under
            embargo, whose ``publish_at`` is later than ``as_of``, to be marked as such).
        full: True when everything must be rendered (first run, ``--full``, new options,
            ``version``, package files or ``fingerprint``).
        changed: keys of records new, updated or withdrawn since the last run.
        removed: keys of records gone from the selection since the last run.
        updated: ``(type, id) -> (first, last)`` publication before this run of the
            records this target published (and showed: see ``shown``) whose revision is
            new in this run, on a full run too: those whose receipts say ``updated`` or
            ``withdrawn`` (what :meth:`modified` reads).
        root: the catalogue folder, if the catalogue was loaded from one (see :meth:`file`).
        previous_as_of: the instant of this target's last run, if any: what changed with
            time alone (a consultation opened, an archive month closed) lies in between.
        history: ``(type, id) -> (first, last)`` publication by this target before this
            run, read when :meth:`published` is first called (the pipeline's state view).
        revised_history: the same, of the records this target published a new revision
            of since their first publication, read when :meth:`modified` first needs it
            (default: from ``history``, those whose last publication is not their first).
        revisions: ``(type, id) -> content hash`` of every selected record (what
            :meth:`revision` tells).
        outbox: the target's outbox in the state store: deliveries queued with
            ``job.outbox.add`` while publishing are stored with the run's state, and
            settled in ``after_switch`` (see :class:`Outbox`).
        warnings: what the publisher reported with :meth:`warn`.
    """

    def __init__(
        self,
        *,
        records: Sequence[Record],
        tombstones: Sequence[Tombstone],
        meta: CatalogMeta,
        options: Any,
        as_of: dt.datetime,
        audience: str,
        full: bool,
        changed: frozenset[RecordKey],
        removed: frozenset[RecordKey],
        writer: Any,
        progress: Callable[[int, int], None] | None = None,
        workers: int = 1,
        root: Path | None = None,
        previous_as_of: dt.datetime | None = None,
        history: Callable[[], Mapping[RecordKey, tuple[dt.datetime, dt.datetime]]]
        | None = None,
        revisions: Mapping[RecordKey, str] | None = None,
        outbox: Outbox | None = None,
        updated: Mapping[RecordKey, tuple[dt.datetime, dt.datetime]] | None = None,
        revised_history: Callable[[], Mapping[RecordKey, tuple[dt.datetime, dt.datetime]]]
        | None = None,
    ) -> None:
        self.records = records
        self.tombstones = tombstones
        self.meta = meta
        self.options = options
        self.as_of = as_of
        self.audience = audience
        self.full = full
        self.changed = changed
        self.removed = removed
        self.updated = updated if updated is not None else {}
        self._writer = writer
        self._progress = progress
        self.workers = workers
        self.root = root
        self.previous_as_of = previous_as_of
        self._history = history
        self._revised_history = revised_history
        self._revisions = revisions if revisions is not None else {}
        self.outbox = outbox if outbox is not None else Outbox(None, "")
        self.failures: dict[RecordKey, str] = {}
        self.warnings: list[str] = []

    @cached_property
    def catalog(self) -> Catalog:
        """Look-ups over the selected live records (built when first used: 0.3 s at 100k)."""
        return Catalog(self.records, self.meta, check=False)

    @property
    def languages(self) -> tuple[str, ...]:
        """The catalogue's languages, the default first."""
        return self.meta.all_languages

    @property
    def base_url(self) -> str:
        """The public base URL, ending in ``/``."""
        return self.meta.base_url if self.meta.base_url.endswith("/") else self.meta.base_url + "/"

    @cached_property
    def touched(self) -> frozenset[RecordKey]:
        """Changed and removed keys together: what an incremental run must re-render."""
        return self.changed | self.removed

    def must_render(self, record: Record | Tombstone) -> bool:
        """Whether this run must render ``record`` (its own files) again: on a full run,
        when it is touched, or when a record it names in any reference field is: one
        renamed, withdrawn, or no longer public (secret now, say), whose title or id it
        must stop showing. A reference is read as written, resolved or not."""
        if self.full:
            return True
        touched = self.touched
        if isinstance(record, Tombstone):  # it shows its agency, which may have gone
            return record.key in touched or ("agency", record.agency) in touched
        if (record.TYPE, record.id) in touched:
            return True
        for _, ref, kind in references(record):
            if ref:
                key = ref_key(ref, kind)
                if key in touched or (not key[0] and key[1] in self._touched_ids):
                    return True
        return False

    @cached_property
    def _touched_ids(self) -> frozenset[str]:
        return frozenset(ident for _, ident in self.touched)

    def published(self, record: Record | Tombstone | RecordKey
                  ) -> tuple[dt.datetime, dt.datetime] | None:
        """When this target first published ``record`` and last published a new revision
        of it, before this run (the instants of those runs), or None: new to this target,
        or left out by its output (``shown``; a record shown again is published anew).
        For "first published on" lines; the ledger has every receipt."""
        return self._times.get(_key(record))

    def revision(self, record: Record | Tombstone | RecordKey) -> str:
        """The content hash of ``record`` in this run: the ``revision_hash`` of its ledger
        receipt when it is new or changed; "" for a record that is not selected."""
        return self._revisions.get(_key(record), "")

    def modified(self, record: Record | Tombstone | RecordKey, *dates: dt.datetime | None
                 ) -> dt.datetime | None:
        """When ``record`` was last modified, as this target's output dates it (an Atom
        ``updated``, a sitemap's ``lastmod``): the latest of ``dates`` (what the record
        itself says: its ``updated_at``, its major changes) and, once this target has
        published an earlier revision of it, the instant it published the current one:
        this run's ``as_of`` when the record is :attr:`updated` in this run (its receipt
        says ``updated`` or ``withdrawn``, also in a run at the instant of its first
        publication), else its last publication of a new revision (the state store's
        ``revised``). So an edit that bears no date of its own (a new title) still moves
        the date, a record new to this target keeps its own dates, and the date depends
        only on the state the run leaves: the same state, catalogue and ``as_of`` give the
        same date, on an incremental run and on a full one. None when there is no date at
        all. A date of ``dates`` comes back as it was given; an instant of publication in
        the catalogue's timezone."""
        found = [date for date in dates if date is not None]
        key = _key(record)
        if key in self.updated:
            revised: dt.datetime | None = self.as_of
        else:
            times = self._revised_times.get(key)
            revised = times[1] if times is not None else None
        if revised is not None:
            found.append(revised.astimezone(self.meta.zone))
        return max(found) if found else None

    @cached_property
    def _revised_times(self) -> Mapping[RecordKey, tuple[dt.datetime, dt.datetime]]:
        if self._revised_history is not None:
            return self._revised_history()
        return {key: times for key, times in self._times.items() if times[0] != times[1]}

    @cached_property
    def _times(self) -> Mapping[RecordKey, tuple[dt.datetime, dt.datetime]]:
        return self._history() if self._history is not None else {}

    def write(self, path: str, data: bytes | str) -> None:
        """Write one output file (relative POSIX path); unchanged bytes are not rewritten."""
        self._writer.write(path, data.encode("utf-8") if isinstance(data, str) else data)

    def remove(self, path: str) -> None:
        """Remove an output file that no longer has anything to show."""
        self._writer.remove(path)

    def keep(self, path: str) -> None:
        """Keep a file carried over from the last run as it is, even on a full run.

        For output that must never change once written (closed RFC 5005 archives); on a
        full run every carried-over file that is neither written nor kept is removed.
        """
        self._writer.keep(path)

    def listdir(self, folder: str) -> list[str]:
        """The names of the files directly in an output folder (as carried over from the
        last run, and written since), sorted: to remove what a record no longer shows."""
        result: list[str] = self._writer.listdir(folder)
        return result

    def exists(self, path: str) -> bool:
        """Whether the output (as carried over from the last run) holds ``path``."""
        return bool(self._writer.exists(path))

    def read(self, path: str) -> bytes | None:
        """The bytes of an output file carried over from the last run, or None."""
        result: bytes | None = self._writer.read(path)
        return result

    def file(self, path: str) -> bytes | None:
        """The bytes of a catalogue file a record names (one of its ``files``: a floor
        plan, a staff photo), or None: no catalogue folder, missing, larger than 10 MB, or
        outside the catalogue folder. The bytes are the publisher's to check (an SVG
        can hold scripts)."""
        return read_file(self.root, path)

    def file_digest(self, path: str) -> FileDigest | None:
        """The size and sha256 of what :meth:`file` reads (None where it reads nothing),
        without keeping the bytes: read once per run whoever asks (the selection hashes a
        record's files to tell a change), to decide which attachments the site copies
        (``pages.attachment_copies``)."""
        return file_digest(self.root, path)

    def warn(self, message: str) -> None:
        """Report something the publisher left out (a missing file, say) in the run's
        report; the record is still published."""
        self.warnings.append(message)

    def fail(self, record: Record | Tombstone | RecordKey, message: str) -> None:
        """Report that one record could not be published; the run goes on."""
        self.failures[_key(record)] = message

    def parallel(self, fn: Callable[[T], None], items: Sequence[T], *,
                 min_share: int | None = None) -> None:
        """Call ``fn(item)`` for every item, spread over up to :attr:`workers` processes.

        For the bulk of a publisher's work: one page per record, say. ``fn`` may use the
        job (write, fail, exists, read) as usual, and the items must write disjoint files.
        In a worker process, anything else ``fn`` changes (its own caches and counters)
        stays there; what it wrote and what failed is merged back. Fewer than
        ``min_share`` items per process (default 200), or a platform without a safe
        ``fork``, run everything in this process (lower it for a few big items, such as
        languages).
        """
        run_parallel(self, fn, items, self.workers, min_share)

    # -- for the worker processes of parallel() ---------------------------------------------

    def flush(self) -> None:
        """Wait until every file written so far is on disk."""
        self._writer.flush()

    def become_worker(self) -> None:
        """In a forked worker: write through a writer of its own, start with no failures,
        report no progress (the parent's display is not ours)."""
        self._writer = self._writer.for_worker()
        self.failures = {}
        self.warnings = []
        self.outbox.added = []
        self._progress = None

    def worker_result(self) -> tuple[Any, dict[RecordKey, str], list[str],
                                     list[Queued]]:
        """In a worker: what its writer did, the records that failed, its warnings and the
        deliveries it queued."""
        return self._writer.changes(), self.failures, self.warnings, self.outbox.added

    def merge(self, changes: Any, failures: dict[RecordKey, str],
              warnings: Sequence[str] = (),
              queued: Sequence[Queued] = ()) -> None:
        """In the parent: take in a worker's :meth:`worker_result`."""
        self._writer.merge(*changes)
        self.failures.update(failures)
        self.warnings.extend(warnings)
        self.outbox.added.extend(queued)

    def progress(self, done: int, total: int) -> None:
        """Tell the caller how far the publisher has come."""
        if self._progress is not None:
            self._progress(done, total)


