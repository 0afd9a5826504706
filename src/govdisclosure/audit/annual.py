"""The annual report on government information disclosure (政府信息公开工作年度报告).

Structure of the 2021 national format (国办公开办函〔2021〕30号): overview; proactive
disclosure; applications received and handled; reconsideration and litigation;
problems and improvements; other matters. Numbers come only from the catalogue as it
stood at the end of the year (:func:`~govdisclosure.audit.engine.known_on`): a section or
row without data says so (``None`` below), never a guessed zero.

What "no data" means: a row has none when that catalogue holds no record of its source
(no hotline call at all, no disclosure of the category the public could see, no item of
the kinds, no case); a row whose source records are there but none of them falls in the
year counts a true 0. Section five has no data when that catalogue is empty (a year
before the catalogue's first dated record): "no problems found" would be a guess too.

What counts (the catalogue has no type for OGI requests, reconsiderations or
lawsuits; see docs/audit.md):

- regulations (规章) are disclosures of category ``regulation``, normative documents
  (行政规范性文件) those of category ``policy``, those the public could see by the year's
  end: issued = issued (and out of embargo) in the year; abolished = withdrawn
  (``withdrawn.on``) or expired (``expires_at``) in the year (废止、失效), whichever came
  first; in force = issued by the year's end and neither withdrawn nor expired by then.
  The row reconciles: last year's in force + issued - abolished = in force;
- permits (行政许可) are cases of ``approval`` and ``license`` items decided (approved
  or rejected) in the year, penalties and coercive measures (行政处罚/行政强制) cases of
  ``enforcement`` items; an application withdrawn or transferred is no decision;
- press conferences are those held in the year that the public could see (not internal
  or classified ones), as the disclosures counted are;
- only records in force at the year's end count: drafts and records withdrawn by then
  (entered by mistake, retracted) are not data, one withdrawn later was in force
  (:func:`known_on` restores it); "of which adopted" and "of which resolved" go by
  ``responded_at`` and ``resolved_at``, not by today's status;
- applications received and handled are the cases (办件): received in the year,
  carried over from earlier years, handled (decided) in the year by outcome, and carried
  forward, by applicant (自然人: ``applicant_kind = "person"``; 法人或其他组织:
  ``"organisation"``) and in total; ``received + carried over = handled + carried
  forward`` is checked. A case is handled by its outcome: a decided one without
  ``decided_at`` on its ``updated_at`` (else the day received), a pending one never
  (``validate`` warns of both).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any, TypeVar

import jinja2

from ..catalog import Catalog
from ..errors import CatalogError, Problem
from ..model import (
    AccountabilityRecord,
    ApprovalItem,
    Case,
    Complaint,
    Disclosure,
    Evaluation,
    HotlineCall,
    PressConference,
    Record,
    Suggestion,
    WorkPlan,
    is_publishable,
    localize,
)
from ..publishers.labels import category_label
from ..publishers.pages import clean
from .engine import audit, known_on
from .findings import AuditReport
from .profile import Profile

R = TypeVar("R", bound=Record)

__all__ = ["annual_report", "render_annual"]

LABELS: dict[str, dict[str, str]] = {
    "zh-CN": {
        "title": "{year}年政府信息公开工作年度报告",
        "s1": "一、总体情况", "s2": "二、主动公开政府信息情况",
        "s3": "三、收到和处理政府信息公开申请情况",
        "s4": "四、政府信息公开行政复议、行政诉讼情况",
        "s5": "五、存在的主要问题及改进情况", "s6": "六、其他需要报告的事项",
        "no_data": "本目录无此项数据。", "none": "无数据",
        "no_data_year": "目录中没有{year}年年底以前的任何数据,以下各项均无数据。",
        "issued": "本年制发件数", "abolished": "本年废止、失效件数",
        "in_force": "现行有效件数",
        "documents_note": "现行有效件数 = 上年末现行有效件数 + 本年制发件数 - 本年废止、失效件数"
                          "(有效期届满失效的,计入本年废止、失效件数)。",
        "decisions": "本年处理决定数量", "amount": "本年收费金额(万元)",
        "regulation": "规章", "policy": "行政规范性文件", "permit": "行政许可",
        "penalty": "行政处罚和行政强制(目录未区分二者)", "fees": "行政事业性收费",
        "fees_note": "目录记载收费标准,不记载实收金额。",
        "received": "本年新收申请数量", "carried_over": "上年结转申请数量",
        "handled": "本年办结", "carried_forward": "结转下年度继续办理",
        "check": "核对:新收 + 上年结转 = 办结 + 结转下年度",
        "check_ok": "一致", "outcome": "办理结果",
        "person": "自然人", "organisation": "法人或其他组织", "total": "总计",
        "s3_note": "目录不含依申请公开的申请记录;本节统计办件(行政审批等申请)。",
        "s4_note": "目录不含行政复议、行政诉讼记录。",
        "findings": "监督检查发现的问题", "improvements": "改进情况",
        "no_findings": "本年监督检查未发现问题。",
        "withheld": "（涉及不予公开的信息，仅计数）",
        "accountability_decided": "责任追究办结", "tasks_done": "工作任务完成",
        "disclosures": "主动公开信息", "press_conferences": "新闻发布会",
        "hotline_calls": "行政首长公开电话来电", "suggestions": "收到群众建议",
        "adopted": "其中采纳", "complaints": "收到投诉举报", "resolved": "其中办结",
        "evaluations": "考核", "model_units": "示范单位", "count": "数量",
        "item": "项目", "category": "类别", "code": "问题代码", "pending": "未办结",
        "approved": "予以批准", "rejected": "不予批准", "withdrawn": "申请人撤回",
        "transferred": "转办", "info_fees": "信息处理费",
        "info_fees_note": "目录无依申请公开信息处理费记录。",
        "generated": "本报告由 govdisclosure 根据目录生成,截至{as_of}。",
    },
    "en": {
        "title": "Annual report on government information disclosure, {year}",
        "s1": "1. Overview", "s2": "2. Proactive disclosure",
        "s3": "3. Applications received and handled",
        "s4": "4. Administrative reconsideration and litigation",
        "s5": "5. Main problems and improvements", "s6": "6. Other matters",
        "no_data": "The catalogue has no data for this.", "none": "no data",
        "no_data_year": "The catalogue holds no data from {year} or earlier: no section "
                        "below has any.",
        "issued": "issued this year", "abolished": "abolished or expired this year",
        "documents_note": "In force = in force at the end of last year + issued this year - "
                          "abolished or expired this year (a document whose validity ended "
                          "counts as expired).",
        "in_force": "in force", "decisions": "decisions this year",
        "amount": "collected this year (10,000 CNY)",
        "regulation": "Regulations (规章)", "policy": "Normative documents (行政规范性文件)",
        "permit": "Administrative permits",
        "penalty": "Penalties and coercive measures (not distinguished in the catalogue)",
        "fees": "Administrative fees",
        "fees_note": "The catalogue records fee schedules, not amounts collected.",
        "received": "received this year", "carried_over": "carried over from last year",
        "handled": "handled this year", "carried_forward": "carried forward",
        "check": "Check: received + carried over = handled + carried forward",
        "check_ok": "holds", "outcome": "outcome",
        "person": "natural persons", "organisation": "legal persons and other organisations",
        "total": "total",
        "s3_note": "The catalogue holds no requests for government information; this "
                   "section counts the cases (applications for approvals and the like).",
        "s4_note": "The catalogue holds no reconsideration or litigation records.",
        "findings": "Problems found by the audit", "improvements": "Improvements",
        "no_findings": "The audit found no problems this year.",
        "withheld": "(concerns information that is not public: counted only)",
        "accountability_decided": "accountability cases decided",
        "tasks_done": "work-plan tasks done", "disclosures": "items disclosed",
        "press_conferences": "press conferences held",
        "hotline_calls": "calls to head-of-government hotlines",
        "suggestions": "suggestions received", "adopted": "of which adopted",
        "complaints": "complaints received", "resolved": "of which resolved",
        "evaluations": "evaluations", "model_units": "model units", "count": "count",
        "item": "item", "category": "category", "code": "code", "pending": "pending",
        "approved": "approved", "rejected": "rejected", "withdrawn": "withdrawn by applicant",
        "transferred": "transferred", "info_fees": "Information processing fees",
        "info_fees_note": "The catalogue has no records of information processing fees.",
        "generated": "Generated by govdisclosure from the catalogue, as of {as_of}.",
    },
}
OUTCOMES = ("approved", "rejected", "withdrawn", "transferred")
#: The applicant columns of section three (the 2021 format's 自然人 / 法人或其他组织).
APPLICANTS = ("person", "organisation")


def _labels(language: str) -> dict[str, str]:
    if language in LABELS:
        return LABELS[language]
    primary = language.split("-", maxsplit=1)[0]
    return next((v for k, v in LABELS.items() if k.split("-")[0] == primary), LABELS["en"])


class _Year:
    def __init__(self, catalog: Catalog, year: int) -> None:
        self.zone = catalog.meta.zone
        self.start = dt.date(year, 1, 1)
        self.end = dt.date(year, 12, 31)

    def day(self, moment: dt.datetime | None) -> dt.date | None:
        return moment.astimezone(self.zone).date() if moment else None

    def by_end(self, moment: dt.datetime | None) -> bool:
        """Whether what happened at ``moment`` (a resolution, a response) had by the year's
        end: one recorded later had not; one whose day nobody recorded is taken as it
        stands."""
        day = self.day(moment)
        return day is None or day <= self.end

    def within(self, moment: dt.datetime | dt.date | None) -> bool:
        if moment is None:
            return False
        day = moment if not isinstance(moment, dt.datetime) else self.day(moment)
        return day is not None and self.start <= day <= self.end


def _documents(catalog: Catalog, period: _Year, category: str) -> dict[str, int] | None:
    """Issued, abolished (or expired) and in force: documents the public could see by the
    year's end. A document enters the table on the day it was issued and out of embargo,
    and leaves it on the day it was withdrawn or expired, whichever came first (not before
    it entered), so that last year's in force + issued - abolished = in force."""
    end = dt.datetime.combine(period.end, dt.time.max, tzinfo=period.zone)
    docs = [d for d in catalog.of_type(Disclosure)  # those the public could see by year end
            if d.category == category and is_publishable(d, end) and d.channels != ()]
    if not docs:
        return None

    def entered(record: Record) -> dt.date | None:
        """Issued and public: None when undated (in force from the data's first day)."""
        days = [day for day in (period.day(record.issued_at), period.day(record.publish_at))
                if day is not None]
        return max(days, default=None)

    def left(record: Record) -> dt.date | None:
        days = [day for day in (record.withdrawn.on if record.withdrawn else None,
                                period.day(record.expires_at)) if day is not None]
        if not days:
            return None
        start = entered(record)
        return min(days) if start is None else max(min(days), start)

    spans = [(entered(d), left(d)) for d in docs]
    return {
        "issued": sum(1 for start, _ in spans if period.within(start)),
        "abolished": sum(1 for _, stop in spans if period.within(stop)),
        "in_force": sum(1 for start, stop in spans if (start is None or start <= period.end)
                        and (stop is None or stop > period.end)),
    }


