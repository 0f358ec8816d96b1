"""Cross-record consistency on the fast path, all or nothing.

The same tables as :mod:`selfbuild_rules.facts.checks`, tested with sets: ``True`` only
when that module would find no problem. Anything else goes the careful way, which names
each problem.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Mapping, Sequence
from typing import Any

from selfbuild_rules.facts import checks as _checks

__all__ = ["consistent"]

_ID = operator.attrgetter("id")


def _column(items: Sequence[Any], path: str) -> list[Any]:
    return list(map(operator.attrgetter(path), items))


def _given(values: list[Any]) -> list[bool]:
    return list(map(operator.is_not, values, itertools.repeat(None)))


def _unique(items: tuple[Any, ...]) -> bool:
    return len(set(map(_ID, items))) == len(items)


def _references(categories: Mapping[str, tuple[Any, ...]], known: frozenset[str]) -> bool:
    for category, field, target, _label, same_member in _checks.REFERENCES:
        if target == "members" and category in known:
            continue
        items = categories.get(category, ())
        values = _column(items, field)
        named = set(values) - {None}
        if not named:
            continue
        targets = categories.get(target, ())
        if not named <= set(map(_ID, targets)):
            return False
        if same_member:
            owners = zip(map(_ID, targets), _column(targets, "member"), strict=True)
            owned = {k: v for k, v in owners if v is not None}
            given = _given(values)
            mine = list(itertools.compress(_column(items, "member"), given))
            found = map(owned.get, itertools.compress(values, given), mine)
            if not all(map(operator.eq, found, mine)):
                return False
    return True


def _ranges(categories: Mapping[str, tuple[Any, ...]]) -> bool:
    for category, start, end in _checks.RANGES:
        items = categories.get(category, ())
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
