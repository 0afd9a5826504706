"""gd.CatalogMeta takes what catalog.toml's [catalog] table holds, and refuses the rest itself.

The constructor converts the table's shapes (a ``publisher`` table, ISO date strings) as
the loader does, and refuses any other value with an InvalidValue naming the field, never a
builtin exception or a value that breaks publishing later. A catalogue folder reports the
same refusals as ``catalog.toml: catalog.<field>: ...``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.catalog.test_malformed import AGENCIES, NOTICE, write_case

import govdisclosure as gd
from govdisclosure.calendar import calendar_for
from govdisclosure.cli import cli
from govdisclosure.testing import META

AS_OF = dt.datetime(2002, 12, 31, 18, 0, tzinfo=dt.UTC)


def test_a_publisher_table_becomes_publisher_info_and_publishes(tmp_path: Path) -> None:
    """``publisher = { name, email }``, catalog.toml's shape, is a PublisherInfo: the feeds
    carry it as their author."""
    meta = gd.CatalogMeta(name="Town", publisher={"name": "Clerk", "email": "c@example.org"})
    records = [gd.Agency(id="office", name="Office", level="city"),
               gd.Disclosure(id="notice", agency="office", title="Notice",
                             issued_at=AS_OF - dt.timedelta(days=1))]

    report = gd.publish(gd.Catalog(records=records, meta=meta), to=["feeds"],
                        out=tmp_path / "out", as_of=AS_OF)

    assert meta.publisher == gd.PublisherInfo(name="Clerk", email="c@example.org")
    assert report.publishers[0].written > 0
    assert "Clerk" in (tmp_path / "out" / "feeds" / "all.atom").read_text(encoding="utf-8")


def test_dates_may_be_written_as_catalog_toml_writes_them() -> None:
    """``holidays`` and ``extra_workdays`` take ISO date strings as well as dates."""
    meta = gd.CatalogMeta(name="Town", holidays=["2002-10-01"],
                          extra_workdays=(dt.date(2002, 9, 28),))

    assert meta.holidays == (dt.date(2002, 10, 1),)
    assert meta.extra_workdays == (dt.date(2002, 9, 28),)


REFUSED = [
    ({"publisher": "Clerk"}, "publisher",
     "expected a table (name, email, url), got a string"),
    ({"publisher": {"name": "P", "fax": "1"}}, "publisher.fax",
     "unknown key (a publisher has name, email, url)"),
    ({"publisher": {"email": "c@example.org"}}, "publisher.name", "required field is missing"),
    ({"publisher": {"name": "P", "email": 5}}, "publisher.email",
     "expected a string, got an integer"),
    ({"name": 5}, "name", "expected text or a table of language = text, got an integer"),
    ({"jurisdiction": 5}, "jurisdiction", "expected a string, got an integer"),
    ({"languages": "en"}, "languages", "expected a list of language tags, got a string"),
    ({"languages": ["en", 5]}, "languages.1", "5 is not a language tag (like zh-CN or en)"),
    ({"default_language": None}, "default_language", "expected a string, got nothing"),
    ({"timezone": 8}, "timezone", "expected a string, got an integer"),
    ({"base_url": b"https://x.org/"}, "base_url", "expected a string, got bytes"),
    ({"calendar": "XX"}, "calendar", "unknown calendar 'XX' ("),
    ({"calendar": "US-XX"}, "calendar", "unknown calendar 'US-XX' (the holidays package "
                                        "knows no subdivision XX of US: it knows AK, "),
    ({"calendar": 86}, "calendar", "expected a string, got an integer"),
    ({"holidays": "2002-10-01"}, "holidays", "expected a list of dates, got a string"),
    ({"holidays": ["2002-02-30"]}, "holidays.0",
     "'2002-02-30' is not a valid date (YYYY-MM-DD)"),
    ({"extra_workdays": [dt.date(2002, 9, 28), dt.datetime(2002, 9, 29, tzinfo=dt.UTC)]},
     "extra_workdays.1", "expected a date (YYYY-MM-DD), got a datetime"),
    ({"profile": ["generic"]}, "profile", "expected a string, got a list"),
]


@pytest.mark.parametrize(("changes", "field", "message"), REFUSED,
                         ids=[field for _, field, _ in REFUSED])
def test_the_constructor_refuses_a_value_naming_the_field(changes: dict[str, Any], field: str,
                                                          message: str) -> None:
    """Each bad value is an InvalidValue naming its field, never a builtin exception."""
    with pytest.raises(gd.InvalidValue) as caught:
        gd.CatalogMeta(**{"name": "Town", **changes})

    assert caught.value.field == field
    assert caught.value.message.startswith(message)


@pytest.mark.parametrize("calendar", [None, "", "weekdays", "CN", "cn", " CN ", "US", "us",
                                      "US-CA", "DE-BY", "TW", "USA"])
def test_every_calendar_the_calendar_module_counts_with_is_accepted(calendar: str | None
                                                                    ) -> None:
    """CN, weekdays (or none) and any country, or subdivision, of the holidays package."""
    meta = gd.CatalogMeta(name="Town", calendar=calendar)

    assert calendar_for(meta.calendar).covers(2020)


@pytest.fixture(name="unknown_calendar")
def fixture_unknown_calendar(tmp_path: Path) -> Path:
    """A catalogue whose calendar names no country."""
    return write_case(tmp_path / "cat", {
        "catalog.toml": '[catalog]\nname = "Test"\ncalendar = "XX"\n',
        "agencies.toml": AGENCIES, "records/a.toml": NOTICE})


def test_an_unknown_calendar_is_refused_when_the_catalogue_loads(unknown_calendar: Path
                                                                 ) -> None:
    """validate exits 2 naming catalog.toml and the field, as the audit would need it."""
    result = CliRunner().invoke(cli, ["validate", str(unknown_calendar)])

    assert result.exit_code == 2
    assert "catalog.toml: catalog.calendar: unknown calendar 'XX' (" in result.stderr


def test_publish_writes_nothing_for_an_unknown_calendar(unknown_calendar: Path,
                                                        tmp_path: Path) -> None:
    """publish refuses the catalogue before its output folder exists (exit 2)."""
    result = CliRunner().invoke(cli, ["publish", str(unknown_calendar),
                                      "--out", str(tmp_path / "out")])

    assert result.exit_code == 2
    assert "catalog.calendar" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_catalog_refuses_what_is_no_meta_or_record() -> None:
    """gd.Catalog(records=..., meta=...) names what it got instead of failing later."""
    with pytest.raises(gd.InvalidValue, match=r"expected gd\.CatalogMeta"):
        gd.Catalog([], {"name": "x"})  # type: ignore[arg-type]
    with pytest.raises(gd.InvalidValue, match="expected record objects"):
        gd.Catalog([{"type": "disclosure", "id": "d1"}], META)  # type: ignore[list-item]


def test_a_base_url_with_user_information_is_refused() -> None:
    """Every output links to ``base_url``: a password in it would be published."""
    with pytest.raises(gd.InvalidValue, match="user information") as caught:
        gd.CatalogMeta(name="x", base_url="https://user:pw@gk.example.gov.cn/")
    assert caught.value.field == "base_url"


#: ``政务.中国`` as an A-label, computed by Python's own idna codec (IDNA 2003 agrees with
#: IDNA 2008 on these labels)
IDN_HOST = "政务.中国".encode("idna").decode("ascii")


@pytest.mark.parametrize(("given", "kept"), [
    ("https://政务.中国/", f"https://{IDN_HOST}/"),
    ("https://政务。中国/", f"https://{IDN_HOST}/"),  # an ideographic full stop
    ("https://政务.中国:8443/门户/?a=1", f"https://{IDN_HOST}:8443/门户/?a=1"),
    ("https://gk.政务.中国", f"https://gk.{IDN_HOST}"),
    ("https://GK.政务.中国", f"https://gk.{IDN_HOST}"),  # one spelling, one tag authority
    ("https://ＧＫ.政务.中国", f"https://gk.{IDN_HOST}"),
    ("https://gk.example.gov.cn/", "https://gk.example.gov.cn/"),
    ("https://[::1]:8000/", "https://[::1]:8000/"),
])
def test_an_internationalised_host_is_kept_in_its_ascii_form(given: str, kept: str) -> None:
    """base_url's host is written in its xn-- form once, where the meta is made, so that
    every publisher's absolute links and tag ids agree; the path stays as given."""
    assert IDN_HOST.startswith("xn--")
    assert gd.CatalogMeta(name="x", base_url=given).base_url == kept


