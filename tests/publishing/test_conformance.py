"""Every registered publisher, built-in or third-party, passes the public conformance suite."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

import govdisclosure as gd
from govdisclosure.publishing import available
from govdisclosure.testing import PublisherConformance

# One test class per installed publisher: today feeds, site and the example signage package.
for _name in available():
    _cls = type(f"TestConformance_{_name}", (PublisherConformance,), {"publisher": _name})
    globals()[_cls.__name__] = _cls


def test_the_example_third_party_publisher_is_registered() -> None:
    """The signage example package is found through its entry point."""
    assert available().get("signage") == "govdisclosure-signage"


@attrs.frozen
class _NoOptions:
    """No options."""


class _LiveHtmlFeed:
    """A faulty publisher: a JSON Feed whose content_html is the raw record title."""

    name = "live-html"
    audiences = ("public",)
    Options = _NoOptions

    def __init__(self, options: object) -> None:
        self.options = options

    def publish(self, job: gd.Job) -> None:
        items = [{"id": r.id, "content_html": f"<p>{gd.localize(r.label, 'en', 'zh-CN')}</p>"}
                 for r in job.records]
        job.write("feed.json", json.dumps({"items": items}))


def test_the_suite_finds_live_html_inside_a_feed(tmp_path: Path) -> None:
    """HTML that a feed reader renders is checked too, not only the feed's own markup."""
    suite = type("Suite", (PublisherConformance,), {"publisher": _LiveHtmlFeed})()
    with pytest.raises(AssertionError, match=r"script with catalogue text|event handler"):
        suite.test_hostile_text_is_inert(tmp_path)


class _DumpsEverything(_LiveHtmlFeed):
    """A faulty publisher: each record as the converter dumps it, references and all."""

    name = "dumps"

    def publish(self, job: gd.Job) -> None:
        for record in job.records:
            job.write(f"{record.TYPE}/{record.id}.json", gd.dumps(record))


def test_the_suite_finds_ids_leaked_through_references(tmp_path_factory: pytest.TempPathFactory,
                                                       ) -> None:
    """A public record naming a non-public one (``related``) must not carry its id out:
    the suite fails a publisher that copies records wholesale."""
    suite = type("Suite", (PublisherConformance,), {"publisher": _DumpsEverything,
                                                    "audiences": ("public",)})()
    with pytest.raises(AssertionError, match=r"non-public record .* leaked"):
        suite.test_no_leak_of_non_public_records(tmp_path_factory)
