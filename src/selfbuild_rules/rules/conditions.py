"""The condition algebra every rule is built from, in Kleene's three-valued logic.

A condition is evaluated against what is known as of a date. ``UNKNOWN`` arises for
two reasons the :class:`Outcome` keeps apart: data that was never supplied
(``missing``), and a future that has not happened yet (the obligation is still open).

>>> Truth.TRUE & Truth.UNKNOWN
<Truth.UNKNOWN: 'unknown'>
>>> Truth.FALSE & Truth.UNKNOWN
<Truth.FALSE: 'false'>
>>> AtLeast(55, Tally(47, room=0)).evaluate().truth
<Truth.FALSE: 'false'>
>>> AtLeast(55, Tally(47, room=30)).evaluate().truth
<Truth.UNKNOWN: 'unknown'>
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable
from datetime import date
from types import ModuleType
from typing import TYPE_CHECKING, Protocol

import attrs

from selfbuild_rules.law.periods import DateRange, Span, count_days, max_overlap
from selfbuild_rules.rules import trace as _trace

if TYPE_CHECKING:
    from selfbuild_rules.rules.tallied import Tallied

__all__ = [
    "All",
    "AtLeast",
    "AtMost",
    "Condition",
    "ForEach",
    "Holds",
    "Measure",
    "Missing",
    "Not",
    "Outcome",
    "Tally",
    "Truth",
    "tally_days",
    "tally_events",
    "tally_overlap",
    "tally_records",
    "tally_spans",
    "within_deadline",
]


class Truth(enum.Enum):
    """A truth value of Kleene's strong three-valued logic."""

    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"

    @classmethod
    def of(cls, value: bool) -> Truth:
        """``TRUE`` or ``FALSE`` from a Python bool."""
        return cls.TRUE if value else cls.FALSE

    def __and__(self, other: Truth) -> Truth:
        if Truth.FALSE in (self, other):
            return Truth.FALSE
        if Truth.UNKNOWN in (self, other):
            return Truth.UNKNOWN
        return Truth.TRUE

    def __or__(self, other: Truth) -> Truth:
        return ~(~self & ~other)

    def __invert__(self) -> Truth:
        if self is Truth.UNKNOWN:
            return self
        return Truth.FALSE if self is Truth.TRUE else Truth.TRUE


@attrs.frozen
class Measure:
    """What a tally counts, named for explanations: 调研天数 (天) / research days.

    >>> Measure("违规记录", "条", "recorded violations", "recorded violation").english(1)
    'recorded violation'
    """

    zh: str
    unit_zh: str
    en: str
    en_one: str = ""

    def english(self, count: int | None) -> str:
        """The English name, singular for a count of one."""
        return self.en_one if count == 1 and self.en_one else self.en


@attrs.frozen
class Tally:
    """A count known so far, the facts behind it, and how much more may still come.

    ``room`` is ``0`` once nothing more can happen (the window has closed), a number
    when at most that many more can be added (days left in a window), and ``None``
    when any number can still be added. ``trace``: the records behind the count, made
    only while tracing (see :mod:`.trace`).
    """

    count: int
    facts: tuple[str, ...] = ()
    room: int | None = 0
    measure: Measure | None = None
    trace: Tallied | None = attrs.field(default=None, eq=False, repr=False)


def _tallied() -> ModuleType:
    """The module that counts while recording, loaded the first time it is needed."""
    from selfbuild_rules.rules import tallied

    return tallied


def _traced(made: Tallied, measure: Measure | None = None) -> Tally:
    return Tally(made.count, made.facts, made.room, measure, made)


@attrs.frozen
class Outcome:
    """What evaluating a condition found, with what it measured against what.

    ``failing`` names the items not (yet) met of a :class:`ForEach`, ``open`` those of
    them that may still be met; ``missing`` the
    fact categories whose absence left the outcome unknown.
    """

    truth: Truth
    measured: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    facts: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    failing: tuple[str, ...] = ()
    open: tuple[str, ...] = ()
    items: int | None = None
    measure: Measure | None = None


class Condition(Protocol):
    """Anything that evaluates to an :class:`Outcome`."""

    def evaluate(self) -> Outcome: ...


