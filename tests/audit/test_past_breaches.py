"""Breaches dated by the day the rule was broken, fixed breaches remembered, and the
annual report's figures as the catalogue stood at the end of its year (docs/audit.md,
"Findings", "Time", "Annual report")."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from tests.audit.support import AS_OF, META, at, case, catalog, findings, item

import govdisclosure as gd
from govdisclosure.audit import audit, load_profile
from govdisclosure.audit.annual import annual_report
from govdisclosure.audit.evaluate import evaluate
from govdisclosure.calendar import WorkingCalendar, calendar_for

D = dt.date
# 2003's days off and make-up working days, as the 2002 ones in META
HOLIDAYS_2003 = [D(2003, 1, 1), *(D(2003, 1, 31) + dt.timedelta(days=n) for n in range(7)),
                 *(D(2003, 5, d) for d in range(1, 8)), *(D(2003, 10, d) for d in range(1, 8))]
WORKDAYS_2003 = [D(2003, 2, 8), D(2003, 2, 9), D(2003, 4, 26), D(2003, 4, 27),
                 D(2003, 9, 27), D(2003, 9, 28)]


def two_years(*records: gd.Record) -> gd.Catalog:
    """The support catalogue of ``records``, with 2003's calendar too."""
    meta = attrs.evolve(META, holidays=[*META.holidays, *HOLIDAYS_2003],
                        extra_workdays=[*META.extra_workdays, *WORKDAYS_2003])
    return gd.Catalog(records=list(catalog(*records)), meta=meta)


def call(ident: str, received: str, handled: str | None = None, *,
         accepted: bool = True) -> gd.HotlineCall:
    """A call to the provincial government's hotline (5 working days)."""
    return gd.HotlineCall(id=ident, agency="gov", hotline="hl-gov", received_at=at(received),
                          handled_at=at(handled, 16) if handled else None, accepted=accepted)


def deductions(loaded: gd.Catalog, year: int, agency: str) -> list[str]:
    """The codes an agency loses points for in ``year``'s evaluation."""
    (result,) = [e for e in evaluate(loaded, year) if e.agency == agency]
    return sorted(d.finding.code for d in result.deductions)


# -- hotline.slow -----------------------------------------------------------------------------


def test_calls_still_unhandled_are_late_from_the_day_after_their_limit_and_stand() -> None:
    """Two calls of Mon 2 Dec 2002, never handled: due Mon 9 Dec (5 working days), so the
    rule is broken on 10 Dec, not on the day they came in, and stays broken into 2003."""
    calls = (call("k1", "2002-12-02"), call("k2", "2002-12-02"))
    assert findings(*calls, code="hotline.slow", as_of=D(2002, 12, 9)) == []
    (first,) = findings(*calls, code="hotline.slow", as_of=D(2002, 12, 10))
    assert (first.on, first.ongoing, first.evidence["unhandled"]) == (D(2002, 12, 10), True, 2)
    loaded = two_years(*calls)
    (later,) = [f for f in audit(loaded, as_of=D(2003, 12, 31)).findings
                if f.code == "hotline.slow"]
    assert (later.on, later.ongoing) == (D(2002, 12, 10), True)
    assert deductions(loaded, 2003, "gov") == ["hotline.slow"]
    assert dict(annual_report(loaded, 2003, "en")["findings"]) == {"hotline.slow": 1}


@pytest.mark.parametrize(("handled", "late"), [("2003-01-06", False), ("2003-01-07", True)])
def test_calls_that_become_late_in_the_next_year_count_in_that_year(handled: str,
                                                                    late: bool) -> None:
    """Calls of Fri 27 Dec 2002 are due Mon 6 Jan 2003 (New Year's Day is no working
    day): handled on the 7th, the rule was broken on 7 Jan 2003, a breach of 2003 only."""
    loaded = two_years(*(call(f"k{n}", "2002-12-27", handled) for n in range(3)))
    assert [f for f in audit(loaded, as_of=AS_OF).findings if f.code == "hotline.slow"] == []
    found = [f for f in audit(loaded, as_of=D(2003, 12, 31)).findings
             if f.code == "hotline.slow"]
    assert [(f.on, f.ongoing) for f in found] == ([(D(2003, 1, 7), False)] if late else [])
    assert deductions(loaded, 2002, "gov") == []
    assert deductions(loaded, 2003, "gov") == (["hotline.slow"] if late else [])


def test_a_late_share_breaks_the_rule_only_once_it_exceeds_the_threshold() -> None:
    """Ten calls in time and one late from Tue 12 Mar (1 of 11: within 10 %); a second
    late from Tue 11 Jun (2 of 12) breaks the rule: that is its day."""
    calls = [call(f"ok{n}", "2002-03-04", "2002-03-04") for n in range(10)]
    calls += [call("late1", "2002-03-04", "2002-03-20"), call("late2", "2002-06-03", "2002-06-20")]
    (finding,) = findings(*calls, code="hotline.slow")
    assert (finding.on, finding.ongoing, finding.evidence["late"]) == (D(2002, 6, 11), False, 2)


