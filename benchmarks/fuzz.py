"""Fuzz the loader and the command line with many seeded cases; print what was found.

    python benchmarks/fuzz.py --cases 100000 --seed 7
    python benchmarks/fuzz.py --seed 7 --only document:1234      # one case again

The cases are those of ``tests/fuzzing.py`` (the test suite runs a few thousand of
them): facts documents and JSON Lines mutated from ``examples/tianjin-2018.json``,
command lines and ``--set`` values, run in this process. Prints the count of each
outcome, and for each crash its reproducer and traceback. Exit status 1 if anything
crashed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

import fuzzing  # noqa: E402

# Of every hundred cases: how many of each kind (loading is cheap, a command line dear).
_SHARE = {"document": 45, "lines": 25, "cli": 20, "set": 10}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", metavar="KIND:NUMBER", help="run one case and show it")
    parser.add_argument("--seconds", type=float, default=None, help="stop after this long")
    args = parser.parse_args()
    if args.only:
        kind, _, number = args.only.partition(":")
        with tempfile.TemporaryDirectory() as folder:
            case = fuzzing.make(kind, args.seed, int(number), Path(folder))
            print(case.argv if case.argv is not None else case.data)
            outcome, trace = fuzzing.run(case)
        print(outcome)
        print(trace or "", end="")
        return int(outcome == "crash")
    counts = {k: args.cases * share // 100 for k, share in _SHARE.items()}
    crashes: list[tuple[str, str]] = []
    started = time.perf_counter()
    done = 0

    def report(case: fuzzing.Case, outcome: str, trace: str | None) -> None:
        nonlocal done
        done += 1
        if trace is not None:
            crashes.append((case.reproducer, trace))
            print(f"crash: {case.reproducer}\n{trace}", file=sys.stderr, flush=True)
        if done % 5000 == 0:
            print(f"{done:,} cases, {time.perf_counter() - started:.0f} s", file=sys.stderr)
        if args.seconds is not None and time.perf_counter() - started > args.seconds:
            raise KeyboardInterrupt

    tally: dict[str, int] = {}
    try:
        tally = fuzzing.fuzz(args.seed, counts, report)
    except KeyboardInterrupt:
        print("stopped early", file=sys.stderr)
    elapsed = time.perf_counter() - started
    print(f"seed {args.seed}: {done:,} cases in {elapsed:.0f} s, {len(crashes)} crashes")
    for key, count in sorted(tally.items()):
        print(f"  {key:<28} {count:>8,}")
    distinct = {trace.strip().splitlines()[-1] for _, trace in crashes}
    for line in sorted(distinct):
        first = next(r for r, t in crashes if t.strip().splitlines()[-1] == line)
        print(f"  crash: {line}  (e.g. {first})")
    return int(bool(crashes))


if __name__ == "__main__":
    sys.exit(main())
