"""The kiosk bundle in real headless Chromium with touch emulation, portrait 1080x1920 and
landscape 1920x1080: on every screen in each language (those of a general bag and the
error screen too) axe-core finds no WCAG 2.2 AA violation and every control is at least
44 x 44 CSS px, the home screen has no tile of an empty dataset, a keyboard opens a window
from the guide map, the idle warning comes and the kiosk goes home, the error screen of a
failed start tries again by itself until the kiosk starts, and it reloads offline through
its service worker."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest

import govdisclosure as gd
from govdisclosure.publishers.kiosk.strings import strings

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"
AS_OF = dt.datetime(2002, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=8)))
HALL = "changchun-government-affairs-hall"
ORIENTATIONS = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
LANGUAGES = ("zh-CN", "en")  # the example's, its default first
#: Withdrawn in the served bundle as well (the example withdraws only an announcement).
WITHDRAWN = ("land-registration-fee", "cc-w05")
#: The home screen's tiles, in the order of kiosk.json's screens, each with its dataset.
DATASETS = {"items": "items", "map": "floors", "windows": "windows", "hotlines": "hotlines",
            "announcements": "announcements"}
HOME = tuple(DATASETS)
FIRST = "main .tiles li:first-child .tile"
TOMBSTONE = "main .tile.withdrawn"
#: Every control's box: buttons, links (the guide map's markers too), and what a script
#: made clickable.
_SIZES = """() => [...document.querySelectorAll('button, a[href], [role=button]')]
  .filter((e) => e.offsetParent !== null)
  .map((e) => { const r = e.getBoundingClientRect();
                return [e.textContent.trim().slice(0, 30), r.width, r.height]; })"""
#: Text put straight into <main> rather than into an element (a null part once showed
#: as "null" under the heading).
_STRAY = """() => [...document.getElementById('screen').childNodes]
  .filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim())
  .map((n) => n.textContent)"""
#: The focused element: its name, whether its ring (the stroke of its box) differs from
#: an unfocused marker's, and whether its centre is clear of the sticky bar.
_FOCUSED = """() => { const e = document.activeElement; const r = e.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  const stroke = (m) => getComputedStyle(m.querySelector('rect')).stroke;
  const other = [...document.querySelectorAll('.map-spot')].find((m) => m !== e);
  return {tag: e.tagName, name: e.getAttribute('aria-label'),
          ringed: e.matches('.map-spot') && stroke(e) !== stroke(other),
          clear: e.contains(hit)}; }"""


def _tile(screen: str, home: Sequence[str] = HOME) -> str:
    return f".home li:nth-child({home.index(screen) + 1}) .tile"


#: Every screen of the app, as a visitor reaches it: the taps from the home screen, the
#: first naming its tile there (the idle warning, over the last of them, is the test's own
#: step).
WALK: dict[str, tuple[str, ...]] = {
    "home": (),
    "items": ("items",),
    "item": ("items", FIRST),
    "item-withdrawn": ("items", TOMBSTONE),
    "map": ("map",),
    "window": ("map", "main .map-spot"),
    "windows": ("windows",),
    "window-withdrawn": ("windows", TOMBSTONE),
    "hotlines": ("hotlines",),
    "announcements": ("announcements",),
    "announcement": ("announcements", FIRST),
    "announcement-withdrawn": ("announcements", TOMBSTONE),
}
#: The screens of the general bag: no guide map, and no window (windows belong to halls).
GENERAL_WALK = ("home", "items", "item", "hotlines", "announcements", "announcement",
                "announcement-withdrawn")
#: How often the error screen of a failed start tries again (kiosk.js's RETRY_S).
RETRY_S = 30


@pytest.fixture(name="kiosk", scope="module")
def fixture_kiosk(tmp_path_factory: pytest.TempPathFactory,
                  serve_folder: Callable[[Path], Iterator[str]]) -> Iterator[str]:
    """The example's Changchun hall bundle, with an item and a window withdrawn as well
    (so that each kind of tombstone has its screen), its data/ folder served on
    127.0.0.1."""
    out = tmp_path_factory.mktemp("kiosk")
    example = gd.load_catalog(ROOT / "examples" / "jilin-2002")
    gone = gd.Withdrawal(on=dt.date(2002, 12, 1), reason={"zh-CN": "合并办理", "en": "Merged"})
    records = [attrs.evolve(r, status="withdrawn", withdrawn=gone) if r.id in WITHDRAWN else r
               for r in example.records]
    gd.publish(gd.Catalog(records, example.meta, root=example.root), to=["kiosk"], out=out,
               as_of=AS_OF, options={"kiosk": {"hall": HALL}})
    yield from serve_folder((out / "kiosk" / "bags" / HALL / "data").resolve())


@pytest.fixture(name="general", scope="module")
def fixture_general(tmp_path_factory: pytest.TempPathFactory,
                    serve_folder: Callable[[Path], Iterator[str]]) -> Iterator[str]:
    """The example without its halls and windows makes the general bag, served on
    127.0.0.1 at ``bag/``; beside it, at ``no-items.<lang>/``, a copy missing that
    language's items dataset for each language."""
    out = tmp_path_factory.mktemp("general")
    example = gd.load_catalog(ROOT / "examples" / "jilin-2002")
    records = [r for r in example.records if r.TYPE not in ("service_hall", "service_window")]
    gd.publish(gd.Catalog(records, example.meta, root=example.root, check=False),
               to=["kiosk"], out=out, as_of=AS_OF)
    served = out / "served"
    shutil.copytree(out / "kiosk" / "bags" / "general" / "data", served / "bag")
    for language in LANGUAGES:
        shutil.copytree(served / "bag", served / f"no-items.{language}")
        (served / f"no-items.{language}" / "datasets" / f"items.{language}.json").unlink()
    yield from serve_folder(served.resolve())


