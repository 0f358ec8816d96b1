"""Faults, as they happen to a real ``selfbuild-rules`` process: killed parents, stopped
workers, signals, closed pipes, failing rules, odd ``-o`` targets, too many ``--jobs``.

Every process started here is waited for with a bound and, whatever happens, killed
by its id when the test ends. The processes are found through ``/proc`` (Linux).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest

import selfbuild_rules as sr
from selfbuild_rules.engine import parallel as _parallel
from selfbuild_rules.engine.parallel import pickled
from selfbuild_rules.engine.setup import Options, Setup
from selfbuild_rules.tianjin2018 import BASE
from test_parallel import AS_OF, team

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
EVALUATE = ("evaluate", "--period", "2018", "--as-of", "2019-03-01")
#: Generous bounds for a shared, slow machine: what is asserted is that things end.
START, END = 60.0, 10.0

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="finds processes through /proc"
)


def environment(*path: Path) -> dict[str, str]:
    """This tree's code (and ``path``) in the subprocess, whatever the caller's path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(map(str, [*path, SRC]))
    return env


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "selfbuild_rules.cli", *args]


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Facts of 3,000 members: a couple of seconds to evaluate, so there is time to
    find the workers (and the runs below stop before they finish, or cannot finish)."""
    path = tmp_path_factory.mktemp("big") / "big.json"
    generate = [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--members", "3000"]
    subprocess.run([*generate, "-o", str(path)], check=True, capture_output=True, timeout=120)
    return path


# --- processes, through /proc ------------------------------------------------------------------


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

    def wait(self) -> int:
        return self.popen.wait(timeout=START)

    def stderr(self) -> str:
        assert self.popen.stderr is not None
        return self.popen.stderr.read().decode("utf-8", "replace")


@pytest.fixture
def runs() -> Iterator[Callable[..., Run]]:
    """Start runs; each one, and every worker found for it, is killed at the end."""
    started: list[Run] = []

    def start(*args: str, path: tuple[Path, ...] = (), **how: object) -> Run:
        how = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, **how}
        popen = subprocess.Popen(command(*args), env=environment(*path), **how)  # type: ignore[call-overload]
        started.append(Run(popen))
        return started[-1]

    yield start
    for run in started:
        if run.popen.poll() is None:
            run.popen.kill()
        run.popen.wait(timeout=START)
        for worker in run.found:
            worker.kill()
        for stream in (run.popen.stdout, run.popen.stderr):
            if stream is not None:
                stream.close()


# --- 1. workers never outlive the parent ------------------------------------------------------


@pytest.mark.parametrize("worker_stopped", [False, True], ids=["running", "worker-stopped"])
def test_workers_end_when_the_parent_is_killed(
    big: Path, tmp_path: Path, runs: Callable[..., Run], worker_stopped: bool
) -> None:
    run = runs(*EVALUATE, str(big), "--jobs", "2", "-o", str(tmp_path / "out.json"))
    workers = run.workers(2)
    run.signal(signal.SIGSTOP)  # the run cannot finish now: its workers wait for it
    if worker_stopped:  # a stopped orphan ignores every signal but SIGKILL
        os.kill(workers[0].pid, signal.SIGSTOP)
        assert until(workers[0].stopped, END)
    assert all(w.alive() for w in workers)
    run.signal(signal.SIGKILL)
    assert run.wait() == -signal.SIGKILL
    assert until(lambda: not any(w.alive() for w in workers), END), "orphaned workers run on"


def test_a_forked_worker_holds_no_end_of_this_process(tmp_path: Path) -> None:
    # Sockets (the pipes of workers that write) have one inode per end: a worker must
    # hold none of this process's ends, its own or another worker's, or it would never
    # see an end of file once this process had gone.
    run = Setup(BASE, Options.of("2019", AS_OF, jobs=2)).prepare(sr.load_facts(team()))
    with (tmp_path / "out").open("wb") as out:
        written = (out.fileno(), b",")
        with pytest.raises(LookupError), _parallel._workers(run, pickled, written, "fork") as ws:
            ours = {os.fstat(w.pipe.fileno()).st_ino for w in ws}
            procs = [Proc.of(w.process.pid) for w in ws]

            def held() -> set[int]:
                return {i for p in procs if p is not None for i in socket_inodes(p.pid)}

            assert len(ours) == 2 and until(lambda: not held() & ours, END), held() & ours
            raise LookupError("stop: the workers are killed at once")
    assert not any(p is not None and p.alive() for p in procs)


def socket_inodes(pid: int) -> set[int]:
    found = set()
    for link in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(link)
            if target.startswith("socket:["):
                found.add(int(target[8:-1]))
    return found
