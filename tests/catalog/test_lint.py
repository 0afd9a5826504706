"""validate's warnings: what loads but would never be shown."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from govdisclosure.cli import cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "jilin-2002"


def test_text_in_an_unpublished_language_and_unread_files_are_warned_of(
        tmp_path: Path) -> None:
    """A language key outside the catalogue's languages (a wrong case, a language it
    does not publish) and a file the loader skips: warnings, named by file, record and
    field; the catalogue stays valid (exit 0)."""
    root = tmp_path / "c"
    shutil.copytree(EXAMPLE, root)
    (root / "records" / "lang.toml").write_text(
        'type = "disclosure"\nid = "lang-test"\nagency = "jilin-province"\n'
        'category = "other"\ntitle = { "zh-CN" = "x", "zh-cn" = "lower", fr = "fr" }\n',
        encoding="utf-8")
    (root / "records" / "extra.yaml").write_text("a: b\n", encoding="utf-8")
    (root / "records" / ".hidden").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(root), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"]
    assert data["warnings"] == [
        "records/extra.yaml: not read: record files end in .toml, .json, .jsonl, .md",
        "records/lang.toml: disclosure 'lang-test': title.fr: 'fr' is not one of the "
        "catalogue's languages (zh-CN, en): shown only where the table has no catalogue "
        "language",
        "records/lang.toml: disclosure 'lang-test': title.zh-cn: 'zh-cn' is not one of the "
        "catalogue's languages (zh-CN, en): shown only where the table has no catalogue "
        "language (did you mean 'zh-CN'?)",
    ]


def test_the_example_has_nothing_to_warn_of() -> None:
    """The bundled example uses only its languages and record files."""
    result = CliRunner().invoke(cli, ["validate", str(EXAMPLE), "--json"])
    assert json.loads(result.stdout)["warnings"] == []


def test_a_local_base_url_is_warned_of(tmp_path: Path) -> None:
    """A catalogue without base_url (the default is http://localhost:8000/) validates,
    with a warning naming catalog.toml: every absolute link published would point there."""
    root = tmp_path / "c"
    shutil.copytree(EXAMPLE, root)
    toml = (root / "catalog.toml").read_text(encoding="utf-8")
    lines = [line for line in toml.splitlines() if not line.startswith("base_url")]
    (root / "catalog.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(root), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["warnings"] == [
        "catalog.toml: catalog.base_url: 'http://localhost:8000/' is a local address: the "
        "feeds, the sitemap and QR codes would link there; set the portal's public URL "
        "before publishing"]
