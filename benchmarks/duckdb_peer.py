"""A peer to measure against: three of the rules computed in SQL by DuckDB, same JSON Lines.

    pip install duckdb        # benchmark-only: in no extra of the package, on purpose
    python benchmarks/duckdb_peer.py SHARDS_DIR [--period 2018 --as-of 2019-03-01]

DuckDB reads every shard (``SHARDS_DIR/*.jsonl``, as ``benchmarks/generate.py --teams``
writes them) and computes, for the yearly window of each member (the year, cut to the
member's tenure and to the days the regulation is in force): research days (distinct
days covered by research trips), contact-point visits (visits to a contact point of an
allowed kind designated to the member, on a day of its designation), and, per team,
completed livelihood projects. No explanations, citations or other rules. Then it runs
``selfbuild-rules evaluate SHARDS_DIR --format parquet`` (all 13 rules, explanations in
two languages), checks the three measures equal DuckDB's member by member (and team by
team), and prints both times and their ratio. Each side runs in a fresh process, timed
from start to exit. Figures only: it asserts nothing but the equality.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
}
# Python compiles our modules once and keeps the bytecode, as an installed copy does;
# a shell that forbids writing it (PYTHONDONTWRITEBYTECODE) would add ~0.07 s a run.
ENV.pop("PYTHONDONTWRITEBYTECODE", None)

#: The three measures, by SQL over one ``lines`` view of every line of every shard.
SQL = """
CREATE TEMP MACRO s(j, path) AS json_extract_string(j, path);
CREATE TEMP MACRO d(j, path) AS CAST(json_extract_string(j, path) AS DATE);
CREATE TEMP VIEW lines AS
  SELECT filename AS shard, json AS line
  FROM read_json_objects($glob, format='newline_delimited', filename=true);
CREATE TEMP TABLE teams AS
  SELECT shard, s(line, '$.team.id') AS team FROM lines WHERE s(line, '$.team.id') IS NOT NULL;
CREATE TEMP TABLE records AS
  SELECT t.team, s(l.line, '$.category') AS category, json_extract(l.line, '$.record') AS r
  FROM lines l JOIN teams t USING (shard) WHERE json_extract(l.line, '$.record') IS NOT NULL;
CREATE TEMP TABLE windows AS
  SELECT team, s(r, '$.id') AS member,
         greatest(DATE '{year}-01-01', DATE '{in_force}', d(r, '$.tenure.start')) AS first,
         least(DATE '{year}-12-31', coalesce(d(r, '$.tenure.end'), DATE '9999-12-31'),
               DATE '{as_of}') AS last
  FROM records WHERE category = 'members';
CREATE TEMP TABLE research AS
  SELECT w.team, w.member, count(DISTINCT t.day) AS days
  FROM windows w
  JOIN (SELECT team, s(r, '$.member') AS member,
               unnest(generate_series(d(r, '$.start'), d(r, '$.end'), INTERVAL 1 DAY))::DATE
                 AS day
        FROM records WHERE category = 'research_trips') t
    ON t.team = w.team AND t.member = w.member AND t.day BETWEEN w.first AND w.last
  GROUP BY ALL;
CREATE TEMP TABLE visits AS
  SELECT w.team, w.member, count(DISTINCT s(v.r, '$.id')) AS visits
  FROM windows w
  JOIN records v ON v.category = 'contact_point_visits' AND v.team = w.team
    AND s(v.r, '$.member') = w.member
  JOIN records c ON c.category = 'contact_points' AND c.team = w.team
    AND s(c.r, '$.id') = s(v.r, '$.contact_point') AND s(c.r, '$.member') = w.member
  WHERE s(c.r, '$.kind') IN ({kinds}) AND d(c.r, '$.start') <= DATE '{as_of}'
    AND d(v.r, '$.date') BETWEEN d(c.r, '$.start')
        AND coalesce(d(c.r, '$.end'), DATE '9999-12-31')
    AND d(v.r, '$.date') BETWEEN w.first AND w.last
  GROUP BY ALL;
