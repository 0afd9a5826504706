"""Registry of publishers: built-ins as lazy import strings, third parties by entry point."""

from __future__ import annotations

from typing import Any

__all__ = ["describe_publishers"]


def describe_publishers() -> list[dict[str, Any]]:
    """Name, source, audiences and options of every installed publisher."""
    return []
