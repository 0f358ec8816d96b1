"""The audit log: JSON Lines, append-only, written to disk in batches.

Each line says who asked what and how it went: time, token name, client address,
endpoint, status, period, ``as_of``, modules, the SHA-256 of the request body, the
count of results per status and the duration. Never a member's name nor any content
of the facts: the body's digest lets an auditor match a request to a file without the
log holding the file. Lines are fsync'd at most every second (or every
:data:`BATCH` lines, whichever comes first) and when the service stops, so a busy
service does not wait on the disk for every request.

With ``--processes N`` every process appends to the same file. A batch is written
holding an exclusive ``flock`` on it: appending (``O_APPEND``) puts each ``write``
at the end, but only the lock keeps a batch whole when the kernel writes it in parts
(POSIX promises whole writes for pipes up to ``PIPE_BUF``, nothing for files), and
it holds on filesystems that are not local too. Each process's lines keep their
order; lines of different processes interleave batch by batch, each with its time.

>>> import json, pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "audit.jsonl"
>>> log = AuditLog.open(str(path))
>>> log.write({"endpoint": "GET /v1/health", "status": 200})
>>> log.close()
>>> json.loads(path.read_text())["status"]
200
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Mapping
from typing import IO

import attrs
import msgspec

__all__ = ["BATCH", "AuditLog"]

#: Lines written before an fsync even within the second.
BATCH = 256
_EVERY = 1.0  # seconds between two fsyncs at most


@attrs.define
class AuditLog:
    """An open audit log; :meth:`write` is cheap (a buffer), a thread writes and syncs."""

    path: str
    file: IO[bytes]
    pending: list[bytes] = attrs.field(factory=list)
    lock: threading.Lock = attrs.field(factory=threading.Lock)
    wake: threading.Event = attrs.field(factory=threading.Event)
    closed: bool = False
    thread: threading.Thread | None = None

    @classmethod
    def open(cls, path: str) -> AuditLog:
        """Open ``path`` to append (created if missing), and start its writer."""
        log = cls(path, open(path, "ab", buffering=0))  # noqa: SIM115 - closed by close()
        log.thread = threading.Thread(target=log._run, name="audit-log", daemon=True)
        log.thread.start()
        return log

    def write(self, record: Mapping[str, object]) -> None:
        """Add one line (written within a second)."""
        line = msgspec.json.encode(record) + b"\n"
        with self.lock:
            self.pending.append(line)
            if len(self.pending) >= BATCH:
                self.wake.set()

    def _flush(self) -> None:
        with self.lock:
            lines, self.pending = self.pending, []
        if not lines:
            return
        data, done = memoryview(b"".join(lines)), 0
        fcntl.flock(self.file.fileno(), fcntl.LOCK_EX)  # other processes' batches wait
        try:
            while done < len(data):
                done += self.file.write(data[done:]) or 0
            os.fsync(self.file.fileno())
        finally:
            fcntl.flock(self.file.fileno(), fcntl.LOCK_UN)

    def _run(self) -> None:
        while not self.closed:
            self.wake.wait(_EVERY)
            self.wake.clear()
            self._flush()

    def close(self) -> None:
        """Write and sync what is left, then close (on shutdown)."""
        self.closed = True
        self.wake.set()
        if self.thread is not None:
            self.thread.join()
        self._flush()
        self.file.close()
