"""How the command line ends when something goes wrong: one line on stderr, and an exit
status that means one thing (:data:`EXIT_STATUSES`, shown by ``--help``).

Signals that end a run (SIGINT, SIGTERM, SIGHUP) are raised as :class:`Signalled` in
this process, so that what is being written is cleaned up on the way out (a report's
temporary file, the worker processes) before the run ends with 128 + the signal's
number, as a shell reports a process a signal ended.

>>> print(exit_table().splitlines()[1])
  0    done (evaluate: whatever the statuses of the results)
>>> one_line(ValueError("two\\n  lines"))
'ValueError: two lines'
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from types import FrameType

from selfbuild_rules.facts.loading import Problem
from selfbuild_rules.internal import signals
from selfbuild_rules.internal.i18n import N_, _, translated
from selfbuild_rules.internal.text import printable

__all__ = [
    "BROKEN_PIPE",
    "DONE",
    "EXIT_STATUSES",
    "FAILED_ON",
    "INTERNAL",
    "USAGE",
    "Signalled",
    "broken_pipe",
    "error",
    "exit_table",
    "internal_error",
    "interrupted",
    "one_line",
    "problem_line",
    "say",
    "signals_raised",
]

DONE, FAILED_ON, USAGE, INTERNAL = 0, 1, 2, 3
#: 128 + SIGPIPE: what a shell reports for a program a closed pipe ended.
BROKEN_PIPE = 141

#: Each exit status and what it means: the table ``--help`` ends with.
EXIT_STATUSES: tuple[tuple[int, str], ...] = (
    (DONE, N_("done (evaluate: whatever the statuses of the results)")),
    (FAILED_ON, N_("evaluate --fail-on: a result has one of the statuses named")),
    (USAGE, N_('bad input or usage: one "error:" line per problem')),
    (INTERNAL, N_('internal error, or a worker process failed: one "error:" line')),
    (129, N_("hung up (SIGHUP)")),
    (130, N_("interrupted (SIGINT, Ctrl-C)")),
    (BROKEN_PIPE, N_("standard output was closed early (piped into head, say)")),
    (143, N_("terminated (SIGTERM)")),
)

_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))
_SAID = {"SIGINT": N_("interrupted"), "SIGTERM": N_("terminated"), "SIGHUP": N_("hung up")}


def exit_table() -> str:
    """The exit statuses as ``--help`` shows them, after the options (in the current
    language: the meanings, not the numbers)."""
    rows = [f"  {status:<5}{_(meaning)}" for status, meaning in EXIT_STATUSES]
    notes = _(
        "An error is one line on stderr, never a traceback (--debug adds the traceback\n"
        "of an internal error). With -o the report is written whole or not at all."
    )
    return "\n".join([_("exit status:"), *rows, "", notes])


class Signalled(BaseException):
    """A signal that ends the run, raised where this process was when it came.

    A ``BaseException``, as ``KeyboardInterrupt`` is: no ``except Exception`` on the
    way out swallows it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def status(self) -> int:
        """The exit status: 128 + the signal's number (130 for SIGINT)."""
        return 128 + self.signum


@contextlib.contextmanager
def signals_raised() -> Iterator[None]:
    """Inside the block, the first SIGINT, SIGTERM or SIGHUP raises :class:`Signalled`;
    a later one is ignored, so that it cannot cut short the cleanup the first began.

    The handlers before are restored after. A signal ignored on entry (``nohup``) stays
    ignored; outside the main thread (where Python cannot take signals) nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    mine, raised = os.getpid(), False

    def handler(signum: int, _frame: FrameType | None) -> None:
        nonlocal raised
        if os.getpid() != mine:  # a forked worker before it set its own: as by default
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        if signals.holding():  # something is being made that must be recorded first
            signals.defer(signum)
            return
        if not raised:
            raised = True
            raise Signalled(signum)

    before = {s: signal.getsignal(s) for s in _SIGNALS}
    taken = [s for s, was in before.items() if was != signal.SIG_IGN]
    for number in taken:
        signal.signal(number, handler)
    try:
        yield
    finally:
        for number in taken:
            was = before[number]
            signal.signal(number, signal.SIG_DFL if was is None else was)


def say(line: str) -> None:
    """Print one line on stderr, if stderr is still there (a hung-up terminal is not)."""
    with contextlib.suppress(OSError, ValueError):
        print(line, file=sys.stderr, flush=True)


def error(message: str) -> None:
    """Print ``error: message`` on stderr (in the current language), made printable."""
    say(printable(_("error: {message}").format(message=message)))


def problem_line(problem: Problem) -> str:
    """A facts problem as a person reads it, in the current language; the path (the
    record and field) and the values in the message are kept as written.

    >>> problem_line(Problem("research_trips[3].end", "2018-02-30 is not a date", line=12))
    'line 12: research_trips[3].end: 2018-02-30 is not a date'
    """
    text = translated(problem.message)
    text = f"{problem.path}: {text}" if problem.path else text
    if problem.line is not None:
        text = _("line {line}: {text}").format(line=problem.line, text=text)
    return printable(text)


def one_line(exc: BaseException) -> str:
    """``Type: message``, the message's lines joined into one."""
    text = " ".join(part.strip() for part in str(exc).splitlines() if part.strip())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def interrupted(exc: Signalled) -> int:
    """Say which signal ended the run; its exit status."""
    said = _SAID.get(exc.name, N_("stopped"))  # marked outside the f-string: extraction
    error(f"{_(said)} ({exc.name})")  # reads no call inside one
    return exc.status


def internal_error(exc: BaseException, debug: bool) -> int:
    """Say what went wrong in one line (after the traceback, with ``debug``); status 3."""
    if not debug:
        told = _("internal error: {exception} (run with --debug for the traceback)")
        error(told.format(exception=one_line(exc)))
        return INTERNAL
    with contextlib.suppress(OSError, ValueError):
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    error(_("internal error: {exception}").format(exception=one_line(exc)))
    return INTERNAL


def broken_pipe() -> int:
    """Whoever read standard output has stopped: end quietly, status 141.

    Standard output is pointed at ``os.devnull``, so that flushing it at exit does not
    fail again (and print a traceback after all).
    """
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return BROKEN_PIPE
