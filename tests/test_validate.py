"""`selfbuild-rules validate` and JSON Lines input: every problem at once with its path
(and line), a one-line summary when valid, one clear line for a broken file."""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfbuild_rules import load_facts
from selfbuild_rules.facts.loading import FactsError, dump_facts, dump_facts_lines
from selfbuild_rules.facts.records import CATEGORIES
from selfbuild_rules.facts.structure import build, structure
from strategies import facts_documents

FORMAT = "selfbuild-rules.facts/1"
GOOD: dict[str, Any] = {
    "format": FORMAT,
    "team": {"id": "tj-gov", "name": "天津市人民政府领导班子"},
    "members": [
        {"id": "m01", "name": "成员甲", "post": "mayor", "tenure": {"start": "2018-01-26"}},
        {"id": "m02", "name": "成员乙", "post": "vice_mayor", "tenure": {"start": "2018-01-26"}},
    ],
    "research_trips": [
        {"id": f"rt-{i}", "member": "m01", "start": f"2018-0{i}-01", "end": f"2018-0{i}-05"}
        for i in range(1, 5)
    ],
    "contact_points": [
        {"id": "cp-1", "member": "m01", "kind": "village", "start": "2018-03-01", "end": None}
    ],
    "contact_point_visits": [
        {"id": "v-1", "member": "m01", "contact_point": "cp-1", "date": "2018-05-05"}
    ],
    "violations": [],
}


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "selfbuild_rules.cli", *args],
        capture_output=True,
        input=stdin,
        check=False,
    )


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def as_lines(document: dict[str, Any]) -> str:
    """A document as JSON Lines, written here from the format's description."""
    out = [{"format": document["format"]}, {"team": document["team"]}]
    for key, records in document.items():
        if isinstance(records, list):
            out.append({"category": key})  # declares the category, even when empty
            out += [{"category": key, "record": r} for r in records]
    return "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in out)


def broken() -> dict[str, Any]:
    """GOOD with five faults of different kinds."""
    doc = copy.deepcopy(GOOD)
    doc["research_trips"][3]["end"] = "2018-02-30"  # impossible date
    doc["contact_point_visits"][0]["contact_point"] = "cp-9"  # dangling reference
    doc["members"][1]["post"] = "boss"  # not an enumeration value
    doc["research_trips"][1]["id"] = "rt-1"  # duplicate id
    doc["contact_points"][0]["colour"] = "red"  # unknown field
    return doc


EXPECTED = [
    "research_trips[3].end: 2018-02-30 is not a date",
    "contact_point_visits[0].contact_point: cp-9 is not a known contact point",
    "members[1].post: boss is not one of mayor | executive_vice_mayor | vice_mayor | "
    "secretary_general | other",
    "research_trips[1].id: rt-1 repeats research_trips[0]",
    "contact_points[0]: unknown field colour",
]


# --- the command ------------------------------------------------------------------------------


def test_valid_file_gives_one_summary_line(tmp_path: Path) -> None:
    done = run("validate", str(write(tmp_path, "f.json", json.dumps(GOOD))))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode().splitlines()
    assert len(lines) == 1
    line = lines[0]
    assert line.startswith("valid: ")
    for count in ("members 2", "research_trips 4", "contact_points 1", "violations 0"):
        assert count in line
    assert "not supplied:" in line and "assessments" in line and "research_topics" in line


def test_every_problem_listed_with_its_path_exit_2(tmp_path: Path) -> None:
    done = run("validate", str(write(tmp_path, "f.json", json.dumps(broken()))))
    assert done.returncode == 2
    lines = done.stdout.decode().splitlines()
    assert sorted(lines[:-1]) == sorted(EXPECTED)
    assert lines[-1] == "invalid: 5 problems"
    assert b"Traceback" not in done.stderr


