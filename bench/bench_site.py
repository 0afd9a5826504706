"""Benchmarks of the site publisher on generated catalogues.

For the bench runner (``bench/run.py``)::

    run_full(path, out)         load the catalogue, publish the whole site (--full)
    run_incremental(path, out)  publish fully once (untimed) unless ``out`` holds a site,
                                then change one disclosure's title and publish again

Standalone, each size runs full, then incremental twice: the first incremental run after
a full build copies the release tree (``cp -al``), later ones recycle the previous
release (docs/publishing.md), so the second row is the steady state of a site that is
updated again and again.

Both return a dict of figures (seconds, files, bytes, ms per file written); the runner
adds wall-clock time and peak RSS of the child process.

Standalone (each measurement in a fresh interpreter, corpora cached in bench/.cache)::

    python bench/bench_site.py [--sizes 1000,10000,100000] [--format jsonl]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
AS_OF = dt.datetime(2003, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=8)))

Result = dict[str, Any]


def _figures(report: Any, seconds: float) -> Result:
    site = report.publishers[0]
    written = site.files_written
    return {
        "publish_s": round(seconds, 3),
        "publisher_s": site.seconds,
        "files_written": written,
        "files_unchanged": site.files_unchanged,
        "files_removed": site.files_removed,
        "bytes": site.bytes,
        "records_failed": site.failed,
        "ms_per_file": round(1000 * seconds / written, 3) if written else None,
    }


def run_full(path: Path, out: Path) -> Result:
    """Load ``path`` and publish the whole site into ``out``."""
    import govdisclosure as gd

    started = time.perf_counter()
    catalog = gd.load_catalog(path)
    loaded = time.perf_counter()
    report = gd.publish(catalog, to=["site"], out=out, as_of=AS_OF, full=True)
    done = time.perf_counter()
    return {"load_s": round(loaded - started, 3), "records": len(catalog),
            **_figures(report, done - loaded), "total_s": round(done - started, 3)}


def run_incremental(path: Path, out: Path) -> Result:
    """Change one disclosure's title and publish into ``out`` (built first if empty)."""
    import attrs

    import govdisclosure as gd

    started = time.perf_counter()
    catalog = gd.load_catalog(path)
    loaded = time.perf_counter()
    if not (Path(out) / "site").exists():
        gd.publish(catalog, to=["site"], out=out, as_of=AS_OF, full=True)
    target = next(r for r in catalog.of_type(gd.Disclosure)
                  if r.audience == "public" and r.status == "approved"
                  and r.classification == "public"
                  and (r.publish_at is None or r.publish_at <= AS_OF))
    stamp = f"{time.time_ns()}"  # a new title on every run, so that something changes
    changed = attrs.evolve(target, title={"zh-CN": f"修改 {stamp}", "en": f"Changed {stamp}"})
    records = [changed if r is target else r for r in catalog]
    # the other records are the loaded ones: their source digests say they did not change
    edited = gd.Catalog(records, catalog.meta, root=catalog.root, digests=catalog.digests,
                        check=False)
    begin = time.perf_counter()
    report = gd.publish(edited, to=["site"], out=out, as_of=AS_OF)
    done = time.perf_counter()
    return {"load_s": round(loaded - started, 3), "changed": f"disclosure:{target.id}",
            **_figures(report, done - begin), "total_s": round(done - begin + loaded - started, 3)}


# -- standalone runner -------------------------------------------------------------------------


def _child(kind: str, path: str, out: str) -> None:
    fn = run_full if kind == "full" else run_incremental
    result = fn(Path(path), Path(out))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({**result, "peak_rss_mb": round(peak, 1)}))


def main(argv: list[str] | None = None) -> int:
    """Measure full and incremental site builds at each size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--format", dest="fmt", default="jsonl")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    import run as runner

    rows = []
    outs: list[Path] = []  # deleted at the end: a deletion slows later file creations
    try:                   # (see "Deleting" in compare_ssg.py)
        for n in (int(s) for s in args.sizes.split(",")):
            corpus, _ = runner.corpus_path(n, args.fmt, 0)
            outs.append(Path(tempfile.mkdtemp(prefix=f"site-{n}-")))
            # the first incremental run after a full build copies the release tree; the
            # next one recycles the previous release, as every later run does
            for kind in ("full", "incremental", "incremental"):
                proc = subprocess.run(
                    [sys.executable, __file__, "_child", kind, str(corpus), str(outs[-1])],
                    capture_output=True, text=True, check=False, env=runner.child_env())
                lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
                if not lines:
                    print(proc.stderr[-2000:], file=sys.stderr)
                    return 1
                rows.append({"size": n, "kind": kind, **json.loads(lines[-1])})
                print(json.dumps(rows[-1]), flush=True)
    finally:
        for out in outs:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        _child(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(main())
