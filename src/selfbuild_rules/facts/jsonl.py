"""JSON Lines facts (``selfbuild-rules.facts/1``, one part per line), read as a stream.

Each non-blank line is one JSON object of one of these shapes::

    {"format": "selfbuild-rules.facts/1"}
    {"team": {"id": "tj-gov", "name": "天津市人民政府领导班子"}}
    {"category": "research_trips", "record": {"id": "rt-1", "member": "m01", ...}}
    {"category": "violations"}

The ``format`` and ``team`` lines appear once each (conventionally first). A record's
index in its category (``research_trips[3]``) counts that category's records in file
order. A ``category`` line without ``record`` declares the category supplied even if
no record of it follows, the way ``"violations": []`` does in a JSON document; a
category with no line at all is not supplied (unknown). Lines are read one at a time,
so memory holds the typed records, never the whole text.

>>> print("".join(lines({"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
...                      "members": [], "violations": [{"id": "vi-1"}]})), end="")
{"format": "selfbuild-rules.facts/1"}
{"team": {"id": "t", "name": "班子"}}
{"category": "members"}
{"category": "violations", "record": {"id": "vi-1"}}
"""

from __future__ import annotations

import io
import itertools
import json
import operator
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any, NoReturn, Protocol

from msgspec import UNSET

from selfbuild_rules.facts.fastload import (
    FAILED,
    LINE_CATEGORY,
    LINE_DECODER,
    fill,
    line_keys,
    matches,
)
from selfbuild_rules.facts.records import CATEGORIES
from selfbuild_rules.facts.structure import given_twice, loads, shown
from selfbuild_rules.internal.i18n import N_

__all__ = ["Sink", "lines", "read"]


class Sink(Protocol):
    """What the reader hands each line's content to (the loader's collector)."""

    def format(self, value: object, line: int | None = None) -> None: ...
    def set_team(self, value: object, line: int | None = None) -> None: ...
    def declare(self, category: str) -> Any: ...
    def record(self, category: str, value: object, line: int | None = None) -> None: ...
    def fast(self, category: str, record: object, line: int | None = None) -> None: ...
    def fast_many(self, category: str, records: list[Any], lines: Iterable[int]) -> None: ...
    def problem(self, path: str, message: str, line: int | None = None) -> None: ...
    def fatal(self, message: str) -> NoReturn: ...


def _decode(raw: bytes | str, number: int, sink: Sink) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = raw[exc.start]
        where = N_("line {line} column {column}").format(line=number, column=exc.start + 1)
        sink.fatal(
            N_("not UTF-8: byte {byte} at {position}").format(byte=f"0x{byte:02x}", position=where)
        )


def _parse(text: str, number: int, sink: Sink) -> object:
    try:
        value, twice = loads(text)
    except json.JSONDecodeError as exc:
        ends = exc.pos >= len(text.rstrip())
        reason = (
            N_("the {what} ends early (truncated?)").format(what=N_("line")) if ends else exc.msg
        )
        told = N_("not valid JSON: {reason} at line {line} column {column}")
        sink.fatal(told.format(reason=reason, line=number, column=exc.colno))
    except RecursionError:
        sink.fatal(N_("not valid JSON: nested too deeply at line {line}").format(line=number))
    except ValueError as exc:
        sink.fatal(N_("not valid JSON at line {line}: {reason}").format(line=number, reason=exc))
    for path in given_twice(value) if twice else ():
        sink.problem(path, N_("key given twice"), number)
    return value


def _colons(text: bytes | str) -> int:
    return text.count(":") if isinstance(text, str) else text.count(b":")


def _seen_once(seen: dict[str, int], key: str, number: int, sink: Sink) -> bool:
    if key in seen:
        sink.problem(key, N_("given again (first on line {line})").format(line=seen[key]), number)
        return False
    seen[key] = number
    return True


