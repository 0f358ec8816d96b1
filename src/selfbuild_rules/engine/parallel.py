"""Evaluating the members of one team in parallel processes, provision by provision.

The members are cut into ``jobs`` contiguous parts, one worker process each. Every
worker evaluates, in the order of the law, the provisions that bind members for its
part, and sends each provision's results *packed* (pickled for :func:`evaluate`, or
already written as report JSON by the command line) through a pipe of its own. This
process evaluates the team's provisions itself, once, and reads the workers' parts of
each provision in member order: the report is the one ``jobs=1`` gives, result for
result, and a JSON report can be written as it arrives, never held whole.

Writing to a file, the workers can write their parts themselves (:func:`written_by_entry`):
each tells this process how long its part is, is told where in the file it goes, and
writes it there; this process then never touches the bulk of the report.

Where the operating system can fork (Linux), the workers share the loaded facts and
the built law with this process, copy-on-write, and are sent nothing but bounds.
Elsewhere each worker is sent the facts and the :class:`~selfbuild_rules.engine.setup.Setup`
once, and loads the modules named there itself (a module given as an object must then
be picklable).

Workers never outlive this process (see :mod:`selfbuild_rules.engine.processes`). One
that fails, or ends without its results, raises :class:`WorkerError` here; once this
process stops reading, for whatever reason, the workers are killed (SIGKILL: they hold
nothing to clean up, and it ends a stopped worker too).
"""

from __future__ import annotations

import contextlib
import copyreg
import multiprocessing
import operator
import os
import pickle
import struct
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

import attrs

from selfbuild_rules.engine import processes as _processes
from selfbuild_rules.engine.processes import WorkerError
from selfbuild_rules.engine.provisions import Memo, Uniform, entry_made, made_in_batches
from selfbuild_rules.engine.results import (
    Citation,
    Due,
    Explanation,
    Interpretation,
    ModuleWarning,
    Requirement,
    Result,
    StillNeeded,
)
from selfbuild_rules.engine.setup import Evaluation, Setup
from selfbuild_rules.facts.parts import PartRefused
from selfbuild_rules.facts.records import Facts
from selfbuild_rules.internal import memory as _gc
from selfbuild_rules.internal import signals as _signals
from selfbuild_rules.internal.placed import write_at
from selfbuild_rules.law.periods import DateRange

__all__ = [
    "PartRefused",
    "Take",
    "WorkerError",
    "parts_by_entry",
    "pickled",
    "unpickled",
    "write_at",
    "written_by_entry",
]

#: Turns one provision's results for some members into a short note (counts, say) and
#: the part itself (a module-level function, so that a spawned worker can be given it).
#: Notes must be of one fixed size, so that a run of them can be read one after another.
Pack = Callable[["list[Result] | Uniform"], tuple[bytes, bytes]]
#: Where the parts of one provision go, from their lengths: (offset, bytes before) each.
Place = Callable[[list[int]], list[tuple[int, bytes]]]
#: How a worker takes its own part of the facts when the evaluation it inherits holds
#: only the team's (see :mod:`selfbuild_rules.facts.parts`): from that evaluation, its
#: bounds among the members, its number and how many workers there are, the evaluation
#: of its members with their own facts, or ``None`` if the facts are not to be had that
#: way. Either then makes the evaluation stop with :class:`PartRefused`.
Take = Callable[[Evaluation, tuple[int, int], int, int], "Evaluation | None"]

_LENGTH = struct.Struct("<Q")
_WRITTEN = b"\x00written\x00"  # what a writing worker sends once all its parts are written
_FAILED = b"\x00failed\x00"  # what a worker sends instead of a part when it fails
_REFUSED = b"\x00refused\x00"  # ... when its part of the facts is not to be had
#: How long a worker that has sent everything is given to end before it is killed.
_ENDING = 10.0


def _plain_pickling() -> None:
    """Pickle results as ``cls(*field values)`` rather than through attrs'
    ``__getstate__``, which runs Python code per object (twice as slow both ways)."""
    kinds = (Result, Explanation, Citation, Requirement, Interpretation, ModuleWarning)
    for cls in (*kinds, StillNeeded, Due):
        copyreg.pickle(cls, _reducer(cls))
    copyreg.pickle(DateRange, _reducer(DateRange))


def _reducer(cls: type) -> Any:
    values = operator.attrgetter(*(f.name for f in attrs.fields(cls)))
    return lambda record: (cls, values(record))


def pickled(made: list[Result] | Uniform) -> tuple[bytes, bytes]:
    """Results packed for :func:`unpickled`, in this process or another (no note)."""
    results = made.results() if isinstance(made, Uniform) else made
    return b"", pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)


def unpickled(part: tuple[bytes, bytes]) -> list[Result]:
    """The results :func:`pickled` packed."""
    found: list[Result] = pickle.loads(part[1])
    return found


_HOLD = 1 << 23  # bytes of two parts a worker holds before it waits to write the first


