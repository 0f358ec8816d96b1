"""The JSON Schema of the facts format agrees with the loader on shape.

The schema cannot express checks across records (unique ids, references, end after
start, assessment rules, subjects and periods); those are the only disagreements
allowed, and each kind is named in CROSS_RECORD below and shown in a test.
"""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfbuild_rules import load_facts
from selfbuild_rules.facts.loading import FactsError, dump_facts_lines
from selfbuild_rules.facts.schema import facts_line_schema, facts_schema
from strategies import ISSUE_EXAMPLE, facts_documents, locations

Validator = jsonschema.Draft202012Validator
SCHEMA = facts_schema()
VALIDATOR = Validator(SCHEMA, format_checker=Validator.FORMAT_CHECKER)
LINE_VALIDATOR = Validator(facts_line_schema(), format_checker=Validator.FORMAT_CHECKER)

# Fragments of the loader's messages for checks across records (see selfbuild_rules.facts.checks).
CROSS_RECORD = (
    "is not a known",
    " repeats ",
    " belongs to ",
    " is before ",
    "is not a judgment provision",
    "binds the team",
    "is not a period",
)


def loader_shape_problems(doc: Any) -> list[str]:
    """The loader's problems with ``doc`` other than checks across records."""
    try:
        load_facts(doc)
    except FactsError as error:
        found = [str(p) for p in error.problems]
        return [p for p in found if not any(f in p for f in CROSS_RECORD)]
    return []


def schema_errors(doc: Any) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in VALIDATOR.iter_errors(doc)]


def test_schema_is_valid_draft_2020_12() -> None:
    Validator.check_schema(SCHEMA)
    Validator.check_schema(facts_line_schema())
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_states_the_format_of_the_brief() -> None:
    defs = SCHEMA["$defs"]
    assert SCHEMA["required"] == ["format", "team", "members"]
    assert SCHEMA["properties"]["format"] == {"const": "selfbuild-rules.facts/1"}
    assert SCHEMA["additionalProperties"] is False
    assert all(d["additionalProperties"] is False for d in defs.values())
    post = defs["Member"]["properties"]["post"]["enum"]
    assert post == ["mayor", "executive_vice_mayor", "vice_mayor", "secretary_general", "other"]
    # legal_review is required but may be null; tenure end and optional fields may be left out
    decision = defs["MajorDecision"]
    assert "legal_review" in decision["required"] and "title" not in decision["required"]
    assert "null" in decision["properties"]["legal_review"]["type"]
    assert defs["Tenure"]["required"] == ["start"]
    assert "directives" not in defs["StudySession"]["required"]
    assert defs["ResearchReport"]["properties"]["recommendations"]["minimum"] == 0


def test_command_prints_the_schema() -> None:
    def run(*args: str) -> Any:
        done = subprocess.run(
            [sys.executable, "-m", "selfbuild_rules.cli", "schema", *args],
            capture_output=True,
            check=True,
        )
        return json.loads(done.stdout)

    assert run() == SCHEMA
    assert run("--lines") == facts_line_schema()


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(facts_documents())
def test_generated_documents_are_valid_for_both(doc: dict[str, Any]) -> None:
    assert schema_errors(doc) == []
    load_facts(doc)
    for line in dump_facts_lines(load_facts(doc)):
        assert LINE_VALIDATOR.is_valid(json.loads(line)), line


WRONG_VALUES = [None, 0, -3, 2.5, True, "", "x", "2018-02-30", "2018-13-01", "2018-3-1",
                "2018-03-01T10:00:00", "2018-03-01T10:00+08:00", "2018-03-01\n", [], ["a"], [1],
                {}, {"kind": "risk_assessment", "date": "2019-01-01"}]  # fmt: skip


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(facts_documents(), st.data())
def test_one_change_both_accept_or_both_reject(doc: dict[str, Any], data: Any) -> None:
    where = data.draw(st.sampled_from(locations(doc)))
    parent = doc
    for key in where[:-1]:
        parent = parent[key]
    change = data.draw(st.sampled_from(["replace", "delete", "add field"]))
    if change == "delete" and isinstance(parent, dict):
        del parent[where[-1]]
    elif change == "add field" and isinstance(parent, dict):
        parent["remark"] = "?"
    else:
        parent[where[-1]] = data.draw(st.sampled_from(WRONG_VALUES))
    schema, loader = schema_errors(doc), loader_shape_problems(doc)
    assert (schema == []) == (loader == []), (schema, loader)


def _full() -> dict[str, Any]:
    """The core issue's example, with a trip ending on a datetime and a tenure that ends."""
    doc = copy.deepcopy(ISSUE_EXAMPLE)
    doc["members"][0]["tenure"]["end"] = "2020-01-01"
    doc["research_trips"][0]["end"] = "2018-03-10T12:00:00+08:00"
    return doc


