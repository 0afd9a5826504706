"""WebSub: hub links in every format, and publish pings against a real loopback hub."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl

import feedparser
import pytest
from lxml import etree
from test_feeds import MemoryWriter, base_records, files, publish, run_job

from govdisclosure.publishers.feeds import ping_hub
from loopback import ScriptedServer


class Hub(ScriptedServer):
    """A WebSub hub on 127.0.0.1: ``ok`` (204), ``fail`` (500), ``hang`` (no answer)."""

    path = "/hub"

    def record(self, headers: dict[str, str], body: bytes) -> list[tuple[str, str]]:
        """The form fields of a ping."""
        return parse_qsl(body.decode())

    def answer(self, action: str) -> int | None:
        """As the class says."""
        if action == "hang":
            self.release.wait(5)
            return None
        return 500 if action == "fail" else 204


@pytest.fixture(name="hub")
def fixture_hub(request: pytest.FixtureRequest) -> Iterator[Hub]:
    """A loopback hub following the test's script (``@pytest.mark.parametrize`` indirect)."""
    with Hub(list(getattr(request, "param", []))) as hub:
        yield hub


def test_feeds_carry_the_hub_link(tmp_path: Path, hub: Hub) -> None:
    """Atom and RSS carry <link rel="hub">, JSON Feed a WebSub hub."""
    publish(base_records(), tmp_path, hub=hub.url)
    output = files(tmp_path)
    atom = feedparser.parse(output["en/all.atom"])
    assert [link.href for link in atom.feed.links if link.rel == "hub"] == [hub.url]
    rss = etree.fromstring(output["en/all.rss"])
    hubs = rss.findall("channel/{http://www.w3.org/2005/Atom}link[@rel='hub']")
    assert [link.get("href") for link in hubs] == [hub.url]
    assert json.loads(output["en/all.json"])["hubs"] == [{"type": "WebSub", "url": hub.url}]


@pytest.mark.parametrize("hub", [["fail"]], indirect=True)
def test_hub_failing_once_is_retried(hub: Hub) -> None:
    """A 500 is retried; the second attempt succeeds and nothing is reported."""
    publisher = run_job(base_records(), MemoryWriter(), hub=hub.url, hub_retries=2)
    assert publisher.hub_failures == []
    assert len(hub.requests) >= 2
    first = hub.requests[0]
    assert ("hub.mode", "publish") in first
    assert ("hub.url", "https://gk.example.gov.cn/feeds/en/all.atom") in [
        pair for request in hub.requests for pair in request]
    assert first == hub.requests[1]  # the retry sends the same batch


@pytest.mark.parametrize("hub", [["hang", "hang"]], indirect=True)
def test_hub_timeout_does_not_fail_the_publication(hub: Hub) -> None:
    """A hub that never answers is given up after the retries; the feeds are written."""
    writer = MemoryWriter()
    publisher = run_job(base_records(), writer, hub=hub.url, hub_timeout_s=0.2,
                        hub_retries=1, hub_batch=1000)
    assert "en/all.atom" in writer.files
    [failure] = publisher.hub_failures
    assert failure.attempts == 2
    assert failure.hub == hub.url
    assert "Timeout" in failure.error


@pytest.mark.parametrize("hub", [["fail", "fail", "fail"]], indirect=True)
def test_pipeline_publication_succeeds_when_the_hub_fails(hub: Hub, tmp_path: Path) -> None:
    """Through gd.publish: a broken hub is no record failure and no exception."""
    report = publish(base_records(), tmp_path, hub=hub.url, hub_retries=0, hub_batch=1000)
    assert report.failed == 0
    assert "en/all.atom" in files(tmp_path)
    [warning] = report.publishers[0].warnings
    assert warning.startswith(f"WebSub hub {hub.url}")


def test_pings_are_batched(hub: Hub) -> None:
    """Feed URLs go out in batches of ``batch`` repeated hub.url values."""
    urls = [f"https://gk.example.gov.cn/feeds/en/{n}.atom" for n in range(5)]
    assert ping_hub(hub.url, urls, timeout_s=2, retries=0, batch=2) == []
    sizes = [sum(1 for key, _ in request if key == "hub.url") for request in hub.requests]
    assert sizes == [2, 2, 1]


@pytest.mark.parametrize("hub", [["ok", "fail", "fail"]], indirect=True)
def test_a_hub_that_fails_a_batch_is_not_sent_the_rest(hub: Hub) -> None:
    """The first batch is taken, the second fails its retries: the rest are not tried
    (each would cost its timeouts), and one failure names every feed not pinged."""
    urls = [f"https://gk.example.gov.cn/feeds/en/{n}.atom" for n in range(7)]
    [failure] = ping_hub(hub.url, urls, timeout_s=2, retries=1, batch=2)
    assert len(hub.requests) == 3  # batch 1; batch 2 and its retry
    assert failure.urls == tuple(urls[2:])
    assert failure.attempts == 2


def test_incremental_run_pings_only_changed_feeds(hub: Hub) -> None:
    """After an unchanged re-render nothing is pinged; a change pings its scopes only."""
    records = base_records()
    writer = MemoryWriter()
    run_job(records, writer, hub=hub.url)
    publisher = run_job(records, writer, full=False, changed=[("disclosure", "d3")],
                        hub=hub.url)
    assert publisher.pinged == []