def test_validate_json_output_lists_problems(tmp_path: Path) -> None:
    done = run("validate", str(write(tmp_path, "f.json", json.dumps(broken()))), "--format", "json")
    assert done.returncode == 2
    report = json.loads(done.stdout)
    assert report["valid"] is False
    paths = {p["path"] for p in report["problems"]}
    assert "research_trips[3].end" in paths and len(report["problems"]) == 5
    ok = run("validate", str(write(tmp_path, "g.json", json.dumps(GOOD))), "--format", "json")
    assert json.loads(ok.stdout)["counts"]["research_trips"] == 4
    assert json.loads(ok.stdout)["counts"]["assessments"] is None


def test_jsonl_problems_name_their_line(tmp_path: Path) -> None:
    text = as_lines(broken())
    done = run("validate", str(write(tmp_path, "f.jsonl", text)))
    assert done.returncode == 2
    lines = done.stdout.decode().splitlines()[:-1]
    number = {line: n for n, line in enumerate(text.splitlines(), 1)}  # where each record is

    def line_of(category: str, index: int) -> int:
        record = broken()[category][index]
        return number[json.dumps({"category": category, "record": record}, ensure_ascii=False)]

    assert f"line {line_of('research_trips', 3)}: {EXPECTED[0]}" in lines
    visit = line_of("contact_point_visits", 0)
    assert f"line {visit}: {EXPECTED[1]}" in lines
    # the duplicate names where the first one was
    first = line_of("research_trips", 0)
    assert f"line {line_of('research_trips', 1)}: {EXPECTED[3]} (line {first})" in lines
    assert len(lines) == 5
    assert [int(x.split(":")[0].split()[1]) for x in lines] == sorted(
        int(x.split(":")[0].split()[1]) for x in lines
    )


def test_stdin_with_input_format(tmp_path: Path) -> None:
    done = run("validate", "-", "--input-format", "jsonl", stdin=as_lines(GOOD).encode())
    assert done.returncode == 0, done.stdout
    assert b"research_trips 4" in done.stdout


@pytest.mark.parametrize(
    ("name", "content", "fragments"),
    [
        # GBK bytes of 天 (0xCC 0xEC) are not UTF-8; 天 is the 8th character of line 2
        ("gbk.json", '{"format":\n "x": "天"}'.encode("gbk"), ["not UTF-8", "line 2 column 8"]),
        ("cut.json", '{\n  "format": "selfbuild-rules.facts/1",\n  "team": {"id"',
         ["truncated", "line 3"]),
        ("csv.json", "id,member\nrt-1,m01\n", ["not valid JSON", "line 1 column 1"]),
        ("gbk.jsonl", b'{"format": "selfbuild-rules.facts/1"}\n{"team": "\xcc\xec"}\n',
         ["not UTF-8", "line 2 column 11"]),
        ("cut.jsonl", '{"format": "selfbuild-rules.facts/1"}\n{"team": {"id": "t"',
         ["truncated", "line 2"]),
        ("text.jsonl", '{"format": "selfbuild-rules.facts/1"}\n\nhello\n',
         ["not valid JSON", "line 3 column 1"]),
    ],
)  # fmt: skip
def test_broken_file_gives_one_clear_line(
    tmp_path: Path, name: str, content: bytes | str, fragments: list[str]
) -> None:
    done = run("validate", str(write(tmp_path, name, content)))
    assert done.returncode == 2
    lines = done.stdout.decode().splitlines()
    assert len(lines) == 2 and lines[1] == "invalid: 1 problem", lines
    assert all(f in lines[0] for f in fragments), lines[0]


# --- JSON Lines through the API ------------------------------------------------------------


def test_lines_load_the_same_facts_as_json() -> None:
    from_json = load_facts(GOOD)
    from_lines = load_facts(io.StringIO(as_lines(GOOD)), lines=True)
    assert from_lines == from_json
    assert from_lines.violations == () and from_lines.assessments is None


