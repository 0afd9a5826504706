"""Shared fixtures and the Hypothesis profiles (a fast one for CI)."""

from __future__ import annotations

import os
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
