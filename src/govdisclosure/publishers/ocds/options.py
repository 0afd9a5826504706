"""The options of the ocds publisher (``[publish.ocds]`` in govdisclosure.toml)."""

from __future__ import annotations

import re
from typing import Any

import attrs
from attrs import field, frozen

from ...errors import InvalidValue
from ..checks import http_url

__all__ = ["DEFAULT_PREFIX", "OcdsOptions"]

#: A placeholder prefix, registered to nobody: ocids made with it are unique within the
#: catalogue only. Every run that uses it says so in the report (docs/ocds.md).
DEFAULT_PREFIX = "ocds-000000"
#: An ocid prefix as the Open Contracting Partnership assigns them: ``ocds-`` and six
#: lower-case letters or digits.
PREFIX_PATTERN = re.compile(r"ocds-[a-z0-9]{6}")


def _prefix(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not PREFIX_PATTERN.fullmatch(value):
        raise InvalidValue(attribute.name, f"{value!r} is not an ocid prefix: 'ocds-' and six "
                           "lower-case letters or digits, as registered with the Open "
                           "Contracting Partnership (e.g. 'ocds-213czf')")


@frozen(kw_only=True)
class OcdsOptions:
    """Options of the ocds publisher.

    Attributes:
        ocid_prefix: the prefix of every ocid (``<prefix>-<allocation id>``), registered
            with the Open Contracting Partnership; the default is a placeholder.
        packages_url: the public URL of this publisher's folder, where package ``uri``\\ s
            point; default ``<base_url>ocds/``.
        license: URL of the licence of the data, written into every package (optional).
    """

    ocid_prefix: str = field(default=DEFAULT_PREFIX, validator=_prefix)
    packages_url: str | None = field(default=None, validator=http_url)
    license: str | None = field(default=None, validator=http_url)
