"""The command line: validate, schema, init, --version, --debug and publishers."""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import govdisclosure as gd
from govdisclosure import cli as command
from govdisclosure.cli import cli, escape


def invoke(*args: str) -> Result:
    """Run the CLI in-process."""
    return CliRunner().invoke(cli, list(args))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m govdisclosure`` in a real process."""
    return subprocess.run([sys.executable, "-m", "govdisclosure", *args],
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(name="skeleton")
def fixture_skeleton(tmp_path: Path) -> Path:
    """A catalogue made by ``govdisclosure init``."""
    folder = tmp_path / "catalogue"
    assert invoke("init", str(folder)).exit_code == 0
    return folder


def test_init_makes_a_skeleton_that_validates(skeleton: Path) -> None:
    """init DIR writes catalog.toml, an agency and a record, and the result is valid."""
    assert (skeleton / "catalog.toml").is_file()
    catalog = gd.load_catalog(skeleton)
    assert {record.TYPE for record in catalog} == {"agency", "disclosure"}


def test_init_example_copies_the_jilin_example(tmp_path: Path, example_path: Path) -> None:
    """init DIR --example jilin-2002 copies the bundled example, which validates."""
    folder = tmp_path / "jilin"

    result = invoke("init", str(folder), "--example", "jilin-2002")

    assert result.exit_code == 0, result.output
    assert (folder / "catalog.toml").read_bytes() == (example_path / "catalog.toml").read_bytes()
    assert len(gd.load_catalog(folder)) == len(gd.load_catalog(example_path))


def test_the_example_ships_inside_the_package(example_path: Path) -> None:
    """init --example works from an installed wheel: the example lives in the package
    (the repository's examples/jilin-2002 links there) and package-data takes every file."""
    import fnmatch
    import tomllib

    from govdisclosure import cli as cli_module

    package = Path(gd.__file__).resolve().parent
    assert cli_module.EXAMPLES.resolve() == package / "examples"
    assert example_path.resolve() == package / "examples" / "jilin-2002"
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    patterns = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["govdisclosure"]
    files = [p.relative_to(package).as_posix() for p in example_path.resolve().rglob("*")
             if p.is_file()]
    assert len(files) > 30
    assert [f for f in files if not any(fnmatch.fnmatch(f, pat) for pat in patterns)] == []


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    """init into a folder that holds anything exits 2 and leaves it untouched."""
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")

    result = invoke("init", str(tmp_path))

    assert result.exit_code == 2
    assert "not empty" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_init_json_reports_what_it_created(tmp_path: Path) -> None:
    """init --json prints one JSON document naming the folder."""
    result = invoke("init", str(tmp_path / "new"), "--json")

    assert json.loads(result.stdout) == {"ok": True, "created": str(tmp_path / "new"),
                                         "example": None}


def test_validate_a_valid_catalogue_prints_ok_and_a_summary(skeleton: Path) -> None:
    """validate prints ok with the record count, then records by type and by agency."""
    result = invoke("validate", str(skeleton))

    assert result.exit_code == 0
    assert " ".join(result.stdout.split()).startswith(f"ok: {skeleton}: 2 records valid")
    assert "records by type" in result.stdout
    assert "disclosure" in result.stdout
    assert "my-agency" in result.stdout


def test_validate_json_summarizes_a_valid_catalogue(skeleton: Path) -> None:
    """validate --json prints ok, no problems, and counts by type and agency."""
    result = invoke("validate", str(skeleton), "--json")

    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "ok": True, "problems": [], "warnings": [], "records": 2,
        "by_type": {"agency": 1, "disclosure": 1}, "by_agency": {"my-agency": 1},
    }


def test_json_may_come_before_the_command(skeleton: Path) -> None:
    """--json is accepted before the command name as well."""
    result = invoke("--json", "validate", str(skeleton))

    assert json.loads(result.stdout)["ok"] is True


def test_validate_the_example_in_a_real_process(example_path: Path) -> None:
    """python -m govdisclosure validate examples/jilin-2002 exits 0."""
    done = run("validate", "--json", str(example_path))

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["records"] == len(gd.load_catalog(example_path))


