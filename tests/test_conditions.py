"""The condition algebra (conditions.py) in Kleene's strong three-valued logic.

Expected truths come from an independent model: order FALSE < UNKNOWN < TRUE, then
``&`` is the minimum, ``|`` the maximum and negation reverses the order. Leaf truths
come from the documented semantics of AtLeast / AtMost (see each model function).
"""

from __future__ import annotations

import itertools
import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfbuild_rules._context import Context
from selfbuild_rules._tianjin2018_rules import research_days_required
from selfbuild_rules.conditions import (
    All,
    Any,
    AtLeast,
    AtMost,
    ForEach,
    Holds,
    Missing,
    Not,
    Tally,
    Truth,
    tally_days,
    tally_events,
    tally_overlap,
    tally_spans,
)
from selfbuild_rules.loading import load_facts
from selfbuild_rules.modules import build_law
from selfbuild_rules.parameters import Parameters
from selfbuild_rules.periods import DateRange, Period

T, F, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
VALUES = (T, F, U)
RANK = {F: 0, U: 1, T: 2}
BY_RANK = {v: k for k, v in RANK.items()}
ONE = timedelta(days=1)


def k_and(*values: Truth) -> Truth:
    return BY_RANK[min((RANK[v] for v in values), default=2)]


def k_or(*values: Truth) -> Truth:
    return BY_RANK[max((RANK[v] for v in values), default=0)]


def k_not(value: Truth) -> Truth:
    return BY_RANK[2 - RANK[value]]


# --- Truth ---------------------------------------------------------------------------

PAIRS = list(itertools.product(VALUES, repeat=2))
TRIPLES = list(itertools.product(VALUES, repeat=3))


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_kleene_tables_commutative_de_morgan(a: Truth, b: Truth) -> None:
    assert a & b is k_and(a, b)
    assert a | b is k_or(a, b)
    assert ~a is k_not(a)
    assert a & b is b & a
    assert a | b is b | a
    assert ~(a & b) is ~a | ~b
    assert ~(a | b) is ~a & ~b


@pytest.mark.parametrize(("a", "b", "c"), TRIPLES)
def test_associative(a: Truth, b: Truth, c: Truth) -> None:
    assert (a & b) & c is a & (b & c)
    assert (a | b) | c is a | (b | c)


@pytest.mark.parametrize("a", VALUES)
def test_identities_absorbers_idempotence(a: Truth) -> None:
    assert ~~a is a
    assert a & F is F and F & a is F
    assert a | T is T and T | a is T
    assert a & T is a and T & a is a
    assert a | F is a and F | a is a
    assert a & a is a and a | a is a


def test_unknown_examples() -> None:
    assert U & T is U
    assert U | F is U
    assert U & F is F
    assert U | T is T
    assert ~U is U
    assert Truth.of(True) is T and Truth.of(False) is F


# --- condition trees -----------------------------------------------------------------

CATEGORIES = ("research_trips", "contact_points", "directives", "violations")
tallies = st.builds(
    Tally,
    count=st.integers(0, 6),
    facts=st.lists(st.sampled_from(("a", "b", "c")), max_size=2, unique=True).map(tuple),
    room=st.one_of(st.none(), st.integers(0, 4)),
)
leaves = st.one_of(
    st.builds(Holds, st.booleans()),
    st.builds(AtLeast, st.integers(0, 6), tallies),
    st.builds(AtMost, st.integers(0, 6), tallies),
    st.builds(
        Missing,
        st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=2, unique=True).map(tuple),
    ),
)
trees = st.recursive(
    leaves,
    lambda kids: st.one_of(
        st.lists(kids, max_size=4).map(lambda parts: All(tuple(parts))),
        st.lists(kids, max_size=4).map(lambda parts: Any(tuple(parts))),
        st.builds(Not, kids),
    ),
    max_leaves=12,
)


