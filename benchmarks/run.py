"""Time load + evaluate at growing sizes against the floor: ``json.load`` of the same file.

    python benchmarks/run.py                      # 10k, 100k and 1M records
    python benchmarks/run.py --sizes 10000,100000 --jobs 1 --repeat 1
    python benchmarks/run.py --province --repeat 1   # many teams: benchmarks/province.py

For each size it generates a deterministic facts file (benchmarks/generate.py, cached
under --workdir), then runs in fresh processes: ``json.load`` alone, and the command
line ``selfbuild-rules evaluate FILE --period 2018 --format json -o OUT`` (once per
``--jobs`` value). Each is run ``--repeat`` times and the fastest run counts (the
usual way to read through a noisy machine); peak memory is the largest of the runs.

It prints records/s, the ratio to the ``json.load`` time, the time per record relative
to the smallest size (linearity) also with the fixed start-up cost taken out (the
command on a one-member file), and peak memory against the file size, for the run
and for ``json.load`` itself. Then whether each target of issue 6 is met. Figures
only: it asserts nothing. The checkout's own ``src`` comes first on the path, so a
clean checkout measures itself (its dependencies must be installed:
``pip install -e .``).
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
RECORDS_PER_MEMBER_YEAR = 49  # the generator's average mix, measured
PATH = os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))
# Python compiles our modules once and keeps the bytecode, as an installed copy does;
# a shell that forbids writing it (PYTHONDONTWRITEBYTECODE) would add ~0.07 s a run.
ENV = {**os.environ, "PYTHONPATH": PATH}
ENV.pop("PYTHONDONTWRITEBYTECODE", None)

# The targets of issue 6, at the largest size.
MAX_RATIO, MAX_LINEARITY, MAX_MEMORY = 2.0, 1.3, 3.0


def _generate(size: int, workdir: Path, lines: bool) -> tuple[Path, int]:
    path = workdir / f"facts-{size}.{'jsonl' if lines else 'json'}"
    if not path.exists():
        members = max(1, size // RECORDS_PER_MEMBER_YEAR)
        command = [sys.executable, str(HERE / "generate.py"), "--members", str(members)]
        command += ["-o", str(path)] + (["--lines"] if lines else [])
        subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    return path, _count(path, lines)


def _count(path: Path, lines: bool) -> int:
    """The records in a file, counted in a child process: parsing a large file here would
    raise this process's peak memory, which every child it starts inherits as its own
    starting peak (Linux carries the high-water mark across fork and exec)."""
    if lines:
        code = "n = sum(1 for line in open(p, encoding='utf-8') if '\"record\"' in line)"
    else:
        code = "import json\nd = json.load(open(p))\n"
        code += "n = sum(len(v) for v in d.values() if type(v) is list)"
    command = [sys.executable, "-c", f"p = {str(path)!r}\n{code}\nprint(n)"]
    return int(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def _timed(command: list[str], repeat: int, out: Path | None = None) -> tuple[float, int]:
    """Fastest wall time and largest peak resident memory (bytes) of ``repeat`` runs,
    each in a fresh child process (its own peak, from ``wait4``, which is the largest of
    the process and of any worker processes it waited for).

    ``out``, the report a run writes, is removed before each run: replacing last run's
    report would charge the file system's freeing of it to this run."""
    best, peak = float("inf"), 0
    for _ in range(repeat):
        if out is not None:
            out.unlink(missing_ok=True)
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=ENV)
        _pid, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            raise SystemExit(f"failed ({child.returncode}): {' '.join(command)}")
        best = min(best, elapsed)
        peak = max(peak, usage.ru_maxrss * 1024)  # kilobytes on Linux
    return best, peak


def _cli(path: Path, out: Path, jobs: int, lines: bool) -> list[str]:
    command = [sys.executable, "-m", "selfbuild_rules.cli", "evaluate", str(path)]
    command += ["--period", "2018", "--as-of", "2019-03-01", "--format", "json", "-o", str(out)]
    command += ["--jobs", str(jobs)] if jobs != 1 else []  # older versions have no --jobs
    command += ["--input-format", "jsonl"] if lines else []
    return command


