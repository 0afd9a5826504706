"""govdisclosure: model, check and publish what a public agency must disclose.

The public API: load a catalogue, check it, publish it.

    import govdisclosure as gd
    catalog = gd.load_catalog("examples/jilin-2002")
"""

from __future__ import annotations

import logging

from .audit import AuditReport, Finding, Profile, audit, load_profile
from .catalog import Catalog, CatalogMeta, PublisherInfo, dumps, load_catalog, loads, make_converter
from .errors import (
    BundleError,
    CalendarError,
    CatalogError,
    ConfigError,
    GovDisclosureError,
    InvalidValue,
    LedgerError,
    Problem,
    PublishError,
    UnknownPublisher,
)
from .model import *  # noqa: F403 - the record classes are the public API
from .model import __all__ as _model_all
from .publishers.pages import clean
from .publishing import (
    BasePublisher,
    CatalogView,
    Job,
    Publisher,
    PublishReport,
    Tombstone,
    first_published,
    publish,
)

# A library logs, its user decides where to: without this, Python's last-resort handler
# printed the feeds publisher's warnings a second time, besides the report that has them.
logging.getLogger(__name__).addHandler(logging.NullHandler())

#: The one place the version is written (pyproject.toml reads it from here): asking the
#: installed metadata instead imported importlib.metadata, 30-80 ms, on every import.
__version__ = "0.1.0"

__all__ = [  # noqa: PLE0604 - the model's names are listed once, in model/__init__.py
    "AuditReport",
    "Finding",
    "Profile",
    "audit",
    "first_published",
    "load_profile",
    "BundleError",
    "CalendarError",
    "Catalog",
    "CatalogError",
    "CatalogMeta",
    "ConfigError",
    "GovDisclosureError",
    "InvalidValue",
    "LedgerError",
    "Problem",
    "PublishError",
    "PublisherInfo",
    "UnknownPublisher",
    "BasePublisher",
    "CatalogView",
    "Job",
    "PublishReport",
    "Publisher",
    "Tombstone",
    "__version__",
    "clean",
    "dumps",
    "load_catalog",
    "loads",
    "make_converter",
    "publish",
    *_model_all,
]
