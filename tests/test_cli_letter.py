"""The command line to the letter of INTERFACE.md: --json, --debug, configuration, serve."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import Result
from tests.test_cli import fixture_skeleton, invoke, run  # noqa: F401 - the skeleton fixture

import govdisclosure as gd
from govdisclosure.publishers.kiosk import KioskPublisher
from govdisclosure.publishing.config import load_config


def test_report_annual_json_prints_one_json_document(example_path: Path) -> None:
    """report annual --json (without --out) prints one JSON document, not Markdown."""
    result = invoke("report", "annual", str(example_path), "--year", "2002", "--json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["ok"], data["year"], data["language"], data["format"]) == (
        True, 2002, "zh-CN", "markdown")
    assert data["document"].startswith("# 2002年政府信息公开工作年度报告")
    assert data["report"]["year"] == 2002


def test_debug_keeps_the_exit_code_of_unusable_input(tmp_path: Path) -> None:
    """--debug prints the traceback and still exits 2 for unusable input."""
    done = run("validate", str(tmp_path), "--debug")

    assert done.returncode == 2
    assert "Traceback (most recent call last)" in done.stderr
    assert "CatalogError" in done.stderr


def test_audit_report_is_its_findings(example_path: Path) -> None:
    """gd.audit's result iterates over its findings and has their number as its length."""
    findings = gd.audit(gd.load_catalog(example_path), as_of=dt.date(2002, 12, 31))

    assert list(findings) == list(findings.findings)
    assert len(findings) == len(findings.findings) > 0
    assert findings.summary.as_of == dt.date(2002, 12, 31)  # the attributes stay


class Case(NamedTuple):
    """A govdisclosure.toml that is unusable, and what the error must name."""

    text: str
    names: str


BAD_CONFIGS = {
    "not-toml": Case("bad toml [\n", "not valid TOML"),
    "misspelt-publish": Case("[publsh]\n", "publsh"),
    "unknown-publish-key": Case('[publish]\ntoo = ["site"]\n', "publish.too"),
    "unknown-publisher-table": Case("[publish.sitee]\nlimit = 1\n", "sitee"),
    "to-not-names": Case("[publish]\nto = [1, 2]\n", "publish.to"),
    "to-a-number-among-names": Case('[publish]\nto = ["site", 3]\n', 'publish.to: must be a '
                                    'list of publisher names, like ["site", "feeds"], or one '
                                    'string of them separated by commas'),
    "to-empty-list": Case("[publish]\nto = []\n", "publish.to: names no publisher"),
    "to-empty-string": Case('[publish]\nto = " , "\n', "publish.to: names no publisher"),
    "out-not-a-string": Case("[publish]\nout = 5\n", "publish.out"),
    "uninstalled-publisher": Case('[publish]\nto = ["nope"]\n', "nope"),
    "bad-option": Case("[publish.feeds]\nlimt = 3\n", "publish.feeds.limt: unknown key (known: "),
    "publisher-not-a-table": Case("[publish]\nfeeds = 5\n", "publish.feeds: must be a table of "
                                  "the feeds publisher's options ([publish.feeds]), not 5"),
}


@pytest.mark.parametrize("case", BAD_CONFIGS.values(), ids=BAD_CONFIGS.keys())
def test_validate_checks_the_configuration(skeleton: Path, case: Case) -> None:
    """validate exits 2 on an unusable govdisclosure.toml, naming the file and the key."""
    (skeleton / "govdisclosure.toml").write_text(case.text, encoding="utf-8")

    result = invoke("validate", str(skeleton))

    assert result.exit_code == 2, result.output
    assert "govdisclosure.toml" in result.stderr
    assert case.names in result.stderr
    assert "internal error" not in result.stderr


def test_validate_json_lists_configuration_problems(skeleton: Path) -> None:
    """validate --json lists the configuration's problems like a catalogue's."""
    (skeleton / "govdisclosure.toml").write_text('[publish]\ntoo = 1\n', encoding="utf-8")

    result = invoke("validate", str(skeleton), "--json")

    assert result.exit_code == 2
    problems = json.loads(result.stdout)["problems"]
    assert [(p["file"], p["field"]) for p in problems] == [("govdisclosure.toml",
                                                            "publish.too")]


@pytest.mark.parametrize("command", ["validate", "publish"])
def test_catalogue_and_configuration_problems_are_listed_together(
        skeleton: Path, tmp_path: Path, command: str) -> None:
    """A broken record and a broken govdisclosure.toml are reported in one list, by
    validate and by publish alike (not one round for each)."""
    (skeleton / "records" / "bad.toml").write_text("x\n", encoding="utf-8")
    (skeleton / "govdisclosure.toml").write_text("[publsh]\n", encoding="utf-8")

    result = invoke(command, str(skeleton),
                    *(["--out", str(tmp_path / "out")] if command == "publish" else []))

    assert result.exit_code == 2
    assert "records/bad.toml" in result.stderr
    assert "govdisclosure.toml: publsh: unknown key" in result.stderr


@pytest.mark.parametrize("case", BAD_CONFIGS.values(), ids=BAD_CONFIGS.keys())
def test_publish_refuses_an_unusable_configuration(skeleton: Path, tmp_path: Path,
                                                   case: Case) -> None:
    """publish exits 2 with a message on the same files, never an internal error."""
    (skeleton / "govdisclosure.toml").write_text(case.text, encoding="utf-8")

    result = invoke("publish", str(skeleton), "--dry-run", "--out", str(tmp_path / "out"))

    assert result.exit_code == 2, result.output
    assert case.names in result.stderr
    assert "internal error" not in result.stderr


