"""Built from Python, every model class refuses what the loader refuses, naming the field."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from cattrs.errors import BaseValidationError
from hypothesis import given
from hypothesis import strategies as st
from tests import strategies

import govdisclosure as gd
from govdisclosure import model
from govdisclosure.catalog.converter import make_converter
from govdisclosure.catalog.loader import problems_of
from govdisclosure.model.common import Value

#: Every attrs class of the model that user code builds (records and the values they hold).
CLASSES = [cls for cls in (getattr(model, name) for name in model.__all__)
           if isinstance(cls, type) and attrs.has(cls)
           and cls not in (gd.Record, gd.OwnedRecord)]
#: Values of every JSON kind, each wrong for some field: the loader reads them as they are.
CANDIDATES = [None, True, False, 0, -1, 7, 20.5, "20", "ab", "", "2002-01-01", [], ["ab"], [1],
              [None], {}, {"en": "x"}, {"en": 1}, {"x": 1.5}]
CONVERTER = make_converter("UTC")


def loader_problem(cls: type, data: dict[str, Any]) -> str | None:
    """The field the loader names when it refuses ``data`` for ``cls``; None if it reads it."""
    try:
        CONVERTER.structure(data, cls)
    except (BaseValidationError, gd.InvalidValue) as exc:
        return next(problems_of(exc))[0]
    return None


def built_or_refused(cls: type, values: dict[str, Any]) -> Any:
    """``cls(**values)``, or the InvalidValue it raised."""
    try:
        return cls(**values)
    except gd.InvalidValue as exc:
        return exc


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_every_model_class_checks_the_kinds_of_its_values(cls: type) -> None:
    """Each class derives from Value, whose constructor checks every field's kind."""
    assert issubclass(cls, Value)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_a_value_the_loader_refuses_is_refused_on_construction(cls: type) -> None:
    """Any field set to a value of any JSON kind: the constructor raises InvalidValue on
    the field the loader names whenever the loader refuses the same data (never another
    exception), and what it accepts survives being written and read back."""
    fields = [a for a in attrs.fields(cls) if a.init]

    @given(strategies.records(cls), st.sampled_from(fields), st.sampled_from(CANDIDATES))
    def check(valid: Any, field: attrs.Attribute[Any], value: object) -> None:
        given_values = {a.alias: getattr(valid, a.name) for a in fields}
        data = {**CONVERTER.unstructure(valid, cls), field.name: value}
        if value is None and field.default is not attrs.NOTHING:
            # the loader reads null as the field left out (test_schema checks that); the
            # constructor takes None only where the type allows it: both are left without it
            del data[field.name], given_values[field.alias]
        refused = loader_problem(cls, data)
        built = built_or_refused(cls, given_values if field.name not in data
                                 else {**given_values, field.alias: value})
        if isinstance(built, gd.InvalidValue):
            assert refused is None or built.field.split(".")[0] == refused.split(".")[0]
            return
        assert refused is None, f"{cls.__name__}({field.name}={value!r}) built"
        assert CONVERTER.structure(CONVERTER.unstructure(built, cls), cls) == built
        if isinstance(built, gd.Record):
            assert gd.loads(gd.dumps(built), cls) == built

    check()


@pytest.mark.parametrize(("build", "field", "message"), [
    (lambda: gd.TimeLimit(statutory="20", promised=10), "statutory",
     "expected an integer, got a string"),
    (lambda: gd.TimeLimit(statutory=None, promised=10), "statutory",
     "expected an integer, got nothing (null)"),
    (lambda: gd.TimeLimit(statutory=20.5), "statutory", "expected an integer, got a float"),
    (lambda: gd.TimeLimit(statutory=True), "statutory", "expected an integer, got a boolean"),
    (lambda: gd.ApprovalItem(id="p", agency="office", title=None), "title",
     "expected text or a table of language = text, got nothing (null)"),
    (lambda: gd.Disclosure(id="d", agency=None, title="t"), "agency",
     "expected a string, got nothing (null)"),
    (lambda: gd.Disclosure(id="d", agency="a", title="t", channels="site"), "channels",
     "expected a list, got a string"),
    (lambda: gd.ServiceWindow(id="w", agency="a", hall="h", number="1", name="n",
                              services="ab"), "services", "expected a list, got a string"),
    (lambda: gd.Evaluation(id="e", agency="a", year=2002, score="90"), "score",
     "expected a number, got a string"),
    (lambda: gd.Agency(id="a", name="A", level="city", key_department="yes"), "key_department",
     "expected true or false, got a string"),
    (lambda: gd.Agency(id="a", name="A", level=None), "level",
     "expected one of province, city, county, township, village, other, got nothing (null)"),
    (lambda: gd.Withdrawal(on="2002-01-01", reason="r"), "on",
     "expected a date (YYYY-MM-DD), got a string"),
    (lambda: gd.Fee(name="f", amount=None), "amount",
     "expected Money (gd.Money(...); gd.loads reads a mapping), got nothing (null)"),
    (lambda: gd.Hotline(id="h", agency="a", number=-3), "number", "must not be negative"),
    (lambda: gd.Money(amount=1, currency=156), "currency", "expected a string, got an integer"),
], ids=lambda value: value if isinstance(value, str) and " " not in value else None)
def test_the_reported_constructions_are_refused_as_the_loader_refuses_them(
    build: Any, field: str, message: str
) -> None:
    """The wrong kinds found by the interface probe, with the loader's messages."""
    with pytest.raises(gd.InvalidValue) as caught:
        build()
    assert (caught.value.field, caught.value.message) == (field, message)


def test_a_number_given_as_an_integer_is_its_digits() -> None:
    """``number=3`` reads as ``"3"`` from Python as from a file, and is written back so."""
    hotline = gd.Hotline(id="h", agency="a", number=12345)
    assert hotline.number == "12345"
    assert gd.loads(gd.dumps(hotline)) == hotline


def test_a_list_given_as_a_list_is_stored_as_a_tuple() -> None:
    """Lists from user code are accepted where the model stores tuples."""
    record = gd.Disclosure(id="d", agency="a", title="t", tags=["x", "y"], channels=["site"])
    assert (record.tags, record.channels) == (("x", "y"), ("site",))

