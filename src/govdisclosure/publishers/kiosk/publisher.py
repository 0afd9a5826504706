"""The kiosk publisher: one BagIt bag per service hall, holding an offline touch-screen app
and the flat tables it shows (docs/kiosk.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from importlib import resources
from typing import Any, ClassVar

import segno
from jinja2 import Environment, PackageLoader, StrictUndefined

from ... import __version__
from ...errors import ConfigError
from ...model import (
    Agency,
    ApprovalItem,
    Disclosure,
    Hotline,
    NewsRelease,
    Record,
    ServiceHall,
    ServiceWindow,
    Text,
    localize,
)
from ...model.common import local_file
from ...publishing import BasePublisher, CatalogView, Job, Tombstone
from ...publishing.protocol import RecordKey
from ..guide import FloorLayout, floor_layout
from ..images import NOT_SVG, UNREADABLE, sanitize_svg
from ..labels import LANGUAGE_NAMES, RTL
from ..pages import clean, natural, page_path, safe_url, script_safe
from .bag import bag_files, zip_bytes
from .content import ANNOUNCEMENT_CATEGORIES, DATASETS, Scope, Tables
from .options import KioskOptions
from .strings import interface_language, strings

__all__ = ["INDEX", "SCHEMA", "KioskPublisher"]

SCHEMA = "govdisclosure-kiosk/1"
#: The bags of the last run (to remove those of a hall that is gone).
INDEX = "index.json"
#: The folders of the bags and of their zips: a bag's folder is its hall's id, any
#: ``[a-z0-9][a-z0-9._-]*``, so neither its index nor a zip may sit beside it (a hall
#: ``index.json``, or ``x.zip`` next to ``x``).
BAGS = "bags"
ZIPS = "zips"
#: The bag of a catalogue without a service hall.
GENERAL = "general"
#: The home screen's tiles, in order, each with the dataset it lists: a tile is shown only
#: when that dataset has rows (no windows tile in the general bag, no map without floors).
SCREENS = {"items": "items", "map": "floors", "windows": "windows", "hotlines": "hotlines",
           "announcements": "announcements"}
_SHOWN = frozenset({ApprovalItem.TYPE, ServiceWindow.TYPE, ServiceHall.TYPE, Hotline.TYPE,
                    Disclosure.TYPE, NewsRelease.TYPE})
_STATIC = ("kiosk.js", "kiosk.css")


class KioskPublisher(BasePublisher):
    """Offline kiosk bundles (电子触摸屏) into ``OUT/kiosk/bags/<hall>/``, each a BagIt bag."""

    name: ClassVar[str] = "kiosk"
    Options: ClassVar[type[Any]] = KioskOptions
    audiences: ClassVar[tuple[str, ...]] = ("public", "internal")
    # 2: no tile for an empty dataset; generated_at from records; 3: bags/ and zips/; 4:
    # the site's words (publishers/labels.py: 行政许可, 责任领导, 投诉举报单位和电话); 5:
    # update_check_s, the app looks for a new bundle while idle and shows it at once; 6:
    # files of records gone are removed (an incremental run read the new manifests, so QR
    # codes of an item no longer shown stayed and broke the bag: a full run clears them); 7:
    # the language of record text (<column>_lang, staff_names...), <html lang> the
    # interface's (en for a language without its words), the shared language names
    version: ClassVar[str] = "7"

    def __init__(self, options: KioskOptions | None = None) -> None:
        super().__init__(options or KioskOptions())
        self.options: KioskOptions

    def shows(self, record_type: str) -> bool:
        """Items, windows, halls, hotlines, disclosures and news releases."""
        return record_type in _SHOWN

    def shown(self, job: Job) -> set[RecordKey]:
        """What some bag holds: its hall, the items and windows of its hall (every item in
        the general bag), the hotlines that are not closed, the latest announcements, and
        the tombstones of those types (the rows of its datasets)."""
        halls = _halls(job)
        keys: set[RecordKey] = set()
        for _, hall in self._bags(halls)[0]:
            keys.update(_key(record) for record in _contents(job, self.options, hall, halls))
        return keys

    def check_catalog(self, view: CatalogView) -> list[str]:
        """The ``hall`` of the options, when the catalogue has no public hall of it."""
        return self._bags(view.of_type(ServiceHall))[1]

    def _bags(self, halls: list[ServiceHall]) -> tuple[list[tuple[str, ServiceHall | None]],
                                                         list[str]]:
        """The bags to write, ``(name, hall)``, given the public halls (by id), and
        what stands in the way of writing them (for :meth:`check_catalog`)."""
        wanted = self.options.hall
        if wanted is None:
            return [(h.id, h) for h in halls] or [(GENERAL, None)], []
        hall = next((h for h in halls if h.id == wanted), None)
        if hall is None:
            return [], [f"hall: no public service_hall {wanted!r} in this catalogue"]
        return [(hall.id, hall)], []

    def publish(self, job: Job) -> None:
        """Write every bag (the writer skips unchanged bytes: a bag is small) and remove
        the files of bags, or of records, that are gone."""
        halls = _halls(job)
        bags, problems = self._bags(halls)
        if problems:  # check_catalog found them before the run, unless it was skipped
            raise ConfigError(f"[publish.kiosk] {'; '.join(problems)}", publisher=self.name,
                              key="hall")
        old = self._old_index(job)
        index = []
        for done, (name, hall) in enumerate(bags, start=1):
            folder = _folder(name)
            files, version = _Bag(job, self.options, hall, halls).files(name)
            listed = _listed(job, folder)  # the last run's manifests, before they are rewritten
            for path, data in files.items():
                job.write(f"{folder}/{path}", data)
            for path in listed - files.keys():
                job.remove(f"{folder}/{path}")
            entry = {"name": name, "hall": hall.id if hall else None, "version": version,
                     "path": f"{folder}/", "zip": None}
            if self.options.zip:
                generated = json.loads(files["data/kiosk.json"])["generated_at"]
                job.write(_zip(name), zip_bytes(name, files,
                                                dt.datetime.fromisoformat(generated)))
                entry["zip"] = _zip(name)
            elif old.get(name, {}).get("zip"):
                job.remove(_zip(name))
            index.append(entry)
            job.progress(done, len(bags))
        for name, entry in old.items():
            if name not in {bag for bag, _ in bags}:
                for path in _listed(job, _folder(name)):
                    job.remove(f"{_folder(name)}/{path}")
                if entry.get("zip"):
                    job.remove(_zip(name))
        job.write(INDEX, _json({"schema": "govdisclosure-kiosk-index/1", "bundles": index}))

    @staticmethod
    def _old_index(job: Job) -> dict[str, dict[str, Any]]:
        data = job.read(INDEX)
        if data is None:
            return {}
        try:
            bundles = json.loads(data)["bundles"]
            return {str(b["name"]): b for b in bundles if isinstance(b, dict)}
        except (ValueError, KeyError, TypeError):
            return {}


def _halls(job: Job) -> list[ServiceHall]:
    """The public halls, by id."""
    return sorted((r for r in job.records if isinstance(r, ServiceHall)), key=lambda h: h.id)


def _key(record: Record | Tombstone) -> RecordKey:
    return record.key if isinstance(record, Tombstone) else (record.TYPE, record.id)


def _scope(job: Job, options: KioskOptions, hall: ServiceHall | None,
           halls: list[ServiceHall]) -> Scope:
    """The records of a bag: a hall's (or, with no hall, every) item and window, every
    hotline that is not closed, the latest announcements, the tombstones of those types;
    no floor layouts yet (:meth:`_Bag._layouts`)."""
    windows = [r for r in job.records if isinstance(r, ServiceWindow)
               and (hall is None or r.hall == hall.id)]
    windows.sort(key=lambda w: (w.hall, natural(w.number), w.id))
    all_items = {r.id: r for r in job.records if isinstance(r, ApprovalItem)}
    if hall is None:
        items = [all_items[k] for k in sorted(all_items)]
    else:
        ids = {w.id for w in windows}
        order: dict[str, ApprovalItem] = {}
        for window in windows:
            for ident in window.services:
                if ident in all_items:
                    order.setdefault(ident, all_items[ident])
        for ident in sorted(all_items):
            if ids.intersection(all_items[ident].windows):
                order.setdefault(ident, all_items[ident])
        items = list(order.values())
    hotlines = sorted((r for r in job.records if isinstance(r, Hotline)
                       and r.status != "closed"), key=lambda h: h.id)
    news: list[Record] = [r for r in job.records if isinstance(r, NewsRelease) or (
        isinstance(r, Disclosure) and r.category in ANNOUNCEMENT_CATEGORIES)]
    far = dt.datetime.min.replace(tzinfo=dt.UTC)
    news.sort(key=lambda r: (r.TYPE, r.id))
    news.sort(key=lambda r: r.issued_at or far, reverse=True)
    stones = sorted((s for s in job.tombstones if s.type in _SHOWN - {ServiceHall.TYPE}),
                    key=lambda s: (s.type, s.id))
    return Scope(hall, halls, items, windows, hotlines, news[: options.announcements],
                 stones, [])


def _contents(job: Job, options: KioskOptions, hall: ServiceHall | None,
              halls: list[ServiceHall]) -> Iterator[Record | Tombstone]:
    """Every record and tombstone that the bag of ``hall`` shows."""
    scope = _scope(job, options, hall, halls)
    if hall is not None:
        yield hall
    yield from scope.items
    yield from scope.windows
    yield from scope.hotlines
    yield from scope.announcements
    yield from scope.stones


def _folder(name: str) -> str:
    """The folder of the bag ``name``."""
    return f"{BAGS}/{name}"


def _zip(name: str) -> str:
    """The zip of the bag ``name``."""
    return f"{ZIPS}/{name}.zip"


def _listed(job: Job, folder: str) -> set[str]:
    """The files of the bag ``folder`` written by the last run: its manifests name them."""
    found: set[str] = set()
    for manifest in ("manifest-sha256.txt", "tagmanifest-sha256.txt"):
        data = job.read(f"{folder}/{manifest}")
        if data is None:
            continue
        found.add(manifest)
        for line in data.decode("utf-8", errors="replace").splitlines():
            path = line.partition("  ")[2].strip()
            if path:
                found.add(path)
    return found


def _json(value: Any) -> bytes:
    return script_safe(json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)
                       + "\n").encode()


def _text(text: str) -> str:
    """Catalogue text for a dataset: :func:`clean`, and a line or paragraph separator
    (U+2028, U+2029) a plain line break, as a signage CMS or a script expects."""
    return clean(text).replace("\u2028", "\n").replace("\u2029", "\n")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("govdisclosure.publishers.kiosk", "templates"),
                       autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True)


@lru_cache(maxsize=1)
def _static() -> dict[str, bytes]:
    package = resources.files("govdisclosure.publishers.kiosk") / "static"
    return {name: (package / name).read_bytes() for name in (*_STATIC, "sw.js")}


class _Bag:
    """One bag: the records of its hall, rendered into payload files, then tagged."""

    def __init__(self, job: Job, options: KioskOptions, hall: ServiceHall | None,
                 halls: list[ServiceHall]) -> None:
        self.job = job
        self.options = options
        self.hall = hall
        self.default = job.meta.default_language
        self.payload: dict[str, bytes] = {}
        self.scope = _scope(job, options, hall, halls)
        if hall is not None:
            self.scope.layouts = self._layouts(self.scope.windows)

    # -- what the bag holds ------------------------------------------------------------------

    def _layouts(self, windows: list[ServiceWindow]) -> list[tuple[FloorLayout, str | None]]:
        assert self.hall is not None  # noqa: S101 - only called for a hall
        shown = {w.id for w in windows}.__contains__
        layouts = []
        for n, floor in enumerate(self.hall.floors, start=1):
            plan, size = None, None
            path = local_file(floor.plan)
            if path is not None:
                data = self.job.file(path)
                checked = sanitize_svg(data) if data is not None else None
                if checked is None:
                    why = UNREADABLE if data is None else NOT_SVG
                    self.job.warn(f"kiosk: service_hall:{self.hall.id} floors.{n - 1}.plan: "
                                  f"{path!r} {why}; not shown")
                else:
                    plan, size = f"assets/plan-{n}.svg", checked[1]
                    self.payload[plan] = checked[0]
            elif floor.plan:
                self.job.warn(f"kiosk: service_hall:{self.hall.id} floors.{n - 1}.plan: a "
                              "URL is not shown offline; give the catalogue's SVG file")
            layouts.append((floor_layout(floor, size, shown), plan))
        return layouts

    # -- files --------------------------------------------------------------------------------

    def item_link(self, lang: str) -> Callable[[ApprovalItem], str | None]:
        def link(item: ApprovalItem) -> str | None:
            if item.channels is not None and "site" not in item.channels:
                return None
            return safe_url(f"{self.job.base_url}{lang}/{page_path(item.TYPE, item.id)}",
                            self.job.base_url)
        return link

    def qr(self, lang: str) -> Callable[[ApprovalItem], str | None]:
        link = self.item_link(lang)

        def path(item: ApprovalItem) -> str | None:
            url = link(item)
            if url is None:
                return None
            name = f"assets/qr/{item.id}.{lang}.svg"
            if name not in self.payload:
                buffer = io.BytesIO()
                segno.make(url, error="m", micro=False).save(
                    buffer, kind="svg", scale=6, border=4, xmldecl=False, svgclass=None,
                    lineclass=None, dark="#000", light="#fff")
                self.payload[name] = buffer.getvalue()
            return name
        return path

    def agency_name(self, ident: str | None) -> Text | None:
        record = self.job.catalog.get(Agency.TYPE, ident) if ident else None
        return record.label if isinstance(record, Agency) else None

    def title(self, lang: str) -> str:
        name = self.hall.name if self.hall is not None else self.job.meta.name
        # one line (str.split() splits at U+2028 and U+2029 too): a title, in HTML and JSON
        return " ".join(clean(localize(name, lang, self.default)).split()) or strings(lang)["kiosk"]

    def title_language(self, lang: str, tables: Tables) -> str | None:
        """The language of :meth:`title`'s text; None for the interface's words."""
        name = self.hall.name if self.hall is not None else self.job.meta.name
        return tables.ln(name) if tables.s(name).split() else None

    def files(self, bag: str) -> tuple[dict[str, bytes], str]:
        """Every file of the bag named ``bag`` (``data/...`` and the tag files) and its
        version."""
        job = self.job
        zone = job.meta.zone
        languages = list(job.languages)
        datasets: dict[str, dict[str, str]] = {name: {} for name in DATASETS}
        filled: set[str] = set()  # the datasets with rows (the same in every language)
        title_languages = {}
        for lang in languages:
            builder = Tables(self.scope, lang, self.default, zone, _text, self.item_link(lang),
                             self.qr(lang), self.agency_name, job.base_url)
            title_languages[lang] = self.title_language(lang, builder)
            tables = builder.all()
            filled.update(name for name in DATASETS if tables[name])
            for name in DATASETS:
                path = f"datasets/{name}.{lang}.json"
                datasets[name][lang] = path
                self.payload[path] = _json({"schema": "govdisclosure-kiosk-dataset/1",
                                            "dataset": name, "language": lang,
                                            "rows": tables[name]})
        for name in _STATIC:
            self.payload[name] = _static()[name]
        title = {lang: self.title(lang) for lang in languages}
        self.payload["manifest.webmanifest"] = _json({
            "name": title[self.default], "short_name": title[self.default][:12],
            "lang": self.default, "start_url": "index.html", "scope": "./",
            "display": "fullscreen", "orientation": "any",
            "background_color": "#ffffff", "theme_color": "#0b4f8a"})
        self.payload["index.html"] = _environment().get_template("index.html").render(
            lang=interface_language(self.default), title=title[self.default],
            t=strings(self.default)).encode()
        screens = [{"id": screen, "title": {lang: strings(lang)[screen] for lang in languages},
                    "hint": {lang: strings(lang)[f"{screen}_hint"] for lang in languages}}
                   for screen, dataset in SCREENS.items() if dataset in filled]
        config: dict[str, Any] = {
            "schema": SCHEMA,
            "hall": self.hall.id if self.hall is not None else None,
            "title": title,
            "title_lang": title_languages,
            "languages": languages,
            "default_language": self.default,
            "language_names": {lang: LANGUAGE_NAMES.get(lang, lang) for lang in languages},
            "interface_languages": {lang: interface_language(lang) for lang in languages},
            "rtl": sorted(RTL),
            "idle_timeout_s": self.options.idle_timeout_s,
            "idle_warning_s": _warning(self.options.idle_timeout_s),
            "update_check_s": self.options.update_check_s,
            "entrypoint": "index.html",
            "service_worker": "sw.js",
            "manifest": "manifest.webmanifest",
            "screens": screens,
            "datasets": datasets,
            "strings": {lang: strings(lang) for lang in languages},
            "site": job.base_url,
        }
        digest = hashlib.sha256(_json([config, sorted(
            (path, hashlib.sha256(data).hexdigest()) for path, data in self.payload.items())]))
        version = digest.hexdigest()[:16]
        config["version"] = version
        config["generated_at"] = self._generated_at()
        config["files"] = sorted([*self.payload, "kiosk.json"])
        self.payload["kiosk.json"] = _json(config)
        precache = {"version": version, "files": config["files"]}
        self.payload["sw.js"] = (f"const PRECACHE = {json.dumps(precache, sort_keys=True)};\n"
                                 ).encode() + _static()["sw.js"]
        generated = dt.datetime.fromisoformat(config["generated_at"])
        info = {
            "Source-Organization": clean(localize(
                job.meta.publisher.name if job.meta.publisher else job.meta.name,
                self.default, self.default)),
            "External-Description": f"govdisclosure kiosk bundle: {title[self.default]}",
            "External-Identifier": f"govdisclosure-kiosk:{bag}:{version}",
            "Bagging-Date": generated.astimezone(zone).date().isoformat(),
            "Bag-Software-Agent": f"govdisclosure {__version__} (kiosk publisher)",
        }
        return bag_files(self.payload, info), version

    def _generated_at(self) -> str:
        """The newest instant the bag's records carry (updated, issued, published or
        withdrawn; without any, the newest of the whole selection's, then ``as_of``; a date
        after ``as_of``, mistyped or planned, counts as ``as_of``): the
        same catalogue gives the same bag byte for byte, whatever was published before, and
        publishing it again later rewrites nothing."""
        scope, job = self.scope, self.job
        zone = job.meta.zone
        newest = _newest([scope.hall] if scope.hall is not None else [], scope.items,
                         scope.windows, scope.hotlines, scope.announcements, scope.stones,
                         zone=zone)
        newest = newest or _newest(job.records, job.tombstones, zone=zone) or job.as_of
        return min(newest, job.as_of).astimezone(zone).isoformat()  # never after the run


def _newest(*groups: Iterable[Record | Tombstone], zone: dt.tzinfo) -> dt.datetime | None:
    """The latest ``updated_at``, ``issued_at``, ``publish_at`` or withdrawal day (its
    start, in ``zone``) of the records and tombstones of ``groups``."""
    instants = []
    for group in groups:
        for record in group:
            instants += [at for at in (record.updated_at, record.issued_at,
                                       getattr(record, "publish_at", None)) if at is not None]
            withdrawn = record.withdrawn
            if withdrawn is not None:
                instants.append(dt.datetime.combine(withdrawn.on, dt.time(), zone))
    return max(instants, default=None)


def _warning(timeout: int) -> int:
    """Seconds of warning before the kiosk goes home: a third of the timeout, 3 to 15."""
    return max(1, min(15, timeout // 3))
