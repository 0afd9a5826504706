"""The webhook publisher: which documents change, and delivering them through the outbox."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections import Counter
from collections.abc import Callable
from typing import Any, ClassVar

import requests

from ...errors import PublishError
from ...model import Record
from ...publishing import BasePublisher, Job, Tombstone
from ...publishing.outbox import Delivery
from .delivery import Outcome, deliver, shown
from .document import document, encode, record_view, tombstone_view
from .options import WebhookOptions, missing_secrets

__all__ = ["WebhookPublisher", "document_path", "idempotency_key", "record_of"]

log = logging.getLogger("govdisclosure.publishers.webhook")


def document_path(kind: str, ident: str) -> str:
    """The file of a record's last document, relative to the publisher's folder."""
    return f"records/{kind}/{ident}.json"


def idempotency_key(kind: str, ident: str, revision: str | None, body: bytes) -> str:
    """``<type>:<id>:<revision hash>:<sha256 of the body>`` (``-`` for the revision of a
    removed record): the record id and revision hash of ADAPTERS.md, and the same for
    every attempt at one document, different for any other document of the record
    (docs/webhook.md says why the body's digest too)."""
    return f"{kind}:{ident}:{revision or '-'}:{hashlib.sha256(body).hexdigest()}"


def record_of(delivery: Delivery) -> str:
    """``type:id`` of the record a delivery is a document of (read from its key when it
    was queued before deliveries had subjects)."""
    return delivery.subject or ":".join(delivery.key.split(":")[:2])


class WebhookPublisher(BasePublisher):
    """Pushes each new, updated, withdrawn or removed record as a signed JSON document to
    HTTP endpoints, through an outbox in the state store (docs/webhook.md).

    Attributes:
        sleep: how the publisher waits between attempts (``time.sleep``).
    """

    name: ClassVar[str] = "webhook"
    Options: ClassVar[type[Any]] = WebhookOptions
    audiences: ClassVar[tuple[str, ...]] = ("public", "internal")
    version: ClassVar[str] = "4"  # 2: no user information in a string's URLs (body links);
    # 3: an attachment is the site's copy only when the site makes one (attachment_copies);
    # 4: money always has its currency (CNY was left out as the default)

    def __init__(self, options: WebhookOptions | None = None) -> None:
        super().__init__(options or WebhookOptions())
        self.options: WebhookOptions
        self.sleep: Callable[[float], None] = time.sleep
        #: ``type:id`` of the records with a delivery pending from an earlier run
        self._pending: set[str] | None = None

    def preflight(self) -> list[str]:
        """The endpoints whose secret is not in this process's environment: the run is
        refused before any publisher runs (``validate`` warns)."""
        return missing_secrets(self.options)

    def shows(self, record_type: str) -> bool:
        """The types that become documents (``types``; never cases or hotline calls)."""
        return record_type in self.options.types

    def publish(self, job: Job) -> None:
        """Write the document of each record the run touches, and queue its deliveries."""
        wanted = self.options.types
        self._pending = None
        for record in job.records:
            if record.TYPE in wanted and job.must_render(record):
                self._render(job, record, record.TYPE, record.id, "published")
        for stone in job.tombstones:
            if stone.type in wanted and job.must_render(stone):
                self._render(job, stone, stone.type, stone.id, "withdrawn")
        for kind, ident in sorted(job.removed):
            path = document_path(kind, ident)
            if kind in wanted and job.exists(path):
                job.remove(path)
                body = encode(document(action="removed", kind=kind, ident=ident, revision=None,
                                       as_of=job.as_of.isoformat(), audience=job.audience,
                                       record=None))
                self._queue(job, kind, ident, body)

    def _render(self, job: Job, source: Record | Tombstone, kind: str, ident: str,
                action: str) -> None:
        if isinstance(source, Tombstone):
            view = tombstone_view(job, source)
        else:
            view = record_view(job, source)
            action = "updated" if job.published(source) is not None else "published"
        path = document_path(kind, ident)
        body = encode(document(action=action, kind=kind, ident=ident,
                               revision=job.revision(source), as_of=job.as_of.isoformat(),
                               audience=job.audience, record=view))
        previous = job.read(path)
        if previous is not None and _same(previous, body):
            # Nothing new to say: the last document stays, byte for byte (its as_of and
            # action too), so that a full run re-sends it under the same idempotency key.
            job.write(path, previous)
            if job.full:
                self._queue(job, kind, ident, previous)
            return
        job.write(path, body)
        if self._notifies(job, f"{kind}:{ident}", previous, body):
            self._queue(job, kind, ident, body)

    def _notifies(self, job: Job, subject: str, previous: bytes | None, body: bytes) -> bool:
        """Whether a new document of record ``subject`` is pushed: always, unless
        ``notify`` is ``major`` and it only says a minor change (:func:`_minor`) in a run
        that is not full, while no older document of the record waits in the outbox (it
        would go out instead of this one: it must be replaced)."""
        if (self.options.notify == "every" or previous is None or job.full
                or not _minor(previous, body)):
            return True
        if self._pending is None:
            self._pending = {record_of(delivery) for delivery in job.outbox.pending()}
        return subject in self._pending

    def _queue(self, job: Job, kind: str, ident: str, body: bytes) -> None:
        """Owe ``body`` to every endpoint that wants ``kind``; it replaces the record's
        older documents still pending there (a record made secret or withdrawn since must
        not go out as it was)."""
        key = idempotency_key(kind, ident, json.loads(body).get("revision"), body)
        for endpoint in self.options.endpoints:
            if endpoint.wants(kind):
                job.outbox.add(endpoint.url, key, body, subject=f"{kind}:{ident}")

    def after_switch(self, job: Job) -> list[str]:
        """Deliver what the outbox holds, oldest first, once the documents are live.

        An endpoint that fails a delivery after its retries is sent nothing more in this
        run (what follows must not overtake it): its deliveries wait for the next run.
        Deliveries to an endpoint no longer configured are dropped, with a warning.
        """
        try:
            pending = job.outbox.pending()
        except PublishError as exc:
            return [f"webhook: {exc}"]
        endpoints = {endpoint.url: endpoint for endpoint in self.options.endpoints}
        failed: dict[str, Outcome] = {}
        waiting: Counter[str] = Counter()
        dropped: Counter[str] = Counter()
        options = self.options
        try:
            with requests.Session() as session:
                for delivery in pending:
                    url = delivery.channel
                    endpoint = endpoints.get(url)
                    if endpoint is None:
                        job.outbox.drop(delivery)
                        dropped[url] += 1
                        continue
                    if url in failed:
                        waiting[url] += 1
                        _owed(job, delivery, f"not sent to {shown(url)}, which failed an "
                              "earlier delivery of this run: it waits in the outbox")
                        continue
                    secret = os.environ.get(endpoint.secret_env, "")
                    outcome = deliver(session, url, delivery.body, delivery.key, secret,
                                      timeout_s=options.timeout_s, retries=options.retries,
                                      backoff_s=options.backoff_s, sleep=self.sleep) if secret \
                        else Outcome(False, 0, f"the environment variable "
                                               f"{endpoint.secret_env!r} is not set")
                    if outcome.delivered:
                        job.outbox.delivered(delivery)
                    else:
                        job.outbox.failed(delivery, outcome.error, outcome.attempts)
                        failed[url] = outcome
                        waiting[url] += 1
                        _owed(job, delivery, f"not delivered to {shown(url)}: "
                              f"{outcome.error}; it waits in the outbox")
        except PublishError as exc:  # the state store failed under us: retried next run
            return [f"webhook: {exc}"]
        warnings = [f"webhook endpoint {shown(url)}: {outcome.error} after "
                    f"{outcome.attempts} attempt(s); {waiting[url]} delivery(ies) wait in "
                    "the outbox for the next run" for url, outcome in sorted(failed.items())]
        warnings += [f"webhook: {count} undelivered delivery(ies) to {shown(url)}, no longer "
                     "an endpoint, were dropped" for url, count in sorted(dropped.items())]
        for warning in warnings:
            log.warning("%s", warning)
        return warnings


def _owed(job: Job, delivery: Delivery, message: str) -> None:
    """Count the record of an undelivered document as failed in the run's report (exit
    code 1: a script sees that an endpoint has not got it yet)."""
    kind, _, ident = record_of(delivery).partition(":")
    job.fail((kind, ident), message)


def _same(previous: bytes, body: bytes) -> bool:
    """Whether two documents of a record say the same, whatever their as_of and action."""
    try:
        old = json.loads(previous)
    except ValueError:
        return False
    new = json.loads(body)
    if not isinstance(old, dict):
        return False
    for key in ("as_of", "action"):
        old.pop(key, None)
        new.pop(key, None)
    return bool(old == new)


def _minor(previous: bytes, body: bytes) -> bool:
    """Whether a record's new document only says a change its record calls minor: an
    update whose entries added to ``changes`` all say ``major = false``, with the same
    ``updated_at``, that takes nothing out of the document (no field gone, no list item
    gone: a reference to a record made secret since, a name no longer public)."""
    try:
        old = json.loads(previous)
    except ValueError:
        return False
    new = json.loads(body)
    before, after = (old.get("record") if isinstance(old, dict) else None), new["record"]
    if new["action"] != "updated" or not isinstance(before, dict) or after is None:
        return False
    added = [c for c in after.get("changes", ()) if c not in before.get("changes", ())]
    return (bool(added) and not any(c.get("major", True) for c in added)
            and before.get("updated_at") == after.get("updated_at")
            and not _lost(before, after))


def _lost(before: Any, after: Any) -> bool:
    """Whether ``after`` lacks a key or a list item of ``before`` (at any depth)."""
    if isinstance(before, dict):
        return not isinstance(after, dict) or any(
            key not in after or _lost(value, after[key]) for key, value in before.items())
    if isinstance(before, list):
        return not isinstance(after, list) or any(item not in after for item in before)
    return False
