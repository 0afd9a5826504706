"""Dates are ``YYYY-MM-DD`` and datetimes RFC 3339 (MODEL.md), for the loader and the
schema alike: none of the other ISO 8601 spellings that Python's ``fromisoformat`` reads."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from tests import strategies

import govdisclosure as gd
from govdisclosure.catalog.schema import record_schema

_DISCLOSURE = Draft202012Validator(record_schema("disclosure"))
_HOTLINE = Draft202012Validator(record_schema("hotline"))


def notice(issued_at: str) -> dict[str, Any]:
    """A disclosure issued at ``issued_at``."""
    return {"type": "disclosure", "id": "n", "agency": "a", "title": "t", "issued_at": issued_at}


def hotline(opened_on: str) -> dict[str, Any]:
    """A hotline opened on ``opened_on``."""
    return {"type": "hotline", "id": "h", "agency": "a", "number": "1", "opened_on": opened_on}


@pytest.mark.parametrize(("spellings", "build", "schema", "cls", "field", "message"), [
    # RFC 3339 (seconds, offset or time left out) loads as the moment it spells
    (strategies.datetime_spellings(), notice, _DISCLOSURE, gd.Disclosure, "issued_at",
     "is not an RFC 3339 datetime"),
    # YYYY-MM-DD; basic, week and ordinal dates (20020101, 2002-W01-2, 2002-001) are not
    (strategies.date_spellings(), hotline, _HOTLINE, gd.Hotline, "opened_on",
     "is not a date (YYYY-MM-DD)"),
])
@given(data=st.data())
def test_a_value_loads_in_exactly_the_spellings_the_schema_allows(
        spellings: Any, build: Any, schema: Draft202012Validator, cls: type[Any], field: str,
        message: str, data: st.DataObject) -> None:
    """What loads fits the schema and means what it spells; any other ISO 8601 spelling
    is refused by both, naming the field."""
    text, meant = data.draw(spellings)
    item = build(text)

    assert schema.is_valid(item) is (meant is not None)
    if meant is None:
        with pytest.raises(gd.CatalogError) as caught:
            gd.loads(json.dumps(item), timezone="UTC")
        assert [(p.field, p.message) for p in caught.value.problems] == [
            (field, f"{text!r} {message}")]
        return
    loaded = getattr(gd.loads(json.dumps(item), cls, timezone="UTC"), field)
    if isinstance(meant, dt.datetime) and meant.tzinfo is None:
        meant = meant.replace(tzinfo=dt.UTC)
    assert loaded == meant


@pytest.mark.parametrize("text", [
    "2002-13-01T09:00:00Z", "2002-01-32T09:00Z", "2002-01-01T24:00:00Z",
    "2002-01-01T09:60:00Z", "2002-01-01T09:00:00+24:00", "2002-01-01T09:00:00+08:60",
    "0000-01-01T00:00:00Z", "2002-1-01T09:00Z", "2002-01-01T9:00Z", "2002-01-01T09:00:00.Z",
    "2002-01-01T09:00.5Z", "2002-01-01T09:00:00+08:00:00", "2002-01-01Z", " 2002-01-01",
    "２００２-01-01",
], ids=repr)
def test_the_schema_refuses_what_the_loader_refuses_within_the_form(text: str) -> None:
    """Out-of-range fields and near misses of the form: both refuse them."""
    assert not _DISCLOSURE.is_valid(notice(text))
    with pytest.raises(gd.CatalogError, match=r"issued_at: .* is not an RFC 3339 datetime"):
        gd.loads(json.dumps(notice(text)))


@pytest.mark.parametrize(("text", "message"), [
    ("2002-02-30T09:00:00Z", "is not an RFC 3339 datetime"),
    ("2002-12-31T23:59:60Z", "is a leap second (:60), which cannot be stored"),
], ids=repr)
def test_what_only_the_loader_can_refuse_it_refuses_naming_the_field(text: str,
                                                                     message: str) -> None:
    """A day the month lacks fits the schema's pattern; the loader refuses it. A leap
    second fits neither, and the loader says why."""
    with pytest.raises(gd.CatalogError, match=re.escape(f"issued_at: '{text}' {message}")):
        gd.loads(json.dumps(notice(text)))


def test_a_toml_catalogue_refuses_a_week_date_and_a_basic_datetime(tmp_path: Path) -> None:
    """The probe's catalogue: validate passed it, and the dates were silently rewritten."""
    (tmp_path / "records").mkdir()
    (tmp_path / "catalog.toml").write_text('[catalog]\nname = "T"\n', encoding="utf-8")
    (tmp_path / "agencies.toml").write_text(
        '[[agency]]\nid = "a"\nname = "A"\nlevel = "city"\n', encoding="utf-8")
    (tmp_path / "records" / "r.toml").write_text(
        '[[evaluation]]\nid = "ev"\nagency = "a"\nyear = 2024\npublished_on = "2024-W52-7"\n'
        '[[disclosure]]\nid = "w"\nagency = "a"\ntitle = "t"\nstatus = "withdrawn"\n'
        'withdrawn = { on = "2024-W10-3", reason = "r" }\nissued_at = "2024-01-01T10"\n',
        encoding="utf-8")

    with pytest.raises(gd.CatalogError) as caught:
        gd.load_catalog(tmp_path)

    assert [str(p) for p in caught.value.problems] == [
        "records/r.toml: evaluation 'ev': published_on: '2024-W52-7' is not a date (YYYY-MM-DD)",
        "records/r.toml: disclosure 'w': withdrawn.on: '2024-W10-3' is not a date (YYYY-MM-DD)",
        "records/r.toml: disclosure 'w': issued_at: '2024-01-01T10' is not an RFC 3339 "
        "datetime",
    ]