def at_least_truth(minimum: int, t: Tally) -> Truth:
    """Met if count ≥ minimum; failed for good only if even all the room cannot reach it."""
    if t.count >= minimum:
        return T
    if t.room is not None and t.count + t.room < minimum:
        return F
    return U


def at_most_truth(maximum: int, t: Tally) -> Truth:
    """Exceeded → false; otherwise true once nothing more can come (room 0)."""
    if t.count > maximum:
        return F
    return T if t.room == 0 else U


def model(c: object) -> Truth:
    if isinstance(c, Holds):
        return T if c.value else F
    if isinstance(c, AtLeast):
        return at_least_truth(c.minimum, c.tally)
    if isinstance(c, AtMost):
        return at_most_truth(c.maximum, c.tally)
    if isinstance(c, Missing):
        return U
    if isinstance(c, All):
        return k_and(*(model(p) for p in c.parts))
    if isinstance(c, Any):
        return k_or(*(model(p) for p in c.parts))
    assert isinstance(c, Not)
    return k_not(model(c.part))


def categories_in(c: object) -> set[str]:
    if isinstance(c, Missing):
        return set(c.categories)
    if isinstance(c, (All, Any)):
        return set().union(*(categories_in(p) for p in c.parts))
    if isinstance(c, Not):
        return categories_in(c.part)
    return set()


@given(trees)
def test_tree_truth_is_the_kleene_fold(c: object) -> None:
    assert c.evaluate().truth is model(c)  # type: ignore[attr-defined]


@given(st.lists(trees, max_size=4))
def test_all_and_any_fold_their_childrens_truths(parts: list[object]) -> None:
    truths = [p.evaluate().truth for p in parts]  # type: ignore[attr-defined]
    assert All(tuple(parts)).evaluate().truth is k_and(*truths)
    assert Any(tuple(parts)).evaluate().truth is k_or(*truths)


@given(trees)
def test_missing_only_names_categories_in_the_tree(c: object) -> None:
    outcome = c.evaluate()  # type: ignore[attr-defined]
    assert set(outcome.missing) <= categories_in(c)
    if isinstance(c, (All, Any)):  # combining sorts and dedupes
        assert list(outcome.missing) == sorted(set(outcome.missing))


def test_empty_all_and_any() -> None:
    assert All(()).evaluate().truth is T
    assert Any(()).evaluate().truth is F


@given(trees, trees)
def test_double_negation_and_de_morgan_on_conditions(a: object, b: object) -> None:
    assert Not(Not(a)).evaluate().truth is a.evaluate().truth  # type: ignore[arg-type, attr-defined]
    lhs = Not(All((a, b))).evaluate().truth  # type: ignore[arg-type]
    rhs = Any((Not(a), Not(b))).evaluate().truth  # type: ignore[arg-type]
    assert lhs is rhs
    lhs = Not(Any((a, b))).evaluate().truth  # type: ignore[arg-type]
    rhs = All((Not(a), Not(b))).evaluate().truth  # type: ignore[arg-type]
    assert lhs is rhs


# --- AtLeast / AtMost ----------------------------------------------------------------

counts = st.integers(0, 20)
rooms = st.one_of(st.none(), st.integers(0, 20))


@given(counts, counts, counts, rooms)
def test_at_least_monotone_in_count(minimum: int, c1: int, c2: int, room: int | None) -> None:
    low, high = sorted((c1, c2))
    before = AtLeast(minimum, Tally(low, room=room)).evaluate().truth
    after = AtLeast(minimum, Tally(high, room=room)).evaluate().truth
    assert RANK[after] >= RANK[before]
    if before is T:
        assert after is T


@given(counts, counts, rooms)
def test_at_least_semantics(minimum: int, count: int, room: int | None) -> None:
    outcome = AtLeast(minimum, Tally(count, ("f",), room)).evaluate()
    assert (outcome.truth is T) == (count >= minimum)
    assert (outcome.truth is F) == (room is not None and count + room < minimum)
    assert (outcome.measured, outcome.minimum, outcome.facts) == (count, minimum, ("f",))


