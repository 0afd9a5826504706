"""The webhook publisher against a real receiver on 127.0.0.1 that fails on purpose."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
import requests
from tests.test_cli import invoke

import govdisclosure as gd
from govdisclosure.publishers.webhook import (
    SIGNATURE_HEADER,
    Outcome,
    deliver,
    document_path,
    shown,
)
from govdisclosure.publishing import state_path
from govdisclosure.testing import AS_OF, EARLIER, META, make_record
from loopback import ScriptedServer

SECRET = "s3cret-for-tests"  # noqa: S105 - a test value
ENV = "GD_TEST_HOOK_SECRET"


class Receiver(ScriptedServer):
    """An endpoint on 127.0.0.1 that answers from a script of behaviours: ``ok`` (200),
    ``fail`` (500), ``busy`` (429), ``down`` (503), ``bad`` (400), ``slow`` (200 after a
    second); ``ok`` once the script is used up. ``NAME=VALUE`` answers as ``NAME`` with
    ``Retry-After: VALUE``."""

    path = "/hooks/disclosure"

    def answer(self, action: str) -> int | None:
        """As the class says."""
        name = action.partition("=")[0]
        if name == "slow":
            self.release.wait(1)
        return {"ok": 200, "slow": 200, "fail": 500, "busy": 429, "down": 503,
                "bad": 400}[name]

    def headers(self, action: str) -> dict[str, str]:
        """``Retry-After`` for ``NAME=VALUE``."""
        _, asks, value = action.partition("=")
        return {"Retry-After": value} if asks else {}

    @property
    def documents(self) -> list[dict[str, Any]]:
        """The bodies received, parsed."""
        return [json.loads(body) for _, body in self.requests]

    def ids(self) -> list[str]:
        """``type:id:action`` of each request received, in order."""
        return [f"{d['type']}:{d['id']}:{d['action']}" for d in self.documents]


@pytest.fixture(name="receiver")
def fixture_receiver(request: pytest.FixtureRequest) -> Iterator[Receiver]:
    """A loopback endpoint following the test's script (``parametrize`` indirect)."""
    with Receiver(list(getattr(request, "param", []))) as receiver:
        yield receiver


@pytest.fixture(name="secret", autouse=True)
def fixture_secret(monkeypatch: pytest.MonkeyPatch) -> str:
    """The endpoints' HMAC secret, in the environment variable the options name."""
    monkeypatch.setenv(ENV, SECRET)
    return SECRET


def records(*extra: gd.Record) -> list[gd.Record]:
    """Two agencies and three public disclosures (``d1``..``d3``), then ``extra``."""
    found = {(r.TYPE, r.id): r for r in [
        gd.Agency(id="province", name={"zh-CN": "省政府", "en": "Province"}, level="province"),
        gd.Agency(id="city", name={"zh-CN": "市政府", "en": "City"}, level="city",
                  parent="province"),
        *(make_record("disclosure", f"d{n}", f"Title {n}", issued_at=EARLIER)
          for n in (1, 2, 3)),
    ]}
    for record in extra:
        found[record.TYPE, record.id] = record
    return list(found.values())


def publish(out: Path, items: list[gd.Record], *endpoints: str, as_of: dt.datetime = AS_OF,
            undelivered: int = 0, **options: Any) -> gd.PublishReport:
    """Publish ``items`` with the webhook publisher only, pushing to ``endpoints``; the
    report counts ``undelivered`` records as failed (published, owed to an endpoint)."""
    options.setdefault("retries", 0)
    options.setdefault("backoff_s", 0)
    options.setdefault("timeout_s", 2)
    options["endpoints"] = [{"url": url, "secret_env": ENV, **({"types": options.pop("types_")}
                                                                 if "types_" in options else {})}
                            for url in endpoints]
    report = gd.publish(gd.Catalog(items, META), to=["webhook"], out=out, as_of=as_of,
                        options={"webhook": options})
    assert report.failed == undelivered, report.publishers[0].failures
    return report


def outbox(out: Path) -> list[tuple[str, str, int, str | None]]:
    """``(channel, key, attempts, last_error)`` of every pending delivery, in order."""
    return _outbox(out, "channel, key, attempts, last_error")


def outbox_bodies(out: Path) -> list[tuple[str, str, bytes]]:
    """``(channel, key, body)`` of every pending delivery, in order."""
    return _outbox(out, "channel, key, body")


def _outbox(out: Path, columns: str) -> list[Any]:
    db = sqlite3.connect(state_path(out))
    try:
        return db.execute(f"SELECT {columns} FROM outbox ORDER BY seq").fetchall()  # noqa: S608
    finally:
        db.close()


