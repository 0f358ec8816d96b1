"""The careful path a batch at a time: one bad value in a large valid-looking file is
named without parsing the whole document into dicts (which took several times the
memory of the records), and with the same problems as the whole-document path."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import selfbuild_rules as sr
from selfbuild_rules.facts import collector, fastload, loading, reading, streaming
from strategies import facts_documents, locations
from test_loading import FAULTS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE: dict[str, Any] = json.loads((ROOT / "examples" / "tianjin-2018.json").read_text("utf-8"))


def problems(load: Any) -> list[str]:
    try:
        load()
    except sr.FactsError as exc:
        return sorted(map(str, exc.problems))
    return []


def whole(document: Any, regulation: bool = True) -> list[str]:
    """The problems as the whole-document careful path names them (with the base
    regulation's judgments, or with none)."""
    load = sr.load_facts if regulation else loading.load_facts
    return problems(lambda: load(document))


@pytest.fixture
def no_whole_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the whole document was parsed")

    monkeypatch.setattr(reading, "parse_json", refuse)


def big_document() -> dict[str, Any]:
    document = copy.deepcopy(EXAMPLE)
    trip = {"member": "m01", "start": "2018-03-01", "end": "2018-03-02", "place": "宝坻区"}
    document["research_trips"] = [{"id": f"rt-{i}", **trip} for i in range(30_000)]
    return document


@pytest.mark.usefixtures("no_whole_parse")
def test_one_bad_value_deep_in_a_large_file_is_named_batch_by_batch(tmp_path: Path) -> None:
    document = big_document()
    document["research_trips"][23_456]["end"] = "2018-02-30"
    document["research_trips"][29_000]["member"] = "m99"
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert len(path.read_bytes()) > 4 * fastload._BATCH  # cut into several batches
    assert problems(lambda: sr.load_facts(path)) == [
        "research_trips[23456].end: 2018-02-30 is not a date",
        "research_trips[29000].member: m99 is not a known member",
    ]


@pytest.mark.usefixtures("no_whole_parse")
@pytest.mark.parametrize(("doc", "path", "fragments"), FAULTS.values(), ids=FAULTS.keys())
def test_each_fault_is_named_as_the_whole_document_path_names_it(
    tmp_path: Path, doc: dict[str, Any], path: str, fragments: list[str]
) -> None:
    target = tmp_path / "facts.json"
    target.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    found = problems(lambda: sr.load_facts(target))
    assert found == whole(doc)
    assert any(p.startswith(path) for p in found)


def test_a_batch_cut_inside_a_string_falls_back_to_the_whole_document(tmp_path: Path) -> None:
    document = big_document()
    for trip in document["research_trips"]:  # every cut point sits inside a string
        trip["place"] = '}, {"x'
    document["research_trips"][20_000]["end"] = "2018-02-30"
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert problems(lambda: sr.load_facts(path)) == whole(document)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(facts_documents(), facts_documents())
def test_streamed_and_whole_careful_paths_agree(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    # A document broken by a value taken from another place of another document.
    broken = copy.deepcopy(first)
    spots = [p for p in locations(broken) if p and not isinstance(p[-1], int)]
    donors = locations(second)
    if spots and donors:
        where, donor = spots[len(spots) // 2], donors[len(donors) // 3]
        value: Any = second
        for part in donor:
            value = value[part]
        target: Any = broken
        for part in where[:-1]:
            target = target[part]
        target[where[-1]] = copy.deepcopy(value)
    raw = json.dumps(broken, ensure_ascii=False).encode("utf-8")
    inner = collector.Collector(None, None)
    if streaming.stream(raw, inner):
        assert problems(inner.finish) == whole(broken, regulation=False)
