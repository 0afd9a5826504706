"""Rule profiles: which rules run, with which thresholds, severities and weights.

A profile is a TOML file. The built-in ones (``cn-jilin-2002``, ``cn-ogi-2019``,
``generic``) are package data in ``audit/profiles/``; a user's profile is any ``.toml``
file, which may start from another with ``extends``::

    [profile]
    name = "my-city"
    extends = "cn-jilin-2002"          # a built-in name or a path relative to this file

    [rules."case.overdue"]
    severity_promised = "info"

    [rules."hotline.missing"]
    enabled = false

Tables merge key by key over the profile extended; every key is checked (a typo is a
:class:`~govdisclosure.errors.ConfigError`, never silently ignored).
"""

from __future__ import annotations

import datetime as dt
import string
import tomllib
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast, get_args

from attrs import field, fields, frozen

from ..errors import ConfigError
from ..model import RECORD_TYPES, STAGES, ApprovalItem, ContactPoint, ServiceWindow, Text
from ..model.agency import AgencyKind
from ..model.approval import ApplicantKind, ItemKind, Outcome
from ..model.common import MAX_DAYS, Level
from ..model.disclosure import Category
from ..model.engagement import ComplaintStatus
from ..model.oversight import AccountabilityStatus

__all__ = [
    "BUILTIN_PROFILES",
    "SEVERITIES",
    "Component",
    "EvaluationConfig",
    "Profile",
    "RuleConfig",
    "load_profile",
]

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
BUILTIN_PROFILES: tuple[str, ...] = ("cn-jilin-2002", "cn-ogi-2019", "generic")
VIOLATIONS = ("not_implemented", "black_box", "fake_disclosure", "minor_only",
              "promise_not_kept", "overdue", "other")
UNITS = ("working_days", "calendar_days")

#: Keys every rule table accepts.
COMMON = {"enabled": "bool", "severity": "severity", "violation": "violation"}

#: The rules the audit knows, in the order of AUDIT.md, with the parameters each takes.
RULE_PARAMS: dict[str, dict[str, str]] = {
    "ten.missing": {"facets": "strs", "kinds": "strs", "key_departments_only": "bool",
                    "fees_kinds": "strs", "complaint_fields": "strs"},
    "ten.not_catalogued": {"kinds": "strs"},
    "ten.not_reviewed": {"kinds": "strs", "levels": "strs"},
    "key.no_items": {"kinds": "strs"},
    "key.minor_only": {"key_categories": "strs", "key_types": "strs", "key_item_kinds": "strs"},
    "allocation.stage_missing": {"open": "strs", "closed": "strs"},
    "allocation.stage_order": {},
    "allocation.stage_late": {"stages": "strs"},
    "allocation.no_result": {"days": "int", "unit": "unit"},
    "case.overdue": {"severity_promised": "severity", "outcomes": "strs"},
    "commitment.broken": {"max_missed_share": "share", "outcomes": "strs"},
    "results.not_published": {"days": "int", "unit": "unit", "outcomes": "strs",
                              "applicant_kinds": "strs"},
    "hotline.missing": {"levels": "strs", "kinds": "strs", "key_departments": "bool",
                        "due": "date"},
    "hotline.slow": {"due_days": "int", "unit": "unit", "min_acceptance": "share",
                     "max_late_share": "share"},
    "suggestion.unanswered": {"days": "int", "unit": "unit"},
    "suggestion.reward_missing": {},
    "complaint.unresolved": {"days": "int", "unit": "unit", "open_statuses": "strs"},
    "complaint.no_channel": {"key_departments": "bool", "windows": "bool"},
    "window.incomplete": {"require": "strs"},
    "disclosure.late": {"days": "int", "unit": "unit", "types": "strs", "changes": "bool"},
    "disclosure.secret_marked_public": {},
    "plan.task_overdue": {"grace_days": "int"},
    "accountability.open_too_long": {"days": "int", "unit": "unit", "open_statuses": "strs"},
}