def free_port() -> int:
    """A loopback port nobody listens on (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# -- documents and headers --------------------------------------------------------------------

def test_each_record_is_pushed_signed_with_its_idempotency_key(tmp_path: Path,
                                                               receiver: Receiver) -> None:
    """Each document is POSTed as JSON with an HMAC-SHA256 signature of its bytes (it
    verifies with the secret) and a key of type, id, revision and the body's digest; the body is
    the file written under records/."""
    publish(tmp_path, records(), receiver.url)
    assert receiver.ids() == ["agency:city:published", "agency:province:published",
                              *(f"disclosure:d{n}:published" for n in (1, 2, 3))]
    for headers, body in receiver.requests:
        assert headers["Content-Type"] == "application/json"
        expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers[SIGNATURE_HEADER], f"sha256={expected}")
        document = json.loads(body)
        assert headers["Idempotency-Key"] == (  # ADAPTERS.md: record id + revision hash
            f"{document['type']}:{document['id']}:{document['revision']}:"
            f"{hashlib.sha256(body).hexdigest()}")
        path = tmp_path / "webhook" / document_path(document["type"], document["id"])
        assert path.read_bytes() == body
    assert outbox(tmp_path) == []


def test_money_is_pushed_with_its_currency(tmp_path: Path, receiver: Receiver) -> None:
    """An allocation's amount in CNY, the default, is pushed as ``{ amount, currency }``
    (MODEL.md's money), not as an amount a receiver must know the currency of."""
    publish(tmp_path, records(make_record("allocation", "land", "Land", issued_at=EARLIER)),
            receiver.url, types_=["allocation"])

    document, = receiver.documents
    assert document["record"]["after"]["amount"] == {"amount": "1000.50", "currency": "CNY"}


def test_the_revision_is_the_ledger_s(tmp_path: Path, receiver: Receiver) -> None:
    """A document's revision is the revision_hash of the record's ledger receipt, and its
    as_of the instant of the run."""
    publish(tmp_path, records(), receiver.url)
    document = receiver.documents[-1]
    with gd.publishing.StateStore(state_path(tmp_path)) as store:
        [receipt] = store.receipts("disclosure:d3")
    assert document["revision"] == receipt.revision_hash
    assert document["as_of"] == AS_OF.isoformat()


def test_updates_withdrawals_and_removals_are_pushed(tmp_path: Path,
                                                     receiver: Receiver) -> None:
    """An update says ``updated``, a withdrawal ``withdrawn`` with its reason and no body,
    a record made secret ``removed`` with no record, and its file goes."""
    publish(tmp_path, records(), receiver.url)
    receiver.requests.clear()
    changed = make_record("disclosure", "d1", "New title", issued_at=EARLIER,
                          body="bodymarker")
    withdrawn = make_record("disclosure", "d2", "Title 2", issued_at=EARLIER, body="gone",
                            status="withdrawn",
                            withdrawn=gd.Withdrawal(on=dt.date(2002, 8, 1), reason="why"))
    secret = make_record("disclosure", "d3", "Title 3", issued_at=EARLIER,
                         classification="secret")
    publish(tmp_path, records(changed, withdrawn, secret), receiver.url)
    assert receiver.ids() == ["disclosure:d1:updated", "disclosure:d2:withdrawn",
                              "disclosure:d3:removed"]
    update, stone, removal = receiver.documents
    assert update["record"]["title"] == "New title"
    assert stone["record"]["withdrawn"] == {"on": "2002-08-01", "reason": "why"}
    assert "body" not in stone["record"]
    assert removal["record"] is None
    assert removal["revision"] is None
    assert not (tmp_path / "webhook" / document_path("disclosure", "d3")).exists()


def with_changes(*changes: gd.Change, **fields: Any) -> gd.Record:
    """``d1`` with a history of ``changes`` (and other ``fields``)."""
    return make_record("disclosure", "d1", "Title 1", issued_at=EARLIER,
                       **{"changes": changes, **fields})


FIRST = gd.Change(at=EARLIER + dt.timedelta(days=1), note="first", major=True)
MINOR = gd.Change(at=EARLIER + dt.timedelta(days=2), note="typo", major=False)


@pytest.mark.parametrize("earlier", [(FIRST,), ()], ids=["after a major change", "first"])
def test_a_change_its_record_calls_minor_is_written_not_pushed(
        tmp_path: Path, receiver: Receiver, earlier: tuple[gd.Change, ...]) -> None:
    """MODEL.md: only major changes notify webhooks. An update adding only ``major =
    false`` changes goes to the document's file but not to the endpoint; the next major
    change is pushed with all of them."""
    publish(tmp_path, records(with_changes(*earlier)), receiver.url)
    receiver.requests.clear()
    publish(tmp_path, records(with_changes(*earlier, MINOR, body="fixed typo")), receiver.url)
    assert receiver.ids() == []
    written = json.loads((tmp_path / "webhook" / document_path("disclosure", "d1")).read_bytes())
    assert written["record"]["body"] == "fixed typo"
    assert outbox(tmp_path) == []
    major = gd.Change(at=EARLIER + dt.timedelta(days=3), note="new figures")
    publish(tmp_path, records(with_changes(*earlier, MINOR, major)), receiver.url)
    assert receiver.ids() == ["disclosure:d1:updated"]
    assert [c["note"] for c in receiver.documents[0]["record"]["changes"]] == [
        *(c.note for c in earlier), "typo", "new figures"]


@pytest.mark.parametrize("update", [
    pytest.param({"body": "edited"}, id="no change noted"),
    pytest.param({"changes": (FIRST, MINOR), "updated_at": EARLIER + dt.timedelta(days=2)},
                 id="updated_at moved"),
    pytest.param({"changes": (FIRST, MINOR), "related": ()}, id="a reference gone"),
    pytest.param({"changes": (FIRST, MINOR), "tags": ("b",)}, id="a list item gone"),
])
def test_other_updates_are_pushed_even_with_a_minor_change(
        tmp_path: Path, receiver: Receiver, update: dict[str, Any]) -> None:
    """An update is pushed unless it only adds minor changes: an edit with no change
    noted, a moved ``updated_at``, or anything taken out of the document (a reference to
    a record made secret since: the receiver must not keep it) is pushed."""
    before = {"changes": (FIRST,), "related": ("d2",), "tags": ("a", "b")}
    publish(tmp_path, records(with_changes(**before)), receiver.url)
    receiver.requests.clear()
    publish(tmp_path, records(with_changes(**{**before, **update})), receiver.url)
    assert receiver.ids() == ["disclosure:d1:updated"]


def test_a_minor_change_replaces_an_older_document_still_waiting(tmp_path: Path) -> None:
    """A document that could not be delivered is not sent after a minor change that
    redacts it: the new document replaces it in the outbox and goes out instead."""
    with Receiver(["ok"] * 5 + ["down"]) as receiver:
        publish(tmp_path, records(with_changes(FIRST)), receiver.url)
        leaked = with_changes(FIRST, gd.Change(at=EARLIER + dt.timedelta(days=2), note="n"),
                              body="Call Li Si at 138-0000-0000")
        publish(tmp_path, records(leaked), receiver.url, undelivered=1)
        receiver.requests.clear()
        redacted = attrs.evolve(leaked, changes=(*leaked.changes, MINOR),
                                body="Call the office")
        publish(tmp_path, records(redacted), receiver.url)
    assert [d["record"]["body"] for d in receiver.documents] == ["Call the office"]
    assert outbox(tmp_path) == []


def test_a_new_endpoint_gets_a_record_whose_update_is_minor(tmp_path: Path) -> None:
    """An endpoint added in the run of a minor update (a full run) receives that record."""
    with Receiver([]) as first, Receiver([]) as second:
        publish(tmp_path, records(with_changes(FIRST)), first.url)
        publish(tmp_path, records(with_changes(FIRST, MINOR)), first.url, second.url)
    assert "disclosure:d1:updated" in second.ids()


def test_notify_every_pushes_minor_changes_too(tmp_path: Path, receiver: Receiver) -> None:
    """``notify = "every"`` keeps a receiver's copy in step with every change."""
    publish(tmp_path, records(with_changes(FIRST)), receiver.url, notify="every")
    receiver.requests.clear()
    publish(tmp_path, records(with_changes(FIRST, MINOR)), receiver.url, notify="every")
    assert receiver.ids() == ["disclosure:d1:updated"]


def test_references_to_records_that_are_not_public_are_left_out(tmp_path: Path,
                                                                receiver: Receiver) -> None:
    """``related`` keeps the public records only; a secret one is never named."""
    hidden = make_record("disclosure", "hidden", "Hidden", classification="secret")
    referrer = make_record("disclosure", "ref", "Referrer", issued_at=EARLIER,
                           related=("d1", "hidden", "disclosure:d2"))
    publish(tmp_path, records(hidden, referrer), receiver.url)
    [document] = [d for d in receiver.documents if d["id"] == "ref"]
    assert document["record"]["related"] == ["d1", "disclosure:d2"]
    assert b"hidden" not in receiver.requests[-1][1]


def test_a_bare_source_is_shown_only_when_it_is_a_public_record(tmp_path: Path,
                                                               receiver: Receiver) -> None:
    """An accountability record's ``source`` written as a bare id names a public complaint,
    one that is not public, or a record of another system: only the first is shown."""
    complaints = [gd.Complaint(id=ident, agency="city", received_at=EARLIER,
                               classification=level)
                  for ident, level in (("cmp-open", "public"), ("cmp-hidden", "secret"))]
    cases = [gd.AccountabilityRecord(id=f"acc-{n}", agency="city", subject_unit="city",
                                     violation="black_box", source=source, issued_at=EARLIER)
             for n, source in enumerate(("cmp-open", "cmp-hidden", "complaint:cmp-hidden"))]
    publish(tmp_path, records(*complaints, *cases), receiver.url)
    sources = {d["id"]: d["record"].get("source") for d in receiver.documents
               if d["type"] == "accountability_record"}
    assert sources == {"acc-0": "cmp-open", "acc-1": None, "acc-2": None}
    assert not any(b"cmp-hidden" in body for _, body in receiver.requests)


def test_a_tombstone_drops_an_agency_made_secret(tmp_path: Path, receiver: Receiver) -> None:
    """A withdrawn record's document names its agency while it is public; once the agency
    is secret the tombstone is pushed again without it (it did not change itself)."""
    stone = make_record("disclosure", "gone", "Gone", issued_at=EARLIER, agency="city",
                        status="withdrawn",
                        withdrawn=gd.Withdrawal(on=dt.date(2002, 8, 1), reason="why"))
    publish(tmp_path, records(stone), receiver.url)
    assert [d["record"].get("agency") for d in receiver.documents if d["id"] == "gone"] == [
        "city"]
    city = next(r for r in records() if r.id == "city")
    publish(tmp_path, records(stone, attrs.evolve(city, classification="secret")),
            receiver.url)
    last = [d for d in receiver.documents if d["id"] == "gone"][-1]
    assert "agency" not in last["record"]
    document = json.loads((tmp_path / "webhook" / document_path("disclosure", "gone"))
                          .read_bytes())
    assert "agency" not in document["record"]


def test_an_endpoint_receives_only_its_types(tmp_path: Path, receiver: Receiver) -> None:
    """An endpoint's ``types`` limits what it is sent; the documents are all written."""
    publish(tmp_path, records(), receiver.url, types_=["agency"])
    assert receiver.ids() == ["agency:city:published", "agency:province:published"]
    assert (tmp_path / "webhook" / document_path("disclosure", "d1")).is_file()


# -- failures, retries and the outbox ---------------------------------------------------------

@pytest.mark.parametrize("receiver", [["fail", "busy"]], indirect=True)
def test_a_5xx_or_429_is_retried_with_the_same_key(tmp_path: Path, receiver: Receiver) -> None:
    """500 then 429 then 200: three attempts at the first document, byte for byte the same
    with the same key and signature; then the rest; nothing is left pending or reported."""
    report = publish(tmp_path, records(), receiver.url, retries=2)
    assert len(receiver.requests) == 5 + 2
    first, second, third = receiver.requests[:3]
    assert first == second == third
    assert report.publishers[0].warnings == []
    assert outbox(tmp_path) == []


def test_retries_back_off_exponentially(receiver: Receiver) -> None:
    """The waits before the retries double: backoff_s, 2 x backoff_s, ..."""
    receiver.script[:] = ["fail", "fail", "fail", "fail"]
    waits: list[float] = []
    with requests.Session() as session:
        outcome = deliver(session, receiver.url, b"{}", "k", SECRET, timeout_s=2, retries=3,
                          backoff_s=0.5, sleep=waits.append)
    assert (outcome.delivered, outcome.attempts, outcome.error) == (False, 4, "HTTP 500")
    assert waits == [0.5, 1.0, 2.0]
    assert len(receiver.requests) == 4


#: The clock of the Retry-After tests: 2002-12-31T16:00:00Z, a Tuesday.
NOW = dt.datetime(2002, 12, 31, 16, tzinfo=dt.UTC).timestamp()


def attempt(receiver: Receiver, *script: str, retries: int = 2) -> tuple[Outcome, list[float]]:
    """Deliver one document to ``receiver`` answering ``script``, with backoff_s 0.5 (so
    at most 1 s with 2 retries) and the clock at NOW: the outcome, and the waits made."""
    receiver.script[:] = script
    waits: list[float] = []
    with requests.Session() as session:
        outcome = deliver(session, receiver.url, b"{}", "k", SECRET, timeout_s=2,
                          retries=retries, backoff_s=0.5, sleep=waits.append, clock=lambda: NOW)
    return outcome, waits


def test_retry_after_seconds_replace_the_backoff(receiver: Receiver) -> None:
    """A 429 or 503 whose Retry-After asks for N seconds (up to the longest backoff) is
    retried after N seconds, 0 included, instead of the backoff."""
    outcome, waits = attempt(receiver, "busy=1", "down=0")
    assert (outcome.delivered, outcome.attempts) == (True, 3)
    assert waits == [1, 0]


@pytest.mark.parametrize("date", ["Tue, 31 Dec 2002 16:00:01 GMT",
                                  "Tuesday, 31-Dec-02 16:00:01 GMT",
                                  "Tue Dec 31 16:00:01 2002"])
def test_retry_after_dates_in_each_form_of_rfc_9110(receiver: Receiver, date: str) -> None:
    """A Retry-After HTTP-date (IMF-fixdate, RFC 850 or asctime) is waited for."""
    outcome, waits = attempt(receiver, f"down={date}")
    assert outcome.delivered
    assert waits == [1]


@pytest.mark.parametrize("value", ["-1", "1.5", "soon", "", "Tue, 31 Dec 2002 15:59:58 GMT",
                                   "Tue, 31 Feb 2002 16:00:01 GMT"])
def test_an_invalid_or_past_retry_after_keeps_the_backoff(receiver: Receiver,
                                                          value: str) -> None:
    """A Retry-After that is neither delay-seconds nor an HTTP-date, or is past, is
    ignored: the computed backoff is waited."""
    outcome, waits = attempt(receiver, f"down={value}", f"busy={value}")
    assert outcome.delivered
    assert waits == [0.5, 1.0]


def test_retry_after_counts_only_on_429_and_503(receiver: Receiver) -> None:
    """A 500 asking to wait 30 s is retried after the backoff, as any 500."""
    outcome, waits = attempt(receiver, "fail=30")
    assert outcome.delivered
    assert waits == [0.5]


def test_a_retry_after_beyond_the_longest_backoff_ends_the_attempts(receiver: Receiver) -> None:
    """Asked to wait longer than the longest backoff, the delivery waits for no one: no
    retry in this run, and the error says how long the endpoint asked for."""
    outcome, waits = attempt(receiver, "down=2")
    assert (outcome.delivered, outcome.attempts, waits) == (False, 1, [])
    assert outcome.error == ("HTTP 503 (the endpoint asked to wait 2 s: more than the longest "
                             "backoff, 1 s)")
    assert len(receiver.requests) == 1


def test_the_last_attempt_s_error_says_what_retry_after_asked(receiver: Receiver) -> None:
    """With no retry left, the error still says how long the endpoint asked to wait."""
    outcome, waits = attempt(receiver, "busy=30", retries=0)
    assert (outcome.delivered, outcome.error, waits) == (
        False, "HTTP 429 (the endpoint asked to wait 30 s)", [])


@pytest.mark.parametrize("receiver", [["busy=120"]], indirect=True)
def test_a_long_retry_after_leaves_the_deliveries_in_the_outbox(tmp_path: Path,
                                                                receiver: Receiver) -> None:
    """An endpoint asking for two minutes is not waited for: one request, a warning with
    the wait it asked for, and every delivery waits in the outbox for the next run."""
    report = publish(tmp_path, records(), receiver.url, retries=2, backoff_s=0.5,
                     undelivered=5)
    assert len(receiver.requests) == 1
    error = "HTTP 429 (the endpoint asked to wait 120 s: more than the longest backoff, 1 s)"
    [warning] = report.publishers[0].warnings
    assert f"{error} after 1 attempt(s); 5 delivery(ies) wait in the outbox" in warning
    assert [row[2:] for row in outbox(tmp_path)] == [(1, error)] + [(0, None)] * 4


@pytest.mark.parametrize("receiver", [["bad"]], indirect=True)
def test_a_4xx_is_not_retried_and_stays_pending(tmp_path: Path, receiver: Receiver) -> None:
    """A 400 is not retried in the run (another attempt would get the same answer); it
    stays in the outbox, the endpoint is sent nothing after it (no overtaking), and the
    next run, with nothing changed, delivers everything in order."""
    report = publish(tmp_path, records(), receiver.url, retries=3, undelivered=5)
    assert len(receiver.requests) == 1
    [warning] = report.publishers[0].warnings
    assert "HTTP 400 after 1 attempt(s); 5 delivery(ies) wait" in warning
    assert [row[2:] for row in outbox(tmp_path)] == [(1, "HTTP 400")] + [(0, None)] * 4
    first = receiver.ids()
    report = publish(tmp_path, records(), receiver.url, retries=3)
    assert report.publishers[0].warnings == []
    assert receiver.ids() == [*first, "agency:city:published", "agency:province:published",
                              *(f"disclosure:d{n}:published" for n in (1, 2, 3))]
    assert outbox(tmp_path) == []


@pytest.mark.parametrize("receiver", [["slow"]], indirect=True)
def test_a_slow_endpoint_times_out_without_failing_the_publication(
        tmp_path: Path, receiver: Receiver) -> None:
    """An endpoint that answers later than timeout_s is given up for this run: the
    documents are written, the report has a warning, the outbox keeps everything."""
    report = publish(tmp_path, records(), receiver.url, timeout_s=0.2, undelivered=5)
    [warning] = report.publishers[0].warnings
    assert "Timeout" in warning
    assert "5 delivery(ies) wait" in warning
    assert len(outbox(tmp_path)) == 5
    assert (tmp_path / "webhook" / document_path("disclosure", "d1")).is_file()


def test_a_refused_delivery_is_delivered_by_the_next_run(tmp_path: Path) -> None:
    """Connection refused: everything waits in the outbox; the next run, with the same
    catalogue and as_of (no change at all), delivers it, in the first run's order, with
    the same keys; a third run sends nothing again."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/hooks/disclosure"
    report = publish(tmp_path, records(), url, retries=1, undelivered=5)
    [warning] = report.publishers[0].warnings
    assert "ConnectionError" in warning
    assert all("waits in the outbox" in failure["message"]
               for failure in report.publishers[0].failures)
    assert "after 2 attempt(s)" in warning
    pending = outbox(tmp_path)
    assert [attempts for _, _, attempts, _ in pending] == [2, 0, 0, 0, 0]
    with Receiver([], port=port) as receiver:
        report = publish(tmp_path, records(), url, retries=1)
        assert report.publishers[0].files_written == 0
        assert report.publishers[0].warnings == []
        assert [headers["Idempotency-Key"] for headers, _ in receiver.requests] == [
            key for _, key, _, _ in pending]
        assert outbox(tmp_path) == []
        publish(tmp_path, records(), url, retries=1, as_of=AS_OF + dt.timedelta(minutes=1))
        assert len(receiver.requests) == 5


@pytest.mark.parametrize("query", ["token=t0ken", "token=t\u00e9", "token=a%2fb%2bc",
                                   "t=%e5%af%86"])
@pytest.mark.parametrize("user", ["", "user:pw@"])
def test_a_network_error_never_shows_the_url_s_query_or_password(query: str,
                                                                 user: str) -> None:
    """requests names the URL in a connection error: its path (which may be the secret),
    query (which may hold a token) and user information, as written or percent-encoded in
    any case, are left out."""
    url = f"http://{user}127.0.0.1:{free_port()}/hooks/disclosure?{query}"
    with requests.Session() as session:
        outcome = deliver(session, url, b"{}", "k", SECRET, timeout_s=2, retries=0,
                          backoff_s=0, sleep=lambda _: None)
    assert outcome.error.startswith("ConnectionError: ")
    assert "with url: /… " in outcome.error
    assert "hooks" not in outcome.error
    assert "?" not in outcome.error
    assert query.rpartition("=")[2].lower() not in outcome.error.lower()
    assert "pw" not in outcome.error


def test_a_host_urllib3_cannot_parse_is_a_failed_delivery() -> None:
    """No exception escapes a delivery, not even urllib3's for a host it cannot parse."""
    with requests.Session() as session:
        outcome = deliver(session, "http://-bad-.example..com/hook?token=x", b"{}", "k",
                          SECRET, timeout_s=2, retries=0, backoff_s=0, sleep=lambda _: None)
    assert not outcome.delivered
    assert outcome.error
    assert "token" not in outcome.error


@pytest.mark.parametrize("url", ["http://user:pw@/hook", "http://h.example:99999/hook",
                                 "http://h.example:abc/hook", "http://[::1:1/hook",
                                 "http://h.example/a\x1b[2J", "http://h.example/\u202eevil",
                                 "https://h.example\\services\\T0\\SECRET"])
def test_an_endpoint_url_that_does_not_parse_is_a_config_error(tmp_path: Path,
                                                               url: str) -> None:
    """A URL with no host, a port that is not one, an open IPv6 bracket, control or bidi
    characters, or a backslash (a slash to urllib3, not to urlsplit) is refused with the
    option's name (exit code 2), before anything runs."""
    with pytest.raises(gd.ConfigError, match=r"endpoints.*url.*is not an http\(s\) URL"):
        publish(tmp_path, records(), url)
    assert not (tmp_path / "webhook").exists()


def test_shown_never_fails_and_never_shows_control_characters() -> None:
    """An outbox row of an older version may hold any URL: shown() is total and clean."""
    assert shown("http://[::1:1/hook") == "(a URL that does not parse)"
    assert shown("http://h.example:99999/x") == "(a URL that does not parse)"
    assert shown("http://u:p@h.example/a\x1b[2J\u202e?token=x") == "http://h.example/…"
    assert shown("http://h.example\u202e?token=x") == "http://h.example"


@pytest.mark.parametrize(("url", "expected"), [
    ("https://hooks.slack.com/services/T000/B000/XXXXSECRET", "https://hooks.slack.com/…"),
    ("https://user:pw@cms.example.gov.cn:8443/hooks/disclosure?token=t#f",
     "https://cms.example.gov.cn:8443/…"),
    ("http://[::1]:8080/XXXXSECRET", "http://[::1]:8080/…"),
    ("https://cms.example.gov.cn/?token=t", "https://cms.example.gov.cn/"),
    ("https://cms.example.gov.cn", "https://cms.example.gov.cn"),
    # an older outbox row: the host ends at a backslash, after which comes the path
    ("https://h.example\\services\\T0\\SECRET", "https://h.example/…"),
])
def test_an_endpoint_is_shown_without_its_path(url: str, expected: str) -> None:
    """Messages show an endpoint as scheme, host and port, and ``/…`` for any path: a
    Slack-style endpoint's path is its secret."""
    assert shown(url) == expected


SLACK_PATH = "/services/T000/B000/XXXXSECRET"


def test_no_message_shows_an_endpoint_s_path(tmp_path: Path,
                                             caplog: pytest.LogCaptureFixture) -> None:
    """An endpoint whose path is its secret (Slack-style) fails: the report's warnings
    and failures, the log and ``webhook outbox`` (table and --json) show it as
    ``http://127.0.0.1:PORT/…``; the outbox in the state store keeps the whole URL, to
    deliver to."""
    url = f"http://127.0.0.1:{free_port()}{SLACK_PATH}?token=t0ken"
    report = publish(tmp_path, records(), url, undelivered=5)
    endpoint = shown(url)
    assert endpoint == f"{url.partition('/services')[0]}/…"
    [warning] = report.publishers[0].warnings
    assert warning.startswith(f"webhook endpoint {endpoint}: ConnectionError: ")
    messages = [failure["message"] for failure in report.publishers[0].failures]
    assert all(endpoint in message for message in messages)
    listed = invoke("webhook", "outbox", "--out", str(tmp_path)).stdout
    data = invoke("webhook", "outbox", "--out", str(tmp_path), "--json").stdout
    assert {d["endpoint"] for d in json.loads(data)["deliveries"]} == {endpoint}
    for shown_text in (warning, *messages, caplog.text, listed, data):
        assert "XXXXSECRET" not in shown_text
        assert "services" not in shown_text
        assert "t0ken" not in shown_text
    assert {channel for channel, _, _, _ in outbox(tmp_path)} == {url}


def test_the_outbox_command_scrubs_the_errors_an_older_version_stored(tmp_path: Path) -> None:
    """An error stored before endpoints' paths were hidden (requests' ``with url:
    /services/...``) is listed without the path."""
    url = f"http://127.0.0.1:{free_port()}{SLACK_PATH}"
    publish(tmp_path, records(), url, undelivered=5)
    old = (f"ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=1): Max retries "
           f"exceeded with url: {SLACK_PATH} (Caused by NewConnectionError('{url}'))")
    with contextlib.closing(sqlite3.connect(state_path(tmp_path))) as db, db:
        db.execute("UPDATE outbox SET last_error = ? WHERE attempts = 1", (old,))
    data = json.loads(invoke("webhook", "outbox", "--out", str(tmp_path), "--json").stdout)
    first, *_ = data["deliveries"]
    assert first["last_error"] == (
        "ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=1): Max retries exceeded "
        f"with url: /… (Caused by NewConnectionError('{shown(url)}'))")


@pytest.mark.parametrize(("endpoints", "message"), [
    ([f"https://hooks.slack.com{SLACK_PATH}"] * 2,
     r"endpoints\[1\].url: 'https://hooks.slack.com/…' is listed twice"),
    ([f"https://hooks.slack.com:99999{SLACK_PATH}"],
     r"endpoints.0.url: '\(a URL that does not parse\)' is not an http\(s\) URL"),
    ([f"ftp://hooks.slack.com{SLACK_PATH}"],
     r"endpoints.0.url: 'ftp://hooks.slack.com/…' is not an http\(s\) URL"),
])
def test_a_configuration_error_does_not_show_an_endpoint_s_path(
        tmp_path: Path, endpoints: list[str], message: str) -> None:
    """An endpoint listed twice, or not an http(s) URL, is refused naming it as messages
    show endpoints: never its path."""
    with pytest.raises(gd.ConfigError, match=message) as caught:
        publish(tmp_path, records(), *endpoints)
    assert "XXXXSECRET" not in str(caught.value)


def test_earlier_deliveries_go_before_this_run_s(tmp_path: Path) -> None:
    """What an earlier run could not deliver is delivered before what this run queued."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/hooks/disclosure"
    publish(tmp_path, records(), url, undelivered=5)
    changed = make_record("disclosure", "d1", "New title", issued_at=EARLIER)
    with Receiver([], port=port) as receiver:
        publish(tmp_path, records(changed), url)
        assert receiver.ids()[-2:] == ["disclosure:d3:published", "disclosure:d1:updated"]


@pytest.mark.parametrize("change", ["secret", "withdrawn"])
def test_an_undelivered_document_never_goes_out_once_its_record_is_not_public(
        tmp_path: Path, change: str) -> None:
    """A document still in the outbox is replaced by the record's latest one: made secret
    (or withdrawn) before the endpoint came back, the record's old body is never sent,
    and is gone from the state store."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/hooks/disclosure"
    secretive = make_record("disclosure", "d1", "Title 1", issued_at=EARLIER,
                            body="CONFIDENTIALFIGURES")
    publish(tmp_path, records(secretive), url, undelivered=5)
    assert any(b"CONFIDENTIALFIGURES" in body for _, _, body in outbox_bodies(tmp_path))
    later = (attrs.evolve(secretive, classification="secret") if change == "secret" else
             attrs.evolve(secretive, status="withdrawn", withdrawn=gd.Withdrawal(
                 on=dt.date(2002, 12, 1), reason="superseded")))
    with Receiver([], port=port) as receiver:
        publish(tmp_path, records(later), url)
        bodies = [body for _, body in receiver.requests]
        assert receiver.ids()[-1] == ("disclosure:d1:removed" if change == "secret"
                                      else "disclosure:d1:withdrawn")
    assert len(bodies) == 5
    assert not any(b"CONFIDENTIALFIGURES" in body for body in bodies)
    assert outbox_bodies(tmp_path) == []


def test_deliveries_to_a_removed_endpoint_are_dropped(tmp_path: Path,
                                                     receiver: Receiver) -> None:
    """An endpoint taken out of the options gets nothing more: its pending deliveries are
    dropped with a warning (the change of options makes a full run, which pushes every
    document to the endpoints that remain)."""
    gone = f"http://127.0.0.1:{free_port()}/gone"
    publish(tmp_path, records(), gone, undelivered=5)
    report = publish(tmp_path, records(), receiver.url)
    assert any(f"5 undelivered delivery(ies) to {shown(gone)}," in w
               for w in report.publishers[0].warnings)
    assert len(receiver.requests) == 5
    assert outbox(tmp_path) == []


def test_a_full_run_resends_the_same_documents(tmp_path: Path, receiver: Receiver) -> None:
    """``--full`` pushes every document again, byte for byte the same (its first as_of
    kept), so a receiver drops them by their keys."""
    publish(tmp_path, records(), receiver.url)
    first = list(receiver.requests)
    gd.publish(gd.Catalog(records(), META), to=["webhook"], out=tmp_path,
               as_of=AS_OF + dt.timedelta(days=1), full=True,
               options={"webhook": {"endpoints": [{"url": receiver.url, "secret_env": ENV}],
                                    "retries": 0}})
    assert receiver.requests[5:] == first


def test_a_dry_run_delivers_and_writes_nothing(tmp_path: Path, receiver: Receiver) -> None:
    """--dry-run: no request, no file, no outbox."""
    port = free_port()
    publish(tmp_path, records(), f"http://127.0.0.1:{port}/hooks", undelivered=5)
    before = outbox(tmp_path)
    changed = make_record("disclosure", "d1", "New title", issued_at=EARLIER)
    report = gd.publish(gd.Catalog(records(changed), META), to=["webhook"], out=tmp_path,
                        as_of=AS_OF, dry_run=True, options={"webhook": {"endpoints": [
                            {"url": receiver.url, "secret_env": ENV}]}})
    assert report.publishers[0].written == 1
    assert receiver.requests == []
    assert outbox(tmp_path) == before
    document = json.loads((tmp_path / "webhook" / document_path("disclosure", "d1")).read_text())
    assert document["record"]["title"] == "Title 1"


# -- options ----------------------------------------------------------------------------------

def test_a_missing_secret_is_a_config_error(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """An endpoint whose secret_env is not set refuses the run (a ConfigError, exit 2 on
    the command line) before any publisher of it runs: nothing is written, not even the
    state store; reading the options does not need the secret (a catalogue validates on a
    machine that does not run the webhook)."""
    monkeypatch.delenv(ENV)
    with pytest.raises(gd.ConfigError, match=r"webhook: endpoints\[0\].secret_env: the "
                       rf"environment variable '{ENV}' is not set"):
        gd.publish(gd.Catalog(records(), META), to=["feeds", "webhook"], out=tmp_path,
                   as_of=AS_OF, options={"webhook": {"endpoints": [
                       {"url": "https://cms.example.gov.cn/hooks", "secret_env": ENV}]}})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("endpoint", "message"), [
    ({"url": "ftp://cms.example.gov.cn/x"}, r"endpoints.0.url: 'ftp://.*' is not an http"),
    ({"url": "https://cms.example.gov.cn/x", "secret": "x"}, r"endpoints.0.secret: unknown"),
    ({"url": "https://cms.example.gov.cn/x", "types": ["case"]}, r"only in aggregate"),
])
def test_endpoint_options_are_checked(tmp_path: Path, endpoint: dict[str, Any],
                                      message: str) -> None:
    """Only http(s) URLs, no unknown keys (a secret written into the file), no cases."""
    with pytest.raises(gd.ConfigError, match=message):
        gd.publish(gd.Catalog(records(), META), to=["webhook"], out=tmp_path, as_of=AS_OF,
                   options={"webhook": {"endpoints": [{"secret_env": ENV, **endpoint}]}})


def test_the_configuration_file_shape_of_interface_md(tmp_path: Path,
                                                      receiver: Receiver) -> None:
    """``[[publish.webhook.endpoints]]`` tables of url and secret_env, as INTERFACE.md."""
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "govdisclosure.toml").write_text(
        f'[[publish.webhook.endpoints]]\nurl = "{receiver.url}"\nsecret_env = "{ENV}"\n')
    loaded = gd.Catalog(records(), META, root=folder)
    report = gd.publish(loaded, to=["webhook"], out=tmp_path / "out", as_of=AS_OF)
    assert report.publishers[0].warnings == []
    assert len(receiver.requests) == 5


