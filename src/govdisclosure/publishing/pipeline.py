"""The one publishing pipeline every publisher runs through (ADAPTERS.md).

load -> validate -> select -> diff against the state store -> render into a staging
release -> atomic switch -> receipts in the ledger -> report.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import cache, partial
from pathlib import Path
from typing import Any

import attrs

from .._gc import gc_paused
from ..audit.engine import profile_problem
from ..catalog import Catalog, CatalogMeta
from ..catalog.catalog import expect_catalog
from ..catalog.converter import default_converter
from ..errors import CatalogError, ConfigError, PublishError
from .config import (
    CONFIG_FILE,
    answers,
    config_error,
    default_run,
    failure,
    load_config,
    made,
    option_problems,
    publisher_names,
    structure_options,
    table_problems,
)
from .outbox import Outbox
from .output import Release, StagingWriter, exclusive, file_delta
from .parallel import default_workers
from .protocol import Job, PublisherReport, RecordKey, StateRow
from .receipts import Outcome, Shown, settle
from .registry import DESIGNED, available, publisher_class
from .selection import CatalogView, Selection, select
from .state import StateStore, lost_ledger, publication_times, state_path

__all__ = ["AUDIENCES", "PublishReport", "folder_digest", "publication_instant", "publish"]

#: ``media`` is the public audience plus the news releases still under embargo (marked as
#: such by the publisher): only a publisher that lists it in its ``audiences`` serves it.
AUDIENCES = ("public", "internal", "media")
Progress = Callable[[str, int, int], None]


@attrs.define(kw_only=True)
class PublishReport:
    """What a run did: one :class:`PublisherReport` per publisher of the run, in its order
    (a target that failed as a whole too, its ``state`` ``failed``)."""

    out: str
    as_of: str
    audience: str
    dry_run: bool
    publishers: list[PublisherReport]
    #: publishers of the configuration that were skipped, and why
    warnings: list[str] = attrs.Factory(list)

    @property
    def failed(self) -> int:
        """Records that failed in any publisher."""
        return sum(report.failed for report in self.publishers)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return attrs.asdict(self)


def publish(
    catalog: Catalog,
    to: str | Sequence[str | type[Any]] | None = None,
    out: str | Path | None = None,
    as_of: dt.datetime | dt.date | None = None,
    *,
    audience: str = "public",
    full: bool = False,
    dry_run: bool = False,
    options: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> PublishReport:
    """Publish the publishable part of ``catalog`` with each publisher in ``to``.

    Args:
        catalog: a loaded (or in-memory) catalogue.
        to: publisher names (or publisher classes, for code that embeds its own), or one
            string of comma-separated names as ``--to`` takes them; default: ``[publish]
            to`` of govdisclosure.toml, else every installed built-in (None; an empty list
            or string is a ConfigError). A publisher given twice runs once, in its first
            place.
        out: the output root; default ``[publish] out``, else ``public``.
        as_of: the instant of publication (default: now): a naive datetime is read in the
            catalogue's timezone, a date means the end of that day there (as ``--as-of``).
        audience: ``public``, ``internal`` or ``media`` (the public audience plus news
            releases under embargo, for publishers that serve it); one output root serves
            one audience.
        full: rebuild everything instead of only what changed.
        dry_run: compute what would change, write nothing.
        options: ``name -> options`` for publishers of this run: a table's keys over
            those of the file's ``[publish.NAME]`` table, or an Options instance, taken
            as it is. A name this run does not publish is a ConfigError.
        progress: called with ``(publisher, done, total)``.
        workers: processes a publisher may spread its work over (default: one per CPU;
            1 renders everything in this process). The output does not depend on it.

    Returns:
        The report; per-record failures are in it, not raised.

    Raises:
        CatalogError: the catalogue's ``profile`` cannot be loaded (as ``validate`` says).
        ConfigError: an argument of the wrong type (``catalog`` no Catalog, ``out`` no
            path or an existing file), unknown publisher, option or audience, a wrong key
            or table of govdisclosure.toml (as ``validate`` lists them; the table of an
            installed publisher outside the run included), two publishers of one name, an
            option that does not fit the catalogue, a publisher that cannot run on this
            machine, or a mismatched output root; raised before any publisher runs.
        PublishError: a whole target failed; its previous output stays in place (``report``:
            what every target did, the failed one with ``state`` ``failed``). Or a
            publisher raised in ``__init__``, ``preflight`` or ``check_catalog``, before any
            publisher ran (``report`` None).
            An exception in ``after_switch`` is a warning of the report instead.
    """
    _check_arguments(catalog, out, audience, options, workers)
    moment = publication_instant(as_of, catalog.meta.zone)
    profile = profile_problem(catalog)
    if profile is not None:  # a catalogue that validate refuses is not published either
        raise CatalogError([profile])
    to = _targets(to)
    # publishers given as classes need no installation: their option tables are known too
    config = load_config(catalog.root, also=[e.name for e in to or () if isinstance(e, type)])
    names = list(dict.fromkeys(to or default_run(config)))  # named twice: run once
    # one configuration serves every install: the design's publishers that this one lacks
    # (kiosk, news, ...) are skipped, with a warning; asked for by name, they are an error
    skipped = [] if to else [name for name in names
                             if name in DESIGNED and name not in available()]
    names = [name for name in names if name not in skipped]
    root = Path(out or config.get("out") or "public")  # relative to the working directory
    if root.exists() and not root.is_dir():
        raise ConfigError(f"out: {root} is a file, not a folder: the output root is a folder "
                          "(made if missing)", key="out")
    classes = _classes(names)
    # configured (or default) publishers run for the audiences they serve: `--audience
    # media` runs the news publisher alone; asked for by name, one that does not is an error
    unserved = [] if to else [cls.name for cls in classes if audience not in cls.audiences]
    classes = [cls for cls in classes if cls.name not in unserved]
    if unserved and not classes:
        raise ConfigError(f"no publisher of this run serves the {audience!r} audience "
                          f"({', '.join(unserved)} do not)", key="audience")
    merged = {cls.name: _over(config.get(cls.name), (options or {}).get(cls.name))
              for cls in classes}
    stray = sorted(set(options or ()) - set(merged))
    if stray:  # a misspelt name would publish with the file's options, unnoticed
        raise ConfigError(f"options for {', '.join(map(repr, stray))}, which this run does not "
                          f"publish (to: {', '.join(merged) or 'none'})",
                          publisher=stray[0], key="options")
    # the file is refused as a whole, as validate refuses it: a wrong table of a publisher
    # outside this run too (the run's own are structured below, with options= over them)
    plan, problems = [], table_problems(config, skip=merged)
    for cls in classes:
        name = cls.name
        if audience not in cls.audiences:
            raise ConfigError(f"publisher {name!r} does not serve the {audience!r} audience",
                              publisher=name)
        try:
            opts = structure_options(name, cls.Options, merged.get(name))
        except ConfigError as exc:  # a table of the file: the error names the file
            if options and name in options:
                raise
            problems += option_problems(name, exc)
            continue
        plan.append((name, cls, opts))
    if problems:  # every table of the file that is wrong, not only the first
        raise config_error(catalog.root, problems)
    preflight(catalog, plan, audience, moment)
    workers = workers or default_workers()
    # The cyclic collector is paused for the run (the selection, state rows and look-ups
    # make no cycles; see _gc). It resumes once _run's locals are gone, so that its first
    # pass does not traverse them (0.2 s at 100k records).
    warnings = [f"publisher {name!r} of {CONFIG_FILE} is not installed here: skipped"
                for name in skipped]
    warnings += [f"publisher {name!r} does not serve the {audience!r} audience: skipped"
                 for name in unserved]
    with gc_paused():
        reports, errors = _run(catalog, plan, root, moment, audience, full=full,
                               dry_run=dry_run, progress=progress, workers=workers,
                               warnings=warnings)
    report = PublishReport(out=str(root), as_of=moment.isoformat(), audience=audience,
                           dry_run=dry_run, publishers=reports, warnings=warnings)
    if errors:  # every other target was published: the error carries their report
        error = PublishError("; ".join(map(str, errors)), publisher=errors[0].publisher,
                             config=any(e.config for e in errors))
        error.report = report
        raise error from errors[0]  # --debug shows the publisher's own traceback
    return report


def _check_arguments(catalog: object, out: object, audience: object, options: object,
                     workers: object) -> None:
    """Refuse arguments of :func:`publish` of the wrong type, each with what it takes, before
    they fail deep inside as an ``AttributeError`` or ``TypeError``.

    Raises:
        ConfigError: naming the argument.
    """
    expect_catalog(catalog)
    if audience not in AUDIENCES:
        raise ConfigError(f"unknown audience {audience!r} (public, internal or media)",
                          key="audience")
    if workers is not None and (not isinstance(workers, int) or isinstance(workers, bool)
                                or workers < 1):
        raise ConfigError(f"workers must be a whole number of at least 1, not {workers!r}",
                          key="workers")
    if out is not None and not isinstance(out, str | os.PathLike):
        raise ConfigError(f"out must be a folder, a str or a pathlib.Path, not "
                          f"{type(out).__name__}", key="out")
    if options is not None and not isinstance(options, Mapping):
        raise ConfigError("options must be a mapping of publisher name to its options, like "
                          f"{{\"feeds\": {{\"limit\": 20}}}}, not {type(options).__name__}",
                          key="options")


def _classes(names: Iterable[str | type[Any]]) -> list[Any]:
    """The publisher classes of a run, each once: ``"site"`` and the class it names are one
    publisher.

    Raises:
        ConfigError: a name is not installed, or two classes have one name (each would
            write into its folder of the output root).
    """
    classes: list[Any] = list(dict.fromkeys(publisher_class(entry) for entry in names))
    twice = [name for name, count in Counter(cls.name for cls in classes).items() if count > 1]
    if twice:
        raise ConfigError(f"two publishers named {twice[0]!r} in to: each writes into "
                          f"{twice[0]}/ of the output root", publisher=twice[0], key="to")
    return classes


def _targets(to: str | Sequence[str | type[Any]] | None,
             ) -> Sequence[str | type[Any]] | None:
    """``to`` as a list (a string's comma-separated names); None: the configured ones.

    Raises:
        ConfigError: ``to`` names no publisher (as ``--to ''``: not "the default", which
            is every installed publisher).
    """
    if isinstance(to, str):
        to = publisher_names(to)
    elif to is not None:
        if not isinstance(to, Iterable) or isinstance(to, bytes | Mapping):
            raise ConfigError("to must be publisher names (a list, or one string of them "
                              f"separated by commas, like \"site, feeds\"), not "
                              f"{type(to).__name__}", key="to")
        to = list(to)
        wrong = [entry for entry in to if not isinstance(entry, str | type)]
        if wrong:
            raise ConfigError(f"to: {wrong[0]!r} is neither a publisher's name nor a "
                              "publisher class", key="to")
    if to is not None and not to:
        raise ConfigError("to names no publisher (None runs the configured ones)", key="to")
    return to


def _over(table: Any, given: Any) -> Any:
    """A publisher's options: the keys ``given`` through the API over the file's table (an
    Options instance given is taken as it is)."""
    if given is None:
        return table
    if isinstance(table, dict) and isinstance(given, Mapping):
        return {**table, **given}
    return given


def _run(catalog: Catalog, plan: list[tuple[str, Any, Any]], root: Path, moment: dt.datetime,
         audience: str, *, full: bool, dry_run: bool, progress: Progress | None,
         workers: int, warnings: list[str]) -> tuple[list[PublisherReport], list[PublishError]]:
    """Each publisher of ``plan`` in turn: :func:`publish` without its argument checks.

    A target that fails as a whole keeps its previous output; the others still run. Returns
    the reports of every target (one that failed with ``state`` ``failed``) and the errors
    of those that failed; warnings of the run as a whole are added to ``warnings``.
    """
    if dry_run and (not state_path(root).is_file() or not state_path(root).stat().st_size):
        selection = select(catalog, moment, audience, workers=workers)
        reports, errors = [], []
        for name, cls, opts in plan:
            try:
                reports.append(_dry_report(name, cls, opts, catalog,
                                           selection.for_channel(name), moment, audience, None))
            except PublishError as exc:
                errors.append(exc)
                reports.append(_failed(root, name, exc))
        return reports, errors
    # an output root that is not ours is refused here, before the state store is made
    releases = {name: Release(root, name) for name, _, _ in plan}
    with contextlib.nullcontext(0.0) if dry_run else exclusive(root) as waited:
        if waited >= 1:
            warnings.append(f"waited {waited:.0f} s for another publication into {root} to "
                            "finish")
        return _run_locked(catalog, plan, root, moment, audience, releases, full=full,
                           dry_run=dry_run, progress=progress, workers=workers,
                           warnings=warnings)


#: How far ``as_of`` may be ahead of this machine's clock before a run warns of it.
_CLOCK_SLACK = dt.timedelta(minutes=5)


def _run_locked(catalog: Catalog, plan: list[tuple[str, Any, Any]], root: Path,
                moment: dt.datetime, audience: str, releases: dict[str, Release], *,
                full: bool, dry_run: bool, progress: Progress | None, workers: int,
                warnings: list[str]) -> tuple[list[PublisherReport], list[PublishError]]:
    """:func:`_run` once the output root is this run's alone (a dry run writes nothing)."""
    errors: list[PublishError] = []
    reports = []
    lost = None if dry_run else lost_ledger(state_path(root))
    with StateStore(state_path(root), read_only=dry_run) as state:
        if lost is not None:
            warnings.append(f"{lost}; a new ledger starts with this run, and `ledger "
                            "verify` reports the gap")
        latest = state.latest_receipt()
        if latest is not None and moment < dt.datetime.fromisoformat(latest):
            warnings.append(f"publishing as of {moment.isoformat()}, before the ledger's last "
                            f"receipt ({latest}): the receipts this run writes, if any, are "
                            "dated earlier than those before them, and `ledger verify` will "
                            "say so")
        now = dt.datetime.now(dt.UTC)
        if moment > now + _CLOCK_SLACK:
            warnings.append(f"publishing as of {moment.isoformat()}, later than now "
                            f"({now.isoformat(timespec='seconds')}): what is embargoed until "
                            "then (publish_at) is published by this run, and its receipts "
                            "are dated as of then")
        stored = state.get_meta("audience")
        if stored is not None and stored != audience:
            raise ConfigError(f"{root} holds {stored!r} output; publish the {audience!r} "
                              "audience into another --out", key="audience")
        # Each target's next release is staged first: a hard-link copy of the current one,
        # where one is needed, runs in the background while the records are selected.
        staged = {} if dry_run else {
            name: (release, release.stage(carry_over=True, wait=False))
            for name, release in releases.items()}
        try:
            selection = select(catalog, moment, audience, workers=workers)
            for name, cls, opts in plan:
                chosen = selection.for_channel(name)
                try:
                    if dry_run:
                        reports.append(_dry_report(name, cls, opts, catalog, chosen, moment,
                                                   audience, state))
                        continue
                    reports.append(_run_target(
                        root, state, name, cls, opts, catalog, chosen, moment, audience, full,
                        _progress_of(progress, name), workers, staged.pop(name),
                    ))
                except PublishError as exc:
                    errors.append(exc)
                    reports.append(_failed(root, name, exc))
        finally:
            for release, staging in staged.values():  # targets left out by a failure
                release.discard(staging)
    return reports, errors


def _failed(root: Path, name: str, exc: PublishError) -> PublisherReport:
    """The report of a target that failed as a whole: nothing of it published, its output
    left as it was."""
    return PublisherReport(name=name, out=str(root / name), state="failed", error=str(exc))


def publication_instant(as_of: dt.datetime | dt.date | None, zone: dt.tzinfo) -> dt.datetime:
    """The aware instant to publish at: now, a datetime (naive: in ``zone``, the catalogue's
    timezone, as MODEL.md reads naive datetimes), or the end of a day in ``zone``; always
    expressed in ``zone``, so that one instant spelled two ways (``18:00+08:00``,
    ``10:00Z``) gives the same output and receipts.

    Raises:
        ConfigError: ``as_of`` is none of these.
    """
    if as_of is None:
        return dt.datetime.now(zone)
    if not isinstance(as_of, dt.date):
        raise ConfigError(f"as_of must be a date or datetime, not {type(as_of).__name__}",
                          key="as_of")
    try:
        if isinstance(as_of, dt.datetime):
            moment = as_of.astimezone(zone) if as_of.tzinfo else as_of.replace(tzinfo=zone)
        else:
            moment = dt.datetime.combine(as_of, dt.time(23, 59, 59), tzinfo=zone)
        moment.astimezone(dt.UTC)  # every instant compared with it must be one UTC can show
    except OverflowError:
        raise ConfigError(f"as of {as_of.isoformat()} is out of range: in UTC or in the "
                          "catalogue timezone it falls outside years 1 to 9999",
                          key="as_of") from None
    return moment


def _counts(report: PublisherReport, outcome: Outcome) -> PublisherReport:
    """The report's counts of records: those of the run's receipts, and the records shown
    that got none."""
    report.written = outcome.written
    report.withdrawn = outcome.withdrawn
    report.removed = outcome.removed
    report.unchanged = outcome.unchanged
    return report


def _fill(report: PublisherReport, writer: StagingWriter, job: Job, outcome: Outcome
          ) -> PublisherReport:
    failures = job.failures
    _counts(report, outcome)
    report.warnings = list(job.warnings)
    report.failed = len(failures)
    report.failures = [{"record": f"{kind}:{ident}", "message": message}
                       for (kind, ident), message in sorted(failures.items())]
    report.files_written = writer.written
    report.files_unchanged = writer.unchanged
    report.files_removed = writer.removed
    report.bytes = writer.bytes
    return report


def _progress_of(progress: Progress | None, name: str) -> Callable[[int, int], None] | None:
    if progress is None:
        return None
    return lambda done, total: progress(name, done, total)


def _options_hash(publisher: Any, options: Any, meta: CatalogMeta, root: Path | None) -> str:
    """What, besides the records, decides a target's output: a change means a full rebuild.

    That is the publisher's ``version``, options and package files (:func:`assets_digest`),
    the catalogue metadata, and what its optional ``fingerprint(root)`` hook answers (the
    site: its theme folder's files).
    """
    cls = type(publisher)
    converter = default_converter()
    fingerprint = getattr(publisher, "fingerprint", None)
    # ``version`` is optional (ADAPTERS.md asks for name, options and audiences only)
    data = [getattr(cls, "version", ""), converter.unstructure(options),
            converter.unstructure(meta), assets_digest(cls.__module__),
            "" if fingerprint is None else str(fingerprint(root))]
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@cache
def assets_digest(module_name: str) -> str:
    """The digest of the files that are not Python (templates, scripts, style sheets,
    images) in the folder of the package of module ``module_name``, a publisher's, and
    below it: a change to them (an upgrade that changes a kiosk's script) changes the
    output as a new ``version`` does, without waiting for someone to bump it. ``""`` for
    a module outside any package (its folder may be all of site-packages)."""
    origin = getattr(sys.modules.get(module_name), "__file__", None)
    if origin is None or ("." not in module_name and not origin.endswith("__init__.py")):
        return ""
    return folder_digest(Path(origin).parent, skip=_CODE)


def folder_digest(folder: Path, skip: Collection[str] = ()) -> str:
    """The digest of the files below ``folder``: each one's path relative to it and its
    bytes, in sorted order, so that a file changed, added, removed or renamed changes it
    (each file read once). Hidden files and folders (``.DS_Store``, an editor's swap
    file), ``__pycache__`` and files whose suffix is in ``skip`` are left out."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if (path.suffix in skip or "__pycache__" in relative.parts
                or any(part.startswith(".") for part in relative.parts) or not path.is_file()):
            continue
        digest.update(os.fsencode(relative.as_posix()) + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


#: Files of a package that :func:`assets_digest` leaves out: code, whose changes that
#: matter come with a new ``version``.
_CODE = frozenset({".py", ".pyc", ".pyi", ".typed"})


def _diff(hashes: dict[RecordKey, str], fresh: dict[RecordKey, StateRow],
          old: Mapping[RecordKey, StateRow]) -> tuple[set[RecordKey], set[RecordKey]]:
    """The changed records (only ``fresh`` ones can be) and the removed ones."""
    changed = {key for key, (digest, _) in fresh.items()
               if key not in old or old[key][0] != digest}
    return changed, set(old.keys() - hashes.keys())


def _instant(text: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:  # pragma: no cover - only ever written by this module
        return None


def _updated(changed: set[RecordKey], known: Mapping[RecordKey, object],
             hidden: set[RecordKey]) -> list[RecordKey]:
    """The records a target published before (and showed) whose revision is new in this
    run: the keys of :attr:`Job.updated`."""
    return [key for key in changed if key in known and key not in hidden]


def _settle_failures(failed: set[RecordKey], known: Mapping[RecordKey, StateRow],
                     fresh: dict[RecordKey, StateRow], *, full: bool) -> set[RecordKey]:
    """Leave in ``fresh`` what the state keeps of failed records; return those lost.

    A failed record keeps its last good revision and is retried next run. A full run
    removed its files with everything it did not write: such a record is lost, unpublished
    here (a receipt says so) and published again by the next run that renders it.
    """
    lost = failed & known.keys() if full else set()
    for key in failed:
        if key in known and key not in lost:
            fresh[key] = known[key]
        else:
            fresh.pop(key, None)
    return lost


def _dry_report(name: str, cls: type[Any], options: Any, catalog: Catalog,
                selection: Selection, moment: dt.datetime, audience: str,
                state: StateStore | None) -> PublisherReport:
    """The counts a run would report (of the records the publisher shows), from the state
    store, if there is one: its ``shown`` is asked of a job whose output cannot be used."""
    old = state.record_state(name) if state is not None else {}
    hidden = state.hidden(name) if state is not None else set()
    hashes, fresh = selection.revisions(old)
    changed, removed = _diff(hashes, fresh, old)
    job = Job(records=selection.records, tombstones=selection.tombstones, meta=catalog.meta,
              options=options, as_of=moment, audience=audience, full=False,
              changed=frozenset(changed), removed=frozenset(removed),
              writer=_Closed(name, "in shown on a dry run, which has none"), root=catalog.root,
              previous_as_of=_instant(state.get_meta(f"as_of:{name}"))
              if state is not None else None,
              history=partial(_stored_times, state, name),
              revised_history=partial(_stored_times, state, name, revised=True),
              revisions=hashes, updated=_stored_times(state, name,
                                                      keys=_updated(changed, old, hidden)))
    try:  # the publisher's code
        shown = Shown(cls(options))
        left_out = shown.left_out(job, hashes)
    except Exception as exc:
        raise failure(name, exc) from exc
    outcome = settle(shown, keys=hashes.keys(), changed=changed, removed=removed,
                     stones={stone.key for stone in selection.tombstones}, known=old,
                     before=hidden, left_out=left_out)
    return _counts(PublisherReport(name=name), outcome)


def _stored_times(state: StateStore | None, name: str, *, revised: bool = False,
                  keys: Iterable[RecordKey] | None = None,
                  ) -> Mapping[RecordKey, tuple[dt.datetime, dt.datetime]]:
    """A dry run's publication times (:meth:`Job.published`, :attr:`Job.updated`), read
    through its connection to the state store ({} without one)."""
    if state is None:
        return {}
    return state.publication_times(name, revised=revised, keys=keys)


def _file_changes(writer: StagingWriter, before: dict[str, str] | None, full: bool,
                  ) -> dict[str, str | None] | None:
    """The files that changed since the release the state describes (None: it does not
    know that release's files)."""
    if before is None:
        return None
    # an incremental writer started from `before`; a full one started empty
    return file_delta(before, writer.files) if full else writer.delta


def _run_target(
    root: Path,
    state: StateStore,
    name: str,
    cls: type[Any],
    options: Any,
    catalog: Catalog,
    selection: Selection,
    moment: dt.datetime,
    audience: str,
    full: bool,
    progress: Callable[[int, int], None] | None,
    workers: int,
    staged: tuple[Release, Path],
) -> PublisherReport:
    started = time.perf_counter()
    release, staging = staged
    config_key = f"config:{name}"
    publisher, shown, config_hash = _prepare(name, cls, options, catalog, staged)
    known = state.record_state(name)
    current = release.current()
    # a crash between the switch and the state commit: state and output disagree
    consistent = current is not None and state.get_meta(f"release:{name}") == current.name
    full = full or not consistent or state.get_meta(config_key) != config_hash
    # a full run hashes every record again rather than trust the stored hashes
    hashes, fresh = selection.revisions({} if full else known)
    changed, removed = _diff(hashes, fresh, known)
    at = moment.isoformat()
    # Output may depend on the instant too (a month's feed archive closes, a consultation
    # opens): the publisher is skipped only when neither the records nor the instant moved.
    instant_key = f"as_of:{name}"
    hidden = state.hidden(name)
    if not full and not changed and not removed and state.get_meta(instant_key) == at:
        release.keep(staging)
        if fresh:  # the same content read from other sources: keep their digests
            state.commit_run(target=name, at=at, records=fresh, removed=(), actions=(),
                             files={}, meta={})
        report = PublisherReport(name=name, out=str(root / name),
                                 unchanged=shown.count(hashes, hidden))
        if state.pending_deliveries(name):  # what earlier runs could not deliver
            _after_switch(publisher, _idle_job(state, name, options, catalog, selection,
                                               moment, audience, hashes, workers), report)
        report.seconds = round(time.perf_counter() - started, 3)
        return report
    # the current release's files, where the state knows them (a hard-link copy into the
    # staging folder may still be running: the writer waits for it when first used, while
    # the publisher builds its look-ups)
    before = state.file_hashes(name) if consistent else None
    previous = None if full else before
    # Writer threads overlap file creation with rendering on an idle CPU: with more than one
    # worker, job.parallel keeps the CPUs busy and the threads only contend for the GIL.
    writer = StagingWriter(staging, previous or {}, full=full, ready=release.wait_copy,
                           threads=4 if workers == 1 else 0, carried=before if full else None)
    job = Job(records=selection.records, tombstones=selection.tombstones, meta=catalog.meta,
              options=options, as_of=moment, audience=audience, full=full,
              changed=frozenset(hashes if full else changed),
              removed=frozenset(removed), writer=writer,
              progress=progress, workers=workers, root=catalog.root,
              previous_as_of=_instant(state.get_meta(instant_key)) if not full else None,
              history=partial(publication_times, state.path, name),
              revised_history=partial(publication_times, state.path, name, revised=True),
              revisions=hashes, outbox=Outbox(state.path, name),
              updated=state.publication_times(name, keys=_updated(changed, known, hidden)))
    try:
        publisher.publish(job)
        writer.finish()
        left_out = shown.left_out(job, hashes)
    except Exception as exc:
        with contextlib.suppress(Exception):
            writer.close()
        release.discard(staging)
        raise failure(name, exc) from exc
    delta = _file_changes(writer, before, full)
    if writer.changed or full:
        release.switch(staging, delta)
        current = staging
    else:
        release.keep(staging)
    failed = set(job.failures)
    lost = _settle_failures(failed, known, fresh, full=full)
    outcome = settle(shown, keys=hashes.keys(), changed=changed, removed=removed,
                     stones={stone.key for stone in selection.tombstones}, known=known,
                     before=hidden, left_out=left_out, failed=failed, lost=lost)
    state.commit_run(target=name, at=at, records=fresh, removed=removed | lost,
                     actions=outcome.actions, hidden=outcome.hidden,
                     files=writer.files if delta is None else delta, replace_files=delta is None,
                     meta={config_key: config_hash, "audience": audience, instant_key: at,
                           f"release:{name}": current.name if current else ""},
                     outbox=job.outbox.added)
    report = _fill(PublisherReport(name=name, out=str(root / name)), writer, job, outcome)
    if writer.changed or state.pending_deliveries(name):
        _after_switch(publisher, job, report)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _prepare(name: str, cls: type[Any], options: Any, catalog: Catalog,
             staged: tuple[Release, Path]) -> tuple[Any, Shown, str]:
    """A target's publisher, what it ``shows`` and its :func:`_options_hash`; one whose code
    raises there (a ``fingerprint`` that cannot read a theme folder) fails as a whole, its
    staged release discarded."""
    try:
        publisher = cls(options)
        return (publisher, Shown(publisher),
                _options_hash(publisher, options, catalog.meta, catalog.root))
    except Exception as exc:
        release, staging = staged
        release.discard(staging)
        raise failure(name, exc) from exc


def _idle_job(state: StateStore, name: str, options: Any, catalog: Catalog,
              selection: Selection, moment: dt.datetime, audience: str,
              hashes: Mapping[RecordKey, str], workers: int) -> Job:
    """The job of a run that changed nothing, for the ``after_switch`` that delivers what
    earlier runs could not: its output is live and cannot be used."""
    return Job(records=selection.records, tombstones=selection.tombstones, meta=catalog.meta,
               options=options, as_of=moment, audience=audience, full=False,
               changed=frozenset(), removed=frozenset(),
               writer=_Closed(name, "in after_switch on a run that changed nothing"),
               workers=workers, root=catalog.root, revisions=hashes,
               outbox=Outbox(state.path, name))


def preflight(catalog: Catalog, plan: Sequence[tuple[str, Any, Any]], audience: str,
              moment: dt.datetime) -> None:
    """Refuse the run before its first target runs (none is switched, nothing written)
    when anything stands in the way of a publisher of ``plan``: options that do not fit
    the catalogue (its ``check_catalog``: ``[publish.NAME] key: ...``), or what this
    machine lacks (its ``preflight``: ``NAME: ...``).

    Raises:
        ConfigError: naming every such reason, and the first publisher concerned.
        PublishError: a publisher raised in ``__init__``, ``check_catalog`` or
            ``preflight`` (naming it and the method; its ``report`` is None).
    """
    found = []
    for name, cls, opts in plan:
        publisher = made(name, cls, opts)
        view = CatalogView(catalog, name, audience, moment)
        found += [(name, f"[publish.{name}] {reason}")
                  for reason in answers(publisher, "check_catalog", view)]
        found += [(name, f"{name}: {reason}") for reason in answers(publisher, "preflight")]
    if found:
        raise ConfigError("; ".join(reason for _, reason in found), publisher=found[0][0],
                          key="preflight")


def _after_switch(publisher: Any, job: Job, report: PublisherReport) -> None:
    """The publisher's optional ``after_switch`` hook: its warnings, and the records it
    failed there (published, not yet delivered: webhook), go in the report. The output is
    live and its receipts committed by then: an exception there is a warning too."""
    hook = getattr(publisher, "after_switch", None)
    before = set(job.failures)
    try:
        report.warnings += [] if hook is None else [str(warning) for warning in hook(job)]
    except Exception as exc:  # noqa: BLE001 - the publication stands: say so, keep the report
        report.warnings.append(f"after_switch failed: {type(exc).__name__}: {exc}")
    finally:
        job.outbox.close()
    owed = sorted(set(job.failures) - before)
    report.failed += len(owed)
    report.failures += [{"record": f"{kind}:{ident}", "message": job.failures[kind, ident]}
                        for kind, ident in owed]


class _Closed:
    """The writer of a job whose output must not be used: one made only for
    ``after_switch`` (a run that changed nothing, with deliveries pending: the output is
    live and stays as it is), or for ``shown`` in a dry run."""

    def __init__(self, name: str, where: str) -> None:
        self.name = name
        self.where = where

    def _refuse(self, *args: object) -> Any:
        raise PublishError(f"publisher {self.name!r} used its output {self.where}: write and "
                           "read in publish", publisher=self.name)

    write = remove = keep = read = exists = listdir = flush = _refuse
