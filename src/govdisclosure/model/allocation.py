"""Public resource allocations, disclosed before, during and after (公共资源配置)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from attrs import frozen

from .common import (
    Attachment,
    Money,
    OwnedRecord,
    Text,
    Value,
    date_field,
    datetime_field,
    text_field,
    tuple_field,
)

__all__ = ["STAGES", "Allocation", "ResultStage", "Stage"]

AllocationKind = Literal[
    "land", "mineral", "procurement", "project", "fund", "subsidy", "concession", "other"
]
AllocationStatus = Literal[
    "planned", "open", "closed", "cancelled", "draft", "approved", "withdrawn"
]
STAGES: tuple[str, ...] = ("before", "during", "after")


@frozen(kw_only=True)
class Stage(Value):
    """What was disclosed at one stage of an allocation."""

    published_at: dt.datetime | None = datetime_field()
    body: Text | None = text_field()
    attachments: tuple[Attachment, ...] = tuple_field()


@frozen(kw_only=True)
class ResultStage(Stage):
    """The result: who was awarded what, and when it was decided."""

    awardee: Text | None = text_field()
    amount: Money | None = None
    decided_on: dt.date | None = date_field()


@frozen(kw_only=True)
class Allocation(OwnedRecord):
    """A resource allocated in public: the resource, the rules, the result."""

    TYPE: ClassVar[str] = "allocation"

    title: Text = text_field(required=True)
    kind: AllocationKind = "other"
    status: AllocationStatus = "planned"  # type: ignore[assignment]
    closes_at: dt.datetime | None = datetime_field()
    before: Stage | None = None
    during: Stage | None = None
    after: ResultStage | None = None

    @property
    def attached(self) -> tuple[Attachment, ...]:
        """The record's attachments, then those of its stages in order."""
        stages = (self.stage(name) for name in STAGES)
        return self.attachments + tuple(a for stage in stages if stage is not None
                                        for a in stage.attachments)

    def stage(self, name: str) -> Stage | None:
        """The stage called ``before``, ``during`` or ``after``."""
        stage: Stage | None = getattr(self, name)
        return stage
