"""Every rule of AUDIT.md: a minimal catalogue that triggers it and one that does not.

Each case is ``(records, as_of, expected)``: ``expected`` is the list of
``(record, severity)`` findings of the rule's code (empty: the rule stays silent).
The base catalogue (tests/audit/support.py) is clean on its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from tests.audit.support import AS_OF, D, at, case, catalog, findings, item

import govdisclosure as gd

Case = tuple[tuple[gd.Record, ...], dt.date, list[tuple[str, str]]]


def window(**changes: Any) -> gd.ServiceWindow:
    """A complete service window serving the ``permit`` item."""
    fields: dict[str, Any] = {
        "id": "w1", "agency": "dept", "hall": "hall", "number": "1", "name": "窗口",
        "services": ["permit"], "guide": "指南",
        "commitments": [gd.Commitment(text="5个工作日办结", target_days=5, item="permit")],
        "staff": [gd.Staff(name="王", badge="001")], "first_inquiry_officer": "王",
        "nameplates": True,
    }
    fields.update(changes)
    return gd.ServiceWindow(**fields)


HALL = gd.ServiceHall(id="hall", agency="gov", name="政务大厅")


def allocation(**changes: Any) -> gd.Allocation:
    """A closed allocation with all three stages published in order."""
    fields: dict[str, Any] = {
        "id": "alloc", "agency": "dept", "title": "土地出让", "kind": "land", "status": "closed",
        "closes_at": at("2002-06-03"),
        "before": gd.Stage(published_at=at("2002-05-06")),
        "during": gd.Stage(published_at=at("2002-05-20")),
        "after": gd.ResultStage(published_at=at("2002-06-10"), awardee="某公司"),
    }
    fields.update(changes)
    return gd.Allocation(**fields)


def test_allocation_closed_on_an_unrecorded_day_says_so() -> None:
    found = findings(allocation(closes_at=None, after=None), code="allocation.no_result",
                     as_of=AS_OF)
    assert [f.text("en") for f in found] == [
        f"Allocation “土地出让” closed on an unrecorded day and had no published result by "
        f"{AS_OF.isoformat()}"]
    assert found[0].on == AS_OF
    assert "未记载的日期" in found[0].text("zh-CN")


def test_a_late_stage_names_the_deal_it_came_after() -> None:
    """allocation.stage_late: one finding per stage, of the day it was published, saying
    whether it came after the closing time or after the decision."""
    closed = findings(allocation(during=gd.Stage(published_at=at("2002-06-04"))),
                      code="allocation.stage_late")
    assert [(f.key, f.on) for f in closed] == [("during", D(2002, 6, 4))]
    assert closed[0].text("en") == (
        "Allocation “土地出让”: the during (principles and method) stage was published only "
        "on 2002-06-04 10:00, after its closing time (2002-06-03 10:00)")
    assert closed[0].evidence["deal"] == "deal_closes"
    decided = findings(allocation(closes_at=None, before=gd.Stage(published_at=at("2002-06-05")),
                                  after=gd.ResultStage(published_at=at("2002-06-10"),
                                                       decided_on=D(2002, 6, 1))),
                       code="allocation.stage_late")
    assert [f.key for f in decided] == ["before"]
    assert decided[0].text("zh-CN").endswith("晚于结果决定之日(2002-06-01)")


def test_a_planned_allocation_with_a_result_says_so() -> None:
    """allocation.stage_missing judges a decided allocation as closed, and its message
    keeps the status on record beside the result."""
    (finding,) = findings(allocation(status="planned", before=None, during=None),
                          code="allocation.stage_missing")
    assert "(planned, with a result)" in finding.text("en")
    assert "(计划中、已有结果)" in finding.text("zh-CN")
    assert (finding.evidence["decided"], finding.evidence["required"]) == (
        True, ("before", "during"))


def test_a_fee_schedule_is_a_facet_of_fee_items_only() -> None:
    """ten.missing lists ``fees`` for a fee item without them, and judges it on the ten
    facets plus its fees."""
    (finding,) = findings(item(kind="fee", discipline=None), code="ten.missing")
    assert finding.evidence["missing"] == ("discipline", "fees")
    assert finding.evidence["required"][-1] == "fees"
    assert "收费标准" in finding.text("zh-CN")


def test_commitment_findings_keep_their_id_when_a_commitment_is_added_before() -> None:
    late = (case("c1", "2002-03-04", "2002-03-12"),)
    kept = gd.Commitment(text="当场办结", target_days=5, item="permit")
    alone = findings(HALL, window(), *late, code="commitment.broken", as_of=AS_OF)
    behind = findings(HALL, window(commitments=[
        gd.Commitment(text="热情服务"), kept, *window().commitments]), *late,
        code="commitment.broken", as_of=AS_OF)
    assert [f.id for f in alone] == ["audit:commitment.broken:service_window:w1#permit"]
    assert [f.id for f in behind] == [
        "audit:commitment.broken:service_window:w1#permit",
        "audit:commitment.broken:service_window:w1#permit~2"]


def run(code: str, records: tuple[gd.Record, ...], as_of: dt.date,
        expected: list[tuple[str, str]], **kwargs: Any) -> None:
    found = findings(*records, code=code, as_of=as_of, **kwargs)
    assert [(f.record, f.severity) for f in found] == expected, [f.text("en") for f in found]


TABLE: dict[str, list[tuple[str, Case]]] = {
    "ten.missing": [
        ("complete item", ((item(),), AS_OF, [])),
        ("two facets missing", ((item(discipline=None, accountability=None),), AS_OF,
                                [("approval_item:permit", "error")])),
        ("empty list is missing", ((item(conditions=[]),), AS_OF,
                                   [("approval_item:permit", "error")])),
        ("blank text is missing", ((item(discipline="  "),), AS_OF,
                                   [("approval_item:permit", "error")])),
        ("blank in every language is missing", ((item(accountability={"zh-CN": " "}),), AS_OF,
                                                [("approval_item:permit", "error")])),
        ("an empty results table is missing", ((item(results=gd.Results()),), AS_OF,
                                               [("approval_item:permit", "error")])),
        ("drafts are not checked", ((item(discipline=None, status="draft"),), AS_OF, [])),
        ("a fee item without its fees", ((item(kind="fee"),), AS_OF,
                                         [("approval_item:permit", "error")])),
        ("a free fee item (fees = [])", ((item(kind="fee", fees=[]),), AS_OF, [])),
        ("a fee item with its fees", ((item(kind="fee", fees=[gd.Fee(
            name="登记费", amount=gd.Money(amount="10", currency="CNY"))]),), AS_OF, [])),
        ("an approval item needs no fees", ((item(fees=None),), AS_OF, [])),
        ("complaints by e-mail only", ((item(complaint=[gd.ContactPoint(
            unit="监察室", email="a@example.gov.cn")]),), AS_OF,
            [("approval_item:permit", "error")])),
        ("a complaint phone without a unit is enough", ((item(complaint=[
            gd.ContactPoint(phone="0431-1")]),), AS_OF, [])),
        ("a unit without a phone", ((item(complaint=[gd.ContactPoint(unit="监察室")]),),
                                    AS_OF, [("approval_item:permit", "error")])),
        ("one contact of several names unit and phone", ((item(complaint=[
            gd.ContactPoint(email="a@example.gov.cn"),
            gd.ContactPoint(unit="监察室", phone="0431-1")]),), AS_OF, [])),
    ],
    "ten.not_catalogued": [
        ("catalogued", ((item(),), AS_OF, [])),
        ("no catalogue", ((item(catalogue=None),), AS_OF, [("approval_item:permit", "error")])),
        ("approved after publication", (
            (item(catalogue=gd.CatalogueEntry(document="目录", approved_on=D(2002, 3, 1))),),
            AS_OF, [("approval_item:permit", "error")])),
        ("not yet published", ((item(catalogue=None, publish_at=at("2003-06-01")),), AS_OF, [])),
    ],
    "ten.not_reviewed": [
        ("reviewed", ((item(),), AS_OF, [])),
        ("no review", ((item(review=None),), AS_OF, [("approval_item:permit", "error")])),
        ("reviewed after publication", (
            (item(review=gd.Review(by="联席会议", on=D(2002, 2, 1))),), AS_OF,
            [("approval_item:permit", "error")])),
        ("not a key department", ((item(review=None, agency="office"),), AS_OF, [])),
    ],
    "key.no_items": [
        ("publishes an item", ((item(),), AS_OF, [])),
        ("only a draft item", ((item(status="draft"),), AS_OF, [("agency:dept", "error")])),
        ("only an enforcement item", ((item(kind="enforcement"),), AS_OF,
                                      [("agency:dept", "error")])),
        ("only an item on no channel", ((item(channels=[]),), AS_OF,
                                        [("agency:dept", "error")])),
        ("only an internal item", ((item(audience="internal"),), AS_OF,
                                   [("agency:dept", "error")])),
    ],
    "key.minor_only": [
        ("key and minor published", (
            (gd.Disclosure(id="n1", agency="office", title="通知", category="announcement"),
             gd.Disclosure(id="b1", agency="office", title="预算", category="budget")),
            AS_OF, [])),
        ("budget kept internal, news published", (
            (gd.Disclosure(id="n1", agency="office", title="通知", category="announcement"),
             gd.Disclosure(id="b1", agency="office", title="预算", category="budget",
                           audience="internal", status="draft")),
            AS_OF, [("agency:office", "error")])),
        ("the key matter is secret", (
            (gd.Disclosure(id="n1", agency="office", title="通知", category="announcement"),
             gd.Disclosure(id="b1", agency="office", title="预算", category="budget",
                           classification="secret")),
            AS_OF, [])),
        ("nothing published at all", (
            (gd.Disclosure(id="b1", agency="office", title="预算", category="budget",
                           status="draft"),), AS_OF, [])),
    ],
    "allocation.stage_missing": [
        ("all stages", ((allocation(),), AS_OF, [])),
        ("open without rules", ((allocation(status="open", during=None, after=None),), AS_OF,
                                [("allocation:alloc", "error")])),
        ("planned needs nothing", ((allocation(status="planned", before=None, during=None,
                                               after=None),), AS_OF, [])),
        ("stage published after as_of", ((allocation(status="open", after=None),),
                                          D(2002, 5, 10), [("allocation:alloc", "error")])),
        ("planned with a published result", ((allocation(status="planned", before=None,
                                                         during=None, closes_at=None),),
                                             AS_OF, [("allocation:alloc", "error")])),
        ("planned with a decision only", ((allocation(
            status="planned", before=None, during=None, closes_at=None,
            after=gd.ResultStage(decided_on=D(2002, 6, 1))),), AS_OF,
            [("allocation:alloc", "error")])),
        ("planned, decided after the audit day", ((allocation(
            status="planned", before=None, during=None,
            after=gd.ResultStage(decided_on=D(2002, 6, 1))),), D(2002, 5, 31), [])),
        ("planned with a result and every stage", ((allocation(status="planned"),), AS_OF,
                                                   [])),
    ],
    "allocation.stage_order": [
        ("in order", ((allocation(),), AS_OF, [])),
        ("result before rules", (
            (allocation(after=gd.ResultStage(published_at=at("2002-05-10"))),), AS_OF,
            [("allocation:alloc", "error")])),
    ],
    "allocation.stage_late": [
        ("before the closing time", ((allocation(),), AS_OF, [])),
        ("rules after the closing time", ((allocation(during=gd.Stage(
            published_at=at("2002-06-04"))),), AS_OF, [("allocation:alloc", "error")])),
        ("both stages after the closing time", ((allocation(
            before=gd.Stage(published_at=at("2002-06-04")),
            during=gd.Stage(published_at=at("2002-06-05"))),), AS_OF,
            [("allocation:alloc", "error"), ("allocation:alloc", "error")])),
        ("at the closing instant", ((allocation(during=gd.Stage(
            published_at=at("2002-06-03"))),), AS_OF, [])),
        ("a minute after the closing instant", ((allocation(during=gd.Stage(
            published_at=at("2002-06-03") + dt.timedelta(minutes=1))),), AS_OF,
            [("allocation:alloc", "error")])),
        ("no closing time, on the day of the decision", ((allocation(
            closes_at=None, during=gd.Stage(published_at=at("2002-06-01", 17)),
            after=gd.ResultStage(published_at=at("2002-06-10"), decided_on=D(2002, 6, 1))),),
            AS_OF, [])),
        ("no closing time, the day after the decision", ((allocation(
            closes_at=None, during=gd.Stage(published_at=at("2002-06-02", 8)),
            after=gd.ResultStage(published_at=at("2002-06-10"), decided_on=D(2002, 6, 1))),),
            AS_OF, [("allocation:alloc", "error")])),
        ("no closing time and no decision", ((allocation(
            closes_at=None, during=gd.Stage(published_at=at("2002-09-01"))),), AS_OF, [])),
        ("a late stage not published by the audit day", ((allocation(during=gd.Stage(
            published_at=at("2002-06-04"))),), D(2002, 6, 3), [])),
    ],
    "allocation.no_result": [
        ("result in time", ((allocation(),), AS_OF, [])),
        ("no result", ((allocation(after=None),), AS_OF, [("allocation:alloc", "error")])),
        # closes Mon 3 Jun: 20 working days end Mon 1 Jul
        ("no result, on the last day", ((allocation(after=None),), D(2002, 7, 1), [])),
        ("no result, the day after", ((allocation(after=None),), D(2002, 7, 2),
                                      [("allocation:alloc", "error")])),
        ("result on the last day", ((allocation(after=gd.ResultStage(
            published_at=at("2002-07-01"))),), AS_OF, [])),
        ("result late", ((allocation(after=gd.ResultStage(published_at=at("2002-07-02"))),),
                         AS_OF, [("allocation:alloc", "error")])),
        # no closes_at: the days count from the result's decision
        ("no closing day, decided, result in time", ((allocation(
            closes_at=None, after=gd.ResultStage(published_at=at("2002-07-01"),
                                                 decided_on=D(2002, 6, 3))),), AS_OF, [])),
        ("no closing day, decided, result late", ((allocation(
            closes_at=None, after=gd.ResultStage(published_at=at("2002-07-02"),
                                                 decided_on=D(2002, 6, 3))),), AS_OF,
            [("allocation:alloc", "error")])),
        # neither date: a result published by the audit day is enough; none is a finding
        ("no dates, result published", ((allocation(closes_at=None),), AS_OF, [])),
        ("no dates, no result", ((allocation(closes_at=None, after=None),), AS_OF,
                                 [("allocation:alloc", "error")])),
        ("no dates, result after the audit day", ((allocation(closes_at=None),),
                                                   D(2002, 6, 9),
                                                   [("allocation:alloc", "error")])),
    ],
    "case.overdue": [
        ("within promised", ((case("c1", "2002-03-04", "2002-03-18"),), AS_OF, [])),
        ("past promised", ((case("c1", "2002-03-04", "2002-03-19"),), AS_OF,
                           [("case:c1", "warning")])),
        ("past statutory", ((case("c1", "2002-03-04", "2002-04-02"),), AS_OF,
                            [("case:c1", "error")])),
        # Fri 8 Feb, last working day before the holiday: 10 working days are
        # Sat 9, Sun 10 (adjusted working weekend), Mon 11, then 19-22 and 25-27 Feb
        ("spring festival, promised on the day", (
            (case("c1", "2002-02-08", "2002-02-27"),), AS_OF, [])),
        ("spring festival, one day late", ((case("c1", "2002-02-08", "2002-02-28"),), AS_OF,
                                           [("case:c1", "warning")])),
        ("suspended days extend the limit", (
            (case("c1", "2002-02-08", "2002-02-28", suspended_days=1),), AS_OF, [])),
        ("pending on the last day", ((case("c1", "2002-02-08"),), D(2002, 2, 27), [])),
        ("pending the day after", ((case("c1", "2002-02-08"),), D(2002, 2, 28),
                                   [("case:c1", "warning")])),
        ("pending, deadline not reached", ((case("c1", "2002-12-20"),), AS_OF, [])),
        ("pending past statutory", ((case("c1", "2002-11-01"),), AS_OF, [("case:c1", "error")])),
        ("withdrawn cases are not judged", (
            (case("c1", "2002-03-04", "2002-05-01", outcome="withdrawn"),), AS_OF, [])),
        ("calendar days", (
            (item(time_limit=gd.TimeLimit(statutory=15, unit="calendar_days")),
             case("c1", "2002-10-08", "2002-10-24")), AS_OF, [("case:c1", "error")])),
    ],
    "commitment.broken": [
        ("kept", ((HALL, window(), case("c1", "2002-03-04", "2002-03-11")), AS_OF, [])),
        ("missed by one case", ((HALL, window(), case("c1", "2002-03-04", "2002-03-11"),
                                 case("c2", "2002-03-04", "2002-03-12")), AS_OF,
                                [("service_window:w1", "error")])),
        # Mon 30 Sep, last working day before National Day (1-7 Oct): 5 working days
        # are 8-11 Oct and Mon 14 Oct
        ("across national day", ((HALL, window(), case("c1", "2002-09-30", "2002-10-14")),
                                 AS_OF, [])),
        ("across national day, late", ((HALL, window(), case("c1", "2002-09-30",
                                                             "2002-10-15")),
                                       AS_OF, [("service_window:w1", "error")])),
    ],
    "results.not_published": [
        ("notice published", ((case("c1", "2002-03-04", "2002-03-08",
                                    applicant_kind="organisation", result_summary="准予"),),
                              AS_OF, [])),
        ("no notice", ((case("c1", "2002-03-04", "2002-03-08", applicant_kind="organisation"),),
                       AS_OF, [("approval_item:permit", "error")])),
        ("notice kept as draft", ((case("c1", "2002-03-04", "2002-03-08", status="draft",
                                        applicant_kind="organisation", result_summary="准予"),),
                                  AS_OF, [])),
        ("persons appear only in statistics", (
            (case("c1", "2002-03-04", "2002-03-08", applicant_kind="person"),), AS_OF, [])),
        ("not yet due", ((case("c1", "2002-12-20", "2002-12-24",
                               applicant_kind="organisation"),), AS_OF, [])),
    ],
    "hotline.missing": [
        ("every level has one", ((), AS_OF, [])),
        ("township without hotline", (
            (gd.Hotline(id="hl-town", agency="town", number="3", status="planned"),), AS_OF,
            [("agency:town", "error")])),
        ("opened after the due date", (
            (gd.Hotline(id="hl-town", agency="town", number="3", opened_on=D(2002, 7, 1)),),
            AS_OF, [("agency:town", "error")])),
        ("before the due date nothing is due", (
            (gd.Hotline(id="hl-town", agency="town", number="3", status="planned"),),
            D(2002, 6, 30), [])),
    ],
    "hotline.slow": [
        ("handled in time", ((gd.HotlineCall(id="k1", agency="gov", hotline="hl-gov",
                                             received_at=at("2002-03-04"),
                                             handled_at=at("2002-03-11")),), AS_OF, [])),
        ("handled late", ((gd.HotlineCall(id="k1", agency="gov", hotline="hl-gov",
                                          received_at=at("2002-03-04"),
                                          handled_at=at("2002-03-12")),), AS_OF,
                          [("hotline:hl-gov", "warning")])),
        ("not accepted", ((gd.HotlineCall(id="k1", agency="gov", hotline="hl-gov",
                                          received_at=at("2002-03-04"), accepted=False),),
                          AS_OF, [("hotline:hl-gov", "warning")])),
    ],
    "suggestion.unanswered": [
        ("answered in time", ((gd.Suggestion(id="s1", agency="gov", received_at=at("2002-03-01"),
                                             responded_at=at("2002-03-31")),), AS_OF, [])),
        ("answered late", ((gd.Suggestion(id="s1", agency="gov", received_at=at("2002-03-01"),
                                          responded_at=at("2002-04-01")),), AS_OF,
                           [("suggestion:s1", "warning")])),
        ("never answered", ((gd.Suggestion(id="s1", agency="gov",
                                           received_at=at("2002-03-01")),), AS_OF,
                            [("suggestion:s1", "warning")])),
        ("not yet due", ((gd.Suggestion(id="s1", agency="gov", received_at=at("2002-12-15")),),
                         AS_OF, [])),
    ],
    "suggestion.reward_missing": [
        ("rewarded", ((gd.Suggestion(id="s1", agency="gov", received_at=at("2002-03-01"),
                                     responded_at=at("2002-03-05"), status="adopted",
                                     benefit="省钱", reward=gd.Reward(kind="表彰")),), AS_OF, [])),
        ("not rewarded", ((gd.Suggestion(id="s1", agency="gov", received_at=at("2002-03-01"),
                                         responded_at=at("2002-03-05"), status="adopted",
                                         benefit="省钱"),), AS_OF,
                          [("suggestion:s1", "warning")])),
        ("no benefit declared", ((gd.Suggestion(id="s1", agency="gov",
                                                received_at=at("2002-03-01"),
                                                responded_at=at("2002-03-05"),
                                                status="adopted"),), AS_OF, [])),
    ],
    "complaint.unresolved": [
        ("resolved", ((gd.Complaint(id="q1", agency="gov", received_at=at("2002-03-01"),
                                    status="resolved", resolved_at=at("2002-03-20")),), AS_OF,
                      [])),
        ("open for 30 days exactly", ((gd.Complaint(id="q1", agency="gov",
                                                    received_at=at("2002-03-01")),),
                                      D(2002, 3, 31), [])),
        ("open for 31 days", ((gd.Complaint(id="q1", agency="gov",
                                            received_at=at("2002-03-01")),),
                              D(2002, 4, 1), [("complaint:q1", "error")])),
    ],
    "complaint.no_channel": [
        ("phone listed", ((HALL, window()), AS_OF, [])),
        ("key department without phone", ((item(complaint=[gd.ContactPoint(unit="监察室")]),),
                                          AS_OF, [("agency:dept", "error")])),
        ("window serving nothing", ((HALL, window(services=[], commitments=[])), AS_OF,
                                    [("service_window:w1", "error")])),
    ],
    "window.incomplete": [
        ("complete", ((HALL, window()), AS_OF, [])),
        ("no badge", ((HALL, window(staff=[gd.Staff(name="王")])), AS_OF,
                      [("service_window:w1", "error")])),
        ("no guide", ((HALL, window(guide=None)), AS_OF, [("service_window:w1", "error")])),
        ("no first-inquiry officer", ((HALL, window(first_inquiry_officer=None)), AS_OF,
                                      [("service_window:w1", "error")])),
        ("no nameplates: not one of AUDIT.md's four parts", ((HALL, window(nameplates=False)),
                                                              AS_OF, [])),
    ],
    "disclosure.late": [
        ("published when issued", ((gd.Disclosure(id="d1", agency="gov", title="通知",
                                                  issued_at=at("2002-03-01")),), AS_OF, [])),
        # issued Fri 8 Feb: 20 working days end Wed 13 Mar
        ("embargo ends on the last day", ((gd.Disclosure(
            id="d1", agency="gov", title="通知", issued_at=at("2002-02-08"),
            publish_at=at("2002-03-13")),), AS_OF, [])),
        ("embargo ends a day late", ((gd.Disclosure(
            id="d1", agency="gov", title="通知", issued_at=at("2002-02-08"),
            publish_at=at("2002-03-14")),), AS_OF, [("disclosure:d1", "warning")])),
        ("still embargoed past the limit", ((gd.Disclosure(
            id="d1", agency="gov", title="通知", issued_at=at("2002-02-08"),
            publish_at=at("2002-12-31", 23)),), D(2002, 6, 1), [("disclosure:d1", "warning")])),
    ],
    "disclosure.secret_marked_public": [
        ("public", ((gd.Disclosure(id="d1", agency="gov", title="通知"),), AS_OF, [])),
        ("secret, published by default", ((gd.Disclosure(id="d1", agency="gov", title="方案",
                                                         classification="secret"),), AS_OF,
                                          [("disclosure:d1", "error")])),
        ("secret, no channels", ((gd.Disclosure(id="d1", agency="gov", title="方案",
                                                classification="secret", channels=[]),),
                                 AS_OF, [])),
        ("restricted draft", ((gd.Disclosure(id="d1", agency="gov", title="方案",
                                             classification="restricted", status="draft"),),
                              AS_OF, [])),
    ],
    "plan.task_overdue": [
        ("done", ((gd.WorkPlan(id="p", agency="gov", title="安排", year=2002, tasks=[
            gd.PlanTask(id="t", text="任务", due=D(2002, 6, 30), done_on=D(2002, 6, 20))]),),
            AS_OF, [])),
        ("due today", ((gd.WorkPlan(id="p", agency="gov", title="安排", year=2002, tasks=[
            gd.PlanTask(id="t", text="任务", due=D(2002, 6, 30))]),), D(2002, 6, 30), [])),
        ("past due", ((gd.WorkPlan(id="p", agency="gov", title="安排", year=2002, tasks=[
            gd.PlanTask(id="t", text="任务", due=D(2002, 6, 30), owner="town")]),),
            D(2002, 7, 1), [("work_plan:p", "error")])),
    ],
    "accountability.open_too_long": [
        ("decided", ((gd.AccountabilityRecord(id="a", agency="gov", subject_unit="town",
                                              issued_at=at("2002-01-10"), status="decided"),),
                     AS_OF, [])),
        ("open 90 days", ((gd.AccountabilityRecord(id="a", agency="gov", subject_unit="town",
                                                   issued_at=at("2002-01-10")),),
                          D(2002, 4, 10), [])),
        ("open 91 days", ((gd.AccountabilityRecord(id="a", agency="gov", subject_unit="town",
                                                   issued_at=at("2002-01-10")),),
                          D(2002, 4, 11), [("accountability_record:a", "warning")])),
    ],
}

CASES = [pytest.param(code, *case_, id=f"{code}: {name}")
         for code, cases in TABLE.items() for name, case_ in cases]


@pytest.mark.parametrize(("code", "records", "as_of", "expected"), CASES)
def test_rule(code: str, records: tuple[gd.Record, ...], as_of: dt.date,
              expected: list[tuple[str, str]]) -> None:
    """The rule finds exactly the expected records, at the expected severity."""
    run(code, records, as_of, expected)


def test_every_rule_has_a_table() -> None:
    """Each code of the rule registry is tested above, with and without a finding."""
    from govdisclosure.audit import RULES

    assert set(TABLE) == set(RULES)
    for code, cases in TABLE.items():
        outcomes = {bool(expected) for _, (_, _, expected) in cases}
        assert outcomes == {True, False}, code


def test_ledger_times_replace_publish_at() -> None:
    """With first_published, disclosure.late uses the ledger, not publish_at."""
    record = gd.Disclosure(id="d1", agency="gov", title="通知", issued_at=at("2002-02-08"))
    permit = ("approval_item", "permit")
    ledger = {("disclosure", "d1"): at("2002-03-14"), permit: at("2002-01-07")}
    found = findings(record, code="disclosure.late", first_published=ledger)
    assert [(f.record, f.evidence["source"]) for f in found] == [("disclosure:d1", "ledger")]
    assert found[0].evidence["first_published"] == "2002-03-14T10:00:00+08:00"
    on_time = {("disclosure", "d1"): at("2002-03-13"), permit: at("2002-01-07")}
    assert not findings(record, code="disclosure.late", first_published=on_time)


def test_missing_from_ledger_is_not_published() -> None:
    """A record the ledger does not have is late once its limit has passed."""
    record = gd.Disclosure(id="d1", agency="gov", title="通知", issued_at=at("2002-02-08"))
    found = findings(record, code="disclosure.late", first_published={})
    assert {f.record for f in found} == {"disclosure:d1", "approval_item:permit"}
    assert all(f.evidence["first_published"] is None for f in found)


def test_a_record_published_nowhere_is_not_published_without_a_ledger() -> None:
    """``channels = []`` names no publisher: without a ledger the audit does not take its
    ``issued_at`` for its publication (as it does for a record every publisher shows), so
    it is late once its limit has passed, as the ledger would say."""
    nowhere = gd.Disclosure(id="d1", agency="gov", title="通知", issued_at=at("2002-02-08"),
                            channels=[])
    everywhere = attrs.evolve(nowhere, channels=None)
    found = findings(nowhere, code="disclosure.late")
    assert [(f.record, f.ongoing, f.evidence["first_published"]) for f in found] == [
        ("disclosure:d1", True, None)]
    assert not findings(everywhere, code="disclosure.late")


def test_finding_messages_in_every_language() -> None:
    """A finding carries its message in each catalogue language, with its evidence."""
    (finding,) = findings(item(discipline=None), code="ten.missing")
    assert set(finding.message) == {"zh-CN", "en"}
    assert "工作纪律和廉政制度" in finding.message["zh-CN"]
    assert "discipline" in finding.message["en"]
    assert finding.evidence["missing"] == ("discipline",)
    assert finding.agency == "dept"


def test_an_empty_term_adds_nothing_to_a_message() -> None:
    """No catalogue at all: the message ends there (the term for it is empty), rather
    than with the term's key ("…approvalno_catalogue")."""
    (finding,) = findings(item(catalogue=None), code="ten.not_catalogued")
    assert finding.message["en"].endswith("without catalogue approval")
    assert finding.message["zh-CN"].endswith("即已公开")


