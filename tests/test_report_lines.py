"""The report as JSON Lines (``--format jsonl``): a header line, one line per result, a
summary line. Every line parses, the results with their citations put back are the JSON
report's, and the bytes are the same whatever the jobs and wherever they are written."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import selfbuild_rules as sr
from selfbuild_rules.engine.provisions import Uniform
from selfbuild_rules.engine.results import Citation, Result
from selfbuild_rules.engine.setup import Options
from selfbuild_rules.evaluation import setup_for
from selfbuild_rules.facts.digest import Digest
from selfbuild_rules.report.jsonl import LINES_FORMAT, result_line, results_lines
from selfbuild_rules.report.stream import LINES_LAYOUT, Streamed, json_report, packed_lines
from strategies import facts_documents
from test_parallel import AS_OF, team

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tianjin-2018.json"


def lines_of(facts: Any, period: str, as_of: str, **how: Any) -> Streamed:
    """The streamed JSON Lines report, set up as :func:`selfbuild_rules.evaluate` would."""
    setup = setup_for(Options.of(period, as_of, **how))
    digest = Digest()
    loaded = sr.load_facts(facts, digest=digest)
    return json_report(loaded, setup, digest=digest.value(), layout=LINES_LAYOUT)


def read_back(text: str) -> dict[str, Any]:
    """The JSON report's document rebuilt from the lines: every line must parse."""
    header, *results, last = map(json.loads, text.split("\n")[:-1])
    assert text.endswith("\n") and set(last) == {"summary"}
    listed, sets = header["provisions"], header["interpretations"]
    for result in results:
        assert "citation" not in result and result["rule"] in listed
        assert result["interpretations"] is None or result["interpretations"] in sets
    assert set(listed) == {r["rule"] for r in results}  # only the provisions with results
    assert header.pop("format") == LINES_FORMAT
    return header | {"results": results, "summary": last["summary"]}


def the_json_document(report: sr.Report) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(report.to_json())
    del document["format"]
    return document


@settings(max_examples=60)
@given(facts_documents(), st.sampled_from([None, ["team"]]))
def test_the_lines_are_the_json_report(doc: dict[str, Any], subjects: Any) -> None:
    how = {} if subjects is None else {"subjects": subjects}
    report = sr.evaluate(doc, "2018", "2019-03-01", **how)
    text = report.to_jsonl()
    assert read_back(text) == the_json_document(report)
    assert results_lines(report.results) == b"\n".join(map(result_line, report.results))
    streamed = lines_of(doc, "2018", "2019-03-01", **how)
    assert b"".join(streamed.chunks()) == text.encode("utf-8")
    assert streamed.counts == report.summary()


def test_a_header_line_a_line_per_result_and_a_summary_line() -> None:
    report = sr.evaluate(EXAMPLE, "2018", "2019-03-01").redacted()
    lines = report.to_jsonl().splitlines()
    assert len(lines) == len(report.results) + 2
    header = json.loads(lines[0])
    assert header["members"][0] == {"id": "m01", "name": "m01"}
    assert header["provenance"]["facts"]["of"] == "bytes"


def test_nothing_to_evaluate_is_a_header_and_a_summary() -> None:
    text = sr.evaluate(EXAMPLE, "2018", "2019-03-01", rules=[]).to_jsonl()
    header, summary = map(json.loads, text.splitlines())
    assert header["provisions"] == header["interpretations"] == {}
    assert set(summary["summary"].values()) == {0}
    assert b"".join(lines_of(EXAMPLE, "2018", "2019-03-01", rules=[]).chunks()) == text.encode()


@pytest.mark.usefixtures("many_cpus")  # 3 processes, whatever the CPUs
@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_workers_read_or_writing_in_place_give_the_lines_of_one_process(jobs: int) -> None:
    expected = sr.evaluate(team(), "2019", AS_OF).to_jsonl().encode("utf-8")
    assert b"".join(lines_of(team(), "2019", AS_OF, jobs=jobs).chunks()) == expected
    with tempfile.TemporaryFile() as out:
        out.write(b"before\n")  # parts are placed after what the file already holds
        found = lines_of(team(), "2019", AS_OF, jobs=jobs)
        found.write_into(out, seekable=True)
        out.seek(0)
        assert out.read() == b"before\n" + expected
    assert found.counts == sr.evaluate(team(), "2019", AS_OF).summary()


