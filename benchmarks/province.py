"""A province: 2,000 teams × 10 members as JSON Lines shards, timed side by side in one run.

    python benchmarks/run.py --province                 # or: python benchmarks/province.py
    python benchmarks/province.py --teams 200 --repeat 3
    python benchmarks/province.py --members 100 --only jobs2,dask --remove   # 10M records

It generates the shards once (``benchmarks/generate.py --teams``, cached under
``--workdir``; ``--remove`` deletes them afterwards), then times, each in a fresh
process and ``--repeat`` times (the fastest counts):

- the floor: ``json.loads`` of every line of every shard;
- the one-command path: ``selfbuild-rules evaluate DIR --format csv -o all.csv`` with
  ``--jobs 1`` and ``--jobs 2``, and ``-o reports/`` (one JSON report per team) with
  ``--jobs 2``;
- the Dask path: ``evaluate_teams(DIR, out=…, form="csv")`` on a two-worker
  ``LocalCluster`` of one thread each, if the ``dask`` extra is installed: two calls
  on one cluster, the first on fresh workers (which import this package; the one
  command's workers are forked from a process that has), the cluster's start-up apart;
  and a second call on a cluster whose workers' statistical profiler is off (it looks
  at the running task every 10 ms: 2-7% of the wall time on two cores);
- DuckDB computing three of the rules in SQL (``benchmarks/duckdb_peer.py``), if
  ``duckdb`` is installed.

Each against the floor (wall and CPU time of every process, and the largest process's
peak memory), the Dask calls against the one command, the load average before and
after (the machine may be shared: CPU ratios are the steadier ones), then where a
team's time goes in one process and the fixed cost per team (see :func:`fixed_cost`).
``--only`` chooses the rows. Figures only: it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
sys.path[:0] = [str(SRC), str(HERE)]
ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
}
# Python compiles our modules once and keeps the bytecode, as an installed copy does;
# a shell that forbids writing it (PYTHONDONTWRITEBYTECODE) would add ~0.07 s a run.
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
PERIOD, AS_OF = "2018", "2019-03-01"
#: The largest peak memory (MB) of any process of a command timed, by the command's text.
PEAKS: dict[str, float] = {}
#: The rows (besides the floor) that ``--only`` may choose.
ROWS = ("jobs1", "jobs2", "reports", "dask", "duckdb", "phases", "fixed")


def shards(workdir: Path, teams: int, members: int) -> Path:
    """The province's shards, generated once."""
    folder = workdir / f"province-{teams}x{members}"
    if not (folder / f"team-{teams:04d}.jsonl").exists():
        shutil.rmtree(folder, ignore_errors=True)
        command = [sys.executable, str(HERE / "generate.py"), "--members", str(teams * members)]
        command += ["--teams", str(teams), "-o", str(folder)]
        subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    return folder


def timed(command: list[str], repeat: int, clear: Path | None = None) -> tuple[float, float]:
    """The fastest wall time and CPU time (user + system, of the process and every
    process it waited for) of ``repeat`` runs of ``command`` in a fresh process;
    ``clear`` (what a run writes) is removed before each run. The largest peak memory
    of any of those processes is kept in :data:`PEAKS` by the command's text."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        if clear is not None and clear.is_dir():
            shutil.rmtree(clear)
        elif clear is not None:
            clear.unlink(missing_ok=True)
        start = time.perf_counter()
        child = subprocess.Popen(command, env=ENV, stdout=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, usage.ru_utime + usage.ru_stime)
        key = " ".join(command)
        PEAKS[key] = max(PEAKS.get(key, 0.0), usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status):
            raise SystemExit(f"failed: {' '.join(command)}")
    return wall, cpu


def floor(folder: Path) -> list[str]:
    code = (
        "import json, os\n"
        f"d = {str(folder)!r}\n"
        "for n in sorted(os.listdir(d)):\n"
        "    for line in open(os.path.join(d, n), encoding='utf-8'): json.loads(line)\n"
    )
    return [sys.executable, "-c", code]


def command(folder: Path, out: Path | str, jobs: int, *more: str) -> list[str]:
    made = [sys.executable, "-m", "selfbuild_rules.cli", "evaluate", str(folder), "-o", str(out)]
    return [*made, "--period", PERIOD, "--as-of", AS_OF, "--jobs", str(jobs), *more]


DASK = """
import sys, time, json, resource
t0 = time.perf_counter()
import dask
from distributed import Client, LocalCluster
from selfbuild_rules.extra.dask import evaluate_teams

