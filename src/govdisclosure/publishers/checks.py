"""Validators of publishers' options (attrs ``validator=``): each error names the option,
so that a wrong ``[publish.NAME]`` key is reported with the file and the key."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import attrs

from ..errors import InvalidValue

__all__ = ["AGGREGATE_ONLY", "http_url", "non_negative", "positive", "record_types", "whole_number"]

Validator = Callable[[object, "attrs.Attribute[Any]", Any], None]


def positive(_: object, attribute: attrs.Attribute[Any], value: float) -> None:
    """A number greater than 0 (a limit, a timeout)."""
    if not value > 0:
        raise InvalidValue(attribute.name, "must be greater than 0")


def non_negative(_: object, attribute: attrs.Attribute[Any], value: float) -> None:
    """A number of 0 or more (retries, a wait)."""
    if value < 0:
        raise InvalidValue(attribute.name, "must not be negative")


#: Record types published only in aggregate (MODEL.md: cases as statistics and result
#: notices of their item, hotline calls by hotline): never one by one, whatever the options.
AGGREGATE_ONLY: frozenset[str] = frozenset({"case", "hotline_call"})


def record_types(allowed: Iterable[str], one_by_one: str) -> Validator:
    """A list of record types (or None), each one of ``allowed``: a case or hotline call is
    refused saying it is never published ``one_by_one`` (``as feed entries``)."""
    known = sorted(allowed)

    def check(_: object, attribute: attrs.Attribute[Any], value: Iterable[str] | None) -> None:
        for index, kind in enumerate(value or ()):
            if kind in AGGREGATE_ONLY:
                raise InvalidValue(f"{attribute.name}.{index}", f"{kind!r} records are "
                                   f"published only in aggregate, never {one_by_one}")
            if kind not in known:
                raise InvalidValue(f"{attribute.name}.{index}", f"{kind!r} is not one of "
                                   f"the record types it takes ({', '.join(known)})")
    return check


def whole_number(minimum: int, maximum: int | None = None) -> Validator:
    """A whole number (not a boolean) of at least ``minimum``, and at most ``maximum``."""
    def check(_: object, attribute: attrs.Attribute[Any], value: int) -> None:
        if (isinstance(value, bool) or not isinstance(value, int) or value < minimum
                or (maximum is not None and value > maximum)):
            bounds = f"from {minimum} to {maximum}" if maximum is not None else (
                f"of at least {minimum}")
            raise InvalidValue(attribute.name, f"must be a whole number {bounds}")
    return check


def http_url(_: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """None, or an absolute http(s) URL with a host (and a port, if any, of 0-65535),
    with no white space, control or bidi characters, nor a backslash."""
    if value is None:
        return
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not one
    except ValueError:
        parts = None
    # a backslash is a slash to browsers and urllib3 (https://h\services\... is host h),
    # not to urlsplit: refused, so that every part agrees on the host
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or any(
            ch.isspace() or not ch.isprintable() or ch == "\\" for ch in value):
        raise InvalidValue(attribute.name, f"{value!r} is not an http(s) URL")
