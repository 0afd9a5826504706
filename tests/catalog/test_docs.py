"""docs/catalogue.md and docs/getting-started.md stay true to the code."""

from __future__ import annotations

import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import govdisclosure as gd
from govdisclosure.cli import cli

DOCS = Path(__file__).resolve().parents[2] / "docs"


def blocks(name: str, language: str) -> list[str]:
    """The fenced code blocks of one language in a docs page."""
    text = (DOCS / name).read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def test_the_field_reference_is_generated_from_the_model() -> None:
    """docs/catalogue.md holds exactly what docs/gen_reference.py generates now."""
    done = subprocess.run([sys.executable, str(DOCS / "gen_reference.py"), "--check"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_record_type_has_a_section_in_the_reference() -> None:
    """Each record type of RECORD_TYPES has its own heading in docs/catalogue.md."""
    text = (DOCS / "catalogue.md").read_text(encoding="utf-8")
    missing = [name for name in gd.RECORD_TYPES if f"### `{name}`" not in text]
    assert missing == []


@pytest.fixture(name="started")
def fixture_started(tmp_path: Path) -> Path:
    """A folder where getting-started's steps 2 and 3 were followed."""
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "my-catalogue")]).exit_code == 0
    toml, = (block for block in blocks("getting-started.md", "toml")
             if "[[approval_item]]" in block)
    jsonl, = blocks("getting-started.md", "json")
    records = tmp_path / "my-catalogue" / "records"
    (records / "approvals.toml").write_text(toml, encoding="utf-8")
    (records / "cases.jsonl").write_text(jsonl, encoding="utf-8")
    return tmp_path


def test_the_getting_started_records_validate(started: Path) -> None:
    """The example records of getting-started.md load into the init skeleton."""
    catalog = gd.load_catalog(started / "my-catalogue")

    assert catalog.get("case", "c-0001") is not None


def test_the_getting_started_python_runs(started: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Python example of getting-started.md runs as written."""
    code, = blocks("getting-started.md", "python")
    script = started / "example.py"
    script.write_text(code, encoding="utf-8")
    monkeypatch.chdir(started)

    runpy.run_path(str(script), run_name="__main__")

    assert any((started / "public").iterdir())
