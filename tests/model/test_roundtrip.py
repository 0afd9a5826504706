"""Records survive JSON, validators refuse what MODEL.md forbids, and is_publishable."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from tests import strategies

import govdisclosure as gd
from govdisclosure.model import RECORD_TYPES

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2002, 6, 1, 9, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize("cls", list(RECORD_TYPES.values()), ids=list(RECORD_TYPES))
def test_dumps_then_loads_gives_the_same_record(cls: type[gd.Record]) -> None:
    """Every record type survives gd.dumps / gd.loads unchanged, hostile text included."""

    @given(strategies.records(cls))
    def roundtrip(record: gd.Record) -> None:
        assert gd.loads(gd.dumps(record), type(record)) == record

    roundtrip()


@given(strategies.any_record())
def test_loads_without_a_class_uses_the_type_key(record: gd.Record) -> None:
    """gd.loads without a class picks the class from the JSON's type key."""
    assert gd.loads(gd.dumps(record)) == record


def test_money_is_written_as_a_plain_decimal_string() -> None:
    """Money amounts are dumped as plain decimal strings, never in exponent notation."""
    fee = gd.Fee(name="fee", amount=gd.Money(amount=Decimal("1E+3")))
    item = gd.ApprovalItem(id="item", agency="agency", title="t", fees=[fee])

    assert '"amount": "1000"' in gd.dumps(item)
    assert gd.loads(gd.dumps(item), gd.ApprovalItem) == item


def money_written(value: Any, data: Any) -> list[Any]:
    """The JSON (``data``) of every gd.Money inside ``value``, an attrs instance."""
    if isinstance(value, gd.Money):
        return [data]
    found = []
    for attribute in attrs.fields(type(value)):
        item, written = getattr(value, attribute.name), data.get(attribute.name)
        if attrs.has(type(item)):
            found += money_written(item, written)
        elif isinstance(item, tuple):
            found += [money for one, text in zip(item, written or [], strict=False)
                      if attrs.has(type(one)) for money in money_written(one, text)]
    return found


@given(strategies.any_record())
def test_money_is_written_with_its_currency_even_the_default(record: gd.Record) -> None:
    """MODEL.md writes money as ``{ amount, currency }``: gd.dumps never leaves the
    currency out, CNY included."""
    for money in money_written(record, json.loads(gd.dumps(record))):
        assert set(money) == {"amount", "currency"}


@given(strategies.money())
def test_a_fee_and_an_award_are_written_with_their_currency(money: gd.Money) -> None:
    """In a fee and in an allocation's result, whatever the currency."""
    item = gd.ApprovalItem(id="item", agency="agency", title="t",
                           fees=[gd.Fee(name="fee", amount=money)])
    allocation = gd.Allocation(id="land", agency="agency", title="t",
                               after=gd.ResultStage(amount=money))

    assert json.loads(gd.dumps(item))["fees"][0]["amount"]["currency"] == money.currency
    assert json.loads(gd.dumps(allocation))["after"]["amount"]["currency"] == money.currency


def test_a_fee_in_cny_is_written_with_its_currency() -> None:
    """A fee given without a currency (CNY, the default) is written ``currency: CNY``."""
    fee = gd.Fee(name="fee", amount=gd.Money(amount=Decimal("12.50")))
    item = gd.ApprovalItem(id="item", agency="agency", title="t", fees=[fee])

    assert json.loads(gd.dumps(item))["fees"][0]["amount"] == {"amount": "12.50",
                                                                "currency": "CNY"}


def test_loads_refuses_a_record_of_another_class() -> None:
    """gd.loads with a class refuses JSON whose type names another class."""
    text = gd.dumps(gd.Agency(id="a", name="A", level="city"))

    with pytest.raises(gd.CatalogError) as caught:
        gd.loads(text, gd.Disclosure)

    assert caught.value.problems[0].field == "type"


# -- validators ---------------------------------------------------------------------------------


def disclosure(**changes: Any) -> gd.Disclosure:
    """A valid disclosure with some fields changed."""
    fields: dict[str, Any] = {"id": "notice-1", "agency": "jilin-aic", "title": "Notice"}
    return gd.Disclosure(**{**fields, **changes})


@pytest.mark.parametrize("bad", ["../x", "A B", "", "Upper", "a" * 81, "-lead", "a/b", "é",
                                 None, 7])
def test_an_id_outside_the_id_rule_is_refused(bad: str) -> None:
    """Ids must match ^[a-z0-9][a-z0-9._-]{0,79}$; a record's own id is required."""
    with pytest.raises(gd.InvalidValue) as caught:
        disclosure(id=bad)
    assert caught.value.field == "id"


