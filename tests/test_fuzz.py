"""A bounded fuzz run in every test run: 2,000 seeded cases, nothing but clear outcomes.

Facts documents and JSON Lines mutated from the example may load or be refused with
a FactsError (and what loads must evaluate and render); command lines and ``--set``
values, run in-process, may exit 0, 1 or 2. Any other exception is a failure, shown
with the command that reproduces it (``benchmarks/fuzz.py`` runs many more).
"""

from __future__ import annotations

import pytest

from fuzzing import fuzz

SEED = 20181
COUNTS = {"document": 800, "lines": 400, "cli": 500, "set": 300}


@pytest.mark.usefixtures("example_modules")
def test_two_thousand_fuzz_cases_end_only_in_clear_outcomes() -> None:
    crashes: list[str] = []

    def report(case: object, outcome: str, trace: str | None) -> None:
        if trace is not None:
            crashes.append(f"{case.reproducer}\n{trace}")  # type: ignore[attr-defined]

    tally = fuzz(SEED, COUNTS, report)
    assert not crashes, "\n".join(crashes[:3])
    assert sum(tally.values()) == sum(COUNTS.values())
    # The cases reach past the first check: some facts load and are evaluated, some
    # command lines run to the end.
    assert tally.get("document: evaluated", 0) > 0 and tally.get("lines: loaded", 0) > 0
    assert tally.get("cli: exit 0", 0) > 0 and tally.get("set: exit 0", 0) > 0
