"""Closed RFC 5005 archives edited in place: what privacy asks of a document that is
otherwise never rewritten (docs/feeds.md, "Archives").

An archive holds its month as it was when the month closed, older versions of entries
included, which the catalogue no longer has. So when an entry must leave it (its record
is no longer public), become a withdrawal notice, or lose the name of an agency that is
no longer public, the document on disk is edited: that entry changes, every other
element keeps its bytes. The documents are the publisher's own (feedgen's pretty-printed
Atom), which lxml reads and writes back byte for byte.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from lxml import etree

from ...publishing.protocol import RecordKey

__all__ = [
    "entries",
    "entry_key",
    "insert_entry",
    "link",
    "parse",
    "remove",
    "renamed_author",
    "serialize",
    "set_link",
    "settle_updated",
]

_ATOM = "{http://www.w3.org/2005/Atom}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
#: How a generated title ends with its author (items._fallback_title: "type · year · agency").
_JOIN = " · "


def parse(data: bytes) -> Any:
    """The root of an archive document; :class:`ValueError` if it is not one."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not XML: {exc}") from exc
    if root.tag != f"{_ATOM}feed":
        raise ValueError(f"not an Atom feed: {root.tag}")
    return root


def serialize(root: Any) -> bytes:
    """The document again, as feedgen writes it (its declaration, a final newline)."""
    data: bytes = etree.tostring(root.getroottree(), encoding="UTF-8", xml_declaration=True)
    return data + b"\n"


def entries(root: Any) -> list[Any]:
    """The entry elements, in document order."""
    return list(root.iterfind(f"{_ATOM}entry"))


def entry_key(entry: Any) -> RecordKey | None:
    """``(type, id)`` of an entry, from its ``tag:<authority>:<type>/<id>`` (no authority
    has a colon, no type or id a slash or a colon)."""
    parts = (entry.findtext(f"{_ATOM}id") or "").split(":", 2)
    if len(parts) != 3 or "/" not in parts[2]:
        return None
    kind, _, ident = parts[2].partition("/")
    return (kind, ident)


def _updated(element: Any) -> dt.datetime | None:
    text = element.findtext(f"{_ATOM}updated")
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _order(entry: Any) -> tuple[float, RecordKey]:
    """Where an entry goes: newest ``updated`` first, equal instants by type and id."""
    updated = _updated(entry)
    return (-updated.timestamp() if updated else 0.0, entry_key(entry) or ("", ""))


def remove(root: Any, element: Any) -> None:
    """Take a child element (an entry, a link) out, the indentation of what follows as
    it was."""
    previous = element.getprevious()
    if element.getnext() is None and previous is not None:
        previous.tail = element.tail  # the last one: the closing tag's indentation
    root.remove(element)


def insert_entry(root: Any, entry: Any) -> None:
    """Put ``entry`` (an element of another document of the same kind, indented as an
    entry is) where the order of a feed puts it among the entries of ``root``."""
    order = _order(entry)
    after = next((e for e in entries(root) if _order(e) > order), None)
    indent = root.text
    if after is not None:
        entry.tail = indent
        after.addprevious(entry)
        return
    last = root[-1]
    entry.tail, last.tail = last.tail, indent
    last.addnext(entry)


def settle_updated(root: Any) -> None:
    """The feed's ``updated``: its newest entry's, as it is written there (an edit may
    have taken out the newest)."""
    newest = max(entries(root), key=lambda entry: _updated(entry) or dt.datetime.min.replace(
        tzinfo=dt.UTC), default=None)
    own = root.find(f"{_ATOM}updated")
    if newest is not None and own is not None:
        own.text = newest.findtext(f"{_ATOM}updated")


def link(root: Any, rel: str) -> str | None:
    """The ``href`` of the feed's link of ``rel``."""
    for element in root.iterfind(f"{_ATOM}link"):
        if element.get("rel") == rel:
            href: str | None = element.get("href")
            return href
    return None


def set_link(root: Any, rel: str, href: str | None) -> None:
    """Point the feed's existing link of ``rel`` at ``href``, or take it out (None)."""
    for element in root.iterfind(f"{_ATOM}link"):
        if element.get("rel") == rel:
            if href is None:
                remove(root, element)
            else:
                element.set("href", href)
            return


def renamed_author(entry: Any, author: str) -> bool:
    """Give ``entry`` the author ``author``, in its title too where the title was made of
    the old one (a record without a title of its own, "type · year · agency"), and in
    the content made of that title. Whether anything changed."""
    name = entry.find(f"{_ATOM}author/{_ATOM}name")
    old = name.text if name is not None else None
    if name is None or not old or old == author:
        return False
    name.text = author
    title = entry.find(f"{_ATOM}title")
    if title is not None and title.text and title.text.endswith(_JOIN + old):
        renamed = title.text[: -len(old)] + author
        content = entry.find(f"{_ATOM}content")
        if content is not None and content.text == f"<p>{html.escape(title.text)}</p>\n":
            content.text = f"<p>{html.escape(renamed)}</p>\n"
        title.text = renamed
    return True
