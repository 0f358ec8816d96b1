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
import itertools
from datetime import date
from typing import TYPE_CHECKING, Protocol

import attrs

if TYPE_CHECKING:
    from selfbuild_rules.rules.tallied import Tallied

__all__ = [
    "All",
    "AtLeast",
    "AtMost",
    "Condition",
    "Due",
    "ForEach",
    "Holds",
    "Measure",
    "Missing",
    "Needed",
    "Not",
    "Outcome",
    "Tally",
    "Truth",
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
    #: The unit in English, plural (``days``), as a still-needed amount is counted in.
    unit: str = ""

    def english(self, count: int | None) -> str:
        """The English name, singular for a count of one."""
        return self.en_one if count == 1 and self.en_one else self.en


@attrs.frozen
class Tally:
    """A count known so far, the facts behind it, and how much more may still come.

    ``room`` is ``0`` once nothing more can happen (the window has closed), a number
    when at most that many more can be added (days left in a window), and ``None``
    when any number can still be added. ``by`` is the last day more can be added: the
    window's last day (which may come before the obligation's due date). ``trace``:
    the records behind the count, made only while tracing (see :mod:`.trace`).
    """

    count: int
    facts: tuple[str, ...] = ()
    room: int | None = 0
    measure: Measure | None = None
    by: date | None = None
    trace: Tallied | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Due:
    """An item not met yet that may still be met, and the last day it can be.

    >>> Due("d-05", date(2018, 7, 3)).by
    datetime.date(2018, 7, 3)
    """

    item: str
    by: date


@attrs.frozen
class Needed:
    """What more would meet an open condition, and by when: ``amount`` more of what is
    counted (or of open ``items``, each with its own last day) by ``by``.

    >>> AtLeast(55, Tally(41, room=184, by=date(2018, 12, 31))).evaluate().needed
    Needed(amount=14, by=datetime.date(2018, 12, 31), items=())
    """

    amount: int
    by: date
    items: tuple[Due, ...] = ()


@attrs.frozen
class Outcome:
    """What evaluating a condition found, with what it measured against what.

    ``failing`` names the items not (yet) met of a :class:`ForEach`, ``open`` those of
    them that may still be met; ``missing`` the
    fact categories whose absence left the outcome unknown; ``needed`` what more would
    meet an open lower bound or open items, and by when.
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
    needed: Needed | None = None


class Condition(Protocol):
    """Anything that evaluates to an :class:`Outcome`."""

    def evaluate(self) -> Outcome: ...


@attrs.frozen
class AtLeast:
    """At least ``minimum`` counted: met, failed for good, or still open."""

    minimum: int
    tally: Tally

    def truth(self) -> Truth:
        """Whether the bound holds, without the rest of :meth:`evaluate`.

        >>> AtLeast(2, Tally(1, room=3)).truth()
        <Truth.UNKNOWN: 'unknown'>
        """
        t = self.tally
        if t.count >= self.minimum:
            return Truth.TRUE
        if t.room is None or t.count + t.room >= self.minimum:
            return Truth.UNKNOWN
        return Truth.FALSE

    def evaluate(self) -> Outcome:
        t = self.tally
        truth = self.truth()
        needed = None
        if truth is Truth.UNKNOWN and t.by is not None:
            needed = Needed(self.minimum - t.count, t.by)
        # Positional: a keyword call costs more, and this runs for every member.
        return Outcome(truth, t.count, self.minimum, None, t.facts, (), (), (), None,
                       t.measure, needed)  # fmt: skip


@attrs.frozen
class AtMost:
    """No more than ``maximum`` counted; unknown while more may still come."""

    maximum: int
    tally: Tally

    def truth(self) -> Truth:
        """Whether the bound holds, without the rest of :meth:`evaluate`.

        >>> AtMost(0, Tally(0, room=0)).truth()
        <Truth.TRUE: 'true'>
        """
        t = self.tally
        if t.count > self.maximum:
            return Truth.FALSE
        if t.room == 0:
            return Truth.TRUE
        return Truth.UNKNOWN

    def evaluate(self) -> Outcome:
        t = self.tally
        truth = self.truth()
        return Outcome(truth, t.count, None, self.maximum, t.facts, (), (), (), None, t.measure)


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
    # Plain loops, no generators: this runs for every member of most member rules.
    d = outcomes[0]
    for o in outcomes:
        if o.truth is truth:
            d = o
            break
    missing: tuple[str, ...] = ()
    if truth is Truth.UNKNOWN:  # a decided outcome owes nothing to the data that is missing
        missing = tuple(sorted({m for o in outcomes if o.truth is truth for m in o.missing}))
    facts = tuple(dict.fromkeys(itertools.chain.from_iterable([o.facts for o in outcomes])))
    # Bounds on the same count (1 to 2 topics) are reported together.
    low = high = None
    for o in outcomes:
        if o.measured == d.measured and (o.measure is d.measure or o.measure == d.measure):
            if low is None:
                low = o.minimum
            if high is None:
                high = o.maximum
    # Built directly: attrs.evolve costs more than the rest of this together.
    return Outcome(truth, d.measured, low, high, facts, missing, d.failing, d.open,
                   d.items, d.measure, d.needed)  # fmt: skip


def _conjunction(outcomes: list[Outcome]) -> Truth:
    """Kleene's conjunction of the outcomes' truths (``TRUE`` for none), inline."""
    truth = Truth.TRUE
    for o in outcomes:
        if o.truth is Truth.FALSE:
            return Truth.FALSE
        if o.truth is Truth.UNKNOWN:
            truth = Truth.UNKNOWN
    return truth


@attrs.frozen
class All:
    """Every part holds (Kleene conjunction); ``All()`` is true."""

    parts: tuple[Condition, ...]

    def evaluate(self) -> Outcome:
        outcomes = [p.evaluate() for p in self.parts]
        if not outcomes:
            return Outcome(Truth.TRUE)
        return _combine(outcomes, _conjunction(outcomes))


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
        return attrs.evolve(o, truth=~o.truth, minimum=low, maximum=high, needed=None)


@attrs.frozen
class ForEach:
    """Every item's condition holds; measures how many items are met.

    ``arising`` is true while more items may still arise (the period is open): every
    item met so far then leaves the outcome open, never settled.

    >>> ForEach((("d-1", AtLeast(1, Tally(1))), ("d-2", AtLeast(1, Tally(0))))).evaluate()
    Outcome(truth=<Truth.FALSE: 'false'>, measured=1, minimum=2, maximum=None, facts=(), \
missing=(), failing=('d-2',), open=(), items=2, measure=None, needed=None)
    >>> ForEach((("d-1", AtLeast(1, Tally(1))),), arising=True).evaluate().truth
    <Truth.UNKNOWN: 'unknown'>
    """

    items: tuple[tuple[str, Condition], ...]
    arising: bool = False

    def evaluate(self) -> Outcome:
        truth, met = Truth.TRUE, 0
        failing: list[str] = []
        still_open: list[str] = []
        dues: list[Due] = []
        facts: list[str] = []
        missing: set[str] = set()
        for item_id, condition in self.items:
            if type(condition) is AtLeast and condition.truth() is Truth.TRUE:
                # Met: all that counts is its facts, so no Outcome is made for it
                # (an item is most often a count already met).
                facts.extend(condition.tally.facts)
                met += 1
                continue
            o = condition.evaluate()
            if truth is not Truth.FALSE and o.truth is not Truth.TRUE:
                truth = o.truth  # Kleene's conjunction, inline
            facts.extend(o.facts)
            if o.truth is Truth.TRUE:
                met += 1
            else:
                failing.append(item_id)
                if o.truth is Truth.UNKNOWN:
                    still_open.append(item_id)
                    if o.needed is not None:
                        dues.append(Due(item_id, o.needed.by))
                missing.update(o.missing if o.truth is Truth.UNKNOWN else ())
        if truth is Truth.TRUE and self.arising:
            truth = Truth.UNKNOWN  # met so far, but a later item may still fail
        count = len(self.items)
        needed = None
        if truth is Truth.UNKNOWN and dues:
            dues.sort(key=lambda d: (d.by, d.item))
            needed = Needed(len(dues), dues[0].by, tuple(dues))
        facts_once = tuple(dict.fromkeys(facts))
        return Outcome(truth, met, count, None, facts_once, tuple(sorted(missing)),
                       tuple(failing), tuple(still_open), count, None, needed)  # fmt: skip
