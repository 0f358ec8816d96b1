"""The fast paths give what the careful ones give: loading through msgspec (JSON and JSON
Lines) and the report's JSON written by msgspec's encoder.

The careful paths are the references here: a document given as a dict is always
structured by cattrs record by record, and ``json.dumps`` of ``Report.to_dict()`` is
the report as it was written before. Equality is checked on generated documents, on
documents with one field replaced by anything, and on each cross-record fault.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import selfbuild_rules as sr
from selfbuild_rules.facts import checks
from selfbuild_rules.facts import fastload as _fastload
from selfbuild_rules.facts.consistency import consistent
from selfbuild_rules.facts.records import Member, Tenure
from selfbuild_rules.plugins.modules import Module, ParameterChange
from selfbuild_rules.tianjin2018 import BASE
from strategies import facts_documents, locations

FORMAT = "selfbuild-rules.facts/1"
SLOW = settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


def as_json(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def as_lines(doc: dict[str, Any]) -> bytes:
    """A document as JSON Lines, written from the format's description."""
    out: list[Any] = [{"format": doc["format"]}, {"team": doc["team"]}]
    for key, records in doc.items():
        if isinstance(records, list):
            out.append({"category": key})
            out += [{"category": key, "record": r} for r in records]
    return "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in out).encode("utf-8")


def outcome(source: Any, lines: bool = False) -> sr.Facts | tuple[sr.Problem, ...]:
    """The facts, or the problems, loading ``source`` gives."""
    try:
        return sr.load_facts(source, lines=None if isinstance(source, dict) else lines)
    except sr.FactsError as error:
        return error.problems


def good() -> dict[str, Any]:
    """A document of plain dates only, so the fast path takes all of it."""
    member = {"id": "m01", "name": "甲", "post": "mayor", "tenure": {"start": "2018-01-26"}}
    return {
        "format": FORMAT,
        "team": {"id": "t", "name": "班子"},
        "members": [member, {**member, "id": "m02", "name": "乙"}],
        "research_topics": [{"id": "tp-1", "member": "m01", "year": 2018}],
        "research_trips": [
            {"id": "rt-1", "member": "m01", "start": "2018-03-01", "end": "2018-03-05"},
            {"id": "rt-2", "member": "m02", "start": "2018-04-01", "end": "2018-04-01"},
            {
                "id": "rt-3",
                "member": "m01",
                "start": "2018-05-01",
                "end": "2018-05-02",
                "topic": "tp-1",
            },
        ],
        "contact_points": [
            {"id": "cp-1", "member": "m01", "kind": "village", "start": "2018-03-01"}
        ],
        "contact_point_visits": [
            {"id": "v-1", "member": "m01", "contact_point": "cp-1", "date": "2018-05-05"}
        ],
        "directives": [{"id": "d-1", "issued": "2018-03-20", "kind": "speech"}],
        "study_sessions": [
            {"id": "ss-1", "date": "2018-03-22", "kind": "relay", "directives": ["d-1"]}
        ],
        "assessments": [
            {
                "id": "as-1",
                "rule": "1.loyalty",
                "subject": "m01",
                "period": "2018",
                "result": "compliant",
                "date": "2019-01-15",
            }
        ],
        "violations": [],
    }


# --- loading ---------------------------------------------------------------------------


def test_the_fast_path_takes_a_plain_document_and_builds_the_same_facts() -> None:
    doc = good()
    fast = _fastload.document(as_json(doc))
    assert fast is not None
    assert fast == sr.load_facts(doc)
    assert fast.research_trips is not None and fast.research_trips[2].topic == "tp-1"
    assert fast.research_topics is not None and fast.democratic_life_meetings is None


def test_a_category_line_is_decoded_by_the_fast_path() -> None:
    line = b'{"category": "violations", "record": {"id": "vi-1", "member": "m01",'
    line += b' "date": "2018-06-01", "kind": "other"}}\n'
    decoded = _fastload.LINE_DECODER.decode(line)
    assert _fastload.LINE_CATEGORY[type(decoded)] == "violations"
    assert sr.load_facts(io.BytesIO(as_lines(good())), lines=True) == sr.load_facts(good())


