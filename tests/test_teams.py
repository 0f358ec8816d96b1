"""Many teams in one command and the results table (CSV, Parquet): real processes, real files.

Every expected value is worked out from the one-team path (``sr.evaluate`` or the
command on one shard), never copied from output.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import selfbuild_rules as sr
from selfbuild_rules.engine.provisions import Uniform
from selfbuild_rules.engine.results import Citation
from selfbuild_rules.facts.loading import dump_facts_lines
from selfbuild_rules.report.results_table import COLUMNS, Rows
from shards import team as shards_team

PERIOD, AS_OF = "2018", "2019-03-01"


def team(i: int) -> dict[str, Any]:
    """Team ``i`` with ``i % 3 + 1`` members (see :func:`shards.team`)."""
    return shards_team(i, i % 3 + 1, 15)


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "selfbuild_rules.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False, env=env)


def evaluate(*args: str) -> subprocess.CompletedProcess[str]:
    return run("evaluate", *args, "--period", PERIOD, "--as-of", AS_OF)


@pytest.fixture
def shards(tmp_path: Path) -> Path:
    """Five teams: four as JSON Lines, one as a JSON document; and a file that is no shard."""
    folder = tmp_path / "shards"
    folder.mkdir()
    for i in range(5):
        if i == 3:
            text = json.dumps(team(i), ensure_ascii=False)
            (folder / f"team-{i}.json").write_text(text, encoding="utf-8")
        else:
            lines = "".join(dump_facts_lines(sr.load_facts(team(i))))
            (folder / f"team-{i}.jsonl").write_text(lines, encoding="utf-8")
    (folder / "README.txt").write_text("not a shard", encoding="utf-8")
    return folder


def shard_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".json", ".jsonl"))


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "no byte order mark: Excel would not read Chinese"
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))
    assert rows[0] == list(COLUMNS)
    return rows[1:]


def expected_rows(doc: dict[str, Any]) -> list[list[str]]:
    """The rows of one team worked out from the API's report."""
    report = sr.evaluate(doc, PERIOD, AS_OF)
    found = []
    for r in report.results:
        need = r.requirement
        values = (None,) * 3 if need is None else (need.measured, need.minimum, need.maximum)
        numbers = ["" if v is None else str(v) for v in values]
        due = "" if r.due is None else r.due.isoformat()
        found.append([report.team.id, r.period, r.rule, r.subject, r.status.value, *numbers,
                      due, r.explanation.zh, r.explanation.en])  # fmt: skip
    return found


def test_csv_of_one_team_has_a_row_per_result(tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(team(2), ensure_ascii=False), encoding="utf-8")
    done = evaluate(str(path), "-o", str(tmp_path / "out.csv"))
    assert done.returncode == 0, done.stderr
    assert csv_rows((tmp_path / "out.csv").read_bytes()) == expected_rows(team(2))
    assert any(r[5] and r[6] for r in expected_rows(team(2)))  # numbers are in it


def test_csv_is_the_same_with_two_processes(tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(team(5), ensure_ascii=False), encoding="utf-8")
    outs = []
    for jobs in ("1", "2"):
        outs.append(evaluate(str(path), "--format", "csv", "--jobs", jobs).stdout)
    assert outs[0] == outs[1] and outs[0].count("\n") > 10


@given(st.lists(st.tuples(st.text(min_size=1), st.integers(0, 1)), max_size=6))
def test_rows_from_a_template_equal_rows_from_results(subjects: list[tuple[str, int]]) -> None:
    made = Uniform("1.x", "2018", Citation("demo", "一", "1.x", "示例"), "demo", subjects)
    assert Rows.of("t", made) == Rows.of("t", made.results())


