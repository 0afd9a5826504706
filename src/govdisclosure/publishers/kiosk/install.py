"""Installing a kiosk bundle on a kiosk, atomically, and rolling it back.

A kiosk folder ``DIR`` holds::

    DIR/releases/<version>/      each a verified bag (bagit.txt, data/index.html, ...)
    DIR/current  -> releases/<version>     what the kiosk serves (its data/ folder)
    DIR/previous -> releases/<version>     what ``rollback`` returns to, if anything

A bundle (a bag folder or a zip of one) is copied or unpacked into a hidden folder of
``DIR/releases/``, verified there with the ``bagit`` package (every sha256 checksum,
nothing missing, nothing added, nothing but the tag files beside ``data/``), renamed to
its version and only then switched in: each link is replaced by ``os.replace`` of a new
symlink, so a reader sees the old release or the new one, never a mix. A damaged bundle
is refused before anything the kiosk serves changes. An install deletes the releases other
than the current and the previous one, and the hidden folders of interrupted installs: an
install or rollback holds ``DIR/.lock`` while it works, so no other one is under way.

Only those two releases are kept, so a rollback goes back one step and no further: it makes
the previous release current and removes ``previous`` (the release before that one is gone),
so that a second rollback exits 2 rather than going forward again to the release it rolled
away from. That release stays in ``releases/`` until the next install deletes it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import attrs

from ...errors import BundleError
from .publisher import SCHEMA

__all__ = ["Installed", "install", "rollback"]

#: Limits for a zip: a kiosk bundle is megabytes; these stop a zip bomb, not a real bundle.
MAX_ENTRIES = 200_000
MAX_BYTES = 4 * 1024**3
_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
#: What may sit at a bag's top besides its data/ folder: BagIt's tag files (no fetch.txt,
#: no other tag file: nothing at the top is listed in a payload manifest).
_TAG_FILE = re.compile(r"bagit\.txt|bag-info\.txt|(?:tag)?manifest-[a-z0-9]+\.txt")


@attrs.frozen(kw_only=True)
class Installed:
    """What :func:`install` or :func:`rollback` did.

    Attributes:
        version: the version now current.
        release: its folder.
        previous: the version a :func:`rollback` now would return to, if any (None after a
            rollback: nothing earlier is kept).
        replaced: the version that was current before, if this changed it (after a
            rollback, the version rolled away from).
        changed: False when the bundle was already the current release.
    """

    version: str
    release: Path
    previous: str | None
    replaced: str | None = None
    changed: bool = True

    def as_dict(self) -> dict[str, object]:
        """Plain data for ``--json``."""
        return {"version": self.version, "release": str(self.release),
                "previous": self.previous, "replaced": self.replaced,
                "changed": self.changed}


def install(bundle: Path | str, directory: Path | str) -> Installed:
    """Verify ``bundle`` (a bag folder or its zip) and make it the current release of the
    kiosk folder ``directory``, keeping the release it replaces for :func:`rollback`.

    Raises:
        BundleError: the bundle is missing, not a bag, damaged or unsafe; nothing changed.
    """
    source, kiosk = Path(bundle), Path(directory)
    if not source.exists():
        raise BundleError(f"no kiosk bundle at {source}", path=str(source))
    releases = kiosk / "releases"
    try:
        releases.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BundleError(f"cannot use {kiosk} as a kiosk folder: {exc}", path=str(kiosk)) from exc
    with _locked(kiosk) as alone:
        _check_links(kiosk)
        staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=releases))
        try:
            root = _unpack(source, staging)
            version = _verify(root, source)
            current = _target(kiosk / "current")
            if current is not None and current.name == version:
                previous = _target(kiosk / "previous")
                _prune(releases, {current, previous}, incoming=alone)
                return Installed(version=version, release=releases / version,
                                 previous=_name(previous), changed=False)
            release = releases / version
            if release.exists():  # an older install of the same version, not live: fresh copy
                shutil.rmtree(release)
            os.rename(root, release)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        if current is not None:
            _link(kiosk / "previous", current)
        _link(kiosk / "current", release)
        _prune(releases, {release, current}, incoming=alone)
    return Installed(version=version, release=release, previous=_name(current),
                     replaced=_name(current))


def rollback(directory: Path | str) -> Installed:
    """Make the previous release current again, one step back: ``previous`` is removed, as
    the release before it is no longer kept, so a second rollback raises rather than going
    forward to the release this one rolled away from (which stays in ``releases/`` until
    the next install).

    Raises:
        BundleError: no earlier release is kept in ``directory`` (nothing installed before
            the current one, or a rollback already went back to it).
    """
    kiosk = Path(directory)
    if not kiosk.is_dir():
        raise BundleError(f"no previous kiosk release to roll back to in {kiosk}",
                          path=str(kiosk))
    with _locked(kiosk):
        _check_links(kiosk)
        current, previous = _target(kiosk / "current"), _target(kiosk / "previous")
        if previous is None or previous == current:
            # a link left to the current release: a rollback stopped between its two steps
            raise BundleError(
                f"no previous kiosk release to roll back to in {kiosk}: none is kept before "
                f"the current one{f' ({current.name})' if current else ''}; a kiosk folder "
                "keeps two releases, the current one and the one installed before it, and "
                "a rollback goes back one step (install a bundle to change the release)",
                path=str(kiosk))
        _link(kiosk / "current", previous)
        _unlink(kiosk / "previous")
    # named below the folder as it was given, as install names it
    return Installed(version=previous.name, release=kiosk / "releases" / previous.name,
                     previous=None, replaced=_name(current))


@contextlib.contextmanager
def _locked(kiosk: Path) -> Iterator[bool]:
    """Hold ``DIR/.lock`` (``flock``) while installing or rolling back: one change of a
    kiosk folder at a time, so that a hidden ``.incoming-*`` folder found meanwhile is what
    an interrupted install left. Yields whether the lock is held (not where the platform
    has no ``fcntl``: then leftovers are kept, as they may be another install's)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield False
        return
    try:
        handle = os.open(kiosk / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise BundleError(f"cannot use {kiosk} as a kiosk folder: {exc}",
                          path=str(kiosk)) from exc
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise BundleError(f"another kiosk install or rollback is running in {kiosk}; try "
                              "again when it is done", path=str(kiosk)) from exc
        yield True
    finally:
        os.close(handle)  # closing releases the lock


# -- unpacking ----------------------------------------------------------------------------------


def _unpack(source: Path, staging: Path) -> Path:
    """Copy or unzip the bundle into ``staging``; the bag's folder there."""
    into = staging / "bag"
    if source.is_dir():
        for folder, dirs, names in os.walk(source):
            for name in dirs + names:
                if (Path(folder) / name).is_symlink():
                    raise BundleError(f"{source}: {Path(folder, name).relative_to(source)} is "
                                      "a symbolic link; a bundle holds plain files only",
                                      path=str(source))
        try:
            shutil.copytree(source, into, symlinks=True)
        except OSError as exc:
            raise BundleError(f"{source}: cannot copy the bundle: {exc}",
                              path=str(source)) from exc
        return into
    try:
        with zipfile.ZipFile(source) as archive:
            _extract(archive, into, source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError,
            NotImplementedError, RuntimeError) as exc:
        raise BundleError(f"{source}: not a readable zip of a kiosk bundle: {exc}",
                          path=str(source)) from exc
    except OSError as exc:  # a corrupt stream (zlib) or a disk problem
        raise BundleError(f"{source}: cannot unpack the zip: {exc}", path=str(source)) from exc
    if (into / "bagit.txt").is_file():
        return into
    tops = list(into.iterdir())
    if len(tops) == 1 and tops[0].is_dir() and (tops[0] / "bagit.txt").is_file():
        return tops[0]
    raise BundleError(f"{source}: the zip holds no bag (no bagit.txt at its top or in its "
                      "one folder)", path=str(source))


def _extract(archive: zipfile.ZipFile, into: Path, source: Path) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise BundleError(f"{source}: {len(entries)} entries; at most {MAX_ENTRIES}",
                          path=str(source))
    if sum(entry.file_size for entry in entries) > MAX_BYTES:
        raise BundleError(f"{source}: unpacks to more than {MAX_BYTES} bytes", path=str(source))
    seen: set[str] = set()
    into.mkdir()
    for entry in entries:
        name = entry.filename
        parts = PurePosixPath(name).parts
        mode = entry.external_attr >> 16
        if (not parts or name.startswith("/") or "\\" in name or ":" in parts[0]
                or any(part in ("..", ".") for part in parts) or "\x00" in name):
            raise BundleError(f"{source}: entry {name!r} would leave the bundle's folder",
                              path=str(source))
        if stat.S_ISLNK(mode) or (mode and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))):
            raise BundleError(f"{source}: entry {name!r} is not a plain file or folder",
                              path=str(source))
        key = "/".join(parts).lower()
        if key in seen:
            raise BundleError(f"{source}: entry {name!r} appears twice", path=str(source))
        seen.add(key)
        target = into.joinpath(*parts)
        if entry.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(entry) as reader, target.open("xb") as writer:
            shutil.copyfileobj(reader, writer, 1024 * 1024)