def _in_force(catalog: Catalog, kind: type[R]) -> list[R]:
    """The records of a type that are data: neither drafts nor withdrawn (entered by
    mistake, retracted) by the day ``catalog`` stands on (:func:`known_on`)."""
    return [r for r in catalog.of_type(kind) if r.publication_status == "approved"]


def _decisions(catalog: Catalog, period: _Year, kinds: Iterable[str]) -> int | None:
    """Decisions (approved or rejected cases: not an application withdrawn or
    transferred) on the items of ``kinds`` in the year."""
    wanted = set(kinds)
    items = {i.id for i in catalog.of_type(ApprovalItem) if i.kind in wanted}
    if not items:
        return None
    return sum(1 for c in _in_force(catalog, Case) if c.item in items
               and c.outcome in ("approved", "rejected") and period.within(c.decided_at))


def _applications(catalog: Catalog, period: _Year) -> dict[str, Any] | None:
    cases = _in_force(catalog, Case)
    if not cases:
        return None
    spans = [(c, period.day(c.received_at) or period.start, _handled_on(c, period))
             for c in cases]
    total = _application_counts(spans, period)
    left = total["received"] + total["carried_over"]
    right = total["handled_total"] + total["carried_forward"]
    if left != right:
        raise CatalogError([Problem(
            file="<catalogue>", type="case",
            message=f"applications do not balance for {period.start.year}: received "
                    f"{total['received']} + carried over {total['carried_over']} != handled "
                    f"{total['handled_total']} + carried forward {total['carried_forward']}")])
    by_applicant = {kind: _application_counts(
        [span for span in spans if span[0].applicant_kind == kind], period)
        for kind in APPLICANTS}
    return {**total, "by_applicant": by_applicant, "left": left, "right": right}


