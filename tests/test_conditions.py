"""The condition algebra (conditions.py) in Kleene's strong three-valued logic.

Expected truths come from an independent model: order FALSE < UNKNOWN < TRUE, then
``&`` is the minimum, ``|`` the maximum and negation reverses the order. Leaf truths
come from the documented semantics of AtLeast / AtMost (see each model function).
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfbuild_rules.rules.conditions import (
    All,
    Any,
    AtLeast,
    AtMost,
    ForEach,
    Holds,
    Measure,
    Missing,
    Not,
    Tally,
    Truth,
)

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
MEASURES = (Measure("调研天数", "天", "research days"), Measure("联系点", "个", "contact points"))
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


@given(st.lists(trees, min_size=1, max_size=6), st.sampled_from(MEASURES))
def test_all_and_any_combine_their_parts_as_documented(
    parts: list[object], shared: Measure
) -> None:
    """What a combined outcome says besides its truth, against the rule written plainly:
    headlined by the first part that decided it (else the first), its facts every part's
    in order once each, its bounds those of parts counting the same, and missing data
    named only while undecided."""
    # Parts sometimes count the same measure, so that their bounds are reported together.
    counted = Tally(1, measure=shared)
    parts = [
        p if i % 2 == 0 else AtLeast(i, counted) if i % 4 == 1 else AtMost(i, counted)
        for i, p in enumerate(parts)
    ]
    outcomes = [p.evaluate() for p in parts]  # type: ignore[attr-defined]
    for combined in (All(tuple(parts)).evaluate(), Any(tuple(parts)).evaluate()):  # type: ignore[arg-type]
        head = next((o for o in outcomes if o.truth is combined.truth), outcomes[0])
        same = [o for o in outcomes if (o.measured, o.measure) == (head.measured, head.measure)]
        facts = [f for o in outcomes for f in o.facts]
        assert combined.facts == tuple(sorted(set(facts), key=facts.index))
        assert combined.minimum == next((o.minimum for o in same if o.minimum is not None), None)
        assert combined.maximum == next((o.maximum for o in same if o.maximum is not None), None)
        assert (combined.measured, combined.measure, combined.needed) == (
            head.measured, head.measure, head.needed,
        )  # fmt: skip
        assert (combined.failing, combined.open, combined.items) == (
            head.failing, head.open, head.items,
        )  # fmt: skip
        gaps = {m for o in outcomes if o.truth is U for m in o.missing}
        assert combined.missing == (tuple(sorted(gaps)) if combined.truth is U else ())


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


class CarefulAtLeast(AtLeast):
    """An AtLeast by another name: ForEach evaluates it in full, never from its truth."""


@given(item_lists, st.booleans())
def test_for_each_items_met_by_count_give_what_evaluating_them_gives(
    items: tuple[tuple[str, object], ...], arising: bool
) -> None:
    careful = tuple(
        (i, CarefulAtLeast(c.minimum, c.tally) if type(c) is AtLeast else c) for i, c in items
    )
    fast = ForEach(items, arising).evaluate()  # type: ignore[arg-type]
    assert fast == ForEach(careful, arising).evaluate()  # type: ignore[arg-type]


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


def test_a_decided_outcome_names_no_missing_category() -> None:
    decided = All((Missing(("violations",)), Holds(False))).evaluate()
    assert decided.truth is Truth.FALSE
    assert decided.missing == ()
    undecided = All((Missing(("violations",)), Holds(True))).evaluate()
    assert undecided.missing == ("violations",)
