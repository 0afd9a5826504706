"""Catalogues written to the letter of MODEL.md load; what breaks its letter is refused.

Each refusal is exact (file, line, type, record id, field path, message) through the API,
and ``govdisclosure validate`` prints it and leaves with exit code 2.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from tests.catalog.test_malformed import AGENCIES, NOTICE, PERMIT, P, record, write_case

import govdisclosure as gd
from govdisclosure.catalog.loader import _no_duplicate_keys
from govdisclosure.catalog.schema import record_schema
from govdisclosure.cli import cli

HALL = '[[service_hall]]\nid = "hall"\nagency = "office"\nname = "Hall"\n'
WINDOW = ('[[service_window]]\nid = "w1"\nagency = "office"\nhall = "hall"\nnumber = "1"\n'
          'name = "W"\n')
RELEASE = '[[news_release]]\nid = "nr"\nagency = "office"\n'
EVALUATION = '[[evaluation]]\nid = "e"\nagency = "office"\nyear = 2002\n'
DUPLICATE_KEY = "key given twice (only one of the values could be kept: remove the other)"
BAD_ID = "is not a valid id (^[a-z0-9][a-z0-9._-]{0,79}$)"


def problems(root: Path) -> list[P]:
    """The problems load_catalog raises for ``root`` (none: the catalogue loaded)."""
    try:
        gd.load_catalog(root)
    except gd.CatalogError as error:
        return [P(p.file, p.line, p.type, p.record, p.field, p.message)
                for p in error.problems]
    return []


def assert_refused(root: Path, expected: list[P]) -> None:
    """The API raises exactly ``expected``; validate prints each and exits 2."""
    assert problems(root) == expected
    result = CliRunner().invoke(cli, ["validate", str(root)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    printed = result.stderr.splitlines()[1:]
    assert printed == [str(gd.Problem(**p._asdict())) for p in expected]


# -- 1, 2: references: ``type:id`` where the field implies the type ------------------------------

TYPED = {
    "agencies.toml": AGENCIES + '\n[[agency]]\nid = "city"\nname = "City"\nlevel = "city"\n'
                                'parent = "agency:office"\n',
    "records/a.toml": (
        '[[disclosure]]\nid = "old"\nagency = "agency:office"\ntitle = "Old"\n'
        '\n[[disclosure]]\nid = "new"\nagency = "office"\ntitle = "New"\n'
        'supersedes = "disclosure:old"\n\n'
        + PERMIT + 'windows = ["service_window:w1"]\n\n'
        + HALL + 'floors = [{ label = "1F", windows = [{ window = "service_window:w1" }] }]\n\n'
        + WINDOW.replace('hall = "hall"', 'hall = "service_hall:hall"')
        + 'services = ["approval_item:permit"]\n'
          'commitments = [{ text = "fast", item = "approval_item:permit" }]\n\n'
        '[[hotline]]\nid = "line"\nagency = "office"\nnumber = "12345"\n\n'
        '[[press_conference]]\nid = "pc"\nagency = "office"\ntitle = "PC"\n'
        'scheduled_at = 2002-03-01T09:00:00\nreleases = ["news_release:nr"]\n'
        'speakers = [{ name = "Wang", agency = "agency:city" }]\n\n'
        + RELEASE + 'headline = "H"\nconference = "press_conference:pc"\n\n'
        '[[accountability_record]]\nid = "acc"\nagency = "office"\n'
        'subject_unit = "agency:city"\n\n'
        '[[complaint]]\nid = "cp"\nagency = "office"\nreceived_at = 2002-03-01T09:00:00\n'
        'about = "agency:city"\naccountability = "accountability_record:acc"\n\n'
        '[[work_plan]]\nid = "plan"\nagency = "office"\ntitle = "Plan"\nyear = 2002\n'
        'tasks = [{ id = "t1", text = "x", owner = "agency:city" }]\n'
    ),
    "records/b.jsonl": record("case", id="c1", agency="agency:office", item="approval_item:permit",
                              received_at="2002-03-01T09:00:00") + "\n"
                       + record("hotline_call", id="call", agency="office",
                                hotline="hotline:line", received_at="2002-03-01T09:00:00"),
}


@pytest.fixture(name="typed", scope="module")
def fixture_typed(tmp_path_factory: pytest.TempPathFactory) -> gd.Catalog:
    """A catalogue writing every implied-type reference as ``type:id``."""
    return gd.load_catalog(write_case(tmp_path_factory.mktemp("typed"), TYPED))


@pytest.mark.parametrize(
    ("kind", "ident", "path", "bare"),
    [
        ("agency", "city", ("parent",), "office"),
        ("disclosure", "old", ("agency",), "office"),
        ("disclosure", "new", ("supersedes",), "old"),
        ("approval_item", "permit", ("windows", 0), "w1"),
        ("service_hall", "hall", ("floors", 0, "windows", 0, "window"), "w1"),
        ("service_window", "w1", ("hall",), "hall"),
        ("service_window", "w1", ("services", 0), "permit"),
        ("service_window", "w1", ("commitments", 0, "item"), "permit"),
        ("press_conference", "pc", ("releases", 0), "nr"),
        ("press_conference", "pc", ("speakers", 0, "agency"), "city"),
        ("news_release", "nr", ("conference",), "pc"),
        ("accountability_record", "acc", ("subject_unit",), "city"),
        ("complaint", "cp", ("about",), "city"),
        ("complaint", "cp", ("accountability",), "acc"),
        ("work_plan", "plan", ("tasks", 0, "owner"), "city"),
        ("case", "c1", ("agency",), "office"),
        ("case", "c1", ("item",), "permit"),
        ("hotline_call", "call", ("hotline",), "line"),
    ],
    ids=lambda value: ".".join(map(str, value)) if isinstance(value, tuple) else None,
)
def test_an_implied_type_reference_may_be_written_type_id_and_is_stored_bare(
    typed: gd.Catalog, kind: str, ident: str, path: tuple[str | int, ...], bare: str
) -> None:
    """MODEL.md: a record is referred to as type:id, or just id: both load, as the bare id."""
    value: Any = typed.get(kind, ident)
    for step in path:
        value = value[step] if isinstance(step, int) else getattr(value, step)
    assert value == bare


def test_a_typed_reference_round_trips_through_dumps_as_the_bare_id(typed: gd.Catalog) -> None:
    """dumps writes the bare id; loads gives the same record back."""
    release = typed.get("news_release", "nr")
    assert release is not None
    assert json.loads(gd.dumps(release))["conference"] == "pc"
    assert gd.loads(gd.dumps(release)) == release


def test_the_python_api_normalises_typed_references_too() -> None:
    """Records built in code store the bare id of an implied-type reference."""
    notice = gd.Disclosure(id="n", agency="agency:office", title="t",
                           supersedes="disclosure:old", related=["case:c1"])

    assert (notice.agency, notice.supersedes, notice.related) == ("office", "old", ("case:c1",))


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"records/a.toml": NOTICE.replace('"office"', '"case:office"')},
         [P("records/a.toml", None, "disclosure", "notice", "agency",
            "'case:office' must refer to an agency")]),
        ({"records/a.toml": NOTICE.replace('"office"', '"agnecy:office"')},
         [P("records/a.toml", None, "disclosure", "notice", "agency",
            "'agnecy:office' must refer to an agency")]),
        ({"records/a.toml": NOTICE + 'supersedes = "case:notice"\n'},
         [P("records/a.toml", None, "disclosure", "notice", "supersedes",
            "'case:notice' must refer to a disclosure")]),
        ({"records/a.toml": PERMIT + 'windows = ["w1", "agency:office"]\n'},
         [P("records/a.toml", None, "approval_item", "permit", "windows.1",
            "'agency:office' must refer to a service_window")]),
        ({"records/a.toml": HALL + 'floors = [{ label = "1F", windows = '
                                   '[{ window = "service_hall:hall" }] }]\n'},
         [P("records/a.toml", None, "service_hall", "hall", "floors.0.windows.0.window",
            "'service_hall:hall' must refer to a service_window")]),
        ({"records/a.jsonl": record("case", id="c1", agency="office", item="disclosure:x",
                                    received_at="2002-03-01T09:00:00")},
         [P("records/a.jsonl", 1, "case", "c1", "item",
            "'disclosure:x' must refer to an approval_item")]),
    ],
    ids=["agency", "typo-in-type", "supersedes", "windows", "floor-window", "case-item"],
)
def test_a_reference_with_the_wrong_type_prefix_is_refused_naming_the_field(
    tmp_path: Path, files: dict[str, str], expected: list[P]
) -> None:
    """A type:id whose type is not the one the field implies is an error at that field."""
    assert_refused(write_case(tmp_path, files), expected)


def test_a_parent_cycle_written_with_typed_references_is_found(tmp_path: Path) -> None:
    """parent = "agency:a2" / "agency:a1" is a cycle like parent = "a2" / "a1"."""
    agencies = AGENCIES + "".join(
        f'\n[[agency]]\nid = "{me}"\nname = "{me}"\nlevel = "city"\nparent = "agency:{other}"\n'
        for me, other in (("a1", "a2"), ("a2", "a1"))
    )
    assert_refused(write_case(tmp_path, {"agencies.toml": agencies}), [
        P("agencies.toml", None, "agency", "a1", "parent", "parent chain is circular"),
        P("agencies.toml", None, "agency", "a2", "parent", "parent chain is circular"),
    ])


def test_a_supersedes_cycle_written_with_typed_references_is_found(tmp_path: Path) -> None:
    """supersedes = "disclosure:d2" / "disclosure:d1" is circular."""
    text = "".join(
        f'[[disclosure]]\nid = "{me}"\nagency = "office"\ntitle = "t"\n'
        f'supersedes = "disclosure:{other}"\n\n' for me, other in (("d1", "d2"), ("d2", "d1"))
    )
    assert_refused(write_case(tmp_path, {"records/a.toml": text}), [
        P("records/a.toml", None, "disclosure", "d1", "supersedes",
          "supersedes chain is circular"),
        P("records/a.toml", None, "disclosure", "d2", "supersedes",
          "supersedes chain is circular"),
    ])


def test_the_schema_takes_type_id_only_with_the_implied_type() -> None:
    """The JSON Schema accepts agency = "agency:x" and refuses "case:x", as the loader does."""
    validator = Draft202012Validator(record_schema("disclosure"))
    data = {"type": "disclosure", "id": "n", "title": "t"}

    assert validator.is_valid({**data, "agency": "agency:office"})
    assert validator.is_valid({**data, "agency": "office", "supersedes": "disclosure:old"})
    assert not validator.is_valid({**data, "agency": "case:office"})
    assert not validator.is_valid({**data, "agency": "office", "supersedes": "case:old"})


# -- 3: one record per agencies file, one [type] table ---------------------------------------------


def test_an_agencies_file_may_hold_one_agency_with_a_type_key(tmp_path: Path) -> None:
    """agencies/one.toml with type = "agency" at the top is one agency."""
    root = write_case(tmp_path, {"agencies/one.toml": 'type = "agency"\nid = "solo"\n'
                                                      'name = "Solo"\nlevel = "city"\n'})

    assert gd.load_catalog(root).agency("solo") is not None


def test_an_agencies_file_may_hold_one_agency_table(tmp_path: Path) -> None:
    """agencies/one.toml with a single [agency] table is one agency."""
    root = write_case(tmp_path, {"agencies/one.toml": '[agency]\nid = "solo"\nname = "Solo"\n'
                                                      'level = "city"\n'})

    assert gd.load_catalog(root).agency("solo") is not None


def test_a_record_file_may_hold_one_type_table(tmp_path: Path) -> None:
    """records/a.toml with a single [disclosure] table (not [[disclosure]]) is one record."""
    root = write_case(tmp_path, {"records/a.toml": NOTICE.replace("[[disclosure]]",
                                                                  "[disclosure]")})

    assert gd.load_catalog(root).get("disclosure", "notice") is not None


def test_another_type_in_an_agencies_file_is_refused(tmp_path: Path) -> None:
    """Only agencies belong in agencies files; a disclosure there is named as misplaced."""
    root = write_case(tmp_path, {"agencies/one.toml": 'type = "disclosure"\nid = "n"\n'
                                                      'agency = "office"\ntitle = "t"\n'})
    assert_refused(root, [P("agencies/one.toml", None, "disclosure", "n", "type",
                            "type 'disclosure' in an agencies file: only agencies belong here "
                            "(other records go below records/)")])


# -- 4: a news release may use headline or title --------------------------------------------------


def test_a_news_release_may_have_a_title_and_no_headline(tmp_path: Path) -> None:
    """MODEL.md: title is common; a news_release *may* use headline instead."""
    root = write_case(tmp_path, {"records/a.toml": RELEASE + 'title = "Title"\n'})

    release = gd.load_catalog(root).get("news_release", "nr")

    assert release is not None
    assert (release.headline, release.label) == (None, "Title")


def test_a_news_release_with_neither_headline_nor_title_is_refused(tmp_path: Path) -> None:
    """One of headline and title is required."""
    assert_refused(write_case(tmp_path, {"records/a.toml": RELEASE}), [
        P("records/a.toml", None, "news_release", "nr", "headline",
          "required (or a title): a news release needs one")])


def test_the_schema_needs_a_headline_or_a_title() -> None:
    """The schema of news_release accepts either and refuses neither."""
    validator = Draft202012Validator(record_schema("news_release"))
    data = {"type": "news_release", "id": "nr", "agency": "office"}

    assert validator.is_valid({**data, "title": "t"})
    assert validator.is_valid({**data, "headline": "h"})
    assert not validator.is_valid(data)


# -- 5: RFC 3339 datetimes ------------------------------------------------------------------------


@pytest.mark.parametrize("moment", ["2002-08-01t10:00:00z", "2002-08-01T10:00:00z",
                                    "2002-08-01t10:00:00.000z"])
def test_lower_case_t_and_z_are_rfc_3339(tmp_path: Path, moment: str) -> None:
    """RFC 3339 5.6 allows 't' and 'z' in lower case."""
    root = write_case(tmp_path, {"records/a.jsonl": record(
        "disclosure", id="n", agency="office", title="t", issued_at=moment)})

    notice = gd.load_catalog(root).get("disclosure", "n")

    assert notice is not None
    assert notice.issued_at == dt.datetime(2002, 8, 1, 10, tzinfo=dt.UTC)


def test_a_leap_second_is_refused_with_a_message_saying_so(tmp_path: Path) -> None:
    """:60 cannot be held by a datetime: the message says why and what to write."""
    root = write_case(tmp_path, {"records/a.toml": NOTICE
                                 + 'issued_at = "2002-12-31T23:59:60Z"\n'})
    assert_refused(root, [P("records/a.toml", None, "disclosure", "notice", "issued_at",
                            "'2002-12-31T23:59:60Z' is a leap second (:60), which cannot be "
                            "stored: write :59 (or the next minute's :00)")])


# -- 6: evaluation scores and rank ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ("components = { content = 150 }\n", "components.content", "must be between 0 and 100"),
        ("components = { form = -5 }\n", "components.form", "must be between 0 and 100"),
        ("rank = 0\n", "rank", "must be 1 or more (1 is the best)"),
    ],
    ids=["component-over-100", "component-negative", "rank-0"],
)
def test_evaluation_scores_are_0_to_100_and_ranks_start_at_1(
    tmp_path: Path, extra: str, field: str, message: str
) -> None:
    """MODEL.md: score (0-100), components { name: score }; a rank counts from 1."""
    root = write_case(tmp_path, {"records/a.toml": EVALUATION + extra})
    assert_refused(root, [P("records/a.toml", None, "evaluation", "e", field, message)])


# -- 7: press contacts ---------------------------------------------------------------------------


def test_a_press_contact_may_be_only_a_name(tmp_path: Path) -> None:
    """contacts [contact point + name]: the name counts as the one field given."""
    root = write_case(tmp_path, {"records/a.toml": RELEASE + 'headline = "H"\n'
                                                   'contacts = [{ name = "王" }]\n'})

    release = gd.load_catalog(root).get("news_release", "nr")

    assert isinstance(release, gd.NewsRelease)
    assert release.contacts[0].name == "王"


def test_a_press_contact_with_nothing_is_refused(tmp_path: Path) -> None:
    """An empty press contact is still refused."""
    root = write_case(tmp_path, {"records/a.toml": RELEASE + 'headline = "H"\ncontacts = [{}]\n'})
    assert_refused(root, [P("records/a.toml", None, "news_release", "nr", "contacts.0",
                            "a press contact needs at least one of name, unit, phone, email, "
                            "address, hours")])


# -- 8: no '..' in ids ---------------------------------------------------------------------------


def test_dot_dot_inside_an_id_is_refused(tmp_path: Path) -> None:
    """MODEL.md: ids have no '..', anywhere, and references neither."""
    root = write_case(tmp_path, {"records/a.json": json.dumps([
        {"type": "disclosure", "id": "a..b", "agency": "office", "title": "t"},
        {"type": "disclosure", "id": "c", "agency": "off..ice", "title": "t"},
    ])})
    assert_refused(root, [
        P("records/a.json", None, "disclosure", "a..b", "id",
          "'a..b' is not a valid id: '..' is not allowed in ids"),
        P("records/a.json", None, "disclosure", "c", "agency",
          "'off..ice' is not a valid id: '..' is not allowed in ids"),
    ])


def test_the_schema_refuses_dot_dot_in_an_id() -> None:
    """The schema's id pattern refuses '..' too."""
    validator = Draft202012Validator(record_schema("disclosure"))

    assert not validator.is_valid({"type": "disclosure", "id": "a..b", "agency": "o",
                                   "title": "t"})
    assert validator.is_valid({"type": "disclosure", "id": "a.b", "agency": "o", "title": "t"})


