"""The site's figures for cases and hotline calls: they add up, and they agree with the audit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import html
from tests.audit.support import META, ZONE, at, case, findings, item
from tests.publishers.conftest import Build

import govdisclosure as gd
from govdisclosure.calendar import calendar_for
from govdisclosure.publishers.site import stats
from govdisclosure.publishers.site.i18n import ui, value_label

AS_OF = dt.datetime(2002, 12, 31, 23, 59, tzinfo=ZONE)
LATER = dt.datetime(2026, 5, 1, 12, 0, tzinfo=ZONE)  # beyond 2003, which the calendar lacks
NOT_COMPUTABLE = ui("en")["limit_unknown"]
HOTLINE = gd.Hotline(id="hl-gov", agency="gov", number="1", due_days=5,
                     opened_on=dt.date(2002, 1, 10))
OUTCOMES = ("approved", "rejected", "withdrawn", "transferred", "pending")


def call(ident: str, received: str, handled: str, closed: str | None = None) -> gd.HotlineCall:
    """An accepted call to ``hl-gov``, handled and closed (by default on the same day)."""
    return gd.HotlineCall(id=ident, agency="gov", hotline="hl-gov", received_at=at(received),
                          handled_at=at(handled, 16), closed_at=at(closed or handled, 17))


# Received on Friday 1 March 2002; the limit is 5 working days, so Friday 8 March.
CALLS = [
    call("k1", "2002-03-01", "2002-03-08"),  # 7 calendar days, 5 working days: in time
    call("k2", "2002-03-01", "2002-03-08", closed="2002-03-20"),  # handled in time
    call("k3", "2002-03-01", "2002-03-11"),  # 6 working days: late
]


@pytest.fixture(name="build")
def fixture_build(build_site: Build) -> Build:
    """Publish records (with the audit tests' agencies, hotlines and item); the English site."""
    return lambda *records, as_of=AS_OF: build_site(*records, as_of=as_of) / "en"


def table(page: Path, caption_id: str) -> tuple[list[str], dict[str, list[str]]]:
    """The column headings of a table and its cell texts by row (the row heading's link)."""
    tree = html.parse(str(page))
    (caption,) = tree.xpath(f"//caption[@id='{caption_id}']")
    grid = caption.getparent()
    heads = [" ".join(th.text_content().split()) for th in grid.xpath("thead/tr/th")]
    assert all(th.get("scope") == "col" for th in grid.xpath("thead/tr/th"))
    rows = {}
    for tr in grid.xpath("tbody/tr"):
        (head,) = tr.xpath("th[@scope='row']")
        rows[head.xpath("string(a/@href)")] = [
            " ".join(td.text_content().split()) for td in tr.xpath("td")]
    return heads, rows


def cell(page: Path, caption_id: str, heading: str, record: str) -> str:
    """The cell under ``heading`` in the row of ``record`` (an id)."""
    heads, rows = table(page, caption_id)
    (cells,) = [cells for href, cells in rows.items() if href.endswith(f"/{record}.html")]
    return cells[heads.index(heading) - 1]


def figures(page: Path, section: str) -> dict[str, str]:
    """The ``dt -> dd`` figures of the section headed by ``section`` (an id)."""
    tree = html.parse(str(page))
    pairs = tree.xpath(f"//section[@aria-labelledby='{section}']//dl[@class='figures']/div")
    return {" ".join(d.find("dt").text_content().split()):
            " ".join(d.find("dd").text_content().split()) for d in pairs}


def test_hotline_in_time_counts_working_days_to_handling_as_the_audit() -> None:
    """A call is in time when handled within due_days working days, as hotline.slow says."""
    calendar = calendar_for(META.calendar, META.holidays, META.extra_workdays)
    (row,), _, _ = stats.hotline_figures([HOTLINE], CALLS, calendar, ZONE)
    (finding,) = findings(HOTLINE, *CALLS, code="hotline.slow")
    assert (row.timed, row.in_time) == (3, 2)
    assert row.timed - row.in_time == finding.evidence["late"]
    assert row.in_time_rate == "66.7%"


def test_hotline_pages_show_the_audits_in_time_share(build: Build) -> None:
    """The statistics page and the hotline's page show 2 of 3 calls in time."""
    site = build(HOTLINE, *CALLS)
    closed_in_time = ui("en")["closed_in_time"]
    assert cell(site / "statistics" / "hotlines.html", "t-hotlines", closed_in_time,
                "hl-gov") == "66.7%"
    assert figures(site / "hotlines" / "hl-gov.html", "s-calls")[closed_in_time] == "66.7%"


def test_hotline_months_are_the_catalogue_zones() -> None:
    """A call received at 17:30 UTC on 28 February is a March call in Beijing (as the
    other dates of the site are shown in the catalogue's timezone)."""
    utc = dt.datetime(2002, 2, 28, 17, 30, tzinfo=dt.UTC)
    late = gd.HotlineCall(id="k9", agency="gov", hotline="hl-gov", received_at=utc,
                          closed_at=utc + dt.timedelta(hours=1))
    _, _, months = stats.hotline_figures([HOTLINE], [late], calendar_for("CN"), ZONE)
    assert months == [("2002-03", 1, 1)]


def test_hotline_in_time_is_not_computable_beyond_the_calendar() -> None:
    """Where the working-day calendar does not cover the calls (chinese_calendar starts in
    2004), the share is marked unknown, not guessed."""
    (row,), _, _ = stats.hotline_figures([HOTLINE], CALLS, calendar_for("CN"), ZONE)
    assert (row.timed, row.in_time_unknown, row.in_time_rate) == (0, 3, "")


def test_pending_case_past_the_limit_counts_beyond_the_calendar(build: Build) -> None:
    """A case pending since March 2002 is overdue in 2026, as the audit's fallback finds."""
    pending = case("c1", "2002-03-01")
    assert [f.record for f in findings(pending, code="case.overdue",
                                       as_of=LATER.date())] == ["case:c1"]
    site = build(pending, as_of=LATER)
    overdue = ui("en")["overdue_pending"]
    assert cell(site / "statistics" / "cases.html", "t-cases", overdue, "permit") == "1"


def test_pending_case_the_calendar_cannot_place_is_not_computable(build: Build) -> None:
    """When the deadline falls in a year the calendar lacks, the figure says so (not 0)."""
    pending = case("c1", "2002-12-20")  # 20 working days later is in 2003
    with pytest.raises(gd.CalendarError):
        findings(pending, code="case.overdue", as_of=LATER.date())
    site = build(pending, as_of=LATER)
    overdue = ui("en")["overdue_pending"]
    assert cell(site / "statistics" / "cases.html", "t-cases", overdue,
                "permit") == NOT_COMPUTABLE


def test_item_page_marks_timeliness_the_calendar_cannot_place(build: Build) -> None:
    """A decision in a year the calendar lacks shows 'not computable' on the item page."""
    site = build(case("c1", "2002-12-20", "2003-01-20"), as_of=LATER)
    shown = figures(site / "items" / "permit.html", "s-cases")
    strings = ui("en")
    assert shown[strings["within_promised"]] == NOT_COMPUTABLE
    assert shown[strings["avg_handling"]] == NOT_COMPUTABLE


def outcome_cases() -> list[gd.Case]:
    """Two cases of each outcome; the withdrawn and transferred ones took long."""
    cases = []
    for n, outcome in enumerate(OUTCOMES * 2):
        decided = None if outcome == "pending" else "2002-06-28"
        cases.append(case(f"c{n}", "2002-03-01", decided, outcome=outcome))
    return cases


def test_case_outcomes_add_up_on_the_statistics_page(build: Build) -> None:
    """Every outcome has a column, and the columns add up to the applications."""
    site = build(*outcome_cases())
    heads, rows = table(site / "statistics" / "cases.html", "t-cases")
    labels = {o: value_label("en", "outcome", o) if o in ("withdrawn", "transferred")
              else ui("en")[o] for o in OUTCOMES}
    (cells,) = rows.values()
    count = {o: int(cells[heads.index(label) - 1]) for o, label in labels.items()}
    assert count == dict.fromkeys(OUTCOMES, 2)
    assert sum(count.values()) == int(cells[heads.index(ui("en")["cases"]) - 1]) == 10


def test_case_outcomes_add_up_on_the_item_page(build: Build) -> None:
    """The item's figures name the withdrawn and transferred applications too."""
    site = build(*outcome_cases())
    shown = figures(site / "items" / "permit.html", "s-cases")
    strings = ui("en")
    parts = [shown[strings["approved"]], shown[strings["rejected"]], shown[strings["pending"]],
             shown[value_label("en", "outcome", "withdrawn")],
             shown[value_label("en", "outcome", "transferred")]]
    assert sum(int(p) for p in parts) == int(shown[strings["cases"]]) == 10


def test_withdrawn_and_transferred_cases_are_not_judged_for_time() -> None:
    """Like the audit's case.overdue, timeliness covers approvals and rejections only."""
    calendar = calendar_for(META.calendar, META.holidays, META.extra_workdays)
    (row,), total = stats.case_figures([item()], outcome_cases(), calendar, ZONE, AS_OF)
    assert (row.decided, row.timed, row.within_statutory) == (4, 4, 0)
    assert total.timed == 4


def test_a_decision_without_its_date_is_judged_at_publication_as_the_audit_does() -> None:
    """An approval whose ``decided_at`` is missing counts as late once the limit has passed
    on the day of publication (the audit's case.overdue), not as 'not computable'."""
    undated = case("c1", "2002-03-01", outcome="approved")
    assert [f.record for f in findings(undated, code="case.overdue")] == ["case:c1"]
    calendar = calendar_for(META.calendar, META.holidays, META.extra_workdays)
    (row,), _ = stats.case_figures([item()], [undated], calendar, ZONE, AS_OF)
    assert (row.timed, row.timing_unknown, row.within_statutory) == (1, 0, 0)


@pytest.mark.parametrize("hidden", [{"channels": ["feeds"]},
                                    {"status": "withdrawn", "withdrawn": gd.Withdrawal(
                                        on=dt.date(2002, 6, 1), reason="closed")}],
                         ids=["channel-excluded", "withdrawn"])
def test_the_calls_and_cases_of_a_parent_the_site_does_not_show_count_nowhere(
        build: Build, hidden: dict) -> None:
    """A hotline and an item the site leaves out (their channels) or shows only as a
    tombstone: their calls and cases are in no figure and no topic list."""
    shown = build(HOTLINE, *CALLS)
    extra = (gd.Hotline(id="hl-x", agency="gov", number="9", opened_on=dt.date(2002, 1, 10),
                        **hidden),
             gd.HotlineCall(id="x1", agency="gov", hotline="hl-x", received_at=at("2002-03-04"),
                            topic="TOPICZZX"),
             item("permit-x", **hidden), case("cx", "2002-03-04", "2002-03-08", item="permit-x"))
    site = build(HOTLINE, *CALLS, *extra)
    for page in ("statistics/hotlines.html", "statistics/cases.html", "statistics/index.html"):
        assert (site / page).read_bytes() == (shown / page).read_bytes(), page
    assert not [p for p in site.rglob("*.html") if b"TOPICZZX" in p.read_bytes()]
