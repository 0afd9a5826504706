"""Shared fixtures and the Hypothesis profiles (a fast one for CI)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLE = ROOT / "examples" / "jilin-2002"


@pytest.fixture(name="example_path")
def fixture_example_path() -> Path:
    """The bundled jilin-2002 example catalogue."""
    return EXAMPLE


@pytest.fixture(name="schemas")
def fixture_schemas() -> Path:
    """../shared/schemas; skipped when absent, except under CI=true where it must exist."""
    folder = SHARED / "schemas"
    if not folder.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{folder} is missing under CI")
        pytest.skip(f"{folder} is absent (third-party schemas live in ../shared/schemas)")
    return folder


#: Installs a package of publishers: ``install(distribution, {module: source},
#: {entry-point name: "module:Class"})``.
Install = Callable[[str, dict[str, str], dict[str, str]], None]


@pytest.fixture(name="install")
def fixture_install(tmp_path_factory: pytest.TempPathFactory,
                    monkeypatch: pytest.MonkeyPatch) -> Iterator[Install]:
    """Installs packages of publishers for one test: their modules and a dist-info with
    entry points in the ``govdisclosure.publishers`` group, found by importlib.metadata
    (and by interpreters the test starts, through PYTHONPATH)."""
    from govdisclosure.publishing import registry

    folder = tmp_path_factory.mktemp("site-packages")
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(folder), *filter(None, [os.environ.get("PYTHONPATH")])]))
    imported: list[str] = []

    def install(dist: str, modules: dict[str, str], points: dict[str, str]) -> None:
        for module, source in modules.items():
            (folder / f"{module}.py").write_text(source, encoding="utf-8")
            imported.append(module)
        info = folder / f"{dist.replace('-', '_')}-0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0\n")
        (info / "entry_points.txt").write_text("[govdisclosure.publishers]\n" + "".join(
            f"{name} = {target}\n" for name, target in points.items()))
        registry._third_party.cache_clear()
        registry.load_publisher.cache_clear()

    yield install
    for module in imported:  # another test may install other code under the same name
        sys.modules.pop(module, None)
    registry._third_party.cache_clear()
    registry.load_publisher.cache_clear()
