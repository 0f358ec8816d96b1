"""Many teams on a Dask cluster: one shard of facts per team, one report per team.

Needs the optional extra: ``pip install "selfbuild-rules[dask]"`` (``dask[bag]`` and
``distributed``). A national review is many teams; each team's facts are one
*shard* (a JSON Lines or JSON facts file, or one element of a Dask bag), each shard
is evaluated on some worker exactly as :func:`selfbuild_rules.evaluate` would
evaluate it alone, and the reports are gathered in the order of the shards.

Given ``out``, :func:`evaluate_teams` gathers nothing but a :class:`Summary`: the
workers write each team's report, or their parts of one results table, into that
folder themselves (batches of shards a task), as ``selfbuild-rules evaluate DIR -o``
would (shards and ``out`` then on a file system every worker shares). Without it,
combining means keeping each team's report whole: a :class:`TeamReports` holds one
unchanged ``selfbuild-rules.report/2`` report per team, so every result stays tagged
with its team (the report's ``team``) and with the members and parameters it was
evaluated with; :meth:`TeamReports.results` yields ``(team id, result)`` pairs and
:meth:`TeamReports.summary` adds the counts up over all teams.

A worker imports this package at its first task (some 0.2 s of CPU); to have it do
that when it starts, start it with ``--preload selfbuild_rules.extra.dask`` (or
``LocalCluster(preload=["selfbuild_rules.extra.dask"])``). Dask's workers look at
the running task's stack every 10 ms (their statistical profiler); a cluster run for
throughput may switch that off (``distributed.worker.profile.enabled: false`` in the
workers' Dask configuration): on two cores that was 2-7% of the wall time.

Point it at a cluster by creating a client first (``Client("tcp://scheduler:8786")``);
Dask then uses that client, or pass it as ``client=``. Shards named by path are read
by the workers, through fsspec, so they must be where the workers can read them
(a shared file system, or a URL such as ``s3://bucket/teams/0001.jsonl``); modules
named by id must be installed on the workers.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from selfbuild_rules.cli.output import UsageError
from selfbuild_rules.cli.shards import ENDINGS, SHARD_SUFFIXES, ShardError, names
from selfbuild_rules.cli.teams import Job, Ready, Summary, team_done
from selfbuild_rules.engine.results import Result, Status
from selfbuild_rules.engine.run import prepared, results
from selfbuild_rules.engine.setup import Options, Setup
from selfbuild_rules.evaluation import load_facts, setup_for
from selfbuild_rules.facts.digest import Digest
from selfbuild_rules.facts.loading import FactsError, is_lines
from selfbuild_rules.report.document import Report
from selfbuild_rules.report.results_table import TABLE_FORMATS, Encoded, Table

if TYPE_CHECKING:  # pragma: no cover
    import datetime as _dt

#: A directory, a list of paths or URLs, or a Dask bag of facts (typed loosely: the
#: extra is optional, so nothing here is typed against Dask itself).
Shards = Any

__all__ = ["ShardError", "Summary", "TeamReports", "evaluate_teams", "team_reports"]


@attrs.frozen
class TeamReports:
    """The reports of many teams, one per team, in the order of the shards.

    >>> import selfbuild_rules as sr
    >>> def team(i):
    ...     return {"format": "selfbuild-rules.facts/1",
    ...             "team": {"id": f"t{i}", "name": f"班子{i}"}, "members": [],
    ...             "democratic_life_meetings": []}
    >>> both = TeamReports(tuple(sr.evaluate(team(i), "2018", "2019-03-01",
    ...                                      rules=["6.democratic-life-meeting"])
    ...                          for i in (1, 2)))
    >>> [(team, r.status.value) for team, r in both.results()]
    [('t1', 'non_compliant'), ('t2', 'non_compliant')]
    >>> both.summary()["non_compliant"], both.report("t2").team.name
    (2, '班子2')
    """

    reports: tuple[Report, ...]

    def __attrs_post_init__(self) -> None:
        counts = Counter(r.team.id for r in self.reports)
        twice = sorted(team for team, n in counts.items() if n > 1)
        if twice:
            raise ValueError(f"more than one shard for team {', '.join(twice)}")

    def report(self, team: str) -> Report:
        """The report of the team with id ``team``."""
        for found in self.reports:
            if found.team.id == team:
                return found
        raise KeyError(f"no report for team {team}")

    def results(self) -> Iterator[tuple[str, Result]]:
        """Every result of every team, as ``(team id, result)``, team by team."""
        for report in self.reports:
            for result in report.results:
                yield report.team.id, result

    def summary(self) -> dict[str, int]:
        """How many results of all teams have each status, every status listed."""
        counts = Counter(r.status for _, r in self.results())
        return {s.value: counts.get(s, 0) for s in Status}

    def to_json_lines(self) -> str:
        """One ``selfbuild-rules.report/2`` document per line, in team order: each team's
        :meth:`Report.to_json` as it is (compact, one line ending with a newline)."""
        return "".join(r.to_json() for r in self.reports)


def _dask_bag() -> Any:
    try:
        return importlib.import_module("dask.bag")
    except ImportError as exc:
        raise ImportError(
            "selfbuild_rules.extra.dask needs the dask extra: pip install 'selfbuild-rules[dask]'"
        ) from exc


def _paths(shards: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[str]:
    """The shards named: a directory's (by name), a glob pattern's, or those listed."""
    if not isinstance(shards, (str, os.PathLike)):
        return [os.fsdecode(s) for s in shards]
    text = os.fsdecode(shards)
    fs, path = importlib.import_module("fsspec").core.url_to_fs(text)
    if any(c in text for c in "*?["):
        found = sorted(fs.glob(path))
    elif fs.isdir(path):
        found = sorted(p for p in fs.ls(path, detail=False) if p.lower().endswith(SHARD_SUFFIXES))
        if not found:
            raise ValueError(f"{text}: no shard (*.jsonl, *.ndjson, *.json) in it")
    else:
        return [text]
    return found if "://" not in text else [fs.unstrip_protocol(p) for p in found]


def _evaluate_shard(shard: Any, setup: Setup) -> Report:
    """On a worker: one team's report, from a path (read through fsspec) or facts."""
    digest = Digest()  # of the shard's bytes, or of the facts' canonical encoding
    if isinstance(shard, str):
        fsspec = importlib.import_module("fsspec")  # comes with dask
        try:
            with fsspec.open(shard, "rb") as stream:
                lines = is_lines(shard)
                shard = load_facts(stream, lines=lines, regulation=setup.base, digest=digest)
        except FactsError as exc:
            raise ShardError(shard, exc) from None
    else:
        shard = load_facts(shard, regulation=setup.base, digest=digest)
    run = prepared(shard, setup)
    return Report.of(run, results(run), digest.value())