@attrs.frozen
class AtLeast:
    """At least ``minimum`` counted: met, failed for good, or still open."""

    minimum: int
    tally: Tally

    def evaluate(self) -> Outcome:
        t = self.tally
        if t.count >= self.minimum:
            truth = Truth.TRUE
        elif t.room is None or t.count + t.room >= self.minimum:
            truth = Truth.UNKNOWN
        else:
            truth = Truth.FALSE
        return Outcome(truth, t.count, minimum=self.minimum, facts=t.facts, measure=t.measure)


@attrs.frozen
class AtMost:
    """No more than ``maximum`` counted; unknown while more may still come."""

    maximum: int
    tally: Tally

    def evaluate(self) -> Outcome:
        t = self.tally
        if t.count > self.maximum:
            truth = Truth.FALSE
        elif t.room == 0:
            truth = Truth.TRUE
        else:
            truth = Truth.UNKNOWN
        return Outcome(truth, t.count, maximum=self.maximum, facts=t.facts, measure=t.measure)


@attrs.frozen
class Holds:
    """A fact that is simply true or false, such as "decided by a meeting"."""

    value: bool
    facts: tuple[str, ...] = ()

    def evaluate(self) -> Outcome:
        return Outcome(Truth.of(self.value), facts=self.facts)


@attrs.frozen
class Missing:
    """A condition that cannot be decided because categories of facts were not supplied."""

    categories: tuple[str, ...]

    def evaluate(self) -> Outcome:
        return Outcome(Truth.UNKNOWN, missing=self.categories)


def _combine(outcomes: list[Outcome], truth: Truth) -> Outcome:
    """The combined outcome, headlined by the first part that decided it."""
    decisive = next((o for o in outcomes if o.truth is truth), outcomes[0])
    missing = sorted({m for o in outcomes if o.truth is Truth.UNKNOWN for m in o.missing})
    if truth is not Truth.UNKNOWN:
        missing = []  # a decided outcome owes nothing to the data that is missing
    facts = tuple(dict.fromkeys(f for o in outcomes for f in o.facts))
    # Bounds on the same count (1 to 2 topics) are reported together.
    same = [o for o in outcomes if (o.measured, o.measure) == (decisive.measured, decisive.measure)]
    low = next((o.minimum for o in same if o.minimum is not None), None)
    high = next((o.maximum for o in same if o.maximum is not None), None)
    d = decisive  # built directly: attrs.evolve costs more than the rest of this together
    return Outcome(truth, d.measured, low, high, facts, tuple(missing), d.failing, d.open,
                   d.items, d.measure)  # fmt: skip


@attrs.frozen
class All:
    """Every part holds (Kleene conjunction); ``All()`` is true."""

    parts: tuple[Condition, ...]

    def evaluate(self) -> Outcome:
        outcomes = [p.evaluate() for p in self.parts]
        if not outcomes:
            return Outcome(Truth.TRUE)
        truth = Truth.TRUE
        for o in outcomes:
            truth = truth & o.truth
        return _combine(outcomes, truth)


@attrs.frozen
class Any:
    """Some part holds (Kleene disjunction); ``Any()`` is false."""

    parts: tuple[Condition, ...]

    def evaluate(self) -> Outcome:
        outcomes = [p.evaluate() for p in self.parts]
        if not outcomes:
            return Outcome(Truth.FALSE)
        truth = Truth.FALSE
        for o in outcomes:
            truth = truth | o.truth
        return _combine(outcomes, truth)


@attrs.frozen
class Not:
    """The negation; a lower bound becomes the matching upper bound and back."""

    part: Condition

    def evaluate(self) -> Outcome:
        o = self.part.evaluate()
        low = None if o.maximum is None else o.maximum + 1
        high = None if o.minimum is None else o.minimum - 1
        return attrs.evolve(o, truth=~o.truth, minimum=low, maximum=high)


