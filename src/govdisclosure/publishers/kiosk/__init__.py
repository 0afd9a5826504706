"""The kiosk publisher: offline bundles for the touch screens of service halls (电子触摸屏),
each a BagIt bag (docs/kiosk.md), and their installation on a kiosk.

Layout of the output folder::

    index.json                         the bags of this run: name, hall, version
    <hall>/bagit.txt, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt
    <hall>/data/kiosk.json             schema govdisclosure-kiosk/1
    <hall>/data/index.html, kiosk.js, kiosk.css, sw.js, manifest.webmanifest
    <hall>/data/datasets/<name>.<lang>.json
    <hall>/data/assets/qr/<item>.<lang>.svg, assets/plan-<n>.svg
    <hall>.zip                         with the ``zip`` option
"""

from __future__ import annotations

from .options import KioskOptions
from .publisher import INDEX, SCHEMA, KioskPublisher

__all__ = ["INDEX", "SCHEMA", "KioskOptions", "KioskPublisher"]
