"""What tracing costs: one evaluation with ``trace=True`` against one without, side by side.

    python benchmarks/trace.py                    # 204 members (about 10,000 records)
    python benchmarks/trace.py --members 2040 --rounds 3

Each round evaluates the same facts (made by ``generate.py``) without and with the
trace, one after the other in this process, so both see the same load on a shared
machine; it prints the fastest time of each and their ratio (traced / plain). The
cost of tracing *off* is not measured here but by instruction counts (see
``docs/performance.rst``): a ratio of wall times cannot show a cost that small.
Figures only: it asserts nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import selfbuild_rules as sr

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=204, help="members (49 records each)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        facts = Path(folder) / "facts.json"
        generate = [sys.executable, str(HERE / "generate.py"), "--members", str(args.members)]
        subprocess.run([*generate, "-o", str(facts)], check=True)
        loaded = sr.load_facts(str(facts))
        best = {False: float("inf"), True: float("inf")}
        for _ in range(args.rounds):
            for trace in (False, True):
                start = time.perf_counter()
                report = sr.evaluate(loaded, "2018", "2019-03-01", trace=trace)
                report.to_json_bytes()
                best[trace] = min(best[trace], time.perf_counter() - start)
    plain, traced = best[False], best[True]
    said = f"plain {plain:.2f} s, traced {traced:.2f} s, ratio {traced / plain:.2f}"
    print(f"{args.members} members: {said} (evaluation and JSON, fastest of {args.rounds})")


if __name__ == "__main__":
    main()
