"""A JSON report written while it is evaluated, provision by provision, never held whole.

This is how the command line writes ``--format json``: the same bytes as
:meth:`Report.to_json() <selfbuild_rules.Report.to_json>` (and ``--format jsonl``:
those of :meth:`Report.to_jsonl() <selfbuild_rules.Report.to_jsonl>`), but each provision's results
are written out and dropped before the next is evaluated, so memory holds the facts
and one provision's results, however many members there are. With ``jobs`` above one
the workers write the JSON themselves and this process only joins their parts.

>>> import selfbuild_rules as sr
>>> from selfbuild_rules.engine.setup import Options
>>> from selfbuild_rules.evaluation import setup_for
>>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
...        "members": [], "democratic_life_meetings": []}
>>> from selfbuild_rules.facts.digest import FactsDigest
>>> setup = setup_for(Options.of("2018", "2019-03-01"))
>>> streamed = json_report(sr.load_facts(doc), setup, digest=FactsDigest.of_document(doc))
>>> text = b"".join(streamed.chunks())
>>> text == sr.evaluate(doc, "2018", "2019-03-01").to_json_bytes()
True
>>> streamed.counts["non_compliant"]
1
"""

from __future__ import annotations

import operator
import struct
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import BinaryIO

import attrs
import msgspec

from selfbuild_rules.engine.parallel import (
    Pack,
    PartRefused,
    Take,
    parts_by_entry,
    start_method,
    written_by_entry,
)
from selfbuild_rules.engine.provisions import Memo, Uniform, made_in_batches
from selfbuild_rules.engine.results import Result, Status
from selfbuild_rules.engine.run import prepared
from selfbuild_rules.engine.setup import Evaluation, Setup
from selfbuild_rules.facts.digest import FactsDigest
from selfbuild_rules.facts.records import Facts
from selfbuild_rules.internal import memory as _gc
from selfbuild_rules.report.document import Report
from selfbuild_rules.report.encode import joined, json_head, json_tail, results_json
from selfbuild_rules.report.jsonl import header_line, results_lines, summary_tail

__all__ = [
    "INDENTED_LAYOUT",
    "JSON_LAYOUT",
    "LAYOUTS",
    "LINES_LAYOUT",
    "Layout",
    "Streamed",
    "json_report",
    "layout_of",
]

_STATUSES = tuple(Status)
_COUNTS = struct.Struct(f"<{len(_STATUSES)}I")  # how many results of each status


_STATUS_OF = operator.attrgetter("status")
_KIND_OF = operator.itemgetter(1)


def _note(made: list[Result] | Uniform) -> bytes:
    """How many of ``made`` have each status, packed."""
    # Counted with list.count, which finds each status by identity in C: an Enum's
    # hash, which a Counter would ask for each result, is Python code.
    if isinstance(made, Uniform):
        kinds = list(map(_KIND_OF, made.subjects))
        found = dict.fromkeys(_STATUSES, 0)
        for k, (status, _) in enumerate(made.kinds):
            found[status] += kinds.count(k)
        return _COUNTS.pack(*found.values())
    statuses = list(map(_STATUS_OF, made))
    return _COUNTS.pack(*map(statuses.count, _STATUSES))


def packed_json(made: list[Result] | Uniform) -> tuple[bytes, bytes]:
    """Results written as report JSON, with a note of how many have each status."""
    if isinstance(made, Uniform):
        return _note(made), uniform_json(made)
    return _note(made), results_json(made)


def packed_indented(made: list[Result] | Uniform) -> tuple[bytes, bytes]:
    """Results written as indented report JSON, with the same note."""
    if isinstance(made, Uniform):
        return _note(made), _templated(made, _indented, b",")
    return _note(made), _indented(made)


def _indented(results: list[Result]) -> bytes:
    return results_json(results, indent=True)


def packed_lines(made: list[Result] | Uniform) -> tuple[bytes, bytes]:
    """Results written as JSON Lines (a newline between two), with the same note."""
    if isinstance(made, Uniform):
        return _note(made), _templated(made, results_lines, b"\n")
    return _note(made), results_lines(made)


_HOLE = "\x00"  # the subject of a template: where each subject's JSON string goes


def uniform_json(made: Uniform) -> bytes:
    """``results_json(made.results())``, made from one template per kind of result.

    >>> from selfbuild_rules.engine.results import Citation
    >>> cited = Citation("demo-city", "一", "1.loyalty", "坚定不移……")
    >>> made = Uniform("1.loyalty", "2018", cited, "demo-city", [("m01", 0), ("张", 1)])
    >>> uniform_json(made) == results_json(made.results())
    True
    """
    return _templated(made, results_json, b",")


def _templated(made: Uniform, write: Callable[[list[Result]], bytes], between: bytes) -> bytes:
    """``write(made.results())``, where ``write`` puts ``between`` between two results."""
    hole = msgspec.json.encode(_HOLE)
    cut = [write([made.template(k, _HOLE)]).split(hole) for k in range(len(made.kinds))]
    if any(len(pieces) != 2 for pieces in cut):  # the hole is found elsewhere too
        return write(made.results())
    encode = msgspec.json.encode
    return between.join(b"".join((cut[k][0], encode(s), cut[k][1])) for s, k in made.subjects)


@attrs.frozen
class Layout:
    """How a streamed report is written: its first bytes (from the evaluation and the
    report without results), its results packed in parts with ``between`` each two,
    and its last bytes (from the counts, and whether any part was written)."""

    pack: Pack
    between: bytes
    first: Callable[[Evaluation, Report], bytes]
    last: Callable[[Report, Mapping[str, int], bool], bytes]


def _lines_first(_run: Evaluation, head: Report) -> bytes:
    return header_line(head)


