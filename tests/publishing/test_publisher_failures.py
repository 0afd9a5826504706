"""A publisher's exceptions, in any of its methods, name it and leave the output sound."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import govdisclosure as gd
from govdisclosure.cli import cli
from govdisclosure.publishing import StateStore, state_path
from govdisclosure.testing import AS_OF, EARLIER, META

CITY = gd.Agency(id="city", name="City", level="city")


def catalog(*idents: str) -> gd.Catalog:
    """An in-memory catalogue with the city and a public disclosure per id."""
    return gd.Catalog(records=[CITY, *(gd.Disclosure(id=ident, agency="city", title=ident,
                                                     issued_at=EARLIER) for ident in idents)],
                      meta=META)


@attrs.frozen
class CrashOptions:
    """Where to raise."""

    crash_in: str = ""


class Crashing(gd.BasePublisher):
    """One file per record; raises ``RuntimeError`` in the method ``crash_in`` names."""

    name = "crashing"
    Options = CrashOptions

    def __init__(self, options: CrashOptions) -> None:
        super().__init__(options)
        self.crash("__init__")

    def crash(self, where: str) -> None:
        """Raise if the options say so."""
        if self.options.crash_in == where:
            raise RuntimeError(f"boom in {where}")

    def preflight(self) -> list[str]:
        """Nothing missing, unless it raises."""
        self.crash("preflight")
        return []

    def check_catalog(self, view: gd.CatalogView) -> list[str]:
        """Everything fits, unless it raises."""
        self.crash("check_catalog")
        return []

    def publish(self, job: gd.Job) -> None:
        """``<id>.txt`` per record."""
        for record in job.records:
            job.write(f"{record.id}.txt", record.id)

    def after_switch(self, job: gd.Job) -> list[str]:
        """Nothing to say, unless it raises."""
        self.crash("after_switch")
        return []


class Bystander(Crashing):
    """Another publisher of the run, which never raises."""

    name = "bystander"


EARLY = ["__init__", "preflight", "check_catalog"]


@pytest.mark.parametrize("where", EARLY)
def test_an_exception_before_the_run_names_the_publisher(tmp_path: Path, where: str) -> None:
    """An exception in ``__init__``, ``preflight`` or ``check_catalog`` refuses the whole
    run before anything is written, as their answers do: a PublishError naming the
    publisher and the method, its exception as cause, no report."""
    out = tmp_path / "out"
    with pytest.raises(gd.PublishError) as caught:
        gd.publish(catalog("a"), [Bystander, Crashing], out, as_of=AS_OF,
                   options={"crashing": {"crash_in": where}})
    assert str(caught.value) == (f"publisher 'crashing' failed in {where}: RuntimeError: "
                                 f"boom in {where}")
    assert caught.value.publisher == "crashing"
    assert caught.value.report is None
    assert isinstance(caught.value.__cause__, RuntimeError)
    assert not out.exists()


def test_an_exception_after_the_switch_is_a_warning(tmp_path: Path) -> None:
    """``after_switch`` runs once the output is live and its receipts are committed: an
    exception there is a warning of the report naming the publisher, never an error that
    loses the report; the next run finds the output and state as this one left them."""
    out = tmp_path / "out"
    options = {"crashing": {"crash_in": "after_switch"}}
    report = gd.publish(catalog("a"), [Crashing, Bystander], out, as_of=AS_OF, options=options)

    crashing, bystander = report.publishers
    assert crashing.warnings == ["after_switch failed: RuntimeError: "
                                 "boom in after_switch"]
    assert (crashing.written, crashing.failed, bystander.warnings) == (2, 0, [])
    assert (out / "crashing" / "a.txt").read_text() == "a"
    with StateStore(state_path(out)) as store:
        assert [r.target for r in store.receipts("disclosure:a")] == ["crashing", "bystander"]
    again = gd.publish(catalog("a"), [Crashing, Bystander], out, as_of=AS_OF, options=options)
    assert [p.files_written for p in again.publishers] == [0, 0]


#: A vendor's package: the crashing publisher, registered under its name.
_PACKAGE = {"crashing_pub": '''
import attrs
import govdisclosure as gd

@attrs.frozen
class Options:
    crash_in: str = ""

class Crashing(gd.BasePublisher):
    name = "crashing"
    Options = Options

    def __init__(self, options):
        super().__init__(options)
        self.crash("__init__")

    def crash(self, where):
        if self.options.crash_in == where:
            raise RuntimeError(f"boom in {where}")

    def preflight(self):
        self.crash("preflight")
        return []

    def check_catalog(self, view):
        self.crash("check_catalog")
        return []

    def publish(self, job):
        for record in job.records:
            job.write(f"{record.id}.txt", record.id)

    def after_switch(self, job):
        self.crash("after_switch")
        return []
'''}


@pytest.fixture(name="vendor")
def fixture_vendor(install: Callable[..., None], tmp_path: Path) -> Callable[[str], Path]:
    """The crashing publisher installed; makes a catalogue whose govdisclosure.toml runs
    it, raising where it is told."""
    install("crashing-pub", _PACKAGE, {"crashing": "crashing_pub:Crashing"})

    def made(where: str) -> Path:
        root = tmp_path / f"cat-{where}"
        assert CliRunner().invoke(cli, ["init", str(root)]).exit_code == 0
        (root / "govdisclosure.toml").write_text(
            f'[publish]\nto = ["crashing"]\n\n[publish.crashing]\ncrash_in = "{where}"\n')
        return root

    return made


@pytest.mark.parametrize("where", EARLY)
def test_the_command_names_a_publisher_that_raises_before_the_run(
        vendor: Callable[[str], Path], tmp_path: Path, where: str) -> None:
    """``publish`` exits with 2 (the run cannot start), naming the publisher, not as an
    internal error; ``validate`` lists an ``__init__`` or ``check_catalog`` that raises as
    an error of the configuration and a ``preflight`` that raises as a warning, as it
    lists their answers."""
    root = vendor(where)
    message = f"publisher 'crashing' failed in {where}: RuntimeError: boom in {where}"

    done = CliRunner().invoke(cli, ["publish", str(root), "--out", str(tmp_path / "out")])
    assert done.exit_code == 2, done.output
    assert done.stderr.strip() == f"error: {message}"
    assert not (tmp_path / "out").exists()

    checked = CliRunner().invoke(cli, ["validate", "--json", str(root)])
    if where == "preflight":
        assert checked.exit_code == 0, checked.output
        assert (f"govdisclosure.toml: publish.crashing: {message}; publish refuses to run "
                "it on this machine") in json.loads(checked.stdout)["warnings"]
    else:
        assert checked.exit_code == 2, checked.output
        assert [p["message"] for p in json.loads(checked.stdout)["problems"]] == [message]


def test_the_command_warns_of_an_after_switch_that_raises(vendor: Callable[[str], Path],
                                                          tmp_path: Path) -> None:
    """An exception in ``after_switch`` is printed as a warning naming the publisher, and
    the command exits as the report says (0: nothing failed)."""
    root = vendor("after_switch")
    done = CliRunner().invoke(cli, ["publish", str(root), "--out", str(tmp_path / "out")],
                              terminal_width=200)
    assert done.exit_code == 0, done.output
    assert ("warning crashing: after_switch failed: RuntimeError: "
            "boom in after_switch") in done.stderr
    done = CliRunner().invoke(cli, ["publish", str(root), "--out", str(tmp_path / "json"),
                                    "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["ok"] is True
