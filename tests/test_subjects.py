"""``subjects``: results only for the members named (and the team's only if ``team`` is
named), from Python, the command line and ``--jobs N``; the report lists only those
members, and naming every subject gives the unfiltered report byte for byte."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import selfbuild_rules as sr
from selfbuild_rules.engine import parallel as _parallel
from selfbuild_rules.engine.setup import Options, Setup
from selfbuild_rules.tianjin2018 import BASE
from test_parallel import AS_OF, team

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "tianjin-2018.json"
FACTS = sr.load_facts(team(6))
IDS = [m.id for m in FACTS.members]
FULL = sr.evaluate(FACTS, "2019", AS_OF)


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "selfbuild_rules.cli", "evaluate", *args]
    return subprocess.run(command, capture_output=True, check=False)


@settings(max_examples=25)
@given(st.lists(st.sampled_from([*IDS, "team"]), min_size=1, max_size=8))
def test_the_results_are_the_full_reports_for_the_subjects_named(chosen: list[str]) -> None:
    report = sr.evaluate(FACTS, "2019", AS_OF, subjects=chosen)
    assert report.results == tuple(r for r in FULL.results if r.subject in chosen)
    # The members listed are those named, in the facts' order, whatever order was given.
    assert list(report.members) == [m for m in IDS if m in chosen]
    assert sum(report.summary().values()) == len(report.results)


def test_the_team_only_when_named() -> None:
    members = sr.evaluate(FACTS, "2019", AS_OF, subjects=["m01"])
    assert {r.subject for r in members.results} == {"m01"}
    alone = sr.evaluate(FACTS, "2019", AS_OF, subjects=["team"])
    assert alone.members == {} and {r.subject for r in alone.results} == {"team"}
    # The team's results rest on every member's facts, named or not.
    assert alone.results == tuple(r for r in FULL.results if r.subject == "team")


def test_every_subject_named_is_the_unfiltered_report() -> None:
    everyone = sr.evaluate(FACTS, "2019", AS_OF, subjects=[*reversed(IDS), "team", "m00"])
    assert everyone.to_json_bytes() == FULL.to_json_bytes()


@pytest.mark.parametrize(
    ("subjects", "error", "said"),
    [
        (["m01", "m99", "x"], ValueError, "unknown subject(s): m99, x"),
        (["t"], ValueError, "subject 'team'"),  # the team's id: told the right name
        ([], ValueError, "at least one"),
        ("m01", TypeError, "subjects: give a list"),  # not read letter by letter
        (["m01", None], TypeError, "subjects: each must be an id"),
    ],
)
def test_a_subject_that_is_not_there_is_named(subjects: Any, error: type, said: str) -> None:
    with pytest.raises(error, match=said.replace("(", r"\(").replace(")", r"\)")):
        sr.evaluate(FACTS, "2019", AS_OF, subjects=subjects)


@pytest.mark.usefixtures("many_cpus")
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_parallel_processes_give_the_same_filtered_report(method: str) -> None:
    if method not in _parallel.multiprocessing.get_all_start_methods():
        pytest.skip(f"{method} is not available here")
    chosen = ["m04", "m01", "m02", "team"]
    one = sr.evaluate(FACTS, "2019", AS_OF, subjects=chosen)
    # A spawned worker is sent the options and filters the members itself.
    run = Setup(BASE, Options.of("2019", AS_OF, subjects=chosen, jobs=3)).prepare(FACTS)
    parts = _parallel.parts_by_entry(run, _parallel.pickled, method)
    assert tuple(r for packed in parts for part in packed for r in _parallel.unpickled(part)) == (
        one.results
    )
    assert sr.evaluate(FACTS, "2019", AS_OF, subjects=chosen, jobs=3) == one


@pytest.fixture(scope="module")
def facts_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("subjects") / "team.json"
    path.write_text(json.dumps(team(6), ensure_ascii=False), encoding="utf-8")
    return path


def test_the_command_line_repeatable_and_comma_separated(facts_file: Path) -> None:
    common = [str(facts_file), "--period", "2019", "--as-of", AS_OF, "--format", "json"]
    done = run(*common, "--subjects", "m03,team", "--subjects", "m01")
    assert done.returncode == 0, done.stderr
    # From the same file: the provenance names the digest of the bytes read.
    wanted = sr.evaluate(str(facts_file), "2019", AS_OF, subjects=["m01", "m03", "team"])
    assert done.stdout == wanted.to_json_bytes()
    document = json.loads(done.stdout)
    assert [m["id"] for m in document["members"]] == ["m01", "m03"]


def test_the_command_line_with_jobs_and_a_file(facts_file: Path, tmp_path: Path) -> None:
    common = [str(facts_file), "--period", "2019", "--as-of", AS_OF, "--format", "json"]
    common += ["--subjects", "m00,m02,m03,m05"]
    one = run(*common)
    two = run(*common, "--jobs", "2")
    written = tmp_path / "two.json"  # the workers write their parts into the file
    into = run(*common, "--jobs", "2", "-o", str(written), "--fail-on", "non_compliant")
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout == written.read_bytes()
    expected = sr.evaluate(FACTS, "2019", AS_OF, subjects=["m00", "m02", "m03", "m05"])
    failing = expected.summary()["non_compliant"] > 0
    assert into.returncode == (1 if failing else 0)


def test_every_subject_on_the_command_line_is_the_same_bytes() -> None:
    common = [str(EXAMPLE), "--period", "2018", "--as-of", "2019-03-01", "--format", "json"]
    ids = [m["id"] for m in json.loads(EXAMPLE.read_text(encoding="utf-8"))["members"]]
    plain = run(*common)
    named = run(*common, "--subjects", ",".join(["team", *ids]))
    assert plain.returncode == named.returncode == 0
    assert named.stdout == plain.stdout


def test_an_unknown_subject_on_the_command_line_is_exit_2_and_writes_nothing(
    facts_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.json"
    for form in ("json", "text"):
        done = run(str(facts_file), "--period", "2019", "--subjects", "m01,m42",
                   "--format", form, "-o", str(out))  # fmt: skip
        assert done.returncode == 2
        assert done.stderr.decode().splitlines() == ["error: unknown subject(s): m42"]
        assert not out.exists()
    empty = run(str(facts_file), "--period", "2019", "--subjects", " ,")
    assert empty.returncode == 2 and b"--subjects" in empty.stderr
