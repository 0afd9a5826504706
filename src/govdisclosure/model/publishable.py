"""The one rule that decides what may appear in an output (MODEL.md, "is_publishable")."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ..errors import ConfigError
from .common import Record
from .news import NewsRelease

__all__ = ["is_publishable", "is_tombstone"]

TargetAudience = Literal["public", "internal", "media"]
_AUDIENCES = ("public", "internal", "media")


def is_publishable(record: Record, at: dt.datetime, audience: str = "public") -> bool:
    """Whether ``record`` may appear in an output for ``audience`` at instant ``at``.

    Approved (or withdrawn, which publishes only as a tombstone), not embargoed at
    ``at``, classification ``public``, and the audience matches: public records go to
    every audience, internal ones (内务公开) only to internal targets. The ``media``
    audience is the public one plus the news releases still under embargo: for it, a
    ``news_release`` whose ``publish_at`` is later than ``at`` is publishable when it would
    be at ``publish_at`` (a publisher that serves the media marks it embargoed; see
    docs/news.md). No other type is ever shown before its ``publish_at``.

    Args:
        record: any record.
        at: the aware instant of publication (``--as-of``).
        audience: ``public``, ``internal`` or ``media``.

    Returns:
        True when the record, or its tombstone, may be shown.

    Raises:
        ConfigError: ``record`` is no record, ``at`` is not an aware datetime, or the
            audience is unknown.
    """
    if not isinstance(record, Record):
        raise ConfigError(f"record must be a record of the model (gd.Disclosure, "
                          f"gd.ApprovalItem, ...), not {type(record).__name__}", key="record")
    if not isinstance(at, dt.datetime) or at.tzinfo is None:
        raise ConfigError(f"is_publishable needs an aware datetime, not {at!r}", key="at")
    if audience not in _AUDIENCES:
        raise ConfigError(f"unknown audience {audience!r} (public, internal or media)",
                          key="audience")
    if record.classification != "public" or record.publication_status == "draft":
        return False
    if (record.publish_at is not None and record.publish_at > at
            and not (audience == "media" and isinstance(record, NewsRelease))):
        return False
    return record.audience == "public" or audience == "internal"


def is_tombstone(record: Record) -> bool:
    """Whether a publishable record is shown only as a withdrawal notice."""
    return record.publication_status == "withdrawn"
