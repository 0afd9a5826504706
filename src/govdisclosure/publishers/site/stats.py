"""Figures for the statistics pages, computed from the selected records only.

Cases and hotline calls appear on the site only here, as counts and averages: no row
of any table names a caller or an individual applicant.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from attrs import define, field

from ...calendar import WorkingCalendar
from ...errors import CalendarError
from ...model import (
    AccountabilityRecord,
    ApprovalItem,
    Case,
    Complaint,
    Evaluation,
    Hotline,
    HotlineCall,
    Suggestion,
    TimeLimit,
)

__all__ = ["CaseFigures", "HotlineFigures", "case_figures", "hotline_figures", "rate"]


def rate(part: int, whole: int) -> str:
    """A percentage with one decimal, or '' when there is nothing to divide."""
    return f"{100 * part / whole:.1f}%" if whole else ""


def _avg(values: Sequence[float]) -> str:
    return f"{sum(values) / len(values):.1f}" if values else ""


@define
class HotlineFigures:
    """Handling of one hotline's calls."""

    hotline: Hotline | None
    calls: int = 0
    accepted: int = 0
    closed: int = 0
    timed: int = 0
    in_time: int = 0
    in_time_unknown: int = 0
    days: list[float] = field(factory=list)
    satisfied: int = 0
    rated: int = 0

    @property
    def avg_days(self) -> str:
        """Average calendar days from receipt to closure."""
        return _avg(self.days)

    @property
    def in_time_rate(self) -> str:
        """Share of accepted, closed calls handled within ``due_days`` working days."""
        return rate(self.in_time, self.timed)

    @property
    def satisfaction(self) -> str:
        """Share of satisfied callers among those who rated."""
        return rate(self.satisfied, self.rated)


def hotline_figures(hotlines: Sequence[Hotline], calls: Sequence[HotlineCall],
                    calendar: WorkingCalendar, zone: dt.tzinfo,
                    ) -> tuple[list[HotlineFigures], HotlineFigures, list[tuple[str, int, int]]]:
    """Per hotline, in total, and per month ``(YYYY-MM, received, closed)``.

    A call is in time as the audit's ``hotline.slow`` judges it: handled (``handled_at``,
    else ``closed_at``) within the hotline's ``due_days`` working days after the day of
    receipt. Only accepted calls that are closed are judged, so that the figure does not
    change with the day of publication. When the calendar does not cover a call's period,
    the call counts in ``in_time_unknown``.
    """
    known = {h.id: HotlineFigures(h) for h in hotlines}
    total = HotlineFigures(None)
    months: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for call in calls:
        row = known.get(call.hotline)
        limit = row.hotline.due_days if row is not None and row.hotline is not None else None
        months[f"{call.received_at.astimezone(zone):%Y-%m}"][0] += 1
        done = (call.handled_at or call.closed_at) if call.closed_at is not None else None
        judged = False
        late: bool | None = None
        if limit is not None and call.accepted and done is not None:
            judged = True
            try:
                late = calendar.passed(call.received_at.astimezone(zone).date(), limit,
                                       "working_days", done.astimezone(zone).date()) is not None
            except CalendarError:
                late = None
        for figures in (row, total):
            if figures is None:
                continue
            figures.calls += 1
            figures.accepted += call.accepted
            if call.satisfied is not None:
                figures.rated += 1
                figures.satisfied += call.satisfied
            if call.closed_at is not None:
                figures.closed += 1
                figures.days.append((call.closed_at - call.received_at).total_seconds() / 86400)
            if not judged:
                continue
            if late is None:
                figures.in_time_unknown += 1
            else:
                figures.timed += 1
                figures.in_time += not late
        if call.closed_at is not None:
            months[f"{call.closed_at.astimezone(zone):%Y-%m}"][1] += 1
    return list(known.values()), total, [(m, v[0], v[1]) for m, v in sorted(months.items())]


@define
class CaseFigures:
    """Outcomes and timeliness of one item's applications.

    Every application counts in exactly one of ``approved``, ``rejected``, ``withdrawn``,
    ``transferred`` and ``pending``. Timeliness is that of the decisions (approved or
    rejected, as the audit's ``case.overdue`` judges them); a ``*_unknown`` count is of
    applications the working-day calendar cannot place, whose figure is then not
    computable rather than 0.
    """

    item: ApprovalItem | None
    received: int = 0
    approved: int = 0
    rejected: int = 0
    withdrawn: int = 0
    transferred: int = 0
    pending: int = 0
    overdue_pending: int = 0
    overdue_unknown: int = 0
    timed: int = 0
    within_promised: int = 0
    within_statutory: int = 0
    timing_unknown: int = 0
    days: list[float] = field(factory=list)
    days_unknown: int = 0

    @property
    def decided(self) -> int:
        """Applications approved or rejected."""
        return self.approved + self.rejected

    @property
    def avg_days(self) -> str:
        """Average handling time in the item's unit."""
        return _avg(self.days)

    @property
    def promised_rate(self) -> str:
        """Share of decisions within the promised limit."""
        return rate(self.within_promised, self.timed)

    @property
    def statutory_rate(self) -> str:
        """Share of decisions within the statutory limit."""
        return rate(self.within_statutory, self.timed)


