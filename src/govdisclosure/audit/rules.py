"""The rules of the audit, one function per finding code (AUDIT.md's table).

Each rule takes the audit :class:`~.context.Context` and its configuration from the
profile, and yields findings. Rules read only; thresholds and severities come from
the profile, never from here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator

from ..calendar import plus_days
from ..model import (
    STAGES,
    AccountabilityRecord,
    Allocation,
    ApprovalItem,
    Case,
    Complaint,
    Disclosure,
    Hotline,
    HotlineCall,
    OwnedRecord,
    Record,
    ServiceWindow,
    Suggestion,
    WorkPlan,
)
from .context import Context, iso
from .findings import Finding, Named, Term, Terms
from .profile import RuleConfig, Severity

__all__ = ["RULES", "Rule"]

Rule = Callable[[Context, RuleConfig], Iterator[Finding]]
ONE_DAY = dt.timedelta(days=1)
SAMPLE = 20  # record ids listed in evidence at most


def _title(record: Record) -> Named:
    """A record named in a message (by its title, else its id)."""
    return Named(record, record.label or record.id)


def _has(value: object) -> bool:
    """Whether a facet says something: not blank text in every language, not an empty
    list, not a table (``results``, a contact) whose every field is empty."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict):
        return any(_has(text) for text in value.values())
    if isinstance(value, tuple | list):
        return any(_has(part) for part in value)
    fields = getattr(value, "__attrs_attrs__", None)
    if fields is not None:
        return any(_has(getattr(value, field.name)) for field in fields)
    return value is not None


# -- the ten disclosures -------------------------------------------------------------------


def _lacks_facet(item: ApprovalItem, facet: str, complaint_fields: tuple[str, ...]) -> bool:
    """Whether an item says nothing of ``facet``.

    ``fees`` is stated by any list, the empty one too (a free item); ``complaint``, with
    ``complaint_fields`` given, only by a contact that has every one of those fields
    (cn-jilin-2002: a phone; a profile may ask for the unit too, in the same contact).
    """
    if facet == "fees":
        return item.fees is None
    if facet == "complaint" and complaint_fields:
        return not any(all(_has(getattr(contact, name)) for name in complaint_fields)
                       for contact in item.complaint)
    return not _has(getattr(item, facet, None))


