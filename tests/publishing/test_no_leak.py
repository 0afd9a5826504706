"""No trace of a record that is not public reaches any output of any registered publisher.

A Hypothesis property over whole generated catalogues (every record type, with draft,
secret, restricted, internal, embargoed and withdrawn records among them): the title,
summary and body of every record that ``is_publishable`` rejects for the audience (or
whose item or hotline it rejects, for a case or a call) are absent from every file every
installed publisher writes; a withdrawn record's summary and
body are absent too (its tombstone shows only that it was withdrawn).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import attrs
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.publishing import available, load_publisher
from govdisclosure.testing import output_files
from strategies import catalogs

AS_OF = dt.datetime(2080, 1, 1, tzinfo=dt.UTC)  # before every generated embargo (2090)


#: What a case or a call shows besides title, summary and body (result notices, the
#: topics of the hotline statistics), marked too.
_SHOWN = {gd.Case: "result_summary", gd.HotlineCall: "topic"}
#: A case is shown only through its item, a call through its hotline.
_PARENT = {gd.Case: ("item", "approval_item"), gd.HotlineCall: ("hotline", "hotline")}


def marked(records: list[gd.Record]) -> list[gd.Record]:
    """Every record with title, summary and body (and a case's result, a call's topic)
    replaced by markers unique to it."""
    return [attrs.evolve(record, title=f"qzx{n}xt", summary=f"qzx{n}xs", body=f"qzx{n}xb",
                         **({_SHOWN[type(record)]: f"qzx{n}xo"} if type(record) in _SHOWN
                            else {}))
            for n, record in enumerate(records)]


def hidden_parent(record: gd.Record, records: list[gd.Record], audience: str) -> bool:
    """Whether a case's item or a call's hotline is not publishable (or not there)."""
    link = _PARENT.get(type(record))
    if link is None:
        return False
    parent = next((r for r in records if (r.TYPE, r.id) == (link[1], getattr(record, link[0]))),
                  None)
    return parent is None or not gd.is_publishable(parent, AS_OF, audience)


#: Settings of the properties that publish twice per example.
TWO_RUNS = settings(max_examples=8, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])


def holding(out: Path, marker: str, files: Iterable[Path] | None = None) -> list[str]:
    """The files (below ``out``) that hold ``marker``: where a leak is, for its message."""
    return [str(p.relative_to(out)) for p in (output_files(out) if files is None else files)
            if marker.encode() in p.read_bytes()]


def published_text(out: Path) -> str:
    """Everything written, as text."""
    return "\n".join(path.read_bytes().decode("utf-8", "replace") for path in output_files(out))


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(catalogs(include_unpublishable=True), st.sampled_from(["public", "internal", "media"]))
def test_no_output_shows_a_non_public_record(tmp_path_factory: object,
                                            generated: tuple[gd.CatalogMeta, list[gd.Record]],
                                            audience: str) -> None:
    """Title, summary and body of non-public records never appear, for any audience;
    nor does anything of a case or call whose item or hotline is not public (its result,
    its topic in the hotline statistics)."""
    meta, records = generated
    records = marked(records)
    catalog = gd.Catalog(records=records, meta=meta)
    out = tmp_path_factory.mktemp("out")  # type: ignore[attr-defined]
    serving = [name for name in available() if audience in load_publisher(name).audiences]
    gd.publish(catalog, serving, out, as_of=AS_OF, audience=audience)
    text = published_text(out)
    for n, record in enumerate(records):
        if (not gd.is_publishable(record, AS_OF, audience)
                or hidden_parent(record, records, audience)):
            assert f"qzx{n}x" not in text, \
                f"{record.ref} ({audience}) leaked into {holding(out, f'qzx{n}x')[:5]}"
        elif record.publication_status == "withdrawn":
            assert f"qzx{n}xs" not in text, f"withdrawn {record.ref} leaked its summary"
            assert f"qzx{n}xb" not in text, f"withdrawn {record.ref} leaked its body"


@TWO_RUNS
@given(catalogs(), st.data())
def test_a_record_made_secret_leaves_every_output_of_the_next_run(
        tmp_path_factory: object, generated: tuple[gd.CatalogMeta, list[gd.Record]],
        data: st.DataObject) -> None:
    """Published records turned secret disappear from every file of the incremental run
    that follows, though it reuses what it can of the previous output (pages, listings,
    the search index), and from the release it replaced, which stays on disk (a server
    of the whole output root would still serve it)."""
    meta, records = generated
    records = marked(records)
    out = tmp_path_factory.mktemp("out")  # type: ignore[attr-defined]
    serving = list(available())
    gd.publish(gd.Catalog(records=records, meta=meta), serving, out, as_of=AS_OF)
    hidden = data.draw(st.sets(st.sampled_from(range(len(records))), min_size=1))
    secret = [attrs.evolve(r, classification="secret") if n in hidden else r
              for n, r in enumerate(records)]
    gd.publish(gd.Catalog(records=secret, meta=meta), serving, out, as_of=AS_OF)
    text = published_text(out)
    releases = sorted(p for p in (out / ".govdisclosure").rglob("*") if p.is_file())
    for n in sorted(hidden):
        assert f"qzx{n}x" not in text, f"{records[n].ref} stayed in {holding(out, f'qzx{n}x')[:8]}"
        assert not holding(out, f"qzx{n}x", releases), f"{records[n].ref} stayed in a release"


@TWO_RUNS
@given(catalogs(), st.data())
def test_a_record_stays_out_of_the_publishers_its_channels_leave_out(
        tmp_path_factory: object, generated: tuple[gd.CatalogMeta, list[gd.Record]],
        data: st.DataObject) -> None:
    """A record whose ``channels`` do not name a publisher leaves no trace in that
    publisher's output (its own pages, listings, indexes, feeds); nor does a case or call
    whose item or hotline they leave out there (statistics, topics, result notices)."""
    meta, records = generated
    serving = list(available())
    channels = [data.draw(st.none() | st.lists(st.sampled_from(serving), unique=True))
                for _ in records]
    records = [attrs.evolve(record, channels=chosen)
               for record, chosen in zip(marked(records), channels, strict=True)]
    out = tmp_path_factory.mktemp("out")  # type: ignore[attr-defined]
    gd.publish(gd.Catalog(records=records, meta=meta), serving, out, as_of=AS_OF)
    by_key = {(r.TYPE, r.id): n for n, r in enumerate(records)}

    def left_out(n: int, name: str) -> bool:
        """Its channels leave ``name`` out, or those of its item or hotline do."""
        chosen = channels[n]
        link = _PARENT.get(type(records[n]))
        parent = by_key.get((link[1], getattr(records[n], link[0]))) if link else None
        return (chosen is not None and name not in chosen) or (
            parent is not None and left_out(parent, name))

    for name in serving:
        files = [p for p in output_files(out) if p.relative_to(out).parts[0] == name]
        text = "\n".join(p.read_bytes().decode("utf-8", "replace") for p in files)
        for n in range(len(records)):
            if left_out(n, name):
                assert f"qzx{n}x" not in text, \
                    f"{records[n].ref} reached {name}: {holding(out, f'qzx{n}x', files)[:5]}"


@TWO_RUNS
@given(catalogs(), st.data())
def test_the_cases_and_calls_of_a_secret_item_or_hotline_leave_no_trace(
        tmp_path_factory: object, generated: tuple[gd.CatalogMeta, list[gd.Record]],
        data: st.DataObject) -> None:
    """Cases and calls are public records shown only through their item and hotline
    (result notices, statistics): when those turn secret, nothing of theirs stays, not
    even a call's topic among the hotline statistics' most frequent ones."""
    meta, records = generated
    records = marked(records)
    children = [n for n, r in enumerate(records) if type(r) in _PARENT
                and gd.is_publishable(r, AS_OF, "public")]
    parents = sorted({(_PARENT[type(records[n])][1], getattr(records[n],
                                                              _PARENT[type(records[n])][0]))
                      for n in children})
    assume(parents)
    chosen = data.draw(st.sets(st.sampled_from(parents), min_size=1))
    records = [attrs.evolve(r, classification="secret") if (r.TYPE, r.id) in chosen else r
               for r in records]
    out = tmp_path_factory.mktemp("out")  # type: ignore[attr-defined]
    gd.publish(gd.Catalog(records=records, meta=meta), list(available()), out, as_of=AS_OF)
    text = published_text(out)
    for n in children:
        if hidden_parent(records[n], records, "public"):
            assert f"qzx{n}x" not in text, \
                f"{records[n].ref} of a secret parent in {holding(out, f'qzx{n}x')[:5]}"
