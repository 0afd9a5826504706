"""Where each record lives on the site, what each page shows, and so what to re-render.

Dependency rules (docs/site.md, "Incremental builds"): the page of a record R shows

- R itself, the name of R's agency and the titles of the records R refers to
  (:func:`refs_of`: ``related``, ``supersedes`` and the type's own reference fields);
- records that R's page lists (:func:`hosts_of` gives the reverse: the pages that list
  a record): a record's page (or tombstone) its corrections, an agency page lists the
  agency's records and child agencies, a hall its
  windows, a window its hall and items, an item its windows and cases, a hotline its
  calls (as figures), a press conference its releases and the other way round.

So a touched record re-renders its own page, the pages of records that refer to it,
the pages that list it, the listings of its type (and, for a disclosure, the category
listings), and the home, statistics, search index and sitemap, whose bytes are written
only when they differ.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from ...catalog.catalog import ref_key
from ...model import (
    AccountabilityRecord,
    Agency,
    Allocation,
    ApprovalItem,
    Case,
    Complaint,
    Consultation,
    Evaluation,
    Hotline,
    HotlineCall,
    NewsRelease,
    OwnedRecord,
    PressConference,
    Record,
    ServiceHall,
    ServiceWindow,
    Suggestion,
    Text,
    WorkPlan,
)
from ...publishing.protocol import RecordKey, Tombstone
from ..pages import SECTIONS, page_path

__all__ = ["AGGREGATE_ONLY", "NOTICES", "SECTIONS", "SiteIndex", "hosts_of", "page_path",
           "record_date", "refs_of", "result_notices", "search_keys", "shown_keys",
           "thresholds"]

#: Types published only as figures (MODEL.md: a person's identity never leaves the catalogue).
AGGREGATE_ONLY = frozenset({Case.TYPE, HotlineCall.TYPE})

#: What a record type embeds of other types, for removals (whose fields are gone).
EMBEDDED_IN: dict[str, tuple[str, ...]] = {
    "agency": ("agency",),  # a parent lists its children
    "service_window": ("service_hall", "approval_item"),
    "approval_item": ("service_window",),
    "service_hall": ("service_window",),
    "case": ("approval_item",),
    "hotline_call": ("hotline",),
    "news_release": ("press_conference",),
    "press_conference": ("news_release",),
}


#: The result notices an item's page lists at most (the latest).
NOTICES = 50


def result_notices(cases: Iterable[Case]) -> list[Case]:
    """The result notices an item's page lists, of its cases, latest first: the decided
    cases of organisations that name their applicant (a person's case, or one without a
    name, is only counted in the statistics), at most :data:`NOTICES`."""
    return sorted((c for c in cases if c.applicant_kind == "organisation"
                   and c.applicant_name and c.decided_at is not None),
                  key=lambda c: (c.decided_at, c.id), reverse=True)[:NOTICES]


def shown_keys(records: Iterable[Record], tombstones: Iterable[Tombstone]) -> set[RecordKey]:
    """The records and tombstones the site shows: every one but the cases that are no
    item's result notice (:func:`result_notices`)."""
    cases: dict[str, list[Case]] = defaultdict(list)
    keys = {stone.key for stone in tombstones}
    for record in records:
        if isinstance(record, Case):
            cases[record.item].append(record)
        else:
            keys.add((record.TYPE, record.id))
    keys.update((case.TYPE, case.id) for found in cases.values()
                for case in result_notices(found))
    return keys


def record_date(record: Record) -> dt.datetime | None:
    """The date a record is listed under: issued, else its type's own date."""
    if record.issued_at is not None:
        return record.issued_at
    if record.publish_at is not None:
        return record.publish_at
    for name in ("scheduled_at", "received_at", "opens_at"):
        value = getattr(record, name, None)
        if isinstance(value, dt.datetime):
            return value
    return None


def _key(kind: str, ref: str | None) -> RecordKey | None:
    return ref_key(ref, kind) if ref else None


