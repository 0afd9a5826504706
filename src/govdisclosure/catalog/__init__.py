"""Reading, checking and writing catalogues: loader, converter, references, JSON Schema."""

from __future__ import annotations

from .catalog import Catalog, CatalogMeta, PublisherInfo, read_file
from .converter import dumps, loads, make_converter
from .loader import load_catalog

__all__ = ["Catalog", "CatalogMeta", "PublisherInfo", "dumps", "load_catalog", "loads",
           "make_converter", "read_file"]
