"""Press: news releases and press conferences (新闻发布)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from attrs import field, frozen

from .common import (
    ContactPoint,
    OwnedRecord,
    Text,
    check_ids,
    choice_field,
    datetime_field,
    ref_field,
    text_field,
    tuple_field,
)

__all__ = ["QA", "AgendaItem", "NewsRelease", "PressConference", "PressContact", "Speaker"]

Topic = Literal["policy", "decision", "economy", "major_project", "emergency", "other"]
ConferenceStatus = Literal["scheduled", "held", "cancelled", "draft", "approved", "withdrawn"]


@frozen(kw_only=True)
class PressContact(ContactPoint):
    """A press contact: a contact point with a person's name."""

    name: Text | None = text_field()


@frozen(kw_only=True)
class NewsRelease(OwnedRecord):
    """A news release (新闻通稿); ``publish_at`` is its embargo."""

    TYPE: ClassVar[str] = "news_release"

    headline: Text = text_field(required=True)
    subheadline: Text | None = text_field()
    dateline_place: Text | None = text_field()
    contacts: tuple[PressContact, ...] = tuple_field()
    boilerplate: Text | None = text_field()
    topic: Topic = choice_field(Topic, "other")
    conference: str | None = ref_field()

    @property
    def label(self) -> Text:
        """Releases are shown by headline unless they also carry a title."""
        return self.title or self.headline


@frozen(kw_only=True)
class Speaker:
    """Someone who speaks at a press conference."""

    name: Text = text_field(required=True)
    title: Text | None = text_field()
    agency: str | None = ref_field()


@frozen(kw_only=True)
class AgendaItem:
    """One point of a press conference's agenda."""

    item: Text = text_field(required=True)
    at: dt.datetime | None = datetime_field()
    speaker: Text | None = text_field()


@frozen(kw_only=True)
class QA:
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
    status: ConferenceStatus = choice_field(ConferenceStatus, "scheduled")  # type: ignore[assignment]
    speakers: tuple[Speaker, ...] = tuple_field()
    agenda: tuple[AgendaItem, ...] = tuple_field()
    releases: tuple[str, ...] = field(factory=tuple, converter=tuple, validator=check_ids)
    qa: tuple[QA, ...] = tuple_field()
