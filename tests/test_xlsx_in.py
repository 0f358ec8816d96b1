"""Facts from a workbook: the template reads back as the facts it was made from, and every
problem in a workbook a clerk filled in is named by its sheet, row and column."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import selfbuild_rules as sr
from selfbuild_rules.cli.template import template
from selfbuild_rules.evaluation import base_for
from selfbuild_rules.facts.loading import FactsError
from selfbuild_rules.facts.sheets import DATA_ROW, FIELD_ROW, SHEETS
from selfbuild_rules.law.periods import Period
from strategies import ISSUE_EXAMPLE, facts_documents

ROOT = Path(__file__).resolve().parent.parent
BASE = base_for()
#: Characters a workbook (XML 1.0, as openpyxl writes it) cannot hold, or holds otherwise.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]")


def workbook(facts: sr.Facts | None = None, period: str = "2018") -> openpyxl.Workbook:
    """The template, opened for editing as a clerk would."""
    return openpyxl.load_workbook(io.BytesIO(template(BASE, Period.parse(period), facts)))


def read(book: openpyxl.Workbook) -> sr.Facts:
    saved = io.BytesIO()
    book.save(saved)
    saved.seek(0)
    return sr.load_facts(saved, input_format="xlsx")


def problems(book: openpyxl.Workbook) -> list[str]:
    with pytest.raises(FactsError) as info:
        read(book)
    return [str(p) for p in info.value.problems]


def column(key: str, path: str) -> str:
    """The letter of a field's column on a template's sheet."""
    return openpyxl.utils.get_column_letter([c.path for c in SHEETS[key].columns].index(path) + 1)


def example() -> sr.Facts:
    return sr.load_facts(ROOT / "examples" / "tianjin-2018.json")


def lone() -> openpyxl.Workbook:
    """A template holding the issue's example: one member, one record of each category."""
    return workbook(sr.load_facts(ISSUE_EXAMPLE))


# --- the round trip -------------------------------------------------------------------------


def test_the_bundled_example_reads_back_as_the_same_facts() -> None:
    facts = example()
    assert read(workbook(facts)) == facts


def writable(node: Any) -> Any:
    """The document with every text made one a cell holds as it is: no control characters
    XML cannot hold, and never empty or only spaces (a blank cell is no value)."""
    if isinstance(node, dict):
        return {k: writable(v) for k, v in node.items()}
    if isinstance(node, list):
        return [writable(v) for v in node]
    if isinstance(node, str):
        text = _UNWRITABLE.sub("x", node)
        return text if text.strip() else f"x{text}"
    return node


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts_documents())
def test_any_facts_read_back_from_their_template_unchanged(doc: dict[str, Any]) -> None:
    facts = sr.load_facts(writable(doc))
    written = template(BASE, Period.parse("2018"), facts)
    back = sr.load_facts(io.BytesIO(written), input_format="xlsx")
    # The assessments sheet is always there to be filled in: assessments not supplied come
    # back supplied and empty (both leave every judgment pending).
    expected = facts if facts.assessments is not None else attrs.evolve(facts, assessments=())
    assert back == expected


def test_a_category_the_facts_do_not_supply_gets_no_sheet_and_stays_unknown() -> None:
    doc = {**ISSUE_EXAMPLE}
    del doc["violations"]
    book = workbook(sr.load_facts(doc))
    assert "违规" not in book.sheetnames
    assert read(book).violations is None


# --- how cells are read ---------------------------------------------------------------------


def test_dates_are_read_from_date_cells_and_from_text() -> None:
    book = lone()
    trips = book["调研"]
    trips[f"{column('research_trips', 'start')}{DATA_ROW}"] = dt.datetime(2018, 3, 2)
    trips[f"{column('research_trips', 'end')}{DATA_ROW}"] = "2018-03-12"
    trip = read(book).research_trips[0]
    assert (trip.start, trip.end) == (dt.date(2018, 3, 2), dt.date(2018, 3, 12))


