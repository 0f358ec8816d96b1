"""Loading alone: ``load_facts`` against ``json.load`` of the same file, time and memory.

    python benchmarks/load.py /tmp/selfbuild-bench/facts-1000000.json [more files] [--repeat 3]

Each measurement runs in a fresh child process (the checkout's own ``src``): the
floor reads the file with ``json.load`` (JSON Lines: ``json.loads`` per line); the
load imports the library first (not timed) and then times ``load_facts``. Prints
the fastest time of each, their ratio, the peak resident memory of the load (from
``getrusage``) against the file size, and the memory the loaded facts keep
(resident after the load minus before). Figures only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.getenv("PYTHONPATH")])),
}
# Python compiles our modules once and keeps the bytecode, as an installed copy does;
# a shell that forbids writing it (PYTHONDONTWRITEBYTECODE) would add ~0.07 s a run.
ENV.pop("PYTHONDONTWRITEBYTECODE", None)

_PRELUDE = """
import json, resource, sys, time
def resident():
    with open("/proc/self/statm") as stream:
        return int(stream.read().split()[1]) * 4096
"""
_FLOOR = (
    _PRELUDE
    + """
path, lines = sys.argv[1], sys.argv[2] == "1"
start = time.perf_counter()
if lines:
    with open(path, encoding="utf-8") as stream:
        data = [json.loads(line) for line in stream]
else:
    with open(path, encoding="utf-8") as stream:
        data = json.load(stream)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak": peak, "kept": resident()}))
"""
)
_LOAD = (
    _PRELUDE
    + """
import selfbuild_rules as sr
path = sys.argv[1]
before = resident()
start = time.perf_counter()
facts = sr.load_facts(path)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak": peak, "kept": resident() - before}))
"""
)


def _run(code: str, *args: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=ENV, check=True, capture_output=True, text=True
    )
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def _best(code: str, repeat: int, *args: str) -> dict[str, float]:
    runs = [_run(code, *args) for _ in range(repeat)]
    return {
        "seconds": min(r["seconds"] for r in runs),
        "peak": max(r["peak"] for r in runs),
        "kept": max(r["kept"] for r in runs),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (fastest counts)")
    args = parser.parse_args(argv)
    mb = 1e6
    print(
        f"{'file':<28} {'MB':>6} {'json.load':>9} {'load':>7} {'ratio':>6}"
        f" {'peak MB':>8} {'/file':>6} {'kept MB':>8} {'(json.load peak)':>17}"
    )
    for path in args.paths:
        lines = path.suffix.lower() in (".jsonl", ".ndjson")
        size = path.stat().st_size
        floor = _best(_FLOOR, args.repeat, str(path), "1" if lines else "0")
        load = _best(_LOAD, args.repeat, str(path))
        print(
            f"{path.name:<28} {size / mb:>6.0f} {floor['seconds']:>8.2f}s {load['seconds']:>6.2f}s"
            f" {load['seconds'] / floor['seconds']:>6.2f} {load['peak'] / mb:>8.0f}"
            f" {load['peak'] / size:>6.2f} {load['kept'] / mb:>8.0f}"
            f" {floor['peak'] / mb:>9.0f} ({floor['peak'] / size:.1f}x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
