"""The report of one evaluation, and its forms: JSON, text, table, Markdown and HTML.

The JSON document (``selfbuild-rules.report/1``) is deterministic: the same input
gives byte-identical output, so reports can be diffed and archived. No form holds a
timestamp. :meth:`Report.redacted` replaces member names with their ids in every form.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import attrs
import msgspec

from selfbuild_rules.engine.results import Result, Status
from selfbuild_rules.engine.setup import Evaluation
from selfbuild_rules.facts.records import Team
from selfbuild_rules.facts.structure import unstructure
from selfbuild_rules.internal.text import printable
from selfbuild_rules.law.text import Regulation

__all__ = ["REPORT_FORMAT", "Report", "json_document", "json_head", "json_tail", "results_json"]

REPORT_FORMAT = "selfbuild-rules.report/1"


def _unknown(value: object) -> object:
    raise TypeError(f"cannot write {type(value).__name__} in a report: {value!r}")


#: Sorted keys (of dicts and of attrs records alike), UTF-8 as is, dates as ISO strings.
#: A piece of a JSON report: bytes, or a view of a larger buffer (no copy made).
Part = TypeVar("Part", bytes, memoryview)

_ENCODER = msgspec.json.Encoder(order="sorted", enc_hook=_unknown)
#: What a one-key document ``{"results": [...]}`` adds around its items once indented.
_HEAD, _TAIL = len(b'{\n  "results": ['), -len(b"\n  ]\n}")


@attrs.frozen
class Report:
    """All results of one evaluation, with the inputs that shaped them.

    >>> import selfbuild_rules as sr
    >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
    ...        "members": [], "democratic_life_meetings": []}
    >>> report = sr.evaluate(doc, "2018", "2019-03-01", rules=["6.democratic-life-meeting"])
    >>> report.summary()["non_compliant"], report.to_dict()["format"]
    (1, 'selfbuild-rules.report/1')
    """

    regulation: str
    team: Team
    period: str
    as_of: _dt.date
    parameters: Mapping[str, object]
    results: tuple[Result, ...]
    #: Member id → name, in the order of the facts (for rendering; empty if not known).
    members: Mapping[str, str] = attrs.field(factory=dict)
    #: The local modules applied: sorted, or in the order given when that order was
    #: declared to matter (none for the base regulation alone).
    modules: tuple[str, ...] = ()
    #: The base regulation's text, for titles and headings in the rendered forms
    #: (not part of the JSON document, which cites each result's provision itself).
    regulation_text: Regulation | None = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def of(cls, run: Evaluation, results: tuple[Result, ...] = ()) -> Report:
        """The report of a prepared evaluation, with these results."""
        facts, setup = run.ctx.facts, run.setup
        return cls(
            regulation=setup.base.id,
            team=facts.team,
            members={m.id: m.name for m in facts.members},
            modules=run.law.modules,
            period=str(run.ctx.period),
            as_of=setup.options.as_of,
            parameters=setup.parameters(),
            results=results,
            regulation_text=setup.base.regulation,
        )

    def redacted(self) -> Report:
        """The same report with every member name replaced by the member's id."""
        return attrs.evolve(self, members={m: m for m in self.members})

    def result(self, rule: str, subject: str = "team") -> Result:
        """The result of ``rule`` for ``subject`` (a member id or ``"team"``)."""
        for r in self.results:
            if r.rule == rule and r.subject == subject:
                return r
        raise KeyError(f"no result for {rule} / {subject}")

    def summary(self) -> dict[str, int]:
        """How many results have each status, every status listed."""
        counts = Counter(r.status for r in self.results)
        return {s.value: counts.get(s, 0) for s in Status}

    def to_dict(self) -> dict[str, Any]:
        """The report as the ``selfbuild-rules.report/1`` document."""
        return {
            "format": REPORT_FORMAT,
            "regulation": self.regulation,
            "team": unstructure(self.team),
            "period": self.period,
            "as_of": self.as_of.isoformat(),
            "members": [{"id": m, "name": n} for m, n in self.members.items()],
            "modules": list(self.modules),
            "parameters": {k: unstructure(v) for k, v in sorted(self.parameters.items())},
            "summary": self.summary(),
            "results": [unstructure(r) for r in self.results],
        }

    def to_json(self) -> str:
        """The JSON document, deterministic to the byte: keys sorted, two-space indentation.

        The same document as ``json.dumps(report.to_dict(), ensure_ascii=False,
        indent=2, sort_keys=True)``, written by msgspec's C encoder straight from the
        results (about fifteen times faster than the pure-Python indenting encoder).

        >>> import json
        >>> import selfbuild_rules as sr
        >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
        ...        "members": [], "democratic_life_meetings": []}
        >>> report = sr.evaluate(doc, "2018", "2019-03-01", rules=["6.democratic-life-meeting"])
        >>> text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)
        >>> report.to_json() == text + chr(10)
        True
        """
        return self.to_json_bytes().decode("utf-8")

    def to_json_bytes(self) -> bytes:
        """:meth:`to_json` encoded as UTF-8, without ever holding it as text.

        >>> import selfbuild_rules as sr
        >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
        ...        "members": []}
        >>> report = sr.evaluate(doc, "2018", "2019-03-01", rules=["2.relay-directives"])
        >>> report.to_json_bytes() == report.to_json().encode("utf-8")
        True
        """
        return b"".join(self.json_chunks())

    def json_chunks(self, results_per_chunk: int = 2000) -> Iterator[bytes]:
        """:meth:`to_json_bytes` in pieces, so a large report is never held whole.

        >>> import selfbuild_rules as sr
        >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
        ...        "members": [], "democratic_life_meetings": []}
        >>> report = sr.evaluate(doc, "2018", "2019-03-01")
        >>> b"".join(report.json_chunks(results_per_chunk=3)) == report.to_json().encode()
        True
        """
        results = self.results
        parts = (
            results_json(results[start : start + results_per_chunk])
            for start in range(0, len(results), results_per_chunk)
        )
        return json_document(self, parts, self.summary)

    def _document(self) -> dict[str, Any]:
        """:meth:`to_dict` with records left as they are, for an encoder that reads attrs,
        and without the summary (counted as the results are written)."""
        return {
            "format": REPORT_FORMAT,
            "regulation": self.regulation,
            "team": self.team,
            "period": self.period,
            "as_of": self.as_of,
            "members": [{"id": m, "name": n} for m, n in self.members.items()],
            "modules": self.modules,
            "parameters": dict(self.parameters),
            "results": self.results,
        }

    def to_text(self, lang: str = "en") -> str:
        """One line a result, in the order of the law, for reading or grepping.

        Every line is made :func:`~selfbuild_rules.internal.text.printable`: a name or
        assessor holding a newline or escape sequence can neither forge a result line
        nor drive the terminal.
        """
        lines = [f"{self.regulation}  {self.team.name}  period {self.period}  as of {self.as_of}"]
        if self.modules:
            lines.append(f"modules: {', '.join(self.modules)}")
        lines.append("  ".join(f"{k}: {v}" for k, v in self.summary().items() if v))
        width = max((len(r.rule) for r in self.results), default=0)
        for r in self.results:
            text = r.explanation.zh if lang == "zh" else r.explanation.en
            lines.append(f"{r.rule:<{width}}  {r.subject:<8} {r.status.value:<17} {text}")
            lines.extend(f"{'':<{width}}  warning: {w}" for w in r.warnings)
        return "\n".join(map(printable, lines)) + "\n"

    def to_table(self, lang: str = "en", color: bool = False) -> str:
        """A members × rules matrix of status symbols, then what needs attention.

        ``color`` adds ANSI colours (the symbols and words carry the meaning without them).
        """
        from selfbuild_rules.report.table import render

        return render(self, _lang(lang), color)

    def to_markdown(self, lang: str = "en") -> str:
        """The report in Markdown, for pasting into a document or an issue tracker."""
        from selfbuild_rules.report.markdown import render

        return render(self, _lang(lang))

    def to_html(self, lang: str = "en") -> str:
        """One self-contained HTML page: summary, matrix, drill-down to every result."""
        from selfbuild_rules.report.html import render

        return render(self, _lang(lang))


