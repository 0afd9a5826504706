"""Working-day calendars: statutory holidays, adjusted weekends, explicit lists, unknown years."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdisclosure.calendar import (
    WorkingCalendar,
    add_working_days,
    calendar_for,
    is_working_day,
    working_days_between,
)
from govdisclosure.errors import CalendarError

D = dt.date

HOLIDAYS_2002 = [D(2002, 1, d) for d in (1, 2, 3)] + [D(2002, 2, d) for d in range(12, 19)] + [
    D(2002, 5, d) for d in range(1, 8)] + [D(2002, 10, d) for d in range(1, 8)]
WORKDAYS_2002 = [D(2002, 2, 9), D(2002, 2, 10), D(2002, 4, 27), D(2002, 4, 28),
                 D(2002, 9, 28), D(2002, 9, 29)]


@pytest.fixture(name="cn")
def fixture_cn() -> WorkingCalendar:
    """The CN calendar with the 2002 lists of the example catalogue."""
    return calendar_for("CN", HOLIDAYS_2002, WORKDAYS_2002)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2024, 2, 4), True),    # Sunday, adjusted working day before the Spring Festival
        (D(2024, 2, 12), False),  # Spring Festival holiday, a Monday
        (D(2024, 2, 18), True),   # Sunday, adjusted working day after it
        (D(2024, 2, 19), True),
        (D(2024, 10, 1), False),  # National Day
        (D(2024, 10, 12), True),  # Saturday, adjusted working day
        (D(2024, 10, 13), False),  # plain Sunday
    ],
)
def test_cn_follows_chinese_calendar(cn: WorkingCalendar, day: dt.date, working: bool) -> None:
    """CN working days come from chinese_calendar, adjusted weekends included."""
    assert is_working_day(day, cn) is working


def test_listed_year_counts_as_known(cn: WorkingCalendar) -> None:
    """A year before chinese_calendar's data is known through the catalogue's lists."""
    assert not cn.is_working_day(D(2002, 2, 12))  # Spring Festival
    assert cn.is_working_day(D(2002, 2, 9))       # adjusted working Saturday
    assert not cn.is_working_day(D(2002, 3, 2))   # plain Saturday
    assert cn.is_working_day(D(2002, 3, 4))


def test_unknown_year_is_an_error(cn: WorkingCalendar) -> None:
    """A year neither the package nor the lists cover raises CalendarError, never guesses."""
    with pytest.raises(CalendarError, match="2003"):
        cn.is_working_day(D(2003, 1, 6))
    with pytest.raises(CalendarError):
        calendar_for("CN").add_working_days(D(2030, 1, 1), 1)


def test_lists_override_the_package() -> None:
    """Catalogue holidays and extra working days win over chinese_calendar."""
    calendar = calendar_for("CN", [D(2024, 3, 4)], [D(2024, 3, 9)])
    assert not calendar.is_working_day(D(2024, 3, 4))
    assert calendar.is_working_day(D(2024, 3, 9))


def test_other_countries_use_holidays_package() -> None:
    """Any country the holidays package knows: US Independence Day is off."""
    us = calendar_for("US")
    assert not us.is_working_day(D(2024, 7, 4))
    assert us.is_working_day(D(2024, 7, 5))
    assert not calendar_for("DE-BY").is_working_day(D(2024, 1, 6))  # Epiphany in Bavaria


def test_unknown_country_is_an_error() -> None:
    """An unknown calendar name is a CalendarError at construction."""
    with pytest.raises(CalendarError, match="XX"):
        calendar_for("XX")


def test_weekdays_calendar_knows_every_year() -> None:
    """Without a named calendar, Monday to Friday are working days in any year."""
    calendar = calendar_for(None, [D(1990, 1, 1)])
    assert not calendar.is_working_day(D(1990, 1, 1))
    assert calendar.is_working_day(D(1990, 1, 2))
    assert not calendar.is_working_day(D(2100, 1, 2))  # a Saturday


def test_start_day_is_not_counted(cn: WorkingCalendar) -> None:
    """add_working_days counts from the day after the start; 0 days is the start itself."""
    assert add_working_days(D(2002, 3, 4), 1, cn) == D(2002, 3, 5)
    assert add_working_days(D(2002, 3, 2), 1, cn) == D(2002, 3, 4)  # from a Saturday
    assert add_working_days(D(2002, 3, 2), 0, cn) == D(2002, 3, 2)


def test_deadline_spans_spring_festival_and_adjusted_saturday(cn: WorkingCalendar) -> None:
    """From Friday 8 Feb 2002: Sat 9 and Sun 10 work, Mon 11 works, 12-18 are off."""
    assert [add_working_days(D(2002, 2, 8), n, cn) for n in range(1, 6)] == [
        D(2002, 2, 9), D(2002, 2, 10), D(2002, 2, 11), D(2002, 2, 19), D(2002, 2, 20)]


def test_last_working_day_before_national_day(cn: WorkingCalendar) -> None:
    """One working day after Mon 30 Sep 2002 is Tue 8 Oct (1-7 Oct are off)."""
    assert add_working_days(D(2002, 9, 30), 1, cn) == D(2002, 10, 8)
    assert working_days_between(D(2002, 9, 30), D(2002, 10, 7), cn) == 0


def test_between_excludes_start_includes_end(cn: WorkingCalendar) -> None:
    """working_days_between counts (start, end]; reversed order gives the negative."""
    assert working_days_between(D(2002, 3, 4), D(2002, 3, 4), cn) == 0
    assert working_days_between(D(2002, 3, 4), D(2002, 3, 8), cn) == 4
    assert working_days_between(D(2002, 3, 8), D(2002, 3, 4), cn) == -4


def test_negative_days_are_refused(cn: WorkingCalendar) -> None:
    """A negative count is a ValueError."""
    with pytest.raises(ValueError, match="negative"):
        cn.add_working_days(D(2002, 3, 4), -1)


@given(st.dates(D(2004, 1, 1), D(2024, 6, 30)), st.integers(0, 300))
def test_between_inverts_add(start: dt.date, days: int) -> None:
    """working_days_between(d, add_working_days(d, n)) == n across year boundaries."""
    calendar = calendar_for("CN")
    end = calendar.add_working_days(start, days)
    assert calendar.working_days_between(start, end) == days
    assert days == 0 or calendar.is_working_day(end)
