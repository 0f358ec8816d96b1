"""Workbooks out: the ``template`` command, the xlsx report, and how both are written."""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import selfbuild_rules as sr
from selfbuild_rules.facts.sheets import DATA_ROW, FIELD_ROW, SHEETS
from selfbuild_rules.report.view import SYMBOL
from selfbuild_rules.report.xlsx import xlsx_report

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "tianjin-2018.json"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "selfbuild_rules.cli", *args], capture_output=True, cwd=cwd
    )


@pytest.fixture(scope="module")
def report() -> sr.Report:
    return sr.evaluate(EXAMPLE, "2018", "2019-03-01")


# --- the template ---------------------------------------------------------------------------


def test_template_then_validate_then_evaluate_from_the_command_line(tmp_path: Path) -> None:
    book = tmp_path / "team-2018.xlsx"
    made = run("template", "--period", "2018", "--facts", str(EXAMPLE), "-o", str(book))
    assert made.returncode == 0, made.stderr
    checked = run("validate", str(book))
    assert checked.returncode == 0, checked.stderr
    assert b"assessments 6" in checked.stdout
    out = tmp_path / "report.json"
    done = run("evaluate", str(book), "--period", "2018", "--as-of", "2019-03-01", "-o", str(out))
    assert done.returncode == 0, done.stderr
    from_json = run("evaluate", str(EXAMPLE), "--period", "2018", "--as-of", "2019-03-01")
    from_book = run("evaluate", str(book), "--period", "2018", "--as-of", "2019-03-01")
    assert from_book.stdout == from_json.stdout


def test_a_bad_cell_is_one_line_exit_2(tmp_path: Path) -> None:
    book = tmp_path / "team.xlsx"
    run("template", "--period", "2018", "--facts", str(EXAMPLE), "-o", str(book))
    opened = openpyxl.load_workbook(book)
    opened["调研"][f"C{DATA_ROW}"] = "2018-02-30"
    opened.save(book)
    done = run("validate", str(book))
    assert done.returncode == 2
    assert done.stdout.decode().splitlines()[0] == (
        f"调研[research_trips]!C{DATA_ROW}: 2018-02-30 is not a date"
    )
    stdin = run("validate", "-", "--input-format", "xlsx", cwd=tmp_path)
    assert stdin.returncode == 2  # nothing on stdin is no workbook either


def test_the_template_has_dropdowns_dates_and_headers() -> None:
    facts = sr.load_facts(EXAMPLE)
    from selfbuild_rules.cli.template import template
    from selfbuild_rules.evaluation import base_for
    from selfbuild_rules.law.periods import Period

    book = openpyxl.load_workbook(io.BytesIO(template(base_for(), Period.parse("2018"), facts)))
    trips = book["调研"]
    assert [c.value for c in trips[FIELD_ROW]] == [c.path for c in SHEETS["research_trips"].columns]
    assert trips[2][0].value == "编号"
    assert trips.freeze_panes == f"A{DATA_ROW}"
    assert trips[f"C{DATA_ROW}"].number_format == "yyyy-mm-dd"
    assert trips.page_setup.orientation == "landscape"
    checks = {str(v.sqref).split(":")[0]: v for v in trips.data_validations.dataValidation}
    # The members' own id column, as far as the members sheet offers rows to fill.
    last = DATA_ROW + len(facts.members) + 1000
    assert checks[f"B{DATA_ROW}"].formula1 == f"='成员'!$A${DATA_ROW}:$A${last}"
    posts = book["成员"].data_validations.dataValidation[0]
    assert posts.type == "list" and posts.formula1.startswith("=lists!")
    lists = book["lists"]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in lists["A"]][:3] == [
        "Post",
        "市长 mayor",
        "常务副市长 executive_vice_mayor",
    ]
    assert "说明" in book.sheetnames and book.sheetnames[0] == "说明"


def test_every_sheet_name_is_one_excel_accepts() -> None:
    names = [s.name for s in SHEETS.values()]
    assert len(set(names)) == len(names)
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


def test_an_xlsx_to_a_terminal_is_refused_exit_2(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "selfbuild_rules.cli", "template", "--period", "2018"],
            stdout=follower,
            stderr=subprocess.PIPE,
            check=False,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2
    assert b"binary" in done.stderr


def test_an_xlsx_into_a_pipe_is_written() -> None:
    done = run("template", "--period", "2018")
    assert done.returncode == 0
    assert openpyxl.load_workbook(io.BytesIO(done.stdout)).sheetnames[0] == "说明"


# --- the report -----------------------------------------------------------------------------


