"""Years the catalogue holds no data for: the audit judges nothing, the annual report says
"no data" instead of printing zeros, and no agency is evaluated, let alone at full marks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.audit.support import AGENCIES, HOTLINES, META, at, case, catalog, findings, item

import govdisclosure as gd
from govdisclosure.audit import audit, data_since, load_profile
from govdisclosure.audit.annual import annual_report, render_annual
from govdisclosure.audit.evaluate import evaluate, evaluations_toml
from govdisclosure.cli import cli

D = dt.date
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "jilin-2002"


@pytest.fixture(name="example", scope="module")
def fixture_example() -> gd.Catalog:
    """The bundled example, whose records are of 2002."""
    return gd.load_catalog(EXAMPLE)


# -- the audit: records that did not exist yet ---------------------------------------------


def test_a_day_before_the_catalogue_data_begin_judges_nothing(example: gd.Catalog) -> None:
    """As of 1999 the example (of 2002) holds nothing: no finding on an undated window
    (pol-w02) or agency, no record counted."""
    since = data_since(example)
    assert since is not None
    assert since.date() == D(2002, 1, 21)
    report = audit(example, as_of=D(1999, 12, 31))
    assert report.findings == ()
    assert report.summary.records == 0


def test_undated_records_stand_while_the_catalogue_holds_data() -> None:
    """An undated window is judged from the day of the catalogue's first dated record in
    force on (a draft is no data); a catalogue without any dated record, on any day."""
    hall = gd.ServiceHall(id="hall", agency="dept", name="大厅")
    window = gd.ServiceWindow(id="w", agency="dept", hall="hall", number="1",
                              name="窗口")  # undated, without badges or first-inquiry officer
    draft = gd.Disclosure(id="d", agency="gov", title="x", category="policy", status="draft",
                          issued_at=at("2001-03-01"))
    dated = gd.Catalog(records=[*AGENCIES, hall, window, draft,
                                item(issued_at=at("2002-01-07"))], meta=META)
    undated = gd.Catalog(records=[*AGENCIES, hall, window], meta=META)
    code = "window.incomplete"
    assert not [f for f in audit(dated, as_of=D(2001, 12, 31)).findings if f.code == code]
    assert [f for f in audit(dated, as_of=D(2002, 1, 7)).findings if f.code == code]
    assert data_since(undated) is None
    assert [f for f in audit(undated, as_of=D(1990, 1, 1)).findings if f.code == code]


def test_audit_of_a_day_without_data_exits_zero_with_a_warning() -> None:
    """`audit --as-of` a day before the data: no findings, exit 0, and a warning (stderr,
    or the JSON document's `warnings`) that nothing was judged."""
    runner = CliRunner()
    text = runner.invoke(cli, ["audit", str(EXAMPLE), "--as-of", "1999-12-31"])
    assert text.exit_code == 0, text.output
    assert "window.incomplete" not in text.stdout
    assert "no data on or before 1999-12-31" in text.stderr
    assert "2002-01-21" in text.stderr
    data = json.loads(runner.invoke(cli, ["audit", str(EXAMPLE), "--as-of", "1999-12-31",
                                          "--json"]).stdout)
    assert (data["findings"], data["summary"]["records"]) == ([], 0)
    assert len(data["warnings"]) == 1
    later = json.loads(runner.invoke(cli, ["audit", str(EXAMPLE), "--as-of", "2002-12-31",
                                           "--json"]).stdout)
    assert later["warnings"] == []


# -- the annual report: no data versus a true zero -------------------------------------------


def test_a_year_without_data_says_so_in_every_section(example: gd.Catalog) -> None:
    """1999: no zeros, no balanced 0 + 0 = 0 + 0, no findings of 2002's records; each
    section says "no data", in both languages and formats."""
    data = annual_report(example, 1999, "en")
    assert data["data"] is False
    assert all(value is None for _, value in [*data["overview"], *data["decisions"],
                                              *data["documents"], *data["improvements"],
                                              *data["other"]])
    assert (data["applications"], data["findings"], data["finding_examples"]) == (None, None,
                                                                                   [])
    for language in ("en", "zh-CN"):
        context = annual_report(example, 1999, language)
        labels = context["labels"]
        for fmt in ("markdown", "html"):
            text = render_annual(context, fmt)
            assert context["no_data_year"] in text
            assert labels["check"] not in text
            assert labels["no_findings"] not in text
            assert "window.incomplete" not in text
            assert "| 0 |" not in text
            assert ">0<" not in text
            assert text.count(labels["none"]) >= 20


def test_rows_with_data_count_true_zeros_and_the_others_say_no_data() -> None:
    """2002 of a catalogue with a regulation of 2001, cases of 2002 and a call of 2003:
    the regulation row counts 0 issued (a true zero), the call is no data yet."""
    records = (gd.Disclosure(id="reg", agency="gov", category="regulation", title="R",
                             issued_at=at("2001-06-01")),
               gd.HotlineCall(id="call", agency="gov", hotline="hl-gov",
                              received_at=at("2003-01-10"), accepted=True),
               case("c1", "2002-03-04", "2002-03-08"))
    data = annual_report(catalog(*records), 2002, "en")
    labels = data["labels"]
    overview = dict(data["overview"])
    assert overview[labels["disclosures"]] == 0
    assert overview[labels["hotline_calls"]] is None
    assert dict(data["documents"]) == {labels["regulation"]: {
        "issued": 0, "abolished": 0, "in_force": 1}, labels["policy"]: None}
    assert dict(data["decisions"]) == {labels["permit"]: 1, labels["penalty"]: None}
    assert data["applications"]["received"] == 1
    assert data["findings"] == []
    assert data["data"] is True
    text = render_annual(data)
    assert labels["no_findings"] in text
    assert data["no_data_year"] not in text
    assert f"| {labels['hotline_calls']} | no data |" in text
    assert f"| {labels['disclosures']} | 0 |" in text
    # 2001: the regulation is there; the item and its case are not yet
    earlier = annual_report(catalog(*records), 2001, "en")
    assert dict(earlier["documents"])[labels["regulation"]] == {
        "issued": 1, "abolished": 0, "in_force": 1}
    assert dict(earlier["decisions"])[labels["permit"]] is None
    assert earlier["applications"] is None


def test_a_later_record_does_not_erase_a_withdrawn_regulation_s_years() -> None:
    """A regulation issued in 2015 and abolished (withdrawn) in 2016 is data of both years,
    whether or not the catalogue holds a later record too."""
    regulation = gd.Disclosure(id="reg", agency="gov", category="regulation", title="R",
                               issued_at=at("2015-03-01"), status="withdrawn",
                               withdrawn=gd.Withdrawal(on=D(2016, 5, 1), reason="废止"))
    later = gd.Disclosure(id="news", agency="gov", category="other", title="N",
                          issued_at=at("2018-01-01"))
    for records in ((regulation,), (regulation, later)):
        rows = {}
        for year in (2015, 2016):
            data = annual_report(catalog(*records), year, "en")
            rows[year] = dict(data["documents"])[data["labels"]["regulation"]]
        assert rows == {2015: {"issued": 1, "abolished": 0, "in_force": 1},
                        2016: {"issued": 0, "abolished": 1, "in_force": 0}}, records


def test_a_draft_is_no_data_for_its_row() -> None:
    """A draft hotline call does not turn the calls row's "no data" into a 0."""
    draft = gd.HotlineCall(id="call", agency="gov", hotline="hl-gov", status="draft",
                           received_at=at("2002-01-10"), accepted=True)
    data = annual_report(catalog(draft, case("c1", "2002-03-04", "2002-03-08")), 2002, "en")
    assert dict(data["overview"])[data["labels"]["hotline_calls"]] is None


def test_report_annual_of_a_year_without_data_exits_zero_with_a_warning(
        tmp_path: Path) -> None:
    """The command prints the report saying "no data", exits 0 and warns; with --json the
    figures are null and the warning is in `warnings`."""
    runner = CliRunner()
    printed = runner.invoke(cli, ["report", "annual", str(EXAMPLE), "--year", "1999"])
    assert printed.exit_code == 0, printed.output
    assert "本年新收申请数量" not in printed.stdout
    assert "| 主动公开信息 | 无数据 |" in printed.stdout
    assert "no data on or before 1999-12-31" in printed.stderr
    result = runner.invoke(cli, ["report", "annual", str(EXAMPLE), "--year", "1999", "--json"])
    data = json.loads(result.stdout)
    assert data["report"]["data"] is False
    assert data["report"]["applications"] is None
    assert {value for _, value in data["report"]["overview"]} == {None}
    assert len(data["warnings"]) == 1
    written = runner.invoke(cli, ["report", "annual", str(EXAMPLE), "--year", "1999",
                                  "--format", "html", "--out", str(tmp_path), "--json"])
    assert written.exit_code == 0
    assert len(json.loads(written.stdout)["warnings"]) == 1
    html = (tmp_path / "annual-report-1999.en.html").read_text(encoding="utf-8")
    assert 'class="n">0<' not in html


# -- the evaluation: no data is no score -----------------------------------------------------


def test_a_year_without_data_evaluates_no_agency(example: gd.Catalog) -> None:
    """1800: every agency is listed, none scored, ranked or a model unit, and no
    evaluation record is drafted."""
    drafts = evaluate(example, 1800)
    assert len(drafts) == len(example.of_type(gd.Agency))
    assert not any(d.evaluated or d.model_unit for d in drafts)
    assert {(d.score, d.rank) for d in drafts} == {(None, None)}
    assert drafts[0].to_dict()["evaluated"] is False
    profile = load_profile("cn-jilin-2002")
    assert "[[evaluation]]" not in evaluations_toml(drafts, profile)
    with pytest.raises(ValueError, match="not evaluated"):
        drafts[0].to_record(profile)


def test_an_agency_without_data_is_not_evaluated_in_a_year_with_data() -> None:
    """2002: the office owns nothing and has no finding: not evaluated (listed last); the
    township owns nothing either but has no hotline (hotline.missing): evaluated."""
    hotlines = [h for h in HOTLINES if h.agency != "town"]
    loaded = gd.Catalog(records=[*AGENCIES, *hotlines, item()], meta=META)
    drafts = {d.agency: d for d in evaluate(loaded, 2002)}
    assert not drafts["office"].evaluated
    assert list(drafts)[-1] == "office"
    assert drafts["town"].evaluated
    assert [d.finding.code for d in drafts["town"].deductions] == ["hotline.missing"]
    assert drafts["gov"].score == 100
    assert drafts["gov"].model_unit
    assert not findings(code="hotline.missing")  # the town has its hotline in catalog()


def test_evaluate_of_a_year_without_data_writes_nothing(tmp_path: Path) -> None:
    """`evaluate --year 1800 --write DIR`: exit 0, a warning, no file; the table says
    "no data" and names no model unit."""
    runner = CliRunner()
    result = runner.invoke(cli, ["evaluate", str(EXAMPLE), "--year", "1800", "--write",
                                 str(tmp_path / "drafts")], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "drafts").exists()
    assert "no data" in result.stdout
    assert "yes" not in result.stdout
    assert "nothing written" in result.stderr
    data = json.loads(runner.invoke(cli, ["evaluate", str(EXAMPLE), "--year", "1800",
                                          "--json"]).stdout)
    assert {(e["evaluated"], e["score"], e["rank"], e["model_unit"])
            for e in data["evaluations"]} == {(False, None, None, False)}
    assert data["written"] is None
    assert len(data["warnings"]) == 1


def test_the_evaluate_warning_says_which_kind_of_no_data(example: gd.Catalog) -> None:
    """Before the data begin the warning says so (with the first record's day); after it,
    that no agency has data that year (only withdrawn records, say), not "no data on or
    before"."""
    from govdisclosure.cli import _no_data

    before = _no_data(example, D(1800, 12, 31), "evaluated")
    assert before.startswith("the catalogue holds no data on or before 1800-12-31 (its "
                             "first record dates from 2002-01-21)")
    after = _no_data(example, D(2003, 12, 31), "evaluated")
    assert after == ("no agency has data by 2003-12-31 (a record in force or a finding): "
                     "none is evaluated")