@attrs.frozen
class ForEach:
    """Every item's condition holds; measures how many items are met.

    >>> ForEach((("d-1", AtLeast(1, Tally(1))), ("d-2", AtLeast(1, Tally(0))))).evaluate()
    Outcome(truth=<Truth.FALSE: 'false'>, measured=1, minimum=2, maximum=None, facts=(), \
missing=(), failing=('d-2',), open=(), items=2, measure=None)
    """

    items: tuple[tuple[str, Condition], ...]

    def evaluate(self) -> Outcome:
        truth, met = Truth.TRUE, 0
        failing: list[str] = []
        still_open: list[str] = []
        facts: list[str] = []
        missing: set[str] = set()
        for item_id, condition in self.items:
            o = condition.evaluate()
            truth = truth & o.truth
            facts.extend(o.facts)
            if o.truth is Truth.TRUE:
                met += 1
            else:
                failing.append(item_id)
                if o.truth is Truth.UNKNOWN:
                    still_open.append(item_id)
                missing.update(o.missing if o.truth is Truth.UNKNOWN else ())
        count = len(self.items)
        return Outcome(
            truth,
            met,
            minimum=count,
            facts=tuple(dict.fromkeys(facts)),
            missing=tuple(sorted(missing)),
            failing=tuple(failing),
            open=tuple(still_open),
            items=count,
        )


def within_deadline(
    events: Iterable[tuple[str, date]], start: date, due: date, as_of: date
) -> AtLeast:
    """Something happened between ``start`` and ``due`` (both included), as known by ``as_of``.

    >>> within_deadline([("ss-1", date(2018, 3, 22))], date(2018, 3, 20), date(2018, 3, 27),
    ...                 date(2019, 1, 1)).evaluate().truth
    <Truth.TRUE: 'true'>
    """
    return AtLeast(1, tally_events(events, DateRange(start, due), as_of))


@functools.lru_cache(maxsize=4096)
def _known(window: DateRange, as_of: date) -> DateRange | None:
    # Members mostly share their windows: each is cut at ``as_of`` once.
    return window.until(as_of)


@functools.lru_cache(maxsize=4096)
def _days_left(window: DateRange, as_of: date) -> int:
    later = window.after(as_of)
    return later.days if later else 0


def tally_days(spans: Iterable[tuple[str, Span]], window: DateRange, as_of: date) -> Tally:
    """Distinct days of ``spans`` inside ``window`` known by ``as_of``, and days left."""
    if _trace.on:  # one test of one number when not tracing: nothing else
        return _traced(_tallied().days(list(spans), window, as_of))
    room = _days_left(window, as_of)
    known = _known(window, as_of)
    if known is None:
        return Tally(0, (), room)
    first, last = known.start, known.end
    touching = [(f, s) for f, s in spans if s.start <= last and s.end >= first]
    return Tally(count_days([s for _, s in touching], known), tuple(f for f, _ in touching), room)


def _known_spans(
    spans: Iterable[tuple[str, DateRange]], window: DateRange, as_of: date
) -> list[tuple[str, DateRange]]:
    known = _known(window, as_of)
    if known is None:
        return []
    return [(fact_id, part) for fact_id, span in spans if (part := span & known) is not None]


def tally_spans(spans: Iterable[tuple[str, DateRange]], window: DateRange, as_of: date) -> Tally:
    """Spans (designations, tenures) touching ``window`` as known by ``as_of``."""
    if _trace.on:
        return _traced(_tallied().spans(list(spans), window, as_of))
    used = _known_spans(spans, window, as_of)
    return Tally(len(used), tuple(f for f, _ in used), None if as_of < window.end else 0)


def tally_overlap(
    spans: Iterable[tuple[str, DateRange]],
    window: DateRange,
    as_of: date,
    measure: Measure | None = None,
) -> Tally:
    """The most spans in force on one day of ``window`` known by ``as_of`` (counted as
    ``measure``, when that differs from the rule's)."""
    if _trace.on:
        return _traced(_tallied().spans(list(spans), window, as_of, peak=True), measure)
    used = _known_spans(spans, window, as_of)
    peak = max_overlap(part for _, part in used)
    return Tally(peak, tuple(f for f, _ in used), None if as_of < window.end else 0, measure)


def tally_events(events: Iterable[tuple[str, date]], window: DateRange, as_of: date) -> Tally:
    """Events dated inside ``window`` and known by ``as_of``; open while the window is."""
    if _trace.on:
        return _traced(_tallied().events(list(events), window, as_of))
    known = _known(window, as_of)
    facts = () if known is None else tuple(i for i, day in events if day in known)
    return Tally(len(facts), facts, None if as_of < window.end else 0)


def tally_records(ids: Iterable[str], *, open: bool) -> Tally:
    """Undated records, taken as they stand; ``open`` while more may still be added."""
    if _trace.on:
        return _traced(_tallied().records(tuple(ids), open=open))
    facts = tuple(ids)
    return Tally(len(facts), facts, None if open else 0)
