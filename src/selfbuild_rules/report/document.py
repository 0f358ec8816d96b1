"""The report of one evaluation, and its forms: JSON, text, table, Markdown and HTML.

The JSON document (``selfbuild-rules.report/2``) is deterministic: the same input
gives byte-identical output, so reports can be diffed and archived. No form holds a
timestamp. :meth:`Report.redacted` replaces member names with their ids in every form.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
from msgspec import UNSET

from selfbuild_rules.engine.provisions import Memo
from selfbuild_rules.engine.results import Interpretation, Result, Status
from selfbuild_rules.engine.setup import Evaluation
from selfbuild_rules.facts.digest import FactsDigest
from selfbuild_rules.facts.records import Team, Tenure
from selfbuild_rules.facts.structure import unstructure
from selfbuild_rules.law.text import Regulation
from selfbuild_rules.plugins.law import Entry
from selfbuild_rules.report.encode import REPORT_FORMAT, joined, json_document, results_json
from selfbuild_rules.report.listing import (
    CitedProvision,
    interpretation_table,
    listed_entries,
    provision_table,
)
from selfbuild_rules.report.provenance import Provenance

__all__ = ["REPORT_FORMAT", "Report"]


@attrs.frozen
class Report:
    """All results of one evaluation, with the inputs that shaped them.

    >>> import selfbuild_rules as sr
    >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
    ...        "members": [], "democratic_life_meetings": []}
    >>> report = sr.evaluate(doc, "2018", "2019-03-01", rules=["6.democratic-life-meeting"])
    >>> report.summary()["non_compliant"], report.to_dict()["format"]
    (1, 'selfbuild-rules.report/2')
    """

    regulation: str
    team: Team
    period: str
    as_of: _dt.date
    parameters: Mapping[str, object]
    results: tuple[Result, ...]
    #: Member id → name of the members evaluated (every member, or those ``subjects``
    #: named), in the order of the facts (for rendering; empty if not known).
    members: Mapping[str, str] = attrs.field(factory=dict)
    #: The local modules applied: sorted, or in the order given when that order was
    #: declared to matter (none for the base regulation alone).
    modules: tuple[str, ...] = ()
    #: The base regulation's text, for titles and headings in the rendered forms
    #: (not part of the JSON document, which cites each result's provision itself).
    regulation_text: Regulation | None = attrs.field(default=None, eq=False, repr=False)
    #: Where the law came from: library, base and modules with their distributions.
    provenance: Provenance | None = attrs.field(default=None, repr=False)
    #: Every provision evaluated, the base's and the modules', with its rule: titles,
    #: kinds and measures for the rendered forms (not part of the JSON document).
    provisions: tuple[Entry, ...] = attrs.field(default=(), eq=False, repr=False)
    #: Member id → tenure, for the matrix header (not part of the JSON document).
    tenures: Mapping[str, Tenure] = attrs.field(factory=dict, eq=False, repr=False)
    #: The provisions with results, by id, as the JSON document lists them once under
    #: ``provisions`` (results name theirs by ``rule``).
    listed: Mapping[str, CitedProvision] = attrs.field(factory=dict, repr=False)
    #: Every set of parameter values the results can rely on, by the key they name it by.
    interpretations: Mapping[str, tuple[Interpretation, ...]] = attrs.field(
        factory=dict, repr=False
    )

    @classmethod
    def of(
        cls,
        run: Evaluation,
        results: tuple[Result, ...] = (),
        digest: FactsDigest | None = None,
        memo: Memo | None = None,
    ) -> Report:
        """The report of a prepared evaluation, with these results; ``digest`` is that of
        the facts as read (see :mod:`selfbuild_rules.facts.digest`); ``memo``, what the
        results share, if they were made with one already."""
        facts, setup = run.ctx.facts, run.setup
        parameters = setup.parameters()
        listed = listed_entries(run.entries, len(run.members))
        return cls(
            regulation=setup.base.id,
            team=facts.team,
            members={m.id: m.name for m in run.members},
            modules=run.law.modules,
            period=str(run.ctx.period),
            as_of=setup.options.as_of,
            parameters=parameters,
            results=results,
            regulation_text=setup.base.regulation,
            provenance=Provenance.of(run.law, setup.origins, digest, tuple(parameters.overrides)),
            provisions=run.law.provisions,
            tenures={m.id: m.tenure for m in facts.members},
            listed=provision_table(listed),
            interpretations=interpretation_table(run, listed, memo),
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
        """The report as the ``selfbuild-rules.report/2`` document."""
        return {
            "format": REPORT_FORMAT,
            "provisions": {k: unstructure(v) for k, v in self.listed.items()},
            "interpretations": {
                k: [_set(unstructure(i)) for i in v] for k, v in self.interpretations.items()
            },
            "regulation": self.regulation,
            "team": unstructure(self.team),
            "period": self.period,
            "as_of": self.as_of.isoformat(),
            "members": [{"id": m, "name": n} for m, n in self.members.items()],
            "modules": list(self.modules),
            "parameters": {k: unstructure(v) for k, v in sorted(self.parameters.items())},
            "summary": self.summary(),
            "results": [_result_dict(r) for r in self.results],
        } | ({} if self.provenance is None else {"provenance": unstructure(self.provenance)})

    def to_json(self, indent: bool = False) -> str:
        """The JSON document, deterministic to the byte: keys sorted, no spaces (or, with
        ``indent``, two-space indentation for people), one final newline.

        The same document as ``json.dumps(report.to_dict(), ensure_ascii=False,
        sort_keys=True, separators=(",", ":"))`` (or ``indent=2``), written by
        msgspec's C encoder straight from the results.

        >>> import json
        >>> import selfbuild_rules as sr
        >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
        ...        "members": [], "democratic_life_meetings": []}
        >>> report = sr.evaluate(doc, "2018", "2019-03-01", rules=["6.democratic-life-meeting"])
        >>> data = report.to_dict()
        >>> text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        >>> report.to_json() == text + chr(10)
        True
        >>> text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
        >>> report.to_json(indent=True) == text + chr(10)
        True
        """
        return self.to_json_bytes(indent).decode("utf-8")

    def to_json_bytes(self, indent: bool = False) -> bytes:
        """:meth:`to_json` encoded as UTF-8, without ever holding it as text.

        >>> import selfbuild_rules as sr
        >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
        ...        "members": []}
        >>> report = sr.evaluate(doc, "2018", "2019-03-01", rules=["2.relay-directives"])
        >>> report.to_json_bytes() == report.to_json().encode("utf-8")
        True
        """
        return b"".join(self.json_chunks(indent=indent))

    def json_chunks(self, results_per_chunk: int = 2000, indent: bool = False) -> Iterator[bytes]:
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
            results_json(results[start : start + results_per_chunk], indent)
            for start in range(0, len(results), results_per_chunk)
        )
        return json_document(self, parts, self.summary, indent)

    def to_jsonl(self) -> str:
        """The report as JSON Lines (``selfbuild-rules.report-lines/2``): a header line
        (what results name: provisions, sets of parameter values), one line per result,
        a summary line.

        >>> import json
        >>> import selfbuild_rules as sr
        >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
        ...        "members": [], "democratic_life_meetings": []}
        >>> report = sr.evaluate(doc, "2018", "2019-03-01", rules=["6.democratic-life-meeting"])
        >>> header, result, summary = map(json.loads, report.to_jsonl().splitlines())
        >>> header["format"], result["status"], summary["summary"]["non_compliant"]
        ('selfbuild-rules.report-lines/2', 'non_compliant', 1)
        """
        return b"".join(self.jsonl_chunks()).decode("utf-8")

    def jsonl_chunks(self, results_per_chunk: int = 2000) -> Iterator[bytes]:
        """:meth:`to_jsonl` encoded as UTF-8, in pieces (as :meth:`json_chunks`)."""
        from selfbuild_rules.report import jsonl

        results = self.results
        parts = (
            jsonl.results_lines(results[start : start + results_per_chunk])
            for start in range(0, len(results), results_per_chunk)
        )
        first = jsonl.header_line(self)
        return joined(
            first, parts, b"\n", lambda written: jsonl.summary_tail(self.summary(), written)
        )

    def to_text(self, lang: str = "en") -> str:
        """One line a result, in the order of the law, for reading or grepping
        (:mod:`selfbuild_rules.report.lines`); headings and statuses in ``lang``."""
        from selfbuild_rules.report.lines import render

        return render(self, lang)

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

    def to_xlsx(self, lang: str = "en") -> bytes:
        """An Excel workbook (the bytes of an ``.xlsx`` file): summary, matrix, every result.

        >>> import selfbuild_rules as sr
        >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
        ...        "members": []}
        >>> sr.evaluate(doc, "2018", "2019-03-01").to_xlsx("zh")[:2]
        b'PK'
        """
        from selfbuild_rules.report.xlsx import xlsx_report

        return xlsx_report(self, _lang(lang))


def _result_dict(result: Result) -> dict[str, Any]:
    """A result as JSON-ready data; a field left unset (a pending result's
    ``still_needed``, say) is left out, as the JSON encoder leaves it out, and so is its
    citation (its provision's, listed once); its interpretations are named by key."""
    data: dict[str, Any] = _set(unstructure(result))
    del data["citation"]
    data["interpretations"] = result.interpretations.key
    return data


def _set(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _set(v) for k, v in data.items() if v is not UNSET}
    if isinstance(data, list):
        return [_set(v) for v in data]
    return data


def _lang(lang: str) -> str:
    if lang not in ("en", "zh"):
        raise ValueError(f"lang: {lang!r} is not one of en | zh")
    return lang
