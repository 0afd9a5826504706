"""Catalogue files the site and the kiosk show: floor plans (SVG, sanitised) and staff photos.

A floor plan is served from the site's own origin, where an SVG opened on its own could
run scripts. So it is parsed (without a DTD, entities or network) and rebuilt from an
allow-list: SVG drawing elements, presentation attributes, style declarations of the
same properties, and links only to fragments of the file itself. Anything else
(``script``, ``foreignObject``, ``image``, event handlers, external ``href`` or
``url()``, CSS at-rules and escapes) is dropped; a link becomes a group of what it held;
a ``style`` sheet stays only if it is plain rules whose values pass the same checks. A
photo is copied as it is when its first bytes say it is a JPEG, PNG, GIF or WebP image,
and named after that type, never after the catalogue's file name.

:func:`unshown` says why a plan or a photo is left out, by these very checks and in the
words the publishers warn with: ``validate`` (``catalog/lint.py``) calls it, so that it
and ``publish`` never disagree.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["NOT_IMAGE", "NOT_SVG", "UNREADABLE", "image_type", "sanitize_svg", "unshown"]

SVG = "http://www.w3.org/2000/svg"
_PREFIX = f"{{{SVG}}}"
_XLINK = "http://www.w3.org/1999/xlink"
_XLINK_HREF = f"{{{_XLINK}}}href"
_XML = "{http://www.w3.org/XML/1998/namespace}"

_ELEMENTS = frozenset({
    "svg", "g", "defs", "symbol", "use", "title", "desc", "path", "rect", "circle",
    "ellipse", "line", "polyline", "polygon", "text", "tspan", "linearGradient",
    "radialGradient", "stop", "clipPath", "mask", "pattern", "marker", "style",
})
#: Properties allowed as attributes and in ``style`` (SVG 1.1 presentation attributes).
_PROPERTIES = frozenset({
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset",
    "stroke-opacity", "opacity", "color", "display", "visibility", "font-family",
    "font-size", "font-style", "font-weight", "font-variant", "text-anchor",
    "dominant-baseline", "alignment-baseline", "baseline-shift", "letter-spacing",
    "word-spacing", "text-decoration", "writing-mode", "clip-path", "clip-rule", "mask",
    "marker-start", "marker-mid", "marker-end", "stop-color", "stop-opacity",
    "vector-effect", "shape-rendering", "text-rendering", "paint-order",
})
_ATTRIBUTES = _PROPERTIES | {
    "id", "class", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy",
    "fr", "width", "height", "d", "points", "viewBox", "preserveAspectRatio", "transform",
    "dx", "dy", "rotate", "textLength", "lengthAdjust", "pathLength", "offset",
    "gradientUnits", "gradientTransform", "spreadMethod", "patternUnits",
    "patternContentUnits", "patternTransform", "clipPathUnits", "maskUnits",
    "maskContentUnits", "markerWidth", "markerHeight", "markerUnits", "refX", "refY",
    "orient", "version", "role", "aria-label", "aria-labelledby", "aria-describedby",
    f"{_XML}space", f"{_XML}lang",
}
_URL = re.compile(r"url\(", re.IGNORECASE)
_SCRIPTS = re.compile(r"expression|(?:java|vb)script:|data:", re.IGNORECASE)
_LOCAL_URL = re.compile(r"""url\(\s*(['"]?)#[\w.:-]+\1\s*\)""", re.IGNORECASE)
_NUMBER = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(?:px)?\s*")
_IMAGES = ((b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF87a", "gif"),
           (b"GIF89a", "gif"))


#: Why a floor plan or a staff photo is left out (after its path, ``'plans/1f.svg' is ...``).
UNREADABLE = "is not readable in the catalogue folder"
NOT_SVG = "is not an SVG image"
NOT_IMAGE = "is not a JPEG, PNG, GIF or WebP image"


def unshown(data: bytes | None, *, plan: bool) -> str | None:
    """Why the catalogue file of a floor plan (``plan``) or of a staff photo is left out
    of what is published, or None where it is shown.

    Args:
        data: the file's bytes as the job reads them (``Job.file``, ``catalog.read_file``),
            None where it cannot be read (missing, outside the folder, over 10 MB).
        plan: a floor plan (an SVG, :func:`sanitize_svg`), not a photo (:func:`image_type`).

    Returns:
        :data:`UNREADABLE`, :data:`NOT_SVG`, :data:`NOT_IMAGE`, or None.
    """
    if data is None:
        return UNREADABLE
    if plan:
        return None if sanitize_svg(data) is not None else NOT_SVG
    return None if image_type(data) is not None else NOT_IMAGE


def image_type(data: bytes) -> str | None:
    """The file extension of a JPEG, PNG, GIF or WebP image by its first bytes, or None."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return next((ext for magic, ext in _IMAGES if data.startswith(magic)), None)


def sanitize_svg(data: bytes) -> tuple[bytes, tuple[float, float] | None] | None:
    """The SVG rebuilt from the allow-list and its width and height (from ``viewBox``,
    else ``width`` and ``height``; None if neither says), or None if it is not SVG."""
    from lxml import etree  # only for catalogues with floor plans

    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                             remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root.tag != f"{_PREFIX}svg":
        return None
    clean = etree.Element(root.tag, nsmap={None: SVG, "xlink": _XLINK})
    _copy(root, clean, etree)
    return etree.tostring(clean, xml_declaration=True, encoding="UTF-8"), _size(clean)


def _copy(element: Any, into: Any, etree: Any) -> None:
    """Copy the allowed attributes, text and children of ``element`` into ``into``."""
    for name, value in element.attrib.items():
        kept = _attribute(element.tag, name, value)
        if kept is not None:
            into.set(name, kept)
    into.text = element.text
    if element.tag == f"{_PREFIX}style" and not _safe_value(element.text or ""):
        into.text = None
    for child in element:
        tag = child.tag
        name = tag[len(_PREFIX):] if isinstance(tag, str) and tag.startswith(_PREFIX) else ""
        if name in _ELEMENTS or name == "a":  # a link's content stays, as a group
            copy = etree.SubElement(into, f"{_PREFIX}g" if name == "a" else tag)
            _copy(child, copy, etree)
            copy.tail = child.tail
        elif len(into):  # an element dropped (or an entity, never expanded): its tail stays
            into[-1].tail = (into[-1].tail or "") + (child.tail or "")
        else:
            into.text = (into.text or "") + (child.tail or "")


def _attribute(tag: str, name: str, value: str) -> str | None:
    if name in ("href", _XLINK_HREF):  # <use> of a part of this very file only
        return value if tag == f"{_PREFIX}use" and re.fullmatch(r"#[\w.:-]+", value) else None
    if name == "style":
        declarations = (part.partition(":") for part in value.split(";"))
        kept = [f"{prop.strip().lower()}:{text.strip()}" for prop, _, text in declarations
                if prop.strip().lower() in _PROPERTIES and _safe_value(text)]
        return ";".join(kept) or None
    return value if name in _ATTRIBUTES and _safe_value(value) else None


def _safe_value(value: str) -> bool:
    """No reference outside the file (``url(#id)`` only), no CSS escapes or at-rules."""
    if any(ch in value for ch in "\\@<>") or _SCRIPTS.search(value):
        return False
    return len(_URL.findall(value)) == len(_LOCAL_URL.findall(value))


def _size(root: Any) -> tuple[float, float] | None:
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        if len(box) == 4 and float(box[2]) > 0 and float(box[3]) > 0:
            return float(box[2]), float(box[3])
    except ValueError:
        pass
    sizes = [_NUMBER.fullmatch(root.get(name) or "") for name in ("width", "height")]
    if sizes[0] and sizes[1] and float(sizes[0][1]) > 0 and float(sizes[1][1]) > 0:
        return float(sizes[0][1]), float(sizes[1][1])
    return None
