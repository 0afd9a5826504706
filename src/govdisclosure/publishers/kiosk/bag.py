"""A BagIt bag (RFC 8493) made of bytes in memory, for the pipeline's writer: the tag files
say nothing that the payload and the publication instant do not (no "today")."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Mapping

__all__ = ["bag_files", "zip_bytes"]

BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"


def _tag_value(text: str) -> str:
    """One line of bag-info.txt: no line breaks (a continuation line would need indenting)."""
    return " ".join(text.split())


def bag_files(payload: Mapping[str, bytes], info: Mapping[str, str]) -> dict[str, bytes]:
    """The whole bag: ``data/<path>`` for each payload file, the sha256 manifest,
    ``bag-info.txt`` (``info`` in order, then ``Payload-Oxum``), ``bagit.txt`` and the
    sha256 tag manifest."""
    files = {f"data/{path}": data for path, data in sorted(payload.items())}
    manifest = "".join(f"{hashlib.sha256(data).hexdigest()}  {path}\n"
                       for path, data in files.items())
    lines = [f"{key}: {_tag_value(text)}" for key, text in info.items() if _tag_value(text)]
    lines.append(f"Payload-Oxum: {sum(map(len, files.values()))}.{len(files)}")
    tags = {"bagit.txt": BAGIT_TXT, "bag-info.txt": ("\n".join(lines) + "\n").encode(),
            "manifest-sha256.txt": manifest.encode()}
    tags["tagmanifest-sha256.txt"] = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {path}\n"
        for path, data in sorted(tags.items())).encode()
    return {**files, **tags}


def zip_bytes(folder: str, files: Mapping[str, bytes], when: dt.datetime) -> bytes:
    """The bag as a zip holding ``<folder>/...``, byte for byte the same for the same files
    and instant (fixed times and permissions, sorted entries)."""
    # a zip stores years 1980-2107 only
    stamp = (min(max(when.year, 1980), 2107), when.month, when.day, when.hour, when.minute,
             when.second)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in sorted(files.items()):
            entry = zipfile.ZipInfo(f"{folder}/{path}", date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o100644 << 16
            entry.create_system = 3
            archive.writestr(entry, data)
    return buffer.getvalue()
