"""Every registered publisher, built-in or third-party, passes the public conformance suite."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import pytest

import govdisclosure as gd
from govdisclosure.catalog.catalog import references
from govdisclosure.model import RECORD_TYPES
from govdisclosure.publishing import available, registry
from govdisclosure.testing import PublisherConformance, make_record, reference_fixture

# One test class per installed publisher: the built-ins and the example signage package.
for _name in available():
    _cls = type(f"TestConformance_{_name}", (PublisherConformance,), {"publisher": _name})
    globals()[_cls.__name__] = _cls


def test_the_example_third_party_publisher_is_registered() -> None:
    """The signage example package is found through its entry point."""
    assert available().get("signage") == "govdisclosure-signage"


@attrs.frozen
class _NoOptions:
    """No options."""


class _LiveHtmlFeed:
    """A faulty publisher: a JSON Feed whose content_html is the raw record title."""

    name = "live-html"
    audiences = ("public",)
    Options = _NoOptions

    def __init__(self, options: object) -> None:
        self.options = options

    def publish(self, job: gd.Job) -> None:
        items = [{"id": r.id, "content_html": f"<p>{gd.localize(r.label, 'en', 'zh-CN')}</p>"}
                 for r in job.records]
        job.write("feed.json", json.dumps({"items": items}))


def test_the_suite_finds_live_html_inside_a_feed(tmp_path: Path) -> None:
    """HTML that a feed reader renders is checked too, not only the feed's own markup."""
    suite = type("Suite", (PublisherConformance,), {"publisher": _LiveHtmlFeed})()
    with pytest.raises(AssertionError, match=r"script with catalogue text|event handler"):
        suite.test_hostile_text_is_inert(tmp_path)


class _EscapedControls(_LiveHtmlFeed):
    """A faulty publisher: record titles as JSON strings, control characters escaped
    (``\\u001b``) and bidi overrides kept, which the raw bytes do not show."""

    name = "escaped"

    def publish(self, job: gd.Job) -> None:
        titles = [gd.localize(r.label, "en", "zh-CN") for r in job.records]
        job.write("titles.json", json.dumps(sorted(titles)))


class _BidiHtml(_LiveHtmlFeed):
    """A faulty publisher: an escaped page whose text keeps a bidi override as an entity."""

    name = "bidi"

    def publish(self, job: gd.Job) -> None:
        job.write("index.html", "<!doctype html><title>x</title><p>&#x202e;gnp.exe</p>")


@pytest.mark.parametrize("publisher", [_EscapedControls, _BidiHtml])
def test_the_suite_finds_escaped_control_characters(tmp_path: Path, publisher: type) -> None:
    """Control and bidi characters count however they are spelt: a JSON escape or an HTML
    character reference is decoded by every reader."""
    suite = type("Suite", (PublisherConformance,), {"publisher": publisher})()
    with pytest.raises(AssertionError, match=r"character U\+(001B|0000|0007|202E)"):
        suite.test_hostile_text_is_inert(tmp_path)


class _DumpsEverything(_LiveHtmlFeed):
    """A faulty publisher: each record as the converter dumps it, references and all."""

    name = "dumps"

    def publish(self, job: gd.Job) -> None:
        for record in job.records:
            job.write(f"{record.TYPE}/{record.id}.json", gd.dumps(record))


def test_the_suite_finds_ids_leaked_through_references(tmp_path_factory: pytest.TempPathFactory,
                                                       ) -> None:
    """A public record naming a non-public one (``related``) must not carry its id out:
    the suite fails a publisher that copies records wholesale."""
    suite = type("Suite", (PublisherConformance,), {"publisher": _DumpsEverything,
                                                    "audiences": ("public",)})()
    with pytest.raises(AssertionError, match=r"non-public record .* leaked"):
        suite.test_no_leak_of_non_public_records(tmp_path_factory)


class _ApprovalItems(_LiveHtmlFeed):
    """A kiosk vendor's publisher of approval items alone: a JSON file per item, a notice
    per withdrawn one."""

    name = "items"

    def shows(self, record_type: str) -> bool:
        """Approval items only."""
        return record_type == "approval_item"

    def publish(self, job: gd.Job) -> None:
        """``<id>.json`` per item and per withdrawn item."""
        for record in job.records:
            if record.TYPE == "approval_item" and job.must_render(record):
                job.write(f"{record.id}.json", json.dumps(
                    {"id": record.id, "title": gd.clean(gd.localize(record.label, "en", "zh-CN"))}))
        for stone in job.tombstones:
            if stone.type == "approval_item" and job.must_render(stone):
                job.write(f"{stone.id}.json", json.dumps(
                    {"id": stone.id, "withdrawn": gd.localize(stone.withdrawn.reason, "en", "en")}))
        for _, ident in job.removed:
            job.remove(f"{ident}.json")


class _DumpsApprovalItems(_ApprovalItems):
    """A faulty publisher of approval items alone: each as the converter dumps it."""

    name = "dumps-items"

    def publish(self, job: gd.Job) -> None:
        """The dumped items."""
        for record in job.records:
            if record.TYPE == "approval_item":
                job.write(f"{record.id}.json", gd.dumps(record))


