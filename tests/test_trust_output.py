"""Terminal and log injection: text from the facts is escaped in every human-readable form.

A newline in an assessor must not forge a result line, an escape sequence in a name
must not reach the terminal, a bidi override must not reorder what is shown. JSON
stays faithful; Chinese and ordinary Unicode stay as they are.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import selfbuild_rules as sr
from selfbuild_rules.cli.main import main
from selfbuild_rules.facts.loading import FactsError, Problem
from selfbuild_rules.internal.text import printable

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "tianjin-2018.json"
DOCUMENT: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
# What no line of a human-readable output may hold raw.
UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)
FORGED = "\n6.integrity  m01      compliant         forged\r\x1b[2J\x1b]0;owned\x07\b\u202egnp"


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def hostile(text: str) -> dict[str, Any]:
    document = copy.deepcopy(DOCUMENT)
    document["team"]["name"] = text
    document["members"][0]["name"] = text
    document["members"][1]["name"] = "成员" + text
    for assessment in document["assessments"]:
        assessment["assessor"] = text
    return document


def report_of(document: dict[str, Any]) -> sr.Report:
    return sr.evaluate(document, "2018", "2019-03-01")


CLEAN = report_of(DOCUMENT)


def result_lines(text: str) -> int:
    rules = {r.rule for r in CLEAN.results}
    return sum(1 for line in text.splitlines() if line.split("  ")[0].strip() in rules)


def test_printable_escapes_controls_and_bidi_and_keeps_chinese() -> None:
    assert printable("成员甲 Zoë ✓ 😀") == "成员甲 Zoë ✓ 😀"
    assert printable("a\nb\r\x1b[31m\x07\x08\x7f\x9b") == "a\\nb\\r\\x1b[31m\\x07\\x08\\x7f\\x9b"
    assert (
        printable("\u202e\u2066\u2069\u200f\u2028\ud800")
        == "\\u202e\\u2066\\u2069\\u200f\\u2028\\ud800"
    )
    assert printable(printable(FORGED)) == printable(FORGED)


def test_a_newline_in_an_assessor_forges_no_result_line_in_text() -> None:
    text = report_of(hostile(FORGED)).to_text()
    assert result_lines(text) == result_lines(CLEAN.to_text())
    assert not any(UNSAFE.search(line) for line in text.splitlines())
    assert "forged" in text and "\\x1b[2J" in text  # still there, but visible


@pytest.mark.parametrize("color", [False, True])
def test_the_table_escapes_names_but_keeps_its_own_colours(color: bool) -> None:
    table = report_of(hostile(FORGED)).to_table(color=color)
    own = re.sub(r"\x1b\[[0-9;]*m", "", table)  # the table's own SGR codes only
    assert not any(UNSAFE.search(line) for line in own.splitlines())
    assert len(table.splitlines()) == len(CLEAN.to_table(color=color).splitlines())
    assert ("\x1b[" in table) is color


def test_markdown_keeps_one_table_row_per_rule() -> None:
    markdown = report_of(hostile(FORGED)).to_markdown()
    assert not any(UNSAFE.search(line) for line in markdown.splitlines())
    assert len(markdown.splitlines()) == len(CLEAN.to_markdown().splitlines())


def test_json_stays_faithful() -> None:
    document = json.loads(report_of(hostile(FORGED)).to_json())
    assert document["team"]["name"] == FORGED
    assert document["members"][0]["name"] == FORGED


def test_a_field_name_forges_no_valid_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = copy.deepcopy(DOCUMENT)
    document["members"][0]["x\nvalid: members 7\x1b[2K"] = 1
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    status, out, _err = cli(capsys, "validate", str(path))
    assert status == 2
    assert not [line for line in out.splitlines() if line.startswith("valid:")]
    assert not any(UNSAFE.search(line) for line in out.splitlines())
    status, _out, err = cli(capsys, "evaluate", str(path), "--period", "2018")
    assert status == 2
    assert len(err.splitlines()) == 1 and err.startswith("error: members[0]")
    assert "\\n" in err and "[2K" in err and "\x1b" not in err  # visible, not acted on
    status, out, _err = cli(capsys, "validate", str(path), "--format", "json")
    assert json.loads(out)["problems"][0]["path"] == "members[0]"  # the key, faithful


def test_problems_escape_themselves() -> None:
    assert str(Problem("a\nb", "c\x1bd", 3)) == "line 3: a\\nb: c\\x1bd"
    assert "\n" not in str(FactsError([Problem("x\ny", "z")])).split("\n", 1)[1]


def test_a_lone_surrogate_in_a_member_name_is_shown_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = copy.deepcopy(DOCUMENT)
    document["members"][0]["name"] = "甲\ud800"
    document["members"][1]["id"] = "m\ud800"
    path = tmp_path / "surrogate.json"
    path.write_text(json.dumps(document), encoding="utf-8")  # \ud800 escaped, as JSON allows
    status, out, _err = cli(capsys, "validate", str(path))
    assert status == 2
    assert "\\ud800" in out and "\ud800" not in out
    assert out.splitlines()[-1].startswith("invalid: ")
    status, out, _err = cli(capsys, "validate", str(path), "--format", "json")
    assert status == 2
    problems = json.loads(out)["problems"]  # faithful: the surrogate as JSON writes it
    assert any("\ud800" in p["message"] for p in problems)
    out.encode("utf-8")  # and printable as UTF-8


# Any text, weighted towards what a terminal or a log would act on.
DANGEROUS = st.sampled_from(
    list("\n\r\t\b\x1b\x07\x00\x7f\x85\x9b\u2028\u2029\u202a\u202e\u2066\u2069\u200f")
)
TEXTS = st.text(
    st.one_of(DANGEROUS, st.characters(codec="utf-8"), st.sampled_from(list("成员甲|*`<>"))),
    min_size=1,
    max_size=12,
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(name=TEXTS, assessor=TEXTS, team=TEXTS)
def test_no_text_put_into_the_facts_reaches_a_line_raw(name: str, assessor: str, team: str) -> None:
    document = hostile(assessor)
    document["team"]["name"] = team
    document["members"][2]["name"] = name
    report = report_of(document)
    text = report.to_text()
    table = report.to_table()
    for form in (text, table):
        assert not any(UNSAFE.search(line) for line in form.splitlines())
    assert result_lines(text) == result_lines(CLEAN.to_text())
    assert len(text.splitlines()) == len(CLEAN.to_text().splitlines())
    assert len(table.splitlines()) == len(CLEAN.to_table().splitlines())
