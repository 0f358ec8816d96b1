"""Where the time goes: each phase of the command's JSON report, timed in one process.

    python benchmarks/phases.py /tmp/selfbuild-bench/facts-1000000.json

Times, on one file, the phases ``selfbuild-rules evaluate FILE --format json -o OUT``
goes through, the way it goes through them (members 2,000 at a time, provision by
provision): importing the library, loading the facts, preparing (law and index),
making the results, encoding them as report JSON and writing the bytes to a file.
Each is printed in seconds and as a multiple of the floor, ``json.load`` of the same
file (timed in a child process, fastest of three).

Then a budget: with ``--jobs N`` only making, encoding and writing are shared
among the N worker processes; importing, loading and preparing happen once, before
them. The sum of those serial phases is a floor no number of cores goes under,
and the line for N cores is what a perfect split would give (no coordination).
Figures only: it asserts nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
TARGET = 2.0  # issue 6: the whole command in at most twice json.load's time


def _json_load_seconds(path: str) -> float:
    code = (
        "import json, sys, time\n"
        "best = float('inf')\n"
        "for _ in range(3):\n"
        "    with open(sys.argv[1], 'rb') as f:\n"
        "        t = time.perf_counter(); json.load(f); best = min(best, time.perf_counter() - t)\n"
        "print(best)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True)
    return float(done.stdout)


def _phases(path: str) -> dict[str, float]:
    sys.path.insert(0, str(SRC))
    clock = time.perf_counter
    start = clock()
    import selfbuild_rules as sr
    from selfbuild_rules.engine.provisions import Memo, made_in_batches
    from selfbuild_rules.engine.setup import Options
    from selfbuild_rules.evaluation import setup_for
    from selfbuild_rules.internal import memory as _gc
    from selfbuild_rules.report.stream import json_report, packed_json

    seconds = {"import": clock() - start}
    start = clock()
    facts = sr.load_facts(path)
    seconds["load"] = clock() - start
    start = clock()
    run = json_report(facts, setup_for(Options.of("2018", "2019-03-01"))).run
    seconds["prepare"] = clock() - start
    making = encoding = writing = 0.0
    members, memo = run.members, Memo(run.law)
    with _gc.paused(), tempfile.TemporaryFile() as out:
        for entry in run.entries:
            batches = made_in_batches(run.ctx, entry, members, memo)
            while True:
                t0 = clock()
                results = next(batches, None)
                t1 = clock()
                if results is None:
                    break
                _note, part = packed_json(results)
                t2 = clock()
                out.write(part)
                t3 = clock()
                making, encoding, writing = making + t1 - t0, encoding + t2 - t1, writing + t3 - t2
    seconds.update(make=making, encode=encoding, write=writing)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("facts")
    args = parser.parse_args(argv)
    floor = _json_load_seconds(args.facts)
    seconds = _phases(args.facts)
    print(f"{'json.load (the floor)':<24} {floor:>6.2f} s   1.00 x")
    for name, value in seconds.items():
        print(f"{name:<24} {value:>6.2f} s {value / floor:>6.2f} x")
    serial = seconds["import"] + seconds["load"] + seconds["prepare"]
    shared = seconds["make"] + seconds["encode"] + seconds["write"]
    print(f"{'total':<24} {serial + shared:>6.2f} s {(serial + shared) / floor:>6.2f} x")
    print(f"\nbudget: the target is {TARGET:g} x json.load = {TARGET * floor:.2f} s")
    print(f"  serial (import, load, prepare): {serial:.2f} s = {serial / floor:.2f} x")
    for jobs in (1, 2, 4, 8):
        best = serial + shared / jobs
        print(f"  --jobs {jobs}, perfectly shared: {best:.2f} s = {best / floor:.2f} x")
    room = TARGET * floor - serial
    if room <= 0:
        print("  the serial phases alone exceed the target: no number of cores meets it")
    else:
        print(f"  cores needed for the rest ({shared:.2f} s) to fit in {room:.2f} s: "
              f"{shared / room:.1f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
