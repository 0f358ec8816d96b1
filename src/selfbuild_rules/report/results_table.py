"""The results table: one row per result, for analysts and spreadsheets (CSV or Parquet).

Every result of one or many teams is a row of the same eleven columns
(:data:`COLUMNS`): the team's id, the period, the rule, the subject (a member's id or
``team``), the status, what was measured against the minimum or maximum, the due
date, and the explanation in Chinese and in English. CSV is UTF-8 with a byte order
mark, so that Excel opens it in Chinese; Parquet (the ``parquet`` extra, pyarrow)
keeps the numbers as integers and the due date as a date, for DuckDB, pandas or
polars. Rows are made and written a batch at a time (:class:`Rows`), never all at once.

>>> import io, selfbuild_rules as sr
>>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
...        "members": [], "democratic_life_meetings": []}
>>> report = sr.evaluate(doc, "2018", "2019-03-01", rules=["6.democratic-life-meeting"])
>>> stream = io.BytesIO()
>>> table = CsvTable(stream)
>>> table.write(Rows.of("t", list(report.results)))
>>> print(stream.getvalue().decode("utf-8-sig").replace("\\r\\n", "\\n"), end="")
team,period,rule,subject,status,measured,minimum,maximum,due,explanation_zh,explanation_en
t,2018,6.democratic-life-meeting,team,non_compliant,0,1,,2018-12-31,...
"""

from __future__ import annotations

import csv
import datetime as _dt
import importlib
import io
import pickle
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any, BinaryIO, Protocol

import attrs

from selfbuild_rules.engine.parallel import parts_by_entry
from selfbuild_rules.engine.provisions import Memo, Uniform, made_in_batches
from selfbuild_rules.engine.results import Result, Status
from selfbuild_rules.engine.setup import Evaluation
from selfbuild_rules.internal import memory as _gc

__all__ = [
    "COLUMNS",
    "TABLE_FORMATS",
    "CsvTable",
    "Encoded",
    "MissingExtra",
    "ParquetTable",
    "Rows",
    "Table",
    "encode",
    "open_table",
    "run_pieces",
    "run_rows",
]

#: The columns of the results table, in order.
COLUMNS = (
    "team",
    "period",
    "rule",
    "subject",
    "status",
    "measured",
    "minimum",
    "maximum",
    "due",
    "explanation_zh",
    "explanation_en",
)
#: The formats of the results table, and the ending of a file of each.
TABLE_FORMATS = {"csv": ".csv", "parquet": ".parquet"}
#: Rows a Parquet row group gathers before it is written (small teams come in small batches).
ROW_GROUP = 65_536


class MissingExtra(Exception):
    """A format needs an optional extra that is not installed (the message says which)."""


@attrs.frozen
class Rows:
    """Results of one team as columns: ``team`` once, each other column a list.

    >>> from selfbuild_rules.engine.provisions import Uniform
    >>> from selfbuild_rules.engine.results import Citation
    >>> made = Uniform("1.loyalty", "2018", Citation("demo", "一", "1.loyalty", "……"),
    ...                "demo", [("m01", 0), ("m02", 1)])
    >>> rows = Rows.of("t", made)
    >>> len(rows), rows.status, rows.measured
    (2, ['requires_judgment', 'not_applicable'], [None, None])
    """

    team: str
    period: list[str]
    rule: list[str]
    subject: list[str]
    status: list[str]
    measured: list[int | None]
    minimum: list[int | None]
    maximum: list[int | None]
    due: list[_dt.date | None]
    explanation_zh: list[str]
    explanation_en: list[str]

    @classmethod
    def of(cls, team: str, made: list[Result] | Uniform) -> Rows:
        """The rows of some results of the team with id ``team``."""
        if isinstance(made, Uniform):  # one status and explanation per kind: no objects
            kinds = [(s.value, e.zh, e.en) for s, e in made.kinds]
            found = [kinds[k] for _, k in made.subjects]
            n = len(found)
            return cls(
                team, [made.period] * n, [made.rule] * n, [s for s, _ in made.subjects],
                [f[0] for f in found], [None] * n, [None] * n, [None] * n, [None] * n,
                [f[1] for f in found], [f[2] for f in found],
            )  # fmt: skip
        needs = [r.requirement for r in made]
        return cls(
            team, [r.period for r in made], [r.rule for r in made], [r.subject for r in made],
            [r.status.value for r in made],
            [None if q is None else q.measured for q in needs],
            [None if q is None else q.minimum for q in needs],
            [None if q is None else q.maximum for q in needs],
            [r.due for r in made],
            [r.explanation.zh for r in made], [r.explanation.en for r in made],
        )  # fmt: skip

    def __len__(self) -> int:
        return len(self.rule)

    def columns(self) -> list[list[Any]]:
        """Every column as a list, ``team`` repeated, in the order of :data:`COLUMNS`."""
        fields = attrs.astuple(self, recurse=False)
        return [[self.team] * len(self), *fields[1:]]

    def counts(self) -> Counter[str]:
        """How many rows have each status."""
        return Counter(self.status)

    @classmethod
    def joined(cls, team: str, batches: Iterable[Rows]) -> Rows:
        """The rows of several batches of one team, one after the other."""
        columns: list[list[Any]] = [[] for _ in COLUMNS[1:]]
        for batch in batches:
            for column, more in zip(columns, attrs.astuple(batch, recurse=False)[1:], strict=True):
                column.extend(more)
        return cls(team, *columns)


