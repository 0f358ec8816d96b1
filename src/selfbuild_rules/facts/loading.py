"""Loading facts: strict structuring with every problem reported at once.

Facts come as one JSON document or as JSON Lines (one record per line, read as a
stream; see :mod:`selfbuild_rules.facts.jsonl`). Either way every problem is collected,
named by its JSON path (and, for JSON Lines, its line), and raised together.

>>> facts = load_facts({"format": "selfbuild-rules.facts/1",
...                     "team": {"id": "t", "name": "班子"}, "members": []})
>>> facts.research_trips is None
True
>>> load_facts({"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
...             "members": [], "research_trips": [{"id": "rt-1"}]})
Traceback (most recent call last):
...
selfbuild_rules.facts.loading.FactsError: 3 problems in the facts:
research_trips[0].member: required field missing
research_trips[0].start: required field missing
research_trips[0].end: required field missing
"""

from __future__ import annotations

import array
import contextlib
import functools
import json
import mmap
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO, Any, NoReturn

import attrs

from selfbuild_rules.facts import checks as _checks
from selfbuild_rules.facts import fastload as _fastload
from selfbuild_rules.facts import jsonl as _jsonl
from selfbuild_rules.facts import streaming
from selfbuild_rules.facts.consistency import consistent
from selfbuild_rules.facts.digest import Digest, read_through
from selfbuild_rules.facts.records import CATEGORIES, FORMAT, Facts, Team
from selfbuild_rules.facts.structure import (
    build,
    given_twice,
    loads,
    shown,
    structure,
    unstructure,
)
from selfbuild_rules.internal import memory as _gc
from selfbuild_rules.internal.i18n import N_
from selfbuild_rules.internal.text import printable

__all__ = ["FactsError", "Problem", "dump_facts", "dump_facts_lines", "load_facts"]

Source = str | os.PathLike[str] | IO[str] | IO[bytes] | Mapping[str, Any]
Progress = Callable[[int], None]

#: File name endings read as JSON Lines when ``lines`` is not given.
LINES_SUFFIXES = (".jsonl", ".ndjson")
#: ... and as Excel workbooks.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_EVERY = 1000  # records between two progress calls
_BATCH = 4096  # fast records converted at once: few structs wait, still in the cache


@attrs.frozen
class Problem:
    """One thing wrong with the input: where (a JSON path, and a line for JSON Lines) and why.

    >>> str(Problem("research_trips[3].end", "2018-02-30 is not a date", line=12))
    'line 12: research_trips[3].end: 2018-02-30 is not a date'
    """

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        # Escaped: a path can hold any key of the input, a message a quoted value, and a
        # newline or escape sequence in either must not forge or hide a line.
        text = f"{self.path}: {self.message}" if self.path else self.message
        return printable(text if self.line is None else f"line {self.line}: {text}")


class FactsError(ValueError):
    """The facts could not be loaded; :attr:`problems` lists every reason.

    >>> import selfbuild_rules as sr
    >>> try:
    ...     sr.load_facts({"format": "selfbuild-rules.facts/1", "members": [],
    ...                    "team": {"id": "t", "name": "班子"},
    ...                    "violations": [{"id": "v", "member": "m9", "date": "2018-02-30",
    ...                                    "kind": "other"}]})
    ... except sr.FactsError as exc:
    ...     for problem in exc.problems:
    ...         print(problem)
    violations[0].date: 2018-02-30 is not a date
    """

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = "1 problem" if count == 1 else f"{count} problems"
        super().__init__(f"{head} in the facts:\n" + "\n".join(map(str, self.problems)))


class _Category:
    """One category's records as read: typed (``None`` where structuring failed), lines
    (0: none), ids that failed records still claim, fast structs not yet converted."""

    __slots__ = ("claims", "lines", "pending", "records")

    def __init__(self) -> None:
        self.records: list[Any] = []
        self.lines = array.array("q")  # 8 bytes a record, where a list of ints takes 40
        self.claims: dict[int, str | None] = {}
        self.pending: list[Any] = []


