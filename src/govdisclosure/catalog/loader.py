"""Reading a catalogue folder: catalog.toml, agencies, and records in four formats.

Every problem of every file is collected and raised at the end as one
:class:`~govdisclosure.errors.CatalogError`, each located as
``file[:line]: type 'id': field.path: message``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import functools
import gc
import hashlib
import json
import os
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import attrs
import cattrs
import orjson
from cattrs.errors import BaseValidationError, ForbiddenExtraKeysError

from .._gc import gc_paused
from ..errors import CatalogError, ConfigError, InvalidValue, Problem
from ..model import RECORD_TYPES, Agency, Record
from .catalog import (
    RECORD_SUFFIXES,
    Catalog,
    CatalogMeta,
    check_references,
    remember_linked_sources,
)
from .converter import make_converter

__all__ = ["load_catalog", "parse_json_record", "parse_record_data", "problems_of"]

R = TypeVar("R")
_TOML_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
#: The UTF-8 byte order mark some Windows editors write first: read as nothing.
BOM = b"\xef\xbb\xbf"


def problems_of(exc: BaseException, prefix: str = "", *,
                hint: str = "govdisclosure schema") -> Iterator[tuple[str, str]]:
    """``(field.path, message)`` for every leaf error of a structuring failure (``hint``:
    the command that lists the keys allowed)."""
    if isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            yield _join(prefix, key), f"unknown key (a typo? see `{hint}`)"
        return
    if isinstance(exc, BaseValidationError):
        for sub in exc.exceptions:
            note = next(
                (n for n in getattr(sub, "__notes__", ()) if hasattr(n, "name")
                 or hasattr(n, "index")),
                None,
            )
            step = getattr(note, "name", None)
            if step is None and note is not None:
                step = str(note.index)
            yield from problems_of(sub, _join(prefix, step) if step is not None else prefix,
                                   hint=hint)
        return
    if isinstance(exc, InvalidValue):
        yield _join(prefix, exc.field), exc.message
        return
    if isinstance(exc, KeyError) and prefix:
        yield prefix, "required field is missing"
        return
    message = str(exc.args[0]) if exc.args else type(exc).__name__
    # attrs' own validators (in_, instance_of, ...) pass the attribute after the message
    field = exc.args[1] if len(exc.args) > 1 else None
    yield (_join(prefix, field.name) if isinstance(field, attrs.Attribute) else prefix), message


def _join(prefix: str, step: str | None) -> str:
    if not step:
        return prefix
    return f"{prefix}.{step}" if prefix else step


@functools.lru_cache(maxsize=16)
def _converters(timezone: str | dt.tzinfo | None) -> tuple[cattrs.Converter, cattrs.Converter]:
    """The fast and the detailed converter of a zone, built once (building one is slow)."""
    return make_converter(timezone, detailed=False), make_converter(timezone, detailed=True)


class _Reader:
    """Turns files into records, collecting problems instead of stopping at the first."""

    def __init__(self, root: Path, timezone: str | dt.tzinfo | None) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.records: list[Record] = []
        self.sources: dict[tuple[str, str], tuple[str, int | None]] = {}
        self.digests: dict[tuple[str, str], tuple[Record, bytes]] = {}
        self.invalid: set[str] = set()  # ids of records that failed: no cascade of dangling refs
        #: files with records lost before their ids were known (unreadable, not parsed)
        self.unread: list[str] = []
        self._names: dict[Path, str] = {}
        self._hooks: dict[type, Any] = {}
        self.context(timezone, "zh-CN")

    def context(self, timezone: str | dt.tzinfo | None, default_language: str) -> None:
        """What, besides a record's source, decides the record it becomes."""
        from .. import __version__  # the package imports this module: not at the top

        self.fast, self.detailed = _converters(timezone)
        self._hooks = {}
        self.default_language = default_language
        self._seed = hashlib.sha256(f"{__version__}\0{timezone}\0{default_language}\0".encode())

    def digest(self, raw: bytes | None, data: dict[str, Any], implied: str | None) -> bytes | None:
        """A digest of a record's source and context (:attr:`Catalog.digests`): the line's
        bytes when there is one, else the parsed data as JSON (None if it has none)."""
        if raw is None:
            try:
                raw = orjson.dumps(data)
            except TypeError:  # e.g. a TOML integer beyond 64 bits: hashed when published
                return None
        digest = self._seed.copy()
        digest.update(f"{implied or ''}\0".encode())
        digest.update(raw)
        return digest.digest()[:16]

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def problem(self, path: Path | str, message: str, **where: Any) -> None:
        self.problems.append(
            Problem(file=path if isinstance(path, str) else self.rel(path), message=message,
                    **where)
        )

    def unreadable(self, path: Path | str, message: str, **where: Any) -> None:
        """A problem that loses the records of a file (or line) before their ids are known."""
        self.problem(path, message, **where)
        file = self.problems[-1].file
        if file not in self.unread:
            self.unread.append(file)

    def text(self, path: Path) -> str | None:
        """A file's text, less a leading byte order mark (None if it cannot be read)."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            self.unreadable(path, f"cannot be read: {exc.strerror}")
            return None
        skip = len(BOM) if raw.startswith(BOM) else 0
        try:
            return raw[skip:].decode("utf-8")
        except UnicodeDecodeError as exc:
            self.unreadable(path, f"not valid UTF-8 (byte {skip + exc.start})")
        return None

    def toml(self, path: Path, text: str | None = None, line_offset: int = 0) -> dict[str, Any]:
        if text is None:
            text = self.text(path)
            if text is None:
                return {}
        try:
            return tomllib.loads(text)
        except RecursionError:
            self.unreadable(path, "not valid TOML: arrays or tables nested too deeply",
                            line=line_offset + 1 if line_offset else None)
            return {}
        except tomllib.TOMLDecodeError as exc:
            found = _TOML_LINE.search(str(exc))
            line = int(found.group(1)) + line_offset if found else None
            # tomllib counts lines of the text it was given (front matter: from its first
            # line); the problem names the file's line, so only the column stays
            message = _TOML_LINE.sub(lambda m: f"(column {m.group(2)})", str(exc)) if found \
                else str(exc)
            self.unreadable(path, f"not valid TOML: {message}", line=line)
            return {}
        except ValueError as exc:  # tomllib's int(): an integer of over 4,300 digits
            self.unreadable(path, f"not valid TOML: {exc}",
                            line=line_offset + 1 if line_offset else None)
            return {}

    # -- records ---------------------------------------------------------------------------

    def add(
        self, path: Path, data: object, line: int | None = None, implied: str | None = None,
        raw: bytes | None = None, position: int | None = None,
    ) -> None:
        """Structure one record of ``path`` (``line``: its line; ``position``: its place
        among several records of the file, named in problems when it has no id)."""
        file = self._names.get(path) or self._names.setdefault(path, self.rel(path))
        if not isinstance(data, dict):
            self.unreadable(file, "a record must be a table/object", line=line,
                            position=position)
            return
        kind = data.get("type", implied)
        ident = data.get("id")
        label = ident if isinstance(ident, str) else None
        if label is not None:
            position = None
        if implied is not None and "type" in data and data["type"] != implied:
            self.problem(file, f"type {data['type']!r} inside a [[{implied}]] table",
                         type=implied, record=label, field="type", line=line,
                         position=position)
            return
        cls = RECORD_TYPES.get(kind) if isinstance(kind, str) else None
        if cls is None:
            known = ", ".join(RECORD_TYPES)
            what = "missing type key" if kind is None else f"unknown record type {kind!r}"
            self.problem(file, f"{what} (one of {known})",
                         record=label, field="type", line=line, position=position)
            return
        digest = self.digest(raw, data, implied)
        body = data  # parsed here, so ours to change: no copy without the type key
        body.pop("type", None)
        hook = self._hooks.get(cls)
        if hook is None:
            hook = self._hooks[cls] = self.fast.get_structure_hook(cls)
        try:
            record = hook(body, cls)
        except Exception:  # noqa: BLE001 - re-run with detail to report every problem
            try:
                record = self.detailed.structure(body, cls)
            except Exception as exc:  # noqa: BLE001 - any failure is the record's problem
                if label:
                    self.invalid.add(label)
                for field, message in problems_of(exc):
                    self.problem(file, message, type=cls.TYPE, record=label,
                                 field=field or None, line=line, position=position)
                return
        key = (record.TYPE, record.id)
        if key in self.sources:
            first, first_line = self.sources[key]
            where = first + (f":{first_line}" if first_line else "")
            self.problem(file, f"duplicate id (first defined in {where})",
                         type=record.TYPE, record=record.id, field="id", line=line)
            return
        self.sources[key] = (file, line)
        if digest is not None:
            self.digests[key] = (record, digest)
        self.records.append(record)

    def read_file(self, path: Path) -> None:
        suffix = path.suffix
        if suffix == ".jsonl":
            self.read_jsonl(path)
        elif suffix == ".json":
            try:
                raw = path.read_bytes()
            except OSError as exc:
                self.unreadable(path, f"cannot be read: {exc.strerror}")
                return
            skip = len(BOM) if raw.startswith(BOM) else 0
            raw = raw[skip:]
            try:
                data = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError as bad:
                    self.unreadable(path, f"not valid UTF-8 (byte {skip + bad.start})")
                    return
                self.unreadable(path, f"not valid JSON: {exc.msg}", line=exc.lineno)
                return
            many = isinstance(data, list)
            items = _positions(data if many else [data])
            if not _no_duplicate_keys(raw, data):
                items = self.without_duplicates(path, raw, items, many, None)
            for position, item in items:
                self.add(path, item, position=position)
        elif suffix == ".toml":
            self.read_toml_records(path, self.toml(path))
        elif suffix == ".md":
            self.read_markdown(path)

    def read_jsonl(self, path: Path) -> None:
        """One record a line; bytes go straight to orjson, which checks the UTF-8 itself."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            self.unreadable(path, f"cannot be read: {exc.strerror}")
            return
        skip = len(BOM) if raw.startswith(BOM) else 0
        lines = raw[skip:].split(b"\n")
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                data = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError as bad:
                    start = skip + sum(len(before) + 1 for before in lines[:number - 1])
                    self.unreadable(path, f"not valid UTF-8 (byte {start + bad.start})",
                                 line=number)
                    continue
                self.unreadable(path, f"not valid JSON: {exc.msg}", line=number)
                continue
            if not _no_duplicate_keys(line, data) and not self.without_duplicates(
                    path, line, [(None, data)], False, number):
                continue
            self.add(path, data, number, raw=line)

    def without_duplicates(self, path: Path, raw: bytes, items: list[tuple[int | None, Any]],
                           many: bool, line: int | None) -> list[tuple[int | None, Any]]:
        """``items`` (``(position, data)``) less those with a key given twice, each such
        key reported.

        The exact check behind :func:`_no_duplicate_keys`: the stdlib parser, keeping
        every member. Reached only when that cheap test cannot rule duplicates out.
        """
        try:
            parsed = json.loads(raw, object_pairs_hook=_members)
        except RecursionError:
            self.unreadable(path, "nested too deeply", line=line)
            return []
        kept = []
        for (position, item), again in zip(items, parsed if many else [parsed], strict=True):
            found = _duplicate_keys(again)
            if not found:
                kept.append((position, item))
                continue
            kind, ident = (item.get("type"), item.get("id")) if isinstance(item, dict) else (
                None, None)
            if isinstance(ident, str):
                self.invalid.add(ident)
            for field in found:
                self.problem(path, _DUPLICATE_KEY, line=line, field=field, type=_name(kind),
                             record=_name(ident),
                             position=None if isinstance(ident, str) else position)
        return kept

    def read_toml_records(self, path: Path, data: dict[str, Any], *,
                          agencies: bool = False) -> None:
        """One record (a top-level ``type``), or ``[[type]]`` arrays / ``[type]`` tables.

        Args:
            path: the file.
            data: its parsed TOML.
            agencies: an agencies file (agencies.toml, agencies/*.toml): agencies only.
        """
        if "type" in data:
            kind = data["type"]
            if agencies and kind != Agency.TYPE:
                self.problem(path, f"type {kind!r} in an agencies file: only agencies belong "
                                   "here (other records go below records/)",
                             type=_name(kind), record=_name(data.get("id")), field="type")
                return
            self.add(path, data)
            return
        for table, items in data.items():
            known = table == Agency.TYPE if agencies else table in RECORD_TYPES
            if not known or not isinstance(items, list | dict):
                expected = ("[[agency]]" if agencies else "[[type]] tables (e.g. [[disclosure]]) "
                            "or one record with a type key")
                self.problem(path, f"unknown top-level key {table!r}: expected {expected}")
                continue
            for position, item in _positions(items if isinstance(items, list) else [items]):
                self.add(path, item, implied=table, position=position)

    def read_markdown(self, path: Path) -> None:
        text = self.text(path)
        if text is None:
            return
        # CommonMark's line endings are LF, CRLF and CR alike: a body saved on Windows must
        # not carry its carriage returns into every output (and its content hash)
        lines = _lines(text.replace("\r\n", "\n").replace("\r", "\n"))
        if not lines or lines[0].strip() != "+++":
            self.unreadable(path, "a Markdown record starts with TOML front matter between "
                            "+++ lines", line=1)
            return
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "+++"), None)
        if end is None:
            self.unreadable(path, "front matter is not closed by a +++ line", line=1)
            return
        known = len(self.problems)
        front = self.toml(path, "".join(lines[1:end]), line_offset=1)
        if not front:
            if len(self.problems) == known:  # not invalid, empty: its body would be lost
                self.unreadable(path, "the front matter is empty: a record needs its type, "
                                "id and fields there", line=1)
            return
        body, repeated = _localized_body(lines[end + 1:], self.default_language, end + 2)
        if body and "body" in front:
            repeated.insert(0, (end + 2, "body given both in front matter and after it"))
        if repeated:
            ident = _name(front.get("id"))
            if ident is not None:
                self.invalid.add(ident)
            for line, message in repeated:
                self.problem(path, message, type=_name(front.get("type")), record=ident,
                             field="body", line=line)
            return
        if body:
            front["body"] = body
        self.add(path, front)


