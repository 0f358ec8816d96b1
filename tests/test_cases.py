"""Case files: the format and its errors, the runner, ``selfbuild-rules test``, the schema
and the pytest plugin; and the shipped cases under tests/cases, which the plugin runs."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import selfbuild_rules as sr
from selfbuild_rules.cases import CaseFileError, case_files, load, parse, run_case
from selfbuild_rules.cases.nodes import compose, plain
from selfbuild_rules.cases.schema import cases_schema
from selfbuild_rules.cli.main import main

CASES = Path(__file__).resolve().parent / "cases"
HEAD = """\
facts: {format: selfbuild-rules.facts/1, team: {id: t, name: 班子}, members: []}
period: 2018
as_of: 2019-03-01
"""
HELD = "    patch: {add: {democratic_life_meetings: [{id: dl-1, date: 2018-12-31}]}}\n"


def case_text(expect: str = "{team: {6.democratic-life-meeting: compliant}}", **extra: str) -> str:
    lines = [HEAD, "cases:\n", "  - name: held\n", HELD]
    lines += [f"    {k}: {v}\n" for k, v in extra.items()]
    return "".join([*lines, f"    expect: {expect}\n"])


def test_a_case_passes_and_pins_numbers() -> None:
    text = case_text("{team: {6.democratic-life-meeting: {status: compliant, measured: 1}}}")
    outcome = run_case(parse(text, "x.cases.yaml").cases[0])
    assert outcome.passed and outcome.line() == "✓ held"


def test_a_failing_case_says_expected_got_and_why() -> None:
    text = case_text("{team: {6.democratic-life-meeting: {status: pending, minimum: 2}}}")
    outcome = run_case(parse(text, "x.cases.yaml").cases[0])
    assert outcome.line() == "✗ held"
    assert outcome.details() == [
        "  6.democratic-life-meeting / team (line 7): expected status pending, minimum 2;"
        " got status compliant, minimum 1",
        "    because: 1 democratic life meeting, meeting the requirement of 1",
    ]


def test_shared_values_are_overridden_and_set_is_merged() -> None:
    text = (
        HEAD
        + "set: {research.months: 3, research.pro_rating: none}\n"
        + textwrap.dedent("""\
        cases:
          - name: a
            period: 2019-Q1
            set: {research.months: 4}
            expect: {team: {6.democratic-life-meeting: not_applicable}}
        """)
    )
    [case] = parse(text, "x.cases.yaml").cases
    assert case.period == "2019-Q1"
    assert case.parameters == {"research.months": 4, "research.pro_rating": "none"}
    assert run_case(case).passed


def test_patch_replaces_a_record_by_removing_then_adding(tmp_path: Path) -> None:
    shared = {
        "format": "selfbuild-rules.facts/1",
        "team": {"id": "t", "name": "班子"},
        "members": [],
        "democratic_life_meetings": [{"id": "dl-1", "date": "2019-01-01"}],
    }
    (tmp_path / "facts.json").write_text(json.dumps(shared), encoding="utf-8")
    path = tmp_path / "x.cases.yaml"
    path.write_text(
        textwrap.dedent("""\
        facts: facts.json
        period: 2018
        as_of: 2019-03-01
        cases:
          - name: moved to 31 Dec
            patch:
              remove: {democratic_life_meetings: [dl-1]}
              add: {democratic_life_meetings: [{id: dl-1, date: 2018-12-31}]}
            expect: {team: {6.democratic-life-meeting: compliant}}
          - name: as shared
            expect: {team: {6.democratic-life-meeting: non_compliant}}
        """),
        encoding="utf-8",
    )
    assert [run_case(c).passed for c in load(path).cases] == [True, True]


MALFORMED = [
    ("cases: [\n", 2, "", "not YAML"),
    ("", 1, "", "the file is empty"),
    ("- 1\n", 1, "document", "must be a mapping"),
    (HEAD + "cases: []\n", 4, "cases", "one or more"),
    (HEAD + "colour: red\ncases: []\n", 4, "colour", "unknown field"),
    (
        case_text("{team: {6.democratic-life-meeting: fine}}"),
        7,
        "cases[0].expect.team.6.democratic-life-meeting",
        "'fine' is not a status",
    ),
    (
        case_text("{team: {6.democratic-life-meeting: {measured: 1}}}"),
        7,
        "cases[0].expect.team.6.democratic-life-meeting.status",
        "required field missing",
    ),
    (
        case_text("{team: {6.democratic-life-meeting: {status: compliant, measured: one}}}"),
        7,
        "cases[0].expect.team.6.democratic-life-meeting.measured",
        "whole number",
    ),
    (case_text("{}"), 7, "cases[0].expect", "expects no result"),
    (case_text(period="2018-13"), 7, "cases[0].period", "2018-13"),
    (case_text(as_of="2019-02-30"), 7, "cases[0].as_of", "not a date"),
    (case_text(set="[1]"), 7, "cases[0].set", "parameter names"),
    (case_text(modules="{a: 1}"), 7, "cases[0].modules", "list of module ids"),
    (
        case_text().replace("name: held", "name: held\n    nme: x"),
        6,
        "cases[0].nme",
        "unknown field",
    ),
    (
        case_text().replace("  - name: held\n", "  -\n").replace(HELD, ""),
        6,
        "cases[0].name",
        "required field missing",
    ),
    (
        HEAD.replace(
            "facts: {format: selfbuild-rules.facts/1, team: {id: t, name: 班子}, members: []}\n", ""
        )
        + "cases:\n  - name: a\n    expect: {team: {x: compliant}}\n",
        4,
        "cases[0].facts",
        "required field missing",
    ),
    (
        case_text().replace(HELD, "    patch: {remove: {democratic_life_meetings: [dl-9]}}\n"),
        6,
        "cases[0].patch.remove.democratic_life_meetings",
        "no such list",
    ),
    (
        case_text().replace(HELD, "    patch: {add: {a: 1}}\n"),
        6,
        "cases[0].patch.add",
        "categories to lists",
    ),
    (
        case_text() + "  - name: held\n    expect: {team: {x: compliant}}\n",
        8,
        "cases[1].name",
        "the name of another case",
    ),
    (case_text() + "    name: again\n", 8, "cases[0].name", "given twice"),
    (case_text(facts="missing.json"), 7, "cases[0].facts", "cannot read"),
]


@pytest.mark.parametrize(("text", "line", "field", "message"), MALFORMED)
def test_a_malformed_file_names_its_line_and_field(text, line, field, message) -> None:
    with pytest.raises(CaseFileError) as caught:
        parse(text, "/nowhere/x.cases.yaml")
    error = caught.value
    assert (error.path, error.line, error.field) == ("/nowhere/x.cases.yaml", line, field)
    assert message in error.message
    assert "\n" not in str(error)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"set": "{no.such: 1}"}, "no.such"),
        ({"modules": "[no-such-module]"}, "no-such-module"),
    ],
)
def test_a_case_the_engine_refuses_is_a_case_file_error(extra, message) -> None:
    [case] = parse(case_text(**extra), "x.cases.yaml").cases
    with pytest.raises(CaseFileError, match=message) as caught:
        run_case(case)
    assert caught.value.line == 5 and "held" in caught.value.field


def test_facts_a_case_gives_are_checked_when_it_runs() -> None:
    text = case_text().replace("date: 2018-12-31", "date: 2018-12-32")
    [case] = parse(text, "x.cases.yaml").cases
    with pytest.raises(CaseFileError, match=r"facts: democratic_life_meetings\[0\]\.date"):
        run_case(case)


def test_an_unknown_subject_is_a_failure_not_an_error() -> None:
    [case] = parse(case_text("{m99: {3.research-days: compliant}}"), "x.cases.yaml").cases
    assert (
        run_case(case).details()[0].endswith("expected result compliant; got result no such result")
    )


# --- Hypothesis: any text or any YAML value is read or refused with a CaseFileError ------
yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.dates().map(str),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(st.text(max_size=200))
def test_any_text_is_read_or_refused_cleanly(text: str) -> None:
    try:
        parse(text, "x.cases.yaml")
    except CaseFileError as exc:
        assert exc.line >= 1 and str(exc).startswith("x.cases.yaml:")


@given(
    st.dictionaries(
        st.sampled_from(["facts", "period", "as_of", "cases", "set", "x"]), yaml_values, max_size=5
    )
)
def test_any_yaml_document_is_read_or_refused_cleanly(document: dict) -> None:
    try:
        parse(yaml.safe_dump(document, allow_unicode=True), "x.cases.yaml")
    except CaseFileError as exc:
        assert exc.line >= 1


STATUS = st.sampled_from([s.value for s in sr.Status])
EXPECT = st.dictionaries(
    st.sampled_from(["team", "m01", "m02"]),
    st.dictionaries(
        st.sampled_from(["3.research-days", "6.integrity"]),
        STATUS
        | st.fixed_dictionaries({"status": STATUS}, optional={"minimum": st.integers(0, 99)}),
        min_size=1,
        max_size=2,
    ),
    min_size=1,
    max_size=3,
)


@given(st.lists(EXPECT, min_size=1, max_size=4))
def test_a_written_file_reads_back_as_written(expects: list) -> None:
    document = {
        "facts": {"format": "selfbuild-rules.facts/1"},
        "period": "2018",
        "as_of": "2019-03-01",
        "cases": [{"name": f"c{i}", "expect": e} for i, e in enumerate(expects)],
    }
    read = parse(yaml.safe_dump(document, allow_unicode=True), "x.cases.yaml")
    for case, expect in zip(read.cases, expects, strict=True):
        got = {(e.subject, e.rule): e.status.value for e in case.expectations}
        want = {
            (s, r): v if isinstance(v, str) else v["status"]
            for s, rules in expect.items()
            for r, v in rules.items()
        }
        assert got == want
    jsonschema.validate(document, cases_schema())


# --- the shipped cases ----------------------------------------------------------------------
def shipped() -> list[Path]:
    return case_files([CASES])


def test_the_shipped_cases_cover_every_evaluable_rule_with_40_or_more() -> None:
    cases = [c for path in shipped() for c in load(path).cases]
    assert len(cases) >= 40
    evaluable = {p.id for p in sr.TIANJIN_2018.provisions() if p.kind is sr.ProvisionKind.EVALUABLE}
    assert len(evaluable) == 13
    assert evaluable <= {e.rule for c in cases for e in c.expectations}


@pytest.mark.parametrize("path", shipped(), ids=lambda p: p.name)
def test_the_shipped_files_follow_the_schema(path: Path) -> None:
    jsonschema.Draft202012Validator.check_schema(cases_schema())
    jsonschema.validate(plain(compose(path.read_text("utf-8"), str(path))), cases_schema())


def test_the_plugin_runs_in_this_test_run(pytestconfig: pytest.Config) -> None:
    # The cases under tests/cases run as items of this run only while the plugin is active.
    assert pytestconfig.pluginmanager.hasplugin("selfbuild_rules")


# --- the command line ------------------------------------------------------------------------
def test_the_test_command_passes_on_the_shipped_cases(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(CASES)]) == 0
    out = capsys.readouterr().out.splitlines()
    count = sum(len(load(p).cases) for p in shipped())
    assert out[-1] == f"{count} passed, 0 failed"
    assert sum(line.startswith("✓ ") for line in out) == count


def test_the_test_command_exits_1_on_a_failure(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.cases.yaml").write_text(case_text(), encoding="utf-8")
    (tmp_path / "b.cases.yaml").write_text(
        case_text("{team: {6.democratic-life-meeting: non_compliant}}"), encoding="utf-8"
    )
    assert main(["test", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "✓ held\n" in out and "✗ held\n" in out and "because: 1 democratic" in out
    assert out.endswith("\n1 passed, 1 failed\n")


def test_the_test_command_exits_2_naming_file_line_and_field(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.cases.yaml"
    bad.write_text(case_text(as_of="yesterday"), encoding="utf-8")
    assert main(["test", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {bad}:7: cases[0].as_of: 'yesterday' is not a date (YYYY-MM-DD)\n"
    assert main(["test", str(tmp_path / "nothing-here")]) == 2
    (tmp_path / "bad.cases.yaml").write_text(case_text(set="{no.such: 1}"), encoding="utf-8")
    assert main(["test", str(bad)]) == 2
    captured = capsys.readouterr()
    assert "bad.cases.yaml:5: case 'held': " in captured.err
    assert captured.out.endswith("0 passed, 0 failed\n")


def test_schema_cases_prints_the_schema(capsys) -> None:
    assert main(["schema", "--cases"]) == 0
    assert json.loads(capsys.readouterr().out) == cases_schema()


def test_pytest_collects_case_files_and_shows_expected_against_got(tmp_path: Path) -> None:
    (tmp_path / "a.cases.yaml").write_text(
        case_text("{team: {6.democratic-life-meeting: {status: compliant, measured: 2}}}"),
        encoding="utf-8",
    )
    (tmp_path / "b.cases.yaml").write_text(case_text(), encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "--rootdir",
            str(tmp_path),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "(line 7): expected measured 2; got measured 1" in done.stdout
    assert "1 failed, 1 passed" in done.stdout
