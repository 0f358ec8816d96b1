"""The loader's collector: receives the parts of facts as they are read, and builds them.

Every reader (a JSON document whole or a batch at a time, JSON Lines, a workbook) hands
the collector what it finds: the format, the team, each category's records, either raw
(structured the careful way, with cattrs, each problem named by its path) or as structs
msgspec already checked (converted a batch at a time). :meth:`Collector.finish` then
runs the cross-record checks and gives the :class:`~.records.Facts`, or raises one
:class:`~.problems.FactsError` naming every problem.

>>> sink = Collector(None, None)
>>> collect({"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
...          "members": [{"id": "m01", "name": "甲", "post": "mayor",
...                       "tenure": {"start": "2017-06-01"}}]}, sink)
>>> sink.finish().members[0].id
'm01'
"""

from __future__ import annotations

import array
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NoReturn

from selfbuild_rules.facts import checks as _checks
from selfbuild_rules.facts.consistency import consistent
from selfbuild_rules.facts.fastrecords import Shared, build
from selfbuild_rules.facts.problems import FactsError, Problem
from selfbuild_rules.facts.records import CATEGORIES, FORMAT, Facts, Team
from selfbuild_rules.facts.structure import build as build_one
from selfbuild_rules.facts.structure import shown, structure
from selfbuild_rules.internal.i18n import N_

__all__ = ["Collector", "Progress", "collect"]

Progress = Callable[[int], None]

_EVERY = 1000  # records between two progress calls
_BATCH = 4096  # fast records converted at once: few structs wait, still in the cache


class _Category:
    """One category's records as read: typed (``None`` where structuring failed), lines
    (0: none), ids that failed records still claim, fast structs not yet converted."""

    __slots__ = ("claims", "lines", "pending", "records")

    def __init__(self) -> None:
        self.records: list[Any] = []
        self.lines = array.array("q")  # 8 bytes a record, where a list of ints takes 40
        self.claims: dict[int, str | None] = {}
        self.pending: list[Any] = []


class Collector:
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
        self.shared = Shared()

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
        collect(document, self)

    def not_a_list(self, category: str) -> None:
        self.unreadable.add(category)
        self.problem(category, N_("must be a list"))

    def record(self, category: str, value: object, line: int | None = None) -> None:
        """Structure one record the careful way (cattrs), collecting its problems."""
        records = self._flush(category)
        index = len(records.records)
        cls = CATEGORIES[category]
        record = build_one(value, cls)
        if record is None:
            record = self._structure(value, cls, f"{category}[{index}]", line)
        if record is None:
            raw_id = value.get("id") if isinstance(value, dict) else None
            records.claims[index] = raw_id if isinstance(raw_id, str) else None
        records.records.append(record)
        self._add(records, (line or 0,))

    def fast(self, category: str, record: object, line: int | None = None) -> None:
        """Take a record msgspec has already checked (see :mod:`.fastload`)."""
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
            read.records += build(category, read.pending, self.shared)
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


def collect(document: object, sink: Collector) -> None:
    """Hand a JSON document (already parsed) to ``sink`` part by part."""
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
