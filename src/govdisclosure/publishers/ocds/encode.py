"""JSON as OCDS wants it: sorted keys, two-space indent, UTF-8, money as exact numbers.

The standard library writes a Decimal only through a float (or not at all); an amount such
as ``123456789012345678.12345678`` must reach the file digit for digit, so this writer
walks the data itself and leaves every string to ``json.dumps`` (the escaping).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

__all__ = ["dumps"]


def dumps(value: Any) -> bytes:
    """``value`` (dicts, lists, strings, bools, None, ints and Decimals) as JSON bytes with
    keys sorted and a final newline."""
    parts: list[str] = []
    _encode(value, 0, parts)
    parts.append("\n")
    return "".join(parts).encode("utf-8")


def _encode(value: Any, level: int, out: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = "\n" + "  " * (level + 1)
        out.append("{")
        for index, key in enumerate(sorted(value)):
            if not isinstance(key, str):
                raise TypeError(f"JSON keys are strings, not {type(key).__name__}")
            out.append(("," if index else "") + inner + json.dumps(key, ensure_ascii=False)
                       + ": ")
            _encode(value[key], level + 1, out)
        out.append("\n" + "  " * level + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = "\n" + "  " * (level + 1)
        out.append("[")
        for index, item in enumerate(value):
            out.append(("," if index else "") + inner)
            _encode(item, level + 1, out)
        out.append("\n" + "  " * level + "]")
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is no JSON number")
        out.append(format(value, "f"))
    elif value is None or isinstance(value, str | bool | int):
        out.append(json.dumps(value, ensure_ascii=False))
    else:
        raise TypeError(f"{type(value).__name__} is not JSON data")