@contextlib.contextmanager
def _page(browser: Any, orientation: str) -> Iterator[Any]:
    """A page of a touch screen in ``orientation``, its browser context closed after."""
    width, height = ORIENTATIONS[orientation]
    context = browser.new_context(viewport={"width": width, "height": height},
                                  has_touch=True, is_mobile=True, locale="zh-CN")
    try:
        yield context.new_page()
    finally:
        context.close()


def _problems(page: Any, axe: Callable[[Any], list[dict[str, Any]]], where: str) -> list[str]:
    """What is wrong with the screen shown: axe's violations, controls under 44 x 44 px,
    stray text."""
    return ([f"{where}: {v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
             for v in axe(page)]
            + [f"{where}: {text!r} is {w:.0f}x{h:.0f}" for text, w, h in page.evaluate(_SIZES)
               if w < 44 or h < 44]
            + [f"{where}: stray text {text!r}" for text in page.evaluate(_STRAY)])


def _screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _open(page: Any, url: str, language: str) -> None:
    """Open the kiosk at ``url`` and tap ``language``'s button."""
    page.goto(url)
    page.wait_for_selector(".home .tile")
    page.tap(f"#languages [lang='{language}']")
    page.wait_for_selector(f"html[lang='{language}'] .home .tile")


def _walk(page: Any, axe: Callable[[Any], list[dict[str, Any]]], screens: Iterable[str],
          language: str, shots: str) -> list[str]:
    """Open each of ``screens`` (of :data:`WALK`) from the home screen by tapping; the
    problems of each, and in the default language a screenshot named ``shots`` with the
    screen for ``{screen}``."""
    home = [screen["id"] for screen in _config(page)["screens"]]
    problems = []
    for screen in screens:
        if page.locator("#home").is_visible():
            page.tap("#home")
        for tap in WALK[screen]:
            page.tap(_tile(tap, home) if tap in home else tap)
        page.wait_for_selector("main h1")
        if language == LANGUAGES[0]:
            _screenshot(page, shots.format(screen=screen))
        problems += _problems(page, axe, f"{screen} ({language})")
    return problems


def _config(page: Any) -> dict[str, Any]:
    """The kiosk.json of the bundle shown."""
    config: dict[str, Any] = page.evaluate("fetch('kiosk.json').then((r) => r.json())")
    return config


def _idle_warning(page: Any) -> None:
    """Move the page's clock on until the idle warning shows."""
    config = _config(page)
    page.clock.fast_forward((config["idle_timeout_s"] - config["idle_warning_s"]) * 1000)
    page.wait_for_selector("#idle:not([hidden])")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("orientation", list(ORIENTATIONS))
