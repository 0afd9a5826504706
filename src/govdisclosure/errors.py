"""The exception tree of govdisclosure.

Every error the public API raises derives from :class:`GovDisclosureError`::

    GovDisclosureError
    ├── InvalidValue (ValueError)            a model value breaks a rule (carries .field)
    ├── CatalogError (ValueError)            a catalogue could not be loaded: all its problems
    ├── ConfigError (ValueError)             govdisclosure.toml, options or arguments are unusable
    │   └── UnknownPublisher (LookupError)   no publisher of that name is installed
    ├── CalendarError (LookupError)          a working-day calendar does not cover a date
    ├── PublishError (RuntimeError)          a whole publishing target failed
    ├── LedgerError (RuntimeError)           the ledger is broken or a record is not in it
    └── BundleError (ValueError)             a kiosk bundle is damaged, or nothing to roll back

Third-party errors (tomllib, json, cattrs, feedgen, sqlite3, requests) are translated
into these at the edge, with the original chained as ``__cause__``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

__all__ = [
    "BundleError",
    "CalendarError",
    "CatalogError",
    "ConfigError",
    "GovDisclosureError",
    "InvalidValue",
    "LedgerError",
    "Problem",
    "PublishError",
    "UnknownPublisher",
]


class GovDisclosureError(Exception):
    """Root of every error raised by govdisclosure."""


class InvalidValue(GovDisclosureError, ValueError):
    """A model value breaks a rule of MODEL.md.

    Args:
        field: dotted path of the field inside the record (``time_limit.promised``).
        message: what is wrong, for a person.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


@attrs.frozen
class Problem:
    """One problem found in a catalogue, located as precisely as the format allows.

    A record is named by its type and id (``disclosure 'notice'``), by ``record 'notice'``
    when its type is missing or unknown, and without an id by its ``position`` in a file
    of several records where no line names it (``disclosure record 4``, ``record 2``:
    the 4th object of a JSON list, the 2nd table of a TOML ``[[type]]`` array).
    """

    file: str
    message: str
    type: str | None = None
    record: str | None = None
    field: str | None = None
    line: int | None = None
    position: int | None = None

    def __str__(self) -> str:
        where = _inert(self.file) + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.record:
            parts.append(f"{self.type or 'record'} '{_inert(_short(self.record))}'")
        elif self.position:
            parts.append(f"{self.type} record {self.position}" if self.type
                         else f"record {self.position}")
        elif self.type:
            parts.append(self.type)
        if self.field:
            parts.append(_inert(self.field))
        parts.append(_inert(self.message))  # it may quote the input (an unknown key)
        return ": ".join(parts)


def _short(text: str, limit: int = 200) -> str:
    """``text`` cut to ``limit`` characters, saying how long it was: an id of 10,000
    characters is not printed whole."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def _inert(text: str) -> str:
    """Control characters escaped, so that hostile ids cannot drive a terminal."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


class CatalogError(GovDisclosureError, ValueError):
    """A catalogue has problems; ``.problems`` lists every one of them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the catalogue"
        super().__init__("\n".join([head, *(str(p) for p in self.problems)]))


class ConfigError(GovDisclosureError, ValueError):
    """Configuration, publisher options or arguments are unusable.

    Args:
        message: what is wrong.
        publisher: the publisher concerned, if any.
        key: the option key concerned, if any.
        file: the file concerned (an audit profile), if any.
        problems: each problem, located as a catalogue's are (``publish.feeds.limit`` of
            ``govdisclosure.toml``), when there are several or a table of options has
            one; else empty.
    """

    def __init__(self, message: str, *, publisher: str | None = None, key: str | None = None,
                 file: str | None = None, problems: Sequence[Problem] = ()):
        super().__init__(message)
        self.publisher = publisher
        self.key = key
        self.file = file
        self.problems = tuple(problems)


class UnknownPublisher(ConfigError, LookupError):
    """No publisher of this name is registered (or its extra is not installed)."""


class CalendarError(GovDisclosureError, LookupError):
    """A working-day calendar cannot answer for a date (unknown year or country)."""


class PublishError(GovDisclosureError, RuntimeError):
    """A whole publishing target failed; per-record problems go in the report instead.
    Also a publisher that raised before the run could start (in ``__init__``, ``preflight``
    or ``check_catalog``): then nothing was written and ``report`` is None.

    Attributes:
        publisher: the (first) target that failed.
        report: from ``publish``, the :class:`~govdisclosure.publishing.PublishReport` of
            the run: the other targets were published all the same (None: nothing ran).
        config: a target failed on its configuration (a ``ConfigError``: a theme folder
            that does not exist, say), not while rendering: exit code 2, not 1.
    """

    def __init__(self, message: str, *, publisher: str | None = None,
                 config: bool = False) -> None:
        super().__init__(message)
        self.publisher = publisher
        self.report: Any = None
        self.config = config


class LedgerError(GovDisclosureError, RuntimeError):
    """The ledger's hash chain is broken, or a record was never published."""


class BundleError(GovDisclosureError, ValueError):
    """A kiosk bundle cannot be installed (damaged, incomplete, not a bag, a zip with paths
    that leave its folder), or a kiosk folder has no release to roll back to. The release
    that runs stays as it is.

    Attributes:
        path: the bundle or kiosk folder concerned.
    """

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path
