"""The annual report and the audit, evaluate and report commands."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from tests.audit.support import AGENCIES, META, at, case, catalog, item

import govdisclosure as gd
from govdisclosure.audit.annual import annual_report, render_annual
from govdisclosure.cli import cli

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "jilin-2002")


def test_applications_balance() -> None:
    """received + carried over = handled + carried forward, across the year boundary."""
    records = (case("c1", "2002-03-04", "2002-03-08"), case("c2", "2002-12-20"))
    data = annual_report(catalog(*records), 2002)
    apps = data["applications"]
    assert (apps["received"], apps["carried_over"]) == (2, 0)
    assert (apps["handled_total"], apps["carried_forward"]) == (1, 1)


def test_a_case_is_handled_by_its_outcome() -> None:
    """MODEL.md allows ``outcome`` and ``decided_at`` each on its own: a pending case is
    carried forward whatever its ``decided_at``; a decided one without it is handled on its
    ``updated_at``, else on the day it was received; the table balances."""
    pending = case("pending", "2002-03-04", "2002-03-08", outcome="pending")
    undated = attrs.evolve(case("undated", "2002-11-04"), outcome="withdrawn")
    updated = attrs.evolve(case("updated", "2001-12-20"), outcome="transferred",
                           updated_at=at("2002-01-10"))
    apps = annual_report(catalog(pending, undated, updated), 2002)["applications"]
    assert (apps["received"], apps["carried_over"]) == (2, 1)
    assert apps["handled"]["withdrawn"] == apps["handled"]["transferred"] == 1
    assert (apps["handled_total"], apps["carried_forward"]) == (2, 1)


def test_sections_without_data_say_so() -> None:
    """No regulations and no cases: the rows say 'no data' instead of zeros."""
    text = render_annual(annual_report(catalog(), 2002, "en"))
    assert "| Regulations (规章) | no data | no data | no data |" in text
    assert "4. Administrative reconsideration and litigation" in text
    assert "The catalogue has no data for this." in text


def test_counts_of_records_the_catalogue_does_not_keep_say_no_data() -> None:
    """A catalogue without hotline calls or suggestions does not report zero of them."""
    data = annual_report(catalog(), 2002, "en")
    overview = dict(data["overview"])
    assert overview[data["labels"]["hotline_calls"]] is None
    assert overview[data["labels"]["suggestions"]] is None
    text = render_annual(data)
    assert f"| {data['labels']['hotline_calls']} | no data |" in text


@pytest.mark.parametrize("hidden", [{"audience": "internal"}, {"channels": []}])
def test_internal_or_unpublished_disclosures_are_not_counted_as_disclosed(
        hidden: dict[str, object]) -> None:
    """内务公开 (audience internal) is not government information disclosed to the public,
    nor is a disclosure published nowhere (``channels = []``)."""
    shown = gd.Disclosure(id="d-shown", agency="gov", category="regulation", title="x",
                          issued_at=at("2002-05-01"))
    records = [shown, attrs.evolve(shown, id="d-hidden", **hidden)]
    data = annual_report(catalog(*records), 2002, "en")
    assert dict(data["overview"])[data["labels"]["disclosures"]] == 1
    (regulations,) = [row for label, row in data["documents"] if "Regulations" in label]
    assert regulations["issued"] == 1


@pytest.mark.parametrize("hidden", [{"classification": "secret"}, {"status": "draft"},
                                    {"audience": "internal"},
                                    {"publish_at": at("2003-02-01")}])
def test_problems_of_records_that_are_not_public_are_counted_not_named(
        hidden: dict[str, object]) -> None:
    """The annual report is public: a finding on a secret, draft, internal or still
    embargoed record keeps its code, not its message (which names the record)."""
    records = (item("open", title="OPEN-ITEM", discipline=None),
               item("closed", title="HIDDEN-ITEM", discipline=None, **hidden))
    data = annual_report(catalog(*records), 2002, "en")
    examples = [text for code, _, text in data["finding_examples"] if code == "ten.missing"]
    # a draft is not audited at all; the others are, and are withheld
    assert len(examples) == (1 if hidden.get("status") == "draft" else 2)
    for fmt in ("markdown", "html"):
        text = render_annual(data, fmt)
        assert "HIDDEN-ITEM" not in text
        assert "OPEN-ITEM" in text
        assert (data["labels"]["withheld"] in text) is (len(examples) == 2)


def test_a_finding_naming_a_hidden_record_is_withheld_and_hidden_documents_not_counted(
) -> None:
    """A public case of a secret item names the item in its message; a secret, internal
    or still embargoed regulation is no regulation the public was told of."""
    records = (item(title="SECRET-ITEM-TITLE", classification="secret"),
               case("c1", "2002-03-04", "2002-04-19"),
               *(gd.Disclosure(id=f"r{n}", agency="gov", category="regulation", title="Rule",
                               issued_at=at("2002-05-01"), **hidden)
                 for n, hidden in enumerate([{}, {"classification": "secret"},
                                             {"audience": "internal"},
                                             {"publish_at": at("2003-02-01")}])))
    data = annual_report(catalog(*records), 2002, "en")
    text = render_annual(data)
    assert "SECRET-ITEM-TITLE" not in text
    assert data["labels"]["withheld"] in text
    (regulations,) = [row for label, row in data["documents"] if "Regulations" in label]
    assert regulations == {"issued": 1, "abolished": 0, "in_force": 1}


def test_html_escapes_catalogue_text() -> None:
    """Catalogue text is escaped in the HTML report."""
    hostile = gd.Disclosure(id="x", agency="gov", title="<script>", category="policy")
    html = render_annual(annual_report(catalog(hostile), 2002, "en"), "html")
    meta = gd.CatalogMeta(name="<b>n</b>", publisher=gd.PublisherInfo(name="<i>p</i>"))
    other = render_annual(annual_report(gd.Catalog(records=[], meta=meta), 2002), "html")
    assert "<script>" not in html
    assert "&lt;i&gt;p&lt;/i&gt;" in other


def test_cli_audit_exit_codes(tmp_path: Path) -> None:
    """audit exits 1 with error findings, 2 on unusable input; JSON lists the findings."""
    runner = CliRunner()
    result = runner.invoke(cli, ["audit", EXAMPLE, "--as-of", "2002-12-31", "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert data["summary"]["by_severity"]["error"] > 0
    assert {"code", "severity", "agency", "record", "message", "evidence"} <= set(
        data["findings"][0])
    assert runner.invoke(cli, ["audit", str(tmp_path)]).exit_code == 2
    bad = runner.invoke(cli, ["audit", EXAMPLE, "--profile", "nope"])
    assert bad.exit_code == 2
    assert "Traceback" not in bad.output


def test_cli_audit_clean_catalogue_exits_zero(tmp_path: Path) -> None:
    """A catalogue without findings at error level exits 0."""
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(tmp_path / "c")]).exit_code == 0
    result = runner.invoke(cli, ["audit", str(tmp_path / "c"), "--as-of", "2026-02-02"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_cli_audit_formats(fmt: str) -> None:
    """Every format renders; drafts come as TOML accountability records."""
    result = CliRunner().invoke(cli, ["audit", EXAMPLE, "--as-of", "2002-12-31", "--format",
                                      fmt, "--draft-accountability", "--language", "en"])
    assert result.exit_code == 1
    assert "ten.missing" in result.output
    assert "[[accountability_record]]" in result.output


def test_cli_evaluate_writes_records(tmp_path: Path) -> None:
    """evaluate --write produces evaluation records that the loader accepts."""
    result = CliRunner().invoke(cli, ["evaluate", EXAMPLE, "--year", "2002", "--write",
                                      str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["evaluations"][0]["rank"] == 1
    written = tmp_path / "evaluations-2002.toml"
    assert written.is_file()
    # the example has its own 2002 evaluations, with the ids the drafts take
    assert "'eval-2002-changchun' is already in the catalogue" in " ".join(data["warnings"])


def test_cli_report_annual(tmp_path: Path) -> None:
    """report annual writes one file per catalogue language, or prints one."""
    runner = CliRunner()
    printed = runner.invoke(cli, ["report", "annual", EXAMPLE, "--year", "2002"])
    assert printed.exit_code == 0, printed.output
    assert "2002年政府信息公开工作年度报告" in printed.output
    result = runner.invoke(cli, ["report", "annual", EXAMPLE, "--year", "2002", "--format",
                                 "html", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "annual-report-2002.en.html", "annual-report-2002.zh-CN.html"]


def test_markdown_outputs_keep_hostile_text_inert() -> None:
    """Markdown is often rendered to HTML: a title with a script, a javascript: link or an
    autolink shows as text there, checked by rendering with markdown-it and parsing."""
    from lxml import html as lxml_html
    from markdown_it import MarkdownIt

    from govdisclosure.audit.render import render_findings

    hostile = "<script>alert(1)</script> [x](javascript:alert(2)) <javascript:alert(3)> *b*"
    records = (item(title=hostile, discipline=None),)
    report = gd.audit(catalog(*records), as_of=at("2002-12-31").date())
    for document in (render_findings(report, "markdown", "en"),
                     render_annual(annual_report(catalog(*records), 2002, "en", report=report))):
        assert "alert(1)" in document
        tree = lxml_html.fromstring(f"<div>{MarkdownIt().render(document)}</div>")
        assert tree.xpath("//script") == []
        assert not [a for a in tree.xpath("//a") if "javascript" in (a.get("href") or "")]
        assert "<script>alert(1)</script>" in tree.text_content()


# -- the 2021 format's rows: public press conferences, applicants, documents that reconcile ----


def test_only_press_conferences_the_public_could_see_are_counted() -> None:
    """Held in 2002, as the disclosures counted: not an internal or a classified one, nor
    one cancelled, still a draft, or held in 2003."""
    variants = [{}, {}, {"audience": "internal"}, {"classification": "restricted"},
                {"classification": "secret"}, {"status": "cancelled"},
                {"status": "draft"}, {"scheduled_at": at("2003-01-10")}]
    conferences = [gd.PressConference(id=f"pc{n}", agency="gov", title="t",
                                      **{"status": "held", "scheduled_at": at("2002-06-01"),
                                         **changes})
                   for n, changes in enumerate(variants)]
    expected = sum(1 for p in conferences if p.status == "held" and p.audience == "public"
                   and p.classification == "public" and p.scheduled_at is not None
                   and p.scheduled_at.year == 2002)
    data = annual_report(catalog(*conferences), 2002, "en")
    assert dict(data["overview"])[data["labels"]["press_conferences"]] == expected == 2


def test_applications_are_split_by_applicant_with_a_total() -> None:
    """自然人 and 法人或其他组织 columns add up to the total of every row, in every format
    and language."""
    kinds = ["person", "organisation", "organisation", "person", "organisation"]
    records = [case(f"c{n}", "2002-03-04", "2002-03-08" if n % 2 else None,
                    applicant_kind=kind) for n, kind in enumerate(kinds)]
    loaded = catalog(*records)
    for language in ("zh-CN", "en"):
        data = annual_report(loaded, 2002, language)
        apps, labels = data["applications"], data["labels"]
        by = apps["by_applicant"]
        assert set(by) == {"person", "organisation"}
        for kind in by:
            assert by[kind]["received"] == kinds.count(kind)
            assert by[kind]["handled_total"] == sum(
                1 for c in records if c.applicant_kind == kind and c.decided_at)
        for row in ("received", "carried_over", "handled_total", "carried_forward"):
            assert by["person"][row] + by["organisation"][row] == apps[row]
        markdown, html = render_annual(data), render_annual(data, "html")
        head = f"| {labels['item']} | {labels['person']} | {labels['organisation']} | " \
               f"{labels['total']} |"
        assert head in markdown
        assert (f"| {labels['received']} | {by['person']['received']} | "
                f"{by['organisation']['received']} | {apps['received']} |") in markdown
        assert f"<th>{labels['person']}</th><th>{labels['organisation']}</th>" in html
        assert f"<th>{labels['total']}</th>" in html
    assert (labels["person"], annual_report(loaded, 2002, "zh-CN")["labels"]["person"]) == (
        "natural persons", "自然人")


def test_the_json_report_gives_the_applicant_columns() -> None:
    """``report annual --json``: the figures by applicant are in ``report``."""
    result = CliRunner().invoke(cli, ["--json", "report", "annual", EXAMPLE, "--year", "2002"])
    assert result.exit_code == 0, result.output
    apps = json.loads(result.output)["report"]["applications"]
    assert apps["by_applicant"]["person"]["received"] + apps["by_applicant"][
        "organisation"]["received"] == apps["received"]


def test_a_document_that_expires_in_the_year_leaves_the_in_force_count_as_abolished() -> None:
    """Two policies in force since 2001; one expires on 30 Jun 2002: the 2002 row says
    0 issued, 1 abolished or expired, 1 in force (2 + 0 - 1)."""
    policies = [gd.Disclosure(id="p1", agency="gov", title="p", category="policy",
                              issued_at=at("2001-03-01")),
                gd.Disclosure(id="p2", agency="gov", title="p", category="policy",
                              issued_at=at("2001-03-01"), expires_at=at("2002-06-30", 0))]
    loaded = catalog(*policies)
    rows = {year: dict(annual_report(loaded, year, "en")["documents"])[
        "Normative documents (行政规范性文件)"] for year in (2001, 2002)}
    assert rows == {2001: {"issued": 2, "abolished": 0, "in_force": 2},
                    2002: {"issued": 0, "abolished": 1, "in_force": 1}}


days = st.one_of(st.none(), st.dates(dt.date(2000, 6, 1), dt.date(2003, 6, 30)))


@st.composite
def documents(draw: st.DrawFn) -> list[gd.Disclosure]:
    """Normative documents issued, embargoed, expiring and withdrawn around 2001-2002."""
    found = []
    for n in range(draw(st.integers(1, 8))):
        issued, publish, expires, withdrawn = (draw(days) for _ in range(4))
        found.append(gd.Disclosure(
            id=f"p{n}", agency="gov", title="p", category="policy",
            issued_at=at(issued) if issued else None,
            publish_at=at(publish) if publish else None,
            expires_at=at(expires, draw(st.integers(0, 23))) if expires else None,
            status="withdrawn" if withdrawn else "approved",
            withdrawn=gd.Withdrawal(on=withdrawn, reason="abolished") if withdrawn else None,
            audience=draw(st.sampled_from(["public", "public", "internal"]))))
    return found


@given(documents())
def test_the_documents_row_reconciles_year_to_year(policies: list[gd.Disclosure]) -> None:
    """For any documents: last year's in force + issued - abolished or expired = in force,
    from the year after the catalogue's data begin (in their first year, the undated
    documents are in force without being issued that year: "Time" in docs/audit.md)."""
    meta = attrs.evolve(META, calendar=None, holidays=[], extra_workdays=[])
    loaded = gd.Catalog(records=[*AGENCIES, *policies], meta=meta)
    label = "Normative documents (行政规范性文件)"
    empty = {"issued": 0, "abolished": 0, "in_force": 0}
    reports = {year: annual_report(loaded, year, "en") for year in range(2000, 2004)}
    rows = {year: dict(data["documents"])[label] or empty for year, data in reports.items()}
    for year in range(2001, 2004):
        if not reports[year - 1]["data"]:
            continue
        row = rows[year]
        assert rows[year - 1]["in_force"] + row["issued"] - row["abolished"] == row["in_force"]
