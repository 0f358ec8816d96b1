"""Loading facts: the example loads, every kind of error is named by its JSON path, all
problems come at once, files are read safely, and nothing but FactsError ever escapes."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfbuild_rules import load_facts
from selfbuild_rules.facts.loading import FactsError, dump_facts
from selfbuild_rules.facts.records import ContactPointKind, Facts, Post, StudySessionKind
from strategies import ISSUE_EXAMPLE, OPTIONAL_CATEGORIES, facts_documents, locations

EXAMPLE: dict[str, Any] = ISSUE_EXAMPLE


def example(**categories: Any) -> dict[str, Any]:
    """A fresh copy of the example, with whole categories replaced if given."""
    doc = copy.deepcopy(EXAMPLE)
    doc.update(copy.deepcopy(categories))
    return doc


def changed(category: str, index: int, **fields: Any) -> dict[str, Any]:
    """The example with some fields of one record replaced."""
    doc = example()
    doc[category][index].update(fields)
    return doc


def without(category: str, *keys: str) -> dict[str, Any]:
    """The example without some fields of the first record of ``category`` (or top level)."""
    doc = example()
    record = doc[category][0] if category else doc
    for key in keys:
        del record[key]
    return doc


def lone_member(**fields: Any) -> dict[str, Any]:
    """Only team and one member (nothing refers to the member, so no fault cascades)."""
    member = {**EXAMPLE["members"][0], **fields}
    return {"format": EXAMPLE["format"], "team": EXAMPLE["team"], "members": [member]}


def problems(source: Any) -> dict[str, str]:
    """Every problem load_facts reports, as {path: message}; fails if it loads."""
    with pytest.raises(FactsError) as info:
        load_facts(source)
    found = {p.path: p.message for p in info.value.problems}
    assert len(found) == len(info.value.problems), "two problems at one path"
    return found


def only_problem(source: Any) -> tuple[str, str]:
    """The single problem load_facts reports (fails if there are more or none)."""
    found = problems(source)
    assert len(found) == 1, found
    return next(iter(found.items()))


# --- the example ----------------------------------------------------------------------------


def test_example_loads_with_typed_values() -> None:
    facts = load_facts(example())
    assert facts.team.id == "tj-gov"
    assert facts.members[0].post is Post.MAYOR
    assert facts.members[0].tenure.start == dt.date(2018, 1, 26)
    assert facts.members[0].tenure.end is None
    assert facts.research_trips[0].days.days == 10  # 1..10 March, both ends included
    assert facts.contact_points[0].kind is ContactPointKind.VILLAGE
    assert facts.study_sessions[0].kind is StudySessionKind.RELAY
    assert facts.study_sessions[0].directives == ("d-1",)
    assert facts.research_reports[0].recommendations == 5
    assert all(len(getattr(facts, c)) == 1 for c in OPTIONAL_CATEGORIES)


def test_absent_categories_are_none_and_empty_ones_are_empty_tuples() -> None:
    doc = {**without("", *OPTIONAL_CATEGORIES), "members": [], "violations": [], "directives": []}
    facts = load_facts(doc)
    assert facts.members == () and facts.violations == () and facts.directives == ()
    absent = set(OPTIONAL_CATEGORIES) - {"violations", "directives"}
    assert all(getattr(facts, c) is None for c in absent)


def test_optional_fields_may_be_omitted_or_null() -> None:
    doc = changed("research_trips", 0, place=None)
    del doc["research_trips"][0]["topic"]
    del doc["study_sessions"][0]["directives"]
    facts = load_facts(doc)
    assert facts.research_trips[0].place is None and facts.research_trips[0].topic is None
    assert facts.study_sessions[0].directives == ()


def test_study_session_directives_may_be_null() -> None:
    # The brief lists study-session directives among the optional fields that "may be
    # omitted or null" (default []).
    facts = load_facts(changed("study_sessions", 0, directives=None))
    assert facts.study_sessions[0].directives == ()


def test_same_id_in_different_categories_and_end_on_start_day_are_fine() -> None:
    doc = changed("research_trips", 0, end="2018-03-01")
    doc["contact_points"][0]["end"] = "2018-03-01"
    doc["members"][0]["tenure"]["end"] = "2018-01-26"
    doc["democratic_life_meetings"][0]["id"] = "rt-1"
    facts = load_facts(doc)
    assert facts.research_trips[0].days.days == 1
    assert facts.democratic_life_meetings[0].id == facts.research_trips[0].id


# --- each kind of error, named by its path ----------------------------------------------------

FOUR_TRIPS = [
    {"id": f"rt-{i}", "member": "m01", "start": f"2018-0{i}-01", "end": f"2018-0{i}-05"}
    for i in range(1, 4)
] + [{"id": "rt-4", "member": "m01", "start": "2018-02-01", "end": "2018-02-30"}]
OTHER_MEMBERS_POINT = {
    "members": [*EXAMPLE["members"], {**EXAMPLE["members"][0], "id": "m02"}],
    "contact_points": [*EXAMPLE["contact_points"], {**EXAMPLE["contact_points"][0],
                                                   "id": "cp-2", "member": "m02"}],
    "contact_point_visits": [{**EXAMPLE["contact_point_visits"][0], "contact_point": "cp-2"}],
}  # fmt: skip
LATER_TRIP = {**EXAMPLE["research_trips"][0], "start": "2018-04-01", "end": "2018-04-02"}
SECOND_TRIP_SAME_ID = [*EXAMPLE["research_trips"], LATER_TRIP]


def as_json(value: object) -> str:
    """How a message spells a value: strings bare, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value)


