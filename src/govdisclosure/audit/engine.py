"""``audit()``: run a profile's rules over a catalogue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

from ..calendar import WorkingCalendar
from ..catalog import Catalog
from ..catalog.catalog import expect_catalog, ref_key, references
from ..errors import ConfigError, GovDisclosureError, Problem
from ..model import Record
from .context import Context
from .findings import AuditReport
from .profile import Profile, load_profile
from .rules import RULES

__all__ = ["audit", "data_since", "known_on", "profile_problem", "resolve_profile"]


def resolve_profile(catalog: Catalog, profile: Profile | str | Path | None) -> Profile:
    """The profile given, else the catalogue's ``profile``, else ``generic``.

    A relative path in ``catalog.toml`` is read relative to the catalogue folder.
    """
    if isinstance(profile, Profile):
        return profile
    if profile is not None:
        return load_profile(profile)
    named = catalog.meta.profile
    if named and (named.endswith(".toml") or "/" in named) and catalog.root is not None:
        path = Path(named)
        return load_profile(path if path.is_absolute() else catalog.root / path)
    return load_profile(named)


def profile_problem(catalog: Catalog) -> Problem | None:
    """The catalogue's own ``profile`` (``catalog.toml``) when the audit could not load it
    (unknown, unreadable, invalid): a problem of the catalogue, which ``validate`` lists
    and ``publish`` refuses. None when it loads, and for a catalogue without one (one built
    in memory, by default), which the audit runs with ``generic``."""
    try:
        resolve_profile(catalog, None)
    except GovDisclosureError as exc:
        return Problem(file="catalog.toml", field="catalog.profile", message=str(exc))
    return None


def audit(
    catalog: Catalog,
    as_of: dt.date,
    profile: Profile | str | Path | None = None,
    first_published: Mapping[tuple[str, str], dt.datetime] | None = None,
    *,
    calendar: WorkingCalendar | None = None,
    publications: Mapping[tuple[str, str], Sequence[dt.datetime]] | None = None,
) -> AuditReport:
    """Check a catalogue against a profile's rules.

    Args:
        catalog: the catalogue.
        as_of: the audit day (time limits are judged at the end of this day, in the
            catalogue's timezone).
        profile: a :class:`Profile`, a built-in name, a path to a ``.toml`` file, or None
            for the catalogue's ``profile`` (else ``generic``).
        first_published: first publication of each record, ``(type, id) -> instant``, as
            the ledger of a public output records it (records for the internal audience
            are then not judged by ``disclosure.late``). None: a record counts as
            published at its ``publish_at`` (or when issued, without one); see
            docs/audit.md.
        calendar: the working-day calendar; default from the catalogue's metadata.
        publications: every publication of new content of each record, ``(type, id) ->
            instants`` in time order, from the ledger (:func:`publishing.publications`):
            rules with ``changes = true`` (``disclosure.late`` of ``cn-ogi-2019``) judge
            when each change was published. None: changes are not judged.

    Returns:
        The sorted findings and their summary.

    Raises:
        ConfigError: ``catalog`` is no Catalog, the profile is missing or invalid, or
            ``as_of`` is not a date.
        CalendarError: a time limit reaches a year the calendar does not cover.
    """
    expect_catalog(catalog)
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    if not isinstance(as_of, dt.date):
        raise ConfigError(f"as_of must be a date, not {type(as_of).__name__} {as_of!r}",
                          key="as_of")
    chosen = resolve_profile(catalog, profile)
    catalog = known_on(catalog, as_of)
    context = Context(catalog, chosen, as_of, first_published, calendar, publications)
    findings = [finding for code, rule in chosen.rules.items()
                for finding in RULES[code](context, rule)]
    return AuditReport.build(findings, as_of=as_of, profile=chosen, records=len(catalog),
                             languages=context.languages)


def known_on(catalog: Catalog, day: dt.date) -> Catalog:
    """The catalogue as it stood at the end of ``day`` (in its timezone): a record formed
    (``issued_at``) or received (``received_at``) later is neither judged nor counted, so
    that an audit of an earlier year does not find an allocation "missing" its stages
    before it existed. The records a kept one names in its fields stay (an item of a case,
    the hotline of a call), whatever their date, so that every rule finds what it looks
    up.

    A record withdrawn after ``day`` was still in force then: it stands as it did,
    approved (a regulation abolished the next year is this year's data, and is judged by
    an audit of this year).

    A record with neither date (an agency, a service window) stands from the day the
    catalogue's data begin (:func:`data_since`): before that day the catalogue holds no
    data, and is empty."""
    end = dt.datetime.combine(day, dt.time.max, catalog.meta.zone)
    since = data_since(catalog)
    if since is not None and since > end:
        return Catalog([], catalog.meta, root=catalog.root, sources=catalog.sources,
                       check=False)
    later = {(r.TYPE, r.id) for r in catalog if (formed := _formed(r)) and formed > end}
    standing = {(r.TYPE, r.id): attrs.evolve(r, status="approved", withdrawn=None)
                for r in catalog if r.withdrawn is not None and r.withdrawn.on > day}
    if not later and not standing:
        return catalog
    kept = [standing.get((r.TYPE, r.id), r) for r in catalog if (r.TYPE, r.id) not in later]
    named = {key for record in kept for key in _targets(catalog, record)}
    kept += [standing.get(key, record) for key in sorted(later & named)
             if (record := catalog.get(*key))]
    return Catalog(kept, catalog.meta, root=catalog.root, sources=catalog.sources, check=False)


def data_since(catalog: Catalog) -> dt.datetime | None:
    """When the catalogue's data begin: the instant its first record that is not a draft
    was formed or received. A withdrawn record counts: it was in force until withdrawn (a
    regulation abolished in a year is that year's data). None when no such record has
    either date: such a catalogue is timeless, whole on any day."""
    return min((formed for r in catalog
                if r.publication_status != "draft" and (formed := _formed(r))), default=None)


def _formed(record: Record) -> dt.datetime | None:
    moment = getattr(record, "received_at", None) or getattr(record, "issued_at", None)
    return moment if isinstance(moment, dt.datetime) else None


def _targets(catalog: Catalog, record: Record) -> list[tuple[str, str]]:
    """``(type, id)`` of the records ``record`` names that resolve in ``catalog``, but
    through ``related`` (no rule looks those up: a later record a kept one relates to
    stays out)."""
    found = []
    for path, ref, kind in references(record):
        if ref and not path.startswith("related."):
            target, ident = ref_key(ref, kind)
            named = catalog.get(target, ident) if target else catalog.resolve(ident)
            if named is not None:
                found.append((named.TYPE, named.id))
    return found