@attrs.frozen
class Encoded:
    """Rows already in a table's form: CSV bytes, or an Arrow record batch. A worker
    process encodes its rows and sends these, so the process writing the table only
    writes them.

    >>> piece = encode("csv", Rows("t", ["2018"], ["1.x"], ["team"], ["pending"], [None],
    ...                            [None], [None], [None], ["待定"], ["open"]))
    >>> piece.data.decode("utf-8").strip().split(",")
    ['t', '2018', '1.x', 'team', 'pending', '', '', '', '', '待定', 'open']
    >>> piece.counts
    Counter({'pending': 1})
    """

    form: str
    data: Any
    counts: Counter[str]


def encode(form: str, rows: Rows) -> Encoded:
    """``rows`` in the table form ``form`` (``csv`` or ``parquet``)."""
    if form == "parquet":
        pa = _pyarrow()
        schema = _schema()
        arrays = [
            pa.array(column, type=field.type)
            for column, field in zip(rows.columns(), schema, strict=True)
        ]
        return Encoded(form, pa.record_batch(arrays, schema=schema), rows.counts())
    text = io.StringIO()
    columns = rows.columns()
    columns[COLUMNS.index("due")] = [None if d is None else d.isoformat() for d in rows.due]
    csv.writer(text).writerows(zip(*columns, strict=True))
    return Encoded(form, text.getvalue().encode("utf-8", "backslashreplace"), rows.counts())


def _packed(team: str, form: str, made: list[Result] | Uniform) -> tuple[bytes, bytes]:
    """A worker's rows, encoded and pickled to be sent (a ``Pack`` of the parallel engine)."""
    return b"", pickle.dumps(encode(form, Rows.of(team, made)), protocol=pickle.HIGHEST_PROTOCOL)


def run_pieces(run: Evaluation, form: str, memo: Memo | None = None) -> Iterator[Encoded]:
    """The rows of an evaluation in the table form ``form``, provision by provision and
    a batch of members at a time (made and encoded in ``jobs`` worker processes when the
    run is parallel); ``memo`` may be one an earlier evaluation of the same law left, to
    share what it worked out."""
    team = run.ctx.facts.team.id
    with _gc.paused():
        if run.parallel:
            for parts in parts_by_entry(run, partial(_packed, team, form)):
                for _, part in parts:
                    found: Encoded = pickle.loads(part)
                    yield found
            return
        memo = Memo(run.law) if memo is None else memo
        for entry in run.entries:
            for made in made_in_batches(run.ctx, entry, run.ctx.facts.members, memo):
                yield encode(form, Rows.of(team, made))


def run_rows(run: Evaluation, memo: Memo | None = None) -> Iterator[Rows]:
    """The rows of an evaluation made in this process, a batch at a time (see
    :func:`run_pieces`)."""
    team = run.ctx.facts.team.id
    memo = Memo(run.law) if memo is None else memo
    with _gc.paused():
        for entry in run.entries:
            for made in made_in_batches(run.ctx, entry, run.ctx.facts.members, memo):
                yield Rows.of(team, made)