class _Collector:
    """Receives the parts of a facts document in any order and builds :class:`Facts`."""

    def __init__(self, progress: Progress | None, judgments: _checks.Judgments | None) -> None:
        self.judgments = judgments
        self.problems: list[Problem] = []
        self.format_seen = False
        self.team: Team | None = None
        self.team_seen = False
        self.categories: dict[str, _Category] = {}
        self.unreadable: set[str] = set()
        self.progress = progress
        self.count = 0
        self.shared = _fastload.Shared()

    def problem(self, path: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(path, message, line))

    def format(self, value: object, line: int | None = None) -> None:
        self.format_seen = True
        if value != FORMAT:
            told = N_("expected {format}, found {value}")
            self.problem("format", told.format(format=FORMAT, value=shown(value)), line)

    def set_team(self, value: object, line: int | None = None) -> None:
        self.team_seen = True
        self.team = self._structure(value, Team, "team", line)

    def declare(self, category: str) -> _Category:
        """Mark a category as supplied (complete, even if no record follows)."""
        found = self.categories.get(category)
        if found is None:
            found = self.categories[category] = _Category()
        return found

    def fatal(self, message: str) -> NoReturn:
        """Stop reading: the file as a whole is broken (encoding, syntax)."""
        raise FactsError([Problem("", message)])

    def top(self, document: Mapping[str, Any]) -> None:
        """The top level of a document, its categories left aside (they come apart)."""
        _document(document, self)

    def not_a_list(self, category: str) -> None:
        self.unreadable.add(category)
        self.problem(category, N_("must be a list"))

    def record(self, category: str, value: object, line: int | None = None) -> None:
        """Structure one record the careful way (cattrs), collecting its problems."""
        records = self._flush(category)
        index = len(records.records)
        cls = CATEGORIES[category]
        record = build(value, cls)
        if record is None:
            record = self._structure(value, cls, f"{category}[{index}]", line)
        if record is None:
            raw_id = value.get("id") if isinstance(value, dict) else None
            records.claims[index] = raw_id if isinstance(raw_id, str) else None
        records.records.append(record)
        self._add(records, (line or 0,))

    def fast(self, category: str, record: object, line: int | None = None) -> None:
        """Take a record msgspec has already checked (see :mod:`._fastload`)."""
        self.fast_many(category, [record], (line or 0,))

    def fast_many(self, category: str, records: list[Any], lines: Iterable[int]) -> None:
        """Take records msgspec has already checked, converted a batch at a time."""
        read = self.declare(category)
        read.pending += records
        self._add(read, lines)
        if len(read.pending) >= _BATCH:
            self._flush(category)

    def _flush(self, category: str) -> _Category:  # the pending structs come last
        read = self.declare(category)
        if read.pending:
            read.records += _fastload.build(category, read.pending, self.shared)
            read.pending = []
        return read

    def _add(self, records: _Category, lines: Iterable[int]) -> None:
        before = len(records.lines)
        records.lines.extend(lines)
        count, self.count = self.count, self.count + len(records.lines) - before
        if self.progress is not None:
            for done in range(count // _EVERY + 1, self.count // _EVERY + 1):
                self.progress(done * _EVERY)

    def _structure(self, value: object, cls: type, path: str, line: int | None) -> Any:
        record, problems = structure(value, cls, path)
        self.problems.extend(Problem(where, message, line) for where, message in problems)
        return record

    def fits(self, categories: Mapping[str, tuple[Any, ...]]) -> bool:
        """Whether records pass every cross-record check (the fast, all-or-nothing way)."""
        return consistent(categories) and _checks.assessments_fit(categories, self.judgments)

    def _entries(self, category: str) -> list[_checks.Entry]:
        read = self.categories[category]
        return [
            _checks.Entry(category, i, line or None, read.claims[i], None)
            if record is None
            else _checks.Entry(category, i, line or None, record.id, record)
            for i, (record, line) in enumerate(zip(read.records, read.lines, strict=True))
        ]

    def finish(self) -> Facts:
        if not self.format_seen:
            self.problem("format", N_("expected {format}, found nothing").format(format=FORMAT))
        if not self.team_seen:
            self.problem("team", N_("required field missing"))
        if "members" not in self.categories and "members" not in self.unreadable:
            self.problem("members", N_("required field missing"))
        if self.progress is not None:
            self.progress(self.count)
        categories: dict[str, Any] = {}
        for category in self.categories:
            self._flush(category)
        if not self.problems:
            categories = {c: tuple(read.records) for c, read in self.categories.items()}
        if self.problems or not self.fits(categories):
            readable = {c: self._entries(c) for c in self.categories if c not in self.unreadable}
            unreadable = frozenset(self.unreadable)
            for path, line, message in _checks.check(readable, unreadable, self.judgments):
                self.problem(path, message, line)
        if self.problems:
            raise FactsError(sorted(self.problems, key=lambda p: p.line or 0))
        assert self.team is not None
        return Facts(team=self.team, **categories)


def _document(document: object, sink: _Collector) -> None:
    if not isinstance(document, Mapping):
        told = N_("the facts must be a JSON object, found {value}").format(value=shown(document))
        raise FactsError([Problem("", told)])
    for key in sorted(set(document) - {"format", "team", *CATEGORIES}, key=str):
        sink.problem(str(key), N_("unknown field"))
    if "format" in document:
        sink.format(document["format"])
    if "team" in document:
        sink.set_team(document["team"])
    for category in CATEGORIES:
        if category not in document:
            continue
        records = document[category]
        if not isinstance(records, list):
            sink.not_a_list(category)
            continue
        sink.declare(category)
        for record in records:
            sink.record(category, record)


def _position(raw: bytes, offset: int) -> str:
    line = raw.count(b"\n", 0, offset) + 1
    column = offset - raw.rfind(b"\n", 0, offset)
    return N_("line {line} column {column}").format(line=line, column=column)


def parse_json(raw: str | bytes, what: str = N_("file"), sink: _Collector | None = None) -> object:
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
    raw: str | bytes, sink: _Collector, tried: bool = False, facts: Facts | None = None
) -> Facts:
    """A JSON document: the ``facts`` msgspec's fast path gave, or its try now (unless
    ``tried`` already), or else the careful path."""
    if facts is None and not tried:
        facts = _fitting(_fastload.document(raw), sink)
        if facts is None:
            facts = _streamed(raw, sink)
    if facts is None:
        _document(parse_json(raw, sink=sink), sink)
        return sink.finish()
    if sink.progress is not None:
        sink.progress(sum(len(getattr(facts, c) or ()) for c in CATEGORIES))
    return facts


