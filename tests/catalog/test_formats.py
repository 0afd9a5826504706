"""Catalogues written in every file format load back equal; in-memory catalogues check refs."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from pathlib import Path

import pytest
from hypothesis import Phase, find, given, settings
from tests import strategies

import govdisclosure as gd

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def by_key(records: list[gd.Record] | gd.Catalog) -> dict[tuple[str, str], gd.Record]:
    """Records by (type, id)."""
    return {(record.TYPE, record.id): record for record in records}


@given(strategies.catalogs(include_unpublishable=True))
def test_a_generated_catalogue_loads_back_equal_from_every_format(
    tmp_path_factory: pytest.TempPathFactory,
    generated: tuple[gd.CatalogMeta, list[gd.Record]],
) -> None:
    """Random catalogues with hostile text, written in each format, load back unchanged."""
    meta, records = generated
    for fmt in strategies.FORMATS:  # one catalogue per example serves all four formats
        root = tmp_path_factory.mktemp(fmt)
        strategies.write_catalog(root, meta, records, fmt)

        catalog = gd.load_catalog(root)

        assert catalog.meta == meta, fmt
        assert by_key(catalog) == by_key(records), fmt


def write(root: Path, files: dict[str, str]) -> Path:
    """Files below ``root``, a minimal catalog.toml unless given."""
    files = {"catalog.toml": '[catalog]\nname = "t"\ntimezone = "Asia/Shanghai"\n', **files}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


AGENCY = '[[agency]]\nid = "office"\nname = "Office"\nlevel = "province"\n'


@pytest.mark.parametrize(
    ("file", "text"),
    [
        ("records/a.toml", '[[disclosure]]\nid = "a"\nagency = "office"\ntitle = "t"\n'
                           "issued_at = 2002-03-01T09:00:00\n"),
        ("records/a.toml", '[[disclosure]]\nid = "a"\nagency = "office"\ntitle = "t"\n'
                           'issued_at = "2002-03-01T09:00:00"\n'),
        ("records/a.json", '{"type": "disclosure", "id": "a", "agency": "office", "title": "t",'
                           ' "issued_at": "2002-03-01T09:00:00"}'),
        ("records/a.jsonl", '{"type": "disclosure", "id": "a", "agency": "office", "title": "t",'
                            ' "issued_at": "2002-03-01 09:00:00"}\n'),
        ("records/a.md", '+++\ntype = "disclosure"\nid = "a"\nagency = "office"\ntitle = "t"\n'
                         "issued_at = 2002-03-01T09:00:00\n+++\nBody.\n"),
    ],
    ids=["toml-datetime", "toml-string", "json", "jsonl", "md"],
)
def test_a_naive_datetime_is_read_in_the_catalogue_timezone(
    tmp_path: Path, file: str, text: str
) -> None:
    """A datetime without offset means wall-clock time in the catalogue's timezone."""
    catalog = gd.load_catalog(write(tmp_path, {"agencies.toml": AGENCY, file: text}))

    issued = catalog.get("disclosure", "a").issued_at  # type: ignore[union-attr]
    assert issued == dt.datetime(2002, 3, 1, 9, 0, tzinfo=SHANGHAI)
    assert issued.utcoffset() == dt.timedelta(hours=8)


def test_an_explicit_offset_wins_over_the_catalogue_timezone(tmp_path: Path) -> None:
    """A datetime with an offset keeps it, whatever the catalogue timezone."""
    record = '[[disclosure]]\nid = "a"\nagency = "office"\ntitle = "t"\n' \
             "issued_at = 2002-03-01T09:00:00Z\n"
    catalog = gd.load_catalog(write(tmp_path, {"agencies.toml": AGENCY, "records/a.toml": record}))

    issued = catalog.get("disclosure", "a").issued_at  # type: ignore[union-attr]
    assert issued == dt.datetime(2002, 3, 1, 9, 0, tzinfo=dt.UTC)


def test_a_date_where_a_datetime_is_expected_is_midnight_in_the_catalogue_zone(
    tmp_path: Path,
) -> None:
    """A plain date for a datetime field is 00:00 that day in the catalogue timezone."""
    record = '[[disclosure]]\nid = "a"\nagency = "office"\ntitle = "t"\nissued_at = 2002-03-01\n'
    catalog = gd.load_catalog(write(tmp_path, {"agencies.toml": AGENCY, "records/a.toml": record}))

    issued = catalog.get("disclosure", "a").issued_at  # type: ignore[union-attr]
    assert issued == dt.datetime(2002, 3, 1, tzinfo=SHANGHAI)


def test_agencies_may_also_live_in_an_agencies_folder(tmp_path: Path) -> None:
    """agencies/*.toml holds [[agency]] tables like agencies.toml."""
    catalog = gd.load_catalog(write(tmp_path, {"agencies/province.toml": AGENCY}))

    assert catalog.agency("office") is not None


