"""What the browser tests share: the system's headless Chromium, axe-core, and a loopback
HTTP server for a folder of published output."""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
#: WCAG 2.2 AA, and axe's best practices (unique landmark names, one main, ...) as well
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def _need(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI=true)")
    pytest.skip(reason)


@pytest.fixture(name="axe_source", scope="session")
def fixture_axe_source() -> str:
    """axe.min.js as shipped in the axe-playwright-python wheel."""
    spec = importlib.util.find_spec("axe_playwright_python")
    _need(spec is not None and spec.origin is not None,
          "axe-playwright-python (which ships axe.min.js) is not installed")
    assert spec is not None
    assert spec.origin is not None
    return (Path(spec.origin).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(name="axe", scope="session")
def fixture_axe(axe_source: str) -> Callable[[Any], list[dict[str, Any]]]:
    """``axe(page)``: the violations axe-core finds on a Playwright page (axe-core is
    added to a document once: an app that redraws its page is checked screen by screen)."""

    def run(page: Any) -> list[dict[str, Any]]:
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.add_script_tag(content=axe_source)
        result: dict[str, Any] = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']})", TAGS)
        return list(result["violations"])

    return run


@pytest.fixture(name="browser", scope="session")
def fixture_browser() -> Iterator[Any]:
    """Headless Chromium from the system (never a downloaded one)."""
    _need(CHROMIUM.exists(), f"{CHROMIUM} is absent (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS,
                                             headless=True)
        yield browser
        browser.close()


def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 while the generator runs; yields its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output clean."""

    handler = functools.partial(Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(name="serve_folder", scope="session")
def fixture_serve_folder() -> Callable[[Path], Iterator[str]]:
    """``yield from serve_folder(path)`` in a fixture: the folder on a loopback server."""
    return serve
