"""The kiosk publisher: offline bundles for the touch screens of service halls (电子触摸屏),
each a BagIt bag (docs/kiosk.md), and their installation on a kiosk.

Layout of the output folder::

    index.json                              the bags of this run: name, hall, version, path, zip
    bags/<hall>/bagit.txt, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt
    bags/<hall>/data/kiosk.json             schema govdisclosure-kiosk/1
    bags/<hall>/data/index.html, kiosk.js, kiosk.css, sw.js, manifest.webmanifest
    bags/<hall>/data/datasets/<name>.<lang>.json
    bags/<hall>/data/assets/qr/<item>.<lang>.svg, assets/plan-<n>.svg
    zips/<hall>.zip                         with the ``zip`` option

The bags and the zips have folders of their own: a hall's id may be any id
(``index.json``, ``x.zip`` next to ``x``) without meeting the index, a zip or another bag.
"""

from __future__ import annotations

from .options import KioskOptions
from .publisher import INDEX, SCHEMA, KioskPublisher

__all__ = ["INDEX", "SCHEMA", "KioskOptions", "KioskPublisher"]
