"""What every rule needs: the catalogue indexed once, the calendar, and the as-of instant."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TypeVar

from ..calendar import WorkingCalendar, calendar_for
from ..catalog import Catalog
from ..model import (
    Agency,
    ApprovalItem,
    Case,
    Hotline,
    HotlineCall,
    OwnedRecord,
    Record,
    ServiceWindow,
    is_publishable,
    is_tombstone,
)
from .findings import EvidenceValue, Finding, MessageArg, Named, render_message
from .profile import Profile, RuleConfig, Severity

__all__ = ["Context", "iso"]

R = TypeVar("R", bound=Record)


def iso(day: dt.date | dt.datetime | None) -> str | None:
    """ISO text of a date (or a datetime's date), for evidence."""
    if day is None:
        return None
    return day.isoformat()


class Context:
    """One audit's view of a catalogue.

    Args:
        catalog: the catalogue.
        profile: the rule profile.
        as_of: the audit day; "at as_of" means at the end of that day in the catalogue's
            timezone.
        first_published: ``(type, id) -> first publication`` (from the ledger), or None.
        calendar: the working-day calendar (default: from the catalogue's metadata).
        publications: ``(type, id) ->`` every publication of new content, in time order
            (from the ledger), or None: when a change was published.
    """

    def __init__(
        self,
        catalog: Catalog,
        profile: Profile,
        as_of: dt.date,
        first_published: Mapping[tuple[str, str], dt.datetime] | None = None,
        calendar: WorkingCalendar | None = None,
        publications: Mapping[tuple[str, str], Sequence[dt.datetime]] | None = None,
    ) -> None:
        meta = catalog.meta
        self.catalog = catalog
        self.profile = profile
        self.as_of = as_of
        self.zone = meta.zone
        # the last instant of the day by the wall clock (as_of may be 9999-12-31: no day after)
        self.end_of_day = dt.datetime.combine(as_of, dt.time.max, self.zone)
        self.first_published = first_published
        self.publications = publications
        self.calendar = calendar or calendar_for(meta.calendar, meta.holidays,
                                                 meta.extra_workdays)
        self.languages = meta.all_languages
        self.default_language = meta.default_language
        self.agencies: dict[str, Agency] = {a.id: a for a in catalog.of_type(Agency)}
        self.by_agency: dict[str, list[Record]] = defaultdict(list)
        self.cases_by_item: dict[str, list[Case]] = defaultdict(list)
        self.calls_by_hotline: dict[str, list[HotlineCall]] = defaultdict(list)
        self.hotlines_by_agency: dict[str, list[Hotline]] = defaultdict(list)
        for record in catalog:
            if isinstance(record, OwnedRecord):
                self.by_agency[record.agency].append(record)
            if isinstance(record, Case):
                self.cases_by_item[record.item].append(record)
            elif isinstance(record, HotlineCall):
                self.calls_by_hotline[record.hotline].append(record)
            elif isinstance(record, Hotline):
                self.hotlines_by_agency[record.agency].append(record)

    # -- time ------------------------------------------------------------------------------

    def day(self, moment: dt.datetime) -> dt.date:
        """The catalogue-local date of an instant."""
        return moment.astimezone(self.zone).date()

    def known(self, moment: dt.datetime | None) -> dt.date | None:
        """The local date of ``moment`` if it happened by the end of the audit day, else
        None: the audit judges the catalogue as it stood that day (a case decided later
        was still pending)."""
        return self.day(moment) if moment is not None and moment <= self.end_of_day else None

    def after(self, moment: dt.datetime | None) -> bool:
        """Whether ``moment`` (a receipt) lies after the audit day: not yet there."""
        return moment is not None and moment > self.end_of_day

    def deadline(self, start: dt.date, days: int, unit: str) -> dt.date:
        """:meth:`WorkingCalendar.deadline` of the catalogue's calendar."""
        return self.calendar.deadline(start, days, unit)

    def passed(self, start: dt.date, days: int, unit: str, end: dt.date) -> dt.date | None:
        """:meth:`WorkingCalendar.passed` of the catalogue's calendar."""
        return self.calendar.passed(start, days, unit, end)

    def elapsed(self, start: dt.date, end: dt.date, unit: str) -> int | None:
        """:meth:`WorkingCalendar.elapsed` of the catalogue's calendar."""
        return self.calendar.elapsed(start, end, unit)

    # -- publication ----------------------------------------------------------------------

    def active(self, record: Record) -> bool:
        """Approved (neither draft nor withdrawn): the record is in force."""
        return record.publication_status == "approved"

    def published(self, record: Record, audience: str = "internal") -> bool:
        """Shown (not as a tombstone) in some output at the end of the audit day.

        With a ledger, a record is published once the ledger has it by then; without
        one, whenever :func:`is_publishable` allows it for ``audience`` (default: internal
        targets too; ``public`` for what the public must see). A record whose
        ``channels`` are empty goes to no output at all.
        """
        if record.channels == ():
            return False
        if self.first_published is not None:
            first = self.first_published.get((record.TYPE, record.id))
            return first is not None and first <= self.end_of_day and not is_tombstone(record)
        return is_publishable(record, self.end_of_day, audience) and not is_tombstone(record)

    def publication_time(self, record: Record) -> dt.datetime | None:
        """When a record was (or will be) first published.

        The ledger's time when ``first_published`` was given (None if it is not there);
        else ``publish_at``, else ``issued_at`` (published when formed); never (None) for
        a record whose ``channels`` name no publisher (``channels = []``).
        """
        if self.first_published is not None:
            return self.first_published.get((record.TYPE, record.id))
        if record.channels == ():
            return None
        return record.publish_at or record.issued_at

    # -- findings -------------------------------------------------------------------------

    def finding(
        self,
        rule: RuleConfig,
        *,
        agency: str | None,
        record: Record | None,
        args: Mapping[str, MessageArg],
        evidence: Mapping[str, EvidenceValue],
        key: str = "",
        on: dt.date | None = None,
        ongoing: bool = False,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of ``rule``, its message rendered in every catalogue language."""
        message = {
            language: render_message(rule.code, args, language, self.default_language,
                                     self.profile)
            for language in self.languages
        }
        named = [record, self.catalog.agency(agency) if agency else None,
                 *(value.record for value in args.values() if isinstance(value, Named))]
        public = all(is_publishable(r, self.end_of_day) for r in named if r is not None)
        return Finding(code=rule.code, severity=severity or rule.severity, agency=agency,
                       record=record.ref if record is not None else None, message=message,
                       evidence=dict(evidence), key=key, on=on, ongoing=ongoing,
                       public=public)

    def items(self) -> list[ApprovalItem]:
        """Every approval item."""
        return self.catalog.of_type(ApprovalItem)

    def windows(self) -> list[ServiceWindow]:
        """Every service window."""
        return self.catalog.of_type(ServiceWindow)