def _indented_last(head: Report, summary: Mapping[str, int], written: bool) -> bytes:
    return json_tail(head, summary, written, indent=True)


def _lines_last(_head: Report, summary: Mapping[str, int], written: bool) -> bytes:
    return summary_tail(summary, written)


#: The JSON report (``--format json``).
JSON_LAYOUT = Layout(packed_json, b",", lambda _run, head: json_head(head), json_tail)
#: The JSON report indented for people (``--format json --indent``).
INDENTED_LAYOUT = Layout(
    packed_indented, b",", lambda _run, head: json_head(head, indent=True), _indented_last
)
#: The report as JSON Lines (``--format jsonl``).
LINES_LAYOUT = Layout(packed_lines, b"\n", _lines_first, _lines_last)
#: The layouts by the name of their format.
LAYOUTS = {"json": JSON_LAYOUT, "jsonl": LINES_LAYOUT}


def layout_of(form: str, indent: bool = False) -> Layout:
    """The layout of format ``form`` (``json`` or ``jsonl``); ``indent``: JSON for people.

    >>> layout_of("json", indent=True) is INDENTED_LAYOUT, layout_of("jsonl", True) is LINES_LAYOUT
    (True, True)
    """
    return INDENTED_LAYOUT if indent and form == "json" else LAYOUTS[form]


@attrs.define
class Streamed:
    """A JSON report to be written as it is evaluated; ``counts`` holds the number of
    results of each status written so far (all of them once it has been written)."""

    run: Evaluation
    head: Report
    #: What the results share, if a run over many teams of one law hands it on.
    memo: Memo | None = None
    layout: Layout = JSON_LAYOUT
    #: When ``run`` holds only the team's facts: how each worker takes its members' own
    #: (see :data:`~selfbuild_rules.engine.parallel.Take`), and the report of the whole
    #: facts, made when they cannot be taken that way (or the report is not written by
    #: the workers into a file).
    take: Take | None = None
    whole: Callable[[], Streamed] | None = None
    _totals: list[int] = attrs.field(factory=lambda: [0] * len(_STATUSES), init=False)
    _instead: Streamed | None = attrs.field(default=None, init=False)

    @property
    def counts(self) -> Counter[str]:
        """How many results of each status have been written so far."""
        if self._instead is not None:
            return self._instead.counts
        return Counter({s.value: n for s, n in zip(_STATUSES, self._totals, strict=True)})

    def _whole(self) -> Streamed:
        assert self.whole is not None
        self._instead = self.whole()
        return self._instead

    def _count(self, note: bytes) -> None:
        for counts in _COUNTS.iter_unpack(note):
            self._totals = list(map(operator.add, self._totals, counts))

    def chunks(self) -> Iterator[bytes]:
        """The report in pieces, each made when it is asked for."""
        if self.take is not None:
            return self._whole().chunks()
        layout = self.layout
        first = layout.first(self.run, self.head)
        return joined(first, self._parts(), layout.between, self._last)

    def _last(self, written: bool) -> bytes:
        return self.layout.last(self.head, self.counts, written)

    def _parts(self) -> Iterator[bytes]:
        with _gc.paused():
            run = self.run
            if run.parallel:
                for parts in parts_by_entry(run, self.layout.pack):
                    for note, part in parts:
                        self._count(note)
                        yield part
                return
            memo, members = self.memo or Memo(run.law), run.members
            for entry in run.entries:
                for made in made_in_batches(run.ctx, entry, members, memo):
                    note, part = self.layout.pack(made)
                    self._count(note)
                    yield part

    def write_into(self, stream: BinaryIO, seekable: bool = False) -> None:
        """Write the report into ``stream``; with ``seekable`` (a file of its own, not one
        opened to append) and several processes, each worker writes its parts itself."""
        if not (seekable and self.run.parallel and start_method() == "fork"):
            for piece in self.chunks():
                stream.write(piece)
            return
        if self.take is None:
            self._written(stream)
            return
        try:
            self._written(stream, self.take)
        except PartRefused:  # the whole facts, the usual way, from the start of the file
            self._totals = [0] * len(_STATUSES)
            stream.seek(0)
            stream.truncate()
            self._whole().write_into(stream, seekable)

    def _written(self, stream: BinaryIO, take: Take | None = None) -> None:
        """The report written by the workers, each its parts where they go."""
        layout = self.layout
        stream.write(layout.first(self.run, self.head))
        stream.flush()
        offset, written = stream.tell(), False

        def place(lengths: list[int]) -> list[tuple[int, bytes]]:
            nonlocal offset, written
            found = []
            for length in lengths:
                before = layout.between if written and length else b""
                found.append((offset, before))
                offset += len(before) + length
                written = written or length > 0
            return found

        with _gc.paused():
            fd = stream.fileno()
            written_here = written_by_entry(
                self.run, layout.pack, (fd, layout.between), place, take
            )
            for notes in written_here:
                for note in notes:
                    self._count(note)
        stream.seek(offset)
        stream.write(self._last(written))


def json_report(
    facts: Facts,
    setup: Setup,
    *,
    redact: bool = False,
    digest: FactsDigest | None = None,
    layout: Layout = JSON_LAYOUT,
) -> Streamed:
    """The JSON report of an evaluation, to be written as it is made (``digest``: that of
    the facts as read, for the provenance; ``layout``: :data:`LINES_LAYOUT` for JSON Lines).

    Everything that can be wrong with the options raises here, before any piece.
    """
    run = prepared(facts, setup)
    memo = Memo(run.law)  # the head lists the sets of values the results will name
    head = Report.of(run, digest=digest, memo=memo)
    return Streamed(run, head.redacted() if redact else head, memo=memo, layout=layout)
