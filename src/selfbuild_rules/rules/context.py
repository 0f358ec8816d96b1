"""What a rule sees: the indexed facts, the period, ``as_of`` and the law in force.

The index is built once per evaluation so that no rule ever scans all facts: each
rule asks for one member's records of one category. Parameters are read *on a day*,
because the law changes over time; yearly quantities are weighed by days.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any, TypeVar

import attrs

from selfbuild_rules.facts.records import CATEGORIES, Facts, Member
from selfbuild_rules.law.parameters import IN_FORCE
from selfbuild_rules.law.periods import DateRange, Period
from selfbuild_rules.law.timeline import Segment, Timeline, day_weighted

T = TypeVar("T")
_MEMBER_CATEGORIES = tuple(
    name for name, cls in CATEGORIES.items() if "member" in attrs.fields_dict(cls)
)


@attrs.frozen
class FactsIndex:
    """The facts, grouped once by category and member."""

    facts: Facts
    by_member: dict[str, dict[str, list[Any]]] = attrs.field(init=False, repr=False)
    assessments: dict[tuple[str, str, str], list[Any]] = attrs.field(init=False, repr=False)
    #: The rules with at least one assessment.
    assessed: frozenset[str] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        by_member: dict[str, dict[str, list[Any]]] = {}
        for category in _MEMBER_CATEGORIES:
            grouped: dict[str, list[Any]] = defaultdict(list)
            for record in getattr(self.facts, category) or ():
                grouped[record.member].append(record)
            by_member[category] = grouped
        object.__setattr__(self, "by_member", by_member)
        assessments: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
        for a in self.facts.assessments or ():
            assessments[a.rule, a.subject, a.period].append(a)
        object.__setattr__(self, "assessments", assessments)
        object.__setattr__(self, "assessed", frozenset(rule for rule, _, _ in assessments))


@attrs.frozen
class Context:
    """The inputs of one evaluation, shared by every rule.

    ``parameters`` holds each parameter's values over time, as the base and its
    modules set them. ``in_force`` is the days the provision being evaluated is in
    force: the base regulation's for its own provisions, a module's for those it adds.
    """

    index: FactsIndex
    period: Period
    as_of: _dt.date
    parameters: Mapping[str, Timeline]
    in_force: DateRange
    #: Whether results are traced (each rule's obligation worked out again, recorded).
    trace: bool = False
    #: Values already worked out: the same parameter over the same window or day comes
    #: up once per member, and the law does not change during an evaluation.
    _known: dict[tuple[str, str, object], Any] = attrs.field(
        init=False, factory=dict, eq=False, repr=False
    )

    @property
    def facts(self) -> Facts:
        """The facts being evaluated."""
        return self.index.facts

    @classmethod
    def build(
        cls,
        facts: Facts,
        period: Period,
        as_of: _dt.date,
        parameters: Mapping[str, Timeline],
        *,
        trace: bool = False,
    ) -> Context:
        """A context for the base regulation's provisions, in force from the value of
        ``regulation.in_force_from``, which every base regulation defines."""
        start = parameters[IN_FORCE].at(_dt.date.max).value
        assert isinstance(start, _dt.date)
        in_force = DateRange(start, _dt.date.max)
        return cls(FactsIndex(facts), period, as_of, parameters, in_force, trace)

    def has(self, category: str) -> bool:
        """Whether a category was supplied (even empty): the closed-world test."""
        return getattr(self.facts, category) is not None

    def records(self, category: str) -> tuple[Any, ...]:
        """All records of a category (empty when not supplied)."""
        return getattr(self.facts, category) or ()

    def of_member(self, category: str, member: Member) -> list[Any]:
        """One member's records of a category."""
        return self.index.by_member[category].get(member.id, [])

    def remembered(self, key: tuple[str, str, object], work: Callable[[], T]) -> T:
        """``work()``, done once per key in this evaluation (for values every member shares)."""
        try:
            found: T = self._known[key]
        except KeyError:
            found = self._known[key] = work()
        return found

    def value(self, name: str, day: _dt.date) -> object:
        """The value of parameter ``name`` in force on ``day``."""
        return self.parameters[name].at(day).value

    def over(self, name: str, window: DateRange) -> list[tuple[DateRange, Segment]]:
        """The values of parameter ``name`` over ``window``, each with the days it governs."""
        return self.parameters[name].over(window)

    def number(self, name: str, day: _dt.date) -> int:
        """A whole-number parameter as in force on ``day``."""
        value = self.value(name, day)
        assert isinstance(value, int)
        return value

    def text(self, name: str, day: _dt.date) -> str:
        """A text parameter (a choice, a month-day) as in force on ``day``."""
        value = self.value(name, day)
        assert isinstance(value, str)
        return value

    def names(self, name: str, day: _dt.date) -> frozenset[str]:
        """A set-of-values parameter as in force on ``day``."""
        found = self._known.get(("names", name, day))
        if found is None:
            value = self.value(name, day)
            assert isinstance(value, tuple)
            found = self._known["names", name, day] = frozenset(map(str, value))
        return found

    def at_least(self, name: str, window: DateRange) -> int:
        """A yearly minimum weighed by the days each value governs, rounded up once.

        Constant over the window, this is simply the value; changed mid-window, each
        value counts for its share of the window's days.
        """
        return self._weighted(name, window, math.ceil)

    def at_most(self, name: str, window: DateRange) -> int:
        """A yearly maximum weighed by days, rounded down once (the stricter way)."""
        return self._weighted(name, window, math.floor)

    def _weighted(self, name: str, window: DateRange, rounded: Callable[[Fraction], int]) -> int:
        # Members mostly share their windows: each bound is worked out once per window.
        key = (rounded.__name__, name, window)
        found = self._known.get(key)
        if found is None:
            parts = self.over(name, window)
            found = self._known[key] = rounded(day_weighted(parts, _whole, per=window.days))
        assert isinstance(found, int)
        return found


def _whole(value: object) -> int:
    assert isinstance(value, int)
    return value
