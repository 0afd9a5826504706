"""Every registered publisher, built-in or third-party, passes the public conformance suite."""

from __future__ import annotations

from govdisclosure.publishing import available
from govdisclosure.testing import PublisherConformance

# One test class per installed publisher: today feeds, site and the example signage package.
for _name in available():
    _cls = type(f"TestConformance_{_name}", (PublisherConformance,), {"publisher": _name})
    globals()[_cls.__name__] = _cls


def test_the_example_third_party_publisher_is_registered() -> None:
    """The signage example package is found through its entry point."""
    assert available().get("signage") == "govdisclosure-signage"
