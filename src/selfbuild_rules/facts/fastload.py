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

This module reads: the document cut into batches, each decoded, its keys counted. The
structs and decoders come from :mod:`.faststructs`, the records made of them from
:mod:`.fastrecords`; their names are importable from here too.

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

import operator
import re
from collections.abc import Callable, Iterator
from typing import Any

import msgspec

from selfbuild_rules.facts.consistency import consistent
from selfbuild_rules.facts.fastrecords import Shared, build, fill, line_keys
from selfbuild_rules.facts.faststructs import (
    FAILED,
    LINE_CATEGORY,
    LINE_DECODER,
    TOP_DECODER,
    decoder,
    members_decoder,
    one_of,
)
from selfbuild_rules.facts.records import CATEGORIES, FORMAT, Facts, Team

__all__ = [
    "FAILED",
    "LINE_CATEGORY",
    "LINE_DECODER",
    "KeyGivenTwice",
    "Pages",
    "Part",
    "Shared",
    "batches",
    "build",
    "categories_of",
    "category",
    "colons_in",
    "count_colons",
    "decoder",
    "document",
    "fill",
    "line_keys",
    "matches",
    "top_of",
]

_ID = operator.attrgetter("id")
_MEMBER = operator.attrgetter("member")


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
    read = categories_of(data, release or (lambda: None))
    if read is None:
        return None
    team, categories, _left = read
    return Facts(team=team, **categories)


def categories_of(
    data: Any, done: Callable[[], None], leave: frozenset[str] = frozenset()
) -> tuple[Team, dict[str, Any], dict[str, Any]] | None:
    """A JSON document's team and its categories' records, checked (``done`` is called
    now and then to let go of the pages read so far); the categories named in ``leave``
    are left as their raw JSON, their keys and records for others to check (see
    :mod:`.parts`). ``None`` if anything needs the careful path."""
    step = Pages(done)
    opened = top_of(data)  # before decoding: the pages are read once, then let go
    if opened is None:
        return None
    top, team, keys, frame = opened
    done()
    left: dict[str, Any] = {}
    try:
        shared = Shared()
        categories: dict[str, Any] = {}
        members: Any = None
        known: set[str] = set()  # categories whose member references msgspec checked
        for name in CATEGORIES:  # members first: their ids are the ones shared
            raw = getattr(top, name)
            if raw is msgspec.UNSET:
                continue
            setattr(top, name, msgspec.UNSET)
            if name in leave:  # its colons are counted by whoever reads it
                left[name] = raw
                frame -= count_colons(raw)
                continue
            count = len(categories.get("members", ()))
            found = category(name, raw, members, count, shared, step)
            if found is None:
                return None
            records, inside, checked = found
            if checked:
                known.add(name)
            frame -= inside
            del raw
            categories[name] = tuple(records)
            del records
            if name == "members" and categories[name]:
                members = one_of(tuple(map(_ID, categories[name])))
        del top
        done()
    except FAILED:
        return None
    if keys != frame or not consistent(categories, frozenset(known)):
        return None
    return team, categories, left


def top_of(data: Any) -> tuple[Any, Team, int, int] | None:
    """A document's top level, its categories left as raw JSON: the top, the team, the
    keys of the top and the team, and the colons of the whole text (``None`` when the
    fast path cannot take the document)."""
    colons = colons_in(data)
    if colons is None:
        return None
    try:
        top: Any = TOP_DECODER.decode(data)
        if top.format != FORMAT:
            return None
        given = sum(getattr(top, n) is not msgspec.UNSET for n in top.__struct_fields__)
        keys = given + count_colons(_ENCODE((top.format, top.team)))
        fill(Team, [top.team])
        team = msgspec.convert(top.team, Team, from_attributes=True)
    except FAILED:
        return None
    return top, team, keys, colons


class Pages:
    """Called with the size of each piece of a text read, calls ``release`` every few
    megabytes, to let go of the pages read so far: memory then holds the records made,
    not the document."""

    __slots__ = ("read", "release")

    def __init__(self, release: Callable[[], None]) -> None:
        self.read, self.release = 0, release

    def __call__(self, size: int) -> None:
        self.read += size
        if self.read > _RELEASE:
            self.read = 0
            self.release()


class Part:
    """What one reader of several takes of a category (see :mod:`.parts`): the records of
    the members ``own`` (by id, among ``members``), and the keys of every ``of``-th batch
    from ``share`` on; every record's id is kept in ``ids``, to be checked unique across
    all readers."""

    __slots__ = ("ids", "members", "of", "own", "share")

    def __init__(self, own: frozenset[str], members: frozenset[str], share: int, of: int) -> None:
        self.own, self.members, self.share, self.of = own, members, share, of
        self.ids: list[str] = []

    def mine(self, items: list[Any]) -> list[Any]:
        """The records of ``items`` this reader owns (every id kept). A record of no
        member is no one's: every reader refuses it (``ValidationError``)."""
        self.ids += map(_ID, items)
        if not self.members.issuperset(map(_MEMBER, items)):
            raise msgspec.ValidationError("a record names no member")
        own = self.own
        return [item for item in items if item.member in own]


def category(
    name: str,
    raw: Any,
    members: Any,
    count: int,
    shared: Shared,
    step: Callable[[int], None] = lambda _size: None,
    part: Part | None = None,
) -> tuple[list[Any], int, bool] | None:
    """One category's records from its raw JSON, a batch at a time: the records (only
    those ``part`` owns, if given), the colons of the batches whose keys were counted,
    and whether msgspec checked the member references (``members``: a ``Literal`` of
    the ``count`` members' ids). ``None`` for a wrong value; raises one of
    :data:`FAILED` for text the fast path cannot take."""
    special = members_decoder(name, members, len(memoryview(raw)), count)
    decode = (special or decoder(name)).decode
    skip = ("member",) if special else ()
    records: list[Any] = []
    inside = 0
    try:
        for number, batch in enumerate(batches(raw)):
            inside += _once(name, batch, decode, records, shared, skip, part, number)
            step(len(batch))
    except (msgspec.ValidationError, KeyGivenTwice):
        return None  # a wrong value, not a cut: all at once could not help
    except FAILED:  # cut inside a string or nested list: all at once
        records = []
        if part is not None:
            part.ids = []
        inside = _once(name, raw, decode, records, shared, skip, part, 0)
    return records, inside, special is not None


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
    part: Part | None = None,
    number: int = 0,
) -> int:
    """Decode batch ``number`` of a category into ``records`` (those ``part`` owns); the
    colons it holds if its keys were counted here, else 0. Raises :class:`KeyGivenTwice`
    (one of :data:`FAILED`) if a key came twice."""
    items = decode(text)
    cls = CATEGORIES[name]
    mine = items if part is None else part.mine(items)
    if part is not None and number % part.of != part.share:
        fill(cls, mine)  # another reader counts this batch's keys
        records += build(name, mine, shared, skip)
        return 0
    keys, colons = fill(cls, items), count_colons(text)
    if not matches(text, colons, keys, decode):
        raise KeyGivenTwice(name)
    records += build(name, mine, shared, skip)
    return colons


class KeyGivenTwice(ValueError):
    """The fast path saw a key given twice: the careful path names it."""


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