def _choices(literal: Any) -> tuple[str, ...]:
    return tuple(get_args(literal))


#: What the list parameters may hold (a value outside it would never match: a typo
#: must not silently switch a check off or report every record).
_DOMAINS: dict[str, tuple[str, ...]] = {
    "facets": tuple(f.name for f in fields(ApprovalItem)),
    "kinds": _choices(ItemKind),
    "fees_kinds": _choices(ItemKind),
    "complaint_fields": ContactPoint.ANY_OF,
    "key_item_kinds": _choices(ItemKind),
    "levels": _choices(Level),
    "key_categories": _choices(Category),
    "key_types": tuple(RECORD_TYPES),
    "types": tuple(RECORD_TYPES),
    "open": STAGES,
    "closed": STAGES,
    "outcomes": _choices(Outcome),
    "applicant_kinds": _choices(ApplicantKind),
    "require": ("badges", *(f.name for f in fields(ServiceWindow))),
}
#: Per rule where a parameter's domain differs from :data:`_DOMAINS`'.
_RULE_DOMAINS: dict[tuple[str, str], tuple[str, ...]] = {
    ("hotline.missing", "kinds"): _choices(AgencyKind),
    ("allocation.stage_late", "stages"): STAGES[:2],  # the result comes after the deal
    ("complaint.unresolved", "open_statuses"): _choices(ComplaintStatus),
    ("accountability.open_too_long", "open_statuses"): _choices(AccountabilityStatus),
}


def _check_domain(where: str, code: str, key: str, values: tuple[str, ...]) -> None:
    domain = _RULE_DOMAINS.get((code, key)) or _DOMAINS.get(key)
    wrong = [value for value in values if domain is not None and value not in domain]
    if wrong:
        raise ConfigError(f"{where}: unknown value{'s' if len(wrong) > 1 else ''} "
                          f"{', '.join(map(repr, wrong))} (known: {', '.join(domain or ())})",
                          key=where)


