"""Loading at scale changes nothing but the cost: batches, shared values, blocks of lines.

The references are the careful paths: a document given as a dict (cattrs record by
record, :mod:`selfbuild_rules.facts.checks` across records) and JSON Lines read one line at
a time (an iterable of lines). Batches and blocks are made tiny here so that even small
generated documents are cut into many.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import selfbuild_rules as sr
from selfbuild_rules.facts import checks as _checks
from selfbuild_rules.facts import fastload as _fastload
from selfbuild_rules.facts import fastrecords as _fastrecords
from selfbuild_rules.facts import jsonl as _jsonl
from selfbuild_rules.facts.consistency import consistent
from selfbuild_rules.facts.records import CATEGORIES
from selfbuild_rules.facts.structure import structure
from strategies import facts_documents

SLOW = settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)


@pytest.fixture(autouse=True)
def tiny_batches(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(_fastload, "_BATCH", 16)
    monkeypatch.setattr(_jsonl, "_BLOCK", 64)
    yield


def as_json(doc: dict[str, Any], indent: int | None = None) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=indent).encode("utf-8")


def as_lines(doc: dict[str, Any]) -> list[str]:
    out: list[Any] = [{"format": doc["format"]}, {"team": doc["team"]}]
    for key, records in doc.items():
        if isinstance(records, list):
            out.append({"category": key})
            out += [{"category": key, "record": r} for r in records]
    return [json.dumps(x, ensure_ascii=False) + "\n" for x in out]


def outcome(load: Any) -> sr.Facts | tuple[sr.Problem, ...]:
    try:
        result: sr.Facts = load()
    except sr.FactsError as error:
        return error.problems
    return result


def trips(count: int, place: str = "宝坻区") -> dict[str, Any]:
    """A document with many trips of two members, enough for many batches."""
    member = {"id": "m01", "name": "甲", "post": "mayor", "tenure": {"start": "2018-01-26"}}
    return {
        "format": "selfbuild-rules.facts/1",
        "team": {"id": "t", "name": "班子"},
        "members": [member, {**member, "id": "m02", "name": "乙"}],
        "research_trips": [
            {
                "id": f"rt-{i}",
                "member": f"m0{1 + i % 2}",
                "start": f"2018-03-{1 + i % 28:02d}",
                "end": f"2018-04-{1 + i % 28:02d}",
                "place": place,
            }
            for i in range(count)
        ],
    }


# --- the JSON document ------------------------------------------------------------------


@SLOW
@given(facts_documents(), st.sampled_from([None, 1]))
def test_documents_cut_into_batches_load_as_the_careful_path_does(
    doc: dict[str, Any], indent: int | None
) -> None:
    expected = sr.load_facts(doc)
    raw = as_json(doc, indent)
    assert sr.load_facts(io.BytesIO(raw)) == expected
    fast = _fastload.document(raw)
    assert fast is None or fast == expected


def test_a_file_is_read_through_a_memory_map_in_batches(tmp_path: Path) -> None:
    doc = trips(50)
    path = tmp_path / "facts.json"
    path.write_bytes(as_json(doc))
    assert len(list(_fastload.batches(_raw_trips(path.read_bytes())))) > 10
    assert sr.load_facts(path) == sr.load_facts(doc)


@pytest.mark.parametrize("fault", ["2018-02-30", "m09"])
def test_a_wrong_file_names_the_same_problems_as_the_dict(tmp_path: Path, fault: str) -> None:
    doc = trips(50)
    doc["research_trips"][44]["end" if fault.startswith("2") else "member"] = fault
    path = tmp_path / "facts.json"
    path.write_bytes(as_json(doc))
    expected = outcome(lambda: sr.load_facts(doc))
    assert isinstance(expected, tuple) and expected
    assert outcome(lambda: sr.load_facts(path)) == expected


def _raw_trips(raw: bytes) -> Any:
    import msgspec

    return msgspec.json.decode(raw, type=dict[str, msgspec.Raw])["research_trips"]


@pytest.mark.parametrize("place", ['},{"id": "x"}', "}, {", '"},{"', "}\n,{", "]}", "},{}"])
def test_record_boundaries_inside_strings_change_nothing(place: str) -> None:
    doc = trips(30, place=place)
    raw = as_json(doc)
    fast = _fastload.document(raw)
    assert fast is None or fast == sr.load_facts(doc)
    assert sr.load_facts(io.BytesIO(raw)) == sr.load_facts(doc)


def test_record_boundaries_inside_nested_lists_change_nothing() -> None:
    step = {"kind": "legality_review", "date": "2018-03-01"}
    decision = {"date": "2018-04-01", "decided_by": "executive_meeting", "legal_review": None}
    doc = trips(2)
    doc["major_decisions"] = [
        {"id": f"md-{i}", **decision, "procedures": [step] * 5} for i in range(20)
    ]
    raw = as_json(doc)
    assert _fastload.document(raw) == sr.load_facts(doc)


def test_a_fault_in_a_late_batch_takes_the_careful_path() -> None:
    doc = trips(60)
    doc["research_trips"][57]["end"] = "2018-02-30"
    expected = outcome(lambda: sr.load_facts(doc))
    assert isinstance(expected, tuple) and expected
    assert _fastload.document(as_json(doc)) is None
    assert outcome(lambda: sr.load_facts(io.BytesIO(as_json(doc)))) == expected


# --- shared values ------------------------------------------------------------------------


def test_equal_values_are_one_object() -> None:
    for facts in (
        sr.load_facts(io.BytesIO(as_json(trips(40)))),
        sr.load_facts(io.BytesIO("".join(as_lines(trips(40))).encode()), lines=True),
    ):
        assert facts.research_trips is not None
        first, *rest = facts.research_trips
        members = {m.id: m.id for m in facts.members}
        for trip in facts.research_trips:
            assert trip.member is members[trip.member]  # the member's own id
            assert trip.place is first.place
        same_day = [t for t in rest if t.start == first.start]
        assert same_day and all(t.start is first.start for t in same_day)


@given(
    st.lists(
        st.one_of(st.text(max_size=3), st.dates(), st.integers(-300, 300), st.none()),
        max_size=30,
    )
)
def test_sharing_never_changes_a_value(values: list[Any]) -> None:
    shared = _fastload.Shared()
    got = [shared[v] for v in values]
    assert got == values
    assert [type(v) for v in got] == [type(v) for v in values]
    assert all(shared[v] is got[values.index(v)] for v in values)


# --- cross-record checks: all or nothing ----------------------------------------------


def _structured(doc: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    out = {}
    for name, cls in CATEGORIES.items():
        if name in doc:
            records = [structure(r, cls, name)[0] for r in doc[name]]
            assert None not in records
            out[name] = tuple(records)
    return out


@st.composite
def disturbed(draw: st.DrawFn) -> dict[str, Any]:
    """A valid document with one id, reference or date set to another value that is
    right on its own (another record's id, another date, or null where allowed)."""
    doc = copy.deepcopy(draw(facts_documents()))
    names = [n for n in CATEGORIES if doc.get(n)]
    if not names:
        return doc
    name = draw(st.sampled_from(names))
    record = draw(st.sampled_from(doc[name]))
    ids = sorted({r["id"] for n in names for r in doc[n]} | {"x-9"})
    fields = [f for f in ("id", "member", "topic", "contact_point") if f in record]
    choices = [("id", st.sampled_from(ids))] + [(f, st.sampled_from(ids)) for f in fields]
    days = st.dates(dt.date(2015, 1, 1), dt.date(2022, 12, 31)).map(dt.date.isoformat)
    choices += [(f, days) for f in ("start", "end", "date") if f in record]
    if name in ("contact_points", "research_trips"):
        choices.append(("topic" if name == "research_trips" else "end", st.none()))
    if name == "members":
        choices.append(("tenure", st.builds(lambda d: {"start": "2018-01-01", "end": d}, days)))
    if name == "study_sessions":
        choices.append(("directives", st.lists(st.sampled_from(ids), max_size=2)))
    field, values = draw(st.sampled_from(choices))
    record[field] = draw(values)
    return doc


@SLOW
@given(disturbed())
def test_consistent_exactly_when_the_careful_checks_find_nothing(doc: dict[str, Any]) -> None:
    categories = _structured(doc)
    entries = {
        name: [_checks.Entry(name, i, None, r.id, r) for i, r in enumerate(records)]
        for name, records in categories.items()
    }
    # Assessments are the loader's own check (against the regulation), beside consistent().
    fits = consistent(categories) and _checks.assessments_fit(categories, None)
    assert fits == (not _checks.check(entries))
    fast = _fastload.document(as_json(doc))
    if fast is not None and fast.assessments:  # as the loader does with what it gives
        records = {"members": fast.members, "assessments": fast.assessments}
        fast = fast if _checks.assessments_fit(records, None) else None
    careful = outcome(lambda: sr.load_facts(doc))
    assert fast is None if isinstance(careful, tuple) else fast in (None, careful)


# --- JSON Lines in blocks -----------------------------------------------------------------


@st.composite
def mangled_lines(draw: st.DrawFn) -> list[str]:
    """The lines of a generated document, some of them mangled the way files are: CRLF,
    blank lines, spaces, two lines on one, one line on two, a BOM, a broken line."""
    lines = as_lines(draw(facts_documents()))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        line = lines[at]
        how = draw(st.sampled_from(["crlf", "blank", "space", "join", "split", "bom", "cut"]))
        if how == "crlf":
            lines[at] = line[:-1] + "\r\n"
        elif how == "blank":
            lines.insert(at, draw(st.sampled_from(["\n", " \n", "\r\n"])))
        elif how == "space":
            lines[at] = " " + line[:-1] + " \n"
        elif how == "join" and at + 1 < len(lines):
            lines[at : at + 2] = [line[:-1] + draw(st.sampled_from([" ", ""])) + lines[at + 1]]
        elif how == "split" and "," in line:
            cut = line.index(",") + 1
            lines[at : at + 1] = [line[:cut] + "\n", line[cut:]]
        elif how == "bom" and at == 0:
            lines[0] = "\ufeff" + line
        elif how == "cut":
            lines[at] = line[: draw(st.integers(0, len(line) - 1))] + "\n"
    if draw(st.booleans()):
        lines[-1] = lines[-1].rstrip("\n")
    return lines


def split(data: str) -> list[str]:
    """Lines as a stream gives them: cut after each \\n only."""
    parts = [part + "\n" for part in data.split("\n")]
    return parts[:-1] + ([parts[-1][:-1]] if parts[-1] != "\n" else [])


@SLOW
@given(mangled_lines())
def test_blocks_of_lines_load_as_one_line_at_a_time(lines: list[str]) -> None:
    data = "".join(lines)
    one_at_a_time = outcome(lambda: sr.load_facts(split(data), lines=True))
    assert outcome(lambda: sr.load_facts(io.StringIO(data), lines=True)) == one_at_a_time
    by_lines = outcome(lambda: sr.load_facts(list(io.BytesIO(data.encode())), lines=True))
    assert outcome(lambda: sr.load_facts(io.BytesIO(data.encode()), lines=True)) == by_lines
    assert isinstance(by_lines, tuple) == isinstance(one_at_a_time, tuple)


def test_two_values_on_one_line_are_still_an_error() -> None:
    lines = as_lines(trips(3))
    lines[4] = lines[4].rstrip("\n") + " " + lines[5]
    del lines[5]
    data = "".join(lines).encode()
    error = outcome(lambda: sr.load_facts(io.BytesIO(data), lines=True))
    assert isinstance(error, tuple) and "line 5" in str(error[0])
    assert error == outcome(lambda: sr.load_facts(list(io.BytesIO(data)), lines=True))


def test_a_large_jsonl_file_loads_in_blocks(tmp_path: Path) -> None:
    doc = trips(300)
    path = tmp_path / "facts.jsonl"
    path.write_text("".join(as_lines(doc)), encoding="utf-8")
    assert sr.load_facts(path) == sr.load_facts(doc)


def test_days_are_read_once_kept_within_bounds_and_a_refused_text_is_not_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_fastrecords, "_DAYS_KEPT", 4)
    days = _fastrecords._Days({None: None})
    first = days["2018-03-01"]
    assert first == dt.date(2018, 3, 1) and days["2018-03-01"] is first
    assert days["2018-03-01T23:30:00+08:00"] == dt.date(2018, 3, 1)
    with pytest.raises(ValueError):
        days["2018-02-30"]
    assert "2018-02-30" not in days
    for day in range(2, 9):
        days[f"2018-03-0{day}"]
    assert len(days) <= 4 and days[None] is None
