"""Reading a catalogue folder: catalog.toml, agencies, and records in four formats.

Every problem of every file is collected and raised at the end as one
:class:`~govdisclosure.errors.CatalogError`, each located as
``file[:line]: type 'id': field.path: message``.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import cattrs
import orjson
from cattrs.errors import BaseValidationError, ForbiddenExtraKeysError

from ..errors import CatalogError, InvalidValue, Problem
from ..model import RECORD_TYPES, Agency, Record
from .catalog import Catalog, CatalogMeta, check_references
from .converter import make_converter

__all__ = ["load_catalog", "parse_record_data", "problems_of"]

R = TypeVar("R")
RECORD_SUFFIXES = (".toml", ".json", ".jsonl", ".md")
_TOML_LINE = re.compile(r"at line (\d+)")


def problems_of(exc: BaseException, prefix: str = "") -> Iterator[tuple[str, str]]:
    """``(field.path, message)`` for every leaf error of a structuring failure."""
    if isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            yield _join(prefix, key), "unknown key (a typo? see `govdisclosure schema`)"
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
            yield from problems_of(sub, _join(prefix, step) if step is not None else prefix)
        return
    if isinstance(exc, InvalidValue):
        yield _join(prefix, exc.field), exc.message
        return
    if isinstance(exc, KeyError) and prefix:
        yield prefix, "required field is missing"
        return
    message = str(exc.args[0]) if exc.args else type(exc).__name__
    yield prefix, message


def _join(prefix: str, step: str | None) -> str:
    if not step:
        return prefix
    return f"{prefix}.{step}" if prefix else step


@functools.lru_cache(maxsize=16)
def _converters(timezone: str) -> tuple[cattrs.Converter, cattrs.Converter]:
    """The fast and the detailed converter of a zone, built once (building one is slow)."""
    return make_converter(timezone, detailed=False), make_converter(timezone, detailed=True)


class _Reader:
    """Turns files into records, collecting problems instead of stopping at the first."""

    def __init__(self, root: Path, timezone: str) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.records: list[Record] = []
        self.sources: dict[tuple[str, str], tuple[str, int | None]] = {}
        self.digests: dict[tuple[str, str], tuple[Record, bytes]] = {}
        self.invalid: set[str] = set()  # ids of records that failed: no cascade of dangling refs
        self._names: dict[Path, str] = {}
        self._hooks: dict[type, Any] = {}
        self.context(timezone, "zh-CN")

    def context(self, timezone: str, default_language: str) -> None:
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

    def text(self, path: Path) -> str | None:
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            self.problem(path, f"not valid UTF-8 (byte {exc.start})")
        except OSError as exc:
            self.problem(path, f"cannot be read: {exc.strerror}")
        return None

    def toml(self, path: Path, text: str | None = None, line_offset: int = 0) -> dict[str, Any]:
        if text is None:
            text = self.text(path)
            if text is None:
                return {}
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            found = _TOML_LINE.search(str(exc))
            line = int(found.group(1)) + line_offset if found else None
            self.problem(path, f"not valid TOML: {exc}", line=line)
            return {}

    # -- records ---------------------------------------------------------------------------

    def add(
        self, path: Path, data: object, line: int | None = None, implied: str | None = None,
        raw: bytes | None = None,
    ) -> None:
        file = self._names.get(path) or self._names.setdefault(path, self.rel(path))
        if not isinstance(data, dict):
            self.problem(file, "a record must be a table/object", line=line)
            return
        kind = data.get("type", implied)
        ident = data.get("id")
        label = ident if isinstance(ident, str) else None
        if implied is not None and "type" in data and data["type"] != implied:
            self.problem(file, f"type {data['type']!r} inside a [[{implied}]] table",
                         type=implied, record=label, field="type", line=line)
            return
        cls = RECORD_TYPES.get(kind) if isinstance(kind, str) else None
        if cls is None:
            known = ", ".join(RECORD_TYPES)
            what = "missing type key" if kind is None else f"unknown record type {kind!r}"
            self.problem(file, f"{what} (one of {known})",
                         record=label, field="type", line=line)
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
                                 field=field or None, line=line)
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
            text = self.text(path)
            if text is None:
                return
            try:
                data = orjson.loads(text)
            except orjson.JSONDecodeError as exc:
                self.problem(path, f"not valid JSON: {exc.msg}", line=exc.lineno)
                return
            for item in data if isinstance(data, list) else [data]:
                self.add(path, item)
        elif suffix == ".toml":
            self.read_toml_records(path, self.toml(path))
        elif suffix == ".md":
            self.read_markdown(path)

    def read_jsonl(self, path: Path) -> None:
        """One record a line; bytes go straight to orjson, which checks the UTF-8 itself."""
        try:
            lines = path.read_bytes().split(b"\n")
        except OSError as exc:
            self.problem(path, f"cannot be read: {exc.strerror}")
            return
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                data = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError as bad:
                    start = sum(len(before) + 1 for before in lines[:number - 1])
                    self.problem(path, f"not valid UTF-8 (byte {start + bad.start})",
                                 line=number)
                    continue
                self.problem(path, f"not valid JSON: {exc.msg}", line=number)
                continue
            self.add(path, data, number, raw=line)

    def read_toml_records(self, path: Path, data: dict[str, Any]) -> None:
        if "type" in data:
            self.add(path, data)
            return
        for table, items in data.items():
            if table not in RECORD_TYPES or not isinstance(items, list):
                self.problem(path, f"unknown top-level key {table!r}: expected [[type]] tables "
                                   "(e.g. [[disclosure]]) or one record with a type key")
                continue
            for item in items:
                self.add(path, item, implied=table)

    def read_markdown(self, path: Path) -> None:
        text = self.text(path)
        if text is None:
            return
        lines = _lines(text)
        if not lines or lines[0].strip() != "+++":
            self.problem(path, "a Markdown record starts with TOML front matter between +++ lines",
                         line=1)
            return
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "+++"), None)
        if end is None:
            self.problem(path, "front matter is not closed by a +++ line", line=1)
            return
        front = self.toml(path, "".join(lines[1:end]), line_offset=1)
        if not front:
            return
        body = _localized_body(lines[end + 1:], self.default_language)
        if body:
            if "body" in front:
                self.problem(path, "body given both in front matter and after it",
                             type=_name(front.get("type")), record=_name(front.get("id")),
                             field="body", line=end + 2)
                return
            front["body"] = body
        self.add(path, front)


def _name(value: object) -> str | None:
    """A type or id for a message, if it is one."""
    return value if isinstance(value, str) else None


def _lines(text: str) -> list[str]:
    """Lines with their ends, split at LF only: U+2028, U+0085 and the like are text."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