def test_every_screen_is_accessible_and_touch_sized(
        browser: Any, kiosk: str, axe: Callable[[Any], list[dict[str, Any]]],
        orientation: str, language: str) -> None:
    """Every screen (home, each list, record and tombstone, the guide map, a window opened
    from its marker, the idle warning) in each language: no axe violation, every control
    at least 44 x 44 px, text at least 20 px; reached by tapping."""
    with _page(browser, orientation) as page:
        page.clock.install()
        _open(page, f"{kiosk}index.html", language)
        assert float(page.evaluate(
            "parseFloat(getComputedStyle(document.body).fontSize)")) >= 20
        problems = _walk(page, axe, WALK, language, "kiosk-{screen}-" + orientation)
        _idle_warning(page)
        problems += _problems(page, axe, f"idle warning ({language})")
        assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_general_bag_is_accessible(
        browser: Any, general: str, axe: Callable[[Any], list[dict[str, Any]]],
        language: str) -> None:
    """The bag of a catalogue with no hall (no guide map, no windows) on every screen, in
    each language, portrait: no axe violation, every control at least 44 x 44 px."""
    with _page(browser, "portrait") as page:
        _open(page, f"{general}bag/index.html", language)
        problems = _walk(page, axe, GENERAL_WALK, language, "kiosk-general-{screen}-portrait")
        assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("orientation", list(ORIENTATIONS))
def test_a_tile_whose_dataset_is_empty_is_not_shown(
        browser: Any, kiosk: str, general: str, orientation: str, language: str) -> None:
    """The home screen shows a tile for each screen whose dataset has rows in the language
    shown, and only those: every tile in the hall's bag; in the general bag no guide map
    and no windows tile (it has no window), in each language and orientation."""
    with _page(browser, orientation) as page:
        shown = {}
        for bag, url in (("hall", f"{kiosk}index.html"), ("general", f"{general}bag/index.html")):
            _open(page, url, language)
            filled = [screen for screen, dataset in DATASETS.items() if page.evaluate(
                "async (path) => (await (await fetch(path)).json()).rows.length",
                f"datasets/{dataset}.{language}.json")]
            tiles = page.locator(".home .tile-title")
            assert all(tile.is_visible() for tile in tiles.all())
            assert tiles.all_text_contents() == [strings(language)[s] for s in filled], bag
            shown[bag] = filled
        assert shown == {"hall": list(HOME),
                         "general": ["items", "hotlines", "announcements"]}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_dataset_that_cannot_be_read_shows_the_error_screen(
        browser: Any, general: str, axe: Callable[[Any], list[dict[str, Any]]],
        language: str) -> None:
    """A bundle missing a language's items dataset says so in that language, at start-up
    (the default language) or when that language is chosen (then back and home lead on in
    the language the kiosk had): no axe violation, every control at least 44 x 44 px."""
    with _page(browser, "portrait") as page:
        page.goto(f"{general}no-items.{language}/index.html")
        if language != LANGUAGES[0]:
            page.wait_for_selector(".home .tile")
            page.tap(f"#languages [lang='{language}']")
        page.get_by_role("heading", name=strings(language)["failed"]).wait_for()
        _screenshot(page, f"kiosk-error-{language}-portrait")
        problems = _problems(page, axe, f"error screen ({language})")
        assert not problems, "\n".join(problems)
        assert f"items.{language}.json" in page.locator("main").text_content()
        if language != LANGUAGES[0]:
            page.tap("#home")
            page.wait_for_selector(f"html[lang='{LANGUAGES[0]}'] .home .tile")


