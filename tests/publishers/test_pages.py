"""What publishers share (publishers/pages.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.publishers.pages import attachment_copies, attachment_url, natural


@given(st.lists(st.text(alphabet="a1-0 9B", max_size=6), max_size=8))
def test_any_window_numbers_sort_naturally(numbers: list[str]) -> None:
    """Any two keys compare (a number first against a letter first, e.g. '1' and 'A',
    crashed the kiosk's sort), and runs of digits compare as numbers."""
    ordered = sorted(numbers, key=natural)
    assert sorted(ordered, key=natural) == ordered
    assert sorted(["10", "2", "B", "1A"], key=natural) == ["1A", "2", "10", "B"]


BASE = "https://gk.example.gov.cn/"


@pytest.mark.parametrize(("url", "expected"), [
    ("https://cdn.example.gov.cn/a.pdf", "https://cdn.example.gov.cn/a.pdf"),
    ("HTTP://cdn.example.gov.cn/a.pdf", "HTTP://cdn.example.gov.cn/a.pdf"),
    ("files/a.pdf", f"{BASE}assets/disclosure/d1/attachment-1.pdf"),
    ("/files/a.pdf", f"{BASE}files/a.pdf"),
    ("javascript:alert(1)", None),
    ("JaVaScRiPt:alert(1)", None),
    (" javascript:alert(1)", None),  # a space before the scheme: not a catalogue file
    ("data:text/html,<script>alert(1)</script>", None),
    ("mailto:press@example.gov.cn", None),
    ("tel:+86431", None),
    ("file:///etc/passwd", None),
    ("//evil.example/a.pdf", None),
    ("https:///no-host", None),
    ("https://user:pw@cdn.example.gov.cn/a.pdf?x=1", "https://cdn.example.gov.cn/a.pdf?x=1"),
    ("https://user@cdn.example.gov.cn:8443/a.pdf", "https://cdn.example.gov.cn:8443/a.pdf"),
])
def test_attachments_link_only_to_the_web(url: str, expected: str | None) -> None:
    """Feeds, OCDS and ninjs link an attachment at an absolute http(s) URL: a catalogue
    file at the site's copy, a relative URL below the base; any other scheme, or none."""
    record = gd.Disclosure(id="d1", agency="a", category="other", title="t",
                           attachments=[gd.Attachment(title="a", url=url)])
    (attachment,) = record.attachments
    assert attachment_url(attachment, attachment_copies(record), BASE) == expected