def test_catalogue_holidays_are_dates_in_one_spelling(tmp_path: Path) -> None:
    """catalog.toml's holidays and adjusted working days read dates as records do."""
    (tmp_path / "catalog.toml").write_text(
        '[catalog]\nname = "T"\nholidays = ["2002-W40-2"]\n', encoding="utf-8")

    with pytest.raises(gd.CatalogError, match=r"catalog.holidays.0: '2002-W40-2' is not a date"):
        gd.load_catalog(tmp_path)
    with pytest.raises(gd.InvalidValue, match=r"extra_workdays.0: '20020928' is not a date"):
        gd.CatalogMeta(name="T", extra_workdays=("20020928",))


def write_catalogue(folder: Path, timezone: str, record: dict[str, Any]) -> None:
    """A catalogue in ``timezone`` with agency ``a`` and ``record`` in records/r.json."""
    (folder / "records").mkdir()
    (folder / "catalog.toml").write_text(
        f'[catalog]\nname = "T"\ntimezone = "{timezone}"\n', encoding="utf-8")
    (folder / "agencies.toml").write_text(
        '[[agency]]\nid = "a"\nname = "A"\nlevel = "city"\n', encoding="utf-8")
    (folder / "records" / "r.json").write_text(json.dumps(record), encoding="utf-8")


_NAIVE = {**notice("2024-01-02T09:00:00"),
          "changes": [{"at": "2024-01-03T10:30", "note": "n"}]}


@pytest.mark.parametrize("zone", ["name", "tzinfo"])
def test_loads_reads_a_datetime_without_offset_in_the_timezone_given(
        tmp_path: Path, zone: str) -> None:
    """``gd.loads(text, cls, timezone=...)`` (a zone name or a tzinfo) reads a datetime
    without an offset as the loader reads the same file in a catalogue of that zone."""
    write_catalogue(tmp_path, "Asia/Shanghai", _NAIVE)
    catalog = gd.load_catalog(tmp_path)
    given_zone = catalog.meta.timezone if zone == "name" else catalog.meta.zone

    loaded = gd.loads((tmp_path / "records" / "r.json").read_text(encoding="utf-8"),
                      gd.Disclosure, timezone=given_zone)

    assert loaded == catalog.get("disclosure", "n")
    assert loaded.issued_at is not None
    assert loaded.issued_at.utcoffset() == dt.timedelta(hours=8)
    assert loaded.changes[0].at.utcoffset() == dt.timedelta(hours=8)


def test_loads_refuses_a_datetime_without_offset_when_no_timezone_is_given() -> None:
    """Without ``timezone=``, gd.loads never guesses a zone: each such datetime is an
    error naming its field and saying how to give it one."""
    with pytest.raises(gd.CatalogError) as caught:
        gd.loads(json.dumps(_NAIVE), gd.Disclosure)

    problems = caught.value.problems
    assert [problem.field for problem in problems] == ["issued_at", "changes.0.at"]
    for problem in problems:
        assert "no UTC offset" in problem.message
        assert "timezone=" in problem.message


def test_loads_reads_a_datetime_with_an_offset_as_written_whatever_the_timezone() -> None:
    """An offset written wins over ``timezone=``, as in a catalogue file."""
    text = json.dumps(notice("2024-01-02T09:00:00-05:00"))

    loaded = gd.loads(text, gd.Disclosure, timezone="Asia/Shanghai")

    assert loaded.issued_at == dt.datetime(2024, 1, 2, 14, 0, tzinfo=dt.UTC)
    assert gd.loads(text, gd.Disclosure) == loaded


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", 8], ids=repr)
def test_loads_refuses_a_timezone_that_is_no_zone(zone: Any) -> None:
    """An unknown zone name (or no name at all) is a ConfigError, not a guess."""
    with pytest.raises(gd.ConfigError, match="timezone"):
        gd.loads(json.dumps(notice("2024-01-02T09:00:00Z")), timezone=zone)