def results_json(results: Sequence[Result]) -> bytes:
    """Results written as they stand in a report's ``results`` list: each indented to its
    depth there, each after a newline, separated by commas (empty for no results).

    >>> import selfbuild_rules as sr
    >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
    ...        "members": [], "democratic_life_meetings": []}
    >>> results = sr.evaluate(doc, "2018", "2019-03-01").results
    >>> results_json(results[:2]).startswith(b"\\n    {\\n      ")
    True
    """
    if not results:
        return b""
    # Indented inside a one-key document of its own, each result sits at its depth in
    # the report (four spaces); only the wrapper's own lines are cut off.
    body = msgspec.json.format(_ENCODER.encode({"results": results}), indent=2)
    return body[_HEAD:_TAIL]


def json_document(
    head: Report, parts: Iterable[Part], summary: Callable[[], Mapping[str, int]]
) -> Iterator[Part | bytes]:
    """The JSON document of ``head`` (a report, its own results left aside) holding the
    results written in ``parts`` (by :func:`results_json`, in order), in pieces.

    ``summary`` is asked for once every part has been read, so the counts can be made
    as the parts are: in the document they come after the results.
    """
    yield json_head(head)
    written = False
    for part in parts:
        if part:
            if written:
                yield b","
            yield part
            written = True
    yield json_tail(head, summary(), written)


def json_head(head: Report) -> bytes:
    """What a JSON report holds before its first result."""
    frame = msgspec.json.format(_ENCODER.encode({**head._document(), "results": 0}), indent=2)
    return frame.partition(b'"results": 0')[0] + b'"results": ['


def json_tail(head: Report, summary: Mapping[str, int], results: bool) -> bytes:
    """What a JSON report holds after its last result (if it has ``results``)."""
    document = {**head._document(), "results": 0, "summary": dict(summary)}
    after = msgspec.json.format(_ENCODER.encode(document), indent=2).partition(b'"results": 0')[2]
    return (b"\n  ]" if results else b"]") + after + b"\n"


def _lang(lang: str) -> str:
    if lang not in ("en", "zh"):
        raise ValueError(f"lang: {lang!r} is not one of en | zh")
    return lang
