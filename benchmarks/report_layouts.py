"""The report's layouts side by side: bytes and encoding time of one team's results.

    python benchmarks/generate.py --members 2000 -o /tmp/facts.json   # ~100k records
    python benchmarks/report_layouts.py /tmp/facts.json

Evaluates once, then encodes the same results (fastest of three, in this process) as
the old ``report/1`` (indented, each result with its citation and its parameter
values: rebuilt here for the comparison, no longer written by the command), as
``report/2`` (compact, what ``--format json`` writes), ``report/2`` with ``--indent``,
and as JSON Lines (``--format jsonl``). Sizes are exact; times are ratios to
``report/1`` measured in the same run. Figures only: it asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import msgspec

import selfbuild_rules as sr
from selfbuild_rules.engine.results import InterpretationSet


def _inline(value: object) -> object:
    if isinstance(value, InterpretationSet):
        return value.items
    raise TypeError(type(value).__name__)


_REPORT_1 = msgspec.json.Encoder(order="sorted", enc_hook=_inline)


def report_1(report: sr.Report) -> bytes:
    """The results as ``report/1`` wrote them: whole, indented."""
    return msgspec.json.format(_REPORT_1.encode({"results": report.results}), indent=2)


def best_of_three(encode: Callable[[], bytes]) -> tuple[float, int]:
    best, size = float("inf"), 0
    for _ in range(3):
        start = time.perf_counter()
        size = len(encode())
        best = min(best, time.perf_counter() - start)
    return best, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("facts")
    args = parser.parse_args(argv)
    report = sr.evaluate(args.facts, "2018", "2019-03-01")
    layouts: dict[str, Callable[[], bytes]] = {
        "report/1 (rebuilt)": lambda: report_1(report),
        "report/2 (json)": report.to_json_bytes,
        "report/2 (json --indent)": lambda: report.to_json_bytes(indent=True),
        "report-lines/2 (jsonl)": lambda: b"".join(report.jsonl_chunks()),
    }
    print(f"{len(report.results):,} results of {len(report.members):,} members")
    measured = {name: best_of_three(encode) for name, encode in layouts.items()}
    base_time, base_size = measured["report/1 (rebuilt)"]
    for name, (seconds, size) in measured.items():
        print(
            f"{name:<28} {size / 1e6:>8.1f} MB {size / base_size:>6.2f} x size  "
            f"{seconds:>6.2f} s {seconds / base_time:>6.2f} x time"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
