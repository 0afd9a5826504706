"""The ocds publisher: which packages exist, what they hold, and which to (re)write."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any, ClassVar

from ...model import Agency, Allocation, localize
from ...publishing import BasePublisher, Job
from ..pages import attachment_copies, clean
from .encode import dumps
from .options import DEFAULT_PREFIX, OcdsOptions
from .releases import Context, Json, package_date, releases_of, tombstone_release

__all__ = ["ALL", "OcdsPublisher", "package_path"]

#: The package of every release of every allocation.
ALL = "all.json"
#: The OCDS schema version the packages follow (1.1.5, written major.minor).
VERSION = "1.1"


def package_path(ident: str) -> str:
    """The package of one allocation, relative to the publisher's folder."""
    return f"allocations/{ident}.json"


class OcdsPublisher(BasePublisher):
    """Open Contracting Data Standard 1.1 release packages of the resource allocations."""

    name: ClassVar[str] = "ocds"
    Options: ClassVar[type[Any]] = OcdsOptions
    audiences: ClassVar[tuple[str, ...]] = ("public", "internal")
    version: ClassVar[str] = "4"  # 2: no user information in a text's URLs; 3: a document
    # is the site's copy only when the site makes one (pages.attachment_copies); 4: an
    # edit without a date of its own moves publishedDate (Job.modified)

    def __init__(self, options: OcdsOptions | None = None) -> None:
        super().__init__(options or OcdsOptions())
        self.options: OcdsOptions

    def shows(self, record_type: str) -> bool:
        """Only allocations appear (their agencies as parties, not as themselves)."""
        return record_type == Allocation.TYPE

    def publish(self, job: Job) -> None:
        """Write the package of each allocation the run touches, and the package of all."""
        _Run(job, self.options).render()


class _Run:
    """One publication: the allocations, their releases, the packages to write."""

    def __init__(self, job: Job, options: OcdsOptions) -> None:
        self.job = job
        self.options = options
        base = options.packages_url or f"{job.base_url}ocds/"
        self.url = base if base.endswith("/") else base + "/"
        self.ctx = Context(prefix=options.ocid_prefix, zone=job.meta.zone,
                           languages=job.languages, base_url=job.base_url,
                           copies=partial(attachment_copies, digests=job.file_digest))
        self.live = sorted((r for r in job.records if isinstance(r, Allocation)),
                           key=lambda r: r.id)
        self.stones = sorted((s for s in job.tombstones if s.type == Allocation.TYPE),
                             key=lambda s: s.id)

    def render(self) -> None:
        job = self.job
        if (self.live or self.stones) and self.options.ocid_prefix == DEFAULT_PREFIX:
            job.warn(f"ocid_prefix is the placeholder {DEFAULT_PREFIX!r}: register a "
                     "prefix with the Open Contracting Partnership and set [publish.ocds] "
                     "ocid_prefix, or the ocids are not globally unique")
        gone = sorted(ident for kind, ident in job.removed if kind == Allocation.TYPE)
        due = {r.id for r in self.live if job.must_render(r)}
        due |= {s.id for s in self.stones if job.must_render(s) or (
            s.agency is not None and (Agency.TYPE, s.agency) in job.touched)}
        if not (job.full or due or gone):
            return  # nothing an allocation shows changed: every package stays as it is
        everything: list[dict[str, Json]] = []
        changes: list[dt.datetime] = []
        for done, record in enumerate(self.live, 1):
            first = job.published(record)
            announced = first[0] if first is not None else job.as_of
            releases, warnings = releases_of(record, self._agency(record.agency), announced,
                                             self.ctx)
            # an edit that bears no date of its own (a new rule text) moves it too
            modified = job.modified(record, record.updated_at,
                                    *(change.at for change in record.changes if change.major))
            later = [] if modified is None else [modified]
            if job.full or record.id in due:
                for warning in warnings:
                    job.warn(warning)
                job.write(package_path(record.id),
                          self._package(package_path(record.id), releases, later))
            everything += releases
            changes += later
            job.progress(done, len(self.live) + len(self.stones))
        for stone in self.stones:
            release = tombstone_release(stone, self._agency(stone.agency), self.ctx)
            if job.full or stone.id in due:
                job.write(package_path(stone.id),
                          self._package(package_path(stone.id), [release], []))
            everything.append(release)
        for ident in gone:
            job.remove(package_path(ident))
        if everything:
            everything.sort(key=lambda release: release["ocid"])  # stable: stages in order
            job.write(ALL, self._package(ALL, everything, changes))
        else:
            job.remove(ALL)  # a package holds one release at least

    def _agency(self, ident: str | None) -> Agency | None:
        """The agency, if it is public: one that is not is never named."""
        return self.job.catalog.agency(ident) if ident else None

    def _package(self, path: str, releases: list[dict[str, Json]],
                 changes: list[dt.datetime]) -> bytes:
        meta, default = self.job.meta, self.ctx.default
        name = meta.publisher.name if meta.publisher else meta.name
        publisher = {"name": clean(localize(name, default, default)).strip() or "govdisclosure",
                     "uri": self.job.base_url}
        package: dict[str, Json] = {
            "uri": f"{self.url}{path}", "version": VERSION, "publisher": publisher,
            "publishedDate": package_date(releases, changes, self.ctx.zone),
            "releases": releases}
        if self.options.license:
            package["license"] = self.options.license
        return dumps(package)
