"""report/2: provisions and sets of parameter values listed once, results naming them."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

import selfbuild_rules as sr
from selfbuild_rules.engine.interpretations import ProvisionSets
from selfbuild_rules.evaluation import base_for
from selfbuild_rules.law.periods import DateRange, Period
from selfbuild_rules.law.timeline import Timeline
from selfbuild_rules.plugins.modules import Module, ParameterChange
from selfbuild_rules.report.schema import report_schema
from strategies import facts_documents

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tianjin-2018.json"
BASE = base_for()
YEAR = Period.parse("2019").range
JULY = dt.date(2019, 7, 1)


# --- the sets, worked out from the law ------------------------------------------------


def _timeline(changes: list[tuple[dt.date, int]]) -> Timeline:
    found = Timeline.constant(0, BASE.id)
    for day, value in sorted(changes):
        found = found.splice(DateRange(day, dt.date.max), value, "m")
    return found


days_of_2019 = st.dates(YEAR.start, YEAR.end)
changes = st.lists(st.tuples(days_of_2019, st.integers(0, 3)), max_size=3)


@given(changes, changes, days_of_2019, days_of_2019)
def test_a_window_names_the_set_of_the_values_in_force_over_it(
    first: list[tuple[dt.date, int]], second: list[tuple[dt.date, int]], a: dt.date, b: dt.date
) -> None:
    names = ("research.months", "research.topics_min")  # any two names the base knows
    laws = {names[0]: _timeline(first), names[1]: _timeline(second)}
    sets = ProvisionSets.of("3.x", names, laws, BASE, YEAR)
    window = DateRange(min(a, b), max(a, b))
    _, shown = sets.over(window)
    expected = []
    for name in names:
        parts = laws[name].over(window)
        for _, segment in parts:
            valid = segment.days & YEAR if len(parts) > 1 else None
            expected.append((name, segment.value, segment.source, valid))
    assert [(i.parameter, i.value, i.source, i.valid) for i in shown] == expected
    assert shown.key in {s.key for s in sets.sets}
    keys = [s.key for s in sets.sets]
    assert len(set(keys)) == len(keys) == len({s.items for s in sets.sets})  # one key a set
    assert (len(keys) == 1) == (keys == ["3.x"])  # the provision's own id when it has one


def test_a_window_outside_the_period_names_the_whole_period_set() -> None:
    laws = {"research.months": _timeline([(JULY, 3)])}
    sets = ProvisionSets.of("3.x", ["research.months"], laws, BASE, YEAR)
    outside = DateRange(dt.date(2021, 1, 1), dt.date(2021, 2, 1))
    assert sets.over(outside) == sets.over(YEAR)
    assert len(sets.over(YEAR)[1]) == 2


# --- in a report ------------------------------------------------------------------------

JULY_MODULE = Module(
    id="july",
    title="七月",
    english_title="July",
    authority="某区",
    adopted=dt.date(2019, 6, 1),
    in_force=JULY,
    text="调研时间不少于3个月",
    changes=(ParameterChange("research.months", 3, JULY, "调研时间不少于3个月"),),
    extends="tianjin-2018",
)


def _member(id: str, start: str, end: str | None) -> dict[str, Any]:
    return {"id": id, "name": id, "post": "vice_mayor", "tenure": {"start": start, "end": end}}


def team() -> dict[str, Any]:
    return {
        "format": "selfbuild-rules.facts/1",
        "team": {"id": "t", "name": "班子"},
        "members": [
            _member("all-year", "2018-01-01", None),
            _member("from-july", "2019-07-01", None),  # the change's first day
            _member("to-june", "2018-01-01", "2019-06-30"),  # the day before it
            _member("to-july", "2018-01-01", "2019-07-01"),  # the change's first day
        ],
        "research_trips": [],
    }


def _months(report: sr.Report, subject: str) -> tuple[str | None, list[tuple[object, str]]]:
    shown = report.result("3.research-days", subject).interpretations
    used = [(i.value, str(i.valid)) for i in shown if i.parameter == "research.months"]
    return shown.key, used


def _span(valid: dict[str, str] | None) -> str:
    return "None" if valid is None else f"{valid['start']}..{valid['end']}"


def test_results_name_the_set_of_the_days_they_cover() -> None:
    report = sr.evaluate(team(), "2019", "2020-03-01", modules=[JULY_MODULE])
    both = [(2, "2019-01-01..2019-06-30"), (3, "2019-07-01..2019-12-31")]
    found = {s: _months(report, s) for s in ("all-year", "from-july", "to-june", "to-july")}
    assert found["all-year"][1] == found["to-july"][1] == both
    assert found["from-july"][1] == [(3, "None")] and found["to-june"][1] == [(2, "None")]
    assert found["all-year"][0] == found["to-july"][0]
    assert len({key for key, _ in found.values()}) == 3
    assert all(key is not None and key.startswith("3.research-days#") for key, _ in found.values())
    document = json.loads(report.to_json())
    table = document["interpretations"]
    for result in document["results"]:
        shown = report.result(result["rule"], result["subject"]).interpretations
        assert result["interpretations"] == shown.key
        listed = table.get(result["interpretations"], [])
        assert [(i["parameter"], i["value"], _span(i["valid"])) for i in listed] == [
            (i.parameter, json.loads(json.dumps(i.value, default=str)), str(i.valid)) for i in shown
        ]
    assert "2.relay-directives" in table  # a provision with one set is named by its id


def test_results_relying_on_no_value_name_none() -> None:
    document = json.loads(sr.evaluate(EXAMPLE, "2018", "2019-03-01").to_json())
    judged = [r for r in document["results"] if r["rule"] == "1.loyalty"]
    assert judged and all(r["interpretations"] is None for r in judged)
    assert "1.loyalty" in document["provisions"] and "1.loyalty" not in document["interpretations"]
    named = {r["interpretations"] for r in document["results"]} - {None}
    assert named <= set(document["interpretations"])
    cited = document["provisions"]["3.research-days"]
    assert cited["kind"] == "evaluable" and cited["subject"] == "member"
    assert cited["citation"]["principle"] == "三" and cited["title"]["zh"]


def _cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "selfbuild_rules.cli", "evaluate", *args]
    return subprocess.run(command, capture_output=True, check=False)


def test_indent_is_the_same_document_for_people_whatever_the_jobs(tmp_path: Path) -> None:
    facts = tmp_path / "team.json"
    facts.write_text(json.dumps(team()), encoding="utf-8")
    when = (str(facts), "--period", "2019", "--as-of", "2020-03-01", "--format", "json")
    compact, one, two = _cli(*when), _cli(*when, "--indent"), _cli(*when, "--indent", "--jobs", "2")
    assert compact.returncode == one.returncode == two.returncode == 0, two.stderr
    assert one.stdout == two.stdout
    assert b"\n" not in compact.stdout.rstrip(b"\n") and one.stdout.startswith(b'{\n  "as_of"')
    data = json.loads(compact.stdout)
    assert json.loads(one.stdout) == data
    expected = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert one.stdout.decode("utf-8") == expected


# --- the report's JSON Schema ----------------------------------------------------------

REPORT_SCHEMA = jsonschema.Draft202012Validator(
    report_schema(), format_checker=jsonschema.FormatChecker()
)


def _problems(document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in REPORT_SCHEMA.iter_errors(document)]


def test_the_schema_is_a_valid_schema_and_the_command_prints_it() -> None:
    jsonschema.Draft202012Validator.check_schema(report_schema())
    done = subprocess.run(
        [sys.executable, "-m", "selfbuild_rules.cli", "schema", "--report"],
        capture_output=True,
        check=True,
    )
    assert json.loads(done.stdout) == report_schema()


@settings(max_examples=30)
@given(facts_documents(), st.sampled_from(["2018-06-30", "2019-03-01"]), st.booleans())
def test_every_report_meets_the_schema(doc: dict[str, Any], as_of: str, trace: bool) -> None:
    report = sr.evaluate(doc, "2018", as_of, trace=trace)
    assert _problems(json.loads(report.to_json())) == []


def test_reports_with_modules_mid_period_values_and_traces_meet_the_schema() -> None:
    for report in (
        sr.evaluate(team(), "2019", "2019-08-01", modules=[JULY_MODULE], trace=True),
        sr.evaluate(EXAMPLE, "2018", "2018-06-30", trace=True).redacted(),
    ):
        document = json.loads(report.to_json())
        assert _problems(document) == []
        assert any("still_needed" in r for r in document["results"])
    broken = json.loads(sr.evaluate(EXAMPLE, "2018", "2019-03-01").to_json())
    broken["results"][0]["status"] = "fine"
    del broken["results"][1]["interpretations"]
    broken["results"][2]["interpretations"] = []  # report/1's shape is not report/2's
    assert len(_problems(broken)) == 3
