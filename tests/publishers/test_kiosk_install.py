"""`govdisclosure kiosk install` and `kiosk rollback` with real bags, zips and symlinks:
a damaged bundle is refused with exit 2 and the running release stays."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner, Result
from tests.publishers.test_kiosk import bag_dir, publish, records, zip_file

import govdisclosure as gd
from govdisclosure.cli import cli


def invoke(*args: str) -> Result:
    """Run the command line in this process."""
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(name="bags", scope="module")
def fixture_bags(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two versions of the same hall's bag, each with its zip."""
    root = tmp_path_factory.mktemp("bags")
    publish(root / "one", zip=True)
    changed = records()
    changed[7] = attrs.evolve(changed[7], title="第二版")
    publish(root / "two", changed, zip=True)
    return bag_dir(root / "one"), bag_dir(root / "two")


@pytest.fixture(name="third", scope="module")
def fixture_third(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A third version of the hall's bag."""
    root = tmp_path_factory.mktemp("third")
    changed = records()
    changed[7] = attrs.evolve(changed[7], title="第三版")
    publish(root, changed)
    return bag_dir(root)


def version(bag: Path) -> str:
    """The version a bag declares."""
    return str(json.loads((bag / "data" / "kiosk.json").read_bytes())["version"])


def current(kiosk: Path) -> str:
    """The version the kiosk folder serves."""
    return os.readlink(kiosk / "current").rpartition("/")[2]


def copy(bag: Path, into: Path) -> Path:
    """A writable copy of a bag (the published one is hard-linked into the release)."""
    target = into / "copy"
    for path in sorted(bag.rglob("*")):
        rel = path.relative_to(bag)
        if path.is_dir():
            (target / rel).mkdir(parents=True, exist_ok=True)
        else:
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            (target / rel).write_bytes(path.read_bytes())
    return target


def test_install_twice_then_rollback(bags: tuple[Path, Path], tmp_path: Path) -> None:
    """Each install flips `current`; rollback returns to the previous one."""
    one, two = bags
    kiosk = tmp_path / "kiosk"
    assert invoke("kiosk", "install", str(one), str(kiosk)).exit_code == 0
    assert current(kiosk) == version(one)
    result = invoke("--json", "kiosk", "install", str(two), str(kiosk))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "ok": True, "changed": True, "version": version(two), "previous": version(one),
        "replaced": version(one), "release": str(kiosk / "releases" / version(two))}
    assert (kiosk / "current" / "data" / "index.html").is_file()
    result = invoke("--json", "kiosk", "rollback", str(kiosk))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "ok": True, "changed": True, "version": version(one), "previous": None,
        "replaced": version(two), "release": str(kiosk / "releases" / version(one))}
    assert current(kiosk) == version(one)


def test_a_second_rollback_does_not_go_forward(bags: tuple[Path, Path], third: Path,
                                               tmp_path: Path) -> None:
    """Install A, B, C; rollback goes to B; a second rollback exits 2 (A is no longer
    kept) rather than returning to C, and the kiosk stays on B."""
    one, two = bags
    kiosk = tmp_path / "kiosk"
    for bag in (one, two, third):
        assert invoke("kiosk", "install", str(bag), str(kiosk)).exit_code == 0
    result = invoke("kiosk", "rollback", str(kiosk))
    assert result.exit_code == 0, result.output
    assert current(kiosk) == version(two)
    assert not (kiosk / "previous").is_symlink()
    result = invoke("--json", "kiosk", "rollback", str(kiosk))
    assert result.exit_code == 2, result.output
    document = json.loads(result.output)
    assert document["ok"] is False
    assert "no previous kiosk release" in document["message"]
    assert "keeps two releases" in document["message"]
    assert current(kiosk) == version(two)
    # a new install keeps the release rolled back to as the previous one, and drops C
    assert invoke("kiosk", "install", str(one), str(kiosk)).exit_code == 0
    assert sorted(p.name for p in (kiosk / "releases").iterdir()) == sorted(
        [version(one), version(two)])
    assert invoke("kiosk", "rollback", str(kiosk)).exit_code == 0
    assert current(kiosk) == version(two)


def test_rollback_of_two_installs_then_none(bags: tuple[Path, Path], tmp_path: Path) -> None:
    """Install A, B; rollback to A; a second rollback has nothing before A: exit 2."""
    one, two = bags
    kiosk = tmp_path / "kiosk"
    for bag in (one, two):
        assert invoke("kiosk", "install", str(bag), str(kiosk)).exit_code == 0
    assert invoke("kiosk", "rollback", str(kiosk)).exit_code == 0
    result = invoke("kiosk", "rollback", str(kiosk))
    assert result.exit_code == 2, result.output
    assert current(kiosk) == version(one)


