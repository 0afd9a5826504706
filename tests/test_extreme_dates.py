"""Dates and datetimes at the ends of Python's calendar (years 1 and 9999), and huge
day counts: validate refuses what cannot be shown, everything else loads, publishes,
audits, evaluates and reports without an internal error."""

from __future__ import annotations

import datetime as dt
import json
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner

import govdisclosure as gd
from govdisclosure.calendar import WorkingCalendar, plus_days
from govdisclosure.cli import cli
from govdisclosure.model import RECORD_TYPES, Record

CATALOG = """[catalog]
name = "Extremes"
base_url = "https://gk.example.gov.cn/"
timezone = "Asia/Shanghai"
default_language = "zh-CN"
languages = ["zh-CN", "en"]
"""
T1, T2, DAY = "2002-06-03T09:00:00+08:00", "2002-06-10T09:00:00+08:00", "2002-06-03"
COMMON = {"issued_at": T1, "publish_at": T1, "expires_at": "2003-06-03T09:00:00+08:00",
          "updated_at": T2, "changes": [{"at": T2, "note": "fixed"}]}
OWNED = {"agency": "prov", **COMMON}
#: One record of each type, every date and datetime field present (nested ones too).
RECORDS: list[dict[str, Any]] = [
    {"type": "agency", "id": "prov", "name": "Province", "level": "province",
     "key_department": True, **COMMON},
    {"type": "disclosure", "id": "d1", "category": "policy", "title": "Policy", **OWNED},
    {"type": "approval_item", "id": "item", "title": "Permit", "handling_unit": "Office",
     "time_limit": {"statutory": 20, "promised": 10}, "results": {"channel": "site"},
     "catalogue": {"document": "Doc", "approved_on": DAY}, "review": {"by": "B", "on": DAY},
     "windows": ["w1"], **OWNED},
    {"type": "case", "id": "c1", "item": "item", "received_at": T1, "decided_at": T2,
     "outcome": "approved", "applicant_kind": "organisation", "applicant_name": "Co", **OWNED},
    {"type": "allocation", "id": "al", "title": "Land", "kind": "land", "status": "closed",
     "closes_at": T1, "before": {"published_at": T1, "body": "b"},
     "during": {"published_at": T1, "body": "d"},
     "after": {"published_at": T2, "body": "a", "awardee": "Co", "decided_on": DAY,
               "amount": {"amount": "10.00"}}, **OWNED},
    {"type": "hotline", "id": "line", "number": "12345", "level": "province",
     "opened_on": DAY, "due_days": 5, **OWNED},
    {"type": "hotline_call", "id": "call", "hotline": "line", "received_at": T1,
     "handled_at": T2, "closed_at": T2, **OWNED},
    {"type": "suggestion", "id": "s1", "received_at": T1, "status": "adopted",
     "response": "yes", "responded_at": T2, "benefit": "much",
     "reward": {"kind": "cash", "awarded_on": DAY}, **OWNED},
    {"type": "consultation", "id": "con", "title": "Hearing", "opens_at": T1,
     "closes_at": T2, "scheduled_at": T2, "outcome": "ok", "outcome_published_at": T2,
     **OWNED},
    {"type": "news_release", "id": "nr", "headline": "News", "conference": "pc", **OWNED},
    {"type": "press_conference", "id": "pc", "title": "Conf", "scheduled_at": T1,
     "status": "held", "agenda": [{"item": "opening", "at": T1}], "releases": ["nr"],
     **OWNED},
    {"type": "service_hall", "id": "hall", "name": "Hall",
     "floors": [{"label": "1F", "windows": [{"window": "w1", "x": 1, "y": 1}]}], **OWNED},
    {"type": "service_window", "id": "w1", "hall": "hall", "number": "1", "name": "W",
     "services": ["item"], "commitments": [{"text": "fast", "target_days": 3, "item": "item"}],
     **OWNED},
    {"type": "complaint", "id": "cp", "received_at": T1, "status": "resolved",
     "resolved_at": T2, "about": "prov", **OWNED},
    {"type": "accountability_record", "id": "acc", "subject_unit": "prov",
     "decided_on": DAY, "status": "open", **OWNED},
    {"type": "evaluation", "id": "ev", "year": 2002, "score": 80, "published_on": DAY,
     **OWNED},
    {"type": "work_plan", "id": "wp", "title": "Plan", "year": 2002,
     "tasks": [{"id": "t1", "text": "do", "owner": "prov", "due": DAY, "done_on": DAY}],
     **OWNED},
]