def test_a_folder_of_shards_gives_each_team_its_own_report(shards: Path, tmp_path: Path) -> None:
    for jobs in ("1", "2"):
        out = tmp_path / f"reports-{jobs}"
        done = evaluate(str(shards), "-o", f"{out}/", "--jobs", jobs)
        assert done.returncode == 0, done.stderr
        written = sorted(p.name for p in out.iterdir())
        assert written == sorted(p.stem + ".json" for p in shard_files(shards))
        for shard in shard_files(shards):
            alone = evaluate(str(shard), "--format", "json")
            assert (out / f"{shard.stem}.json").read_text(encoding="utf-8") == alone.stdout
            named = json.loads(alone.stdout)["provenance"]["facts"]  # each shard's own bytes
            assert named == {"of": "bytes", "sha256": sha256(shard.read_bytes()).hexdigest()}


def test_one_table_of_every_team_in_the_order_of_the_shards(shards: Path, tmp_path: Path) -> None:
    wanted = [row for i in (0, 1, 2, 3, 4) for row in expected_rows(team(i))]
    tables = []
    for jobs in ("1", "2"):
        out = tmp_path / f"all-{jobs}.csv"
        done = evaluate(str(shards), "-o", str(out), "--jobs", jobs)
        assert done.returncode == 0, done.stderr
        tables.append(out.read_bytes())
    assert tables[0] == tables[1]
    assert csv_rows(tables[0]) == wanted


def test_a_glob_and_several_paths_name_the_same_shards(shards: Path) -> None:
    by_folder = evaluate(str(shards), "--format", "csv").stdout
    by_glob = evaluate(str(shards / "team-*"), "--format", "csv").stdout
    by_paths = evaluate(*map(str, shard_files(shards)), "--format", "csv").stdout
    assert by_folder == by_glob == by_paths and by_folder.count("\n") > 40


def test_fail_on_counts_every_team(shards: Path) -> None:
    done = evaluate(str(shards), "--format", "csv", "--fail-on", "non_compliant")
    assert done.returncode == 1
    done = evaluate(str(shards), "--format", "csv", "--fail-on", "not_applicable")
    has = any(r[4] == "not_applicable" for i in range(5) for r in expected_rows(team(i)))
    assert done.returncode == int(has)


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("into", ["reports/", "all.csv"])
def test_a_bad_shard_stops_the_run_and_writes_nothing(
    shards: Path, tmp_path: Path, jobs: str, into: str
) -> None:
    (shards / "team-2.jsonl").write_text(
        '{"format": "selfbuild-rules.facts/1"}\n{"team": {"id": "t", "name": "x"}}\n'
        '{"category": "members", "record": {"id": "m", "name": "n", "post": "boss", '
        '"tenure": {"start": "2018-01-01"}}}\n',
        encoding="utf-8",
    )
    done = evaluate(str(shards), "-o", f"{tmp_path}/{into}", "--jobs", jobs)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines)
    assert f"{shards / 'team-2.jsonl'}: line 3: members[0].post" in lines[0]
    assert "Traceback" not in done.stderr
    assert sorted(os.listdir(tmp_path)) == ["shards"]  # no report, no hidden folder