def test_the_error_screen_tries_again_by_itself_until_the_kiosk_starts(
        browser: Any, kiosk: str, axe: Callable[[Any], list[dict[str, Any]]]) -> None:
    """While kiosk.json cannot be loaded (the network refuses it), the start-up error
    screen tries again every RETRY_S seconds, counting down to the next try in the default
    language, and has a button that Tab reaches and that a key or a tap presses to try at
    once (the focus stays on it): no axe violation, every control at least 44 x 44 px.
    Once the data can be loaded, the next try shows the home screen, without the page
    being reloaded."""
    t = strings(LANGUAGES[0])
    tries: list[str] = []

    def refuse(route: Any) -> None:
        tries.append(route.request.url)
        route.abort()

    with _page(browser, "portrait") as page:
        page.clock.install()
        page.route("**/kiosk.json", refuse)
        page.goto(f"{kiosk}index.html")
        page.get_by_role("heading", name=t["failed"]).wait_for()
        assert len(tries) == 1
        assert _countdown(page, t) > RETRY_S - 3
        page.clock.run_for((RETRY_S - 1) * 1000)
        assert len(tries) == 1
        page.clock.run_for(1000)
        _wait_for_try(page, tries, 2)
        assert _countdown(page, t) > RETRY_S - 3  # that try failed: the count starts again
        _screenshot(page, "kiosk-error-retry-portrait")
        problems = _problems(page, axe, "error screen, trying again")
        assert not problems, "\n".join(problems)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == t["retry"]
        page.keyboard.press("Enter")
        _wait_for_try(page, tries, 3)
        assert _countdown(page, t) > RETRY_S - 3
        assert page.evaluate("document.activeElement.textContent") == t["retry"]
        page.tap("#retry")
        _wait_for_try(page, tries, 4)
        assert _countdown(page, t) > RETRY_S - 3
        page.evaluate("window.sameDocument = true")
        page.unroute("**/kiosk.json")
        page.clock.run_for(RETRY_S * 1000)
        page.wait_for_selector(".home .tile")
        assert len(tries) == 4
        assert page.evaluate("window.sameDocument") is True
        assert page.locator("#retry").count() == 0


def _countdown(page: Any, t: dict[str, str]) -> int:
    """The seconds to the next try that the error screen shows (once it shows them)."""
    pattern = re.escape(t["retry_in"]).replace(re.escape("{n}"), r"(\d+)")
    page.wait_for_function("(pattern) => new RegExp('^' + pattern + '$')"
                           ".test(document.getElementById('retry-text').textContent)",
                           arg=pattern)
    found = re.fullmatch(pattern, page.locator("#retry-text").text_content() or "")
    assert found, page.locator("#retry-text").text_content()
    return int(found.group(1))


def _wait_for_try(page: Any, tries: list[str], count: int) -> None:
    """Wait until the page has asked for kiosk.json ``count`` times."""
    for _ in range(100):
        if len(tries) >= count:
            break
        page.wait_for_timeout(50)
    assert len(tries) == count


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_a_map_marker_opens_its_window_by_keyboard(browser: Any, kiosk: str, key: str) -> None:
    """On the guide map, Tab reaches the first window's marker, named by the window's
    number and title, ringed and clear of the bar; Enter or Space opens that window."""
    with _page(browser, "landscape") as page:
        page.goto(f"{kiosk}index.html")
        page.wait_for_selector(".home .tile")
        page.tap(_tile("map"))
        page.wait_for_selector("main .map-spot")
        page.keyboard.press("Tab")
        spot = page.evaluate("""async () => (await (await fetch(
            'datasets/spots.zh-CN.json')).json()).rows[0]""")
        name = f"{strings('zh-CN')['number']} {spot['number']} · {spot['title']}"
        assert page.evaluate(_FOCUSED) == {"tag": "a", "name": name, "ringed": True,
                                           "clear": True}
        _screenshot(page, "kiosk-map-keyboard")
        page.keyboard.press(key)
        assert page.locator("main h1").text_content() == name
        assert page.evaluate("document.activeElement.tagName") == "H1"


def test_a_key_keeps_the_screen_and_the_focus(browser: Any, kiosk: str) -> None:
    """Enter on the idle warning's button only keeps the screen: the focus goes back to the
    control it was on, which is not pressed."""
    with _page(browser, "portrait") as page:
        page.clock.install()
        page.goto(f"{kiosk}index.html")
        page.wait_for_selector(".home .tile")
        page.tap(_tile("items"))
        page.tap(FIRST)
        title = page.locator("main h1").text_content()
        page.keyboard.press("Tab")
        control = page.evaluate("document.activeElement.textContent")
        _idle_warning(page)
        assert page.evaluate("document.activeElement.id") == "stay"
        page.keyboard.press("Enter")
        assert page.locator("#idle").is_hidden()
        assert page.locator("main h1").text_content() == title
        assert page.evaluate("document.activeElement.textContent") == control


