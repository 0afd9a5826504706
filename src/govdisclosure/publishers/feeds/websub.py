"""WebSub publish pings: tell a hub which feeds changed.

A failed ping never fails a publication: the feeds are written and correct, and
subscribers still get them on their next poll. Failures are returned as
:class:`HubPingFailure` values (and logged as warnings) instead of being raised or
reported as record failures, since no record failed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import requests
from attrs import evolve, frozen

__all__ = ["HubPingFailure", "ping_hub"]

log = logging.getLogger("govdisclosure.publishers.feeds")


@frozen
class HubPingFailure:
    """A ping that did not succeed after every retry."""

    hub: str
    urls: tuple[str, ...]
    attempts: int
    error: str


def ping_hub(
    hub: str,
    urls: Sequence[str],
    *,
    timeout_s: float,
    retries: int,
    batch: int,
    session: requests.Session | None = None,
) -> list[HubPingFailure]:
    """POST ``hub.mode=publish`` with the ``hub.url`` values, in batches, with retries.

    Args:
        hub: the hub's URL.
        urls: feed URLs whose content changed.
        timeout_s: seconds per attempt (connect and read).
        retries: further attempts after a failed one (network error or non-2xx status).
        batch: URLs per request.
        session: a requests session to reuse (one is made otherwise).

    Returns:
        Empty when the hub took everything; else one failure: a batch failed every
        attempt, and it and the batches after it were not delivered (a hub that refuses
        one batch after its retries is down or refusing: the rest are not tried, which
        would cost every batch its timeouts and a warning each).
    """
    failures: list[HubPingFailure] = []
    own = session is None
    http = session or requests.Session()
    try:
        for start in range(0, len(urls), batch):
            chunk = tuple(urls[start:start + batch])
            failure = _ping(http, hub, chunk, timeout_s, retries)
            if failure is not None:
                failure = evolve(failure, urls=tuple(urls[start:]))
                log.warning("WebSub hub %s: ping failed after %d attempt(s): %s; %d feed(s) "
                            "not pinged", hub, failure.attempts, failure.error,
                            len(failure.urls))
                failures.append(failure)
                break
    finally:
        if own:
            http.close()
    return failures


def _ping(http: requests.Session, hub: str, urls: tuple[str, ...], timeout_s: float,
          retries: int) -> HubPingFailure | None:
    data = [("hub.mode", "publish"), *(("hub.url", url) for url in urls)]
    error = ""
    for attempt in range(1, retries + 2):
        try:
            response = http.post(hub, data=data, timeout=timeout_s)
        except requests.RequestException as exc:  # translated: never escapes the publisher
            error = f"{type(exc).__name__}: {exc}"
        else:
            if 200 <= response.status_code < 300:
                return None
            error = f"HTTP {response.status_code}"
        if attempt == retries + 1:
            return HubPingFailure(hub=hub, urls=urls, attempts=attempt, error=error)
    return None  # pragma: no cover - the loop always returns