def _handled_on(case: Case, period: _Year) -> dt.date | None:
    """The day a case was handled, by its ``outcome``: none while pending (a ``decided_at``
    then is ignored), else its ``decided_at``, or for a decided case without one (MODEL.md
    allows it; ``validate`` warns) its ``updated_at``, else the day it was received."""
    if case.outcome == "pending":
        return None
    return period.day(case.decided_at or case.updated_at or case.received_at)


def _application_counts(spans: Sequence[tuple[Case, dt.date, dt.date | None]],
                        period: _Year) -> dict[str, Any]:
    """Received, carried over, handled by outcome and carried forward, of ``spans``:
    ``(case, received on, decided on)``."""
    received = [c for c, rec, _ in spans if period.start <= rec <= period.end]
    carried_over = [c for c, rec, dec in spans
                    if rec < period.start and (dec is None or dec >= period.start)]
    handled: Counter[str] = Counter(c.outcome for c, _, dec in spans
                                    if dec is not None and period.start <= dec <= period.end)
    carried_forward = [c for c, rec, dec in spans
                       if rec <= period.end and (dec is None or dec > period.end)]
    return {"received": len(received), "carried_over": len(carried_over),
            "handled": {o: handled.get(o, 0) for o in OUTCOMES},
            "handled_total": sum(handled.values()), "carried_forward": len(carried_forward)}


