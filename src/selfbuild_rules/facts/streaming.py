"""The careful path a batch at a time, for a valid-looking file with one bad value.

Such a file used to be parsed whole by ``json.loads``: every record as a dict, several
times the memory of the records themselves. Instead each batch is tried the fast way
again (:mod:`.fastload`), and only one that fails is parsed by ``json.loads`` and handed
to the sink record by record, to be structured and named the careful way. The sink (the
loader's collector) then runs every cross-record check.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import msgspec

from selfbuild_rules.facts.fastload import (
    FAILED,
    KeyGivenTwice,
    batches,
    colons_in,
    count_colons,
    decoder,
    fill,
    matches,
)
from selfbuild_rules.facts.records import CATEGORIES
from selfbuild_rules.facts.structure import given_twice
from selfbuild_rules.facts.structure import loads as _json_loads

__all__ = ["stream"]

_ANY_TOP = msgspec.json.Decoder(dict[str, msgspec.Raw])


def _loads(raw: bytes) -> tuple[Any, bool]:
    return _json_loads(raw.decode("utf-8"))


def stream(data: Any, sink: Any, release: Callable[[], None] | None = None) -> bool:
    """Hand the JSON document ``data`` to ``sink`` a batch at a time; ``False`` (and the
    sink must be thrown away) where that cannot be done soundly: the top level is not an
    object of known shape, a top-level key came twice, or a batch is not JSON by itself.
    Then the whole document takes the careful path."""
    done = release or (lambda: None)
    colons = colons_in(data)
    if colons is None:
        return False
    try:
        top = _ANY_TOP.decode(data)
    except FAILED:
        return False
    done()
    frame = colons - sum(map(count_colons, top.values()))
    if frame != len(top):  # a top-level key given twice, or a colon escaped in a key
        return False
    parsed: dict[str, Any] = {}
    for key, raw in top.items():
        if key in CATEGORIES:
            continue
        try:
            value, twice = _loads(bytes(raw))
        except (ValueError, RecursionError):
            return False
        if twice:
            return False
        parsed[key] = value
    sink.top(parsed)  # the top level's own checks: format, team, unknown fields
    for name in CATEGORIES:
        if name not in top:
            continue
        raw = top.pop(name)
        if bytes(memoryview(raw)[:1]) != b"[":
            sink.not_a_list(name)
            continue
        sink.declare(name)
        for batch in batches(raw):
            if not _batch(name, batch, sink):
                return False
            done()
    return True


def _batch(name: str, text: Any, sink: Any) -> bool:
    """One batch of a category into ``sink``: the fast way if it can be, else record by
    record the careful way; ``False`` if it is not JSON by itself."""
    decode = decoder(name).decode
    try:
        items = decode(text)
        keys = fill(CATEGORIES[name], items)
        if not matches(text, count_colons(text), keys, decode):
            raise KeyGivenTwice(name)
    except FAILED:
        pass
    else:
        sink.fast_many(name, items, itertools.repeat(0, len(items)))
        return True
    try:
        records, twice = _loads(bytes(text))
    except (ValueError, RecursionError):
        return False  # cut inside a string: the whole document, the careful way
    if not isinstance(records, list):
        return False
    first = len(sink.declare(name).lines)
    for index, record in enumerate(records):
        if twice:
            for path in given_twice(record, f"{name}[{first + index}]"):
                sink.problem(path, "key given twice")
        sink.record(name, record)
    return True
