"""The public conformance suite that every publisher, built-in or third-party, passes.

Subclass :class:`PublisherConformance` in a pytest module of your package and name the
publisher as registered under the ``govdisclosure.publishers`` entry-point group::

    from govdisclosure.testing import PublisherConformance

    class TestSignage(PublisherConformance):
        publisher = "signage"
        options = {"limit": 10}

It checks what ADAPTERS.md asks of every publisher: no non-public record leaks for any
audience (a Hypothesis property over generated catalogues, and :func:`reference_fixture`,
whose records of every type name non-public records in every reference field), hostile
text stays inert, output is deterministic, an unchanged re-run writes nothing, a
withdrawal leaves a tombstone, a changed record keeps its id, a dry run counts what the
run then does, and a record that stops being public vanishes. Its other records are of
the first two types of :data:`SUBJECTS` that the publisher ``shows`` (disclosures and news
releases for one that shows every type, allocations for ``ocds``): override
:meth:`~PublisherConformance.record` (and :meth:`~PublisherConformance.base_records`) for
a type outside them. Needs pytest and Hypothesis (the ``conformance`` extra).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import pickle
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar, get_origin, get_type_hints

import attrs

from .catalog import Catalog, CatalogMeta
from .model import (
    RECORD_TYPES,
    Agency,
    Allocation,
    Complaint,
    Disclosure,
    Money,
    NewsRelease,
    Record,
    ResultStage,
    Stage,
    Text,
    Withdrawal,
)
from .model.common import REF, SAME_TYPE, _nested, check_ref, check_refs
from .publishers.pages import clean
from .publishing import PublishReport, publish

try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from lxml import etree, html
except ImportError as exc:  # pragma: no cover - only without the test extra
    raise ImportError("govdisclosure.testing needs pytest and hypothesis: "
                      "pip install 'govdisclosure[conformance]'") from exc

__all__ = ["AS_OF", "HOSTILE", "SUBJECTS", "PublisherConformance", "make_record",
           "output_files", "reference_fixture", "snapshot"]

ZONE = dt.timezone(dt.timedelta(hours=8))
AS_OF = dt.datetime(2002, 12, 31, 18, 0, tzinfo=ZONE)
EARLIER = dt.datetime(2002, 6, 1, 9, 0, tzinfo=ZONE)
LATER = dt.datetime(2030, 1, 1, 9, 0, tzinfo=ZONE)

#: Text that must stay inert in every output.
HOSTILE = (
    '<script>alert("pwned")</script> <img src=x onerror="alert(1)"> '
    '"quotes" \'single\' & ampersand javascript:alert(1) \u202eRTL\u202c \x00\x07\x1b[31m '
    "]]> <![CDATA[ x ]]> {{ 7*7 }} ../../etc/passwd"
)

META = CatalogMeta(
    name={"zh-CN": "测试目录", "en": "Conformance catalogue"},
    base_url="https://gk.example.gov.cn/",
    default_language="zh-CN",
    languages=("zh-CN", "en"),
    timezone="Asia/Shanghai",
)


def output_files(out: Path) -> Iterator[Path]:
    """Every published file below ``out`` (through the target symlinks; no state), sorted."""
    for top in sorted(p for p in out.iterdir() if not p.name.startswith(".")):
        if top.is_file():
            yield top
            continue
        for folder, _, names in sorted(os.walk(top, followlinks=True)):
            for name in sorted(names):
                yield Path(folder, name)


def snapshot(out: Path) -> dict[str, str]:
    """``relative path -> sha256`` of every published file."""
    return {path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in output_files(out)}


def _published_text(out: Path) -> str:
    return "\n".join(text for _, text in _file_texts(out))


def _file_texts(out: Path) -> Iterator[tuple[str, str]]:
    """``(relative path, text)`` of every published file; a JSON file's text also parsed
    and dumped again (\\u escapes must not hide a leak)."""
    for path in output_files(out):
        data = path.read_bytes()
        text = data.decode("utf-8", errors="replace")
        if path.suffix == ".json":
            text += "\n" + json.dumps(_json_or_none(data), ensure_ascii=False)
        yield path.relative_to(out).as_posix(), text


def _json_or_none(data: bytes) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return None


def _agencies() -> list[Record]:
    return [
        Agency(id="province", name={"zh-CN": "省政府", "en": "Province"}, level="province"),
        Agency(id="city", name={"zh-CN": "市政府", "en": "City"}, level="city",
               parent="province", key_department=True),
    ]


@attrs.frozen
class _Visibility:
    """How a generated record is (not) visible; ``public_for`` decides it independently."""

    status: str
    classification: str
    audience: str
    embargoed: bool

    def public_for(self, audience: str, kind: str) -> bool:
        """Whether a record of type ``kind`` may show in ``audience``'s output (MODEL.md;
        the media audience gets news releases under embargo, marked)."""
        embargo_lifted = not self.embargoed or (audience == "media" and kind == "news_release")
        return (self.status in ("approved", "withdrawn") and self.classification == "public"
                and embargo_lifted and (self.audience == "public" or audience == "internal"))

    def fields(self) -> dict[str, Any]:
        """The fields of a record so visible."""
        return {
            "status": self.status,
            "classification": self.classification,
            "audience": self.audience,
            "publish_at": LATER if self.embargoed else None,
            "withdrawn": Withdrawal(on=dt.date(2002, 7, 1), reason="reason") if
            self.status == "withdrawn" else None,
        }


_TOKEN = st.text(alphabet="qxzjkv", min_size=12, max_size=12)  # never a real word
_VISIBILITY = st.builds(
    _Visibility,
    status=st.sampled_from(["approved", "approved", "draft", "withdrawn"]),
    classification=st.sampled_from(["public", "public", "restricted", "secret"]),
    audience=st.sampled_from(["public", "public", "internal"]),
    embargoed=st.booleans(),
)


#: Two records in every example of the leak property: a public one whose ``related``
#: names the secret one (tokens outside the generated alphabet, so never drawn).
_ALWAYS = (("publicwwwwww", _Visibility("approved", "public", "public", embargoed=False)),
           ("secretwwwwww", _Visibility("approved", "secret", "public", embargoed=False)))


def _generated(token: str, index: int, seen: _Visibility, others: Iterable[str] = ()
               ) -> dict[str, Any]:
    """The fields of the leak property's record ``q<token>`` (its id; titled
    ``t<token>``) but its type, id and title."""
    return {
        # every other generated record, public or not: a reference must not carry the id
        # of a record that is not public into the output (resolve through job.catalog)
        "related": [f"q{other}" for other in others if other != token],
        "summary": {"zh-CN": f"s{token}摘要", "en": f"s{token} summary"},
        "body": f"b{token} {HOSTILE}",
        "issued_at": EARLIER + dt.timedelta(days=index),
        **seen.fields(),
    }


#: The record types the suite makes its records of (:attr:`PublisherConformance.subjects`),
#: in the order it picks them: the first two that the publisher under test ``shows``.
#: Each is made by :func:`make_record` from an id, a title and the suite's fields alone.
SUBJECTS: tuple[str, ...] = ("disclosure", "news_release", "allocation", "approval_item",
                             "consultation", "press_conference", "service_hall", "hotline",
                             "work_plan", "evaluation")

#: What a record of another type needs besides an id, a title (or name) and an agency.
_REQUIRED: dict[str, dict[str, Any]] = {
    "agency": {"level": "city"},
    "case": {"received_at": EARLIER},
    "hotline": {"number": "12345"},
    "hotline_call": {"received_at": EARLIER},
    "suggestion": {"received_at": EARLIER},
    "press_conference": {"scheduled_at": EARLIER},
    "service_window": {"number": "1"},
    "complaint": {"received_at": EARLIER},
    "evaluation": {"year": 2002},
    "work_plan": {"year": 2002},
}


def make_record(kind: str, ident: str, title: Text, **fields: Any) -> Record:
    """A record of type ``kind`` of the agency ``city``, titled ``title`` (a news release's
    headline, the name of an agency, a hall or a window); an allocation has a ``before``
    stage with the record's body and an ``after`` stage with an awardee and an amount.
    A case, a hotline call and a service window need their ``item``, ``hotline`` and
    ``hall`` among ``fields``.

    Args:
        kind: the record type.
        ident: its id.
        title: its title.
        **fields: any other field of the record.
    """
    if kind != Agency.TYPE:
        fields.setdefault("agency", "city")
    if kind == "disclosure":
        return Disclosure(id=ident, title=title, category="announcement", **fields)
    if kind == "news_release":
        return NewsRelease(id=ident, headline=title, **fields)
    if kind == "allocation":
        fields.setdefault("before", Stage(published_at=fields.get("issued_at"),
                                          body=fields.get("body")))
        fields.setdefault("after", ResultStage(awardee={"zh-CN": "中标单位", "en": "Awardee"},
                                               amount=Money(amount="1000.50")))
        fields.setdefault("status", "closed")
        return Allocation(id=ident, title=title, kind="procurement", **fields)
    cls = RECORD_TYPES.get(kind)
    if cls is None:
        raise ValueError(f"no record type {kind!r} ({', '.join(RECORD_TYPES)})")
    named = "name" if "name" in attrs.fields_dict(cls) else "title"
    return cls(id=ident, **{named: title, **_REQUIRED.get(kind, {}), **fields})


# -- the reference fixture ---------------------------------------------------------------------

#: The ways a record of the reference fixture is kept out of an output (MODEL.md).
_HIDDEN: dict[str, _Visibility] = {
    "secret": _Visibility("approved", "secret", "public", embargoed=False),
    "restricted": _Visibility("approved", "restricted", "public", embargoed=False),
    "draft": _Visibility("draft", "public", "public", embargoed=False),
    "embargoed": _Visibility("approved", "public", "public", embargoed=True),
    "internal": _Visibility("approved", "public", "internal", embargoed=False),  # 内务公开
}
_PUBLIC = _Visibility("approved", "public", "public", embargoed=False)
_WITHDRAWN = _Visibility("withdrawn", "public", "public", embargoed=False)

#: The types a reference field of any type names (``related``; a single one: a disclosure).
_ANY_TYPE = (Disclosure.TYPE, *(kind for kind in RECORD_TYPES if kind != Disclosure.TYPE))
#: References the model types as plain text: an accountability record's ``source``
#: (MODEL.md: a complaint, an evaluation or an audit finding, written ``type:id``).
_TEXT_REFERENCES = {"source": (Complaint.TYPE,)}


def _marker(variant: str, kind: str) -> str:
    """The id of the fixture's record of type ``kind`` kept out by ``variant`` (in its
    title, summary and body too): no output may contain it."""
    return f"{variant}-{kind.replace('_', '-')}-xq"


def _pointing(cls: type, kind: str, variant: str) -> dict[str, Any]:
    """A value for every reference field of the attrs class ``cls`` (a record of type
    ``kind``, or a value nested in one) that the model declares (``REF`` metadata, the
    ``check_ref`` validators) or :data:`_TEXT_REFERENCES` names, at any depth, naming the
    fixture's records kept out by ``variant``: of the type the field implies (``kind`` for
    ``supersedes``), else ``type:id`` of each type of :data:`_ANY_TYPE` (of the first, in
    a field for one). A list of nested values holds one value, with ``"n1"`` in its other
    required fields (texts and ids)."""
    values: dict[str, Any] = {}
    hints = get_type_hints(cls)
    for field in attrs.fields(cls):
        target = field.metadata.get(REF)
        if target is not None:
            refs = [_marker(variant, kind if target == SAME_TYPE else target)]
        elif field.validator in (check_ref, check_refs) or field.name in _TEXT_REFERENCES:
            refs = [f"{t}:{_marker(variant, t)}"
                    for t in _TEXT_REFERENCES.get(field.name, _ANY_TYPE)]
        else:
            continue
        values[field.name] = tuple(refs) if get_origin(hints[field.name]) is tuple else refs[0]
    for name, inner, many in _nested(cls):
        found = _pointing(inner, kind, variant)
        if found:
            required = {f.name: "n1" for f in attrs.fields(inner) if f.default is attrs.NOTHING}
            value = inner(**{**required, **found})
            values[name] = (value,) if many else value
    return values


def _hidden(variant: str, kind: str) -> Record:
    """The fixture's record of type ``kind`` kept out by ``variant``; its required
    references name records kept out alike."""
    cls, token = RECORD_TYPES[kind], _marker(variant, kind)
    needed = {f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING}
    refs = {name: value for name, value in _pointing(cls, kind, variant).items()
            if name in needed}
    return make_record(kind, token, {"zh-CN": f"{token} 标题", "en": f"{token} title"},
                       summary=f"{token} summary", body=f"{token} body", issued_at=EARLIER,
                       **refs, **_HIDDEN[variant].fields())


def _referrer(variant: str, kind: str, seen: _Visibility = _PUBLIC) -> Record:
    """A record of type ``kind`` (public, or as ``seen``) whose every reference field names
    the fixture's records kept out by ``variant``."""
    ident = f"names-{variant}-{kind}" + ("" if seen is _PUBLIC else f"-{seen.status}")
    return make_record(kind, ident, f"Names {variant} {kind}", issued_at=EARLIER,
                       **_pointing(RECORD_TYPES[kind], kind, variant), **seen.fields())


