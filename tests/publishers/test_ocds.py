"""The ocds publisher, checked by the OCDS 1.1.5 release-package schema and by reading
its JSON (the conformance suite runs on it from tests/publishing/test_conformance.py)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from referencing import Registry
from referencing.jsonschema import DRAFT4

import govdisclosure as gd
from govdisclosure.publishers.ocds import OcdsOptions, OcdsPublisher
from govdisclosure.publishing import available
from govdisclosure.publishing.selection import select
from govdisclosure.testing import PublisherConformance
from strategies import AS_OF, CST, META, catalog_metas, records

LAND = "alloc-land-nanguan-2002-07"
PROC = "alloc-proc-it-2002"
FUND = "alloc-fund-agri-2003"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "jilin-2002"
PACKAGE_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"


# -- helpers -------------------------------------------------------------------------------------

@functools.cache
def package_validator(schemas: Path) -> Any:
    """The release-package validator, loaded as ../shared/schemas/README.md says."""
    from jsonschema import Draft4Validator

    def load(name: str) -> Any:
        return json.loads((schemas / "ocds" / name).read_text(encoding="utf-8"))

    registry: Registry[Any] = Registry().with_resource(
        PACKAGE_URL, DRAFT4.create_resource(load("release-schema.json")))
    return Draft4Validator(load("release-package-schema.json"), registry=registry,
                           format_checker=Draft4Validator.FORMAT_CHECKER)


#: RFC 3339 date-time; jsonschema checks ``format`` only with packages this venv lacks.
_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)")
_DATES = {"date", "publishedDate", "startDate", "endDate", "datePublished"}
_URIS = {"uri", "url", "license"}


def format_problems(value: Any, path: str = "") -> Iterable[str]:
    """Values of the schema's ``date-time`` and ``uri`` fields that are not such."""
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}"
            if key in _DATES and not (isinstance(item, str) and _DATE_TIME.fullmatch(item)):
                yield f"{where}: {item!r} is not an RFC 3339 date-time"
            elif key in _URIS and isinstance(item, str):
                parts = urlsplit(item)
                if parts.scheme not in ("http", "https") or not parts.netloc:
                    yield f"{where}: {item!r} is not an absolute http(s) URI"
            else:
                yield from format_problems(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from format_problems(item, f"{path}.{index}")


def assert_valid(validator: Any, name: str, package: Any) -> None:
    """``package`` is a valid OCDS release package, formats included."""
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                for e in validator.iter_errors(package)]
    problems += list(format_problems(package))
    assert not problems, f"{name}: {problems[:5]}"


def output(root: Path) -> dict[str, bytes]:
    """Every file of the ocds folder below ``root`` by relative path."""
    base = (root / "ocds").resolve()
    return {p.relative_to(base).as_posix(): p.read_bytes()
            for p in sorted(base.rglob("*")) if p.is_file()}


def releases(files: dict[str, bytes], path: str) -> dict[str, dict[str, Any]]:
    """The releases of one package by id."""
    return {r["id"]: r for r in json.loads(files[path])["releases"]}