# -- duplicate keys ---------------------------------------------------------------------------
# orjson (like every fast JSON parser) keeps the last of two equal keys without a word. Every
# string of JSON text is delimited by two '"' bytes and any other '"' in it is escaped, so
# when a text holds exactly twice as many '"' bytes as its parsed data has strings (keys
# and string values), nothing was dropped. That costs one count in C and a walk of the
# parsed data (about 2-3 us a record of 1.4 kB, against 4 us for orjson.loads); only texts
# where it fails (duplicates, or escaped quotes the second test cannot account for) are
# parsed again, by the stdlib, keeping every member.

_DUPLICATE_KEY = "key given twice (only one of the values could be kept: remove the other)"


def _no_duplicate_keys(raw: bytes, data: object) -> bool:
    """True when ``raw`` (JSON text) surely has no object with a key given twice."""
    try:
        strings = (_strings(data) if isinstance(data, dict | list)
                   else int(type(data) is str))
    except RecursionError:  # orjson allows 1024 levels: let the exact check report it
        return False
    extra = raw.count(b'"') - 2 * strings
    if not extra:
        return True
    # '\"' is an escaped quote unless its backslash is escaped itself ('\\'): with no
    # '\\' in the text, every extra '"' is accounted for exactly
    return extra == raw.count(b'\\"') and b"\\\\" not in raw


