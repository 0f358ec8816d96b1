"""How the workbooks this package writes look: headers, widths, freezing, printing.

The template a clerk fills in and the Excel report share one look, so both go through
these few helpers (openpyxl objects in, nothing legal about them).

>>> width("调研"), width("research")
(4, 8)
"""

from __future__ import annotations

import datetime as _dt
import io
import unicodedata
import zipfile
from collections.abc import Iterable
from typing import Any

__all__ = ["DATE_FORMAT", "finish_sheet", "header", "saved", "text_cell", "width", "writable"]

#: How a date cell shows its date.
DATE_FORMAT = "yyyy-mm-dd"
_HEADER_FILL = "DDEBF7"
_MAX_WIDTH = 60
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold


def width(text: object) -> int:
    """The columns a text takes in a monospaced view: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))


def header(sheet: Any, row: int, values: Iterable[object], bold: bool = True) -> None:
    """Write a header row: bold, on a light fill."""
    from openpyxl.styles import Font, PatternFill

    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    for column, value in enumerate(values, start=1):
        cell = text_cell(sheet, row, column, value)
        cell.font = Font(bold=bold)
        cell.fill = fill


def writable(text: str) -> bool:
    """Whether a workbook can hold ``text``: XML 1.0 has no place for most control
    characters.

    >>> writable("成员甲\t1"), writable("bell\x07")
    (True, False)
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.search(text) is None


def text_cell(sheet: Any, row: int, column: int, value: object) -> Any:
    """A cell holding ``value``; text stays text even if it starts with ``=``."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula: the text comes from the facts
    return cell


def finish_sheet(
    sheet: Any, frozen: str, title_rows: str, first: int | None = 1, minimum: int = 8
) -> None:
    """Fit the columns to their widest text from row ``first`` on (``None``: keep their
    widths), freeze the header (rows above and columns left of ``frozen``), and print on
    A4 landscape with the header rows ``title_rows`` on every page."""
    from openpyxl.utils import get_column_letter

    widest: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=first) if first is not None else ():
        for cell in row:
            if cell.value is not None:
                shown = cell.value if isinstance(cell.value, str) else "2018-12-31"
                longest = max(width(line) for line in str(shown).split("\n"))
                widest[cell.column] = max(widest.get(cell.column, minimum), longest)
    for column, size in widest.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(size + 2, _MAX_WIDTH)
    sheet.freeze_panes = frozen
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows


def saved(book: Any, when: _dt.date) -> bytes:
    """The workbook as the bytes of an ``.xlsx`` file, dated ``when`` inside and out.

    The same workbook gives the same bytes: openpyxl would stamp the time of saving into
    the document's properties and each part of the zip, so neither is left to it.
    """
    from openpyxl.writer.excel import ExcelWriter

    stamp = _dt.datetime(when.year, when.month, when.day)
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = "selfbuild-rules"
    first = io.BytesIO()
    with zipfile.ZipFile(first, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    out = io.BytesIO()
    with zipfile.ZipFile(first) as written, zipfile.ZipFile(out, "w") as archive:
        for part in written.infolist():
            info = zipfile.ZipInfo(part.filename, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, written.read(part))
    return out.getvalue()
