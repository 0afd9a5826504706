"""A publishing process killed at any moment leaves the old or the new output, never a mix."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from govdisclosure.publishing import StateStore, available, state_path
from govdisclosure.testing import snapshot

AS_OF = "2002-12-31T18:00:00+08:00"
KILLS = 24


def write_catalog(root: Path, version: str, records: int = 300) -> Path:
    """A catalogue of ``records`` disclosures whose titles carry ``version``."""
    (root / "records").mkdir(parents=True)
    (root / "catalog.toml").write_text(
        '[catalog]\nname = "Crash"\nbase_url = "https://gk.example.gov.cn/"\n'
        'default_language = "zh-CN"\nlanguages = ["zh-CN", "en"]\ntimezone = "Asia/Shanghai"\n')
    (root / "agencies.toml").write_text('[[agency]]\nid = "city"\nname = "City"\nlevel = "city"\n')
    lines = [
        json.dumps({"type": "disclosure", "id": f"d{i:04d}", "agency": "city",
                    "category": "announcement", "title": f"{version} title {i}",
                    "body": f"{version} body {i} " * 20,
                    "issued_at": f"2002-{1 + i % 12:02d}-{1 + i % 28:02d}T09:00:00"})
        for i in range(records)
    ]
    (root / "records" / "all.jsonl").write_text("\n".join(lines) + "\n")
    return root


def by_target(files: dict[str, str]) -> dict[str, dict[str, str]]:
    """A snapshot split per target (the first path segment)."""
    split: dict[str, dict[str, str]] = {}
    for path, digest in files.items():
        target, _, rest = path.partition("/")
        split.setdefault(target, {})[rest] = digest
    return split


def publish_command(catalog: Path, out: Path, targets: str) -> list[str]:
    """The command line that publishes ``catalog`` into ``out``."""
    return [sys.executable, "-m", "govdisclosure", "publish", str(catalog), "--out", str(out),
            "--to", targets, "--as-of", AS_OF]


@pytest.mark.slow
def test_sigkill_at_random_moments_never_leaves_a_mix(tmp_path: Path) -> None:
    """Kill -9 during publishing, many times: each target is one complete version.

    Every target (publisher folder) is switched atomically on its own; a kill between two
    targets' switches may leave feeds new and signage old, each complete.
    """
    targets = ",".join(name for name in ("feeds", "signage") if name in available())
    versions = {v: write_catalog(tmp_path / f"cat-{v}", v) for v in ("old", "new")}
    # The expected states follow the same history as the killed runs: closed feed archives
    # are never rewritten, so "new after old" differs from "new from scratch" there, and an
    # edit moves its entries' `updated` to the run (Job.modified), so "old after new"
    # differs from "old" first published.
    reference = tmp_path / "reference"
    expected = {}
    durations = []
    for state_name in ("old", "new", "old again", "new", "old again"):
        started = time.perf_counter()
        subprocess.run(publish_command(versions[state_name.split()[0]], reference, targets),
                       check=True, capture_output=True)
        durations.append(time.perf_counter() - started)
        state = by_target(snapshot(reference))
        assert expected.setdefault(state_name, state) == state, "re-publishing is not stable"
    out = tmp_path / "out"
    subprocess.run(publish_command(versions["old"], out, targets), check=True,
                   capture_output=True)
    chooser = random.Random(20021231)
    outcomes = set()

    def kill(attempt: int, delay: float) -> None:
        """Start publishing the other version, kill it after ``delay`` s, check the rest."""
        version = ("new", "old")[attempt % 2]
        process = subprocess.Popen(publish_command(versions[version], out, targets),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = by_target(snapshot(out))
        for target, files in now.items():
            matches = [name for name, full in expected.items() if full[target] == files]
            assert matches, f"attempt {attempt}: {target} is a mix of versions"
            outcomes.add(matches[0].split()[0])
        with StateStore(state_path(out)) as store:
            store.verify()

    longest = max(durations)
    for attempt in range(KILLS):
        kill(attempt, chooser.uniform(0.0, longest * 1.1))
    # on a loaded machine the runs may take longer than the reference ones did, and every
    # kill land before the switch: later kills, until both sides were seen (or 12 more)
    for attempt in range(KILLS, KILLS + 12):
        if outcomes == {"old", "new"}:
            break
        kill(attempt, chooser.uniform(0.8, 2.0) * longest)
    # finishing normally afterwards converges to the requested version
    subprocess.run(publish_command(versions["new"], out, targets), check=True,
                   capture_output=True)
    assert by_target(snapshot(out)) == expected["new"]
    assert outcomes == {"old", "new"}, "kills should land both before and after the switch"