def test_overdue_evidence_counts_working_days() -> None:
    """case.overdue evidence has the limit, the deadline and the working days taken."""
    (finding,) = findings(case("c1", "2002-02-08", "2002-02-28"), code="case.overdue")
    assert finding.evidence["deadline"] == "2002-02-27"
    assert finding.evidence["days_taken"] == 11
    assert finding.evidence["promised"] == 10
    assert finding.on == D(2002, 2, 28)


def test_unknown_year_is_an_error_not_a_guess() -> None:
    """A deadline in a year the calendar does not know raises CalendarError."""
    from govdisclosure.audit import audit

    with pytest.raises(gd.CalendarError, match="2003"):
        audit(catalog(case("c1", "2002-12-20")), as_of=D(2003, 3, 1))


def test_findings_are_sorted_and_deterministic() -> None:
    """Errors come first, then codes, agencies and records; two runs give the same JSON."""
    from govdisclosure.audit import audit

    records = (item(discipline=None), case("c1", "2002-03-04", "2002-03-19"),
               case("c2", "2002-03-04", "2002-04-02"))
    first = audit(catalog(*records), as_of=AS_OF)
    second = audit(catalog(*reversed(records)), as_of=AS_OF)
    assert first.to_json() == second.to_json()
    ranks = [f.sort_key() for f in first.findings]
    assert ranks == sorted(ranks)
    assert first.findings[0].severity == "error"
    assert first.exit_code == 1


