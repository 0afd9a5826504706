"""Where each record type's page lives on the portal: shared by the ``site`` publisher, which
writes the pages, and the publishers that link to them (a feed entry's link)."""

from __future__ import annotations

__all__ = ["SECTIONS", "page_path"]

#: URL folder of each record type that has pages, in the order of the main menu.
SECTIONS: dict[str, str] = {
    "disclosure": "disclosures",
    "approval_item": "items",
    "allocation": "allocations",
    "news_release": "news",
    "press_conference": "press",
    "consultation": "consultations",
    "service_hall": "halls",
    "service_window": "windows",
    "hotline": "hotlines",
    "suggestion": "suggestions",
    "complaint": "complaints",
    "accountability_record": "accountability",
    "evaluation": "evaluations",
    "work_plan": "plans",
    "agency": "agencies",
}


def page_path(kind: str, ident: str) -> str:
    """The page of a record below the language folder, e.g. ``items/land-use.html``."""
    return f"{SECTIONS[kind]}/{ident}.html"
