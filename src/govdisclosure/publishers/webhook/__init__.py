"""Webhook: each new, updated, withdrawn or removed record pushed as a signed JSON document
to HTTP endpoints, through an outbox in the state store (docs/webhook.md).

Layout of the output folder::

    records/<type>/<id>.json   the last document pushed for each record (live or
                               withdrawn); a removed record's file is removed
"""

from __future__ import annotations

from .delivery import (
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    Outcome,
    deliver,
    scrubbed,
    shown,
    signature,
)
from .document import SCHEMA
from .options import DEFAULT_TYPES, NEVER_PUSHED, Endpoint, WebhookOptions
from .publisher import WebhookPublisher, document_path, idempotency_key, record_of

__all__ = ["DEFAULT_TYPES", "IDEMPOTENCY_HEADER", "NEVER_PUSHED", "SCHEMA", "SIGNATURE_HEADER",
           "Endpoint", "Outcome", "WebhookOptions", "WebhookPublisher", "deliver",
           "document_path", "idempotency_key", "record_of", "scrubbed", "shown", "signature"]
