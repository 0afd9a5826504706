"""Service halls and windows: where the public gets things done (服务窗口, 政务大厅)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, ClassVar, Literal

from attrs import Attribute, field, frozen

from ..errors import InvalidValue
from .common import (
    ContactPoint,
    OwnedRecord,
    Text,
    Value,
    check_days,
    file_field,
    local_file,
    number_field,
    ref_field,
    refs_field,
    text_field,
    tuple_field,
)

__all__ = ["Commitment", "Floor", "FloorWindow", "ServiceHall", "ServiceWindow", "Staff"]

HallKind = Literal["department", "comprehensive", "certificate", "government_affairs", "online"]


def _check_coordinate(_: object, attribute: Attribute[Any], value: float) -> None:
    if not math.isfinite(value):
        raise InvalidValue(attribute.name, f"must be a finite number, not {value}")
    if value < 0:
        raise InvalidValue(attribute.name, "must not be negative")


@frozen(kw_only=True)
class FloorWindow(Value):
    """A window's place on the guide map: percent of the floor (0-100), or the plan's units.

    Never negative; past 100 the publishers read the plan's own units (docs/site.md).
    """

    window: str = ref_field("service_window", required=True)
    x: float = field(default=0.0, validator=_check_coordinate)
    y: float = field(default=0.0, validator=_check_coordinate)


@frozen(kw_only=True)
class Floor(Value):
    """One floor of a hall's guide map (导示图)."""

    label: Text = text_field(required=True)
    #: an SVG file of the catalogue (or an http(s) URL) the window positions are drawn on
    plan: str | None = file_field()
    windows: tuple[FloorWindow, ...] = tuple_field()


@frozen(kw_only=True)
class ServiceHall(OwnedRecord):
    """A one-stop service hall, or an online hall."""

    TYPE: ClassVar[str] = "service_hall"

    name: Text = text_field(required=True)
    address: Text | None = text_field()
    kind: HallKind = "comprehensive"
    hours: Text | None = text_field()
    online_url: str | None = None
    floors: tuple[Floor, ...] = tuple_field()

    @property
    def label(self) -> Text:
        """Halls are shown by name (a ``title`` of theirs is a subtitle)."""
        return self.name

    @property
    def files(self) -> tuple[str, ...]:
        """The attachments and floor plans that are catalogue files."""
        return super().files + _local(floor.plan for floor in self.floors)


@frozen(kw_only=True)
class Commitment(Value):
    """A service commitment (服务承诺), optionally with a target in days for an item."""

    text: Text = text_field(required=True)
    target_days: int | None = field(default=None, validator=check_days)
    item: str | None = ref_field("approval_item")


@frozen(kw_only=True)
class Staff(Value):
    """Someone serving at a window; ``badge`` is the worn badge (胸卡) number."""

    name: str = field()
    badge: str | None = number_field(required=False)
    role: Text | None = text_field()
    photo: str | None = file_field()


@frozen(kw_only=True)
class ServiceWindow(OwnedRecord):
    """A service window with its commitments, staff and first-inquiry officer."""

    TYPE: ClassVar[str] = "service_window"

    hall: str = ref_field("service_hall", required=True)
    number: str = number_field()
    name: Text = text_field(required=True)
    services: tuple[str, ...] = refs_field("approval_item")
    hours: Text | None = text_field()
    guide: Text | None = text_field()
    commitments: tuple[Commitment, ...] = tuple_field()
    staff: tuple[Staff, ...] = tuple_field()
    first_inquiry_officer: str | None = None
    nameplates: bool = False
    #: Extension of MODEL.md: where to complain about this window (投诉举报电话), for windows
    #: that serve no approval item whose ``complaint`` facet would give it.
    complaint: tuple[ContactPoint, ...] = tuple_field()

    @property
    def label(self) -> Text:
        """Windows are shown by name (a ``title`` of theirs is a subtitle)."""
        return self.name

    @property
    def files(self) -> tuple[str, ...]:
        """The attachments and staff photos that are catalogue files."""
        return super().files + _local(person.photo for person in self.staff)


def _local(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(path for path in map(local_file, values) if path is not None)
