"""The audit log written by several processes at once (``serve --processes N``): every
line whole, none lost, each process's lines in its own order."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from selfbuild_rules.service.audit import BATCH, AuditLog

#: Longer than PIPE_BUF (4096 on Linux): no promise of atomic writes holds for them.
LONG = 10_000
LINES = BATCH + 44  # a full batch and a part of one, from each writer


def _write(path: str, writer: int) -> None:
    log = AuditLog.open(path)
    for seq in range(LINES):
        log.write({"writer": writer, "seq": seq, "endpoint": "x" * LONG})
    log.close()


@pytest.mark.parametrize("writers", [1, 3])
def test_writers_in_several_processes_never_tear_a_line(tmp_path: Path, writers: int) -> None:
    path = tmp_path / "audit.jsonl"
    path.write_bytes(b'{"writer":-1,"seq":0}\n')  # appended to, never overwritten
    context = multiprocessing.get_context("spawn")  # as uvicorn starts its workers
    started = [context.Process(target=_write, args=(str(path), w)) for w in range(writers)]
    for process in started:
        process.start()
    for process in started:
        process.join(60)
        assert process.exitcode == 0
    lines = [json.loads(line) for line in path.read_bytes().splitlines()]
    assert lines[0] == {"writer": -1, "seq": 0}
    for writer in range(writers):
        mine = [x["seq"] for x in lines if x["writer"] == writer]
        assert mine == list(range(LINES))
    assert len(lines) == 1 + writers * LINES
