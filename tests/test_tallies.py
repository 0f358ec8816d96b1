"""Tallies (what is known by ``as_of`` and what may still come) and the research requirement.

Expected values are worked out independently: day sets built by stepping one day at
a time, and the requirement by hand from the documented reading of "2个月".
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfbuild_rules.facts.loading import load_facts
from selfbuild_rules.law.parameters import Parameters
from selfbuild_rules.law.periods import DateRange, Period
from selfbuild_rules.plugins.modules import build_law
from selfbuild_rules.rules.tallies import tally_days, tally_events, tally_overlap, tally_spans
from selfbuild_rules.tianjin2018 import BASE as TIANJIN
from selfbuild_rules.tianjin2018.members import research_days_required

ONE = timedelta(days=1)

# --- tallies with as_of --------------------------------------------------------------

BASE = date(2019, 12, 20)  # crosses a year end and 2020-02-29 (offset 71)


def day(offset: int) -> date:
    return BASE + timedelta(days=offset)


def days_of(r: DateRange) -> list[date]:
    return [r.start + timedelta(days=i) for i in range((r.end - r.start).days + 1)]


windows = st.builds(
    lambda s, n: DateRange(day(s), day(s + n)), st.integers(0, 40), st.integers(0, 40)
)
span_lists = st.lists(
    st.builds(lambda s, n: DateRange(day(s), day(s + n)), st.integers(-10, 80), st.integers(0, 12)),
    max_size=6,
).map(lambda rs: [(f"s-{i}", r) for i, r in enumerate(rs)])
event_lists = st.lists(st.integers(-10, 90), max_size=8).map(
    lambda ds: [(f"e-{i}", day(d)) for i, d in enumerate(ds)]
)
as_ofs = st.integers(-5, 90).map(day)


def open_room(window: DateRange, as_of: date) -> int | None:
    return None if as_of < window.end else 0


@given(span_lists, windows, as_ofs)
def test_tally_days(spans: list[tuple[str, DateRange]], window: DateRange, as_of: date) -> None:
    t = tally_days(spans, window, as_of)
    known = [d for d in days_of(window) if d <= as_of]
    covered = {d for _, r in spans for d in days_of(r)}
    assert t.count == len(covered.intersection(known))
    assert t.count <= len(known)
    assert t.room == sum(d > as_of for d in days_of(window))
    assert t.facts == tuple(i for i, r in spans if any(d in r for d in known))
    if as_of >= window.end:
        assert t.room == 0


@given(span_lists, span_lists, windows, as_ofs)
def test_facts_after_as_of_are_ignored(
    spans: list[tuple[str, DateRange]],
    later: list[tuple[str, DateRange]],
    window: DateRange,
    as_of: date,
) -> None:
    # Move the extra spans wholly after as_of.
    lag = as_of - BASE + 11 * ONE  # span offsets are ≥ -10, so every start lands after as_of
    shift = [(f"x{i}", DateRange(r.start + lag, r.end + lag)) for i, r in later]
    assert all(r.start > as_of for _, r in shift)
    for tally in (tally_days, tally_spans, tally_overlap):
        assert tally(spans + shift, window, as_of) == tally(spans, window, as_of)
    events = [(i, r.start) for i, r in shift]
    assert tally_events(events, window, as_of).count == 0


def test_tally_days_boundaries() -> None:
    window = DateRange(date(2018, 2, 2), date(2018, 12, 31))  # 333 days
    trip = [("t", DateRange(date(2018, 12, 30), date(2019, 1, 2)))]
    at_end = tally_days(trip, window, window.end)
    assert (at_end.count, at_end.room) == (2, 0)
    after_end = tally_days(trip, window, date(2019, 3, 1))
    assert (after_end.count, after_end.room) == (2, 0)
    day_before = tally_days(trip, window, date(2018, 12, 30))
    assert (day_before.count, day_before.room) == (1, 1)
    before = tally_days(trip, window, date(2018, 1, 1))
    assert (before.count, before.room, before.facts) == (0, 333, ())


@given(event_lists, windows, as_ofs)
def test_tally_events(events: list[tuple[str, date]], window: DateRange, as_of: date) -> None:
    t = tally_events(events, window, as_of)
    expected = tuple(i for i, d in events if window.start <= d <= window.end and d <= as_of)
    assert t.facts == expected
    assert t.count == len(expected)
    assert t.room == open_room(window, as_of)


@given(span_lists, windows, as_ofs)
def test_tally_spans_and_overlap(
    spans: list[tuple[str, DateRange]], window: DateRange, as_of: date
) -> None:
    known = [d for d in days_of(window) if d <= as_of]
    touching = tuple(i for i, r in spans if any(d in r for d in known))
    peak = max((sum(d in r for _, r in spans) for d in known), default=0)
    t = tally_spans(spans, window, as_of)
    assert (t.count, t.facts, t.room) == (len(touching), touching, open_room(window, as_of))
    t = tally_overlap(spans, window, as_of)
    assert (t.count, t.facts, t.room) == (peak, touching, open_room(window, as_of))


def test_open_tallies_close_exactly_at_window_end() -> None:
    window = DateRange(date(2018, 1, 1), date(2018, 12, 31))
    for tally in (tally_spans, tally_overlap, tally_events):
        assert tally([], window, date(2018, 12, 30)).room is None
        assert tally([], window, date(2018, 12, 31)).room == 0


# --- pro-rated research requirement --------------------------------------------------

MINIMAL = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"}, "members": []}


def required(window: DateRange, **overrides: object) -> int:
    law = build_law(TIANJIN, parameters=Parameters(overrides, table=TIANJIN.parameters))
    ctx = law.context(
        load_facts(MINIMAL), Period.parse(str(window.start.year)), date(window.start.year + 1, 3, 1)
    )
    return research_days_required(ctx, window)


def whole(year: int) -> DateRange:
    return DateRange(date(year, 1, 1), date(year, 12, 31))


def year_length(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def windows_in(year: int) -> st.SearchStrategy[DateRange]:
    n = year_length(year)
    return st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).map(
        lambda ab: DateRange(date(year, 1, 1) + ONE * min(ab), date(year, 1, 1) + ONE * max(ab))
    )


@pytest.mark.parametrize("year", [2018, 2019, 2020, 2000, 1900, 2100])
def test_whole_year_requires_sixty_days(year: int) -> None:
    assert required(whole(year)) == 60


def test_research_requirement_by_hand() -> None:
    # 2018-02-02..12-31: 27 days of Feb + 306 (Mar..Dec) = 333; 60 × 333 / 365 = 54.7 → 55.
    assert required(DateRange(date(2018, 2, 2), date(2018, 12, 31))) == 55
    # One day of a leap year: 60 / 366 → 1.
    assert required(DateRange(date(2020, 2, 29), date(2020, 2, 29))) == 1
    # Half of 2020 (Jan..Jun = 182 days): 60 × 182 / 366 = 29.8 → 30.
    assert required(DateRange(date(2020, 1, 1), date(2020, 6, 30))) == 30


@given(st.sampled_from([2018, 2019, 2020, 2000, 1900]), st.data())
def test_research_requirement_is_ceil_of_share(year: int, data: st.DataObject) -> None:
    w = data.draw(windows_in(year))
    days = (w.end - w.start).days + 1
    assert required(w) == -(-60 * days // year_length(year))  # exact integer ceiling
    assert required(w, **{"research.pro_rating": "none"}) == 60
    # twelfths_of_year pro-rated: 2 × Y / 12 × days / Y = days / 6, rounded up.
    assert required(w, **{"research.month_mode": "twelfths_of_year"}) == -(-days // 6)


@given(st.sampled_from([2018, 2020, 1900]), st.data())
def test_research_requirement_is_monotone_in_window_days(year: int, data: st.DataObject) -> None:
    a, b = data.draw(windows_in(year)), data.draw(windows_in(year))
    if a.days > b.days:
        a, b = b, a
    assert required(a) <= required(b)


def test_other_readings_whole_year() -> None:
    twelfths = {"research.month_mode": "twelfths_of_year"}
    assert math.ceil(2 * 365 / 12) == 61 == required(whole(2018), **twelfths)  # 60.8 → 61
    assert math.ceil(2 * 366 / 12) == 61 == required(whole(2020), **twelfths)  # 61 exactly
    assert required(whole(2018), **{"research.months": 3}) == 90
    assert required(whole(2020), **{"research.months": 3}) == 90