# -- 9: guide map coordinates -------------------------------------------------------------------


@pytest.mark.parametrize(("spot", "field", "value"), [
    ("x = nan", "x", "nan"), ("y = inf", "y", "inf"), ("x = -inf", "x", "-inf")])
def test_a_window_spot_must_have_finite_coordinates(
    tmp_path: Path, spot: str, field: str, value: str
) -> None:
    """nan and inf are no place on a floor plan."""
    root = write_case(tmp_path, {"records/a.toml": HALL + 'floors = [{ label = "1F", windows = '
                                 f'[{{ window = "w1", {spot} }}] }}]\n\n' + WINDOW})
    assert_refused(root, [P("records/a.toml", None, "service_hall", "hall",
                            f"floors.0.windows.0.{field}",
                            f"must be a finite number, not {value}")])


# -- 10: duplicate keys in JSON -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "text", "expected"),
    [
        ("records/a.json",
         '{"type":"disclosure","id":"x","agency":"office","title":"a","title":"b"}',
         [P("records/a.json", None, "disclosure", "x", "title", DUPLICATE_KEY)]),
        ("records/a.json",
         '[{"type":"disclosure","id":"x","agency":"office","title":"a"},\n'
         ' {"type":"disclosure","id":"y","agency":"office","title" : "a", "title":"b"}]',
         [P("records/a.json", None, "disclosure", "y", "title", DUPLICATE_KEY)]),
        ("records/a.jsonl",
         record("disclosure", id="x", agency="office", title="t") + "\n"
         '{"type":"approval_item","id":"p","agency":"office","title":"t",'
         '"time_limit":{"statutory":20,"statutory":5}}\n',
         [P("records/a.jsonl", 2, "approval_item", "p", "time_limit.statutory",
            DUPLICATE_KEY)]),
        ("records/a.jsonl",
         '{"type":"disclosure","id":"x","agency":"office","title":"say \\"a\\"",'
         '"summary":"s","summary":"\\\\"}\n',
         [P("records/a.jsonl", 1, "disclosure", "x", "summary", DUPLICATE_KEY)]),
    ],
    ids=["json-object", "json-list-spaced", "jsonl-nested", "jsonl-escapes"],
)
def test_a_json_key_given_twice_is_refused_naming_the_field(
    tmp_path: Path, file: str, text: str, expected: list[P]
) -> None:
    """A typo must never silently drop data: JSON keys given twice are problems."""
    assert_refused(write_case(tmp_path, {file: text}), expected)


