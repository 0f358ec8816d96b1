"""The JSON report written in pieces is the very document json.dumps would write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import selfbuild_rules as sr

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tianjin-2018.json"


def reference(report: sr.Report, indent: bool) -> bytes:
    data = report.to_dict()
    if indent:
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    else:
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


@pytest.mark.parametrize("indent", [False, True])
@pytest.mark.parametrize("size", [1, 2, 7, 154, 155, 10_000])
def test_chunks_join_to_the_reference_document(size: int, indent: bool) -> None:
    report = sr.evaluate(EXAMPLE, "2018", "2019-03-01")
    assert len(report.results) == 154  # so 154 and 155 straddle the last chunk boundary
    chunks = report.json_chunks(results_per_chunk=size, indent=indent)
    assert b"".join(chunks) == reference(report, indent)


def test_a_report_without_results_has_an_empty_list() -> None:
    report = sr.evaluate(EXAMPLE, "2018", "2019-03-01", rules=[])
    assert report.results == ()
    assert report.to_json_bytes() == reference(report, indent=False)
    assert report.to_json_bytes(indent=True) == reference(report, indent=True)
    assert b'"results":[],' in report.to_json_bytes()
    assert b'"results": [],' in report.to_json_bytes(indent=True)
