"""Evaluating facts for a period: every provision, every subject, one result each.

>>> import selfbuild_rules as sr
>>> facts = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
...          "members": [{"id": "m01", "name": "甲", "post": "mayor",
...                       "tenure": {"start": "2018-01-26", "end": None}}],
...          "research_trips": [{"id": "rt-1", "member": "m01",
...                              "start": "2018-03-01", "end": "2018-04-29"}]}
>>> report = sr.evaluate(facts, period="2018", as_of="2019-03-01")
>>> r = report.result("3.research-days", "m01")
>>> r.status.value, str(r.explanation)
('compliant', '60 research days, meeting the requirement of 55')
>>> report.result("4.contact-point", "m01").status.value
'undetermined'
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping, Sequence
from typing import IO, Any

import attrs

from . import _gc
from ._context import Context
from ._tianjin2018 import TIANJIN_2018
from .conditions import All, Missing, Outcome, Truth
from .explain import describe
from .facts import Facts, Member
from .law import Law, RuleVersion, Segment
from .loading import load_facts
from .modules import BASE, Module, build_law, load_module
from .parameters import PARAMETERS, Parameters
from .periods import DateRange, Period, today_in_china
from .regulation import Provision, SubjectKind
from .report import Report
from .results import (
    Citation,
    Explanation,
    Interpretation,
    ModuleWarning,
    Requirement,
    Result,
    Status,
)
from .rules import RULES, Check, NotApplicable, Rule

__all__ = ["evaluate"]

FactsSource = Facts | Mapping[str, Any] | str | os.PathLike[str] | IO[str] | IO[bytes]

_NO_TENURE = Explanation("本期间内不在任", "not in office during the period")
_NOT_ASSESSED = Explanation("需由人工评定，尚无评定记录", "needs a human assessment; none recorded")
_BEFORE_FORCE = Explanation(
    "本期间早于规定施行日", "the period ends before the regulation is in force"
)


def _status(outcome: Outcome) -> Status:
    if outcome.truth is Truth.TRUE:
        return Status.COMPLIANT
    if outcome.truth is Truth.FALSE:
        return Status.NON_COMPLIANT
    return Status.UNDETERMINED if outcome.missing else Status.PENDING


def _citation(provision: Provision, source: str) -> Citation:
    return Citation(source, provision.principle, provision.id, provision.chinese)


Used = tuple[tuple[ModuleWarning, ...], tuple[Interpretation, ...]]


class Memo:
    """What the results of one evaluation share, worked out once: the parameters a rule
    used over a window (most members share one), each rule's version in force and the
    categories it lacks, and whether a member was in office."""

    __slots__ = ("in_office", "used", "versions")

    def __init__(self) -> None:
        self.used: dict[tuple[str, DateRange], Used] = {}
        self.in_office: dict[str, bool] = {}
        self.versions: dict[str, tuple[tuple[str, ...], Segment]] = {}

    def version(self, ctx: Context, rule: Rule) -> tuple[tuple[str, ...], Segment]:
        """The categories a rule needs that are missing, and its version in force."""
        found = self.versions.get(rule.id)
        if found is None:
            missing = tuple(c for c in rule.needs if not ctx.has(c))
            segment = ctx.law.rules[rule.id].at(ctx.period.range.end)
            found = self.versions[rule.id] = (missing, segment)
        return found

    def serving(self, ctx: Context) -> dict[str, bool]:
        """Whether each member held office on some day of the period, by member id."""
        if not self.in_office:
            days = ctx.period.range
            for m in ctx.facts.members:
                self.in_office[m.id] = (days & m.tenure.range) is not None
        return self.in_office


def _used(ctx: Context, rule: Rule, days: DateRange, memo: Memo) -> Used:
    """The parameter values a result relied on over ``days``: their warnings, and how to
    show them."""
    found = memo.used.get((rule.id, days))
    if found is not None:
        return found
    warnings: list[ModuleWarning] = []
    shown: list[Interpretation] = []
    for name in rule.parameters:
        parts = ctx.law.parameters[name].over(days)
        for part, segment in parts:
            if segment.warning:
                warnings.append(segment.warning)
            default = segment.source == BASE and segment.value == PARAMETERS[name].default
            valid = part if len(parts) > 1 else None
            shown.append(Interpretation(name, segment.value, default, segment.source, valid))
    found = memo.used[rule.id, days] = (tuple(warnings), tuple(shown))
    return found


def _obligation(
    ctx: Context, rule: Rule, version: RuleVersion, member: Member | None
) -> Check | NotApplicable:
    """The obligation under the rule version in force: a tightening must hold as well."""
    base = rule.obligation(ctx, member)
    if version.kind == "base":
        return base
    amended = version.obligation(ctx, member)  # type: ignore[operator]
    if version.kind == "replace" or isinstance(base, NotApplicable):
        return amended  # type: ignore[no-any-return]
    if isinstance(amended, NotApplicable):
        return base
    return Check(All((base.condition, amended.condition)), base.due, base.window)


#: What every result of one provision for one subject starts with: rule, subject, period.
Stem = tuple[str, str, str]


def _plain(
    stem: Stem, status: Status, text: Explanation, citation: Citation, source: str
) -> Result:
    """A result with nothing measured (positional: this runs for most results)."""
    return Result(*stem, status, text, citation, None, (), (), (), (), None, None, source)


def _evaluable(
    ctx: Context, rule: Rule, member: Member | None, stem: Stem, citation: Citation, memo: Memo
) -> Result:
    missing, segment = memo.version(ctx, rule)
    version = segment.value
    assert isinstance(version, RuleVersion)
    source = segment.source
    warnings: tuple[ModuleWarning, ...] = (segment.warning,) if segment.warning else ()
    if version.kind == "repeal":
        text = Explanation(
            f"已由 {source} 自 {segment.days.start} 起废止",
            f"repealed by {source} from {segment.days.start}",
        )
        return attrs.evolve(
            _plain(stem, Status.NOT_APPLICABLE, text, citation, source), warnings=warnings
        )
    made = _obligation(ctx, rule, version, member)
    days = made.window if isinstance(made, Check) and made.window else ctx.period.range
    used, shown = _used(ctx, rule, days, memo)
    if used:
        warnings += tuple(w for w in used if w not in warnings)
    if isinstance(made, NotApplicable) and not (missing and made.from_data):
        text = Explanation(made.zh, made.en)
        return Result(*stem, Status.NOT_APPLICABLE, text, citation, None, (), (), (), shown,
                      None, None, source, warnings)  # fmt: skip
    if isinstance(made, NotApplicable):
        made = Check(Missing(missing), ctx.period.range.end)
    outcome = Missing(missing).evaluate() if missing else made.condition.evaluate()
    status = _status(outcome)
    requirement = None
    if outcome.measured is not None:
        measure = outcome.measure or rule.measure
        requirement = Requirement(outcome.measured, outcome.minimum, outcome.maximum, measure.en)
    text = describe(status, outcome, rule.measure, made.due, ctx.as_of)
    return Result(*stem, status, text, citation, requirement, outcome.facts, outcome.failing,
                  outcome.open, shown, made.due, made.window, source, warnings)  # fmt: skip


def _judgment(ctx: Context, stem: Stem, citation: Citation, source: str) -> Result:
    recorded = ctx.index.assessments.get(stem, ())
    found = [a for a in recorded if a.date <= ctx.as_of]
    if not found:
        return _plain(stem, Status.REQUIRES_JUDGMENT, _NOT_ASSESSED, citation, source)
    latest = max(found, key=lambda a: (a.date, a.id))
    status = Status(latest.result.value)
    by = f" ({latest.assessor})" if latest.assessor else ""
    verdict = "符合" if status is Status.COMPLIANT else "不符合"
    text = Explanation(
        f"人工评定为{verdict}：{latest.id}，{latest.date}{by}",
        f"assessed {status.value} in {latest.id} on {latest.date}{by}",
    )
    return attrs.evolve(_plain(stem, status, text, citation, source), facts=(latest.id,))


Entry = tuple[Provision, "Rule | None", DateRange, str]


def _entries(law: Law) -> list[Entry]:
    """Every provision in force at some time: the base regulation's, then the modules'."""
    start = law.value("regulation.in_force_from", _dt.date.max)
    assert isinstance(start, _dt.date)
    in_force = DateRange(start, _dt.date.max)
    entries: list[Entry] = [(p, RULES.get(p.id), in_force, BASE) for p in TIANJIN_2018.provisions()]
    for provision, rule, days, source in law.provisions:
        assert isinstance(provision, Provision)
        assert rule is None or isinstance(rule, Rule)
        entries.append((provision, rule, (days & in_force) or days, source))
    return entries


def entry_results(
    ctx: Context, entry: Entry, members: Sequence[Member], memo: Memo
) -> list[Result]:
    """The results of one provision: for the team, or for each of ``members`` in order."""
    provision, rule, in_force, source = entry
    here = attrs.evolve(ctx, in_force=in_force)
    period = str(ctx.period)
    citation = _citation(provision, source)
    if provision.subject is SubjectKind.TEAM:
        subjects: Sequence[tuple[str, Member | None]] = [("team", None)]
    else:
        subjects = [(m.id, m) for m in members]
    if (ctx.period.range & in_force) is None:
        return [
            _plain(
                (provision.id, s, period), Status.NOT_APPLICABLE, _BEFORE_FORCE, citation, source
            )
            for s, _ in subjects
        ]
    found = []
    serving = memo.serving(ctx)
    # Most judgment provisions have no assessment at all: their results differ only by
    # subject, and are made without looking for one per member.
    assessed = rule is not None or provision.id in ctx.index.assessed
    for subject, member in subjects:
        stem = (provision.id, subject, period)
        if member is not None and not serving[subject]:
            found.append(_plain(stem, Status.NOT_APPLICABLE, _NO_TENURE, citation, source))
        elif not assessed:
            found.append(_plain(stem, Status.REQUIRES_JUDGMENT, _NOT_ASSESSED, citation, source))
        elif rule is None:
            found.append(_judgment(here, stem, citation, source))
        else:
            found.append(_evaluable(here, rule, member, stem, citation, memo))
    return found


def results_by_entry(
    ctx: Context, entries: list[Entry], members: Sequence[Member]
) -> list[list[Result]]:
    """Each entry's results: the team's, or those of ``members`` in order."""
    memo = Memo()
    return [entry_results(ctx, entry, members, memo) for entry in entries]


@attrs.frozen
class Setup:
    """The inputs of an evaluation besides the facts, as given (so another process can
    rebuild the same law: modules by name are loaded again there)."""

    period: Period
    as_of: _dt.date
    parameters: Parameters
    rules: tuple[str, ...] | None
    modules: tuple[str | Module, ...]
    module_order: bool

    def context(self, facts: Facts) -> tuple[Context, list[Entry]]:
        """The context and the provisions to evaluate, with the modules applied."""
        loaded = [m if isinstance(m, Module) else load_module(m) for m in self.modules]
        law = build_law(loaded, self.parameters, ordered=self.module_order)
        entries = _entries(law)
        if self.rules is not None:
            unknown = sorted(set(self.rules) - {e[0].id for e in entries})
            if unknown:
                raise ValueError(f"unknown rule(s): {', '.join(unknown)}")
            entries = [e for e in entries if e[0].id in self.rules]
        return Context.build(facts, self.period, self.as_of, law), entries


def evaluate(
    facts: FactsSource,
    period: str | int | Period,
    as_of: str | _dt.date | None = None,
    *,
    parameters: Mapping[str, object] | None = None,
    rules: list[str] | None = None,
    modules: Sequence[str | Module] = (),
    module_order: bool = False,
    jobs: int = 1,
) -> Report:
    """Evaluate every provision (or those in ``rules``) for ``period`` as known on ``as_of``.

    ``facts`` is a :class:`Facts`, a dict in the facts format, or a path to a JSON
    file. ``as_of`` defaults to today in China Standard Time; ``parameters``
    overrides named parameters (see :data:`selfbuild_rules.parameters.PARAMETERS`).
    ``modules`` names installed local modules (or gives :class:`Module` objects) to
    apply; ``module_order=True`` says their order is intended, so where two change
    the same thing the later one wins instead of raising :class:`ModuleError`.
    ``jobs`` greater than 1 evaluates the members in that many parallel processes
    (the team's provisions once, here); the report is the same as with ``jobs=1``.

    >>> import selfbuild_rules as sr
    >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
    ...        "members": [{"id": "m01", "name": "甲", "post": "mayor",
    ...                     "tenure": {"start": "2018-01-26", "end": None}}],
    ...        "violations": []}
    >>> report = sr.evaluate(doc, "2018", "2018-06-30", rules=["6.integrity"])
    >>> [(r.rule, r.subject, r.status.value) for r in report.results]
    [('6.integrity', 'm01', 'pending')]
    """
    with _gc.paused():
        setup, ctx, entries, head = prepare(
            facts, period, as_of, parameters, rules, modules, module_order, jobs
        )
        if jobs > 1 and len(ctx.facts.members) > 1:
            from ._parallel import parts_by_entry, pickled, unpickled

            by_entry = [
                [r for part in parts for r in unpickled(part)]
                for parts in parts_by_entry(ctx, entries, setup, jobs, pickled)
            ]
        else:
            by_entry = results_by_entry(ctx, entries, ctx.facts.members)
        return attrs.evolve(head, results=tuple(r for found in by_entry for r in found))


def prepare(
    facts: FactsSource,
    period: str | int | Period,
    as_of: str | _dt.date | None,
    parameters: Mapping[str, object] | None,
    rules: Sequence[str] | None,
    modules: Sequence[str | Module],
    module_order: bool,
    jobs: int,
) -> tuple[Setup, Context, list[Entry], Report]:
    """Everything an evaluation needs before the first result, checked: the setup, the
    context, the provisions to evaluate, and the report without its results."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs: {jobs!r} is not a whole number of at least 1")
    loaded = facts if isinstance(facts, Facts) else load_facts(facts)
    when = _dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    values = parameters if isinstance(parameters, Parameters) else Parameters(parameters or {})
    setup = Setup(
        period=Period.parse(period),
        as_of=when or today_in_china(),
        parameters=values,
        rules=None if rules is None else tuple(rules),
        modules=tuple(modules),
        module_order=module_order,
    )
    ctx, entries = setup.context(loaded)
    head = Report(
        regulation=TIANJIN_2018.id,
        team=loaded.team,
        members={m.id: m.name for m in loaded.members},
        modules=ctx.law.modules,
        period=str(ctx.period),
        as_of=setup.as_of,
        parameters=values,
        results=(),
    )
    return setup, ctx, entries, head