def _strings(value: dict[Any, Any] | list[Any]) -> int:
    """Keys and string values of a parsed JSON object or array, nested ones included."""
    count, items = (len(value), value.values()) if value.__class__ is dict else (0, value)
    for item in items:
        kind = item.__class__
        if kind is str:
            count += 1
        elif kind is dict or kind is list:
            count += _strings(item)
    return count


class _Members(dict[str, Any]):
    """A parsed JSON object that was given some of its keys more than once."""

    twice: tuple[str, ...] = ()


def _members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook``: a plain dict, or a :class:`_Members` naming repeated keys."""
    found = dict(pairs)
    if len(found) == len(pairs):
        return found
    repeated = _Members(found)
    counts = Counter(key for key, _ in pairs)
    repeated.twice = tuple(key for key, count in counts.items() if count > 1)
    return repeated


def _duplicate_keys(value: object, path: str = "") -> list[str]:
    """The field path of every key given twice in data parsed with ``_members``."""
    found = []
    if isinstance(value, _Members):
        found += [_join(path, key) for key in value.twice]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _duplicate_keys(item, _join(path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _duplicate_keys(item, _join(path, str(index)))
    return found


def parse_json_record(text: str | bytes, cls: type[R] | None, *, source: str,
                      timezone: dt.tzinfo | None = None) -> R:
    """:func:`parse_record_data` of JSON text, refusing keys given twice."""
    try:
        data = json.loads(text, object_pairs_hook=_members) if text.strip() else None
    except ValueError as exc:  # not JSON, or bytes that are not UTF-8
        raise CatalogError([Problem(file=source, message=f"not valid JSON: {exc}")]) from exc
    found = _duplicate_keys(data)
    if found:
        ident = data.get("id") if isinstance(data, dict) else None
        kind = data.get("type", getattr(cls, "TYPE", None)) if isinstance(data, dict) else None
        raise CatalogError([Problem(file=source, message=_DUPLICATE_KEY, type=_name(kind),
                                    record=_name(ident), field=field) for field in found])
    return parse_record_data(data, cls, source=source, timezone=timezone)


def _positions(items: list[Any]) -> list[tuple[int | None, Any]]:
    """Each record of a list with its place, counted from 1; none when it is alone (the
    file, or its one ``[[type]]`` table, names it)."""
    if len(items) == 1:
        return [(None, items[0])]
    return [(position, item) for position, item in enumerate(items, start=1)]


def _name(value: object) -> str | None:
    """A type or id for a message, if it is one."""
    return value if isinstance(value, str) else None


def _lines(text: str) -> list[str]:
    """Lines with their ends, split at LF only: U+2028, U+0085 and the like are text."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


