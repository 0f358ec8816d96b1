"""How evaluation worker processes begin and end: never outliving this process.

A worker must end soon after this process does, however this process ends (an
exception, a signal, SIGKILL, the OOM killer), and must never hold this process up.
So a worker

- closes this process's ends of the pipes it inherited by forking (its own pipe and
  every earlier worker's): once this process has gone, reading gives an end of file
  and writing fails, at once;
- on Linux, asks the kernel to SIGKILL it when this process ends (``PR_SET_PDEATHSIG``),
  which ends it even while it is stopped or busy;
- checks between batches that its parent is still the process that started it;
- ignores SIGINT and SIGHUP, which a terminal sends to every process of the job: this
  process decides what they mean and ends the workers itself.

And this process holds those signals while it starts a worker
(:func:`selfbuild_rules.internal.signals.held`), so that no worker is started without
being recorded to be ended.

>>> isinstance(WorkerError("a worker failed"), RuntimeError)
True
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from selfbuild_rules.internal import signals as _signals

__all__ = [
    "STOPPED_KILLED",
    "STOPPED_LIMIT",
    "Orphaned",
    "Watch",
    "WorkerError",
    "WorkerTraceback",
    "check_parent",
    "detach",
    "die_with_parent",
    "how_it_ended",
]

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class WorkerError(RuntimeError):
    """An evaluation worker process failed, or ended without sending its results.

    The worker's own traceback, when it sent one, is the exception's ``__cause__``.
    A ``RuntimeError``, so that code written before it existed still catches it:

    >>> import selfbuild_rules as sr
    >>> issubclass(sr.WorkerError, RuntimeError)
    True
    """


class Orphaned(Exception):
    """Raised in a worker whose parent has ended: there is no one left to send to."""


class WorkerTraceback(Exception):
    """A failed worker's traceback, shown as the cause of its :class:`WorkerError`."""

    def __str__(self) -> str:
        return f'\n"""\n{self.args[0]}"""'


def die_with_parent() -> None:
    """On Linux, have the kernel SIGKILL this process when its parent ends (a stopped
    process too: SIGKILL needs no cooperation). Elsewhere, or without a C library that
    has ``prctl``, nothing: the closed pipes and :func:`detach`'s check still end it."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # only here: a worker on Linux

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass


def detach(parent: int, inherited: Iterable[Connection]) -> None:
    """Make this worker end with ``parent``, the process that started it: first thing
    in a worker. ``inherited``: this process's copies of the parent's ends of pipes.

    Raises :class:`Orphaned` if the parent has already ended.
    """
    for name in ("SIGINT", "SIGHUP"):  # sent to the whole job; the parent ends us
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, if forked
    _signals.let_in()  # held while it was started
    for end in inherited:
        end.close()
    die_with_parent()
    check_parent(parent)  # it may have ended before the kernel was asked to tell us


def check_parent(parent: int) -> None:
    """Raise :class:`Orphaned` if this process's parent is no longer ``parent``
    (an orphan is adopted by another process)."""
    if os.getppid() != parent:
        raise Orphaned(f"the parent process {parent} has ended")


def how_it_ended(exitcode: int | None) -> str:
    """Words for a worker's exit code, for a message.

    >>> how_it_ended(-9)
    'killed by SIGKILL (out of memory?)'
    >>> how_it_ended(1), how_it_ended(None)
    ('exit status 1', 'still running')
    """
    if exitcode is None:
        return "still running"
    if exitcode >= 0:
        return f"exit status {exitcode}"
    try:
        name = signal.Signals(-exitcode).name
    except ValueError:
        name = f"signal {-exitcode}"
    return f"killed by {name}" + (" (out of memory?)" if name == "SIGKILL" else "")


#: How long a worker may stay stopped (SIGSTOP) while this process waits for it before
#: the run ends with a :class:`WorkerError`: a stop of the whole job (Ctrl-Z) stops this
#: process too, so it never counts; only a worker stopped on its own does.
STOPPED_LIMIT = 60.0


def stopped(pid: int) -> bool:
    """Whether process ``pid`` is stopped by a signal (Linux ``/proc``; elsewhere never
    known, so ``False``). A process stopped by a debugger (``t``) is not counted.

    >>> stopped(os.getpid())
    False
    """
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rpartition(b")")[2].split()
    except OSError:
        return False
    return bool(fields) and fields[0] == b"T"


#: Seconds between two looks at the workers' states.
_POLL = 0.5
#: Workers the watch ended for being stopped, by process id (for the message).
STOPPED_KILLED: set[int] = set()


class Watch(threading.Thread):
    """Ends a worker stopped on its own (SIGSTOP) for :data:`STOPPED_LIMIT`
    seconds, so that this process, waiting for it, is never kept waiting forever. (A
    stop of the whole job, Ctrl-Z, stops this process and its watch too, so job control
    goes on working.) A thread, since reading a worker's pipe cannot be interrupted."""

    def __init__(self, workers: Sequence[BaseProcess]) -> None:
        super().__init__(name="selfbuild-worker-watch", daemon=True)
        self.workers, self.done = workers, threading.Event()

    def run(self) -> None:
        since: dict[int, float] = {}
        while not self.done.wait(_POLL):
            for worker in self.workers:
                pid = worker.pid
                if pid is None or not stopped(pid):
                    since.pop(pid or 0, None)
                    continue
                first = since.setdefault(pid, time.monotonic())
                if time.monotonic() - first >= STOPPED_LIMIT:
                    STOPPED_KILLED.add(pid)
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)
