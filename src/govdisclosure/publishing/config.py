"""Publishing configuration: ``govdisclosure.toml`` merged with API arguments."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ..catalog.converter import default_converter
from ..catalog.loader import problems_of
from ..errors import ConfigError

__all__ = ["load_config", "structure_options"]

_KNOWN = {"to", "out"}


def load_config(root: Path | None) -> dict[str, Any]:
    """The ``[publish]`` table of ``root/govdisclosure.toml`` ({} when there is none).

    Raises:
        ConfigError: the file is not valid TOML or has unknown top-level keys.
    """
    if root is None:
        return {}
    path = root / "govdisclosure.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    unknown = sorted(set(data) - {"publish"})
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} (only [publish] belongs here)",
                          key=unknown[0])
    publish = data.get("publish", {})
    if not isinstance(publish, dict):
        raise ConfigError(f"{path}: [publish] must be a table", key="publish")
    return publish


def structure_options(name: str, cls: type[Any], data: Any) -> Any:
    """The publisher's options object from a table (or an instance given by API callers).

    Raises:
        ConfigError: naming the publisher and the key that is unknown or invalid.
    """
    if isinstance(data, cls):
        return data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"[publish.{name}] must be a table", publisher=name)
    try:
        return default_converter().structure(data, cls)
    except Exception as exc:
        field, message = next(problems_of(exc), ("", str(exc)))
        raise ConfigError(f"[publish.{name}] {field}: {message}", publisher=name,
                          key=field.split(".")[0] or None) from exc
