"""Rules: how an evaluable provision becomes obligations, due dates and conditions.

A rule never counts or compares dates itself: it picks the records that matter
and hands them to the shared tallies and conditions of :mod:`selfbuild_rules.rules.conditions`.
When an obligation falls due and what window it covers is decided by the shared
helpers here (:func:`annual`, :func:`quarterly`), so every rule reads time alike.

Rules are declared into a :class:`RuleSet` value, the same way by a base regulation
and by a module; nothing registers itself anywhere by being imported.

>>> from selfbuild_rules.law.text import SubjectKind
>>> rules = RuleSet(reads=("regulation.in_force_from",))
>>> @rules.yearly("6.integrity", SubjectKind.MEMBER, ("violations",), (),
...               Measure("违规记录", "条", "violations", "violation"))
... def integrity(ctx, member, window):
...     "Compliant when no violation is recorded in the window."
>>> rules["6.integrity"].needs, rules["6.integrity"].parameters
(('violations',), ('regulation.in_force_from',))
>>> rules["6.integrity"].doc
'Compliant when no violation is recorded in the window.'
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import inspect
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType

import attrs

from selfbuild_rules.facts.records import Member, Tenure
from selfbuild_rules.law.periods import DateRange, Period
from selfbuild_rules.law.text import SubjectKind
from selfbuild_rules.rules.conditions import Condition, Measure
from selfbuild_rules.rules.context import Context

__all__ = [
    "Check",
    "Context",
    "Measure",
    "NotApplicable",
    "Obligation",
    "Rule",
    "RuleSet",
    "RuleVersion",
    "VersionKind",
    "annual",
    "applicable",
    "quarterly",
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
    #: When a subject is compliant, in one Chinese sentence (the English one is :attr:`doc`).
    compliant_when_zh: str = ""

    @property
    def doc(self) -> str | None:
        """What the rule checks, in its own words: the docstring of the function that
        encodes it (for a yearly rule, of its condition)."""
        function = getattr(self.obligation, "condition", self.obligation)
        return inspect.getdoc(function)

    def compliant_when(self, lang: str) -> str:
        """The rule's condition in words, in ``zh`` or ``en`` (empty when not declared): the
        Chinese sentence declared with the rule, or its docstring as one line of text.

        >>> rules = RuleSet()
        >>> @rules.rule("1.x", SubjectKind.TEAM, (), (), Measure("次", "次", "times"),
        ...             compliant_when="至少一次即符合。")
        ... def x(ctx, member):
        ...     "Compliant when it happens at least ``x.min`` times."
        >>> rules["1.x"].compliant_when("zh"), rules["1.x"].compliant_when("en")
        ('至少一次即符合。', 'Compliant when it happens at least x.min times.')
        """
        if lang == "zh":
            return self.compliant_when_zh
        return " ".join((self.doc or "").replace("``", "").split())


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
    >>> from selfbuild_rules.evaluation import base_for
    >>> BASE = base_for()  # the bundled base regulation
    >>> from selfbuild_rules.plugins.modules import build_law
    >>> ctx = build_law(BASE).context(facts, Period.parse("2018"), _dt.date(2019, 3, 1))
    >>> due, window = annual(ctx, None)
    >>> str(window), window.days
    ('2018-02-02..2018-12-31', 333)
    """
    tenure = None if member is None else member.tenure
    # Every yearly rule of every member asks: answered once per tenure in this context,
    # which hashes cheaper than the period and the days in force (Python-level hashes).
    return ctx.remembered(("annual", "", tenure), lambda: _annual(ctx.period, ctx.in_force, tenure))


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


Yearly = Callable[[Context, "Member | None", DateRange], "Condition | NotApplicable"]


@attrs.frozen
class YearlyObligation:
    """A yearly rule's obligation: due each 31 December, the condition given the window.

    A value rather than a closure, so that a rule set can be sent to another process.
    """

    condition: Yearly

    def __call__(self, ctx: Context, member: Member | None) -> Check | NotApplicable:
        timing = annual(ctx, member)
        if isinstance(timing, NotApplicable):
            return timing
        due, window = timing
        made = self.condition(ctx, member, window)
        return made if isinstance(made, NotApplicable) else Check(made, due, window)


class RuleSet(Mapping[str, Rule]):
    """The rules of a base regulation or a module, declared with :meth:`rule` and
    :meth:`yearly`; read-only to everyone else. ``a | b`` joins two sets.

    ``reads`` names parameters every rule of the set depends on besides its own (a
    base's rules all read the day it is in force from).

    >>> rules = RuleSet(reads=("regulation.in_force_from",))
    >>> len(rules), "3.research-days" in rules
    (0, False)
    """

    __slots__ = ("_rules", "reads")

    def __init__(
        self, rules: Mapping[str, Rule] | None = None, *, reads: tuple[str, ...] = ()
    ) -> None:
        self._rules: dict[str, Rule] = dict(rules or {})
        self.reads = reads

    def __getitem__(self, rule_id: str) -> Rule:
        return self._rules[rule_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def __or__(self, other: Mapping[str, Rule]) -> RuleSet:
        both = set(self) & set(other)
        if both:
            raise ValueError(f"rule(s) declared twice: {', '.join(sorted(both))}")
        return RuleSet({**self._rules, **other}, reads=self.reads)

    def frozen(self) -> Mapping[str, Rule]:
        """A read-only copy: what a base keeps, so no later code can change its rules."""
        return MappingProxyType(dict(self._rules))

    def add(self, rule: Rule) -> Rule:
        """Add a rule made elsewhere; a second rule with the same id is an error."""
        if rule.id in self._rules:
            raise ValueError(f"rule {rule.id} declared twice")
        self._rules[rule.id] = rule
        return rule

    def rule(
        self,
        id: str,
        subject: SubjectKind,
        needs: tuple[str, ...],
        parameters: tuple[str, ...],
        measure: Measure,
        *,
        compliant_when: str = "",
    ) -> Callable[[Obligation], Obligation]:
        """Declare the decorated function as the obligation of rule ``id``; its docstring
        says when a subject is compliant, ``compliant_when`` says it in Chinese."""

        def declare(obligation: Obligation) -> Obligation:
            read = (*self.reads, *parameters)
            self.add(Rule(id, subject, needs, read, measure, obligation, compliant_when))
            return obligation

        return declare

    def yearly(
        self,
        id: str,
        subject: SubjectKind,
        needs: tuple[str, ...],
        parameters: tuple[str, ...],
        measure: Measure,
        *,
        compliant_when: str = "",
    ) -> Callable[[Yearly], Yearly]:
        """Declare a rule whose obligation is yearly: the function gets the window."""

        def declare(condition: Yearly) -> Yearly:
            obligation = YearlyObligation(condition)
            declared = self.rule(
                id, subject, needs, parameters, measure, compliant_when=compliant_when
            )
            declared(obligation)
            return condition

        return declare


class VersionKind(enum.Enum):
    """How a rule reads over some days: as the base has it, tightened, replaced or repealed.

    ``TIGHTEN``: the new condition must hold as well as the base one, so results can
    only get stricter; ``REPLACE`` stands alone and ``REPEAL`` ends the rule, both of
    which may loosen.
    """

    BASE = "base"
    TIGHTEN = "tighten"
    REPLACE = "replace"
    REPEAL = "repeal"


@attrs.frozen
class RuleVersion:
    """One version of a rule: its kind and, for a tightening or replacement, its obligation.

    >>> RuleVersion(VersionKind.BASE).obligation is None
    True
    """

    kind: VersionKind
    obligation: Obligation | None = None
