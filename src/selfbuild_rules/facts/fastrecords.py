"""The fast path's records: attrs records from the structs msgspec decoded and checked.

:func:`fill` gives every field left out its default and every date-or-datetime its day,
counting the keys the input gave (see :func:`.fastload.matches`); :func:`build` then
shares equal values (:class:`Shared`) and converts the structs to the record classes,
a column at a time so that the loops run in C. :func:`line_keys` does both counts for
one JSON Lines line.

>>> from selfbuild_rules.facts.faststructs import decoder
>>> raw = b'[{"id": "v-1", "member": "m01", "date": "2018-05-02", "kind": "other"}]'
>>> items = decoder("violations").decode(raw)
>>> fill(CATEGORIES["violations"], items)  # keys given; the summary left out is None
4
>>> build("violations", items, Shared())[0].summary is None
True
"""

from __future__ import annotations

import collections
import functools
import itertools
import operator
from typing import Any

import msgspec

from selfbuild_rules.facts import checks as _checks
from selfbuild_rules.facts.faststructs import LINE_CATEGORY
from selfbuild_rules.facts.fields import Kind, shape
from selfbuild_rules.facts.records import CATEGORIES
from selfbuild_rules.facts.structure import local_date

__all__ = ["Shared", "build", "fill", "line_keys"]


class Shared(dict[Any, Any]):
    """One object for each distinct value: the first one seen stands for all equal ones.

    A million trips name a few thousand members and a few hundred days; shared, each
    trip holds references instead of its own copies (about 200 bytes a trip).

    >>> shared = Shared()
    >>> shared["m01"] is shared["".join(["m", "01"])]
    True
    """

    __slots__ = ()

    def __missing__(self, key: Any) -> Any:
        self[key] = key
        return key


# Categories whose ids other records name: their ids are shared with the references.
_TARGETS = frozenset(target for _c, _f, target, _l, _s in _checks.REFERENCES)
# A date-or-datetime's day is shared already, as it is read (see _Days).
_SHAREABLE = (Kind.STRING, Kind.INTEGER, Kind.DATE)


@functools.cache
def _shared_fields(category: str) -> tuple[tuple[str, bool], ...]:
    """``(field, nullable)`` for the fields whose values repeat across records: all but
    an id that no other record names."""
    return tuple(
        (f.name, f.nullable)
        for f in shape(CATEGORIES[category])
        if f.kind in _SHAREABLE and (f.name != "id" or category in _TARGETS)
    )


def fill(cls: type, items: list[Any]) -> int:
    """Give every field left out (``UNSET``) its default, and every date-or-datetime its
    day (``ValueError`` for one that is neither), in nested records too, a column at a
    time, in place; return how many keys the input gave (see :func:`.fastload.matches`)."""
    keys = 0
    for field in shape(cls):
        name = field.name
        get = operator.attrgetter(name)
        item = field.value.item
        nested = field.value.record or (item.record if item is not None else None)
        keys += len(items)
        if not field.required:
            column = list(map(get, items))
            left_out = column.count(msgspec.UNSET)  # identity first: no value's == is asked
            if left_out:
                keys -= left_out
                if left_out == len(items):  # a field no record gives
                    given: Any = itertools.repeat(field.default, left_out)
                elif nested is None:  # hashable values: the default looked up in C
                    given = map({msgspec.UNSET: field.default}.get, column, column)
                else:
                    given = [field.default if v is msgspec.UNSET else v for v in column]
                collections.deque(map(setattr, items, itertools.repeat(name), given), 0)
        if field.kind is Kind.LOCAL_DATE:
            days = map(_DAYS.__getitem__, map(get, items))
            collections.deque(map(setattr, items, itertools.repeat(name), days), 0)
        if nested is None:
            continue
        inner = [v for v in map(get, items) if v is not None]
        if field.kind is Kind.LIST:
            inner = [part for parts in inner for part in parts]
        if inner:
            keys += fill(nested, inner)
    return keys


class _Days(dict[Any, Any]):
    """A date's or ISO datetime's text → its day, read by the careful path's own
    :func:`~.structure.local_date` once per process (a year has 366 dates, a million
    trips thousands of batches) and looked up in C after; ``None`` stays ``None``. Each
    day is then one object, so records share it. Bounded, so that a service fed many
    distinct datetimes stays small; a text it refuses raises ``ValueError`` each time
    (the document then takes the careful path, which names it).

    >>> days = _Days({None: None})
    >>> days["2018-03-01"] is days["2018-03-01"], days[None]
    (True, None)
    """

    __slots__ = ()

    def __missing__(self, text: Any) -> Any:
        day = local_date(text)
        if len(self) >= _DAYS_KEPT:
            self.clear()
            self[None] = None
        self[text] = day
        return day


_DAYS_KEPT = 8192
_DAYS = _Days({None: None})


def build(category: str, items: list[Any], shared: Shared, skip: tuple[str, ...] = ()) -> list[Any]:
    """The category's attrs records from fast structs, equal values shared through ``shared``.

    Works a column at a time with ``map`` so that the loop runs in C; the structs are
    changed in place (they are thrown away after), and must have been given to
    :func:`fill` first.
    """
    cls = CATEGORIES[category]
    lookup, nothing = shared.__getitem__, itertools.repeat(None)
    for name, nullable in _shared_fields(category):
        if name in skip:
            continue
        get = operator.attrgetter(name)
        if nullable and not any(map(operator.is_not, map(get, items), nothing)):
            continue  # an optional field no record gives
        collections.deque(
            map(setattr, items, itertools.repeat(name), map(lookup, map(get, items))), 0
        )
    return msgspec.convert(items, list[cls], from_attributes=True)  # type: ignore[valid-type]


# Between two records of a list: where a list's JSON can be cut into smaller lists. A


def _fill_one(cls: type, record: Any) -> int:
    """:func:`fill` for one record, without a column's lists."""
    keys = 0
    for field in shape(cls):
        value = getattr(record, field.name)
        if value is msgspec.UNSET:
            setattr(record, field.name, field.default)
            continue
        keys += 1
        if value is None:
            continue
        if field.kind is Kind.LOCAL_DATE:
            setattr(record, field.name, _DAYS[value])
        if field.value.record is not None:
            keys += _fill_one(field.value.record, value)
        elif field.value.item is not None and field.value.item.record is not None:
            keys += sum(_fill_one(field.value.item.record, part) for part in value)
    return keys


def line_keys(line: Any) -> int:
    """The keys given in one decoded JSON Lines ``category`` line (its record
    :func:`fill`-ed on the way): ``category``, ``record`` and the record's own."""
    record = line.record
    if record is msgspec.UNSET:
        return 1
    return 2 + _fill_one(CATEGORIES[LINE_CATEGORY[type(line)]], record)