def test_the_suite_makes_records_of_the_types_a_publisher_shows(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """A publisher that shows approval items alone gets approval items, not disclosures
    it leaves out: a sound one passes requirements it could not have passed without them,
    and a leak is found, not passed over."""
    sound = type("Suite", (PublisherConformance,), {"publisher": _ApprovalItems})()
    assert sound.subjects == ("approval_item",)
    sound.test_withdrawal_leaves_a_tombstone(tmp_path_factory.mktemp("withdrawal"))
    sound.test_changed_record_keeps_its_id(tmp_path_factory.mktemp("changed"))
    faulty = type("Suite", (PublisherConformance,), {"publisher": _DumpsApprovalItems,
                                                     "audiences": ("public",)})()
    with pytest.raises(AssertionError, match=r"non-public record .* leaked"):
        faulty.test_no_leak_of_non_public_records(tmp_path_factory)


class _PurgeList(_ApprovalItems):
    """A faulty kiosk adapter: it lists the ids of the removed items for the kiosk to drop
    from its cache."""

    name = "purge"

    def publish(self, job: gd.Job) -> None:
        """The items, and the purge list."""
        super().publish(job)
        if job.removed:
            job.write("purge.json", json.dumps(sorted(ident for _, ident in job.removed)))


def test_the_suite_finds_the_ids_of_removed_records_in_the_output(tmp_path: Path) -> None:
    """``job.removed`` holds records made secret: an output that lists its ids publishes
    them (publisher-guide.md §3), and the suite names the file, for a publisher of
    approval items too."""
    suite = type("Suite", (PublisherConformance,), {"publisher": _PurgeList})()
    with pytest.raises(AssertionError, match=r"still shown by \['purge/purge\.json'\]"):
        suite.test_record_that_stops_being_public_vanishes(tmp_path)


class _DumpsComplaints(_LiveHtmlFeed):
    """A faulty publisher of complaints (shown in full: no ``shows``), each as the
    converter dumps it."""

    name = "dumps-complaints"

    def publish(self, job: gd.Job) -> None:
        """The dumped complaints."""
        for record in job.records:
            if record.TYPE == "complaint":
                job.write(f"{record.id}.json", gd.dumps(record))


class _ComplaintSuite(PublisherConformance):
    """The suite, making complaints as the publisher guide says: ``record`` overridden."""

    publisher = _DumpsComplaints
    audiences = ("public",)

    def record(self, ident: str, title: gd.Text, *, last: bool = False, **fields: Any
               ) -> gd.Record:
        """A complaint."""
        return make_record("complaint", ident, title, **fields)


def test_the_leak_property_makes_its_records_with_record(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """The leak property's records are made by ``record``, which a suite overrides for a
    type of its choice: complaints that leak are found."""
    with pytest.raises(AssertionError, match=r"non-public record .* leaked"):
        _ComplaintSuite().test_no_leak_of_non_public_records(tmp_path_factory)


class _WindowsOnly(_LiveHtmlFeed):
    """A publisher of service windows alone, which need a hall to be made."""

    name = "windows"

    def shows(self, record_type: str) -> bool:
        """Service windows only."""
        return record_type == "service_window"


def test_the_suite_says_what_to_override_for_a_type_it_cannot_make(tmp_path: Path) -> None:
    """A publisher that shows none of the types the suite makes records of fails every
    requirement saying so, and what to override, not on a vacuous check."""
    suite = type("WindowSuite", (PublisherConformance,), {"publisher": _WindowsOnly})()
    with pytest.raises(AssertionError, match=r"publisher 'windows' shows none of the record "
                       r"types the conformance suite makes records of \(disclosure, .*\): "
                       r"override `record` in WindowSuite"):
        suite.test_hostile_text_is_inert(tmp_path)


@attrs.frozen
class _FieldOptions:
    """The field to copy."""

    field: str = "supersedes"


class _CopiesAField(_LiveHtmlFeed):
    """A faulty publisher: one field of each record as written (a reference unresolved),
    and its ``related`` records resolved, as the rules ask."""

    name = "copies"
    Options = _FieldOptions

    def publish(self, job: gd.Job) -> None:
        for record in job.records:
            related = [job.catalog.resolve(ref) for ref in record.related]
            job.write(f"{record.TYPE}/{record.id}.json", json.dumps({
                "related": [r.id for r in related if r is not None],
                "copied": getattr(record, self.options.field, None),
            }, default=attrs.asdict))


#: Every field that holds references in the suite's reference fixture, but a case's item
#: and a hotline call's hotline: those are published only with a live item or hotline.
_REFERENCE_FIELDS = sorted({path.partition(".")[0] for record in reference_fixture()
                            for path, _, _ in references(record)} - {"item", "hotline"})


def _fields(records: Iterable[gd.Record]) -> set[tuple[str, str]]:
    """``(type, field path without list indexes)`` of every reference ``records`` make."""
    return {(record.TYPE, re.sub(r"\.\d+", "", path)) for record in records
            for path, ref, _ in references(record) if ref is not None}


def test_the_reference_fixture_names_only_hidden_records_everywhere(example_path: Path
                                                                     ) -> None:
    """A record of every type of :func:`reference_fixture` sets every reference it has,
    each to a hidden record, through every field the bundled example uses (``source`` and
    nested ones included)."""
    referrers = [r for r in reference_fixture() if r.id.startswith("names-")]
    assert {r.TYPE for r in referrers} == set(RECORD_TYPES)
    for record in referrers:
        assert all(ref is not None and "-xq" in ref for _, ref, _ in references(record))
    assert _fields(gd.load_catalog(example_path)) <= _fields(referrers)


@pytest.mark.parametrize("field", _REFERENCE_FIELDS)
def test_the_suite_finds_ids_leaked_through_any_reference_field(tmp_path: Path, field: str
                                                                ) -> None:
    """A publisher that resolves ``related`` but copies another reference field as written
    (``supersedes``, ``conference``, a hall's floors ...) fails the suite."""
    suite = type("Suite", (PublisherConformance,), {"publisher": _CopiesAField,
                                                    "options": {"field": field},
                                                    "audiences": ("public",)})()
    with pytest.raises(AssertionError, match=r"leaked into \['copies/"):
        suite.test_no_leak_through_references(tmp_path)


class _StaleReferences(_LiveHtmlFeed):
    """A faulty publisher: a page per record with the titles of its related records,
    rendered only when the record itself changed (not when a record it names did)."""

    name = "stale"

    @staticmethod
    def redraw(job: gd.Job, record: gd.Record) -> bool:
        return job.full or (record.TYPE, record.id) in job.changed

    def publish(self, job: gd.Job) -> None:
        for record in job.records:
            if self.redraw(job, record):
                named = [job.catalog.resolve(ref) for ref in record.related]
                job.write(f"{record.TYPE}/{record.id}.json", json.dumps(
                    [r.id for r in named if r is not None]))
        for kind, ident in job.removed:
            job.remove(f"{kind}/{ident}.json")


class _FreshReferences(_StaleReferences):
    """The same pages, rendered when ``job.must_render`` says so."""

    name = "fresh"

    @staticmethod
    def redraw(job: gd.Job, record: gd.Record) -> bool:
        return job.must_render(record)


def test_must_render_redraws_what_names_a_record_made_secret(tmp_path: Path) -> None:
    """``job.must_render`` is true for an unchanged record whose bare ``related`` id names a
    record that left the selection: the suite's requirement then holds."""
    suite = type("Suite", (PublisherConformance,), {"publisher": _FreshReferences})()
    suite.test_record_that_stops_being_public_vanishes(tmp_path)
    assert json.loads((tmp_path / "fresh" / "disclosure" / "referrer.json").read_text()) == []


class _Stamped(_LiveHtmlFeed):
    """A faulty publisher: an index stamped with the instant of each run."""

    name = "stamped"

    def publish(self, job: gd.Job) -> None:
        job.write("index.json", json.dumps({"generated_at": job.as_of.isoformat(),
                                            "ids": [r.id for r in job.records]}))


@pytest.mark.parametrize(("publisher", "requirement", "message"), [
    (_StaleReferences, "test_record_that_stops_being_public_vanishes",
     r"still shown by \['stale/disclosure/referrer.json'\]"),
    (_Stamped, "test_unchanged_rerun_writes_nothing", r"rewrote 1 file\(s\): \['stamped/index"),
])
def test_the_suite_names_what_a_faulty_publisher_does(tmp_path: Path, publisher: type,
                                                      requirement: str, message: str) -> None:
    """A record made secret stays named by a page that was not rendered again; a stamp of
    the instant rewrites a file on every run: each is caught, and the message says where."""
    suite = type("Suite", (PublisherConformance,), {"publisher": publisher})()
    with pytest.raises(AssertionError, match=message):
        getattr(suite, requirement)(tmp_path)


_SET_ORDER = '''
import json
import attrs

@attrs.frozen
class Options:
    """No options."""

class SetOrder:
    """A faulty publisher: the ids in the order of a set of strings."""
    name = "set-order"
    audiences = ("public", "internal")
    Options = Options

    def __init__(self, options):
        self.options = options

    def publish(self, job):
        job.write("ids.json", json.dumps(list({r.id for r in job.records})))
'''


def test_the_suite_finds_output_that_depends_on_string_hashes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A registered publisher is built a second time in another interpreter (another
    PYTHONHASHSEED): the order of a set reaching the output is caught."""
    (tmp_path / "set_order_pub.py").write_text(_SET_ORDER)
    info = tmp_path / "set_order_pub-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: set-order-pub\nVersion: 0\n")
    (info / "entry_points.txt").write_text(
        "[govdisclosure.publishers]\nset-order = set_order_pub:SetOrder\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    registry._third_party.cache_clear()
    registry.load_publisher.cache_clear()
    try:
        suite = type("Suite", (PublisherConformance,), {"publisher": "set-order"})()
        with pytest.raises(AssertionError, match=r"differ in 1 file\(s\): \['set-order/ids"):
            suite.test_output_is_deterministic(tmp_path / "out")
    finally:
        registry._third_party.cache_clear()
        registry.load_publisher.cache_clear()