def test_a_markdown_body_becomes_the_record_body(tmp_path: Path) -> None:
    """The Markdown after the front matter is the record's body, surrounding newlines trimmed."""
    text = '+++\ntype = "disclosure"\nid = "a"\nagency = "office"\ntitle = "t"\n+++\n\n# Head\n' \
           "\nText <b>kept</b> as written.\n\n"
    catalog = gd.load_catalog(write(tmp_path, {"agencies.toml": AGENCY, "records/a.md": text}))

    body = catalog.get("disclosure", "a").body  # type: ignore[union-attr]
    assert body == "# Head\n\nText <b>kept</b> as written."


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_a_markdown_record_saved_with_windows_or_old_mac_line_ends_loads_as_with_lf(
        tmp_path: Path, newline: str) -> None:
    """CRLF (or CR) line ends are CommonMark line ends: no carriage return reaches the
    body, so the outputs and the content hash are those of the same file saved with LF."""
    text = ('+++\ntype = "disclosure"\nid = "a"\nagency = "office"\ntitle = "t"\n+++\n\n'
            "# Head\n\nline1\nline2\n\n+++ en\nEnglish\nbody\n")
    unix = gd.load_catalog(write(tmp_path / "lf", {"agencies.toml": AGENCY,
                                                    "records/a.md": text}))
    other = write(tmp_path / "other", {"agencies.toml": AGENCY})
    (other / "records").mkdir()
    (other / "records" / "a.md").write_bytes(text.replace("\n", newline).encode())

    record = gd.load_catalog(other).get("disclosure", "a")

    assert record == unix.get("disclosure", "a")
    assert record.body == {"zh-CN": "# Head\n\nline1\nline2",  # type: ignore[union-attr]
                           "en": "English\nbody"}


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x1c", "\x0b", "\x0c"])
def test_a_unicode_line_separator_does_not_end_a_jsonl_line(tmp_path: Path,
                                                            separator: str) -> None:
    """JSONL lines end at LF only: JSON leaves U+2028 or U+0085 unescaped inside strings."""
    title = f"first{separator}second"
    line = json.dumps({"type": "disclosure", "id": "a", "agency": "office", "title": title},
                      ensure_ascii=False)
    catalog = gd.load_catalog(write(tmp_path, {"agencies.toml": AGENCY,
                                               "records/a.jsonl": line + "\n"}))

    assert catalog.get("disclosure", "a").title == title  # type: ignore[union-attr]


def test_a_unicode_line_separator_does_not_close_markdown_front_matter(tmp_path: Path) -> None:
    """A front matter string holding U+2028 +++ U+2028 does not end the front matter."""
    text = '+++\ntype = "disclosure"\nid = "a"\nagency = "office"\n' \
           'title = "\u2028+++\u2028"\n+++\nBody.\n'
    catalog = gd.load_catalog(write(tmp_path, {"agencies.toml": AGENCY, "records/a.md": text}))

    record = catalog.get("disclosure", "a")
    assert (record.title, record.body) == ("\u2028+++\u2028", "Body.")  # type: ignore[union-attr]


# -- in memory ------------------------------------------------------------------------------------

META = gd.CatalogMeta(name="t", timezone="Asia/Shanghai")
OFFICE = gd.Agency(id="office", name="Office", level="province")


@given(strategies.catalogs(include_unpublishable=True))
def test_a_generated_catalogue_builds_in_memory(
    generated: tuple[gd.CatalogMeta, list[gd.Record]],
) -> None:
    """Every generated catalogue is valid in memory, and iterates all its records (its
    ``records`` too, the name it was built with)."""
    meta, records = generated
    catalog = gd.Catalog(records=records, meta=meta)

    assert by_key(catalog) == by_key(records)
    assert by_key(catalog.records) == by_key(records)
    assert len(catalog) == len(records)


def test_an_in_memory_catalogue_refuses_a_dangling_reference() -> None:
    """gd.Catalog checks references like the loader, naming record and field."""
    orphan = gd.Disclosure(id="a", agency="nobody", title="t")

    with pytest.raises(gd.CatalogError) as caught:
        gd.Catalog(records=[OFFICE, orphan], meta=META)

    (problem,) = caught.value.problems
    assert (problem.file, problem.type, problem.record, problem.field) == (
        "<memory>", "disclosure", "a", "agency")
    assert problem.message == "no agency 'nobody' in the catalogue"


def test_an_in_memory_catalogue_refuses_a_duplicate_id() -> None:
    """Two records of one type with one id are refused in memory too."""
    with pytest.raises(gd.CatalogError) as caught:
        gd.Catalog(records=[OFFICE, OFFICE], meta=META)

    assert [(p.type, p.record, p.field) for p in caught.value.problems] == [
        ("agency", "office", "id")]


