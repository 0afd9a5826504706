"""A kiosk left running shows the bundle that `kiosk install` or `kiosk rollback` puts in
its folder by itself, in real headless Chromium, served by `govdisclosure serve`: at once
while it rests on its home screen, and only once it rests again for a visitor in the
middle of a visit (never a reload under a visitor's finger). Offline, its checks fail
silently."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner

import govdisclosure as gd
from govdisclosure.cli import cli

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.datetime(2002, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=8)))
HALL = "changchun-government-affairs-hall"
#: A check for a new bundle every second, home after 3 s untouched (2 s, then a 1 s warning).
OPTIONS = {"hall": HALL, "update_check_s": 1, "idle_timeout_s": 3}
#: The second bundle's hall name, and so its title on every screen.
RENAMED = {"zh-CN": "长春市政务服务中心（新址）", "en": "Changchun Government Service Centre"}
#: How long a new bundle may take to show (checks every second, then the worker's install).
SHOWN_MS = 10_000


@attrs.frozen
class Bundle:
    """A published bag, and the title and version its kiosk.json gives."""

    bag: Path
    title: str
    version: str


@pytest.fixture(name="bundles", scope="module")
def fixture_bundles(tmp_path_factory: pytest.TempPathFactory) -> tuple[Bundle, Bundle]:
    """The example's Changchun bag, then the same with its hall renamed."""
    example = gd.load_catalog(ROOT / "examples" / "jilin-2002")
    renamed = [attrs.evolve(r, name=RENAMED) if isinstance(r, gd.ServiceHall) and r.id == HALL
               else r for r in example.records]
    bundles = []
    for name, records in (("one", example.records), ("two", renamed)):
        out = tmp_path_factory.mktemp(name)
        gd.publish(gd.Catalog(records, example.meta, root=example.root), to=["kiosk"],
                   out=out, as_of=AS_OF, options={"kiosk": OPTIONS})
        bag = out / "kiosk" / "bags" / HALL
        config = json.loads((bag / "data" / "kiosk.json").read_bytes())
        bundles.append(Bundle(bag, config["title"]["zh-CN"], config["version"]))
    one, two = bundles
    assert one.title != two.title
    assert one.version != two.version
    return one, two


def kiosk(*args: str) -> None:
    """`govdisclosure kiosk ...`, in this process."""
    result = CliRunner().invoke(cli, ["kiosk", *args])
    assert result.exit_code == 0, result.output


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """`govdisclosure serve FOLDER` on a free port of 127.0.0.1, as a kiosk's autostart
    runs it (docs/kiosk.md); yields its URL."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])}
    server = subprocess.Popen(
        [sys.executable, "-m", "govdisclosure", "--json", "serve", str(folder), "--port", "0"],
        stdout=subprocess.PIPE, env=env, text=True)
    assert server.stdout is not None
    try:
        started = ""
        for line in server.stdout:  # one JSON document, indented, on start
            started += line
            if line.startswith("}"):
                break
        yield str(json.loads(started)["url"])
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()


@pytest.fixture(name="installed")
def fixture_installed(bundles: tuple[Bundle, Bundle],
                      tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A kiosk folder with the first bundle installed, its current release served: the
    folder and the kiosk's URL."""
    folder = tmp_path / "kiosk"
    kiosk("install", str(bundles[0].bag), str(folder))
    with served(folder / "current" / "data") as url:
        yield folder, f"{url}index.html"


@contextlib.contextmanager
def _page(browser: Any) -> Iterator[Any]:
    """A portrait touch screen, its browser context closed after."""
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, has_touch=True,
                                  is_mobile=True, locale="zh-CN")
    context.set_default_timeout(SHOWN_MS)  # a reload under the visitor fails a tap fast
    try:
        yield context.new_page()
    finally:
        context.close()


def _start(page: Any, url: str) -> None:
    """Open the kiosk and wait until its service worker controls it, and until the kiosk
    has read the bundle through it (the first worker's claim); mark the document."""
    with page.expect_response(lambda r: r.url.endswith("/kiosk.json") and r.from_service_worker):
        page.goto(url)
        page.wait_for_selector(".home .tile")
    page.evaluate("window.sameDocument = true")


