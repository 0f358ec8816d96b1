"""The benchmark scripts still run against the library as it is (they are not imported
by anything else, so nothing but this would notice an API they call going away)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def test_phases_times_every_phase_of_a_small_file(tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    subprocess.run(
        [sys.executable, str(BENCHMARKS / "generate.py"), "--members", "3", "-o", str(facts)],
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "phases.py"), str(facts)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    phases = [line.split()[0] for line in done.stdout.splitlines() if " x" in line]
    assert phases[:8] == [
        "json.load",
        "import",
        "load",
        "prepare",
        "make",
        "encode",
        "write",
        "total",
    ]


def test_the_targets_are_measured_and_judged_in_one_table(tmp_path: Path) -> None:
    small = ["--records", "500", "--teams", "3", "--members", "2", "--repeat", "1"]
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "targets.py"), *small, "--workdir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    table = done.stdout.split("verdict\n", 1)[1].splitlines()
    judged = {line.split(":")[0] for line in table if line.endswith("met") or "NOT met" in line}
    assert {"one team, --jobs 2", "one team, --jobs 1", "province, one command --jobs 2"} <= judged
    assert any(line.startswith("province, fixed cost per team") for line in table)


def test_split_load_measures_workers_that_hold_every_record_once(tmp_path: Path) -> None:
    """The route benchmarks/split_load.py measures must load what the library loads: its
    workers' parts of each member category add up to the whole, the rest is in each."""
    import importlib.util

    import selfbuild_rules as sr

    facts = tmp_path / "facts.json"
    subprocess.run(
        [sys.executable, str(BENCHMARKS / "generate.py"), "--members", "7", "-o", str(facts)],
        check=True,
        capture_output=True,
    )
    spec = importlib.util.spec_from_file_location("split_load", BENCHMARKS / "split_load.py")
    assert spec is not None and spec.loader is not None
    split_load = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(split_load)
    whole = sr.load_facts(str(facts))
    parts = [split_load.worker_load(str(facts), 2, k, True) for k in (0, 1)]
    assert {len(part["members"]) for part in parts} == {7}
    assert all(part["research_trips"] for part in parts)  # each holds some of its own
    assert len(parts[0]["research_trips"]) < len(whole.research_trips or ())
    for name in parts[0]:
        records = getattr(whole, name)
        if records and hasattr(records[0], "member"):
            both = sorted(parts[0][name] + parts[1][name], key=lambda r: r.id)
            assert both == sorted(records, key=lambda r: r.id)
        else:
            assert parts[0][name] == parts[1][name] == records
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "split_load.py"), str(facts), "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "one worker of --jobs 2" in done.stdout
