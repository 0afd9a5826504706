"""Draft yearly evaluations (考核) from findings, and draft accountability records.

Scoring, all from the profile's ``[evaluation]`` table:

- the score is the sum of the components' scores; each component starts at its
  ``max`` (the maxima add up to 100);
- each finding of the year costs the points of its severity (``points``), or its
  code's (``code_points``), from the first component covering its code, never below 0;
- a finding counts in the year of its ``on`` day (the day the violation arose); a
  finding without a day (a missing facet, an incomplete window) counts every year;
- ranks are competition ranks (1, 2, 2, 4) by score, ties listed by agency id;
- a model unit (示范单位) scores at least ``model_unit_min_score`` and, unless
  ``model_unit_allow_errors``, has no error-level finding;
- an agency the year gives no data on is not evaluated (no score, no rank, never a model
  unit): the catalogue as it stood at the year's end holds no record in force that it
  owns (its evaluations aside) and the year's audit has no finding on it. Full marks for
  nothing on record would be invented.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from attrs import frozen

from ..catalog import Catalog, dumps
from ..model import (
    AccountabilityRecord,
    Agency,
    Evaluation,
    OwnedRecord,
    Record,
    Text,
    localize,
)
from .engine import audit, known_on, resolve_profile
from .findings import AuditReport, Finding
from .profile import Profile

__all__ = [
    "AgencyEvaluation",
    "Deduction",
    "draft_accountability",
    "evaluate",
    "evaluations_toml",
    "records_toml",
]


@frozen(kw_only=True)
class Deduction:
    """Points one finding cost, and why."""

    component: str
    points: float
    finding: Finding


@frozen(kw_only=True)
class AgencyEvaluation:
    """A draft evaluation of one agency for one year, with every point lost explained.

    ``score`` and ``rank`` are None for an agency not evaluated (no data for the year):
    it has no components, no deductions, and is no model unit.
    """

    agency: str
    name: Text
    year: int
    score: float | None
    components: dict[str, float]
    deductions: tuple[Deduction, ...]
    rank: int | None
    model_unit: bool
    errors: int
    languages: tuple[str, ...] = ("zh-CN", "en")

    @property
    def id(self) -> str:
        """The id of its ``evaluation`` record."""
        return _evaluation_id(self.year, self.agency)

    @property
    def evaluated(self) -> bool:
        """Whether the year gave data on the agency, so that it has a score."""
        return self.score is not None

    def to_record(self, profile: Profile, published_on: dt.date | None = None) -> Evaluation:
        """The draft as an ``evaluation`` record (status ``draft``: review before publishing).

        Raises:
            ValueError: the agency was not evaluated: there is nothing to record.
        """
        if not self.evaluated:
            raise ValueError(f"{self.agency!r} was not evaluated for {self.year}: no data")
        remarks = {
            language: _remarks(self, profile, language)
            for language in self.languages
        }
        return Evaluation(
            id=self.id, agency=self.agency, year=self.year,
            status="draft", evaluator=profile.evaluation.evaluator, score=self.score,
            components=dict(self.components), rank=self.rank, model_unit=self.model_unit,
            remarks=remarks, published_on=published_on,
            title={language: (f"{self.year}年政务公开考核(草稿)" if language.startswith("zh")
                              else f"Disclosure evaluation {self.year} (draft)")
                   for language in self.languages},
        )

    def to_dict(self, language: str = "en") -> dict[str, Any]:
        """A JSON-ready dictionary, deductions explained in ``language``."""
        return {
            "agency": self.agency, "year": self.year, "evaluated": self.evaluated,
            "score": self.score, "rank": self.rank, "model_unit": self.model_unit,
            "components": self.components, "errors": self.errors,
            "deductions": [
                {"component": d.component, "points": d.points, "code": d.finding.code,
                 "severity": d.finding.severity, "record": d.finding.record,
                 "finding": d.finding.id, "message": d.finding.text(language)}
                for d in self.deductions
            ],
        }


def _remarks(evaluation: AgencyEvaluation, profile: Profile, language: str) -> str:
    if not evaluation.deductions:
        return "无扣分。" if language.startswith("zh") else "No points lost."
    lines = []
    for d in evaluation.deductions:
        component = next((c for c in profile.evaluation.components if c.name == d.component),
                         None)
        title = localize(component.title, language, "en") if component else d.component
        text = d.finding.text(language) if d.finding.public else (  # remarks are published
            "涉及不予公开的信息" if language.startswith("zh") else "concerns information that "
            "is not public")
        lines.append(f"-{d.points:g} [{title}] {d.finding.code}: {text}")
    return "\n".join(lines)


def _evaluation_id(year: int, agency: str) -> str:
    ident = f"eval-{year}-{agency}"
    if len(ident) <= 80:
        return ident
    digest = hashlib.sha256(agency.encode()).hexdigest()[:10]
    return f"eval-{year}-{agency[:58]}-{digest}"


def evaluate(
    catalog: Catalog,
    year: int,
    profile: Profile | str | None = None,
    report: AuditReport | None = None,
) -> list[AgencyEvaluation]:
    """Draft evaluations of every agency for ``year``, best first, then those not
    evaluated (no data for the year; see the module's docstring).

    Args:
        catalog: the catalogue.
        year: the year evaluated; the audit runs as of its last day.
        profile: as for :func:`~govdisclosure.audit.audit`.
        report: an audit already run (as of the year's end), to avoid running it again.

    Returns:
        One evaluation per agency: the evaluated by rank, then agency id; then the others
        by agency id.
    """
    chosen = resolve_profile(catalog, profile)
    end = dt.date(year, 12, 31)
    if report is None:
        report = audit(catalog, as_of=end, profile=chosen)
    config = chosen.evaluation
    by_agency: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        if finding.agency and finding.counts_in(year):
            by_agency[finding.agency].append(finding)
    with_data = _owners(known_on(catalog, end)) | by_agency.keys()
    drafts, idle = [], []
    for agency in catalog.of_type(Agency):
        if agency.id not in with_data:
            idle.append(AgencyEvaluation(
                agency=agency.id, name=agency.name, year=year, score=None, components={},
                deductions=(), rank=None, model_unit=False, errors=0,
                languages=catalog.meta.all_languages))
            continue
        left = {c.name: c.max for c in config.components}
        deductions = []
        for finding in by_agency.get(agency.id, ()):
            component = config.component_of(finding.code)
            if component is None:
                continue
            points = min(config.points_for(finding.code, finding.severity), left[component.name])
            left[component.name] -= points
            deductions.append(Deduction(component=component.name, points=points,
                                        finding=finding))
        errors = sum(1 for f in by_agency.get(agency.id, ()) if f.severity == "error")
        score = round(sum(left.values()), 2)
        drafts.append((agency, score, left, deductions, errors))
    drafts.sort(key=lambda entry: (-entry[1], entry[0].id))
    results = []
    rank, previous = 0, None
    for position, (agency, score, left, deductions, errors) in enumerate(drafts, start=1):
        if score != previous:
            rank, previous = position, score
        model_unit = score >= config.model_unit_min_score and (
            config.model_unit_allow_errors or errors == 0)
        results.append(AgencyEvaluation(
            agency=agency.id, name=agency.name, year=year, score=score,
            components={name: round(value, 2) for name, value in left.items()},
            deductions=tuple(deductions), rank=rank, model_unit=model_unit, errors=errors,
            languages=catalog.meta.all_languages))
    return results + idle


def _owners(catalog: Catalog) -> set[str]:
    """The agencies that own a record in force of ``catalog``, evaluations aside (the
    outcome of evaluating, not data for it)."""
    return {r.agency for r in catalog if isinstance(r, OwnedRecord)
            and not isinstance(r, Evaluation) and r.publication_status == "approved"}


def _toml_value(value: Any) -> str:
    """A TOML value (JSON string escapes are valid TOML basic-string escapes)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{json.dumps(str(k), ensure_ascii=False)} = {_toml_value(v)}"
                          for k, v in value.items() if v is not None)
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"no TOML for {type(value).__name__}")