BAD_DATES = ["2018-5-5", "2018/05/05", "20180505", 20180505, "2018-05-05T10:00:00+08:00", None]
TRIP = "research_trips[0]"
REPORT = "research_reports[0]"

# (document, path of the single problem, fragments its message must contain)
FAULTS = {
    "unknown top-level field": ({**example(), "remarks": "x"}, "remarks", ["unknown field"]),
    "unknown record field": (changed("research_trips", 0, colour="red"), TRIP,
                             ["unknown field", "colour"]),
    "required field missing": (without("major_decisions", "legal_review"),
                               "major_decisions[0].legal_review", ["required field missing"]),
    "id is 5": (lone_member(id=5), "members[0].id", ["5", "not a string"]),
    "count is a string": (changed("research_reports", 0, recommendations="5"),
                          f"{REPORT}.recommendations", ['"5"', "whole number"]),
    "count is true": (changed("research_reports", 0, recommendations=True),
                      f"{REPORT}.recommendations", ["true", "whole number"]),
    "year is a float": (changed("personal_matters_reports", 0, year=2018.0),
                        "personal_matters_reports[0].year", ["2018.0", "whole number"]),
    "place is a list": (changed("research_trips", 0, place=["宝坻区"]), f"{TRIP}.place",
                        ["not a string"]),
    "unknown post": (lone_member(post="boss"), "members[0].post", ["boss"]),
    "unknown violation kind": (changed("violations", 0, kind="bribery"), "violations[0].kind",
                               ["bribery"]),
    "unknown decision body": (changed("major_decisions", 0, decided_by="mayor"),
                              "major_decisions[0].decided_by", ["mayor"]),
    "unknown result": (changed("assessments", 0, result="pass"), "assessments[0].result",
                       ["pass"]),
    "30 February": (example(research_trips=FOUR_TRIPS), "research_trips[3].end", ["2018-02-30"]),
    **{f"visit date {v!r}": (changed("contact_point_visits", 0, date=v),
                             "contact_point_visits[0].date", [as_json(v)]) for v in BAD_DATES},
    "naive datetime": (changed("research_trips", 0, start="2018-03-01T23:30:00"),
                       f"{TRIP}.start", ["2018-03-01T23:30:00", "offset"]),
    "dangling member": (changed("research_trips", 0, member="m99", topic=None),
                        f"{TRIP}.member", ["m99", "member"]),
    "dangling contact point": (changed("contact_point_visits", 0, contact_point="cp-9"),
                               "contact_point_visits[0].contact_point", ["cp-9", "contact point"]),
    "target category absent": (without("", "contact_points"),
                               "contact_point_visits[0].contact_point", ["cp-1", "not supplied"]),
    "another member's point": (example(**OTHER_MEMBERS_POINT),
                               "contact_point_visits[0].contact_point", ["cp-2", "m02"]),
    "duplicate id": (example(research_trips=SECOND_TRIP_SAME_ID), "research_trips[1].id",
                     ["rt-1"]),
    "trip ends before start": (changed("research_trips", 0, end="2018-02-28"), f"{TRIP}.end",
                               ["2018-02-28", "before"]),
    "tenure ends before start": (
        lone_member(tenure={"start": "2018-01-26", "end": "2018-01-25"}),
        "members[0].tenure.end", ["2018-01-25", "before"]),
    "designation ends before start": (changed("contact_points", 0, end="2018-02-28"),
                                      "contact_points[0].end", ["2018-02-28", "before"]),
    "unknown directive": (changed("study_sessions", 0, directives=["d-9"]),
                          "study_sessions[0].directives[0]", ["d-9"]),
    "not a judgment rule": (changed("assessments", 0, rule="3.research-days"),
                            "assessments[0].rule", ["3.research-days", "judgment"]),
    "bad month period": (changed("assessments", 0, period="2018-13"), "assessments[0].period",
                         ["2018-13"]),
    "bad period": (changed("assessments", 0, period="FY2018"), "assessments[0].period",
                   ["FY2018"]),
    "team rule, member subject": (changed("assessments", 0, rule="2.guiding-thought"),
                                  "assessments[0].subject", ["team"]),
    "unknown subject": (changed("assessments", 0, subject="m99"), "assessments[0].subject",
                        ["m99"]),
    "team missing": (without("", "team"), "team", ["required field missing"]),
    "format missing": (without("", "format"), "format", ["selfbuild-rules.facts/1"]),
    "wrong format": ({**example(), "format": "selfbuild-rules.facts/2"}, "format",
                     ["selfbuild-rules.facts/2"]),
    "category not a list": ({**example(), "violations": {"id": "vi-1"}}, "violations",
                            ["must be a list"]),
    # The contract names problems `category[index].field`, also for a negative count.
    "negative count": (changed("research_reports", 0, recommendations=-1),
                       f"{REPORT}.recommendations", ["-1"]),
}  # fmt: skip


