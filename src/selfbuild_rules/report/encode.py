"""The JSON report's bytes: a document written in pieces around its results.

The report is written by msgspec's C encoder (keys sorted, two-space indentation,
UTF-8 as is), in pieces: what comes before the first result, the results a batch at a
time, what comes after the last. The bookkeeping of where those pieces join lives here,
not in :class:`~selfbuild_rules.Report`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from selfbuild_rules.engine.results import Result

if TYPE_CHECKING:
    from selfbuild_rules.report.document import Report

__all__ = [
    "ENCODER",
    "REPORT_FORMAT",
    "document_fields",
    "joined",
    "json_document",
    "json_head",
    "json_tail",
    "results_json",
]

REPORT_FORMAT = "selfbuild-rules.report/1"


def _unknown(value: object) -> object:
    raise TypeError(f"cannot write {type(value).__name__} in a report: {value!r}")


#: A piece of a JSON report: bytes, or a view of a larger buffer (no copy made).
Part = TypeVar("Part", bytes, memoryview)

#: Sorted keys (of dicts and of attrs records alike), UTF-8 as is, dates as ISO strings.
ENCODER = msgspec.json.Encoder(order="sorted", enc_hook=_unknown)
#: What a one-key document ``{"results": [...]}`` adds around its items once indented.
_HEAD, _TAIL = len(b'{\n  "results": ['), -len(b"\n  ]\n}")


def document_fields(report: Report) -> dict[str, Any]:
    """:meth:`Report.to_dict` with records left as they are, for an encoder that reads attrs,
    and without the summary (counted as the results are written)."""
    return {
        "format": REPORT_FORMAT,
        "regulation": report.regulation,
        "team": report.team,
        "period": report.period,
        "as_of": report.as_of,
        "members": [{"id": m, "name": n} for m, n in report.members.items()],
        "modules": report.modules,
        "parameters": dict(report.parameters),
        "results": report.results,
    } | ({} if report.provenance is None else {"provenance": report.provenance})


def results_json(results: Sequence[Result]) -> bytes:
    """Results written as they stand in a report's ``results`` list: each indented to its
    depth there, each after a newline, separated by commas (empty for no results).

    >>> import selfbuild_rules as sr
    >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
    ...        "members": [], "democratic_life_meetings": []}
    >>> results = sr.evaluate(doc, "2018", "2019-03-01").results
    >>> results_json(results[:2]).startswith(b"\\n    {\\n      ")
    True
    """
    if not results:
        return b""
    # Indented inside a one-key document of its own, each result sits at its depth in
    # the report (four spaces); only the wrapper's own lines are cut off.
    body = msgspec.json.format(ENCODER.encode({"results": results}), indent=2)
    return body[_HEAD:_TAIL]


def json_document(
    head: Report, parts: Iterable[Part], summary: Callable[[], Mapping[str, int]]
) -> Iterator[Part | bytes]:
    """The JSON document of ``head`` (a report, its own results left aside) holding the
    results written in ``parts`` (by :func:`results_json`, in order), in pieces.

    ``summary`` is asked for once every part has been read, so the counts can be made
    as the parts are: in the document they come after the results.
    """
    return joined(json_head(head), parts, b",", lambda written: json_tail(head, summary(), written))


def joined(
    first: bytes, parts: Iterable[Part], between: bytes, last: Callable[[bool], bytes]
) -> Iterator[Part | bytes]:
    """``first``, the non-empty ``parts`` with ``between`` each two, then ``last(written)``
    (``written``: whether any part was), asked for once every part has been read.

    >>> b"".join(joined(b"[", [b"1", b"", b"2"], b",", lambda written: b"]"))
    b'[1,2]'
    """
    yield first
    written = False
    for part in parts:
        if part:
            if written:
                yield between
            yield part
            written = True
    yield last(written)


def json_head(head: Report) -> bytes:
    """What a JSON report holds before its first result."""
    frame = msgspec.json.format(ENCODER.encode({**document_fields(head), "results": 0}), indent=2)
    return frame.partition(b'"results": 0')[0] + b'"results": ['


def json_tail(head: Report, summary: Mapping[str, int], results: bool) -> bytes:
    """What a JSON report holds after its last result (if it has ``results``)."""
    document = {**document_fields(head), "results": 0, "summary": dict(summary)}
    after = msgspec.json.format(ENCODER.encode(document), indent=2).partition(b'"results": 0')[2]
    return (b"\n  ]" if results else b"]") + after + b"\n"