def test_escaped_quotes_and_backslashes_without_duplicates_load(tmp_path: Path) -> None:
    """Text with \\" and \\\\ (which the fast check cannot account for) loads all the same."""
    title = 'a "quoted" \\ title ": with a colon'
    root = write_case(tmp_path, {
        "records/a.jsonl": record("disclosure", id="x", agency="office", title=title),
        "records/b.json": json.dumps({"type": "disclosure", "id": "y", "agency": "office",
                                      "title": {"en": title}}, indent=2),
    })

    catalog = gd.load_catalog(root)

    assert [gd.localize(r.title, "en", "en") for r in catalog.of_type(gd.Disclosure)] == [
        title, title]


def test_loads_refuses_a_key_given_twice() -> None:
    """gd.loads names the repeated key as the loader does."""
    with pytest.raises(gd.CatalogError) as caught:
        gd.loads('{"type":"disclosure","id":"x","agency":"o","title":"a","title":"b"}')

    assert [(p.record, p.field, p.message) for p in caught.value.problems] == [
        ("x", "title", DUPLICATE_KEY)]


_KEYS = st.sampled_from(["a", "b", 'q"', "\\", "é", ":"])
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5),
                     st.text(alphabet='ab"\\:é ', max_size=4))


@st.composite
def _json_texts(draw: st.DrawFn, depth: int = 0) -> tuple[str, bool]:
    """JSON text of an object whose keys may repeat, in varied spacing and escaping;
    with whether some object of it has a key twice."""
    ascii_only = draw(st.booleans())
    colon = draw(st.sampled_from([":", " :", ": ", "\t:\n"]))
    members, repeated = [], False
    keys = draw(st.lists(_KEYS, max_size=4))
    for key in keys:
        shape = draw(st.sampled_from(["scalar", "object", "array"])) if depth < 2 else "scalar"
        if shape == "object":
            text, inner = draw(_json_texts(depth + 1))
            repeated = repeated or inner
        elif shape == "array":  # objects and scalars in a list
            items = draw(st.lists(st.one_of(
                _json_texts(depth + 1),
                _SCALARS.map(lambda v: (json.dumps(v, ensure_ascii=ascii_only), False))),
                max_size=3))
            text = "[" + ",".join(item for item, _ in items) + "]"
            repeated = repeated or any(inner for _, inner in items)
        else:
            text = json.dumps(draw(_SCALARS), ensure_ascii=ascii_only)
        members.append(json.dumps(key, ensure_ascii=ascii_only) + colon + text)
    repeated = repeated or len(set(keys)) < len(keys)
    return "{" + ",".join(members) + "}", repeated


