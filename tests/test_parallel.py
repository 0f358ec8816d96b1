"""``evaluate(..., jobs=N)`` and ``--jobs N``: the members evaluated in parallel processes
give the report ``jobs=1`` gives, result for result and byte for byte."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import selfbuild_rules as sr
from selfbuild_rules.engine import parallel as _parallel
from selfbuild_rules.engine.provisions import results_by_entry
from selfbuild_rules.engine.setup import Evaluation, Options, Setup
from selfbuild_rules.internal import placed as _placed
from selfbuild_rules.law.text import Provision, ProvisionKind, SubjectKind
from selfbuild_rules.plugins.modules import Module, NewProvision
from selfbuild_rules.rules.conditions import AtLeast, Measure
from selfbuild_rules.rules.ruleset import Check, Context, Rule
from selfbuild_rules.rules.tallies import tally_records
from selfbuild_rules.tianjin2018 import BASE

FORMAT = "selfbuild-rules.facts/1"
AS_OF = "2020-03-01"


def team(members: int = 13) -> dict[str, Any]:
    """A team whose members differ: tenures (one never in office in 2019), research days,
    topics, contact points and visits, violations, and an assessment for one of them."""
    doc: dict[str, Any] = {
        "format": FORMAT,
        "team": {"id": "t", "name": "班子"},
        "members": [],
        "research_trips": [],
        "research_topics": [],
        "contact_points": [],
        "contact_point_visits": [],
        "violations": [],
        "personal_matters_reports": [],
        "democratic_life_meetings": [{"id": "dl-1", "date": "2019-12-20"}],
        "assessments": [
            {
                "id": "as-1",
                "rule": "1.loyalty",
                "subject": "m03",
                "period": "2019",
                "result": "non_compliant",
                "date": "2020-01-15",
            }
        ],
    }
    for i in range(members):
        m = f"m{i:02d}"
        end = "2018-06-30" if i == 5 else None  # left before 2019: not applicable
        doc["members"].append(
            {
                "id": m,
                "name": f"成员{i}",
                "post": "vice_mayor",
                "tenure": {"start": "2017-01-01", "end": end},
            }
        )
        # i weeks of research: some meet the 55 days of 2019, some do not.
        doc["research_trips"].append(
            {
                "id": f"{m}-rt",
                "member": m,
                "start": "2019-03-01",
                "end": (dt.date(2019, 3, 1) + dt.timedelta(7 * i)).isoformat(),
            }
        )
        for t in range(i % 4):  # 0 to 3 topics: below, within and above the 1..2 bounds
            doc["research_topics"].append({"id": f"{m}-tp{t}", "member": m, "year": 2019})
        doc["contact_points"].append(
            {"id": f"{m}-cp", "member": m, "kind": "village", "start": "2018-01-01"}
        )
        if i % 3:
            doc["contact_point_visits"].append(
                {"id": f"{m}-v", "member": m, "contact_point": f"{m}-cp", "date": "2019-05-05"}
            )
        if i == 7:
            doc["violations"].append(
                {"id": "vi-1", "member": m, "date": "2019-04-01", "kind": "privilege"}
            )
        doc["personal_matters_reports"].append(
            {
                "id": f"{m}-pm",
                "member": m,
                "year": 2018,
                "filed": f"2019-{1 + i % 2:02d}-{10 + i:02d}",
            }
        )
    return doc


def in_one_process(run: Evaluation) -> list[list[sr.Result]]:
    return results_by_entry(run.ctx, run.law, run.entries, run.ctx.facts.members)


@pytest.mark.usefixtures("many_cpus")  # 3 or 20 processes, whatever the CPUs
def test_jobs_give_the_report_of_one_job() -> None:
    facts = sr.load_facts(team())
    one = sr.evaluate(facts, "2019", AS_OF)
    statuses = {r.status for r in one.results}
    assert {sr.Status.COMPLIANT, sr.Status.NON_COMPLIANT, sr.Status.NOT_APPLICABLE} <= statuses
    for jobs in (2, 3, 20):  # 20 > 13 members: at most one process per member
        many = sr.evaluate(facts, "2019", AS_OF, jobs=jobs)
        assert many == one
        assert many.to_json() == one.to_json()


@pytest.mark.usefixtures("example_modules", "many_cpus")  # 3 processes, whatever the CPUs
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_modules_named_are_applied_in_every_process(method: str) -> None:
    if method not in _parallel.multiprocessing.get_all_start_methods():
        pytest.skip(f"{method} is not available here")
    facts = sr.load_facts(team())
    options = Options.of("2019", AS_OF, modules=["example-district"], jobs=3)
    run = Setup(BASE, options).prepare(facts)
    # The module's own provision and its changed parameters (3 months of research) apply.
    assert any(e.provision.id == "example-district/4.quarterly-visit" for e in run.entries)
    expected = in_one_process(run)
    parts = _parallel.parts_by_entry(run, _parallel.pickled, method=method)
    found = [[r for part in packed for r in _parallel.unpickled(part)] for packed in parts]
    assert found == expected
    report = sr.evaluate(facts, "2019", AS_OF, modules=["example-district"], jobs=2)
    assert report == sr.evaluate(facts, "2019", AS_OF, modules=["example-district"])
    assert report.result("3.research-days", "m12").requirement.minimum == 90  # type: ignore[union-attr]


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_workers_say_how_many_batches_they_send(
    method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if method not in _parallel.multiprocessing.get_all_start_methods():
        pytest.skip(f"{method} is not available here")
    # A forked worker sees batches of 3 members; a spawned one imports its own size
    # (500): either way this process reads what each worker says it sent.
    monkeypatch.setattr("selfbuild_rules.engine.provisions.MEMBERS_AT_ONCE", 3)
    facts = sr.load_facts(team())
    run = Setup(BASE, Options.of("2019", AS_OF, jobs=2)).prepare(facts)
    parts = list(_parallel.parts_by_entry(run, _parallel.pickled, method))
    found = [[r for part in packed for r in _parallel.unpickled(part)] for packed in parts]
    assert found == in_one_process(run)
    member_parts = {
        len(packed) for packed, e in zip(parts, run.entries, strict=True) if e.binds_members
    }
    assert member_parts == ({2 + 3} if method == "fork" else {2})  # 7 + 6 members


def counting_module(log: Path) -> Module:
    """A module with one team provision whose rule appends this process's id to ``log``."""

    def obligation(ctx: Context, member: Any) -> Check:
        with log.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return Check(AtLeast(0, tally_records((), open=False)), ctx.period.range.end)

    provision = Provision(
        id="count/2.team-check",
        principle="二",
        kind=ProvisionKind.EVALUABLE,
        subject=SubjectKind.TEAM,
        title="Team check",
        text=("班子",),
        english="The team.",
    )
    rule = Rule(
        "count/2.team-check", SubjectKind.TEAM, (), (), Measure("项", "项", "checks"), obligation
    )
    return Module(
        id="count",
        title="计数",
        english_title="Count",
        authority="测试",
        adopted=dt.date(2018, 2, 2),
        in_force=dt.date(2018, 2, 2),
        text="班子",
        changes=(NewProvision(provision, rule, dt.date(2018, 2, 2)),),
        extends="tianjin-2018",
    )


