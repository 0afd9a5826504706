"""The audit (监督检查): rules, profiles, evaluations and the annual report (AUDIT.md).

    import govdisclosure as gd
    from govdisclosure.audit import audit
    report = audit(catalog, as_of=datetime.date(2002, 12, 31))
    for finding in report.findings:
        print(finding.code, finding.record, finding.text("en"))
"""

from __future__ import annotations

from .engine import audit, data_since, known_on, profile_problem, resolve_profile
from .findings import AuditReport, AuditSummary, Finding
from .profile import BUILTIN_PROFILES, Profile, RuleConfig, load_profile
from .rules import RULES

__all__ = [
    "BUILTIN_PROFILES",
    "RULES",
    "AuditReport",
    "AuditSummary",
    "Finding",
    "Profile",
    "RuleConfig",
    "audit",
    "data_since",
    "known_on",
    "load_profile",
    "profile_problem",
    "resolve_profile",
]
