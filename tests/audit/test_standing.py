"""An inspector's review (AUDIT.md's letter): violations that still stand count every
year; "published" means to the public; only records in force count; what the profile
says is checked; the documents stay whole and inert."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html
from tests.audit.support import AS_OF, at, case, catalog, findings, item

import govdisclosure as gd
from govdisclosure.audit import audit, load_profile
from govdisclosure.audit.annual import annual_report, render_annual
from govdisclosure.audit.evaluate import draft_accountability, evaluate
from govdisclosure.audit.render import render_findings
from govdisclosure.cli import cli
from govdisclosure.errors import ConfigError

D = dt.date


def test_a_violation_that_still_stands_costs_points_in_a_later_year() -> None:
    """A complaint open since 2002 and a task still not done lower the 2003 evaluation
    and appear in 2003's annual report; a case decided late in 2002 does not."""
    records = (
        gd.Complaint(id="cm", agency="gov", received_at=at("2002-11-01"), topic="t",
                     status="investigating"),
        gd.WorkPlan(id="plan", agency="gov", year=2002, title="p",
                    tasks=[gd.PlanTask(id="t1", text="never done", owner="gov",
                                       due=D(2002, 11, 30))]),
        case("late", "2002-03-04", "2002-04-10"),
    )
    loaded = catalog(*records)
    report = audit(loaded, as_of=AS_OF)
    standing = {f.code: f for f in report.findings}
    assert standing["complaint.unresolved"].ongoing
    assert standing["plan.task_overdue"].ongoing
    assert not standing["case.overdue"].ongoing
    later = {d.agency: d for d in evaluate(loaded, 2003, report=report)}
    assert {d.finding.code for d in later["gov"].deductions} == {
        "complaint.unresolved", "plan.task_overdue"}
    assert not later["gov"].model_unit
    assert later["dept"].score == 100  # the late case was 2002's
    figures = annual_report(loaded, 2003, "en", report=report)
    assert dict(figures["findings"]) == {"complaint.unresolved": 1, "plan.task_overdue": 1}


def test_an_internal_result_notice_or_item_is_not_published() -> None:
    """A result notice only internal targets see is no notice; an internal-only item is
    not "published without catalogue approval"."""
    notice = case("c1", "2002-03-04", "2002-03-08", applicant_kind="organisation",
                  result_summary="ok", audience="internal")
    (finding,) = findings(item(results=gd.Results(channel="web")), notice,
                          code="results.not_published")
    assert finding.evidence["cases"] == ("case:c1",)
    hidden = item("inner", audience="internal", catalogue=None, review=None)
    assert not findings(hidden, code="ten.not_catalogued")
    assert not findings(hidden, code="ten.not_reviewed")


@pytest.mark.parametrize("changes", [{"audience": "internal"},
                                     {"publish_at": at("2003-06-01")},
                                     {"channels": ()}])
def test_an_allocation_the_public_cannot_see_has_no_stage_disclosed(changes: dict) -> None:
    """Internal only, still embargoed, in no channel: its stages are not disclosed, and
    a closed one has no result, whatever its stages' published_at says."""
    stage = gd.Stage(published_at=at("2002-05-01"), body="b")
    allocation = gd.Allocation(id="a", agency="gov", title="Land", kind="land",
                               status="closed", closes_at=at("2002-06-01"), before=stage,
                               during=stage, after=gd.ResultStage(published_at=at("2002-06-05")),
                               **changes)
    assert findings(allocation, code="allocation.stage_missing")
    assert findings(allocation, code="allocation.no_result")
    secret = gd.Allocation(id="a", agency="gov", title="Land", kind="land", status="closed",
                           closes_at=at("2002-06-01"), classification="secret")
    assert not findings(secret, code="allocation.no_result")
    assert not findings(secret, code="allocation.stage_missing")