def cpu():
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

if __name__ == "__main__":
    # "off": the workers' statistical profiler (a look at the running task's stack
    # every 10 ms, on by default) switched off, as a cluster run for throughput may.
    dask.config.set({"distributed.worker.profile.enabled": sys.argv[3] == "on"})
    calls = []
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \\
            Client(cluster) as client:
        t1 = time.perf_counter()
        for call in range(2):  # the first on fresh workers, which import this package
            before = sum(client.run(cpu).values()) + cpu()  # the scheduler runs in this process
            start = time.perf_counter()
            summary = evaluate_teams(sys.argv[1], "2018", "2019-03-01", client=client,
                                     out=f"{sys.argv[2]}/{call}", form="csv")
            work = time.perf_counter() - start
            after = sum(client.run(cpu).values()) + cpu()
            calls.append({"work": work, "cpu": after - before, "tasks": len(summary.paths)})
        workers = max(client.run(peak).values())
    print(json.dumps({"start": t1 - t0, "calls": calls, "worker_peak": workers,
                      "client_peak": peak()}))
"""


#: The Dask calls timed: (workers' profiler, call on the cluster), and how they are told.
DASK_CALLS = {
    ("on", 0): "first call, fresh workers",
    ("on", 1): "second call",
    ("off", 1): "second call, profiler off",
}


def dask_path(folder: Path, out: Path, repeat: int) -> dict[str, Any] | None:
    """The Dask path, ``repeat`` times on a fresh cluster with Dask's default settings
    and on one with the workers' profiler off: two calls each, the first on fresh
    workers (each imports this package), the second on the same workers. For each call
    of :data:`DASK_CALLS` the fastest wall time and CPU (the client, which runs the
    scheduler, and both workers); the cluster's start-up apart; the peak memory of the
    client and of the larger worker."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return None
    runs: dict[str, list[Any]] = {"on": [], "off": []}
    for _ in range(repeat):
        for profiler, found in runs.items():
            shutil.rmtree(out, ignore_errors=True)
            made = [sys.executable, "-c", DASK, str(folder), str(out), profiler]
            done = subprocess.run(made, check=True, env=ENV, capture_output=True, text=True)
            found.append(json.loads(done.stdout.strip().splitlines()[-1]))
    shutil.rmtree(out, ignore_errors=True)
    calls = [
        {"told": told}
        | {
            key: min(run["calls"][i][key] for run in runs[profiler])
            for key in ("work", "cpu", "tasks")
        }
        for (profiler, i), told in DASK_CALLS.items()
    ]
    every = runs["on"] + runs["off"]
    peaks = {key: max(run[key] for run in every) for key in ("worker_peak", "client_peak")}
    return {"start": min(run["start"] for run in every), "calls": calls, **peaks}


