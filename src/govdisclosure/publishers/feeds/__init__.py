"""Feeds: RSS 2.0, Atom and JSON Feed 1.1 of the published records, with RFC 5005
monthly archives and WebSub pings (docs/feeds.md).

Layout of the output folder (one feed set per catalogue language)::

    <lang>/all.atom|.rss|.json                     everything
    <lang>/agency/<agency>.atom|.rss|.json         one agency
    <lang>/agency-type/<agency>/<type>.atom|...    one agency, one record type (not below
                                                   agency/: an agency 'x.atom' would meet x)
    <lang>/type/<type>.atom|.rss|.json             one record type
    <lang>/category/<category>.atom|.rss|.json     one disclosure category
    <lang>/archive/<scope>/<YYYY-MM>.atom          closed months (RFC 5005), edited only
                                                   for privacy (archives.py)
    scope-index.json                               scopes of the last run (incremental runs)
"""

from __future__ import annotations

from .options import DEFAULT_TYPES, NEVER_ENTRIES, FeedsOptions
from .publisher import INDEX, FeedsPublisher
from .websub import HubPingFailure, ping_hub

__all__ = [
    "DEFAULT_TYPES",
    "INDEX",
    "NEVER_ENTRIES",
    "FeedsOptions",
    "FeedsPublisher",
    "HubPingFailure",
    "ping_hub",
]