_LANGUAGE_SECTION = re.compile(r"\+\+\+\s+([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\s*")
#: A Markdown code fence (CommonMark: up to 3 spaces, then 3 or more ` or ~): what lies
#: between two is code, a ``+++ en`` there included; so is a line indented by 4 or more.
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def _localized_body(lines: list[str], default: str,
                    first: int) -> tuple[str | dict[str, str], list[tuple[int, str]]]:
    """The Markdown body (``+++ en`` lines start the body in another language) and a
    ``(line, message)`` for each language line that would join two parts of one language
    into one paragraph: a second ``+++ en``, or ``+++ <default>`` after text in the
    default language. ``first`` is the line number of ``lines[0]`` in the file."""
    sections: dict[str, list[str]] = {default: []}
    started: dict[str, int] = {}  # the line of each '+++ <language>'
    current = sections[default]
    repeated = []
    fence = ""  # the fence of the code block the line is in, if any
    for number, line in enumerate(lines, start=first):
        marks = _FENCE.match(line)
        if fence:
            if marks and marks.group(1).startswith(fence) and not line[marks.end():].strip():
                fence = ""  # the closing fence: as long as the opening one, or longer
        elif marks:
            fence = marks.group(1)
        found = None if fence or marks or line.startswith(("    ", "\t")) else (
            _LANGUAGE_SECTION.fullmatch(line.strip()))
        if found is None:
            current.append(line)
            continue
        language = found.group(1)
        if language in started:
            repeated.append((number, f"a second '+++ {language}' (the first is at line "
                             f"{started[language]}): give each language one section"))
        elif language == default and "".join(sections[default]).strip():
            repeated.append((number, f"'+++ {language}' after text in {language} (the "
                             "default language: the body after the front matter is in it); "
                             "give each language one section"))
        started.setdefault(language, number)
        current = sections.setdefault(language, [])
    texts = {lang: "".join(part).strip("\n") for lang, part in sections.items()}
    texts = {lang: text for lang, text in texts.items() if text}
    if len(sections) == 1:
        return texts.get(default, ""), repeated
    return texts, repeated