def test_the_audit_judges_the_catalogue_as_it_stood_on_the_audit_day() -> None:
    """What happened after ``as_of`` is not known on that day: a case received later is
    not there yet, one decided later was still pending; a complaint or accountability
    record settled later was still open; a call handled later was not handled yet."""
    late_case = case("c1", "2002-10-08", "2002-10-28")  # 15 working days > promised 10
    assert findings(late_case, code="case.overdue", as_of=D(2002, 10, 7)) == []
    # decided on 2002-03-19 (11 working days), audited on 2002-03-18 before that decision:
    # pending, and not yet past the promised 10 days counted to the audit day
    (pending,) = findings(case("c2", "2002-03-04", "2002-03-19"), code="case.overdue",
                          as_of=D(2002, 3, 19))
    assert pending.evidence["decided_on"] == "2002-03-19"
    assert findings(case("c2", "2002-03-04", "2002-03-19"), code="case.overdue",
                    as_of=D(2002, 3, 18)) == []
    complaint = gd.Complaint(id="k1", agency="dept", topic="Noise",
                             received_at=at("2002-03-01"), status="resolved",
                             resolved_at=at("2002-09-01"))
    (open_then,) = findings(complaint, code="complaint.unresolved", as_of=D(2002, 6, 1))
    assert open_then.evidence["status"] == "resolved"
    assert (open_then.ongoing, open_then.evidence["resolved_on"]) == (True, None)
    (resolved_since,) = findings(complaint, code="complaint.unresolved", as_of=D(2002, 10, 1))
    assert (resolved_since.on, resolved_since.ongoing) == (D(2002, 4, 1), False)
    assert findings(complaint, code="complaint.unresolved", as_of=D(2002, 2, 1)) == []


