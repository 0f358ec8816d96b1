"""The shape of every record class, read once from its attrs fields and type hints.

The loader structures records by these shapes and :func:`selfbuild_rules.facts.schema.facts_schema`
is generated from them, so the two cannot disagree about which fields exist, which are
required, which may be null, and what type each one has.

>>> from selfbuild_rules.facts.records import ResearchReport, Tenure
>>> [(f.name, f.kind.value, f.required, f.nullable) for f in shape(Tenure)]
[('start', 'date', True, False), ('end', 'date', False, True)]
>>> [f.name for f in shape(ResearchReport) if f.minimum is not None]
['recommendations']
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import re
import types
import typing
from typing import Any

import attrs

from selfbuild_rules.facts.records import ResearchTrip

__all__ = ["DATETIME_PATTERN", "DATE_PATTERN", "FieldShape", "Kind", "ValueShape", "shape"]

# Both patterns are valid in Python and in ECMA-262 (the dialect JSON Schema uses). The
# trailing ``(?!\n)`` stops Python's ``$`` from also matching before a final newline.
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$(?!\n)"
DATETIME_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
    r"(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)$(?!\n)"
)
DATE_RE = re.compile(DATE_PATTERN)
DATETIME_RE = re.compile(DATETIME_PATTERN)
#: A datetime without an offset (an error, told apart for a clearer message).
NAIVE_DATETIME_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9.]+)?")

# Fields that also accept an ISO datetime with a UTC offset, read as a date in China.
_LOCAL_DATES = {(ResearchTrip, "start"), (ResearchTrip, "end")}


class Kind(enum.Enum):
    """What a value is, in JSON terms."""

    STRING = "string"
    INTEGER = "integer"
    DATE = "date"
    LOCAL_DATE = "date or datetime"
    CHOICE = "choice"
    RECORD = "record"
    LIST = "list"


@attrs.frozen
class ValueShape:
    """The JSON shape of a value: a kind, and the enumeration, record or item it names."""

    kind: Kind
    enum: type[enum.Enum] | None = None
    record: type | None = None
    item: ValueShape | None = None

    @property
    def choices(self) -> tuple[str, ...]:
        """The values a choice allows, in declaration order."""
        return tuple(str(m.value) for m in self.enum) if self.enum is not None else ()


@attrs.frozen
class FieldShape:
    """One field of a record: its value's shape, whether it may be left out or be null."""

    name: str
    value: ValueShape
    required: bool
    nullable: bool
    default: object = None
    minimum: int | None = None

    @property
    def kind(self) -> Kind:
        """The kind of the field's value."""
        return self.value.kind


def _value_shape(hint: Any, where: str, local: bool = False) -> ValueShape:
    if hint is str:
        return ValueShape(Kind.STRING)
    if hint is int:
        return ValueShape(Kind.INTEGER)
    if hint is _dt.date:
        return ValueShape(Kind.LOCAL_DATE if local else Kind.DATE)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return ValueShape(Kind.CHOICE, enum=hint)
    if isinstance(hint, type) and attrs.has(hint):
        return ValueShape(Kind.RECORD, record=hint)
    args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis:
        return ValueShape(Kind.LIST, item=_value_shape(args[0], f"{where}[]"))
    raise TypeError(f"{where}: no JSON shape for {hint!r}")


def _minimum(field: attrs.Attribute[Any]) -> int | None:
    validator = field.validator
    if validator is None:
        return None
    bound = getattr(validator, "bound", None)
    if getattr(validator, "compare_op", None) == ">=" and isinstance(bound, int):
        return bound
    # A validator the schema cannot express would make the schema and the loader disagree.
    raise TypeError(f"{field.name}: validator {validator!r} has no JSON Schema equivalent")


@functools.cache
def shape(cls: type) -> tuple[FieldShape, ...]:
    """The fields of an attrs record class, in declaration order."""
    hints = typing.get_type_hints(cls)
    shapes = []
    for field in attrs.fields(cls):
        hint = hints[field.name]
        nullable = False
        if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
            members = [a for a in typing.get_args(hint) if a is not type(None)]
            nullable = len(members) < len(typing.get_args(hint))
            (hint,) = members
        where = f"{cls.__name__}.{field.name}"
        value = _value_shape(hint, where, local=(cls, field.name) in _LOCAL_DATES)
        has_default = field.default is not attrs.NOTHING
        shapes.append(
            FieldShape(
                name=field.name,
                value=value,
                # A field with a default may be left out, or given as null for the default.
                required=not has_default,
                nullable=nullable or has_default,
                default=field.default if has_default else None,
                minimum=_minimum(field),
            )
        )
    return tuple(shapes)
