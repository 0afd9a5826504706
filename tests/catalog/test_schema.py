"""`govdisclosure schema` is a valid JSON Schema that fits the records the loader accepts."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from tests import strategies

import govdisclosure as gd
from govdisclosure.catalog.converter import NULL_REFUSED
from govdisclosure.cli import cli


def schema_of(*options: str) -> dict[str, Any]:
    """The schema printed by ``govdisclosure schema [options]``."""
    result = CliRunner().invoke(cli, ["schema", *options])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def as_json(record: gd.Record) -> Any:
    """A record as catalogue JSON, via the project's converter."""
    return json.loads(gd.dumps(record))


@pytest.fixture(name="validator", scope="module")
def fixture_validator() -> Draft202012Validator:
    """A validator for the schema of every record type."""
    return Draft202012Validator(schema_of())


@pytest.fixture(name="example_records", scope="module")
def fixture_example_records() -> list[gd.Record]:
    """Every record of examples/jilin-2002 (skipped only when the folder is absent)."""
    from tests.conftest import EXAMPLE

    if not EXAMPLE.is_dir():
        pytest.skip(f"{EXAMPLE} is absent")
    return list(gd.load_catalog(EXAMPLE))


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    """govdisclosure schema prints a schema that passes Draft202012Validator.check_schema."""
    Draft202012Validator.check_schema(schema_of())


@pytest.mark.parametrize("record_type", list(gd.RECORD_TYPES))
def test_the_schema_of_one_type_is_a_valid_schema(record_type: str) -> None:
    """govdisclosure schema --type T prints a valid schema of that type only."""
    schema = schema_of("--type", record_type)

    Draft202012Validator.check_schema(schema)
    assert schema["$ref"] == f"#/$defs/{record_type}"
    assert schema["$defs"][record_type]["properties"]["type"] == {"const": record_type}


def test_python_m_govdisclosure_schema_prints_json() -> None:
    """In a real process, schema prints one JSON document and exits 0."""
    done = subprocess.run([sys.executable, "-m", "govdisclosure", "schema"],
                          capture_output=True, text=True, timeout=120, check=False)

    assert done.returncode == 0
    assert json.loads(done.stdout)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_record_of_the_example_fits_the_schema(
    validator: Draft202012Validator, example_records: list[gd.Record]
) -> None:
    """Every record of examples/jilin-2002, as JSON, is valid against the schema."""
    failures = {
        record.ref: [error.message for error in validator.iter_errors(as_json(record))][:3]
        for record in example_records
        if not validator.is_valid(as_json(record))
    }
    assert failures == {}
    assert len(example_records) > 0


@given(strategies.any_record())
def test_every_generated_record_fits_the_schema(record: gd.Record) -> None:
    """Any valid record, hostile text and all, is valid against the schema."""
    validator = Draft202012Validator(_SCHEMA)
    assert [error.message for error in validator.iter_errors(as_json(record))] == []


_SCHEMA = schema_of()


@given(strategies.any_record())
def test_the_schema_of_its_type_accepts_a_generated_record(record: gd.Record) -> None:
    """Each record is also valid against the schema of its own type."""
    validator = Draft202012Validator(_TYPED[record.TYPE])
    assert validator.is_valid(as_json(record))


