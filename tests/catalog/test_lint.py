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


def test_agency_files_the_loader_skips_are_warned_of(tmp_path: Path) -> None:
    """Below agencies/ only *.toml directly in the folder is read: a JSON file, another
    suffix or a subfolder's TOML is warned of by name, saying what is read there (hidden
    names are not); the catalogue stays valid."""
    root = tmp_path / "c"
    shutil.copytree(EXAMPLE, root)
    (root / "agencies" / "sub").mkdir(parents=True)
    (root / "agencies" / "more.json").write_text("[]", encoding="utf-8")
    (root / "agencies" / "sub" / "more.toml").write_text("", encoding="utf-8")
    (root / "agencies" / "read.toml").write_text("", encoding="utf-8")
    (root / "agencies" / ".draft.json").write_text("[]", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(root), "--json"])
    assert result.exit_code == 0, result.output
    says = ("not read: agencies are read from agencies.toml and agencies/*.toml only "
            "(TOML files, no subfolders)")
    assert json.loads(result.stdout)["warnings"] == [
        f"agencies/more.json: {says}", f"agencies/sub/more.toml: {says}"]


def test_unread_files_are_listed_when_the_catalogue_does_not_load(tmp_path: Path) -> None:
    """An agency in a file not read leaves its records naming an agency not found: the
    error stays, and the unread file is listed with it (JSON ``warnings``, stderr)."""
    root = tmp_path / "c"
    shutil.copytree(EXAMPLE, root)
    (root / "agencies").mkdir()
    (root / "agencies" / "more.json").write_text(
        '[{"type": "agency", "id": "a2", "name": "A2", "level": "city"}]', encoding="utf-8")
    (root / "records" / "p.toml").write_text(
        'type = "disclosure"\nid = "p"\nagency = "a2"\ncategory = "other"\ntitle = "t"\n',
        encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(root), "--json"])
    assert result.exit_code == 2, result.output
    data = json.loads(result.stdout)
    assert [p["text"] for p in data["problems"]] == [
        "records/p.toml: disclosure 'p': agency: no agency 'a2' in the catalogue"]
    assert data["warnings"] == [
        "agencies/more.json: not read: agencies are read from agencies.toml and "
        "agencies/*.toml only (TOML files, no subfolders)"]
    result = CliRunner().invoke(cli, ["validate", str(root)])
    assert result.exit_code == 2
    assert "no agency 'a2'" in result.stderr
    assert "warning agencies/more.json: not read" in result.stderr


def test_a_case_whose_outcome_and_decision_day_disagree_is_warned_of(tmp_path: Path) -> None:
    """MODEL.md allows ``outcome`` and ``decided_at`` each on its own, so such a case loads
    (every command but the annual report takes it); ``validate`` warns, naming the file,
    the case and the field."""
    root = tmp_path / "c"
    assert CliRunner().invoke(cli, ["init", str(root)]).exit_code == 0
    (root / "records" / "cases.toml").write_text(
        '[[approval_item]]\nid = "permit"\nagency = "my-agency"\ntitle = "Permit"\n'
        '[[case]]\nid = "withdrawn"\nagency = "my-agency"\nitem = "permit"\n'
        'received_at = 2026-01-05T10:00:00\noutcome = "withdrawn"\n'
        '[[case]]\nid = "dated"\nagency = "my-agency"\nitem = "permit"\n'
        'received_at = 2026-01-05T10:00:00\ndecided_at = 2026-01-08T10:00:00\n'
        '[[case]]\nid = "fine"\nagency = "my-agency"\nitem = "permit"\n'
        'received_at = 2026-01-05T10:00:00\ndecided_at = 2026-01-08T10:00:00\n'
        'outcome = "approved"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(root), "--json"])
    assert result.exit_code == 0, result.output
    warned = [w for w in json.loads(result.stdout)["warnings"] if "decided_at" in w]
    assert sorted(w.split(": ")[:3] for w in warned) == [
        ["records/cases.toml", "case 'dated'", "decided_at"],
        ["records/cases.toml", "case 'withdrawn'", "decided_at"]]
    audit = CliRunner().invoke(cli, ["audit", str(root), "--as-of", "2026-12-31", "--json"])
    assert audit.exit_code in (0, 1), audit.output