def temporal_fields(cls: type, prefix: str = "") -> Iterator[tuple[str, type]]:
    """``(field path, date or datetime)`` of every such field of an attrs class, nested
    classes and lists of them included (a list's first element: ``changes.0.at``)."""
    hints = typing.get_type_hints(cls)
    for attribute in attrs.fields(cls):
        yield from _visit(hints[attribute.name], prefix + attribute.name)


def _visit(tp: Any, path: str) -> Iterator[tuple[str, type]]:
    if tp in (dt.datetime, dt.date):
        yield path, tp
    elif attrs.has(tp):
        yield from temporal_fields(tp, f"{path}.")
    elif typing.get_origin(tp) is tuple:
        yield from _visit(typing.get_args(tp)[0], f"{path}.0")
    else:
        for arg in typing.get_args(tp):
            yield from _visit(arg, path)


COMMON_FIELDS = dict(temporal_fields(Record))
#: Every (record type, field path, kind) of the model, found by introspection.
FIELDS = [(name, path, kind) for name, cls in RECORD_TYPES.items()
          for path, kind in temporal_fields(cls)]
SPECIFIC = [(name, path, kind) for name, path, kind in FIELDS if path not in COMMON_FIELDS]
#: Values at the ends of the calendar that every output can show (the catalogue is in
#: Asia/Shanghai: 9999-12-31T23:59:59+08:00 is 15:59:59 UTC; year 1 at 00:00 UTC is 08:00).
EXTREMES = {dt.date: ["0001-01-01", "9999-12-31"],
            dt.datetime: ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59+08:00"]}
#: Instants that UTC or the catalogue's zone cannot show: refused by validate.
OUT_OF_RANGE = ["0001-01-01T01:00:00+08:00", "9999-12-31T23:00:00-08:00",
                "9999-12-31T23:59:59Z", "0001-01-01T00:00:00"]


def set_path(record: dict[str, Any], path: str, value: Any) -> None:
    """``record`` with the field at ``path`` set (``withdrawn.on`` withdraws it)."""
    if path.startswith("withdrawn."):
        record.update(status="withdrawn", withdrawn={"on": value, "reason": "gone"})
        return
    *parents, last = path.split(".")
    target: Any = record
    for step in parents:
        target = target[int(step)] if step.isdigit() else target[step]
    target[last] = value


def catalogue(root: Path, changes: list[tuple[str, str, Any]]) -> Path:
    """The catalogue of :data:`RECORDS` with ``(type, path, value)`` changes, in ``root``."""
    records = json.loads(json.dumps(RECORDS))  # no list shared between records
    for kind, path, value in changes:
        for record in records:
            if record["type"] == kind:
                set_path(record, path, value)
    (root / "records").mkdir(parents=True)
    (root / "catalog.toml").write_text(CATALOG, encoding="utf-8")
    (root / "records" / "all.json").write_text(json.dumps(records), encoding="utf-8")
    return root


def run_everything(root: Path) -> dict[str, tuple[int, str]]:
    """Exit code and output of validate, publish (every built-in publisher), audit,
    evaluate and report annual, in-process."""
    commands = {
        "validate": ["validate", str(root)],
        "publish": ["publish", str(root), "--to", "site,feeds", "--out", str(root / "out"),
                    "--as-of", "2002-12-31T12:00:00+08:00"],
        "audit": ["audit", str(root), "--as-of", "2002-12-31"],
        "evaluate": ["evaluate", str(root), "--year", "2002"],
        "report": ["report", "annual", str(root), "--year", "2002"],
    }
    results = {}
    for name, args in commands.items():
        result = CliRunner().invoke(cli, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            name, result.exception)
        results[name] = (result.exit_code, result.output)
    return results


def assert_all_well(results: dict[str, tuple[int, str]]) -> None:
    """Valid, published without a failed target, audited, evaluated and reported."""
    for name, (code, output) in results.items():
        assert "internal error" not in output, (name, output)
        assert "failed:" not in output, (name, output)  # a publisher failed: ...
        assert "Error" not in output, (name, output)
        assert code == (1 if name == "audit" and code == 1 else 0), (name, output)


def test_the_base_catalogue_is_valid_and_covers_every_field() -> None:
    """The records above have every date and datetime field the model has."""
    assert {record["type"] for record in RECORDS} == set(RECORD_TYPES)
    assert len(FIELDS) > 100


@pytest.mark.slow
@pytest.mark.parametrize("value_index", [0, 1], ids=["year-1", "year-9999"])
@pytest.mark.parametrize("path", sorted(COMMON_FIELDS))
def test_a_common_field_at_the_ends_of_the_calendar_breaks_nothing(
        tmp_path: Path, path: str, value_index: int) -> None:
    """A common date or datetime field (issued_at, publish_at, expires_at, updated_at,
    changes.at, withdrawn.on) at year 1 or 9999, on every record type at once."""
    value = EXTREMES[COMMON_FIELDS[path]][value_index]
    root = catalogue(tmp_path, [(kind, path, value) for kind in RECORD_TYPES])

    assert_all_well(run_everything(root))


@pytest.mark.slow
@pytest.mark.parametrize("value_index", [0, 1], ids=["year-1", "year-9999"])
@pytest.mark.parametrize(("kind", "path", "tp"), SPECIFIC,
                         ids=[f"{kind}.{path}" for kind, path, _ in SPECIFIC])
def test_a_field_of_a_type_at_the_ends_of_the_calendar_breaks_nothing(
        tmp_path: Path, kind: str, path: str, tp: type, value_index: int) -> None:
    """Each date or datetime field of a record type (received_at, decided_on, due, ...)
    at year 1 or 9999. A value that puts a field before another it follows (received
    at 9999, decided in 2002) is refused by validate: then every command exits 2."""
    value = EXTREMES[tp][value_index]
    root = catalogue(tmp_path, [(kind, path, value)])

    results = run_everything(root)

    code, output = results["validate"]
    if code == 2:
        assert "is before" in output, output
        assert {code for code, _ in results.values()} == {2}
        assert not any("internal error" in out for _, out in results.values())
    else:
        assert_all_well(results)


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_a_datetime_no_output_can_show_is_a_problem_naming_the_field(
        tmp_path: Path, value: str) -> None:
    """A datetime whose instant lies outside years 1 to 9999 in UTC or in the
    catalogue's zone is refused, naming the file, the record and the field: put in
    every datetime field of every record at once, each is one problem."""
    datetimes = [(kind, path) for kind, path, tp in FIELDS if tp is dt.datetime]
    root = catalogue(tmp_path, [(kind, path, value) for kind, path in datetimes])

    with pytest.raises(gd.CatalogError) as caught:
        gd.load_catalog(root)

    ids = {record["type"]: record["id"] for record in RECORDS}
    assert sorted((p.file, p.type, p.record, p.field) for p in caught.value.problems) == \
        sorted(("records/all.json", kind, ids[kind], path) for kind, path in datetimes)
    assert all("out of range" in p.message for p in caught.value.problems)


def test_every_command_exits_2_on_a_datetime_out_of_range(tmp_path: Path) -> None:
    """The reported case: issued_at = 0001-01-01T01:00:00+08:00 is a clear exit 2 of
    every command, not an OverflowError."""
    root = catalogue(tmp_path, [("disclosure", "issued_at", "0001-01-01T01:00:00+08:00")])

    results = run_everything(root)

    for name, (code, output) in results.items():
        assert code == 2, name
        assert "records/all.json: disclosure 'd1': issued_at: '0001-01-01T01:00:00+08:00' " \
               "is out of range" in " ".join(output.split()), (name, output)


def test_an_in_memory_record_refuses_a_datetime_out_of_utc_range() -> None:
    """The model itself (records built in code) refuses an instant UTC cannot show."""
    moment = dt.datetime(1, 1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))

    with pytest.raises(gd.InvalidValue, match=r"issued_at: .* out of range"):
        gd.Disclosure(id="d", agency="a", title="t", category="policy", issued_at=moment)


