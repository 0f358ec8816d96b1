"""The front door for Python callers: evaluate facts against a base regulation.

This is where a base regulation is chosen: the one named (``regulation=``), else the
one the modules extend, else ``tianjin-2018``, the regulation this distribution ships.
The layers below are handed the base and never name one.

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
import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from selfbuild_rules.engine.run import prepared, results
from selfbuild_rules.engine.setup import Options, Setup
from selfbuild_rules.facts.digest import Digest
from selfbuild_rules.facts.loading import Progress, dump_facts, is_workbook
from selfbuild_rules.facts.loading import load_facts as _load_facts
from selfbuild_rules.facts.records import Facts
from selfbuild_rules.law.periods import Period
from selfbuild_rules.plugins.base import Base
from selfbuild_rules.plugins.discovery import (
    Installed,
    load_base,
    load_module,
    note_origin,
    origin_of,
)
from selfbuild_rules.plugins.modules import Module, ModuleError
from selfbuild_rules.report.document import Report
from selfbuild_rules.report.provenance import LIBRARY, library_version

__all__ = ["DEFAULT_REGULATION", "base_for", "evaluate", "load_facts", "setup_for"]

#: The base regulation used when none is named and no module says which it extends.
DEFAULT_REGULATION = "tianjin-2018"

FactsSource = Facts | Mapping[str, Any] | str | os.PathLike[str] | IO[str] | IO[bytes]
Regulation = str | Base | None


def _bundled() -> Base:
    """The base this distribution ships: its own package, never another distribution's
    entry point (so the default cannot be taken over, and costs no metadata scan)."""
    from selfbuild_rules.tianjin2018 import BASE

    where = "selfbuild_rules.tianjin2018:BASE"
    note_origin(BASE, Installed(BASE.id, where, LIBRARY, library_version()))
    return BASE


def base_for(regulation: Regulation = None, modules: Sequence[str | Module] = ()) -> Base:
    """The base regulation to evaluate: ``regulation`` (a :class:`Base` or an installed
    one's id), else the one every module given as an object extends, else the default.

    >>> base_for().id
    'tianjin-2018'
    """
    if isinstance(regulation, Base):
        return regulation
    if regulation is None:
        extended = {m.extends for m in modules if isinstance(m, Module)}
        if len(extended) > 1:
            raise ModuleError(f"the modules extend different regulations: {sorted(extended)}")
        regulation = extended.pop() if extended else DEFAULT_REGULATION
    return _bundled() if regulation == DEFAULT_REGULATION else load_base(regulation)


def setup_for(options: Options, regulation: Regulation = None) -> Setup:
    """The checked setup of an evaluation: the base regulation (see :func:`base_for`) and
    the options, with where each installed plug-in came from.

    Modules named by id are loaded here to learn which base they extend (and loaded
    again in a worker process that cannot inherit them).

    >>> setup_for(Options.of("2018", "2019-03-01")).base.id
    'tianjin-2018'
    """
    loaded = [load_module(m) if isinstance(m, str) else m for m in options.modules]
    base = base_for(regulation, loaded)
    found = [("regulation", origin_of(base)), *((m.id, origin_of(m)) for m in loaded)]
    setup = Setup(base, options, {key: origin for key, origin in found if origin is not None})
    setup.parameters()  # checked now: before any facts are read or worker started
    return setup


def load_facts(
    source: FactsSource,
    *,
    lines: bool | None = None,
    progress: Progress | None = None,
    regulation: Regulation = None,
    input_format: str | None = None,
    digest: Digest | None = None,
) -> Facts:
    """Load facts strictly, every problem at once; assessments must name the base
    regulation's judgment provisions (see :func:`selfbuild_rules.facts.loading.load_facts`).
    ``digest`` is fed what is read, for the report's provenance (:class:`Facts` given
    as they are: their canonical encoding, see :mod:`selfbuild_rules.facts.digest`).

    ``input_format`` is ``json``, ``jsonl`` or ``xlsx`` (an Excel workbook laid out as
    ``selfbuild-rules template`` writes it, read by :mod:`selfbuild_rules.facts.xlsx`);
    by default a path's ending says (``.xlsx``, ``.jsonl``), else JSON.

    >>> import selfbuild_rules as sr
    >>> facts = sr.load_facts({"format": "selfbuild-rules.facts/1", "members": [],
    ...                        "team": {"id": "t", "name": "班子"}, "violations": []})
    >>> facts.team.name, facts.violations, facts.research_trips
    ('班子', (), None)
    """
    if isinstance(source, Facts):
        if digest is not None:
            digest.document(dump_facts(source))
        return source
    judgments = base_for(regulation).judgments()
    if input_format == "xlsx" or (input_format is None and lines is None and is_workbook(source)):
        from selfbuild_rules.facts.xlsx import load_workbook  # only when a workbook is read

        if isinstance(source, Mapping):
            raise TypeError("facts: a dict is not a workbook")
        if digest is not None:  # a workbook is small and read whole: hash exactly its bytes
            whole = _workbook_bytes(source)
            digest.update(whole)
            source = io.BytesIO(whole)
        return load_workbook(source, progress=progress, judgments=judgments)  # type: ignore[arg-type]
    if input_format is not None:
        lines = input_format == "jsonl"
    return _load_facts(source, lines=lines, progress=progress, judgments=judgments, digest=digest)


def _workbook_bytes(source: Any) -> bytes:
    whole = Path(source).read_bytes() if isinstance(source, str | os.PathLike) else source.read()
    if not isinstance(whole, bytes):
        raise TypeError("facts: a workbook is read from a path or a binary file")
    return whole


def evaluate(
    facts: FactsSource,
    period: str | int | Period,
    as_of: str | _dt.date | None = None,
    *,
    parameters: Mapping[str, object] | None = None,
    rules: list[str] | None = None,
    subjects: list[str] | None = None,
    modules: Sequence[str | Module] = (),
    module_order: bool = False,
    jobs: int = 1,
    regulation: Regulation = None,
    trace: bool = False,
) -> Report:
    """Evaluate every provision (or those in ``rules``) for ``period`` as known on ``as_of``,
    for every member and the team (or those in ``subjects``).

    ``facts`` is a :class:`Facts`, a dict in the facts format, or a path to a JSON
    file. ``as_of`` is a ``date`` or a ``YYYY-MM-DD`` text and defaults to today in
    China Standard Time; a ``datetime`` is refused with a ``TypeError`` rather than
    converted, since which day it is depends on a time zone: pass the ``.date()`` you
    mean. ``parameters``
    overrides named parameters (see ``selfbuild-rules explain``). ``subjects`` lists
    member ids, and ``"team"`` for the team's own results: only theirs are made, and the
    report's ``members`` lists only those members (the others' facts still count where a
    team's result rests on them); an id that is neither raises ``ValueError``. ``modules`` names
    installed local modules (or gives :class:`Module` objects) to apply;
    ``module_order=True`` says their order is intended, so where two change the same
    thing the later one wins instead of raising :class:`ModuleError`. ``jobs`` greater
    than 1 evaluates the members in that many parallel processes (the team's
    provisions once, here; no more processes than the CPUs this process may use); the
    report is the same as with ``jobs=1``. ``regulation``
    names the base regulation (by default the one the modules extend, else
    ``tianjin-2018``) or gives it as a :class:`Base`. ``trace=True`` gives each result
    of an evaluable provision its ``trace``: the figures behind it, step by step (see
    :mod:`selfbuild_rules.rules.trace`). The report's provenance holds the SHA-256 of
    the facts: of the bytes read from a file or stream, of the canonical encoding of a
    dict or :class:`Facts` (see :mod:`selfbuild_rules.facts.digest`).

    >>> import selfbuild_rules as sr
    >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
    ...        "members": [{"id": "m01", "name": "甲", "post": "mayor",
    ...                     "tenure": {"start": "2018-01-26", "end": None}}],
    ...        "violations": []}
    >>> report = sr.evaluate(doc, "2018", "2018-06-30", rules=["6.integrity"])
    >>> [(r.rule, r.subject, r.status.value) for r in report.results]
    [('6.integrity', 'm01', 'pending')]
    >>> team = sr.evaluate(doc, "2018", "2018-06-30", subjects=["team"])
    >>> {r.subject for r in team.results}, team.members
    ({'team'}, {})
    """
    options = Options.of(
        period, as_of, parameters=parameters, rules=rules, subjects=subjects, modules=modules,
        module_order=module_order, jobs=jobs, trace=trace,
    )  # fmt: skip
    setup = setup_for(options, regulation)
    digest = Digest()
    loaded = load_facts(facts, regulation=setup.base, digest=digest)
    run = prepared(loaded, setup)
    return Report.of(run, results(run), digest.value())