def test_load_config_names_the_file_and_the_unknown_key(tmp_path: Path) -> None:
    """An unknown key in [publish] is a ConfigError naming the file and carrying the key."""
    (tmp_path / "govdisclosure.toml").write_text('[publish]\ntoo = ["site"]\n',
                                                 encoding="utf-8")

    with pytest.raises(gd.ConfigError) as raised:
        load_config(tmp_path)

    assert str(tmp_path / "govdisclosure.toml") in str(raised.value)
    assert raised.value.key == "too"


def test_a_publisher_table_is_known_when_the_publisher_is_given_as_a_class(
        tmp_path: Path) -> None:
    """load_config(also=...) accepts tables of publishers passed as classes."""
    (tmp_path / "govdisclosure.toml").write_text("[publish.echo]\nfail = []\n",
                                                 encoding="utf-8")

    assert load_config(tmp_path, also=["echo"]) == {"echo": {"fail": []}}
    with pytest.raises(gd.ConfigError, match="no publisher named 'echo'"):
        load_config(tmp_path)


def test_to_may_be_a_string_of_names(skeleton: Path, tmp_path: Path) -> None:
    """`to = "site"` names one publisher, not one per letter; commas separate names."""
    (skeleton / "govdisclosure.toml").write_text('[publish]\nto = "feeds, site"\n',
                                                 encoding="utf-8")
    assert load_config(skeleton)["to"] == ["feeds", "site"]
    (skeleton / "govdisclosure.toml").write_text('[publish]\nto = "site"\n', encoding="utf-8")

    assert load_config(skeleton)["to"] == ["site"]
    result = invoke("publish", str(skeleton), "--dry-run", "--json",
                    "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert [p["name"] for p in json.loads(result.stdout)["publishers"]] == ["site"]
    assert invoke("validate", str(skeleton)).exit_code == 0


def published_names(result: Result) -> list[str]:
    """The publishers of a ``publish --json`` run, in its order."""
    assert result.exit_code == 0, result.output
    return [p["name"] for p in json.loads(result.stdout)["publishers"]]


TWICE = {
    "to-option": ('', ["--to", "feeds,site,feeds"]),
    "to-options": ('', ["--to", "feeds", "--to", "site,feeds"]),
    "to-in-the-file": ('[publish]\nto = ["feeds", "site", "feeds"]\n', []),
}


@pytest.mark.parametrize(("config", "args"), TWICE.values(), ids=TWICE.keys())
def test_a_publisher_named_twice_runs_once(skeleton: Path, tmp_path: Path, config: str,
                                           args: list[str]) -> None:
    """A publisher named twice runs once, in its first place, on a dry run as on a real
    one, and the ledger holds one receipt per record and target."""
    (skeleton / "govdisclosure.toml").write_text(config, encoding="utf-8")
    out = str(tmp_path / "out")

    dry = invoke("--json", "publish", str(skeleton), "--out", out, "--dry-run", *args)
    real = invoke("--json", "publish", str(skeleton), "--out", out, *args)

    assert published_names(dry) == published_names(real) == ["feeds", "site"]
    shown = json.loads(invoke("--json", "ledger", "show", "first-announcement", "--out",
                              out).stdout)
    assert sorted(r["target"] for r in shown["receipts"]) == ["feeds", "site"]


def test_validate_warns_of_a_publisher_named_twice_in_the_file(skeleton: Path) -> None:
    """`to` naming a publisher twice passes validate with a warning: publish runs it once."""
    (skeleton / "govdisclosure.toml").write_text('[publish]\nto = ["site", "feeds", "site"]\n',
                                                 encoding="utf-8")

    result = invoke("--json", "validate", str(skeleton))

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["warnings"] == [
        "govdisclosure.toml: publish.to: 'site' is named 2 times; publish runs it once"]


def test_to_given_twice_publishes_both(skeleton: Path, tmp_path: Path) -> None:
    """`--to site --to feeds` is `--to site,feeds`; a repeated --to naming nothing is a
    usage error."""
    out = str(tmp_path / "out")

    result = invoke("--json", "publish", str(skeleton), "--dry-run", "--out", out,
                    "--to", "site", "--to", "feeds")

    assert published_names(result) == ["site", "feeds"]
    refused = invoke("publish", str(skeleton), "--dry-run", "--out", out, "--to", "site",
                     "--to", " , ")
    assert refused.exit_code == 2
    assert "Invalid value for '--to': names no publisher" in refused.stderr


OUTSIDE = {
    "to-option": ("[publish.feeds]\nlimt = 1\n", ["--to", "site"]),
    "to-in-the-file": ('[publish]\nto = ["site"]\n\n[publish.kiosk]\nidle_timeout_s = "x"\n',
                       []),
}


@pytest.mark.parametrize(("config", "args"), OUTSIDE.values(), ids=OUTSIDE.keys())
def test_publish_refuses_a_wrong_table_outside_its_run(skeleton: Path, tmp_path: Path,
                                                       config: str, args: list[str]) -> None:
    """A wrong table of an installed publisher that the run does not publish refuses the
    run with validate's problems, before anything is written."""
    (skeleton / "govdisclosure.toml").write_text(config, encoding="utf-8")

    result = invoke("--json", "publish", str(skeleton), "--out", str(tmp_path / "out"), *args)
    validated = invoke("--json", "validate", str(skeleton))

    assert (result.exit_code, validated.exit_code) == (2, 2), result.output
    assert json.loads(result.stdout)["problems"] == json.loads(validated.stdout)["problems"]
    assert not (tmp_path / "out").exists()


def test_a_wrong_publish_key_hides_no_wrong_table(skeleton: Path, tmp_path: Path) -> None:
    """validate and publish list every problem of the file at once: wrong [publish] keys
    and the wrong tables of its publishers."""
    (skeleton / "govdisclosure.toml").write_text(
        '[publish]\nout = 5\ntoo = 1\n\n[publish.feeds]\nlimt = 1\n\n'
        '[publish.kiosk]\nidle_timeout_s = "x"\n', encoding="utf-8")
    fields = ["publish.out", "publish.too", "publish.feeds.limt", "publish.kiosk.idle_timeout_s"]

    for args in (["validate"], ["publish", "--dry-run", "--out", str(tmp_path / "out")]):
        result = invoke("--json", args[0], str(skeleton), *args[1:])

        assert result.exit_code == 2, result.output
        assert [p["field"] for p in json.loads(result.stdout)["problems"]] == fields


@pytest.fixture(name="busy_port")
def fixture_busy_port() -> Iterator[int]:
    """A port on 127.0.0.1 that another socket is listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_serve_on_a_busy_port_is_a_user_error(tmp_path: Path, busy_port: int) -> None:
    """serve on a port in use exits 2 with a plain message, not an internal error."""
    done = run("serve", str(tmp_path), "--port", str(busy_port))

    assert done.returncode == 2
    assert f"127.0.0.1:{busy_port}" in done.stderr
    assert "already in use" in done.stderr
    assert "internal error" not in done.stderr
    assert "Traceback" not in done.stderr


@contextlib.contextmanager
def serving(directory: Path) -> Iterator[str]:
    """Run `govdisclosure serve DIR --port 0` in a real process; yield its base URL."""
    with subprocess.Popen(
            [sys.executable, "-m", "govdisclosure", "serve", str(directory), "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"}) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert "http://127.0.0.1:" in line, line
            yield line.split(" on ", 1)[1].strip()
        finally:
            process.terminate()
            process.wait(timeout=30)


def get(url: str) -> tuple[int, str]:
    """The status and body of a GET request."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


NOT_FOUND = "<!DOCTYPE html><title>not here</title><p>Page not found.</p>\n"


@pytest.mark.parametrize("where", ["404.html", "site/404.html"],
                         ids=["site-folder", "output-root"])
def test_serve_answers_a_missing_page_with_the_sites_404(tmp_path: Path, where: str) -> None:
    """serve answers a missing URL with the site's 404.html and status 404."""
    (tmp_path / where).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / where).write_text(NOT_FOUND, encoding="utf-8")
    (tmp_path / "here.txt").write_text("here", encoding="utf-8")

    with serving(tmp_path) as base:
        assert get(base + "here.txt") == (200, "here")
        assert get(base + "no/such/page.html") == (404, NOT_FOUND)


