"""What a kiosk shows: the flat tables (``data/datasets/<name>.<lang>.json``) of one bag.

Every row is flat: each value is a string, number, boolean or null, so that a signage CMS
(Xibo's remote datasets, say) can map the columns. A column of several texts holds them
one per line (``\n`` between them, each text on one line), a column of several ids holds
them separated by a space (ids have none). Text is in one language per file, cleaned of
control characters; the app shows it with ``textContent``. A withdrawn record is a row with
``withdrawn = true``, its title, date and reason.

Every row has an ``id`` that no other row of its dataset has: a record's id, its
``type:id`` where two types meet (``announcements``), or the ``type:id`` of the record a
row belongs to and its place in it (``approval_item:permit.complaint.2``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from ...model import (
    ApprovalItem,
    ContactPoint,
    Disclosure,
    Hotline,
    Money,
    NewsRelease,
    Record,
    ServiceHall,
    ServiceWindow,
    Text,
    localize,
)
from ...publishing import Tombstone
from ..guide import FloorLayout
from ..pages import natural, safe_url
from .strings import strings, value

__all__ = ["ANNOUNCEMENT_CATEGORIES", "DATASETS", "Scope", "Tables"]

#: The datasets of every bag, in the order of the home screen's buttons where they are one.
DATASETS = ("items", "windows", "floors", "spots", "hotlines", "announcements", "halls")
#: Disclosure categories the kiosk lists as announcements (with every news release).
ANNOUNCEMENT_CATEGORIES = frozenset({"announcement", "convenience", "service", "emergency"})
Row = dict[str, Any]


def _lines(texts: Iterable[str]) -> str:
    """Several texts as one column: one per line, a line break inside one becoming a space
    (so that the n-th line is the n-th text); '' for none."""
    return "\n".join(" ".join(text.splitlines()) for text in texts)


def _ids(values: Iterable[str]) -> str:
    """Several ids as one column, separated by a space; '' for none."""
    return " ".join(values)


class Scope:
    """The records of one bag: a hall's (or, with no hall, every) item, window and floor,
    every hotline and the latest announcements; tombstones of those types."""

    def __init__(self, hall: ServiceHall | None, halls: list[ServiceHall],
                 items: list[ApprovalItem], windows: list[ServiceWindow],
                 hotlines: list[Hotline], announcements: list[Record],
                 stones: list[Tombstone], layouts: list[tuple[FloorLayout, str | None]]) -> None:
        self.hall = hall
        self.halls = halls
        self.items = items
        self.windows = windows
        self.hotlines = hotlines
        self.announcements = announcements
        self.stones = stones
        self.layouts = layouts  # per floor of ``hall``: its layout and its plan's asset path


class Tables:
    """Builds the rows of every dataset for one language."""

    def __init__(self, scope: Scope, lang: str, default: str, zone: dt.tzinfo,
                 clean: Callable[[str], str], item_link: Callable[[ApprovalItem], str | None],
                 qr_path: Callable[[ApprovalItem], str | None],
                 agency_name: Callable[[str | None], Text | None], base_url: str) -> None:
        self.scope = scope
        self.lang = lang
        self.default = default
        self.zone = zone
        self._clean = clean
        self.t = strings(lang)
        self.item_link = item_link
        self.qr_path = qr_path
        self.agency_name = agency_name
        self.base_url = base_url
        self.windows = {w.id: w for w in scope.windows}
        self.halls = {h.id: h for h in scope.halls}

    # -- text -------------------------------------------------------------------------------

    def s(self, text: Text | None) -> str:
        """Localized, cleaned text; '' for None."""
        return self._clean(localize(text, self.lang, self.default)).strip()

    def sn(self, text: Text | None) -> str | None:
        """Like :meth:`s`, None when empty."""
        return self.s(text) or None

    def ln(self, text: Text | None) -> str | None:
        """The language of :meth:`s`'s text (a plain string is in the default language), for
        its column's ``<column>_lang``; None when there is no text."""
        if text is None or not self.s(text):
            return None
        if isinstance(text, str):
            return self.default
        for lang in (self.lang, self.default):
            if text.get(lang):
                return lang
        return next(iter(text))

    def lns(self, texts: Iterable[Text | None]) -> str:
        """The languages of a column of texts one per line, separated by a space (the n-th
        the n-th line's; the file's language for an empty line)."""
        return _ids(self.ln(text) or self.lang for text in texts)

    def url(self, url: str | None) -> str | None:
        """An http(s), mailto or tel URL (a relative one resolved against the site), or None:
        a ``javascript:`` or ``data:`` URL never reaches a dataset."""
        return safe_url(url, self.base_url)

    def days(self, n: int, unit: str) -> str:
        return self.t[unit].format(n=n)

    def money(self, money: Money) -> str:
        amount = f"{money.amount:f}"
        if money.currency == "CNY" and self.lang.lower().startswith("zh"):
            return f"{amount}元"
        return f"{amount} {money.currency}"

    def date(self, moment: dt.datetime | dt.date | None) -> str | None:
        if moment is None:
            return None
        if isinstance(moment, dt.datetime):
            return moment.astimezone(self.zone).date().isoformat()
        return moment.isoformat()

    def contact(self, point: ContactPoint) -> str:
        parts = [self.s(point.unit), self._clean(point.phone or ""), self._clean(point.email or ""),
                 self.s(point.address), self.s(point.hours)]
        return " · ".join(part.strip() for part in parts if part and part.strip())

    def window_label(self, window: ServiceWindow) -> str:
        return f"{self.t['number']} {self._clean(window.number)} · {self.s(window.name)}"

    def floor_of(self, window: ServiceWindow) -> str | None:
        label = self.floor_label(window)
        return None if label is None else self.s(label)

    def floor_label(self, window: ServiceWindow) -> Text | None:
        hall = self.halls.get(window.hall)
        if hall is None:
            return None
        for floor in hall.floors:
            if any(spot.window == window.id for spot in floor.windows):
                return floor.label
        return None

    # -- the tables -----------------------------------------------------------------------------

    def all(self) -> dict[str, list[Row]]:
        """Every dataset's rows."""
        return {"items": self.items(), "windows": self.window_rows(), "floors": self.floors(),
                "spots": self.spots(), "hotlines": self.hotlines(),
                "announcements": self.announcements(), "halls": self.hall_rows()}

    def tombstones(self, kinds: Iterable[str], columns: Iterable[str], *,
                   refs: bool = False) -> list[Row]:
        """The rows of withdrawn records of ``kinds``, identified by ``type:id`` with
        ``refs``."""
        wanted = set(kinds)
        rows = []
        for stone in self.scope.stones:
            if stone.type in wanted:
                row: Row = dict.fromkeys(columns)
                row.update({"id": f"{stone.type}:{stone.id}" if refs else stone.id,
                            "type": stone.type, "withdrawn": True,
                            "title": self.s(stone.title) or stone.id,
                            "title_lang": self.ln(stone.title),
                            "withdrawn_on": stone.withdrawn.on.isoformat(),
                            "withdrawn_reason": self.s(stone.withdrawn.reason),
                            "withdrawn_reason_lang": self.ln(stone.withdrawn.reason)})
                rows.append(row)
        return rows

    def items(self) -> list[Row]:
        rows = [self.item(item) for item in self.scope.items]
        return rows + self.tombstones([ApprovalItem.TYPE], _ITEM_COLUMNS)

    def item(self, item: ApprovalItem) -> Row:
        limit = item.time_limit
        limit_text = None
        if limit is not None:
            limit_text = self.t["labelled"].format(
                label=self.t["statutory"], value=self.days(limit.statutory, limit.unit))
            if limit.promised is not None:
                limit_text += self.t["semicolon"] + self.t["labelled"].format(
                    label=self.t["promised"], value=self.days(limit.promised, limit.unit))
        if item.fees is None:
            fees: list[str] = []
            fees_text = self.t["unknown"]
        elif not item.fees:
            fees, fees_text = [], self.t["free"]
        else:
            fees = [" · ".join(p for p in (self.s(f.name), self.money(f.amount), self.s(f.basis))
                               if p) for f in item.fees]
            fees_text = self.t["semicolon"].join(fees)
        unit = (limit.unit if limit else "calendar_days")
        steps = []
        for step in item.procedure:  # numbered by the screen's <ol>
            text = self.s(step.title)
            if step.days is not None:
                text += f"{self.t['lp']}{self.days(step.days, unit)}{self.t['rp']}"
            if step.detail:
                text += f"{self.t['colon']}{self.s(step.detail)}"
            steps.append(text)
        where = []
        for window in self.item_windows(item):
            hall = self.halls.get(window.hall)
            parts = [self.window_label(window), self.s(hall.name) if hall else "",
                     self.floor_of(window) or ""]
            where.append(" · ".join(p for p in parts if p))
        return {
            "id": item.id, "type": item.TYPE, "withdrawn": False,
            "title": self.s(item.title), "title_lang": self.ln(item.title),
            "kind": value(item.kind, self.lang),
            "agency": self.s(self.agency_name(item.agency)) or None,
            "agency_lang": self.ln(self.agency_name(item.agency)),
            "handling_unit": self.sn(item.handling_unit),
            "handling_unit_lang": self.ln(item.handling_unit),
            "summary": self.sn(item.summary), "summary_lang": self.ln(item.summary),
            "conditions": _lines(self.s(c) for c in item.conditions),
            "conditions_lang": self.lns(item.conditions),
            "materials": _lines(self.s(m) for m in item.materials),
            "materials_lang": self.lns(item.materials),
            "steps": _lines(steps),
            "time_limit": limit_text,
            "time_limit_statutory": limit.statutory if limit else None,
            "time_limit_promised": limit.promised if limit else None,
            "time_limit_unit": limit.unit if limit else None,
            "fees": fees_text, "fee_list": _lines(fees), "free": item.fees == (),
            "where": _lines(where), "windows": _ids(w.id for w in self.item_windows(item)),
            "complaint": _lines(self.contact(c) for c in item.complaint),
            "online_url": self.url(item.online_url),
            "page_url": self.item_link(item), "qr": self.qr_path(item),
            "withdrawn_on": None, "withdrawn_reason": None, "withdrawn_reason_lang": None,
        }

    def item_windows(self, item: ApprovalItem) -> list[ServiceWindow]:
        found = {w.id: w for w in self.scope.windows if item.id in w.services}
        for ident in item.windows:
            if ident in self.windows:
                found[ident] = self.windows[ident]
        return sorted(found.values(), key=lambda w: natural(w.number))

    def window_rows(self) -> list[Row]:
        titles = {item.id: self.s(item.title) for item in self.scope.items}
        names = {item.id: item.title for item in self.scope.items}
        rows = []
        for window in self.scope.windows:
            services = [i for i in window.services if i in titles]
            services += sorted(item.id for item in self.scope.items
                               if window.id in item.windows and item.id not in services)
            hall = self.halls.get(window.hall)
            rows.append({
                "id": window.id, "type": window.TYPE, "withdrawn": False,
                "number": self._clean(window.number), "title": self.s(window.name),
                "title_lang": self.ln(window.name),
                "hall": hall.id if hall else None,
                "hall_name": self.s(hall.name) if hall else None,
                "hall_name_lang": self.ln(hall.name) if hall else None,
                "floor": self.floor_of(window), "floor_lang": self.ln(self.floor_label(window)),
                "hours": self.sn(window.hours), "hours_lang": self.ln(window.hours),
                "services": _lines(titles[i] for i in services),
                "services_lang": self.lns(names[i] for i in services),
                "service_ids": _ids(services),
                "commitments": _lines(
                    self.s(c.text) + (f" ({self.t['days'].format(n=c.target_days)})"
                                      if c.target_days is not None else "")
                    for c in window.commitments),
                "staff": _lines(" · ".join(p for p in (self._clean(person.name),
                                                      self.s(person.role),
                                                      self._clean(person.badge or "")) if p)
                               for person in window.staff),
                # the same, a column each: a name is in the catalogue's default language
                "staff_names": _lines(self._clean(person.name) for person in window.staff),
                "staff_names_lang": self.lns(person.name for person in window.staff),
                "staff_roles": _lines(self.s(person.role) for person in window.staff),
                "staff_roles_lang": self.lns(person.role for person in window.staff),
                "staff_badges": _lines(self._clean(person.badge or "")
                                       for person in window.staff),
                "first_inquiry_officer": self._clean(window.first_inquiry_officer or "") or None,
                "first_inquiry_officer_lang": self.ln(window.first_inquiry_officer),
                "complaint": _lines(self.contact(c) for c in window.complaint),
                "withdrawn_on": None, "withdrawn_reason": None, "withdrawn_reason_lang": None,
            })
        return rows + self.tombstones([ServiceWindow.TYPE], _WINDOW_COLUMNS)

    def floors(self) -> list[Row]:
        hall = self.scope.hall
        if hall is None:
            return []
        return [{"id": f"{hall.ref}.floor.{n}", "hall": hall.id, "floor": n,
                 "label": self.s(floor.label), "label_lang": self.ln(floor.label),
                 "plan": plan, "width": 1000, "height": layout.height}
                for n, (floor, (layout, plan)) in enumerate(zip(hall.floors, self.scope.layouts,
                                                                strict=True), start=1)]

    def spots(self) -> list[Row]:
        hall = self.scope.hall
        if hall is None:
            return []
        rows = []
        for n, (layout, _) in enumerate(self.scope.layouts, start=1):
            drawn = [(spot, self.windows[spot.window]) for spot in layout.spots
                     if spot.window in self.windows]
            # a window may be drawn twice: a marker is known by its place on its floor
            for i, (spot, window) in enumerate(drawn, start=1):
                rows.append({"id": f"{hall.ref}.floor.{n}.spot.{i}", "floor": n,
                             "window": window.id, "number": self._clean(window.number),
                             "title": self.s(window.name), "title_lang": self.ln(window.name),
                             "x": spot.x, "y": spot.y})
        return rows

    def hotlines(self) -> list[Row]:
        rows: list[Row] = []
        for line in self.scope.hotlines:
            owner = line.owner
            rows.append({
                "id": line.id, "type": line.TYPE, "kind": "hotline", "withdrawn": False,
                "title": self.s(line.title) or self.s(self.agency_name(line.agency)) or line.id,
                "title_lang": self.ln(line.title) or self.ln(self.agency_name(line.agency)),
                "number": self._clean(line.number), "hours": self.sn(line.hours),
                "hours_lang": self.ln(line.hours),
                "owner": " ".join(p for p in (self.s(owner.title), self.s(owner.name)) if p)
                if owner else None,
                "status": line.status, "withdrawn_on": None, "withdrawn_reason": None,
                "withdrawn_reason_lang": None,
            })
        # where to complain about this hall's items and windows, each contact once
        seen: set[str] = set()
        owners: list[ApprovalItem | ServiceWindow] = [*self.scope.items, *self.scope.windows]
        sources = [(record, n, point) for record in owners
                   for n, point in enumerate(record.complaint, start=1)]
        for record, n, point in sources:
            text = self.contact(point)
            if not text or text in seen:
                continue
            seen.add(text)
            rows.append({
                "id": f"{record.ref}.complaint.{n}", "type": "complaint",
                "kind": "complaint", "withdrawn": False,
                "title": self.s(point.unit) or self.t["complaint_line"],
                "title_lang": self.ln(point.unit),
                "number": self._clean(point.phone or "") or None,
                "hours": self.sn(point.hours), "hours_lang": self.ln(point.hours),
                "owner": None, "status": None,
                "withdrawn_on": None, "withdrawn_reason": None, "withdrawn_reason_lang": None,
            })
        return rows + self.tombstones([Hotline.TYPE], _HOTLINE_COLUMNS)

    def announcements(self) -> list[Row]:
        rows = []
        for record in self.scope.announcements:
            title = record.headline if isinstance(record, NewsRelease) else record.title
            rows.append({
                "id": record.ref, "type": record.TYPE, "withdrawn": False,
                "title": self.s(title) or record.id, "title_lang": self.ln(title),
                "category": record.category if isinstance(record, Disclosure) else "news",
                "date": self.date(record.issued_at),
                "agency": self.s(self.agency_name(getattr(record, "agency", None))) or None,
                "agency_lang": self.ln(self.agency_name(getattr(record, "agency", None))),
                "summary": self.sn(record.summary), "summary_lang": self.ln(record.summary),
                "withdrawn_on": None, "withdrawn_reason": None, "withdrawn_reason_lang": None,
            })
        return rows + self.tombstones([Disclosure.TYPE, NewsRelease.TYPE],
                                      _ANNOUNCEMENT_COLUMNS, refs=True)

    def hall_rows(self) -> list[Row]:
        return [{"id": hall.id, "title": self.s(hall.name), "title_lang": self.ln(hall.name),
                 "address": self.sn(hall.address), "address_lang": self.ln(hall.address),
                 "hours": self.sn(hall.hours), "hours_lang": self.ln(hall.hours),
                 "summary": self.sn(hall.summary), "summary_lang": self.ln(hall.summary),
                 "online_url": self.url(hall.online_url)}
                for hall in self.scope.halls
                if self.scope.hall is None or hall.id == self.scope.hall.id]