def test_a_folder_with_something_in_it_is_refused(shards: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    (out / "old.json").write_text("{}", encoding="utf-8")
    done = evaluate(str(shards), "-o", f"{out}/")
    assert done.returncode == 2 and "not empty" in done.stderr
    assert os.listdir(out) == ["old.json"]
    (out / "old.json").unlink()
    assert evaluate(str(shards), "-o", f"{out}/").returncode == 0  # an empty one is filled
    assert len(os.listdir(out)) == 5


def test_many_shards_need_a_folder_or_a_table(shards: Path) -> None:
    done = evaluate(str(shards), "--format", "json")
    assert done.returncode == 2
    assert "-o reports/" in done.stderr and "--format csv or parquet" in done.stderr


def test_two_shards_of_one_name_are_refused(shards: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "team-0.json").write_text(json.dumps(team(7)), encoding="utf-8")
    done = evaluate(str(shards), str(other), "-o", f"{tmp_path / 'out'}/")
    assert done.returncode == 2 and "team-0.json" in done.stderr


def test_parquet_reads_back_as_the_csv_with_types(shards: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra is not installed")
    done = evaluate(str(shards), "-o", str(tmp_path / "all.parquet"), "--jobs", "2")
    assert done.returncode == 0, done.stderr
    table = pq.read_table(tmp_path / "all.parquet")
    assert table.column_names == list(COLUMNS)
    assert str(table.schema.field("measured").type) == "int64"
    assert str(table.schema.field("due").type) == "date32[day]"
    as_text = [
        ["" if v is None else (v.isoformat() if hasattr(v, "isoformat") else str(v))
         for v in row.values()]
        for row in table.to_pylist()
    ]  # fmt: skip
    assert as_text == csv_rows(evaluate(str(shards), "--format", "csv").stdout.encode("utf-8"))


def test_parquet_without_pyarrow_says_what_to_install(tmp_path: Path) -> None:
    blocker = tmp_path / "blocked" / "pyarrow"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('no pyarrow here')\n")
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(team(1)), encoding="utf-8")
    pythonpath = os.pathsep.join([str(blocker.parent), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": pythonpath}
    out = str(tmp_path / "x.parquet")
    done = run("evaluate", str(path), "--period", PERIOD, "-o", out, env=env)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "error: --format parquet needs pyarrow: pip install 'selfbuild-rules[parquet]'"
    ]
    assert not (tmp_path / "x.parquet").exists()


def test_one_facts_file_into_a_folder_and_stdin_refused(shards: Path, tmp_path: Path) -> None:
    shard = shard_files(shards)[0]
    done = evaluate(str(shard), "-o", f"{tmp_path / 'one'}/")
    assert done.returncode == 0, done.stderr
    alone = evaluate(str(shard), "--format", "json").stdout
    assert (tmp_path / "one" / f"{shard.stem}.json").read_text(encoding="utf-8") == alone
    done = evaluate("-", "-o", f"{tmp_path / 'two'}/")
    assert done.returncode == 2 and "standard input" in done.stderr
    assert not (tmp_path / "two").exists()


def test_a_worker_that_dies_ends_the_run_instead_of_hanging(
    shards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures.process import BrokenProcessPool

    from selfbuild_rules.cli import teams
    from selfbuild_rules.engine.setup import Options
    from selfbuild_rules.evaluation import setup_for

    real = teams.team_done

    def dying(ready: Any, shard: str, path: str | None) -> Any:
        if shard.endswith("team-2.jsonl"):
            os._exit(9)  # as a worker killed by the kernel would end: no word said
        return real(ready, shard, path)

    monkeypatch.setattr(teams, "team_done", dying)  # the forked workers inherit it
    ready = teams.Ready.of(teams.Job.of(setup_for(Options.of(PERIOD, AS_OF)), "csv"))
    paths = [str(p) for p in shard_files(shards)]
    with pytest.raises(BrokenProcessPool):
        list(teams.each_team(ready, paths, [None] * len(paths), jobs=2))


def test_a_folder_named_without_its_slash_is_refused_as_before(
    shards: Path, tmp_path: Path
) -> None:
    (tmp_path / "reports").mkdir()
    done = evaluate(str(shard_files(shards)[0]), "-o", str(tmp_path / "reports"))
    assert done.returncode == 2
    assert "it is a directory (end it with / to write one report per team" in done.stderr
    assert os.listdir(tmp_path / "reports") == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_progress_line_per_shard_on_a_terminal(shards: Path, tmp_path: Path, jobs: str) -> None:
    from test_report_cli import on_terminal

    cmd = [sys.executable, "-m", "selfbuild_rules.cli", "evaluate", str(shards), "--period",
           PERIOD, "--as-of", AS_OF, "-o", f"{tmp_path / 'reports'}/", "--jobs", jobs]  # fmt: skip
    shown, _ = on_terminal(cmd, stdout=False, stderr=True)
    for i, shard in enumerate(shard_files(shards), 1):
        assert f"team {i} of 5 ({shard.name})" in shown
    assert shown.endswith("\r\x1b[K") and "成员" not in shown
    assert evaluate(str(shards), "-o", f"{tmp_path / 'again'}/").stderr == ""  # a pipe: none