class MemoryWriter:
    """A real (if small) writer for the Job: files in a dict."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def write(self, path: str, data: bytes) -> None:
        self.files[path] = data

    def remove(self, path: str) -> None:
        self.files.pop(path, None)

    def exists(self, path: str) -> bool:
        return path in self.files

    def read(self, path: str) -> bytes | None:
        return self.files.get(path)


def run_job(found: Sequence[gd.Record], meta: gd.CatalogMeta = META,
            **options: Any) -> tuple[MemoryWriter, gd.Job]:
    """A full run of the publisher on a Job, in memory (fast enough for Hypothesis)."""
    selection = select(found, AS_OF, "public")
    writer = MemoryWriter()
    job = gd.Job(records=selection.records, tombstones=selection.tombstones, meta=meta,
                 options=OcdsOptions(**options), as_of=AS_OF, audience="public", full=True,
                 changed=frozenset(selection.hashes), removed=frozenset(), writer=writer)
    OcdsPublisher(OcdsOptions(**options)).publish(job)
    return writer, job


def allocation(ident: str, **fields: Any) -> gd.Allocation:
    """An allocation of agency ``a1``, bilingual title, with all three stages."""
    fields.setdefault("title", {"zh-CN": f"配置 {ident}", "en": f"Allocation {ident}"})
    fields.setdefault("before", gd.Stage(published_at=dt.datetime(2002, 3, 1, 9, tzinfo=CST),
                                         body="before"))
    fields.setdefault("during", gd.Stage(published_at=dt.datetime(2002, 3, 8, 9, tzinfo=CST),
                                         body="during"))
    fields.setdefault("after", gd.ResultStage(
        published_at=dt.datetime(2002, 4, 1, 9, tzinfo=CST), awardee="Winner Co",
        amount=gd.Money(amount="10.00"), decided_on=dt.date(2002, 3, 30)))
    return gd.Allocation(id=ident, agency="a1", kind="procurement", status="closed", **fields)


AGENCY = gd.Agency(id="a1", name={"zh-CN": "甲局", "en": "Bureau A"}, level="province")


@pytest.fixture(name="validator")
def fixture_validator(schemas: Path) -> Any:
    """The OCDS 1.1.5 release-package validator."""
    return package_validator(schemas)


@pytest.fixture(name="example", scope="module")
def fixture_example(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The bundled jilin-2002 catalogue published by ocds alone; its files by path."""
    out = tmp_path_factory.mktemp("example")
    report = gd.publish(gd.load_catalog(EXAMPLE), to=["ocds"], out=out, as_of=AS_OF)
    assert report.failed == 0, report.publishers[0].failures
    return output(out)


# -- the schema ----------------------------------------------------------------------------------

def test_every_package_of_the_example_validates(example: dict[str, bytes],
                                                validator: Any) -> None:
    """One package per allocation and the package of all, each valid OCDS 1.1.5."""
    assert sorted(example) == ["all.json", f"allocations/{FUND}.json",
                               f"allocations/{LAND}.json", f"allocations/{PROC}.json"]
    for name, data in example.items():
        assert_valid(validator, name, json.loads(data))


def agency_only(target: str, _: type) -> Any:
    """References of generated allocations: the agency a1, nothing else."""
    return st.just("a1") if target == "agency" else None


