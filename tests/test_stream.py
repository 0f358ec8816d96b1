"""The JSON report written while it is evaluated (the command line's way) is the very
document ``Report.to_json()`` writes, whatever the facts, with one process or several."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import selfbuild_rules as sr
from selfbuild_rules.engine.provisions import Uniform
from selfbuild_rules.engine.results import Citation
from selfbuild_rules.engine.setup import Options
from selfbuild_rules.evaluation import setup_for
from selfbuild_rules.facts.digest import Digest
from selfbuild_rules.law.text import Provision, ProvisionKind, SubjectKind
from selfbuild_rules.plugins.modules import Module, NewProvision
from selfbuild_rules.report.encode import results_json
from selfbuild_rules.report.stream import Streamed, json_report, packed_json, uniform_json
from selfbuild_rules.rules.conditions import AtLeast, Measure
from selfbuild_rules.rules.ruleset import Check, Context, Rule
from selfbuild_rules.rules.tallies import tally_records
from strategies import facts_documents
from test_parallel import AS_OF, team

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tianjin-2018.json"


def report_of(facts: Any, period: str, as_of: str, redact: bool = False, **how: Any) -> Streamed:
    """The streamed JSON report, set up as :func:`selfbuild_rules.evaluate` would."""
    setup = setup_for(Options.of(period, as_of, **how))
    digest = Digest()  # as evaluate() makes it
    loaded = sr.load_facts(facts, digest=digest)
    return json_report(loaded, setup, redact=redact, digest=digest.value())


def streamed(facts: Any, period: str, as_of: str, **how: Any) -> tuple[bytes, dict[str, int]]:
    found = report_of(facts, period, as_of, **how)
    text = b"".join(found.chunks())
    return text, dict(found.counts)


@settings(max_examples=60)
@given(facts_documents())
def test_streamed_json_is_the_report_json(doc: dict[str, Any]) -> None:
    report = sr.evaluate(doc, "2018", "2019-03-01")
    text, counts = streamed(doc, "2018", "2019-03-01")
    assert text == report.to_json_bytes()
    assert counts == report.summary()


@pytest.mark.usefixtures("many_cpus")  # 3 or 20 processes, whatever the CPUs
@pytest.mark.parametrize("jobs", [1, 2, 3, 20])
def test_workers_write_the_report_of_one_process(jobs: int) -> None:
    report = sr.evaluate(team(), "2019", AS_OF)
    text, counts = streamed(team(), "2019", AS_OF, jobs=jobs)
    assert text == report.to_json_bytes()
    assert counts == report.summary() and counts["non_compliant"] > 0


def test_redacted_and_restricted_reports_stream_alike() -> None:
    how: dict[str, Any] = {"rules": ["3.research-days", "6.democratic-life-meeting"]}
    report = sr.evaluate(EXAMPLE, "2018", "2019-03-01", **how).redacted()
    text, _ = streamed(EXAMPLE, "2018", "2019-03-01", redact=True, **how)
    assert text == report.to_json_bytes()
    assert "成员甲".encode() not in text and b'"name":"m01"' in text


def test_nothing_to_evaluate_writes_an_empty_list() -> None:
    text, counts = streamed(EXAMPLE, "2018", "2019-03-01", rules=[])
    assert b'"results":[],' in text and set(counts.values()) == {0}


def test_bad_arguments_raise_before_anything_is_written() -> None:
    facts = sr.load_facts(EXAMPLE)
    with pytest.raises(ValueError, match="unknown rule"):
        report_of(facts, "2018", "2019-03-01", rules=["9.nothing"])
    with pytest.raises(ValueError, match="jobs"):
        report_of(facts, "2018", "2019-03-01", jobs=0)


def failing_module() -> Module:
    """A module whose one member provision raises for member m04."""

    def obligation(ctx: Context, member: Any) -> Check:
        if member.id == "m04":
            raise ZeroDivisionError("the rule of m04 fails")
        return Check(AtLeast(0, tally_records((), open=False)), ctx.period.range.end)

    provision = Provision(
        id="fail/2.member-check",
        principle="二",
        kind=ProvisionKind.EVALUABLE,
        subject=SubjectKind.MEMBER,
        title="Member check",
        text=("成员",),
        english="A member.",
    )
    rule = Rule(provision.id, SubjectKind.MEMBER, (), (), Measure("项", "项", "checks"), obligation)
    return Module(
        id="fail",
        title="失败",
        english_title="Fail",
        authority="测试",
        adopted=dt.date(2018, 2, 2),
        in_force=dt.date(2018, 2, 2),
        text="成员",
        changes=(NewProvision(provision, rule, dt.date(2018, 2, 2)),),
        extends="tianjin-2018",
    )


@pytest.mark.usefixtures("many_cpus")  # 3 or 20 processes, whatever the CPUs
def test_a_failing_worker_is_reported_not_hidden() -> None:
    facts = sr.load_facts(team(8))
    with pytest.raises(ZeroDivisionError):
        b"".join(report_of(facts, "2019", AS_OF, modules=[failing_module()]).chunks())
    with pytest.raises(sr.WorkerError, match="the rule of m04 fails"):
        b"".join(report_of(facts, "2019", AS_OF, modules=[failing_module()], jobs=2).chunks())
    with pytest.raises(sr.WorkerError, match="ZeroDivisionError"):
        sr.evaluate(facts, "2019", AS_OF, modules=[failing_module()], jobs=3)


@pytest.mark.usefixtures("many_cpus")  # 3 or 20 processes, whatever the CPUs
@pytest.mark.parametrize("jobs", [2, 3])
def test_workers_write_their_parts_into_the_file_where_they_belong(
    tmp_path: Path, jobs: int
) -> None:
    expected = sr.evaluate(team(), "2019", AS_OF).to_json_bytes()
    target = tmp_path / "report.json"
    with target.open("wb") as out:
        out.write(b"before ")  # parts are placed after what the file already holds
        found = report_of(team(), "2019", AS_OF, jobs=jobs)
        found.write_into(out, seekable=True)
        out.write(b" after")
    assert target.read_bytes() == b"before " + expected + b" after"
    assert found.counts == sr.evaluate(team(), "2019", AS_OF).summary()


def test_a_failing_writing_worker_raises() -> None:
    facts = sr.load_facts(team(8))
    found = report_of(facts, "2019", AS_OF, modules=[failing_module()], jobs=2)
    with pytest.raises(sr.WorkerError, match="the rule of m04 fails"):
        found.write_into(io.BytesIO(), seekable=False)
    with tempfile.TemporaryFile() as out, pytest.raises(sr.WorkerError, match="m04"):
        report_of(facts, "2019", AS_OF, modules=[failing_module()], jobs=2).write_into(
            out, seekable=True
        )


@pytest.mark.usefixtures("many_cpus")  # 3 or 20 processes, whatever the CPUs
@pytest.mark.parametrize("at_once", [1, 3, 13])
@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_members_evaluated_a_few_at_a_time_give_the_same_report(
    monkeypatch: pytest.MonkeyPatch, at_once: int, jobs: int
) -> None:
    report = sr.evaluate(team(), "2019", AS_OF)
    monkeypatch.setattr("selfbuild_rules.engine.provisions.MEMBERS_AT_ONCE", at_once)
    text, counts = streamed(team(), "2019", AS_OF, jobs=jobs)
    assert text == report.to_json_bytes() and counts == report.summary()
    with tempfile.TemporaryFile() as out:  # workers writing their batches themselves
        found = report_of(team(), "2019", AS_OF, jobs=jobs)
        found.write_into(out, seekable=True)
        out.seek(0)
        assert out.read() == text and found.counts == report.summary()
    assert sr.evaluate(team(), "2019", AS_OF, jobs=jobs).results == report.results


@pytest.mark.usefixtures("many_cpus")
@pytest.mark.parametrize("jobs", [2, 3])
def test_workers_waiting_to_write_each_part_write_the_same_report(
    monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    # Past _HOLD bytes a worker waits for its last part's place before making more of
    # the next; at 0 it always does, at every batch: the file is the same.
    text, _ = streamed(team(), "2019", AS_OF)
    monkeypatch.setattr("selfbuild_rules.engine.provisions.MEMBERS_AT_ONCE", 1)
    monkeypatch.setattr("selfbuild_rules.engine.parallel._HOLD", 0)
    with tempfile.TemporaryFile() as out:
        report_of(team(), "2019", AS_OF, jobs=jobs).write_into(out, seekable=True)
        out.seek(0)
        assert out.read() == text


@given(
    st.lists(st.tuples(st.text(), st.integers(0, 1)), max_size=8),
    st.text(min_size=1),
)
def test_results_from_a_template_are_the_results_written_one_by_one(
    subjects: list[tuple[str, int]], text: str
) -> None:
    # Any subject, quotes, backslashes, control characters and the template's own
    # hole (NUL) included, and any provision text.
    cited = Citation("tianjin-2018", "一", "1.loyalty", text)
    made = Uniform("1.loyalty", "2018", cited, "tianjin-2018", subjects)
    assert uniform_json(made) == results_json(made.results())
    note, _ = packed_json(made)
    assert note == packed_json(made.results())[0]


def test_unassessed_judgments_stream_like_the_report_with_odd_member_ids() -> None:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    odd = ['m"1', "m\\2", "张三", "\x00"]
    renamed = dict(zip((m["id"] for m in doc["members"]), odd, strict=False))
    text = json.dumps(doc, ensure_ascii=False)
    for old, new in renamed.items():
        text = text.replace(json.dumps(old), json.dumps(new, ensure_ascii=False))
    doc = json.loads(text)
    report = sr.evaluate(doc, "2018", "2019-03-01")
    assert {r.subject for r in report.results} >= set(renamed.values())
    assert streamed(doc, "2018", "2019-03-01")[0] == report.to_json_bytes()
