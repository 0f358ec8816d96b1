"""Real processes for the fault tests: started with this tree's code, found and watched
through ``/proc`` (Linux), by id and start time, so that a reused id is never taken
for a process that has ended."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import attrs

SRC = Path(__file__).resolve().parent.parent / "src"
#: Generous bounds for a shared, slow machine: what is asserted is that things end.
START, END = 60.0, 10.0


def environment(*path: Path) -> dict[str, str]:
    """This tree's code (and ``path``) in the subprocess, whatever the caller's path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(map(str, [*path, SRC]))
    return env


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "selfbuild_rules.cli", *args]


def _stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/PID/stat`` after the command name, or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return text[text.rindex(")") + 2 :].split()


@attrs.frozen
class Proc:
    """A process, known by its id and its start time (so a reused id is not it)."""

    pid: int
    started: str

    @classmethod
    def of(cls, pid: int) -> Proc | None:
        fields = _stat(pid)
        return None if fields is None else cls(pid, fields[19])

    def alive(self) -> bool:
        """Running or stopped; a zombie (dead, not yet reaped) is not alive."""
        fields = _stat(self.pid)
        return fields is not None and fields[19] == self.started and fields[0] not in "ZXx"

    def stopped(self) -> bool:
        fields = _stat(self.pid)
        return fields is not None and fields[0] in "Tt"

    def kill(self) -> None:
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)


def children(pid: int) -> list[Proc]:
    found = []
    for entry in Path("/proc").iterdir():
        fields = _stat(int(entry.name)) if entry.name.isdigit() else None
        if fields is not None and fields[1] == str(pid) and fields[0] not in "ZXx":
            proc = Proc.of(int(entry.name))
            found += [proc] if proc else []
    return sorted(found, key=lambda p: p.pid)


def until(condition: Callable[[], bool], seconds: float) -> bool:
    """Whether ``condition`` holds within ``seconds`` (polled): a bound, not a timing."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@attrs.define
class Run:
    """A ``selfbuild-rules`` process started by a test, and the workers found for it."""

    popen: subprocess.Popen[bytes]
    found: list[Proc] = attrs.field(factory=list)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def workers(self, count: int) -> list[Proc]:
        """Its ``count`` worker processes, once they have all started."""
        assert until(
            lambda: len(children(self.pid)) >= count or self.popen.poll() is not None, START
        )
        found = children(self.pid)
        assert len(found) == count, f"the run ended before its workers were seen: {found}"
        self.found += found
        return found

    def signal(self, number: int) -> None:
        os.kill(self.pid, number)

    def stop(self) -> bool:
        """Stop it (SIGSTOP takes effect when it is next scheduled): whether it is
        stopped now, rather than ended."""
        self.signal(signal.SIGSTOP)
        proc = Proc.of(self.pid)
        return proc is not None and until(proc.stopped, END) and self.popen.poll() is None

    def wait(self) -> int:
        return self.popen.wait(timeout=START)

    def stderr(self) -> str:
        assert self.popen.stderr is not None
        return self.popen.stderr.read().decode("utf-8", "replace")


def socket_inodes(pid: int) -> set[int]:
    found = set()
    for link in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(link)
            if target.startswith("socket:["):
                found.add(int(target[8:-1]))
    return found