def test_serve_asks_browsers_to_revalidate_every_file(tmp_path: Path) -> None:
    """A preview changes under the browser (a publish, a kiosk rollback to older files):
    ``Cache-Control: no-cache`` on every answer, so no stale copy is served from its
    HTTP cache (a kiosk's service worker filled its new cache with the old files)."""
    (tmp_path / "here.txt").write_text("here", encoding="utf-8")
    with serving(tmp_path) as base, urllib.request.urlopen(base + "here.txt",
                                                          timeout=30) as response:
        assert response.headers["Cache-Control"] == "no-cache"


def test_serve_answers_a_file_older_than_the_browsers_copy(tmp_path: Path) -> None:
    """A file switched in with an older time stamp (a kiosk rollback, or a release made in
    the same second) is sent again, never "304 Not Modified" by date: a kiosk's service
    worker took that for "no new bundle"."""
    (tmp_path / "sw.js").write_text("// the release before", encoding="utf-8")
    os.utime(tmp_path / "sw.js", (0, 0))
    with serving(tmp_path) as base, urllib.request.urlopen(urllib.request.Request(
            base + "sw.js", headers={"If-Modified-Since": "Sun, 01 Jan 2023 00:00:00 GMT"}),
            timeout=30) as response:
        assert response.status == 200
        assert response.read() == b"// the release before"