def fast_accepts(doc: dict[str, Any]) -> bool:
    """Whether the fast path takes the document: msgspec decodes it and every check passes,
    the regulation's own (assessments name its judgment provisions) included."""
    fast = _fastload.document(as_json(doc))
    if fast is None:
        return False
    records = {"members": fast.members, "assessments": fast.assessments or ()}
    return checks.assessments_fit(records, BASE.judgments())


@pytest.mark.parametrize(
    "fault",
    [
        lambda d: d["research_trips"][1].update(id="rt-1"),  # duplicate id
        lambda d: d["research_trips"][1].update(member="m09"),  # dangling member
        lambda d: d["research_trips"][2].update(member="m02"),  # topic of another member
        lambda d: d["research_trips"][0].update(end="2018-02-28"),  # end before start
        lambda d: d["members"][1]["tenure"].update(end="2017-01-01"),  # tenure ends first
        lambda d: d["contact_point_visits"][0].update(contact_point="cp-9"),
        lambda d: d["study_sessions"][0]["directives"].append("d-9"),  # unknown directive
        lambda d: d.pop("directives"),  # a session relays a directive not supplied
        lambda d: d["assessments"][0].update(rule="3.research-days"),  # not a judgment
        lambda d: d["assessments"][0].update(subject="team"),  # member provision
        lambda d: d["assessments"][0].update(rule="2.guiding-thought"),  # team provision
        lambda d: d["assessments"][0].update(period="2018-13"),
        lambda d: d["assessments"][0].update(rule="m-x/1.conduct", subject="m09"),
        lambda d: d.pop("research_topics"),  # a trip names a topic not supplied
    ],
)
def test_each_cross_record_fault_leaves_the_fast_path_with_the_careful_problems(
    fault: Any,
) -> None:
    doc = good()
    fault(doc)
    assert not fast_accepts(doc)
    expected = outcome(doc)
    assert isinstance(expected, tuple) and expected  # the careful path names it
    assert outcome(io.BytesIO(as_json(doc))) == expected
    lines = outcome(io.BytesIO(as_lines(doc)), lines=True)
    assert isinstance(lines, tuple)  # the same places (messages may add a line number)
    assert [p.path for p in lines] == [p.path for p in expected]


def test_module_provision_assessment_of_a_known_subject_stays_fast() -> None:
    doc = good()
    doc["assessments"][0].update(rule="m-x/1.conduct")
    assert fast_accepts(doc)
    assert _fastload.document(as_json(doc)) == sr.load_facts(doc)


def test_trips_dated_with_datetimes_stay_fast_as_days_in_china() -> None:
    doc = good()
    doc["research_trips"][0].update(
        start="2018-02-28T23:30:00+00:00", end="2018-03-05T09:00:00+08:00"
    )
    fast = _fastload.document(as_json(doc))
    assert fast is not None and fast == sr.load_facts(doc)
    assert fast.research_trips is not None
    assert fast.research_trips[0].start == dt.date(2018, 3, 1)  # 07:30 on 1 March in China
    assert sr.load_facts(io.BytesIO(as_lines(doc)), lines=True) == fast


@pytest.mark.parametrize(
    "value", ["2018-03-01T08:30:00", "2018-03-01T25:00:00+08:00", "2018-02-30", "March"]
)
def test_a_bad_trip_date_leaves_the_fast_path_with_the_careful_problem(value: str) -> None:
    doc = good()
    doc["research_trips"][1].update(start=value)
    assert _fastload.document(as_json(doc)) is None
    expected = outcome(doc)
    assert isinstance(expected, tuple) and [p.path for p in expected] == ["research_trips[1].start"]
    assert outcome(io.BytesIO(as_json(doc))) == expected
    lines = outcome(io.BytesIO(as_lines(doc)), lines=True)
    assert isinstance(lines, tuple) and [p.path for p in lines] == [p.path for p in expected]


