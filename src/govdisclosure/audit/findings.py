"""Findings and the audit report: what the audit returns, localized and deterministic."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any, TypeAlias, overload

from attrs import field, frozen

from ..model import Record, Text, localize
from .profile import SEVERITIES, Profile, Severity

__all__ = [
    "AuditReport",
    "AuditSummary",
    "EvidenceValue",
    "Finding",
    "MessageArg",
    "Named",
    "Term",
    "Terms",
    "render_message",
]

#: Evidence is JSON-ready: dates are ISO strings, lists are tuples of strings.
EvidenceValue: TypeAlias = str | int | float | bool | tuple[str, ...] | None
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


@frozen
class Term:
    """A word of messages.toml's ``[terms]``, itself a template filled from ``args``."""

    key: str
    args: Mapping[str, str] = field(factory=dict)


@frozen
class Terms:
    """Several terms joined with the language's separator (``、`` or ``, ``)."""

    keys: tuple[str, ...]


@frozen
class Named:
    """A record named in a message by its title: the finding remembers that it names it."""

    record: Record
    text: Text


MessageArg: TypeAlias = str | int | float | dict[str, str] | Term | Terms | Named | None


@cache
def _builtin_messages() -> dict[str, Any]:
    text = (resources.files(__package__) / "messages.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _pick(table: Mapping[str, str], language: str) -> str | None:
    """``table[language]``, else its primary subtag's entry (``zh`` for ``zh-Hant``)."""
    if language in table:
        return table[language]
    primary = language.split("-", maxsplit=1)[0].lower()
    for tag, text in table.items():
        if tag.split("-", maxsplit=1)[0].lower() == primary:
            return text
    return None


@cache
def _term(key: str, language: str) -> str:
    terms: dict[str, dict[str, str]] = _builtin_messages()["terms"]
    table = {tag: words[key] for tag, words in terms.items() if key in words}
    if not table:
        return key
    found = _pick(table, language)  # "" is a term too (no detail to add)
    return found if found is not None else table.get("en", key)


def render_message(
    code: str,
    args: Mapping[str, MessageArg],
    language: str,
    default_language: str,
    profile: Profile | None = None,
) -> str:
    """The message of a finding in ``language`` (English when there is no template).

    Args:
        code: the finding code.
        args: placeholder values; localized text and terms are rendered in ``language``.
        language: the language wanted.
        default_language: the catalogue's, for localized text that lacks ``language``.
        profile: a profile whose ``[messages]`` override the built-in templates.
    """
    templates: dict[str, str] = dict(_builtin_messages().get(code, {}))
    if profile is not None:
        templates.update(profile.messages.get(code, {}))
    template = _pick(templates, language) or templates.get("en") or code
    separator = _term("separator", language)
    values: dict[str, str] = {}
    for name, value in args.items():
        if isinstance(value, Term):
            values[name] = _term(value.key, language).format_map(dict(value.args))
        elif isinstance(value, Terms):
            values[name] = separator.join(_term(key, language) for key in value.keys)
        elif isinstance(value, Named):
            values[name] = localize(value.text, language, default_language)
        elif isinstance(value, dict):
            values[name] = localize(value, language, default_language)
        elif value is None:
            values[name] = ""
        else:
            values[name] = str(value)
    return template.format_map(_Missing(values))


class _Missing(dict[str, str]):
    """Leaves an unknown placeholder visible instead of failing (user-written templates)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@frozen(kw_only=True)
class Finding:
    """One rule broken by one record or agency.

    Attributes:
        code: the rule, ``area.what`` (docs/audit-codes.md).
        severity: ``error``, ``warning`` or ``info``.
        agency: the agency responsible, if any.
        record: the record concerned, as ``type:id``, if any.
        message: the message in every catalogue language (language tag -> text).
        evidence: the facts the rule used: dates (ISO), counts and limits.
        key: tells apart findings of one code on one record (a task id, a stage pair).
        on: the day the violation arose (a deadline passed, a late publication), if dated;
            evaluations count a finding in this day's year.
        ongoing: whether the violation still stands on the audit day (nothing done yet:
            a complaint still open, a result still unpublished; always, for a standing
            condition without ``on``); a yearly evaluation then counts it in every year it
            lasts, not only in the year of ``on``.
        public: whether everything the message names (the record, its agency, the records
            it names by title) was public at the audit day; an output meant for the public
            (the annual report, an evaluation's remarks) shows only the code otherwise.
    """

    code: str
    severity: Severity
    agency: str | None
    record: str | None
    message: Mapping[str, str]
    evidence: Mapping[str, EvidenceValue]
    key: str = ""
    on: dt.date | None = None
    ongoing: bool = False
    public: bool = True

    @property
    def id(self) -> str:
        """A stable identifier (``audit:code:type:id[#key]``), cited by accountability drafts."""
        subject = self.record or (f"agency:{self.agency}" if self.agency else "catalog")
        return f"audit:{self.code}:{subject}" + (f"#{self.key}" if self.key else "")

    def counts_in(self, year: int) -> bool:
        """Whether a yearly evaluation (or annual report) of ``year``, audited as of the
        year's last day, counts this finding: undated, arisen in that year, or arisen
        earlier and still standing."""
        return self.on is None or self.on.year == year or (self.ongoing and self.on.year < year)

    def sort_key(self) -> tuple[int, str, str, str, str]:
        """Errors first, then by code, agency, record and key."""
        return (SEVERITY_RANK[self.severity], self.code, self.agency or "", self.record or "",
                self.key)

    def text(self, language: str) -> str:
        """The message in ``language``, else the first one."""
        return _pick(self.message, language) or next(iter(self.message.values()), self.code)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "id": self.id, "code": self.code, "severity": self.severity, "agency": self.agency,
            "record": self.record, "message": dict(self.message),
            "evidence": {k: list(v) if isinstance(v, tuple) else v
                         for k, v in self.evidence.items()},
            "on": self.on.isoformat() if self.on else None,
            "ongoing": self.ongoing,
            "public": self.public,
        }


@frozen(kw_only=True)
class AuditSummary:
    """Counts of an audit: by severity, by code and by agency."""

    as_of: dt.date
    profile: str
    records: int
    rules: tuple[str, ...]
    by_severity: Mapping[str, int]
    by_code: Mapping[str, int]
    by_agency: Mapping[str, int]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {"as_of": self.as_of.isoformat(), "profile": self.profile,
                "records": self.records, "rules": list(self.rules),
                "by_severity": dict(self.by_severity), "by_code": dict(self.by_code),
                "by_agency": dict(self.by_agency)}


@frozen(kw_only=True)
class AuditReport(Sequence[Finding]):
    """The findings of one audit, sorted, and their summary.

    The report is also the sequence of its findings: ``for finding in report``,
    ``report[0]``, ``len(report)``, and an audit without findings is false.
    """

    findings: tuple[Finding, ...]
    summary: AuditSummary
    languages: tuple[str, ...]
    title: Text

    @classmethod
    def build(cls, findings: Iterable[Finding], *, as_of: dt.date, profile: Profile,
              records: int, languages: tuple[str, ...]) -> AuditReport:
        """Sort the findings and count them."""
        ordered = tuple(sorted(findings, key=Finding.sort_key))
        severities = Counter(f.severity for f in ordered)
        summary = AuditSummary(
            as_of=as_of, profile=profile.name, records=records, rules=tuple(profile.rules),
            by_severity={name: severities.get(name, 0) for name in SEVERITIES},
            by_code=dict(sorted(Counter(f.code for f in ordered).items())),
            by_agency=dict(sorted(Counter(f.agency or "" for f in ordered).items())),
        )
        return cls(findings=ordered, summary=summary, languages=languages,
                   title=profile.title)

    def __iter__(self) -> Iterator[Finding]:
        """The findings, errors first (as in ``findings``)."""
        return iter(self.findings)

    def __len__(self) -> int:
        """The number of findings."""
        return len(self.findings)

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Finding, ...]: ...

    def __getitem__(self, index: int | slice) -> Finding | tuple[Finding, ...]:
        """A finding by its place (or a slice of them), as in ``findings``."""
        return self.findings[index]

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings at error level."""
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def exit_code(self) -> int:
        """0 when nothing is at error level, else 1 (the CLI's exit status)."""
        return 1 if self.errors else 0

    def codes(self) -> set[str]:
        """The distinct codes found."""
        return {f.code for f in self.findings}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary: summary and findings."""
        return {"summary": self.summary.to_dict(),
                "findings": [f.to_dict() for f in self.findings]}

    def to_json(self) -> str:
        """The report as a JSON document (stable key order)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)
