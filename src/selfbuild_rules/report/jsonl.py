"""The report as JSON Lines (``--format jsonl``), for consumers that read a line at a time.

A header line (what the JSON report holds besides its results and summary, and the
citation of every provision with results, once), then one line per result, in the
order of the JSON report's ``results`` but without the ``citation`` it shares with
every other result of its provision, then a summary line. Keys sorted, no spaces,
UTF-8 as is, each line ended by ``\\n``: deterministic to the byte, like the JSON report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import msgspec

from selfbuild_rules.engine.results import Citation, Result
from selfbuild_rules.plugins.law import Entry
from selfbuild_rules.report.encode import ENCODER, document_fields

if TYPE_CHECKING:
    from selfbuild_rules.report.document import Report

__all__ = [
    "LINES_FORMAT",
    "cited_by_entries",
    "cited_by_results",
    "header_line",
    "result_line",
    "results_lines",
    "summary_tail",
]

LINES_FORMAT = "selfbuild-rules.report-lines/1"

_CITED = b'{"citation":'


def cited_by_results(results: Iterable[Result]) -> dict[str, Citation]:
    """Each rule's citation, for the rules with results.

    >>> import selfbuild_rules as sr
    >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
    ...        "members": []}
    >>> report = sr.evaluate(doc, "2018", "2019-03-01", rules=["2.relay-directives"])
    >>> cited_by_results(report.results)["2.relay-directives"].principle
    '二'
    """
    return {r.rule: r.citation for r in results}


def cited_by_entries(entries: Sequence[Entry], members: int) -> dict[str, Citation]:
    """:func:`cited_by_results`, known before any result is made: every provision
    evaluated has results but one binding members when there are none to evaluate."""
    return {
        e.provision.id: Citation(
            e.source, e.provision.principle, e.provision.id, e.provision.chinese
        )
        for e in entries
        if members or not e.binds_members
    }


def header_line(head: Report, cited: Mapping[str, Citation]) -> bytes:
    """The first line: the report's fields but its results and summary, and ``citations``."""
    fields: dict[str, Any] = document_fields(head)
    del fields["results"]
    fields |= {"format": LINES_FORMAT, "citations": dict(cited)}
    return ENCODER.encode(fields) + b"\n"


def result_line(result: Result) -> bytes:
    """One result as a line's JSON (without its newline), its citation left out.

    >>> import json
    >>> import selfbuild_rules as sr
    >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
    ...        "members": []}
    >>> result = sr.evaluate(doc, "2018", "2019-03-01").results[0]
    >>> line = json.loads(result_line(result))
    >>> "citation" in line, line["rule"] == result.rule
    (False, True)
    """
    line = ENCODER.encode(result)
    # Keys are sorted, so the citation comes first: cut it off without decoding.
    cut = _CITED + ENCODER.encode(result.citation) + b","
    if line.startswith(cut):
        return b"{" + line[len(cut) :]
    fields = msgspec.json.decode(line)  # a key sorted before it (in a subclass, say)
    del fields["citation"]
    return ENCODER.encode(fields)


def results_lines(results: Sequence[Result]) -> bytes:
    """Results as lines, a newline between two (empty for no results): the same bytes
    as :func:`result_line` of each, made in one call of the encoder.

    >>> import selfbuild_rules as sr
    >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
    ...        "members": []}
    >>> results = sr.evaluate(doc, "2018", "2019-03-01").results
    >>> results_lines(results) == b"\\n".join(map(result_line, results))
    True
    """
    if not results:
        return b""
    body = ENCODER.encode(results)
    # Each result starts with its citation (keys sorted): cut where one result ends and
    # the next begins, citation and all, in C. A cut found anywhere but at a result's
    # start would change the count; then each result is written alone.
    cuts = [_CITED + ENCODER.encode(c) + b"," for c in cited_by_results(results).values()]
    if sum(body.count(cut) for cut in cuts) != len(results):
        return b"\n".join(map(result_line, results))
    for cut in cuts:
        body = body.replace(b"," + cut, b"\n{").replace(b"[" + cut, b"[{", 1)
    return body[1:-1]


def summary_tail(summary: Mapping[str, int], written: bool) -> bytes:
    """What follows the last result (if any was ``written``): the last line, how many
    results have each status.

    >>> summary_tail({"compliant": 2}, True)
    b'\\n{"summary":{"compliant":2}}\\n'
    """
    return (b"\n" if written else b"") + ENCODER.encode({"summary": dict(summary)}) + b"\n"
