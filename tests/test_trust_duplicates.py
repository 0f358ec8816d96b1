"""A key given twice is a problem naming its path, on every way in: fast or careful,
a JSON document or JSON Lines. JSON readers keep the last value silently, so a later
``"violations": []`` would drop the violations recorded before it."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import selfbuild_rules as sr
from selfbuild_rules.facts import fastload
from strategies import facts_documents, locations

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "tianjin-2018.json"
SIMPLE: dict[str, Any] = {
    "format": "selfbuild-rules.facts/1",
    "team": {"id": "t", "name": "班子"},
    "members": [
        {"id": "m01", "name": "甲", "post": "mayor", "tenure": {"start": "2018-01-26", "end": None}}
    ],
    "research_trips": [
        {"id": f"rt-{i}", "member": "m01", "start": "2018-03-01", "end": "2018-03-02"}
        for i in range(5)
    ],
    "violations": [{"id": "v-1", "member": "m01", "date": "2018-05-01", "kind": "other"}],
}


def text(value: Any, twice: tuple[Any, ...] | None, decoy: Any, here: tuple[Any, ...] = ()) -> str:
    """``value`` as JSON; the object at path ``twice[:-1]`` gives key ``twice[-1]`` twice,
    first with ``decoy``."""
    if isinstance(value, dict):
        parts = [f"{json.dumps(k)}: {text(v, twice, decoy, (*here, k))}" for k, v in value.items()]
        if twice is not None and twice[:-1] == here:
            parts.insert(0, f"{json.dumps(twice[-1])}: {json.dumps(decoy)}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(text(v, twice, decoy, (*here, i)) for i, v in enumerate(value)) + "]"
    return json.dumps(value, ensure_ascii=False)


def path_of(where: tuple[Any, ...]) -> str:
    out = ""
    for part in where:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def problems(load: Any) -> list[str]:
    with pytest.raises(sr.FactsError) as caught:
        load()
    return [str(p) for p in caught.value.problems]


def every_way(raw: str, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "facts.json"
    path.write_text(raw, encoding="utf-8")
    return [
        problems(lambda: sr.load_facts(path)),  # memory-mapped, fast path first
        problems(lambda: sr.load_facts(io.BytesIO(raw.encode("utf-8")))),
        problems(lambda: sr.load_facts(io.StringIO(raw))),
    ]


@pytest.mark.parametrize(
    ("twice", "decoy", "expected"),
    [
        (("violations",), [], "violations: key given twice"),
        (("members",), [], "members: key given twice"),
        (("format",), "selfbuild-rules.facts/1", "format: key given twice"),
        (("team", "name"), "别的", "team.name: key given twice"),
        (("research_trips", 3, "end"), "2018-03-05", "research_trips[3].end: key given twice"),
        (("members", 0, "tenure", "end"), "2018-06-30", "members[0].tenure.end: key given twice"),
    ],
)
def test_a_key_given_twice_is_a_problem_naming_it(
    tmp_path: Path, twice: tuple[Any, ...], decoy: Any, expected: str
) -> None:
    raw = text(copy.deepcopy(SIMPLE), twice, decoy)
    for found in every_way(raw, tmp_path):
        assert expected in found


def test_the_dropped_violation_cannot_vanish(tmp_path: Path) -> None:
    document = {k: v for k, v in SIMPLE.items() if k != "violations"}
    recorded = json.dumps(SIMPLE["violations"], ensure_ascii=False)
    raw = text(document, None, None)[:-1] + f', "violations": {recorded}, "violations": []}}'
    assert raw.count('"violations"') == 2
    assert json.loads(raw)["violations"] == []  # what a JSON reader alone would keep
    for found in every_way(raw, tmp_path):
        assert found == ["violations: key given twice"]


def test_json_lines_name_the_line_and_key(tmp_path: Path) -> None:
    lines = [
        '{"format": "selfbuild-rules.facts/1"}',
        '{"team": {"id": "t", "name": "班子"}}',
        '{"category": "members", "record": {"id": "m01", "name": "甲", "post": "mayor", '
        '"tenure": {"start": "2018-01-26"}}}',
        '{"category": "violations", "record": {"id": "v-1", "member": "m01", "date": '
        '"2018-05-01", "kind": "other", "kind": "other"}}',
        '{"category": "violations", "category": "research_trips"}',
    ]
    path = tmp_path / "facts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = problems(lambda: sr.load_facts(path))
    assert "line 4: record.kind: key given twice" in found
    assert "line 5: category: key given twice" in found
    one = problems(lambda: sr.load_facts(iter(lines), lines=True))  # line by line
    assert "line 4: record.kind: key given twice" in one


def test_colons_in_strings_keep_the_fast_path_and_escaped_ones_load_too() -> None:
    document = copy.deepcopy(SIMPLE)
    for trip in document["research_trips"]:
        trip["place"] = "会议室 A:3 :: 12:30"
    raw = json.dumps(document, ensure_ascii=False).encode("utf-8")
    assert fastload.document(raw) is not None  # a colon in a string is no key
    escaped = json.dumps(document, ensure_ascii=True).replace(":3", "\\u003a3").encode()
    assert fastload.document(escaped) is None  # cannot count: the careful path decides
    assert sr.load_facts(io.BytesIO(escaped)) == sr.load_facts(io.BytesIO(raw))
    # ... and a duplicate beside an escaped colon is still found
    twice = escaped.replace(b'"id": "rt-0"', b'"id": "rt-0", "id": "rt-0"', 1)
    assert problems(lambda: sr.load_facts(io.BytesIO(twice))) == [
        "research_trips[0].id: key given twice"
    ]


@st.composite
def twice_anywhere(draw: st.DrawFn) -> tuple[dict[str, Any], tuple[Any, ...], Any]:
    document = draw(facts_documents())
    objects = [()] + [p for p in locations(document) if isinstance(_at(document, p), dict)]
    where = draw(st.sampled_from(objects))
    key = draw(st.sampled_from(sorted(_at(document, where)) or ["id"]))
    decoy = draw(st.sampled_from([None, "x", 1, [], {}]))
    return document, (*where, key), decoy


def _at(document: Any, where: tuple[Any, ...]) -> Any:
    for part in where:
        document = document[part]
    return document


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(twice_anywhere())
def test_a_key_given_twice_anywhere_is_found_fast_or_careful(
    case: tuple[dict[str, Any], tuple[Any, ...], Any],
) -> None:
    document, twice, decoy = case
    raw = text(document, twice, decoy).encode("utf-8")
    assert fastload.document(raw) is None
    found = problems(lambda: sr.load_facts(io.BytesIO(raw)))
    assert f"{path_of(twice)}: key given twice" in found
    # Without the duplicate, the same text loads as the document itself does.
    plain = text(document, None, None).encode("utf-8")
    expected = _outcome(lambda: sr.load_facts(document))
    assert _outcome(lambda: sr.load_facts(io.BytesIO(plain))) == expected


def _outcome(load: Any) -> Any:
    try:
        return load()
    except sr.FactsError as exc:
        return exc.problems
