"""The Python API of INTERFACE.md refuses an argument of the wrong type with a
gd.ConfigError saying what it takes, never a bare AttributeError or TypeError."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import govdisclosure as gd
from govdisclosure.testing import AS_OF, META


class Case(NamedTuple):
    """A call with one wrong argument, and what the error must say."""

    call: Callable[[gd.Catalog, Path], Any]  # the catalogue, a folder holding "file"
    says: str


DAY = dt.date(2002, 12, 31)


def publish(catalog: Any, tmp: Path, **given: Any) -> gd.PublishReport:
    """gd.publish of the feeds into ``tmp/out``, with ``given`` over those arguments."""
    arguments = {"to": ["feeds"], "out": tmp / "out", "as_of": AS_OF, **given}
    return gd.publish(catalog, **arguments)


CASES = {
    "audit-a-path": Case(lambda c, tmp: gd.audit("cat", as_of=DAY),  # type: ignore[arg-type]
                         "catalog must be a gd.Catalog (gd.load_catalog(path) reads a folder"),
    "audit-none": Case(lambda c, tmp: gd.audit(None, as_of=DAY),  # type: ignore[arg-type]
                       "catalog must be a gd.Catalog"),
    "publish-a-path": Case(lambda c, tmp: publish("cat", tmp), "catalog must be a gd.Catalog"),
    "is-publishable-a-string": Case(lambda c, tmp: gd.is_publishable("x", at=AS_OF),  # type: ignore[arg-type]
                                    "record must be a record of the model"),
    "to-a-number": Case(lambda c, tmp: publish(c, tmp, to=5),
                        "to must be publisher names (a list, or one string of them"),
    "to-holds-a-number": Case(lambda c, tmp: publish(c, tmp, to=[5]),
                              "to: 5 is neither a publisher's name nor a publisher class"),
    "out-a-number": Case(lambda c, tmp: publish(c, tmp, out=5),
                         "out must be a folder, a str or a pathlib.Path, not int"),
    "out-a-file": Case(lambda c, tmp: publish(c, tmp, out=tmp / "file"),
                       "is a file, not a folder"),
    "out-a-file-dry-run": Case(lambda c, tmp: publish(c, tmp, out=tmp / "file", dry_run=True),
                               "is a file, not a folder"),
    "options-a-number": Case(lambda c, tmp: publish(c, tmp, options=5),
                             "options must be a mapping of publisher name to its options"),
    "workers-a-string": Case(lambda c, tmp: publish(c, tmp, workers="x"),
                             "workers must be a whole number of at least 1, not 'x'"),
    "load-none": Case(lambda c, tmp: gd.load_catalog(None),  # type: ignore[arg-type]
                      "path must be a catalogue folder, a str or a pathlib.Path, not NoneType"),
    "load-a-number": Case(lambda c, tmp: gd.load_catalog(5),  # type: ignore[arg-type]
                          "path must be a catalogue folder, a str or a pathlib.Path, not int"),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_wrong_argument_is_a_config_error_saying_what_it_takes(tmp_path: Path,
                                                                 case: Case) -> None:
    """Each public entry point names the argument and what it takes; nothing is written."""
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    catalog = gd.Catalog(records=[], meta=META)

    with pytest.raises(gd.ConfigError) as caught:
        case.call(catalog, tmp_path)

    assert type(caught.value) is gd.ConfigError
    assert case.says in str(caught.value)
    assert not (tmp_path / "out").exists()
    assert (tmp_path / "file").read_text(encoding="utf-8") == "not a folder"


def test_a_wrong_option_is_a_public_config_error_listing_its_problems(tmp_path: Path) -> None:
    """options= with a wrong value and an unknown key: a gd.ConfigError itself (no private
    subclass), its problems one per key."""
    with pytest.raises(gd.ConfigError) as caught:
        gd.publish(gd.Catalog(records=[], meta=META), to=["feeds"], out=tmp_path, as_of=AS_OF,
                   options={"feeds": {"limit": "x", "limt": 1}})

    assert type(caught.value) is gd.ConfigError
    assert (caught.value.publisher, caught.value.key) == ("feeds", "limit")
    assert [p.field for p in caught.value.problems] == ["publish.feeds.limit",
                                                         "publish.feeds.limt"]
    assert str(caught.value).startswith("[publish.feeds] limit: expected an integer")
