"""The fast path for facts that are right: msgspec reads JSON straight into typed records.

msgspec decodes and validates in C against structs made from the same field shapes
(:func:`selfbuild_rules.facts.fields.shape`) that the cattrs hooks and the JSON Schema come
from, then converts them to the attrs record classes. It is strict in the same ways
as the careful path (unknown fields, types, enumerations, dates, minimums) and where
it would accept less (a ``null`` standing for a default), the input simply takes the
careful path. A trip's dates, which may be ISO datetimes, are read as text and made
days by the careful path's own function (:func:`~.structure.local_date`). Whatever
it refuses, cattrs then structures record by record, naming every problem; so the
fast path never decides *what* is wrong, only that nothing is.

At scale the cost is memory: a category is decoded a few hundred kilobytes at a time
(its structs never all exist at once), and equal values are shared as records are
built (a member's id, a day, a place: see :class:`Shared`).

msgspec keeps the last of a key given twice, as ``json.loads`` does; the fast path
counts keys to see one (see :func:`matches`), and the careful path names it. When a
document is not right, :func:`stream` reads it again a batch at a time, so that the
careful path holds only the failing batch as dicts, never the whole document.

>>> facts = document('{"format": "selfbuild-rules.facts/1", "members": [],'
...                  ' "team": {"id": "t", "name": "班子"}, "violations": []}')
>>> facts.team.name, facts.violations, facts.research_trips
('班子', (), None)
>>> document('{"format": "selfbuild-rules.facts/1", "members": [],'
...          ' "team": {"id": "t", "name": "班子", "colour": "red"}}') is None
True
"""

from __future__ import annotations

import collections
import datetime as _dt
import functools
import itertools
import operator
import re
import typing
from collections.abc import Callable, Iterator
from typing import Annotated, Any

import msgspec

from selfbuild_rules.facts import checks as _checks
from selfbuild_rules.facts.consistency import consistent
from selfbuild_rules.facts.fields import FieldShape, Kind, ValueShape, shape
from selfbuild_rules.facts.records import CATEGORIES, FORMAT, Facts, Team
from selfbuild_rules.facts.structure import local_date