def test_an_in_memory_catalogue_refuses_a_reference_of_the_wrong_type() -> None:
    """A case whose item is an agency is refused: references have a type."""
    case = gd.Case(id="c", agency="office", item="office",
                   received_at=dt.datetime(2002, 1, 1, tzinfo=SHANGHAI))

    with pytest.raises(gd.CatalogError) as caught:
        gd.Catalog(records=[OFFICE, case], meta=META)

    (problem,) = caught.value.problems
    assert (problem.record, problem.field) == ("c", "item")
    assert problem.message == "'office' is an agency, not an approval_item"


def test_an_in_memory_catalogue_refuses_a_misspelt_channel() -> None:
    """``channels = ["sitee"]`` would keep the record out of every output without a word:
    refused in memory as the loader refuses it; a third party's name is not a typo."""
    with pytest.raises(gd.CatalogError) as caught:
        gd.Catalog(records=[OFFICE, gd.Disclosure(id="a", agency="office", title="t",
                                                  channels=["sitee"])], meta=META)

    (problem,) = caught.value.problems
    assert (problem.record, problem.field) == ("a", "channels.0")
    assert "did you mean 'site'?" in problem.message
    assert len(gd.Catalog(records=[OFFICE, gd.Disclosure(
        id="a", agency="office", title="t", channels=["cms-bridge"])], meta=META)) == 2


def test_an_in_memory_catalogue_may_skip_the_check() -> None:
    """check=False builds a catalogue without checking (for partial data)."""
    orphan = gd.Disclosure(id="a", agency="nobody", title="t")

    assert len(gd.Catalog(records=[orphan], meta=META, check=False)) == 1


# -- the catalogue strategy itself ----------------------------------------------------------------


@given(strategies.catalogs())
def test_generated_catalogues_are_publishable_unless_asked(
    generated: tuple[gd.CatalogMeta, list[gd.Record]],
) -> None:
    """Without include_unpublishable every record publishes, to the public, at any time."""
    _, records = generated
    for record in records:
        assert gd.is_publishable(record, at=strategies.EMBARGO_FROM.replace(year=1990))
        assert not gd.is_tombstone(record)


@pytest.mark.parametrize("flaw", strategies.UNPUBLISHABLE)
def test_generated_catalogues_can_hold_each_unpublishable_kind(flaw: str) -> None:
    """include_unpublishable=True can yield each of draft, secret, ..., embargoed, withdrawn."""

    def has_flaw(record: gd.Record) -> bool:
        return {
            "draft": record.status == "draft",
            "withdrawn": record.status == "withdrawn",
            "secret": record.classification == "secret",
            "restricted": record.classification == "restricted",
            "internal": record.audience == "internal",
            "embargoed": record.publish_at is not None
            and record.publish_at >= strategies.EMBARGO_FROM,
        }[flaw]

    meta, records = find(strategies.catalogs(include_unpublishable=True),
                         lambda generated: any(has_flaw(r) for r in generated[1]),
                         settings=settings(phases=[Phase.generate], database=None))
    gd.Catalog(records=records, meta=meta)


def test_a_linked_folder_of_records_is_read_once(tmp_path: Path) -> None:
    """A folder below records/ that is a link is read, as a linked file is; a loop of
    links ends where it began."""
    outside = tmp_path / "outside"
    (outside / "more").mkdir(parents=True)
    (outside / "more" / "b.toml").write_text(
        '[[disclosure]]\nid = "b"\nagency = "office"\ntitle = "t"\n', encoding="utf-8")
    (outside / "more" / "loop").symlink_to(outside / "more", target_is_directory=True)
    root = write(tmp_path / "cat", {"agencies.toml": AGENCY})
    (root / "records").mkdir()
    (root / "records" / "linked").symlink_to(outside / "more", target_is_directory=True)

    catalog = gd.load_catalog(root)

    assert [r.id for r in catalog.of_type(gd.Disclosure)] == ["b"]


def test_an_integer_of_thousands_of_digits_is_a_problem_of_its_file(tmp_path: Path) -> None:
    """tomllib refuses an integer of over 4,300 digits with a plain ValueError: a problem
    naming the file, not an internal error."""
    root = write(tmp_path, {"agencies.toml": AGENCY,
                            "records/big.toml": f"[[disclosure]]\nid = \"d\"\nx = {'9' * 5000}\n"})

    with pytest.raises(gd.CatalogError) as raised:
        gd.load_catalog(root)

    (problem,) = raised.value.problems
    assert problem.file == "records/big.toml"
    assert problem.message.startswith("not valid TOML: Exceeds the limit")


def test_an_id_of_thousands_of_characters_is_not_printed_whole(tmp_path: Path) -> None:
    """A 10,000-character id is named cut, with its length, in the problem's place and in
    its message: a message of 20 kB helps no one."""
    ident = "a" * 10_000
    root = write(tmp_path, {"agencies.toml": AGENCY, "records/x.toml":
                            f'[[disclosure]]\nid = "{ident}"\nagency = "office"\ntitle = "t"\n'})

    with pytest.raises(gd.CatalogError) as raised:
        gd.load_catalog(root)

    text = str(raised.value)
    assert len(text) < 800
    assert text.count("(10,000 characters)") == 2