def annual_report(catalog: Catalog, year: int, language: str | None = None,
                  profile: Profile | str | None = None,
                  report: AuditReport | None = None) -> dict[str, Any]:
    """The figures and texts of the annual report for ``year``, in ``language``.

    Args:
        catalog: the catalogue.
        year: the reporting year.
        language: a catalogue language (default: the catalogue's default).
        profile: the audit profile for section five (default: the catalogue's).
        report: an audit as of the year's last day, if already run.

    Returns:
        The template context: ``labels``, ``sections`` data, ``None`` where no data, and
        ``data``: whether the catalogue holds any record at the end of the year.

    Raises:
        CatalogError: cases that make the applications table inconsistent.
    """
    language = language or catalog.meta.default_language
    default = catalog.meta.default_language
    labels = _labels(language)
    period = _Year(catalog, year)
    if report is None:
        report = audit(catalog, as_of=period.end, profile=profile)
    catalog = known_on(catalog, period.end)  # every figure: the catalogue as it stood then
    data = len(catalog) > 0
    findings = [f for f in report.findings if f.counts_in(year)]
    disclosures = [d for d in catalog.of_type(Disclosure)  # to the public: not 内务公开
                   if d.publication_status == "approved" and d.classification == "public"
                   and d.audience == "public" and d.channels != ()  # channels = []: nowhere
                   and period.within(d.publish_at or d.issued_at)]
    by_category = Counter(d.category for d in disclosures)
    calls = [c for c in _in_force(catalog, HotlineCall) if period.within(c.received_at)]
    suggestions = [s for s in _in_force(catalog, Suggestion) if period.within(s.received_at)]
    complaints = [c for c in _in_force(catalog, Complaint) if period.within(c.received_at)]
    # as they stood at the year's end: one adopted or resolved later was not yet
    adopted = sum(1 for s in suggestions if s.status == "adopted"
                  and period.by_end(s.responded_at))
    resolved = sum(1 for c in complaints if c.status == "resolved"
                   and period.by_end(c.resolved_at))
    year_end = dt.datetime.combine(period.end, dt.time.max, tzinfo=period.zone)
    conferences = [p for p in _in_force(catalog, PressConference)  # as disclosures: public
                   if p.status == "held" and period.within(p.scheduled_at)
                   and is_publishable(p, year_end) and p.channels != ()]
    evaluations = [e for e in _in_force(catalog, Evaluation)  # published ones, not drafts
                   if e.year == year and e.classification == "public"]
    decided = [a for a in _in_force(catalog, AccountabilityRecord)
               if period.within(a.decided_on)]
    tasks = [(plan, task) for plan in _in_force(catalog, WorkPlan) for task in plan.tasks
             if period.within(task.done_on)]
    name = catalog.meta.publisher.name if catalog.meta.publisher else catalog.meta.name

    def count(records: Sequence[Any], kind: type[Record], matching: int | None = None,
              ) -> int | None:
        """How many, or None (shown as "no data") when the catalogue keeps no such records
        by the end of the year: a catalogue without hotline calls (or whose first call came
        later) does not say that nobody called. A draft is no such record."""
        if all(r.publication_status == "draft" for r in catalog.of_type(kind)):
            return None
        return len(records) if matching is None else matching

    return {
        "language": language, "year": year, "labels": labels,
        "title": labels["title"].format(year=year),
        "data": data,
        "no_data_year": labels["no_data_year"].format(year=year),
        "publisher": localize(name, language, default),
        "generated": labels["generated"].format(as_of=period.end.isoformat()),
        "overview": [
            (labels["disclosures"], count(disclosures, Disclosure)),
            (labels["press_conferences"], count(conferences, PressConference)),
            (labels["hotline_calls"], count(calls, HotlineCall)),
            (labels["suggestions"], count(suggestions, Suggestion)),
            (labels["complaints"], count(complaints, Complaint)),
        ],
        "categories": sorted(by_category.items()),
        "category_labels": {code: category_label(code, language) for code in by_category},
        "documents": [(labels["regulation"], _documents(catalog, period, "regulation")),
                      (labels["policy"], _documents(catalog, period, "policy"))],
        "decisions": [(labels["permit"], _decisions(catalog, period, ("approval", "license"))),
                      (labels["penalty"], _decisions(catalog, period, ("enforcement",)))],
        "fees": None,
        "applications": _applications(catalog, period),
        "outcomes": [(o, labels[o]) for o in OUTCOMES],
        "applicants": [(kind, labels[kind]) for kind in APPLICANTS],
        "reconsideration": None,
        # None: nothing to audit that year, which is not "no problems found"
        "findings": sorted(Counter(f.code for f in findings).items()) if data else None,
        "finding_examples": [(f.code, f.severity, f.text(language) if f.public
                              else labels["withheld"]) for f in findings[:50]],
        "improvements": [
            (labels["accountability_decided"], count(decided, AccountabilityRecord)),
            (labels["tasks_done"], count(tasks, WorkPlan)),
        ],
        "other": [
            (labels["suggestions"], count(suggestions, Suggestion)),
            (labels["adopted"], count(suggestions, Suggestion, adopted)),
            (labels["complaints"], count(complaints, Complaint)),
            (labels["resolved"], count(complaints, Complaint, resolved)),
            (labels["evaluations"], count(evaluations, Evaluation)),
            (labels["model_units"], count(evaluations, Evaluation,
                                          sum(1 for e in evaluations if e.model_unit))),
        ],
    }