def records_toml(type_name: str, records: Iterable[Record], header: str = "") -> str:
    """Records as ``[[type]]`` tables of a catalogue file (the project's JSON form).

    Args:
        type_name: the table name (the records' ``type``).
        records: the records.
        header: comment lines to put first.
    """
    parts = [f"# {line}" for line in header.splitlines()]
    for record in records:
        data = json.loads(dumps(record))
        data.pop("type", None)
        parts.append("")
        parts.append(f"[[{type_name}]]")
        parts.extend(f"{key} = {_toml_value(value)}" for key, value in data.items()
                     if value is not None)
    return "\n".join(parts).lstrip("\n") + "\n"


def evaluations_toml(evaluations: Iterable[AgencyEvaluation], profile: Profile) -> str:
    """The drafts as ``[[evaluation]]`` records (status ``draft``) of a catalogue file; an
    agency not evaluated (no data for the year) has none."""
    return records_toml(
        "evaluation", [e.to_record(profile) for e in evaluations if e.evaluated],
        header="Draft evaluations computed by `govdisclosure evaluate` from audit findings.\n"
               "Review them, then set status = \"approved\" to publish them.")


def draft_accountability(report: AuditReport, catalog: Catalog, profile: Profile,
                         severities: Sequence[str] = ("error",)) -> list[AccountabilityRecord]:
    """Draft ``accountability_record`` records for findings, each citing its finding.

    The draft is owned by the top of the agency's parent chain (the government that
    supervises it), names the agency as ``subject_unit``, takes its ``violation`` from
    the rule's profile entry and stays ``draft`` until someone decides.

    Args:
        report: the audit.
        catalog: the catalogue audited.
        profile: the profile used (for each rule's ``violation``).
        severities: which findings become drafts.
    """
    # formed on the audit day: accountability.open_too_long counts from it once opened
    formed = dt.datetime.combine(report.summary.as_of, dt.time(), catalog.meta.zone)
    drafts = []
    for finding in report.findings:
        if finding.severity not in severities or not finding.agency:
            continue
        rule = profile.rule(finding.code)
        digest = hashlib.sha256(finding.id.encode()).hexdigest()[:12]
        drafts.append(AccountabilityRecord(
            id=f"acc-draft-{digest}", agency=_top(catalog, finding.agency),
            subject_unit=finding.agency, violation=rule.violation if rule else "other",  # type: ignore[arg-type]
            facts=dict(finding.message), source=finding.id, status="draft", issued_at=formed,
            title=dict(finding.message),
            # its message names something that is not public: so is the draft, until decided
            classification="public" if finding.public else "restricted",
        ))
    return drafts


def _top(catalog: Catalog, agency: str) -> str:
    seen = {agency}
    current = catalog.agency(agency)
    while current is not None and current.parent:
        parent = current.parent.rpartition(":")[2]
        if parent in seen:
            break
        seen.add(parent)
        nxt = catalog.agency(parent)
        if nxt is None:
            break
        current = nxt
    return current.id if current is not None else agency
