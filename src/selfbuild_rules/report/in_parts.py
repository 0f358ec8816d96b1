"""The JSON report of one large facts document, each ``--jobs`` worker loading its own part.

With the whole document loaded before the workers start, ``--jobs N`` spends its first
second or so in one process. Here that process reads only the top of the document
(the team, the members and the team's own records: :func:`.parts.split`) and makes
the report's head; each worker then loads the records its own members own
(:func:`.parts.take`) while the others do theirs, and writes its results where they
go in the file. The report is the one the whole facts give, byte for byte.

Whenever the document cannot be read that way — it has something wrong (then the
whole load names it), a rule reads more than one member's own records, the report is
not written into a file of its own — the report of the whole facts is written
instead, by ``whole``: slower, never different.
"""

from __future__ import annotations

import functools
import mmap
import os
from collections.abc import Callable

from selfbuild_rules.engine.provisions import Memo
from selfbuild_rules.engine.run import prepared
from selfbuild_rules.engine.setup import Evaluation, Setup
from selfbuild_rules.facts import parts as _parts
from selfbuild_rules.facts.digest import Digest, hashed_aside
from selfbuild_rules.facts.records import Facts
from selfbuild_rules.plugins.law import Entry
from selfbuild_rules.report.document import Report
from selfbuild_rules.report.stream import JSON_LAYOUT, Layout, Streamed

__all__ = ["SMALLEST", "json_report_in_parts"]

#: Documents smaller than this (bytes) are loaded whole: each worker decodes all of the
#: text again, which pays only once loading takes a while (4 MB: some 40,000 records).
SMALLEST = 4 << 20


def json_report_in_parts(
    path: str | os.PathLike[str],
    setup: Setup,
    whole: Callable[[], Streamed],
    *,
    redact: bool = False,
    layout: Layout = JSON_LAYOUT,
    smallest: int | None = None,
) -> Streamed | None:
    """The JSON report of the facts document at ``path`` (see the module), or ``None``
    when it is better loaded whole: too small, not a file that maps in memory, not
    read on the fast path, only some subjects evaluated, or a team provision needs
    records members own. ``whole``
    makes the report of the whole facts, if the workers cannot take their parts;
    ``smallest``: the size from which a document is read in parts (:data:`SMALLEST`).

    Everything that can be wrong with the options raises here, as with
    :func:`.stream.json_report`."""
    least = SMALLEST if smallest is None else smallest
    # Every member's records must be taken by some worker to be checked: all members'.
    whole_team = setup.options.subjects is None
    if setup.options.jobs < 2 or not whole_team or os.path.getsize(path) < least:
        return None
    with open(path, "rb") as stream:
        try:
            mapped = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            return None
    digest = Digest()
    advice = getattr(mmap, "MADV_DONTNEED", None)
    release = (lambda: None) if advice is None else functools.partial(mapped.madvise, advice)
    with hashed_aside(digest, mapped):
        top = _parts.split(mapped, setup.base.judgments(), release)
    if top is None:
        return None
    run = prepared(top.facts, setup)
    if not run.parallel or any(_owned_read(e) for e in run.entries if not e.binds_members):
        return None
    _seal(top.facts)
    memo = Memo(run.law)
    head = Report.of(run, digest=digest.value(), memo=memo)
    return Streamed(
        run, head.redacted() if redact else head, memo=memo, layout=layout,
        take=_Taker(top), whole=whole,
    )  # fmt: skip


def _owned_read(entry: Entry) -> bool:
    """Whether a provision's rule reads a category whose records members own."""
    return entry.rule is not None and not _parts.OWNED.isdisjoint(entry.rule.needs)


def _seal(facts: Facts) -> None:
    for name in _parts.OWNED:
        records = getattr(facts, name)
        if isinstance(records, _parts.Withheld):
            records.seal()


class _Taker:
    """How a worker takes its part: its members' own records, indexed; ``None`` when the
    document is not right that way. A class, not a closure: it holds the mapped text."""

    def __init__(self, top: _parts.Split) -> None:
        self.top = top

    def __call__(
        self, run: Evaluation, bounds: tuple[int, int], number: int, count: int
    ) -> Evaluation | None:
        own = frozenset(m.id for m in run.members[slice(*bounds)])
        facts = _parts.take(self.top, own, number, count)
        if facts is None:
            return None
        mine = run.with_facts(facts)
        _seal(facts)
        return mine
