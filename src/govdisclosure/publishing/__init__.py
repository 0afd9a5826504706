"""The one publishing pipeline: selection, state store and ledger, atomic output, registry."""

from __future__ import annotations

from .outbox import Delivery, Outbox
from .pipeline import AUDIENCES, PublishReport, folder_digest, publish
from .protocol import BasePublisher, Job, Publisher, PublisherReport, Tombstone
from .registry import ENTRY_POINT_GROUP, available, describe_publishers, load_publisher
from .selection import CatalogView, select
from .state import Receipt, StateStore, first_published, publications, state_path

__all__ = [
    "AUDIENCES",
    "ENTRY_POINT_GROUP",
    "BasePublisher",
    "CatalogView",
    "Delivery",
    "Job",
    "Outbox",
    "PublishReport",
    "Publisher",
    "PublisherReport",
    "Receipt",
    "StateStore",
    "Tombstone",
    "available",
    "describe_publishers",
    "first_published",
    "folder_digest",
    "load_publisher",
    "publications",
    "publish",
    "select",
    "state_path",
]