def _dispatch(value: object, number: int, seen: dict[str, int], sink: Sink) -> None:
    if not isinstance(value, dict):
        told = N_("a line must be a JSON object, found {value}")
        sink.problem("", told.format(value=shown(value)), number)
        return
    keys = set(value)
    for key in ("format", "team"):
        if key in keys:
            extra = sorted(keys - {key})
            if extra:
                told = N_("unknown field {fields} beside {key}")
                sink.problem("", told.format(fields=", ".join(extra), key=key), number)
            elif _seen_once(seen, key, number, sink):
                if key == "format":
                    sink.format(value[key], number)
                else:
                    sink.set_team(value[key], number)
            return
    if "category" not in keys:
        told = N_("a line must hold format, team, or category (with record), found {value}")
        sink.problem("", told.format(value=shown(value)), number)
        return
    extra = sorted(keys - {"category", "record"})
    if extra:
        sink.problem("", N_("unknown field {fields}").format(fields=", ".join(extra)), number)
    category = value["category"]
    if not isinstance(category, str) or category not in CATEGORIES:
        told = N_("{value} is not a category of the facts").format(value=shown(category))
        sink.problem("category", told, number)
    elif "record" in value:
        sink.record(category, value["record"], number)
    else:
        sink.declare(category)


_BLOCK = 1 << 18  # characters read at once: some 1,800 lines
_RECORD = operator.attrgetter("record")
# Per kind of text: a line break, a carriage return, a plain line's first and last
# characters, and the joins between two plain lines (LF and CRLF).
_MARKS: dict[type, tuple[Any, ...]] = {
    str: ("\n", "\r", "{", "}", "}\n{", "}\r\n{"),
    bytes: (b"\n", b"\r", b"{", b"}", b"}\n{", b"}\r\n{"),
}


def read(stream: IO[bytes] | IO[str] | Iterable[bytes | str], sink: Sink) -> None:
    """Read JSON Lines from ``stream`` into ``sink``, a block of lines at a time.

    A block whose lines are all right ``category`` lines is decoded and checked by
    msgspec in one call (:data:`selfbuild_rules.facts.fastload.LINE_DECODER`); any other
    block is read line by line, each line the fast way if it can be and else the
    careful way. A line that is not UTF-8 or not JSON stops the reading with one
    problem naming its line and column; anything else wrong is collected and reading
    goes on.
    """
    seen: dict[str, int] = {}
    if not hasattr(stream, "read"):  # an iterable of lines: each item is one line
        for number, raw in enumerate(stream, start=1):
            _line(raw, number, seen, sink)
        return
    number = 1
    for whole in _blocks(stream):
        marks = _MARKS.get(type(whole))
        head, block = _head(whole, marks) if number == 1 else ((), whole)
        for line in head:  # the format and team lines a file begins with
            _line(line, number, seen, sink)
            number += 1
        count = 0 if marks is None else block.count(marks[0]) + (block[-1:] != marks[0])
        if marks is None or not _fast(block, count, marks, number, sink):
            lines: Iterable[Any] = (
                io.StringIO(block) if isinstance(block, str) else io.BytesIO(block)
            )
            count = 0
            for count, line in enumerate(lines, start=1):
                _line(line, number + count - 1, seen, sink)
        number += count


#: How a ``category`` line begins, by kind of text: a file's first lines that begin
#: otherwise (its format and team) are read one by one, so that the rest of its first
#: block can still be taken whole. Only a choice of path: either reads a line the same.
_CATEGORY_LINE: dict[type, Any] = {str: '{"category"', bytes: b'{"category"'}
_HEAD_MAX = 4


def _head(block: Any, marks: tuple[Any, ...] | None) -> tuple[list[Any], Any]:
    """The first lines of a file's first block that are not ``category`` lines (at most
    a few), and the rest of the block.

    >>> _head(b'{"format": "f"}\\n{"team": {}}\\n{"category": "members"}\\n', _MARKS[bytes])
    ([b'{"format": "f"}\\n', b'{"team": {}}\\n'], b'{"category": "members"}\\n')
    """
    if marks is None:
        return [], block
    newline, start = marks[0], _CATEGORY_LINE[str if isinstance(block, str) else bytes]
    head: list[Any] = []
    while len(head) < _HEAD_MAX and block and not block.startswith(start):
        cut = block.find(newline) + 1
        if not cut:
            break  # a last line without its line break: the block stays as it is
        head.append(block[:cut])
        block = block[cut:]
    return head, block