@pytest.mark.parametrize(("kind", "path"), [
    ("approval_item", "time_limit.statutory"), ("approval_item", "time_limit.promised"),
    ("case", "suspended_days"), ("hotline", "due_days"),
    ("service_window", "commitments.0.target_days"),
])
def test_a_huge_day_count_is_a_problem_naming_the_field(
        tmp_path: Path, kind: str, path: str) -> None:
    """Time limits, suspensions and commitments are at most a hundred years of days."""
    root = catalogue(tmp_path, [(kind, path, 2**62)])

    with pytest.raises(gd.CatalogError) as caught:
        gd.load_catalog(root)

    problems = [p for p in caught.value.problems if p.field == path]
    assert [p.message for p in problems] == [
        f"must be at most 36500 days (a hundred years), not {2**62}"]


@pytest.mark.slow
def test_the_longest_time_limits_from_the_last_years_break_nothing(tmp_path: Path) -> None:
    """Limits of 36500 days counted from 9999: deadlines saturate at 9999-12-31."""
    late = "9999-06-01T09:00:00+08:00"
    root = catalogue(tmp_path, [
        ("approval_item", "time_limit.statutory", 36_500),
        ("approval_item", "time_limit.promised", 36_500),
        ("case", "suspended_days", 36_500), ("case", "received_at", late),
        ("case", "decided_at", None), ("case", "outcome", "pending"),
        ("hotline", "due_days", 36_500), ("hotline_call", "received_at", late),
        ("hotline_call", "handled_at", None), ("hotline_call", "closed_at", None),
        ("service_window", "commitments.0.target_days", 36_500),
        ("work_plan", "tasks.0.due", "9999-12-31"), ("work_plan", "tasks.0.done_on", None),
    ])

    assert_all_well(run_everything(root))


