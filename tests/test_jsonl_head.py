"""A small JSON Lines file (one team's shard) is read a block at a time after its format
and team lines, as a large one is; line numbers and problems stay as they were."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import selfbuild_rules as sr
from selfbuild_rules.facts import jsonl

FORMAT = {"format": "selfbuild-rules.facts/1"}
TEAM = {"team": {"id": "t", "name": "班子"}}


def member(i: int, post: str = "mayor") -> dict[str, Any]:
    record = {"id": f"m{i}", "name": "甲", "post": post, "tenure": {"start": "2018-01-01"}}
    return {"category": "members", "record": record}


def write(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    return path


def test_a_shard_past_its_first_lines_is_taken_in_one_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_by_one: list[int] = []
    real = jsonl._line
    monkeypatch.setattr(
        jsonl, "_line", lambda raw, n, *rest: one_by_one.append(n) or real(raw, n, *rest)
    )
    path = write(tmp_path / "t.jsonl", [FORMAT, TEAM, *(member(i) for i in range(50))])
    facts = sr.load_facts(path)
    assert one_by_one == [1, 2]
    assert [m.id for m in facts.members] == [f"m{i}" for i in range(50)]


def test_problems_after_the_first_lines_name_their_lines(tmp_path: Path) -> None:
    lines = [FORMAT, TEAM, member(0), member(1), member(2, post="boss"), TEAM]
    with pytest.raises(sr.FactsError) as caught:
        sr.load_facts(write(tmp_path / "t.jsonl", lines))
    found = [str(p) for p in caught.value.problems]
    assert any(p.startswith("line 5: members[2].post") for p in found), found
    assert any(p.startswith("line 6: ") and "first on line 2" in p for p in found), found


def test_a_file_without_a_format_line_reads_the_same(tmp_path: Path) -> None:
    both = [write(tmp_path / f"{n}.jsonl", lines) for n, lines in
            (("a", [FORMAT, TEAM, member(0)]), ("b", [TEAM, FORMAT, member(0)]))]  # fmt: skip
    assert sr.load_facts(both[0]) == sr.load_facts(both[1])
