"""The report as an Excel workbook: a summary, the members × rules matrix, every result.

Three sheets, each with a frozen header, columns wide enough for their Chinese text and
set up to print on A4 landscape:

* 概况 summary: the team, period and regulation, the count of each status and the
  results that need attention;
* 矩阵 matrix: one row per rule (the judgment provisions below the others), one column
  for the team and one per member, each cell the status symbol, coloured by a
  conditional format (so a cell changed by hand is coloured anew);
* 结果 results: one row per result (rule, its clause, subject, status, measured,
  required, still needed (what a pending result still needs, and by when), due, the
  explanation in Chinese and in English), with a filter on the header.

Like every other form, the workbook holds no time of making (it is dated ``as_of``),
so the same report gives the same bytes.

>>> import io, openpyxl
>>> import selfbuild_rules as sr
>>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
...        "members": [], "democratic_life_meetings": []}
>>> report = sr.evaluate(doc, "2018", "2019-03-01", rules=["6.democratic-life-meeting"])
>>> book = openpyxl.load_workbook(io.BytesIO(xlsx_report(report, "zh")))
>>> book.sheetnames, book["结果"]["D2"].value
(['概况', '矩阵', '结果'], '✗ 不符合')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from selfbuild_rules.engine.results import UNSET, Result, Status
from selfbuild_rules.internal.text import printable
from selfbuild_rules.internal.workbook import DATE_FORMAT, finish_sheet, header, saved, text_cell
from selfbuild_rules.report.style import STATUS_COLOURS
from selfbuild_rules.report.view import (
    SYMBOL,
    Grid,
    counted,
    explanation,
    label,
    subject_label,
    title,
    word,
)

if TYPE_CHECKING:
    from selfbuild_rules.report.document import Report

__all__ = ["xlsx_report"]

#: Each status's text colour and fill, as the HTML report shows them (openpyxl: upper case).
COLOURS = {s: (text.upper(), fill.upper()) for s, (text, fill) in STATUS_COLOURS.items()}
_NAMES = {"summary": ("概况", "Summary"), "matrix": ("矩阵", "Matrix")}
_NAMES |= {"results": ("结果", "Results")}
#: The results sheet's columns: (Chinese, English).
_RESULT_COLUMNS = (
    ("规则", "rule"),
    ("条文", "clause"),
    ("对象", "subject"),
    ("状态", "status"),
    ("实测", "measured"),
    ("要求", "required"),
    ("尚需", "still needed"),
    ("到期日", "due"),
    ("说明", "explanation (Chinese)"),
    ("说明（英文）", "explanation"),
)


def _name(key: str, lang: str) -> str:
    zh, en = _NAMES[key]
    return zh if lang == "zh" else en


def _styles(status: Status) -> tuple[Any, Any]:
    from openpyxl.styles import Font, PatternFill

    colour, fill = COLOURS[status]
    return Font(color=colour, bold=True), PatternFill("solid", fgColor=fill, bgColor=fill)


def _status(status: Status, lang: str) -> str:
    return f"{SYMBOL[status]} {label(status, lang)}"


def _summary(book: Any, report: Report, grid: Grid, lang: str) -> None:
    sheet = book.create_sheet(_name("summary", lang))
    heading = f"{report.team.name} ({report.team.id}) · {word('report', lang)}"
    header(sheet, 1, [printable(heading)])
    facts = [
        (word("regulation", lang), report.regulation),
        (word("period", lang), report.period),
        (word("as of", lang), report.as_of),
        ("模块" if lang == "zh" else "modules", ", ".join(report.modules) or "–"),
    ]
    for row, (key, value) in enumerate(facts, start=2):
        text_cell(sheet, row, 1, key)
        cell = text_cell(sheet, row, 2, printable(str(value)) if isinstance(value, str) else value)
        cell.number_format = DATE_FORMAT
    row = len(facts) + 3
    header(sheet, row, [word("status", lang), word("count", lang)])
    counts = report.summary()
    for status in Status:
        row += 1
        text_cell(sheet, row, 1, _status(status, lang))
        sheet.cell(row=row, column=2, value=counts[status.value])
        sheet.cell(row=row, column=1).font, sheet.cell(row=row, column=1).fill = _styles(status)
    found = list(grid.attention())
    row += 2
    heading = f"{word('needs attention', lang).capitalize()} ({len(found)})"
    subject = "对象" if lang == "zh" else "subject"
    header(sheet, row, [heading, word("rule", lang), subject, word("explanation", lang)])
    for result in found:
        row += 1
        values = [
            _status(result.status, lang),
            result.rule,
            subject_label(report, result.subject, lang),
            explanation(result, lang),
        ]
        _texts(sheet, row, values)
        sheet.cell(row=row, column=1).font = _styles(result.status)[0]
    finish_sheet(sheet, "A2", "1:1", first=2)  # the heading may run across
    left_out = counted(grid, lang)
    if left_out:  # written after the widths are set: it may run across too
        text_cell(sheet, row + 1, 1, left_out)


def _texts(sheet: Any, row: int, values: Iterable[object]) -> None:
    for column, value in enumerate(values, start=1):
        if value is not None:
            text_cell(sheet, row, column, printable(value) if isinstance(value, str) else value)


def _matrix(book: Any, report: Report, grid: Grid, lang: str) -> None:
    from openpyxl.formatting.rule import CellIsRule

    sheet = book.create_sheet(_name("matrix", lang))
    judged = grid.judgment_rules
    has_team = bool(grid.team_rules) or any(grid.get(r, "team") for r in judged)
    subjects = ["team", *grid.members] if has_team else list(grid.members)
    names = [printable(subject_label(report, s, lang)) for s in subjects]
    header(sheet, 1, [word("rule", lang), "", *names])
    # The evaluable rules, then (as in the other forms) those a person assesses.
    rules: list[str | None] = [*grid.team_rules, *grid.member_rules]
    if judged:
        rules += [None, *judged]
    for row, rule in enumerate(rules, start=2):
        if rule is None:
            header(sheet, row, [word("judgment provisions", lang).capitalize()])
            continue
        cells = [grid.get(rule, s) for s in subjects]
        _texts(sheet, row, [rule, title(report, rule, lang)])
        _texts(sheet, row, [None, None, *(SYMBOL[c.status] if c else None for c in cells)])
    last_row, last_column = len(rules) + 1, sheet.cell(row=1, column=len(subjects) + 2)
    area = f"C2:{last_column.column_letter}{max(last_row, 2)}"
    for status in Status:
        font, fill = _styles(status)
        rule = CellIsRule(  # type: ignore[no-untyped-call]
            operator="equal", formula=[f'"{SYMBOL[status]}"'], font=font, fill=fill
        )
        sheet.conditional_formatting.add(area, rule)
    legend = " · ".join(_status(s, lang) for s in Status)
    text_cell(sheet, last_row + 2, 1, f"{word('legend', lang).capitalize()}: {legend}")
    finish_sheet(sheet, "C2", "1:1", minimum=4)
    sheet.column_dimensions["A"].width = max(12, sheet.column_dimensions["A"].width)


def _required(result: Result) -> str | None:
    need = result.requirement
    if need is None or (need.minimum is None and need.maximum is None):
        return None
    bounds = []
    if need.minimum is not None:
        bounds.append(f"≥ {need.minimum}")
    if need.maximum is not None:
        bounds.append(f"≤ {need.maximum}")
    return f"{' '.join(bounds)} {need.measure}"


def _still_needed(result: Result, lang: str) -> str | None:
    """What a pending result still needs, and by when: ``14 days by 2018-12-31``."""
    needed = result.still_needed
    if needed is UNSET:
        return None
    by = f"，{needed.by} 前" if lang == "zh" else f" by {needed.by}"
    return f"{needed.amount} {needed.unit}{by}"


def _results(book: Any, report: Report, lang: str) -> None:
    sheet = book.create_sheet(_name("results", lang))
    header(sheet, 1, [zh if lang == "zh" else en for zh, en in _RESULT_COLUMNS])
    for row, result in enumerate(report.results, start=2):
        need = result.requirement
        values = [
            result.rule,
            title(report, result.rule, "zh"),
            subject_label(report, result.subject, lang),
            _status(result.status, lang),
            None if need is None else need.measured,
            _required(result),
            _still_needed(result, lang),
            result.due,
            result.explanation.zh,
            result.explanation.en,
        ]
        _texts(sheet, row, values)
        sheet.cell(row=row, column=4).font = _styles(result.status)[0]
        sheet.cell(row=row, column=8).number_format = DATE_FORMAT
    sheet.auto_filter.ref = f"A1:J{max(len(report.results) + 1, 2)}"
    finish_sheet(sheet, "B2", "1:1")


def xlsx_report(report: Report, lang: str = "en") -> bytes:
    """The report as the bytes of an ``.xlsx`` workbook; headings in ``lang``."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    grid = Grid(report)
    _summary(book, report, grid, lang)
    _matrix(book, report, grid, lang)
    _results(book, report, lang)
    return saved(book, report.as_of)
