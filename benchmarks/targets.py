"""Issue 18's targets, each measured side by side and judged, in one table.

    python benchmarks/run.py --targets [--repeat 3]     # or: python benchmarks/targets.py

One team of 1M records (a JSON document, report/2 written to a file, ``--jobs 1`` and
``2``, against ``json.load``; peak memory against the file), then the province of
2,000 teams x 10 members as JSON Lines shards (``benchmarks/province.py``: the one
command with ``--jobs 2``, the Dask path, DuckDB, the fixed cost per team). Every
command runs in a fresh process, the fastest of ``--repeat`` counts. Figures only: it
asserts nothing, and a shared machine makes the wall-time rows say little (the
province rows print CPU time too). The service's target is measured apart:
``python benchmarks/serve.py --processes 2``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import province  # noqa: E402
import run  # noqa: E402


def one_team(work: Path, repeat: int, records: int) -> list[tuple[str, float, float]]:
    """(target, measured, limit) for one team: the time ratios and peak memory."""
    path, _ = run._generate(records, work, False)
    floor, _ = run._timed(run._floor(path, False), repeat)
    size = path.stat().st_size
    found = []
    for jobs, limit in ((2, 2.0), (1, 3.0)):
        out = work / f"targets-{jobs}.json"
        elapsed, peak = run._timed(run._cli(path, out, jobs, False), repeat, out)
        print(f"one team, --jobs {jobs}: {elapsed:.2f} s, json.load {floor:.2f} s, "
              f"peak {peak / 1e6:.0f} MB, file {size / 1e6:.0f} MB")  # fmt: skip
        found.append((f"one team, --jobs {jobs}: x json.load", elapsed / floor, limit))
        found.append((f"one team, --jobs {jobs}: peak memory x file", peak / size, 2.5))
    return found


def a_province(work: Path, repeat: int, teams: int, members: int) -> list[tuple[str, float, float]]:
    """(target, measured, limit) for the province's ``teams`` x ``members``."""
    folder = province.shards(work, teams, members)
    rows = province.timings(folder, work, repeat, {"jobs2", "dask", "duckdb"})
    province.show(rows)
    floor = rows[province.FLOOR][0]
    ours = rows["one command, --jobs 2, csv"][0]
    found = [("province, one command --jobs 2: x json.loads", ours / floor, 2.5)]
    dask = rows.get("dask")
    told = ("first call, fresh workers", "second call", "second call, profiler off")
    for i, call in enumerate(dask["calls"] if dask else ()):
        found.append((f"province, Dask {told[i]}: / one command", call["work"] / ours, 1.0))
    peer = rows.get("DuckDB: 3 rules in SQL, no explanations")
    if peer is not None:
        found.append(("province, one command --jobs 2: / DuckDB", ours / peer[0], 3.0))
    cost = province.fixed_cost()
    found.append(
        ("province, fixed cost per team in process (ms)", cost["load"] + cost["prepare"], 0.5)
    )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (fastest counts)")
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "selfbuild-bench"))
    parser.add_argument("--records", type=int, default=1_000_000, help="one team's records")
    parser.add_argument("--teams", type=int, default=2000, help="the province's teams")
    parser.add_argument("--members", type=int, default=10, help="members a team")
    args = parser.parse_args(argv)
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; fastest of {args.repeat}")
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    found = one_team(work, args.repeat, args.records)
    found += a_province(work, args.repeat, args.teams, args.members)
    print(f"one team: {args.records:,} records; province: {args.teams:,} x {args.members}")
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"\n{'target':<62} {'measured':>9} {'limit':>7}  verdict")
    for name, measured, limit in found:
        verdict = "met" if measured <= limit else f"NOT met (by {measured / limit - 1:.0%})"
        print(f"{name:<62} {measured:>9.2f} {limit:>7.2f}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