@frozen
class RuleConfig:
    """One rule as a profile configures it."""

    code: str
    severity: Severity
    violation: str
    params: Mapping[str, Any] = field(factory=dict)
    #: the profile file (or ``builtin:NAME``) it was read from, for messages
    source: str | None = None

    def _get(self, name: str) -> Any:
        try:
            return self.params[name]
        except KeyError:
            key = f"rules.{self.code}.{name}"
            where = f"{self.source}: " if self.source else ""
            raise ConfigError(f"{where}{key}: required by the rule (a profile that extends "
                              "none sets every parameter of the rules it enables)",
                              key=key, file=self.source) from None

    def get_int(self, name: str) -> int:
        """An integer parameter."""
        return cast(int, self._get(name))

    def get_float(self, name: str) -> float:
        """A number parameter."""
        return float(self._get(name))

    def get_str(self, name: str) -> str:
        """A string parameter."""
        return cast(str, self._get(name))

    def get_strs(self, name: str, default: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """A list-of-strings parameter (``default`` when absent, if one is given)."""
        if default is not None and name not in self.params:
            return default
        return tuple(self._get(name))

    def get_bool(self, name: str, default: bool | None = None) -> bool:
        """A boolean parameter (``default`` when absent, if one is given: an optional one)."""
        if default is not None and name not in self.params:
            return default
        return cast(bool, self._get(name))

    def get_date(self, name: str) -> dt.date | None:
        """A date parameter, or None when absent."""
        value = self.params.get(name)
        return cast(dt.date | None, value)


@frozen
class Component:
    """One component of an evaluation score: the codes it covers and its maximum."""

    name: str
    max: float
    codes: tuple[str, ...]
    title: Text

    def covers(self, code: str) -> bool:
        """Whether a finding code counts against this component (``ten.`` covers ``ten.*``)."""
        return any(code == prefix or (prefix.endswith(".") and code.startswith(prefix))
                   for prefix in self.codes)


@frozen
class EvaluationConfig:
    """How findings become an evaluation score (AUDIT.md, "Evaluation")."""

    points: Mapping[str, float]
    code_points: Mapping[str, float]
    components: tuple[Component, ...]
    model_unit_min_score: float
    model_unit_allow_errors: bool
    evaluator: Text

    def component_of(self, code: str) -> Component | None:
        """The first component covering ``code``."""
        return next((c for c in self.components if c.covers(code)), None)

    def points_for(self, code: str, severity: str) -> float:
        """Points one finding costs."""
        if code in self.code_points:
            return self.code_points[code]
        return self.points.get(severity, 0.0)


@frozen
class Profile:
    """A named set of rules, thresholds and evaluation weights."""

    name: str
    title: Text
    description: Text | None
    rules: Mapping[str, RuleConfig]
    evaluation: EvaluationConfig
    messages: Mapping[str, Mapping[str, str]]
    source: str

    def rule(self, code: str) -> RuleConfig | None:
        """The enabled rule ``code``, or None."""
        return self.rules.get(code)


# -- loading --------------------------------------------------------------------------------


def _read(path: Path | None, name: str) -> tuple[dict[str, Any], str, Path | None]:
    """The TOML table of a profile file or a built-in profile, and where it came from.

    Raises:
        ConfigError: no such profile (``.file`` None: the caller knows who named it), or
            a file that cannot be read or is not TOML (``.file``: that file).
    """
    if path is None:
        text = (resources.files(__package__) / "profiles" / f"{name}.toml").read_text(
            encoding="utf-8")
        return tomllib.loads(text), f"builtin:{name}", None
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # a leading BOM (Windows) is no text
        return tomllib.loads(text), source, path.parent
    except FileNotFoundError:
        raise ConfigError(f"no profile {name!r}: use one of {', '.join(BUILTIN_PROFILES)} "
                          "or a path to a .toml file") from None
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read the profile: {exc.strerror or exc}",
                          file=source) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{source}: not valid UTF-8 (byte {exc.start})", file=source) from exc
    except ValueError as exc:  # TOMLDecodeError, or an integer of over 4,300 digits
        raise ConfigError(f"{source}: not valid TOML: {exc}", file=source) from exc
    except RecursionError as exc:
        raise ConfigError(f"{source}: not valid TOML: arrays or tables nested too deeply",
                          file=source) from exc


def _locate(spec: str | Path, base: Path | None) -> tuple[Path | None, str]:
    text = str(spec)
    if isinstance(spec, Path) or text.endswith(".toml") or "/" in text or "\\" in text:
        path = Path(text)
        if not path.is_absolute() and base is not None:
            path = base / path
        return path, text
    if text not in BUILTIN_PROFILES:
        raise ConfigError(f"no built-in profile {text!r}: use one of "
                          f"{', '.join(BUILTIN_PROFILES)} or a path to a .toml file")
    return None, text


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _raw(spec: str | Path, base: Path | None, seen: tuple[str, ...]) -> tuple[dict[str, Any], str]:
    path, name = _locate(spec, base)
    key = str(path.resolve()) if path is not None else name
    if key in seen:
        raise ConfigError(f"profile {name!r} extends itself (through {' -> '.join(seen)})")
    data, source, folder = _read(path, name)
    meta = data.get("profile", {})
    parent = meta.get("extends") if isinstance(meta, dict) else None
    if parent is None:
        return data, source
    if not isinstance(parent, str):
        raise ConfigError(f"{source}: profile.extends: must be a string, not {parent!r}",
                          key="profile.extends", file=source)
    try:
        parent_data, _ = _raw(parent, folder, (*seen, key))
    except ConfigError as exc:
        if exc.file is not None:  # a problem of the file extended: it names itself
            raise
        raise ConfigError(f"{source}: profile.extends: {exc}", key="profile.extends",
                          file=source) from exc
    parent_data.get("profile", {}).pop("extends", None)
    parent_data.get("profile", {}).pop("name", None)
    return _merge(parent_data, data), source


