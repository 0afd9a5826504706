"""The bundled example: every planted problem of PLANTED.md is found, nothing else at error."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

import govdisclosure as gd
from govdisclosure.audit import AuditReport, audit


def _table(text: str, heading: str) -> list[list[str]]:
    """The rows of the Markdown table under ``heading``, cells without backticks."""
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]
    return [[cell.strip().strip("`") for cell in row.strip("|").split("|")] for row in rows]


@pytest.fixture(name="planted", scope="module")
def fixture_planted() -> str:
    """PLANTED.md of the example."""
    path = Path(__file__).resolve().parents[2] / "examples" / "jilin-2002" / "PLANTED.md"
    if not path.is_file():
        pytest.skip("examples/jilin-2002/PLANTED.md is not there yet")
    return path.read_text(encoding="utf-8")


@pytest.fixture(name="report", scope="module")
def fixture_report() -> AuditReport:
    """The example audited as of 2002-12-31 with its own profile."""
    root = Path(__file__).resolve().parents[2] / "examples" / "jilin-2002"
    return audit(gd.load_catalog(root), as_of=dt.date(2002, 12, 31))


def _ref(cell: str) -> str:
    return re.sub(r"\s*\(task .*\)$", "", cell).strip().strip("`")


def test_every_planted_problem_is_found(planted: str, report: AuditReport) -> None:
    """Each row of 'Planted problems' is a finding with that code, record and severity."""
    found = {(f.code, f.record, f.severity) for f in report.findings}
    rows = _table(planted, "## Planted problems")
    assert len(rows) >= 20
    missing = [(code, _ref(record), severity) for _, code, severity, record, _ in rows
               if (code, _ref(record), severity) not in found]
    assert missing == []


def test_nothing_else_at_error_level(planted: str, report: AuditReport) -> None:
    """Errors are exactly the planted ones plus those PLANTED.md lists as not planted."""
    planted_errors = {(code, _ref(record)) for _, code, severity, record, _ in
                      _table(planted, "## Planted problems") if severity == "error"}
    known = {(code, _ref(record)) for code, record, _ in
             _table(planted, "## Findings that are not planted")}
    errors = {(f.code, f.record) for f in report.errors}
    assert errors - planted_errors - known == set()


def test_nothing_unexpected_at_all(planted: str, report: AuditReport) -> None:
    """Warnings too: every finding is planted or listed as not planted."""
    listed = {(code, _ref(record)) for _, code, _, record, _ in
              _table(planted, "## Planted problems")}
    listed |= {(code, _ref(record)) for code, record, _ in
               _table(planted, "## Findings that are not planted")}
    assert {(f.code, f.record) for f in report.findings} - listed == set()


@pytest.mark.parametrize("day", [dt.date(1990, 12, 31), dt.date(2002, 6, 30)])
def test_an_earlier_audit_day_judges_only_what_existed_then(day: dt.date) -> None:
    """Audited as of an earlier day, the example is judged as it stood then: no finding is
    about a record formed or received after that day (an allocation issued in August is
    not "missing" its stages in June), and the records counted are those of the day."""
    root = Path(__file__).resolve().parents[2] / "examples" / "jilin-2002"
    catalog = gd.load_catalog(root)
    report = audit(catalog, as_of=day)
    end = dt.datetime.combine(day, dt.time.max, catalog.meta.zone)

    def formed(ref: str) -> dt.datetime | None:
        record = catalog.resolve(ref)
        return getattr(record, "received_at", None) or getattr(record, "issued_at", None)

    late = [f.record for f in report.findings if f.record and (formed(f.record) or end) > end]
    assert late == []
    assert report.summary.records < len(catalog)


def test_the_report_is_the_sequence_of_its_findings(report: AuditReport) -> None:
    """docs/audit.md: ``list(report), report[0], len(report)``: a Sequence, in the order of
    ``findings``."""
    assert isinstance(report, Sequence)
    assert list(report) == list(report.findings)
    assert (report[0], report[-1]) == (report.findings[0], report.findings[-1])
    assert report[1:3] == report.findings[1:3]
    assert len(report) == len(report.findings) > 0
    assert report.index(report[2]) == 2