def fixed_cost(teams: int = 500) -> dict[str, float]:
    """The fixed cost per team in one process, in ms of CPU: a minimal team (one member,
    no records) through the many-teams runner, split into reading its shard, preparing
    (indexing its facts; the law is made once for all teams), and making and writing its
    40 results. The first two are what every team pays however small; the third is the
    work of the team's own provisions, which no cache takes away. Beside it, the same
    team through ``selfbuild_rules.evaluate`` (what a loop over shards, or the Dask path
    without ``out``, pays a team: the setup and the law made again each time)."""
    import io

    from selfbuild_rules import evaluate
    from selfbuild_rules.cli import teams as runner
    from selfbuild_rules.engine.setup import Options
    from selfbuild_rules.evaluation import setup_for
    from selfbuild_rules.facts.loading import load_facts
    from selfbuild_rules.report.results_table import CsvTable, run_rows

    doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
           "members": [{"id": "m01", "name": "甲", "post": "mayor",
                        "tenure": {"start": "2018-01-26", "end": None}}]}  # fmt: skip
    path = Path(tempfile.mkdtemp()) / "t.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in (
        {"format": doc["format"]}, {"team": doc["team"]}, {"category": "members"},
        {"category": "members", "record": doc["members"][0]})), encoding="utf-8")  # fmt: skip
    ready = runner.Ready.of(runner.Job.of(setup_for(Options.of(PERIOD, AS_OF)), "csv"))
    facts = load_facts(path, judgments=ready.judgments)
    run = ready.compiled.evaluation(facts)

    def load() -> None:
        load_facts(path, judgments=ready.judgments)

    def prepare() -> None:
        ready.compiled.evaluation(facts)

    def make() -> None:
        table = CsvTable(io.BytesIO())
        for rows in run_rows(run, ready.memo()):
            table.write(rows)

    def whole() -> None:
        runner.team_done(ready, str(path), None)

    def alone() -> None:  # a loop of the API's one-team call, as the Dask path makes each team
        evaluate(path, PERIOD, AS_OF)

    found = {}
    steps = {"load": load, "prepare": prepare, "make": make, "whole": whole, "alone": alone}
    for name, step in steps.items():
        best = float("inf")
        for _ in range(5):
            start = time.process_time()
            for _ in range(teams):
                step()
            best = min(best, (time.process_time() - start) / teams * 1000)
        found[name] = best
    return found


def phases(folder: Path, teams: int = 200) -> dict[str, float]:
    """Where a team's time goes, in one process, over the first ``teams`` shards: CPU
    seconds for the floor (``json.loads`` of every line, nothing kept) and for each
    step of the many-teams runner done shard by shard: read the facts, make the rows,
    encode them as CSV."""
    from selfbuild_rules.cli import teams as runner
    from selfbuild_rules.engine.setup import Options
    from selfbuild_rules.evaluation import setup_for
    from selfbuild_rules.facts.loading import load_facts
    from selfbuild_rules.internal import memory
    from selfbuild_rules.report.results_table import Rows, encode, run_rows

    paths = sorted(folder.iterdir())[:teams]
    ready = runner.Ready.of(runner.Job.of(setup_for(Options.of(PERIOD, AS_OF)), "csv"))
    spent = dict.fromkeys(("floor", "load", "make", "encode"), 0.0)
    for path in paths:
        start = time.process_time()
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                json.loads(line)
        read = time.process_time()
        facts = load_facts(path, lines=True, judgments=ready.judgments)
        loaded = time.process_time()
        with memory.paused():
            rows = Rows.joined(
                facts.team.id, run_rows(ready.compiled.evaluation(facts), ready.memo())
            )
        made = time.process_time()
        encode("csv", rows)
        done = time.process_time()
        spent["floor"] += read - start
        spent["load"] += loaded - read
        spent["make"] += made - loaded
        spent["encode"] += done - made
    return spent


def timings(folder: Path, work: Path, repeat: int, only: set[str]) -> dict[str, Any]:
    """Every row chosen, timed side by side: (wall s, CPU s, peak MB) by name; the
    Dask path's details under ``"dask"``."""
    rows: dict[str, Any] = {}

    def row(name: str, made: list[str], clear: Path) -> None:
        wall, cpu = timed(made, repeat, clear)
        rows[name] = (wall, cpu, PEAKS[" ".join(made)])

    row(FLOOR, floor(folder), work / "nothing")
    for jobs in (1, 2):
        if f"jobs{jobs}" in only:
            row(
                f"one command, --jobs {jobs}, csv",
                command(folder, work / "p.csv", jobs),
                work / "p.csv",
            )
    if "reports" in only:
        out = work / "province-reports"
        row("one command, --jobs 2, -o reports/ (json)", command(folder, f"{out}/", 2), out)
    dask = dask_path(folder, work / "province-dask", repeat) if "dask" in only else None
    if dask is not None:
        rows["dask"] = dask
        for call in dask["calls"]:
            name = (
                f"Dask, 2-worker LocalCluster, out= csv, {call['tasks']:.0f} tasks, {call['told']}"
            )
            rows[name] = (call["work"], call["cpu"], dask["worker_peak"])
    duckdb_peer = _duckdb() if "duckdb" in only else None
    if duckdb_peer is not None:
        peer = duckdb_peer.peer(folder, int(PERIOD), AS_OF, work / "peer.json")
        rows["DuckDB: 3 rules in SQL, no explanations"] = (*peer, float("nan"))
    return rows


