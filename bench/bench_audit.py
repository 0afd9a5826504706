"""Benchmark: load a catalogue and audit it (goal: 100k records in under 10 s).

    python bench/corpus.py --records 100000 --out /tmp/c100k
    python bench/bench_audit.py /tmp/c100k
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path


def run(path: str | Path) -> None:
    """Load the catalogue at ``path`` and audit it as of the last day of its data."""
    import govdisclosure as gd
    from govdisclosure.audit import audit

    catalog = gd.load_catalog(Path(path))
    audit(catalog, as_of=_as_of(catalog))


def _as_of(catalog: object) -> dt.date:
    """The latest received or issued day of the catalogue (so no year is past the data)."""
    latest = dt.date(1900, 1, 1)
    for record in catalog:  # type: ignore[attr-defined]
        for name in ("received_at", "issued_at"):
            moment = getattr(record, name, None)
            if moment is not None and moment.date() > latest:
                latest = moment.date()
    return latest


def main() -> None:
    """Time loading and auditing separately."""
    import govdisclosure as gd
    from govdisclosure.audit import audit

    path = Path(sys.argv[1])
    start = time.perf_counter()
    catalog = gd.load_catalog(path)
    loaded = time.perf_counter()
    report = audit(catalog, as_of=_as_of(catalog))
    done = time.perf_counter()
    print(f"{len(catalog)} records: load {loaded - start:.2f}s, audit {done - loaded:.2f}s, "
          f"{len(report.findings)} findings {dict(report.summary.by_severity)}")


if __name__ == "__main__":
    main()
