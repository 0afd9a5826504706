"""Delivering one document to one endpoint: signed, with timeouts and retries.

A failed delivery never fails a publication: the documents are written and the outbox
keeps what was not delivered for the next run. Failures come back as values, never as
exceptions (no requests exception escapes).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import hmac
import math
import re
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import requests
from attrs import frozen

from ... import __version__
from ..pages import clean

__all__ = ["IDEMPOTENCY_HEADER", "SIGNATURE_HEADER", "Outcome", "deliver", "headers",
           "retry_after", "scrubbed", "shown", "signature"]

SIGNATURE_HEADER = "X-Govdisclosure-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
#: HTTP statuses worth another attempt: the receiver may take the same request later.
RETRY_STATUSES = frozenset({408, 425, 429})
#: HTTP statuses whose ``Retry-After`` says how long to wait (RFC 9110 10.2.3, RFC 6585 4).
RETRY_AFTER_STATUSES = frozenset({429, 503})


@frozen
class Outcome:
    """How one delivery went.

    Attributes:
        delivered: the endpoint answered 2xx.
        attempts: requests made (0 when none could be made).
        error: why the last attempt failed ("" when delivered).
        permanent: the endpoint refused it in a way another attempt in this run would not
            change (a 4xx other than 408, 425 and 429, or a redirect).
    """

    delivered: bool
    attempts: int
    error: str = ""
    permanent: bool = False


def signature(secret: str, body: bytes) -> str:
    """The signature header's value: ``sha256=`` and the hex HMAC-SHA256 of ``body``."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def headers(secret: str, key: str, body: bytes) -> dict[str, str]:
    """The headers of a delivery of ``body`` with idempotency key ``key``."""
    return {"Content-Type": "application/json", SIGNATURE_HEADER: signature(secret, body),
            IDEMPOTENCY_HEADER: key, "User-Agent": f"govdisclosure/{__version__} (webhook)"}


#: What :func:`shown` writes for the path of an endpoint, whatever it is.
_HIDDEN = "/…"


def shown(url: str) -> str:
    """``url`` for a message: its scheme, host and port, and ``/…`` for a path other than
    ``/``. Never its path, which may be the endpoint's secret (a Slack-style
    ``/services/T000/B000/XXXX``), user information, query or fragment (which may hold a
    token), control or bidi characters."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # an outbox row of an older version, whose options took any URL
        return "(a URL that does not parse)"
    host, slash, _ = (parts.hostname or "").partition("\\")  # an older row: a path
    return clean(f"{parts.scheme}://" + (f"[{host}]" if ":" in host else host)
                 + (f":{port}" if port else "")
                 + (parts.path if parts.path in ("", "/") and not slash else _HIDDEN))


#: What of an error message may name the endpoint beyond its host, in whatever encoding
#: requests or urllib3 wrote it: a URL, and urllib3's request target (path and query)
#: in ``Max retries exceeded with url: /services/...?token=...``.
_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"]*")
_TARGET = re.compile(r"(?<=url: )/[^\s'\"]*")


def scrubbed(text: str) -> str:
    """An error message with each URL in it :func:`shown` and each request target
    written ``/…``: requests names the endpoint in some of its errors."""
    return clean(_TARGET.sub(_HIDDEN, _URL.sub(lambda match: shown(match[0]), text)))


def retry_after(value: str | None, now: float) -> int | None:
    """The whole seconds a ``Retry-After`` value asks to wait: its delay-seconds, or its
    HTTP-date (any of RFC 9110's three forms) less ``now`` (POSIX time), rounded up. None
    when there is none, or it is invalid or past."""
    if value is None:
        return None
    value = value.strip()
    try:
        if value.isascii() and value.isdigit():
            return int(value)
        when = email.utils.parsedate_to_datetime(value)
    except ValueError:  # not a date, or digits beyond int()'s limit
        return None
    if when.tzinfo is None:  # the asctime form, which is GMT by definition
        when = when.replace(tzinfo=dt.UTC)
    wait = math.ceil(when.timestamp() - now)
    return wait if wait >= 0 else None


def deliver(session: requests.Session, url: str, body: bytes, key: str, secret: str, *,
            timeout_s: float, retries: int, backoff_s: float,
            sleep: Callable[[float], None],
            clock: Callable[[], float] = time.time) -> Outcome:
    """POST ``body`` to ``url``, retrying network errors, 5xx, 408, 425 and 429.

    A 429 or 503 with a valid ``Retry-After`` waits what it asks instead of the backoff,
    when that is no longer than the longest backoff (``backoff_s * 2 ** (retries - 1)``);
    a longer wait ends the attempts of this run at once.

    Args:
        session: the requests session to post with.
        url: the endpoint.
        body: the document's bytes, sent as they are (the signature covers them).
        key: the idempotency key (the same on every attempt, in every run).
        secret: the endpoint's HMAC secret.
        timeout_s: seconds per attempt to connect, and to wait for the answer.
        retries: further attempts after a failed one.
        backoff_s: the wait before the first retry, doubled before each next one.
        sleep: waits that many seconds (``time.sleep``).
        clock: the current POSIX time (``time.time``), for a ``Retry-After`` date.
    """
    sent = headers(secret, key, body)
    longest = backoff_s * 2 ** (retries - 1) if retries else 0.0
    error = ""
    for attempt in range(1, retries + 2):
        wait = backoff_s * 2 ** (attempt - 1)
        try:
            response = session.post(url, data=body, headers=sent, timeout=timeout_s,
                                    allow_redirects=False)
        except (requests.RequestException, ValueError) as exc:  # never escapes the publisher
            # (urllib3's LocationParseError, for a host it cannot parse, is a ValueError)
            error = scrubbed(f"{type(exc).__name__}: {exc}")
        else:
            with response:
                status = response.status_code
                header = response.headers.get("Retry-After")
            if 200 <= status < 300:
                return Outcome(True, attempt)
            error = f"HTTP {status}"
            if status < 500 and status not in RETRY_STATUSES:
                return Outcome(False, attempt, error, permanent=True)
            asked = retry_after(header, clock()) if status in RETRY_AFTER_STATUSES else None
            if asked is not None:
                error = f"HTTP {status} (the endpoint asked to wait {asked} s)"
                if attempt <= retries and asked > longest:
                    return Outcome(False, attempt, f"HTTP {status} (the endpoint asked to "
                                   f"wait {asked} s: more than the longest backoff, "
                                   f"{longest:g} s)")
                wait = asked
        if attempt <= retries:
            sleep(wait)
    return Outcome(False, retries + 1, error)
