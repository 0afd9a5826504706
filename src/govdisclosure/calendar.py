"""Working days: statutory holidays, adjusted working weekends and a catalogue's own lists.

A :class:`WorkingCalendar` answers three questions for time limits counted in working
days (工作日): is a day a working day, which day is the n-th working day after another,
and how many working days lie between two days. Sources, in order of precedence:

1. the catalogue's ``extra_workdays`` (adjusted working weekends, 调休): always working days;
2. the catalogue's ``holidays``: always days off;
3. the named calendar: ``CN`` from the ``chinese_calendar`` package (statutory holidays
   and the adjusted working weekends it knows), any other country code the ``holidays``
   package knows, optionally with one of its subdivisions (``US``, ``DE-BY``; any case),
   or ``None`` / ``"weekdays"``: Monday to Friday with no public holidays of its own
   (:func:`check_calendar` says whether a name is one of these);
4. otherwise Saturday and Sunday (or the country's weekend) are days off.

A year that neither the named calendar nor the catalogue's lists cover raises
:class:`~govdisclosure.errors.CalendarError`: a time limit is never counted with a
silent guess. ``chinese_calendar`` covers 2004 to its latest release's year; a year that
appears in the catalogue's ``holidays`` or ``extra_workdays`` is known, whatever the
package says (the catalogue then lists that whole year's days off itself).

Counting conventions (those of Chinese administrative law: the day on which a period
starts is not counted):

- ``add_working_days(start, n)`` is the n-th working day *after* ``start``; ``start``
  itself is never counted, working day or not. ``n = 0`` returns ``start``.
- ``working_days_between(start, end)`` counts the working days in ``(start, end]``:
  ``start`` excluded, ``end`` included; negative when ``end`` is before ``start``.
  So ``working_days_between(d, add_working_days(d, n)) == n`` for every ``n >= 0``.
- A period that would end after 9999-12-31, the last date Python knows (and a common
  "valid indefinitely" date), ends on 9999-12-31: deadlines saturate, never overflow.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from functools import cache, lru_cache

from .errors import CalendarError

__all__ = [
    "WorkingCalendar",
    "add_working_days",
    "calendar_for",
    "check_calendar",
    "is_working_day",
    "plus_days",
    "working_days_between",
]

WEEKDAYS = frozenset({"weekdays", "none", ""})


def _weekdays_to(ordinal: int) -> int:
    """Mondays to Fridays among the days with ordinals 1 to ``ordinal`` (day 1,
    0001-01-01, is a Monday)."""
    return ordinal // 7 * 5 + min(ordinal % 7, 5) if ordinal > 0 else 0


def plus_days(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days`` calendar days, saturated at the ends of the calendar
    (``date.min``, ``date.max``) instead of overflowing: a period that would end after
    9999-12-31 (a "valid indefinitely" date, say) ends there, and never passes."""
    ordinal = day.toordinal() + days
    return dt.date.fromordinal(min(max(ordinal, 1), dt.date.max.toordinal()))


@lru_cache(maxsize=64)
def check_calendar(name: str | None) -> None:
    """Refuse a calendar name that :class:`WorkingCalendar` cannot count with.

    Args:
        name: a catalogue's ``calendar``.

    Raises:
        CalendarError: ``unknown calendar 'XX' (...)``, saying what is known instead.
    """
    key = (name or "weekdays").strip()
    if key.upper() == "CN" or key.lower() in WEEKDAYS:
        return
    import holidays as holidays_package

    country, _, subdiv = (part.upper() for part in key.partition("-"))
    try:
        holidays_package.country_holidays(country, subdiv=subdiv or None)
    except NotImplementedError:
        known = holidays_package.list_supported_countries().get(country)
        # names are upper-cased: the package's mixed-case aliases cannot be reached
        codes = [code for code in known or () if code == code.upper()]
        if known is not None and subdiv:
            why = (f"the holidays package knows no subdivision {subdiv} of {country}: "
                   + (f"it knows {', '.join(codes)}" if codes else f"use {country} alone"))
        else:
            why = ("known: CN, weekdays, and the countries of the holidays package, optionally "
                   "with a subdivision, like US or DE-BY")
        raise CalendarError(f"unknown calendar {name!r} ({why})") from None


@cache
def _cn_tables() -> tuple[frozenset[dt.date], frozenset[dt.date], int, int]:
    """chinese_calendar's holidays, adjusted working days and the years it covers."""
    import chinese_calendar

    holidays = frozenset(chinese_calendar.holidays)
    workdays = frozenset(chinese_calendar.workdays)
    years = [day.year for day in holidays]
    return holidays, workdays, min(years), max(years)