@pytest.mark.usefixtures("many_cpus")  # 3 or 20 processes, whatever the CPUs
def test_team_provisions_are_evaluated_once_in_this_process(tmp_path: Path) -> None:
    log = tmp_path / "calls.txt"
    report = sr.evaluate(team(), "2019", AS_OF, modules=[counting_module(log)], jobs=3)
    assert report.result("count/2.team-check").status is sr.Status.COMPLIANT
    assert log.read_text().split() == [str(os.getpid())]


@pytest.mark.parametrize("jobs", [0, -1, 1.5, True, "2"])
def test_jobs_must_be_a_whole_number_of_at_least_one(jobs: Any) -> None:
    with pytest.raises(ValueError, match="jobs"):
        sr.evaluate(team(2), "2019", AS_OF, jobs=jobs)


def test_bounds_cover_every_member_once_in_order() -> None:
    for count in range(0, 30):
        for parts in range(1, 8):
            bounds = _parallel._bounds(count, parts)
            assert [i for a, b in bounds for i in range(a, b)] == list(range(count))
            sizes = [b - a for a, b in bounds]
            assert max(sizes) - min(sizes) <= 1


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "selfbuild_rules.cli", "evaluate", *args]
    return subprocess.run(command, capture_output=True, check=False)


def test_command_line_jobs_write_the_same_report(tmp_path: Path) -> None:
    facts = tmp_path / "team.json"
    facts.write_text(json.dumps(team(), ensure_ascii=False), encoding="utf-8")
    common = [str(facts), "--period", "2019", "--as-of", AS_OF, "--format", "json"]
    one, two = run(*common), run(*common, "--jobs", "2")
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout
    assert json.loads(two.stdout)["format"] == "selfbuild-rules.report/2"
    bad = run(*common, "--jobs", "0")
    assert bad.returncode == 2 and b"--jobs" in bad.stderr


def test_command_line_jobs_write_the_same_report_file(tmp_path: Path) -> None:
    facts = tmp_path / "team.json"
    facts.write_text(json.dumps(team(), ensure_ascii=False), encoding="utf-8")
    common = [str(facts), "--period", "2019", "--as-of", AS_OF, "--format", "json"]
    one, two = tmp_path / "one.json", tmp_path / "two.json"  # workers write into two.json
    assert run(*common, "-o", str(one)).returncode == 0
    done = run(*common, "--jobs", "3", "-o", str(two), "--fail-on", "non_compliant")
    assert done.returncode == 1  # decided from the counts the workers sent
    assert one.read_bytes() == two.read_bytes()


@given(st.lists(st.binary(max_size=20), max_size=12), st.integers(0, 50), st.integers(1, 4))
def test_write_at_writes_every_buffer_in_order(
    buffers: list[bytes], offset: int, at_once: int
) -> None:
    # at_once stands for the system's limit on buffers a call takes (IOV_MAX).
    with tempfile.TemporaryFile() as out, pytest.MonkeyPatch.context() as patch:
        patch.setattr(_placed, "_IOV_MAX", at_once)
        out.write(b"-" * 70)
        out.flush()
        _placed.write_at(out.fileno(), buffers, offset)
        out.seek(0)
        whole = b"".join(buffers)
        assert out.read()[offset : offset + len(whole) + 1] == whole + b"-" * (
            offset + len(whole) < 70
        )


def test_a_worker_that_ends_in_the_middle_of_a_message_is_a_worker_error() -> None:
    """Killed while sending a part (say, by the system out of memory), a worker leaves a
    message cut short: that is the worker's failure, never an error about the input."""
    import multiprocessing
    import struct

    start = multiprocessing.get_context("fork")
    here, there = start.Pipe(duplex=False)

    def cut_short() -> None:  # a header announcing 1,000 bytes, then 10 of them
        os.write(there.fileno(), struct.pack("!i", 1000) + b"x" * 10)
        os._exit(9)

    process = start.Process(target=cut_short)  # type: ignore[attr-defined]
    process.start()
    there.close()
    with pytest.raises(_parallel.WorkerError, match="ended without its results"):
        _parallel._Worker(process, here).receive()
    process.join()
