"""The options of the news publisher (``[publish.news]`` in govdisclosure.toml)."""

from __future__ import annotations

from typing import Any

import attrs
from attrs import frozen

from ...errors import InvalidValue
from ..checks import http_url

__all__ = ["NewsOptions"]


def _authority(_: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and (not value or any(ch in value for ch in ",:/ ")):
        raise InvalidValue(attribute.name, f"{value!r} is not a host name or e-mail address")


@frozen(kw_only=True)
class NewsOptions:
    """Options of the news publisher.

    Attributes:
        url: where the ``news`` output folder is served (absolute links in ninjs
            renditions and JSON-LD); default ``<base_url>news/``.
        tag_authority: the authority of the ninjs ``uri`` tag URIs; default the host of
            the catalogue's ``base_url``.
    """

    url: str | None = attrs.field(default=None, validator=http_url)
    tag_authority: str | None = attrs.field(default=None, validator=_authority)
