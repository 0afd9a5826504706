"""The options of the kiosk publisher (``[publish.kiosk]`` in govdisclosure.toml)."""

from __future__ import annotations

from typing import Any

import attrs
from attrs import field, frozen

from ...errors import InvalidValue
from ...model.common import is_id
from ..checks import whole_number

__all__ = ["KioskOptions"]

#: The longest period a kiosk option takes, in seconds (see KioskOptions).
_DAY = 86_400


def _hall(_: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and not is_id(value):
        raise InvalidValue(attribute.name, f"{value!r} is not a service_hall id")


@frozen(kw_only=True)
class KioskOptions:
    """Options of the kiosk publisher.

    Attributes:
        hall: the service hall the kiosk stands in: one bag, ``bags/<hall>/``. Default: one
            bag per public hall, or one bag ``bags/general/`` (no guide map) when there is
            none.
        idle_timeout_s: seconds without a touch after which the kiosk returns to its home
            screen (and default language); a warning with a countdown comes first.
        update_check_s: seconds between the kiosk's checks for a new bundle (its service
            worker's update) while it stands idle on its home screen, and when it goes back
            there after a visit; 0: none (the browser's own checks only).
        announcements: how many of the latest announcements the kiosk shows.

    The two periods are at most a day (86,400 s): a browser runs a timer of more than
    2^31 - 1 ms (24.8 days) at once, over and over.
        zip: also write each bag as ``zips/<bag>.zip`` (the same bytes, for copying to a
            kiosk).
    """

    hall: str | None = field(default=None, validator=_hall)
    idle_timeout_s: int = field(default=90, validator=whole_number(3, _DAY))
    update_check_s: int = field(default=300, validator=whole_number(0, _DAY))
    announcements: int = field(default=20, validator=whole_number(1))
    zip: bool = False