def test_acceptance_breaks_the_rule_on_the_day_it_falls_below_the_threshold() -> None:
    """Nine calls accepted; one refused on 1 Apr leaves 90 % (not below 0.9), a second
    refused on 8 May leaves 9 of 11: below, from that day, whatever came in later (10 of
    12 after a call of 3 Jun)."""
    calls = [call(f"ok{n}", "2002-03-04", "2002-03-04") for n in range(9)]
    calls += [call("no1", "2002-04-01", accepted=False), call("no2", "2002-05-08", accepted=False),
              call("ok9", "2002-06-03", "2002-06-03")]
    assert findings(*calls, code="hotline.slow", as_of=D(2002, 5, 7)) == []
    (finding,) = findings(*calls, code="hotline.slow")
    assert (finding.on, finding.ongoing) == (D(2002, 5, 8), False)


def test_the_message_gives_the_late_share_over_the_accepted_calls() -> None:
    """Nine calls accepted (one of them late) and one not: the late share is 1 of the 9
    accepted calls, above 10 %, and the message says "of 9 accepted", not "of 10 calls"."""
    calls = [call(f"ok{n}", "2002-03-04", "2002-03-04") for n in range(8)]
    calls += [call("late", "2002-03-04", "2002-03-20"), call("no", "2002-03-04", accepted=False)]
    accepted = sum(c.accepted for c in calls)
    late = 1
    (finding,) = findings(*calls, code="hotline.slow")
    assert (finding.evidence["accepted"], finding.evidence["late"]) == (accepted, late)
    assert finding.evidence["late_share"] == round(late / accepted, 4)
    assert f"{late} of {accepted} accepted calls handled late" in finding.text("en")
    assert f"{accepted} of {len(calls)} calls accepted" in finding.text("en")
    assert f"受理的{accepted}个来电中{late}个超时办理" in finding.text("zh-CN")
    assert f"{len(calls)}个来电中受理{accepted}个" in finding.text("zh-CN")


# -- a breach fixed late stays a past breach ----------------------------------------------------


@pytest.mark.parametrize(("resolved", "on"), [("2002-10-01", None), ("2002-10-02", D(2002, 10, 2)),
                                              ("2002-10-05", D(2002, 10, 2))])
def test_a_complaint_resolved_late_is_a_past_breach(resolved: str, on: dt.date | None) -> None:
    """Received 1 Sep, due 1 Oct (30 calendar days): resolved on the 1st it is in time;
    resolved later it was broken on 2 Oct, and stays a finding of 2002 once resolved."""
    complaint = gd.Complaint(id="q1", agency="gov", topic="Noise", received_at=at("2002-09-01"),
                             status="resolved", resolved_at=at(resolved, 16))
    found = findings(complaint, code="complaint.unresolved")
    assert [(f.on, f.ongoing, f.evidence["resolved_on"]) for f in found] == (
        [(on, False, resolved)] if on else [])
    if on:
        assert found[0].text("en").endswith(f"resolved on {resolved}")
        loaded = catalog(complaint)
        assert deductions(loaded, 2002, "gov") == ["complaint.unresolved"]
        assert dict(annual_report(loaded, 2002, "en")["findings"]) == {
            "complaint.unresolved": 1}


def test_a_complaint_resolved_on_a_day_nobody_recorded_is_not_measured() -> None:
    """A resolved complaint without ``resolved_at``: nothing says it was late."""
    complaint = gd.Complaint(id="q1", agency="gov", received_at=at("2002-09-01"),
                             status="resolved")
    assert findings(complaint, code="complaint.unresolved") == []


@pytest.mark.parametrize(("decided", "found"), [(D(2002, 11, 30), False),
                                                (D(2002, 12, 1), True)])
def test_an_accountability_record_decided_late_is_a_past_breach(decided: dt.date,
                                                                 found: bool) -> None:
    """Opened 1 Sep, due 30 Nov (90 calendar days): decided on 1 Dec it was broken that
    day; the finding stays after the decision, no longer ongoing, and costs 2002 points."""
    record = gd.AccountabilityRecord(id="a", agency="gov", subject_unit="town",
                                     issued_at=at("2002-09-01"), status="decided",
                                     decided_on=decided)
    result = findings(record, code="accountability.open_too_long")
    assert [(f.on, f.ongoing) for f in result] == ([(D(2002, 12, 1), False)] if found else [])
    if found:
        assert result[0].evidence["decided_on"] == "2002-12-01"
        assert deductions(catalog(record), 2002, "gov") == ["accountability.open_too_long"]