@pytest.mark.parametrize(("changes", "path"), [
    ({"status": "withdrawn", "withdrawn": {"on": "2002-01-01", "reason": "r"}}, "withdrawn"),
    ({"status": "withdrawn", "withdrawn": {}}, "withdrawn"),
    ({"attachments": [{"title": "a", "url": "https://x.example/a.pdf"}]}, "attachments.0"),
    ({"changes": [gd.Change(at=dt.datetime(2002, 1, 1, tzinfo=dt.UTC), note="n"),
                  {"at": "2002-01-02T00:00:00+08:00", "note": "n"}]}, "changes.1"),
])
def test_a_mapping_where_a_model_class_belongs_is_refused(changes: dict[str, Any],
                                                           path: str) -> None:
    """Validation on construction (MODEL.md): a dict written for a Withdrawal, an
    Attachment or a Change is refused naming the field, not left for a publisher to trip
    over (AttributeError: 'dict' object has no attribute 'on')."""
    with pytest.raises(gd.InvalidValue, match="expected") as caught:
        disclosure(**changes)
    assert caught.value.field == path


def test_a_mapping_deep_inside_is_refused_by_the_value_holding_it() -> None:
    """Below the record too: an allocation stage refuses a mapping for its attachment."""
    with pytest.raises(gd.InvalidValue) as caught:
        gd.Stage(attachments=[{"title": "a", "url": "https://x.example/a.pdf"}])
    assert caught.value.field == "attachments.0"


@pytest.mark.parametrize("name", ["tags", "channels", "related"])
def test_a_string_where_a_list_belongs_is_refused(name: str) -> None:
    """``tags="ab"`` is an error, as in a catalogue file: neither the tags "a" and "b"
    nor a list of one tag."""
    with pytest.raises(gd.InvalidValue, match="expected a list, got a string") as caught:
        disclosure(**{name: "ab"})
    assert caught.value.field == name


@pytest.mark.parametrize("good", ["a", "0", "a" * 80, "land-use.permit_2002"])
def test_an_id_inside_the_id_rule_is_accepted(good: str) -> None:
    """Ids of one to 80 allowed characters are accepted."""
    assert disclosure(id=good).id == good


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"agency": "../x"}, "agency"),
        ({"supersedes": "A B"}, "supersedes"),
        ({"related": ["ok", "not ok"]}, "related.1"),
        ({"issued_at": dt.datetime(2002, 1, 1)}, "issued_at"),  # noqa: DTZ001 - the point
        ({"publish_at": dt.date(2002, 1, 1)}, "publish_at"),
        ({"status": "withdrawn"}, "withdrawn"),
        ({"withdrawn": gd.Withdrawal(on=dt.date(2002, 1, 1), reason="x")}, "withdrawn"),
        ({"status": "published"}, "status"),
        ({"classification": "confidential"}, "classification"),
        ({"audience": "media"}, "audience"),
        ({"sector": "army"}, "sector"),
        ({"category": "gossip"}, "category"),
        ({"title": {}}, "title"),
        ({"title": {"EN GB": "x"}}, "title.EN GB"),
        ({"summary": {"en": 3}}, "summary.en"),
    ],
    ids=lambda value: str(value) if isinstance(value, str) else None,
)
def test_a_record_breaking_a_rule_is_refused_naming_the_field(
    changes: dict[str, Any], field: str
) -> None:
    """A record that breaks a rule of MODEL.md raises InvalidValue naming the field."""
    with pytest.raises(gd.InvalidValue) as caught:
        disclosure(**changes)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: gd.Money(amount=Decimal("-0.01")), "amount"),
        (lambda: gd.Money(amount=1.5), "amount"),
        (lambda: gd.Money(amount="twelve"), "amount"),
        (lambda: gd.Money(amount=Decimal("NaN")), "amount"),
        (lambda: gd.Money(amount=Decimal(1), currency="yuan"), "currency"),
        (lambda: gd.TimeLimit(statutory=20, promised=21), "promised"),
        (lambda: gd.TimeLimit(statutory=-1), "statutory"),
        (lambda: gd.TimeLimit(statutory=20, unit="weeks"), "unit"),
        (gd.ContactPoint, ""),
        (lambda: gd.Attachment(title="a", url="u", sha256="ABC"), "sha256"),
        (lambda: gd.Withdrawal(on=dt.datetime(2002, 1, 1, tzinfo=dt.UTC), reason="r"), "on"),
        (lambda: gd.Evaluation(id="e", agency="a", year=2002, score=100.5), "score"),
        (lambda: gd.Evaluation(id="e", agency="a", year=202), "year"),
        (lambda: gd.Evaluation(id="e", agency="a", year=2002, components={"x": float("nan")}),
         "components.x"),
        (lambda: gd.Case(id="c", agency="a", item="i", received_at=NOW,
                         decided_at=NOW - dt.timedelta(days=1)), "decided_at"),
        (lambda: gd.HotlineCall(id="c", agency="a", hotline="h", received_at=NOW,
                                closed_at=NOW - dt.timedelta(seconds=1)), "closed_at"),
        (lambda: gd.Consultation(id="c", agency="a", title="t", opens_at=NOW,
                                 closes_at=NOW - dt.timedelta(days=1)), "closes_at"),
        (lambda: gd.WorkPlan(id="w", agency="a", title="t", year=2002,
                             tasks=[gd.PlanTask(id="t", text="x"), gd.PlanTask(id="t", text="y")]),
         "tasks.1.id"),
        (lambda: gd.ServiceWindow(id="w", agency="a", hall="h", number="1", name="n",
                                  services=["A B"]), "services.0"),
        (lambda: gd.Commitment(text="x", item="../x"), "item"),
        (lambda: gd.Allocation(id="a", agency="a", title="t", status="finished"), "status"),
        (lambda: gd.Agency(id="a", name="A", level="galaxy"), "level"),
    ],
    ids=lambda value: None,
)
def test_a_value_breaking_a_rule_is_refused_naming_the_field(build: Any, field: str) -> None:
    """Values and cross-field rules (money, time limits, orderings) raise InvalidValue."""
    with pytest.raises(gd.InvalidValue) as caught:
        build()
    assert caught.value.field == field


