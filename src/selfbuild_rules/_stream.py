"""A JSON report written while it is evaluated, provision by provision, never held whole.

This is how the command line writes ``--format json``: the same bytes as
:meth:`Report.to_json() <selfbuild_rules.Report.to_json>`, but each provision's results
are written out and dropped before the next is evaluated, so memory holds the facts
and one provision's results, however many members there are. With ``jobs`` above one
the workers write the JSON themselves and this process only joins their parts.

>>> import selfbuild_rules as sr
>>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
...        "members": [], "democratic_life_meetings": []}
>>> streamed = json_report(sr.load_facts(doc), "2018", "2019-03-01")
>>> text = b"".join(streamed.chunks)
>>> text == sr.evaluate(doc, "2018", "2019-03-01").to_json_bytes()
True
>>> streamed.counts["non_compliant"]
1
"""

from __future__ import annotations

import datetime as _dt
import struct
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

import attrs

from . import _gc
from .engine import Memo, entry_results, prepare
from .facts import Facts
from .modules import Module
from .periods import Period
from .report import Report, json_document, results_json
from .results import Result, Status

__all__ = ["Streamed", "json_report"]

_STATUSES = tuple(Status)
_COUNTS = struct.Struct(f"<{len(_STATUSES)}I")  # how many results of each status


def packed_json(results: list[Result]) -> bytes:
    """Results written as report JSON, behind the number of each status among them."""
    counts = Counter(r.status for r in results)
    return _COUNTS.pack(*(counts[s] for s in _STATUSES)) + results_json(results)


def _unpacked(part: bytes, counts: Counter[str]) -> memoryview:
    for status, n in zip(_STATUSES, _COUNTS.unpack_from(part), strict=True):
        counts[status.value] += n
    return memoryview(part)[_COUNTS.size :]  # not a copy: the parts are large


@attrs.define
class Streamed:
    """A report on its way: its pieces, and the count of each status written so far
    (every status once all pieces have been read)."""

    head: Report
    chunks: Iterator[bytes | memoryview]
    counts: Counter[str]


def json_report(
    facts: Facts,
    period: str | int | Period,
    as_of: str | _dt.date | None,
    *,
    parameters: Mapping[str, object] | None = None,
    rules: Sequence[str] | None = None,
    modules: Sequence[str | Module] = (),
    module_order: bool = False,
    jobs: int = 1,
    redact: bool = False,
) -> Streamed:
    """The JSON report of an evaluation, to be written as it is made.

    Everything that can be wrong with the arguments raises here, before any piece.
    """
    setup, ctx, entries, head = prepare(
        facts, period, as_of, parameters, rules, modules, module_order, jobs
    )
    head = head.redacted() if redact else head
    counts: Counter[str] = Counter({s.value: 0 for s in Status})

    def parts() -> Iterator[memoryview]:
        with _gc.paused():
            if jobs > 1 and len(facts.members) > 1:
                from ._parallel import parts_by_entry

                for packed in parts_by_entry(ctx, entries, setup, jobs, packed_json):
                    yield from (_unpacked(part, counts) for part in packed)
                return
            memo = Memo()
            for entry in entries:
                yield _unpacked(packed_json(entry_results(ctx, entry, facts.members, memo)), counts)

    return Streamed(head, json_document(head, parts(), lambda: counts), counts)