def _environment(html: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("govdisclosure.audit", "templates"),
        autoescape=html,  # noqa: S701 - Markdown is not HTML; the HTML environment escapes
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined, finalize=_html_value if html else None,
    )
    env.filters["cell"] = _markdown_text
    env.filters["evidence"] = _evidence_text
    return env


def _html_value(value: object) -> object:
    """What ``{{ }}`` writes into HTML: text without control and bidi characters (then
    escaped); markup as it is."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return clean(value)
    return value


def _evidence_text(value: object) -> str:
    """An evidence value as a reader reads it: lists joined, no Python ``None``."""
    if value is None:
        return "\u2014"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ", ".join(str(part) for part in value)
    return str(value)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def _markdown_text(value: object) -> str:
    """Catalogue text as Markdown shows it literally, on one line (a table cell, a list
    item): markup, links and raw HTML stay text; control and bidi characters go."""
    text = clean(str(value)).replace("\n", " ").replace("&", "&amp;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def render_annual(context: dict[str, Any], fmt: str = "markdown") -> str:
    """The annual report as Markdown or HTML (autoescaped)."""
    html = fmt == "html"
    template = _environment(html).get_template("annual.html.j2" if html else "annual.md.j2")
    return template.render(**context)


def templates_available() -> bool:
    """Whether the report templates are installed (package data)."""
    folder = resources.files("govdisclosure.audit") / "templates"
    return (folder / "annual.md.j2").is_file()