CREATE TEMP TABLE projects AS
  SELECT team, count(*) FILTER (WHERE CAST(s(r, '$.year') AS INT) = {year}
                                  AND s(r, '$.status') = 'completed') AS projects
  FROM records WHERE category = 'livelihood_projects' GROUP BY team;
"""
KINDS = ("village", "community", "enterprise", "institution", "project", "school")


def _timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU time (user + system, with the processes it waited for) of a command."""
    start = time.perf_counter()
    child = subprocess.Popen(command, env=ENV, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"failed: {' '.join(command[:4])}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def peer(folder: Path, year: int, as_of: str, out: Path) -> tuple[float, float]:
    """DuckDB's three measures, in a fresh process, written to ``out`` as JSON; its wall
    and CPU time."""
    sql = SQL.format(year=year, as_of=as_of, in_force="2018-02-02",
                     kinds=", ".join(f"'{k}'" for k in KINDS))  # fmt: skip
    code = f"""
import duckdb, json
db = duckdb.connect()
db.execute("SET enable_progress_bar = false")
db.execute({sql!r}.replace('$glob', {repr(str(folder / "*.jsonl"))!r}))
found = {{
    "research": db.execute("SELECT team, member, days FROM research").fetchall(),
    "visits": db.execute("SELECT team, member, visits FROM visits").fetchall(),
    "projects": db.execute("SELECT team, projects FROM projects").fetchall(),
}}
json.dump(found, open({str(out)!r}, "w"))
"""
    return _timed([sys.executable, "-c", code])


def ours(folder: Path, period: str, as_of: str, out: Path, jobs: int) -> tuple[float, float]:
    """The one command on the same shards, all 13 rules into a Parquet table."""
    command = [sys.executable, "-m", "selfbuild_rules.cli", "evaluate", str(folder), "-o", str(out)]
    command += ["--period", period, "--as-of", as_of, "--jobs", str(jobs)]
    out.unlink(missing_ok=True)
    return _timed(command)


def compare(peer: Path, ours: Path) -> int:
    """How many values were compared; raises SystemExit naming the first difference."""
    import pyarrow.parquet as pq

    found = json.loads(peer.read_text())
    table = pq.read_table(ours, columns=["team", "rule", "subject", "measured"]).to_pylist()
    mine = {(r["team"], r["rule"], r["subject"]): r["measured"] for r in table}
    wanted = {("3.research-days", t, m): d for t, m, d in found["research"]}
    wanted |= {("4.contact-point-visits", t, m): v for t, m, v in found["visits"]}
    wanted |= {("4.livelihood-projects", t, "team"): p for t, p in found["projects"]}
    checked = 0
    for (team, rule, subject), value in mine.items():
        if rule not in ("3.research-days", "4.contact-point-visits", "4.livelihood-projects"):
            continue
        theirs = wanted.get((rule, team, subject), 0 if value is not None else None)
        if value != theirs:
            raise SystemExit(f"differ: {team} {rule} {subject}: ours {value}, DuckDB {theirs}")
        checked += 1
    return checked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shards", type=Path)
    parser.add_argument("--period", default="2018")
    parser.add_argument("--as-of", default="2019-03-01")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="duckdb-peer-"))
    theirs = peer(args.shards, int(args.period), args.as_of, work / "peer.json")
    mine = ours(args.shards, args.period, args.as_of, work / "ours.parquet", args.jobs)
    checked = compare(work / "peer.json", work / "ours.parquet")
    print(f"DuckDB, 3 measures, no explanations: wall {theirs[0]:.2f} s, CPU {theirs[1]:.2f} s")
    print(f"selfbuild-rules --jobs {args.jobs}, 13 rules, explained (parquet): "
          f"wall {mine[0]:.2f} s, CPU {mine[1]:.2f} s")  # fmt: skip
    print(f"ratio ours / DuckDB: wall {mine[0] / theirs[0]:.2f}, CPU {mine[1] / theirs[1]:.2f} "
          f"(equal on {checked:,} values)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