def test_serve_never_serves_the_state_or_replaced_releases(example_path: Path,
                                                            tmp_path: Path) -> None:
    """A record made secret stays readable nowhere: serve answers 404 for
    ``.govdisclosure`` (state store, replaced releases), and each language folder's own
    404 page answers a missing page there."""
    out = tmp_path / "out"
    for _ in range(2):  # two runs: a replaced release exists
        assert invoke("publish", str(example_path), "--to", "site", "--out", str(out),
                      "--as-of", "2002-12-31").exit_code == 0
    hidden = [p.relative_to(out).as_posix() for p in (out / ".govdisclosure").rglob("*")
              if p.is_file()]
    assert "state.sqlite" in [Path(p).name for p in hidden]
    with serving(out) as base:
        for path in hidden[:20]:
            assert get(base + urllib.request.quote(path))[0] == 404, path
        assert get(base + "%2Egovdisclosure/state.sqlite")[0] == 404
        status, listing = get(base)  # the root has no index.html: a listing
        assert status == 200
        assert "site/" in listing
        assert ".govdisclosure" not in listing
        assert get(base + "site/en/index.html")[0] == 200
        status, page = get(base + "site/en/disclosures/nope.html")
        assert status == 404
        assert page == (out / "site" / "en" / "404.html").read_text(encoding="utf-8")
        assert page != (out / "site" / "404.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("base", ["https://gk.example.gov.cn/", "https://gov.example/portal/"],
                         ids=["host-root", "with-path"])
def test_serve_leads_the_sites_404_page_somewhere(example_path: Path, tmp_path: Path,
                                                  base: str) -> None:
    """The 404 page links from the base URL's path (not to the production host), and
    serve serves the site there too: every link of the 404 page it answers with works in
    the preview, whether it serves the output folder or the site folder."""
    catalog = tmp_path / "catalog"
    shutil.copytree(example_path, catalog)
    toml = catalog / "catalog.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'base_url = "https://gk.example.gov.cn/"', f'base_url = "{base}"'), encoding="utf-8")
    out = tmp_path / "out"
    assert invoke("publish", str(catalog), "--to", "site", "--out", str(out),
                  "--as-of", "2002-12-31").exit_code == 0
    path = base.removeprefix("https://").partition("/")[2]  # "" or "portal/"
    from lxml import html

    for served, missing in ((out, "site/en/disclosures/nope.html"),
                            (out / "site", "zh-CN/nope.html"),
                            (out, f"{path}en/nope/deeper.html")):
        with serving(served) as url:
            status, body = get(url + missing)
            assert status == 404
            hrefs = html.fromstring(body).xpath("//a/@href")
            assert f"/{path}en/index.html" in hrefs
            links = [h for h in hrefs if not h.startswith(("mailto:", "#"))]
            assert links
            assert not [h for h in links if "example" in h], links
            for href in links:
                status, page = get(url.rstrip("/") + href)
                assert status == 200, (served.name, missing, href)
            status, page = get(url + f"{path}en/index.html")
            assert page == (out / "site" / "en" / "index.html").read_text(encoding="utf-8")


def test_serve_without_a_404_page_still_says_404(tmp_path: Path) -> None:
    """Without a 404.html a missing URL still gets status 404."""
    with serving(tmp_path) as base:
        assert get(base + "missing.html")[0] == 404


@pytest.mark.parametrize("text", ["", "# nothing yet\n"], ids=["empty", "comments"])
def test_a_catalog_toml_without_its_table_is_named(tmp_path: Path, text: str) -> None:
    """An empty catalog.toml is a problem naming the file and the missing table, not
    "0 problems"."""
    (tmp_path / "catalog.toml").write_text(text, encoding="utf-8")

    result = invoke("--json", "validate", str(tmp_path))

    assert result.exit_code == 2
    (problem,) = json.loads(result.stdout)["problems"]
    assert (problem["file"], problem["field"]) == ("catalog.toml", "catalog")
    assert "missing [catalog] table" in problem["message"]


@pytest.mark.parametrize("below", ["", "sub"], ids=["the-file", "below-it"])
def test_init_onto_a_file_is_a_user_error(tmp_path: Path, below: str) -> None:
    """init where a file is (or would be a parent folder) says so and exits 2."""
    (tmp_path / "taken").write_text("x", encoding="utf-8")

    done = run("init", str(tmp_path / "taken" / below))

    assert done.returncode == 2
    assert "internal error" not in done.stderr
    assert "taken" in done.stderr


@pytest.mark.parametrize("args", [
    ["publish", "{catalog}", "--as-of", "yesterday"],
    ["audit", "{catalog}", "--profile-that-is-not-there"],
    ["init", "{tmp}/taken/sub"],
], ids=["bad-value", "unknown-option", "usage-error"])
def test_json_usage_errors_are_one_json_document(example_path: Path, tmp_path: Path,
                                                 args: list[str]) -> None:
    """With --json, a usage error too prints one JSON document (exit 2), not click's text."""
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    filled = [a.format(catalog=example_path, tmp=tmp_path) for a in args]

    done = run("--json", *filled)

    assert done.returncode == 2
    data = json.loads(done.stdout)
    assert (data["ok"], data["problems"]) == (False, [])
    assert data["message"]


