"""The toolkit's commands: ``test`` and ``schema --cases``.

:func:`add_commands` adds them to the command line's parser and :data:`HANDLERS` runs
them, so the command line itself only names this module.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from typing import Any

from selfbuild_rules.cases.format import SUFFIX, CaseFile, load
from selfbuild_rules.cases.nodes import CaseFileError
from selfbuild_rules.cases.runner import case_files, run_case
from selfbuild_rules.cases.schema import cases_schema
from selfbuild_rules.cli.output import UsageError

__all__ = ["HANDLERS", "add_commands", "schema_text"]


def schema_text() -> str:
    """The case-file format's JSON Schema, as ``schema --cases`` prints it."""
    return json.dumps(cases_schema(), ensure_ascii=False, indent=2) + "\n"


def add_commands(commands: Any) -> None:
    """Add ``test`` to the subcommands ``commands``."""
    te = commands.add_parser("test", help=f"run the {SUFFIX} case files under the paths")
    te.add_argument("paths", nargs="+", metavar="PATH", help="case files, or folders to search")


def _loaded(paths: list[str]) -> list[CaseFile]:
    try:
        files = case_files(paths)
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from None
    if not files:
        raise UsageError(f"no {SUFFIX} files under {' '.join(paths)}")
    errors, loaded = [], []
    for path in files:
        try:
            loaded.append(load(path))
        except CaseFileError as exc:
            errors.append(str(exc))
    if errors:  # every malformed file, one line each (the first carries main's prefix)
        raise UsageError("\nerror: ".join(errors))
    return loaded


def _test(args: argparse.Namespace, _progress: object) -> tuple[Iterator[bytes], Callable[[], int]]:
    loaded = _loaded(args.paths)
    counts = {"passed": 0, "failed": 0, "errors": 0}

    def lines() -> Iterator[bytes]:  # written as the cases run
        for file in loaded:
            yield f"{file.path}\n".encode()
            for case in file.cases:
                try:
                    outcome = run_case(case)
                except CaseFileError as exc:
                    counts["errors"] += 1
                    print(f"error: {exc}", file=sys.stderr)
                    continue
                counts["passed" if outcome.passed else "failed"] += 1
                text = [outcome.line(), *outcome.details()]
                yield "".join(f"{t}\n" for t in text).encode()
        yield f"{counts['passed']} passed, {counts['failed']} failed\n".encode()

    def status() -> int:
        return 2 if counts["errors"] else int(counts["failed"] > 0)

    return lines(), status


#: The handlers, by command (the command line's own signature: args, progress).
HANDLERS: dict[str, Callable[..., Any]] = {
    "test": _test,
}
