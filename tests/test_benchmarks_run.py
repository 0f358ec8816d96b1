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
