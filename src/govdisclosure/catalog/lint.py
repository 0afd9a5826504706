"""What ``validate`` warns about: a catalogue that loads, but whose files say something
no output will ever show (text in a language the catalogue does not publish, a file
below ``records/`` or ``agencies/`` that is not read, a floor plan or staff photo that
publishing leaves out)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import Problem
from ..model import Case, ServiceHall, ServiceWindow
from ..model.common import local_file
from .catalog import RECORD_SUFFIXES, Catalog, is_hidden, read_file
from .loader import unknown_channels

__all__ = ["unread_files", "warnings"]


def warnings(catalog: Catalog) -> list[Problem]:
    """Text in a language outside ``languages`` (shown only as the fallback of a table
    without any catalogue language: a typo such as ``zh-cn`` would silently lose it), and
    files below ``records/`` and ``agencies/`` that the loader skips (:func:`unread_files`),
    and ``channels`` naming a publisher not installed here (a third party's: the record is
    published where it is installed), and floor plans and staff photos that publishing
    would leave out (missing, unreadable, not an SVG or an image of an accepted kind), and
    cases whose ``outcome`` and ``decided_at`` disagree."""
    found = [*_languages(catalog), *unread_files(catalog.root), *_local_base(catalog),
             *_unshown_files(catalog), *_undecided_cases(catalog),
             *(problem for problem, typo in unknown_channels(catalog) if not typo)]
    return sorted(found, key=lambda p: (p.file, p.line or 0, p.field or ""))


def _undecided_cases(catalog: Catalog) -> Iterator[Problem]:
    """A case decided (an ``outcome`` other than ``pending``) without its ``decided_at``, or
    pending with one. MODEL.md allows each field on its own, so the loader takes them; but
    the audit reads such a case by its date, the annual report by its outcome."""
    for case in catalog.of_type(Case):
        if (case.decided_at is None) != (case.outcome == "pending"):
            file, line = catalog.where(case)
            message = (f"outcome {case.outcome!r} without decided_at: the audit judges it "
                       "as still pending, the annual report as handled on its updated_at "
                       "(else the day received)"
                       if case.decided_at is None else
                       "decided_at with outcome 'pending': the audit judges it as decided "
                       "then, the annual report as still pending")
            yield Problem(file=file, line=line, type=case.TYPE, record=case.id,
                          field="decided_at", message=message)


def _local_base(catalog: Catalog) -> Iterator[Problem]:
    """A ``base_url`` left at its default (or any loopback one): every absolute link of
    the feeds, the sitemap, the kiosk's QR codes and the press items would point at it."""
    host = (urlsplit(catalog.meta.base_url).hostname or "").lower()
    if host in ("localhost", "127.0.0.1", "::1"):
        yield Problem(file="catalog.toml", field="catalog.base_url",
                      message=f"{catalog.meta.base_url!r} is a local address: the feeds, the "
                              "sitemap and QR codes would link there; set the portal's "
                              "public URL before publishing")


def _languages(catalog: Catalog) -> Iterator[Problem]:
    known = catalog.meta.all_languages
    folded = {code.casefold(): code for code in known}
    for record in catalog:
        for path, language in _text_languages(record, ""):
            if language in known:
                continue
            file, line = catalog.where(record)
            near = folded.get(language.casefold())
            hint = f" (did you mean {near!r}?)" if near else ""
            yield Problem(file=file, line=line, type=record.TYPE, record=record.id,
                          field=f"{path}.{language}",
                          message=f"{language!r} is not one of the catalogue's languages "
                                  f"({', '.join(known)}): shown only where the table has no "
                                  f"catalogue language{hint}")


def _text_languages(value: object, path: str) -> Iterator[tuple[str, str]]:
    """``(field path, language)`` of every localized text table in a record."""
    if isinstance(value, dict):
        if all(isinstance(text, str) for text in value.values()):
            for language in value:
                yield path, language
        return
    if isinstance(value, tuple | list):
        for index, part in enumerate(value):
            yield from _text_languages(part, f"{path}.{index}")
        return
    for field in getattr(type(value), "__attrs_attrs__", ()):
        yield from _text_languages(getattr(value, field.name),
                                   f"{path}.{field.name}" if path else field.name)


def unread_files(root: Path | None) -> list[Problem]:
    """Files the loader skips without a word, below ``records/`` (not a record file) and
    ``agencies/`` (only ``agencies/*.toml`` is read there: a JSON file or a subfolder
    would lose its agencies, and the records naming them would fail with "no agency").
    Hidden names are no one's files. The folder alone says, so ``validate`` lists these
    also when the catalogue does not load.

    Args:
        root: the catalogue folder (None: a catalogue built in memory, no files).

    Returns:
        One warning per file, by path.
    """
    if root is None:
        return []
    found = []
    for folder, read, says in (
            ("records", lambda path: path.suffix in RECORD_SUFFIXES,
             f"record files end in {', '.join(RECORD_SUFFIXES)}"),
            ("agencies", lambda path: path.suffix == ".toml" and path.parent == Path("agencies"),
             "agencies are read from agencies.toml and agencies/*.toml only (TOML files, "
             "no subfolders)")):
        if not (root / folder).is_dir():
            continue
        for path in sorted((root / folder).rglob("*")):
            relative = path.relative_to(root)
            if path.is_file() and not read(relative) and not is_hidden(relative.as_posix()):
                found.append(Problem(file=relative.as_posix(), message=f"not read: {says}"))
    return found


def _unshown_files(catalog: Catalog) -> Iterator[Problem]:
    """Floor plans and staff photos, files of the catalogue folder, that publishing would
    leave out with a warning every time (missing, unreadable, not of an accepted kind)."""
    if catalog.root is None:  # built in memory: no files to read
        return
    # The publishers' own check (lxml is needed for plans only), so that validate and
    # publish never disagree.
    from ..publishers.images import unshown

    wanted: list[tuple[ServiceHall | ServiceWindow, str, str | None, bool]] = [
        (hall, f"floors.{n}.plan", floor.plan, True)
        for hall in catalog.of_type(ServiceHall) for n, floor in enumerate(hall.floors)]
    wanted += [(window, f"staff.{n}.photo", person.photo, False)
               for window in catalog.of_type(ServiceWindow)
               for n, person in enumerate(window.staff)]
    for record, field, value, plan in wanted:
        path = local_file(value)
        if path is None:  # none given, or an http(s) URL: linked as it is
            continue
        why = unshown(read_file(catalog.root, path), plan=plan)
        if why is not None:
            file, line = catalog.where(record)
            shown_by = "the site and the kiosk leave" if plan else "the site leaves"
            yield Problem(file=file, line=line, type=record.TYPE, record=record.id,
                          field=field, message=f"{path!r} {why}: {shown_by} it out")
