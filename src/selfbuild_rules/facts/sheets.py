"""The facts format laid out as workbook sheets: one per category, one column per field.

The layout is read from the record classes (:func:`selfbuild_rules.facts.fields.shape`),
so a field added to a record gets its column in every template and is read back
without a change here. A record field (a member's ``tenure``) becomes one column per
field of it (``tenure.start``, ``tenure.end``). Each sheet starts with three header
rows: a caption naming the sheet's category in both languages, the Chinese name of each
column, and the field it holds; records follow, one a row. This module turns cell
values into the values of the JSON facts format and back; it needs no spreadsheet
library (:mod:`selfbuild_rules.facts.xlsx` reads workbooks, the ``template`` command
writes them).

>>> from selfbuild_rules.facts.records import Post
>>> sheet = SHEETS["members"]
>>> sheet.title, [c.path for c in sheet.columns]
('成员[members]', ['id', 'name', 'post', 'tenure.start', 'tenure.end'])
>>> sheet.columns[2].cell(Post.VICE_MAYOR), sheet.columns[2].value("副市长 vice_mayor")
('副市长 vice_mayor', 'vice_mayor')
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from collections.abc import Mapping
from typing import Any

import attrs

from selfbuild_rules.facts.fields import FieldShape, Kind, shape
from selfbuild_rules.facts.labels import category_label, field_label, value_label
from selfbuild_rules.facts.records import CATEGORIES, Team

__all__ = [
    "DATA_ROW",
    "FIELD_ROW",
    "GIVEN",
    "INSTRUCTIONS",
    "LISTS",
    "NONE",
    "SHEETS",
    "Column",
    "Sheet",
    "column_letter",
    "is_blank",
]

#: The names of a template's own sheets: instructions, and the lists drop-downs offer.
INSTRUCTIONS, LISTS = "说明", "lists"
#: The row of field names, and the first row of records (1-based, as Excel counts).
FIELD_ROW, DATA_ROW = 3, 4
#: What a list cell holds for "given, and empty" where a blank cell means "not recorded".
NONE = "无"
#: Columns a template fills in before the clerk does: a row with nothing else is still
#: to be done, not a record (an assessment not yet made).
GIVEN: Mapping[str, frozenset[str]] = {
    "assessments": frozenset({"id", "rule", "subject", "period"}),
}
_LIST_SPLIT = re.compile(r"\s*[,，、]\s*")
_ITEM_SPLIT = re.compile(r"\s*[;；]\s*")


def column_letter(index: int) -> str:
    """The letters of a column, from 0: ``A`` … ``Z``, ``AA`` …

    >>> column_letter(0), column_letter(27)
    ('A', 'AB')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def is_blank(cell: object) -> bool:
    """Whether a cell holds nothing (or only spaces).

    >>> is_blank(None), is_blank("  "), is_blank(0)
    (True, True, False)
    """
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _whole(number: float) -> int | float:
    return int(number) if number == int(number) else number


