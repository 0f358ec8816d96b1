"""The report's layouts side by side: bytes and encoding time of one team's results.

    python benchmarks/generate.py --members 2000 -o /tmp/facts.json   # ~100k records
    python benchmarks/report_layouts.py /tmp/facts.json

Evaluates once, then encodes the same results (fastest of three, in this process) as
the JSON report (``report/1``, indented), as JSON Lines (``--format jsonl``: citations
once in the header) and as a sketch of the compact ``report/2`` the issue asks for
(no indentation; citations and interpretation sets once, results referring to them by
key), which is measured here only, not written by the command. Sizes are exact; times
are ratios to ``report/1`` measured in the same run. Figures only: it asserts nothing.
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
from selfbuild_rules.report.encode import ENCODER
from selfbuild_rules.report.jsonl import result_line


def compact_sketch(report: sr.Report) -> bytes:
    """Results without their citation, their interpretations replaced by a set's key;
    the citations and the sets once before them (a sketch: the key is cut in after
    encoding, which a real writer would not pay for)."""
    sets: dict[bytes, int] = {}
    lines = []
    for result in report.results:
        line = result_line(result)
        found = b'"interpretations":' + ENCODER.encode(result.interpretations)
        key = sets.setdefault(found, len(sets))
        lines.append(line.replace(found, b'"interpretations":%d' % key, 1))
    cited = {r.rule: r.citation for r in report.results}
    top = ENCODER.encode(
        {"citations": cited, "interpretation_sets": [msgspec.Raw(s[18:]) for s in sets]}
    )
    return top + b"[" + b",".join(lines) + b"]\n"


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
        "report/1 (json, indented)": report.to_json_bytes,
        "report-lines/1 (jsonl)": lambda: b"".join(report.jsonl_chunks()),
        "report/2 sketch (compact)": lambda: compact_sketch(report),
    }
    print(f"{len(report.results):,} results of {len(report.members):,} members")
    measured = {name: best_of_three(encode) for name, encode in layouts.items()}
    base_time, base_size = measured["report/1 (json, indented)"]
    for name, (seconds, size) in measured.items():
        print(
            f"{name:<28} {size / 1e6:>8.1f} MB {size / base_size:>6.2f} x size  "
            f"{seconds:>6.2f} s {seconds / base_time:>6.2f} x time"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