@settings(max_examples=30, deadline=None,  # the schemas fixture is a path
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(meta=catalog_metas(),
       public=st.lists(records(gd.Allocation, refs=agency_only, publishable=True),
                       min_size=1, max_size=3),
       others=st.lists(records(gd.Allocation, refs=agency_only), max_size=2))
def test_generated_allocations_give_valid_packages(schemas: Path, meta: gd.CatalogMeta,
                                                  public: list[gd.Allocation],
                                                  others: list[gd.Allocation]) -> None:
    """Any allocations (any stages, text, money, languages; withdrawn and hidden ones
    beside public ones) give valid packages, and the package of all holds every
    package's releases."""
    found = list({r.id: r for r in [*others, *public]}.values())  # a public one wins
    validator = package_validator(schemas)
    agency = attrs.evolve(AGENCY, name={meta.default_language: "<b>Bureau</b>\u202e"})
    writer, _ = run_job([agency, *found], meta)
    assert "all.json" in writer.files
    for name, data in writer.files.items():
        assert_valid(validator, name, json.loads(data))
    shown = [name for name in writer.files if name.startswith("allocations/")]
    everything = json.loads(writer.files["all.json"])["releases"]
    assert sorted(r["id"] for r in everything) == sorted(
        r["id"] for name in shown for r in json.loads(writer.files[name])["releases"])


def test_a_currency_outside_the_codelist_leaves_only_the_value_out(validator: Any) -> None:
    """OCDS's currency codelist is closed: an award in another code keeps the rest and
    says so in the report."""
    odd = allocation("odd", after=gd.ResultStage(awardee="W", amount=gd.Money(
        amount="5", currency="ZZZ")))
    writer, job = run_job([AGENCY, odd])
    package = json.loads(writer.files["allocations/odd.json"])
    assert_valid(validator, "odd", package)
    award = package["releases"][-1]["awards"][0]
    assert "value" not in award
    assert award["suppliers"] == [{"id": "awardee", "name": "W"}]
    assert any("'ZZZ'" in warning for warning in job.warnings)


# -- the stage mapping, read from the JSON ---------------------------------------------------------

def test_each_stage_becomes_its_release(example: dict[str, bytes]) -> None:
    """before -> planning, during -> tender, after -> award, each with a stable id, the
    stage's date, the agency as buyer, and the catalogue's values (allocations.toml)."""
    land = releases(example, f"allocations/{LAND}.json")
    ocid = f"ocds-000000-{LAND}"
    assert list(land) == [f"{ocid}-before", f"{ocid}-during", f"{ocid}-after"]
    before, during, after = land.values()
    assert [r["tag"] for r in land.values()] == [["planning"], ["tender"], ["award"]]
    assert {r["ocid"] for r in land.values()} == {ocid}
    assert [r["date"] for r in land.values()] == [
        "2002-08-05T09:00:00+08:00", "2002-08-19T09:00:00+08:00", "2002-09-10T09:00:00+08:00"]
    for release in land.values():
        assert release["initiationType"] == "tender"
        assert release["language"] == "zh-CN"
        assert release["buyer"] == {"id": "agency:jilin-land", "name": "吉林省国土资源厅"}
    assert before["tender"]["title"].startswith("长春市南关区2002-07号地块")
    assert before["tender"]["title_en"].startswith("Listing of the use right")
    assert before["tender"]["description"].startswith("**出让宗地**")
    assert before["tender"]["status"] == "planned"
    assert before["planning"]["documents"][0]["url"].endswith("land-nanguan-2002-07-map.pdf")
    assert during["tender"]["awardCriteriaDetails"].startswith("**挂牌规则**")
    assert during["tender"]["status"] == "complete"  # status = "closed"
    assert during["tender"]["tenderPeriod"]["endDate"] == "2002-09-02T16:00:00+08:00"
    award = after["awards"][0]
    assert award["suppliers"] == [{"id": "awardee", "name": "长春华信房地产开发有限公司"}]
    assert award["date"] == "2002-09-03T00:00:00+08:00"
    assert award["description_en"].startswith("Three bidders took part")
    assert award["value"] == {"amount": 38600000, "currency": "CNY"}
    parties = {p["id"]: p["roles"] for p in after["parties"]}
    assert parties == {"agency:jilin-land": ["buyer", "procuringEntity"],
                       "awardee": ["supplier"]}


def test_an_allocation_without_a_result_has_no_award(example: dict[str, bytes]) -> None:
    """alloc-proc-it-2002 is closed with no ``after`` stage: planning and tender only."""
    proc = releases(example, f"allocations/{PROC}.json")
    assert [r["tag"] for r in proc.values()] == [["planning"], ["tender"]]
    assert not any("awards" in r for r in proc.values())
    fund = releases(example, f"allocations/{FUND}.json")  # open: the tender is active
    assert list(fund.values())[-1]["tender"]["status"] == "active"


def test_the_package_of_all_lists_every_release_once(example: dict[str, bytes]) -> None:
    """all.json: the releases of every allocation package, by ocid, stages in order."""
    everything = json.loads(example["all.json"])
    ids = [r["id"] for r in everything["releases"]]
    assert ids == [*releases(example, f"allocations/{FUND}.json"),
                   *releases(example, f"allocations/{LAND}.json"),
                   *releases(example, f"allocations/{PROC}.json")]
    assert everything["uri"] == "https://gk.example.gov.cn/ocds/all.json"
    assert everything["version"] == "1.1"
    assert everything["publisher"]["name"] == "吉林省人民政府办公厅"


def test_money_is_written_digit_for_digit() -> None:
    """An amount beyond a float's precision reaches the file exactly, as a JSON number."""
    big = allocation("big", after=gd.ResultStage(awardee="W", amount=gd.Money(
        amount="987654321098765432.12345678")))
    writer, _ = run_job([AGENCY, big])
    data = writer.files["allocations/big.json"]
    assert b'"amount": 987654321098765432.12345678,' in data
    award = json.loads(data, parse_float=Decimal)["releases"][-1]["awards"][0]
    assert award["value"]["amount"] == Decimal("987654321098765432.12345678")


def test_language_variants_follow_the_translation_convention() -> None:
    """The plain field is in the default language (the release's ``language``); each other
    catalogue language the text is given in is a ``field_<lang>`` key, and no other."""
    meta = attrs.evolve(META, default_language="en", languages=("en", "zh-CN"))
    record = allocation("l10n", title={"zh-CN": "中文", "en": "English", "fr": "Français"},
                        summary="only one language", before=None, during=None, after=None)
    writer, _ = run_job([AGENCY, record], meta)
    (release,) = json.loads(writer.files["allocations/l10n.json"])["releases"]
    assert release["language"] == "en"
    tender = release["tender"]
    assert (tender["title"], tender["title_zh-CN"]) == ("English", "中文")
    assert "title_fr" not in tender
    assert "title_en" not in tender
    assert tender["description"] == "only one language"
    assert [key for key in tender if key.startswith("description_")] == []


# -- withdrawal, privacy, incremental runs ---------------------------------------------------

def test_a_withdrawn_allocation_keeps_its_package_with_one_cancellation(
        tmp_path: Path, validator: Any) -> None:
    """Its package keeps its URI and holds only a tenderCancellation release (tender
    status withdrawn, the reason), dated after its stages; the stage text is gone."""
    records = [AGENCY, allocation("w1", summary="secret-ish summary")]
    gd.publish(gd.Catalog(records, META), to=["ocds"], out=tmp_path, as_of=AS_OF)
    gone = attrs.evolve(records[1], status="withdrawn", withdrawn=gd.Withdrawal(
        on=dt.date(2002, 6, 1), reason={"zh-CN": "重复发布", "en": "Published twice"}))
    report = gd.publish(gd.Catalog([AGENCY, gone], META), to=["ocds"], out=tmp_path,
                        as_of=AS_OF)
    assert report.publishers[0].withdrawn == 1
    files = output(tmp_path)
    for name in ("allocations/w1.json", "all.json"):
        assert_valid(validator, name, json.loads(files[name]))
        (release,) = json.loads(files[name])["releases"]
        assert release["id"] == "ocds-000000-w1-withdrawn"
        assert release["tag"] == ["tenderCancellation"]
        assert release["date"] == "2002-06-01T00:00:00+08:00"
        assert release["tender"]["status"] == "withdrawn"
        assert "重复发布" in release["tender"]["description"]
        assert "Published twice" in release["tender"]["description_en"]
        assert b"secret-ish" not in files[name]
        assert b"during" not in files[name]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hidden=records(gd.Allocation, refs=agency_only, publishable=False,
                      ident="hidden-allocation"))
