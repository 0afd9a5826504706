"""Benchmarks of the feeds publisher.

Functions the bench runner can call with a catalogue folder (each returns figures)::

    run_full(path)         publish --full with the feeds publisher into a temporary folder
    run_incremental(path)  publish, change one record, publish again (the second run timed)
    compare(path)          our rendering vs bare feedgen on the same entries, in one process

Usage::

    python bench/bench_feeds.py [--sizes 1000,10000] [--json]

Corpora are generated with ``bench/corpus.py`` into ``bench/.cache/jsonl-<n>`` (shared
with ``bench/run.py``; delete the folder to regenerate).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
sys.path.insert(0, str(HERE))

AS_OF = dt.datetime(2003, 12, 31, 18, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
Result = dict[str, Any]


def _load(path: Path) -> Any:
    import govdisclosure as gd

    return gd.load_catalog(path)


def run_full(path: Path) -> Result:
    """Load, then publish everything with the feeds publisher (the publish is timed)."""
    import govdisclosure as gd

    catalog = _load(path)
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        report = gd.publish(catalog, to=["feeds"], out=out, as_of=AS_OF, full=True)
        seconds = time.perf_counter() - started
    feeds = report.publishers[0]
    return {"publish_s": round(seconds, 3), "files": feeds.files_written, "bytes": feeds.bytes}


def _touch_one(catalog: Any) -> Any:
    """The catalogue with one disclosure changed (title and updated_at)."""
    import attrs

    import govdisclosure as gd

    records = list(catalog)
    for index, record in enumerate(records):
        if record.TYPE == "disclosure" and record.status == "approved" and record.issued_at:
            records[index] = attrs.evolve(record, title="Changed for the benchmark",
                                          updated_at=AS_OF - dt.timedelta(days=1))
            break
    return gd.Catalog(records, catalog.meta, root=catalog.root, check=False)


def run_incremental(path: Path) -> Result:
    """Publish, modify one record of the corpus, publish again: the second run is timed."""
    import govdisclosure as gd

    catalog = _load(path)
    changed = _touch_one(catalog)
    with tempfile.TemporaryDirectory() as out:
        gd.publish(catalog, to=["feeds"], out=out, as_of=AS_OF)
        started = time.perf_counter()
        report = gd.publish(changed, to=["feeds"], out=out, as_of=AS_OF)
        seconds = time.perf_counter() - started
    feeds = report.publishers[0]
    return {"incremental_s": round(seconds, 3), "files_written": feeds.files_written}


class _NullWriter:
    """Keeps nothing: measures rendering, not the disk."""

    def write(self, path: str, data: bytes) -> None:
        pass

    def remove(self, path: str) -> None:
        pass

    def exists(self, path: str) -> bool:
        return False

    def read(self, path: str) -> bytes | None:
        return None


def _job(catalog: Any) -> Any:
    import govdisclosure as gd
    from govdisclosure.publishers.feeds import FeedsOptions
    from govdisclosure.publishing.selection import select

    selection = select(catalog, AS_OF, "public")
    return gd.Job(records=selection.records, tombstones=selection.tombstones,
                  meta=catalog.meta, options=FeedsOptions(), as_of=AS_OF, audience="public",
                  full=True, changed=frozenset(selection.hashes), removed=frozenset(),
                  writer=_NullWriter())


def _documents(catalog: Any) -> list[tuple[str, list[dict[str, Any]], bool]]:
    """Every document our publisher renders, as (title, entry data, subscription?)."""
    from govdisclosure.publishers.feeds import FeedsOptions
    from govdisclosure.publishers.feeds.publisher import _Run

    run = _Run(_job(catalog), FeedsOptions())
    docs = []
    for scope, items in run.by_scope.items():
        months = run._closed_months(items)
        for lang in run.job.languages:
            top = [run._entry(item, lang) for item in items[:50]]
            docs.append((f"{lang}/{scope}", [pair[1] for pair in top if pair], True))
            for month in months:
                pairs = [run._entry(item, lang) for item in items if item.month == month]
                docs.append((f"{lang}/{scope}/{month}", [p[1] for p in pairs if p], False))
    return docs


def _bare(docs: list[tuple[str, list[dict[str, Any]], bool]], *, with_json: bool) -> None:
    """Plain feedgen use: a generator per document, an entry per item, Atom (+ RSS)."""
    from feedgen.feed import FeedGenerator

    for name, entries, subscription in docs:
        newest = dt.datetime.fromisoformat(entries[0]["date_modified"])
        fg = FeedGenerator()
        fg.id(f"https://example.org/feeds/{name}")
        fg.title(name)
        fg.description(name)
        fg.author(name="publisher")
        fg.link(href=f"https://example.org/feeds/{name}.atom", rel="self")
        fg.link(href="https://example.org/", rel="alternate")
        fg.updated(newest)
        for data in entries:
            fe = fg.add_entry(order="append")
            fe.guid(data["id"], permalink=False)
            fe.title(data["title"])
            fe.link(href=data["url"], rel="alternate")
            fe.updated(dt.datetime.fromisoformat(data["date_modified"]))
            fe.published(dt.datetime.fromisoformat(data["date_published"]))
            fe.author(name=data["authors"][0]["name"])
            fe.description(data["content_text"])
            fe.content(data["content_html"], type="html")
            for tag in data["tags"]:
                fe.category(term=tag)
        fg.atom_str(pretty=True)
        if subscription:
            fg.rss_str(pretty=True)
            if with_json:
                json.dumps({"items": entries}, ensure_ascii=False, indent=1)


def compare(path: Path) -> Result:
    """Our publisher (Atom + RSS + JSON + archives, no disk) vs bare feedgen, same entries."""
    from govdisclosure.publishers.feeds import FeedsOptions, FeedsPublisher

    catalog = _load(path)
    docs = _documents(catalog)
    ours_runs, bare_runs = [], []
    for _ in range(3):  # alternate, best of three: the first run of either pays the warm-up
        started = time.perf_counter()
        _bare(docs, with_json=True)
        bare_runs.append(time.perf_counter() - started)
        job = _job(catalog)
        started = time.perf_counter()
        FeedsPublisher(FeedsOptions()).publish(job)
        ours_runs.append(time.perf_counter() - started)
    ours, bare = min(ours_runs), min(bare_runs)
    return {"documents": len(docs), "entries": sum(len(d[1]) for d in docs),
            "ours_s": round(ours, 3), "bare_feedgen_s": round(bare, 3),
            "ratio": round(ours / bare, 2)}


def _corpus(n: int) -> Path:
    import corpus

    folder = CACHE / f"jsonl-{n}"
    if not (folder / "catalog.toml").is_file():
        corpus.generate(n, folder, seed=0, fmt="jsonl")
    return folder


def main(argv: list[str] | None = None) -> int:
    """Run every feeds benchmark at each size and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = []
    for n in (int(size) for size in args.sizes.split(",")):
        path = _corpus(n)
        row: Result = {"records": n}
        for fn in (run_full, run_incremental, compare):
            row.update(fn(path))
        results.append(row)
        if not args.json:
            print(" ".join(f"{key}={value}" for key, value in row.items()), flush=True)
    if args.json:
        print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