__all__ = [
    "FAILED",
    "LINE_CATEGORY",
    "LINE_DECODER",
    "KeyGivenTwice",
    "Shared",
    "batches",
    "build",
    "colons_in",
    "count_colons",
    "decoder",
    "document",
    "fill",
    "line_keys",
    "matches",
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
_TOP_DECODER = msgspec.json.Decoder(_Top)


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


def _one_of(values: tuple[str, ...]) -> Any:
    """``Literal[values]``, made afresh: msgspec checks each member reference against it
    in C and gives back the member's own id string."""
    return _LITERAL.copy_with(values)


def _members_decoder(category: str, members: Any, size: int, count: int) -> Any:
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


_ID = operator.attrgetter("id")
# Categories whose ids other records name: their ids are shared with the references.
_TARGETS = frozenset(target for _c, _f, target, _l, _s in _checks.REFERENCES)
_SHAREABLE = (Kind.STRING, Kind.INTEGER, Kind.DATE, Kind.LOCAL_DATE)


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
    time, in place; return how many keys the input gave (see :func:`keys_given`)."""
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
            days = _local_days(list(map(get, items)))
            collections.deque(map(setattr, items, itertools.repeat(name), days), 0)
        if nested is None:
            continue
        inner = [v for v in map(get, items) if v is not None]
        if field.kind is Kind.LIST:
            inner = [part for parts in inner for part in parts]
        if inner:
            keys += fill(nested, inner)
    return keys


#: A day's text is read once per process, not once per batch: a year has 366 dates, a
#: million trips thousands of batches. Bounded, so a service fed many distinct
#: datetimes stays small; a text it refuses raises each time (errors are not kept).
_local_day = functools.lru_cache(maxsize=8192)(local_date)


def _local_days(column: list[Any]) -> list[Any]:
    """A column of dates or ISO datetimes (``None`` kept) as days, read by the careful
    path's own :func:`~.structure.local_date`, once per distinct text; ``ValueError``
    for one it refuses (so the document takes the careful path, which names it)."""
    days: dict[Any, Any] = {None: None}
    for text in set(column) - days.keys():
        days[text] = _local_day(text)
    return list(map(days.__getitem__, column))


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
# cut anywhere else (inside a string, or a nested list) leaves a piece that is not JSON,
# so the piece fails to decode and the whole document takes the careful path.
_BETWEEN = re.compile(rb"\}\s*(,)\s*\{")
_BATCH = 1 << 18  # bytes decoded at once: some 2,500 records, whose structs stay in cache
_RELEASE = 1 << 23  # bytes read between two calls to let go of the input's pages


def batches(raw: msgspec.Raw) -> Iterator[Any]:
    """A list's JSON as smaller JSON lists, so that its structs never all exist at once."""
    view = memoryview(raw)
    end = len(view) - 1
    if end < 2 * _BATCH or view[0] != ord("[") or view[end] != ord("]"):
        yield view
        return
    start = 1
    while found := _BETWEEN.search(view, start + _BATCH, end):
        cut = found.start(1)
        yield b"".join((b"[", view[start:cut], b"]"))
        start = cut + 1
    yield b"".join((b"[", view[start:end], b"]"))


def document(data: Any, release: Callable[[], None] | None = None) -> Facts | None:
    """The facts in a JSON document, or ``None`` if anything needs the careful path.

    ``data`` is bytes, text or a buffer (a memory-mapped file); ``release`` is called
    after each batch, so that the caller can let go of the input's pages read so far.
    """
    done = release or (lambda: None)
    colons = colons_in(data)  # before decoding: the pages are read once, then let go
    if colons is None:
        return None
    try:
        frame = colons
        top: Any = _TOP_DECODER.decode(data)
        done()
        if top.format != FORMAT:
            return None
        given = sum(getattr(top, n) is not msgspec.UNSET for n in top.__struct_fields__)
        keys = given + count_colons(_ENCODE((top.format, top.team)))
        fill(Team, [top.team])
        team = msgspec.convert(top.team, Team, from_attributes=True)
        shared = Shared()
        categories: dict[str, Any] = {}
        members: Any = None
        known: set[str] = set()  # categories whose member references msgspec checked
        read = 0
        for name in CATEGORIES:  # members first: their ids are the ones shared
            raw = getattr(top, name)
            if raw is msgspec.UNSET:
                continue
            setattr(top, name, msgspec.UNSET)
            count = len(categories.get("members", ()))
            special = _members_decoder(name, members, len(memoryview(raw)), count)
            decode = (special or decoder(name)).decode
            skip = ("member",) if special else ()
            if special:
                known.add(name)
            records: list[Any] = []
            inside = 0
            try:
                for batch in batches(raw):
                    inside += _once(name, batch, decode, records, shared, skip)
                    read += len(batch)
                    if read > _RELEASE:
                        read = 0
                        done()
            except (msgspec.ValidationError, KeyGivenTwice):
                return None  # a wrong value, not a cut: all at once could not help
            except FAILED:  # cut inside a string or nested list: all at once
                records = []
                inside = _once(name, raw, decode, records, shared, skip)
            frame -= inside
            del raw
            categories[name] = tuple(records)
            del records
            if name == "members" and categories[name]:
                members = _one_of(tuple(map(_ID, categories[name])))
        del top
        done()
    except FAILED:
        return None
    if keys != frame or not consistent(categories, frozenset(known)):
        return None
    return Facts(team=team, **categories)


# --- a key given twice -------------------------------------------------------------------
# msgspec, like json.loads, keeps the last of a key given twice and says nothing, so a
# recorded violation could vanish behind a later "violations": []. The fast path cannot
# see the keys, so it counts them: every key of a JSON object is followed by exactly one
# colon outside strings, and the structs, encoded again, write each key they were given
# once (fields left out are UNSET, which is not written) and every string's colons as they
# were. So the input has more colons than that encoding exactly when some key came twice,
# unless a string spelled a colon as the escape \u003a, which only the encoding would
# write as ':'; such input takes the careful path, as does any other mismatch. The cost
# is one encoding of the structs and one count over the input (about an eighth of a load).

_ENCODE = msgspec.json.Encoder().encode
_CHUNK = 1 << 20


def count_colons(text: Any) -> int:
    if isinstance(text, str):
        return text.count(":")
    return (text if isinstance(text, bytes) else bytes(text)).count(b":")


def matches(text: Any, colons: int, keys: int, decode: Callable[[Any], Any]) -> bool:
    """Whether structs decoded from ``text`` (which holds ``colons``) were given no key
    twice, :func:`fill` having counted ``keys`` given. Nearly always the two counts are
    equal: a colon a key, none in a string. Else a string holds a colon or a key came
    twice; decoded again and encoded (the structs as given), they say which."""
    return colons == keys or colons == count_colons(_ENCODE(decode(text)))


def _once(
    name: str,
    text: Any,
    decode: Callable[[Any], Any],
    records: list[Any],
    shared: Shared,
    skip: tuple[str, ...],
) -> int:
    """Decode one batch of a category into ``records``; the colons it holds. Raises
    :class:`KeyGivenTwice` (one of :data:`FAILED`) if a key came twice."""
    items = decode(text)
    keys, colons = fill(CATEGORIES[name], items), count_colons(text)
    if not matches(text, colons, keys, decode):
        raise KeyGivenTwice(name)
    records += build(name, items, shared, skip)
    return colons


class KeyGivenTwice(ValueError):
    """The fast path saw a key given twice: the careful path names it."""


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
            setattr(record, field.name, local_date(value))
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


_ESCAPED = (b"\\u003a", b"\\u003A")
_OVERLAP = len(_ESCAPED[0]) - 1  # an escape cut by a chunk's end is seen in the next


def colons_in(data: Any) -> int | None:
    """The colons in ``data``, or ``None`` if it may hold an escaped one (see above).
    Read a megabyte at a time, each searched while it is in the cache."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    view = memoryview(data).cast("B")
    total = 0
    try:
        for start in range(0, len(view), _CHUNK):
            chunk = bytes(view[max(start - _OVERLAP, 0) : start + _CHUNK])
            # Most text has no backslash at all: one byte search (memchr) says so.
            if chunk.find(b"\\") >= 0 and (_ESCAPED[0] in chunk or _ESCAPED[1] in chunk):
                return None
            total += chunk.count(b":", min(start, _OVERLAP))
    finally:
        view.release()
    return total