def reference_fixture() -> list[Record]:
    """The records of :meth:`PublisherConformance.test_no_leak_through_references`: for
    each record type and each way of being kept out of an output (secret, restricted,
    draft, embargoed, internal), a record so hidden, and a public record whose every
    reference field names hidden ones (at any depth: a hall's floors, a window's
    commitments); a withdrawn one of each type too."""
    records = [record for variant in _HIDDEN for kind in RECORD_TYPES
               for record in (_hidden(variant, kind), _referrer(variant, kind))]
    return [*records, *(_referrer("secret", kind, _WITHDRAWN) for kind in RECORD_TYPES)]


class PublisherConformance:
    """Subclass with ``publisher = "<name>"``; every ``test_*`` method is a requirement."""

    publisher: ClassVar[str] = ""
    options: ClassVar[dict[str, Any]] = {}
    audiences: ClassVar[tuple[str, ...]] = ("public", "internal")

    # -- helpers ---------------------------------------------------------------------------

    @functools.cached_property
    def subjects(self) -> tuple[str, ...]:
        """The record types of the suite's records (:meth:`record`): the first two types of
        :data:`SUBJECTS` that the publisher under test ``shows`` (one if it shows one;
        disclosures and news releases for a publisher without ``shows``). Override it to
        choose others that :func:`make_record` builds from an id, a title and the suite's
        fields; override :meth:`record` for any other type.

        Raises:
            AssertionError: the publisher shows none of :data:`SUBJECTS`, and neither
                ``subjects`` nor ``record`` is overridden.
        """
        from .publishing.config import structure_options
        from .publishing.registry import publisher_class

        cls = publisher_class(self.publisher)
        instance = cls(structure_options(self.name, cls.Options, dict(self.options)))
        shows = getattr(instance, "shows", None)
        kinds = tuple(kind for kind in SUBJECTS if shows is None or shows(kind))[:2]
        assert kinds, (
            f"publisher {self.name!r} shows none of the record types the conformance suite "
            f"makes records of ({', '.join(SUBJECTS)}): override `record` in "
            f"{type(self).__name__} to make records of a type it shows "
            "(govdisclosure.testing.make_record makes a record of any type), or `subjects` "
            "to name types that make_record builds from an id and a title")
        return kinds

    def record(self, ident: str, title: Text, *, last: bool = False, **fields: Any
               ) -> Record:
        """A record of the first of :attr:`subjects` (the last with ``last``), with
        ``fields``: every record the suite makes but :func:`reference_fixture`'s (the
        leak property's too, half of them with ``last``)."""
        kinds = self.subjects
        return make_record(kinds[-1] if last else kinds[0], ident, title, **fields)

    def catalog(self, *extra: Record, replace: Iterable[Record] = ()) -> Catalog:
        """The suite's small catalogue, with ``extra`` records and ``replace`` swapped in."""
        records = {(r.TYPE, r.id): r for r in [*_agencies(), *self.base_records(), *extra]}
        for record in replace:
            records[(record.TYPE, record.id)] = record
        return Catalog(records=records.values(), meta=META)

    def base_records(self) -> list[Record]:
        """The records of every catalogue of the suite: two public records with hostile
        text, ``notice-1`` and ``release-1`` (made by :meth:`record`: of the types of
        :attr:`subjects`, a disclosure and a news release by default)."""
        return [
            self.record("notice-1", {"zh-CN": f"公告 {HOSTILE}", "en": f"Notice {HOSTILE}"},
                        summary=HOSTILE,
                        body=f"# Heading\n\n{HOSTILE}\n\n[link](javascript:alert(1))",
                        issued_at=EARLIER),
            self.record("release-1", f"Release {HOSTILE}", last=True, body=HOSTILE,
                        issued_at=EARLIER + dt.timedelta(days=1)),
        ]

    def run(self, catalog: Catalog, out: Path, **kwargs: Any) -> PublishReport:
        """Publish ``catalog`` with the publisher under test into ``out``."""
        kwargs.setdefault("as_of", AS_OF)
        return publish(catalog, [self.publisher], out,
                       options={self.name: dict(self.options)}, **kwargs)

    @property
    def name(self) -> str:
        """The name of the publisher under test (given by name or as a class)."""
        publisher: Any = self.publisher
        return publisher if isinstance(publisher, str) else str(publisher.name)

    def supports(self, audience: str) -> bool:
        """Whether the publisher under test serves ``audience``."""
        from .publishing.registry import publisher_class

        return audience in publisher_class(self.publisher).audiences

    # -- the requirements ------------------------------------------------------------------

    def test_no_leak_of_non_public_records(self, tmp_path_factory: Any) -> None:
        """No id, title or body of a record that is not public reaches any output file,
        not even through another record's reference to it (``related``; every other
        reference field: :meth:`test_no_leak_through_references`). The records are made
        by :meth:`record` (every other one with ``last``), in catalogues that hold
        :meth:`base_records` too."""

        @settings(max_examples=15, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture,
                                         HealthCheck.too_slow])
        @given(st.lists(st.tuples(_TOKEN, _VISIBILITY), min_size=1, max_size=8,
                        unique_by=lambda pair: pair[0]),
               st.sampled_from(self.audiences))
        def prove(pairs: list[tuple[str, _Visibility]], audience: str) -> None:
            if not self.supports(audience):
                return
            pairs = [*pairs, *_ALWAYS]  # a public record naming a secret one, every time
            tokens = [token for token, _ in pairs]
            records = [self.record(f"q{token}", f"t{token}", last=i % 2 == 1,
                                   **_generated(token, i, seen, tokens))
                       for i, (token, seen) in enumerate(pairs)]
            out = tmp_path_factory.mktemp("leak")
            self.run(self.catalog(*records), out, audience=audience)
            text = _published_text(out)
            for record, (token, seen) in zip(records, pairs, strict=True):
                if not seen.public_for(audience, record.TYPE):
                    assert token not in text, f"non-public record {token} leaked ({seen})"
                elif seen.status == "withdrawn":
                    assert f"b{token}" not in text, "a tombstone leaked the withdrawn body"

        prove()

    def test_no_leak_through_references(self, tmp_path: Path) -> None:
        """No reference field of any record type carries a record that is not public into
        any output file or file name: in :func:`reference_fixture`, every one (``related``,
        ``supersedes``, ``conference``, ``releases``, ``agency``, a hall's floors ...) of a
        record of each type names records that are secret, restricted, draft, embargoed or
        internal, whose ids, titles and bodies hold markers."""
        catalog = self.catalog(*reference_fixture())
        for audience in filter(self.supports, self.audiences):
            out = tmp_path / audience
            self.run(catalog, out, audience=audience)
            files = list(_file_texts(out))
            for variant, seen in _HIDDEN.items():
                for kind in RECORD_TYPES:
                    marker = _marker(variant, kind)
                    found = [name for name, text in files if marker in name or marker in text]
                    assert seen.public_for(audience, kind) or not found, (
                        f"the {variant} {kind} {marker}, named by reference fields of public "
                        f"records, leaked into {found[:5]} ({audience} audience): resolve "
                        "every reference through job.catalog and leave out what is None")

    def test_hostile_text_is_inert(self, tmp_path: Path) -> None:
        """Markup, scripts, javascript: URLs and control characters never become active."""
        self.run(self.catalog(), tmp_path)
        files = list(output_files(tmp_path))
        assert files, "the publisher wrote nothing"
        for path in files:
            data = path.read_bytes()
            suffix = path.suffix
            if suffix in (".html", ".htm"):
                check_html_inert(path, data)
                _check_clean(path, _html_strings(html.fromstring(data)))
            elif suffix in (".xml", ".atom", ".rss", ".svg"):
                tree = etree.fromstring(data, etree.XMLParser(resolve_entities=False))
                assert not tree.xpath("//*[local-name()='script']"), f"script element in {path}"
                for text in tree.xpath(_EMBEDDED_HTML):  # escaped HTML a reader renders
                    if str(text).strip():
                        check_html_inert(path, str(text).encode())
                _check_clean(path, _html_strings(tree))
            elif suffix in (".json", ".jsonld", ".webmanifest"):
                parsed = json.loads(data)
                for text in _html_values(parsed):
                    check_html_inert(path, text.encode())
                _check_clean(path, _json_strings(parsed))  # \u escapes decoded
            with contextlib.suppress(UnicodeDecodeError):  # an image or another binary file
                _check_clean(path, [data.decode("utf-8")])

    def test_output_is_deterministic(self, tmp_path: Path) -> None:
        """The same catalogue and as_of give byte-identical output, in another process
        too, whose string hashes differ (the order of a set must not reach the output)."""
        first, second = tmp_path / "a", tmp_path / "b"
        if isinstance(self.publisher, str):  # registered: other interpreters find it by name
            for seed, out in (("0", first), ("1", second)):
                _publish_elsewhere(self.catalog(), self.name, dict(self.options), out, seed)
        else:
            self.run(self.catalog(), first)
            self.run(self.catalog(), second)
        _same_files(snapshot(first), snapshot(second), "two builds of the same catalogue")

    def test_unchanged_rerun_writes_nothing(self, tmp_path: Path) -> None:
        """Publishing an unchanged catalogue again writes no file, also a minute later (the
        same day, no record due): a "generated at" stamp of the instant would rewrite
        files on every run of a cron job."""
        self.run(self.catalog(), tmp_path)
        before = {p: p.stat().st_mtime_ns for p in output_files(tmp_path)}
        for as_of in (AS_OF, AS_OF + dt.timedelta(minutes=1)):
            report = self.run(self.catalog(), tmp_path, as_of=as_of)
            rewritten = sorted(str(p.relative_to(tmp_path)) for p in output_files(tmp_path)
                               if before.get(p) != p.stat().st_mtime_ns)
            assert report.publishers[0].files_written == 0 and not rewritten, (
                f"an unchanged catalogue published again at {as_of.isoformat()} rewrote "
                f"{report.publishers[0].files_written} file(s): {rewritten[:5]}")

    def test_withdrawal_leaves_a_tombstone(self, tmp_path: Path) -> None:
        """A withdrawn record is shown as withdrawn, never silently removed."""
        self.run(self.catalog(), tmp_path)
        withdrawn = self.record("notice-1", "Notice", status="withdrawn", issued_at=EARLIER,
                                withdrawn=Withdrawal(on=dt.date(2002, 8, 1),
                                                     reason="tombstonereason"))
        report = self.run(self.catalog(replace=[withdrawn]), tmp_path)
        assert report.publishers[0].withdrawn == 1, (
            f"the report counts {report.publishers[0].withdrawn} withdrawn records, not 1")
        text = _published_text(tmp_path)
        assert "notice-1" in text and "tombstonereason" in text, (
            "no output names the withdrawn record notice-1 with its withdrawal reason")

    def test_changed_record_keeps_its_id(self, tmp_path: Path) -> None:
        """An updated record shows its new text under the same id."""
        self.run(self.catalog(), tmp_path)
        changed = self.record("notice-1", "newtitlemarker", issued_at=EARLIER,
                              updated_at=EARLIER + dt.timedelta(days=30))
        report = self.run(self.catalog(replace=[changed]), tmp_path)
        assert report.publishers[0].written == 1, (
            f"the report counts {report.publishers[0].written} written records, not 1")
        text = _published_text(tmp_path)
        assert "newtitlemarker" in text and "notice-1" in text, (
            "no output shows the updated record notice-1 with its new title")

    def test_a_dry_run_counts_what_the_run_does(self, tmp_path: Path) -> None:
        """A dry run reports the counts of records that the run then reports: those the
        output shows (``shows``, and ``shown``, which is asked of a dry run's job too and
        must not use its output)."""
        self.run(self.catalog(), tmp_path)
        changed = self.record("notice-1", "drymarker", issued_at=EARLIER)
        extra = self.record("later-1", "Later", last=True,
                            issued_at=EARLIER + dt.timedelta(days=2))
        catalog = self.catalog(extra, replace=[changed])
        dry = self.run(catalog, tmp_path, dry_run=True).publishers[0]
        done = self.run(catalog, tmp_path).publishers[0]
        seen = [(r.written, r.unchanged, r.withdrawn, r.removed) for r in (dry, done)]
        assert seen[0] == seen[1], (
            f"a dry run counts (written, unchanged, withdrawn, removed) {seen[0]}, the run "
            f"then {seen[1]}")

    def test_record_that_stops_being_public_vanishes(self, tmp_path: Path) -> None:
        """A record made secret after publication disappears from an incremental run, also
        from the output of a record that names it (``related``), which did not change."""
        extra = self.record("later-secret", "secretmarker", issued_at=EARLIER)
        referrer = self.record("referrer", "Referrer", related=("later-secret",),
                               issued_at=EARLIER)
        self.run(self.catalog(extra, referrer), tmp_path)
        shown = _published_text(tmp_path)
        assert "secretmarker" in shown or "later-secret" in shown, (
            "the record later-secret is not shown while public")
        hidden = attrs.evolve(extra, classification="secret")
        self.run(self.catalog(hidden, referrer), tmp_path)
        found = [str(p.relative_to(tmp_path)) for p in output_files(tmp_path)
                 if b"secretmarker" in p.read_bytes() or b"later-secret" in p.read_bytes()]
        assert not found, (f"a record made secret is still shown by {found[:5]} (re-render "
                           "what names a touched record: job.must_render)")