def test_an_allocation_that_is_not_public_never_appears(hidden: gd.Allocation) -> None:
    """A draft, secret, restricted, internal or embargoed allocation leaves no trace (a
    withdrawn one only its tombstone); a public one beside it is published."""
    hidden = attrs.evolve(hidden, title="hiddenmarker", summary=None, body=None)
    writer, _ = run_job([AGENCY, allocation("shown"), hidden])
    text = b"".join(writer.files.values())
    assert b"ocds-000000-shown-before" in text
    if gd.is_publishable(hidden, AS_OF, "public"):  # withdrawn, and public otherwise
        assert hidden.status == "withdrawn"
        assert b"ocds-000000-hidden-allocation-withdrawn" in text
        assert b"hidden-allocation-before" not in text
    else:
        assert b"hiddenmarker" not in text
        assert b"hidden-allocation" not in text


def test_one_changed_allocation_rewrites_its_package_and_the_package_of_all(
        tmp_path: Path) -> None:
    """An unchanged re-run writes nothing; a changed allocation rewrites exactly its own
    package and all.json; a removed one takes its package away."""
    records = [AGENCY, allocation("x1"), allocation("x2"), allocation("x3")]
    gd.publish(gd.Catalog(records, META), to=["ocds"], out=tmp_path, as_of=AS_OF)
    first = output(tmp_path)
    again = gd.publish(gd.Catalog(records, META), to=["ocds"], out=tmp_path, as_of=AS_OF)
    assert again.publishers[0].files_written == 0
    records[2] = attrs.evolve(records[2], title="renamed")
    changed = gd.publish(gd.Catalog(records, META), to=["ocds"], out=tmp_path, as_of=AS_OF)
    second = output(tmp_path)
    assert changed.publishers[0].files_written == 2
    assert sorted(p for p in first if first[p] != second[p]) == ["all.json",
                                                                "allocations/x2.json"]
    removed = gd.publish(gd.Catalog(records[:3], META), to=["ocds"], out=tmp_path,
                         as_of=AS_OF)
    assert removed.publishers[0].files_removed == 1
    assert "allocations/x3.json" not in output(tmp_path)
    assert b"x3" not in output(tmp_path)["all.json"]