# -- the outbox API ---------------------------------------------------------------------------

@attrs.frozen
class _NoOptions:
    """No options."""


class _ParallelQueue(gd.BasePublisher):
    """A publisher that queues one delivery per record from forked workers."""

    name = "parallel-queue"
    Options = _NoOptions

    def publish(self, job: gd.Job) -> None:
        def one(record: gd.Record) -> None:
            job.write(f"{record.id}.txt", record.id)
            job.outbox.add("somewhere", record.id, record.id.encode())

        job.parallel(one, list(job.records), min_share=1)

    def after_switch(self, job: gd.Job) -> list[str]:
        return [delivery.key for delivery in job.outbox.pending()]


def test_deliveries_queued_in_worker_processes_reach_the_outbox(tmp_path: Path) -> None:
    """``job.outbox.add`` in forked workers is merged back and stored with the run."""
    report = gd.publish(gd.Catalog(records(), META), to=[_ParallelQueue], out=tmp_path,
                        as_of=AS_OF, workers=3)
    assert sorted(report.publishers[0].warnings) == ["city", "d1", "d2", "d3", "province"]


def test_failed_attempts_note_when_they_were_made(tmp_path: Path) -> None:
    """A delivery keeps the time (UTC) of its first failed attempt and moves that of its
    last one; a delivery not tried yet has neither."""
    url = f"http://127.0.0.1:{free_port()}/hooks/disclosure"
    publish(tmp_path, records(), url, undelivered=5)
    long_ago = "2000-01-01T00:00:00+00:00"
    with contextlib.closing(sqlite3.connect(state_path(tmp_path))) as db, db:
        db.execute("UPDATE outbox SET first_attempt = ?, last_attempt = ? WHERE attempts = 1",
                   (long_ago, long_ago))
    publish(tmp_path, records(), url, undelivered=5)
    (attempts, first, last), *untried = _outbox(tmp_path, "attempts, first_attempt, "
                                                          "last_attempt")
    assert (attempts, first) == (2, long_ago)
    assert dt.datetime.fromisoformat(last).utcoffset() == dt.timedelta(0)
    assert last > long_ago
    assert untried == [(0, None, None)] * 4


