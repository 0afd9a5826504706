"""Building small catalogues in memory for the audit's tests."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import govdisclosure as gd
from govdisclosure.audit import Finding, audit

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
D = dt.date
AS_OF = D(2002, 12, 31)

HOLIDAYS_2002 = [D(2002, 1, d) for d in (1, 2, 3)] + [D(2002, 2, d) for d in range(12, 19)] + [
    D(2002, 5, d) for d in range(1, 8)] + [D(2002, 10, d) for d in range(1, 8)]
WORKDAYS_2002 = [D(2002, 2, 9), D(2002, 2, 10), D(2002, 4, 27), D(2002, 4, 28),
                 D(2002, 9, 28), D(2002, 9, 29)]

META = gd.CatalogMeta(
    name="测试", default_language="zh-CN", languages=("zh-CN", "en"), timezone="Asia/Shanghai",
    calendar="CN", holidays=HOLIDAYS_2002, extra_workdays=WORKDAYS_2002,
    profile="cn-jilin-2002",
)


def at(day: dt.date | str, hour: int = 10) -> dt.datetime:
    """An aware datetime in Asia/Shanghai."""
    if isinstance(day, str):
        day = D.fromisoformat(day)
    return dt.datetime.combine(day, dt.time(hour), ZONE)


AGENCIES = [
    gd.Agency(id="gov", name="省政府", level="province", kind="government"),
    gd.Agency(id="dept", name="省直重点部门", level="province", kind="department",
              key_department=True, parent="gov"),
    gd.Agency(id="town", name="某镇", level="township", kind="government", parent="gov"),
    gd.Agency(id="office", name="某办公室", level="province", kind="department", parent="gov"),
]

HOTLINES = [
    gd.Hotline(id="hl-gov", agency="gov", number="1", opened_on=D(2002, 1, 10)),
    gd.Hotline(id="hl-dept", agency="dept", number="2", opened_on=D(2002, 1, 10)),
    gd.Hotline(id="hl-town", agency="town", number="3", opened_on=D(2002, 1, 10)),
]


def item(ident: str = "permit", **changes: Any) -> gd.ApprovalItem:
    """An approval item with all ten facets, catalogued and reviewed, of the key department."""
    fields: dict[str, Any] = {
        "id": ident, "agency": "dept", "title": "许可", "kind": "approval",
        "handling_unit": "处", "legal_basis": [gd.LegalBasis(title="法")],
        "conditions": ["条件"], "procedure": [gd.ProcedureStep(title="受理")],
        "time_limit": gd.TimeLimit(statutory=20, promised=10),
        "results": gd.Results(channel="网站"), "discipline": "纪律", "accountability": "追究",
        "complaint": [gd.ContactPoint(unit="监察室", phone="0431-1")],
        "catalogue": gd.CatalogueEntry(document="目录", approved_on=D(2002, 1, 5)),
        "review": gd.Review(by="联席会议", on=D(2002, 1, 6)),
        "issued_at": at("2002-01-07"),
    }
    fields.update(changes)
    return gd.ApprovalItem(**fields)


def case(ident: str, received: str, decided: str | None = None, **changes: Any) -> gd.Case:
    """A case of the ``permit`` item."""
    fields: dict[str, Any] = {
        "id": ident, "agency": "dept", "item": "permit", "received_at": at(received),
        "decided_at": at(decided, 16) if decided else None,
        "outcome": "approved" if decided else "pending",
    }
    fields.update(changes)
    return gd.Case(**fields)


def catalog(*records: gd.Record, base: bool = True) -> gd.Catalog:
    """A catalogue of the agencies, their hotlines, one complete item and ``records``."""
    given = {(r.TYPE, r.id) for r in records}
    defaults = [*AGENCIES, *HOTLINES, item()] if base else []
    kept = [r for r in defaults if (r.TYPE, r.id) not in given]
    return gd.Catalog(records=[*kept, *records], meta=META)


def findings(*records: gd.Record, code: str, as_of: dt.date = AS_OF,
             profile: str = "cn-jilin-2002", **kwargs: Any) -> list[Finding]:
    """The findings of one code for a catalogue of ``records``."""
    report = audit(catalog(*records), as_of=as_of, profile=profile, **kwargs)
    return [f for f in report.findings if f.code == code]
