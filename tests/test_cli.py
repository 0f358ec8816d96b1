"""The command line as a person uses it: real processes, real files, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from selfbuild_rules.tianjin2018 import BASE

FACTS: dict[str, Any] = {
    "format": "selfbuild-rules.facts/1",
    "team": {"id": "tj-gov", "name": "天津市人民政府领导班子"},
    "members": [
        {
            "id": "m01",
            "name": "成员甲",
            "post": "mayor",
            "tenure": {"start": "2018-01-26", "end": None},
        },
    ],
    # 2018-03-01..2018-04-16 is 47 days; the full-tenure requirement is ceil(60*333/365) = 55.
    "research_trips": [
        {"id": "rt-1", "member": "m01", "start": "2018-03-01", "end": "2018-04-16"},
    ],
}


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "selfbuild_rules.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def facts_file(tmp_path: Path) -> Path:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(FACTS, ensure_ascii=False), encoding="utf-8")
    return path


def test_evaluate_text_explains_each_result(facts_file: Path) -> None:
    done = run("evaluate", str(facts_file), "--period", "2018", "--as-of", "2019-03-01")
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("3.research-days"))
    assert "non_compliant" in line
    assert "47 research days, fewer than the 55 required" in line


def test_evaluate_text_in_chinese(facts_file: Path) -> None:
    done = run(
        "evaluate", str(facts_file), "--period", "2018", "--as-of", "2019-03-01", "--lang", "zh"
    )
    assert "调研天数 47 天，少于要求的 55 天" in done.stdout
    head, counts = done.stdout.splitlines()[:2]
    assert head.endswith("期间 2018  数据截至 2019年3月1日") and "待人工评定: " in counts
    assert "non_compliant" not in done.stdout and "不符合" in done.stdout


def test_json_output_to_file_is_deterministic(facts_file: Path, tmp_path: Path) -> None:
    outputs = []
    for name in ("a.json", "b.json"):
        target = tmp_path / name
        done = run(
            "evaluate",
            str(facts_file),
            "--period",
            "2018",
            "--as-of",
            "2019-03-01",
            "--format",
            "json",
            "-o",
            str(target),
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout == ""
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    report = json.loads(outputs[0])
    assert report["format"] == "selfbuild-rules.report/2"
    result = next(r for r in report["results"] if r["rule"] == "3.research-days")
    assert result["status"] == "non_compliant"
    assert result["requirement"]["measured"] == 47
    assert result["requirement"]["minimum"] == 55
    assert result["facts"] == ["rt-1"]
    assert "2个月" in report["provisions"][result["rule"]]["citation"]["text"]
    assert sum(report["summary"].values()) == len(report["results"])


def test_bad_facts_exit_2_one_line_each_and_no_output_file(tmp_path: Path) -> None:
    bad = json.loads(json.dumps(FACTS))
    bad["research_trips"] = [
        {"id": "rt-1", "member": "m09", "start": "2018-03-01", "end": "2018-02-30"},
        {"id": "rt-1", "member": "m01", "start": "2018-03-05", "end": "2018-03-01"},
    ]
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(bad), encoding="utf-8")
    target = tmp_path / "report.json"
    done = run("evaluate", str(source), "--period", "2018", "-o", str(target))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert "error: research_trips[0].end: 2018-02-30 is not a date" in lines
    assert "error: research_trips[1].id: rt-1 repeats research_trips[0]" in lines
    assert "error: research_trips[1].end: 2018-03-01 is before start 2018-03-05" in lines
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2018-13"), "is not a period"),
        (("--period", "2018", "--as-of", "2019-02-30"), "--as-of"),
        (("--period", "2018", "--set", "research.month=3"), "unknown parameter"),
        (("--period", "2018", "--set", "research.month_mode=weeks"), "is not one of"),
        (("--period", "2018", "--rule", "9.nothing"), "unknown rule"),
    ],
)
def test_usage_errors_exit_2_without_traceback(
    facts_file: Path, args: tuple[str, ...], message: str
) -> None:
    done = run("evaluate", str(facts_file), *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_and_non_json_files_exit_2(tmp_path: Path) -> None:
    assert run("evaluate", str(tmp_path / "nope.json"), "--period", "2018").returncode == 2
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": ', encoding="utf-8")
    done = run("evaluate", str(broken), "--period", "2018")
    assert done.returncode == 2
    assert "line 1 column" in done.stderr


def test_parameter_override_changes_the_requirement(facts_file: Path) -> None:
    done = run(
        "evaluate",
        str(facts_file),
        "--period",
        "2018",
        "--as-of",
        "2019-03-01",
        "--format",
        "json",
        "--set",
        'research.pro_rating="none"',
        "--rule",
        "3.research-days",
    )
    report = json.loads(done.stdout)
    (result,) = report["results"]
    assert result["requirement"]["minimum"] == 60
    used = {i["parameter"]: i for i in report["interpretations"][result["interpretations"]]}
    assert used["research.pro_rating"] == {
        "parameter": "research.pro_rating",
        "value": "none",
        "default": False,
        "source": "user",
        "valid": None,
    }


def test_catalog_lists_all_six_principles_and_every_provision() -> None:
    import selfbuild_rules as sr

    done = run("catalog", "--format", "json")
    catalog = json.loads(done.stdout)
    assert [p["number"] for p in catalog["principles"]] == list("一二三四五六")
    ids = [x["id"] for p in catalog["principles"] for x in p["provisions"]]
    assert ids == [p.id for p in sr.TIANJIN_2018.provisions()]
    text = run("catalog").stdout
    for provision in sr.TIANJIN_2018.provisions():
        assert provision.id in text


def test_explain_shows_text_parameters_and_defaults() -> None:
    done = run("explain", "3.research-days")
    assert done.returncode == 0
    assert "领导班子成员每年深入基层调研时间不少于2个月" in done.stdout
    assert "research.month_mode = months_as_30_days" in done.stdout
    # the rule's condition in words, Chinese then English, between the text and the needs
    said = done.stdout.split("Compliant when (合规条件):\n")[1].split("\n\nNeeds facts")[0]
    chinese, *english = said.splitlines()
    assert "调研行程覆盖的不同日历日数" in chinese and chinese.endswith("向上取整。")
    assert " ".join(english).split() == BASE.rules["3.research-days"].compliant_when("en").split()
    assert "年度基层调研时间" in done.stdout.splitlines()[0]
    judged = run("explain", "1.loyalty")
    assert "requires_judgment" in judged.stdout
    unknown = run("explain", "3.research-weeks")
    assert unknown.returncode == 2
    assert "no such provision" in unknown.stderr


def test_every_rule_says_when_it_holds_in_both_languages() -> None:
    for rule in BASE.rules.values():
        zh, en = rule.compliant_when("zh"), rule.compliant_when("en")
        assert zh.endswith("。") and "即为符合" in zh, rule.id
        assert en.startswith("Compliant when") and "``" not in en, rule.id
        done = run("explain", rule.id, "--format", "json")
        assert json.loads(done.stdout)["compliant_when"] == {"zh": zh, "en": en}


def test_console_script_is_installed() -> None:
    done = subprocess.run(
        ["selfbuild-rules", "catalog"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "3.research-days" in done.stdout


def test_a_bad_date_parameter_names_the_parameter(facts_file: Path) -> None:
    done = run(
        "evaluate",
        str(facts_file),
        "--period",
        "2018",
        "--set",
        "regulation.in_force_from=2018-13-01",
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: regulation.in_force_from: '2018-13-01' is not a date (YYYY-MM-DD)"
    )