def refs_of(record: Record) -> Iterator[RecordKey]:
    """The records whose names or titles a record's own page shows; a bare id whose type
    the field leaves open (``related``, ``adopted_into``, ``decision``, a ``source``) as
    ``("", id)``: any touched record of that id."""
    if isinstance(record, OwnedRecord):
        yield (Agency.TYPE, record.agency)
    for ref in record.related:
        key = _key("", ref)
        if key:
            yield key
    if record.supersedes:
        yield superseded(record)
    if isinstance(record, Agency):
        if record.parent:
            yield (Agency.TYPE, record.parent)
    elif isinstance(record, ApprovalItem):
        yield from ((ServiceWindow.TYPE, w) for w in record.windows)
    elif isinstance(record, ServiceWindow):
        yield (ServiceHall.TYPE, record.hall)
        yield from ((ApprovalItem.TYPE, i) for i in record.services)
        yield from ((ApprovalItem.TYPE, c.item) for c in record.commitments if c.item)
    elif isinstance(record, ServiceHall):
        for floor in record.floors:
            yield from ((ServiceWindow.TYPE, spot.window) for spot in floor.windows)
    elif isinstance(record, NewsRelease):
        if record.conference:
            yield (PressConference.TYPE, record.conference)
    elif isinstance(record, PressConference):
        yield from ((NewsRelease.TYPE, r) for r in record.releases)
        yield from ((Agency.TYPE, s.agency) for s in record.speakers if s.agency)
    elif isinstance(record, Complaint):
        if record.about:
            yield (Agency.TYPE, record.about)
        key = _key("accountability_record", record.accountability)
        if key:
            yield key
    elif isinstance(record, AccountabilityRecord):
        yield (Agency.TYPE, record.subject_unit)
        key = _key("", record.source)
        if key:
            yield key
    elif isinstance(record, Suggestion | Consultation):
        key = _key("", record.adopted_into if isinstance(record, Suggestion)
                   else record.decision)
        if key:
            yield key
    elif isinstance(record, WorkPlan):
        yield from ((Agency.TYPE, t.owner) for t in record.tasks if t.owner)


def superseded(record: Record) -> RecordKey:
    """The key of the record that ``record`` corrects (``supersedes``: a bare id of its type)."""
    assert record.supersedes is not None  # noqa: S101 - callers check
    return (record.TYPE, record.supersedes)


def hosts_of(record: Record) -> Iterator[RecordKey]:
    """The record pages (other than its own) that list ``record``."""
    if record.supersedes:  # the corrected record's page (or tombstone) links its correction
        yield superseded(record)
    if isinstance(record, OwnedRecord):
        yield (Agency.TYPE, record.agency)
    if isinstance(record, Agency) and record.parent:
        yield (Agency.TYPE, record.parent)
    if isinstance(record, ServiceWindow):
        yield (ServiceHall.TYPE, record.hall)
        yield from ((ApprovalItem.TYPE, i) for i in record.services)
    elif isinstance(record, Case):
        yield (ApprovalItem.TYPE, record.item)
    elif isinstance(record, HotlineCall):
        yield (Hotline.TYPE, record.hotline)
    elif isinstance(record, NewsRelease) and record.conference:
        yield (PressConference.TYPE, record.conference)
    elif isinstance(record, Evaluation):
        yield (Agency.TYPE, record.agency)


#: A phone number as written: digits and the separators between them (``0431-88900000``,
#: ``(0431) 8890 0000``); an extension after 转 is a number of its own.
_PHONE = re.compile(r"[0-9](?:[0-9\s().\-（）]*[0-9])?")
#: A document number (文号) cited in a text: ``吉政发〔2002〕21号``, ``吉价费字〔2001〕49号``
#: (in running text with a word or two before it: the search matches within a key): the
#: year and number, found first (a scan from every Chinese character was most of the time
#: of a 100k-record index), then the issuer's up to 8 characters before them.
_DOCUMENT_NO = re.compile(r"[〔［\[(（][0-9]{4}[〕］\])）]第?[0-9]{1,8}号")
#: Digits of the longest phone number kept (an international one with an extension is
#: under 24): a longer run of digits is no number anybody dials, and would only swell the
#: index that every visitor of the search page downloads.
_LONGEST_NUMBER = 32
_ISSUER = re.compile(r"[\u4e00-\u9fff]{1,8}$")


