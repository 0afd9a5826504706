"""Hotlines, calls, suggestions, consultations and complaints: the public's side."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from attrs import field, frozen

from ..errors import InvalidValue
from .common import (
    Level,
    OwnedRecord,
    Person,
    Text,
    Value,
    check_days,
    date_field,
    datetime_field,
    number_field,
    ref_field,
    text_field,
)

__all__ = ["Complaint", "Consultation", "Hotline", "HotlineCall", "Reward", "Suggestion"]

# Lifecycles of their own; draft / approved / withdrawn stay valid (see Record.publication_status).
HotlineStatus = Literal["planned", "open", "closed", "draft", "approved", "withdrawn"]
SuggestionStatus = Literal[
    "received", "under_review", "adopted", "not_adopted", "draft", "approved", "withdrawn"
]
ComplaintStatus = Literal[
    "received", "investigating", "resolved", "rejected", "draft", "approved", "withdrawn"
]
ComplaintChannel = Literal["phone", "letter", "email", "box", "window", "online"]
ConsultationKind = Literal["hearing", "appraisal", "consultation"]


def _not_before(record: object, later: str, earlier: str) -> None:
    end, start = getattr(record, later), getattr(record, earlier)
    if end is not None and start is not None and end < start:
        raise InvalidValue(later, f"is before {earlier}")


@frozen(kw_only=True)
class Hotline(OwnedRecord):
    """A head-of-government public telephone line (行政首长公开电话)."""

    TYPE: ClassVar[str] = "hotline"

    number: str = number_field()
    level: Level | None = None
    owner: Person | None = None
    hours: Text | None = text_field()
    opened_on: dt.date | None = date_field()
    status: HotlineStatus = "open"  # type: ignore[assignment]
    due_days: int | None = field(default=None, validator=check_days)


@frozen(kw_only=True)
class HotlineCall(OwnedRecord):
    """One call to a hotline. The caller is never a field; calls publish only in aggregate."""

    TYPE: ClassVar[str] = "hotline_call"

    hotline: str = ref_field("hotline", required=True)
    received_at: dt.datetime = datetime_field(required=True)
    topic: Text | None = text_field()
    accepted: bool = True
    handled_at: dt.datetime | None = datetime_field()
    closed_at: dt.datetime | None = datetime_field()
    outcome: Text | None = text_field()
    satisfied: bool | None = None

    def _check(self) -> None:
        _not_before(self, "handled_at", "received_at")
        _not_before(self, "closed_at", "received_at")


@frozen(kw_only=True)
class Reward(Value):
    """Recognition for a suggestion that entered a decision."""

    kind: str = field()
    description: Text | None = text_field()
    awarded_on: dt.date | None = date_field()


@frozen(kw_only=True)
class Suggestion(OwnedRecord):
    """A suggestion from the public (人民群众建议征集)."""

    TYPE: ClassVar[str] = "suggestion"

    received_at: dt.datetime = datetime_field(required=True)
    channel: str | None = None
    topic: Text | None = text_field()
    status: SuggestionStatus = "received"  # type: ignore[assignment]
    response: Text | None = text_field()
    responded_at: dt.datetime | None = datetime_field()
    adopted_into: str | None = ref_field()
    benefit: Text | None = text_field()
    reward: Reward | None = None
    credit_public: bool = False
    credit_name: str | None = None

    def _check(self) -> None:
        _not_before(self, "responded_at", "received_at")


@frozen(kw_only=True)
class Consultation(OwnedRecord):
    """A hearing, democratic appraisal or public consultation."""

    TYPE: ClassVar[str] = "consultation"

    title: Text = text_field(required=True)
    kind: ConsultationKind = "consultation"
    opens_at: dt.datetime | None = datetime_field()
    closes_at: dt.datetime | None = datetime_field()
    scheduled_at: dt.datetime | None = datetime_field()
    venue: Text | None = text_field()
    how_to_take_part: Text | None = text_field()
    outcome: Text | None = text_field()
    outcome_published_at: dt.datetime | None = datetime_field()
    decision: str | None = ref_field()

    def _check(self) -> None:
        _not_before(self, "closes_at", "opens_at")


@frozen(kw_only=True)
class Complaint(OwnedRecord):
    """A complaint or report (投诉举报). The complainant is never a field."""

    TYPE: ClassVar[str] = "complaint"

    received_at: dt.datetime = datetime_field(required=True)
    channel: ComplaintChannel | None = None
    about: str | None = ref_field("agency")
    topic: Text | None = text_field()
    status: ComplaintStatus = "received"  # type: ignore[assignment]
    resolution: Text | None = text_field()
    resolved_at: dt.datetime | None = datetime_field()
    accountability: str | None = ref_field("accountability_record")

    def _check(self) -> None:
        _not_before(self, "resolved_at", "received_at")