class TableWriter(Protocol):
    """Writes encoded rows into a stream; :meth:`close` finishes the table."""

    def put(self, piece: Encoded) -> None: ...

    def close(self) -> None: ...


class CsvTable:
    """The results table as CSV: UTF-8 with a byte order mark, a header line, ``\\r\\n``
    between rows (RFC 4180), empty fields for no value, dates as ``YYYY-MM-DD``."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.stream.write(("\ufeff" + ",".join(COLUMNS) + "\r\n").encode("utf-8"))

    def write(self, rows: Rows) -> None:
        """Write these rows."""
        self.put(encode("csv", rows))

    def put(self, piece: Encoded) -> None:
        """Write rows already encoded as CSV."""
        self.stream.write(piece.data)

    def close(self) -> None:
        """Nothing to finish: every row is written as it comes."""


def _pyarrow() -> Any:
    try:
        return importlib.import_module("pyarrow")
    except ImportError:
        raise MissingExtra(
            "--format parquet needs pyarrow: pip install 'selfbuild-rules[parquet]'"
        ) from None


def _schema() -> Any:
    """The Arrow schema of the table: texts, whole numbers (int64) and the due date."""
    pa = _pyarrow()
    kinds = {"measured": pa.int64(), "minimum": pa.int64(), "maximum": pa.int64()}
    kinds["due"] = pa.date32()
    return pa.schema([(name, kinds.get(name, pa.string())) for name in COLUMNS])


class ParquetTable:
    """The results table as one Parquet file, row groups of :data:`ROW_GROUP` rows."""

    def __init__(self, stream: BinaryIO) -> None:
        self.pa = _pyarrow()
        parquet = importlib.import_module("pyarrow.parquet")
        self.writer = parquet.ParquetWriter(stream, _schema(), compression="zstd")
        self.waiting: list[Any] = []
        self.rows = 0

    def write(self, rows: Rows) -> None:
        """Add these rows."""
        self.put(encode("parquet", rows))

    def put(self, piece: Encoded) -> None:
        """Add rows already encoded as an Arrow record batch; a row group is written
        once enough have come."""
        self.waiting.append(piece.data)
        self.rows += piece.data.num_rows
        if self.rows >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self.waiting:
            self.writer.write_table(self.pa.Table.from_batches(self.waiting), ROW_GROUP)
        self.waiting, self.rows = [], 0

    def close(self) -> None:
        """Write what is waiting and the file's footer."""
        self._flush()
        self.writer.close()


class LinesTable:
    """Teams' JSON Lines reports (``--format jsonl`` over many shards), one after another:
    each team's header line, result lines and summary line, already encoded."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def put(self, piece: Encoded) -> None:
        """Write one team's report."""
        self.stream.write(piece.data)

    def close(self) -> None:
        """Nothing to finish: each report ends with its summary line."""


def open_table(form: str, stream: BinaryIO) -> TableWriter:
    """A writer of the table in ``form`` (``csv``, ``parquet``, or ``jsonl``: reports one
    after another) into ``stream``; :class:`MissingExtra` if that needs an extra that is
    not installed."""
    writers: dict[str, Callable[[BinaryIO], TableWriter]] = {
        "parquet": ParquetTable,
        "jsonl": LinesTable,
    }
    return writers.get(form, CsvTable)(stream)


def check_format(form: str) -> None:
    """Raise :class:`MissingExtra` now, before any work, if ``form`` cannot be written."""
    if form == "parquet":
        _pyarrow()


@attrs.define
class Table:
    """A results table to be written as it is made: ``pieces`` gives its rows, encoded
    (a call, so nothing is made before the table is written); ``counts`` holds how many
    rows of each status have been written."""

    form: str
    pieces: Callable[[], Iterable[Encoded]]
    counts: Counter[str] = attrs.field(factory=lambda: Counter({s.value: 0 for s in Status}))

    def write_into(self, stream: BinaryIO, seekable: bool = False) -> None:
        """Write the whole table into ``stream``."""
        writer = open_table(self.form, stream)
        for piece in self.pieces():
            self.counts.update(piece.counts)
            writer.put(piece)
        writer.close()