def _serve(
    pipe: Connection,
    bounds: tuple[int, int],
    pack: Pack,
    shared: Evaluation | None,
    sent: tuple[Facts, Setup] | None,
    written: tuple[int, bytes] | None,
    parent: int,
    inherited: Sequence[Connection],
    take: tuple[Take, int, int] | None = None,
) -> None:
    """A worker: each member provision's results for the members in ``bounds``, in order,
    a batch at a time; sent through ``pipe``, or written into a file where this process
    says (``written``: the file's descriptor, and what goes between two batches).

    ``parent`` is the process that started this one, ``inherited`` the ends of pipes
    this one got from it by forking, closed here; ``take``: how this worker (number,
    of how many) takes its members' own facts, when it inherits only the team's."""
    try:
        _processes.detach(parent, inherited)
        _gc.pause()
        _plain_pickling()
        if shared is None:
            assert sent is not None
            shared = sent[1].prepare(sent[0])
        if take is not None:
            shared = take[0](shared, bounds, take[1], take[2])
            if shared is None:
                raise PartRefused("a worker could not take its part of the facts")
        ctx = shared.ctx
        members, memo = shared.members[slice(*bounds)], Memo(shared.law)
        waiting: list[bytes] | None = None  # the part made before the last, not yet placed
        for entry in (e for e in shared.entries if e.binds_members):
            # All batches are packed before any is sent: sending blocks until this
            # process reads, which it does one worker after another.
            packed = []
            held = sum(map(len, waiting or ()))
            for made in made_in_batches(ctx, entry, members, memo):
                _processes.check_parent(parent)  # an orphan has no one to work for
                packed.append(pack(made))
                held += len(packed[-1][1])
                # The part made before is let go as soon as its place comes, and waited
                # for rather than held with this one past _HOLD bytes: two large parts at
                # once were a worker's peak (28 + 15 MB at a million records).
                if waiting is not None and written and (pipe.poll() or held > _HOLD):
                    _write_placed(pipe, written[0], waiting)
                    waiting = None
            if written is None:  # how many batches, then each
                pipe.send_bytes(_LENGTH.pack(len(packed)))
                for note, part in packed:
                    pipe.send_bytes(note)
                    pipe.send_bytes(part)
                continue
            pieces = _between([part for _, part in packed], written[1])
            notes = b"".join(note for note, _ in packed)
            pipe.send_bytes(notes + _LENGTH.pack(sum(map(len, pieces))))
            # Placed one provision late: by the time this part is made, the previous
            # one's place has mostly been known, so no worker waits for a slower one.
            if waiting is not None:
                _write_placed(pipe, written[0], waiting)
            waiting = pieces
            del pieces, packed  # held by ``waiting`` alone: let go when it is written
        if written is not None:
            if waiting is not None:
                _write_placed(pipe, written[0], waiting)
            pipe.send_bytes(_WRITTEN)
    except PartRefused:  # not a failure: the reading side evaluates the whole facts
        with contextlib.suppress(OSError):
            pipe.send_bytes(_REFUSED)
    except BaseException:  # reported by the reading side, which raises
        # Unless the reading side has gone (the parent ended): then quietly, no traceback.
        with contextlib.suppress(OSError):
            pipe.send_bytes(_FAILED + traceback.format_exc().encode())
    finally:
        pipe.close()


def _between(parts: list[bytes], separator: bytes) -> list[bytes]:
    """The non-empty ``parts`` with ``separator`` between each two.

    >>> _between([b"a", b"", b"b"], b",")
    [b'a', b',', b'b']
    """
    found: list[bytes] = []
    for part in filter(None, parts):
        found += [separator, part] if found else [part]
    return found


def _write_placed(pipe: Connection, fd: int, part: list[bytes]) -> None:
    """Write ``part`` where this process is told to (after the bytes it is told to put before)."""
    place = pipe.recv_bytes()
    offset, before = _LENGTH.unpack_from(place)[0], place[_LENGTH.size :]
    write_at(fd, [before, *part], offset)


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


def start_method() -> str:
    # fork shares memory for free; macOS and Windows spawn fresh processes instead.
    usable = multiprocessing.get_all_start_methods()
    return "fork" if sys.platform.startswith("linux") and "fork" in usable else "spawn"


@attrs.frozen
class _Worker:
    """One worker process and this process's end of its pipe."""

    process: BaseProcess
    pipe: Connection

    def receive(self) -> bytes:
        """What the worker sent next; :class:`WorkerError` if it failed, ended, or has
        been stopped for :data:`~.processes.STOPPED_LIMIT` seconds (:class:`~.processes.Watch`)."""
        try:
            part = self.pipe.recv_bytes()
        # OSError: it ended in the middle of a message (killed while sending one), which
        # is no more a problem with the input than ending between two.
        except (EOFError, OSError):
            self.process.join(1.0)  # it has closed its end: it is ending, if not gone
            how = _processes.how_it_ended(self.process.exitcode)
            if self.process.pid in _processes.STOPPED_KILLED:
                limit = _processes.STOPPED_LIMIT
                how = f"stopped (SIGSTOP) for {limit:g} s, so ended"
            message = f"an evaluation worker process ended without its results ({how})"
            raise WorkerError(message) from None
        if part == _REFUSED:
            raise PartRefused("a worker could not take its part of the facts")
        if part.startswith(_FAILED):
            detail = part[len(_FAILED) :].decode("utf-8", "replace")
            last = detail.rstrip().rpartition("\n")[2]  # the exception, as Python shows it
            message = f"an evaluation worker process failed: {last}"
            raise WorkerError(message) from _processes.WorkerTraceback(detail)
        return part

    def send(self, data: bytes) -> None:
        """Send to the worker; if it has ended, :class:`WorkerError` saying why."""
        try:
            self.pipe.send_bytes(data)
        except OSError:  # the worker has ended: what it sent last says why
            self.receive()
            raise WorkerError("an evaluation worker process stopped reading") from None


