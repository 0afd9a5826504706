"""The guide map of a service hall (导示图): where each window of a floor is drawn.

Shared by the site (an SVG in the hall's page) and the kiosk (drawn by its app). A map is
1000 units wide; its height follows the floor plan's proportions (600 without a plan).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from attrs import frozen

from ..model import Floor, FloorWindow

__all__ = ["MAP_WIDTH", "FloorLayout", "Spot", "floor_layout", "spans"]

MAP_WIDTH = 1000


@frozen
class Spot:
    """A window's marker: its centre in map units."""

    window: str
    x: float
    y: float


@frozen
class FloorLayout:
    """A floor as drawn: the map's height and its windows' markers, in the floor's order."""

    height: int
    spots: tuple[Spot, ...]


def spans(spots: Sequence[FloorWindow], size: tuple[float, float] | None
          ) -> tuple[float, float]:
    """The extent of a floor's coordinates: 100 each way (percentages, as docs/site.md
    asks), unless a coordinate goes beyond it: MODEL.md gives no unit, and a catalogue may
    place windows in pixels, of the floor's plan where they fit in it, else of the box
    around them with a margin (a tenth)."""
    top_x = max((spot.x for spot in spots), default=0.0)
    top_y = max((spot.y for spot in spots), default=0.0)
    if top_x <= 100 and top_y <= 100:
        return 100.0, 100.0
    if size is not None and top_x <= size[0] and top_y <= size[1]:
        return size
    return max(100.0, top_x * 1.1), max(100.0, top_y * 1.1)


def floor_layout(floor: Floor, size: tuple[float, float] | None,
                 shown: Callable[[str], bool]) -> FloorLayout:
    """Where the windows of ``floor`` that are ``shown`` (the public ones) go, kept inside the map
    so that a marker (160 x 90 units) is never cut off. ``size`` is the plan's, if any."""
    height = 600 if size is None else round(min(max(1000 * size[1] / size[0], 300), 2000))
    span_x, span_y = spans(floor.windows, size)
    return FloorLayout(height=height, spots=tuple(
        Spot(window=spot.window,
             x=round(min(max(spot.x * MAP_WIDTH / span_x, 85.0), 915.0), 1),
             y=round(min(max(spot.y * height / span_y, 50.0), height - 70.0), 1))
        for spot in floor.windows if shown(spot.window)))
