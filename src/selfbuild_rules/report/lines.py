"""The report's text form: one line a result, in the order of the law, for reading or
grepping. In English each line shows the status's value (``non_compliant``); in
Chinese its word (不符合), with Chinese headings and dates.

A traced result's steps follow it, indented (see
:mod:`selfbuild_rules.report.trace_view`). Every line is made
:func:`~selfbuild_rules.internal.text.printable`: a name or assessor
holding a newline or escape sequence can neither forge a result line nor drive the
terminal.

>>> import selfbuild_rules as sr
>>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
...        "members": [], "democratic_life_meetings": []}
>>> r = sr.evaluate(doc, "2018", "2019-03-01", rules=["6.democratic-life-meeting"])
>>> heading, rest = render(r, "zh").split("\\n", 1)
>>> heading.endswith("  班子  期间 2018  数据截至 2019年3月1日")  # after the regulation's id
True
>>> print(rest, end="")
不符合: 1
6.democratic-life-meeting  班子     不符合            民主生活会 0 次，少于要求的 1 次
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from selfbuild_rules.internal.text import printable
from selfbuild_rules.report.trace_view import lines as trace_lines
from selfbuild_rules.report.view import day, explanation, label, warning_text, width, word

if TYPE_CHECKING:
    from selfbuild_rules.engine.results import Status
    from selfbuild_rules.report.document import Report

__all__ = ["render"]


def _status(status: Status, lang: str) -> str:
    return label(status, lang) if lang == "zh" else status.value


def _head(report: Report, lang: str) -> list[str]:
    if lang != "zh":
        head = f"{report.team.name}  period {report.period}  as of {report.as_of}"
        modules = f"modules: {', '.join(report.modules)}"
    else:
        head = f"{report.team.name}  期间 {report.period}  数据截至 {day(report.as_of, lang)}"
        modules = f"{word('modules', lang)}：{', '.join(report.modules)}"
    lines = [f"{report.regulation}  {head}"] + ([modules] if report.modules else [])
    counts = report.summary()
    if lang == "zh":
        from selfbuild_rules.engine.results import Status

        shown = [f"{label(s, lang)}: {counts[s.value]}" for s in Status if counts[s.value]]
    else:
        shown = [f"{k}: {v}" for k, v in counts.items() if v]
    return [*lines, "  ".join(shown)]


def render(report: Report, lang: str) -> str:
    """The text form (one trailing newline)."""
    lines = _head(report, lang)
    rules = max((len(r.rule) for r in report.results), default=0)
    warned = word("warnings", lang) + "：" if lang == "zh" else "warning:"
    for r in report.results:
        status = _status(r.status, lang)
        padded = status + " " * max(0, 17 - width(status))
        text = explanation(r, lang)
        who = word("team", lang) if lang == "zh" and r.subject == "team" else r.subject
        who += " " * max(0, 8 - width(who))
        lines.append(f"{r.rule:<{rules}}  {who} {padded} {text}")
        lines.extend(f"{'':<{rules}}  {warned} {warning_text(w, lang)}" for w in r.warnings)
        lines.extend(f"{'':<{rules + 4 + 2 * d}}{t}" for d, t in trace_lines(r, lang))
    return "\n".join(map(printable, lines)) + "\n"