def test_validate_an_invalid_catalogue_exits_2_without_traceback(skeleton: Path) -> None:
    """A broken record: exit 2, the located message on stderr, no traceback."""
    (skeleton / "records" / "bad.toml").write_text(
        '[[disclosure]]\nid = "A B"\nagency = "my-agency"\ntitle = "t"\n', encoding="utf-8")
    done = run("validate", str(skeleton))

    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "records/bad.toml: disclosure 'A B': id: 'A B' is not a valid id" in done.stderr


def test_terminal_output_shows_names_as_written_and_inert(skeleton: Path) -> None:
    """A file name with rich's emoji code, markup, an escape sequence and a bidi override:
    the message shows the first two as text and the others escaped (a title or file name
    must not clear the screen or reverse the line)."""
    name = "notes :smile: [bold]x\x1b[2J\u202eevil.toml"
    (skeleton / "records" / name).write_text(
        '[[disclosure]]\nid = "A B"\nagency = "my-agency"\ntitle = "t"\n', encoding="utf-8")
    done = run("validate", str(skeleton))

    assert done.returncode == 2
    assert ("records/notes :smile: [bold]x\\x1b[2J\\u202eevil.toml: disclosure 'A B'"
            in done.stderr)
    assert not set("\x1b\u202e\U0001f604") & set(done.stderr)
    # text that reaches a table as it is (titles in audit messages): cleaned and escaped
    assert escape("a\x1b[2J\u202e[b]\r") == "a[2J\\[b]"


def test_validate_a_missing_folder_exits_2(tmp_path: Path) -> None:
    """A folder without catalog.toml is unusable input: exit 2 with a hint."""
    result = invoke("validate", str(tmp_path))

    assert result.exit_code == 2
    assert "govdisclosure init DIR" in result.stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    """With --debug an error shows its traceback (and still exits non-zero)."""
    done = run("--debug", "validate", str(tmp_path))

    assert done.returncode != 0
    assert "Traceback (most recent call last)" in done.stderr
    assert "CatalogError" in done.stderr


def test_without_debug_there_is_no_traceback(tmp_path: Path) -> None:
    """Without --debug the same error is one message and exit 2."""
    done = run("validate", str(tmp_path))

    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_version_prints_the_package_version() -> None:
    """--version prints the installed version, which is the package's __version__."""
    done = run("--version")

    assert done.returncode == 0
    assert done.stdout.strip() == f"govdisclosure, version {gd.__version__}"
    assert importlib.metadata.version("govdisclosure") == gd.__version__


def test_schema_prints_a_json_schema() -> None:
    """schema prints the JSON Schema of every record type."""
    schema = json.loads(invoke("schema").stdout)

    assert {ref["$ref"] for ref in schema["anyOf"]} == {
        f"#/$defs/{name}" for name in gd.RECORD_TYPES}


def test_schema_of_an_unknown_type_exits_2() -> None:
    """schema --type with an unknown type is a usage error."""
    assert invoke("schema", "--type", "memo").exit_code == 2


def test_publishers_json_lists_the_built_in_publishers() -> None:
    """publishers --json lists each publisher with name, source, audiences and options."""
    result = invoke("publishers", "--json")

    assert result.exit_code == 0
    described = json.loads(result.stdout)["publishers"]
    assert described, "no publisher is installed"
    for entry in described:
        assert {"name", "source", "audiences", "options"} <= set(entry)
    assert len({entry["name"] for entry in described}) == len(described)


def test_publishers_prints_a_table() -> None:
    """publishers without --json prints a table naming every publisher."""
    names = [entry["name"] for entry in json.loads(invoke("publishers", "--json").stdout)
             ["publishers"]]
    result = CliRunner().invoke(cli, ["publishers"], terminal_width=200)

    assert result.exit_code == 0
    for name in names:
        assert name in result.stdout


