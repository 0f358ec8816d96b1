"""What a rule sees: the indexed facts, the period, ``as_of`` and the parameters.

The index is built once per evaluation so that no rule ever scans all facts: each
rule asks for one member's records of one category.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from typing import Any

import attrs

from .facts import CATEGORIES, Facts, Member
from .parameters import Parameters
from .periods import DateRange, Period

_MEMBER_CATEGORIES = tuple(
    name for name, cls in CATEGORIES.items() if "member" in attrs.fields_dict(cls)
)


def _index(facts: Facts) -> dict[str, dict[str, list[Any]]]:
    by_member: dict[str, dict[str, list[Any]]] = {}
    for category in _MEMBER_CATEGORIES:
        grouped: dict[str, list[Any]] = defaultdict(list)
        for record in getattr(facts, category) or ():
            grouped[record.member].append(record)
        by_member[category] = grouped
    return by_member


@attrs.frozen
class Context:
    """The inputs of one evaluation, shared by every rule."""

    facts: Facts
    period: Period
    as_of: _dt.date
    parameters: Parameters
    _by_member: dict[str, dict[str, list[Any]]] = attrs.field(init=False, repr=False)
    _by_id: dict[str, dict[str, Any]] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_member", _index(self.facts))
        object.__setattr__(self, "_by_id", {})

    @property
    def in_force(self) -> DateRange:
        """The days the regulation is in force (from the configured date onwards)."""
        return DateRange(self.parameters.day("regulation.in_force_from"), _dt.date.max)

    def has(self, category: str) -> bool:
        """Whether a category was supplied (even empty): the closed-world test."""
        return getattr(self.facts, category) is not None

    def records(self, category: str) -> tuple[Any, ...]:
        """All records of a category (empty when not supplied)."""
        return getattr(self.facts, category) or ()

    def of_member(self, category: str, member: Member) -> list[Any]:
        """One member's records of a category."""
        return self._by_member[category].get(member.id, [])

    def by_id(self, category: str, record_id: str) -> Any:
        """A record of a category by its id."""
        table = self._by_id.get(category)
        if table is None:
            table = {r.id: r for r in self.records(category)}
            self._by_id[category] = table
        return table[record_id]