def _calendar() -> WorkingCalendar:
    """The support catalogue's working days (2002)."""
    return calendar_for(META.calendar, META.holidays, META.extra_workdays)


@pytest.mark.parametrize("after", [0, 1, 15])
def test_a_result_notice_published_late_is_a_past_breach(after: int) -> None:
    """A company's case decided 8 Mar 2002 owes its result notice within 20 working days;
    published (``publish_at``) that many days after the deadline: in time on the deadline
    itself, else a finding of the day after it, ongoing until the notice appears and no
    longer once it has."""
    deadline = _calendar().deadline(D(2002, 3, 8), 20, "working_days")
    published = deadline + dt.timedelta(days=after)
    notice = case("c1", "2002-03-04", "2002-03-08", applicant_kind="organisation",
                  applicant_name="某公司", result_summary="准予", publish_at=at(published))
    found = findings(notice, code="results.not_published")
    if not after:
        assert found == []
        return
    (late,) = found
    assert (late.on, late.ongoing) == (deadline + dt.timedelta(days=1), False)
    assert (late.evidence["missing"], late.evidence["late"]) == (0, 1)
    assert late.evidence["late_cases"] == ("case:c1",)
    assert "1 published late" in late.text("en")
    assert deductions(catalog(notice), 2002, "dept") == ["results.not_published"]
    if after > 1:  # a day between the deadline and the notice
        (before,) = findings(notice, code="results.not_published",
                             as_of=published - dt.timedelta(days=1))
        assert (before.on, before.ongoing, before.evidence["missing"]) == (late.on, True, 1)


@pytest.mark.parametrize(("grace", "done_after"), [(0, 0), (0, 1), (0, 40), (5, 5), (5, 6),
                                                   (5, 40)])
def test_a_task_done_late_is_a_past_breach(grace: int, done_after: int) -> None:
    """A task due 30 Jun 2002 done ``done_after`` days later: within its grace days it is
    in time; later it stays a finding of the day after due + grace, no longer ongoing."""
    due = D(2002, 6, 30)
    done = due + dt.timedelta(days=done_after)
    plan = gd.WorkPlan(id="p", agency="gov", year=2002, title="安排", tasks=[
        gd.PlanTask(id="t", text="任务", due=due, done_on=done)])
    profile = load_profile("cn-jilin-2002")
    rule = profile.rules["plan.task_overdue"]
    profile = attrs.evolve(profile, rules={**profile.rules, "plan.task_overdue": attrs.evolve(
        rule, params={**rule.params, "grace_days": grace})})
    found = findings(plan, code="plan.task_overdue", profile=profile)
    if done_after <= grace:
        assert found == []
        return
    (late,) = found
    assert (late.on, late.ongoing) == (due + dt.timedelta(days=grace + 1), False)
    assert late.evidence["done_on"] == done.isoformat()
    assert late.text("en").endswith(f"done only on {done.isoformat()}")
    if done_after > grace + 1:  # a day between the deadline and the day it was done
        (before,) = findings(plan, code="plan.task_overdue", profile=profile,
                             as_of=done - dt.timedelta(days=1))
        assert (before.on, before.ongoing, before.evidence["done_on"]) == (late.on, True, None)


# -- the annual report: the catalogue at the end of its year -----------------------------------


def test_resolved_and_adopted_count_what_was_settled_by_the_year_s_end() -> None:
    """Of 2002's complaints, one resolved in March 2002 counts, one resolved (and one
    rejected) in January 2003 was still open; a suggestion adopted in 2003 was not yet."""
    records = (
        gd.Complaint(id="cm1", agency="gov", received_at=at("2002-03-01"), status="resolved",
                     resolved_at=at("2002-03-05")),
        gd.Complaint(id="cm2", agency="gov", received_at=at("2002-12-20"), status="resolved",
                     resolved_at=at("2003-01-05")),
        gd.Complaint(id="cm3", agency="gov", received_at=at("2002-12-20"), status="rejected",
                     resolved_at=at("2003-01-05")),
        gd.Suggestion(id="s1", agency="gov", received_at=at("2002-12-20"), status="adopted",
                      response="yes", responded_at=at("2003-01-10")),
    )
    figures = annual_report(catalog(*records), 2002, "en")
    labels = figures["labels"]
    other = dict(figures["other"])
    assert (other[labels["complaints"]], other[labels["resolved"]]) == (3, 1)
    assert (other[labels["suggestions"]], other[labels["adopted"]]) == (1, 0)