@given(st.lists(st.tuples(st.text(), st.integers(0, 1)), max_size=8), st.text(min_size=1))
def test_lines_from_a_template_are_the_lines_written_one_by_one(
    subjects: list[tuple[str, int]], text: str
) -> None:
    cited = Citation("tianjin-2018", "一", "1.loyalty", text)
    made = Uniform("1.loyalty", "2018", cited, "tianjin-2018", subjects)
    assert packed_lines(made) == packed_lines(made.results())
    assert packed_lines(made)[1] == results_lines(made.results())


@attrs.frozen
class _Annotated(Result):
    """A result with a key sorted before ``citation``: cut from the line another way."""

    annotation: str = ""


def test_a_key_before_the_citation_is_kept_and_the_citation_left_out() -> None:
    plain = sr.evaluate(EXAMPLE, "2018", "2019-03-01").results[0]
    annotated = _Annotated(**attrs.asdict(plain, recurse=False), annotation="注")
    line = json.loads(result_line(annotated))
    assert line == json.loads(result_line(plain)) | {"annotation": "注"}
    both = [annotated, plain]  # lines written one by one: the cut is not at every start
    assert results_lines(both) == result_line(annotated) + b"\n" + result_line(plain)


def cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "selfbuild_rules.cli", "evaluate", *args]
    return subprocess.run(command, capture_output=True, check=False)


def test_the_command_writes_the_same_lines_to_a_file_or_stdout_with_any_jobs(
    tmp_path: Path,
) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(team(), ensure_ascii=False), encoding="utf-8")
    when = ("--period", "2019", "--as-of", AS_OF)
    target = tmp_path / "report.jsonl"
    written = cli(str(facts), *when, "-o", str(target), "--jobs", "2")  # by its ending
    printed = cli(str(facts), *when, "--format", "jsonl", "--jobs", "1")
    assert written.returncode == printed.returncode == 0, written.stderr + printed.stderr
    assert target.read_bytes() == printed.stdout
    report = sr.evaluate(facts, "2019", AS_OF)
    assert read_back(printed.stdout.decode("utf-8")) == the_json_document(report)


def test_one_lines_report_per_team_into_a_folder(tmp_path: Path) -> None:
    shards = tmp_path / "teams"
    shards.mkdir()
    for name in ("a", "b"):
        (shards / f"{name}.json").write_bytes(EXAMPLE.read_bytes())
    done = cli(str(shards), "--period", "2018", "--as-of", "2019-03-01", "--format", "jsonl",
               "-o", f"{tmp_path / 'out'}/")  # fmt: skip
    assert done.returncode == 0, done.stderr
    alone = cli(str(shards / "a.json"), "--period", "2018", "--as-of", "2019-03-01",
                "--format", "jsonl")  # fmt: skip
    assert (tmp_path / "out" / "a.jsonl").read_bytes() == alone.stdout
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.jsonl", "b.jsonl"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_many_teams_into_one_file_are_their_reports_one_after_another(
    tmp_path: Path, jobs: str
) -> None:
    shards = tmp_path / "teams"
    shards.mkdir()
    second = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    second["team"] = {"id": "tj-other", "name": "另一个班子"}
    (shards / "a.json").write_bytes(EXAMPLE.read_bytes())
    (shards / "b.json").write_text(json.dumps(second, ensure_ascii=False), encoding="utf-8")
    when = ("--period", "2018", "--as-of", "2019-03-01")
    target = tmp_path / "all.jsonl"
    done = cli(str(shards), *when, "-o", str(target), "--jobs", jobs)  # by its ending
    assert done.returncode == 0, done.stderr
    alone = [cli(str(shards / f"{n}.json"), *when, "--format", "jsonl").stdout for n in "ab"]
    assert target.read_bytes() == b"".join(alone)
    teams = [json.loads(line)["team"]["id"] for line in alone[1].splitlines()[:1]]
    assert teams == ["tj-other"]