def test_withdrawn_with_its_reason_is_accepted() -> None:
    """status = withdrawn with { on, reason } is a valid record (shown as a tombstone)."""
    record = disclosure(status="withdrawn",
                        withdrawn=gd.Withdrawal(on=dt.date(2002, 5, 1), reason="superseded"))
    assert gd.is_tombstone(record)


# -- is_publishable -----------------------------------------------------------------------------

LATER = NOW + dt.timedelta(seconds=1)
GONE = {"status": "withdrawn", "withdrawn": gd.Withdrawal(on=dt.date(2002, 5, 1), reason="r")}


@pytest.mark.parametrize(
    ("changes", "audience", "expected"),
    [
        ({}, "public", True),
        ({}, "internal", True),
        ({}, "media", True),
        ({"status": "draft"}, "public", False),
        ({"status": "draft"}, "internal", False),
        (GONE, "public", True),
        ({**GONE, "classification": "secret"}, "public", False),
        ({"classification": "restricted"}, "public", False),
        ({"classification": "restricted"}, "internal", False),
        ({"classification": "secret"}, "internal", False),
        ({"publish_at": LATER}, "public", False),
        ({"publish_at": LATER}, "internal", False),
        ({"publish_at": LATER}, "media", False),
        ({"publish_at": NOW}, "public", True),
        ({"publish_at": NOW - dt.timedelta(days=1)}, "public", True),
        ({"publish_at": LATER.astimezone(dt.UTC)}, "public", False),
        ({"audience": "internal"}, "public", False),
        ({"audience": "internal"}, "media", False),
        ({"audience": "internal"}, "internal", True),
        ({"audience": "internal", "classification": "secret"}, "internal", False),
        ({"expires_at": NOW - dt.timedelta(days=1)}, "public", True),
    ],
)
def test_is_publishable_follows_model_md(
    changes: dict[str, Any], audience: str, expected: bool
) -> None:
    """Approved (or withdrawn, as tombstone), not embargoed, public, audience matches."""
    assert gd.is_publishable(disclosure(**changes), at=NOW, audience=audience) is expected


def release(**changes: Any) -> gd.NewsRelease:
    """A valid news release under embargo until one second from NOW, some fields changed."""
    fields: dict[str, Any] = {"id": "nr-1", "agency": "jilin-aic", "headline": "Release",
                              "publish_at": LATER}
    return gd.NewsRelease(**{**fields, **changes})


@pytest.mark.parametrize(
    ("changes", "audience", "expected"),
    [
        ({}, "media", True),
        ({}, "public", False),
        ({}, "internal", False),
        (GONE, "media", True),
        ({"classification": "restricted"}, "media", False),
        ({"status": "draft"}, "media", False),
        ({"audience": "internal"}, "media", False),
    ],
)
def test_the_media_audience_gets_news_releases_under_embargo(
    changes: dict[str, Any], audience: str, expected: bool
) -> None:
    """Only for the media, the embargo of a news release (no other type) is lifted early;
    the release must otherwise be publishable, as the news publisher shows it."""
    assert gd.is_publishable(release(**changes), at=NOW, audience=audience) is expected


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (gd.Allocation(id="a", agency="a", title="t", status="planned"), True),
        (gd.Allocation(id="a", agency="a", title="t", status="cancelled"), True),
        (gd.Allocation(id="a", agency="a", title="t", status="draft"), False),
        (gd.Complaint(id="c", agency="a", received_at=NOW, status="investigating"), True),
        (gd.Suggestion(id="s", agency="a", received_at=NOW, status="not_adopted"), True),
        (gd.PressConference(id="p", agency="a", title="t", scheduled_at=NOW,
                            status="cancelled"), True),
        (gd.Hotline(id="h", agency="a", number="12345", status="draft"), False),
    ],
    ids=lambda value: getattr(value, "status", None),
)
def test_a_lifecycle_status_counts_as_approved_except_draft(
    record: gd.Record, expected: bool
) -> None:
    """Types with a lifecycle of their own publish in every status but draft."""
    assert gd.is_publishable(record, at=NOW) is expected


