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

__all__ = ["ENDING", "held", "let_in"]

#: The signals that end a run (those this platform has).
ENDING = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """The :data:`ENDING` signals wait (blocked) inside the block, then arrive.

    A process forked inside the block starts with them blocked too (and a program it
    runs keeps them blocked): it lets them in itself, with :func:`let_in`.
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no fork, no such signals
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, ENDING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def let_in() -> None:
    """Unblock the :data:`ENDING` signals (in a process started while they were held)."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, ENDING)
