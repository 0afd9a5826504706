"""Approval, fee, enforcement and licence items with the ten disclosures, and their cases."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from attrs import field, frozen

from ..errors import InvalidValue
from .common import (
    ContactPoint,
    Money,
    OwnedRecord,
    Text,
    Value,
    check_days,
    date_field,
    datetime_field,
    optional_tuple,
    ref_field,
    refs_field,
    text_field,
    tuple_field,
)

__all__ = [
    "TEN_FACETS",
    "ApprovalItem",
    "Case",
    "CatalogueEntry",
    "Fee",
    "LegalBasis",
    "ProcedureStep",
    "Results",
    "Review",
    "TimeLimit",
]

ItemKind = Literal["approval", "fee", "enforcement", "license"]
DayUnit = Literal["working_days", "calendar_days"]
Outcome = Literal["pending", "approved", "rejected", "withdrawn", "transferred"]
ApplicantKind = Literal["person", "organisation"]

#: The ten disclosures (十公开), as the fields that carry them, in the seed's order.
TEN_FACETS: tuple[str, ...] = (
    "title", "handling_unit", "legal_basis", "conditions", "procedure", "time_limit",
    "results", "discipline", "accountability", "complaint",
)


@frozen(kw_only=True)
class LegalBasis(Value):
    """A law, regulation or policy an item rests on."""

    title: Text = text_field(required=True)
    article: str | None = None
    url: str | None = None


@frozen(kw_only=True)
class ProcedureStep(Value):
    """One step of the handling procedure."""

    title: Text = text_field(required=True)
    detail: Text | None = text_field()
    days: int | None = field(default=None, validator=check_days)


@frozen(kw_only=True)
class TimeLimit(Value):
    """Statutory and promised handling time."""

    statutory: int = field(validator=check_days)
    promised: int | None = field(default=None, validator=check_days)
    unit: DayUnit = "working_days"

    def __attrs_post_init__(self) -> None:
        if self.promised is not None and self.promised > self.statutory:
            raise InvalidValue("promised", f"must be <= statutory ({self.statutory})")


@frozen(kw_only=True)
class Results(Value):
    """Where and how the results of an item are published."""

    channel: Text | None = text_field()
    url: str | None = None
    note: Text | None = text_field()


@frozen(kw_only=True)
class Fee(Value):
    """A fee charged for an item, with its legal basis."""

    name: Text = text_field(required=True)
    amount: Money = field()
    basis: Text | None = text_field()


@frozen(kw_only=True)
class CatalogueEntry(Value):
    """The decision that put the item in the published catalogue."""

    document: Text = text_field(required=True)
    approved_on: dt.date | None = date_field()


@frozen(kw_only=True)
class Review(Value):
    """The joint review before uniform publication."""

    by: Text = text_field(required=True)
    on: dt.date | None = date_field()
    ref: str | None = None


@frozen(kw_only=True)
class ApprovalItem(OwnedRecord):
    """An administrative approval, fee, enforcement or licence item (the ten disclosures).

    Every facet is optional in the model: a missing one is an audit finding
    (``ten.missing``), not a load error.
    """

    TYPE: ClassVar[str] = "approval_item"

    title: Text = text_field(required=True)
    kind: ItemKind = "approval"
    handling_unit: Text | None = text_field()
    legal_basis: tuple[LegalBasis, ...] = tuple_field()
    conditions: tuple[Text, ...] = tuple_field()
    materials: tuple[Text, ...] = tuple_field()
    procedure: tuple[ProcedureStep, ...] = tuple_field()
    time_limit: TimeLimit | None = None
    results: Results | None = None
    discipline: Text | None = text_field()
    accountability: Text | None = text_field()
    complaint: tuple[ContactPoint, ...] = tuple_field()
    fees: tuple[Fee, ...] | None = field(default=None, converter=optional_tuple)
    catalogue: CatalogueEntry | None = None
    review: Review | None = None
    windows: tuple[str, ...] = refs_field("service_window")
    online_url: str | None = None


@frozen(kw_only=True)
class Case(OwnedRecord):
    """One application handled (办件). A person applicant is never named in any output."""

    TYPE: ClassVar[str] = "case"

    item: str = ref_field("approval_item", required=True)
    received_at: dt.datetime = datetime_field(required=True)
    decided_at: dt.datetime | None = datetime_field()
    outcome: Outcome = "pending"
    suspended_days: int = field(default=0, validator=check_days)
    applicant_kind: ApplicantKind = "person"
    applicant_name: str | None = None
    decision_ref: str | None = None
    result_summary: Text | None = text_field()

    def _check(self) -> None:
        if self.decided_at is not None and self.decided_at < self.received_at:
            raise InvalidValue("decided_at", "is before received_at")

