"""Cross-record consistency on the fast path, all or nothing.

The same tables as :mod:`selfbuild_rules.facts.checks`, tested a column at a time:
``True`` only when that module would find no problem. Anything else goes the careful
way, which names each problem.

It runs when every record is built, so what it makes adds to the load's peak memory:
columns are read as they are compared rather than kept as lists, and ids are checked
for uniqueness in a sorted copy where they come mostly in order (see :func:`_unique`).

>>> import datetime
>>> from selfbuild_rules.facts.records import Member, Tenure
>>> one = Member(id="m01", name="甲", post="mayor", tenure=Tenure(datetime.date(2017, 6, 1)))
>>> consistent({"members": (one,)}), consistent({"members": (one, one)})
(True, False)
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Mapping, Sequence
from typing import Any

from selfbuild_rules.facts import checks as _checks
from selfbuild_rules.facts.fields import shape
from selfbuild_rules.facts.records import CATEGORIES

__all__ = ["consistent", "unique_ids"]

_ID = operator.attrgetter("id")


def _column(items: Sequence[Any], path: str) -> list[Any]:
    return list(map(operator.attrgetter(path), items))


def _given(values: list[Any]) -> list[bool]:
    return list(map(operator.is_not, values, itertools.repeat(None)))


#: Ids in order but for one break in this many or more: sorting a copy of them is the
#: cheaper check (timsort merges the runs, in about the time a set takes, in 8 bytes an
#: id where a set of a million takes 32 MB, and 48 MB while it grows). Ids in no order
#: (a random id each) go into a set: sorting them would cost some three times as long.
_RUN = 16


def _unique(items: tuple[Any, ...]) -> bool:
    """Whether no two records share an id."""
    return unique_ids(list(map(_ID, items)))


def unique_ids(ids: list[str]) -> bool:
    """Whether no two of ``ids`` are equal (``ids`` may be sorted in place).

    >>> unique_ids(["a", "b", "c"]), unique_ids(["b", "a", "b"])
    (True, False)
    """
    breaks = operator.countOf(map(operator.ge, ids, itertools.islice(ids, 1, None)), True)
    if not breaks:  # each id after the one before: all different
        return True
    if breaks * _RUN > len(ids):
        return len(set(ids)) == len(ids)
    ids.sort()
    return not any(map(operator.eq, ids, itertools.islice(ids, 1, None)))


def _references(categories: Mapping[str, tuple[Any, ...]], known: frozenset[str]) -> bool:
    for category, field, target, _label, same_member in _checks.REFERENCES:
        if target == "members" and category in known:
            continue
        items = categories.get(category, ())
        named = set(map(operator.attrgetter(field), items))
        named.discard(None)
        if not named:
            continue
        targets = categories.get(target, ())
        if not named <= set(map(_ID, targets)):
            return False
        if same_member:
            values = _column(items, field)
            owners = zip(map(_ID, targets), _column(targets, "member"), strict=True)
            owned = {k: v for k, v in owners if v is not None}
            given = _given(values)
            mine = list(itertools.compress(_column(items, "member"), given))
            found = map(owned.get, itertools.compress(values, given), mine)
            if not all(map(operator.eq, found, mine)):
                return False
    return True


@functools.cache
def _nullable(category: str, path: str) -> bool:
    """Whether the field at ``path`` (``tenure.end``) of a category's records may be null."""
    cls: Any = CATEGORIES[category]
    *outer, name = path.split(".")
    for part in outer:
        cls = next(f for f in shape(cls) if f.name == part).value.record
    return next(f for f in shape(cls) if f.name == name).nullable


def _ranges(categories: Mapping[str, tuple[Any, ...]]) -> bool:
    for category, start, end in _checks.RANGES:
        items = categories.get(category, ())
        if not _nullable(category, end):  # compared as read: no column is kept
            lasts_read = map(operator.attrgetter(end), items)
            if any(map(operator.lt, lasts_read, map(operator.attrgetter(start), items))):
                return False
            continue
        firsts, lasts = _column(items, start), _column(items, end)
        if any(map(operator.is_, lasts, itertools.repeat(None))):
            given = _given(lasts)
            firsts = list(itertools.compress(firsts, given))
            lasts = list(itertools.compress(lasts, given))
        if any(map(operator.lt, lasts, firsts)):
            return False
    return True


def _only_with(categories: Mapping[str, tuple[Any, ...]]) -> bool:
    for category, field, other, value in _checks.ONLY_WITH:
        for record in categories.get(category, ()):
            if getattr(record, field) is not None:
                actual = getattr(record, other)
                if getattr(actual, "value", actual) != value:
                    return False
    return True


def _entries(categories: Mapping[str, tuple[Any, ...]], *names: str) -> dict[str, list[Any]]:
    return {
        name: [_checks.Entry(name, i, None, r.id, r) for i, r in enumerate(categories[name])]
        for name in names
        if name in categories
    }


def _few(categories: Mapping[str, tuple[Any, ...]]) -> bool:
    """The checks of the team's few records, by :mod:`.checks` itself: study sessions
    relay known directives. (Assessments are checked against the regulation by the
    loader, :func:`.checks.assessments_fit`.)"""
    found = _entries(categories, "directives", "study_sessions")
    return not ("study_sessions" in found and any(_checks.directive_problems(found, frozenset())))


def consistent(
    categories: Mapping[str, tuple[Any, ...]], known: frozenset[str] = frozenset()
) -> bool:
    """Whether the records pass every cross-record check (ids, references, ranges).

    ``known`` names categories whose member references were decoded as one of the
    members' ids, so need no checking again.
    """
    return (
        all(_unique(items) for items in categories.values())
        and _references(categories, known)
        and _ranges(categories)
        and _only_with(categories)
        and _few(categories)
    )
