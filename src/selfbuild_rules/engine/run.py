"""Making the results of a prepared evaluation: here, or in worker processes.

The engine is given the base and never chooses one (:func:`selfbuild_rules.evaluate`
does that for its callers).

>>> from selfbuild_rules.evaluation import base_for
>>> BASE = base_for()  # the bundled base regulation
>>> from selfbuild_rules import load_facts
>>> facts = load_facts({"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
...                     "members": [], "democratic_life_meetings": []})
>>> run = prepared(facts, Setup(BASE, Options.of("2018", "2019-03-01")))
>>> [r.status.value for r in results(run) if r.rule == "6.democratic-life-meeting"]
['non_compliant']
"""

from __future__ import annotations

from selfbuild_rules.engine.provisions import results_by_entry
from selfbuild_rules.engine.results import Result
from selfbuild_rules.engine.setup import Evaluation, Options, Setup
from selfbuild_rules.facts.records import Facts
from selfbuild_rules.internal import memory

__all__ = ["Options", "Setup", "prepared", "results"]


def prepared(facts: Facts, setup: Setup) -> Evaluation:
    """``setup.prepare(facts)`` with the collector paused: indexing makes many objects
    and no cycles."""
    with memory.paused():
        return setup.prepare(facts)


def results(run: Evaluation) -> tuple[Result, ...]:
    """Every result of ``run`` in the order of the law: the same whatever ``jobs`` is."""
    with memory.paused():
        if run.parallel:
            from selfbuild_rules.engine.parallel import parts_by_entry, pickled, unpickled

            by_entry = [
                [r for part in parts for r in unpickled(part)]
                for parts in parts_by_entry(run, pickled)
            ]
        else:
            by_entry = results_by_entry(run.ctx, run.law, run.entries, run.members)
        return tuple(r for found in by_entry for r in found)
