"""The workbook ``selfbuild-rules template`` writes, for a clerk to fill in with a team's facts.

One sheet per category (laid out by :mod:`selfbuild_rules.facts.sheets`, so read back
by ``evaluate`` and ``validate`` as it was written), drop-downs for every enumeration
and for the ids of members, topics and contact points, date columns formatted as
dates, an instructions sheet, and an assessments sheet with one row to fill in per
judgment provision of the base regulation and subject. Given facts, it holds their
records; a category the facts do not supply gets no sheet, so that the workbook reads
back as the same facts.

>>> import io, openpyxl
>>> from selfbuild_rules.evaluation import base_for
>>> book = openpyxl.load_workbook(io.BytesIO(write_template(base_for(), Period.parse("2018"))))
>>> book.sheetnames[:4], book["评定"]["B4"].value
(['说明', '班子', '成员', '调研'], '1.loyalty')
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from selfbuild_rules.cli.output import UsageError
from selfbuild_rules.facts.checks import REFERENCES
from selfbuild_rules.facts.fields import Kind
from selfbuild_rules.facts.records import Facts
from selfbuild_rules.facts.sheets import DATA_ROW, FIELD_ROW, LISTS, SHEETS, Column, Sheet
from selfbuild_rules.facts.sheets import column_letter as letter
from selfbuild_rules.internal.i18n import _
from selfbuild_rules.internal.workbook import (
    DATE_FORMAT,
    finish_sheet,
    header,
    saved,
    text_cell,
    writable,
)
from selfbuild_rules.law.periods import Period
from selfbuild_rules.law.text import ProvisionKind
from selfbuild_rules.plugins.base import Base

__all__ = ["SPARE_ROWS", "write_template"]

#: Rows below the header that drop-downs and formats reach, beyond the records given.
SPARE_ROWS = 1000
_PROVISION_TEXT = ("条款内容", "(provision text)")  # a note column beside ``rule``
_FORMATS = {Kind.DATE: DATE_FORMAT, Kind.LOCAL_DATE: DATE_FORMAT, Kind.INTEGER: "0"}


@attrs.frozen
class _Lists:
    """The hidden sheet of drop-down entries: each list's range, by name; and the last row
    each sheet offers to fill (its records and :data:`SPARE_ROWS` more)."""

    ranges: dict[str, str]
    last: dict[str, int] = attrs.field(factory=dict)


def _write_lists(book: Any, lists: dict[str, list[str]]) -> _Lists:
    sheet = book.create_sheet(LISTS)
    sheet.sheet_state = "hidden"
    ranges = {}
    for index, (name, entries) in enumerate(lists.items()):
        column = letter(index)
        text_cell(sheet, 1, index + 1, name)
        for row, entry in enumerate(entries, start=2):
            text_cell(sheet, row, index + 1, entry)
        last = max(len(entries) + 1, 2)
        ranges[name] = f"{LISTS}!${column}$2:${column}${last}"
    return _Lists(ranges)


def _choices(facts_columns: Iterator[Column]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for column in facts_columns:
        shape = column.field.value
        if shape.kind is Kind.CHOICE and shape.enum is not None:
            found[shape.enum.__name__] = [str(column.cell(m)) for m in shape.enum]
    return found


def _validation(rows: str, formula: str, strict: bool) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    check = DataValidation(type="list", formula1=f"={formula}", allow_blank=True)
    check.showErrorMessage = True
    check.errorStyle = "stop" if strict else "warning"
    check.error = "请从下拉列表选择 / choose from the list"
    check.add(rows)
    return check


def _validations(sheet: Sheet, lists: _Lists) -> Iterator[Any]:
    """Each column's drop-down: an enumeration's values, or the ids of another sheet (a
    warning only: a record may be typed before the one it names)."""
    targets = {(c, f): t for c, f, t, _label, _same in REFERENCES}
    for index, column in enumerate(_columns(sheet)):
        if column is None:
            continue
        rows = f"{letter(index)}{DATA_ROW}:{letter(index)}{lists.last[sheet.key]}"
        shape = column.field.value
        if shape.kind is Kind.CHOICE and shape.enum is not None:
            yield _validation(rows, lists.ranges[shape.enum.__name__], strict=True)
        elif (sheet.key, column.path) in targets:
            target = SHEETS[targets[sheet.key, column.path]]
            ids = letter([c.path for c in target.columns].index("id"))
            end = lists.last.get(target.key, DATA_ROW + SPARE_ROWS)
            # The target sheet's own column: an id entered there is offered at once.
            yield _validation(rows, f"'{target.name}'!${ids}${DATA_ROW}:${ids}${end}", False)
        elif column.path in lists.ranges:  # an assessment's rule (a module's too) or subject
            yield _validation(rows, lists.ranges[column.path], strict=False)


def _columns(sheet: Sheet) -> list[Column | None]:
    """The sheet's columns as written: the assessments get the provision text too."""
    columns: list[Column | None] = list(sheet.columns)
    if sheet.key == "assessments":
        columns.insert([c.path for c in sheet.columns].index("rule") + 1, None)
    return columns


