"""OCDS: the resource allocations as Open Contracting Data Standard 1.1 release packages,
valid against the OCDS 1.1.5 release-package schema (docs/ocds.md).

Layout of the output folder::

    allocations/<id>.json   the release package of one allocation: a release per stage
                            (planning, tender, award), or its one withdrawal release
    all.json                the release package of every release of every allocation
"""

from __future__ import annotations

from .options import DEFAULT_PREFIX, OcdsOptions
from .publisher import ALL, OcdsPublisher, package_path

__all__ = ["ALL", "DEFAULT_PREFIX", "OcdsOptions", "OcdsPublisher", "package_path"]
