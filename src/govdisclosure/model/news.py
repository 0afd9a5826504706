"""Press: news releases and press conferences (新闻发布)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from attrs import frozen

from ..errors import InvalidValue
from .common import (
    ContactPoint,
    OwnedRecord,
    Text,
    Value,
    datetime_field,
    ref_field,
    refs_field,
    text_field,
    tuple_field,
)

__all__ = ["QA", "AgendaItem", "NewsRelease", "PressConference", "PressContact", "Speaker"]

Topic = Literal["policy", "decision", "economy", "major_project", "emergency", "other"]
ConferenceStatus = Literal["scheduled", "held", "cancelled", "draft", "approved", "withdrawn"]


@frozen(kw_only=True)
class PressContact(ContactPoint):
    """A press contact: a contact point with a person's name (the name alone will do)."""

    KIND: ClassVar[str] = "press contact"
    ANY_OF: ClassVar[tuple[str, ...]] = ("name", *ContactPoint.ANY_OF)

    name: Text | None = text_field()


@frozen(kw_only=True)
class NewsRelease(OwnedRecord):
    """A news release (新闻通稿); ``publish_at`` is its embargo.

    MODEL.md: "a ``news_release`` may use ``headline``" for its ``title``: either will do,
    and one of them is required.
    """

    TYPE: ClassVar[str] = "news_release"

    headline: Text | None = text_field()
    subheadline: Text | None = text_field()
    dateline_place: Text | None = text_field()
    contacts: tuple[PressContact, ...] = tuple_field()
    boilerplate: Text | None = text_field()
    topic: Topic = "other"
    conference: str | None = ref_field("press_conference")

    def _check(self) -> None:
        if self.headline is None and self.title is None:
            raise InvalidValue("headline", "required (or a title): a news release needs one")

    @property
    def label(self) -> Text:
        """Releases are shown by title if they carry one, else by headline."""
        return self.title or self.headline or ""


@frozen(kw_only=True)
class Speaker(Value):
    """Someone who speaks at a press conference."""

    name: Text = text_field(required=True)
    title: Text | None = text_field()
    agency: str | None = ref_field("agency")


@frozen(kw_only=True)
class AgendaItem(Value):
    """One point of a press conference's agenda."""

    item: Text = text_field(required=True)
    at: dt.datetime | None = datetime_field()
    speaker: Text | None = text_field()


@frozen(kw_only=True)
class QA(Value):
    """A question from the press and its answer."""

    question: Text = text_field(required=True)
    answer: Text | None = text_field()
    outlet: Text | None = text_field()


@frozen(kw_only=True)
class PressConference(OwnedRecord):
    """A government press conference (新闻发布会)."""

    TYPE: ClassVar[str] = "press_conference"

    title: Text = text_field(required=True)
    scheduled_at: dt.datetime = datetime_field(required=True)
    venue: Text | None = text_field()
    status: ConferenceStatus = "scheduled"  # type: ignore[assignment]
    speakers: tuple[Speaker, ...] = tuple_field()
    agenda: tuple[AgendaItem, ...] = tuple_field()
    releases: tuple[str, ...] = refs_field("news_release")
    qa: tuple[QA, ...] = tuple_field()
