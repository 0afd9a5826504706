"""Draft evaluations and accountability drafts, from findings and profile weights."""

from __future__ import annotations

import tomllib

from tests.audit.support import AS_OF, META, case, catalog, item

import govdisclosure as gd
from govdisclosure.audit import audit, load_profile
from govdisclosure.audit.evaluate import draft_accountability, evaluate, evaluations_toml


def test_clean_agencies_score_full_marks() -> None:
    """Without findings every agency with data scores 100, shares rank 1 and is a model
    unit; the office, which owns no record, is not evaluated."""
    drafts = {d.agency: d for d in evaluate(catalog(), 2002)}
    office = drafts.pop("office")
    assert {d.score for d in drafts.values()} == {100.0}
    assert {d.rank for d in drafts.values()} == {1}
    assert all(d.model_unit for d in drafts.values())
    assert (office.score, office.rank, office.model_unit) == (None, None, False)


def test_every_point_lost_is_explained() -> None:
    """An agency's score is 100 minus its deductions, each citing its finding."""
    records = (item(discipline=None), case("c1", "2002-03-04", "2002-03-19"))
    drafts = {d.agency: d for d in evaluate(catalog(*records), 2002)}
    dept = drafts["dept"]
    assert dept.score == 100 - sum(d.points for d in dept.deductions)
    assert sorted((d.finding.code, d.points) for d in dept.deductions) == [
        ("case.overdue", 2.0), ("ten.missing", 5.0)]
    assert dept.components["openness"] == 25.0
    assert dept.rank == len([d for d in drafts.values() if d.evaluated])
    assert not dept.model_unit


def test_findings_count_in_their_year() -> None:
    """A finding that arose in 2002 does not cost points in 2003's evaluation."""
    report = audit(catalog(case("c1", "2002-03-04", "2002-03-19")), as_of=AS_OF)
    drafts = evaluate(catalog(case("c1", "2002-03-04", "2002-03-19")), 2003, report=report)
    assert {d.score for d in drafts if d.evaluated} == {100.0}


def test_component_never_goes_below_zero() -> None:
    """Deductions stop at the component's maximum."""
    cases = [case(f"c{i}", "2002-03-04", "2002-04-10") for i in range(10)]
    dept = next(d for d in evaluate(catalog(*cases), 2002) if d.agency == "dept")
    assert dept.components["service"] == 0
    assert dept.score == 80


def test_drafts_write_back_as_evaluation_records() -> None:
    """The TOML output loads back as evaluation records of the catalogue."""
    profile = load_profile("cn-jilin-2002")
    text = evaluations_toml(evaluate(catalog(item(discipline=None)), 2002), profile)
    data = tomllib.loads(text)["evaluation"]
    converter = gd.make_converter("Asia/Shanghai")
    records = [converter.structure(entry, gd.Evaluation) for entry in data]
    assert {r.status for r in records} == {"draft"}
    dept = next(r for r in records if r.agency == "dept")
    assert dept.score == 95
    assert isinstance(dept.remarks, dict)
    assert "ten.missing" in dept.remarks["en"]
    gd.Catalog(records=[*catalog(item(discipline=None)), *records], meta=META)


def test_accountability_drafts_cite_their_findings() -> None:
    """Each error finding becomes a draft accountability record citing the finding id."""
    loaded = catalog(item(discipline=None))
    report = audit(loaded, as_of=AS_OF)
    (draft,) = draft_accountability(report, loaded, load_profile("cn-jilin-2002"))
    assert draft.source == report.errors[0].id
    assert (draft.subject_unit, draft.agency) == ("dept", "gov")
    assert draft.violation == "not_implemented"
    assert draft.status == "draft"
    gd.Catalog(records=[*loaded, draft], meta=META)


def test_what_a_finding_names_that_is_not_public_stays_out_of_remarks_and_drafts() -> None:
    """A public case of a secret item: the case.overdue message names the item's title.
    Published evaluation remarks keep the code, not the title; an accountability draft
    made of it is restricted until someone decides."""
    records = (item(title="SECRET-ITEM-TITLE", classification="secret"),
               case("c1", "2002-03-04", "2002-04-19"))
    report = audit(catalog(*records), as_of=AS_OF)
    (finding,) = [f for f in report.findings if f.code == "case.overdue"]
    assert "SECRET-ITEM-TITLE" in finding.message["en"]
    assert finding.public is False
    profile = load_profile("cn-jilin-2002")
    text = evaluations_toml(evaluate(catalog(*records), 2002, report=report), profile)
    assert "SECRET-ITEM-TITLE" not in text
    assert "case.overdue" in text
    (draft,) = [d for d in draft_accountability(report, catalog(*records), profile)
                if d.source == finding.id]
    assert draft.classification == "restricted"
