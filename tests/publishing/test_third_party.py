"""A vendor's publisher package installs, registers through its entry point and publishes."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import govdisclosure as gd
from govdisclosure.testing import AS_OF, META, make_record, output_files

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


def test_withdrawn_records_leave_tombstones_only_of_the_types_it_shows(tmp_path: Path) -> None:
    """A withdrawn disclosure leaves its tombstone in each language; a withdrawn allocation,
    a type signage does not show, leaves no file (and no count in the report)."""
    gone = {"status": "withdrawn", "withdrawn": gd.Withdrawal(on=dt.date(2002, 8, 1),
                                                              reason="Superseded")}
    records = [make_record(kind, "gone", "Gone", **gone) for kind in ("disclosure", "allocation")]
    city = gd.Agency(id="city", name="City", level="city")
    report = gd.publish(gd.Catalog(records=[city, *records], meta=META), ["signage"], tmp_path,
                        as_of=AS_OF)
    assert report.publishers[0].withdrawn == 1
    stones = [path.relative_to(tmp_path).as_posix() for path in output_files(tmp_path)
              if "/records/" in path.as_posix()]
    assert stones == ["signage/en/records/disclosure/gone.json",
                      "signage/zh-CN/records/disclosure/gone.json"]
