"""Periods, closed date ranges and day counting (periods.py), checked against brute force.

Every expected value is computed independently of the code under test: day sets are
built by stepping one day at a time, calendar facts come from :mod:`calendar`.
"""

from __future__ import annotations

import calendar
import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfbuild_rules.law.periods import (
    DateRange,
    Period,
    PeriodKind,
    count_days,
    max_overlap,
    merge,
)

ONE = timedelta(days=1)
# A small calendar neighbourhood crossing a year end (2019/2020) and the leap day
# 2020-02-29 (offset 71), so brute-force day sets stay small.
BASE = date(2019, 12, 20)
SPAN = 80


def day(offset: int) -> date:
    return BASE + timedelta(days=offset)


def span(start: int, length: int) -> DateRange:
    """``length + 1`` days from ``day(start)``."""
    return DateRange(day(start), day(start + length))


def days_of(r: DateRange | None) -> set[date]:
    """The day set of a range, stepped one day at a time (independent of ``.days``)."""
    found: set[date] = set()
    if r is None:
        return found
    d = r.start
    while d <= r.end:
        found.add(d)
        d += ONE
    return found


def union_days(ranges: list[DateRange]) -> set[date]:
    return set().union(*(days_of(r) for r in ranges))


def year_days(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


ranges = st.builds(span, st.integers(0, SPAN), st.integers(0, 15))
range_lists = st.lists(ranges, max_size=8)
offsets = st.integers(-5, SPAN + 20)
years = st.integers(1000, 9998)


# --- Period --------------------------------------------------------------------------


@given(years)
def test_parse_year_round_trips(year: int) -> None:
    text = f"{year}"
    p = Period.parse(text)
    assert (p.kind, p.year) == (PeriodKind.YEAR, year)
    assert str(p) == text
    assert p.range == DateRange(date(year, 1, 1), date(year, 12, 31))


@given(years, st.integers(1, 4))
def test_parse_quarter_round_trips(year: int, quarter: int) -> None:
    text = f"{year}-Q{quarter}"
    p = Period.parse(text)
    assert (p.kind, p.year, p.index) == (PeriodKind.QUARTER, year, quarter)
    assert str(p) == text
    first_month, last_month = 3 * quarter - 2, 3 * quarter
    last_day = calendar.monthrange(year, last_month)[1]
    assert p.range == DateRange(date(year, first_month, 1), date(year, last_month, last_day))


@given(years, st.integers(1, 12))
def test_parse_month_round_trips(year: int, month: int) -> None:
    text = f"{year}-{month:02d}"
    p = Period.parse(text)
    assert (p.kind, p.year, p.index) == (PeriodKind.MONTH, year, month)
    assert str(p) == text
    last_day = calendar.monthrange(year, month)[1]
    assert p.range == DateRange(date(year, month, 1), date(year, month, last_day))
    assert [str(q) for q in p.quarters()] == [f"{year}-Q{(month - 1) // 3 + 1}"]


@given(years)
def test_parse_accepts_a_period_and_an_int(year: int) -> None:
    p = Period.parse(f"{year}-Q2")
    assert Period.parse(p) is p
    assert Period.parse(year) == Period.year_of(year)


@pytest.mark.parametrize("year", [1, 999])
def test_str_round_trips_for_years_before_1000(year: int) -> None:
    # Period accepts years 1..9998, so every Period it builds should print as text
    # that parses back to itself.
    for p in (
        Period.year_of(year),
        Period(PeriodKind.QUARTER, year, 3),
        Period(PeriodKind.MONTH, year, 7),
    ):
        assert Period.parse(str(p)) == p


@pytest.mark.parametrize(
    "text",
    [
        "2018-13",
        "2018-Q5",
        "18",
        "",
        "2018-Q0",
        "2018-00",
        "2018-1",
        "2018-q1",
        "20181",
        "2018/03",
        "2018-",
        "abcd",
        "2018-Q1-01",
        "0000",
        " ",
    ],
)
def test_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        Period.parse(text)


def _assert_tiles_year(parts: list[DateRange], year: int) -> None:
    assert parts[0].start == date(year, 1, 1)
    assert parts[-1].end == date(year, 12, 31)
    for before, after in itertools.pairwise(parts):
        assert before.end + ONE == after.start  # adjacent: no gap, no overlap
    assert sum(p.days for p in parts) == year_days(year)
    assert sum(len(days_of(p)) for p in parts) == year_days(year)


@pytest.mark.parametrize("year", [2018, 2019, 2020, 2000, 1900, 2100])
def test_quarters_and_months_tile_the_year(year: int) -> None:
    quarters = list(Period.parse(str(year)).quarters())
    assert [str(q) for q in quarters] == [f"{year}-Q{i}" for i in range(1, 5)]
    _assert_tiles_year([q.range for q in quarters], year)
    _assert_tiles_year([Period.parse(f"{year}-{m:02d}").range for m in range(1, 13)], year)
    assert Period.parse(str(year)).range.days == year_days(year)


@given(years)
def test_quarters_and_months_tile_any_year(year: int) -> None:
    _assert_tiles_year([Period.parse(f"{year}-Q{q}").range for q in range(1, 5)], year)
    _assert_tiles_year([Period.parse(f"{year}-{m:02d}").range for m in range(1, 13)], year)


def test_leap_day_inside_q1_2020() -> None:
    q1 = Period.parse("2020-Q1").range
    assert date(2020, 2, 29) in q1
    assert q1.days == 91  # 31 + 29 + 31
    assert Period.parse("2019-Q1").range.days == 90  # 31 + 28 + 31
    assert Period.parse("2020-02").range.end == date(2020, 2, 29)
    assert Period.parse("1900-02").range.end == date(1900, 2, 28)  # not a leap year
    assert Period.parse("2000-02").range.end == date(2000, 2, 29)  # leap (divisible by 400)


def test_trip_over_new_year_splits_two_and_two() -> None:
    trip = DateRange(date(2018, 12, 30), date(2019, 1, 2))
    assert count_days([trip], Period.parse("2018").range) == 2  # 30, 31 Dec
    assert count_days([trip], Period.parse("2019").range) == 2  # 1, 2 Jan
    assert count_days([trip]) == 4


def test_trip_over_leap_day() -> None:
    trip = DateRange(date(2020, 2, 28), date(2020, 3, 1))
    assert count_days([trip]) == 3
    assert count_days([trip], Period.parse("2020-02").range) == 2


# --- count_days ----------------------------------------------------------------------


@given(range_lists, st.one_of(st.none(), ranges))
def test_count_days_equals_brute_force(spans: list[DateRange], window: DateRange | None) -> None:
    expected = union_days(spans)
    if window is not None:
        expected &= days_of(window)
    assert count_days(spans, window) == len(expected)


@given(range_lists, ranges, st.data())
def test_count_days_is_additive_over_adjacent_windows(
    spans: list[DateRange], window: DateRange, data: st.DataObject
) -> None:
    if window.days < 2:
        return
    k = data.draw(st.integers(0, window.days - 2))
    first = DateRange(window.start, window.start + timedelta(days=k))
    second = DateRange(first.end + ONE, window.end)
    assert count_days(spans, first) + count_days(spans, second) == count_days(spans, window)


@given(range_lists, ranges)
def test_count_days_bounded_by_window_and_span_days(
    spans: list[DateRange], window: DateRange
) -> None:
    n = count_days(spans, window)
    assert 0 <= n <= len(days_of(window))
    assert n <= sum(len(days_of(s)) for s in spans)
    assert count_days(spans) <= sum(len(days_of(s)) for s in spans)


@given(range_lists, ranges, st.one_of(st.none(), ranges), st.data())
def test_splitting_a_span_keeps_the_count(
    spans: list[DateRange], whole: DateRange, window: DateRange | None, data: st.DataObject
) -> None:
    if whole.days < 2:
        return
    k = data.draw(st.integers(0, whole.days - 2))
    left = DateRange(whole.start, whole.start + timedelta(days=k))
    right = DateRange(left.end + ONE, whole.end)
    assert count_days([*spans, left, right], window) == count_days([*spans, whole], window)


@given(range_lists, ranges, st.integers(0, 20), st.integers(0, 15), st.one_of(st.none(), ranges))
def test_merging_overlapping_spans_keeps_the_count(
    spans: list[DateRange], a: DateRange, into: int, length: int, window: DateRange | None
) -> None:
    # b starts inside a (or the day after it), so a and b together are one stretch.
    b_start = a.start + timedelta(days=min(into, a.days))
    b = DateRange(b_start, b_start + timedelta(days=length))
    hull = DateRange(a.start, max(a.end, b.end))
    assert count_days([*spans, a, b], window) == count_days([*spans, hull], window)


@given(range_lists, ranges, st.one_of(st.none(), ranges))
def test_adding_a_span_never_lowers_the_count(
    spans: list[DateRange], extra: DateRange, window: DateRange | None
) -> None:
    assert count_days([*spans, extra], window) >= count_days(spans, window)


@given(range_lists, st.one_of(st.none(), ranges), st.data())
def test_order_of_spans_is_irrelevant(
    spans: list[DateRange], window: DateRange | None, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(spans))
    assert count_days(shuffled, window) == count_days(spans, window)
    assert count_days(iter(shuffled), window) == count_days(spans, window)


# --- merge ---------------------------------------------------------------------------


@given(range_lists)
def test_merge_is_sorted_disjoint_non_adjacent_same_days(spans: list[DateRange]) -> None:
    merged = merge(spans)
    for before, after in itertools.pairwise(merged):
        # strictly more than one day apart: sorted, no overlap and no touching
        assert before.end + ONE < after.start
    assert union_days(merged) == union_days(spans)
    assert merge(merged) == merged
    assert merge(list(reversed(spans))) == merged


def test_merge_examples() -> None:
    jan = DateRange(date(2018, 1, 1), date(2018, 1, 4))
    assert merge([]) == []
    assert merge([DateRange(date(2018, 1, 5), date(2018, 1, 6)), jan]) == [
        DateRange(date(2018, 1, 1), date(2018, 1, 6))
    ]
    apart = DateRange(date(2018, 1, 6), date(2018, 1, 6))
    assert merge([apart, jan]) == [jan, apart]


# --- max_overlap ---------------------------------------------------------------------


@given(range_lists)
def test_max_overlap_equals_brute_force(spans: list[DateRange]) -> None:
    per_day = [sum(d in days_of(s) for s in spans) for d in union_days(spans)]
    assert max_overlap(spans) == max(per_day, default=0)


@given(range_lists, ranges)
def test_max_overlap_in_a_window_equals_brute_force(
    spans: list[DateRange], window: DateRange
) -> None:
    # Clipping to the window happens on day numbers: the peak of the clipped ranges.
    per_day = [sum(d in days_of(s) for s in spans) for d in days_of(window)]
    assert max_overlap(spans, window) == max(per_day, default=0)
    clipped = [part for s in spans if (part := s & window) is not None]
    assert max_overlap(spans, window) == max_overlap(clipped)


def test_max_overlap_examples() -> None:
    a = DateRange(date(2018, 1, 1), date(2018, 1, 31))
    touching = DateRange(date(2018, 2, 1), date(2018, 2, 5))  # next day: no shared day
    sharing = DateRange(date(2018, 1, 31), date(2018, 2, 5))  # shares 31 Jan
    assert max_overlap([]) == 0
    assert max_overlap([a, touching]) == 1
    assert max_overlap([a, sharing]) == 2
    assert max_overlap([a, a, a]) == 3


# --- DateRange -----------------------------------------------------------------------


@given(offsets, st.integers(1, 30))
def test_end_before_start_raises(start: int, back: int) -> None:
    with pytest.raises(ValueError):
        DateRange(day(start), day(start - back))


@given(ranges)
def test_days_and_contains(r: DateRange) -> None:
    assert r.days == len(days_of(r))
    assert r.start in r and r.end in r
    assert r.start - ONE not in r and r.end + ONE not in r
    assert "2020-01-01" not in r


@given(ranges, ranges)
def test_intersection_is_commutative_and_intersects_days(a: DateRange, b: DateRange) -> None:
    assert a & b == b & a
    both = days_of(a) & days_of(b)
    assert days_of(a & b) == both
    assert ((a & b) is None) == (not both)


@given(ranges, offsets)
def test_until_and_after_partition_the_range(r: DateRange, d: int) -> None:
    cut = day(d)
    head, tail = r.until(cut), r.after(cut)
    head_days, tail_days = days_of(head), days_of(tail)
    assert head_days | tail_days == days_of(r)
    assert not head_days & tail_days
    assert all(x <= cut for x in head_days)
    assert all(x > cut for x in tail_days)
    assert head is None or head.days > 0
    assert tail is None or tail.days > 0
