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
    in_time: int = 0
    days: list[float] = field(factory=list)
    satisfied: int = 0
    rated: int = 0

    @property
    def avg_days(self) -> str:
        """Average calendar days from receipt to closure."""
        return _avg(self.days)

    @property
    def in_time_rate(self) -> str:
        """Share of closed calls closed within the hotline's limit."""
        return rate(self.in_time, self.closed)

    @property
    def satisfaction(self) -> str:
        """Share of satisfied callers among those who rated."""
        return rate(self.satisfied, self.rated)


def hotline_figures(hotlines: Sequence[Hotline], calls: Sequence[HotlineCall]
                    ) -> tuple[list[HotlineFigures], HotlineFigures, list[tuple[str, int, int]]]:
    """Per hotline, in total, and per month ``(YYYY-MM, received, closed)``."""
    known = {h.id: HotlineFigures(h) for h in hotlines}
    total = HotlineFigures(None)
    months: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for call in calls:
        row = known.get(call.hotline)
        limit = row.hotline.due_days if row is not None and row.hotline is not None else None
        months[f"{call.received_at:%Y-%m}"][0] += 1
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
                days = (call.closed_at - call.received_at).total_seconds() / 86400
                figures.days.append(days)
                if limit is not None and days <= limit:
                    figures.in_time += 1
        if call.closed_at is not None:
            months[f"{call.closed_at:%Y-%m}"][1] += 1
    return list(known.values()), total, [(m, v[0], v[1]) for m, v in sorted(months.items())]


@define
class CaseFigures:
    """Timeliness of one item's applications."""

    item: ApprovalItem | None
    received: int = 0
    approved: int = 0
    rejected: int = 0
    other: int = 0
    pending: int = 0
    overdue_pending: int = 0
    within_promised: int = 0
    within_statutory: int = 0
    days: list[float] = field(factory=list)
    computable: bool = True

    @property
    def decided(self) -> int:
        """Applications with a decision."""
        return self.received - self.pending

    @property
    def avg_days(self) -> str:
        """Average handling time in the item's unit."""
        return _avg(self.days)

    @property
    def promised_rate(self) -> str:
        """Share of decisions within the promised limit."""
        return rate(self.within_promised, self.decided)

    @property
    def statutory_rate(self) -> str:
        """Share of decisions within the statutory limit."""
        return rate(self.within_statutory, self.decided)


def case_figures(items: Sequence[ApprovalItem], cases: Sequence[Case], calendar: WorkingCalendar,
                 zone: dt.tzinfo, as_of: dt.datetime) -> tuple[list[CaseFigures], CaseFigures]:
    """Per approval item (only those with applications) and in total."""
    known = {item.id: CaseFigures(item) for item in items}
    total = CaseFigures(None)
    today = as_of.astimezone(zone).date()
    for case in cases:
        row = known.get(case.item)
        limit = row.item.time_limit if row is not None and row.item is not None else None
        start = case.received_at.astimezone(zone).date()
        end = case.decided_at.astimezone(zone).date() if case.decided_at else today
        days: float | None = None
        if limit is not None:
            try:
                if limit.unit == "working_days":
                    days = calendar.working_days_between(start, end) - case.suspended_days
                else:
                    days = (end - start).days - case.suspended_days
            except CalendarError:
                days = None
        for figures in (row, total):
            if figures is None:
                continue
            figures.received += 1
            if case.outcome == "pending" or case.decided_at is None:
                figures.pending += 1
                if days is not None and limit is not None and days > limit.statutory:
                    figures.overdue_pending += 1
                continue
            if case.outcome == "approved":
                figures.approved += 1
            elif case.outcome == "rejected":
                figures.rejected += 1
            else:
                figures.other += 1
            if limit is None or days is None:
                if limit is not None:
                    figures.computable = False
                continue
            if figures is row:
                figures.days.append(days)
            if days <= (limit.promised if limit.promised is not None else limit.statutory):
                figures.within_promised += 1
            if days <= limit.statutory:
                figures.within_statutory += 1
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
