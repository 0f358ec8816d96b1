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

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any, NoReturn, Protocol

from msgspec import UNSET

from ._fastload import FAILED, LINE_CATEGORY, LINE_DECODER
from ._structure import shown
from .facts import CATEGORIES

__all__ = ["Sink", "lines", "read"]


class Sink(Protocol):
    """What the reader hands each line's content to (the loader's collector)."""

    def format(self, value: object, line: int | None = None) -> None: ...
    def set_team(self, value: object, line: int | None = None) -> None: ...
    def declare(self, category: str) -> Any: ...
    def record(self, category: str, value: object, line: int | None = None) -> None: ...
    def fast(self, category: str, record: object, line: int | None = None) -> None: ...
    def problem(self, path: str, message: str, line: int | None = None) -> None: ...
    def fatal(self, message: str) -> NoReturn: ...


def _decode(raw: bytes | str, number: int, sink: Sink) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = raw[exc.start]
        sink.fatal(f"not UTF-8: byte 0x{byte:02x} at line {number} column {exc.start + 1}")


def _parse(text: str, number: int, sink: Sink) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        ends = exc.pos >= len(text.rstrip())
        reason = "the line ends early (truncated?)" if ends else exc.msg
        sink.fatal(f"not valid JSON: {reason} at line {number} column {exc.colno}")
    except RecursionError:
        sink.fatal(f"not valid JSON: nested too deeply at line {number}")
    except ValueError as exc:
        sink.fatal(f"not valid JSON at line {number}: {exc}")


def _seen_once(seen: dict[str, int], key: str, number: int, sink: Sink) -> bool:
    if key in seen:
        sink.problem(key, f"given again (first on line {seen[key]})", number)
        return False
    seen[key] = number
    return True


def _dispatch(value: object, number: int, seen: dict[str, int], sink: Sink) -> None:
    if not isinstance(value, dict):
        sink.problem("", f"a line must be a JSON object, found {shown(value)}", number)
        return
    keys = set(value)
    for key in ("format", "team"):
        if key in keys:
            extra = sorted(keys - {key})
            if extra:
                sink.problem("", f"unknown field {', '.join(extra)} beside {key}", number)
            elif _seen_once(seen, key, number, sink):
                if key == "format":
                    sink.format(value[key], number)
                else:
                    sink.set_team(value[key], number)
            return
    if "category" not in keys:
        expected = "format, team, or category (with record)"
        sink.problem("", f"a line must hold {expected}, found {shown(value)}", number)
        return
    extra = sorted(keys - {"category", "record"})
    if extra:
        sink.problem("", f"unknown field {', '.join(extra)}", number)
    category = value["category"]
    if not isinstance(category, str) or category not in CATEGORIES:
        sink.problem("category", f"{shown(category)} is not a category of the facts", number)
    elif "record" in value:
        sink.record(category, value["record"], number)
    else:
        sink.declare(category)


def read(stream: IO[bytes] | IO[str] | Iterable[bytes | str], sink: Sink) -> None:
    """Read JSON Lines from ``stream`` one line at a time into ``sink``.

    A ``category`` line that is right is decoded and checked by msgspec in one step
    (:data:`selfbuild_rules._fastload.LINE_DECODER`); any other line is read the
    careful way. A line that is not UTF-8 or not JSON stops the reading with one
    problem naming its line and column; anything else wrong is collected and reading
    goes on.
    """
    seen: dict[str, int] = {}
    decode = LINE_DECODER.decode
    for number, raw in enumerate(stream, start=1):
        try:
            line = decode(raw)
        except FAILED:
            pass
        else:
            category = LINE_CATEGORY[type(line)]
            if line.record is UNSET:
                sink.declare(category)
            else:
                sink.fast(category, line.record, number)
            continue
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