def test_an_edit_without_a_date_moves_the_published_date(tmp_path: Path) -> None:
    """OCDS: publishedDate "should reflect the date of the last change to the underlying
    contents of the package". A new text of the rules, dated by nothing in the record,
    moves it to the run that published the edit; an unchanged re-run leaves it."""
    records = [AGENCY, allocation("x1")]
    gd.publish(gd.Catalog(records, META), to=["ocds"], out=tmp_path, as_of=AS_OF)
    before = json.loads(output(tmp_path)["allocations/x1.json"])["publishedDate"]
    later = AS_OF + dt.timedelta(days=3)
    records[1] = attrs.evolve(records[1], during=attrs.evolve(records[1].during,
                                                              body="new rules"))
    gd.publish(gd.Catalog(records, META), to=["ocds"], out=tmp_path, as_of=later)
    package = json.loads(output(tmp_path)["allocations/x1.json"])
    assert dt.datetime.fromisoformat(before) < dt.datetime.fromisoformat(
        package["publishedDate"]) == later
    assert json.loads(output(tmp_path)["all.json"])["publishedDate"] == package["publishedDate"]
    gd.publish(gd.Catalog(records, META), to=["ocds"], out=tmp_path,
               as_of=later + dt.timedelta(days=1))
    assert json.loads(output(tmp_path)["allocations/x1.json"]) == package


def test_an_id_with_path_tricks_cannot_leave_the_folder(tmp_path: Path) -> None:
    """The model refuses such ids; one forced past it is refused by the output writer,
    and nothing is written outside the output folder."""
    with pytest.raises(gd.InvalidValue):
        allocation("../escape")
    forced = allocation("x")
    object.__setattr__(forced, "id", "../../escape")
    with pytest.raises(gd.PublishError):
        gd.publish(gd.Catalog([AGENCY, forced], META, check=False), to=["ocds"],
                   out=tmp_path / "out", as_of=AS_OF)
    assert not list(tmp_path.rglob("escape*"))


# -- options and registration ----------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["OCDS-ABCDEF", "ocds-12345", "ocds-1234567", "213czf",
                                    "ocds-21/czf", " ocds-213czf"])
def test_a_bad_ocid_prefix_is_a_config_error(tmp_path: Path, prefix: str) -> None:
    """A prefix not shaped like a registered one is refused before anything is written."""
    with pytest.raises(gd.ConfigError, match=r"\[publish\.ocds\] ocid_prefix"):
        gd.publish(gd.Catalog([AGENCY, allocation("a")], META), to=["ocds"], out=tmp_path,
                   as_of=AS_OF, options={"ocds": {"ocid_prefix": prefix}})
    assert not (tmp_path / "ocds").exists()


def test_a_registered_prefix_makes_the_ocids_and_silences_the_warning(tmp_path: Path) -> None:
    """``ocid_prefix`` starts every ocid; the placeholder's warning goes away."""
    catalog = gd.Catalog([AGENCY, allocation("a")], META)
    placeholder = gd.publish(catalog, to=["ocds"], out=tmp_path / "p", as_of=AS_OF)
    assert any("ocid_prefix" in w for w in placeholder.publishers[0].warnings)
    report = gd.publish(catalog, to=["ocds"], out=tmp_path / "r", as_of=AS_OF,
                        options={"ocds": {"ocid_prefix": "ocds-213czf"}})
    assert not report.publishers[0].warnings
    package = json.loads(output(tmp_path / "r")["allocations/a.json"])
    assert {r["ocid"] for r in package["releases"]} == {"ocds-213czf-a"}


def test_the_conformance_suite_runs_on_allocations() -> None:
    """ocds is registered, so tests/publishing/test_conformance.py runs the suite on it,
    and the suite's records are allocations (ocds shows nothing else)."""
    assert available().get("ocds") == "builtin"
    suite = type("Suite", (PublisherConformance,), {"publisher": "ocds"})()
    assert suite.subjects == ("allocation",)
    assert {r.TYPE for r in suite.base_records()} == {"allocation"}


def test_the_options_of_the_docs_are_accepted() -> None:
    """docs/ocds.md's ``[publish.ocds]`` example structures into the options."""
    import tomllib

    from govdisclosure.publishing.config import structure_options

    page = (EXAMPLE.parents[1] / "docs" / "ocds.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", page, re.DOTALL)
    assert block is not None
    table = tomllib.loads(block.group(1))["publish"]["ocds"]
    assert structure_options("ocds", OcdsOptions, table) == OcdsOptions(**table)