def _case_timing(case: Case, limit: TimeLimit, calendar: WorkingCalendar, zone: dt.tzinfo,
                 today: dt.date) -> tuple[bool | None, bool | None, float | None]:
    """``(late for the statutory limit, late for the promised one, days taken)``; a pending
    case only gets the first.

    As the audit's ``case.overdue``: each limit is extended by the suspended days and
    counted after the day of receipt, to the day of decision (none yet: ``today``); the days
    taken are those less the suspended ones, never below 0. None where the calendar cannot
    tell.
    """
    start = case.received_at.astimezone(zone).date()
    end = case.decided_at.astimezone(zone).date() if case.decided_at else today

    def late(days: int) -> bool | None:
        try:
            return calendar.passed(start, days + case.suspended_days, limit.unit, end) is not None
        except CalendarError:
            return None

    statutory = late(limit.statutory)
    if case.outcome == "pending":
        return statutory, None, None
    promised = statutory if limit.promised is None else late(limit.promised)
    counted = calendar.elapsed(start, end, limit.unit)
    # suspensions longer than the time taken (a data error) do not make it negative
    return statutory, promised, None if counted is None else max(0, counted - case.suspended_days)


def case_figures(items: Sequence[ApprovalItem], cases: Sequence[Case], calendar: WorkingCalendar,
                 zone: dt.tzinfo, as_of: dt.datetime) -> tuple[list[CaseFigures], CaseFigures]:
    """Per approval item (only those with applications) and in total."""
    known = {item.id: CaseFigures(item) for item in items}
    total = CaseFigures(None)
    today = as_of.astimezone(zone).date()
    for case in cases:
        row = known.get(case.item)
        limit = row.item.time_limit if row is not None and row.item is not None else None
        pending = case.outcome == "pending"
        timed = limit is not None and case.outcome in ("pending", "approved", "rejected")
        statutory_late = promised_late = None
        taken: float | None = None
        if timed and limit is not None:
            statutory_late, promised_late, taken = _case_timing(case, limit, calendar, zone,
                                                                today)
        for figures in (row, total):
            if figures is None:
                continue
            figures.received += 1
            if case.outcome == "approved":
                figures.approved += 1
            elif case.outcome == "rejected":
                figures.rejected += 1
            elif case.outcome == "withdrawn":
                figures.withdrawn += 1
            elif case.outcome == "transferred":
                figures.transferred += 1
            else:
                figures.pending += 1
            if limit is None:
                continue
            if pending:
                if statutory_late is None:
                    figures.overdue_unknown += 1
                else:
                    figures.overdue_pending += statutory_late
                continue
            if case.outcome not in ("approved", "rejected"):
                continue
            if statutory_late is None or promised_late is None:
                figures.timing_unknown += 1
            else:
                figures.timed += 1
                figures.within_statutory += not statutory_late
                figures.within_promised += not promised_late
            if figures is row:
                if taken is None:
                    figures.days_unknown += 1
                else:
                    figures.days.append(taken)
    rows = [row for row in known.values() if row.received]
    return rows, total


def counts(values: Sequence[str]) -> list[tuple[str, int]]:
    """``(value, count)``, most frequent first, then by value."""
    return sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0]))


def suggestion_figures(suggestions: Sequence[Suggestion]) -> dict[str, Any]:
    """Counts by status, the adoption rate and the rewarded suggestions."""
    by_status = counts([s.status for s in suggestions])
    adopted = sum(1 for s in suggestions if s.status == "adopted")
    answered = adopted + sum(1 for s in suggestions if s.status == "not_adopted")
    rewarded = sorted((s for s in suggestions if s.reward is not None),
                      key=lambda s: (s.reward.awarded_on or dt.date.min if s.reward else
                                     dt.date.min, s.id), reverse=True)
    return {"total": len(suggestions), "by_status": by_status, "adopted": adopted,
            "answered": answered, "adoption_rate": rate(adopted, answered),
            "rewarded": rewarded}


def complaint_figures(complaints: Sequence[Complaint]) -> dict[str, Any]:
    """Counts by channel, status and agency complained about, and resolution time."""
    days = [(c.resolved_at - c.received_at).total_seconds() / 86400
            for c in complaints if c.resolved_at is not None]
    return {"total": len(complaints),
            "by_channel": counts([c.channel or "other" for c in complaints]),
            "by_status": counts([c.status for c in complaints]),
            "by_agency": counts([c.about or c.agency for c in complaints]),
            "avg_days": _avg(days)}


def accountability_figures(records: Sequence[AccountabilityRecord]) -> dict[str, Any]:
    """Counts by violation and status."""
    return {"total": len(records), "by_violation": counts([r.violation for r in records]),
            "by_status": counts([r.status for r in records])}


def league_tables(evaluations: Sequence[Evaluation]) -> list[tuple[int, list[Evaluation]]]:
    """Per year, newest first: evaluations by rank, then score, then agency."""
    years: dict[int, list[Evaluation]] = defaultdict(list)
    for evaluation in evaluations:
        years[evaluation.year].append(evaluation)
    return [(year, sorted(rows, key=lambda e: (e.rank if e.rank is not None else 10**9,
                                               -(e.score or 0.0), e.agency, e.id)))
            for year, rows in sorted(years.items(), reverse=True)]