def _fitting(facts: Facts | None, sink: _Collector) -> Facts | None:
    """The fast path's facts if their assessments fit the regulation too; else ``None``,
    so that the careful path says what is wrong."""
    if facts is None or not facts.assessments:
        return facts
    records = {"members": facts.members, "assessments": facts.assessments}
    return facts if _checks.assessments_fit(records, sink.judgments) else None


def _streamed(
    data: Any, sink: _Collector, release: Callable[[], None] | None = None
) -> Facts | None:
    """The careful path a batch at a time (:func:`.fastload.stream`), into a collector of
    its own: ``None`` if the document must be read whole instead (into ``sink``).
    Raises :class:`FactsError` naming every problem, like the whole-document path."""
    inner = _Collector(sink.progress, sink.judgments)
    inner.shared = sink.shared
    if not streaming.stream(data, inner, release):
        return None
    return inner.finish()


def _mapped(
    stream: IO[bytes], sink: _Collector, digest: Digest | None = None
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
    if digest is not None:
        digest.update(mapped)  # before the reading lets the pages go
    try:
        facts = _fitting(_fastload.document(mapped, release), sink)
        return True, facts if facts is not None else _streamed(mapped, sink, release)
    finally:
        with contextlib.suppress(BufferError):  # a view still held: closed when collected
            mapped.close()


def _read(
    source: str | os.PathLike[str] | IO[str] | IO[bytes],
    lines: bool,
    sink: _Collector,
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


def is_workbook(source: object) -> bool:
    """Whether a path names an Excel workbook (by its ending), read by
    :mod:`selfbuild_rules.facts.xlsx`.

    >>> is_workbook("team-2018.XLSX"), is_workbook("facts.json")
    (True, False)
    """
    return isinstance(source, (str, os.PathLike)) and os.fsdecode(source).lower().endswith(
        WORKBOOK_SUFFIXES
    )


def is_lines(source: object) -> bool:
    """Whether a path names a JSON Lines file (by its ending)."""
    return isinstance(source, (str, os.PathLike)) and os.fsdecode(source).lower().endswith(
        LINES_SUFFIXES
    )


def load_facts(
    source: Source,
    *,
    lines: bool | None = None,
    progress: Progress | None = None,
    judgments: _checks.Judgments | None = None,
    digest: Digest | None = None,
) -> Facts:
    """Load facts from a JSON or JSON Lines file path, an open file, or a dict in memory.

    ``lines`` says whether the input is JSON Lines; by default, paths ending in
    ``.jsonl`` or ``.ndjson`` are, anything else is one JSON document. ``progress`` is
    called with the number of records read so far, now and then and once at the end.
    ``judgments`` are the regulation's judgment provisions, which assessments must name
    (:func:`selfbuild_rules.load_facts` passes the base regulation's). ``digest`` is
    fed the bytes read, or a dict's canonical encoding (see :mod:`.digest`).

    Raises :class:`FactsError` listing every problem found, each with the JSON path of
    the record and field concerned (and the line, for JSON Lines), and ``TypeError``
    for a source that is none of these (with ``lines=True``, an iterable of lines is
    one too). ``bytes`` are refused: they could as well be meant as a path, so wrap
    JSON bytes in ``io.BytesIO``.

    >>> import selfbuild_rules as sr
    >>> facts = sr.load_facts({"format": "selfbuild-rules.facts/1", "members": [],
    ...                        "team": {"id": "t", "name": "班子"}, "violations": []})
    >>> facts.team.name, facts.violations, facts.research_trips
    ('班子', (), None)
    """
    _check_source(source, lines)
    sink = _Collector(progress, judgments)
    with _gc.paused():
        if isinstance(source, Mapping):
            _document(source, sink)
            facts = sink.finish()
            if digest is not None:  # only of facts that loaded: they encode as JSON
                digest.document(source)
        else:
            facts = _read(source, is_lines(source) if lines is None else lines, sink, digest)
        _gc.promote()
        return facts


def _check_source(source: object, lines: bool | None) -> None:
    if isinstance(source, (Mapping, str, os.PathLike)):
        return
    if lines and isinstance(source, Iterable) and not isinstance(source, (bytes, bytearray)):
        return  # JSON Lines as an iterable of lines
    if isinstance(source, (bytes, bytearray, memoryview)) or not callable(
        getattr(source, "read", None)
    ):
        kind = type(source).__name__
        raise TypeError(
            f"facts: a {kind} is not a path, an open file or a dict of facts"
            + (" (wrap JSON bytes in io.BytesIO)" if kind in ("bytes", "bytearray") else "")
        )


def dump_facts(facts: Facts) -> dict[str, Any]:
    """The facts as a ``selfbuild-rules.facts/1`` document; categories not supplied are left out.

    >>> facts = load_facts({"format": "selfbuild-rules.facts/1",
    ...                     "team": {"id": "t", "name": "班子"}, "members": [],
    ...                     "violations": []})
    >>> dump_facts(facts)["violations"], "research_trips" in dump_facts(facts)
    ([], False)
    """
    document: dict[str, Any] = {"format": facts.format, "team": unstructure(facts.team)}
    for category in CATEGORIES:
        records = getattr(facts, category)
        if records is not None:
            document[category] = [unstructure(r) for r in records]
    return document


def dump_facts_lines(facts: Facts) -> Iterator[str]:
    """The facts as JSON Lines, one line (with its newline) at a time.

    >>> facts = load_facts({"format": "selfbuild-rules.facts/1",
    ...                     "team": {"id": "t", "name": "班子"}, "members": []})
    >>> print("".join(dump_facts_lines(facts)), end="")
    {"format": "selfbuild-rules.facts/1"}
    {"team": {"id": "t", "name": "班子"}}
    {"category": "members"}
    """
    return _jsonl.lines(dump_facts(facts))