@given(counts, counts, rooms)
def test_at_most_semantics(maximum: int, count: int, room: int | None) -> None:
    outcome = AtMost(maximum, Tally(count, room=room)).evaluate()
    assert (outcome.truth is F) == (count > maximum)
    assert (outcome.truth is T) == (count <= maximum and room == 0)
    assert (outcome.measured, outcome.maximum) == (count, maximum)


def test_at_least_examples() -> None:
    assert AtLeast(55, Tally(47, room=0)).evaluate().truth is F
    assert AtLeast(55, Tally(47, room=8)).evaluate().truth is U  # 47 + 8 = 55 still reachable
    assert AtLeast(55, Tally(47, room=7)).evaluate().truth is F  # 47 + 7 = 54 < 55
    assert AtLeast(55, Tally(47, room=None)).evaluate().truth is U
    assert AtLeast(0, Tally(0)).evaluate().truth is T
    assert AtMost(2, Tally(2, room=None)).evaluate().truth is U
    assert AtMost(2, Tally(3, room=None)).evaluate().truth is F


# --- ForEach -------------------------------------------------------------------------

item_lists = st.lists(leaves, max_size=6).map(
    lambda cs: tuple((f"i-{n}", c) for n, c in enumerate(cs))
)


@given(item_lists)
def test_for_each(items: tuple[tuple[str, object], ...]) -> None:
    outcome = ForEach(items).evaluate()  # type: ignore[arg-type]
    truths = [(i, model(c)) for i, c in items]
    assert outcome.truth is k_and(*(t for _, t in truths))
    assert outcome.measured == sum(t is T for _, t in truths)
    assert outcome.failing == tuple(i for i, t in truths if t is not T)
    assert outcome.open == tuple(i for i, t in truths if t is U)
    expected_missing = set()
    for _, c in items:
        if isinstance(c, Missing):  # the only leaves that carry missing categories
            expected_missing |= set(c.categories)
    assert outcome.missing == tuple(sorted(expected_missing))
    assert outcome.minimum == outcome.items == len(items)


def test_for_each_missing_only_from_unknown_items() -> None:
    # A Not(Missing) is still UNKNOWN and keeps its categories; a FALSE item adds none.
    items = (
        ("a", Holds(True)),
        ("b", Not(Missing(("directives",)))),
        ("c", AtLeast(2, Tally(0, room=1))),
        ("d", Missing(("contact_points",))),
    )
    outcome = ForEach(items).evaluate()  # type: ignore[arg-type]
    assert outcome.truth is F
    assert outcome.failing == ("b", "c", "d")
    assert outcome.open == ("b", "d")  # c can no longer be met (0 + 1 < 2)
    assert outcome.measured == 1
    assert outcome.missing == ("contact_points", "directives")


def test_missing_propagates() -> None:
    gone = Missing(("research_trips",))
    unknown = All((gone, Holds(True))).evaluate()
    assert unknown.truth is U
    assert unknown.missing == ("research_trips",)
    assert All((gone, Holds(False))).evaluate().truth is F
    assert Any((gone, Holds(True))).evaluate().truth is T
    assert Any((gone, Holds(False))).evaluate().missing == ("research_trips",)


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
    ctx = Context.build(
        load_facts(MINIMAL),
        Period.parse(str(window.start.year)),
        date(window.start.year + 1, 3, 1),
        build_law(parameters=Parameters(overrides)),
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


def test_a_decided_outcome_names_no_missing_category() -> None:
    decided = All((Missing(("violations",)), Holds(False))).evaluate()
    assert decided.truth is Truth.FALSE
    assert decided.missing == ()
    undecided = All((Missing(("violations",)), Holds(True))).evaluate()
    assert undecided.missing == ("violations",)
