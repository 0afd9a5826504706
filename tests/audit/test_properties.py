"""Properties of the audit: compliant records add nothing; time only adds overdue findings."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from tests.audit.support import at

import govdisclosure as gd
from govdisclosure.audit import audit

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "jilin-2002"
AS_OF = dt.date(2002, 12, 31)
#: Rules whose findings, once due, stay: a late decision or answer stays late, and so does
#: a complaint or accountability record settled late. The example's allocations are dated:
#: a closed one with no date at all is judged on what was published by the audit day.
OVERDUE = {"allocation.no_result", "case.overdue", "results.not_published", "hotline.missing",
           "suggestion.unanswered", "complaint.unresolved", "disclosure.late",
           "plan.task_overdue", "accountability.open_too_long"}


@cache
def example() -> gd.Catalog:
    """The example catalogue, loaded once."""
    return gd.load_catalog(EXAMPLE)


@cache
def baseline() -> frozenset[str]:
    """Finding ids of the example as of the year's end."""
    return frozenset(f.id for f in audit(example(), as_of=AS_OF).findings)


@cache
def safe_agencies() -> tuple[str, ...]:
    """Agencies that already publish a key matter (so a minor disclosure cannot expose them)."""
    catalog = example()
    return tuple(sorted({i.agency for i in catalog.of_type(gd.ApprovalItem)
                         if i.status == "approved"}))


@cache
def items() -> tuple[str, ...]:
    """Approval items with a time limit."""
    return tuple(i.id for i in example().of_type(gd.ApprovalItem) if i.time_limit)


days = st.dates(dt.date(2002, 1, 4), dt.date(2002, 11, 30))


@st.composite
def compliant(draw: st.DrawFn) -> gd.Record:
    """One record that satisfies every rule of cn-jilin-2002."""
    ident = f"new-{draw(st.integers(0, 10**6))}"
    agency = draw(st.sampled_from(safe_agencies()))
    received = draw(days)
    kind = draw(st.sampled_from(["disclosure", "case", "suggestion", "complaint", "call"]))
    if kind == "disclosure":
        delay = draw(st.integers(0, 10))
        return gd.Disclosure(
            id=ident, agency=agency, title="t", issued_at=at(received),
            publish_at=at(received + dt.timedelta(days=delay)) if delay else None,
            category=draw(st.sampled_from(gd.CATEGORIES)))
    if kind == "case":
        organisation = draw(st.booleans())
        return gd.Case(id=ident, agency=agency, item=draw(st.sampled_from(items())),
                       received_at=at(received, 9), decided_at=at(received, 17),
                       outcome=draw(st.sampled_from(["approved", "rejected"])),
                       applicant_kind="organisation" if organisation else "person",
                       applicant_name="某公司" if organisation else None,
                       result_summary="结果", decision_ref="第1号")
    if kind == "suggestion":
        return gd.Suggestion(id=ident, agency=agency, received_at=at(received),
                             responded_at=at(received + dt.timedelta(days=5)),
                             response="答复", status="not_adopted")
    if kind == "complaint":
        return gd.Complaint(id=ident, agency=agency, received_at=at(received),
                            status="resolved", resolved_at=at(received + dt.timedelta(days=3)))
    hotline = draw(st.sampled_from([h.id for h in example().of_type(gd.Hotline)]))
    owner = example().get("hotline", hotline)
    assert isinstance(owner, gd.Hotline)
    return gd.HotlineCall(id=ident, agency=owner.agency, hotline=hotline,
                          received_at=at(received, 9), handled_at=at(received, 15),
                          closed_at=at(received, 16))


@given(st.lists(compliant(), min_size=1, max_size=5, unique_by=lambda r: (r.TYPE, r.id)))
def test_compliant_records_add_no_finding(records: list[gd.Record]) -> None:
    """Adding records that satisfy every rule never adds a finding."""
    catalog = gd.Catalog(records=[*example(), *records], meta=example().meta)
    after = {f.id for f in audit(catalog, as_of=AS_OF).findings}
    assert after <= baseline()


@st.composite
def pending_records(draw: st.DrawFn) -> list[gd.Record]:
    """Open cases, suggestions, complaints and embargoed disclosures at random days."""
    records: list[gd.Record] = []
    for index in range(draw(st.integers(0, 6))):
        received = draw(days)
        kind = draw(st.sampled_from(["case", "suggestion", "complaint", "disclosure"]))
        ident = f"open-{index}"
        agency = draw(st.sampled_from(safe_agencies()))
        if kind == "case":
            records.append(gd.Case(id=ident, agency=agency, item=draw(st.sampled_from(items())),
                                   received_at=at(received)))
        elif kind == "suggestion":
            records.append(gd.Suggestion(id=ident, agency=agency, received_at=at(received)))
        elif kind == "complaint":
            records.append(gd.Complaint(id=ident, agency=agency, received_at=at(received)))
        else:
            records.append(gd.Disclosure(
                id=ident, agency=agency, title="t", issued_at=at(received),
                publish_at=at(received + dt.timedelta(days=draw(st.integers(0, 90))))))
    return records


@given(pending_records(), st.dates(dt.date(2002, 1, 1), dt.date(2002, 12, 30)),
       st.integers(1, 200))
def test_later_as_of_keeps_overdue_findings(records: list[gd.Record], as_of: dt.date,
                                            shift: int) -> None:
    """Shifting as_of forward never removes an overdue finding."""
    catalog = gd.Catalog(records=[*example(), *records], meta=example().meta)
    later = min(as_of + dt.timedelta(days=shift), AS_OF)
    before = {f.id for f in audit(catalog, as_of=as_of).findings if f.code in OVERDUE}
    after = {f.id for f in audit(catalog, as_of=later).findings if f.code in OVERDUE}
    assert before <= after