def _same_files(first: dict[str, str], second: dict[str, str], what: str) -> None:
    differ = sorted(p for p in first.keys() | second.keys() if first.get(p) != second.get(p))
    assert not differ, f"{what} differ in {len(differ)} file(s): {differ[:5]}"


#: Publishes a pickled catalogue in a fresh interpreter (for the determinism test).
_ELSEWHERE = """
import pickle, sys
from govdisclosure import Catalog, publish
records, meta, name, options, out, as_of = pickle.load(sys.stdin.buffer)
publish(Catalog(records=records, meta=meta), [name], out, as_of=as_of,
        options={name: options}, workers=1)
"""


def _publish_elsewhere(catalog: Catalog, name: str, options: dict[str, Any], out: Path,
                      seed: str) -> None:
    """Publish ``catalog`` with the registered publisher ``name`` in another interpreter
    whose strings hash with ``PYTHONHASHSEED=seed``."""
    data = pickle.dumps((list(catalog), catalog.meta, name, options, out, AS_OF))
    done = subprocess.run([sys.executable, "-c", _ELSEWHERE], input=data,  # noqa: S603
                          capture_output=True,
                          env={**os.environ, "PYTHONHASHSEED": seed}, check=False)
    assert done.returncode == 0, (
        f"publishing in another process failed:\n{done.stderr.decode(errors='replace')}")


