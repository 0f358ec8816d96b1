"""Many teams on a Dask cluster (the ``dask`` extra): one report per team, each the report
a single process gives for that team's shard."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("dask.bag", reason="the dask extra is not installed: pip install '.[dask]'")
distributed = pytest.importorskip(
    "distributed", reason="the dask extra is not installed: pip install '.[dask]'"
)

import dask.bag as db  # noqa: E402

import selfbuild_rules as sr  # noqa: E402
from selfbuild_rules.extra.dask import (  # noqa: E402
    ShardError,
    TeamReports,
    evaluate_teams,
    team_reports,
)
from selfbuild_rules.facts.loading import dump_facts_lines  # noqa: E402
from shards import team as shards_team  # noqa: E402

AS_OF = "2019-03-01"


def team(i: int) -> dict[str, Any]:
    """Team ``i`` with ``i + 1`` members; member j ≥ 1 researched from 1 March to the
    20th of month 3 + j of 2018."""
    return shards_team(i, i + 1, 20)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as connected,
    ):
        yield connected


@pytest.fixture
def shards(tmp_path: Path) -> Path:
    """Four teams, three as JSON Lines and one as a JSON document."""
    for i in range(4):
        facts = sr.load_facts(team(i))
        if i == 2:
            text = json.dumps(team(i), ensure_ascii=False)
            (tmp_path / f"team-{i}.json").write_text(text, encoding="utf-8")
        else:
            lines = "".join(dump_facts_lines(facts))
            (tmp_path / f"team-{i}.jsonl").write_text(lines, encoding="utf-8")
    (tmp_path / "README.txt").write_text("not a shard", encoding="utf-8")
    return tmp_path


def alone(path: Path) -> sr.Report:
    return sr.evaluate(path, "2018", AS_OF)


def test_a_directory_of_shards_gives_each_team_its_single_process_report(
    client: Any, shards: Path
) -> None:
    got = evaluate_teams(shards, "2018", AS_OF, client=client)
    paths = sorted(p for p in shards.iterdir() if p.suffix in (".json", ".jsonl"))
    expected = [alone(p) for p in paths]
    assert list(got.reports) == expected
    assert [r.to_json() for r in got.reports] == [r.to_json() for r in expected]
    assert [r.team.id for r in got.reports] == ["team-0", "team-1", "team-2", "team-3"]
    # Combining: each result tagged with its team; the summary adds all teams up.
    tagged = list(got.results())
    assert len(tagged) == sum(len(r.results) for r in expected)
    assert tagged[0][0] == "team-0" and tagged[-1][0] == "team-3"
    for status, count in got.summary().items():
        assert count == sum(r.summary()[status] for r in expected)
    # team-3's member m3 researched 1 Mar..20 Jun = 112 days: compliant (55 needed).
    assert got.report("team-3").result("3.research-days", "t3-m3").status is sr.Status.COMPLIANT


def test_a_list_of_shards_and_a_bag_of_documents(client: Any, shards: Path) -> None:
    paths = [shards / "team-3.jsonl", shards / "team-1.jsonl"]
    got = evaluate_teams(paths, "2018", AS_OF, rules=["3.research-days"], client=client)
    assert list(got.reports) == [
        sr.evaluate(p, "2018", AS_OF, rules=["3.research-days"]) for p in paths
    ]
    bag = db.from_sequence([team(i) for i in range(3)], npartitions=2)
    from_bag = evaluate_teams(bag, "2018", AS_OF, client=client)
    assert list(from_bag.reports) == [sr.evaluate(team(i), "2018", AS_OF) for i in range(3)]


@pytest.mark.usefixtures("example_modules")
def test_modules_named_are_loaded_on_the_workers(client: Any, shards: Path) -> None:
    got = evaluate_teams(shards, "2019", "2020-03-01", modules=["example-district"], client=client)
    paths = sorted(p for p in shards.iterdir() if p.suffix in (".json", ".jsonl"))
    assert list(got.reports) == [
        sr.evaluate(p, "2019", "2020-03-01", modules=["example-district"]) for p in paths
    ]
    assert got.reports[0].modules == ("example-district",)


def test_json_lines_of_reports_hold_each_report(client: Any, shards: Path) -> None:
    got = evaluate_teams(shards, "2018", AS_OF, client=client)
    lines = got.to_json_lines().splitlines()
    assert [json.loads(line) for line in lines] == [json.loads(r.to_json()) for r in got.reports]


def test_urls_and_patterns_name_shards(client: Any, shards: Path) -> None:
    by_url = evaluate_teams(shards.as_uri() + "/", "2018", AS_OF, client=client)
    assert [r.team.id for r in by_url.reports] == ["team-0", "team-1", "team-2", "team-3"]
    by_pattern = evaluate_teams(str(shards / "team-[13].jsonl"), "2018", AS_OF, client=client)
    assert list(by_pattern.reports) == [
        alone(shards / "team-1.jsonl"),
        alone(shards / "team-3.jsonl"),
    ]


def test_workers_can_write_the_reports_themselves(
    client: Any, shards: Path, tmp_path: Path
) -> None:
    out = tmp_path / "reports"
    bag = team_reports(shards, "2018", AS_OF).map(lambda report: report.to_json())
    bag.to_textfiles(str(out / "*.json"), compute=True, scheduler=client)
    written = sorted(out.iterdir())
    paths = sorted(p for p in shards.iterdir() if p.suffix in (".json", ".jsonl"))
    assert [json.loads(p.read_text("utf-8")) for p in written] == [
        json.loads(alone(p).to_json()) for p in paths
    ]


def test_a_broken_shard_is_named(client: Any, shards: Path) -> None:
    (shards / "team-9.jsonl").write_text('{"format": "selfbuild-rules.facts/1"}\n', "utf-8")
    with pytest.raises(ShardError, match=r"team-9\.jsonl: 2 problems") as caught:
        evaluate_teams(shards, "2018", AS_OF, client=client)
    assert [p.path for p in caught.value.error.problems] == ["team", "members"]


def test_one_team_in_two_shards_is_refused(shards: Path) -> None:
    report = alone(shards / "team-1.jsonl")
    with pytest.raises(ValueError, match="more than one shard for team team-1"):
        TeamReports((report, report))


def test_an_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no shard"):
        evaluate_teams(tmp_path, "2018", AS_OF)


def command(shards: Path, *args: str) -> None:
    """The one-command path on the same shards, for the Dask path to equal."""
    done = subprocess.run(
        [sys.executable, "-m", "selfbuild_rules.cli", "evaluate", str(shards),
         "--period", "2018", "--as-of", AS_OF, *args],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_with_out_workers_write_each_team_report_as_the_command_does(
    client: Any, shards: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dask"
    summary = evaluate_teams(shards, "2018", AS_OF, client=client, out=out, per_task=3)
    command(shards, "-o", f"{tmp_path / 'cli'}/")
    written = sorted(os.listdir(out))
    assert written == sorted(os.listdir(tmp_path / "cli")) and len(written) == 4
    for name in written:  # file by file, byte by byte
        assert (out / name).read_bytes() == (tmp_path / "cli" / name).read_bytes()
    reports = evaluate_teams(shards, "2018", AS_OF, client=client)
    assert summary.counts == reports.summary()
    assert sorted(summary.paths) == [str(out / name) for name in written]


@pytest.mark.parametrize("form", ["csv", "parquet"])
def test_with_out_workers_write_parts_of_one_table(
    client: Any, shards: Path, tmp_path: Path, form: str
) -> None:
    if form == "parquet":
        pytest.importorskip("pyarrow", reason="the parquet extra is not installed")
    out = tmp_path / "parts"
    summary = evaluate_teams(shards, "2018", AS_OF, client=client, out=out, form=form, per_task=3)
    assert [Path(p).name for p in summary.paths] == [f"part-00000.{form}", f"part-00001.{form}"]
    command(shards, "-o", str(tmp_path / f"all.{form}"))
    if form == "csv":
        header = ("\ufeff" + "team,period").encode("utf-8")
        parts = [Path(p).read_bytes() for p in summary.paths]
        assert all(part.startswith(header) for part in parts)
        body = [part.split(b"\r\n", 1)[1] for part in parts]
        whole = (tmp_path / "all.csv").read_bytes()
        assert whole.split(b"\r\n", 1)[1] == b"".join(body)
    else:
        import pyarrow.parquet as pq

        assert pq.read_table(out).to_pylist() == pq.read_table(tmp_path / "all.parquet").to_pylist()
    assert sum(summary.counts.values()) == sum(
        len(r.results) for r in map(alone, shard_paths(shards))
    )


def shard_paths(shards: Path) -> list[Path]:
    return sorted(p for p in shards.iterdir() if p.suffix in (".json", ".jsonl"))


@pytest.mark.parametrize("form", ["json", "csv"])
def test_with_out_a_broken_shard_is_named_and_no_part_file_is_left(
    client: Any, shards: Path, tmp_path: Path, form: str
) -> None:
    (shards / "team-9.jsonl").write_text('{"format": "selfbuild-rules.facts/1"}\n', "utf-8")
    out = tmp_path / "out"
    with pytest.raises(ShardError, match=r"team-9\.jsonl: 2 problems"):
        # One task: the table part holds four teams' rows when the fifth fails.
        evaluate_teams(shards, "2018", AS_OF, client=client, out=out, form=form, per_task=5)
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    assert not (out / "part-00000.csv").exists()


def test_by_default_each_worker_thread_is_given_a_few_tasks_of_equal_size(client: Any) -> None:
    from selfbuild_rules.extra.dask import TASKS_PER_THREAD, _batches

    paths = [f"t{i:02d}.jsonl" for i in range(21)]
    batches = _batches(paths, None, client)  # 2 workers of 1 thread each
    assert len(batches) == 2 * TASKS_PER_THREAD
    assert {len(b.shards) for b in batches} == {21 // len(batches), 21 // len(batches) + 1}
    assert [s for b in batches for s in b.shards] == paths
    assert [b.number for b in batches] == list(range(len(batches)))
    assert [len(b.shards) for b in _batches(paths, 6, client)] == [6, 6, 6, 3]
    assert [len(b.shards) for b in _batches(paths[:3], None, client)] == [1, 1, 1]


def test_a_worker_makes_the_job_ready_once_for_all_its_tasks(shards: Path) -> None:
    from selfbuild_rules.cli.teams import Job
    from selfbuild_rules.engine.setup import Options
    from selfbuild_rules.evaluation import setup_for
    from selfbuild_rules.extra.dask import _ready

    job = Job.of(setup_for(Options.of("2018", AS_OF)), "csv")
    ready = _ready(job)
    assert _ready(job) is ready  # the tasks of one call: one law, one shared memo
    again = Job.of(setup_for(Options.of("2018", AS_OF)), "csv")
    assert again == job and _ready(again) is not ready  # another call's job


def test_the_province_benchmark_times_the_dask_path(tmp_path: Path) -> None:
    benchmarks = Path(__file__).resolve().parent.parent / "benchmarks"
    done = subprocess.run(
        [sys.executable, str(benchmarks / "province.py"), "--teams", "4", "--members", "2",
         "--only", "jobs2,dask", "--workdir", str(tmp_path), "--remove"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("Dask, ")]
    assert [row.split(",")[3].strip() for row in rows] == ["4 tasks"] * 3, done.stdout
    assert "Dask second call, profiler off / one command --jobs 2: wall " in done.stdout
    assert not (tmp_path / "province-4x2").exists()