#: A vendor package with one publisher that works, one whose class calls itself by another
#: name, and one that claims the name of a built-in.
_VENDOR = {"vendor_pubs": """
import attrs

@attrs.frozen
class Options:
    limit: int = 3

class Good:
    name = "good"
    Options = Options
    audiences = ("public",)

    def __init__(self, options):
        self.options = options

    def publish(self, job):
        pass

class Mismatch(Good):
    name = "not-mismatch"

class Site(Good):
    name = "site"
"""}


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "table"])
def test_publishers_reports_the_ones_that_cannot_be_used(install: Callable[..., None],
                                                         as_json: bool) -> None:
    """An entry point whose class calls itself by another name, or a name two packages
    claim, is an error (exit 2, INTERFACE.md's unusable configuration), listed apart from
    the publishers that can be used, which are listed as ever."""
    install("vendor-pubs", _VENDOR, {"good": "vendor_pubs:Good",
                                     "mismatch": "vendor_pubs:Mismatch",
                                     "site": "vendor_pubs:Site"})

    result = CliRunner().invoke(cli, ["publishers", *(["--json"] if as_json else [])],
                                terminal_width=300)

    assert result.exit_code == 2, result.output
    problems = ["publisher 'mismatch' (vendor_pubs:Mismatch) calls itself 'not-mismatch'",
                "publisher name 'site' is claimed by builtin, vendor-pubs: uninstall one"]
    if as_json:
        listed = json.loads(result.stdout)
        assert listed["ok"] is False
        usable = {entry["name"]: entry for entry in listed["publishers"]}
        assert usable["good"] == {"name": "good", "source": "vendor-pubs",
                                  "audiences": ["public"], "options": {"limit": 3}}
        assert "feeds" in usable
        assert not {"mismatch", "site"} & set(usable)
        assert [(e["name"], e["source"]) for e in listed["errors"]] == [
            ("mismatch", "vendor-pubs"), ("site", "builtin")]
        for entry, problem in zip(listed["errors"], problems, strict=True):
            assert entry["error"].startswith(problem)
    else:
        assert "good" in result.stdout
        assert "feeds" in result.stdout
        assert "mismatch" not in result.stdout
        for problem in problems:
            assert f"error: {problem}" in result.stderr


@pytest.mark.parametrize("command", [["audit", "--as-of", "2002-12-31"],
                                     ["evaluate", "--year", "2002"],
                                     ["report", "annual", "--year", "2002"]])
def test_a_language_without_catalogue_text_or_messages_is_a_usage_error(
        command: list[str], example_path: Path, tmp_path: Path) -> None:
    """No silent fallback to English, and no path tricks through the report's file name."""
    for language in ("fr", "../../escaped"):
        args = [*command, str(example_path), "--language", language]
        if command[0] == "report":
            args += ["--out", str(tmp_path / "reports")]
        result = invoke(*args)
        assert result.exit_code == 2, result.output
        assert "Invalid value for --language" in result.output
    assert not (tmp_path / "reports").exists()
    assert not (tmp_path / "escaped.md").exists()
    # a catalogue language, or one of the messages' by its primary subtag, is accepted
    assert invoke(*command, str(example_path), "--language", "zh-Hans").exit_code in (0, 1)


def test_validate_reports_a_profile_the_audit_could_not_load(skeleton: Path) -> None:
    """``profile = "nope"`` in catalog.toml made validate say ok and audit fail."""
    meta = skeleton / "catalog.toml"
    meta.write_text(meta.read_text(encoding="utf-8") + 'profile = "nope"\n', encoding="utf-8")
    result = invoke("validate", str(skeleton))
    assert result.exit_code == 2, result.output
    assert "catalog.toml: catalog.profile: no built-in profile 'nope'" in result.output


