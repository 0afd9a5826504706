"""Disclosures: announcements, gazettes, policies and every other item made public."""

from __future__ import annotations

from typing import ClassVar, Literal

from attrs import frozen

from .common import OwnedRecord, Text, text_field

__all__ = ["CATEGORIES", "Disclosure"]

Category = Literal[
    "policy", "decision", "regulation", "announcement", "gazette", "plan", "economy",
    "major_project", "emergency", "statistics", "budget", "finance", "personnel",
    "procurement", "convenience", "service", "other",
]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]


@frozen(kw_only=True)
class Disclosure(OwnedRecord):
    """One item of information made public (政务公开事项)."""

    TYPE: ClassVar[str] = "disclosure"

    title: Text = text_field(required=True)
    category: Category = "other"