def test_the_report_workbook_holds_every_result(report: sr.Report) -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx_report(report, "zh")))
    assert book.sheetnames == ["概况", "矩阵", "结果"]
    results = book["结果"]
    rows = list(results.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(report.results)
    for row, result in zip(rows, report.results, strict=True):
        assert (row[0], row[8], row[9]) == (
            result.rule,
            result.explanation.zh,
            result.explanation.en,
        )
        assert row[3].startswith(SYMBOL[result.status])
        if result.requirement is not None:
            assert row[4] == result.requirement.measured
    assert results.freeze_panes == "B2"
    assert results.page_setup.orientation == "landscape"
    assert str(results.page_setup.paperSize) == results.PAPERSIZE_A4


def test_the_summary_counts_and_the_matrix_agree_with_the_report(report: sr.Report) -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx_report(report, "en")))
    summary = [r[:2] for r in book["Summary"].iter_rows(values_only=True)]
    for status, count in report.summary().items():
        # The first row of a status is its count; those after it, the attention list.
        symbol = SYMBOL[sr.Status(status)]
        shown = next(n for k, n in summary if isinstance(k, str) and k.startswith(symbol))
        assert shown == count
    matrix = book["Matrix"]
    heads = [c.value for c in matrix[1]]
    for result in report.results:
        row = next(r for r in matrix.iter_rows(min_row=2) if r[0].value == result.rule)
        who = (
            "Team"
            if result.subject == "team"
            else f"{report.members[result.subject]} ({result.subject})"
        )
        assert row[heads.index(who)].value == SYMBOL[result.status]
    assert len(matrix.conditional_formatting) >= 1


def test_the_same_report_gives_the_same_bytes(report: sr.Report) -> None:
    assert xlsx_report(report, "zh") == xlsx_report(report, "zh")


def test_evaluate_writes_xlsx_by_the_ending_of_o(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    done = run("evaluate", str(EXAMPLE), "--period", "2018", "--as-of", "2019-03-01",
               "--lang", "zh", "-o", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert openpyxl.load_workbook(out).sheetnames == ["概况", "矩阵", "结果"]
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]  # no temporary left


def test_a_text_no_workbook_can_hold_is_one_line_exit_2(tmp_path: Path) -> None:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["violations"][0]["summary"] = "bell\x07"
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "team.xlsx"
    done = run("template", "--period", "2018", "--facts", str(facts), "-o", str(out))
    assert done.returncode == 2
    assert done.stderr.decode().strip() == (
        "error: violations[0].summary: a control character no workbook can hold"
    )
    assert not out.exists()


def test_a_workbook_must_be_named_xlsx(tmp_path: Path) -> None:
    done = run("template", "--period", "2018", "-o", str(tmp_path / "team-2018"))
    assert done.returncode == 2
    assert b"must end in .xlsx" in done.stderr


def test_the_sheets_are_the_records_fields_each_with_a_chinese_name() -> None:
    from selfbuild_rules.facts.fields import Kind, shape
    from selfbuild_rules.facts.labels import FIELD_LABELS, VALUE_LABELS
    from selfbuild_rules.facts.records import CATEGORIES

    for key, cls in CATEGORIES.items():
        flat = [
            f"{f.name}.{g.name}" if f.kind is Kind.RECORD else f.name
            for f in shape(cls)
            for g in (shape(f.value.record) if f.value.record else [f])
        ]
        assert [c.path for c in SHEETS[key].columns] == flat
        for column in SHEETS[key].columns:
            assert column.path in FIELD_LABELS, f"{key}.{column.path} has no Chinese name"
            for value in column.field.value.choices:
                assert value in VALUE_LABELS, f"{key}.{column.path}: {value} has no Chinese name"


def test_a_mid_year_report_says_what_is_still_needed_and_what_it_leaves_out() -> None:
    from selfbuild_rules.engine.results import UNSET
    from selfbuild_rules.report.view import Grid, counted

    report = sr.evaluate(EXAMPLE, "2018", "2018-06-30")
    book = openpyxl.load_workbook(io.BytesIO(xlsx_report(report, "en")))
    rows = list(book["Results"].iter_rows(min_row=2, values_only=True))
    pending = [
        (row[6], r.still_needed) for row, r in zip(rows, report.results, strict=True)
        if r.still_needed is not UNSET
    ]  # fmt: skip
    assert pending
    for shown, needed in pending:
        assert shown == f"{needed.amount} {needed.unit} by {needed.by}"
    summary = [r[0] for r in book["Summary"].iter_rows(values_only=True)]
    assert counted(Grid(report), "en") in summary


def test_the_command_line_starts_without_openpyxl_or_the_workbook_modules() -> None:
    probe = (
        "import sys, selfbuild_rules, selfbuild_rules.cli.main\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] == 'openpyxl'\n"
        "    or n.endswith(('.xlsx', '.sheets', '.template_book', '.workbook'))))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


def test_workbooks_are_one_teams_not_many_at_once(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    done = run("evaluate", str(EXAMPLE), str(EXAMPLE), "--period", "2018", "-o", str(out))
    assert done.returncode == 2
    assert b"one team at a time" in done.stderr
    assert not out.exists()
