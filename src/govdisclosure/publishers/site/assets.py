"""Floor plans and staff photos: the checks live in :mod:`govdisclosure.publishers.images`,
shared with the kiosk publisher (publishers do not import each other)."""

from __future__ import annotations

from ..images import image_type, sanitize_svg

__all__ = ["image_type", "sanitize_svg"]
