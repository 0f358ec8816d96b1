"""Where the time goes: each phase of one evaluation, timed in one process.

    python benchmarks/phases.py /tmp/selfbuild-bench/facts-1000000.json [--jobs 2]

Prints the seconds and the resident memory after each phase: importing the library,
loading the facts, evaluating, writing the JSON report (``Report.to_json``) and
encoding it to UTF-8 bytes as the command line does before writing. Figures only.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def _resident_mb() -> float:
    with open("/proc/self/statm") as stream:  # Linux; 0 elsewhere
        return int(stream.read().split()[1]) * 4096 / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("facts")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(SRC))
    start = time.perf_counter()
    rows = []

    def phase(name: str) -> None:
        nonlocal start
        now = time.perf_counter()
        try:
            memory = _resident_mb()
        except OSError:
            memory = 0.0
        rows.append((name, now - start, memory))
        start = now

    import selfbuild_rules as sr

    phase("import")
    facts = sr.load_facts(args.facts)
    phase("load")
    report = sr.evaluate(facts, "2018", "2019-03-01", jobs=args.jobs)
    phase(f"evaluate (--jobs {args.jobs})")
    text = report.to_json()
    phase("to_json")
    text.encode("utf-8")
    phase("encode")
    for name, seconds, memory in rows:
        print(f"{name:<22} {seconds:>7.2f} s {memory:>8.0f} MB resident")
    print(f"{'total':<22} {sum(r[1] for r in rows):>7.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
