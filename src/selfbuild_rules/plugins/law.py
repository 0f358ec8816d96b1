"""The law as amended: a base with its modules applied, dated, and what is in force.

>>> from selfbuild_rules.evaluation import base_for
>>> BASE = base_for()  # the bundled base regulation
>>> from selfbuild_rules.plugins.modules import build_law
>>> law = build_law(BASE)
>>> law.base is BASE, len(law.provisions), law.provisions[0].provision.id
(True, 40, '1.loyalty')
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

import attrs

from selfbuild_rules.facts.records import Facts
from selfbuild_rules.law.parameters import IN_FORCE
from selfbuild_rules.law.periods import DateRange, Period
from selfbuild_rules.law.text import Provision, SubjectKind
from selfbuild_rules.law.timeline import ModuleWarning, Timeline
from selfbuild_rules.plugins.base import Base
from selfbuild_rules.rules.context import Context
from selfbuild_rules.rules.ruleset import Rule

if TYPE_CHECKING:
    from selfbuild_rules.plugins.modules import Module

__all__ = ["Entry", "Law"]


@attrs.frozen
class Entry:
    """One provision to evaluate: its rule (``None`` for a judgment provision), the days
    it is in force, and where it comes from (the base's id, or a module's)."""

    provision: Provision
    rule: Rule | None
    in_force: DateRange
    source: str

    @property
    def binds_members(self) -> bool:
        """Whether each member has a result of their own (rather than the team one)."""
        return self.provision.subject is SubjectKind.MEMBER


@attrs.frozen
class Law:
    """The base regulation as amended by modules: dated parameters and rule versions.

    ``parameters`` and ``rules`` are timelines by name (rule timelines hold
    :class:`~selfbuild_rules.rules.ruleset.RuleVersion` values); ``provisions`` are every
    provision in force at some time, the base's then the modules', in order.
    """

    base: Base
    parameters: Mapping[str, Timeline]
    rules: Mapping[str, Timeline]
    provisions: tuple[Entry, ...]
    modules: tuple[str, ...] = ()
    #: The modules applied, in the order of ``modules``.
    applied: tuple[Module, ...] = ()

    def value(self, name: str, day: date) -> object:
        """The value of parameter ``name`` in force on ``day``."""
        return self.parameters[name].at(day).value

    def in_force(self) -> DateRange:
        """The days the base regulation is in force, as this law reads it."""
        start = self.value(IN_FORCE, date.max)
        assert isinstance(start, date)
        return DateRange(start, date.max)

    def context(self, facts: Facts, period: Period, as_of: date) -> Context:
        """What the base's rules see when evaluating ``facts`` under this law.

            >>> from selfbuild_rules import load_facts
            >>> from selfbuild_rules.evaluation import base_for
        >>> BASE = base_for()  # the bundled base regulation
            >>> from selfbuild_rules.plugins.modules import build_law
            >>> f = load_facts({"format": "selfbuild-rules.facts/1",
            ...                 "team": {"id": "t", "name": "班子"}, "members": []})
            >>> str(build_law(BASE).context(f, Period.parse("2018"), date(2019, 3, 1)).in_force)
            '2018-02-02..9999-12-31'
        """
        return Context.build(facts, period, as_of, self.parameters)

    def warnings(self) -> tuple[ModuleWarning, ...]:
        """Every loosening warning anywhere in this law, in a stable order."""
        found = {
            s.warning
            for timeline in (*self.parameters.values(), *self.rules.values())
            for s in timeline.segments
            if s.warning is not None
        }
        return tuple(sorted(found, key=lambda w: (w.module, w.target)))