def _floor(path: Path, lines: bool) -> list[str]:
    if lines:
        code = f"import json\nfor l in open({str(path)!r}, encoding='utf-8'): json.loads(l)"
    else:
        code = f"import json; json.load(open({str(path)!r}, encoding='utf-8'))"
    return [sys.executable, "-c", code]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    cores = os.cpu_count() or 1
    parser.add_argument(
        "--jobs", default="1" if cores == 1 else f"1,{cores}", help="--jobs values to time"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (fastest counts)")
    parser.add_argument("--lines", action="store_true", help="JSON Lines input instead of JSON")
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "selfbuild-bench"))
    parser.add_argument(
        "--province", action="store_true", help="2,000 teams x 10 members instead (province.py)"
    )
    parser.add_argument(
        "--targets", action="store_true", help="issue 18's targets, judged (targets.py)"
    )
    args = parser.parse_args(argv)
    if args.targets:
        sys.path.insert(0, str(HERE))
        import targets

        return targets.main(["--repeat", str(args.repeat), "--workdir", args.workdir])
    if args.province:
        sys.path.insert(0, str(HERE))
        import province

        return province.main(["--repeat", str(args.repeat), "--workdir", args.workdir])
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    jobs_values = [int(j) for j in args.jobs.split(",")]

    tiny, _ = _generate(1, workdir, args.lines)
    startup = {
        j: _timed(
            _cli(tiny, workdir / "tiny.json", j, args.lines), args.repeat, workdir / "tiny.json"
        )[0]
        for j in jobs_values
    }
    print(f"python {sys.version.split()[0]}, {cores} cores; fastest of {args.repeat} runs")
    shown = ", ".join(f"--jobs {j}: {s:.2f} s" for j, s in startup.items())
    print(f"start-up (one member): {shown}")
    print(
        f"{'records':>9} {'MB':>6} {'jobs':>4} {'json.load s':>11} {'evaluate s':>10} "
        f"{'records/s':>10} {'ratio':>6} {'per-rec':>8} {'marginal':>8} {'peak MB':>8} "
        f"{'peak/file':>9} {'load/file':>9}"
    )
    first: dict[int, tuple[float, float]] = {}
    last: dict[int, tuple[float, float, float, float]] = {}
    for size in sizes:
        path, records = _generate(size, workdir, args.lines)
        floor, floor_peak = _timed(_floor(path, args.lines), args.repeat)
        file_size = path.stat().st_size
        for jobs in jobs_values:
            out = workdir / f"report-{size}-{jobs}.json"
            elapsed, peak = _timed(_cli(path, out, jobs, args.lines), args.repeat, out)
            per_record = elapsed / records
            # Without start-up; unmeasurable where start-up is most of the run (noise).
            beyond = elapsed - startup[jobs]
            marginal = beyond / records if beyond > elapsed / 4 else float("nan")
            base = first.setdefault(jobs, (per_record, marginal))
            if math.isnan(base[1]):  # marginal figures compare with the first measurable size
                base = first[jobs] = (base[0], marginal)
            memory = peak / file_size
            last[jobs] = (elapsed / floor, per_record / base[0], marginal / base[1], memory)
            print(
                f"{records:>9} {file_size / 1e6:>6.1f} {jobs:>4} {floor:>11.2f} {elapsed:>10.2f} "
                f"{records / elapsed:>10.0f} {elapsed / floor:>6.1f} {per_record / base[0]:>8.2f} "
                f"{marginal / base[1]:>8.2f} {peak / 1e6:>8.0f} {peak / file_size:>9.1f} "
                f"{floor_peak / file_size:>9.1f}"
            )
    print(
        f"\ntargets at {sizes[-1]} records (ratio <= {MAX_RATIO}, per-record vs {sizes[0]} "
        f"<= {MAX_LINEARITY}, peak <= {MAX_MEMORY} x file):"
    )
    for jobs, (ratio, linear, marginal, memory) in last.items():
        verdict = ", ".join(
            [
                f"ratio {ratio:.1f} {'met' if ratio <= MAX_RATIO else 'NOT met'}",
                f"linearity {linear:.2f} {'met' if linear <= MAX_LINEARITY else 'NOT met'} "
                f"(without start-up: {marginal:.2f})",
                f"memory {memory:.1f} {'met' if memory <= MAX_MEMORY else 'NOT met'}",
            ]
        )
        print(f"  --jobs {jobs}: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