@given(_json_texts())
def test_the_fast_duplicate_check_never_misses_a_duplicate(case: tuple[str, bool]) -> None:
    """Whatever the spacing and escapes, a repeated key always fails the cheap test."""
    text, repeated = case
    if repeated:
        assert not _no_duplicate_keys(text.encode(), orjson.loads(text))


def test_a_long_chain_into_a_cycle_flags_every_record_on_it() -> None:
    """A chain of 3,000 agencies whose end is a cycle: every agency on it is reported (its
    parents never end), each chain walked once; a chain that ends is not reported."""
    from govdisclosure.catalog.catalog import check_references

    chain = [gd.Agency(id=f"a{n}", name="A", level="city", parent=f"a{n + 1}")
             for n in range(3000)]
    chain.append(gd.Agency(id="a3000", name="A", level="city", parent="a2990"))
    sound = [gd.Agency(id="root", name="R", level="province"),
             *(gd.Agency(id=f"b{n}", name="B", level="city", parent="root" if n == 0
                         else f"b{n - 1}") for n in range(3000))]
    catalog = gd.Catalog([*chain, *sound], gd.CatalogMeta(name="t", timezone="UTC"),
                         check=False)

    problems = check_references(catalog)

    assert {p.record for p in problems} == {f"a{n}" for n in range(3001)}
    assert {p.message for p in problems} == {"parent chain is circular"}