def test_a_wrong_date_is_named_by_its_cell() -> None:
    book = lone()
    cell = f"{column('research_trips', 'end')}{DATA_ROW}"
    book["调研"][cell] = "2018-02-30"
    assert problems(book) == [f"调研[research_trips]!{cell}: 2018-02-30 is not a date"]


def test_a_number_where_a_date_belongs_is_named_by_its_cell() -> None:
    book = lone()
    cell = f"{column('violations', 'date')}{DATA_ROW}"
    book["违规"][cell] = 43160
    book["违规"][cell].number_format = "General"  # a number, not a date cell
    (found,) = problems(book)
    assert found.startswith(f"违规[violations]!{cell}: 43160 is not a date")


def test_every_problem_is_named_at_once_and_nothing_is_half_read() -> None:
    book = lone()
    book["成员"][f"{column('members', 'post')}{DATA_ROW}"] = "mayr"
    book["调研"][f"{column('research_trips', 'member')}{DATA_ROW}"] = "m99"
    found = problems(book)
    assert f"成员[members]!C{DATA_ROW}: mayr is not one of" in found[0]
    assert found[1] == f"调研[research_trips]!B{DATA_ROW}: m99 is not a known member"


def test_blank_rows_between_and_after_records_are_ignored() -> None:
    book = lone()
    trips = book["调研"]
    for row in range(DATA_ROW + 1, DATA_ROW + 30):
        trips.cell(row=row, column=5, value="  ")  # spaces only: blank
    trips.cell(row=DATA_ROW + 10, column=1).number_format = "yyyy-mm-dd"
    assert len(read(book).research_trips) == 1


def test_a_missing_sheet_is_an_absent_category_an_empty_sheet_an_empty_one() -> None:
    book = lone()
    del book["调研"]
    trips = book["违规"]
    trips.delete_rows(DATA_ROW, 5)
    facts = read(book)
    assert facts.research_trips is None
    assert facts.violations == ()


def test_a_rule_that_needs_a_missing_sheet_is_undetermined(tmp_path: Path) -> None:
    book = lone()
    del book["调研"]
    path = tmp_path / "team.xlsx"
    book.save(path)
    report = sr.evaluate(path, "2018", "2019-03-01", rules=["3.research-days"])
    assert {r.status.value for r in report.results} == {"undetermined"}


def test_choices_read_with_or_without_their_chinese_name() -> None:
    book = lone()
    book["成员"][f"{column('members', 'post')}{DATA_ROW}"] = "vice_mayor"
    assert read(book).members[0].post.value == "vice_mayor"


def test_an_id_excel_took_for_a_number_is_read_as_text() -> None:
    book = lone()
    book["民主生活会"][f"A{DATA_ROW}"] = 7
    assert read(book).democratic_life_meetings[0].id == "7"


def test_unknown_sheets_and_columns_and_missing_required_columns_are_named() -> None:
    book = lone()
    book.create_sheet("备注")
    book["调研"].cell(row=FIELD_ROW, column=7, value="weather")
    book["违规"].delete_cols(2)  # the member column: the sheet cannot be read
    found = problems(book)
    assert "调研[research_trips]!G3: weather is not a field of research_trips" in found
    assert "违规[violations]!3:3: no column for member (required)" in found
    assert "备注: unknown sheet (see the template's 说明)" in found


def test_a_sheet_may_be_named_by_its_english_category() -> None:
    book = lone()
    book["调研"].title = "research_trips"
    assert len(read(book).research_trips) == 1


def test_without_a_team_the_team_sheet_is_named() -> None:
    book = workbook()
    assert problems(book) == [f"班子[team]!{DATA_ROW}:{DATA_ROW}: no team: fill in its id and name"]


def test_a_file_that_is_not_a_workbook_is_one_clear_problem(tmp_path: Path) -> None:
    path = tmp_path / "team.xlsx"
    path.write_text(json.dumps(ISSUE_EXAMPLE), encoding="utf-8")
    with pytest.raises(FactsError) as info:
        sr.load_facts(path)
    (problem,) = info.value.problems
    assert str(problem).startswith("not an Excel workbook (.xlsx)")