_ITEM_COLUMNS = ("id", "type", "withdrawn", "title", "title_lang", "kind", "agency",
                 "agency_lang", "handling_unit", "handling_unit_lang", "summary", "summary_lang",
                 "conditions", "conditions_lang", "materials", "materials_lang", "steps",
                 "time_limit", "time_limit_statutory", "time_limit_promised", "time_limit_unit",
                 "fees", "fee_list", "free", "where", "windows", "complaint", "online_url",
                 "page_url", "qr", "withdrawn_on", "withdrawn_reason", "withdrawn_reason_lang")
_WINDOW_COLUMNS = ("id", "type", "withdrawn", "number", "title", "title_lang", "hall",
                   "hall_name", "hall_name_lang", "floor", "floor_lang", "hours", "hours_lang",
                   "services", "services_lang", "service_ids", "commitments", "staff",
                   "staff_names", "staff_names_lang", "staff_roles", "staff_roles_lang",
                   "staff_badges", "first_inquiry_officer", "first_inquiry_officer_lang",
                   "complaint", "withdrawn_on", "withdrawn_reason", "withdrawn_reason_lang")
_HOTLINE_COLUMNS = ("id", "type", "kind", "withdrawn", "title", "title_lang", "number", "hours",
                    "hours_lang", "owner", "status", "withdrawn_on", "withdrawn_reason",
                    "withdrawn_reason_lang")
_ANNOUNCEMENT_COLUMNS = ("id", "type", "withdrawn", "title", "title_lang", "category", "date",
                         "agency", "agency_lang", "summary", "summary_lang", "withdrawn_on",
                         "withdrawn_reason", "withdrawn_reason_lang")
