"""Benchmarks of govdisclosure on generated catalogues.

Usage::

    python bench/run.py load [--sizes 1000,10000,100000] [--format jsonl] [--seed 0]
                              [--repeat 1] [--timeout S] [--json]

For each size the corpus is generated once into ``bench/.cache/<fmt>-<n>``
(kept between runs; delete the folder to regenerate), then the benchmark runs
in a fresh Python process, so that imports, caches and peak memory of one
measurement never leak into the next. The child reports wall-clock seconds of
the measured function and the raw peak RSS of the whole child process
(``getrusage(RUSAGE_SELF).ru_maxrss``: interpreter, imports and data).

Adding a benchmark: write ``def bench_NAME(path: Path) -> dict`` (runs in the
child; returns extra figures to report, possibly empty) and register it in
``BENCHMARKS``. The command line, the cache and the child runner are shared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (bench/ is not a package)

Result = dict[str, Any]


# --------------------------------------------------------------------------
# Benchmarks (each runs in the child process; the import is part of the cost)
# --------------------------------------------------------------------------


def bench_load(path: Path) -> Result:
    """Load and validate a catalogue: ``gd.load_catalog(path)``."""
    import govdisclosure as gd

    catalog = gd.load_catalog(path)
    try:
        return {"records": len(catalog)}  # type: ignore[arg-type]
    except TypeError:
        return {}


def bench_audit(path: Path) -> Result:
    """Load, then audit (the audit alone is timed in ``audit_s``)."""
    import bench_audit

    import govdisclosure as gd

    catalog = gd.load_catalog(path)
    started = time.perf_counter()
    report = gd.audit(catalog, as_of=bench_audit._as_of(catalog))
    return {"audit_s": round(time.perf_counter() - started, 3),
            "findings": len(report.findings)}


def _lazy(module: str, name: str, *, out: bool = False) -> Callable[[Path], Result]:
    """A benchmark function of another bench module, imported only when it runs."""

    def run(path: Path) -> Result:
        import importlib
        import tempfile

        fn = getattr(importlib.import_module(module), name)
        if not out:
            return dict(fn(path) or {})
        with tempfile.TemporaryDirectory() as folder:
            return dict(fn(path, Path(folder)) or {})

    run.__doc__ = f"{module}.{name}"
    return run


BENCHMARKS: dict[str, Callable[[Path], Result]] = {
    "load": bench_load,
    "audit": bench_audit,
    "feeds": _lazy("bench_feeds", "run_full"),
    "feeds-incremental": _lazy("bench_feeds", "run_incremental"),
    "feeds-vs-feedgen": _lazy("bench_feeds", "compare"),
    "site": _lazy("bench_site", "run_full", out=True),
    "site-incremental": _lazy("bench_site", "run_incremental", out=True),
}


# --------------------------------------------------------------------------
# Child side
# --------------------------------------------------------------------------


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def child(name: str, path: str) -> int:
    """Run one benchmark and print one JSON line: seconds, peak RSS, extras."""
    fn = BENCHMARKS[name]
    t0 = time.perf_counter()
    try:
        extra = fn(Path(path)) or {}
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which decides
        seconds = time.perf_counter() - t0
        message = str(exc)
        print(
            json.dumps(
                {
                    "ok": False,
                    "seconds": seconds,
                    "peak_rss_mb": _peak_rss_mb(),
                    "error": f"{type(exc).__name__}: {message[:4000]}",
                    "error_lines": message.count("\n") + 1,
                }
            )
        )
        return 1
    seconds = time.perf_counter() - t0
    print(json.dumps({"ok": True, "seconds": seconds, "peak_rss_mb": _peak_rss_mb(), **extra}))
    return 0


# --------------------------------------------------------------------------
# Parent side
# --------------------------------------------------------------------------


def corpus_path(n: int, fmt: str, seed: int) -> tuple[Path, float | None]:
    """The cached corpus for (n, fmt, seed), generated if absent; also generation seconds."""
    name = f"{fmt}-{n}" if seed == 0 else f"{fmt}-{n}-s{seed}"
    path = CACHE / name
    if (path / "catalog.toml").is_file():
        return path, None
    tmp = CACHE / f".{name}.tmp-{os.getpid()}"
    t0 = time.perf_counter()
    corpus.generate(n, tmp, seed=seed, fmt=fmt)
    seconds = time.perf_counter() - t0
    if path.exists():  # a half-written leftover without catalog.toml
        import shutil

        shutil.rmtree(path)
    tmp.rename(path)
    return path, seconds


def child_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured process: ``base`` (default: ours) without
    ``PYTHONDONTWRITEBYTECODE``. pip compiles the modules it installs, but with that
    variable set (as in some shells and CI images) an editable install's sources would be
    compiled again by every run: 0.16 s of start-up that no installed copy pays."""
    env = dict(os.environ if base is None else base)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_child(name: str, path: Path, timeout: float | None) -> Result:
    """Run benchmark ``name`` on ``path`` in a fresh interpreter."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "_child", name, str(path)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False,
                              env=child_env())
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"timed out after {timeout} s"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"ok": False, "error": f"child exited {proc.returncode}: {tail}"}
    return json.loads(lines[-1])


def run(
    name: str,
    sizes: list[int],
    fmt: str,
    seed: int,
    repeat: int,
    timeout: float | None,
    progress: Callable[[str], None],
) -> list[Result]:
    results = []
    for n in sizes:
        path, gen_s = corpus_path(n, fmt, seed)
        if gen_s is not None:
            progress(f"generated {path.name} in {gen_s:.1f} s")
        runs = []
        for _ in range(repeat):
            progress(f"{name} {path.name} ...")
            runs.append(run_child(name, path, timeout))
            if not runs[-1].get("ok"):
                break
        best = min((r for r in runs if r.get("ok")), key=lambda r: r["seconds"], default=runs[-1])
        results.append(
            {
                "benchmark": name,
                "size": n,
                "format": fmt,
                "seed": seed,
                "corpus": str(path),
                "runs": len(runs),
                **best,
            }
        )
    return results


def _table(results: list[Result]) -> str:
    rows = [("benchmark", "format", "size", "seconds", "peak RSS MB", "records/s", "note")]
    for r in results:
        ok = r.get("ok")
        rate = f"{r['size'] / r['seconds']:,.0f}" if ok and r.get("seconds") else ""
        standard = {"ok", "seconds", "peak_rss_mb", "benchmark", "format", "size", "records",
                    "generate_s", "seed"}
        extras = ", ".join(f"{k}={v}" for k, v in r.items() if k not in standard)
        note = extras if ok else (r.get("error", "failed").splitlines() or ["failed"])[0][:100]
        rows.append(
            (
                r["benchmark"],
                r["format"],
                f"{r['size']:,}",
                f"{r['seconds']:.2f}" if "seconds" in r else "-",
                f"{r['peak_rss_mb']:.0f}" if "peak_rss_mb" in r else "-",
                rate,
                note,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for k, row in enumerate(rows):
        out.append(
            "  ".join(
                c.rjust(w) if 1 < i < 6 else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if k == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        return child(argv[1], argv[2])
    p = argparse.ArgumentParser(description="govdisclosure benchmarks on generated catalogues.")
    p.add_argument("benchmark", choices=sorted(BENCHMARKS))
    p.add_argument("--sizes", default="1000,10000,100000", help="comma-separated record counts")
    p.add_argument("--format", dest="fmt", choices=corpus.FORMATS, default="jsonl")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeat", type=int, default=1, help="runs per size; the fastest is reported")
    p.add_argument("--timeout", type=float, default=1800, help="seconds per child run")
    p.add_argument("--json", action="store_true", help="print results as one JSON document")
    args = p.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    def progress(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    results = run(args.benchmark, sizes, args.fmt, args.seed, args.repeat, args.timeout, progress)
    if args.json:
        doc = {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "results": results,
        }
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        print(_table(results))
        for r in results:
            if not r.get("ok"):
                print(f"\n{r['format']}-{r['size']}: {r.get('error', 'failed')}")
    return 0 if all(r.get("ok") for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