def search_keys(record: Record, cases: Iterable[Case] = ()) -> list[str]:
    """What a citizen may have in hand to find a record's page by, besides its title and
    id: the phone numbers the page gives (digits only: the search ignores separators) and
    the document numbers (文号) it cites, in the record's every language. ``cases``: an
    approval item's cases, whose result notices show decision numbers."""
    phones: list[str | None] = []
    texts: list[Text | None] = [record.body]
    refs: list[str | None] = []
    if isinstance(record, Hotline):
        phones.append(record.number)
    elif isinstance(record, Agency) and record.contact is not None:
        phones.append(record.contact.phone)
    elif isinstance(record, ApprovalItem | ServiceWindow):
        phones += (contact.phone for contact in record.complaint)
    elif isinstance(record, NewsRelease):
        phones += (contact.phone for contact in record.contacts)
    if isinstance(record, ApprovalItem):
        texts += (basis.title for basis in record.legal_basis)
        texts += (fee.basis for fee in record.fees or ())
        if record.catalogue is not None:
            texts.append(record.catalogue.document)
        if record.review is not None:
            refs.append(record.review.ref)
        refs += (case.decision_ref for case in result_notices(cases))
    keys = [re.sub(r"[^0-9]", "", found) for phone in phones if phone
            for found in _PHONE.findall(phone)]
    keys = [key for key in keys if 3 <= len(key) <= _LONGEST_NUMBER]
    for text in texts:  # languages in a fixed order: the index depends on the data only
        for variant in (dict(sorted(text.items())).values() if isinstance(text, dict)
                        else (text,) if text else ()):
            keys += _document_numbers(variant)
    keys += ("".join(ref.split()) for ref in refs if ref)
    return list(dict.fromkeys(keys))


def _document_numbers(text: str) -> Iterator[str]:
    """The document numbers (:data:`_DOCUMENT_NO` after its issuer) cited in ``text``."""
    if "号" not in text:
        return
    end = 0  # of the previous number: an issuer does not reach back into it
    for found in _DOCUMENT_NO.finditer(text):
        issuer = _ISSUER.search(text, max(end, found.start() - 8), found.start())
        if issuer is not None:
            yield issuer.group() + found.group()
        end = found.end()


def thresholds(record: Record) -> Iterator[dt.datetime]:
    """Instants at which a record's page changes by itself (expiry, opening, deadlines)."""
    if record.expires_at is not None:
        yield record.expires_at
    if isinstance(record, Consultation):
        for moment in (record.opens_at, record.closes_at):
            if moment is not None:
                yield moment
    elif isinstance(record, Allocation) and record.closes_at is not None:
        yield record.closes_at  # an open allocation then reads as closed
    elif isinstance(record, PressConference) and record.status == "scheduled":
        yield record.scheduled_at  # then no longer announced as coming


def task_deadlines(plan: WorkPlan, zone: dt.tzinfo) -> Iterator[dt.datetime]:
    """A plan task is overdue from the start of the day after its due date."""
    for task in plan.tasks:
        if task.due is not None and task.done_on is None and task.due < dt.date.max:
            day = task.due + dt.timedelta(days=1)
            yield dt.datetime(day.year, day.month, day.day, tzinfo=zone)


