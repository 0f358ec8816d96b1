"""``compare``: two sides (modules and parameter values) over the same facts, and what
changes between them, as a value, JSON, a table, Markdown and HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import selfbuild_rules as sr
from selfbuild_rules.cli.main import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tianjin-2018.json"


def doc(*trips: tuple[str, str]) -> dict:
    """Member m01 in office from 2017, with research trips ``trips``."""
    return {
        "format": "selfbuild-rules.facts/1",
        "team": {"id": "t", "name": "班子"},
        "members": [
            {
                "id": "m01",
                "name": "甲",
                "post": "mayor",
                "tenure": {"start": "2017-01-01", "end": None},
            }
        ],
        "research_trips": [
            {"id": f"rt-{i}", "member": "m01", "start": s, "end": e}
            for i, (s, e) in enumerate(trips, 1)
        ],
    }


# 2018 window 02-02..12-31 = 333 days. Two months: ceil(60*333/365) = 55;
# three months: ceil(90*333/365) = ceil(82.1) = 83. 03-01..04-29 = 31 + 29 = 60 days.
SIXTY = doc(("2018-03-01", "2018-04-29"))


def test_a_parameter_value_moves_a_result_and_its_minimum() -> None:
    c = sr.compare(
        SIXTY, "2018", "2019-03-01", right="set=research.months=3", rules=["3.research-days"]
    )
    [change] = c.changes
    assert (change.rule, change.subject, change.transition) == (
        "3.research-days",
        "m01",
        "compliant → non_compliant",
    )
    assert change.requirement_changes() == [("minimum", 55, 83)]
    assert str(change.left.explanation) == "60 research days, meeting the requirement of 55"
    assert str(change.right.explanation) == "60 research days, fewer than the 83 required"
    assert c.transitions() == {"compliant → non_compliant": 1} and c.compared == 1


def test_a_requirement_change_without_a_status_change_is_listed() -> None:
    c = sr.compare(
        doc(),
        "2018",
        "2019-03-01",
        right=sr.Side(parameters={"research.months": 3}),
        rules=["3.research-days"],
    )
    [change] = c.changes
    assert not change.status_changed and change.requirement_changes() == [("minimum", 55, 83)]
    assert c.transitions() == {}


def test_the_same_side_twice_changes_nothing() -> None:
    c = sr.compare(SIXTY, "2018", "2019-03-01", left="set=research.months=2", right="")
    assert c.changes == () and c.compared > 10


@pytest.mark.usefixtures("example_modules")
def test_a_module_s_own_provision_appears_from_absent() -> None:
    c = sr.compare(EXAMPLE, "2019", "2020-03-01", right="module=example-district")
    moved = {ch.transition for ch in c.changes if ch.rule == "example-district/4.quarterly-visit"}
    assert moved and all(t.startswith("absent → ") for t in moved)
    days = [ch for ch in c.changes if ch.rule == "3.research-days"]
    # 2019 is a full year: 60 → 90 days required (3 months of 30 days).
    assert days and all(ch.requirement_changes()[-1] == ("minimum", 60, 90) for ch in days)


def test_the_json_document_is_deterministic() -> None:
    c = sr.compare(SIXTY, "2018", "2019-03-01", right="set=research.months=3")
    document = json.loads(c.to_json())
    assert document["format"] == "selfbuild-rules.comparison/1"
    assert document["right"] == {"modules": [], "set": {"research.months": 3}}
    assert document["transitions"] == {"compliant → non_compliant": 1}
    assert (
        c.to_json()
        == sr.compare(SIXTY, "2018", "2019-03-01", right="set=research.months=3").to_json()
    )
    assert list(document) == sorted(document)


def test_markdown_and_html_show_the_transition_and_both_reasons() -> None:
    c = sr.compare(SIXTY, "2018", "2019-03-01", right="set=research.months=3")
    md, html = c.to_markdown(), c.to_html()
    assert "| compliant → non_compliant | 1 |" in md
    assert "meeting the requirement of 55" in md and "fewer than the 83 required" in md
    assert html.startswith("<!DOCTYPE html>") and ".st-compliant" in html  # the report's style
    assert "fewer than the 83 required" in html and "<script" not in html


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("", sr.Side()),
        ("module=a,module=b", sr.Side(("a", "b"))),
        ("set=x.y=3, set=z=none", sr.Side((), {"x.y": 3, "z": "none"})),
        ("module=a,set=p=[1]", sr.Side(("a",), {"p": [1]})),
    ],
)
def test_a_side_is_written_as_module_and_set_items(text: str, side: sr.Side) -> None:
    assert sr.Side.parse(text) == side


@pytest.mark.parametrize("text", ["modul=a", "set=x", "module=", "a"])
def test_a_bad_side_names_its_item(text: str) -> None:
    with pytest.raises(ValueError, match="use module=ID or set=NAME=VALUE"):
        sr.Side.parse(text)


ident = st.from_regex(r"[a-z][a-z0-9.-]{0,8}", fullmatch=True)


@given(st.lists(ident, max_size=3), st.dictionaries(ident, st.integers() | ident, max_size=3))
def test_a_side_reads_back_from_its_label(modules: list[str], parameters: dict) -> None:
    side = sr.Side(tuple(modules), parameters)
    label = side.label()
    assert sr.Side.parse("" if label == "base" else label) == side


def test_the_command_prints_a_table_and_writes_each_format(tmp_path: Path, capsys) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(SIXTY), encoding="utf-8")
    common = ["compare", str(facts), "--period", "2018", "--as-of", "2019-03-01"]
    assert main([*common, "--right", "set=research.months=3"]) == 0
    out = capsys.readouterr().out
    assert "right: set=research.months=3" in out and "  compliant → non_compliant: 1" in out
    assert "(minimum 55 → 83)" in out
    for name, start in [("c.json", "{"), ("c.md", "# "), ("c.html", "<!DOCTYPE")]:
        assert main([*common, "--right", "set=research.months=3", "-o", str(tmp_path / name)]) == 0
        assert (tmp_path / name).read_text("utf-8").startswith(start)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--right", "modul=x"], "--right: 'modul=x': use module=ID or set=NAME=VALUE"),
        (["--left", "set=no.such=1"], "no.such"),
        (["--right", "module=no-such-module"], "no-such-module"),
        (["--as-of", "soon"], "--as-of: 'soon' is not a date"),
    ],
)
def test_the_command_refuses_bad_input_with_exit_2(args, message, tmp_path: Path, capsys) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(SIXTY), encoding="utf-8")
    assert main(["compare", str(facts), "--period", "2018", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
