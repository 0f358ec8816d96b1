"""Calendar periods and closed date ranges, in China Standard Time.

All dates here are local calendar dates in Asia/Shanghai; ranges include both ends.

>>> p = Period.parse("2018-Q2")
>>> p.range
DateRange(start=datetime.date(2018, 4, 1), end=datetime.date(2018, 6, 30))
>>> p.range.days
91
>>> count_days([DateRange(date(2018, 3, 1), date(2018, 3, 10)),
...             DateRange(date(2018, 3, 8), date(2018, 3, 12))])
12
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import enum
import functools
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Protocol

import attrs
from dateutil import tz
from dateutil.relativedelta import relativedelta

from selfbuild_rules.internal.i18n import N_
from selfbuild_rules.internal.text import quoted

__all__ = [
    "CHINA_TZ",
    "DateRange",
    "Period",
    "PeriodKind",
    "Span",
    "chinese_date",
    "count_day_numbers",
    "count_days",
    "max_overlap",
    "merge",
    "parse_day",
    "shifted",
    "today_in_china",
]

#: The time zone every date in the facts is read in.
CHINA_TZ = tz.gettz("Asia/Shanghai")


# Only ``YYYY-MM-DD`` in ASCII digits: Python 3.11's ``date.fromisoformat`` also takes
# ``20190301`` and ``2019-W09-5``, which no facts file or report writes.
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(text: str) -> date:
    """A ``YYYY-MM-DD`` date, and nothing else ``date.fromisoformat`` would take.

    >>> parse_day("2019-03-01")
    datetime.date(2019, 3, 1)
    >>> parse_day("2019-W09-5")
    Traceback (most recent call last):
    ...
    ValueError: '2019-W09-5' is not a date (YYYY-MM-DD)
    """
    if _DAY.fullmatch(text):
        with contextlib.suppress(ValueError):
            return date.fromisoformat(text)
    raise ValueError(N_("{value} is not a date (YYYY-MM-DD)").format(value=quoted(text)))


def shifted(day: date, days: int) -> date:
    """``day`` moved by ``days``, held at the calendar's ends (``date.min``, ``date.max``)
    instead of overflowing: a deadline beyond 9999-12-31 simply never falls due.

    >>> shifted(date(9999, 12, 30), 7), shifted(date(1, 1, 2), -7)
    (datetime.date(9999, 12, 31), datetime.date(1, 1, 1))
    """
    ordinal = day.toordinal() + days
    return date.fromordinal(min(max(ordinal, 1), _LAST))


_LAST = date.max.toordinal()


def today_in_china() -> date:
    """Today's date in China Standard Time (the default ``as_of``)."""
    return _dt.datetime.now(CHINA_TZ).date()


def _not_before_start(inst: DateRange, _attr: attrs.Attribute[date], end: date) -> None:
    if end < inst.start:
        raise ValueError(f"end {end} is before start {inst.start}")


@attrs.frozen(order=True)
class DateRange:
    """The calendar days from ``start`` to ``end``, both included.

    >>> r = DateRange(date(2018, 12, 30), date(2019, 1, 2))
    >>> r.days, date(2019, 1, 1) in r
    (4, True)
    >>> r & DateRange(date(2019, 1, 1), date(2019, 12, 31))
    DateRange(start=datetime.date(2019, 1, 1), end=datetime.date(2019, 1, 2))
    """

    start: date
    end: date = attrs.field(validator=_not_before_start)

    @property
    def days(self) -> int:
        """How many calendar days the range covers."""
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def __and__(self, other: DateRange) -> DateRange | None:
        """The overlap of two ranges, or ``None`` when they share no day."""
        start, end = max(self.start, other.start), min(self.end, other.end)
        return DateRange(start, end) if start <= end else None

    def until(self, last: date) -> DateRange | None:
        """The part of the range up to and including ``last``."""
        return self & DateRange(min(self.start, last), last)

    def after(self, day: date) -> DateRange | None:
        """The part of the range strictly after ``day``."""
        if day >= date.max:  # no day follows the calendar's last
            return None
        following = day + _dt.timedelta(days=1)
        return self & DateRange(following, max(self.end, following))

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def _bounds(r: DateRange) -> tuple[date, date]:
    return r.start, r.end


def merge(ranges: Iterable[DateRange]) -> list[DateRange]:
    """The union of ranges as sorted, disjoint, non-adjacent ranges.

    >>> merge([DateRange(date(2018, 1, 5), date(2018, 1, 6)),
    ...        DateRange(date(2018, 1, 1), date(2018, 1, 4))])
    [DateRange(start=datetime.date(2018, 1, 1), end=datetime.date(2018, 1, 6))]
    """
    merged: list[DateRange] = []
    for r in sorted(ranges, key=_bounds):
        # Day numbers: the day after date.max has no date.
        if merged and r.start.toordinal() <= merged[-1].end.toordinal() + 1:
            if r.end > merged[-1].end:
                merged[-1] = DateRange(merged[-1].start, r.end)
        else:
            merged.append(r)
    return merged


class Span(Protocol):
    """Anything with a first and a last day: a :class:`DateRange`, a research trip."""

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...


def count_days(ranges: Iterable[Span], window: DateRange | None = None) -> int:
    """Distinct days covered by ``ranges``, optionally only those inside ``window``."""
    # Day numbers rather than DateRange objects: this runs for every trip of every member.
    low = (window.start if window else date.min).toordinal()
    high = (window.end if window else date.max).toordinal()
    return count_day_numbers(
        sorted([(r.start.toordinal(), r.end.toordinal()) for r in ranges]), low, high
    )


