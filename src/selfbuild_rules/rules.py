"""Rules: how an evaluable provision becomes obligations, due dates and conditions.

A rule never counts or compares dates itself: it picks the records that matter
and hands them to the shared tallies and conditions of :mod:`selfbuild_rules.conditions`.
When an obligation falls due and what window it covers is decided by the shared
helpers here (:func:`annual`, :func:`quarterly`), so every rule reads time alike.

>>> from selfbuild_rules.rules import RULES
>>> RULES["3.research-days"].needs
('research_trips',)
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Callable, Iterator
from functools import cache

import attrs

from ._context import Context
from .conditions import Condition, Measure
from .facts import Member, Tenure
from .periods import DateRange, Period
from .regulation import ProvisionKind, SubjectKind

__all__ = [
    "RULES",
    "Check",
    "Context",
    "Measure",
    "NotApplicable",
    "Rule",
    "annual",
    "applicable",
    "quarterly",
    "rule",
    "yearly",
]


@attrs.frozen
class NotApplicable:
    """Why no obligation arises for this subject in this period."""

    zh: str
    en: str
    #: True when the reason lies in the records (none arose), not in the calendar;
    #: with a category missing, such a reason cannot be trusted.
    from_data: bool = False


@attrs.frozen
class Check:
    """An obligation that arises: its condition, due date and applicable window."""

    condition: Condition
    due: _dt.date
    window: DateRange | None = None


Obligation = Callable[[Context, "Member | None"], "Check | NotApplicable"]


@attrs.frozen
class Rule:
    """An evaluable provision's rule.

    ``needs`` are the fact categories without which it is undetermined;
    ``parameters`` the named values it reads (listed in every result).
    """

    id: str
    subject: SubjectKind
    needs: tuple[str, ...]
    parameters: tuple[str, ...]
    measure: Measure
    obligation: Obligation = attrs.field(repr=False)


_BEFORE_FORCE = NotApplicable(
    "义务到期日早于规定施行日", "the obligation falls due before the regulation is in force"
)
_NOT_DUE = NotApplicable("本期间内无到期义务", "no obligation of this rule falls due in the period")
_NO_TENURE = NotApplicable("适用期间内不在任", "not in office during the applicable window")


def applicable(ctx: Context, span: DateRange, member: Member | None) -> DateRange | None:
    """``span`` ∩ the regulation in force ∩ the member's tenure (for member rules)."""
    window = span & ctx.in_force
    if window is not None and member is not None:
        window = window & member.tenure.range
    return window


def annual(ctx: Context, member: Member | None) -> tuple[_dt.date, DateRange] | NotApplicable:
    """The yearly obligation due in the period: its due date (31 December) and window.

    >>> from selfbuild_rules import load_facts
    >>> facts = load_facts({"format": "selfbuild-rules.facts/1",
    ...                     "team": {"id": "t", "name": "班子"}, "members": []})
    >>> ctx = Context.build(facts, Period.parse("2018"), _dt.date(2019, 3, 1))
    >>> due, window = annual(ctx, None)
    >>> str(window), window.days
    ('2018-02-02..2018-12-31', 333)
    """
    tenure = None if member is None else member.tenure
    return _annual(ctx.period, ctx.in_force, tenure)


@functools.lru_cache(maxsize=4096)
def _annual(
    period: Period, in_force: DateRange, tenure: Tenure | None
) -> tuple[_dt.date, DateRange] | NotApplicable:
    # Every yearly rule of a member asks the same question: answer it once.
    year = period.range.end.year
    due = _dt.date(year, 12, 31)
    if due not in period.range:
        return _NOT_DUE
    if due not in in_force:
        return _BEFORE_FORCE
    window = Period.year_of(year).range & in_force
    if window is not None and tenure is not None:
        window = window & tenure.range
    return (due, window) if window is not None else _NO_TENURE


def quarterly(ctx: Context) -> Iterator[tuple[Period, _dt.date, DateRange]]:
    """Each quarter whose end falls in the period, with its in-force part."""
    for quarter in ctx.period.quarters():
        due = quarter.range.end
        window = applicable(ctx, quarter.range, None)
        if due in ctx.period.range and window is not None:
            yield quarter, due, window


RULES: dict[str, Rule] = {}


def rule(
    id: str,
    subject: SubjectKind,
    needs: tuple[str, ...],
    parameters: tuple[str, ...],
    measure: Measure,
) -> Callable[[Obligation], Obligation]:
    """Register the decorated function as the obligation of rule ``id``."""

    def register(obligation: Obligation) -> Obligation:
        RULES[id] = Rule(
            id, subject, needs, ("regulation.in_force_from", *parameters), measure, obligation
        )
        return obligation

    return register


Yearly = Callable[[Context, "Member | None", DateRange], "Condition | NotApplicable"]


def yearly(
    id: str,
    subject: SubjectKind,
    needs: tuple[str, ...],
    parameters: tuple[str, ...],
    measure: Measure,
) -> Callable[[Yearly], Yearly]:
    """Register a rule whose obligation is yearly: the function gets the window."""

    def register(condition: Yearly) -> Yearly:
        def obligation(ctx: Context, member: Member | None) -> Check | NotApplicable:
            timing = annual(ctx, member)
            if isinstance(timing, NotApplicable):
                return timing
            due, window = timing
            made = condition(ctx, member, window)
            return made if isinstance(made, NotApplicable) else Check(made, due, window)

        functools.update_wrapper(obligation, condition)  # its docstring says what it checks
        rule(id, subject, needs, parameters, measure)(obligation)
        return condition

    return register


@cache
def judgment_subjects() -> dict[str, str]:
    """Judgment provision ids and whom they bind (``member`` or ``team``)."""
    from ._tianjin2018 import TIANJIN_2018

    return {
        p.id: p.subject.value for p in TIANJIN_2018.provisions() if p.kind is ProvisionKind.JUDGMENT
    }


# The base regulation's rules register themselves on import.
from . import _tianjin2018_rules as _members  # noqa: E402, F401
from . import _tianjin2018_team as _team  # noqa: E402, F401
