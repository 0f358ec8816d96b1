"""The parameter values results rely on, as sets a report lists once and results name.

Most provisions rely on one value of each of their parameters all period long, so
all their results share one set, named by the provision's id. When a value changes
inside the period, the period falls into *pieces* at each change, and a result relies
on the values of the pieces its window touches: one set for each run of adjacent
pieces (named ``ID#1``, ``ID#2``… in order of their first and last piece). A value that
changes inside a result's window is shown with the days of the period it governs
(``valid``); one that holds all over it, without. The sets depend on the law and the
period alone, so they are all known before any result is made: a report written as
it is evaluated lists them at its top.

>>> import datetime as dt
>>> from selfbuild_rules.evaluation import base_for
>>> from selfbuild_rules.law.periods import Period
>>> base, year = base_for(), Period.parse("2019").range
>>> months = Timeline.constant(2, base.id).splice(
...     DateRange(dt.date(2019, 7, 1), dt.date.max), 3, "july")
>>> sets = ProvisionSets.of("3.x", ["research.months"], {"research.months": months}, base, year)
>>> [(s.key, [(i.value, str(i.valid)) for i in s]) for s in sets.sets]
... # doctest: +NORMALIZE_WHITESPACE
[('3.x#1', [(2, 'None')]),
 ('3.x#2', [(2, '2019-01-01..2019-06-30'), (3, '2019-07-01..2019-12-31')]),
 ('3.x#3', [(3, 'None')])]
>>> sets.over(DateRange(dt.date(2019, 3, 1), dt.date(2019, 12, 31)))[1].key
'3.x#2'
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Mapping, Sequence

import attrs

from selfbuild_rules.engine.results import (
    NO_INTERPRETATIONS,
    Interpretation,
    InterpretationSet,
    ModuleWarning,
)
from selfbuild_rules.law.periods import DateRange
from selfbuild_rules.law.timeline import Timeline
from selfbuild_rules.plugins.base import Base

_DAY = _dt.timedelta(days=1)

__all__ = ["ProvisionSets", "Used"]


#: The warnings of the values a result relied on, and the set they form.
Used = tuple[tuple[ModuleWarning, ...], InterpretationSet]


@attrs.frozen
class ProvisionSets:
    """The sets of one provision's parameter values over a period: ``starts`` are the
    first days of the period's pieces, and ``runs[i][j - i]`` what a window from piece
    ``i`` to piece ``j`` relied on."""

    period: DateRange
    starts: list[_dt.date]
    runs: tuple[tuple[Used, ...], ...]
    #: Each distinct set once, in the order of their keys.
    sets: tuple[InterpretationSet, ...]

    @classmethod
    def of(
        cls,
        provision: str,
        names: Sequence[str],
        parameters: Mapping[str, Timeline],
        base: Base,
        period: DateRange,
    ) -> ProvisionSets:
        """The sets of provision ``provision``, whose rule relies on ``names``."""
        starts = sorted(
            {period.start}
            | {s.days.start for n in names for _, s in parameters[n].over(period)[1:]}
        )
        ends = [d - _DAY for d in starts[1:]] + [period.end]
        found: dict[tuple[Interpretation, ...], InterpretationSet] = {}
        several = len(starts) > 1
        runs = []
        for i, first in enumerate(starts):
            row = []
            for last in ends[i:]:
                warnings, items = _relied_on(
                    names, parameters, base, DateRange(first, last), period
                )
                shown = found.get(items)
                if shown is None:
                    key = f"{provision}#{len(found) + 1}" if several else provision
                    shown = found[items] = (
                        InterpretationSet(key, items) if items else NO_INTERPRETATIONS
                    )
                row.append((warnings, shown))
            runs.append(tuple(row))
        sets = tuple(s for s in found.values() if s.key is not None)
        return cls(period, starts, tuple(runs), sets)

    def over(self, days: DateRange) -> Used:
        """What a result whose window is ``days`` relied on (the period's part of it)."""
        inside = days & self.period or self.period
        first = bisect.bisect_right(self.starts, inside.start) - 1
        last = bisect.bisect_right(self.starts, inside.end) - 1
        return self.runs[first][last - first]


def _relied_on(
    names: Sequence[str],
    parameters: Mapping[str, Timeline],
    base: Base,
    days: DateRange,
    period: DateRange,
) -> tuple[tuple[ModuleWarning, ...], tuple[Interpretation, ...]]:
    warnings: list[ModuleWarning] = []
    shown: list[Interpretation] = []
    for name in names:
        parts = parameters[name].over(days)
        for _, segment in parts:
            if segment.warning and segment.warning not in warnings:
                warnings.append(segment.warning)
            default = segment.source == base.id and segment.value == base.parameters[name].default
            valid = segment.days & period if len(parts) > 1 else None
            shown.append(Interpretation(name, segment.value, default, segment.source, valid))
    return tuple(warnings), tuple(shown)
