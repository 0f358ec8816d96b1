"""Time load + evaluate at growing sizes against the floor: ``json.load`` of the same file.

    python benchmarks/run.py                      # 10k, 100k and 1M records
    python benchmarks/run.py --sizes 10000,100000

For each size it generates a deterministic facts file (benchmarks/generate.py, cached
under --workdir), then runs in fresh processes: ``json.load`` alone, and the command
line ``selfbuild-rules evaluate FILE --period 2018 --format json -o OUT``. It prints
records/s, the ratio to the ``json.load`` time, per-record time relative to the
smallest size (linearity), and peak memory against the file size. Figures only: it
asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RECORDS_PER_MEMBER_YEAR = 49  # the generator's average mix, measured


def _generate(size: int, workdir: Path) -> tuple[Path, int]:
    path = workdir / f"facts-{size}.json"
    if not path.exists():
        members = max(1, size // RECORDS_PER_MEMBER_YEAR)
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--members", str(members), "-o", str(path)],
            check=True,
            stderr=subprocess.DEVNULL,
        )
    with path.open(encoding="utf-8") as stream:
        records = sum(len(v) for v in json.load(stream).values() if isinstance(v, list))
    return path, records


def _timed(command: list[str]) -> tuple[float, int]:
    """Wall time and peak resident memory (bytes) of a fresh child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) * 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "selfbuild-bench"))
    args = parser.parse_args(argv)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    print(
        f"{'records':>9} {'MB':>7} {'json.load s':>11} {'evaluate s':>10} {'records/s':>10} "
        f"{'ratio':>6} {'per-rec vs first':>16} {'peak MB':>8} {'peak/file':>9}"
    )
    first = None
    for size in (int(s) for s in args.sizes.split(",")):
        path, records = _generate(size, workdir)
        floor, _ = _timed(
            [sys.executable, "-c", f"import json; json.load(open({str(path)!r}, encoding='utf-8'))"]
        )
        out = workdir / f"report-{size}.json"
        cli = [
            sys.executable,
            "-m",
            "selfbuild_rules.cli",
            "evaluate",
            str(path),
            "--period",
            "2018",
            "--as-of",
            "2019-03-01",
            "--format",
            "json",
            "-o",
            str(out),
        ]
        elapsed, peak = _timed(cli)
        per_record = elapsed / records
        first = first or per_record
        mb = path.stat().st_size / 1e6
        print(
            f"{records:>9} {mb:>7.1f} {floor:>11.2f} {elapsed:>10.2f} {records / elapsed:>10.0f} "
            f"{elapsed / floor:>6.1f} {per_record / first:>16.2f} {peak / 1e6:>8.0f} "
            f"{peak / path.stat().st_size:>9.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
