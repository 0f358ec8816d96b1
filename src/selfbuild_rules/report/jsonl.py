"""The report as JSON Lines (``--format jsonl``), for consumers that read a line at a time.

A header line (what the JSON report holds besides its results and summary: the
provisions and the sets of parameter values the results name, once), then one line
per result, as in the JSON report's ``results``, then a summary line. Keys sorted, no spaces,
UTF-8 as is, each line ended by ``\\n``: deterministic to the byte, like the JSON report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from selfbuild_rules.engine.results import Result
from selfbuild_rules.report.encode import ENCODER, document_fields, results_joined

if TYPE_CHECKING:
    from selfbuild_rules.report.document import Report

__all__ = ["LINES_FORMAT", "header_line", "result_line", "results_lines", "summary_tail"]

LINES_FORMAT = "selfbuild-rules.report-lines/2"


def header_line(head: Report) -> bytes:
    """The first line: the report's fields but its results and summary."""
    fields: dict[str, Any] = document_fields(head)
    del fields["results"]
    fields["format"] = LINES_FORMAT
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
    return results_joined((result,), b"")


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
    return results_joined(results, b"\n")


def summary_tail(summary: Mapping[str, int], written: bool) -> bytes:
    """What follows the last result (if any was ``written``): the last line, how many
    results have each status.

    >>> summary_tail({"compliant": 2}, True)
    b'\\n{"summary":{"compliant":2}}\\n'
    """
    return (b"\n" if written else b"") + ENCODER.encode({"summary": dict(summary)}) + b"\n"
