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
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any

import attrs

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
from .results import Citation, Explanation, Interpretation, Requirement, Result, Status
from .rules import RULES, Check, NotApplicable, Rule

__all__ = ["evaluate"]

FactsSource = Facts | Mapping[str, Any] | str | os.PathLike[str] | IO[str] | IO[bytes]

_NO_TENURE = Explanation("本期间内不在任", "not in office during the period")
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


def _used(
    ctx: Context, rule: Rule, days: DateRange
) -> tuple[list[Segment], tuple[Interpretation, ...]]:
    """The parameter values a result relied on over ``days``, and how to show them."""
    segments: list[Segment] = []
    shown: list[Interpretation] = []
    for name in rule.parameters:
        parts = ctx.law.parameters[name].over(days)
        for part, segment in parts:
            segments.append(segment)
            default = segment.source == BASE and segment.value == PARAMETERS[name].default
            valid = part if len(parts) > 1 else None
            shown.append(Interpretation(name, segment.value, default, segment.source, valid))
    return segments, tuple(shown)


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


def _evaluable(ctx: Context, rule: Rule, member: Member | None, base: dict[str, Any]) -> Result:
    missing = tuple(c for c in rule.needs if not ctx.has(c))
    segment = ctx.law.rules[rule.id].at(ctx.period.range.end)
    version = segment.value
    assert isinstance(version, RuleVersion)
    base["source"] = segment.source
    warnings = [segment.warning] if segment.warning else []
    if version.kind == "repeal":
        text = Explanation(
            f"已由 {segment.source} 自 {segment.days.start} 起废止",
            f"repealed by {segment.source} from {segment.days.start}",
        )
        return Result(
            status=Status.NOT_APPLICABLE, explanation=text, warnings=tuple(warnings), **base
        )
    made = _obligation(ctx, rule, version, member)
    days = made.window if isinstance(made, Check) and made.window else ctx.period.range
    used, base["interpretations"] = _used(ctx, rule, days)
    warnings += [s.warning for s in used if s.warning and s.warning not in warnings]
    base["warnings"] = tuple(warnings)
    if isinstance(made, NotApplicable) and not (missing and made.from_data):
        return Result(
            status=Status.NOT_APPLICABLE, explanation=Explanation(made.zh, made.en), **base
        )
    if isinstance(made, NotApplicable):
        made = Check(Missing(missing), ctx.period.range.end)
    outcome = Missing(missing).evaluate() if missing else made.condition.evaluate()
    status = _status(outcome)
    requirement = None
    if outcome.measured is not None:
        measure = outcome.measure or rule.measure
        requirement = Requirement(outcome.measured, outcome.minimum, outcome.maximum, measure.en)
    return Result(
        status=status,
        explanation=describe(status, outcome, rule.measure, made.due, ctx.as_of),
        requirement=requirement,
        facts=outcome.facts,
        failing=outcome.failing,
        open=outcome.open,
        due=made.due,
        window=made.window,
        **base,
    )


def _judgment(ctx: Context, provision: Provision, subject: str, base: dict[str, Any]) -> Result:
    recorded = ctx.index.assessments.get((provision.id, subject, base["period"]), [])
    found = [a for a in recorded if a.date <= ctx.as_of]
    if not found:
        text = Explanation("需由人工评定，尚无评定记录", "needs a human assessment; none recorded")
        return Result(status=Status.REQUIRES_JUDGMENT, explanation=text, **base)
    latest = max(found, key=lambda a: (a.date, a.id))
    status = Status(latest.result.value)
    by = f" ({latest.assessor})" if latest.assessor else ""
    verdict = "符合" if status is Status.COMPLIANT else "不符合"
    text = Explanation(
        f"人工评定为{verdict}：{latest.id}，{latest.date}{by}",
        f"assessed {status.value} in {latest.id} on {latest.date}{by}",
    )
    return Result(status=status, explanation=text, facts=(latest.id,), **base)


def _subjects(ctx: Context, kind: SubjectKind) -> Iterator[tuple[str, Member | None]]:
    if kind is SubjectKind.TEAM:
        yield "team", None
    else:
        for member in ctx.facts.members:
            yield member.id, member


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


def _results(ctx: Context, entries: list[Entry]) -> Iterator[Result]:
    period = ctx.period.range
    period_text = str(ctx.period)
    for provision, rule, in_force, source in entries:
        here = attrs.evolve(ctx, in_force=in_force)
        for subject, member in _subjects(ctx, provision.subject):
            base: dict[str, Any] = {
                "rule": provision.id,
                "subject": subject,
                "period": period_text,
                "citation": _citation(provision, source),
                "source": source,
            }
            if (period & in_force) is None:
                yield Result(status=Status.NOT_APPLICABLE, explanation=_BEFORE_FORCE, **base)
            elif member is not None and (period & member.tenure.range) is None:
                yield Result(status=Status.NOT_APPLICABLE, explanation=_NO_TENURE, **base)
            elif rule is None:
                yield _judgment(here, provision, subject, base)
            else:
                yield _evaluable(here, rule, member, base)


def evaluate(
    facts: FactsSource,
    period: str | int | Period,
    as_of: str | _dt.date | None = None,
    *,
    parameters: Mapping[str, object] | None = None,
    rules: list[str] | None = None,
    modules: Sequence[str | Module] = (),
    module_order: bool = False,
) -> Report:
    """Evaluate every provision (or those in ``rules``) for ``period`` as known on ``as_of``.

    ``facts`` is a :class:`Facts`, a dict in the facts format, or a path to a JSON
    file. ``as_of`` defaults to today in China Standard Time; ``parameters``
    overrides named parameters (see :data:`selfbuild_rules.parameters.PARAMETERS`).
    ``modules`` names installed local modules (or gives :class:`Module` objects) to
    apply; ``module_order=True`` says their order is intended, so where two change
    the same thing the later one wins instead of raising :class:`ModuleError`.

    >>> import selfbuild_rules as sr
    >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
    ...        "members": [{"id": "m01", "name": "甲", "post": "mayor",
    ...                     "tenure": {"start": "2018-01-26", "end": None}}],
    ...        "violations": []}
    >>> report = sr.evaluate(doc, "2018", "2018-06-30", rules=["6.integrity"])
    >>> [(r.rule, r.subject, r.status.value) for r in report.results]
    [('6.integrity', 'm01', 'pending')]
    """
    loaded = facts if isinstance(facts, Facts) else load_facts(facts)
    when = _dt.date.fromisoformat(as_of) if isinstance(as_of, str) else (as_of or today_in_china())
    values = parameters if isinstance(parameters, Parameters) else Parameters(parameters or {})
    loaded_modules = [m if isinstance(m, Module) else load_module(m) for m in modules]
    law = build_law(loaded_modules, values, ordered=module_order)
    entries = _entries(law)
    if rules is not None:
        unknown = sorted(set(rules) - {e[0].id for e in entries})
        if unknown:
            raise ValueError(f"unknown rule(s): {', '.join(unknown)}")
        entries = [e for e in entries if e[0].id in rules]
    ctx = Context.build(loaded, Period.parse(period), when, law)
    return Report(
        regulation=TIANJIN_2018.id,
        team=loaded.team,
        members={m.id: m.name for m in loaded.members},
        modules=law.modules,
        period=str(ctx.period),
        as_of=when,
        parameters=values,
        results=tuple(_results(ctx, entries)),
    )
