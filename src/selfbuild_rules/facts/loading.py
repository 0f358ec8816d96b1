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
selfbuild_rules.facts.problems.FactsError: 3 problems in the facts:
research_trips[0].member: required field missing
research_trips[0].start: required field missing
research_trips[0].end: required field missing
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from selfbuild_rules.facts import checks as _checks
from selfbuild_rules.facts import jsonl as _jsonl
from selfbuild_rules.facts.collector import Collector, Progress, collect
from selfbuild_rules.facts.digest import Digest
from selfbuild_rules.facts.problems import FactsError, Problem
from selfbuild_rules.facts.reading import parse_json, read
from selfbuild_rules.facts.records import CATEGORIES, Facts
from selfbuild_rules.facts.structure import unstructure
from selfbuild_rules.internal import memory as _gc

# FactsError, Problem, Progress and parse_json live in the modules the loader is made
# of (problems, collector, reading) and are named from here as they always were.
__all__ = ["FactsError", "Problem", "dump_facts", "dump_facts_lines", "load_facts"]
__all__ += ["Progress", "parse_json"]

Source = str | os.PathLike[str] | IO[str] | IO[bytes] | Mapping[str, Any]

#: File name endings read as JSON Lines when ``lines`` is not given.
LINES_SUFFIXES = (".jsonl", ".ndjson")
#: ... and as Excel workbooks.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


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
    sink = Collector(progress, judgments)
    with _gc.paused():
        if isinstance(source, Mapping):
            collect(source, sink)
            facts = sink.finish()
            if digest is not None:  # only of facts that loaded: they encode as JSON
                digest.document(source)
        else:
            facts = read(source, is_lines(source) if lines is None else lines, sink, digest)
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
