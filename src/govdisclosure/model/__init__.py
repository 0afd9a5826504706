"""The record model of MODEL.md: frozen attrs classes with validators, and no I/O."""

from __future__ import annotations

from .agency import Agency
from .allocation import STAGES, Allocation, ResultStage, Stage
from .approval import (
    TEN_FACETS,
    ApprovalItem,
    Case,
    CatalogueEntry,
    Fee,
    LegalBasis,
    ProcedureStep,
    Results,
    Review,
    TimeLimit,
)
from .common import (
    Attachment,
    Change,
    ContactPoint,
    Money,
    OwnedRecord,
    Person,
    Record,
    Text,
    Withdrawal,
    localize,
)
from .disclosure import CATEGORIES, Disclosure
from .engagement import Complaint, Consultation, Hotline, HotlineCall, Reward, Suggestion
from .news import QA, AgendaItem, NewsRelease, PressConference, PressContact, Speaker
from .oversight import AccountabilityRecord, Evaluation, PlanTask, WorkPlan
from .publishable import is_publishable, is_tombstone
from .service import Commitment, Floor, FloorWindow, ServiceHall, ServiceWindow, Staff

#: Every record class by its ``type`` name, in MODEL.md's order.
RECORD_TYPES: dict[str, type[Record]] = {
    cls.TYPE: cls
    for cls in (
        Agency, Disclosure, ApprovalItem, Case, Allocation, Hotline, HotlineCall, Suggestion,
        Consultation, NewsRelease, PressConference, ServiceHall, ServiceWindow, Complaint,
        AccountabilityRecord, Evaluation, WorkPlan,
    )
}

__all__ = [
    "CATEGORIES",
    "QA",
    "RECORD_TYPES",
    "STAGES",
    "TEN_FACETS",
    "AccountabilityRecord",
    "Agency",
    "AgendaItem",
    "Allocation",
    "ApprovalItem",
    "Attachment",
    "Case",
    "CatalogueEntry",
    "Change",
    "Commitment",
    "Complaint",
    "Consultation",
    "ContactPoint",
    "Disclosure",
    "Evaluation",
    "Fee",
    "Floor",
    "FloorWindow",
    "Hotline",
    "HotlineCall",
    "LegalBasis",
    "Money",
    "NewsRelease",
    "OwnedRecord",
    "Person",
    "PlanTask",
    "PressConference",
    "PressContact",
    "ProcedureStep",
    "Record",
    "ResultStage",
    "Results",
    "Review",
    "Reward",
    "ServiceHall",
    "ServiceWindow",
    "Speaker",
    "Staff",
    "Stage",
    "Suggestion",
    "Text",
    "TimeLimit",
    "Withdrawal",
    "WorkPlan",
    "is_publishable",
    "is_tombstone",
    "localize",
]