def test_a_tap_around_the_idle_warning_opens_nothing_under_it(browser: Any, kiosk: str) -> None:
    """A tap on the dark area around the idle warning, over a button of the screen, only
    keeps the screen: the warning stays while the finger is down (and the count stops),
    then goes, and the button is not pressed."""
    with _page(browser, "portrait") as page:
        page.clock.install()
        page.goto(f"{kiosk}index.html")
        page.wait_for_selector(".home .tile")
        page.tap(_tile("items"))
        box = page.locator(FIRST).bounding_box()
        finger = {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2}
        _idle_warning(page)
        touch = page.context.new_cdp_session(page)
        touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [finger]})
        page.clock.run_for(60_000)
        assert page.locator("#idle").is_visible()
        touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        page.wait_for_selector("#idle", state="hidden")
        page.clock.run_for(1000)  # what a late click would open, it would have drawn by now
        assert page.locator("main h1").text_content() == strings("zh-CN")["items"]


def test_idle_warning_then_home(browser: Any, kiosk: str) -> None:
    """Left alone on a screen, the kiosk warns, then returns to the home screen."""
    with _page(browser, "portrait") as page:
        page.clock.install()
        page.goto(f"{kiosk}index.html")
        page.wait_for_selector(".home .tile")
        page.tap(_tile("windows"))
        page.wait_for_selector("#home:not([hidden])")
        _idle_warning(page)
        assert page.locator("#stay").is_visible()
        page.clock.run_for(_config(page)["idle_warning_s"] * 1000)
        page.wait_for_selector(".home .tile")
        assert page.locator("#idle").is_hidden()


def test_labels_and_values_are_joined_with_the_languages_colon(browser: Any,
                                                              kiosk: str) -> None:
    """On Chinese screens a label and its value are joined with "：" (a withdrawn item's
    date and reason, a hotline's hours and owner), as the time limits are."""
    t = strings("zh-CN")
    with _page(browser, "portrait") as page:
        page.goto(f"{kiosk}index.html")
        page.wait_for_selector(".home .tile")
        page.tap(_tile("items"))
        page.tap(TOMBSTONE)
        assert page.locator("main .card.withdrawn p").all_text_contents() == [
            f"{t['withdrawn_on']}：2002-12-01", f"{t['reason']}：合并办理"]
        page.tap("#home")
        page.tap(_tile("hotlines"))
        lines = page.locator("main .numbers li:first-child p").all_text_contents()
        assert f"{t['hours']}：" in "\n".join(lines)
        assert f"{t['owner']}：" in "\n".join(lines)


def test_offline_reload_through_the_service_worker(browser: Any, kiosk: str) -> None:
    """Once the service worker has cached the bundle, the kiosk reloads with no network
    and still opens an item."""
    with _page(browser, "landscape") as page:
        page.goto(f"{kiosk}index.html")
        page.wait_for_selector(".home .tile")
        page.evaluate("async () => { await navigator.serviceWorker.ready; }")
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=5000)
        page.context.set_offline(True)
        assert page.evaluate("fetch('not-in-the-bundle.json').then(() => 'fetched',"
                             " () => 'offline')") == "offline"
        page.reload()
        page.wait_for_selector(".home .tile")
        page.tap(_tile("items"))
        page.tap(FIRST)
        page.wait_for_selector("img.qr")
        assert page.evaluate("document.querySelector('img.qr').naturalWidth") > 0


def test_flat_columns_come_back_as_lists(browser: Any, kiosk: str) -> None:
    """An item's conditions, materials and places are one <li> per line of their column,
    and each window id of the item is one button."""
    with _page(browser, "portrait") as page:
        page.goto(f"{kiosk}index.html")
        page.wait_for_selector(".home .tile")
        page.tap(_tile("items"))
        page.tap(FIRST)
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


@pytest.fixture(name="long_words", scope="module")
def fixture_long_words(tmp_path_factory: pytest.TempPathFactory,
                       serve_folder: Callable[[Path], Iterator[str]]) -> Iterator[str]:
    """The hall's bundle with every item's English title one 300-letter word."""
    out = tmp_path_factory.mktemp("long")
    example = gd.load_catalog(ROOT / "examples" / "jilin-2002")
    records = [attrs.evolve(r, title={"zh-CN": gd.localize(r.title, "zh-CN", "zh-CN"),
                                      "en": "Licence" * 43})
               if isinstance(r, gd.ApprovalItem) else r for r in example.records]
    gd.publish(gd.Catalog(records, example.meta, root=example.root), to=["kiosk"], out=out,
               as_of=AS_OF, options={"kiosk": {"hall": HALL}})
    yield from serve_folder((out / "kiosk" / "bags" / HALL / "data").resolve())