def test_install_from_zip_and_again_is_a_no_op(bags: tuple[Path, Path], tmp_path: Path) -> None:
    """The zip of a bag installs as the bag does; the current version again changes nothing."""
    one, _ = bags
    kiosk = tmp_path / "kiosk"
    archive = zip_file(one.parents[2])
    assert invoke("kiosk", "install", str(archive), str(kiosk)).exit_code == 0
    result = invoke("kiosk", "install", str(one), str(kiosk), "--json")
    assert json.loads(result.output)["changed"] is False
    assert sorted(p.name for p in (kiosk / "releases").iterdir()) == [version(one)]


def test_one_byte_changed_is_refused(bags: tuple[Path, Path], tmp_path: Path) -> None:
    """A payload file with one byte changed fails its checksum: exit 2, current stays."""
    one, two = bags
    kiosk = tmp_path / "kiosk"
    invoke("kiosk", "install", str(one), str(kiosk))
    damaged = copy(two, tmp_path)
    target = damaged / "data" / "datasets" / "items.zh-CN.json"
    data = bytearray(target.read_bytes())
    data[10] ^= 1
    target.write_bytes(bytes(data))
    result = invoke("kiosk", "install", str(damaged), str(kiosk))
    assert result.exit_code == 2
    assert "damaged bundle refused" in result.output
    assert "items.zh-CN.json" in result.output
    assert current(kiosk) == version(one)
    assert sorted(p.name for p in (kiosk / "releases").iterdir()) == [version(one)]


def test_missing_file_is_refused(bags: tuple[Path, Path], tmp_path: Path) -> None:
    """A bag without one of its payload files is incomplete: exit 2."""
    damaged = copy(bags[0], tmp_path)
    (damaged / "data" / "kiosk.css").unlink()
    result = invoke("--json", "kiosk", "install", str(damaged), str(tmp_path / "kiosk"))
    assert result.exit_code == 2
    document = json.loads(result.output)
    assert document["ok"] is False
    assert document["error"] == "BundleError"
    assert "kiosk.css" in document["message"]
    assert not (tmp_path / "kiosk" / "current").exists()


@pytest.mark.parametrize(("name", "symlink"), [
    ("hall/../../escaped.txt", False),
    ("/etc/escaped.txt", False),
    ("hall/data/link", True),
])
def test_zip_with_path_tricks_is_refused(bags: tuple[Path, Path], tmp_path: Path, name: str,
                                         symlink: bool) -> None:
    """An entry that leaves the folder, or a symbolic link, refuses the whole zip."""
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(zip_file(bags[0].parents[2])) as source, \
            zipfile.ZipFile(archive, "w") as target:
        for entry in source.infolist():
            target.writestr(entry, source.read(entry))
        info = zipfile.ZipInfo(name)
        if symlink:
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
        target.writestr(info, "/etc/passwd" if symlink else "x")
    result = invoke("kiosk", "install", str(archive), str(tmp_path / "kiosk"))
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "escaped.txt").exists()
    assert not (tmp_path / "kiosk" / "current").exists()


def test_not_a_zip_and_nothing_to_roll_back(tmp_path: Path) -> None:
    """A file that is no zip, and a rollback with no previous release: exit 2, a message."""
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 not really")
    result = invoke("kiosk", "install", str(junk), str(tmp_path / "kiosk"))
    assert result.exit_code == 2
    assert "zip" in result.output
    result = invoke("kiosk", "rollback", str(tmp_path / "kiosk"))
    assert result.exit_code == 2
    assert "no previous kiosk release" in result.output


def test_unreadable_bag_info_is_refused(bags: tuple[Path, Path], tmp_path: Path) -> None:
    """A bag-info.txt that is no tag file is not a bag: exit 2 with a message, no traceback."""
    damaged = copy(bags[0], tmp_path)
    with (damaged / "bag-info.txt").open("a") as info:
        info.write("x\n")
    kiosk = tmp_path / "kiosk"
    result = invoke("kiosk", "install", str(damaged), str(kiosk))
    assert result.exit_code == 2, result.output
    assert "not a valid bag" in result.output
    assert "bag-info.txt" in result.output
    assert not (kiosk / "current").exists()
    assert list((kiosk / "releases").iterdir()) == []


