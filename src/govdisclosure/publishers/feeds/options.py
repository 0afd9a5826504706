"""The options of the feeds publisher (``[publish.feeds]`` in govdisclosure.toml)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs
from attrs import field, frozen

from ...errors import InvalidValue
from ..checks import AGGREGATE_ONLY, http_url, non_negative, positive, record_types

__all__ = ["DEFAULT_TYPES", "NEVER_ENTRIES", "FeedsOptions"]

#: Record types that become feed entries unless ``types`` says otherwise.
DEFAULT_TYPES: tuple[str, ...] = (
    "disclosure", "news_release", "press_conference", "consultation", "allocation",
    "approval_item", "hotline", "suggestion", "complaint", "accountability_record",
    "evaluation", "work_plan",
)
#: Published only in aggregate (MODEL.md): never an entry, whatever the options say.
NEVER_ENTRIES = AGGREGATE_ONLY
_types = record_types([*DEFAULT_TYPES, "agency", "service_hall", "service_window"],
                      "as feed entries")


def _template(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
    try:
        value.format(base_url="b/", lang="l", type="t", id="i", page="p.html")
    except (KeyError, IndexError, ValueError) as exc:
        raise InvalidValue(attribute.name, f"bad template {value!r}: placeholders are "
                           "{base_url}, {lang}, {type}, {id} and {page}") from exc


# RFC 4151 section 2.1: taggingEntity = authorityName "," date; authorityName is a DNS
# name or an email address, date is YYYY, YYYY-MM or YYYY-MM-DD (ASCII only)
_DNS_COMPONENT = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_DNS_NAME = rf"{_DNS_COMPONENT}(?:\.{_DNS_COMPONENT})*"
_AUTHORITY_NAME = re.compile(rf"(?:[A-Za-z0-9._-]+@)?{_DNS_NAME}", re.ASCII)
_TAG_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)


def _tagging_entity(_: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """An RFC 4151 ``taggingEntity`` (``example.gov.cn,2002``, ``...,2002-01`` or
    ``...,2002-01-01``), or its ``authorityName`` alone (each entry's year is added)."""
    if value is None:
        return
    if not isinstance(value, str):
        raise InvalidValue(attribute.name, "must be a string")
    name, comma, date = value.partition(",")
    problem = None
    if not _AUTHORITY_NAME.fullmatch(name):
        problem = f"{name!r} is no domain name or email address" + (
            "" if name.isascii() else " (write a non-ASCII name in its xn-- form)")
    elif comma:
        found = _TAG_DATE.fullmatch(date)
        try:
            if found is None:
                raise ValueError(date)
            year, month, day = (int(part) if part else 1 for part in found.groups())
            dt.date(year, month, day)  # a real month and day
        except ValueError:
            problem = f"{date!r} is no date (YYYY, YYYY-MM or YYYY-MM-DD)"
    if problem is not None:
        raise InvalidValue(attribute.name, f"{value!r} is not an RFC 4151 tagging entity "
                           f"(authorityName \",\" date, e.g. 'example.gov.cn,2002', or the "
                           f"authorityName alone): {problem}")


@frozen(kw_only=True)
class FeedsOptions:
    """Options of the feeds publisher.

    Attributes:
        limit: entries in each subscription feed (newest first); archives hold the rest.
        hub: a WebSub hub URL; feeds then carry ``<link rel="hub">`` and the hub is pinged.
        hub_timeout_s: seconds before one ping attempt is abandoned.
        hub_retries: further attempts after a failed ping (so 2 means at most 3 tries).
        hub_batch: feed URLs per ping request (repeated ``hub.url`` parameters).
        types: record types that become entries; ``case`` and ``hotline_call`` never do.
        archives: write RFC 5005 monthly archives of closed months.
        entry_url: link of an entry (the record's page on the site); placeholders
            ``{base_url}``, ``{lang}``, ``{type}``, ``{id}`` and ``{page}`` (where the
            ``site`` publisher writes the record's page, e.g. ``items/land-use.html``).
        feeds_url: the public URL of this publisher's folder; default ``<base_url>feeds/``.
        tag_authority: the tagging entity of entry ids (RFC 4151): a domain name or
            email address alone (``tag:<name>,<year>:...``, the year of each entry) or
            with its date (``example.gov.cn,2002``: ``tag:example.gov.cn,2002:...`` for
            every entry); default the host of ``base_url``. Set it to keep ids when the
            site moves.
    """

    limit: int = field(default=50, validator=positive)
    hub: str | None = field(default=None, validator=http_url)
    hub_timeout_s: float = field(default=5.0, validator=positive)
    hub_retries: int = field(default=2, validator=non_negative)
    hub_batch: int = field(default=50, validator=positive)
    types: tuple[str, ...] = field(default=DEFAULT_TYPES, converter=tuple, validator=_types)
    archives: bool = True
    entry_url: str = field(default="{base_url}{lang}/{page}", validator=_template)
    feeds_url: str | None = field(default=None, validator=http_url)
    tag_authority: str | None = field(default=None, validator=_tagging_entity)