def test_the_idna_form_is_that_of_browsers() -> None:
    """IDNA 2008 with the UTS 46 mapping (the ``idna`` package, as browsers resolve), not
    IDNA 2003's: ``ß`` is a letter of its own, not ``ss``."""
    import idna

    meta = gd.CatalogMeta(name="x", base_url="https://Straße.de/")
    assert meta.base_url == f"https://{idna.encode('straße.de', uts46=True).decode()}/"
    assert meta.base_url != "https://strasse.de/"


def test_a_host_without_an_ascii_form_is_refused_naming_catalog_toml(tmp_path: Path) -> None:
    """A host IDNA cannot encode (an emoji) is refused: validate exits 2 naming
    catalog.toml and the field."""
    for host in ("😀.中国", "政务..中国"):  # an emoji; an empty label
        with pytest.raises(gd.InvalidValue) as caught:
            gd.CatalogMeta(name="x", base_url=f"https://{host}/")
        assert caught.value.field == "base_url"
    root = write_case(tmp_path / "cat", {
        "catalog.toml": '[catalog]\nname = "Test"\nbase_url = "https://😀.中国/"\n',
        "agencies.toml": AGENCIES, "records/a.toml": NOTICE})

    result = CliRunner().invoke(cli, ["validate", str(root)])

    assert result.exit_code == 2
    assert ("catalog.toml: catalog.base_url: host '😀.中国' has no ASCII (IDNA) form"
            in result.stderr), result.stderr
