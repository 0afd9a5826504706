"""What publishers share (publishers/pages.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from govdisclosure.publishers.pages import natural


@given(st.lists(st.text(alphabet="a1-0 9B", max_size=6), max_size=8))
def test_any_window_numbers_sort_naturally(numbers: list[str]) -> None:
    """Any two keys compare (a number first against a letter first, e.g. '1' and 'A',
    crashed the kiosk's sort), and runs of digits compare as numbers."""
    ordered = sorted(numbers, key=natural)
    assert sorted(ordered, key=natural) == ordered
    assert sorted(["10", "2", "B", "1A"], key=natural) == ["1A", "2", "10", "B"]
