"""Records survive JSON, validators refuse what MODEL.md forbids, and is_publishable."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given

import govdisclosure as gd
from govdisclosure.model import RECORD_TYPES
from tests import strategies

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