def test_serve_json_announces_itself_in_one_json_document(tmp_path: Path) -> None:
    """serve --json prints one JSON document with the URL when it starts serving."""
    (tmp_path / "here.txt").write_text("here", encoding="utf-8")
    with subprocess.Popen(
            [sys.executable, "-m", "govdisclosure", "--json", "serve", str(tmp_path),
             "--port", "0"], stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            lines = [process.stdout.readline()]
            while lines[-1] not in ("}\n", ""):
                lines.append(process.stdout.readline())
            data = json.loads("".join(lines))
            assert (data["ok"], data["serving"]) == (True, str(tmp_path))
            assert get(data["url"] + "here.txt") == (200, "here")
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_a_refused_publish_writes_nothing(example_path: Path, tmp_path: Path) -> None:
    """An output root whose target is a stray file is refused before the state store or
    any release is made."""
    (tmp_path / "site").write_text("not ours", encoding="utf-8")

    result = invoke("publish", str(example_path), "--out", str(tmp_path), "--as-of",
                    "2002-12-31")

    assert result.exit_code == 2
    assert "not managed by govdisclosure" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_as_of_reads_every_spelling_of_a_date_as_the_whole_day(example_path: Path,
                                                               tmp_path: Path) -> None:
    """--as-of 20021231 and 2002-12-31 are the same day: its end in the catalogue zone."""
    moments = set()
    for spelling in ("2002-12-31", "20021231"):
        result = invoke("--json", "publish", str(example_path), "--dry-run", "--as-of",
                        spelling, "--out", str(tmp_path / spelling))
        assert result.exit_code == 0, result.output
        moments.add(json.loads(result.stdout)["as_of"])
    assert moments == {"2002-12-31T23:59:59+08:00"}


def test_publish_names_the_configuration_file_of_a_bad_option(skeleton: Path,
                                                               tmp_path: Path) -> None:
    """An unknown key in a [publish.NAME] table fails publish with the file's path, the
    key, and the command that lists the options."""
    (skeleton / "govdisclosure.toml").write_text("[publish.feeds]\nlimitt = 5\n",
                                                 encoding="utf-8")

    result = invoke("publish", str(skeleton), "--out", str(tmp_path / "out"))

    assert result.exit_code == 2
    assert f"{skeleton / 'govdisclosure.toml'}: publish.feeds.limitt: unknown key" \
        in result.stderr
    assert "govdisclosure publishers" in result.stderr


def test_ledger_verify_json_failure_has_the_shape_of_every_error(example_path: Path,
                                                                 tmp_path: Path) -> None:
    """A broken chain under --json is {ok, error, message, problems}, like other errors."""
    assert invoke("publish", str(example_path), "--out", str(tmp_path), "--as-of",
                  "2002-12-31").exit_code == 0
    with sqlite3.connect(tmp_path / ".govdisclosure" / "state.sqlite") as db:
        db.execute("UPDATE ledger SET action = 'updated' WHERE seq = 1")

    result = invoke("--json", "ledger", "verify", "--out", str(tmp_path))

    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["ok"], data["error"], data["problems"]) == (False, "LedgerError", [])
    assert "row 1" in data["message"]


def test_loads_refuses_text_that_is_not_json() -> None:
    """gd.loads raises CatalogError, never the JSON parser's own error."""
    with pytest.raises(gd.CatalogError, match="not valid JSON"):
        gd.loads("{nope")


