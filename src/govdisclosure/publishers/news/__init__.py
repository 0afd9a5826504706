"""News: press materials (新闻发布) for media and wire services (docs/news.md).

Layout of the output folder (every part in every catalogue language)::

    index.json                                   every release and conference, newest first
    <lang>/index.html                            the same, as a page
    <lang>/releases/<id>.txt                     plain-text release (FOR IMMEDIATE RELEASE ... ###)
    <lang>/releases/<id>.html                    release page with schema.org NewsArticle JSON-LD
    <lang>/releases/<id>.json                    IPTC ninjs 3.2 item (type text)
    <lang>/conferences/<id>/advisory.txt         media advisory
    <lang>/conferences/<id>/agenda.txt           agenda
    <lang>/conferences/<id>/speakers.txt         speakers
    <lang>/conferences/<id>/statements.txt       the releases issued at it
    <lang>/conferences/<id>/qa.txt               questions and answers
    <lang>/conferences/<id>/index.html           page with schema.org Event JSON-LD
    <lang>/conferences/<id>/event.json           ninjs item (type event) associating the parts

Attachments of a release or conference are ninjs associations (``rel: attachment``).
A withdrawn record keeps its paths, rewritten as a withdrawal notice (ninjs
``pubStatus: canceled``); a conference keeps only ``advisory.txt``, ``index.html`` and
``event.json``.
"""

from __future__ import annotations

from .options import NewsOptions
from .publisher import INDEX, NewsPublisher

__all__ = ["INDEX", "NewsOptions", "NewsPublisher"]