# -- govdisclosure webhook outbox -------------------------------------------------------------

@pytest.mark.parametrize("receiver", [["bad"]], indirect=True)
def test_the_outbox_command_lists_the_waiting_deliveries(tmp_path: Path,
                                                         receiver: Receiver) -> None:
    """After a run whose endpoint refused a document, ``webhook outbox --json`` lists what
    waits, oldest first: the endpoint (without path, user information or query), the
    record, the key, the attempts, the last error and when it was tried; never the
    secret."""
    url = receiver.url.replace("://", "://user:pass@") + "?token=t0ken"
    publish(tmp_path, records(), url, undelivered=5)
    result = invoke("webhook", "outbox", "--out", str(tmp_path), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is True
    assert [(d["endpoint"], d["record"], d["key"], d["attempts"], d["last_error"])
            for d in data["deliveries"]] == [
        (shown(receiver.url), ":".join(key.split(":")[:2]), key, attempts, error)
        for _, key, attempts, error in outbox(tmp_path)]
    first, *untried = data["deliveries"]
    assert first["record"] == "agency:city"
    assert first["first_attempt"] == first["last_attempt"] is not None
    assert all(d["first_attempt"] is d["last_attempt"] is None for d in untried)
    text = invoke("webhook", "outbox", "--out", str(tmp_path))
    assert text.exit_code == 0
    assert "5 delivery(ies) waiting" in text.stdout
    assert "HTTP 400" in text.stdout
    for hidden in ("t0ken", "user:pass", SECRET, receiver.path):
        assert hidden not in result.stdout + text.stdout


def test_the_outbox_command_says_when_nothing_waits(tmp_path: Path, receiver: Receiver) -> None:
    """Once everything is delivered, the outbox is empty, and that is exit code 0."""
    publish(tmp_path, records(), receiver.url)
    result = invoke("webhook", "outbox", "--out", str(tmp_path))
    assert (result.exit_code, result.stdout) == (
        0, f"nothing waits in the webhook outbox of {tmp_path}\n")
    data = json.loads(invoke("webhook", "outbox", "--out", str(tmp_path), "--json").stdout)
    assert (data["ok"], data["deliveries"]) == (True, [])


def test_the_outbox_command_needs_a_state_store(tmp_path: Path) -> None:
    """Where nothing was published there is no outbox to show: exit code 2, saying so."""
    result = invoke("webhook", "outbox", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert f"no state store at {state_path(tmp_path)}" in result.stderr
    data = json.loads(invoke("--json", "webhook", "outbox", "--out", str(tmp_path)).stdout)
    assert (data["ok"], data["error"]) == (False, "LedgerError")


def test_the_outbox_command_reads_an_outbox_without_attempt_times(tmp_path: Path) -> None:
    """A state store whose outbox predates subjects and attempt times is listed (the
    record read from the key), with no attempt time."""
    path = state_path(tmp_path)
    path.parent.mkdir(parents=True)
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, target TEXT "
                   "NOT NULL, channel TEXT NOT NULL, key TEXT NOT NULL, body BLOB NOT NULL, "
                   "queued TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error "
                   "TEXT, UNIQUE (target, channel, key))")
        db.execute("INSERT INTO outbox (target, channel, key, body, queued, attempts, "
                   "last_error) VALUES ('webhook', 'https://cms.example/hook', "
                   "'disclosure:d1:ab:cd', x'7b7d', '2002-12-31T18:00:00+08:00', 3, 'HTTP 503')")
    result = invoke("webhook", "outbox", "--out", str(tmp_path), "--json")
    assert result.exit_code == 0, result.output
    [delivery] = json.loads(result.stdout)["deliveries"]
    assert (delivery["record"], delivery["attempts"], delivery["first_attempt"]) == (
        "disclosure:d1", 3, None)
