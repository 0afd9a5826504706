"""``audit()``: run a profile's rules over a catalogue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..calendar import WorkingCalendar
from ..catalog import Catalog
from ..errors import ConfigError
from .context import Context
from .findings import AuditReport
from .profile import Profile, load_profile
from .rules import RULES

__all__ = ["audit", "resolve_profile"]


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
        ConfigError: the profile is missing or invalid, or ``as_of`` is not a date.
        CalendarError: a time limit reaches a year the calendar does not cover.
    """
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    if not isinstance(as_of, dt.date):
        raise ConfigError(f"as_of must be a date, not {type(as_of).__name__} {as_of!r}",
                          key="as_of")
    chosen = resolve_profile(catalog, profile)
    context = Context(catalog, chosen, as_of, first_published, calendar, publications)
    findings = [finding for code, rule in chosen.rules.items()
                for finding in RULES[code](context, rule)]
    return AuditReport.build(findings, as_of=as_of, profile=chosen, records=len(catalog),
                             languages=context.languages)
