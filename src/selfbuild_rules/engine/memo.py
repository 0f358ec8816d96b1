"""What the results of one evaluation share, worked out once (:class:`Memo`): the
parameter values a rule used over a window, each rule's version in force, who held
office, and the requirement and explanation of numbers members share.
"""

from __future__ import annotations

from datetime import date

import attrs
from msgspec import UNSET, UnsetType

from selfbuild_rules.engine.explain import describe
from selfbuild_rules.engine.interpretations import ProvisionSets, Used
from selfbuild_rules.engine.results import Explanation, Requirement, Status, StillNeeded
from selfbuild_rules.law.periods import DateRange
from selfbuild_rules.law.timeline import Segment
from selfbuild_rules.plugins.law import Law
from selfbuild_rules.rules.conditions import Measure, Outcome
from selfbuild_rules.rules.context import Context
from selfbuild_rules.rules.outlook import Outlook, OutlookRule
from selfbuild_rules.rules.ruleset import Rule

__all__ = ["Memo", "Pending", "requirement_of"]

#: What a pending result says besides its numbers: its requirement, explanation, what
#: is still needed and its outlook.
Pending = tuple[Requirement | None, Explanation, StillNeeded | UnsetType, Outlook]


class Memo:
    """What the results of one evaluation of ``law`` share, worked out once: the
    parameters a rule used over a window (most members share one), each rule's version
    in force and the categories it lacks, whether a member was in office, and the
    context of each provision's days in force."""

    __slots__ = (
        "contexts", "in_office", "law", "outlook", "pending_told", "sets", "told", "used",
        "versions",
    )  # fmt: skip

    def __init__(
        self,
        law: Law,
        used: dict[tuple[str, DateRange], Used] | None = None,
        sets: dict[str, ProvisionSets] | None = None,
    ) -> None:
        self.law = law
        # These depend on the law and the period alone: a run over many teams of one law
        # and one period passes them along.
        self.used: dict[tuple[str, DateRange], Used] = {} if used is None else used
        self.sets: dict[str, ProvisionSets] = {} if sets is None else sets
        self.in_office: dict[str, bool] = {}
        self.versions: dict[str, tuple[tuple[str, ...], Segment]] = {}
        self.contexts: dict[DateRange, tuple[Context, Context]] = {}
        self.outlook: OutlookRule | None = None
        self.told: dict[tuple[object, ...], tuple[Measure, Requirement | None, Explanation]] = {}
        self.pending_told: dict[tuple[object, ...], tuple[Measure, Pending]] = {}

    def in_force(self, ctx: Context, days: DateRange) -> Context:
        """``ctx`` for a provision in force on ``days``, made once for all the provisions
        that share those days (most do)."""
        found = self.contexts.get(days)
        if found is None or found[0] is not ctx:
            found = self.contexts[days] = (ctx, attrs.evolve(ctx, in_force=days))
        return found[1]

    def sets_of(self, ctx: Context, rule: Rule) -> ProvisionSets:
        """The sets of parameter values the results of ``rule`` can rely on."""
        found = self.sets.get(rule.id)
        if found is None:
            found = self.sets[rule.id] = ProvisionSets.of(
                rule.id, rule.parameters, ctx.parameters, self.law.base, ctx.period.range
            )
        return found

    def settled(
        self, status: Status, outcome: Outcome, measure: Measure, due: date, as_of: date
    ) -> tuple[Requirement | None, Explanation]:
        """The requirement and explanation of a settled ``outcome``: a plain count says
        only its numbers, so members with the same numbers share one of each."""
        o = outcome
        if o.failing or status is Status.UNDETERMINED:
            return requirement_of(o, measure), describe(status, o, measure, due, as_of)
        # Items all met say only how many there are, as a plain count says its numbers.
        named = o.measure or measure
        found = self.told_before(o.measured, o.minimum, o.maximum, named, o.items)
        if found is None:
            found = requirement_of(o, named), describe(status, o, named, due, as_of)
            self.told[o.measured, o.minimum, o.maximum, id(named), o.items] = (named, *found)
        return found

    def told_before(
        self,
        measured: int | None,
        low: int | None,
        high: int | None,
        named: Measure,
        items: int | None,
    ) -> tuple[Requirement | None, Explanation] | None:
        """The requirement and explanation :meth:`settled` gave a count with these
        numbers, if it did."""
        # The measure by identity: a rule's measure is one object, and hashing it is slow.
        found = self.told.get((measured, low, high, id(named), items))
        if found is None or found[0] is not named:
            return None
        return found[1], found[2]

    def pending(
        self,
        ctx: Context,
        outcome: Outcome,
        measure: Measure,
        due: date,
        window: DateRange | None,
    ) -> Pending:
        """The requirement, explanation, what is still needed and the outlook of a pending
        ``outcome`` due on ``due`` over ``window``: a plain count's depend only on its
        numbers and those days, so members with the same share one of each."""
        o, needed = outcome, outcome.needed
        if o.items is not None or (needed is not None and needed.items):
            return self._pending(ctx, o, measure, due, window)
        named = o.measure or measure
        owed = None if needed is None else (needed.amount, needed.by)
        days = None if window is None else (window.start, window.end)
        # The measure by identity, as in :meth:`settled`.
        key = (o.measured, o.minimum, o.maximum, id(named), owed, due, days, ctx.as_of)
        found = self.pending_told.get(key)
        if found is None or found[0] is not named:
            found = self.pending_told[key] = (named, self._pending(ctx, o, measure, due, window))
        return found[1]

    def _pending(
        self,
        ctx: Context,
        outcome: Outcome,
        measure: Measure,
        due: date,
        window: DateRange | None,
    ) -> Pending:
        forecast = self.outlook_rule(ctx).judge(outcome, ctx.as_of, window)
        needed = _still_needed(outcome, outcome.measure or measure, ctx.as_of)
        text = describe(Status.PENDING, outcome, measure, due, ctx.as_of, forecast)
        return requirement_of(outcome, measure), text, needed, forecast.outlook

    def outlook_rule(self, ctx: Context) -> OutlookRule:
        """The outlook rule, as the parameters in force at the period's end set it."""
        if self.outlook is None:
            self.outlook = OutlookRule.of(ctx.parameters, ctx.period.range.end)
        return self.outlook

    def version(self, ctx: Context, rule: Rule) -> tuple[tuple[str, ...], Segment]:
        """The categories a rule needs that are missing, and its version in force."""
        found = self.versions.get(rule.id)
        if found is None:
            missing = tuple(c for c in rule.needs if not ctx.has(c))
            segment = self.law.rules[rule.id].at(ctx.period.range.end)
            found = self.versions[rule.id] = (missing, segment)
        return found

    def serving(self, ctx: Context) -> dict[str, bool]:
        """Whether each member held office on some day of the period, by member id."""
        if not self.in_office:
            days = ctx.period.range
            for m in ctx.facts.members:
                self.in_office[m.id] = (days & m.tenure.range) is not None
        return self.in_office


def requirement_of(outcome: Outcome, measure: Measure) -> Requirement | None:
    """What was measured against what is required (``None`` when nothing was measured).

    >>> from selfbuild_rules.rules.conditions import AtLeast, Tally
    >>> days = Measure("调研天数", "天", "research days")
    >>> requirement_of(AtLeast(55, Tally(47)).evaluate(), days)
    Requirement(measured=47, minimum=55, maximum=None, measure='research days')
    """
    if outcome.measured is None:
        return None
    name = (outcome.measure or measure).en
    return Requirement(outcome.measured, outcome.minimum, outcome.maximum, name)


def _still_needed(outcome: Outcome, measure: Measure, as_of: date) -> StillNeeded | UnsetType:
    """What an open outcome still needs, counted from ``as_of`` (unset when nothing is)."""
    needed = outcome.needed
    if needed is None:
        return UNSET
    days_left = (needed.by - as_of).days
    items = needed.items or UNSET
    return StillNeeded(needed.amount, measure.unit or measure.en, needed.by, days_left, items)
