"""The steps of a trace: a condition walked, each comparison with the tally behind it,
each item with its due day, each step citing the clause it applies (see :mod:`.trace`).

>>> from selfbuild_rules.rules.conditions import AtLeast, Tally
>>> [s.step for s in steps(AtLeast(2, Tally(3)), "demo 1.x")]
['at_least']
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from selfbuild_rules.rules import conditions as c
from selfbuild_rules.rules.tallied import Tallied

__all__ = ["Compared", "Fact", "Group", "Item", "Missed", "Stated", "steps"]


@attrs.frozen
class Compared:
    """A count held to a bound: ``step`` is ``at_least`` or ``at_most``.

    >>> Compared("at_most", "demo 6.x", "true", 0, 0, None).bound
    0
    """

    step: str
    cites: str
    truth: str
    measured: int
    bound: int
    tally: Tallied | None


@attrs.frozen
class Item:
    """One item of an "every item" condition (a directive, a quarter, a decision): its
    truth, the day it was due by (where its condition has a window) and its steps.

    >>> Item("demo 2.x", "d-1", "unknown", date(2018, 3, 12), ()).step
    'item'
    """

    cites: str
    item: str
    truth: str
    due: date | None
    steps: tuple[Any, ...]
    step: str = "item"


@attrs.frozen
class Stated:
    """What a record states, field by field (its dates, kinds and numbers; never its
    free text): what made a fact true or false.

    >>> Stated("md-1", {"date": date(2018, 3, 5), "legal_review": None}).fields["date"]
    datetime.date(2018, 3, 5)
    """

    record: str
    fields: dict[str, object]


@attrs.frozen
class Fact:
    """A fact simply true or false (a decision taken collectively), its records and
    what they state (``stated``, filled in by the engine, which holds the records).

    >>> Fact("demo 5.x", "true", ("md-1",)).step
    'fact'
    """

    cites: str
    truth: str
    facts: tuple[str, ...]
    stated: tuple[Stated, ...] = ()
    step: str = "fact"


@attrs.frozen
class Missed:
    """Fact categories not supplied, which leave the outcome unknown.

    >>> Missed("demo 4.x", ("contact_points",)).truth
    'unknown'
    """

    cites: str
    categories: tuple[str, ...]
    truth: str = "unknown"
    step: str = "missing"


@attrs.frozen
class Group:
    """Parts of which one must hold (``any``), one negated (``not``), or a condition
    of a kind this trace does not know (``condition``, with what it measured).

    >>> Group("not", "demo 6.x", "false").steps
    ()
    """

    step: str
    cites: str
    truth: str
    steps: tuple[Any, ...] = ()
    measured: int | None = None


def steps(condition: Any, cites: str) -> tuple[Any, ...]:
    """The steps of ``condition`` (made while :func:`.trace.recording`), each citing
    ``cites``.

    >>> from selfbuild_rules.rules.conditions import Holds
    >>> [(s.step, s.truth) for s in steps(Holds(False, ("md-1",)), "demo 5.x")]
    [('fact', 'false')]
    """
    truth = condition.evaluate().truth.value
    if isinstance(condition, (c.AtLeast, c.AtMost)):
        kind = "at_least" if isinstance(condition, c.AtLeast) else "at_most"
        bound = condition.minimum if isinstance(condition, c.AtLeast) else condition.maximum
        t = condition.tally
        return (Compared(kind, cites, truth, t.count, bound, t.trace),)
    if isinstance(condition, c.All):
        return tuple(s for part in condition.parts for s in steps(part, cites))
    if isinstance(condition, c.ForEach):
        return tuple(_item(item, part, cites) for item, part in condition.items)
    if isinstance(condition, c.Holds):
        return (Fact(cites, truth, condition.facts),)
    if isinstance(condition, c.Missing):
        return (Missed(cites, condition.categories),)
    if isinstance(condition, c.Any):
        return (
            Group("any", cites, truth, tuple(s for p in condition.parts for s in steps(p, cites))),
        )
    if isinstance(condition, c.Not):
        return (Group("not", cites, truth, steps(condition.part, cites)),)
    return (Group("condition", cites, truth, (), condition.evaluate().measured),)


def _item(item: str, condition: Any, cites: str) -> Item:
    found = steps(condition, cites)
    windows = [s.tally.window for s in found if isinstance(s, Compared) and s.tally is not None]
    due = windows[0].end if windows and windows[0] is not None else None
    return Item(cites, item, condition.evaluate().truth.value, due, found)