@pytest.mark.parametrize("link", ["current", "previous"])
def test_a_folder_where_a_link_belongs_is_refused(bags: tuple[Path, Path], tmp_path: Path,
                                                  link: str) -> None:
    """`current` or `previous` as a real folder: exit 2, the folder kept, no temporary link."""
    kiosk = tmp_path / "kiosk"
    (kiosk / link).mkdir(parents=True)
    (kiosk / link / "keep.txt").write_text("mine")
    result = invoke("kiosk", "install", str(bags[0]), str(kiosk))
    assert result.exit_code == 2, result.output
    assert "is not a symbolic link" in result.output
    assert (kiosk / link / "keep.txt").read_text() == "mine"
    assert {p.name for p in kiosk.iterdir()} - {".lock"} == {link, "releases"}
    assert list((kiosk / "releases").iterdir()) == []
    assert invoke("kiosk", "rollback", str(kiosk)).exit_code == 2


def test_a_file_of_another_size_is_named(bags: tuple[Path, Path], tmp_path: Path) -> None:
    """A payload file that grew fails Payload-Oxum; the message names the file."""
    damaged = copy(bags[0], tmp_path)
    target = damaged / "data" / "kiosk.css"
    target.write_bytes(target.read_bytes() + b"/* more */")
    result = invoke("kiosk", "install", str(damaged), str(tmp_path / "kiosk"))
    assert result.exit_code == 2, result.output
    assert "damaged bundle refused" in result.output
    assert "data/kiosk.css" in result.output


@pytest.mark.parametrize("name", ["evil.html", "fetch.txt", "extra/notes.txt"])
def test_a_file_outside_data_is_refused(bags: tuple[Path, Path], tmp_path: Path,
                                        name: str) -> None:
    """Anything at the bag's top but data/ and the tag files is in no manifest: exit 2."""
    damaged = copy(bags[0], tmp_path)
    (damaged / name).parent.mkdir(exist_ok=True)
    (damaged / name).write_text("<script>alert(1)</script>")
    result = invoke("kiosk", "install", str(damaged), str(tmp_path / "kiosk"))
    assert result.exit_code == 2, result.output
    assert name.partition("/")[0] in result.output
    assert not (tmp_path / "kiosk" / "current").exists()


def test_leftovers_of_an_interrupted_install_are_removed(bags: tuple[Path, Path],
                                                         tmp_path: Path) -> None:
    """An `.incoming-*` folder that no running install holds goes with the next install."""
    one = bags[0]
    kiosk = tmp_path / "kiosk"
    stale = kiosk / "releases" / ".incoming-x1y2z3"
    (stale / "bag" / "data").mkdir(parents=True)
    (stale / "bag" / "data" / "index.html").write_text("half")
    assert invoke("kiosk", "install", str(one), str(kiosk)).exit_code == 0
    assert not stale.exists()
    stale.mkdir()
    assert invoke("kiosk", "install", str(one), str(kiosk)).exit_code == 0  # unchanged too
    assert not stale.exists()
    assert sorted(p.name for p in (kiosk / "releases").iterdir()) == [version(one)]


def test_a_second_install_at_once_is_refused(bags: tuple[Path, Path], tmp_path: Path) -> None:
    """While one install holds the kiosk folder, another exits 2 and touches nothing."""
    fcntl = pytest.importorskip("fcntl")
    kiosk = tmp_path / "kiosk"
    assert invoke("kiosk", "install", str(bags[0]), str(kiosk)).exit_code == 0
    with (kiosk / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = invoke("kiosk", "install", str(bags[1]), str(kiosk))
        assert result.exit_code == 2, result.output
        assert "another kiosk install" in result.output
        assert invoke("kiosk", "rollback", str(kiosk)).exit_code == 2
    assert current(kiosk) == version(bags[0])
    assert invoke("kiosk", "install", str(bags[1]), str(kiosk)).exit_code == 0


@pytest.mark.parametrize("ident", ["index.json", "hall.zip"])
def test_a_bag_of_any_hall_id_installs_as_folder_and_zip(tmp_path: Path, ident: str) -> None:
    """A hall ``index.json``, or ``hall.zip`` beside a hall ``hall``: each hall's bag and
    its zip install, each as its own version."""
    recs = [*records(), gd.ServiceHall(id=ident, agency="city", name="另一个大厅")]
    publish(tmp_path / "out", recs, zip=True)
    installed = set()
    for name in ("hall", ident):
        bag = bag_dir(tmp_path / "out", name)
        for bundle in (bag, zip_file(tmp_path / "out", name)):
            kiosk = tmp_path / "kiosk" / name / bundle.name
            result = invoke("--json", "kiosk", "install", str(bundle), str(kiosk))
            assert result.exit_code == 0, result.output
            assert json.loads(result.output)["version"] == current(kiosk) == version(bag)
            assert json.loads((kiosk / "current" / "data" / "kiosk.json").read_bytes())[
                "hall"] == name
        installed.add(version(bag))
    assert len(installed) == 2
