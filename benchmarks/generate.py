"""Deterministic synthetic facts for benchmarks: a realistic mix per member-year.

    python benchmarks/generate.py --members 1000 --years 2 --seed 1 -o facts.json
    python benchmarks/generate.py --members 1000 --lines -o facts.jsonl
    python benchmarks/generate.py --members 1000 --teams 8 -o shards/   # one team a file

Per member and year: about 40 research trips (1-3 days each), 1-2 topics each with a
report, 2-4 contact-point visits, a personal-matters report and, rarely, a violation;
each member has one contact point. Per team-year: about 30 directives relayed in
study sessions, quarterly central-group sessions, 22 livelihood projects, a dozen
major decisions and a democratic life meeting. The same arguments always give the
same bytes. ``--lines`` writes JSON Lines; ``--teams K`` writes K teams, one JSON Lines
shard each (``team-0001.jsonl``, …), the members shared out among them, for the Dask
path (``selfbuild_rules.extra.dask``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FORMAT = "selfbuild-rules.facts/1"
POSTS = ("mayor", "executive_vice_mayor", "vice_mayor", "vice_mayor", "secretary_general")


def _day(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def _member_year(rng: random.Random, m: str, year: int) -> Iterator[tuple[str, dict[str, Any]]]:
    for t in range(rng.randint(1, 2)):
        topic = f"{m}-tp-{year}-{t}"
        yield "research_topics", {"id": topic, "member": m, "year": year, "title": "课题"}
        report_day = _day(rng, year).isoformat()
        yield (
            "research_reports",
            {
                "id": f"{m}-rr-{year}-{t}",
                "member": m,
                "topic": topic,
                "date": report_day,
                "recommendations": rng.randint(0, 6),
            },
        )
    for n in range(rng.randint(36, 44)):
        start = _day(rng, year)
        end = start + dt.timedelta(days=rng.randint(0, 2))
        yield (
            "research_trips",
            {
                "id": f"{m}-rt-{year}-{n}",
                "member": m,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "place": "宝坻区",
            },
        )
    for n in range(rng.randint(2, 4)):
        yield (
            "contact_point_visits",
            {
                "id": f"{m}-v-{year}-{n}",
                "member": m,
                "contact_point": f"{m}-cp",
                "date": _day(rng, year).isoformat(),
            },
        )
    filed = dt.date(year + 1, 1, rng.randint(2, 31)).isoformat()
    yield (
        "personal_matters_reports",
        {"id": f"{m}-pm-{year}", "member": m, "year": year, "filed": filed},
    )
    if rng.random() < 0.03:
        yield (
            "violations",
            {
                "id": f"{m}-vi-{year}",
                "member": m,
                "date": _day(rng, year).isoformat(),
                "kind": "other",
                "summary": "…",
            },
        )


def _team_year(rng: random.Random, year: int) -> Iterator[tuple[str, dict[str, Any]]]:
    for n in range(rng.randint(26, 34)):
        issued = _day(rng, year)
        d = f"d-{year}-{n}"
        yield "directives", {"id": d, "issued": issued.isoformat(), "kind": "speech"}
        relayed = issued + dt.timedelta(days=rng.choice((1, 2, 3, 5, 8)))
        yield (
            "study_sessions",
            {
                "id": f"ss-{year}-{n}",
                "date": relayed.isoformat(),
                "kind": "relay",
                "directives": [d],
            },
        )
    for q in range(4):
        day = dt.date(year, 3 * q + 1, rng.randint(5, 25)).isoformat()
        yield "study_sessions", {"id": f"cg-{year}-{q}", "date": day, "kind": "central_group"}
    for n in range(22):
        status = "completed" if rng.random() < 0.93 else "in_progress"
        yield (
            "livelihood_projects",
            {
                "id": f"lp-{year}-{n}",
                "year": year,
                "area": "housing",
                "status": status,
                "title": "民心工程",
            },
        )
    for n in range(rng.randint(8, 14)):
        day = _day(rng, year)
        review = (day - dt.timedelta(days=rng.randint(0, 20))).isoformat()
        body = "executive_meeting" if rng.random() < 0.97 else "individual"
        yield (
            "major_decisions",
            {
                "id": f"md-{year}-{n}",
                "date": day.isoformat(),
                "decided_by": body,
                "legal_review": review,
            },
        )
    yield (
        "democratic_life_meetings",
        {"id": f"dl-{year}", "date": f"{year}-12-{rng.randint(10, 28)}"},
    )


def generate(members: int, years: int, seed: int, first_year: int = 2018) -> dict[str, Any]:
    """A facts document for one team of ``members`` over ``years`` calendar years."""
    rng = random.Random(seed)
    doc: dict[str, Any] = {
        "format": FORMAT,
        "team": {"id": "bench", "name": "基准测试班子"},
        "members": [],
        "contact_points": [],
        "assessments": [],
    }
    for category in (
        "research_trips",
        "research_topics",
        "research_reports",
        "contact_point_visits",
        "livelihood_projects",
        "directives",
        "study_sessions",
        "major_decisions",
        "personal_matters_reports",
        "democratic_life_meetings",
        "violations",
    ):
        doc[category] = []
    for i in range(members):
        m = f"m{i:06d}"
        doc["members"].append(
            {
                "id": m,
                "name": f"成员{i}",
                "post": POSTS[i % len(POSTS)],
                "tenure": {"start": f"{first_year - 1}-06-01", "end": None},
            }
        )
        doc["contact_points"].append(
            {
                "id": f"{m}-cp",
                "member": m,
                "kind": "village",
                "start": f"{first_year}-01-01",
                "end": None,
            }
        )
    for year in range(first_year, first_year + years):
        for category, record in _team_year(rng, year):
            doc[category].append(record)
        for i in range(members):
            for category, record in _member_year(rng, f"m{i:06d}", year):
                doc[category].append(record)
    return doc


def count_records(doc: dict[str, Any]) -> int:
    """Records in a document: every element of every category list."""
    return sum(len(v) for v in doc.values() if isinstance(v, list))


def json_lines(doc: dict[str, Any]) -> Iterator[str]:
    """The document as JSON Lines: format, team, then each category and its records."""

    def line(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"

    yield line({"format": doc["format"]})
    yield line({"team": doc["team"]})
    for category, records in doc.items():
        if isinstance(records, list):
            yield line({"category": category})  # supplied, even when empty
            for record in records:
                yield line({"category": category, "record": record})


def _write(doc: dict[str, Any], output: str, lines: bool) -> None:
    stream = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
    try:
        if lines:
            stream.writelines(json_lines(doc))
        else:
            stream.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
    finally:
        if stream is not sys.stdout:
            stream.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lines", action="store_true", help="write JSON Lines")
    parser.add_argument("--teams", type=int, default=0, help="write this many team shards")
    parser.add_argument("-o", "--output", default="-", help="file (or, with --teams, directory)")
    args = parser.parse_args(argv)
    if not args.teams:
        doc = generate(args.members, args.years, args.seed)
        _write(doc, args.output, args.lines)
        print(f"{count_records(doc)} records", file=sys.stderr)
        return 0
    folder = Path(args.output)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for t in range(args.teams):
        share = args.members // args.teams + (t < args.members % args.teams)
        doc = generate(max(1, share), args.years, args.seed * 1000 + t)
        doc["team"] = {"id": f"bench-{t + 1:04d}", "name": f"基准测试班子{t + 1}"}
        _write(doc, str(folder / f"team-{t + 1:04d}.jsonl"), lines=True)
        total += count_records(doc)
    print(f"{total} records in {args.teams} teams", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