# -- verifying ----------------------------------------------------------------------------------


def _verify(root: Path, source: Path) -> str:
    """Check the bag with the bagit package and read its version from data/kiosk.json."""
    import logging

    import bagit

    logging.getLogger("bagit").setLevel(logging.ERROR)  # its progress lines are not ours
    for path in sorted(root.iterdir()):
        if not ((path.name == "data" and path.is_dir())
                or (_TAG_FILE.fullmatch(path.name) and path.is_file())):
            raise BundleError(f"{source}: {path.name!r} is neither payload under data/ nor a "
                              "BagIt tag file (bagit.txt, bag-info.txt, manifest-*.txt, "
                              "tagmanifest-*.txt); refused", path=str(source))
    try:
        bag = bagit.Bag(str(root))
    except (bagit.BagError, ValueError, OSError) as exc:  # bagit.txt or bag-info.txt unreadable
        raise BundleError(f"{source}: not a valid bag: {exc}", path=str(source)) from exc
    if "sha256" not in bag.algorithms:
        raise BundleError(f"{source}: the bag has no sha256 manifest", path=str(source))
    try:
        _validate(bag)
    except bagit.BagValidationError as exc:
        found = [str(d) for d in exc.details]
        details = "; ".join(found[:5])
        more = f" (and {len(found) - 5} more)" if len(found) > 5 else ""
        raise BundleError(f"{source}: damaged bundle refused: {exc.message}"
                          f"{': ' + details if details else ''}{more}",
                          path=str(source)) from exc
    except (bagit.BagError, ValueError, OSError) as exc:
        raise BundleError(f"{source}: not a valid bag: {exc}", path=str(source)) from exc
    try:
        config = json.loads((root / "data" / "kiosk.json").read_bytes())
        schema, version = config["schema"], config["version"]
        entrypoint = config["entrypoint"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BundleError(f"{source}: the bag holds no readable data/kiosk.json: {exc}",
                          path=str(source)) from exc
    if schema != SCHEMA:
        raise BundleError(f"{source}: data/kiosk.json has schema {schema!r}, not {SCHEMA!r}",
                          path=str(source))
    if not isinstance(version, str) or not _VERSION.fullmatch(version):
        raise BundleError(f"{source}: data/kiosk.json has no usable version", path=str(source))
    if not (isinstance(entrypoint, str) and _VERSION.fullmatch(entrypoint)
            and (root / "data" / entrypoint).is_file()):
        raise BundleError(f"{source}: the entrypoint of data/kiosk.json is missing",
                          path=str(source))
    return version


def _validate(bag: Any) -> None:
    """``bag.validate()``, naming the files when it fails: the bagit package stops at a wrong
    Payload-Oxum (file count and bytes) without saying which file is missing, unlisted or
    changed, so the bag is validated again without it, and then that error is raised."""
    import bagit

    try:
        bag.validate(processes=1)
    except bagit.BagValidationError as exc:
        if exc.details or "Payload-Oxum" not in bag.info:
            raise
        oxum = bag.info.pop("Payload-Oxum")
        try:
            bag.validate(processes=1)  # raises with the files named, if a file is the cause
        finally:
            bag.info["Payload-Oxum"] = oxum
        raise


# -- links ------------------------------------------------------------------------------------


def _check_links(kiosk: Path) -> None:
    """Refuse a kiosk folder whose ``current`` or ``previous`` is not a symbolic link (a
    folder or file put there by hand): replacing it would fail half-way, or destroy it."""
    for name in ("current", "previous"):
        path = kiosk / name
        if path.exists() and not path.is_symlink():
            raise BundleError(f"{path} is not a symbolic link to a release; move it out of the "
                              "way (a kiosk folder's current and previous are links into "
                              "releases/) and try again", path=str(path))


def _target(link: Path) -> Path | None:
    """The release a link points to, if it is a link to an existing folder."""
    if not link.is_symlink():
        return None
    target = (link.parent / os.readlink(link)).resolve()
    return target if target.is_dir() else None


def _name(release: Path | None) -> str | None:
    return release.name if release is not None else None


def _link(link: Path, release: Path) -> None:
    """Point ``link`` at ``release`` (relatively) in one ``os.replace``."""
    temp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    try:
        temp.unlink(missing_ok=True)
        temp.symlink_to(os.path.relpath(release, link.parent))
        os.replace(temp, link)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise BundleError(f"cannot point {link} at {release}: {exc}", path=str(link)) from exc


def _unlink(link: Path) -> None:
    """Remove the symbolic link ``link``."""
    try:
        link.unlink(missing_ok=True)
    except OSError as exc:
        raise BundleError(f"cannot remove {link}: {exc}", path=str(link)) from exc


def _prune(releases: Path, keep: set[Path | None], *, incoming: bool) -> None:
    """Delete every release but those kept, and with ``incoming`` (the kiosk folder's lock
    held, so no other install is under way) the ``.incoming-*`` folders of interrupted
    installs too."""
    kept = {path.resolve() for path in keep if path is not None}
    for path in releases.iterdir():
        if path.resolve() in kept or (path.name.startswith(".incoming-") and not incoming):
            continue
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
