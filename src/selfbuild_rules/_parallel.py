"""Evaluating the members of one team in parallel processes.

The work is cut into member chunks for the provisions that have a rule and bind
members (research days and the like: the costly part). ``jobs - 1`` worker
processes take chunks from the front while this process takes them from the back,
so the work balances itself; this process also evaluates, once, the team's
provisions and the judgment provisions, which cost less to evaluate than to send.
Each entry's results are then put back in the order of the members, so the report
is the one ``jobs=1`` gives, result for result.

Where the operating system can fork (Linux), the workers share the loaded facts and
the built law with this process, copy-on-write, and are sent nothing but bounds.
Elsewhere each worker is sent the facts and the :class:`~selfbuild_rules.engine.Setup`
once, and loads the modules named there itself (a module given as an object must then
be picklable). Workers send results back pickled as plain field values (see
:func:`_plain_pickling`).
"""

from __future__ import annotations

import collections
import copyreg
import multiprocessing
import operator
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import attrs

from . import _gc
from ._context import Context
from .engine import Entry, Setup, results_by_entry
from .facts import Facts
from .periods import DateRange
from .regulation import SubjectKind
from .results import Citation, Explanation, Interpretation, ModuleWarning, Requirement, Result

__all__ = ["evaluate_parts"]

Parts = list[list[Result]]
_CHUNKS_PER_JOB = 8  # small enough to balance, large enough to keep sending cheap
_AHEAD = 2  # chunks queued per worker, so none waits for the next

#: In a worker process: the context and provisions it evaluates.
_WORKER: tuple[Context, list[Entry]] | None = None


def _plain_pickling() -> None:
    """Pickle results as ``cls(*field values)`` rather than through attrs'
    ``__getstate__``, which runs Python code per object (twice as slow both ways)."""
    for cls in (Result, Explanation, Citation, Requirement, Interpretation, ModuleWarning):
        copyreg.pickle(cls, _reducer(cls))
    copyreg.pickle(DateRange, _reducer(DateRange))


def _reducer(cls: type) -> Any:
    values = operator.attrgetter(*(f.name for f in attrs.fields(cls)))
    return lambda record: (cls, values(record))


def _start(shared: tuple[Context, list[Entry]] | None, sent: tuple[Facts, Setup] | None) -> None:
    """Set a worker up: with the forked context, or by building it from what was sent."""
    global _WORKER
    _gc.pause()
    _plain_pickling()
    if shared is None:
        assert sent is not None
        facts, setup = sent
        shared = setup.context(facts)
    _WORKER = shared


def _chunk(start: int, stop: int, wanted: list[bool]) -> Parts:
    assert _WORKER is not None, "a worker is set up by _start"
    ctx, entries = _WORKER
    return results_by_entry(ctx, entries, ctx.facts.members[start:stop], wanted)


def _bounds(count: int, parts: int) -> list[tuple[int, int]]:
    """``parts`` contiguous slices of ``count`` items, as even as can be.

    >>> _bounds(10, 3)
    [(0, 4), (4, 7), (7, 10)]
    """
    size, extra = divmod(count, parts)
    found, start = [], 0
    for i in range(parts):
        stop = start + size + (i < extra)
        found.append((start, stop))
        start = stop
    return found


def _method() -> str:
    # fork shares memory for free; macOS and Windows spawn fresh processes instead.
    usable = multiprocessing.get_all_start_methods()
    return "fork" if sys.platform.startswith("linux") and "fork" in usable else "spawn"


def evaluate_parts(
    ctx: Context, entries: list[Entry], setup: Setup, jobs: int, method: str | None = None
) -> Parts:
    """Each entry's results, as :func:`~selfbuild_rules.engine.results_by_entry` gives
    them for the team and all members, computed in ``jobs`` processes (this one too).

    ``method`` forces a start method (``"fork"`` or ``"spawn"``), for tests.
    """
    members = ctx.facts.members
    heavy = [rule is not None and p.subject is SubjectKind.MEMBER for p, rule, *_ in entries]
    chunks = _bounds(len(members), min(len(members), jobs * _CHUNKS_PER_JOB))
    name = method or _method()
    shared = (ctx, entries) if name == "fork" else None  # inherited, never pickled
    sent = None if name == "fork" else (ctx.facts, setup)  # pickled once per worker
    done: dict[int, Parts] = {}
    todo = collections.deque(range(len(chunks)))
    running: dict[int, Future[Parts]] = {}
    workers = min(jobs - 1, len(chunks) - 1)
    with ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context(name),
        initializer=_start,
        initargs=(shared, sent),
    ) as pool:

        def top_up() -> None:
            for k in [k for k, future in running.items() if future.done()]:
                done[k] = running.pop(k).result()
            while todo and len(running) < _AHEAD * workers:
                k = todo.popleft()
                running[k] = pool.submit(_chunk, *chunks[k], heavy)

        top_up()
        light = results_by_entry(ctx, entries, members, [not h for h in heavy])
        while todo:
            top_up()
            if todo:
                k = todo.pop()
                done[k] = results_by_entry(ctx, entries, members[slice(*chunks[k])], heavy)
        for k, future in running.items():
            done[k] = future.result()
    return [
        [r for k in range(len(chunks)) for r in done[k][i]] if heavy[i] else light[i]
        for i in range(len(entries))
    ]
