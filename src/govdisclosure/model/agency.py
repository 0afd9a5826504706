"""Agencies: the government units responsible for disclosure (MODEL.md, "agency")."""

from __future__ import annotations

from typing import ClassVar, Literal

from attrs import frozen

from .common import (
    ContactPoint,
    Level,
    Person,
    Record,
    Text,
    ref_field,
    text_field,
)

__all__ = ["Agency"]

AgencyKind = Literal[
    "government", "department", "window_unit", "public_service", "enterprise", "other"
]


@frozen(kw_only=True)
class Agency(Record):
    """A government, department or window unit; ``parent`` makes the hierarchy."""

    TYPE: ClassVar[str] = "agency"

    name: Text = text_field(required=True)
    short_name: Text | None = text_field()
    level: Level
    parent: str | None = ref_field("agency")
    kind: AgencyKind = "government"
    key_department: bool = False
    address: Text | None = text_field()
    website: str | None = None
    contact: ContactPoint | None = None
    head: Person | None = None
    deputy_in_charge: Person | None = None

    @property
    def label(self) -> Text:
        """Agencies are shown by name (a ``title`` of theirs is a subtitle)."""
        return self.name