def _record_files(folder: Path, unreadable: Callable[[Path, str], None],
                  links: list[str]) -> list[Path]:
    """The record files below ``folder``, in path order. Hidden names (starting with
    ``.``) are skipped, folders with all they hold (``.git/``, ``.drafts/``) as well as
    files (an editor's ``.#x.toml``): they are never records. A folder that cannot be
    listed is a problem (``unreadable``), never skipped without a word: its records would
    leave every output. A linked folder is read, as a linked file is, once (a loop of
    links ends there); where the links lead (resolved) is added to ``links``: the files
    read through them are sources, which no record may read as its file."""
    if not folder.is_dir():
        return []
    found = []
    seen = {os.path.realpath(folder)}
    waiting = [str(folder)]
    while waiting:
        parent = waiting.pop()
        try:
            with os.scandir(parent) as listing:
                entries = list(listing)
        except OSError as exc:
            unreadable(Path(exc.filename or parent), f"cannot be read: {exc.strerror or exc}")
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:  # d_type answers for all but links: no system call per file
                if entry.is_dir():
                    real = os.path.realpath(entry.path)
                    if real not in seen:
                        seen.add(real)
                        waiting.append(entry.path)
                        if entry.is_symlink():
                            links.append(real)
                elif entry.name.endswith(RECORD_SUFFIXES) and entry.is_file():
                    found.append(Path(entry.path))
                    if entry.is_symlink():
                        links.append(os.path.realpath(entry.path))
            except OSError:
                continue
    return sorted(found)


