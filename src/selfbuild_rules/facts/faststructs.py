"""The fast path's msgspec structs and decoders, made from the records' field shapes.

Each record class has a struct with the same fields (:func:`selfbuild_rules.facts.fields.shape`
gives them, as it gives the cattrs hooks and the JSON Schema theirs), unknown fields
refused, and a decoder for a list of them; the document's top level leaves each category
as raw JSON (:data:`TOP_DECODER`) and a JSON Lines ``category`` line decodes in one call
(:data:`LINE_DECODER`). A field left out decodes as ``UNSET`` and a trip's date-or-datetime
as text; :mod:`.fastrecords` gives them their defaults and days.

>>> raw = b'[{"id": "v-1", "member": "m01", "date": "2018-05-02", "kind": "other"}]'
>>> decoder("violations").decode(raw)[0].summary
UNSET
"""

from __future__ import annotations

import datetime as _dt
import functools
import operator
import typing
from typing import Annotated, Any

import msgspec

from selfbuild_rules.facts import checks as _checks
from selfbuild_rules.facts.fields import FieldShape, Kind, ValueShape, shape
from selfbuild_rules.facts.records import CATEGORIES, Team

__all__ = [
    "FAILED",
    "LINE_CATEGORY",
    "LINE_DECODER",
    "TOP_DECODER",
    "decoder",
    "members_decoder",
    "one_of",
    "struct",
]


def _type(value: ValueShape, minimum: int | None = None) -> Any:
    kind = value.kind
    if kind is Kind.STRING:
        return str
    if kind is Kind.INTEGER:
        return int if minimum is None else Annotated[int, msgspec.Meta(ge=minimum)]
    if kind is Kind.DATE:
        return _dt.date
    if kind is Kind.LOCAL_DATE:
        return str  # a date or an ISO datetime: made a day by fill(), as the careful path does
    if kind is Kind.CHOICE:
        return value.enum
    if kind is Kind.RECORD:
        assert value.record is not None
        return struct(value.record)
    assert value.item is not None
    return tuple[_type(value.item), ...]  # type: ignore[misc]


def _field(field: FieldShape) -> tuple[Any, ...]:
    kind = _type(field.value, field.minimum)
    if field.required:
        return (field.name, kind | None if field.nullable else kind)
    # Left out, a field is UNSET (its default comes in :func:`build`), so that encoding the
    # struct again writes exactly the keys the input gave: see :func:`_keys_match`.
    if field.default is None:
        return (field.name, kind | None | msgspec.UnsetType, msgspec.UNSET)
    return (field.name, kind | msgspec.UnsetType, msgspec.UNSET)  # null: the careful path


@functools.cache
def struct(cls: type) -> type[msgspec.Struct]:
    """A msgspec struct with the fields of record class ``cls``; unknown fields refused."""
    return _struct(cls)


def _struct(cls: type, members: Any = None) -> type[msgspec.Struct]:
    fields = [_field(f) for f in shape(cls)]
    if members is not None:  # a member reference decodes to the member's own id string
        fields = [(f[0], members, *f[2:]) if f[0] == "member" else f for f in fields]
    return msgspec.defstruct(
        f"Fast{cls.__name__}", fields, forbid_unknown_fields=True, gc=False, kw_only=True
    )


# The document's top level: each category left as raw JSON, decoded later in batches.
_Top = msgspec.defstruct(
    "FastTop",
    [
        ("format", str),
        ("team", struct(Team)),
        ("members", msgspec.Raw),
        *((name, msgspec.Raw, msgspec.UNSET) for name in CATEGORIES if name != "members"),
    ],
    forbid_unknown_fields=True,
    kw_only=True,
)
TOP_DECODER = msgspec.json.Decoder(_Top)


@functools.cache
def decoder(category: str) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(list[struct(CATEGORIES[category])])  # type: ignore[misc]


# Categories whose records name a member, and their field for it.
_OF_MEMBER = frozenset(c for c, f, target, _l, _s in _checks.REFERENCES if target == "members")
_PER_MEMBER = 500  # bytes of a category per member above which a Literal decoder pays
# ... beyond these: making one costs some 0.1 ms whatever the members (a struct type and
# its decoder), which a small document, such as a service request's, does not win back.
_LITERAL_FLOOR = 1 << 16


#: One ``Literal`` made once; each load's is a copy of it with that load's ids, made
#: with ``copy_with`` rather than ``Literal[...]``, whose cache would keep every load's
#: ids alive and hand back an earlier load's strings instead of this one's.
_LITERAL: Any = typing.Literal["member"]


def one_of(values: tuple[str, ...]) -> Any:
    """``Literal[values]``, made afresh: msgspec checks each member reference against it
    in C and gives back the member's own id string."""
    return _LITERAL.copy_with(values)


def members_decoder(category: str, members: Any, size: int, count: int) -> Any:
    """A decoder that reads a record's ``member`` as one of ``members`` (a ``Literal``):
    msgspec then returns the member's own id string, shared and checked in C. Making one
    costs about 0.1 ms and a few microseconds per member, so only a large category gets one."""
    if category not in _OF_MEMBER or members is None or size < _PER_MEMBER * count + _LITERAL_FLOOR:
        return None
    return msgspec.json.Decoder(list[_struct(CATEGORIES[category], members)])  # type: ignore[misc]


#: The struct of a JSON Lines ``category`` line → its category.
LINE_CATEGORY: dict[type, str] = {
    msgspec.defstruct(
        f"Fast{cls.__name__}Line",
        [("record", struct(cls) | msgspec.UnsetType, msgspec.UNSET)],
        tag_field="category",
        tag=name,
        forbid_unknown_fields=True,
        gc=False,
    ): name
    for name, cls in CATEGORIES.items()
}
#: One JSON Lines ``category`` line; anything else (format, team, errors) raises.
LINE_DECODER: msgspec.json.Decoder[Any] = msgspec.json.Decoder(
    functools.reduce(operator.or_, LINE_CATEGORY)
)

#: What decoding raises for input the fast path leaves to the careful one (a
#: UnicodeDecodeError is a ValueError; RecursionError: nested deeper than msgspec goes).
FAILED = (msgspec.MsgspecError, ValueError, TypeError, RecursionError)
