"""Time this checkout against an earlier commit, side by side, on the same facts file.

    python benchmarks/versus.py d011aa7                       # 100k records, 5 rounds
    python benchmarks/versus.py d011aa7 --members 20400 --rounds 3 --jobs 1,2

The earlier commit is checked out into a temporary git worktree. Each round runs the
command line of both trees one after the other, in fresh processes (``selfbuild-rules
evaluate FILE --period 2018 --format json -o OUT``, with ``PYTHONPATH`` at each tree's
``src``), so both see the same load on a shared machine. It prints, per ``--jobs``, the
fastest wall time and the least CPU time (user + system, of the process and its
workers) of each tree and their ratio (this tree / the other): a ratio above 1 means
this tree is slower. Figures only: it asserts nothing. Both trees need the same
dependencies, installed in the running interpreter.

    python benchmarks/versus.py d011aa7 --instructions        # valgrind's callgrind

``--instructions`` runs each tree once under ``valgrind --tool=callgrind`` instead and
prints the instructions each process executed. Unlike seconds, that count does not
depend on what else the machine is doing, so a few per cent can be told from noise on
a shared host (it says nothing about cache misses or waiting). A forked worker's count
includes what its parent did before the fork, so compare worker with worker.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _run(tree: Path, facts: Path, out: Path, jobs: int) -> tuple[float, float]:
    """Wall and CPU seconds of one evaluation by ``tree``'s command line."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    # ``-m selfbuild_rules.cli`` runs the command line before and after the layered layout.
    command = [sys.executable, "-m", "selfbuild_rules.cli", "evaluate", str(facts)]
    command += ["--period", "2018", "--format", "json", "-o", str(out), "--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _instructions(tree: Path, facts: Path, scratch: Path, jobs: int) -> list[int]:
    """Instructions executed by each process of one evaluation by ``tree`` (main first)."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    log = scratch / "callgrind.log"
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={scratch}/cg.%p"]
    command += [f"--log-file={log}", sys.executable, "-m", "selfbuild_rules.cli", "evaluate"]
    command += [str(facts), "--period", "2018", "--format", "json", "-o", str(scratch / "o.json")]
    subprocess.run([*command, "--jobs", str(jobs)], env=env, check=True)
    # One "Collected : N" line per process, the main process's last (it ends last).
    counts = [int(line.split()[-1]) for line in log.read_text().splitlines() if "Collected" in line]
    for leftover in scratch.glob("cg.*"):
        leftover.unlink()
    return [counts[-1], *counts[:-1]]


def _compare_instructions(other: Path, facts: Path, scratch: Path, jobs: int) -> None:
    counts = {
        name: _instructions(tree, facts, scratch, jobs)
        for name, tree in (("other", other), ("this", ROOT))
    }
    for index, (was, now) in enumerate(zip(counts["other"], counts["this"], strict=True)):
        role = "main" if index == 0 else f"worker {index}"
        print(f"{jobs:>4} {role:<10} {was / 1e9:>10.3f} {now / 1e9:>10.3f} {now / was:>8.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commit", help="the earlier commit to compare with")
    parser.add_argument("--members", type=int, default=2040, help="members (49 records each)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions under callgrind, once"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        scratch = Path(work)
        other = scratch / "other"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(other), args.commit],
            check=True,
        )
        try:
            facts = scratch / "facts.json"
            generate = [sys.executable, str(HERE / "generate.py"), "--members", str(args.members)]
            subprocess.run([*generate, "-o", str(facts)], check=True, stderr=subprocess.DEVNULL)
            if args.instructions:
                print(f"{facts.stat().st_size / 1e6:.1f} MB of facts, instructions (10^9)")
                print(f"{'jobs':>4} {'process':<10} {'other':>10} {'this':>10} {'ratio':>8}")
                for jobs in map(int, args.jobs.split(",")):
                    _compare_instructions(other, facts, scratch, jobs)
                return
            print(f"{facts.stat().st_size / 1e6:.1f} MB of facts, {args.rounds} rounds")
            print(f"{'jobs':>4} {'tree':<10} {'wall s':>8} {'cpu s':>8}")
            for jobs in map(int, args.jobs.split(",")):
                best = {"this": [float("inf")] * 2, "other": [float("inf")] * 2}
                for _ in range(args.rounds):
                    for name, tree in (("other", other), ("this", ROOT)):
                        wall, cpu = _run(tree, facts, scratch / "out.json", jobs)
                        best[name] = [min(best[name][0], wall), min(best[name][1], cpu)]
                for name in ("other", "this"):
                    print(f"{jobs:>4} {name:<10} {best[name][0]:>8.2f} {best[name][1]:>8.2f}")
                wall_ratio = best["this"][0] / best["other"][0]
                cpu_ratio = best["this"][1] / best["other"][1]
                print(f"{jobs:>4} {'this/other':<10} {wall_ratio:>8.2f} {cpu_ratio:>8.2f}")
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)], check=False
            )


if __name__ == "__main__":
    main()