def ten_missing(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``ten.missing``: an approval item lacks one of the ten facets (or, an item of the
    ``fees_kinds``, its fee schedule)."""
    facets, kinds = rule.get_strs("facets"), rule.get_strs("kinds")
    key_only = rule.get_bool("key_departments_only")
    fees_kinds = rule.get_strs("fees_kinds", default=())
    complaint_fields = rule.get_strs("complaint_fields", default=())
    for item in ctx.items():
        if not ctx.active(item) or item.kind not in kinds:
            continue
        agency = ctx.agencies.get(item.agency)
        if key_only and not (agency and agency.key_department):
            continue
        fees = ("fees",) if item.kind in fees_kinds and "fees" not in facets else ()
        required = (*facets, *fees)
        missing = tuple(facet for facet in required
                        if _lacks_facet(item, facet, complaint_fields))
        if missing:
            yield ctx.finding(rule, agency=item.agency, record=item,
                              args={"title": _title(item), "missing": Terms(missing)},
                              evidence={"missing": missing, "required": required},
                              ongoing=True)  # a standing condition of the audit day


def _prior_step(ctx: Context, item: ApprovalItem, done: bool, done_on: dt.date | None,
                missing: str, later: str, key: str,
                ) -> tuple[Term | None, dt.date | None, bool]:
    """Why a published item lacks a step that must come first (catalogue or review).

    Returns ``(detail, published_on, ongoing)``; detail is None when the step was taken in
    time, ongoing whether it was still not taken on the audit day (one taken later was
    not yet).
    """
    published = ctx.publication_time(item)
    published_on = ctx.day(published) if published else None
    if published_on is not None and published_on > ctx.as_of:
        return None, published_on, False  # kept as a case's item, but not published yet
    if not done or (done_on is not None and done_on > ctx.as_of):
        return Term(missing), published_on, True
    if done_on and published_on and published_on < done_on:
        return Term(later, {key: iso(done_on) or "",
                            "published_on": iso(published_on) or ""}), published_on, False
    return None, published_on, False


def ten_not_catalogued(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``ten.not_catalogued``: published without (or before) catalogue approval."""
    kinds = rule.get_strs("kinds")
    for item in ctx.items():
        if item.kind not in kinds or not ctx.published(item, "public"):
            continue
        approved_on = item.catalogue.approved_on if item.catalogue else None
        detail, published_on, ongoing = _prior_step(
            ctx, item, item.catalogue is not None, approved_on, "no_catalogue",
            "catalogue_later", "approved_on")
        if detail is None:
            continue
        yield ctx.finding(rule, agency=item.agency, record=item,
                          args={"title": _title(item), "detail": detail},
                          evidence={"catalogue": item.catalogue is not None,
                                    "approved_on": iso(approved_on),
                                    "published_on": iso(published_on)},
                          on=published_on, ongoing=ongoing)


def ten_not_reviewed(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``ten.not_reviewed``: a key department's item published without the joint review."""
    kinds, levels = rule.get_strs("kinds"), rule.get_strs("levels")
    for item in ctx.items():
        agency = ctx.agencies.get(item.agency)
        if (agency is None or not agency.key_department or agency.level not in levels
                or item.kind not in kinds or not ctx.published(item, "public")):
            continue
        reviewed_on = item.review.on if item.review else None
        detail, published_on, ongoing = _prior_step(
            ctx, item, item.review is not None, reviewed_on, "no_review", "review_later",
            "reviewed_on")
        if detail is None:
            continue
        yield ctx.finding(rule, agency=item.agency, record=item,
                          args={"title": _title(item), "detail": detail},
                          evidence={"reviewed": item.review is not None,
                                    "reviewed_on": iso(reviewed_on),
                                    "published_on": iso(published_on),
                                    "level": agency.level},
                          on=published_on, ongoing=ongoing)


# -- key departments and key matters -------------------------------------------------------


def key_no_items(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``key.no_items``: a key department publishes no approval or fee items."""
    kinds = rule.get_strs("kinds")
    for agency in ctx.agencies.values():
        if not agency.key_department or not ctx.active(agency):
            continue
        items = [r for r in ctx.by_agency.get(agency.id, ())
                 if isinstance(r, ApprovalItem) and r.kind in kinds]
        if not any(ctx.published(item, "public") for item in items):
            yield ctx.finding(rule, agency=agency.id, record=agency,
                              args={"agency_name": agency.name},
                              evidence={"items_on_record": len(items), "published": 0,
                                        "kinds": kinds}, ongoing=True)


def key_minor_only(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``key.minor_only``: only minor matters published while key matters are on record."""
    key_categories, key_types = rule.get_strs("key_categories"), rule.get_strs("key_types")
    item_kinds = rule.get_strs("key_item_kinds", default=())  # none given: every kind
    for agency in ctx.agencies.values():
        key: list[Record] = []
        minor = 0
        for record in ctx.by_agency.get(agency.id, ()):
            if record.publication_status == "withdrawn" or record.classification != "public":
                continue  # a withdrawn or classified matter is none the public is owed
            if (record.TYPE in key_types and not (
                    item_kinds and isinstance(record, ApprovalItem)
                    and record.kind not in item_kinds)) or (
                isinstance(record, Disclosure) and record.category in key_categories
            ):
                key.append(record)
            elif isinstance(record, Disclosure) and ctx.published(record, "public"):
                minor += 1
        if key and minor and not any(ctx.published(record, "public") for record in key):
            yield ctx.finding(rule, agency=agency.id, record=agency,
                              args={"agency_name": agency.name, "minor": minor,
                                    "key": len(key)},
                              evidence={"key_on_record": len(key), "key_published": 0,
                                        "minor_published": minor,
                                        "key_records": tuple(r.ref for r in key[:SAMPLE])},
                              ongoing=True)


# -- public resource allocation ------------------------------------------------------------


def _owed(ctx: Context, allocation: Allocation) -> bool:
    """Whether the public is owed the allocation's stages: in force and not classified
    (a classified matter is none the public is owed; marking one for publication is
    ``disclosure.secret_marked_public``)."""
    return ctx.active(allocation) and allocation.classification == "public"


def _stage_time(ctx: Context, allocation: Allocation, name: str) -> dt.datetime | None:
    """When a stage was disclosed to the public: its ``published_at``, but not before the
    allocation itself was (embargo, ledger), and never if the allocation is not published
    to the public by the audit day (internal only, embargoed, in no channel)."""
    stage = allocation.stage(name)
    if stage is None or stage.published_at is None or not ctx.published(allocation, "public"):
        return None
    shown = ctx.publication_time(allocation)
    return max(stage.published_at, shown) if shown is not None else stage.published_at


def _decided(ctx: Context, allocation: Allocation) -> bool:
    """Whether the allocation had its result by the audit day (a ``decided_on``, or an
    ``after`` stage dated by then, public or not): it is past every stage, whatever its
    ``status`` says."""
    after = allocation.after
    return after is not None and (
        (after.decided_on is not None and after.decided_on <= ctx.as_of)
        or (after.published_at is not None and after.published_at <= ctx.end_of_day))


def allocation_stage_missing(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``allocation.stage_missing``: a stage the allocation is past has no disclosure.

    An allocation with a result is judged as ``closed`` whatever its status (a ``planned``
    one decided without ever disclosing its resource or rules is the black box itself).
    """
    required = {"open": rule.get_strs("open"), "closed": rule.get_strs("closed")}
    for allocation in ctx.catalog.of_type(Allocation):
        if not _owed(ctx, allocation):
            continue
        decided = _decided(ctx, allocation)
        past = "closed" if decided else allocation.status
        if past not in required:
            continue
        missing = tuple(
            name for name in required[past]
            if (at := _stage_time(ctx, allocation, name)) is None or at > ctx.end_of_day
        )
        if missing:
            status = (allocation.status,) if past == allocation.status else (
                allocation.status, "with_result")
            yield ctx.finding(rule, agency=allocation.agency, record=allocation,
                              args={"title": _title(allocation), "missing": Terms(missing),
                                    "status": Terms(status)},
                              evidence={"status": allocation.status, "decided": decided,
                                        "missing": missing, "required": required[past]},
                              ongoing=True)


def allocation_stage_order(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``allocation.stage_order``: a later stage was published before an earlier one."""
    for allocation in ctx.catalog.of_type(Allocation):
        if not _owed(ctx, allocation):
            continue
        times = [(name, at) for name in STAGES
                 if (at := _stage_time(ctx, allocation, name)) and at <= ctx.end_of_day]
        for index, (earlier, earlier_at) in enumerate(times):
            for later, later_at in times[index + 1:]:
                if later_at < earlier_at:
                    yield ctx.finding(
                        rule, agency=allocation.agency, record=allocation,
                        key=f"{earlier}-{later}", on=ctx.day(later_at),
                        args={"title": _title(allocation), "earlier": Term(earlier),
                              "later": Term(later), "earlier_at": iso(ctx.day(earlier_at)),
                              "later_at": iso(ctx.day(later_at))},
                        evidence={"earlier": earlier, "later": later,
                                  "earlier_published_at": iso(earlier_at),
                                  "later_published_at": iso(later_at)})


def _local(ctx: Context, moment: dt.datetime) -> str:
    """A moment as the catalogue's wall clock shows it, to the minute."""
    return moment.astimezone(ctx.zone).strftime("%Y-%m-%d %H:%M")


def allocation_stage_late(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``allocation.stage_late``: a stage that must precede the deal was published after it.

    The deal is ``closes_at`` (a stage published after that instant is late), else the
    result's ``decided_on`` (published on a later day). Neither on record: not judged.
    A stage not published by the audit day is ``allocation.stage_missing``'s.
    """
    stages = rule.get_strs("stages")
    for allocation in ctx.catalog.of_type(Allocation):
        if not _owed(ctx, allocation):
            continue
        closes_at = allocation.closes_at
        decided = allocation.after.decided_on if allocation.after else None
        for name in stages:
            at = _stage_time(ctx, allocation, name)
            if at is None or at > ctx.end_of_day:
                continue
            if closes_at is not None:
                if at <= closes_at:
                    continue
                deal, deal_on, shown = "deal_closes", _local(ctx, closes_at), _local(ctx, at)
            elif decided is not None and ctx.day(at) > decided:
                deal, deal_on = "deal_decided", decided.isoformat()
                shown = ctx.day(at).isoformat()
            else:
                continue
            yield ctx.finding(rule, agency=allocation.agency, record=allocation, key=name,
                              on=ctx.day(at),
                              args={"title": _title(allocation), "stage": Term(name),
                                    "published_at": shown, "deal": Term(deal),
                                    "deal_on": deal_on},
                              evidence={"stage": name, "published_at": iso(at),
                                        "closes_at": iso(closes_at), "decided_on": iso(decided),
                                        "deal": deal})


def allocation_no_result(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``allocation.no_result``: a closed allocation has no published result after N days.

    The days count from ``closes_at``, else from the result's ``decided_on``. A closed
    allocation with neither date and no result published by the audit day is a finding
    of that day: nothing says when its result was owed, and nothing says it was given.
    """
    days, unit = rule.get_int("days"), rule.get_str("unit")
    for allocation in ctx.catalog.of_type(Allocation):
        if not _owed(ctx, allocation) or allocation.status != "closed":
            continue
        result_at = _stage_time(ctx, allocation, "after")
        decided = allocation.after.decided_on if allocation.after else None
        closes_on = (ctx.day(allocation.closes_at) if allocation.closes_at is not None
                     else decided if decided is not None and decided <= ctx.as_of else None)
        closed: str | Term | None
        if closes_on is None:
            if result_at is not None and not ctx.after(result_at):
                continue
            deadline, on, closed = ctx.as_of, ctx.as_of, Term("unknown_day")
        else:
            due = ctx.passed(closes_on, days, unit, ctx.as_of)
            if due is None or (result_at is not None and ctx.day(result_at) <= due):
                continue
            deadline, on, closed = due, due + ONE_DAY, iso(closes_on)
        yield ctx.finding(rule, agency=allocation.agency, record=allocation, on=on,
                          ongoing=result_at is None or ctx.after(result_at),
                          args={"title": _title(allocation), "closes_on": closed,
                                "deadline": iso(deadline)},
                          evidence={"closes_on": iso(closes_on), "deadline": iso(deadline),
                                    "limit": days, "unit": unit,
                                    "result_published_at": iso(result_at)})


# -- cases, commitments and results ---------------------------------------------------------


def _outcome(ctx: Context, case: Case) -> str:
    """A case's outcome on the audit day: one decided later was still pending."""
    return "pending" if ctx.after(case.decided_at) else case.outcome


def _case_late(ctx: Context, case: Case, limit: int, unit: str) -> dt.date | None:
    """A case's last day if it was decided after it (or is pending past it), else None.

    The period is ``limit`` plus the case's suspended days, counted after the day of
    receipt; a pending case is judged on the audit day.
    """
    end = ctx.known(case.decided_at) or ctx.as_of
    return ctx.passed(ctx.day(case.received_at), limit + case.suspended_days, unit, end)


def case_overdue(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``case.overdue``: a case exceeded its promised or statutory limit (working days)."""
    outcomes = rule.get_strs("outcomes")
    promised_severity: Severity = rule.get_str("severity_promised")  # type: ignore[assignment]
    for case in ctx.catalog.of_type(Case):
        if (_outcome(ctx, case) not in outcomes or not ctx.active(case)
                or ctx.after(case.received_at)):
            continue
        item = ctx.catalog.get(ApprovalItem.TYPE, case.item)
        if not isinstance(item, ApprovalItem) or item.time_limit is None:
            continue
        limit = item.time_limit
        statutory = _case_late(ctx, case, limit.statutory, limit.unit)
        if statutory is not None:
            kind, deadline, severity = "statutory", statutory, rule.severity
        elif limit.promised is not None and (
            promised := _case_late(ctx, case, limit.promised, limit.unit)
        ):
            kind, deadline, severity = "promised", promised, promised_severity
        else:
            continue
        received_on = ctx.day(case.received_at)
        decided_on = ctx.known(case.decided_at)
        state = (Term("decided_on", {"decided_on": iso(decided_on) or ""}) if decided_on
                 else Term("still_pending", {"as_of": iso(ctx.as_of) or ""}))
        days_taken = ctx.elapsed(received_on, decided_on or ctx.as_of, limit.unit)
        yield ctx.finding(
            rule, agency=case.agency, record=case, severity=severity, on=deadline + ONE_DAY,
            ongoing=decided_on is None,
            args={"case": case.id, "title": _title(item), "limit_kind": Term(kind),
                  "limit": getattr(limit, kind), "unit": Term(limit.unit),
                  "deadline": iso(deadline), "state": state},
            evidence={"item": item.ref, "limit_kind": kind, "statutory": limit.statutory,
                      "promised": limit.promised, "unit": limit.unit,
                      "suspended_days": case.suspended_days, "received_on": iso(received_on),
                      "deadline": iso(deadline), "statutory_deadline": iso(statutory),
                      "decided_on": iso(decided_on),
                      "as_of": None if decided_on else iso(ctx.as_of),
                      "days_taken": days_taken,
                      # what the limits are compared with: the days taken less suspensions
                      "days_counted": None if days_taken is None
                      else days_taken - case.suspended_days})


def commitment_broken(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``commitment.broken``: a window commitment's ``target_days`` is missed by its cases."""
    tolerance, outcomes = rule.get_float("max_missed_share"), rule.get_strs("outcomes")
    for window in ctx.windows():
        if not ctx.active(window):
            continue
        seen: Counter[str] = Counter()
        for commitment in window.commitments:
            if commitment.target_days is None or commitment.item is None:
                continue
            # keyed by the item, not the list position: a finding keeps its id when
            # another commitment is added before it (a second one of the item gets "~2")
            seen[commitment.item] += 1
            key = commitment.item + (f"~{seen[commitment.item]}" if seen[commitment.item] > 1
                                     else "")
            item = ctx.catalog.get(ApprovalItem.TYPE, commitment.item)
            unit = (item.time_limit.unit if isinstance(item, ApprovalItem) and item.time_limit
                    else "working_days")
            cases = [c for c in ctx.cases_by_item.get(commitment.item, ())
                     if _outcome(ctx, c) in outcomes and ctx.active(c)
                     and ctx.day(c.received_at) <= ctx.as_of]
            missed = []
            for case in cases:
                deadline = _case_late(ctx, case, commitment.target_days, unit)
                if deadline is not None:
                    missed.append((deadline, case))
            if not cases or not missed or len(missed) / len(cases) <= tolerance:
                continue
            first = min(deadline for deadline, _ in missed)
            # a case that missed the promise and is still pending: the promise is still
            # not delivered on the audit day
            pending = sum(1 for _, case in missed if ctx.known(case.decided_at) is None)
            yield ctx.finding(
                rule, agency=window.agency, record=window, key=key,
                on=first + ONE_DAY, ongoing=pending > 0,
                args={"title": _title(window), "target": commitment.target_days,
                      "unit": Term(unit), "item_title": _title(item) if item else
                      commitment.item, "missed": len(missed), "cases": len(cases)},
                evidence={"item": f"{ApprovalItem.TYPE}:{commitment.item}",
                          "target_days": commitment.target_days, "unit": unit,
                          "cases": len(cases), "missed": len(missed), "pending": pending,
                          "missed_share": round(len(missed) / len(cases), 4),
                          "max_missed_share": tolerance,
                          "missed_cases": tuple(c.ref for _, c in missed[:SAMPLE])})


def _notice_day(ctx: Context, case: Case, decided_on: dt.date) -> dt.date | None:
    """The day a case's result notice (``result_summary`` or ``decision_ref``) reached the
    public, or None when it had not by the audit day: the case's first publication (the
    ledger's, else its ``publish_at``, else when it was formed), but not before the
    decision it reports; a case published on no recorded day is taken as published when
    decided."""
    if not (ctx.published(case, "public") and (case.result_summary or case.decision_ref)):
        return None
    shown = ctx.publication_time(case)
    return decided_on if shown is None else max(ctx.day(shown), decided_on)


def results_not_published(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``results.not_published``: decided cases of a results item have no result notice
    within N days of the decision (still none on the audit day, or one published late)."""
    days, unit = rule.get_int("days"), rule.get_str("unit")
    outcomes, kinds = rule.get_strs("outcomes"), rule.get_strs("applicant_kinds")
    for item in ctx.items():
        if not ctx.active(item) or item.results is None:
            continue
        decided = 0
        missing: list[tuple[dt.date, Case]] = []
        late: list[tuple[dt.date, Case]] = []
        for case in ctx.cases_by_item.get(item.id, ()):
            if (case.decided_at is None or case.outcome not in outcomes
                    or case.applicant_kind not in kinds or not ctx.active(case)):
                continue
            decided_on = ctx.day(case.decided_at)
            deadline = ctx.passed(decided_on, days, unit, ctx.as_of)
            if deadline is None:
                continue
            decided += 1
            shown_on = _notice_day(ctx, case, decided_on)
            if shown_on is None:
                missing.append((deadline, case))
            elif shown_on > deadline:  # a breach fixed late stays one, of its own day
                late.append((deadline, case))
        if missing or late:
            first = min(deadline for deadline, _ in (*missing, *late))
            yield ctx.finding(rule, agency=item.agency, record=item, on=first + ONE_DAY,
                              ongoing=bool(missing),
                              args={"title": _title(item), "overdue": len(missing) + len(late),
                                    "missing": len(missing), "late": len(late),
                                    "limit": days, "unit": Term(unit),
                                    "as_of": iso(ctx.as_of)},
                              evidence={"decided_cases": decided, "missing": len(missing),
                                        "late": len(late), "limit": days, "unit": unit,
                                        "cases": tuple(c.ref for _, c in missing[:SAMPLE]),
                                        "late_cases": tuple(c.ref for _, c in late[:SAMPLE])})


# -- hotlines, suggestions and complaints ---------------------------------------------------


def hotline_missing(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``hotline.missing``: an agency the plan names has no open hotline by the due date."""
    due = rule.get_date("due")
    levels, kinds = rule.get_strs("levels"), rule.get_strs("kinds")
    key_departments = rule.get_bool("key_departments")
    if due is None or ctx.as_of <= due:
        return
    for agency in ctx.agencies.values():
        if agency.level not in levels or not ctx.active(agency):
            continue
        if agency.kind not in kinds and not (key_departments and agency.key_department):
            continue
        hotlines = [h for h in ctx.hotlines_by_agency.get(agency.id, ())
                    if ctx.active(h) and h.status in ("open", "closed", "approved")]
        in_time = [h for h in hotlines if h.opened_on is None or h.opened_on <= due]
        if in_time:
            continue
        opened = min((h.opened_on for h in hotlines if h.opened_on), default=None)
        detail = Term("opened_late", {"opened_on": iso(opened) or ""}) if opened else None
        yield ctx.finding(rule, agency=agency.id, record=agency, on=due + ONE_DAY,
                          ongoing=opened is None or opened > ctx.as_of,
                          args={"agency_name": agency.name, "due": iso(due), "detail": detail},
                          evidence={"due": iso(due), "level": agency.level,
                                    "hotlines": len(hotlines), "opened_on": iso(opened)})


def _slow(calls: int, accepted: int, late: int, min_acceptance: float,
          max_late: float) -> bool:
    """Whether a hotline's calls break ``hotline.slow``: the share accepted is below
    ``min_acceptance``, or the share of the accepted calls handled late is above
    ``max_late``."""
    return accepted / calls < min_acceptance or (accepted > 0 and late / accepted > max_late)


def _slow_since(ctx: Context, calls: list[HotlineCall], late: list[tuple[dt.date, HotlineCall]],
                min_acceptance: float, max_late: float) -> dt.date:
    """The day a hotline's calls began to break ``hotline.slow`` for good: the first day of
    the last run of days, up to the audit day, on which the calls received by the end of
    the day and those late by then (from the day after their limit) broke it. A breach
    that healed (later calls in time bring the late share back under the threshold) does
    not date a later one, which counts in its own year."""
    events: list[tuple[dt.date, bool, bool]] = sorted(
        [(ctx.day(c.received_at), c.accepted, False) for c in calls]
        + [(deadline + ONE_DAY, True, True) for deadline, _ in late])
    received = accepted = overdue = 0
    since: dt.date | None = None
    for index, (day, was_accepted, is_late) in enumerate(events):
        if is_late:
            overdue += 1
        else:
            received, accepted = received + 1, accepted + was_accepted
        if index + 1 == len(events) or events[index + 1][0] != day:  # the day's last event
            slow = _slow(received, accepted, overdue, min_acceptance, max_late)
            since = (since or day) if slow else None
    return since or ctx.as_of  # None not reached: the calls break the rule by the audit day


def hotline_slow(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``hotline.slow``: calls handled late, or acceptance below the threshold."""
    default_days, unit = rule.get_int("due_days"), rule.get_str("unit")
    min_acceptance, max_late = rule.get_float("min_acceptance"), rule.get_float("max_late_share")
    for hotline in ctx.catalog.of_type(Hotline):
        if not ctx.active(hotline):
            continue
        calls = [c for c in ctx.calls_by_hotline.get(hotline.id, ())
                 if ctx.active(c) and ctx.day(c.received_at) <= ctx.as_of]
        if not calls:
            continue
        days = hotline.due_days if hotline.due_days is not None else default_days
        accepted = [c for c in calls if c.accepted]
        late: list[tuple[dt.date, HotlineCall]] = []
        unhandled = 0  # accepted, late, and still not handled on the audit day
        for call in accepted:
            done = ctx.known(call.handled_at) or ctx.known(call.closed_at)
            deadline = ctx.passed(ctx.day(call.received_at), days, unit, done or ctx.as_of)
            if deadline is not None:
                late.append((deadline, call))
                unhandled += done is None
        if not _slow(len(calls), len(accepted), len(late), min_acceptance, max_late):
            continue
        acceptance = len(accepted) / len(calls)
        late_share = len(late) / len(accepted) if accepted else 0.0
        yield ctx.finding(
            rule, agency=hotline.agency, record=hotline,
            on=_slow_since(ctx, calls, late, min_acceptance, max_late), ongoing=unhandled > 0,
            # the late share is of the accepted calls: the message names that denominator
            args={"number": hotline.number, "calls": len(calls), "accepted": len(accepted),
                  "late": len(late), "late_share": f"{late_share:.0%}",
                  "acceptance": f"{acceptance:.0%}"},
            evidence={"calls": len(calls), "accepted": len(accepted), "late": len(late),
                      "unhandled": unhandled,
                      "acceptance": round(acceptance, 4), "late_share": round(late_share, 4),
                      "min_acceptance": min_acceptance, "max_late_share": max_late,
                      "due_days": days, "unit": unit,
                      "late_calls": tuple(c.ref for _, c in late[:SAMPLE])})


def suggestion_unanswered(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``suggestion.unanswered``: no response within N days."""
    days, unit = rule.get_int("days"), rule.get_str("unit")
    for suggestion in ctx.catalog.of_type(Suggestion):
        if not ctx.active(suggestion):
            continue
        if suggestion.responded_at is None and suggestion.response is not None:
            continue  # answered, on a day nobody recorded: nothing to measure
        received_on = ctx.day(suggestion.received_at)
        deadline = ctx.passed(received_on, days, unit, ctx.as_of)
        if deadline is None:
            continue
        responded_on = ctx.known(suggestion.responded_at)
        if responded_on is not None and responded_on <= deadline:
            continue
        yield ctx.finding(rule, agency=suggestion.agency, record=suggestion,
                          on=deadline + ONE_DAY, ongoing=responded_on is None,
                          args={"title": suggestion.topic or _title(suggestion),
                                "received_on": iso(received_on), "deadline": iso(deadline)},
                          evidence={"received_on": iso(received_on), "deadline": iso(deadline),
                                    "limit": days, "unit": unit,
                                    "responded_at": iso(suggestion.responded_at)})


def suggestion_reward_missing(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``suggestion.reward_missing``: adopted, with a declared benefit, and no reward."""
    for suggestion in ctx.catalog.of_type(Suggestion):
        reward = suggestion.reward
        awarded = reward is not None and (reward.awarded_on is None
                                          or reward.awarded_on <= ctx.as_of)
        if (ctx.active(suggestion) and suggestion.status == "adopted"
                and not ctx.after(suggestion.responded_at)  # adopted only later: not yet
                and _has(suggestion.benefit) and not awarded):
            yield ctx.finding(rule, agency=suggestion.agency, record=suggestion,
                              on=ctx.day(suggestion.responded_at)
                              if suggestion.responded_at else None, ongoing=True,
                              args={"title": suggestion.topic or _title(suggestion)},
                              evidence={"status": suggestion.status,
                                        "adopted_into": suggestion.adopted_into})


def _overran(ctx: Context, opened_on: dt.date, days: int, unit: str, still_open: bool,
             closed_on: dt.date | None) -> tuple[dt.date, dt.date | None] | None:
    """Whether a record that stays open until closed (a complaint until resolved, an
    accountability record until decided) stayed open past its limit by the audit day.

    Args:
        still_open: its status is an open one.
        closed_on: the day it was closed, if recorded.

    Returns:
        ``(deadline, closed)``, ``closed`` the day it was closed if by the audit day (a
        breach fixed late stays a past one), None while it was still open that day; or
        None: closed in time, or closed on a day nobody recorded (nothing to measure).
    """
    if not still_open and closed_on is None:
        return None
    closed = None if still_open or closed_on is None or closed_on > ctx.as_of else closed_on
    deadline = ctx.passed(opened_on, days, unit, closed or ctx.as_of)
    return None if deadline is None else (deadline, closed)


def _closure(closed: dt.date | None, as_of: dt.date, term: str) -> Term:
    """How a record that overran stood on the audit day: closed on a day, or still open."""
    if closed is None:
        return Term("still_pending", {"as_of": iso(as_of) or ""})
    return Term(term, {term: iso(closed) or ""})


def complaint_unresolved(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``complaint.unresolved``: a complaint open past N days (resolved late, or still
    open on the audit day)."""
    days, unit, statuses = rule.get_int("days"), rule.get_str("unit"), rule.get_strs(
        "open_statuses")
    for complaint in ctx.catalog.of_type(Complaint):
        if not ctx.active(complaint) or ctx.after(complaint.received_at):
            continue
        received_on = ctx.day(complaint.received_at)
        overran = _overran(ctx, received_on, days, unit, complaint.status in statuses,
                           ctx.day(complaint.resolved_at) if complaint.resolved_at else None)
        if overran is None:
            continue
        deadline, resolved_on = overran
        yield ctx.finding(rule, agency=complaint.agency, record=complaint,
                          on=deadline + ONE_DAY, ongoing=resolved_on is None,
                          args={"title": complaint.topic or _title(complaint),
                                "received_on": iso(received_on), "days": days,
                                "state": _closure(resolved_on, ctx.as_of, "resolved_on")},
                          evidence={"received_on": iso(received_on), "deadline": iso(deadline),
                                    "limit": days, "unit": unit, "status": complaint.status,
                                    "resolved_on": iso(resolved_on)})


def _complaint_phones(ctx: Context, items: list[ApprovalItem]) -> int:
    return sum(1 for item in items if ctx.active(item)
               for contact in item.complaint if contact.phone)


def complaint_no_channel(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``complaint.no_channel``: a key department or window lists no complaint phone."""
    if rule.get_bool("key_departments"):
        for agency in ctx.agencies.values():
            if not agency.key_department or not ctx.active(agency):
                continue
            items = [r for r in ctx.by_agency.get(agency.id, ()) if isinstance(r, ApprovalItem)]
            if not _complaint_phones(ctx, items):
                yield ctx.finding(rule, agency=agency.id, record=agency,
                                  args={"subject": Term("key_department"),
                                        "title": agency.name},
                                  evidence={"items": len(items), "complaint_phones": 0},
                                  ongoing=True)
    if rule.get_bool("windows"):
        for window in ctx.windows():
            if not ctx.active(window):
                continue
            items = [item for ident in window.services
                     if isinstance(item := ctx.catalog.get(ApprovalItem.TYPE, ident),
                                   ApprovalItem)]
            own = sum(1 for contact in window.complaint if contact.phone)
            if not own and not _complaint_phones(ctx, items):
                yield ctx.finding(rule, agency=window.agency, record=window,
                                  args={"subject": Term("window"), "title": _title(window)},
                                  evidence={"services": len(items), "complaint_phones": 0},
                                  ongoing=True)


def _window_lacks(window: ServiceWindow, part: str) -> bool:
    if part == "badges":
        return not window.staff or any(not person.badge for person in window.staff)
    if part == "nameplates":
        return not window.nameplates
    return not _has(getattr(window, part, None))


def window_incomplete(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``window.incomplete``: guide, commitments, badges or first-inquiry officer missing."""
    require = rule.get_strs("require")
    for window in ctx.windows():
        if not ctx.active(window):
            continue
        missing = tuple(part for part in require if _window_lacks(window, part))
        if missing:
            yield ctx.finding(rule, agency=window.agency, record=window,
                              args={"title": _title(window), "missing": Terms(missing)},
                              evidence={"missing": missing, "required": require,
                                        "staff": len(window.staff)}, ongoing=True)


# -- timeliness, secrecy, plans and accountability ------------------------------------------


def disclosure_late(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``disclosure.late``: first publication more than N days after ``issued_at``."""
    days, unit, types = rule.get_int("days"), rule.get_str("unit"), rule.get_strs("types")
    ledger = ctx.first_published is not None
    for record in ctx.catalog:
        if (record.TYPE not in types or record.issued_at is None or not ctx.active(record)
                or record.classification != "public"
                or (ledger and record.audience != "public")):  # the ledger: of public output
            continue
        issued_on = ctx.day(record.issued_at)
        first = ctx.publication_time(record)
        if not ledger and record.publish_at is None and record.channels != ():
            continue  # without a ledger and an embargo, it was published when issued
        shown = first is not None and first <= ctx.end_of_day
        end = ctx.day(first) if first is not None and shown else ctx.as_of
        deadline = ctx.passed(issued_on, days, unit, end)
        if deadline is None:
            continue
        if shown:
            state = Term("published_on", {"published_on": iso(end) or ""})
        else:
            state = Term("not_published", {"as_of": iso(ctx.as_of) or ""})
        yield ctx.finding(
            rule, agency=getattr(record, "agency", None), record=record, on=deadline + ONE_DAY,
            ongoing=not shown,
            args={"record_type": Term(f"type_{record.TYPE}"), "title": _title(record),
                  "event": Term("formed_on"), "issued_on": iso(issued_on),
                  "deadline": iso(deadline), "state": state},
            evidence={"issued_on": iso(issued_on), "deadline": iso(deadline), "limit": days,
                      "unit": unit, "first_published": iso(first) if first and
                      first <= ctx.end_of_day else None,
                      "source": "ledger" if ledger else "publish_at",
                      "days_taken": ctx.elapsed(issued_on, ctx.day(first), unit)
                      if first and first <= ctx.end_of_day else None})
    if rule.get_bool("changes", default=False) and ctx.publications is not None:
        yield from _changes_late(ctx, rule, days, unit, types)


def _changes_late(ctx: Context, rule: RuleConfig, days: int, unit: str,
                  types: tuple[str, ...]) -> Iterator[Finding]:
    """``disclosure.late`` for changes (``changes = true``): each major change of a public
    record must be published (an ``updated`` receipt) within the same limit."""
    assert ctx.publications is not None  # noqa: S101 - checked by the caller
    for record in ctx.catalog:
        if (record.TYPE not in types or not ctx.active(record)
                or record.classification != "public" or record.audience != "public"):
            continue
        times = ctx.publications.get((record.TYPE, record.id), ())
        for change in record.changes:
            changed_on = ctx.known(change.at) if change.major else None
            if changed_on is None:
                continue
            after = next((t for t in times if t >= change.at and t <= ctx.end_of_day), None)
            end = ctx.day(after) if after is not None else ctx.as_of
            deadline = ctx.passed(changed_on, days, unit, end)
            if deadline is None:
                continue
            state = (Term("published_on", {"published_on": iso(end) or ""}) if after
                     else Term("not_published", {"as_of": iso(ctx.as_of) or ""}))
            yield ctx.finding(
                rule, agency=getattr(record, "agency", None), record=record,
                key=f"change:{change.at.isoformat()}", on=deadline + ONE_DAY,
                ongoing=after is None,
                args={"record_type": Term(f"type_{record.TYPE}"), "title": _title(record),
                      "event": Term("changed_on"), "issued_on": iso(changed_on),
                      "deadline": iso(deadline), "state": state},
                evidence={"changed_on": iso(changed_on), "deadline": iso(deadline),
                          "limit": days, "unit": unit, "source": "ledger",
                          "published": iso(ctx.day(after)) if after else None,
                          "days_taken": ctx.elapsed(changed_on, end, unit)
                          if after else None})


def disclosure_secret_marked_public(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``disclosure.secret_marked_public``: a classified record marked for publication."""
    for record in ctx.catalog:
        if record.classification == "public" or record.publication_status == "draft":
            continue
        if record.channels is not None and not record.channels:
            continue
        agency = record.agency if isinstance(record, OwnedRecord) else record.id
        yield ctx.finding(rule, agency=agency, record=record,
                          args={"record_type": Term(f"type_{record.TYPE}"
                                                    if record.TYPE in _TYPE_TERMS
                                                    else "type_record"),
                                "title": _title(record),
                                "classification": Term(record.classification)},
                          evidence={"classification": record.classification,
                                    "status": record.status, "audience": record.audience,
                                    "channels": record.channels}, ongoing=True)


_TYPE_TERMS = {"disclosure", "approval_item", "allocation", "news_release", "consultation",
               "work_plan"}


def plan_task_overdue(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``plan.task_overdue``: a work-plan task is past due (plus ``grace_days``) and was not
    done by then (still not done on the audit day, or done late)."""
    grace = rule.get_int("grace_days")
    for plan in ctx.catalog.of_type(WorkPlan):
        if not ctx.active(plan):
            continue
        for task in plan.tasks:
            if task.due is None:
                continue
            deadline = plus_days(task.due, grace)
            done_on = task.done_on  # one done only after the audit day was not done yet
            if done_on is not None and done_on > ctx.as_of:
                done_on = None
            end = done_on or ctx.as_of
            if end <= deadline:
                continue
            state = (Term("task_done_on", {"done_on": iso(done_on) or ""}) if done_on
                     else Term("task_not_done", {"as_of": iso(ctx.as_of) or ""}))
            owner = task.owner.rpartition(":")[2] if task.owner else plan.agency
            yield ctx.finding(rule, agency=owner, record=plan, key=task.id,
                              on=deadline + ONE_DAY, ongoing=done_on is None,
                              args={"task_text": task.text, "due": iso(task.due),
                                    "state": state},
                              evidence={"task": task.id, "due": iso(task.due),
                                        "grace_days": grace, "done_on": iso(done_on)})


def accountability_open_too_long(ctx: Context, rule: RuleConfig) -> Iterator[Finding]:
    """``accountability.open_too_long``: an accountability record open past N days."""
    days, unit, statuses = rule.get_int("days"), rule.get_str("unit"), rule.get_strs(
        "open_statuses")
    for record in ctx.catalog.of_type(AccountabilityRecord):
        if not ctx.active(record):
            continue
        opened = record.issued_at
        if opened is None and record.source:
            source = ctx.catalog.resolve(record.source)
            opened = getattr(source, "received_at", None) or getattr(source, "issued_at", None)
        if opened is None:
            continue  # no day to count from
        if ctx.after(opened):
            continue
        opened_on = ctx.day(opened)
        overran = _overran(ctx, opened_on, days, unit, record.status in statuses,
                           record.decided_on)
        if overran is None:
            continue
        deadline, decided_on = overran
        yield ctx.finding(rule, agency=record.agency, record=record, on=deadline + ONE_DAY,
                          ongoing=decided_on is None,
                          args={"title": record.facts or _title(record),
                                "opened_on": iso(opened_on), "days": days,
                                "state": _closure(decided_on, ctx.as_of, "decided_on")},
                          evidence={"opened_on": iso(opened_on), "deadline": iso(deadline),
                                    "limit": days, "unit": unit, "status": record.status,
                                    "decided_on": iso(decided_on),
                                    "subject_unit": record.subject_unit})


#: Every rule by its code, in AUDIT.md's order.
RULES: dict[str, Rule] = {
    "ten.missing": ten_missing,
    "ten.not_catalogued": ten_not_catalogued,
    "ten.not_reviewed": ten_not_reviewed,
    "key.no_items": key_no_items,
    "key.minor_only": key_minor_only,
    "allocation.stage_missing": allocation_stage_missing,
    "allocation.stage_order": allocation_stage_order,
    "allocation.stage_late": allocation_stage_late,
    "allocation.no_result": allocation_no_result,
    "case.overdue": case_overdue,
    "commitment.broken": commitment_broken,
    "results.not_published": results_not_published,
    "hotline.missing": hotline_missing,
    "hotline.slow": hotline_slow,
    "suggestion.unanswered": suggestion_unanswered,
    "suggestion.reward_missing": suggestion_reward_missing,
    "complaint.unresolved": complaint_unresolved,
    "complaint.no_channel": complaint_no_channel,
    "window.incomplete": window_incomplete,
    "disclosure.late": disclosure_late,
    "disclosure.secret_marked_public": disclosure_secret_marked_public,
    "plan.task_overdue": plan_task_overdue,
    "accountability.open_too_long": accountability_open_too_long,
}