def load_catalog(path: str | Path) -> Catalog:
    """Load and validate the catalogue folder at ``path``.

    Args:
        path: the folder holding ``catalog.toml``.

    Returns:
        The catalogue, every record valid and every reference resolved.

    Raises:
        CatalogError: listing every problem found, each with file, record and field.
        ConfigError: ``path`` is no path (None, a number).
    """
    try:
        root = Path(path)
    except TypeError as exc:
        raise ConfigError(f"path must be a catalogue folder, a str or a pathlib.Path, not "
                          f"{type(path).__name__}", key="path") from exc
    # Collect before, not after: the load makes almost no cyclic garbage (about a thousand
    # objects at 100k records, from building the converters' hooks), while a collection
    # after it would traverse every record (0.45 s at 100k).
    gc.collect()
    with gc_paused():
        catalog = _load(root)
    # Records are immutable and acyclic: keep the cyclic GC from rescanning them in every
    # collection of the work that follows (publishing 100k records: 1.3 s -> 0.2 s in
    # selection alone). Reference counting still frees them as usual.
    gc.freeze()
    return catalog


def _load(root: Path) -> Catalog:
    meta_file = root / "catalog.toml"
    if not meta_file.is_file():
        raise CatalogError([Problem(file=str(meta_file), message="no catalog.toml here: "
                                    "is this a catalogue folder? (govdisclosure init DIR)")])
    reader = _Reader(root, "UTC")
    meta_data = reader.toml(meta_file)
    meta: CatalogMeta | None = None
    if meta_data or not reader.problems:  # empty (or comments only): the table is missing
        table = meta_data.get("catalog")
        extra = sorted(set(meta_data) - {"catalog"})
        for key in extra:
            reader.problem(meta_file, "unknown key (only [catalog] belongs here)", field=key)
        if not isinstance(table, dict):
            reader.problem(meta_file, "missing [catalog] table", field="catalog")
        else:
            try:
                meta = make_converter(None).structure(table, CatalogMeta)
            except Exception as exc:  # noqa: BLE001 - reported with its path
                for field, message in problems_of(exc):
                    reader.problem(meta_file, message, field=_join("catalog", field))
    if meta is not None:
        reader.context(meta.timezone, meta.default_language)

    agency_files = [root / "agencies.toml"] if (root / "agencies.toml").is_file() else []
    agency_files += sorted(path for path in (root / "agencies").glob("*.toml")
                           if not path.name.startswith(".")) \
        if (root / "agencies").is_dir() else []
    for agency_file in agency_files:
        reader.read_toml_records(agency_file, reader.toml(agency_file), agencies=True)
    links = [os.path.realpath(path) for path in (meta_file, *agency_files)
             if os.path.islink(path)]
    for record_file in _record_files(root / "records", reader.unreadable, links):
        reader.read_file(record_file)
    with contextlib.suppress(OSError):
        remember_linked_sources(root.resolve(), links)

    if meta is None:
        raise CatalogError(reader.problems)
    catalog = Catalog(records=reader.records, meta=meta, root=root, sources=reader.sources,
                      digests=reader.digests, check=False)
    problems = reader.problems + check_references(catalog, skip=reader.invalid,
                                                  unresolved=not reader.unread)
    problems += typo_channels(catalog)
    problems.sort(key=lambda p: (p.file, p.line or 0))
    if reader.unread:  # not a flood of references to records that may be in those files
        hidden = len(check_references(catalog, skip=reader.invalid)) - len(
            check_references(catalog, skip=reader.invalid, unresolved=False))
        if hidden:
            problems.append(Problem(file=", ".join(reader.unread), message=f"{hidden} "
                                    "references to records not found are listed once every "
                                    "file reads"))
    if problems:
        raise CatalogError(problems)
    return catalog


