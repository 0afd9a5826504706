"""Audit reports as Markdown and HTML (Jinja2; HTML autoescaped)."""

from __future__ import annotations

import re
from typing import Any

from ..model import localize
from .annual import _environment
from .findings import AuditReport

__all__ = ["render_findings"]

HEADINGS: dict[str, dict[str, str]] = {
    "zh-CN": {"as_of": "截至", "profile": "规则集", "records": "记录数", "severity": "级别",
              "code": "代码", "agency": "单位", "record": "记录", "message": "说明",
              "evidence": "依据", "none": "未发现问题。", "title": "政务公开监督检查",
              "drafts": "问责记录草稿(TOML)"},
    "en": {"as_of": "as of", "profile": "profile", "records": "records", "severity": "severity",
           "code": "code", "agency": "agency", "record": "record", "message": "message",
           "evidence": "evidence", "none": "No findings.", "title": "Disclosure audit",
           "drafts": "Draft accountability records (TOML)"},
}


def render_findings(report: AuditReport, fmt: str = "markdown",
                    language: str | None = None, drafts: str = "") -> str:
    """The findings as a Markdown or HTML document in ``language``.

    Args:
        report: the audit.
        fmt: ``markdown`` or ``html``.
        language: a catalogue language (default: the report's first).
        drafts: draft accountability records (TOML), the document's last section.
    """
    language = language or (report.languages[0] if report.languages else "en")
    primary = language.split("-", maxsplit=1)[0]
    labels = HEADINGS.get(language) or next(
        (v for k, v in HEADINGS.items() if k.split("-")[0] == primary), HEADINGS["en"])
    html = fmt == "html"
    template = _environment(html).get_template("findings.html.j2" if html
                                               else "findings.md.j2")
    context: dict[str, Any] = {
        "title": f"{labels['title']}: {localize(report.title, language, 'en')}",
        "labels": labels, "summary": report.summary.to_dict(),
        "findings": report.findings, "language": language, "drafts": drafts,
        # a Markdown code fence longer than any run of backticks in the drafts
        "fence": "`" * max(3, 1 + max(map(len, re.findall("`+", drafts)), default=0)),
    }
    return template.render(**context)
