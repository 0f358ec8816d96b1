"""What an evaluation is given besides the facts, checked once, and what it prepares.

:class:`Options` are the choices of one evaluation (period, ``as_of``, parameters,
rules, subjects, modules, jobs): one value, passed through every path that evaluates.
``jobs`` is capped at the CPUs this process may use (:func:`usable_cpus`): more processes than
that only compete for them, each holding its share of memory. A
:class:`Setup` joins them to the base regulation; :meth:`Setup.prepare` applies the
modules and indexes the facts, giving an :class:`Evaluation`.

>>> from selfbuild_rules.evaluation import base_for
>>> BASE = base_for()  # the bundled base regulation
>>> options = Options.of("2018", "2019-03-01", parameters={"research.pro_rating": "none"})
>>> str(options.period), options.as_of.isoformat(), options.jobs
('2018', '2019-03-01', 1)
>>> Setup(BASE, options).parameters()["research.pro_rating"]
'none'
>>> Options.of("2018", "2019-03-01", subjects=["m01", TEAM]).subjects
('m01', 'team')
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping, Sequence

import attrs

from selfbuild_rules.facts.records import Facts, Member
from selfbuild_rules.internal import exact as _exact
from selfbuild_rules.internal.i18n import N_
from selfbuild_rules.law.parameters import Parameters
from selfbuild_rules.law.periods import Period, parse_day, today_in_china
from selfbuild_rules.plugins.base import Base
from selfbuild_rules.plugins.discovery import Installed, load_module
from selfbuild_rules.plugins.law import Entry, Law
from selfbuild_rules.plugins.modules import Module, build_law
from selfbuild_rules.rules.context import Context

__all__ = ["MAX_JOBS", "TEAM", "Compiled", "Evaluation", "Options", "Setup", "usable_cpus"]

#: The most worker processes an evaluation is asked for (more is surely a mistake).
MAX_JOBS = 1024
#: The subject of the team's own results (a member is named by its id).
TEAM = "team"


def _as_of(value: str | _dt.date | None) -> _dt.date:
    """The day the facts are known to. A ``datetime`` is refused, not converted: which
    day it is depends on a time zone, and the facts are dated in China Standard Time."""
    if value is None:
        return today_in_china()
    if isinstance(value, str):
        try:
            return parse_day(value)
        except ValueError as exc:
            raise ValueError(f"as_of: {exc}") from None
    try:
        return _exact.day(value)
    except TypeError as exc:
        raise TypeError(f"as_of: {exc}") from None


def _ids(value: Sequence[object] | None, what: str) -> tuple[str, ...] | None:
    """Rule or subject ids as exact strings; a bare string (which would be read letter by letter)
    and anything not a string are refused."""
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise TypeError(f"{what}: give a list of ids, not {_kind(value)}")
    try:
        return tuple(map(_exact.text, value))
    except TypeError as exc:
        raise TypeError(f"{what}: each must be an id (a string): {exc}") from None


def _subject_ids(value: Sequence[object] | None) -> tuple[str, ...] | None:
    found = _ids(value, "subjects")
    if found == ():  # a report of nothing is surely not what was meant
        raise ValueError(f"subjects: name at least one member id, or {TEAM!r}")
    return found


def _modules(value: Sequence[object]) -> tuple[str | Module, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise TypeError(f"modules: give a list of module ids or Modules, not {_kind(value)}")
    for m in value:
        if not isinstance(m, (str, Module)):
            raise TypeError(f"modules: each must be a module id or a Module, not {_kind(m)}")
    return tuple(value)


def _kind(value: object) -> str:
    name = type(value).__name__
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def _flag(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{what}: give True or False, not {_kind(value)}")
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
    try:
        value = _exact.whole(jobs)
    except TypeError as exc:
        raise ValueError(f"jobs: {exc}") from None
    if not 1 <= value <= MAX_JOBS:
        shown = value if value.bit_length() <= 64 else "a larger number"  # str() has limits
        raise ValueError(f"jobs: {shown} is not a whole number from 1 to {MAX_JOBS}")
    return min(value, usable_cpus())


@attrs.frozen
class Options:
    """The choices of one evaluation, as given (modules by name are loaded again in
    another process, so these can be sent there)."""

    period: Period
    as_of: _dt.date
    parameters: Mapping[str, object] = attrs.field(factory=dict)
    rules: tuple[str, ...] | None = None
    #: Whose results to make: member ids, and :data:`TEAM` for the team's (all if None).
    subjects: tuple[str, ...] | None = None
    modules: tuple[str | Module, ...] = ()
    module_order: bool = False
    jobs: int = 1
    #: Whether each result carries its trace (see :mod:`selfbuild_rules.rules.trace`).
    trace: bool = False

    @classmethod
    def of(
        cls,
        period: str | int | Period,
        as_of: str | _dt.date | None = None,
        *,
        parameters: Mapping[str, object] | None = None,
        rules: Sequence[str] | None = None,
        subjects: Sequence[str] | None = None,
        modules: Sequence[str | Module] = (),
        module_order: bool = False,
        jobs: int = 1,
        trace: bool = False,
    ) -> Options:
        """Options from what a caller gives: texts parsed, ``as_of`` defaulting to today
        in China, ``jobs`` capped at :func:`usable_cpus`; ``ValueError`` for a value that
        is not right, ``TypeError`` for one of the wrong type (a ``datetime`` for
        ``as_of``, ``None`` among the rules)."""
        return cls(
            period=Period.parse(period),
            as_of=_as_of(as_of),
            parameters=dict(parameters or {}),
            rules=_ids(rules, "rules"),
            subjects=_subject_ids(subjects),
            modules=_modules(modules),
            module_order=module_order,
            jobs=_jobs(jobs),
            trace=_flag(trace, "trace"),
        )


@attrs.frozen
class Evaluation:
    """An evaluation ready to make results: the law, the context every rule sees (all
    the facts), the provisions to evaluate and the members to evaluate them for."""

    setup: Setup
    law: Law
    ctx: Context
    entries: list[Entry]
    #: The members whose results are made, in the order of the facts.
    members: Sequence[Member]

    @property
    def parallel(self) -> bool:
        """Whether the members are evaluated in several processes."""
        return self.setup.options.jobs > 1 and len(self.members) > 1

    def with_facts(self, facts: Facts) -> Evaluation:
        """The same evaluation of other ``facts`` (of the same team and members: a
        worker's own part of them, say), indexed afresh."""
        ctx = self.ctx
        fresh = Context.build(facts, ctx.period, ctx.as_of, ctx.parameters, trace=ctx.trace)
        return attrs.evolve(self, ctx=fresh)


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

    def compiled(self) -> Compiled:
        """What an evaluation needs whatever the facts: the law and the provisions to
        evaluate, checked; worked out once for many teams."""
        law = self.law()
        entries = list(law.provisions)
        if self.options.rules is not None:
            wanted = set(self.options.rules)
            unknown = sorted(wanted - {e.provision.id for e in entries})
            if unknown:
                raise ValueError(N_("unknown rule(s): {rules}").format(rules=", ".join(unknown)))
            entries = [e for e in entries if e.provision.id in wanted]
        return Compiled(self, law, entries)

    def prepare(self, facts: Facts) -> Evaluation:
        """Everything an evaluation needs before the first result, checked: an unknown
        rule or subject is a ``ValueError`` naming it."""
        return self.compiled().evaluation(facts)


@attrs.frozen
class Compiled:
    """A setup's law and the provisions it evaluates: the same for every team evaluated
    with one set of options, so a run over many teams makes it once.

    >>> from selfbuild_rules.evaluation import base_for, load_facts
    >>> options = Options.of("2018", "2019-03-01", rules=["6.integrity"])
    >>> ready = Setup(base_for(), options).compiled()
    >>> facts = load_facts({"format": "selfbuild-rules.facts/1", "members": [],
    ...                     "team": {"id": "t", "name": "班子"}})
    >>> [e.provision.id for e in ready.evaluation(facts).entries]
    ['6.integrity']
    """

    setup: Setup
    law: Law
    entries: list[Entry]

    def evaluation(self, facts: Facts) -> Evaluation:
        """The evaluation of ``facts``: only the facts are indexed here."""
        options = self.setup.options
        entries: list[Entry] = self.entries
        members: Sequence[Member] = facts.members
        if options.subjects is not None:
            members, team = _subjects(facts, options.subjects)
            entries = [e for e in entries if team or e.binds_members]
        ctx = Context.build(
            facts, options.period, options.as_of, self.law.parameters, trace=options.trace
        )
        return Evaluation(self.setup, self.law, ctx, entries, members)


def _subjects(facts: Facts, subjects: tuple[str, ...]) -> tuple[list[Member], bool]:
    """The members named, in the order of the facts, and whether the team is named too.
    Every other member's facts stay in the context: a team's result may rest on them."""
    wanted = set(subjects)
    unknown = sorted(wanted - {m.id for m in facts.members} - {TEAM})
    if unknown:
        hint = f" (the team's own results are subject {TEAM!r})" if facts.team.id in unknown else ""
        raise ValueError(f"unknown subject(s): {', '.join(unknown)}{hint}")
    return [m for m in facts.members if m.id in wanted], TEAM in wanted