@pytest.mark.parametrize("orientation", list(ORIENTATIONS))
def test_a_long_word_wraps_and_never_widens_a_screen(
        browser: Any, long_words: str, orientation: str) -> None:
    """A 300-letter word in a title wraps inside its tile and its heading: neither the
    list of items nor the item's screen scrolls sideways."""
    width = ORIENTATIONS[orientation][0]
    with _page(browser, orientation) as page:
        _open(page, f"{long_words}index.html", "en")
        for tap in WALK["item"]:
            page.tap(_tile(tap) if tap in HOME else tap)
            page.wait_for_selector("main h1")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, tap
        assert page.locator("main h1").text_content().startswith("Licence")


def test_a_name_in_another_language_is_marked_with_it(browser: Any, kiosk: str) -> None:
    """On the English screen of a window, the Chinese staff names and first-inquiry officer
    are inside elements with lang="zh-CN"; the roles and badges are not."""
    with _page(browser, "portrait") as page:
        _open(page, f"{kiosk}index.html", "en")
        page.tap(_tile("windows"))
        page.tap(FIRST)
        page.wait_for_selector("main .card h2")
        marked = page.locator("main .card [lang='zh-CN']").all_text_contents()
        assert "刘振国" in marked
        assert "马晓燕" in marked
        assert not [text for text in marked if "Head of window" in text or "CC-0101" in text]
        cards = dict(page.evaluate("""() => [...document.querySelectorAll('main .card')].map(
            (c) => [c.querySelector('h2').textContent, c.textContent])"""))
        assert "刘振国 · Head of window · CC-0101" in cards[strings("en")["staff"]]


@pytest.fixture(name="arabic", scope="module")
def fixture_arabic(tmp_path_factory: pytest.TempPathFactory,
                   serve_folder: Callable[[Path], Iterator[str]]) -> Iterator[str]:
    """The hall's bundle with Arabic as a third catalogue language, in which only the
    items have titles."""
    out = tmp_path_factory.mktemp("arabic")
    example = gd.load_catalog(ROOT / "examples" / "jilin-2002")
    records = [attrs.evolve(r, title={**r.title, "ar": "رخصة"})
               if isinstance(r, gd.ApprovalItem) and isinstance(r.title, dict) else r
               for r in example.records]
    meta = attrs.evolve(example.meta, languages=(*example.meta.languages, "ar"))
    gd.publish(gd.Catalog(records, meta, root=example.root), to=["kiosk"], out=out,
               as_of=AS_OF, options={"kiosk": {"hall": HALL}})
    yield from serve_folder((out / "kiosk" / "bags" / HALL / "data").resolve())


def test_a_language_without_interface_words_declares_english(
        browser: Any, arabic: str, axe: Callable[[Any], list[dict[str, Any]]]) -> None:
    """Arabic, a catalogue language without the interface's words: its button reads
    "العربية", its screens declare lang="en" (the words shown) and left to right, and its
    Arabic titles are marked lang="ar" dir="rtl", the text that fell back to Chinese
    lang="zh-CN"; no axe violation."""
    with _page(browser, "portrait") as page:
        page.goto(f"{arabic}index.html")
        page.wait_for_selector(".home .tile")
        button = page.locator("#languages [lang='ar']")
        assert button.text_content() == "العربية"
        assert button.get_attribute("dir") == "rtl"
        button.tap()
        page.wait_for_selector("#languages [lang='ar'][aria-pressed='true']")
        page.wait_for_selector("html[lang='en'] .home .tile")
        assert page.evaluate("document.documentElement.dir") == "ltr"
        assert page.locator("#kiosk-title").get_attribute("lang") == "zh-CN"
        page.tap(_tile("items"))
        page.wait_for_selector("main .tile-title")
        titles = page.locator("main .tile:not(.withdrawn) .tile-title")
        assert {(titles.nth(n).get_attribute("lang"), titles.nth(n).get_attribute("dir"))
                for n in range(titles.count())} == {("ar", "rtl")}
        assert titles.first.text_content() == "رخصة"
        problems = _problems(page, axe, "items (ar)")
        page.tap(FIRST)
        page.wait_for_selector("main h1[lang='ar'][dir='rtl']")
        problems += _problems(page, axe, "item (ar)")
    assert not problems
