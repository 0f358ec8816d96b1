"""The pytest plugin: every ``*.cases.yaml`` file is collected, one test item per case.

Registered under the ``pytest11`` entry point of selfbuild-rules, so installing the
library is enough: a district package's own ``pytest`` runs its case files. A failure
shows each expected value against the one the result has, with its explanation; a
malformed file is a collection error naming its file, line and field.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from selfbuild_rules.cases.format import SUFFIX, Case, load
from selfbuild_rules.cases.nodes import CaseFileError
from selfbuild_rules.cases.runner import run_case

__all__ = ["CaseItem", "CasesFile", "pytest_collect_file"]


class CaseFailed(Exception):
    """A case whose results differ from what it expects (the text says how)."""


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> CasesFile | None:
    """Collect a case file (pytest's hook)."""
    if file_path.name.endswith(SUFFIX):
        return CasesFile.from_parent(parent, path=file_path)
    return None


class CasesFile(pytest.File):
    """A ``*.cases.yaml`` file: its cases, in order."""

    def collect(self) -> Iterator[CaseItem]:
        try:
            cases = load(self.path).cases
        except CaseFileError as exc:  # shown as its one line, without a traceback
            raise self.CollectError(str(exc)) from None
        for case in cases:
            yield CaseItem.from_parent(self, name=case.name, case=case)


class CaseItem(pytest.Item):
    """One case: evaluated, then its results compared with what it expects."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        outcome = run_case(self.case)
        if not outcome.passed:
            raise CaseFailed("\n".join([outcome.line(), *outcome.details()]))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, CaseFailed | CaseFileError):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.case.line - 1, f"case: {self.case.name}"
