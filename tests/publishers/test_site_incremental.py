"""Incremental site builds: one change rewrites only the pages that show it, and the result
is byte for byte what a full build of the changed catalogue gives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from lxml import html

import govdisclosure as gd

AS_OF = dt.datetime(2002, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=8)))
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "jilin-2002"

Change = Callable[[list[gd.Record]], list[gd.Record]]


@pytest.fixture(name="records", scope="module")
def fixture_records() -> tuple[list[gd.Record], gd.CatalogMeta]:
    """The example's records and metadata, loaded once."""
    catalog = gd.load_catalog(EXAMPLE)
    return list(catalog), catalog.meta


def files(root: Path) -> dict[str, bytes]:
    """Every file of a published site, by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def publish(records: list[gd.Record], meta: gd.CatalogMeta, out: Path,
            full: bool = False) -> gd.PublishReport:
    """Publish an in-memory catalogue with the site publisher (short listing pages, so
    that a change moves records across pages)."""
    catalog = gd.Catalog(records, meta, check=False)
    return gd.publish(catalog, to=["site"], out=out, as_of=AS_OF, full=full,
                      options={"site": {"page_size": 3}})


def replace(records: list[gd.Record], kind: str, ident: str, **changes: object
            ) -> list[gd.Record]:
    """The records with one of them changed."""
    found = False
    result = []
    for record in records:
        if (record.TYPE, record.id) == (kind, ident):
            record = attrs.evolve(record, **changes)  # noqa: PLW2901
            found = True
        result.append(record)
    assert found, (kind, ident)
    return result


def first(records: list[gd.Record], cls: type[gd.Record]) -> gd.Record:
    """The first public record of a class."""
    return next(r for r in records if isinstance(r, cls) and r.audience == "public"
                and r.status not in ("withdrawn", "draft"))


def run_change(tmp_path: Path, records: list[gd.Record], meta: gd.CatalogMeta,
               changed: list[gd.Record]) -> tuple[gd.PublishReport, set[str], dict[str, bytes]]:
    """Publish, apply a change incrementally; check against a full build of the change
    after the same first run (the same state: an edit moves the sitemap's ``lastmod``).

    Returns the incremental report, the paths whose bytes changed, and the new files.
    """
    out = tmp_path / "out"
    publish(records, meta, out)
    before = files(out / "site")
    report = publish(changed, meta, out)
    after = files(out / "site")
    publish(records, meta, tmp_path / "fresh")
    publish(changed, meta, tmp_path / "fresh", full=True)
    fresh = files(tmp_path / "fresh" / "site")
    assert after.keys() == fresh.keys()
    assert [path for path in after if after[path] != fresh[path]] == []
    differ = {p for p in after.keys() | before.keys() if after.get(p) != before.get(p)}
    return report, differ, after


def test_unchanged_catalogue_writes_nothing(records: tuple[list[gd.Record], gd.CatalogMeta],
                                            tmp_path: Path) -> None:
    """Publishing the same catalogue again writes no file."""
    items, meta = records
    publish(items, meta, tmp_path)
    report = publish(items, meta, tmp_path)
    assert report.publishers[0].files_written == 0


def test_one_changed_record_rewrites_only_the_pages_that_show_it(
    records: tuple[list[gd.Record], gd.CatalogMeta], tmp_path: Path
) -> None:
    """A new title reaches its pages, listings and the search index, and nothing else."""
    items, meta = records
    target = first(items, gd.Disclosure)
    new_title = {"zh-CN": "新标题ZQX", "en": "New title ZQX"}
    report, differ, after = run_change(tmp_path, items, meta,
                                       replace(items, "disclosure", target.id, title=new_title))
    site = report.publishers[0]
    assert site.files_written == len(differ)
    assert f"zh-CN/disclosures/{target.id}.html" in differ
    assert f"en/disclosures/{target.id}.html" in differ
    assert "sitemap.xml" in differ  # the record's lastmod: the run that published the edit
    for path in differ - {"sitemap.xml"}:
        text = after[path].decode("utf-8")
        assert "ZQX" in text, f"{path} changed but does not show the record"
    assert len(differ) < 30


def graph_change(items: list[gd.Record], case: str,
                 ) -> tuple[list[gd.Record], list[gd.Record]] | None:
    """``(catalogue before, after)`` of a change that reaches a page through another
    record (a hall through the windows an item lists, a bare id, a withdrawal notice's
    agency, a parent's list of children), or None for another case."""
    if case.startswith("hall_"):  # item pages name the halls of their windows
        hall = first(items, gd.ServiceHall)
        window = next(r for r in items if isinstance(r, gd.ServiceWindow) and r.hall == hall.id)
        base = [*items, gd.ApprovalItem(  # names the window; the window does not serve it
            id="zz-item", agency="jilin-land", title="I", windows=[window.id])]
        return base, replace(base, "service_hall", hall.id, **(
            {"name": {"zh-CN": "新大厅", "en": "Renamed hall"}} if case == "hall_renamed"
            else {"classification": "secret"}))
    if case == "bare_reference_made_secret":  # related, adopted_into, decision: bare ids
        target = first(items, gd.Disclosure)
        base = [*items,
                gd.Disclosure(id="zz-rel", agency="jilin-land", title="R", category="other",
                              related=[target.id], issued_at=AS_OF - dt.timedelta(days=3)),
                gd.Suggestion(id="zz-sug", agency="jilin-land", status="adopted",
                              received_at=AS_OF - dt.timedelta(days=9),
                              adopted_into=target.id),
                gd.Consultation(id="zz-con", agency="jilin-land", title="C",
                                decision=target.id)]
        return base, replace(base, "disclosure", target.id, classification="secret")
    if case == "tombstone_agency_made_secret":  # a withdrawal notice names its agency
        base = [*items, gd.Disclosure(
            id="zz-gone", agency="jilin-stats", title="G", category="statistics",
            issued_at=AS_OF - dt.timedelta(days=30), status="withdrawn",
            withdrawn=gd.Withdrawal(on=dt.date(2002, 12, 20), reason="wrong")),
            gd.Disclosure(id="zz-stays", agency="jilin-price", title="S", category="other",
                          issued_at=AS_OF - dt.timedelta(days=3))]
        return base, replace(base, "agency", "jilin-stats", classification="secret")
    if case == "child_agency_withdrawn":  # its parent's page lists it
        return items, replace(items, "agency", "jilin-price", status="withdrawn",
                              withdrawn=gd.Withdrawal(on=dt.date(2002, 12, 1),
                                                      reason="merged"))
    moves = {"hotline_moved": ("hotline", "hl-governor", "agency"),  # the old agency's
             "evaluation_moved": ("evaluation", "eval-2002-changchun", "agency"),  # page
             "agency_reparented": ("agency", "helong-town", "parent")}  # lists it
    if case in moves:
        kind, ident, field = moves[case]
        return items, replace(items, kind, ident, **{field: "jilin-stats"})
    return None


@pytest.mark.parametrize("case", [
    "agency_renamed", "window_renamed", "record_withdrawn", "record_removed",
    "record_added", "case_added", "call_changed", "record_redated", "category_changed",
    "correction_retitled", "correction_retargeted", "correction_removed",
    "hall_renamed", "hall_made_secret", "bare_reference_made_secret",
    "tombstone_agency_made_secret", "child_agency_withdrawn",
    "hotline_moved", "evaluation_moved", "agency_reparented",
])
def test_incremental_equals_full(records: tuple[list[gd.Record], gd.CatalogMeta],
                                 tmp_path: Path, case: str) -> None:
    """Whatever changes, the incremental output is the full output of the changed catalogue."""
    items, meta = records
    base = items
    changed: list[gd.Record]
    graph = graph_change(items, case)
    if graph is not None:  # a page that names a record through another one
        base, changed = graph
    elif case == "agency_renamed":
        agency = next(r for r in items if r.TYPE == "agency" and r.id == "jilin-land")
        changed = replace(items, "agency", agency.id, name={"zh-CN": "新名称", "en": "Renamed"})
    elif case == "window_renamed":
        window = first(items, gd.ServiceWindow)
        changed = replace(items, "service_window", window.id, name={"zh-CN": "新窗口",
                                                                     "en": "New window"})
    elif case == "record_withdrawn":
        target = first(items, gd.ApprovalItem)
        changed = replace(items, "approval_item", target.id, status="withdrawn",
                          withdrawn=gd.Withdrawal(on=dt.date(2002, 12, 1), reason="test"))
    elif case == "record_removed":
        target = first(items, gd.ServiceWindow)
        changed = replace(items, "service_window", target.id, audience="internal")
    elif case == "record_added":
        new = gd.Disclosure(id="zz-new", agency="jilin-land", title="新增", category="policy",
                            issued_at=AS_OF - dt.timedelta(days=1))
        changed = [*items, new]
    elif case == "case_added":
        item = first(items, gd.ApprovalItem)
        new_case = gd.Case(id="zz-case", agency=item.agency, item=item.id,  # type: ignore[attr-defined]
                           received_at=AS_OF - dt.timedelta(days=20),
                           decided_at=AS_OF - dt.timedelta(days=2), outcome="approved",
                           applicant_kind="organisation", applicant_name="测试有限公司",
                           decision_ref="吉测〔2002〕1号")  # the item's search keys change
        changed = [*items, new_case]
    elif case == "record_redated":
        target = first(items, gd.Disclosure)
        changed = replace(items, "disclosure", target.id, issued_at=AS_OF - dt.timedelta(days=400))
    elif case == "category_changed":
        target = first(items, gd.Disclosure)
        new_category = "budget" if target.category != "budget" else "policy"  # type: ignore[attr-defined]
        changed = replace(items, "disclosure", target.id, category=new_category)
    elif case.startswith("correction_"):  # heating-fees-2002 corrects a withdrawn notice
        other = first(items, gd.Disclosure)
        changes: dict[str, object] = {
            "correction_retitled": {"title": "Corrected again"},
            "correction_retargeted": {"supersedes": other.id},
            "correction_removed": {"audience": "internal"},
        }[case]
        changed = replace(items, "disclosure", "heating-fees-2002", **changes)
    else:
        call = first(items, gd.HotlineCall)
        changed = replace(items, "hotline_call", call.id, satisfied=False)
    report, differ, _ = run_change(tmp_path, base, meta, changed)
    assert report.publishers[0].files_written + report.publishers[0].files_removed \
        >= len(differ) > 0


def test_a_conference_whose_date_passes_is_rebuilt_by_an_incremental_run(
        tmp_path: Path) -> None:
    """A scheduled conference's page and listing change when its time passes between two
    runs: the later incremental run writes what a full run at that moment writes."""
    catalog = gd.load_catalog(EXAMPLE)
    conference = gd.PressConference(
        id="zz-briefing", agency="jilin-province", title="Briefing", status="scheduled",
        scheduled_at=AS_OF - dt.timedelta(days=3), issued_at=AS_OF - dt.timedelta(days=20))
    changed = gd.Catalog([*catalog, conference], catalog.meta, check=False)
    gd.publish(changed, to=["site"], out=tmp_path / "inc", as_of=AS_OF - dt.timedelta(days=5))
    report = gd.publish(changed, to=["site"], out=tmp_path / "inc", as_of=AS_OF)
    gd.publish(changed, to=["site"], out=tmp_path / "full", as_of=AS_OF, full=True)
    after, fresh = files(tmp_path / "inc" / "site"), files(tmp_path / "full" / "site")
    assert [path for path in after if after[path] != fresh.get(path)] == []
    assert report.publishers[0].files_written > 0


def test_a_theme_edit_is_published_by_the_next_incremental_run(
        tmp_path: Path, records: tuple[list[gd.Record], gd.CatalogMeta]) -> None:
    """The theme folder's files are part of the options: a template edited, a file
    added or removed there is on every page after the next run, without ``--full``
    (and in the same process: no template compiled from the old file is used)."""
    items, meta = records
    theme = tmp_path / "theme"
    theme.mkdir()
    template = theme / "disclosure.html"
    out = tmp_path / "out"
    disclosure = first(items, gd.Disclosure)
    page = out / "site" / meta.default_language / "disclosures" / f"{disclosure.id}.html"

    def run() -> gd.PublishReport:
        return gd.publish(gd.Catalog(items, meta, check=False), to=["site"], out=out,
                          as_of=AS_OF, options={"site": {"theme": str(theme)}})

    def themed(marker: str) -> None:
        template.write_text('{% extends "record.html" %}{% block facts %}<div><dt>Theme</dt>'
                            f"<dd>{marker}</dd></div>{{% endblock %}}", encoding="utf-8")

    def shown() -> list[str]:
        return html.parse(page).xpath("//dt[.='Theme']/following-sibling::dd/text()")

    themed("first")
    run()
    assert shown() == ["first"]
    themed("second")
    report = run()
    assert shown() == ["second"]
    assert report.publishers[0].files_written > 0
    assert run().publishers[0].files_written == 0  # the same theme: nothing to rebuild
    (theme / "static").mkdir()
    (theme / "static" / "site.css").write_text("body { color: #123456 }", encoding="utf-8")
    run()
    assert (out / "site" / "static" / "site.css").read_text(encoding="utf-8") == (
        "body { color: #123456 }")
    template.unlink()
    run()
    assert shown() == []
    assert html.parse(page).xpath("//dd/a[contains(@href, 'category/')]")