def test_the_configuration_example_of_interface_md_validates_and_publishes(
        tmp_path: Path, example_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """INTERFACE.md's own govdisclosure.toml (but the WebSub hub, which tests do not reach)
    publishes the example with the five publishers it names, the kiosk for the hall it
    names; its webhook table validates where the secret's variable is not set (only a run
    of the webhook needs it), and running the webhook there is a configuration error
    (exit 2) that writes nothing."""
    root = tmp_path / "cat"
    shutil.copytree(example_path, root)
    (root / "govdisclosure.toml").write_text(
        '[publish]\nto = ["site", "feeds", "kiosk", "news", "ocds"]\nout = "public"\n\n'
        '[publish.feeds]\nlimit = 50\n\n'
        '[publish.kiosk]\nhall = "changchun-government-affairs-hall"\nidle_timeout_s = 90\n\n'
        '[[publish.webhook.endpoints]]\nurl = "https://cms.example.gov.cn/hooks/disclosure"\n'
        'secret_env = "CMS_HOOK_SECRET"\n', encoding="utf-8")
    monkeypatch.delenv("CMS_HOOK_SECRET", raising=False)
    assert invoke("validate", str(root)).exit_code == 0
    out = tmp_path / "out"
    result = invoke("--json", "publish", str(root), "--out", str(out), "--as-of", "2002-12-31")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [p["name"] for p in data["publishers"]] == ["site", "feeds", "kiosk", "news", "ocds"]
    assert [p.name for p in (out / "kiosk" / "bags").iterdir()] == [
        "changchun-government-affairs-hall"]
    result = invoke("publish", str(root), "--to", "webhook", "--out", str(out))
    assert result.exit_code == 2
    assert "endpoints[0].secret_env" in result.output
    assert not (out / "webhook").exists()


def test_every_json_document_says_ok_as_its_exit_code_does(example_path: Path,
                                                            tmp_path: Path) -> None:
    """Scripts read ``ok`` of any command's --json document: false exactly when the exit
    code is not 0 (the example has findings at error level, so audit exits 1)."""
    out, year = str(tmp_path / "out"), ["--year", "2002"]
    catalog = str(example_path)
    commands = [
        ["init", str(tmp_path / "new")],
        ["validate", catalog],
        ["publishers"],
        ["publish", catalog, "--to", "feeds", "--out", out, "--as-of", "2002-12-31"],
        ["ledger", "verify", "--out", out],
        ["ledger", "show", "accountability_record:acc-2002-001", "--out", out],
        ["webhook", "outbox", "--out", out],
        ["audit", catalog, "--as-of", "2002-12-31"],
        ["audit", catalog, "--as-of", "2002-06-30", "--profile", "generic"],
        ["evaluate", catalog, *year],
        ["report", "annual", catalog, *year],
        ["validate", str(tmp_path / "missing")],
    ]
    seen = set()
    for command in commands:
        result = invoke(*command, "--json")
        data = json.loads(result.stdout)
        assert data["ok"] is (result.exit_code == 0), (command, result.exit_code)
        seen.add(result.exit_code)
    assert seen == {0, 1, 2}
    # the audit's own JSON format is the same document
    formatted = invoke("audit", catalog, "--as-of", "2002-12-31", "--format", "json")
    assert json.loads(formatted.stdout)["ok"] is (formatted.exit_code == 0)


def test_as_of_reads_datetimes_as_catalogue_files_spell_them(example_path: Path,
                                                              tmp_path: Path) -> None:
    """RFC 3339 allows a lower-case t and z (5.6), as the catalogue loader reads them; a
    leap second is refused with the reason, not as "not a datetime"."""
    lower = invoke("publish", str(example_path), "--to", "feeds", "--out", str(tmp_path / "o"),
                   "--dry-run", "--as-of", "2002-12-31t10:00:00z", "--json")
    assert lower.exit_code == 0, lower.output
    assert json.loads(lower.stdout)["as_of"] == "2002-12-31T18:00:00+08:00"
    leap = invoke("publish", str(example_path), "--dry-run", "--as-of", "2002-12-31T23:59:60Z")
    assert leap.exit_code == 2
    assert "leap second" in leap.output


@pytest.mark.parametrize("spelling", [
    "2002-12-31T10", "20021231T100000Z", "2002-12-31T10:00:00+0800", "2002-12-31T10:00:00+08",
    "2002-12-31T10:00:00,5Z", "2002-W01-2T10:00:00Z",
])
def test_as_of_refuses_a_datetime_catalogue_files_may_not_hold(example_path: Path,
                                                               spelling: str) -> None:
    """A datetime for --as-of is read as catalogue files' are: other ISO 8601 spellings
    that Python's fromisoformat reads are a usage error (exit 2) naming the option."""
    result = invoke("audit", str(example_path), "--as-of", spelling)

    assert result.exit_code == 2
    assert f"Invalid value for --as-of: {spelling!r} is not a date or an RFC 3339 " \
        "datetime" in " ".join(result.stderr.split())


def test_a_failing_hub_is_told_once(example_path: Path, tmp_path: Path) -> None:
    """The feeds publisher logs a hub failure; the library leaves logging to its user, so
    the command prints it once, as the report's warning (not also as a bare log line)."""
    catalog = tmp_path / "c"
    shutil.copytree(example_path, catalog)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (catalog / "govdisclosure.toml").write_text(
        f'[publish.feeds]\nhub = "http://127.0.0.1:{port}/"\nhub_retries = 0\n'
        'hub_timeout_s = 2\n', encoding="utf-8")
    done = run("publish", str(catalog), "--to", "feeds", "--out", str(tmp_path / "out"),
               "--as-of", "2002-12-31")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("WebSub hub") == 1, done.stderr


@pytest.mark.skipif(not hasattr(signal, "SIGPIPE"), reason="POSIX signals")
def test_a_reader_that_stops_early_is_not_told_findings() -> None:
    """`govdisclosure schema | head -1`: the command ends by SIGPIPE as Unix tools do, not
    with exit 1 (which means findings at error level or failed records). The schema
    (135 KB) is more than a pipe holds, so the writer meets the closed pipe."""
    with subprocess.Popen([sys.executable, "-m", "govdisclosure", "schema"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as process:
        assert process.stdout is not None
        assert process.stdout.readline().startswith(b"{")
        process.stdout.close()
        assert process.wait(timeout=60) == -signal.SIGPIPE


def test_json_may_follow_a_group_name_too(example_path: Path, tmp_path: Path) -> None:
    """`ledger --json verify` and `report --json annual` as `--json ledger verify` and
    `ledger verify --json`: the shared options go before or after any command name."""
    out = str(tmp_path / "out")
    assert invoke("publish", str(example_path), "--to", "feeds", "--out", out,
                  "--as-of", "2002-12-31").exit_code == 0
    for args in (["ledger", "--json", "verify", "--out", out],
                 ["report", "--json", "annual", str(example_path), "--year", "2002"]):
        result = invoke(*args)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["ok"] is True


def test_the_media_audience_runs_the_configured_publishers_that_serve_it(
        tmp_path: Path, example_path: Path) -> None:
    """``--audience media`` on the example (six publishers configured) runs the news
    publisher, the only one that serves it, and says the others were skipped; asked for
    by name, a publisher that does not serve it is an error (exit 2)."""
    out = tmp_path / "media"
    result = invoke("--json", "publish", str(example_path), "--out", str(out),
                    "--audience", "media", "--as-of", "2002-12-31")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [p["name"] for p in data["publishers"]] == ["news"]
    assert sorted(w.split("'")[1] for w in data["warnings"]
                  if "does not serve" in w) == ["feeds", "kiosk", "ocds", "site", "webhook"]
    result = invoke("publish", str(example_path), "--to", "feeds", "--out",
                    str(tmp_path / "other"), "--audience", "media")
    assert result.exit_code == 2
    assert "does not serve the 'media' audience" in result.stderr


class Misfit(NamedTuple):
    """Publisher options of govdisclosure.toml that do not fit the example catalogue."""

    config: str
    validate: str
    publish: str


MISFITS = {
    "kiosk-hall": Misfit('[publish.kiosk]\nhall = "ghost"\n',
                         "govdisclosure.toml: publish.kiosk: hall: no public service_hall "
                         "'ghost' in this catalogue",
                         "[publish.kiosk] hall: no public service_hall 'ghost' in this "
                         "catalogue"),
    "kiosk-hall-not-in-to": Misfit('[publish]\nto = ["site"]\n\n[publish.kiosk]\n'
                                   'hall = "ghost"\n', "publish.kiosk: hall: no public",
                                   "[publish.kiosk] hall: no public"),
    "site-theme": Misfit('[publish.site]\ntheme = "no-such-theme"\n',
                         "govdisclosure.toml: publish.site: theme: no folder",
                         "[publish.site] theme: no folder"),
}


@pytest.mark.parametrize("case", MISFITS.values(), ids=MISFITS.keys())
def test_options_that_do_not_fit_the_catalogue_fail_validate_and_refuse_the_run(
        tmp_path: Path, example_path: Path, case: Misfit) -> None:
    """A kiosk ``hall`` the catalogue lacks passed ``validate`` and failed ``publish`` at
    the kiosk, after the targets before it were written: it is a problem of the
    configuration (exit 2) that ``validate`` lists, and ``publish`` refuses the run before
    any target runs, whether or not ``to`` names the publisher."""
    root = tmp_path / "cat"
    shutil.copytree(example_path, root)
    (root / "govdisclosure.toml").write_text(case.config, encoding="utf-8")
    result = invoke("validate", str(root))
    assert result.exit_code == 2, result.output
    assert case.validate in result.stderr
    result = invoke("publish", str(root), "--to", "site,feeds,kiosk,news,ocds,webhook",
                    "--out", str(tmp_path / "out"), "--as-of", "2002-12-31")
    assert result.exit_code == 2, result.output
    assert f"error: {case.publish}" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_option_that_fits_the_internal_audience_passes_validate(
        tmp_path: Path, example_path: Path) -> None:
    """A kiosk for a staff hall (``audience = "internal"``): ``validate`` judges an option
    for the widest audience the publisher serves, since ``publish --audience internal``
    runs it; the public run refuses it (exit 2, nothing written)."""
    root = tmp_path / "cat"
    shutil.copytree(example_path, root)
    (root / "records" / "halls" / "staff.toml").write_text(
        '[[service_hall]]\nid = "staff-hall"\nagency = "changchun"\nkind = "department"\n'
        'name = "内部大厅"\naudience = "internal"\n', encoding="utf-8")
    (root / "govdisclosure.toml").write_text(
        '[publish]\nto = ["kiosk"]\n\n[publish.kiosk]\nhall = "staff-hall"\n', encoding="utf-8")
    assert invoke("validate", str(root)).exit_code == 0
    result = invoke("publish", str(root), "--out", str(tmp_path / "internal"),
                    "--audience", "internal", "--as-of", "2002-12-31")
    assert result.exit_code == 0, result.output
    result = invoke("publish", str(root), "--out", str(tmp_path / "public"),
                    "--as-of", "2002-12-31")
    assert result.exit_code == 2
    assert not (tmp_path / "public").exists()


def test_a_theme_folder_this_machine_lacks_is_a_validate_warning_and_refuses_the_run(
        tmp_path: Path, example_path: Path) -> None:
    """An absolute ``theme`` is a folder of the machine, not of the catalogue: missing,
    it is a warning of ``validate`` (as a webhook's secret) and ``publish`` exits 2 before
    any target runs."""
    root = tmp_path / "cat"
    shutil.copytree(example_path, root)
    missing = tmp_path / "themes" / "portal"
    (root / "govdisclosure.toml").write_text(f"[publish.site]\ntheme = {str(missing)!r}\n",
                                             encoding="utf-8")
    result = invoke("--json", "validate", str(root))
    assert result.exit_code == 0, result.output
    [warning] = [w for w in json.loads(result.stdout)["warnings"] if "theme" in w]
    assert warning.startswith(f"govdisclosure.toml: publish.site: theme: no folder "
                              f"{str(missing)!r}")
    result = invoke("publish", str(root), "--to", "feeds,site", "--out", str(tmp_path / "out"),
                    "--as-of", "2002-12-31")
    assert result.exit_code == 2
    assert f"error: site: theme: no folder {str(missing)!r}" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_webhook_without_its_secret_is_a_validate_warning_and_refuses_the_run(
        tmp_path: Path, example_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A configuration that runs the webhook on a machine without its secret: ``validate``
    passes with a warning (the file is right), ``publish`` exits 2 before any target
    runs, so no output appears, not even the site's that comes first."""
    root = tmp_path / "cat"
    shutil.copytree(example_path, root)
    (root / "govdisclosure.toml").write_text(
        '[publish]\nto = ["site", "webhook"]\n\n[[publish.webhook.endpoints]]\n'
        'url = "https://cms.example.gov.cn/hooks"\nsecret_env = "NO_SUCH_HOOK_SECRET"\n',
        encoding="utf-8")
    monkeypatch.delenv("NO_SUCH_HOOK_SECRET", raising=False)
    result = invoke("--json", "validate", str(root))
    assert result.exit_code == 0
    [warning] = [w for w in json.loads(result.stdout)["warnings"] if "webhook" in w]
    assert "NO_SUCH_HOOK_SECRET" in warning
    result = invoke("publish", str(root), "--out", str(tmp_path / "out"), "--as-of",
                    "2002-12-31")
    assert result.exit_code == 2
    assert "NO_SUCH_HOOK_SECRET" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("as_json", [False, True])
def test_publish_into_a_folder_under_a_file_names_the_path(skeleton: Path, tmp_path: Path,
                                                          as_json: bool) -> None:
    """--out under a file is the machine's problem: a message naming the path, exit 2,
    never an internal error."""
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "afile" / "sub"

    result = invoke("publish", str(skeleton), "--out", str(out), *(["--json"] * as_json))

    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output
    if as_json:
        data = json.loads(result.stdout)
        assert (data["ok"], data["error"]) == (False, "NotADirectoryError")
        assert data["message"].startswith(str(out))
        assert data["message"].endswith(": Not a directory")
    else:
        assert str(out) in result.stderr
        assert "Not a directory" in result.stderr
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "not a folder"


def test_a_default_that_does_not_fit_does_not_name_a_missing_file(
        skeleton: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without govdisclosure.toml, a default option that does not fit the catalogue is not
    blamed on a file that is not there. No built-in's defaults misfit a catalogue (a kiosk
    hall of any id gets its bag): a kiosk that says they do stands in for one."""
    (skeleton / "govdisclosure.toml").unlink(missing_ok=True)
    monkeypatch.setattr(KioskPublisher, "check_catalog",
                        lambda self, view: ["hall: a default that does not fit"])

    result = invoke("validate", str(skeleton))

    assert result.exit_code == 2, result.output
    assert "govdisclosure.toml (none: the defaults): publish.kiosk:" in result.stderr


def _without_privileges() -> list[str]:
    """A command prefix that runs without root's power to write read-only files (none
    needed for another user); skips when there is no way to drop it."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a read-only file is writable")
    return [setpriv, "--bounding-set=-all", "--inh-caps=-all"]


def test_a_state_store_that_cannot_be_written_stops_the_run_before_any_switch(
        example_path: Path, tmp_path: Path) -> None:
    """A read-only state store is refused before a release is switched (exit 2, naming
    it): a release switched without its receipts would be public with nothing in the
    ledger to prove when. The ledger can still be verified there."""
    out = tmp_path / "out"
    assert run("publish", str(example_path), "--to", "feeds", "--out", str(out),
               "--as-of", "2002-12-31").returncode == 0
    release = (out / "feeds").resolve()
    store = out / ".govdisclosure" / "state.sqlite"
    store.chmod(0o444)
    done = subprocess.run([*_without_privileges(), sys.executable, "-m", "govdisclosure",
                           "publish", str(example_path), "--to", "feeds", "--out", str(out),
                           "--as-of", "2003-01-31", "--full"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert f"{store}: the state store cannot be written" in done.stderr
    assert "internal error" not in done.stderr
    assert (out / "feeds").resolve() == release
    assert run("ledger", "verify", "--out", str(out)).returncode == 0


def test_a_records_folder_that_cannot_be_read_is_a_problem(example_path: Path,
                                                           tmp_path: Path) -> None:
    """A folder below records/ that cannot be listed is an error naming it (exit 2), not
    skipped: its records would leave every output, with removal receipts."""
    catalogue = tmp_path / "catalogue"
    shutil.copytree(example_path, catalogue)
    (catalogue / "records" / "cases").chmod(0)
    try:
        done = subprocess.run([*_without_privileges(), sys.executable, "-m", "govdisclosure",
                               "validate", str(catalogue)],
                              capture_output=True, text=True, timeout=120, check=False)
    finally:
        (catalogue / "records" / "cases").chmod(0o755)
    assert done.returncode == 2, done.stdout
    assert "records/cases: cannot be read: Permission denied" in done.stderr


AUDIT_ERRORS = {  # (a catalogue folder or an empty one, the arguments)
    "unknown-profile": (True, ["--profile", "nope"]),
    "no-catalogue": (False, ["--as-of", "2002-12-31"]),
    "bad-as-of": (True, ["--as-of", "nope"]),  # a usage error that click raises
    "unknown-option": (True, ["--bogus"]),
}


@pytest.mark.parametrize(("catalogue", "args"), AUDIT_ERRORS.values(), ids=AUDIT_ERRORS.keys())
@pytest.mark.parametrize("spelling", [["--format", "json"], ["--format=json"]])
def test_audit_format_json_gives_errors_as_json_does(example_path: Path, tmp_path: Path,
                                                     catalogue: bool, args: list[str],
                                                     spelling: list[str]) -> None:
    """audit --format json prints an error as the JSON document --json prints, on stdout,
    with the same exit code, not a message on stderr."""
    folder = str(example_path if catalogue else tmp_path)

    as_json = run("audit", folder, *args, "--json")
    as_format = run("audit", folder, *args, *spelling)

    assert as_format.returncode == as_json.returncode == 2, as_format.stderr
    document = json.loads(as_format.stdout)
    assert document == json.loads(as_json.stdout)
    assert document["ok"] is False
    assert as_format.stderr == ""
