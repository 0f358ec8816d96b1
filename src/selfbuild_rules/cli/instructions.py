"""The instructions sheet (说明) of a facts workbook: how to fill it in, in Chinese and English.

>>> [zh for zh, _en in STEPS][0][:10]
'每个工作表是一类记录'
"""

from __future__ import annotations

from typing import Any

from selfbuild_rules.facts.records import CATEGORIES, Facts
from selfbuild_rules.facts.sheets import INSTRUCTIONS, NONE, SHEETS
from selfbuild_rules.internal.text import printable
from selfbuild_rules.internal.workbook import finish_sheet, header, text_cell, width
from selfbuild_rules.law.periods import Period
from selfbuild_rules.plugins.base import Base

__all__ = ["STEPS", "write_instructions"]

_WIDTH = 70  # of the two columns the steps are written in, Chinese and English

#: What the clerk is told, a step a row: (Chinese, English).
STEPS = (
    (
        "每个工作表是一类记录，一行一条。第1行是表名，第2行是中文列名，第3行是字段名"
        "（程序按第3行读取，请勿修改）；记录从第4行开始填写。",
        "Each sheet holds one category of records, one per row. Row 1 names the sheet, row 2 "
        "names the columns in Chinese, row 3 gives the field each column holds (the program "
        "reads row 3: do not change it); records start at row 4.",
    ),
    (
        "不掌握情况的类别，请删除整个工作表：没有工作表表示“未提供”，相关条款结果为“无法判定”；"
        "保留的空工作表表示“没有这类记录”。",
        "Delete the sheet of a category you do not know about: no sheet means 'not supplied', "
        "and the rules that need it are undetermined. A sheet kept empty means 'there are none'.",
    ),
    (
        "日期请填写为日期格式，或按 YYYY-MM-DD 填写文本（如 2018-03-01）。",
        "Dates: a date cell, or text written YYYY-MM-DD (2018-03-01).",
    ),
    (
        "带下拉列表的列请从列表中选择：类型等取值，以及在成员、调研课题、联系点工作表中"
        "填写的编号。",
        "Columns with a drop-down take a value from it: the kinds and other choices, and the "
        "ids entered on the members, research topics and contact points sheets.",
    ),
    (
        f"一格中的多个编号用逗号分隔；决策程序写作“类型 日期”，多项用分号分隔；"
        f"填“{NONE}”表示已记录、没有。",
        "Several ids in one cell are separated by commas; decision procedures are written "
        f"'kind date', several separated by semicolons; '{NONE}' means recorded, and none.",
    ),
    (
        "评定工作表：每个需要人工评定的条款和评定对象一行。请填写评定结论、评定日期和评定人；"
        "未填写结论的行视为尚未评定。",
        "The assessments sheet has one row per provision that needs a human assessment and "
        "subject: fill in the result, the date and the assessor. A row without a result is "
        "not assessed yet.",
    ),
    (
        "第3行中带括号的列（如“(provision text)”）仅供参考，程序不读取。",
        "A column whose field (row 3) is in parentheses, like '(provision text)', is a note: "
        "the program does not read it.",
    ),
    (
        "填好后检查：selfbuild-rules validate 文件名.xlsx；"
        "评价：selfbuild-rules evaluate 文件名.xlsx --period 期间。",
        "Check the filled workbook with: selfbuild-rules validate FILE.xlsx; evaluate it "
        "with: selfbuild-rules evaluate FILE.xlsx --period PERIOD.",
    ),
)


def _description(key: str) -> str:
    cls = CATEGORIES.get(key)
    doc = (cls.__doc__ if cls is not None else "The leadership team the facts describe.") or ""
    return doc.strip().split("\n")[0].replace("``", "")


def _count(facts: Facts | None, key: str) -> int | None:
    """The records a sheet starts with; ``None`` for a category the facts do not supply
    (the assessments sheet is always there, to be filled in)."""
    if facts is None:
        return 0
    if key == "team":
        return 1
    records = getattr(facts, key)
    return None if records is None and key != "assessments" else len(records or ())


def write_instructions(book: Any, base: Base, period: Period, facts: Facts | None) -> None:
    """Add the instructions sheet to ``book``: the steps, then a table of the sheets."""
    from openpyxl.styles import Alignment

    sheet = book.create_sheet(INSTRUCTIONS)
    team = printable(facts.team.name) if facts else "领导班子"
    header(sheet, 1, [f"{team} {period} 自身建设情况填报表", "Facts workbook", ""])
    text_cell(sheet, 2, 1, f"依据 / regulation: {base.regulation.title} ({base.id})")
    wrapped = Alignment(wrap_text=True, vertical="top")
    row = 3
    for row, step in enumerate(STEPS, start=4):
        for place, text in enumerate(step, start=1):
            text_cell(sheet, row, place, text).alignment = wrapped
        # Programs do not size wrapped rows on opening: as many lines as the text needs.
        lines = max(-(-width(text) // (_WIDTH - 2)) for text in step)
        sheet.row_dimensions[row].height = 15 * lines
    row += 2
    header(sheet, row, ["工作表 sheet", "内容 contents", "记录 records"])
    absent = []
    for key, page in SHEETS.items():
        count = _count(facts, key)
        if count is None:
            absent.append(key)
            continue
        row += 1
        for place, value in enumerate([f"{page.name} {key}", _description(key), count], 1):
            text_cell(sheet, row, place, value)
    if absent:
        text_cell(sheet, row + 2, 1, "未提供（未生成工作表）：" + "、".join(absent))
        text_cell(sheet, row + 2, 2, "Not supplied, so no sheet: " + ", ".join(absent))
    for letter in "AB":
        sheet.column_dimensions[letter].width = _WIDTH
    finish_sheet(sheet, "A2", "1:1", first=None)
