"""docs/publisher-guide.md names only what a publisher is given."""

from __future__ import annotations

import re
from pathlib import Path

import govdisclosure as gd
from govdisclosure.testing import AS_OF, META

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "publisher-guide.md"


def _named(text: str) -> list[str]:
    """The attribute and method names in backticks of ``text`` (``get(type, id)``: get)."""
    spans = re.findall(r"`([^`]+)`", text)
    return [found.group(1) for span in spans
            if (found := re.fullmatch(r"(\w+)(\(.*\))?", span))]


def test_the_catalog_view_has_what_the_guide_says() -> None:
    """§1 lists what ``check_catalog``'s ``view`` gives: each is there."""
    text = " ".join(GUIDE.read_text(encoding="utf-8").split())
    described = re.search(r"`view` is a `gd\.CatalogView`:(.*?)\. The pipeline asks", text)
    assert described is not None
    view = gd.CatalogView(gd.Catalog(records=[], meta=META), "signage", "public", AS_OF)
    named = _named(described.group(1))
    assert {"get", "of_type", "meta"} <= set(named)
    assert [name for name in named if not hasattr(view, name)] == []


def test_the_job_has_what_the_guide_says() -> None:
    """Each attribute of §2's table is an attribute of a job."""
    table = re.findall(r"^\| (`.*?) \|", GUIDE.read_text(encoding="utf-8"), flags=re.MULTILINE)
    job = gd.Job(records=[], tombstones=[], meta=META, options=None, as_of=AS_OF,
                 audience="public", full=False, changed=frozenset(), removed=frozenset(),
                 writer=None)
    named = [name for row in table for name in _named(row)]
    assert len(named) > 30
    assert [name for name in named if not hasattr(job, name)] == []
