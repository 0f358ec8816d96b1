"""The signals that end a run, and holding them off while something must happen whole.

SIGINT, SIGTERM and SIGHUP are what a terminal, a supervisor or a user sends to end a
run. Between creating something (a worker process, a temporary file) and recording it
to be cleaned up, a signal must wait, or the thing would be left behind: :func:`held`
blocks them for that moment, and they arrive as soon as it is over.

>>> import signal
>>> with held():
...     signal.SIGTERM in signal.pthread_sigmask(signal.SIG_BLOCK, [])
True
>>> signal.SIGTERM in signal.pthread_sigmask(signal.SIG_BLOCK, [])
False
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

__all__ = ["ENDING", "defer", "held", "holding", "let_in"]

#: The signals that end a run (those this platform has).
ENDING = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


#: How deep inside :func:`held` this process is, and the signals that came meanwhile.
_depth = 0
_pending: list[int] = []


def holding() -> bool:
    """Whether a signal that arrives now must wait (see :func:`defer`)."""
    return _depth > 0


def defer(signum: int) -> None:
    """Note a signal a handler received while :func:`holding`: it is raised again when
    the outermost :func:`held` block ends."""
    _pending.append(signum)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """The :data:`ENDING` signals wait inside the block, then arrive.

    They are blocked for this thread, and a handler that receives one anyway (another
    thread took it, since a signal sent to a process goes to any thread not blocking
    it) defers it with :func:`defer`. A process forked inside the block starts with them
    blocked too (and a program it runs keeps them blocked): it lets them in itself,
    with :func:`let_in`.
    """
    global _depth
    masking = hasattr(signal, "pthread_sigmask")  # not on Windows: no fork, no such signals
    before = signal.pthread_sigmask(signal.SIG_BLOCK, ENDING) if masking else None
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if before is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)
        if _depth == 0 and _pending:
            signum = _pending[0]
            _pending.clear()
            signal.raise_signal(signum)


def let_in() -> None:
    """Unblock the :data:`ENDING` signals (in a process started while they were held)."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, ENDING)