def team_reports(
    shards: Shards, period: str | int, as_of: str | _dt.date | None = None, **options: Any
) -> Any:
    """A lazy Dask bag of :class:`Report`, one per shard, in the order of the shards.

    ``shards`` is a directory (its ``*.jsonl``, ``*.ndjson`` and ``*.json`` files, by
    name) or a glob pattern, as a path or an fsspec URL (``s3://bucket/teams/``); a
    list of paths or URLs; or a Dask bag whose elements are each one team's facts (a
    :class:`Facts`, a dict in the facts format, or a path). The other arguments
    (``parameters``, ``rules``, ``modules``, ``module_order``, ``regulation``) are those
    of :func:`selfbuild_rules.evaluate`, applied to every team, and checked here.
    """
    db = _dask_bag()
    regulation = options.pop("regulation", None)
    setup = setup_for(Options.of(period, as_of, **options), regulation)
    if isinstance(shards, db.Bag):
        bag = shards
    else:
        paths = _paths(shards)
        bag = db.from_sequence(paths, npartitions=len(paths))
    return bag.map(_evaluate_shard, setup)


def evaluate_teams(
    shards: Shards,
    period: str | int,
    as_of: str | _dt.date | None = None,
    *,
    client: Any = None,
    out: str | os.PathLike[str] | None = None,
    form: str = "json",
    per_task: int | None = None,
    **options: Any,
) -> Any:
    """Evaluate every team's shard on the cluster: gather the reports, or, given ``out``,
    have the workers write them there and gather only a :class:`Summary`.

    ``client`` is a ``distributed.Client``; without one, Dask's default is used (the
    client created last, if any). See :func:`team_reports` for ``shards`` and the
    other arguments; the report of each team equals ``selfbuild_rules.evaluate(shard, ...)``.

    With ``out`` (a folder every worker can write to; made if missing) the shards are
    sent in batches of ``per_task`` (by default enough for :data:`TASKS_PER_THREAD`
    tasks for each of the cluster's worker threads), and each task writes, for ``form``
    ``json`` (or ``html``, ``markdown``, ``text``), each team's report as the command
    line's ``-o out/`` does, named after its shard; for ``csv`` or ``parquet``, one part
    of the results table, ``part-00000.csv`` and so on, the parts of one data set in the
    order of the shards. Each file appears whole (written under a hidden name, then
    renamed); a file of the same name is replaced. What every team shares is sent to
    each worker once and made there once (:func:`_ready`). Returns a :class:`Summary`:
    the counts of each status and the paths written.
    """
    if out is None:
        bag = team_reports(shards, period, as_of, **options)
        computed = bag.compute() if client is None else bag.compute(scheduler=client)
        return TeamReports(tuple(computed))
    return _write_teams(shards, period, as_of, client, os.fspath(out), form, per_task, options)


#: Tasks a worker thread is given by default when the workers write (``out``): a few,
#: so that a worker slowed by its neighbours is caught up by the others, and few
#: enough that each task's fixed cost (some 4 ms of CPU between the scheduler, the
#: client and the worker, measured on a 2-worker LocalCluster) stays small beside its
#: teams (63 tasks of a 2,000-team province cost 0.2-0.3 s of CPU more than 8).
TASKS_PER_THREAD = 4
#: Tasks in all when the cluster's size is not known (no client given).
TASKS_UNKNOWN = 64