def typo_channels(catalog: Catalog) -> list[Problem]:
    """``channels`` naming no publisher but close to one: a typo (``sitee``) would keep
    the record out of every output. Another unknown name is a third party's publisher
    not installed here: :func:`unknown_channels` gives those to ``validate``'s warnings."""
    return [problem for problem, typo in unknown_channels(catalog) if typo]


def unknown_channels(catalog: Catalog) -> Iterator[tuple[Problem, bool]]:
    """Each ``channels`` entry that names no known publisher, and whether it is close to a
    known name (an error) or not (a third party's publisher not installed here)."""
    used = [record for record in catalog if record.channels]
    if not used:
        return
    from ..publishing.registry import BUILTINS, DESIGNED, known_names

    known: set[str] | None = None  # read from the entry points only for another name
    for record in used:
        for index, name in enumerate(record.channels or ()):
            if name in DESIGNED or name in BUILTINS:
                continue
            if known is None:
                known = known_names()
            if name in known:
                continue
            file, line = catalog.where(record)
            near = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
            message = (f"no publisher {name!r}: did you mean {near[0]!r}? (known: "
                       f"{', '.join(sorted(known))}); a record is published only by the "
                       "publishers its channels name") if near else (
                       f"no publisher {name!r} is installed here (installed and designed: "
                       f"{', '.join(sorted(known))}): the record is published by it only "
                       "where it is installed")
            yield Problem(file=file, line=line, type=record.TYPE, record=record.id,
                          field=f"channels.{index}", message=message), bool(near)


def parse_record_data(data: object, cls: type[R] | None, *, source: str,
                      timezone: dt.tzinfo | None = None) -> R:
    """Structure one record's plain data (used by :func:`loads`), or raise CatalogError.

    ``timezone``: the zone datetimes without an offset are read in; None refuses them.
    """
    reader = _Reader(Path("."), timezone)
    if isinstance(data, dict) and cls is not None and "type" not in data:
        data = {"type": getattr(cls, "TYPE", None), **data}
    reader.add(Path(source), data)
    if reader.problems:
        raise CatalogError(reader.problems)
    record = reader.records[0]
    if cls is not None and not isinstance(record, cls):
        raise CatalogError([Problem(file=source, message=f"expected {cls.__name__}, got "
                                    f"{type(record).__name__}", type=record.TYPE,
                                    record=record.id, field="type")])
    return record  # type: ignore[return-value]


