"""Reading facts from an Excel workbook (``.xlsx``) laid out as :mod:`.sheets` describes.

Each sheet named like a category (in Chinese, as the template names it, or in English)
gives that category's records, one a non-blank row; a category without a sheet is not
supplied (unknown), a sheet with its headers and no records is supplied and empty. The
records then go through the same structuring and cross-record checks as JSON facts, and
every problem names its sheet, row and column::

    调研[research_trips]!C12: 2018-02-30 is not a date (YYYY-MM-DD)

Nothing is read half: either every record is right, or :class:`FactsError` lists every
problem. Workbooks are read with openpyxl in read-only mode (see
``benchmarks/xlsx_read.py`` for python-calamine against it).

>>> import io, openpyxl
>>> book = openpyxl.Workbook()
>>> team = book.active
>>> team.title = "班子"
>>> for row in (["班子 team"], ["编号", "名称"], ["id", "name"], ["t", "班子"]):
...     team.append(row)
>>> members = book.create_sheet("成员")
>>> for row in (["成员 members"], [], ["id", "name", "post", "tenure.start"]):
...     members.append(row)
>>> members.append(["m01", "甲", "市长 mayor", "2018-13-01"])
>>> saved = io.BytesIO()
>>> book.save(saved)
>>> load_workbook(saved)
Traceback (most recent call last):
...
selfbuild_rules.facts.problems.FactsError: 1 problem in the facts:
成员[members]!D4: 2018-13-01 is not a date
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from selfbuild_rules.facts.checks import Judgments
from selfbuild_rules.facts.collector import Collector, Progress
from selfbuild_rules.facts.problems import FactsError, Problem
from selfbuild_rules.facts.records import FORMAT, Facts
from selfbuild_rules.facts.sheets import (
    DATA_ROW,
    FIELD_ROW,
    GIVEN,
    INSTRUCTIONS,
    LISTS,
    SHEETS,
    Column,
    Sheet,
    column_letter,
    is_blank,
)

__all__ = ["load_workbook", "read"]

# A problem's path as the loader names it: category or team, record index, the rest.
_PATH = re.compile(r"^([a-z_]+)(?:\[([0-9]+)\])?((?:[.\[].*)?)$")
Row = Sequence[Any]
#: What reading a damaged zip or XML part raises.
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, ParseError)


class _Where:
    """Where each record of a workbook was: its sheet's row, and each field's column."""

    def __init__(self) -> None:
        self.rows: dict[str, list[int]] = {}
        self.columns: dict[str, dict[str, str]] = {}
        self.problems: list[Problem] = []  # those already named by their cell

    def at(self, sheet: Sheet, cell: str, message: str) -> None:
        self.problems.append(Problem(f"{sheet.title}!{cell}", message))

    def locate(self, problem: Problem) -> Problem:
        """The loader's problem named by sheet, row and column instead of a JSON path."""
        found = _PATH.match(problem.path)
        if found is None or found[1] not in SHEETS:
            return problem
        key, index, rest = found[1], found[2], found[3].lstrip(".")
        sheet = SHEETS[key]
        if key not in self.rows:  # the sheet is missing
            message = "no such sheet" if problem.message == "required field missing" else None
            return Problem(sheet.title, message or problem.message)
        rows = self.rows[key]
        row = rows[int(index)] if index is not None else rows[0] if rows else DATA_ROW
        if key == "team" and not rows and problem.message == "required field missing":
            return Problem(f"{sheet.title}!{row}:{row}", "no team: fill in its id and name")
        columns = self.columns[key]
        for path, letter in columns.items():
            if rest == path or rest.startswith((f"{path}.", f"{path}[")):
                return Problem(f"{sheet.title}!{letter}{row}", problem.message)
        parts = [letter for path, letter in columns.items() if path.startswith(f"{rest}.")]
        cell = f"{parts[0]}{row}" if parts and rest else f"{row}:{row}"
        return Problem(f"{sheet.title}!{cell}", problem.message)


def _open(source: str | os.PathLike[str] | IO[bytes], files: contextlib.ExitStack) -> Any:
    """The workbook, read-only; the file it reads from closes with ``files``."""
    # Imported only when a workbook is read: JSON facts need none of it.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        if isinstance(source, (str, os.PathLike)):
            # Opened here: openpyxl would refuse a name not ending in .xlsx.
            source = files.enter_context(open(source, "rb"))  # noqa: SIM115 (the stack closes it)
        elif not source.seekable():
            source = io.BytesIO(source.read())  # standard input: a zip must be seekable
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except OSError as exc:
        where = getattr(source, "name", "input")
        raise FactsError([Problem("", f"cannot read {where}: {exc.strerror or exc}")]) from None
    except (InvalidFileException, KeyError, ValueError, TypeError, *_BROKEN) as exc:
        # What openpyxl raises for a file that is not a workbook, or a broken one.
        raise FactsError([Problem("", f"not an Excel workbook (.xlsx): {exc}")]) from None
    files.callback(book.close)
    return book


