"""The fast path for facts that are right: msgspec reads JSON straight into typed records.

msgspec decodes and validates in C against structs made from the same field shapes
(:func:`selfbuild_rules._fields.shape`) that the cattrs hooks and the JSON Schema come
from, then converts them to the attrs record classes. It is strict in the same ways
as the careful path (unknown fields, types, enumerations, dates, minimums) and where
it would accept less (a trip dated with an ISO datetime, a ``null`` standing for a
default), the input simply takes the careful path. Whatever it refuses, cattrs then
structures record by record, naming every problem; so the fast path never decides
*what* is wrong, only that nothing is.

>>> facts = document('{"format": "selfbuild-rules.facts/1", "members": [],'
...                  ' "team": {"id": "t", "name": "班子"}, "violations": []}')
>>> facts.team.name, facts.violations, facts.research_trips
('班子', (), None)
>>> document('{"format": "selfbuild-rules.facts/1", "members": [],'
...          ' "team": {"id": "t", "name": "班子", "colour": "red"}}') is None
True
"""

from __future__ import annotations

import datetime as _dt
import functools
import operator
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import msgspec

from . import _checks
from ._fields import FieldShape, Kind, ValueShape, shape
from .facts import CATEGORIES, FORMAT, Facts, Team

__all__ = ["FAILED", "LINE_CATEGORY", "LINE_DECODER", "consistent", "document", "records"]


def _type(value: ValueShape, minimum: int | None = None) -> Any:
    kind = value.kind
    if kind is Kind.STRING:
        return str
    if kind is Kind.INTEGER:
        return int if minimum is None else Annotated[int, msgspec.Meta(ge=minimum)]
    if kind in (Kind.DATE, Kind.LOCAL_DATE):
        return _dt.date  # ISO datetimes with an offset go the careful way
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
    if field.default is None:
        return (field.name, kind | None, None)
    return (field.name, kind, field.default)  # null for a default: the careful path


@functools.cache
def struct(cls: type) -> type[msgspec.Struct]:
    """A msgspec struct with the fields of record class ``cls``; unknown fields refused."""
    fields = [_field(f) for f in shape(cls)]
    return msgspec.defstruct(
        f"Fast{cls.__name__}", fields, forbid_unknown_fields=True, gc=False, kw_only=True
    )


_Document = msgspec.defstruct(
    "FastDocument",
    [
        ("format", str),
        ("team", struct(Team)),
        ("members", tuple[struct(CATEGORIES["members"]), ...]),  # type: ignore[misc]
        *(
            (name, tuple[struct(cls), ...] | msgspec.UnsetType, msgspec.UNSET)  # type: ignore[misc]
            for name, cls in CATEGORIES.items()
            if name != "members"
        ),
    ],
    forbid_unknown_fields=True,
    kw_only=True,
)
_DOCUMENT_DECODER = msgspec.json.Decoder(_Document)


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

#: What decoding raises for input the fast path leaves to the careful one.
FAILED = (msgspec.MsgspecError, ValueError, TypeError)  # UnicodeDecodeError is a ValueError


def records(category: str, items: Sequence[Any]) -> tuple[Any, ...]:
    """The category's attrs records from fast structs (or records), in one C call."""
    cls = CATEGORIES[category]
    if all(type(r) is cls for r in items):  # structured the careful way already
        return tuple(items)
    return msgspec.convert(items, tuple[cls, ...], from_attributes=True)  # type: ignore[valid-type]


def document(data: bytes | str) -> Facts | None:
    """The facts in a JSON document, or ``None`` if anything needs the careful path."""
    try:
        decoded: Any = _DOCUMENT_DECODER.decode(data)
        if decoded.format != FORMAT:
            return None
        team = msgspec.convert(decoded.team, Team, from_attributes=True)
        categories: dict[str, Any] = {}
        for name in CATEGORIES:
            items = getattr(decoded, name)
            if items is not msgspec.UNSET:
                setattr(decoded, name, msgspec.UNSET)  # let the structs go as we convert
                categories[name] = records(name, items)
                del items
    except FAILED:
        return None
    if not consistent(categories):
        return None
    return Facts(team=team, **categories)


# --- cross-record consistency, all or nothing -----------------------------------------
# The same tables as :mod:`selfbuild_rules._checks`, tested with sets: ``True`` only
# when that module would find no problem. Anything else goes the careful way, which
# names each problem.


def _unique(items: tuple[Any, ...]) -> bool:
    return len({r.id for r in items}) == len(items)


def _references(categories: Mapping[str, tuple[Any, ...]]) -> bool:
    for category, field, target, _label, same_member in _checks._REFERENCES:
        items = categories.get(category, ())
        values = {getattr(r, field) for r in items} - {None}
        if not values:
            continue
        owners = {t.id: getattr(t, "member", None) for t in categories.get(target, ())}
        if not values <= owners.keys():
            return False
        if same_member and any(
            (value := getattr(r, field)) is not None and owners[value] not in (None, r.member)
            for r in items
        ):
            return False
    return True


def _attribute(record: Any, path: str) -> Any:
    for name in path.split("."):
        record = getattr(record, name)
    return record


def _ranges(categories: Mapping[str, tuple[Any, ...]]) -> bool:
    for category, start, end in _checks._RANGES:
        for r in categories.get(category, ()):
            last = _attribute(r, end)
            if last is not None and last < _attribute(r, start):
                return False
    return True


def _entries(categories: Mapping[str, tuple[Any, ...]], *names: str) -> dict[str, list[Any]]:
    return {
        name: [_checks.Entry(name, i, None, r.id, r) for i, r in enumerate(categories[name])]
        for name in names
        if name in categories
    }


def _few(categories: Mapping[str, tuple[Any, ...]]) -> bool:
    """The checks of the team's few records, by :mod:`._checks` itself: study sessions
    relay known directives; assessments name judgment provisions, subjects, periods."""
    found = _entries(categories, "directives", "study_sessions")
    if "study_sessions" in found and any(_checks._directives(found, frozenset())):
        return False
    if categories.get("assessments"):
        found = _entries(categories, "members", "assessments")
        return not any(_checks._assessments(found, frozenset()))
    return True


def consistent(categories: Mapping[str, tuple[Any, ...]]) -> bool:
    """Whether the records pass every cross-record check (ids, references, ranges)."""
    return (
        all(_unique(items) for items in categories.values())
        and _references(categories)
        and _ranges(categories)
        and _few(categories)
    )