def count_day_numbers(
    runs: Iterable[tuple[int, int] | tuple[int, int, str]], low: int, high: int
) -> int:
    """Distinct days of ``runs`` (first and last day numbers, sorted; anything after
    them is carried along) from day number ``low`` to ``high``: :func:`count_days` on
    day numbers, for a caller that sorts them together with what it counts.

    >>> count_day_numbers([(10, 14, "a"), (12, 20, "b"), (30, 30, "c")], 11, 30)
    11
    """
    total, reached = 0, 0  # day numbers start at 1
    for run in runs:
        first, last = run[0], run[1]
        # Comparisons, not max() and min(): a builtin call costs more, once per trip.
        if first <= reached:
            first = reached + 1
        if first < low:
            first = low
        if last > high:
            last = high
        if first <= last:  # else: clipped away by the window, or counted already
            total += last - first + 1
            reached = last
    return total


def max_overlap(ranges: Iterable[Span], window: DateRange | None = None) -> int:
    """The largest number of ranges that share one day (of ``window``, when given).

    >>> max_overlap([DateRange(date(2018, 1, 1), date(2018, 1, 31)),
    ...              DateRange(date(2018, 1, 31), date(2018, 2, 5))])
    2
    >>> max_overlap([DateRange(date(2018, 1, 1), date(2018, 1, 31)),
    ...              DateRange(date(2018, 1, 31), date(2018, 2, 5))],
    ...             DateRange(date(2018, 2, 1), date(2018, 2, 28)))
    1
    """
    # Sweep: a start opens on its day, an end closes the day after it (as day numbers:
    # the day after date.max has no date). Clipped as day numbers, not DateRange
    # objects: a tally clips each member's designations to the days known.
    low = (window.start if window else date.min).toordinal()
    high = (window.end if window else date.max).toordinal()
    events = []
    for r in ranges:
        first, last = r.start.toordinal(), r.end.toordinal()
        if first < low:
            first = low
        if last > high:
            last = high
        if first <= last:
            events.append((first, 1))
            events.append((last + 1, -1))
    events.sort()  # by day, and on one day the closing (-1) before the opening (+1)
    best = current = 0
    for _day, step in events:
        current += step
        best = max(best, current)
    return best


class PeriodKind(enum.Enum):
    """The granularity of a :class:`Period`.

    >>> from selfbuild_rules import Period, PeriodKind
    >>> Period.parse("2018-03").kind is PeriodKind.MONTH
    True
    """

    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"


@functools.lru_cache(maxsize=4096)
def _period_range(kind: PeriodKind, year: int, index: int) -> DateRange:
    months = _MONTHS[kind]
    first = date(year, 1 + (index - 1) * months, 1)
    return DateRange(first, first + relativedelta(months=months, days=-1))


# ASCII digits only (``\d`` would take ``٢٠١٨``), and no trailing newline (``\Z``).
_PERIOD = re.compile(r"^([0-9]{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?\Z")
# The last year whose day after its end is still a date.
_FIRST_YEAR, _LAST_YEAR = 1, 9998
_MONTHS = {PeriodKind.YEAR: 12, PeriodKind.QUARTER: 3, PeriodKind.MONTH: 1}


@attrs.frozen(order=True)
class Period:
    """A calendar year, quarter or month: ``2018``, ``2018-Q1``, ``2018-03``.

    >>> [str(q) for q in Period.parse("2018").quarters()]
    ['2018-Q1', '2018-Q2', '2018-Q3', '2018-Q4']
    >>> Period.parse("2018-13")
    Traceback (most recent call last):
    ...
    ValueError: '2018-13' is not a period: use YYYY, YYYY-Qn or YYYY-MM
    """

    kind: PeriodKind
    year: int = attrs.field(
        validator=attrs.validators.and_(attrs.validators.ge(1), attrs.validators.le(9998))
    )
    index: int = 1

    @classmethod
    def parse(cls, text: str | int | Period) -> Period:
        """Read ``YYYY``, ``YYYY-Qn`` or ``YYYY-MM``."""
        if isinstance(text, Period):
            return text
        given = text if isinstance(text, str) else repr(text)
        shown = quoted(given) if isinstance(text, str) else quoted(given)[1:-1]
        match = _PERIOD.match(given.strip())
        if match is None:
            told = N_("{value} is not a period: use YYYY, YYYY-Qn or YYYY-MM")
            raise ValueError(told.format(value=shown))
        year, quarter, month = match.groups()
        if not _FIRST_YEAR <= int(year) <= _LAST_YEAR:
            told = N_("{value} is not a period: years run from 0001 to 9998")
            raise ValueError(told.format(value=shown))
        if quarter:
            return cls(PeriodKind.QUARTER, int(year), int(quarter))
        if month:
            return cls(PeriodKind.MONTH, int(year), int(month))
        return cls(PeriodKind.YEAR, int(year))

    @classmethod
    def year_of(cls, year: int) -> Period:
        """The calendar year ``year``."""
        return cls(PeriodKind.YEAR, year)

    @property
    def range(self) -> DateRange:
        """The days of the period."""
        return _period_range(self.kind, self.year, self.index)

    def quarters(self) -> Iterator[Period]:
        """The calendar quarters that overlap this period, in order."""
        first = (self.range.start.month - 1) // 3 + 1
        last = (self.range.end.month - 1) // 3 + 1
        for q in range(first, last + 1):
            yield Period(PeriodKind.QUARTER, self.year, q)

    def __str__(self) -> str:
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year:04d}-Q{self.index}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.year:04d}-{self.index:02d}"
        return f"{self.year:04d}"


def chinese_date(day: date) -> str:
    """A day the way Chinese text writes it: no leading zeros, 年月日.

    >>> chinese_date(date(2019, 3, 1))
    '2019年3月1日'
    """
    return f"{day.year}年{day.month}月{day.day}日"