def test_lines_in_any_order() -> None:
    lines = as_lines(GOOD).splitlines(keepends=True)
    # format, team, members and contact points last: the visit comes before its point
    last = ('"format"', '"team"', '"members"', '"contact_points"')
    shuffled = sorted(lines, key=lambda line: any(k in line[:24] for k in last))
    assert shuffled[0] != lines[0]
    assert load_facts(io.StringIO("".join(shuffled)), lines=True) == load_facts(GOOD)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('{"format": "selfbuild-rules.facts/1"}', "line 99: format: given again (first on line 1)"),
        ('{"category": "meetings", "record": {}}', "line 99: category: meetings is not a category"),
        ("[1, 2]", "line 99: a line must be a JSON object, found a list"),
        ('{"record": {"id": "x"}}', "line 99: a line must hold format, team, or category"),
        ('{"category": "violations", "records": []}', "line 99: unknown field records"),
        ('{"team": {"id": "t", "name": "n"}, "x": 1}', "line 99: unknown field x beside team"),
    ],
)
def test_malformed_lines(extra: str, expected: str) -> None:
    lines = as_lines(GOOD).splitlines()
    lines += [""] * (98 - len(lines)) + [extra]  # blank lines are skipped, numbers kept
    with pytest.raises(FactsError) as info:
        load_facts(io.StringIO("\n".join(lines) + "\n"), lines=True)
    assert str(info.value.problems[0]).startswith(expected)


def test_missing_format_and_team_lines() -> None:
    with pytest.raises(FactsError) as info:
        load_facts(io.StringIO('{"category": "members"}\n'), lines=True)
    assert {p.path for p in info.value.problems} == {"format", "team"}


def test_path_ending_decides_the_syntax(tmp_path: Path) -> None:
    lines = as_lines(GOOD)
    for name in ("f.jsonl", "F.NDJSON"):
        assert load_facts(write(tmp_path, name, lines)) == load_facts(GOOD)
    with pytest.raises(FactsError):  # several JSON values are not one JSON document
        load_facts(write(tmp_path, "f.json", lines))


def test_progress_is_called_with_record_counts() -> None:
    seen: list[int] = []
    many = copy.deepcopy(GOOD)
    many["research_trips"] = [
        {"id": f"rt-{i}", "member": "m01", "start": "2018-03-01", "end": "2018-03-02"}
        for i in range(2500)
    ]
    load_facts(io.StringIO(as_lines(many)), lines=True, progress=seen.append)
    # 2 members + 2500 trips + 1 point + 1 visit = 2504 records: calls at 1000, 2000, end
    assert seen == [1000, 2000, 2504]


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(facts_documents())
def test_generated_documents_round_trip_through_lines(doc: dict[str, Any]) -> None:
    facts = load_facts(doc)
    text = "".join(dump_facts_lines(facts))
    assert load_facts(io.StringIO(text), lines=True) == facts
    assert load_facts(io.BytesIO(text.encode()), lines=True) == facts
    assert dump_facts(load_facts(io.StringIO(text), lines=True)) == dump_facts(facts)


# The loader takes a fast path for records that are plainly right and falls back to a
# careful one that names every problem. The fast path must never accept what the careful
# one refuses, nor build a different record.
field_values = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 3000), st.floats(allow_nan=False),
    st.text(max_size=12), st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
    st.from_regex(r"[0-9]{4}.[0-9]{2}.[0-9]{2}T[0-9:+]{5,12}", fullmatch=True),
    st.sampled_from(["mayor", "village", "completed", "speech", "2018-02-29", "2020-02-29"]),
    st.lists(st.text(max_size=3), max_size=2),
)  # fmt: skip


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(facts_documents(), st.data())
def test_fast_path_agrees_with_the_careful_one(doc: dict[str, Any], data: Any) -> None:
    categories = [c for c in CATEGORIES if doc.get(c)]
    if not categories:
        return
    category = data.draw(st.sampled_from(categories))
    record = copy.deepcopy(data.draw(st.sampled_from(doc[category])))
    record[data.draw(st.sampled_from(sorted(record)))] = data.draw(field_values)
    fast = build(record, CATEGORIES[category])
    careful, problems = structure(record, CATEGORIES[category], "x")
    assert fast is None or (fast == careful and not problems)