_LANGUAGE_SECTION = re.compile(r"\+\+\+\s+([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\s*")


def _localized_body(lines: list[str], default: str) -> str | dict[str, str]:
    """The Markdown body; ``+++ en`` lines start the body in another language."""
    sections: dict[str, list[str]] = {default: []}
    current = sections[default]
    for line in lines:
        found = _LANGUAGE_SECTION.fullmatch(line.strip())
        if found:
            current = sections.setdefault(found.group(1), [])
        else:
            current.append(line)
    texts = {lang: "".join(part).strip("\n") for lang, part in sections.items()}
    texts = {lang: text for lang, text in texts.items() if text}
    if len(sections) == 1:
        return texts.get(default, "")
    return texts


def _record_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.rglob("*")
        if p.is_file() and p.suffix in RECORD_SUFFIXES and not p.name.startswith(".")
    )


def load_catalog(path: str | Path) -> Catalog:
    """Load and validate the catalogue folder at ``path``.

    Args:
        path: the folder holding ``catalog.toml``.

    Returns:
        The catalogue, every record valid and every reference resolved.

    Raises:
        CatalogError: listing every problem found, each with file, record and field.
    """
    # Collect before, not after: the load makes almost no cyclic garbage (about a thousand
    # objects at 100k records, from building the converters' hooks), while a collection
    # after it would traverse every record (0.45 s at 100k).
    gc.collect()
    collecting = gc.isenabled()
    gc.disable()  # loading allocates a great many objects and no cycles; the GC only slows it
    try:
        catalog = _load(Path(path))
    finally:
        if collecting:
            gc.enable()
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
    if meta_data:
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
    agency_files += sorted((root / "agencies").glob("*.toml")) if (root / "agencies").is_dir() \
        else []
    for agency_file in agency_files:
        data = reader.toml(agency_file)
        for key, items in data.items():
            if key != Agency.TYPE or not isinstance(items, list):
                reader.problem(agency_file, f"unknown top-level key {key!r}: expected [[agency]]")
                continue
            for item in items:
                reader.add(agency_file, item, implied=Agency.TYPE)
    for record_file in _record_files(root / "records"):
        reader.read_file(record_file)

    if meta is None:
        raise CatalogError(reader.problems)
    catalog = Catalog(records=reader.records, meta=meta, root=root, sources=reader.sources,
                      digests=reader.digests, check=False)
    reader.problems.extend(check_references(catalog, skip=reader.invalid))
    if reader.problems:
        raise CatalogError(sorted(reader.problems, key=lambda p: (p.file, p.line or 0)))
    return catalog


def parse_record_data(data: object, cls: type[R] | None, *, source: str) -> R:
    """Structure one record's plain data (used by :func:`loads`), or raise CatalogError."""
    reader = _Reader(Path("."), "UTC")
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


