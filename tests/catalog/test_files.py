"""Which files of a catalogue folder the loader reads, and how it decodes them."""

from __future__ import annotations

from pathlib import Path

import pytest

import govdisclosure as gd

CATALOG = '[catalog]\nname = "t"\ntimezone = "Asia/Shanghai"\n'
AGENCY = '[[agency]]\nid = "office"\nname = "Office"\nlevel = "province"\n'
RECORD = '[[disclosure]]\nid = "{id}"\nagency = "office"\ntitle = "t"\n'
BROKEN = 'type = "no-such-type"\nthis is not TOML\n'


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Files below ``root``, with a catalog.toml and an agency unless given."""
    files = {"catalog.toml": CATALOG, "agencies.toml": AGENCY, **files}
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            (root / name).write_bytes(content)
        else:
            (root / name).write_text(content, encoding="utf-8")
    return root


@pytest.mark.parametrize("hidden", [
    "records/.drafts/x.toml",
    "records/.git/objects/x.json",
    "records/notices/.drafts/deep/x.jsonl",
    "records/.#a.toml",
    "records/.a.md",
    "agencies/.#b.toml",
])
def test_hidden_files_and_folders_are_not_records(tmp_path: Path, hidden: str) -> None:
    """A name starting with '.' below records/ (file or folder, at any depth) or in
    agencies/ is skipped: version control, drafts and editor lock files are no records."""
    root = write(tmp_path, {"records/a.toml": RECORD.format(id="a"), hidden: BROKEN})

    catalog = gd.load_catalog(root)

    assert [record.id for record in catalog.of_type(gd.Disclosure)] == ["a"]


def test_a_visible_file_inside_a_visible_folder_is_still_read(tmp_path: Path) -> None:
    """Only hidden names are skipped: a dot inside a name (v1.2/) hides nothing."""
    root = write(tmp_path, {"records/v1.2/x.toml": RECORD.format(id="b")})

    catalog = gd.load_catalog(root)

    assert [record.id for record in catalog.of_type(gd.Disclosure)] == ["b"]


BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize(("name", "text"), [
    ("records/a.toml", RECORD.format(id="a")),
    ("records/a.json", '[{"type": "disclosure", "id": "a", "agency": "office", "title": "t"}]'),
    ("records/a.jsonl", '{"type": "disclosure", "id": "a", "agency": "office", "title": "t"}\n'
                        '{"type": "disclosure", "id": "b", "agency": "office", "title": "t"}\n'),
    ("records/a.md", '+++\ntype = "disclosure"\nid = "a"\nagency = "office"\ntitle = "t"\n'
                     "+++\nThe body.\n"),
])
def test_a_leading_byte_order_mark_is_read_as_nothing_in_every_record_format(
        tmp_path: Path, name: str, text: str) -> None:
    """Windows editors write a UTF-8 BOM first: the record file reads as without it."""
    plain = gd.load_catalog(write(tmp_path / "plain", {name: text}))

    marked = gd.load_catalog(write(tmp_path / "bom", {name: BOM + text.encode()}))

    assert list(marked) == list(plain)
    assert marked.of_type(gd.Disclosure)[0].title == "t"


@pytest.mark.parametrize("name", ["catalog.toml", "agencies.toml", "agencies/more.toml"])
def test_a_leading_byte_order_mark_is_read_as_nothing_in_catalogue_files(
        tmp_path: Path, name: str) -> None:
    """catalog.toml and the agencies files may start with a BOM too."""
    content = {"catalog.toml": CATALOG, "agencies.toml": AGENCY,
               "agencies/more.toml": AGENCY.replace("office", "more")}[name]
    root = write(tmp_path, {name: BOM + content.encode()})

    catalog = gd.load_catalog(root)

    assert catalog.meta.timezone == "Asia/Shanghai"
    assert catalog.agency("office") is not None
    assert name != "agencies/more.toml" or catalog.agency("more") is not None


def test_a_leading_byte_order_mark_is_read_as_nothing_in_govdisclosure_toml(
        tmp_path: Path) -> None:
    """govdisclosure.toml with a BOM gives its [publish] table, and no problem."""
    from govdisclosure.publishing.config import check_config, load_config

    root = write(tmp_path, {"govdisclosure.toml": BOM + b'[publish]\nto = ["feeds"]\n'})

    assert check_config(root) == []
    assert load_config(root)["to"] == ["feeds"]


def test_a_byte_order_mark_counts_in_the_byte_offset_of_bad_utf8(tmp_path: Path) -> None:
    """A file that is not UTF-8 after its BOM names the byte of the file, BOM included."""
    root = write(tmp_path, {"records/a.toml": BOM + b'title = "\xff"\n'})

    with pytest.raises(gd.CatalogError) as caught:
        gd.load_catalog(root)

    assert [str(p) for p in caught.value.problems] == [
        "records/a.toml: not valid UTF-8 (byte 12)"]
