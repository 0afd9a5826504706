"""Accountability, evaluation and work plans: supervising the disclosure work itself."""

from __future__ import annotations

import datetime as dt
import math
from typing import ClassVar, Literal

from attrs import Attribute, field, frozen

from ..errors import InvalidValue
from .common import (
    OwnedRecord,
    Text,
    Value,
    check_own_id,
    date_field,
    ref_field,
    text_field,
    tuple_field,
)

__all__ = ["AccountabilityRecord", "Evaluation", "PlanTask", "WorkPlan"]

Violation = Literal[
    "not_implemented", "black_box", "fake_disclosure", "minor_only", "promise_not_kept",
    "overdue", "other",
]
AccountabilityStatus = Literal["open", "decided", "appealed", "closed", "draft", "approved",
                               "withdrawn"]


def _score_problem(value: float) -> str | None:
    return None if math.isfinite(value) and 0 <= value <= 100 else "must be between 0 and 100"


def _check_score(_: object, attribute: Attribute[float | None], value: float | None) -> None:
    problem = None if value is None else _score_problem(value)
    if problem:
        raise InvalidValue(attribute.name, problem)


def _check_rank(_: object, attribute: Attribute[int | None], value: int | None) -> None:
    if value is not None and value < 1:
        raise InvalidValue(attribute.name, "must be 1 or more (1 is the best)")


#: The years an evaluation or a work plan may be of: another is a typo.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def _check_year(_: object, attribute: Attribute[int], value: int) -> None:
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise InvalidValue(attribute.name, f"{value} is not a plausible year")


@frozen(kw_only=True)
class AccountabilityRecord(OwnedRecord):
    """Accountability pursued for a violation of the disclosure rules (责任追究)."""

    TYPE: ClassVar[str] = "accountability_record"

    subject_unit: str = ref_field("agency", required=True)
    subject_role: Text | None = text_field()
    subject_name: str | None = None
    name_public: bool = False
    violation: Violation = "other"
    facts: Text | None = text_field()
    source: str | None = None
    decided_on: dt.date | None = date_field()
    decision: Text | None = text_field()
    status: AccountabilityStatus = "open"  # type: ignore[assignment]


@frozen(kw_only=True)
class Evaluation(OwnedRecord):
    """A yearly evaluation of an agency's disclosure work (考核), ``agency`` being evaluated."""

    TYPE: ClassVar[str] = "evaluation"

    year: int = field(validator=_check_year)
    evaluator: Text | None = text_field()
    score: float | None = field(default=None, validator=_check_score)
    components: dict[str, float] = field(factory=dict)
    rank: int | None = field(default=None, validator=_check_rank)
    model_unit: bool = False
    remarks: Text | None = text_field()
    published_on: dt.date | None = date_field()

    @components.validator
    def _components(self, attribute: Attribute[dict[str, float]], value: dict[str, float]) -> None:
        for name, score in value.items():
            problem = _score_problem(score)
            if problem:
                raise InvalidValue(f"components.{name}", problem)


@frozen(kw_only=True)
class PlanTask(Value):
    """One task of a work plan."""

    id: str = field(validator=check_own_id)
    text: Text = text_field(required=True)
    owner: str | None = ref_field("agency")
    due: dt.date | None = date_field()
    done_on: dt.date | None = date_field()


@frozen(kw_only=True)
class WorkPlan(OwnedRecord):
    """An annual disclosure work plan (年度政务公开安排意见) and its tasks."""

    TYPE: ClassVar[str] = "work_plan"

    title: Text = text_field(required=True)
    year: int = field(validator=_check_year)
    tasks: tuple[PlanTask, ...] = tuple_field()

    def _check(self) -> None:
        seen: set[str] = set()
        for index, task in enumerate(self.tasks):
            if task.id in seen:
                raise InvalidValue(f"tasks.{index}.id", f"duplicate task id {task.id!r}")
            seen.add(task.id)