@pytest.mark.parametrize(("updated", "late"), [("2002-06-10", False), ("2002-08-01", True),
                                                (None, True)])
def test_a_change_must_be_published_in_time_under_cn_ogi_2019(updated: str | None,
                                                                late: bool) -> None:
    """Art. 26: within 20 working days of the information being formed *or changed*. A
    major change counts from its day to the ledger's next publication of new content."""
    record = gd.Disclosure(id="d1", agency="gov", title="通知", issued_at=at("2002-02-01"),
                           changes=[gd.Change(at=at("2002-06-03"), note="修订")])
    times = [at("2002-02-04")] + ([at(updated)] if updated else [])
    publications = {("disclosure", "d1"): times}
    first = {key: found[0] for key, found in publications.items()}
    found = [f for f in findings(record, code="disclosure.late", profile="cn-ogi-2019",
                                 first_published=first, publications=publications)
             if f.record == "disclosure:d1"]
    assert [f.key for f in found] == (["change:2002-06-03T10:00:00+08:00"] if late else [])
    if late:
        assert "changed on 2002-06-03" in found[0].message["en"]
        assert found[0].evidence["published"] == (None if updated is None else updated)
    # the seed's profile judges first publication only
    assert [f for f in findings(record, code="disclosure.late", first_published=first,
                                publications=publications) if f.key] == []