FLOOR = "floor: json.loads of every line"


def _duckdb() -> Any:
    try:
        import duckdb  # noqa: F401
        import duckdb_peer
    except ImportError:
        return None
    return duckdb_peer


def show(rows: dict[str, Any]) -> None:
    """The table, each row against the floor, and the ratios the issue's targets name."""
    wall, cpu, _peak = rows[FLOOR]
    print(f"{'':<78} {'wall s':>7} {'x floor':>7} {'CPU s':>7} {'x floor':>7} {'peak MB':>8}")
    for name, value in rows.items():
        if name != "dask":
            w, c, m = value
            print(f"{name:<78} {w:>7.2f} {w / wall:>7.2f} {c:>7.2f} {c / cpu:>7.2f} {m:>8.0f}")
    print("(CPU: every process, the scheduler's and the workers' too; peak: the largest "
          "process, for Dask the larger worker)")  # fmt: skip
    ours = rows.get("one command, --jobs 2, csv")
    dask = rows.get("dask")
    if dask is not None:
        peaks = f"client peak {dask['client_peak']:.0f} MB, worker {dask['worker_peak']:.0f} MB"
        print(f"Dask: cluster start-up {dask['start']:.2f} s apart; {peaks}")
        for call in dask["calls"] if ours is not None else ():
            print(f"Dask {call['told']} / one command --jobs 2: wall {call['work'] / ours[0]:.2f}, "
                  f"CPU {call['cpu'] / ours[1]:.2f}")  # fmt: skip
    theirs = rows.get("DuckDB: 3 rules in SQL, no explanations")
    if ours is not None and theirs is not None:
        print(f"one command --jobs 2 / DuckDB: wall {ours[0] / theirs[0]:.2f}, "
              f"CPU {ours[1] / theirs[1]:.2f}")  # fmt: skip


def in_process(folder: Path, only: set[str]) -> None:
    """The in-process figures: where a team's time goes, and the fixed cost per team."""
    if "phases" in only:
        spent = phases(folder)
        shown = ", ".join(f"{k} {v / spent['floor']:.2f}" for k, v in spent.items() if k != "floor")
        print(f"in one process, x the floor's CPU (first 200 shards): {shown}")
    if "fixed" in only:
        cost = fixed_cost()
        fixed = cost["load"] + cost["prepare"]
        print(
            f"fixed cost per team, in process (CPU ms, minimal team): read the shard "
            f"{cost['load']:.3f} + prepare {cost['prepare']:.3f} = {fixed:.3f}; "
            f"its 40 results made and written {cost['make']:.3f}; whole {cost['whole']:.3f} "
            f"(selfbuild_rules.evaluate per shard: {cost['alone']:.3f})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=2000)
    parser.add_argument("--members", type=int, default=10, help="members a team")
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure (fastest counts)")
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "selfbuild-bench"))
    parser.add_argument(
        "--only", default=",".join(ROWS), help=f"rows besides the floor, of {','.join(ROWS)}"
    )
    parser.add_argument("--remove", action="store_true", help="delete the shards afterwards")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    folder = shards(work, args.teams, args.members)
    size = sum(p.stat().st_size for p in folder.iterdir())
    records = sum(p.read_bytes().count(b'"record"') for p in folder.iterdir())
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; fastest of {args.repeat}")
    print(f"{args.teams:,} teams x {args.members} members: {records:,} records, "
          f"{size / 1e6:.0f} MB of JSON Lines")  # fmt: skip
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    show(timings(folder, work, args.repeat, only))
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    in_process(folder, only)
    if args.remove:
        shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
