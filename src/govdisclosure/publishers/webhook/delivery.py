"""Delivering one document to one endpoint: signed, with timeouts and retries.

A failed delivery never fails a publication: the documents are written and the outbox
keeps what was not delivered for the next run. Failures come back as values, never as
exceptions (no requests exception escapes).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from urllib.parse import urlsplit

import requests
from attrs import frozen

from ... import __version__

__all__ = ["IDEMPOTENCY_HEADER", "SIGNATURE_HEADER", "Outcome", "deliver", "headers", "shown",
           "signature"]

SIGNATURE_HEADER = "X-Govdisclosure-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
#: HTTP statuses worth another attempt: the receiver may take the same request later.
RETRY_STATUSES = frozenset({408, 425, 429})


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


def shown(url: str) -> str:
    """``url`` for a message: without user information, query or fragment (which may
    hold a token)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}" + (
        f":{parts.port}" if parts.port else "") + parts.path


def deliver(session: requests.Session, url: str, body: bytes, key: str, secret: str, *,
            timeout_s: float, retries: int, backoff_s: float,
            sleep: Callable[[float], None]) -> Outcome:
    """POST ``body`` to ``url``, retrying network errors, 5xx, 408, 425 and 429.

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
    """
    sent = headers(secret, key, body)
    error = ""
    for attempt in range(1, retries + 2):
        try:
            response = session.post(url, data=body, headers=sent, timeout=timeout_s,
                                    allow_redirects=False)
        except requests.RequestException as exc:  # translated: never escapes the publisher
            error = f"{type(exc).__name__}: {exc}"
        else:
            with response:
                status = response.status_code
            if 200 <= status < 300:
                return Outcome(True, attempt)
            error = f"HTTP {status}"
            if status < 500 and status not in RETRY_STATUSES:
                return Outcome(False, attempt, error, permanent=True)
        if attempt <= retries:
            sleep(backoff_s * 2 ** (attempt - 1))
    return Outcome(False, retries + 1, error)