def _title(page: Any) -> str:
    return str(page.locator("#kiosk-title").text_content())


def _shows(page: Any, bundle: Bundle) -> None:
    """Wait until the kiosk shows ``bundle`` on its home screen, from a reloaded page."""
    page.wait_for_function("(title) => document.getElementById('kiosk-title').textContent"
                           " === title && document.querySelector('.home .tile') !== null",
                           arg=bundle.title, timeout=SHOWN_MS)
    assert page.evaluate("window.sameDocument") is None
    assert page.evaluate("fetch('kiosk.json').then((r) => r.json())")["version"] == bundle.version
    page.evaluate("window.sameDocument = true")


def test_an_install_or_a_rollback_shows_by_itself_on_the_resting_kiosk(
        browser: Any, bundles: tuple[Bundle, Bundle], installed: tuple[Path, str]) -> None:
    """The kiosk at rest on its home screen shows a newly installed bundle within seconds
    (update_check_s = 1), and the bundle before after a rollback, without anyone reloading
    it; its first start, when the service worker first takes control, reloads nothing."""
    one, two = bundles
    folder, url = installed
    with _page(browser) as page:
        _start(page, url)
        assert _title(page) == one.title
        assert page.evaluate("window.sameDocument") is True  # the first claim: no reload
        kiosk("install", str(two.bag), str(folder))
        _shows(page, two)
        kiosk("rollback", str(folder))
        _shows(page, one)


def test_a_visitor_is_not_reloaded_until_the_kiosk_rests(
        browser: Any, bundles: tuple[Bundle, Bundle], installed: tuple[Path, str]) -> None:
    """A new bundle that takes control while a visitor reads an item (as after the browser's
    own update check) waits: the visitor keeps the screen, through the idle warning too;
    once the kiosk goes home by itself it shows the new bundle."""
    one, two = bundles
    folder, url = installed
    with _page(browser) as page:
        page.clock.install()
        _start(page, url)
        # the kiosk's clock stands still: the visit lasts as long as the test needs
        page.clock.pause_at(page.evaluate("Date.now()") + 1000)
        page.tap(".home li:first-child .tile")
        page.tap("main .tiles li:first-child .tile")
        heading = page.locator("main h1").text_content()
        kiosk("install", str(two.bag), str(folder))
        with page.expect_response(
                lambda r: r.url.endswith("/kiosk.json") and r.from_service_worker):
            page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        page.tap("main .card h2")  # the visitor reads on
        assert page.evaluate("window.sameDocument") is True
        assert page.locator("main h1").text_content() == heading
        assert _title(page) == one.title
        config = json.loads((one.bag / "data" / "kiosk.json").read_bytes())
        page.clock.run_for((config["idle_timeout_s"] - config["idle_warning_s"]) * 1000)
        page.wait_for_selector("#idle:not([hidden])")
        assert page.evaluate("window.sameDocument") is True
        assert page.locator("main h1").text_content() == heading
        page.clock.run_for(config["idle_warning_s"] * 1000)
        _shows(page, two)


def test_checks_without_the_server_fail_silently(
        browser: Any, bundles: tuple[Bundle, Bundle], tmp_path: Path) -> None:
    """With the server gone (or the network), the kiosk's update checks fail without a
    page error or a reload, and it keeps working from its cache."""
    one, _ = bundles
    folder = tmp_path / "kiosk"
    kiosk("install", str(one.bag), str(folder))
    errors: list[str] = []
    with _page(browser) as page:
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.clock.install()
        with served(folder / "current" / "data") as url:
            _start(page, f"{url}index.html")
        assert page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())"
                             ".then(() => 'updated', () => 'failed')") == "failed"
        page.clock.run_for(5000)  # five checks
        page.tap(".home li:first-child .tile")
        page.tap("main .tiles li:first-child .tile")
        page.wait_for_selector("img.qr")
        assert page.evaluate("window.sameDocument") is True
        assert _title(page) == one.title
        assert errors == []