def _check_value(where: str, kind: str, value: Any) -> Any:
    checks: dict[str, Callable[[Any], bool]] = {
        "bool": lambda v: isinstance(v, bool),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_DAYS,
        "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v >= 0,
        "share": lambda v: isinstance(v, int | float) and not isinstance(v, bool)
        and 0 <= v <= 1,
        "str": lambda v: isinstance(v, str),
        "strs": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
        "date": lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime),
        "severity": lambda v: v in SEVERITIES,
        "violation": lambda v: v in VIOLATIONS,
        "unit": lambda v: v in UNITS,
    }
    if not checks[kind](value):
        hint = {"severity": f"one of {', '.join(SEVERITIES)}",
                "violation": f"one of {', '.join(VIOLATIONS)}",
                "unit": f"one of {', '.join(UNITS)}", "strs": "a list of strings",
                "int": f"a non-negative integer (at most {MAX_DAYS})",
                "float": "a non-negative number",
                "share": "a share from 0 to 1", "str": "a string",
                "date": "a date (YYYY-MM-DD)"}.get(kind, f"a {kind}")
        raise ConfigError(f"{where}: must be {hint}, not {value!r}", key=where)
    return tuple(value) if kind == "strs" else value


def _table(where: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: must be a table", key=where)
    return value


def _unknown(where: str, table: Mapping[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise ConfigError(f"{where}: unknown key{'s' if len(extra) > 1 else ''} "
                          f"{', '.join(map(repr, extra))} (allowed: {', '.join(sorted(allowed))})",
                          key=f"{where}.{extra[0]}")


def _rules(data: Mapping[str, Any], source: str) -> dict[str, RuleConfig]:
    rules: dict[str, RuleConfig] = {}
    table = _table("rules", data.get("rules", {}))
    _unknown("rules", table, set(RULE_PARAMS))
    for code, params in RULE_PARAMS.items():  # AUDIT.md's order, whatever the file's
        if code not in table:
            continue
        where = f"rules.{code}"
        entry = _table(where, table[code])
        allowed = {**COMMON, **params}
        _unknown(where, entry, set(allowed))
        checked = {key: _check_value(f"{where}.{key}", allowed[key], value)
                   for key, value in entry.items()}
        for key, value in checked.items():
            if allowed[key] == "strs":
                _check_domain(f"{where}.{key}", code, key, value)
        if not checked.pop("enabled", True):
            continue
        severity = checked.pop("severity", None)
        if severity is None:
            raise ConfigError(f"{where}: severity is required", key=f"{where}.severity")
        violation = checked.pop("violation", "other")
        rules[code] = RuleConfig(code, severity, violation, checked, source)
    return rules


def _evaluation(data: Mapping[str, Any], rules: Mapping[str, RuleConfig]) -> EvaluationConfig:
    table = _table("evaluation", data.get("evaluation", {}))
    _unknown("evaluation", table, {"points", "code_points", "components", "model_unit_min_score",
                                   "model_unit_allow_errors", "evaluator"})
    points = {key: float(_check_value(f"evaluation.points.{key}", "float", value))
              for key, value in _table("evaluation.points", table.get("points", {})).items()}
    _unknown("evaluation.points", points, set(SEVERITIES))
    code_points = {
        key: float(_check_value(f"evaluation.code_points.{key}", "float", value))
        for key, value in _table("evaluation.code_points", table.get("code_points", {})).items()
    }
    _unknown("evaluation.code_points", code_points, set(RULE_PARAMS))
    components = []
    for name, raw in _table("evaluation.components", table.get("components", {})).items():
        where = f"evaluation.components.{name}"
        entry = _table(where, raw)
        _unknown(where, entry, {"max", "codes", "title"})
        components.append(Component(
            name=name,
            max=float(_check_value(f"{where}.max", "float", entry.get("max"))),
            codes=_check_value(f"{where}.codes", "strs", entry.get("codes", [])),
            title=_text(f"{where}.title", entry.get("title")) or name,
        ))
    config = EvaluationConfig(
        points=points, code_points=code_points, components=tuple(components),
        model_unit_min_score=float(_check_value("evaluation.model_unit_min_score", "float",
                                                table.get("model_unit_min_score", 100))),
        model_unit_allow_errors=_check_value("evaluation.model_unit_allow_errors", "bool",
                                             table.get("model_unit_allow_errors", False)),
        evaluator=_text("evaluation.evaluator", table.get("evaluator"))
        or "govdisclosure audit",
    )
    total = sum(c.max for c in config.components)
    if components and abs(total - 100) > 1e-9:
        raise ConfigError(f"evaluation.components: the maxima add up to {total:g}, not 100",
                          key="evaluation.components")
    for code in rules:
        if components and config.component_of(code) is None:
            raise ConfigError(f"evaluation.components: no component covers rule {code!r}",
                              key="evaluation.components")
    return config


def _messages(data: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    table = _table("messages", data.get("messages", {}))
    _unknown("messages", table, set(RULE_PARAMS))
    result = {}
    for code, entry in table.items():
        languages = _table(f"messages.{code}", entry)
        for language, text in languages.items():
            _check_value(f"messages.{code}.{language}", "str", text)
            unknown = sorted(_placeholders(text) - _placeholders_of(code))
            if unknown:
                raise ConfigError(f"messages.{code}.{language}: unknown placeholder "
                                  f"{{{unknown[0]}}} (known: "
                                  f"{', '.join(sorted(_placeholders_of(code)))})",
                                  key=f"messages.{code}")
        result[code] = dict(languages)
    return result


def _placeholders(template: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError as exc:  # an unmatched brace
        raise ConfigError(f"message template {template[:60]!r}: {exc}") from exc


def _placeholders_of(code: str) -> set[str]:
    """The placeholders the built-in templates of ``code`` use: what a rule fills in."""
    text = (resources.files(__package__) / "messages.toml").read_text(encoding="utf-8")
    templates = tomllib.loads(text).get(code, {})
    return {name for template in templates.values() for name in _placeholders(template)}


def load_profile(spec: str | Path | None = None) -> Profile:
    """A profile by built-in name or from a ``.toml`` file.

    Args:
        spec: ``cn-jilin-2002``, ``cn-ogi-2019``, ``generic``, or a path to a ``.toml``
            file (any string ending in ``.toml`` or containing a path separator).
            None means ``generic``.

    Raises:
        ConfigError: the profile is missing, unreadable or has an unknown or invalid key.
    """
    data, source = _raw(spec or "generic", None, ())  # its errors name the file themselves
    try:
        return _build(data, source, spec)
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}", key=exc.key, file=source) from exc


def _build(data: dict[str, Any], source: str, spec: str | Path | None) -> Profile:
    """The profile of a file's merged TOML (ConfigErrors name the key, not the file)."""
    _unknown("profile file", data, {"profile", "rules", "evaluation", "messages"})
    meta = _table("profile", data.get("profile", {}))
    _unknown("profile", meta, {"name", "title", "description", "extends"})
    name = _check_value("profile.name", "str", meta.get("name", "")) or Path(
        str(spec or "generic")).stem
    rules = _rules(data, source)
    return Profile(
        name=name,
        title=_text("profile.title", meta.get("title")) or str(meta.get("name") or spec or name),
        description=_text("profile.description", meta.get("description")),
        rules=rules,
        evaluation=_evaluation(data, rules),
        messages=_messages(data),
        source=source,
    )


def _text(where: str, value: Any) -> Any:
    """Localized text (a string or a table of language -> string), or None."""
    if value is None or isinstance(value, str) or (
            isinstance(value, dict) and value
            and all(isinstance(text, str) for text in value.values())):
        return value
    raise ConfigError(f"{where}: must be text or a table of language = text, not {value!r}",
                      key=where)
