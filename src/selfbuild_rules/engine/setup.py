"""What an evaluation is given besides the facts, checked once, and what it prepares.

:class:`Options` are the choices of one evaluation (period, ``as_of``, parameters,
rules, modules, jobs): one value, passed through every path that evaluates. ``jobs``
is capped at the CPUs this process may use (:func:`usable_cpus`): more processes than
that only compete for them, each holding its share of memory. A
:class:`Setup` joins them to the base regulation; :meth:`Setup.prepare` applies the
modules and indexes the facts, giving an :class:`Evaluation`.

>>> from selfbuild_rules.tianjin2018 import BASE
>>> options = Options.of("2018", "2019-03-01", parameters={"research.pro_rating": "none"})
>>> str(options.period), options.as_of.isoformat(), options.jobs
('2018', '2019-03-01', 1)
>>> Setup(BASE, options).parameters()["research.pro_rating"]
'none'
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping, Sequence

import attrs

from selfbuild_rules.facts.records import Facts
from selfbuild_rules.law.parameters import Parameters
from selfbuild_rules.law.periods import Period, today_in_china
from selfbuild_rules.plugins.base import Base
from selfbuild_rules.plugins.discovery import Installed, load_module
from selfbuild_rules.plugins.law import Entry, Law
from selfbuild_rules.plugins.modules import Module, build_law
from selfbuild_rules.rules.context import Context

__all__ = ["Evaluation", "Options", "Setup", "usable_cpus"]


def _as_of(value: str | _dt.date | None) -> _dt.date:
    if value is None:
        return today_in_china()
    if isinstance(value, str):
        return _dt.date.fromisoformat(value)
    return value


def usable_cpus() -> int:
    """How many CPUs this process may run on: its affinity mask where the system has
    one (``taskset``, cgroup cpusets), else the machine's count; at least 1.

    >>> usable_cpus() >= 1
    True
    """
    affinity = getattr(os, "sched_getaffinity", None)
    if affinity is not None:
        return max(1, len(affinity(0)))
    return os.cpu_count() or 1


def _jobs(jobs: int) -> int:
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs: {jobs!r} is not a whole number of at least 1")
    return min(jobs, usable_cpus())


@attrs.frozen
class Options:
    """The choices of one evaluation, as given (modules by name are loaded again in
    another process, so these can be sent there)."""

    period: Period
    as_of: _dt.date
    parameters: Mapping[str, object] = attrs.field(factory=dict)
    rules: tuple[str, ...] | None = None
    modules: tuple[str | Module, ...] = ()
    module_order: bool = False
    jobs: int = 1

    @classmethod
    def of(
        cls,
        period: str | int | Period,
        as_of: str | _dt.date | None = None,
        *,
        parameters: Mapping[str, object] | None = None,
        rules: Sequence[str] | None = None,
        modules: Sequence[str | Module] = (),
        module_order: bool = False,
        jobs: int = 1,
    ) -> Options:
        """Options from what a caller gives: texts parsed, ``as_of`` defaulting to today
        in China, ``jobs`` capped at :func:`usable_cpus`; ``ValueError`` for anything
        that is not right."""
        return cls(
            period=Period.parse(period),
            as_of=_as_of(as_of),
            parameters=dict(parameters or {}),
            rules=None if rules is None else tuple(rules),
            modules=tuple(modules),
            module_order=module_order,
            jobs=_jobs(jobs),
        )


@attrs.frozen
class Evaluation:
    """An evaluation ready to make results: the law, the context every rule sees, and
    the provisions to evaluate."""

    setup: Setup
    law: Law
    ctx: Context
    entries: list[Entry]

    @property
    def parallel(self) -> bool:
        """Whether the members are evaluated in several processes."""
        return self.setup.options.jobs > 1 and len(self.ctx.facts.members) > 1


@attrs.frozen
class Setup:
    """A base regulation and the options of one evaluation of it; ``origins`` names the
    distribution each installed plug-in came from (by ``regulation`` for the base and by
    id for a module), for the report's provenance."""

    base: Base
    options: Options
    origins: Mapping[str, Installed] = attrs.field(factory=dict)

    def parameters(self) -> Parameters:
        """The base's parameter defaults with the options' overrides, checked."""
        given = self.options.parameters
        return (
            given
            if isinstance(given, Parameters)
            else Parameters(given, table=self.base.parameters)
        )

    def law(self) -> Law:
        """The base with the options' parameters and modules applied."""
        options = self.options
        loaded = [m if isinstance(m, Module) else load_module(m) for m in options.modules]
        return build_law(self.base, loaded, self.parameters(), ordered=options.module_order)

    def prepare(self, facts: Facts) -> Evaluation:
        """Everything an evaluation needs before the first result, checked."""
        law = self.law()
        entries = list(law.provisions)
        if self.options.rules is not None:
            wanted = set(self.options.rules)
            unknown = sorted(wanted - {e.provision.id for e in entries})
            if unknown:
                raise ValueError(f"unknown rule(s): {', '.join(unknown)}")
            entries = [e for e in entries if e.provision.id in wanted]
        ctx = Context.build(facts, self.options.period, self.options.as_of, law.parameters)
        return Evaluation(self, law, ctx, entries)
