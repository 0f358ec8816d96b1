"""Writing buffers at a place in a file, whole, from any process: how worker processes
put their parts of one report into one file without passing the bytes around.

>>> import tempfile
>>> with tempfile.TemporaryFile() as out:
...     write_at(out.fileno(), [b"world", b"!"], 6)
...     write_at(out.fileno(), [b"hello "], 0)
...     _ = out.seek(0)
...     out.read()
b'hello world!'
"""

from __future__ import annotations

import collections
import itertools
import os

__all__ = ["write_at"]


def _iov_max() -> int:
    """How many buffers one ``pwritev`` may take (POSIX promises at least 16)."""
    try:
        found = os.sysconf("SC_IOV_MAX")
    except (AttributeError, ValueError, OSError):  # no sysconf, or no such name here
        return 16
    return min(found, 1024) if found > 0 else 16


_IOV_MAX = _iov_max()


def write_at(fd: int, buffers: list[bytes], offset: int) -> None:
    """Write ``buffers`` one after the other into file ``fd`` from ``offset``, whole:
    ``pwritev`` takes a bounded number of buffers and may write less than asked."""
    pending = collections.deque(memoryview(b) for b in buffers if b)
    while pending:
        done = os.pwritev(fd, list(itertools.islice(pending, _IOV_MAX)), offset)
        offset += done
        while pending and done >= len(pending[0]):
            done -= len(pending.popleft())
        if done:
            pending[0] = pending[0][done:]