def test_a_document_withdrawn_after_the_year_was_disclosed_in_it() -> None:
    """A policy of February 2002 abolished in February 2003 is one of 2002's items
    disclosed, as the documents table says: the 2002 report does not change in 2003."""
    policy = gd.Disclosure(id="p2", agency="gov", title="p", category="policy",
                           issued_at=at("2002-02-01"), status="withdrawn",
                           withdrawn=gd.Withdrawal(on=D(2003, 2, 1), reason="abolished"))
    other = gd.Disclosure(id="o1", agency="gov", title="o", category="other",
                          issued_at=at("2002-02-01"))
    for records in ((policy, other), (attrs.evolve(policy, status="approved", withdrawn=None),
                                      other)):
        figures = annual_report(catalog(*records), 2002, "en")
        assert dict(figures["overview"])[figures["labels"]["disclosures"]] == 2
        assert figures["categories"] == [("other", 1), ("policy", 1)]
        assert dict(figures["documents"])[figures["labels"]["policy"]] == {
            "issued": 1, "abolished": 0, "in_force": 1}
    later = dict(annual_report(catalog(policy, other), 2003, "en")["documents"])
    assert later["Normative documents (行政规范性文件)"] == {
        "issued": 0, "abolished": 1, "in_force": 0}


def test_a_hotline_withdrawn_after_the_audit_day_is_judged_as_it_stood() -> None:
    """A hotline withdrawn in 2003 was in force in 2002: its late 2002 calls are a 2002
    finding; once withdrawn it is judged no more."""
    hotline = gd.Hotline(id="hl-gov", agency="gov", number="1", opened_on=D(2002, 1, 10),
                         status="withdrawn", withdrawn=gd.Withdrawal(on=D(2003, 3, 1),
                                                                      reason="merged"))
    late = call("k1", "2002-03-04", "2002-03-12")
    (finding,) = findings(hotline, late, code="hotline.slow")
    assert finding.on == D(2002, 3, 12)
    assert findings(hotline, late, code="hotline.slow", as_of=D(2003, 3, 1)) == []


# -- the same mistake elsewhere: what happened after the audit day is not known on it ----------


def test_a_case_withdrawn_by_its_applicant_later_was_pending_on_the_audit_day() -> None:
    """Received 4 Mar 2002, given up in January 2003: still pending at the end of 2002,
    past its statutory 20 working days (due 1 Apr)."""
    given_up = case("c1", "2002-03-04", "2003-01-10", outcome="withdrawn")
    (finding,) = findings(given_up, code="case.overdue")
    assert (finding.severity, finding.on, finding.ongoing) == ("error", D(2002, 4, 2), True)
    assert findings(given_up, code="case.overdue", as_of=D(2003, 1, 10)) == []


def test_an_item_catalogued_after_the_audit_day_was_not_catalogued_on_it() -> None:
    """Published 7 Jan 2002, catalogued only on 5 Jan 2003: at the end of 2002 it has no
    catalogue approval, and that still stands; in 2003 it is a past breach."""
    late = item(catalogue=gd.CatalogueEntry(document="目录", approved_on=D(2003, 1, 5)))
    (then,) = findings(late, code="ten.not_catalogued")
    assert (then.on, then.ongoing) == (D(2002, 1, 7), True)
    assert then.evidence["approved_on"] == "2003-01-05"
    (since,) = findings(late, code="ten.not_catalogued", as_of=D(2003, 6, 30))
    assert (since.on, since.ongoing) == (D(2002, 1, 7), False)


def test_a_suggestion_adopted_after_the_audit_day_owes_no_reward_yet() -> None:
    """Adopted (answered) on 10 Jan 2003: at the end of 2002 no reward was owed."""
    suggestion = gd.Suggestion(id="s", agency="gov", received_at=at("2002-12-20"),
                               status="adopted", benefit="saved", response="yes",
                               responded_at=at("2003-01-10"))
    assert findings(suggestion, code="suggestion.reward_missing") == []
    assert findings(suggestion, code="suggestion.reward_missing", as_of=D(2003, 1, 10))


def test_a_breach_that_healed_does_not_date_a_later_one() -> None:
    """One call of Mon 4 Mar 2002 handled late (1 of 1 late from 12 Mar), then eleven in
    time (1 of 12: within 10 %): healed. Ten calls of Mon 3 Mar 2003, all late, break the
    rule again from Tue 11 Mar 2003: a breach of 2003, counted there, not in 2002."""
    calls = [call("k0", "2002-03-04", "2002-03-20"),
             *(call(f"k{n}", f"2002-04-{n:02d}", f"2002-04-{n:02d}") for n in range(1, 12)),
             *(call(f"m{n}", "2003-03-03", "2003-03-25") for n in range(10))]
    loaded = two_years(*calls)
    assert [f for f in audit(loaded, as_of=AS_OF).findings if f.code == "hotline.slow"] == []
    (found,) = [f for f in audit(loaded, as_of=D(2003, 12, 31)).findings
                if f.code == "hotline.slow"]
    assert (found.on, found.ongoing) == (D(2003, 3, 11), False)
    assert deductions(loaded, 2002, "gov") == []
    assert deductions(loaded, 2003, "gov") == ["hotline.slow"]