def test_is_publishable_refuses_a_naive_instant() -> None:
    """Asking with a naive datetime is a programming error, not a silent guess."""
    with pytest.raises(ValueError, match="aware"):
        gd.is_publishable(disclosure(), at=dt.datetime(2002, 6, 1))  # noqa: DTZ001


@pytest.mark.parametrize(("at", "audience"), [
    (dt.date(2002, 6, 1), "public"), ("2002-06-01", "public"), (NOW, "press"), (NOW, "")])
def test_wrong_arguments_of_the_api_are_its_own_errors(at: object, audience: str) -> None:
    """INTERFACE.md's functions raise gd.GovDisclosureError for arguments they cannot use
    (an unknown audience used to answer True), not AttributeError or TypeError."""
    with pytest.raises(gd.ConfigError):
        gd.is_publishable(disclosure(), at=at, audience=audience)  # type: ignore[arg-type]
    with pytest.raises(gd.ConfigError, match="as_of"):
        gd.audit(gd.Catalog([disclosure()], gd.CatalogMeta(name="x"), check=False),
                 as_of="2002-12-31")  # type: ignore[arg-type]
    with pytest.raises(gd.ConfigError, match="record"):
        gd.dumps(object())  # type: ignore[arg-type]


@given(strategies.any_record())
def test_a_withdrawn_record_publishes_only_as_a_tombstone(record: gd.Record) -> None:
    """Whatever its type, a publishable withdrawn record is a tombstone, and only it is."""
    if gd.is_publishable(record, at=NOW):
        assert gd.is_tombstone(record) is (record.status == "withdrawn")


def test_money_takes_the_decimal_string_model_md_writes() -> None:
    """``amount = "12.50"`` as MODEL.md spells it (or an integer) is a Decimal; a float
    is refused, saying why."""
    assert gd.Money(amount="12.50", currency="CNY").amount == Decimal("12.50")
    assert gd.Money(amount=3).amount == Decimal(3)
    with pytest.raises(gd.InvalidValue, match="never a float"):
        gd.Money(amount=12.5)


#: Amounts Decimal() reads that are no decimal string of MODEL.md (nor of the schema).
NO_AMOUNTS = ["1e3", "1E+3", "+5", " 5", "5 ", "NaN", "Infinity", "-Infinity", "1_000", ".5",
              "5.", "0x10", "", "١٢"]


@pytest.mark.parametrize("amount", NO_AMOUNTS)
def test_money_refuses_an_amount_that_is_no_decimal_string(amount: str) -> None:
    """Only digits with an optional fraction are an amount, in Python and in a file."""
    with pytest.raises(gd.InvalidValue) as caught:
        gd.Money(amount=amount)
    assert caught.value.field == "amount"
    assert caught.value.message == (f"{amount!r} is not a decimal string: digits with an "
                                    'optional fraction, like "12.50"')
    item = {"type": "approval_item", "id": "i", "agency": "a", "title": "t",
            "fees": [{"name": "fee", "amount": {"amount": amount}}]}
    with pytest.raises(gd.CatalogError) as loaded:
        gd.loads(json.dumps(item))
    assert [p.message for p in loaded.value.problems] == [caught.value.message]


def test_negative_zero_is_zero() -> None:
    """A Decimal("-0") computed in Python is stored as 0 ("-0" is no amount to write back);
    written "-0" it is refused as negative."""
    assert gd.dumps(gd.ApprovalItem(id="i", agency="a", title="t", fees=[
        gd.Fee(name="f", amount=gd.Money(amount=Decimal("-0")))])).count('"amount": "0"') == 1
    with pytest.raises(gd.InvalidValue, match="must not be negative"):
        gd.Money(amount="-0")


@pytest.mark.parametrize("currency", ["yuan", "cny", "CN"])
def test_a_currency_must_be_three_upper_case_letters(currency: object) -> None:
    """The message says what is checked: the form of an ISO 4217 code, not its list."""
    with pytest.raises(gd.InvalidValue) as caught:
        gd.Money(amount=1, currency=currency)
    assert caught.value.message == (f"{currency!r} must be three upper-case letters (an ISO "
                                    "4217 code, like CNY)")
