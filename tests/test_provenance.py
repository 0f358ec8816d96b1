"""The provenance of a report names the facts it read: their SHA-256, as ``sha256sum``
prints it for a file, JSON Lines or standard input, and the parameters the caller set.

The digest is written in the head of the JSON report, so the streamed writer (one or
several processes, to stdout or into a file) writes the bytes ``Report.to_json()``
gives."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import selfbuild_rules as sr
from selfbuild_rules.facts.digest import Digest, FactsDigest, canonical
from selfbuild_rules.facts.loading import dump_facts, dump_facts_lines
from strategies import facts_documents

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tianjin-2018.json"
RUN = ("--period", "2018", "--as-of", "2019-03-01", "--format", "json")


def _sha256sum(path: Path) -> str:
    if shutil.which("sha256sum") is None:
        pytest.skip("needs sha256sum (coreutils)")
    found = subprocess.run(["sha256sum", str(path)], capture_output=True, text=True, check=True)
    return found.stdout.split()[0]


def _cli(*args: str, stdin: bytes | None = None) -> bytes:
    found = subprocess.run(
        ["selfbuild-rules", "evaluate", *args], input=stdin, capture_output=True, check=True
    )
    return found.stdout


def _facts_digest(report: bytes) -> Any:
    return json.loads(report)["provenance"]["facts"]


@pytest.fixture(scope="module")
def lines(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("facts") / "facts.jsonl"
    path.write_text("".join(dump_facts_lines(sr.load_facts(str(EXAMPLE)))), encoding="utf-8")
    return path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_digest_is_sha256sum_of_the_file_json_lines_and_stdin(
    lines: Path, tmp_path: Path, jobs: str
) -> None:
    for path in (EXAMPLE, lines):
        wanted = {"of": "bytes", "sha256": _sha256sum(path)}
        assert _facts_digest(_cli(str(path), *RUN, "--jobs", jobs)) == wanted
        kind = "jsonl" if path.suffix == ".jsonl" else "json"
        piped = _cli("-", "--input-format", kind, *RUN, "--jobs", jobs, stdin=path.read_bytes())
        assert _facts_digest(piped) == wanted
        written = tmp_path / f"report-{kind}.json"  # written in place by the workers
        _cli(str(path), *RUN, "--jobs", jobs, "-o", str(written))
        assert _facts_digest(written.read_bytes()) == wanted


def test_the_streamed_report_is_the_reports_json(tmp_path: Path) -> None:
    report = sr.evaluate(str(EXAMPLE), "2018", "2019-03-01")
    written = tmp_path / "report.json"
    _cli(str(EXAMPLE), *RUN, "--jobs", "2", "-o", str(written))
    assert written.read_bytes() == report.to_json_bytes()
    assert _cli(str(EXAMPLE), *RUN) == report.to_json_bytes()


def test_a_dict_is_hashed_in_its_canonical_encoding() -> None:
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    made = sr.evaluate(document, "2018", "2019-03-01").provenance
    assert made is not None and made.facts is not None
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert made.facts == FactsDigest(hashlib.sha256(text.encode()).hexdigest(), "canonical-json")
    assert canonical(document) == text.encode()


def test_loaded_facts_are_hashed_as_they_dump() -> None:
    facts = sr.load_facts(str(EXAMPLE))
    made = sr.evaluate(facts, "2018", "2019-03-01").provenance
    assert made is not None and made.facts == FactsDigest.of_document(dump_facts(facts))
    assert made.facts != FactsDigest.of_document({"other": 1})


def test_the_parameters_set_are_named_and_their_values_are_the_reports() -> None:
    overrides = {"research.pro_rating": "none", "livelihood.projects_min": 3}
    report = sr.evaluate(str(EXAMPLE), "2018", "2019-03-01", parameters=overrides)
    document = report.to_dict()
    named = document["provenance"]["overrides"]
    assert named == sorted(overrides)
    assert {n: document["parameters"][n] for n in named} == overrides
    plain = sr.evaluate(str(EXAMPLE), "2018", "2019-03-01").to_dict()
    assert plain["provenance"]["overrides"] == []


def test_a_report_reproduces_from_its_provenance(tmp_path: Path) -> None:
    """What report-format.rst tells a reader a year later: the same facts (by digest),
    period, as_of, parameters set and rules give the same report."""
    overrides = {"research.pro_rating": "none"}
    first = sr.evaluate(str(EXAMPLE), "2018", "2019-03-01", parameters=overrides)
    document = json.loads(first.to_json())
    copy = tmp_path / "archived.json"
    copy.write_bytes(EXAMPLE.read_bytes())
    assert _sha256sum(copy) == document["provenance"]["facts"]["sha256"]
    sets = [
        f"{n}={json.dumps(document['parameters'][n])}" for n in document["provenance"]["overrides"]
    ]
    args = [str(copy), "--period", document["period"], "--as-of", document["as_of"]]
    args += [arg for s in sets for arg in ("--set", s)]
    assert _cli(*args, "--format", "json") == first.to_json_bytes()


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=facts_documents())
def test_whatever_loads_is_hashed_as_the_bytes_read(
    document: dict[str, Any], tmp_path: Path
) -> None:
    try:
        facts = sr.load_facts(document)
    except sr.FactsError:
        return  # only facts that load make a report
    as_json = tmp_path / "facts.json"
    as_json.write_bytes(json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"))
    as_lines = tmp_path / "facts.jsonl"
    as_lines.write_text("".join(dump_facts_lines(facts)), encoding="utf-8")
    for path in (as_json, as_lines):
        wanted = FactsDigest(hashlib.sha256(path.read_bytes()).hexdigest(), "bytes")
        lines = path.suffix == ".jsonl"
        by_path, by_stream = Digest(), Digest()
        sr.load_facts(str(path), digest=by_path, lines=lines)
        with path.open("rb") as stream:  # as standard input is read
            sr.load_facts(stream, digest=by_stream, lines=lines)
        assert by_path.value() == by_stream.value() == wanted