# Every category, every optional field given (procedures only where the format has it).
FULL: dict[str, Any] = _full()


def test_every_wrong_value_in_every_place() -> None:
    """Exhaustive over one full document: each value of WRONG_VALUES at each location."""
    assert schema_errors(FULL) == [] and loader_shape_problems(FULL) == []
    disagreements = []
    for where in locations(FULL):
        for value in WRONG_VALUES:
            doc = copy.deepcopy(FULL)
            parent = doc
            for key in where[:-1]:
                parent = parent[key]
            parent[where[-1]] = value
            schema, loader = schema_errors(doc), loader_shape_problems(doc)
            if (schema == []) != (loader == []):
                disagreements.append((where, value, schema, loader))
    assert disagreements == []


def _example() -> dict[str, Any]:
    return {
        "format": "selfbuild-rules.facts/1",
        "team": {"id": "t", "name": "班子"},
        "members": [{"id": "m01", "name": "甲", "post": "mayor",
                     "tenure": {"start": "2018-01-26", "end": None}}],
        "research_trips": [{"id": "rt-1", "member": "m01", "start": "2018-03-01T09:00+08:00",
                            "end": "2018-03-10"}],
        "major_decisions": [{"id": "md-1", "date": "2018-04-10", "decided_by": "individual",
                             "legal_review": None}],
    }  # fmt: skip


def changed(path: str, value: Any) -> dict[str, Any]:
    doc = _example()
    *parents, last = path.split(".")
    node: Any = doc
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    node[int(last) if last.isdigit() else last] = value
    return doc


@pytest.mark.parametrize(
    "doc",
    [
        changed("members.0.post", "boss"),
        changed("members.0.tenure.start", "2018-02-30"),
        changed("members.0.tenure.start", "26/01/2018"),
        changed("research_trips.0.start", "2018-03-01T09:00"),  # no offset
        changed("research_trips.0.start", "2018-03-01 09:00+08:00"),  # space, not T
        changed("research_trips.0.start", "2018-03-01T25:00+08:00"),
        changed("major_decisions.0.legal_review", "soon"),
        changed("major_decisions.0.decided_by", None),
        changed("team.colour", "red"),
        changed("members.0.id", 1),
        {k: v for k, v in _example().items() if k != "team"},
    ],
    ids=lambda doc: json.dumps(doc, ensure_ascii=False)[-60:],
)
def test_hand_made_shape_errors_are_rejected_by_both(doc: dict[str, Any]) -> None:
    assert schema_errors(doc) != []
    assert loader_shape_problems(doc) != []


@pytest.mark.parametrize(
    "doc",
    [
        changed("research_trips.0.member", "m09"),  # a dangling reference
        changed("research_trips.0.end", "2018-02-28"),  # end before start
        changed("members.0.tenure.end", "2017-12-31"),  # tenure ends before it starts
        {**_example(), "research_trips": _example()["research_trips"] * 2},  # duplicate id
    ],
)
def test_checks_across_records_are_beyond_the_schema(doc: dict[str, Any]) -> None:
    assert schema_errors(doc) == []
    with pytest.raises(FactsError) as info:
        load_facts(doc)
    assert all(any(f in str(p) for f in CROSS_RECORD) for p in info.value.problems)


def test_known_differences_of_shape() -> None:
    # JSON Schema counts 2018.0 as an integer; the loader wants a whole number as written.
    doc = _example()
    doc["personal_matters_reports"] = [
        {"id": "pm-1", "member": "m01", "year": 2018.0, "filed": "2019-01-20"}
    ]
    assert schema_errors(doc) == [] and loader_shape_problems(doc) != []
    # A datetime's calendar day is checked by the loader only (its pattern is syntax).
    doc = changed("research_trips.0.start", "2018-02-30T09:00+08:00")
    assert schema_errors(doc) == [] and loader_shape_problems(doc) != []


def test_line_schema_rejects_what_the_lines_reader_rejects() -> None:
    bad = [
        {"category": "meetings", "record": {}},
        {"category": "violations", "records": []},
        {"format": "selfbuild-rules.facts/2"},
        {"team": {"id": "t"}},
        {"category": "members", "record": {"id": "m01"}},
    ]
    good = "".join(dump_facts_lines(load_facts(_example())))
    for line in bad:
        assert not LINE_VALIDATOR.is_valid(line), line
        text = good + json.dumps(line) + "\n"
        with pytest.raises(FactsError):
            load_facts(io.StringIO(text), lines=True)


def test_schema_is_the_same_each_time() -> None:
    first = json.dumps(facts_schema(), ensure_ascii=False)
    assert json.dumps(facts_schema(), ensure_ascii=False) == first
    assert copy.deepcopy(SCHEMA) == facts_schema()