def _blocks(stream: Any) -> Iterator[Any]:
    """Whole lines, many at a time."""
    rest: list[Any] = []
    read: Any = stream.read  # bytes or text alike
    while chunk := read(_BLOCK):
        cut = chunk.rfind(b"\n" if isinstance(chunk, bytes) else "\n") + 1
        if not cut:
            rest.append(chunk)
            continue
        yield chunk[:0].join((*rest, chunk[:cut]))
        rest = [chunk[cut:]]
    if rest and any(rest):
        yield rest[0][:0].join(rest)


def _fast(block: Any, count: int, marks: tuple[Any, ...], first: int, sink: Sink) -> bool:
    """Take a block of ``count`` lines in one msgspec call if every line is a right
    ``category`` line; else take nothing and return ``False``.

    ``decode_lines`` reads values separated by any whitespace, not one per line, so the
    block must first have each line begin with ``{`` and end with ``}`` (counted as the
    joins ``}\\n{``): a value going on past a line's closing ``}`` would continue with
    the next line's ``{``, which JSON never allows, so no value spans lines and
    ``count`` values are one per line.
    """
    newline, cr, opening, closing, join, join_crlf = marks
    if block[:1] != opening or block.count(join_crlf if cr in block else join) != count - 1:
        return False
    if not block[-3:].rstrip(newline).rstrip(cr).endswith(closing):
        return False
    try:
        items = LINE_DECODER.decode_lines(block)
    except FAILED:
        return False
    if len(items) != count:
        return False
    parts = _parts(items, first)
    try:  # filling reads dates and datetimes; one it refuses is named line by line
        keys = len(items)
        keys += sum(len(records) + fill(CATEGORIES[c], records) for c, records, _ in parts)
    except FAILED:
        return False
    if not matches(block, _colons(block), keys, LINE_DECODER.decode_lines):
        return False  # a key given twice: line by line, the careful way names it
    for category, records, lines in parts:
        sink.declare(category)
        if records:
            sink.fast_many(category, records, lines)
    return True


def _parts(items: list[Any], first: int) -> list[tuple[str, list[Any], Iterable[int]]]:
    """Decoded ``category`` lines by category: the records and their line numbers."""
    kinds = list(map(type, items))
    numbers: Iterable[int] = range(first, first + len(items))
    parts: list[tuple[str, list[Any], Iterable[int]]] = []
    for kind in dict.fromkeys(kinds):
        category = LINE_CATEGORY[kind]
        chosen, lines = items, numbers
        if len(kinds) != kinds.count(kind):
            mask = list(map(operator.is_, kinds, itertools.repeat(kind)))
            chosen, lines = list(itertools.compress(items, mask)), itertools.compress(numbers, mask)
        records = list(map(_RECORD, chosen))
        if any(map(operator.is_, records, itertools.repeat(UNSET))):  # declarations
            given = list(map(operator.is_not, records, itertools.repeat(UNSET)))
            records = list(itertools.compress(records, given))
            lines = itertools.compress(lines, given)
        parts.append((category, records, lines))
    return parts


def _line(raw: bytes | str, number: int, seen: dict[str, int], sink: Sink) -> None:
    """One line: msgspec's way if it is a right ``category`` line, else the careful way."""
    try:
        line = LINE_DECODER.decode(raw)
        colons = _colons(raw)
        if not matches(raw, colons, line_keys(line), LINE_DECODER.decode):
            raise ValueError("a key given twice")  # the careful way names it
    except FAILED:
        pass
    else:
        category = LINE_CATEGORY[type(line)]
        if line.record is UNSET:
            sink.declare(category)
        else:
            sink.fast(category, line.record, number)
        return
    text = _decode(raw, number, sink)
    if number == 1:
        text = text.removeprefix("\ufeff")
    if text.strip():
        _dispatch(_parse(text, number, sink), number, seen, sink)


def lines(document: Mapping[str, Any]) -> Iterator[str]:
    """A facts document (as :func:`~selfbuild_rules.dump_facts` gives it) as JSON Lines."""

    def line(value: object) -> str:
        return json.dumps(value, ensure_ascii=False) + "\n"

    yield line({"format": document["format"]})
    yield line({"team": document["team"]})
    for category in CATEGORIES:
        records = document.get(category)
        if records is None:
            continue
        if not records:
            yield line({"category": category})
        for record in records:
            yield line({"category": category, "record": record})