@attrs.frozen
class Batch:
    """The shards one task evaluates, and its number (its table part's number).

    >>> [b.shards for b in _batches(["a.jsonl", "b.jsonl", "c.jsonl"], 2, None)]
    [('a.jsonl', 'b.jsonl'), ('c.jsonl',)]
    """

    number: int
    shards: tuple[str, ...]


def _batches(paths: Sequence[str], per_task: int | None, client: Any) -> list[Batch]:
    """``paths`` in order, cut into batches of ``per_task``; by default into as many
    batches as :data:`TASKS_PER_THREAD` times the client's worker threads, of sizes
    that differ by one at most (:data:`TASKS_UNKNOWN` without a client)."""
    if per_task is not None:
        starts = list(range(0, len(paths), max(1, per_task)))
        ends = [*starts[1:], len(paths)]
    else:
        threads = sum(client.nthreads().values()) if client is not None else 0
        tasks = min(len(paths), TASKS_PER_THREAD * threads if threads else TASKS_UNKNOWN)
        ends = [len(paths) * k // tasks for k in range(1, tasks + 1)]
        starts = [0, *ends[:-1]]
    return [Batch(k, tuple(paths[a:b])) for k, (a, b) in enumerate(zip(starts, ends, strict=True))]


def _write_teams(
    shards: Shards,
    period: str | int,
    as_of: str | _dt.date | None,
    client: Any,
    out: str,
    form: str,
    per_task: int | None,
    options: dict[str, Any],
) -> Summary:
    """:func:`evaluate_teams` with ``out``: tasks of batches of shards, each writing."""
    db = _dask_bag()
    regulation = options.pop("regulation", None)
    setup = setup_for(Options.of(period, as_of, **options), regulation)
    paths = _paths(shards)
    if not paths:
        raise ValueError(f"{shards}: no shard")
    try:
        names(paths, form)  # two shards of one name are refused before any work
    except UsageError as exc:
        raise ValueError(str(exc)) from None
    client = client if client is not None else _default_client()
    batches = _batches(paths, per_task, client)
    job = Job.of(setup, form)
    if client is None:  # Dask's local scheduler: the job is one input of every task
        bag = db.from_sequence(batches, npartitions=len(batches))
        done: list[Summary] = bag.map(
            _write_batch, importlib.import_module("dask").delayed(job), out
        ).compute()
    else:
        # The job is sent to every worker once, before the tasks: each task of a worker
        # is then given the same object (see _ready), and no worker is preferred for
        # holding it (one input held by one worker draws the tasks to that worker).
        shared = client.scatter(job, broadcast=True, hash=False)
        done = client.gather(client.map(_write_batch, batches, job=shared, out=out, pure=False))
    return sum(done[1:], done[0])


def _default_client() -> Any:
    """The client Dask uses by default (the one created last), if any."""
    try:
        return importlib.import_module("distributed").get_client()
    except (ImportError, ValueError):
        return None


#: On a worker: the last job it was given, made ready (see :func:`_ready`).
_READY: tuple[Job, Ready] | None = None


def _ready(job: Job) -> Ready:
    """On a worker: ``job`` made ready once for all the tasks of one call that the worker
    runs (they are given the same object), as the one command makes it once for all
    the teams: the law, and the parameter values the teams share (the memo's)."""
    global _READY
    last = _READY
    if last is None or last[0] is not job:
        last = _READY = (job, Ready.of(job))
    return last[1]


def _write_batch(batch: Batch, job: Job, out: str) -> Summary:
    """A task: evaluate the batch's shards and write into the folder ``out`` each team's
    report, or one part of the results table, ``part-NNNNN.csv|parquet``."""
    ready = _ready(job)
    os.makedirs(out, exist_ok=True)
    if job.form in TABLE_FORMATS:
        target = os.path.join(out, f"part-{batch.number:05d}{ENDINGS[job.form]}")
        # Written as made, a team at a time: a task holds one team's rows, not its batch's.
        table = Table(job.form, lambda: (_piece(ready, shard) for shard in batch.shards))
        _whole(target, lambda hidden: _into(hidden, table))
        return Summary.of(table.counts, [target])
    counts: Counter[str] = Counter()
    written = []
    for shard, name in zip(batch.shards, names(batch.shards, job.form), strict=True):
        target = os.path.join(out, name)
        counts += _whole(target, functools.partial(_report_into, ready, shard))
        written.append(target)
    return Summary.of(counts, written)


def _report_into(ready: Ready, shard: str, path: str) -> Counter[str]:
    return team_done(ready, shard, path).counts


def _piece(ready: Ready, shard: str) -> Encoded:
    piece = team_done(ready, shard, None).piece
    assert piece is not None  # a team not written to a file gives its rows
    return piece


def _into(path: str, table: Table) -> None:
    with open(path, "wb") as stream:
        table.write_into(stream)


_T = TypeVar("_T")


def _whole(target: str, write: Callable[[str], _T]) -> _T:
    """``write`` a file under a hidden name beside ``target``, renamed to it once whole;
    if writing fails, nothing is left."""
    folder, name = os.path.split(target)
    hidden = os.path.join(folder, f".{name}.part")
    try:
        made = write(hidden)
        os.replace(hidden, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(hidden)
        raise
    return made