def test_a_withdrawn_hotline_and_a_later_reward_are_judged_as_they_stood() -> None:
    """A withdrawn hotline's calls are not judged; a reward awarded after the audit day
    is not there yet on it."""
    hotline = gd.Hotline(id="hl-gov", agency="gov", number="1", opened_on=D(2002, 1, 10),
                         status="withdrawn", withdrawn=gd.Withdrawal(on=D(2002, 3, 1),
                                                                      reason="mistake"))
    call = gd.HotlineCall(id="call", agency="gov", hotline="hl-gov",
                          received_at=at("2002-02-01"), accepted=False)
    assert not findings(hotline, call, code="hotline.slow")
    suggestion = gd.Suggestion(id="s", agency="gov", received_at=at("2002-02-01"),
                               status="adopted", benefit="saved", responded_at=at("2002-02-10"),
                               reward=gd.Reward(kind="money", awarded_on=D(2003, 5, 1)))
    assert findings(suggestion, code="suggestion.reward_missing")
    assert not findings(suggestion, code="suggestion.reward_missing", as_of=D(2003, 5, 1))


def test_the_annual_report_counts_decisions_of_records_in_force() -> None:
    """Permits are decisions (approved, rejected); drafts and withdrawn records are no
    data, in the permits, the applications and the complaints."""
    records = (
        case("ok", "2002-03-04", "2002-03-08"),
        case("no", "2002-03-04", "2002-03-08", outcome="rejected"),
        case("gave-up", "2002-03-04", "2002-03-08", outcome="withdrawn"),
        case("moved", "2002-03-04", "2002-03-08", outcome="transferred"),
        case("draft", "2002-03-04", "2002-03-08", status="draft"),
        case("twice", "2002-03-04", "2002-03-08", status="withdrawn",
             withdrawn=gd.Withdrawal(on=D(2002, 4, 1), reason="entered twice")),
        gd.Complaint(id="draft-cm", agency="gov", received_at=at("2002-05-01"),
                     status="draft"),
    )
    figures = annual_report(catalog(*records), 2002, "en")
    assert figures["decisions"][0] == (figures["labels"]["permit"], 2)
    assert figures["applications"]["received"] == 4
    # the only complaint is a draft: the catalogue has no data on complaints
    assert dict(figures["overview"])[figures["labels"]["complaints"]] is None


def test_profile_values_outside_their_domain_are_refused(tmp_path: Path) -> None:
    """A facet, an outcome or a share that cannot be is a ConfigError naming the key."""
    for rule, value in (('"ten.missing"', 'facets = ["title", "colour"]'),
                        ('"case.overdue"', 'outcomes = ["pending", "maybe"]'),
                        ('"hotline.slow"', "min_acceptance = 1.5"),
                        ('"ten.missing"', 'complaint_fields = ["unit", "fax"]'),
                        ('"ten.missing"', 'fees_kinds = ["fees"]'),
                        ('"allocation.stage_late"', 'stages = ["before", "after"]')):
        path = tmp_path / "p.toml"
        path.write_text(f'[profile]\nextends = "cn-jilin-2002"\n[rules.{rule}]\n{value}\n',
                        encoding="utf-8")
        with pytest.raises(ConfigError) as caught:
            load_profile(path)
        assert value.split(" ")[0] in str(caught.value)


def test_key_matters_are_those_of_audit_md() -> None:
    """Approval and fee items are key matters; a licence item alone is not."""
    news = gd.Disclosure(id="news", agency="office", category="convenience", title="n",
                         issued_at=at("2002-03-01"))
    licence = item("lic", agency="office", kind="license", channels=())
    fee = item("fee", agency="office", kind="fee", channels=())
    assert not findings(news, licence, code="key.minor_only")
    assert findings(news, fee, code="key.minor_only")


def test_drafts_end_the_markdown_and_html_documents_and_html_stays_inert() -> None:
    """With --draft-accountability the drafts are the last section of a Markdown or HTML
    document (which stays one document); control and bidi characters never reach HTML,
    and evidence shows no Python reprs."""
    hostile = "A\u202eB\x07C <b>x</b>"
    loaded = catalog(item(title=hostile, discipline=None))
    report = audit(loaded, as_of=AS_OF)
    drafts = draft_accountability(report, loaded, load_profile("cn-jilin-2002"))
    assert drafts[0].issued_at == dt.datetime(2002, 12, 31, tzinfo=drafts[0].issued_at.tzinfo)
    runner = CliRunner()
    for fmt in ("markdown", "html"):
        out = runner.invoke(cli, ["audit", "examples/jilin-2002", "--as-of", "2002-12-31",
                                  "--format", fmt, "--draft-accountability"]).output
        assert "[[accountability_record]]" in out
        if fmt == "html":
            assert out.rstrip().endswith("</html>")
            tree = lxml_html.fromstring(out)
            assert "[[accountability_record]]" in tree.xpath("string(//pre)")
        else:
            assert out.rstrip().endswith("```")
    for document in (render_findings(report, "html", "en"),
                     render_annual(annual_report(loaded, 2002, "en", report=report), "html")):
        assert "\u202e" not in document
        assert "\x07" not in document
        assert "<b>x</b>" not in document
    evidence = lxml_html.fromstring(render_findings(report, "html", "en")).xpath("//dd/text()")
    assert not [v for v in evidence if v in ("None", "True", "False") or v.startswith("(")]


