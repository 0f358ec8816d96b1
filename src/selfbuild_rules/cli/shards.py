"""Shards: the team facts files a many-teams run is given, and the names of their reports.

A *shard* is one team's facts, as JSON or JSON Lines. The command line names them by a
folder, several paths or a glob pattern; each team's report is named after its shard.

>>> names(["a/team-1.jsonl", "b/team-2.json"], "csv")
['team-1.csv', 'team-2.csv']
>>> is_folder("reports/"), is_folder("reports")
(True, False)
"""

from __future__ import annotations

import glob
import os
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from selfbuild_rules.cli.output import UsageError
from selfbuild_rules.facts.loading import LINES_SUFFIXES, FactsError, Problem
from selfbuild_rules.internal.i18n import _
from selfbuild_rules.internal.text import printable
from selfbuild_rules.report.results_table import TABLE_FORMATS

__all__ = ["ENDINGS", "SHARD_SUFFIXES", "ShardError", "is_folder", "names", "shards_of"]

#: The files of a folder that are shards, by their ending.
SHARD_SUFFIXES = (*LINES_SUFFIXES, ".json")
#: The ending of a team's report file, by format.
ENDINGS = {
    "json": ".json",
    "jsonl": ".jsonl",
    "html": ".html",
    "markdown": ".md",
    "text": ".txt",
    **TABLE_FORMATS,
}


class ShardError(ValueError):
    """A shard's facts did not load: which shard, and the :class:`FactsError` itself."""

    def __init__(self, shard: str, error: FactsError) -> None:
        self.shard = shard
        self.error = error
        super().__init__(f"{shard}: {error}")

    def __reduce__(self) -> tuple[Any, ...]:  # sent back from worker processes intact
        return (ShardError, (self.shard, self.error))

    def lines(self, told: Callable[[Problem], str] = str) -> list[str]:
        """One line per problem, each naming the shard (the problem as ``told`` says it:
        the command line says it in the reader's language)."""
        return [f"{printable(self.shard)}: {told(p)}" for p in self.error.problems]


def _pattern(text: str) -> bool:
    return any(c in text for c in "*?[")


def shards_of(given: Sequence[str]) -> list[str] | None:
    """The shards named by ``given`` (folders by their shards' names, glob patterns by
    what they match, files as they are); ``None`` when it is one facts file (or ``-``)."""
    one = given[0]
    if len(given) == 1 and not (os.path.isdir(one) or (_pattern(one) and not os.path.exists(one))):
        return None
    found: list[str] = []
    for item in given:
        if item == "-":
            raise UsageError(_("- (standard input) cannot be one of several shards"))
        if os.path.isdir(item):
            inside = sorted(
                e.path for e in os.scandir(item) if e.name.lower().endswith(SHARD_SUFFIXES)
            )
            if not inside:
                told = _("{path}: no shard (*.jsonl, *.ndjson, *.json) in it")
                raise UsageError(told.format(path=item))
            found += inside
        elif _pattern(item) and not os.path.exists(item):
            matched = sorted(glob.glob(item))
            if not matched:
                raise UsageError(_("{path}: no file matches").format(path=item))
            found += matched
        else:
            found.append(item)  # a file, or nothing: loading it will say which
    return found


def names(shards: Sequence[str], form: str) -> list[str]:
    """Each shard's report file name: its name without the ending, and the format's.
    Two shards of one name are a :class:`UsageError` (one report would replace the other)."""
    made = []
    for shard in shards:
        name = Path(shard).name
        stem = next((name[: -len(s)] for s in SHARD_SUFFIXES if name.lower().endswith(s)), name)
        made.append(stem + ENDINGS[form])
    twice = sorted(n for n, count in Counter(made).items() if count > 1)
    if twice:
        told = _("two shards would both be written as {name}")
        raise UsageError(told.format(name=printable(twice[0])))
    return made


def is_folder(output: str | None) -> bool:
    """Whether ``-o`` names a folder: it ends with a slash. (A folder named without one
    is refused as a file to replace would be, so that ``-o`` never fills a folder by
    surprise.)"""
    return output is not None and output.endswith(("/", os.sep))


def check_folder(output: str) -> None:
    if os.path.isdir(output) and any(os.scandir(output)):
        told = _("{path}: the folder is not empty (nothing in it is replaced)")
        raise UsageError(told.format(path=output))
    if os.path.lexists(output) and not os.path.isdir(output):
        raise UsageError(_("{path}: not a folder").format(path=output))
