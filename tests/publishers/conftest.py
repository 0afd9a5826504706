"""Fixtures shared by the site publisher's tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.audit.support import ZONE, catalog

import govdisclosure as gd

#: The end of the audit tests' year, in their zone.
SITE_AS_OF = dt.datetime(2002, 12, 31, 23, 59, tzinfo=ZONE)

Build = Callable[..., Path]


@pytest.fixture(name="build_site")
def fixture_build_site(tmp_path: Path) -> Build:
    """Publish records, with the audit tests' agencies, hotlines and item, to a new folder
    at ``as_of`` (default :data:`SITE_AS_OF`); returns the site folder."""

    def build(*records: gd.Record, as_of: dt.datetime = SITE_AS_OF) -> Path:
        out = tmp_path / f"out-{len(list(tmp_path.iterdir()))}"
        report = gd.publish(catalog(*records), to=["site"], out=out, as_of=as_of)
        assert report.failed == 0, report.publishers[0].failures
        return out / "site"

    return build
