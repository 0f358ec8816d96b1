"""Many teams in one command: ``selfbuild-rules evaluate DIR`` (or several paths, or a glob).

Each team's facts are one *shard* (a JSON or JSON Lines facts file). Every shard is
evaluated alone, in this process or, with ``--jobs N``, in one of ``N`` worker
processes (each shard whole in one worker; a pool over the shards, not the split of
one team's members). What depends only on the options (the law, the parameters, the
provisions to evaluate) is made once, not once a team (:class:`Compiled`). The
output is one report per team in a folder (``-o reports/``: each named after its
shard, with the format's ending), or one results table of every team (``--format
csv|parquet``), rows in the order of the shards, or every team's JSON Lines report one
after another (``--format jsonl``).

A shard that does not load stops the run: exit status 2, one ``error:`` line per
problem naming the shard and the record's field; nothing is left in the output
folder or file (the folder is written as a hidden temporary folder beside it and
renamed into place only once every team has been written). The Dask path
(:mod:`selfbuild_rules.extra.dask`) evaluates batches of shards with the same
functions (:class:`Ready`, :func:`team_done`).

>>> Summary.of(Counter({"pending": 2})).counts["pending"]
2
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import attrs

from selfbuild_rules.cli.output import UsageError
from selfbuild_rules.cli.progress import Progress
from selfbuild_rules.cli.shards import ShardError, check_folder, is_folder, names
from selfbuild_rules.engine.parallel import start_method
from selfbuild_rules.engine.processes import detach
from selfbuild_rules.engine.provisions import Memo
from selfbuild_rules.engine.results import Status
from selfbuild_rules.engine.run import results
from selfbuild_rules.engine.setup import Compiled, Setup
from selfbuild_rules.facts.digest import Digest, FactsDigest
from selfbuild_rules.facts.loading import FactsError, is_lines, load_facts
from selfbuild_rules.internal import memory, signals
from selfbuild_rules.internal.i18n import _
from selfbuild_rules.internal.text import printable
from selfbuild_rules.report.document import Report
from selfbuild_rules.report.results_table import (
    TABLE_FORMATS,
    Encoded,
    Rows,
    Table,
    encode,
    run_pieces,
    run_rows,
)
from selfbuild_rules.report.stream import LAYOUTS, Streamed, layout_of

__all__ = [
    "COMBINED",
    "Job",
    "Ready",
    "Summary",
    "TeamDone",
    "each_team",
    "evaluate_many",
    "team_done",
]

#: The formats a run over many shards can write as one output: the results table, or
#: every team's JSON Lines report one after another.
COMBINED = (*TABLE_FORMATS, "jsonl")


@attrs.frozen
class Job:
    """What is done with every shard: the setup (evaluated one process a team), the
    output format and language, whether names are redacted, and how shards are read
    (``lines``: ``None`` by each one's ending). Sent to Dask workers as it is."""

    setup: Setup
    form: str
    lang: str = "en"
    redact: bool = False
    lines: bool | None = None
    #: Whether JSON reports are indented for people.
    indent: bool = False

    @classmethod
    def of(cls, setup: Setup, form: str, **given: Any) -> Job:
        """A job whose setup evaluates each team in one process."""
        options = attrs.evolve(setup.options, jobs=1)  # shards, not members, are shared out
        return cls(attrs.evolve(setup, options=options), form, **given)


@attrs.frozen
class Ready:
    """A :class:`Job` with what it makes once for every team: the law, and the
    judgment provisions assessments must name."""

    job: Job
    compiled: Compiled
    judgments: Any
    #: The parameter values each rule used over a window, and the sets each rule's
    #: results can name: the same for every team.
    used: dict[Any, Any] = attrs.field(factory=dict, eq=False)
    sets: dict[Any, Any] = attrs.field(factory=dict, eq=False)

    def memo(self) -> Memo:
        """A team's memo, sharing what depends on the law alone with the other teams'."""
        return Memo(self.compiled.law, self.used, self.sets)

    @classmethod
    def of(cls, job: Job) -> Ready:
        """Make it (this checks the rules asked for)."""
        return cls(job, job.setup.compiled(), job.setup.base.judgments())


@attrs.frozen
class TeamDone:
    """One shard evaluated: how many results of each status, and the team's rows encoded
    for a combined table (made where the team was) or the file its report was written to."""

    shard: str
    counts: Counter[str]
    piece: Encoded | None = None
    written: str | None = None


def _report(ready: Ready, run: Any, with_results: bool, digest: FactsDigest) -> Report:
    report = Report.of(run, results(run) if with_results else (), digest, ready.memo())
    return report.redacted() if ready.job.redact else report


def _write_team(ready: Ready, run: Any, path: str, digest: FactsDigest) -> Counter[str]:
    """Write one team's report to ``path``; how many results of each status it has."""
    form = ready.job.form
    with open(path, "wb") as out:
        if form in LAYOUTS:
            head = _report(ready, run, False, digest)
            layout = layout_of(form, ready.job.indent)
            streamed = Streamed(run, head, memo=ready.memo(), layout=layout)
            streamed.write_into(out)
            return streamed.counts
        if form in TABLE_FORMATS:
            table = Table(form, lambda: run_pieces(run, form, ready.memo()))
            table.write_into(out)
            return table.counts
        report = _report(ready, run, True, digest)
        render = {"html": report.to_html, "markdown": report.to_markdown}
        out.write(render.get(form, report.to_text)(ready.job.lang).encode("utf-8"))
        return Counter(report.summary())


def team_done(ready: Ready, shard: str, path: str | None) -> TeamDone:
    """Evaluate one shard: its report written to ``path``, or, without one, its rows
    encoded in the job's table form.
    A shard that does not load raises :class:`ShardError`."""
    lines = ready.job.lines if ready.job.lines is not None else is_lines(shard)
    digest = Digest()  # of the shard's bytes, for its report's provenance
    try:
        facts = load_facts(shard, lines=lines, judgments=ready.judgments, digest=digest)
    except FactsError as exc:
        raise ShardError(shard, exc) from None
    with memory.paused():
        run = ready.compiled.evaluation(facts)
        if path is not None:
            return TeamDone(shard, _write_team(ready, run, path, digest.value()), written=path)
        if ready.job.form == "jsonl":  # the team's JSON Lines report, whole
            head = _report(ready, run, False, digest.value())
            streamed = Streamed(run, head, memo=ready.memo(), layout=LAYOUTS["jsonl"])
            data = b"".join(streamed.chunks())
            return TeamDone(shard, streamed.counts, Encoded("jsonl", data, streamed.counts))
        rows = Rows.joined(facts.team.id, run_rows(run, ready.memo()))
    piece = encode(ready.job.form, rows)
    return TeamDone(shard, piece.counts, piece)


#: The work a forked pool worker inherits: (ready, where each shard's report goes).
_INHERITED: tuple[Ready, dict[str, str | None]] | None = None


def _in_worker(shard: str) -> TeamDone:
    assert _INHERITED is not None
    ready, paths = _INHERITED
    return team_done(ready, shard, paths[shard])


def each_team(
    ready: Ready,
    shards: Sequence[str],
    paths: Sequence[str | None],
    jobs: int,
    progress: Progress | None = None,
) -> Iterator[TeamDone]:
    """Every shard evaluated, in the order given, each told to ``progress`` when done."""
    for i, done in enumerate(_each_team(ready, shards, paths, jobs), 1):
        if progress is not None:
            told = _("team {number} of {count} ({shard})")
            shard = printable(Path(done.shard).name)
            progress(told.format(number=f"{i:,}", count=f"{len(shards):,}", shard=shard))
        yield done


def _each_team(
    ready: Ready, shards: Sequence[str], paths: Sequence[str | None], jobs: int
) -> Iterator[TeamDone]:
    """Every shard evaluated, in the order given: here, or in a pool of ``jobs`` forked
    worker processes (where the system cannot fork, here)."""
    if jobs == 1 or len(shards) == 1 or start_method() != "fork":
        for shard, path in zip(shards, paths, strict=True):
            yield team_done(ready, shard, path)
        return
    global _INHERITED
    _INHERITED = (ready, dict(zip(shards, paths, strict=True)))
    # An executor, not a multiprocessing.Pool: a worker that dies (killed, out of
    # memory) makes it raise BrokenProcessPool, where a Pool would wait for ever.
    pool = ProcessPoolExecutor(
        jobs, multiprocessing.get_context("fork"), initializer=detach, initargs=(os.getpid(), ())
    )
    try:
        chunk = max(1, min(16, len(shards) // (jobs * 8)))
        yield from pool.map(_in_worker, shards, chunksize=chunk)
    except BaseException:  # a bad shard, a signal: the other workers are ended at once
        workers = list(getattr(pool, "_processes", None) or {})
        pool.shutdown(wait=False, cancel_futures=True)
        for pid in workers:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        raise
    else:
        pool.shutdown()
    finally:
        _INHERITED = None


@attrs.frozen
class Summary:
    """What a run over shards did: how many results of each status, the files written."""

    counts: dict[str, int]
    paths: tuple[str, ...] = ()

    @classmethod
    def of(cls, counts: Counter[str], paths: Sequence[str] = ()) -> Summary:
        """Every status listed, in the order of :class:`Status`."""
        return cls({s.value: counts.get(s.value, 0) for s in Status}, tuple(paths))

    def __add__(self, other: Summary) -> Summary:
        both = Counter(self.counts) + Counter(other.counts)
        return Summary.of(both, (*self.paths, *other.paths))


def into_folder(
    ready: Ready, shards: Sequence[str], output: str, jobs: int, progress: Progress
) -> Summary:
    """Write one report per team into the folder ``output``, new or empty; it appears
    whole (a temporary folder beside it, renamed) or not at all."""
    check_folder(output)
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    made = names(shards, ready.job.form)
    temporary: str | None = None
    try:
        with signals.held():  # a signal waits until the folder is known, to be removed
            temporary = tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.")
        paths = [os.path.join(temporary, name) for name in made]
        counts: Counter[str] = Counter()
        for done in each_team(ready, shards, paths, jobs, progress):
            counts += done.counts
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o777 & ~mask)  # as any new folder, not mkdtemp's 0700
        os.replace(temporary, target)  # onto nothing, or an empty folder
    except BaseException:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
        raise
    return Summary.of(counts, [str(target / name) for name in made])


def combined(ready: Ready, shards: Sequence[str], jobs: int, progress: Progress) -> Table:
    """One results table of every team, rows in the order of the shards."""

    def pieces() -> Iterator[Encoded]:
        for done in each_team(ready, shards, [None] * len(shards), jobs, progress):
            if done.piece is not None:
                yield done.piece

    return Table(ready.job.form, pieces)


def table_form(form: str) -> None:
    """Refuse a table format that cannot be written here, before any work."""
    from selfbuild_rules.report.results_table import MissingExtra, check_format

    try:
        check_format(form)
    except MissingExtra as exc:
        raise UsageError(str(exc)) from None


def evaluate_many(
    ready: Ready, shards: Sequence[str], output: str | None, jobs: int, progress: Progress
) -> tuple[Table | bytes, Callable[[], Counter[str]]]:
    """The command's work over many shards: the output still to write (a table), or
    nothing once the folder is written; and how many results of each status it holds
    (known once the output has been written)."""
    if is_folder(output):
        assert output is not None
        summary = into_folder(ready, shards, output, jobs, progress)
        return b"", lambda: Counter(summary.counts)
    if ready.job.form not in COMBINED:
        raise UsageError(
            _(
                "several shards: write one report per team into a folder (-o reports/) "
                "or one results table of all of them (--format csv or parquet), or their "
                "JSON Lines reports one after another (--format jsonl)"
            )
        )
    table = combined(ready, shards, jobs, progress)
    return table, lambda: table.counts