def _scalar(kind: Kind, cell: object) -> object:
    """The JSON value of a cell holding one value of ``kind``; what cannot be that kind is
    passed on as it is, for the loader to name the problem."""
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, _dt.datetime):
        midnight = cell.time() == _dt.time()
        return cell.date().isoformat() if midnight else cell.isoformat()
    if isinstance(cell, _dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if kind is Kind.STRING and isinstance(cell, (int, float)):
        return str(cell)  # an id typed into a cell Excel took for a number
    if not isinstance(cell, str):
        return cell
    text = cell.strip()
    if kind is Kind.INTEGER and text.isascii() and text.isdigit():
        return int(text)
    if kind is Kind.CHOICE:
        return text.split()[-1]  # the value after its Chinese name: "村 village"
    return cell if kind is Kind.STRING else text


def _plain(value: object) -> str:
    return str(value.value) if isinstance(value, enum.Enum) else str(value)


def _cell_scalar(value: object) -> object:
    if isinstance(value, enum.Enum):
        return f"{value_label(str(value.value))} {value.value}"
    return value


@attrs.frozen
class Column:
    """One column: the field it holds (``path``, dotted for a field of a field)."""

    path: str
    field: FieldShape
    #: The field of a record this is a field of (``tenure``), if any.
    parent: FieldShape | None = None

    @property
    def label(self) -> str:
        """The column's Chinese header."""
        return field_label(self.path)

    @property
    def required(self) -> bool:
        """Whether every record must have a value here."""
        return self.field.required and (self.parent is None or self.parent.required)

    @property
    def blank_is_null(self) -> bool:
        """Whether a blank cell gives null: the field must be given, and may be null
        (a major decision's ``legal_review``: blank, none took place)."""
        return self.field.required and self.field.nullable and self.parent is None

    def value(self, cell: object) -> object:
        """The JSON value of a (non-blank) cell.

        >>> SHEETS["study_sessions"].columns[3].value("d-1，d-2")
        ['d-1', 'd-2']
        """
        form = self.field.value
        if form.kind is not Kind.LIST:
            return _scalar(form.kind, cell)
        assert form.item is not None
        text = str(_scalar(Kind.STRING, cell)).strip()
        if text in (NONE, "none"):
            return []
        if form.item.kind is not Kind.RECORD:
            return [_scalar(form.item.kind, t) for t in _LIST_SPLIT.split(text) if t]
        assert form.item.record is not None
        fields = shape(form.item.record)
        items = [t.split() for t in _ITEM_SPLIT.split(text) if t]
        # An item of the wrong length is passed on as it is, for the loader to name.
        return [
            {f.name: _scalar(f.kind, t) for f, t in zip(fields, item, strict=True)}
            if len(item) == len(fields)
            else " ".join(item)
            for item in items
        ]

    def cell(self, value: object) -> object:
        """What a cell shows for a field's typed value (``None``: a blank cell)."""
        if not isinstance(value, tuple):
            return None if value == "" else _cell_scalar(value)
        if not value:
            return None if self.field.default == () else NONE
        item = self.field.value.item
        if item is None or item.kind is not Kind.RECORD:
            return ", ".join(str(_cell_scalar(v)) for v in value)
        assert item.record is not None
        fields = shape(item.record)
        return "; ".join(" ".join(_plain(getattr(v, f.name)) for f in fields) for v in value)

    def read(self, record: object) -> object:
        """This column's value in a typed record."""
        for name in self.path.split("."):
            record = getattr(record, name)
        return record


def _columns(cls: type) -> tuple[Column, ...]:
    columns: list[Column] = []
    for field in shape(cls):
        if field.kind is not Kind.RECORD:
            columns.append(Column(field.name, field))
            continue
        assert field.value.record is not None
        for inner in shape(field.value.record):
            if inner.kind in (Kind.RECORD, Kind.LIST):
                raise TypeError(f"{cls.__name__}.{field.name}.{inner.name}: no column for it")
            columns.append(Column(f"{field.name}.{inner.name}", inner, field))
    return tuple(columns)


@attrs.frozen
class Sheet:
    """A sheet of a facts workbook: the category it holds (or ``team``) and its columns."""

    key: str
    columns: tuple[Column, ...]

    @property
    def name(self) -> str:
        """The sheet's name (Chinese)."""
        return category_label(self.key)

    @property
    def title(self) -> str:
        """How problems name the sheet: ``调研[research_trips]``."""
        return f"{self.name}[{self.key}]"

    def record(self, values: Mapping[str, object]) -> dict[str, Any]:
        """The JSON record of a row's non-blank cells, by column path.

        A field of a record that must be given is always given (an empty record if
        need be), so a missing part is named by its own column.

        >>> SHEETS["members"].record({"id": "m01", "tenure.start": "2018-01-26"})
        {'id': 'm01', 'tenure': {'start': '2018-01-26'}}
        """
        record: dict[str, Any] = {}
        for column in self.columns:
            if column.parent is not None and column.parent.required:
                record.setdefault(column.parent.name, {})
            if column.path not in values and column.blank_is_null:
                values = {**values, column.path: None}
            if column.path not in values:
                continue
            if column.parent is None:
                record[column.path] = values[column.path]
            else:
                record.setdefault(column.parent.name, {})[column.field.name] = values[column.path]
        return record


#: The team's sheet, then one sheet per category, in the order of the format.
SHEETS: Mapping[str, Sheet] = {
    key: Sheet(key, _columns(cls)) for key, cls in {"team": Team, **CATEGORIES}.items()
}