def _sheets(book: Any, where: _Where) -> dict[str, Any]:
    """The workbook's sheets by the key they hold; other sheets are problems, except
    the template's own (instructions and drop-down lists)."""
    by_name = {s.name: s for s in SHEETS.values()} | {s.key: s for s in SHEETS.values()}
    found: dict[str, Any] = {}
    for name in book.sheetnames:
        sheet = by_name.get(name.strip())
        if sheet is None:
            if name not in (INSTRUCTIONS, LISTS):
                where.problems.append(Problem(name, "unknown sheet (see the template's 说明)"))
        elif sheet.key in found:
            where.problems.append(Problem(name, f"a second sheet for {sheet.key}"))
        else:
            found[sheet.key] = book[name]
    return found


#: What a column holds: a field, a note (its field name in parentheses), or nothing named.
Heading = Column | str | None


def _header(sheet: Sheet, rows: Iterator[Row], where: _Where) -> list[Heading] | None:
    """Each column's field, from the row of field names; ``None`` if the sheet is unusable."""
    fields: Row = ()
    for _ in range(FIELD_ROW):
        fields = next(rows, ())
    by_path = {c.path: c for c in sheet.columns}
    columns: list[Heading] = []
    seen: set[str] = set()
    for index, name in enumerate(fields):
        text = "" if is_blank(name) else str(name).strip()
        cell = f"{column_letter(index)}{FIELD_ROW}"
        if not text or text.startswith("("):  # nothing named, or a note
            columns.append(text or None)
            continue
        if text not in by_path:
            where.at(sheet, cell, f"{text} is not a field of {sheet.key}")
        elif text in seen:
            where.at(sheet, cell, f"{text} is given twice")
        seen.add(text)
        columns.append(by_path.get(text))
    absent = [c.path for c in sheet.columns if c.required and c.path not in seen]
    if absent:
        row = f"{FIELD_ROW}:{FIELD_ROW}"
        where.at(sheet, row, f"no column for {', '.join(absent)} (required)")
        return None
    where.columns[sheet.key] = {
        c.path: column_letter(i) for i, c in enumerate(columns) if isinstance(c, Column)
    }
    return columns


def _records(
    sheet: Sheet, rows: Iterator[Row], columns: list[Heading], where: _Where
) -> Iterator[dict[str, Any]]:
    """The sheet's records, as JSON; blank rows (and rows still to be done) are none."""
    given = GIVEN.get(sheet.key, frozenset())
    lines = where.rows.setdefault(sheet.key, [])
    for number, row in enumerate(rows, start=DATA_ROW):
        values = {}
        for index, cell in enumerate(row):
            if is_blank(cell):
                continue
            column = columns[index] if index < len(columns) else None
            if isinstance(column, str):
                continue  # a note
            if column is None:
                where.at(sheet, f"{column_letter(index)}{number}", "a value in no field's column")
                continue
            values[column.path] = column.value(cell)
        if set(values) <= given:
            continue
        lines.append(number)
        yield sheet.record(values)


def _sheet(sheet: Sheet, found: Any, sink: Collector, where: _Where) -> None:
    rows = iter(found.iter_rows(values_only=True))
    columns = _header(sheet, rows, where)
    if columns is None:
        sink.unreadable.add(sheet.key)  # told once: nothing else is said about its records
        where.rows[sheet.key] = []
        return
    if sheet.key == "team":
        team = list(_records(sheet, rows, columns, where))
        if len(team) > 1:
            where.at(sheet, f"{where.rows['team'][1]}:{where.rows['team'][-1]}", "one team only")
        if team:
            sink.set_team(team[0])
        return
    sink.declare(sheet.key)
    for record in _records(sheet, rows, columns, where):
        sink.record(sheet.key, record)


def load_workbook(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    progress: Progress | None = None,
    judgments: Judgments | None = None,
) -> Facts:
    """Load facts from a workbook (a path or an open binary file), strictly, as
    :func:`selfbuild_rules.facts.loading.load_facts` loads JSON."""
    return read(source, Collector(progress, judgments))


def read(source: str | os.PathLike[str] | IO[bytes], sink: Collector) -> Facts:
    """The facts in a workbook, checked as JSON facts are (``sink`` collects them)."""
    where = _Where()
    with contextlib.ExitStack() as files:
        book = _open(source, files)
        found = _sheets(book, where)
        sink.format(FORMAT)
        try:
            for key, sheet in SHEETS.items():
                if key in found:
                    _sheet(sheet, found[key], sink, where)
        except _BROKEN as exc:  # a sheet is read as it is walked: its part may be broken
            raise FactsError([Problem("", f"a broken Excel workbook (.xlsx): {exc}")]) from None
    try:
        facts = sink.finish()
    except FactsError as exc:
        raise FactsError(where.problems + [where.locate(p) for p in exc.problems]) from None
    if where.problems:
        raise FactsError(where.problems)
    return facts
