"""A vendor's publisher package installs, registers through its entry point and publishes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "examples" / "signage-publisher"


@pytest.fixture(name="installed", scope="module")
def fixture_installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The example package pip-installed into a fresh target folder; the env that sees it."""
    target = tmp_path_factory.mktemp("site-packages")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(PACKAGE)],
        check=True, capture_output=True, cwd=tmp_path_factory.getbasetemp(),
    )
    return {**os.environ, "PYTHONPATH": str(target)}


def test_installed_package_is_listed_with_its_options(installed: dict[str, str]) -> None:
    """`govdisclosure publishers` finds the vendor's publisher through the entry point."""
    done = subprocess.run([sys.executable, "-m", "govdisclosure", "publishers", "--json"],
                          capture_output=True, text=True, env=installed, check=True)
    listed = {p["name"]: p for p in json.loads(done.stdout)["publishers"]}
    assert listed["signage"]["source"] == "govdisclosure-signage"
    assert listed["signage"]["options"]["limit"] == 20


def test_installed_package_publishes_through_the_registry(installed: dict[str, str],
                                                          tmp_path: Path) -> None:
    """`publish --to signage` runs the vendor's code through the one pipeline."""
    catalog = tmp_path / "cat"
    subprocess.run([sys.executable, "-m", "govdisclosure", "init", str(catalog)], check=True,
                   env=installed, capture_output=True)
    done = subprocess.run(
        [sys.executable, "-m", "govdisclosure", "publish", str(catalog), "--to", "signage",
         "--out", str(tmp_path / "out"), "--as-of", "2026-02-01", "--json"],
        capture_output=True, text=True, env=installed, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["publishers"][0]["files_written"] > 0
    rows = json.loads((tmp_path / "out/signage/en/disclosure.json").read_text())
    assert [row["id"] for row in rows] == ["first-announcement"]