# --- the assessments sheet ------------------------------------------------------------------


def test_the_assessments_sheet_has_a_row_per_judgment_provision_and_subject() -> None:
    facts = example()
    sheet = workbook(facts)["评定"]
    rows = list(sheet.iter_rows(min_row=DATA_ROW, values_only=True))
    serving = [m.id for m in facts.members if m.tenure.range & Period.parse("2018").range]
    wanted = {
        (rule, subject)
        for rule, binds in BASE.judgments().items()
        for subject in (["team"] if binds == "team" else serving)
    }
    found = {(row[1], row[3]) for row in rows}
    assert found == wanted
    assert len(rows) == len(wanted)  # the six given assessments fill six of them
    clause = {p.id: p.chinese for p in BASE.provisions()}
    assert all(row[2] == clause[row[1]] for row in rows)


def test_rows_still_to_be_assessed_are_no_records_and_a_filled_one_is() -> None:
    book = workbook(sr.load_facts(ISSUE_EXAMPLE))
    sheet = book["评定"]
    headers = [c.value for c in sheet[FIELD_ROW]]
    row = next(
        r for r in range(DATA_ROW + 1, sheet.max_row + 1) if sheet.cell(r, 2).value == "1.ideals"
    )
    assert len(read(book).assessments) == 1
    sheet.cell(row, headers.index("result") + 1, "符合 compliant")
    date = openpyxl.utils.get_column_letter(headers.index("date") + 1)
    assert problems(book) == [f"评定[assessments]!{date}{row}: required field missing"]
    sheet.cell(row, headers.index("date") + 1, dt.date(2019, 1, 20))
    made = read(book).assessments[1]
    assert (made.rule, made.subject, made.result.value) == ("1.ideals", "m01", "compliant")


# --- whatever the cells hold ----------------------------------------------------------------

cells = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12),
    st.sampled_from(["m01", "2018-03-01", "2018-02-30", "市长 mayor", "无", "d-1, d-2", "team"]),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(sorted(SHEETS)), min_size=1, max_size=4, unique=True),
    st.lists(st.lists(cells, max_size=8), max_size=6),
)
def test_any_cells_give_facts_or_named_problems_never_anything_else(
    keys: list[str], rows: list[list[object]]
) -> None:
    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    for key in keys:
        sheet = book.create_sheet(SHEETS[key].name)
        sheet.append([key])
        sheet.append([])
        sheet.append([c.path for c in SHEETS[key].columns])
        for row in rows:
            sheet.append(row)
    try:
        read(book)
    except FactsError as exc:
        assert exc.problems
        assert all(str(p) for p in exc.problems)


def test_any_name_is_read_as_a_workbook_when_told(tmp_path: Path) -> None:
    path = tmp_path / "team.bin"
    path.write_bytes(template(BASE, Period.parse("2018"), example()))
    assert sr.load_facts(path, input_format="xlsx") == example()


def test_a_damaged_sheet_is_one_clear_problem(tmp_path: Path) -> None:
    import zipfile

    good = io.BytesIO(template(BASE, Period.parse("2018"), example()))
    path = tmp_path / "team.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for part in source.infolist():
            data = source.read(part)
            if part.filename == "xl/worksheets/sheet4.xml":
                data = data[: len(data) // 2]  # cut off mid-way
            target.writestr(part, data)
    with pytest.raises(FactsError) as info:
        sr.load_facts(path)
    (problem,) = info.value.problems
    assert "Excel workbook (.xlsx)" in str(problem)


def test_a_text_that_looks_like_a_formula_stays_text() -> None:
    doc = {**ISSUE_EXAMPLE, "members": [{**ISSUE_EXAMPLE["members"][0], "name": "=1+1"}]}
    facts = sr.load_facts(doc)
    book = workbook(facts)
    cell = book["成员"][f"{column('members', 'name')}{DATA_ROW}"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")
    assert read(book) == facts