class WorkingCalendar:
    """Working days of one jurisdiction, with a catalogue's own holidays and working days.

    Instances are immutable in behaviour; each year is computed once, on first use.

    Args:
        name: ``"CN"``, another ISO 3166 country code (optionally ``-SUBDIVISION``),
            or ``None`` / ``"weekdays"`` for Monday to Friday without public holidays.
        holidays: extra days off (added to the calendar's).
        extra_workdays: extra working days (adjusted working weekends); they win over
            every holiday.

    Raises:
        CalendarError: the name is none of these (:func:`check_calendar`).
    """

    def __init__(
        self,
        name: str | None = None,
        holidays: Iterable[dt.date] = (),
        extra_workdays: Iterable[dt.date] = (),
    ) -> None:
        self.name = (name or "weekdays").strip()
        self.holidays = frozenset(holidays)
        self.extra_workdays = frozenset(extra_workdays)
        self.listed_years = frozenset(d.year for d in self.holidays | self.extra_workdays)
        self._years: dict[int, tuple[frozenset[int], list[int]]] = {}
        self._deadlines: dict[tuple[dt.date, int, str], dt.date] = {}
        self._country = ""
        self._subdiv: str | None = None
        check_calendar(name)
        if self.name.upper() == "CN" or self.name.lower() in WEEKDAYS:
            return
        country, _, subdiv = self.name.partition("-")
        self._country, self._subdiv = country.upper(), subdiv.upper() or None

    def __repr__(self) -> str:
        return f"WorkingCalendar({self.name!r})"

    def _country_holidays(self, year: int) -> tuple[set[dt.date], set[int]]:
        import holidays as holidays_package

        table = holidays_package.country_holidays(self._country, subdiv=self._subdiv, years=year)
        start = getattr(table, "start_year", None)
        end = getattr(table, "end_year", None)
        if (start is not None and year < start) or (end is not None and year > end):
            return set(), set()
        weekend = set(getattr(table, "weekend", None) or {5, 6})
        return set(table.keys()), weekend

    def covers(self, year: int) -> bool:
        """Whether the calendar can answer for every day of ``year``."""
        if year in self.listed_years:
            return True
        if self.name.lower() in WEEKDAYS:
            return True
        if self.name.upper() == "CN":
            _, _, first, last = _cn_tables()
            return first <= year <= last
        import holidays as holidays_package

        table = holidays_package.country_holidays(self._country, subdiv=self._subdiv)
        start = getattr(table, "start_year", None)
        end = getattr(table, "end_year", None)
        return (start is None or year >= start) and (end is None or year <= end)

    def _year(self, year: int) -> tuple[frozenset[int], list[int]]:
        """The ordinals of the working days of ``year``: as a set and sorted."""
        known = self._years.get(year)
        if known is not None:
            return known
        if not self.covers(year):
            raise CalendarError(
                f"the working-day calendar {self.name!r} does not cover {year}: list that "
                "year's holidays and adjusted working days (holidays, extra_workdays) in "
                "catalog.toml"
            )
        days_off: set[dt.date] = set()
        workdays: set[dt.date] = set()
        weekend = {5, 6}
        if self.name.upper() == "CN":
            cn_holidays, cn_workdays, first, last = _cn_tables()
            if first <= year <= last:
                days_off = {d for d in cn_holidays if d.year == year}
                workdays = {d for d in cn_workdays if d.year == year}
        elif self._country:
            days_off, weekend = self._country_holidays(year)
        days_off |= {d for d in self.holidays if d.year == year}
        workdays |= {d for d in self.extra_workdays if d.year == year}
        ordinals = []
        # by ordinal: the day after 9999-12-31 cannot be made
        first, last = dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
        for ordinal in range(first, last + 1):
            day = dt.date.fromordinal(ordinal)
            working = day in workdays or (day.weekday() not in weekend and day not in days_off)
            if working:
                ordinals.append(ordinal)
        result = (frozenset(ordinals), ordinals)
        self._years[year] = result
        return result

    def is_working_day(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day.

        Raises:
            CalendarError: the year of ``day`` is not covered.
        """
        return day.toordinal() in self._year(day.year)[0]

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day after ``start`` (``start`` itself never counts).

        Args:
            start: the day the period starts (not counted).
            days: how many working days; 0 returns ``start``.

        Raises:
            CalendarError: the count reaches a year that is not covered.
            ValueError: ``days`` is negative.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        if days == 0:
            return start
        if days > 366 * (dt.MAXYEAR - start.year + 1):
            return dt.date.max  # saturated: not even every day a working day would do
        year = start.year
        after = start.toordinal()
        remaining = days
        while True:
            ordinals = self._year(year)[1]
            position = bisect.bisect_right(ordinals, after)
            available = len(ordinals) - position
            if remaining <= available:
                return dt.date.fromordinal(ordinals[position + remaining - 1])
            remaining -= available
            year += 1
            if year > dt.MAXYEAR:
                return dt.date.max  # saturated: the period ends after the last date there is

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """The number of working days in ``(start, end]``; negative if ``end < start``.

        Raises:
            CalendarError: a year between the two days is not covered.
        """
        if end < start:
            return -self.working_days_between(end, start)
        total = 0
        plain = self.name.lower() in WEEKDAYS
        for year in range(start.year, end.year + 1):
            if plain and year not in self.listed_years:
                # Monday to Friday, nothing listed: counted, not tabled (0001-01-01 to
                # 9999-12-31 would table ten thousand years: seconds and 200 MB)
                low_day = max(start.toordinal() + 1, dt.date(year, 1, 1).toordinal())
                high_day = min(end.toordinal(), dt.date(year, 12, 31).toordinal())
                total += max(0, _weekdays_to(high_day) - _weekdays_to(low_day - 1))
                continue
            ordinals = self._year(year)[1]
            low = bisect.bisect_right(ordinals, start.toordinal())
            high = bisect.bisect_right(ordinals, end.toordinal())
            total += high - low
        return total

    def deadline(self, start: dt.date, days: int, unit: str) -> dt.date:
        """The last day of a period of ``days`` starting after ``start`` (not counted).

        ``working_days``: the ``days``-th working day after ``start``. ``calendar_days``:
        ``start + days``, without moving off a day off.

        Raises:
            CalendarError: the count reaches a year that is not covered.
        """
        key = (start, days, unit)
        found = self._deadlines.get(key)
        if found is None:
            if unit == "calendar_days":
                found = plus_days(start, days)
            else:
                found = self.add_working_days(start, days)
            self._deadlines[key] = found
        return found

    def passed(self, start: dt.date, days: int, unit: str, end: dt.date) -> dt.date | None:
        """The deadline of a period when ``end`` is after it, else None.

        Only the years from ``start`` to ``end`` are consulted (a period still running on
        ``end`` never needs a year the calendar does not cover); where one of them is not
        covered, the deadline itself may still lie before it.

        Raises:
            CalendarError: neither way places the deadline.
        """
        if unit == "calendar_days" or days == 0:
            deadline = plus_days(start, days)
            return deadline if end > deadline else None
        try:
            count = self.working_days_between(start, end)
        except CalendarError:
            deadline = self.deadline(start, days, unit)
            return deadline if end > deadline else None
        if count < days or (count == days and self.is_working_day(end)):
            return None
        return self.deadline(start, days, unit)

    def elapsed(self, start: dt.date, end: dt.date, unit: str) -> int | None:
        """Days from ``start`` (excluded) to ``end`` (included) in ``unit``
        (``working_days`` or ``calendar_days``); None where the calendar cannot count them."""
        if unit == "calendar_days":
            return (end - start).days
        try:
            return self.working_days_between(start, end)
        except CalendarError:
            return None

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the first working day after it."""
        return day if self.is_working_day(day) else self.add_working_days(day, 1)


def calendar_for(
    name: str | None,
    holidays: Iterable[dt.date] = (),
    extra_workdays: Iterable[dt.date] = (),
) -> WorkingCalendar:
    """A working-day calendar (see :class:`WorkingCalendar`).

    Catalogue metadata gives all three: ``calendar_for(meta.calendar, meta.holidays,
    meta.extra_workdays)``.
    """
    return WorkingCalendar(name, holidays, extra_workdays)


def is_working_day(day: dt.date, calendar: WorkingCalendar) -> bool:
    """Whether ``day`` is a working day of ``calendar``."""
    return calendar.is_working_day(day)


def add_working_days(start: dt.date, days: int, calendar: WorkingCalendar) -> dt.date:
    """The ``days``-th working day after ``start``; ``start`` is never counted."""
    return calendar.add_working_days(start, days)


def working_days_between(start: dt.date, end: dt.date, calendar: WorkingCalendar) -> int:
    """Working days in ``(start, end]``: ``start`` excluded, ``end`` included."""
    return calendar.working_days_between(start, end)