@SLOW
@given(facts_documents())
def test_generated_documents_load_the_same_by_every_path(doc: dict[str, Any]) -> None:
    expected = sr.load_facts(doc)
    assert sr.load_facts(io.BytesIO(as_json(doc))) == expected
    assert sr.load_facts(io.BytesIO(as_lines(doc)), lines=True) == expected
    fast = _fastload.document(as_json(doc))
    assert fast is None or fast == expected


@SLOW
@given(facts_documents(), st.data())
def test_one_field_replaced_loads_the_same_from_json_and_from_a_dict(
    doc: dict[str, Any], data: Any
) -> None:
    where = data.draw(st.sampled_from(locations(doc)))
    parent = doc
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = data.draw(ANY_JSON)
    raw = as_json(doc)
    expected = outcome(json.loads(raw))  # what the careful path makes of the same JSON
    assert outcome(io.BytesIO(raw)) == expected
    if len(where) >= 3:  # inside a record: JSON Lines holds the same record
        lines = outcome(io.BytesIO(as_lines(json.loads(raw))), lines=True)
        if isinstance(expected, sr.Facts):
            assert lines == expected
        else:
            assert isinstance(lines, tuple)
            assert {p.path for p in lines} == {p.path for p in expected}


# --- the JSON report -------------------------------------------------------------------


def reference_json(report: sr.Report, indent: bool = False) -> str:
    """The report as json.dumps writes its dict: compact, or indented for people."""
    data = report.to_dict()
    if indent:
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(facts_documents(), st.text(), st.sampled_from(["2018", "2019-Q2", "2020-07"]))
def test_report_json_is_the_json_dumps_document(
    doc: dict[str, Any], name: str, period: str
) -> None:
    doc = copy.deepcopy(doc)
    doc["team"]["name"] = name  # any text: quotes, backslashes, control characters, emoji
    report = sr.evaluate(doc, period, "2020-03-01")
    assert report.to_json() == reference_json(report)
    assert report.to_json(indent=True) == reference_json(report, indent=True)
    assert report.redacted().to_json() == reference_json(report.redacted())


def test_report_json_with_module_warnings_and_mid_window_values() -> None:
    # A loosening needs a reason and warns; a value changing on 1 July is listed per part.
    lax = ParameterChange("research.months", 1, dt.date(2019, 7, 1), "一个月", reason="试点")
    module = Module(
        id="lax",
        title="试点",
        english_title="Pilot",
        authority="某区",
        adopted=dt.date(2019, 6, 1),
        in_force=dt.date(2019, 7, 1),
        text="一个月",
        changes=(lax,),
        extends="tianjin-2018",
    )
    doc = good()
    report = sr.evaluate(doc, "2019", "2020-03-01", modules=[module])
    days = report.result("3.research-days", "m01")
    assert days.warnings and any(i.valid is not None for i in days.interpretations)
    assert report.to_json() == reference_json(report)
    assert report.to_json(indent=True) == reference_json(report, indent=True)


def members_with(ids: list[str]) -> tuple[Member, ...]:
    tenure = Tenure(dt.date(2017, 6, 1))
    return tuple(Member(id=i, name="甲", post="mayor", tenure=tenure) for i in ids)


@SLOW
@given(
    st.integers(min_value=0, max_value=300),
    st.integers(min_value=0, max_value=2),
    st.randoms(use_true_random=False),
)
def test_ids_pass_the_fast_check_exactly_when_no_two_are_equal(
    count: int, order: int, rand: Any
) -> None:
    # Different ids in order, with one given again (where there are a few dozen, a
    # sorted copy of them is checked), or not (none is), or shuffled with maybe one
    # again (a set is checked): each way, the fast check agrees with counting them.
    ids = [f"r-{n}" for n in sorted(rand.sample(range(1000), count))]
    if order != 1 and ids:
        ids.insert(rand.randrange(len(ids) + 1), rand.choice(ids))
    if order == 2:
        rand.shuffle(ids)
        ids = ids[: rand.randrange(len(ids) + 1)]
    assert consistent({"members": members_with(ids)}) == (len(set(ids)) == len(ids))