_TYPED = {name: schema_of("--type", name) for name in gd.RECORD_TYPES}


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ((), "titel"),
        (("time_limit",), "promsed"),
        (("fees", 0), "currancy"),
        (("fees", 0, "amount"), "cents"),
    ],
    ids=["top", "time_limit", "fee", "money"],
)
def test_the_schema_rejects_unknown_keys(path: tuple[str | int, ...], value: str) -> None:
    """An unknown key, at the top or nested, is invalid, as the loader says."""
    data = as_json(gd.ApprovalItem(
        id="permit", agency="office", title="Permit",
        time_limit=gd.TimeLimit(statutory=20, promised=10),
        fees=[gd.Fee(name="fee", amount=gd.Money(amount=Decimal("12.50")))],
    ))
    target = data
    for step in path:
        target = target[step]
    target[value] = "x"

    assert not Draft202012Validator(_SCHEMA).is_valid(data)
    assert not Draft202012Validator(_TYPED["approval_item"]).is_valid(data)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"id": "../x"}, "id rule"),
        ({"type": "memo"}, "unknown type"),
        ({"status": "published"}, "unknown status"),
        ({"title": {"EN GB": "x"}}, "language tag"),
        ({"tags": "one"}, "string for a list"),
        ({"issued_at": "yesterday"}, "not a datetime"),
        ({"status": "withdrawn"}, "withdrawn without its notice"),
        ({"withdrawn": {"on": "2002-01-01", "reason": "r"}}, "a notice without the status"),
        ({"attachments": [{"title": "a", "url": "u", "sha256": 5}]}, "a number for text"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_the_schema_rejects_what_the_loader_rejects(change: dict[str, Any], why: str) -> None:
    """Values the model refuses are invalid against the schema too."""
    data = {**as_json(gd.Disclosure(id="notice", agency="office", title="t")), **change}

    assert not Draft202012Validator(_SCHEMA).is_valid(data), why


@pytest.mark.parametrize(
    ("record", "why"),
    [
        ({"type": "approval_item", "id": "i", "agency": "a", "title": "t",
          "fees": [{"name": "f", "amount": {"amount": "1", "currency": "eur"}}]},
         "lower-case currency"),
        ({"type": "approval_item", "id": "i", "agency": "a", "title": "t",
          "complaint": [{}]}, "an empty contact point"),
        ({"type": "evaluation", "id": "e", "agency": "a", "year": 2002, "score": 150},
         "a score over 100"),
        ({"type": "evaluation", "id": "e", "agency": "a", "year": 2002,
          "components": {"openness": -1}}, "a component under 0"),
        ({"type": "evaluation", "id": "e", "agency": "a", "year": 2002, "rank": 0},
         "rank 0"),
        ({"type": "evaluation", "id": "e", "agency": "a", "year": 0}, "year 0"),
        ({"type": "work_plan", "id": "p", "agency": "a", "title": "t", "year": 2201},
         "a plan's year after 2200"),
        ({"type": "disclosure", "id": "n", "agency": "a", "title": "t",
          "attachments": [{"title": "a", "url": "https://x.example/a", "sha256": "E3B0" * 16}]},
         "an upper-case sha256"),
        ({"type": "disclosure", "id": "n", "agency": "a", "title": "t",
          "attachments": [{"title": "a", "url": "https://x.example/a", "sha256": "e3b0"}]},
         "a short sha256"),
        ({"type": "disclosure", "id": "n", "agency": "a", "title": "t",
          "attachments": [{"title": "a", "url": "https://x.example/a", "bytes": -1}]},
         "negative bytes"),
        ({"type": "service_hall", "id": "h", "agency": "a", "name": "H",
          "floors": [{"label": "1F", "windows": [{"window": "w", "x": 5, "y": -5}]}]},
         "a spot above the map"),
        ({"type": "approval_item", "id": "i", "agency": "a", "title": "t",
          "complaint": [{"phone": ""}]}, "a contact point with an empty phone"),
        ({"type": "approval_item", "id": "i", "agency": "a", "title": "t",
          "complaint": [{"phone": None, "unit": None}]}, "a contact point of nulls"),
        ({"type": "approval_item", "id": "i", "agency": "a", "title": "t",
          "complaint": [{"unit": "", "email": None}]}, "a contact point of nothing"),
        ({"type": "news_release", "id": "r", "agency": "a", "headline": "h",
          "contacts": [{}]}, "an empty press contact"),
        ({"type": "news_release", "id": "r", "agency": "a", "headline": "h",
          "contacts": [{"name": ""}]}, "a press contact with an empty name"),
        ({"type": "service_hall", "id": "h", "agency": "a", "name": "H",
          "floors": [{"label": "1F", "plan": "../../etc/passwd"}]}, "a plan outside"),
        ({"type": "service_hall", "id": "h", "agency": "a", "name": "H",
          "floors": [{"label": "1F", "plan": "/etc/passwd"}]}, "an absolute plan"),
        ({"type": "service_window", "id": "w", "agency": "a", "hall": "h", "number": "1",
          "name": "W", "staff": [{"name": "Li", "photo": "../../../etc/passwd"}]},
         "a photo outside"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_the_schema_rejects_values_the_validators_refuse(record: dict[str, Any],
                                                         why: str) -> None:
    """What the model's validators refuse, where JSON Schema can say it."""
    assert not Draft202012Validator(_SCHEMA).is_valid(record), why
    with pytest.raises(gd.CatalogError):
        gd.loads(json.dumps(record), gd.RECORD_TYPES[record["type"]])


def test_the_schema_requires_required_fields() -> None:
    """A disclosure without title or agency is invalid (both are required)."""
    assert not Draft202012Validator(_SCHEMA).is_valid({"type": "disclosure", "id": "n"})


def test_example_fixture_points_at_the_bundled_example(example_path: Path) -> None:
    """The conftest's example path is examples/jilin-2002 with its catalog.toml."""
    assert (example_path / "catalog.toml").is_file()


def test_numbers_that_name_things_may_be_written_as_integers(
        validator: Draft202012Validator, tmp_path: Path) -> None:
    """A window's or hotline's ``number`` and a badge: MODEL.md gives them no type, and
    ``number = 3`` is what an agency writes. Read as digits; the schema agrees."""
    data = [{"type": "hotline", "id": "h", "agency": "a", "number": 12345},
            {"type": "service_window", "id": "w", "agency": "a", "hall": "x", "number": 3,
             "name": "Window", "staff": [{"name": "Li", "badge": 1024}]}]
    for item in data:
        assert not list(validator.iter_errors(item))
    hotline, window = (gd.loads(json.dumps(item)) for item in data)
    assert (hotline.number, window.number, window.staff[0].badge) == ("12345", "3", "1024")
    (tmp_path / "catalog.toml").write_text('[catalog]\nname = "T"\n', encoding="utf-8")
    (tmp_path / "agencies.toml").write_text(
        '[[agency]]\nid = "a"\nname = "A"\nlevel = "province"\n', encoding="utf-8")
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "h.toml").write_text(
        '[[hotline]]\nid = "h"\nagency = "a"\nnumber = 12345\n', encoding="utf-8")
    assert gd.load_catalog(tmp_path).get("hotline", "h").number == "12345"  # type: ignore[union-attr]
    for bad in (-1, 1.5, True):
        item = {**data[0], "number": bad}
        assert list(validator.iter_errors(item))
        with pytest.raises(gd.CatalogError, match="number"):
            gd.loads(json.dumps(item))


@pytest.mark.parametrize("amount", [
    "12.50", "0", "007", "0.12345678", "999999999999999999.99", "0000000000000000000001",
    5, 0, 10**18 - 1,
    "1e3", "+5", "-5", "-0", " 5", "NaN", "Infinity", "1_000", "١٢", ".5", "5.", "",
    "0.123456789", "1000000000000000000", -1, 10**18, True, None,
], ids=repr)
def test_the_schema_and_the_loader_agree_on_amounts(amount: object) -> None:
    """An amount is valid against the schema exactly when the loader accepts it."""
    item = {"type": "approval_item", "id": "i", "agency": "a", "title": "t",
            "fees": [{"name": "fee", "amount": {"amount": amount}}]}
    try:
        gd.loads(json.dumps(item))
    except gd.CatalogError:
        loaded = False
    else:
        loaded = True

    assert Draft202012Validator(_SCHEMA).is_valid(item) is loaded


# -- null: a field that may be left out may be written null, as JSON exporters do ---------------


def with_nulls(value: Any, data: dict[str, Any]) -> dict[str, Any]:
    """``data``, the JSON of attrs instance ``value``, with null for every field it leaves
    out that may be left out, in nested values too."""
    filled = dict(data)
    for attribute in attrs.fields(type(value)):
        name = attribute.name
        if name not in filled:
            if attribute.default is not attrs.NOTHING and name not in NULL_REFUSED:
                filled[name] = None
            continue
        item = getattr(value, name)
        if attrs.has(type(item)):
            filled[name] = with_nulls(item, filled[name])
        elif isinstance(item, tuple) and item and attrs.has(type(item[0])):
            filled[name] = [with_nulls(one, written)
                            for one, written in zip(item, filled[name], strict=True)]
    return filled


@given(strategies.any_record())
def test_null_for_a_field_that_may_be_left_out_is_the_field_left_out(record: gd.Record) -> None:
    """Every optional field written null (text, lists, choices, nested values' fields too)
    loads as the record without it, and the schema accepts it."""
    data = with_nulls(record, as_json(record))

    assert gd.loads(json.dumps(data), type(record)) == record
    assert [error.message for error in Draft202012Validator(_SCHEMA).iter_errors(data)] == []


@given(strategies.any_record(), st.data())
def test_null_for_a_required_field_is_refused_by_both(record: gd.Record,
                                                      data: st.DataObject) -> None:
    """A required field written null is an error naming the field, and invalid; so is
    null where the default would publish the record (classification, audience, status):
    an export's "not decided yet" is never read as public and approved."""
    refused = [a.name for a in attrs.fields(type(record))
               if a.default is attrs.NOTHING or a.name in NULL_REFUSED]
    name = data.draw(st.sampled_from(refused))
    item = {**as_json(record), name: None}

    with pytest.raises(gd.CatalogError) as caught:
        gd.loads(json.dumps(item), type(record))
    assert [(p.field, "nothing (null)" in p.message) for p in caught.value.problems] == [
        (name, True)]
    assert not Draft202012Validator(_SCHEMA).is_valid(item)


@pytest.mark.parametrize(("record", "field"), [
    ({"type": "approval_item", "id": "i", "agency": "a", "title": "t",
      "time_limit": {"statutory": None}}, "time_limit.statutory"),
    ({"type": "approval_item", "id": "i", "agency": "a", "title": "t",
      "fees": [{"name": "f", "amount": None}]}, "fees.0.amount"),
    ({"type": "disclosure", "id": "n", "agency": "a", "title": "t", "tags": ["x", None]},
     "tags.1"),
    ({"type": "evaluation", "id": "e", "agency": "a", "year": 2002,
      "components": {"openness": None}}, "components.openness"),
], ids=["nested required", "money's amount", "a list item", "a table value"])
def test_null_inside_a_value_is_no_field_left_out(record: dict[str, Any], field: str) -> None:
    """Null for a nested required field, a list item or a table value stays an error."""
    with pytest.raises(gd.CatalogError) as caught:
        gd.loads(json.dumps(record))

    assert [p.field for p in caught.value.problems] == [field]
    assert not Draft202012Validator(_SCHEMA).is_valid(record)


def test_a_news_release_needs_a_title_or_headline_that_is_not_null() -> None:
    """``title`` and ``headline`` both null is neither given: both refuse it."""
    release = {"type": "news_release", "id": "r", "agency": "a", "title": None,
               "headline": None}

    with pytest.raises(gd.CatalogError, match="headline"):
        gd.loads(json.dumps(release))
    assert not Draft202012Validator(_SCHEMA).is_valid(release)
    assert Draft202012Validator(_SCHEMA).is_valid({**release, "headline": "h"})


def test_a_catalogue_file_exported_with_nulls_loads(tmp_path: Path,
                                                    validator: Draft202012Validator) -> None:
    """A .jsonl export that writes null for every empty column loads in a catalogue."""
    rows = [
        {"type": "agency", "id": "a", "name": "A", "short_name": None, "level": "city",
         "parent": None, "sector": None, "contact": None, "head": None},
        {"type": "disclosure", "id": "n", "agency": "a", "title": "t", "summary": None,
         "body": None, "category": None, "issued_at": None, "tags": None, "channels": None,
         "attachments": [{"title": "a", "url": "https://x.example/a.pdf", "bytes": None,
                          "sha256": None, "media_type": None}]},
        {"type": "approval_item", "id": "i", "agency": "a", "title": "t",
         "handling_unit": None, "complaint": [{"unit": None, "phone": "12345", "email": None}],
         "fees": [{"name": "f", "amount": {"amount": "5", "currency": None}}]},
    ]
    (tmp_path / "catalog.toml").write_text('[catalog]\nname = "T"\n', encoding="utf-8")
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "export.jsonl").write_text(
        "".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")

    catalog = gd.load_catalog(tmp_path)

    for row in rows:
        assert list(validator.iter_errors(row)) == []
    item = catalog.get("approval_item", "i")
    assert isinstance(item, gd.ApprovalItem)
    assert item.handling_unit is None
    assert item.fees is not None
    assert item.fees[0].amount.currency == "CNY"
    notice = catalog.get("disclosure", "n")
    assert notice is not None
    assert (notice.category, notice.sector, notice.tags) == ("other", "government", ())


# -- rules of the validators the schema says too: both agree, both ways -------------------------


def loader_accepts(item: dict[str, Any]) -> bool:
    """Whether gd.loads reads ``item`` (a record's JSON)."""
    try:
        gd.loads(json.dumps(item))
    except gd.CatalogError:
        return False
    return True


def evaluation(**fields: Any) -> dict[str, Any]:
    """An evaluation of agency ``a`` in 2002, with ``fields``."""
    return {"type": "evaluation", "id": "e", "agency": "a", "year": 2002, **fields}


def spot(x: object, y: object = 1) -> dict[str, Any]:
    """A hall with one window's spot at ``x``, ``y``."""
    return {"type": "service_hall", "id": "h", "agency": "a", "name": "H",
            "floors": [{"label": "1F", "windows": [{"window": "w", "x": x, "y": y}]}]}


def attachment(**fields: Any) -> dict[str, Any]:
    """A disclosure with one attachment having ``fields``."""
    return {"type": "disclosure", "id": "n", "agency": "a", "title": "t",
            "attachments": [{"title": "a", "url": "https://x.example/a", **fields}]}


def contact(point: dict[str, Any]) -> dict[str, Any]:
    """An approval item whose complaint facet is ``point``."""
    return {"type": "approval_item", "id": "i", "agency": "a", "title": "t",
            "complaint": [point]}


@pytest.mark.parametrize("item", [
    *(evaluation(rank=rank) for rank in (-1, 0, 1, 2, 10**6)),
    *(evaluation(year=year) for year in (1, 1899, 1900, 2002, 2200, 2201, -2002)),
    *(spot(x) for x in (-0.5, 0, 0.0, 37.5, 100, 150.5, 10**6)),
    spot(1, -1), spot(1, 100.5),
    *(attachment(bytes=size) for size in (-1, 0, 1, 10**12)),
    *(attachment(sha256=digest) for digest in (
        "0" * 64, "a" * 64, "0" * 63, "0" * 65, "A" * 64, "g" * 64, "0" * 63 + "\n", "")),
    *(contact(point) for point in (
        {"phone": "12345"}, {"phone": ""}, {"phone": " "}, {"unit": ""}, {"unit": {"en": ""}},
        {"unit": "", "hours": "9-5"}, {"email": None}, {"address": None, "phone": "1"}, {})),
], ids=lambda item: json.dumps({k: v for k, v in item.items()
                                if k not in ("type", "id", "agency", "title", "name")}))
def test_the_schema_and_the_loader_agree_on_the_validators_rules(item: dict[str, Any]) -> None:
    """Ranks, years, guide-map spots, byte counts, digests and contact points: valid
    against the schema exactly when the loader reads them."""
    assert Draft202012Validator(_SCHEMA).is_valid(item) is loader_accepts(item)


def plan(path: str) -> dict[str, Any]:
    """A hall whose one floor's plan is ``path``."""
    return {"type": "service_hall", "id": "h", "agency": "a", "name": "H",
            "floors": [{"label": "1F", "plan": path}]}


@pytest.mark.parametrize("path", [
    "assets/hall-1f.svg", "./assets/1f.svg", ".//a.svg", "a//b.svg", "a/./b", "...", "a..b",
    "a/C:b", "中文/图.svg", "with space.svg", "https://x.example/p.svg", "HTTP://x/p",
    "x" * 1000, "x" * 1001, "https://x.example/" + "x" * 2000,
    "../../etc/passwd", "/etc/passwd", "a/../b", "a/..", "./../a", "..", ".", "./", "",
    "C:/plans/1f.svg", "./C:/x", "javascript:alert(1)", "data:image/svg+xml,x", "a\\b",
    "a.svg\n", "a\nb", "a\tb", "a\x7fb", "a\u00a0b", "a\u200bb", "a\u2028b", "a\ufeffb",
    "a\ue000b",
], ids=lambda path: repr(path) if len(path) < 40 else f"{path[:20]!r}... ({len(path)})")
def test_the_schema_and_the_loader_agree_on_file_paths(path: str) -> None:
    """A floor plan's path: valid against the schema exactly when the loader reads it."""
    assert Draft202012Validator(_SCHEMA).is_valid(plan(path)) is loader_accepts(plan(path))


#: Characters that decide a path's fate (all of the Basic Multilingual Plane and assigned:
#: the schema leaves others to the loader, as schema.py says).
_PATH_CHARACTERS = st.sampled_from(list("aHhTtPpSsſ.:/\\ 中\n\t\x00\x7f\u00a0\u200b\u2028\ue000"))


@given(st.text(_PATH_CHARACTERS, max_size=14))
def test_any_file_path_is_valid_exactly_when_it_loads(path: str) -> None:
    """Staff photos and floor plans: the schema's pattern is the loader's check."""
    window = {"type": "service_window", "id": "w", "agency": "a", "hall": "h", "number": "1",
              "name": "W", "staff": [{"name": "Li", "photo": path}]}
    for item in (plan(path), window):
        assert Draft202012Validator(_SCHEMA).is_valid(item) is loader_accepts(item)


@given(strategies.any_record())
def test_the_defaults_the_schema_states_are_the_models(record: gd.Record) -> None:
    """Every field the schema gives a ``default``, written with it, loads as left out."""
    data = as_json(record)
    properties = _SCHEMA["$defs"][record.TYPE]["properties"]
    for name, schema in properties.items():
        if "default" in schema and name not in data:
            data[name] = schema["default"]

    assert gd.loads(json.dumps(data), type(record)) == record


def test_money_states_its_default_currency() -> None:
    """``currency`` defaults to CNY in the schema, as in the model."""
    assert _SCHEMA["$defs"]["Money"]["properties"]["currency"]["default"] == "CNY"
    assert gd.Money(amount=Decimal(1)).currency == "CNY"
