"""The JSON report's bytes: a document written in pieces around its results.

The report is written by msgspec's C encoder (keys sorted, no spaces, or two-space
indentation for people, UTF-8 as is), in pieces: what comes before the first result,
the results a batch at a time, what comes after the last. The bookkeeping of where
those pieces join lives here, not in :class:`~selfbuild_rules.Report`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from selfbuild_rules.engine.results import InterpretationSet, Result

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
    "results_joined",
    "results_json",
]

REPORT_FORMAT = "selfbuild-rules.report/2"


def _hook(value: object) -> object:
    # A set of parameter values is named by its key: the report lists it once.
    if isinstance(value, InterpretationSet):
        return value.key
    raise TypeError(f"cannot write {type(value).__name__} in a report: {value!r}")


#: A piece of a JSON report: bytes, or a view of a larger buffer (no copy made).
Part = TypeVar("Part", bytes, memoryview)

#: Sorted keys (of dicts and of attrs records alike), UTF-8 as is, dates as ISO strings.
ENCODER = msgspec.json.Encoder(order="sorted", enc_hook=_hook)
#: What a one-key document ``{"results": [...]}`` adds around its items once indented.
_HEAD, _TAIL = len(b'{\n  "results": ['), -len(b"\n  ]\n}")
_CITED = b'{"citation":'


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
        "provisions": report.listed,
        "interpretations": report.interpretations,
        "results": report.results,
    } | ({} if report.provenance is None else {"provenance": report.provenance})


def _result_alone(result: Result) -> bytes:
    line = ENCODER.encode(result)
    # Keys are sorted, so the citation comes first: cut it off without decoding.
    cut = _CITED + ENCODER.encode(result.citation) + b","
    if line.startswith(cut):
        return b"{" + line[len(cut) :]
    fields = msgspec.json.decode(line)  # a key sorted before it (in a subclass, say)
    del fields["citation"]
    return ENCODER.encode(fields)


def results_joined(results: Sequence[Result], between: bytes) -> bytes:
    """Results as a report writes them, compact and without their citation (their
    provision's, listed once), ``between`` each two: made in one call of the encoder.

    >>> import selfbuild_rules as sr
    >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
    ...        "members": []}
    >>> results = sr.evaluate(doc, "2018", "2019-03-01").results
    >>> results_joined(results, b"\\n") == b"\\n".join(map(_result_alone, results))
    True
    """
    if not results:
        return b""
    body = ENCODER.encode(results)
    # Each result starts with its citation (keys sorted): cut where one result ends and
    # the next begins, citation and all, in C. A cut found anywhere but at a result's
    # start would change the count; then each result is written alone.
    cuts = {
        _CITED + ENCODER.encode(r.citation) + b"," for r in {r.rule: r for r in results}.values()
    }
    if sum(body.count(cut) for cut in cuts) != len(results):
        return between.join(map(_result_alone, results))
    for cut in cuts:
        body = body.replace(b"," + cut, between + b"{").replace(b"[" + cut, b"[{", 1)
    return body[1:-1]


def results_json(results: Sequence[Result], indent: bool = False) -> bytes:
    """Results written as they stand in a report's ``results`` list (empty for none):
    compact and separated by commas, or (``indent``) each indented to its depth there,
    each after a newline.

    >>> import selfbuild_rules as sr
    >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
    ...        "members": []}
    >>> results = sr.evaluate(doc, "2018", "2019-03-01").results
    >>> results_json(results[:2]).startswith(b'{"due":'), results_json(results[:2], True)[:12]
    (True, b'\\n    {\\n     ')
    """
    compact = results_joined(results, b",")
    if not (indent and compact):
        return compact
    # Indented inside a one-key document of its own, each result sits at its depth in
    # the report (four spaces); only the wrapper's own lines are cut off.
    body = msgspec.json.format(b'{"results":[' + compact + b"]}", indent=2)
    return body[_HEAD:_TAIL]


def json_document(
    head: Report,
    parts: Iterable[Part],
    summary: Callable[[], Mapping[str, int]],
    indent: bool = False,
) -> Iterator[Part | bytes]:
    """The JSON document of ``head`` (a report, its own results left aside) holding the
    results written in ``parts`` (by :func:`results_json`, in order), in pieces.

    ``summary`` is asked for once every part has been read, so the counts can be made
    as the parts are: in the document they come after the results.
    """
    return joined(
        json_head(head, indent),
        parts,
        b",",
        lambda written: json_tail(head, summary(), written, indent),
    )


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


def _split(fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The document's fields sorted before ``results``, and those after it."""
    del fields["results"]
    return {k: v for k, v in fields.items() if k < "results"}, {
        k: v for k, v in fields.items() if k > "results"
    }


def json_head(head: Report, indent: bool = False) -> bytes:
    """What a JSON report holds before its first result."""
    if indent:
        frame = msgspec.json.format(
            ENCODER.encode({**document_fields(head), "results": 0}), indent=2
        )
        return frame.partition(b'"results": 0')[0] + b'"results": ['
    before, _ = _split(document_fields(head))
    return ENCODER.encode(before)[:-1] + b',"results":['


def json_tail(
    head: Report, summary: Mapping[str, int], results: bool, indent: bool = False
) -> bytes:
    """What a JSON report holds after its last result (if it has ``results``)."""
    if indent:
        document = {**document_fields(head), "results": 0, "summary": dict(summary)}
        frame = msgspec.json.format(ENCODER.encode(document), indent=2)
        return (b"\n  ]" if results else b"]") + frame.partition(b'"results": 0')[2] + b"\n"
    _, after = _split(document_fields(head) | {"summary": dict(summary)})
    return b"]," + ENCODER.encode(after)[1:] + b"\n"