def _row(page: Any, sheet: Sheet, number: int, values: list[object]) -> None:
    columns = _columns(sheet)
    for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
        if value is None:
            continue
        if isinstance(value, str) and not writable(value):
            where = f"{sheet.key}[{number - DATA_ROW}]" if sheet.key != "team" else "team"
            field = "" if column is None else f".{column.path}"
            told = _("{path}: a control character no workbook can hold")
            raise UsageError(told.format(path=f"{where}{field}"))
        cell = text_cell(page, number, index, value)
        if column is not None and column.field.kind in _FORMATS:
            cell.number_format = _FORMATS[column.field.kind]


def _record_values(
    columns: list[Column | None], record: Any, note: str | None = None
) -> list[object]:
    return [note if c is None else c.cell(c.read(record)) for c in columns]


def _todo(base: Base, period: Period, facts: Facts | None) -> Iterator[tuple[str, str]]:
    """The judgment provisions and subjects still to be assessed for the period."""
    done = {(a.rule, a.subject, a.period) for a in (facts.assessments if facts else None) or ()}
    serving = [
        m.id for m in (facts.members if facts else ()) if m.tenure.range & period.range is not None
    ]
    for provision_id, binds in base.judgments().items():
        subjects = ["team"] if binds == "team" else serving or [""]
        for subject in subjects:
            if (provision_id, subject, str(period)) not in done:
                yield provision_id, subject


def _sheet(
    book: Any, sheet: Sheet, records: tuple[Any, ...], lists: _Lists, texts: dict[str, str]
) -> Any:
    page = book.create_sheet(sheet.name)
    columns = _columns(sheet)
    caption = SHEETS[sheet.key].title.replace("[", " ").rstrip("]")
    header(page, 1, [caption])
    header(page, 2, [_PROVISION_TEXT[0] if c is None else c.label for c in columns])
    header(page, FIELD_ROW, [_PROVISION_TEXT[1] if c is None else c.path for c in columns], False)
    for number, record in enumerate(records, start=DATA_ROW):
        note = texts.get(record.rule) if sheet.key == "assessments" else None
        _row(page, sheet, number, _record_values(columns, record, note))
    for index, column in enumerate(columns):
        if column is not None:
            kind = column.field.kind
            style = _FORMATS.get(kind, "@" if kind in (Kind.STRING, Kind.LIST) else "General")
            page.column_dimensions[letter(index)].number_format = style
    for check in _validations(sheet, lists):
        page.add_data_validation(check)
    return page


def write_template(base: Base, period: Period, facts: Facts | None = None) -> bytes:
    """The workbook for ``period``: blank, or holding ``facts``' records."""
    import openpyxl

    from selfbuild_rules.cli.instructions import write_instructions

    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    texts = {p.id: p.chinese for p in base.provisions() if p.kind is ProvisionKind.JUDGMENT}
    write_instructions(book, base, period, facts)
    members = [m.id for m in facts.members] if facts else []
    every = (c for s in SHEETS.values() for c in s.columns)
    lists = _write_lists(
        book,
        {**_choices(every), "rule": list(texts), "subject": ["team", *members]},
    )
    records = _records(base, period, facts)
    lists.last.update({k: DATA_ROW + len(r) + SPARE_ROWS for k, r in records.items()})
    pages = [_sheet(book, SHEETS[key], given, lists, texts) for key, given in records.items()]
    for page in pages:
        finish_sheet(page, f"A{DATA_ROW}", f"1:{FIELD_ROW}", first=2)
    book.move_sheet(LISTS, offset=len(book.sheetnames))
    return saved(book, period.range.start)


def _records(base: Base, period: Period, facts: Facts | None) -> dict[str, tuple[Any, ...]]:
    """Each sheet's records; a category the facts do not supply gets no sheet, so that
    the workbook reads back as not supplying it."""
    found: dict[str, tuple[Any, ...]] = {}
    for key in SHEETS:
        if key == "team":
            found[key] = (facts.team,) if facts else ()
        elif key == "assessments":
            found[key] = _assessments(base, period, facts)
        elif facts is None or getattr(facts, key) is not None:
            found[key] = getattr(facts, key) if facts else ()
    return found


def _assessments(base: Base, period: Period, facts: Facts | None) -> tuple[Any, ...]:
    """The assessments given, then one row to fill in per provision and subject."""
    given = tuple(facts.assessments or ()) if facts else ()
    todo = tuple(
        _Todo(f"as-{period}-{rule}-{subject}" if subject else None, rule, subject, str(period))
        for rule, subject in _todo(base, period, facts)
    )
    return given + todo


@attrs.frozen
class _Todo:
    """An assessment still to be made: what the template fills in before the clerk."""

    id: str | None
    rule: str
    subject: str
    period: str
    result: None = None
    date: None = None
    assessor: None = None