def _end(workers: list[_Worker], wait: float) -> None:
    """End the workers: each given ``wait`` seconds to end by itself, then killed."""
    for worker in workers:
        if wait:
            worker.process.join(wait)
        if worker.process.is_alive():
            worker.process.kill()


@contextlib.contextmanager
def _workers(
    run: Evaluation,
    pack: Pack,
    written: tuple[int, bytes] | None,
    method: str | None,
    take: Take | None = None,
) -> Iterator[list[_Worker]]:
    """Worker processes for ``jobs`` parts of the members, each with its pipe, in order.

    When the block ends normally, the workers (which have sent everything) are given
    a while to end; when it raises (a worker failed, a signal, this process stopped
    reading), they are killed at once.
    """
    members, jobs = run.members, run.setup.options.jobs
    name = method or start_method()
    shared = run if name == "fork" else None  # inherited, never pickled
    sent = None if name == "fork" else (run.ctx.facts, run.setup)  # pickled once per worker
    start = multiprocessing.get_context(name)
    workers: list[_Worker] = []
    try:
        parts = _bounds(len(members), max(1, min(jobs, len(members))))
        for number, bounds in enumerate(parts):
            here, there = start.Pipe(duplex=written is not None)
            # A forked worker inherits this process's end of its own pipe and of every
            # earlier one: it closes them. (A spawned one inherits only what it is sent.)
            inherited = [*(w.pipe for w in workers), here] if name == "fork" else []
            taking = None if take is None else (take, number, len(parts))
            process = start.Process(  # type: ignore[attr-defined]
                target=_serve,
                args=(there, bounds, pack, shared, sent, written, os.getpid(), inherited, taking),
                daemon=True,
            )
            with _signals.held():  # started and recorded, or neither
                process.start()
                workers.append(_Worker(process, here))
            there.close()  # the worker holds it: reading ends when the worker does
        watch = _processes.Watch([w.process for w in workers])
        watch.start()
        try:
            yield workers
        finally:
            watch.done.set()
        _end(workers, _ENDING)
    except BaseException:
        _end(workers, 0)
        raise
    finally:
        for worker in workers:
            worker.process.join()
            worker.pipe.close()


def parts_by_entry(
    run: Evaluation,
    pack: Pack,
    method: str | None = None,
) -> Iterator[list[tuple[bytes, bytes]]]:
    """For each entry in order, its results packed in parts (note, part), one for the
    team or one per batch of members in member order; the members' made in ``jobs``
    worker processes as they are read.

    ``method`` forces a start method (``"fork"`` or ``"spawn"``), for tests.
    """
    ctx = run.ctx
    with _workers(run, pack, None, method) as workers:
        memo = Memo(run.law)
        for entry in run.entries:
            if entry.binds_members:
                yield [
                    (worker.receive(), worker.receive())
                    for worker in workers
                    for _ in range(_LENGTH.unpack(worker.receive())[0])
                ]
            else:
                yield [pack(entry_made(ctx, entry, run.members, memo))]


def written_by_entry(
    run: Evaluation,
    pack: Pack,
    written: tuple[int, bytes],
    place: Place,
    take: Take | None = None,
) -> Iterator[list[bytes]]:
    """As :func:`parts_by_entry`, but each part is written into the file whose
    descriptor is ``written[0]``, where ``place`` puts it, by the worker that made it:
    only the notes are read here. A worker's part of a provision is its batches' parts,
    ``written[1]`` between each two; its note, their notes one after the other.

    Workers are forked (they share the file); when this ends, every part is written.
    With ``take``, each worker takes its members' own facts itself (see :data:`Take`).
    """
    fd, ctx = written[0], run.ctx
    with _workers(run, pack, written, "fork", take) as workers:
        memo = Memo(run.law)
        for entry in run.entries:
            if not entry.binds_members:
                note, part = pack(entry_made(ctx, entry, run.members, memo))
                ((offset, before),) = place([len(part)])
                write_at(fd, [before, part], offset)
                yield [note]
                continue
            receipts = [worker.receive() for worker in workers]
            lengths = [_LENGTH.unpack_from(r, len(r) - _LENGTH.size)[0] for r in receipts]
            for worker, (offset, before) in zip(workers, place(lengths), strict=True):
                worker.send(_LENGTH.pack(offset) + before)
            yield [r[: -_LENGTH.size] for r in receipts]
        for worker in workers:
            if worker.receive() != _WRITTEN:
                raise WorkerError("an evaluation worker process sent more than was asked")