@pytest.mark.parametrize(("doc", "path", "fragments"), FAULTS.values(), ids=FAULTS.keys())
def test_each_fault_is_named_by_its_path(doc: dict, path: str, fragments: list[str]) -> None:
    found_path, message = only_problem(doc)
    assert found_path == path
    assert all(f in message for f in fragments), message


@pytest.mark.parametrize("value", [{"id": "m01"}, "m01", 5, None])
def test_members_not_a_list(value: object) -> None:
    assert problems({**example(), "members": value})["members"] == "must be a list"


@pytest.mark.parametrize("value", ["rt-1", ["rt-1"], 5, None, True])
def test_record_that_is_not_an_object(value: object) -> None:
    assert only_problem(example(research_trips=[value]))[0] == "research_trips[0]"
    assert only_problem({**lone_member(), "team": value})[0] == "team"
    assert only_problem({**lone_member(), "members": [value]})[0] == "members[0]"


# --- trip datetimes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2018-03-01T23:30:00+00:00", dt.date(2018, 3, 2)),  # 07:30 next day in China
        ("2018-03-01T23:30:00Z", dt.date(2018, 3, 2)),
        ("2018-03-01T23:30:00+08:00", dt.date(2018, 3, 1)),  # already China time
        ("2018-03-01T15:59:59-00:00", dt.date(2018, 3, 1)),  # 23:59:59 in China
        ("2018-03-01T16:00:00+00:00", dt.date(2018, 3, 2)),  # midnight in China
        ("2018-03-02T06:00:00+14:00", dt.date(2018, 3, 2)),  # 16:00 UTC on 1 March → 2 March
    ],
)
def test_trip_datetimes_become_china_dates(start: str, expected: dt.date) -> None:
    doc = changed("research_trips", 0, start=start, end="2018-12-31")
    assert load_facts(doc).research_trips[0].start == expected


UTC_INSTANTS = st.datetimes(min_value=dt.datetime(2016, 1, 1), max_value=dt.datetime(2021, 12, 31))
OFFSETS = st.integers(-12 * 4, 14 * 4).map(lambda q: dt.timezone(dt.timedelta(minutes=15 * q)))


@given(UTC_INSTANTS, OFFSETS, OFFSETS)
def test_same_instant_in_any_offset_gives_the_same_china_date(
    naive_utc: dt.datetime, first: dt.timezone, second: dt.timezone
) -> None:
    instant = naive_utc.replace(tzinfo=dt.timezone.utc)
    china_day = (naive_utc + dt.timedelta(hours=8)).date()  # China is UTC+8, no DST since 1991
    doc = changed("research_trips", 0, start=instant.astimezone(first).isoformat(),
                  end=instant.astimezone(second).isoformat())  # fmt: skip
    trip = load_facts(doc).research_trips[0]
    assert trip.start == trip.end == china_day


# --- all problems at once ----------------------------------------------------------------------


