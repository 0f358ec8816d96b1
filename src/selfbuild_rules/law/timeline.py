"""Law over time: dated parameter values and rule versions, and where each came from.

A :class:`Timeline` holds the values of one parameter, each from a day until the next
change; a lookup on a date returns the value in force that day (point-in-time). A
yearly quantity whose value changes inside its window is weighed by days
(:func:`day_weighted`), so a mid-year amendment counts for the part of the year it
governs.

>>> t = Timeline.constant(2, "demo-city").splice(
...     DateRange(date(2019, 7, 1), date.max), 3, "example-district")
>>> t.at(date(2019, 6, 30)).value, t.at(date(2019, 7, 1)).value
(2, 3)
>>> year = DateRange(date(2019, 1, 1), date(2019, 12, 31))
>>> import math
>>> math.ceil(day_weighted(t.over(year), lambda months: 30 * months, per=365))
76
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from datetime import date, timedelta
from fractions import Fraction

import attrs

from selfbuild_rules.law.periods import DateRange

__all__ = ["ModuleWarning", "Segment", "Timeline", "day_weighted"]

_ALL_TIME = DateRange(date.min, date.max)


@attrs.frozen
class ModuleWarning:
    """A visible warning that a module loosened an obligation, and why.

    >>> from selfbuild_rules import ModuleWarning
    >>> str(ModuleWarning("lax", "research.months", "pilot scheme"))
    'lax loosens research.months: pilot scheme'
    """

    module: str
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.module} loosens {self.target}: {self.reason}"


@attrs.frozen
class Segment:
    """One value in force over a range of days, its source, and any warning it carries."""

    days: DateRange
    value: object
    source: str
    warning: ModuleWarning | None = None


@attrs.frozen
class Timeline:
    """The values of one parameter over all of time, as adjacent segments in order."""

    segments: tuple[Segment, ...]
    _starts: list[date] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_starts", [s.days.start for s in self.segments])

    @classmethod
    def constant(cls, value: object, source: str) -> Timeline:
        """One value for all time."""
        return cls((Segment(_ALL_TIME, value, source),))

    def at(self, day: date) -> Segment:
        """The segment in force on ``day``."""
        return self.segments[bisect.bisect_right(self._starts, day) - 1]

    def over(self, window: DateRange) -> list[tuple[DateRange, Segment]]:
        """The segments in force over ``window``, each clipped to it."""
        first = bisect.bisect_right(self._starts, window.start) - 1
        found = []
        for segment in self.segments[first:]:
            part = segment.days & window
            if part is None:
                break
            found.append((part, segment))
        return found

    def splice(
        self,
        days: DateRange,
        value: object,
        source: str,
        warning: ModuleWarning | None = None,
    ) -> Timeline:
        """A timeline where ``value`` is in force over ``days`` and the rest is unchanged."""
        kept: list[Segment] = []
        for segment in self.segments:
            if days.start > date.min:
                before = segment.days & DateRange(date.min, days.start - _DAY)
                if before is not None:
                    kept.append(attrs.evolve(segment, days=before))
            if days.end < date.max:
                after = segment.days & DateRange(days.end + _DAY, date.max)
                if after is not None:
                    kept.append(attrs.evolve(segment, days=after))
        kept.append(Segment(days, value, source, warning))
        return Timeline(tuple(sorted(kept, key=lambda s: s.days.start)))


_DAY = timedelta(days=1)


def day_weighted(
    parts: list[tuple[DateRange, Segment]],
    amount: Callable[[object], Fraction | int],
    per: int,
) -> Fraction:
    """Σ amount(value) × days / ``per`` over the parts: a day-weighted combination.

    ``per`` is the number of days the full amount is for (the days of the year, for
    a quantity pro-rated by applicable days; the window's days, for one that is not).
    """
    return sum((Fraction(amount(s.value)) * part.days / per for part, s in parts), Fraction(0))
