"""Faults, as they happen to a real ``selfbuild-rules`` process: killed parents, stopped
workers, signals, closed pipes, failing rules, odd ``-o`` targets, too many ``--jobs``.

Every process started here is waited for with a bound and, whatever happens, killed
by its id when the test ends. The processes are found through ``/proc`` (Linux).
"""

from __future__ import annotations

import json
import os
import pty
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import selfbuild_rules as sr
from conftest import fake_distribution
from processes import (
    END,
    START,
    Proc,
    Run,
    children,
    command,
    environment,
    socket_inodes,
    until,
)
from selfbuild_rules.cli import faults
from selfbuild_rules.cli.output import write_atomically
from selfbuild_rules.engine import parallel as _parallel
from selfbuild_rules.engine.parallel import pickled
from selfbuild_rules.engine.setup import Options, Setup
from selfbuild_rules.tianjin2018 import BASE
from test_parallel import AS_OF, team

ROOT = Path(__file__).resolve().parent.parent
EVALUATE = ("evaluate", "--period", "2018", "--as-of", "2019-03-01")

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="finds processes through /proc"
)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Facts of 3,000 members: a couple of seconds to evaluate, so there is time to
    find the workers (and the runs below stop before they finish, or cannot finish)."""
    path = tmp_path_factory.mktemp("big") / "big.json"
    generate = [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--members", "3000"]
    subprocess.run([*generate, "-o", str(path)], check=True, capture_output=True, timeout=120)
    return path


@pytest.fixture
def runs() -> Iterator[Callable[..., Run]]:
    """Start runs; each one, and every worker found for it, is killed at the end."""
    started: list[Run] = []

    def start(*args: str, **how: object) -> Run:
        how = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "env": environment(), **how}
        popen = subprocess.Popen(command(*args), **how)  # type: ignore[call-overload]
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
    assert run.stop()  # the run cannot finish now: its workers wait for it
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


def test_a_killed_worker_is_told_with_how_it_ended(tmp_path: Path) -> None:
    # The OOM killer sends SIGKILL: the error says so, and the other worker is ended.
    run = Setup(BASE, Options.of("2019", AS_OF, jobs=2)).prepare(sr.load_facts(team()))
    told = r"ended without its results \(killed by SIGKILL \(out of memory\?\)\)"
    with (tmp_path / "out").open("wb") as out:
        written = (out.fileno(), b",")
        with (
            pytest.raises(sr.WorkerError, match=told),
            _parallel._workers(run, pickled, written, "fork") as ws,
        ):
            procs = [Proc.of(w.process.pid) for w in ws]
            os.kill(ws[0].process.pid, signal.SIGKILL)
            while True:  # what it sent before it was killed, then the end of the pipe
                ws[0].receive()
    assert not any(p is not None and p.alive() for p in procs)


def test_a_signal_as_a_worker_starts_still_ends_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from multiprocessing.process import BaseProcess

    started, before = BaseProcess.start, set(children(os.getpid()))

    def started_then_signalled(self: BaseProcess) -> None:
        started(self)
        os.kill(os.getpid(), signal.SIGTERM)  # as if it came the moment it was forked

    monkeypatch.setattr(BaseProcess, "start", started_then_signalled)
    run = Setup(BASE, Options.of("2019", AS_OF, jobs=2)).prepare(sr.load_facts(team()))
    with faults.signals_raised(), pytest.raises(faults.Signalled):
        list(_parallel.parts_by_entry(run, pickled, "fork"))
    assert set(children(os.getpid())) <= before  # recorded, so ended (older ones may end too)


# --- 2 and 6. exit statuses that mean one thing each -------------------------------------------


def test_the_exit_statuses_are_in_help_and_in_the_module_docstring() -> None:
    from selfbuild_rules.cli import main

    shown = subprocess.run(
        command("--help"), capture_output=True, text=True, env=environment(), timeout=START
    )
    assert shown.returncode == 0
    rows = [f"  {status:<5}{meaning}" for status, meaning in faults.EXIT_STATUSES]
    assert [s for s, _ in faults.EXIT_STATUSES] == [0, 1, 2, 3, 129, 130, 141, 143]
    for row in rows:
        assert row in shown.stdout
        assert row in (main.__doc__ or "")


@pytest.fixture
def failing(tmp_path: Path) -> tuple[Path, Path]:
    """An installed module whose member rule raises for m04, and facts naming m04."""
    modules = tmp_path / "modules"
    modules.mkdir()
    source = (
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT / 'tests')!r})\n"
        "from test_stream import failing_module\n"
        "MODULE = failing_module()\n"
    )
    fake_distribution(modules, "fail", source)
    facts = tmp_path / "team.json"
    facts.write_text(json.dumps(team(8), ensure_ascii=False), encoding="utf-8")
    return modules, facts


def evaluate_failing(
    failing: tuple[Path, Path], *args: str, before: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """``selfbuild-rules [before] evaluate FACTS ... [args] --module fail``."""
    modules, facts = failing
    argv = command(*before, "evaluate", str(facts), "--period", "2019", "--as-of", AS_OF)
    argv += [*args, "--module", "fail"]
    env = environment(modules)
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=START)


@pytest.mark.parametrize(
    ("jobs", "line"),
    [
        ("1", "ZeroDivisionError: the rule of m04 fails"),
        ("2", "WorkerError: an evaluation worker process failed: "
         "ZeroDivisionError: the rule of m04 fails"),
    ],
)  # fmt: skip
def test_an_internal_error_is_one_line_and_exit_3(
    failing: tuple[Path, Path], jobs: str, line: str
) -> None:
    done = evaluate_failing(failing, "--jobs", jobs)
    assert done.returncode == 3
    assert done.stderr == f"error: internal error: {line} (run with --debug for the traceback)\n"
    after = evaluate_failing(failing, "--jobs", jobs, "--debug")  # where one adds it
    before = evaluate_failing(failing, "--jobs", jobs, before=("--debug",))  # a global flag
    for shown in (after, before):
        assert shown.returncode == 3
        assert "Traceback (most recent call last):" in shown.stderr
        assert 'raise ZeroDivisionError("the rule of m04 fails")' in shown.stderr  # the worker's
        assert shown.stderr.endswith(f"\nerror: internal error: {line}\n")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_failed_evaluation_leaves_the_old_report(
    failing: tuple[Path, Path], tmp_path: Path, jobs: str
) -> None:
    target = tmp_path / "report.json"  # a JSON report is written as it is evaluated
    target.write_text("yesterday's report", encoding="utf-8")
    done = evaluate_failing(failing, "--jobs", jobs, "-o", str(target))
    assert done.returncode == 3 and done.stderr.count("\n") == 1, done.stderr
    assert target.read_text(encoding="utf-8") == "yesterday's report"
    assert not list(tmp_path.glob(".report.json.*"))


# --- 3. signals clean up; a closed stdout ends quietly ------------------------------------------


SIGNALLED = {
    signal.SIGTERM: "error: terminated (SIGTERM)\n",
    signal.SIGHUP: "error: hung up (SIGHUP)\n",
    signal.SIGINT: "error: interrupted (SIGINT)\n",
}


@pytest.mark.parametrize("number", list(SIGNALLED), ids=lambda n: signal.Signals(n).name)
def test_a_signal_removes_the_temporary_report_and_ends_the_workers(
    big: Path, tmp_path: Path, runs: Callable[..., Run], number: int
) -> None:
    target = tmp_path / "out.json"
    target.write_text("yesterday's report", encoding="utf-8")
    run = runs(*EVALUATE, str(big), "--jobs", "2", "-o", str(target))
    workers = run.workers(2)
    # A stopped worker holds the run up (it cannot finish now); the signal must still
    # end the run, and every worker.
    os.kill(workers[0].pid, signal.SIGSTOP)
    assert until(workers[0].stopped, END) and list(tmp_path.glob(".out.json.*"))
    run.signal(number)
    assert run.wait() == 128 + number
    assert run.stderr() == SIGNALLED[number]
    assert until(lambda: not any(w.alive() for w in workers), END)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
    assert target.read_text(encoding="utf-8") == "yesterday's report"


def test_a_signal_to_one_process_removes_its_temporary_report(
    big: Path, tmp_path: Path, runs: Callable[..., Run]
) -> None:
    target = tmp_path / "out.json"
    run = runs(*EVALUATE, str(big), "-o", str(target))
    assert until(
        lambda: bool(list(tmp_path.glob(".out.json.*"))) or run.popen.poll() is not None, START
    )
    assert run.stop(), "the run ended before it could be stopped"  # before the signal
    assert list(tmp_path.glob(".out.json.*"))
    run.signal(signal.SIGTERM)
    run.signal(signal.SIGCONT)
    assert run.wait() == 143
    assert run.stderr() == SIGNALLED[signal.SIGTERM]
    assert list(tmp_path.iterdir()) == []


def test_a_worker_stopped_on_its_own_does_not_keep_the_run_waiting(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SIGSTOP to one worker only (not the whole job, which would stop this process too):
    # after STOPPED_LIMIT seconds the run ends with a WorkerError, and no worker is left.
    import threading

    from selfbuild_rules.engine import processes as _processes

    monkeypatch.setattr(_processes, "STOPPED_LIMIT", 1.0)
    run = Setup(BASE, Options.of("2018", "2019-03-01", jobs=2)).prepare(sr.load_facts(big))
    before = set(children(os.getpid()))

    def stop_one() -> None:  # both, as soon as they are there: one of them is waited for
        assert until(lambda: len(set(children(os.getpid())) - before) == 2, START)
        for worker in set(children(os.getpid())) - before:
            os.kill(worker.pid, signal.SIGSTOP)

    stopper = threading.Thread(target=stop_one)
    started = time.monotonic()
    stopper.start()
    with pytest.raises(_parallel.WorkerError, match=r"stopped \(SIGSTOP\) for 1 s, so ended"):
        list(_parallel.parts_by_entry(run, pickled, "fork"))
    stopper.join(END)
    assert time.monotonic() - started < 30
    assert until(lambda: set(children(os.getpid())) <= before, END)  # killed, stopped or not


def test_a_signal_as_the_temporary_file_is_made_still_removes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = tempfile.mkstemp

    def made_then_signalled(*args: Any, **kwargs: Any) -> tuple[int, str]:
        found = made(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGTERM)  # as if it came the moment the file was made
        return found

    monkeypatch.setattr(tempfile, "mkstemp", made_then_signalled)
    with faults.signals_raised(), pytest.raises(faults.Signalled):
        write_atomically(b"the report", str(tmp_path / "r.json"))
    assert list(tmp_path.iterdir()) == []


def test_a_signal_another_thread_takes_as_the_file_is_made_still_removes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A signal sent to the process goes to any thread not blocking it: here, one that
    # does not, so only the handler's deferral keeps the file from being left behind.
    import threading

    made, stop = tempfile.mkstemp, threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()

    def made_then_signalled(*args: Any, **kwargs: Any) -> tuple[int, str]:
        found = made(*args, **kwargs)
        assert other.ident is not None
        signal.pthread_kill(other.ident, signal.SIGTERM)
        time.sleep(0.05)  # the main thread runs Python's handler meanwhile
        return found

    monkeypatch.setattr(tempfile, "mkstemp", made_then_signalled)
    try:
        with faults.signals_raised(), pytest.raises(faults.Signalled):
            write_atomically(b"the report", str(tmp_path / "r.json"))
    finally:
        stop.set()
        other.join(5)
    assert list(tmp_path.iterdir()) == []


def test_an_ignored_hangup_stays_ignored(
    big: Path, tmp_path: Path, runs: Callable[..., Run]
) -> None:
    # Under nohup SIGHUP is ignored from the start: the run must go on to the end.
    def ignore_hangups() -> None:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    target = tmp_path / "out.json"
    run = runs(*EVALUATE, str(big), "--jobs", "2", "-o", str(target), preexec_fn=ignore_hangups)
    run.workers(2)
    run.signal(signal.SIGHUP)
    assert run.wait() == 0
    assert json.loads(target.read_bytes())["format"] == "selfbuild-rules.report/2"


def test_a_hangup_ends_a_run_whose_terminal_has_gone(
    big: Path, tmp_path: Path, runs: Callable[..., Run]
) -> None:
    # The status line is on a terminal; the terminal goes (writing to it fails), then
    # SIGHUP comes: clearing the status line must not turn the run's end into a crash.
    primary, secondary = pty.openpty()
    run = runs(*EVALUATE, str(big), "-o", str(tmp_path / "out.json"), stderr=secondary)
    os.close(secondary)
    try:
        assert b"selfbuild-rules: " in os.read(primary, 4096)  # the status line, shown
        assert run.stop()  # so that it cannot finish before the signal comes
    finally:
        os.close(primary)
    run.signal(signal.SIGHUP)
    run.signal(signal.SIGCONT)
    assert run.wait() == 129
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("unbuffered", ["1", ""], ids=["unbuffered", "buffered"])
@pytest.mark.parametrize("how", [("--format", "text"), ("--format", "json", "--jobs", "2")])
def test_a_closed_stdout_ends_quietly_with_141(
    big: Path, runs: Callable[..., Run], how: tuple[str, ...], unbuffered: str
) -> None:
    # As `selfbuild-rules evaluate ... | head -c 4096` does: read a little, close the pipe.
    env = {**environment(), "PYTHONUNBUFFERED": unbuffered}
    run = runs(*EVALUATE, str(big), *how, stdout=subprocess.PIPE, env=env)
    assert run.popen.stdout is not None
    assert os.read(run.popen.stdout.fileno(), 4096)  # a line of text, or compact JSON's start
    run.popen.stdout.close()
    assert run.wait() == 141
    assert run.stderr() == ""


# --- 4. -o replaces only a regular file with one name, and keeps its mode ---------------------


@pytest.fixture
def small(tmp_path: Path) -> Path:
    facts = tmp_path / "facts" / "team.json"
    facts.parent.mkdir()
    facts.write_text(json.dumps(team(4), ensure_ascii=False), encoding="utf-8")
    return facts


def evaluate_to(facts: Path, target: Path, *args: str) -> subprocess.CompletedProcess[str]:
    argv = command("evaluate", str(facts), "--period", "2019", "--as-of", AS_OF, "-o", str(target))
    return subprocess.run(
        [*argv, *args], capture_output=True, text=True, env=environment(), timeout=START
    )


def refused(done: subprocess.CompletedProcess[str], target: Path, kind: str) -> bool:
    return done.returncode == 2 and done.stderr.startswith(f"error: cannot write {target}: {kind}")


def test_a_symbolic_link_is_refused_not_replaced(small: Path, tmp_path: Path) -> None:
    pointed = tmp_path / "real.json"
    pointed.write_text("the real report", encoding="utf-8")
    for link, to in ((tmp_path / "r.json", pointed), (tmp_path / "dangling.json", tmp_path / "x")):
        link.symlink_to(to)
        done = evaluate_to(small, link)
        assert refused(done, link, "it is a symbolic link"), done.stderr
        assert done.stderr.count("\n") == 1
        assert link.is_symlink() and os.readlink(link) == str(to)
    assert pointed.read_text(encoding="utf-8") == "the real report"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "dangling.json",
        "facts",
        "r.json",
        "real.json",
    ]


def test_a_file_with_other_names_is_refused(small: Path, tmp_path: Path) -> None:
    target, other = tmp_path / "r.json", tmp_path / "other.json"
    target.write_text("old", encoding="utf-8")
    os.link(target, other)
    done = evaluate_to(small, target)
    assert refused(done, target, "it has 2 names (hard links)"), done.stderr
    assert os.stat(target).st_ino == os.stat(other).st_ino  # still one file, two names
    assert other.read_text(encoding="utf-8") == "old"


def test_fifos_sockets_devices_and_folders_are_refused(small: Path, tmp_path: Path) -> None:
    import socket

    fifo, folder, bound = tmp_path / "fifo", tmp_path / "folder", tmp_path / "sock"
    os.mkfifo(fifo)
    folder.mkdir()
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(bound))
        cases = [(fifo, "it is a FIFO"), (folder, "it is a directory"), (bound, "it is a socket")]
        try:
            os.mknod(tmp_path / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
            cases.append((tmp_path / "null", "it is a character device"))
        except PermissionError:  # not allowed to make device nodes here: the rest still
            pass
        for target, kind in cases:
            mode = os.lstat(target).st_mode
            done = evaluate_to(small, target)
            assert refused(done, target, kind), (target, done.stderr)
            assert os.lstat(target).st_mode == mode  # still what it was
    assert not list(tmp_path.glob(".*"))


def test_a_replaced_report_keeps_its_mode_and_owner(small: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o600)  # readable by its owner only: so must the new one be
    owner = (12345, 12345) if os.geteuid() == 0 else (os.getuid(), os.getgid())
    os.chown(target, *owner)
    done = evaluate_to(small, target)
    assert done.returncode == 0, done.stderr
    found = target.stat()
    assert stat.S_IMODE(found.st_mode) == 0o600
    assert (found.st_uid, found.st_gid) == owner
    assert json.loads(target.read_bytes())["format"] == "selfbuild-rules.report/2"


def test_a_new_report_has_the_mode_of_any_new_file(small: Path, tmp_path: Path) -> None:
    def umask_027() -> None:
        os.umask(0o027)

    target = tmp_path / "new.json"
    argv = command("evaluate", str(small), "--period", "2019", "--as-of", AS_OF, "-o", str(target))
    done = subprocess.run(
        argv, capture_output=True, env=environment(), preexec_fn=umask_027, timeout=START
    )
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


# --- 5. --jobs is capped at the usable CPUs ---------------------------------------------------


def one_cpu() -> None:
    """In the child before it runs: one CPU usable, whatever the machine has."""
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def test_jobs_beyond_the_usable_cpus_are_capped_with_one_note(small: Path, tmp_path: Path) -> None:
    base = command("evaluate", str(small), "--period", "2019", "--as-of", AS_OF, "--format", "json")
    one = subprocess.run(base, capture_output=True, env=environment(), timeout=START)
    for extra, status in (([], 0), (["--fail-on", "non_compliant"], 1)):  # status unchanged
        many = subprocess.run(
            [*base, "--jobs", "4", *extra],
            capture_output=True,
            text=True,
            env=environment(),
            preexec_fn=one_cpu,
            timeout=START,
        )
        assert many.returncode == status
        note = "note: --jobs 4: only 1 CPU is usable here; evaluating in 1 process\n"
        assert many.stderr == note
        assert many.stdout.encode() == one.stdout
    assert one.returncode == 0 and one.stderr == b""


def test_the_api_caps_jobs_the_same_way() -> None:
    from selfbuild_rules.engine.setup import usable_cpus

    assert (
        Options.of("2019", AS_OF, jobs=1000).jobs == usable_cpus() == len(os.sched_getaffinity(0))
    )
    assert Options.of("2019", AS_OF, jobs=1).jobs == 1
    code = (
        "import selfbuild_rules as sr\n"
        "from selfbuild_rules.engine.setup import Options\n"
        f"print(Options.of('2019', {AS_OF!r}, jobs=8).jobs)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=environment(),
        preexec_fn=one_cpu,
        timeout=START,
    )
    assert done.stdout == "1\n", done.stderr


@pytest.mark.parametrize("jobs", ["0", "-1", "two", "1.5"])
def test_jobs_below_one_are_a_usage_error(small: Path, jobs: str) -> None:
    argv = command("evaluate", str(small), "--period", "2019", "--jobs", jobs)
    done = subprocess.run(argv, capture_output=True, text=True, env=environment(), timeout=START)
    assert done.returncode == 2
    assert f"--jobs: {jobs!r}: use a whole number from 1 to 1024" in done.stderr
    assert "Traceback" not in done.stderr