class SiteIndex:
    """The look-ups the pages need, built once per run from the selected records.

    Args:
        records: the selected live records.
        tombstones: the withdrawn ones.
    """

    def __init__(self, records: Iterable[Record], tombstones: Iterable[Tombstone]) -> None:
        self.by_key: dict[RecordKey, Record] = {}
        self.by_type: dict[str, list[Record]] = defaultdict(list)
        self.by_agency: dict[str, list[Record]] = defaultdict(list)
        self.children: dict[str, list[Agency]] = defaultdict(list)
        self.windows_of_hall: dict[str, list[ServiceWindow]] = defaultdict(list)
        self.windows_of_item: dict[str, list[ServiceWindow]] = defaultdict(list)
        self.cases_of_item: dict[str, list[Case]] = defaultdict(list)
        self.calls_of_hotline: dict[str, list[HotlineCall]] = defaultdict(list)
        self.releases_of_conference: dict[str, list[NewsRelease]] = defaultdict(list)
        #: the live records that correct a record (``supersedes``), by its key
        self.successors: dict[RecordKey, list[Record]] = defaultdict(list)
        by_key, by_type = self.by_key, self.by_type
        for record in records:
            kind = record.TYPE
            by_key[kind, record.id] = record
            by_type[kind].append(record)
            # the two most numerous types (over half the records) are shown only as figures
            if isinstance(record, Case):
                self.cases_of_item[record.item].append(record)
                continue
            if isinstance(record, HotlineCall):
                self.calls_of_hotline[record.hotline].append(record)
                continue
            if record.supersedes and kind in SECTIONS:
                self.successors[superseded(record)].append(record)
            if isinstance(record, OwnedRecord) and kind in SECTIONS:
                self.by_agency[record.agency].append(record)
            if isinstance(record, Agency) and record.parent:
                self.children[record.parent].append(record)
            elif isinstance(record, ServiceWindow):
                self.windows_of_hall[record.hall].append(record)
                for item in record.services:
                    self.windows_of_item[item].append(record)
            elif isinstance(record, NewsRelease) and record.conference:
                self.releases_of_conference[record.conference].append(record)
        # each record's listing order, computed once for both sorts (a datetime's timestamp
        # is slow) and not kept (13 MB at 100k records)
        order = {id(record): listing_order(record)
                 for kind in SECTIONS for record in self.by_type.get(kind, ())}
        for kind, items in self.by_type.items():
            if kind in SECTIONS:
                items.sort(key=lambda record: order[id(record)])
        for items in self.by_agency.values():
            items.sort(key=lambda record: order[id(record)])
        self.stones: dict[RecordKey, Tombstone] = {
            stone.key: stone for stone in tombstones if stone.type in SECTIONS
        }

    def get(self, key: RecordKey) -> Record | None:
        """A live record by key."""
        return self.by_key.get(key)

    def resolve(self, ref: str | None, kind: str = "") -> Record | Tombstone | None:
        """A live record or a tombstone from ``type:id`` (or ``id`` of ``kind``)."""
        key = _key(kind, ref)
        if key is None:
            return None
        return self.by_key.get(key) or self.stones.get(key)

    def of_type(self, kind: str) -> list[Any]:
        """The live records of a type, newest first (listing order)."""
        return self.by_type.get(kind, [])

    def pages(self) -> Iterator[Record]:
        """Every live record that has a page of its own."""
        for kind in SECTIONS:
            yield from self.by_type.get(kind, ())


_FAR_PAST = dt.datetime(1, 1, 1, tzinfo=dt.UTC)


def listing_order(record: Record) -> tuple[float, str]:
    """Newest first, then by id: the order of every listing."""
    when = record_date(record)
    stamp = when.timestamp() if when is not None else _FAR_PAST.timestamp()
    if isinstance(record, Agency):
        return (0.0, record.id)
    if isinstance(record, Evaluation):  # dated like the rest (mixed in an agency's latest
        # records), then by rank: one year's evaluations are published together
        if when is None:
            day = record.published_on or dt.date(record.year, 12, 31)
            stamp = dt.datetime.combine(day, dt.time(12), dt.UTC).timestamp()
        return (-stamp, f"{record.rank or 10**6:08d}{record.id}")
    return (-stamp, record.id)