@pytest.mark.parametrize("unit", ["working_days", "calendar_days"])
def test_a_deadline_beyond_9999_saturates(unit: str) -> None:
    """The calendar's deadlines end on 9999-12-31 at the latest, and never pass."""
    calendar = WorkingCalendar(None)
    start = dt.date(9999, 12, 1)

    assert calendar.deadline(start, 36_500, unit) == dt.date.max
    assert calendar.passed(start, 36_500, unit, dt.date.max) is None
    assert plus_days(dt.date.min, -1) == dt.date.min


def test_working_days_across_the_whole_calendar_are_counted_quickly() -> None:
    """Monday to Friday from year 1 to 9999 is counted, not tabled year by year."""
    calendar = WorkingCalendar(None)

    assert calendar.working_days_between(dt.date.min, dt.date.max) == 2_608_614
    assert calendar.working_days_between(dt.date(2002, 6, 3), dt.date(2002, 6, 10)) == 5
    assert not calendar._years  # nothing was tabled


@pytest.mark.parametrize("as_of", ["9999-12-31T23:59:59-08:00", "0001-01-01T00:00:00+08:00"])
@pytest.mark.parametrize("command", ["audit", "publish"])
def test_an_as_of_no_output_can_show_exits_2(tmp_path: Path, command: str, as_of: str) -> None:
    """--as-of beyond years 1 to 9999 in UTC: a clear exit 2, not an OverflowError."""
    root = catalogue(tmp_path, [])
    args = [command, str(root), "--as-of", as_of]
    if command == "publish":
        args += ["--to", "feeds", "--out", str(tmp_path / "out")]

    result = CliRunner().invoke(cli, args)

    assert result.exit_code == 2, result.output
    assert f"as of {as_of} is out of range" in " ".join(result.output.split())


@pytest.mark.slow
def test_publishing_and_auditing_as_of_the_last_day_breaks_nothing(tmp_path: Path) -> None:
    """--as-of 9999-12-31, the last day there is: every time limit has passed."""
    root = catalogue(tmp_path, [("case", "decided_at", None), ("case", "outcome", "pending")])

    audited = CliRunner().invoke(cli, ["audit", str(root), "--as-of", "9999-12-31"])
    published = CliRunner().invoke(cli, ["publish", str(root), "--to", "site,feeds",
                                         "--out", str(tmp_path / "out"),
                                         "--as-of", "9999-12-31"])

    assert audited.exit_code == 1, audited.output
    assert "case.overdue" in audited.output
    assert published.exit_code == 0, published.output