def test_audit_published_wants_a_public_output(tmp_path: Path) -> None:
    """An internal output proves no publication to the public: --published refuses it
    (exit 2); with a public one, an internal record is not "not published"."""
    inner = gd.Disclosure(id="inner", agency="gov", category="policy", title="i",
                          issued_at=at("2002-03-01"), audience="internal")
    gd.publish(catalog(inner), to=["feeds"], out=tmp_path / "in", audience="internal",
               as_of=at("2002-03-02"))
    gd.publish(catalog(inner), to=["feeds"], out=tmp_path / "pub", as_of=at("2002-03-02"))
    root = tmp_path / "cat"
    root.mkdir()
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(root / "c")]).exit_code == 0
    refused = runner.invoke(cli, ["audit", str(root / "c"), "--published", str(tmp_path / "in"),
                                  "--json"])
    assert refused.exit_code == 2, refused.output
    assert "internal" in json.loads(refused.output)["message"]
    report = audit(catalog(inner), as_of=AS_OF, first_published={})
    late = {f.record for f in report.findings if f.code == "disclosure.late"}
    assert "approval_item:permit" in late  # the public item, never published
    assert "disclosure:inner" not in late


STANDING = {"ten.missing", "key.no_items", "key.minor_only", "complaint.no_channel",
            "window.incomplete", "disclosure.secret_marked_public"}


def test_a_condition_judged_on_the_audit_day_is_ongoing() -> None:
    """A facet missing, a key department with no items or only minor disclosures, no
    complaint phone, an incomplete window, a secret marked public: each stands on the audit
    day (no day of its own), so it is ongoing; so is every finding without a day."""
    records = (
        item(complaint=[]),  # no complaint phone: facet 10 missing, none for the department
        gd.Agency(id="key2", name="无事项的重点部门", level="province", kind="department",
                  key_department=True, parent="gov"),
        gd.Disclosure(id="minor", agency="office", title="会议", category="other",
                      issued_at=at("2002-03-01")),
        gd.Disclosure(id="budget", agency="office", title="预算", category="budget",
                      issued_at=at("2002-03-01"), publish_at=at("2003-03-01")),
        gd.ServiceHall(id="hall", agency="gov", name="政务大厅"),
        gd.ServiceWindow(id="w1", agency="dept", hall="hall", number="1", name="窗口",
                         services=["permit"]),
        gd.Disclosure(id="secret", agency="gov", title="密件", classification="secret"),
    )
    report = audit(catalog(*records), as_of=AS_OF)
    undated = [f for f in report.findings if f.on is None]
    assert {f.code for f in undated} >= STANDING
    assert [f.id for f in undated if not f.ongoing] == []


def test_a_broken_commitment_is_ongoing_while_a_case_that_missed_it_is_pending() -> None:
    """A window promises 5 working days; a case received Mon 4 Mar is past it from 12 Mar:
    ongoing while it stays pending, a past breach once decided (late)."""
    window = gd.ServiceWindow(
        id="w1", agency="dept", hall="hall", number="1", name="窗口", services=["permit"],
        guide="指南", staff=[gd.Staff(name="王", badge="001")], first_inquiry_officer="王",
        commitments=[gd.Commitment(text="5个工作日办结", target_days=5, item="permit")])
    hall = gd.ServiceHall(id="hall", agency="gov", name="政务大厅")
    decided_on = D(2002, 3, 20)
    late = case("c1", "2002-03-04", decided_on.isoformat())
    for as_of, ongoing in ((decided_on - dt.timedelta(days=1), True), (decided_on, False)):
        (found,) = findings(hall, window, late, code="commitment.broken", as_of=as_of)
        assert (found.ongoing, found.evidence["pending"]) == (ongoing, int(ongoing))
