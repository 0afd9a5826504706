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