def test_every_problem_is_reported_at_once() -> None:
    doc = example()
    doc["remarks"] = "x"
    doc["team"]["leader"] = "m01"
    doc["research_trips"][0]["member"] = "m99"
    doc["research_trips"][0]["topic"] = None
    doc["contact_point_visits"][0]["contact_point"] = "cp-9"
    doc["major_decisions"][0]["date"] = "2018-02-30"
    doc["livelihood_projects"][0]["status"] = "done"
    doc["assessments"][0]["rule"] = "3.research-days"
    doc["research_reports"][0]["recommendations"] = True
    with pytest.raises(FactsError) as info:
        load_facts(doc)
    paths = [p.path for p in info.value.problems]
    assert sorted(paths) == sorted([
        "remarks", "team", "research_trips[0].member", "contact_point_visits[0].contact_point",
        "major_decisions[0].date", "livelihood_projects[0].status", "assessments[0].rule",
        "research_reports[0].recommendations",
    ])  # fmt: skip
    assert str(info.value).startswith("8 problems in the facts:")
    assert all(str(p) in str(info.value) for p in info.value.problems)


# --- files ------------------------------------------------------------------------------------


def _json_bytes(doc: object, encoding: str = "utf-8") -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2).encode(encoding)


def test_load_from_path_and_file_objects(tmp_path: Any) -> None:
    expected = load_facts(example())
    path = tmp_path / "facts.json"
    path.write_bytes(_json_bytes(example()))
    assert load_facts(path) == expected
    assert load_facts(str(path)) == expected
    assert load_facts(io.BytesIO(_json_bytes(example()))) == expected
    with path.open("rb") as handle:
        assert load_facts(handle) == expected
    assert load_facts(io.StringIO(json.dumps(example(), ensure_ascii=False))) == expected


def test_non_utf8_bytes() -> None:
    # The Chinese names in GBK are not valid UTF-8.
    assert "UTF-8" in only_problem(io.BytesIO(_json_bytes(example(), "gbk")))[1]


def test_truncated_json_gives_line_and_column() -> None:
    text = b'{\n  "format": "selfbuild-rules.facts/1",\n  "team": '
    # A value is expected after `  "team": ` (10 characters) on line 3, i.e. at column 11.
    message = only_problem(io.BytesIO(text))[1]
    assert "line 3" in message and "column 11" in message


def test_top_level_array() -> None:
    assert "object" in only_problem(io.BytesIO(_json_bytes([example()])))[1]


def test_missing_file(tmp_path: Any) -> None:
    path, message = only_problem(tmp_path / "absent.json")
    assert path == "" and "absent.json" in message


def test_path_that_cannot_name_a_file() -> None:
    assert only_problem("bad\x00name.json")[0] == ""


def test_deeply_nested_json_is_a_facts_error() -> None:
    depth = 100_000
    only_problem(io.BytesIO(b'{"format": ' + b"[" * depth + b"]" * depth + b"}"))


# --- properties -------------------------------------------------------------------------------


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(facts_documents())
def test_generated_documents_load_and_round_trip(doc: dict[str, Any]) -> None:
    facts = load_facts(doc)
    for category in OPTIONAL_CATEGORIES:
        records = getattr(facts, category)
        assert (records is None) == (category not in doc)
        assert records is None or len(records) == len(doc[category])
    dumped = dump_facts(facts)
    assert set(dumped) == set(doc)
    assert load_facts(dumped) == facts
    assert load_facts(io.StringIO(json.dumps(dumped))) == facts
    assert dump_facts(load_facts(dumped)) == dumped


FIELD_NAMES = ["format", "team", "members", *OPTIONAL_CATEGORIES, "id", "member", "start", "end"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(), inner, max_size=4)
    ),
    max_leaves=20,
)


def _loads_or_facts_error(source: Any) -> None:
    try:
        result = load_facts(source)
    except FactsError as error:
        assert error.problems and all(isinstance(p.path, str) for p in error.problems)
    else:
        assert isinstance(result, Facts)


@given(json_values)
def test_arbitrary_json_gives_facts_or_facts_error(value: object) -> None:
    _loads_or_facts_error(io.BytesIO(json.dumps(value).encode()))
    if isinstance(value, dict):
        _loads_or_facts_error(value)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(facts_documents(), st.data())
def test_one_field_replaced_gives_facts_or_facts_error(doc: dict[str, Any], data: Any) -> None:
    where = data.draw(st.sampled_from(locations(doc)))
    parent = doc
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = data.draw(json_values)
    _loads_or_facts_error(doc)
