"""Reading a large workbook: openpyxl (read-only mode) against python-calamine.

    python benchmarks/xlsx_read.py [--rows 100000] [--repeat 3]

Writes one workbook of ``--rows`` research trips (ids, member ids, real date cells,
text) with openpyxl, then reads every cell of it, each read in a fresh child process
and the two libraries taking turns, so that both run on the same machine load. The
child imports its library before the clock starts; the time is opening the workbook
and walking every row as Python values. Prints the fastest time of each and their
ratio. Figures only; python-calamine is needed here, not by the library.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

_OPENPYXL = """
import sys, time, openpyxl
start = time.perf_counter()
book = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
count = sum(1 for row in book["调研"].iter_rows(values_only=True) if row[0] is not None)
book.close()
print(time.perf_counter() - start, count)
"""
_CALAMINE = """
import sys, time, python_calamine
start = time.perf_counter()
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
rows = book.get_sheet_by_name("调研").to_python(skip_empty_area=False)
count = sum(1 for row in rows if row[0] != "")
print(time.perf_counter() - start, count)
"""


def write(path: Path, rows: int) -> None:
    """A workbook of ``rows`` trips, the way a template filled in holds them."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("调研")
    sheet.append(["编号", "成员", "开始日期", "结束日期", "地点", "课题"])
    first = dt.date(2018, 1, 1)
    for i in range(rows):
        start = first + dt.timedelta(days=i % 300)
        end = start + dt.timedelta(days=i % 5)
        sheet.append([f"rt-{i}", f"m{i % 50:03d}", start, end, "宝坻区", f"tp-{i % 50}"])
    book.save(path)


def timed(program: str, path: Path) -> tuple[float, int]:
    done = subprocess.run(
        [sys.executable, "-c", program, str(path)], check=True, capture_output=True, text=True
    )
    seconds, count = done.stdout.split()
    return float(seconds), int(count)


def main() -> None:
    """Write the workbook, time both readers, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if importlib.util.find_spec("python_calamine") is None:
        sys.exit("python-calamine is not installed: pip install python-calamine")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "trips.xlsx"
        write(path, args.rows)
        size = path.stat().st_size
        best = {"openpyxl": float("inf"), "calamine": float("inf")}
        for _ in range(args.repeat):
            for name, program in (("openpyxl", _OPENPYXL), ("calamine", _CALAMINE)):
                seconds, count = timed(program, path)
                assert count == args.rows + 1, (name, count)
                best[name] = min(best[name], seconds)
    print(f"{args.rows:,} rows, {size / 1e6:.1f} MB workbook, fastest of {args.repeat}:")
    for name, seconds in best.items():
        print(f"  {name:9} {seconds:7.2f} s  {args.rows / seconds:10,.0f} rows/s")
    print(f"  openpyxl / calamine: {best['openpyxl'] / best['calamine']:.1f}x")


if __name__ == "__main__":
    main()