def test_publish_refuses_a_profile_that_validate_refuses(skeleton: Path, tmp_path: Path) -> None:
    """``profile = "nope"`` made validate exit 2 and publish write everything: publish and
    ``gd.publish`` refuse it with validate's message, nothing written; a catalogue built in
    memory names no profile (the audit's ``generic``) and publishes."""
    meta = skeleton / "catalog.toml"
    meta.write_text(meta.read_text(encoding="utf-8") + 'profile = "nope"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("publish", str(skeleton), "--out", str(out))
    assert result.exit_code == 2, result.output
    assert ("error: 1 problem in the catalogue\ncatalog.toml: catalog.profile: no built-in "
            "profile 'nope'") in result.stderr
    loaded = gd.load_catalog(skeleton)
    with pytest.raises(gd.CatalogError, match=r"catalog\.profile: no built-in profile 'nope'"):
        gd.publish(loaded, out=out)
    assert not out.exists()
    in_memory = gd.Catalog(loaded.records, gd.CatalogMeta(name="x"))
    assert in_memory.meta.profile is None
    assert gd.publish(in_memory, to=["feeds"], out=out).failed == 0


@pytest.mark.parametrize("option", ["--to=", "--to=,", "--out=", "--out= "])
def test_an_empty_option_value_is_a_usage_error(option: str, example_path: Path,
                                                tmp_path: Path) -> None:
    """``--out=`` published into the working directory, ``--to=`` ran the defaults."""
    args = ["publish", str(example_path), option]
    if not option.startswith("--out"):
        args += ["--out", str(tmp_path / "out")]
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert "Invalid value for" in result.output
    assert not (tmp_path / "out").exists()


def test_a_failed_target_exits_1_after_the_others_published(skeleton: Path,
                                                             tmp_path: Path) -> None:
    """INTERFACE.md: exit 1 when some records failed. A target whose publisher raises
    (here the site, on a theme's broken template) fails all its records; the feeds are
    published, the error names the target and its cause, and there is no traceback."""
    theme = skeleton / "theme"
    theme.mkdir()
    (theme / "base.html").write_text("{{ no_such_function() }}\n", encoding="utf-8")
    (skeleton / "govdisclosure.toml").write_text('[publish.site]\ntheme = "theme"\n',
                                                 encoding="utf-8")
    out = tmp_path / "out"
    done = run("publish", str(skeleton), "--to", "feeds,site", "--out", str(out), "--json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is False
    assert report["error"] == "PublishError"
    assert report["message"].startswith("publisher 'site' failed: UndefinedError:")
    assert [(p["name"], p["state"]) for p in report["publishers"]] == [("feeds", "ok"),
                                                                       ("site", "failed")]
    site = report["publishers"][1]
    assert site["error"] == report["message"]
    assert (site["written"], site["files_written"]) == (0, 0)
    assert (out / "feeds").is_dir()
    assert not (out / "site").exists()
    done = run("publish", str(skeleton), "--to", "feeds,site", "--out", str(out))
    assert done.returncode == 1
    assert "publisher 'site' failed" in done.stderr
    assert "failed site: the whole target; its output is left unchanged" in done.stderr
    assert "site (failed)" in done.stdout  # a row of the table, as the feeds have
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("as_json", [False, True])
def test_an_interrupted_command_exits_130_and_says_so(
        skeleton: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        as_json: bool) -> None:
    """Ctrl-C is not "findings" (1): 130, as shells report it; --json still prints its one
    document."""
    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt  # what Ctrl-C raises while the catalogue loads

    monkeypatch.setattr(command, "load_catalog", interrupted)
    monkeypatch.setattr(sys, "argv", ["govdisclosure", *(["--json"] * as_json), "publish",
                                      str(skeleton), "--out", str(skeleton / "out")])
    with pytest.raises(SystemExit) as stopped:
        command.main()
    assert stopped.value.code == command.INTERRUPTED == 130
    captured = capsys.readouterr()
    if as_json:
        assert json.loads(captured.out) == {"ok": False, "error": "Interrupted",
                                            "message": "interrupted", "problems": []}
    else:
        assert captured.err.strip().endswith("interrupted")


def _read_only_mounts() -> bool:
    """Whether this machine lets the tests mount a folder read-only (a mount namespace:
    root, or a user namespace)."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount --bind / / 2>/dev/null"],
                           capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not _read_only_mounts(), reason="needs unshare -m and mount (root)")
def test_the_ledger_is_read_from_a_read_only_copy_of_the_output(
        example_path: Path, tmp_path: Path) -> None:
    """An inquiry often has only read access to the published folder: ledger verify, ledger
    show and webhook outbox read it there (SQLite cannot make its WAL files in it)."""
    out = tmp_path / "out"
    assert run("publish", str(example_path), "--to", "feeds", "--out", str(out),
               "--as-of", "2002-12-31").returncode == 0

    def read_only(command_line: str) -> subprocess.CompletedProcess[str]:
        script = (f"mount --bind {out} {out} && mount -o remount,bind,ro {out} && "
                  f"{sys.executable} -m govdisclosure {command_line} --out {out}")
        return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True,
                              text=True, timeout=120, check=False)

    for command_line, expected in [("ledger verify", "hash chain intact"),
                                   ("ledger show disclosure:budget-2002", "published"),
                                   ("webhook outbox", "nothing waits")]:
        done = read_only(command_line)
        assert done.returncode == 0, done.stderr
        assert expected in done.stdout
    # receipts still in the write-ahead log would be missed: refused, not a short ledger
    (out / ".govdisclosure/state.sqlite-wal").write_bytes(b"\0" * 4096)
    done = read_only("ledger verify")
    assert done.returncode == 2
    assert "only a writable copy applies" in done.stderr
