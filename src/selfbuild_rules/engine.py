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
from collections.abc import Iterator, Mapping
from typing import IO, Any

from ._context import Context
from ._tianjin2018 import TIANJIN_2018
from .conditions import Missing, Outcome, Truth
from .explain import describe
from .facts import Facts, Member
from .loading import load_facts
from .parameters import Parameters
from .periods import Period, today_in_china
from .regulation import Provision, ProvisionKind, SubjectKind
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


def _citation(provision: Provision) -> Citation:
    return Citation(TIANJIN_2018.id, provision.principle, provision.id, provision.chinese)


def _interpretations(ctx: Context, names: tuple[str, ...]) -> tuple[Interpretation, ...]:
    p = ctx.parameters
    return tuple(Interpretation(n, p[n], p.is_default(n)) for n in names)


def _evaluable(ctx: Context, rule: Rule, member: Member | None, base: dict[str, Any]) -> Result:
    missing = tuple(c for c in rule.needs if not ctx.has(c))
    made = rule.obligation(ctx, member)
    base["interpretations"] = _interpretations(ctx, rule.parameters)
    if isinstance(made, NotApplicable) and not (missing and made.from_data):
        return Result(
            status=Status.NOT_APPLICABLE, explanation=Explanation(made.zh, made.en), **base
        )
    if isinstance(made, NotApplicable):
        made = Check(Missing(missing), ctx.period.range.end)
    assert isinstance(made, Check)
    outcome = Missing(missing).evaluate() if missing else made.condition.evaluate()
    status = _status(outcome)
    requirement = None
    if outcome.measured is not None:
        requirement = Requirement(
            outcome.measured, outcome.minimum, outcome.maximum, rule.measure.en
        )
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
    period = str(ctx.period)
    found = [
        a
        for a in ctx.records("assessments")
        if a.rule == provision.id
        and a.subject == subject
        and a.period == period
        and a.date <= ctx.as_of
    ]
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


def _results(ctx: Context, provisions: list[Provision]) -> Iterator[Result]:
    period = ctx.period.range
    before_force = period.end < ctx.parameters.day("regulation.in_force_from")
    for provision in provisions:
        for subject, member in _subjects(ctx, provision.subject):
            base: dict[str, Any] = {
                "rule": provision.id,
                "subject": subject,
                "period": str(ctx.period),
                "citation": _citation(provision),
            }
            if before_force:
                yield Result(status=Status.NOT_APPLICABLE, explanation=_BEFORE_FORCE, **base)
            elif member is not None and (period & member.tenure.range) is None:
                yield Result(status=Status.NOT_APPLICABLE, explanation=_NO_TENURE, **base)
            elif provision.kind is ProvisionKind.JUDGMENT:
                yield _judgment(ctx, provision, subject, base)
            else:
                yield _evaluable(ctx, RULES[provision.id], member, base)


def evaluate(
    facts: FactsSource,
    period: str | int | Period,
    as_of: str | _dt.date | None = None,
    *,
    parameters: Mapping[str, object] | None = None,
    rules: list[str] | None = None,
) -> Report:
    """Evaluate every provision (or those in ``rules``) for ``period`` as known on ``as_of``.

    ``facts`` is a :class:`Facts`, a dict in the facts format, or a path to a JSON
    file. ``as_of`` defaults to today in China Standard Time; ``parameters``
    overrides named parameters (see :data:`selfbuild_rules.parameters.PARAMETERS`).
    """
    loaded = facts if isinstance(facts, Facts) else load_facts(facts)
    when = _dt.date.fromisoformat(as_of) if isinstance(as_of, str) else (as_of or today_in_china())
    values = parameters if isinstance(parameters, Parameters) else Parameters(parameters or {})
    provisions = list(TIANJIN_2018.provisions())
    if rules is not None:
        unknown = sorted(set(rules) - {p.id for p in provisions})
        if unknown:
            raise ValueError(f"unknown rule(s): {', '.join(unknown)}")
        provisions = [p for p in provisions if p.id in rules]
    ctx = Context(loaded, Period.parse(period), when, values)
    return Report(
        regulation=TIANJIN_2018.id,
        team=loaded.team,
        period=str(ctx.period),
        as_of=when,
        parameters=values,
        results=tuple(_results(ctx, provisions)),
    )
