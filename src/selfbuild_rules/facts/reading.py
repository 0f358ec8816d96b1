"""Reading a JSON document's text into the collector: the fast way if it can be, else
a batch at a time, else whole, the careful way (see :mod:`.fastload`, :mod:`.streaming`).

A file is mapped in memory where it can be, its pages let go as they are read;
:func:`parse_json` turns text into a JSON value with one clear problem if it is not JSON.

>>> parse_json(b'{"a": [1, 2]}')
{'a': [1, 2]}
>>> parse_json(b'{"a": [1, 2')
Traceback (most recent call last):
...
selfbuild_rules.facts.problems.FactsError: 1 problem in the facts:
not valid JSON: the file ends early (truncated?) at line 1 column 12
"""

from __future__ import annotations

import contextlib
import functools
import json
import mmap
import os
from collections.abc import Callable
from typing import IO, Any

from selfbuild_rules.facts import checks as _checks
from selfbuild_rules.facts import fastload as _fastload
from selfbuild_rules.facts import jsonl as _jsonl
from selfbuild_rules.facts import streaming
from selfbuild_rules.facts.collector import Collector, collect
from selfbuild_rules.facts.digest import Digest, hashed_aside, read_through
from selfbuild_rules.facts.problems import FactsError, Problem
from selfbuild_rules.facts.records import CATEGORIES, Facts
from selfbuild_rules.facts.structure import given_twice, loads
from selfbuild_rules.internal.i18n import N_

__all__ = ["parse_json", "read"]


def _position(raw: bytes, offset: int) -> str:
    line = raw.count(b"\n", 0, offset) + 1
    column = offset - raw.rfind(b"\n", 0, offset)
    return N_("line {line} column {column}").format(line=line, column=column)


def parse_json(raw: str | bytes, what: str = N_("file"), sink: Collector | None = None) -> object:
    """A JSON value from text or UTF-8 bytes; one clear :class:`Problem` if it is not JSON.

    A key given twice is a problem too, named by its path: told to ``sink`` if given
    (reading goes on, to find the other problems), else raised."""
    text = raw
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            told = N_("not UTF-8: byte {byte} at {position}")
            message = told.format(
                byte=f"0x{raw[exc.start]:02x}", position=_position(raw, exc.start)
            )
            raise FactsError([Problem("", message)]) from None
    assert isinstance(text, str)
    try:
        value, twice = loads(text)
    except json.JSONDecodeError as exc:
        ends = exc.pos >= len(text.rstrip())
        reason = N_("the {what} ends early (truncated?)").format(what=what) if ends else exc.msg
        told = N_("not valid JSON: {reason} at line {line} column {column}")
        message = told.format(reason=reason, line=exc.lineno, column=exc.colno)
        raise FactsError([Problem("", message)]) from None
    except RecursionError:
        raise FactsError([Problem("", N_("not valid JSON: nested too deeply"))]) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        told = N_("not valid JSON: {reason}").format(reason=exc)
        raise FactsError([Problem("", told)]) from None
    if twice:
        problems = [Problem(path, N_("key given twice")) for path in given_twice(value)]
        if sink is None:
            raise FactsError(problems)
        sink.problems += problems
    return value


def _whole(
    raw: str | bytes, sink: Collector, tried: bool = False, facts: Facts | None = None
) -> Facts:
    """A JSON document: the ``facts`` msgspec's fast path gave, or its try now (unless
    ``tried`` already), or else the careful path."""
    if facts is None and not tried:
        facts = _fitting(_fastload.document(raw), sink)
        if facts is None:
            facts = _streamed(raw, sink)
    if facts is None:
        collect(parse_json(raw, sink=sink), sink)
        return sink.finish()
    if sink.progress is not None:
        sink.progress(sum(len(getattr(facts, c) or ()) for c in CATEGORIES))
    return facts


def _fitting(facts: Facts | None, sink: Collector) -> Facts | None:
    """The fast path's facts if their assessments fit the regulation too; else ``None``,
    so that the careful path says what is wrong."""
    if facts is None or not facts.assessments:
        return facts
    records = {"members": facts.members, "assessments": facts.assessments}
    return facts if _checks.assessments_fit(records, sink.judgments) else None


def _streamed(
    data: Any, sink: Collector, release: Callable[[], None] | None = None
) -> Facts | None:
    """The careful path a batch at a time (:func:`.streaming.stream`), into a collector of
    its own: ``None`` if the document must be read whole instead (into ``sink``).
    Raises :class:`FactsError` naming every problem, like the whole-document path."""
    inner = Collector(sink.progress, sink.judgments)
    inner.shared = sink.shared
    if not streaming.stream(data, inner, release):
        return None
    return inner.finish()


def _mapped(
    stream: IO[bytes], sink: Collector, digest: Digest | None = None
) -> tuple[bool, Facts | None]:
    """Whether the file maps in memory, and the facts read from it: the fast way, else the
    careful way a batch at a time. The pages read are let go as it goes (the system
    keeps them cached), so the text never all stays."""
    try:
        mapped = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # empty, or not a file that maps: read it instead
        return False, None
    advice = getattr(mmap, "MADV_DONTNEED", None)
    release = None if advice is None else functools.partial(mapped.madvise, advice)
    try:
        # A page the reading lets go of before it is hashed is read again from the cache.
        with hashed_aside(digest, mapped):
            facts = _fitting(_fastload.document(mapped, release), sink)
            return True, facts if facts is not None else _streamed(mapped, sink, release)
    finally:
        with contextlib.suppress(BufferError):  # a view still held: closed when collected
            mapped.close()


def read(
    source: str | os.PathLike[str] | IO[str] | IO[bytes],
    lines: bool,
    sink: Collector,
    digest: Digest | None = None,
) -> Facts:
    if not isinstance(source, (str, os.PathLike)):
        if lines:
            _jsonl.read(read_through(source, digest), sink)
            return sink.finish()
        whole = source.read()
        if digest is not None:
            digest.update(whole)
        return _whole(whole, sink)
    raw: bytes | None = None
    tried, facts = False, None
    try:
        with open(source, "rb") as stream:
            if lines:
                _jsonl.read(read_through(stream, digest), sink)
            else:
                tried, facts = _mapped(stream, sink, digest)
                raw = None if facts else stream.read()
                if digest is not None and not tried:  # a mapped file is hashed already
                    digest.update(raw or b"")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        told = N_("cannot read {source}: {reason}").format(
            source=os.fsdecode(source), reason=reason
        )
        raise FactsError([Problem("", told)]) from None
    except ValueError as exc:
        if isinstance(exc, FactsError):
            raise
        raise FactsError([Problem("", f"cannot read {source!r}: {exc}")]) from None
    return sink.finish() if lines else _whole(raw or b"", sink, tried, facts)
