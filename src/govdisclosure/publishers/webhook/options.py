"""The options of the webhook publisher (``[publish.webhook]`` in govdisclosure.toml)."""

from __future__ import annotations

import os
import re
from typing import Any, Literal

import attrs
from attrs import field, frozen

from ...errors import InvalidValue
from ...model import RECORD_TYPES
from ...model.common import check_choice
from ..checks import AGGREGATE_ONLY, http_url, non_negative, positive, record_types
from .delivery import shown

__all__ = ["DEFAULT_TYPES", "NEVER_PUSHED", "Endpoint", "WebhookOptions"]

#: Published only in aggregate (MODEL.md): never pushed one by one, whatever the options say.
NEVER_PUSHED = AGGREGATE_ONLY
#: Record types pushed unless ``types`` says otherwise: every other type.
DEFAULT_TYPES: tuple[str, ...] = tuple(name for name in RECORD_TYPES
                                       if name not in NEVER_PUSHED)
#: Which updates are pushed: those with a major change (MODEL.md), or every one.
Notify = Literal["major", "every"]
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _env_name(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not _ENV_NAME.fullmatch(value):
        raise InvalidValue(attribute.name, f"{value!r} is not the name of an environment "
                           "variable (letters, digits and '_')")


_types = record_types(DEFAULT_TYPES, "pushed one by one")


def _url(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """:func:`~govdisclosure.publishers.checks.http_url`, whose message shows the URL as
    every message does (:func:`~govdisclosure.publishers.webhook.delivery.shown`): its path
    may be the endpoint's secret."""
    try:
        http_url(instance, attribute, value)
    except InvalidValue:
        raise InvalidValue(attribute.name, f"{shown(value)!r} is not an http(s) URL") from None


def _optional_tuple(value: Any) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


@frozen(kw_only=True)
class Endpoint:
    """One receiver of the pushed documents.

    Attributes:
        url: where each document is POSTed (http or https; redirects are not followed).
        secret_env: the environment variable that holds the endpoint's HMAC-SHA256
            secret (the secret itself never goes in a file of the catalogue).
        types: the record types this endpoint receives (a subset of the publisher's
            ``types``); default every type the publisher pushes.
    """

    url: str = field(validator=_url)
    secret_env: str = field(validator=_env_name)
    types: tuple[str, ...] | None = field(default=None, converter=_optional_tuple,
                                          validator=_types)

    def wants(self, record_type: str) -> bool:
        """Whether this endpoint receives records of ``record_type``."""
        return self.types is None or record_type in self.types


def _endpoints(_: object, attribute: attrs.Attribute[Any], value: tuple[Endpoint, ...]) -> None:
    seen: set[str] = set()
    for index, endpoint in enumerate(value):
        where = f"{attribute.name}[{index}]"
        if endpoint.url in seen:
            raise InvalidValue(f"{where}.url", f"{shown(endpoint.url)!r} is listed twice")
        seen.add(endpoint.url)


def missing_secrets(options: WebhookOptions) -> list[str]:
    """``endpoints[N].secret_env: ...`` for each endpoint whose secret is not in this
    process's environment. Checked when the webhook runs, not when its table is read:
    a catalogue validated or published elsewhere (without the webhook) needs no secret."""
    return [f"endpoints[{index}].secret_env: the environment variable "
            f"{endpoint.secret_env!r} is not set (or empty): it must hold the endpoint's "
            "HMAC-SHA256 secret"
            for index, endpoint in enumerate(options.endpoints)
            if not os.environ.get(endpoint.secret_env)]


@frozen(kw_only=True)
class WebhookOptions:
    """Options of the webhook publisher.

    Attributes:
        endpoints: the receivers (``[[publish.webhook.endpoints]]`` tables of ``url``,
            ``secret_env`` and optional ``types``); none: the documents are only written.
        types: record types that become documents; ``case`` and ``hotline_call`` never do.
        timeout_s: seconds before one attempt (connect, or read) is abandoned.
        retries: further attempts after a failed one, within one run (network errors,
            HTTP 5xx, 408 and 429; never other 4xx), so 2 means at most 3 tries.
        backoff_s: the wait before the first retry, doubled before each next one. A 429
            or 503 may ask for another wait with ``Retry-After``: it is honoured up to the
            longest of these waits; a longer one leaves the delivery for the next run.
        notify: ``major`` (MODEL.md: only major changes notify): an update whose new
            entries in ``changes`` all say ``major = false`` is written but not pushed,
            unless it takes anything out of the document; ``every``: every change is
            pushed, to keep a receiver's copy in step.
    """

    endpoints: tuple[Endpoint, ...] = field(default=(), converter=tuple, validator=_endpoints)
    types: tuple[str, ...] = field(default=DEFAULT_TYPES, converter=tuple, validator=_types)
    timeout_s: float = field(default=5.0, validator=positive)
    retries: int = field(default=2, validator=non_negative)
    backoff_s: float = field(default=0.5, validator=non_negative)
    notify: Notify = field(default="major", validator=check_choice(Notify))

    def __attrs_post_init__(self) -> None:
        for index, endpoint in enumerate(self.endpoints):
            for kind in endpoint.types or ():
                if kind not in self.types:
                    raise InvalidValue(f"endpoints[{index}].types", f"{kind!r} is not among "
                                       "the publisher's types")