#: Feed elements whose text is HTML: Atom content and summary of type html, RSS description
#: and content:encoded.
_EMBEDDED_HTML = ("//*[local-name()='content' or local-name()='summary'][@type='html']/text()"
                  " | //*[local-name()='description' or local-name()='encoded']/text()")


def _html_values(value: object) -> Iterator[str]:
    """The strings under JSON Feed's ``content_html`` keys, at any depth."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "content_html" and isinstance(item, str) and item.strip():
                yield item
            else:
                yield from _html_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _html_values(item)


def _check_clean(path: Path, texts: Iterable[str]) -> None:
    """No control character, bidi override or lone surrogate in ``texts``, however escaped
    (``\\u202e`` in JSON, ``&#x1b;`` in markup): :func:`govdisclosure.clean` removes them."""
    for text in texts:
        if clean(text) != text:
            bad = next(char for char in text if clean(char) != char)
            raise AssertionError(f"character U+{ord(bad):04X} (a control character or "
                                 f"bidi override) in {path}: remove it with gd.clean()")


def _json_strings(value: object) -> Iterator[str]:
    """Every string of a parsed JSON document, keys too."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _html_strings(tree: Any) -> Iterator[str]:
    """Every text, tail and attribute value of a parsed HTML or XML tree, entities
    decoded."""
    for element in tree.iter():
        yield from (element.text or "", element.tail or "")
        yield from (str(value) for value in element.attrib.values())


def check_html_inert(path: Path | str, data: bytes) -> None:
    """No script carries catalogue text, no event handler or javascript: URL exists."""
    document = html.fromstring(data)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"event handler {name} in {path}"
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href"):
                assert not value.strip().lower().startswith(("javascript:", "data:text")), \
                    f"active URL {value!r} in {path}"
        if element.tag == "script":
            body = element.text or ""
            assert "pwned" not in body or element.get("type") in (
                "application/ld+json", "application/json"), f"script with catalogue text in {path}"
            assert "</script" not in body.lower(), f"script element broken out of in {path}"


