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
from ._provision_results import Entry, results_by_entry
from ._tianjin2018 import TIANJIN_2018
from .facts import Facts
from .law import Law
from .loading import load_facts
from .modules import BASE, Module, build_law, load_module
from .parameters import Parameters
from .periods import DateRange, Period, today_in_china
from .regulation import Provision
from .report import Report
from .rules import RULES, Rule

__all__ = ["evaluate"]

FactsSource = Facts | Mapping[str, Any] | str | os.PathLike[str] | IO[str] | IO[bytes]


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
