"""The kiosk bundle in real headless Chromium with touch emulation, portrait 1080x1920 and
landscape 1920x1080: axe-core finds no WCAG 2.2 AA violation, every control is at least
44 x 44 CSS px, the idle warning comes and the kiosk goes home, and it reloads offline
through its service worker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import govdisclosure as gd
from govdisclosure.publishers.kiosk.strings import strings

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"
AS_OF = dt.datetime(2002, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=8)))
HALL = "changchun-government-affairs-hall"
SCREENS = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
#: Every control's box: buttons, links, and what a script made clickable.
_SIZES = """() => [...document.querySelectorAll('button, a[href], [role=button]')]
  .filter((e) => e.offsetParent !== null)
  .map((e) => { const r = e.getBoundingClientRect();
                return [e.textContent.trim().slice(0, 30), r.width, r.height]; })"""



@pytest.fixture(name="kiosk", scope="module")
def fixture_kiosk(tmp_path_factory: pytest.TempPathFactory,
                  serve_folder: Callable[[Path], Iterator[str]]) -> Iterator[str]:
    """The example's Changchun hall bundle, its data/ folder served on 127.0.0.1."""
    out = tmp_path_factory.mktemp("kiosk")
    gd.publish(gd.load_catalog(ROOT / "examples" / "jilin-2002"), to=["kiosk"], out=out,
               as_of=AS_OF)
    yield from serve_folder((out / "kiosk" / HALL / "data").resolve())


@pytest.fixture(name="hasty", scope="module")
def fixture_hasty(tmp_path_factory: pytest.TempPathFactory,
                  serve_folder: Callable[[Path], Iterator[str]]) -> Iterator[str]:
    """The same bundle with an idle timeout of 3 s."""
    out = tmp_path_factory.mktemp("hasty")
    gd.publish(gd.load_catalog(ROOT / "examples" / "jilin-2002"), to=["kiosk"], out=out,
               as_of=AS_OF, options={"kiosk": {"hall": HALL, "idle_timeout_s": 3}})
    yield from serve_folder((out / "kiosk" / HALL / "data").resolve())


def _page(browser: Any, screen: str) -> tuple[Any, Any]:
    width, height = SCREENS[screen]
    context = browser.new_context(viewport={"width": width, "height": height},
                                  has_touch=True, is_mobile=True, locale="zh-CN")
    return context, context.new_page()


def _axe(page: Any, axe: Callable[[Any], list[dict[str, Any]]], where: str) -> list[str]:
    return [f"{where}: {v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
            for v in axe(page)]


def _small(page: Any, where: str) -> list[str]:
    return [f"{where}: {text!r} is {w:.0f}x{h:.0f}" for text, w, h in page.evaluate(_SIZES)
            if w < 44 or h < 44]


@pytest.mark.parametrize("screen", list(SCREENS))
def test_home_and_item_are_accessible_and_touch_sized(browser: Any, kiosk: str,
                                                      axe: Callable[[Any], list[dict[str, Any]]],
                                                      screen: str) -> None:
    """Home and an item screen: no axe violation, every control at least 44 x 44 px, text
    at least 20 px; reached by tapping."""
    context, page = _page(browser, screen)
    try:
        page.goto(f"{kiosk}index.html")
        page.wait_for_selector(".home .tile")
        assert float(page.evaluate(
            "parseFloat(getComputedStyle(document.body).fontSize)")) >= 20
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"kiosk-home-{screen}.png"))
        problems = _axe(page, axe, "home") + _small(page, "home")
        page.tap(".home li:first-child .tile")
        page.wait_for_selector("main h1")
        page.tap("main .tiles li:first-child .tile")
        page.wait_for_selector("main .card h2")
        assert page.locator("img.qr").count() == 1
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"kiosk-item-{screen}.png"))
        problems += _axe(page, axe, "item") + _small(page, "item")
        page.tap("#home")
        page.wait_for_selector(".home .tile")
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def test_idle_warning_then_home(browser: Any, hasty: str) -> None:
    """Left alone on a screen, the kiosk warns, then returns to the home screen."""
    context, page = _page(browser, "portrait")
    try:
        page.goto(f"{hasty}index.html")
        page.wait_for_selector(".home .tile")
        page.tap(".home li:nth-child(3) .tile")  # windows
        page.wait_for_selector("#home:not([hidden])")
        page.wait_for_selector("#idle:not([hidden])", timeout=5000)
        assert page.locator("#stay").is_visible()
        page.wait_for_selector(".home .tile", timeout=5000)
        assert page.locator("#idle").is_hidden()
    finally:
        context.close()


def test_offline_reload_through_the_service_worker(browser: Any, kiosk: str) -> None:
    """Once the service worker has cached the bundle, the kiosk reloads with no network
    and still opens an item."""
    context, page = _page(browser, "landscape")
    try:
        page.goto(f"{kiosk}index.html")
        page.wait_for_selector(".home .tile")
        page.evaluate("async () => { await navigator.serviceWorker.ready; }")
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=5000)
        context.set_offline(True)
        assert page.evaluate("fetch('not-in-the-bundle.json').then(() => 'fetched',"
                             " () => 'offline')") == "offline"
        page.reload()
        page.wait_for_selector(".home .tile")
        page.tap(".home li:first-child .tile")
        page.tap("main .tiles li:first-child .tile")
        page.wait_for_selector("img.qr")
        assert page.evaluate("document.querySelector('img.qr').naturalWidth") > 0
    finally:
        context.close()


def test_flat_columns_come_back_as_lists(browser: Any, kiosk: str) -> None:
    """An item's conditions, materials and places are one <li> per line of their column,
    and each window id of the item is one button."""
    context, page = _page(browser, "portrait")
    try:
        page.goto(f"{kiosk}index.html")
        page.wait_for_selector(".home .tile")
        page.tap(".home li:first-child .tile")
        page.tap("main .tiles li:first-child .tile")
        page.wait_for_selector("main .card h2")
        row = page.evaluate("""async () => (await (await fetch(
            'datasets/items.zh-CN.json')).json()).rows[0]""")
        cards = dict(page.evaluate("""() => [...document.querySelectorAll('main .card')].map(
            (c) => [c.querySelector('h2').textContent,
                    [...c.querySelectorAll('li')].map((li) => li.textContent.trim())])"""))
        t = strings("zh-CN")
        assert not row["withdrawn"]
        assert "\n" in row["conditions"] + row["materials"]  # the example has several
        assert cards[t["conditions"]] == row["conditions"].split("\n")
        assert cards[t["materials"]] == row["materials"].split("\n")
        assert cards[t["where"]] == row["where"].split("\n")
        assert len(cards[t["where"]]) == len(row["windows"].split(" "))
    finally:
        context.close()
