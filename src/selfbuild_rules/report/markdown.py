"""The report in Markdown (CommonMark with GitHub tables), for documents and issue trackers.

Every text that comes from the facts is escaped, so a name or title can neither
break a table nor inject markup.

>>> _escape("a|b *c* <x>")
'a\\\\|b \\\\*c\\\\* \\\\<x\\\\>'
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from selfbuild_rules.engine.results import Result, Status
from selfbuild_rules.internal.text import printable
from selfbuild_rules.report.trace_view import markdown as trace_markdown
from selfbuild_rules.report.view import SYMBOL, Grid, explanation, label, subject_label, title, word

if TYPE_CHECKING:
    from selfbuild_rules.report.document import Report

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def _escape(text: str) -> str:
    """Text safe inside a Markdown paragraph or table cell: whitespace (newlines
    included) made single spaces, then controls escaped, then markup."""
    return _SPECIAL.sub(r"\\\1", printable(" ".join(str(text).split())))


def _code(text: str) -> str:
    plain = text and text.strip() == text and not set(text) & set("`|") and printable(text) == text
    return f"`{text}`" if plain else _escape(text)


def _status(result: Result, lang: str) -> str:
    return f"{SYMBOL[result.status]} {label(result.status, lang)}"


def _summary(report: Report, lang: str) -> list[str]:
    counts = report.summary()
    rows = [f"| {SYMBOL[s]} {label(s, lang)} | {counts[s.value]} |" for s in Status]
    head = f"| {word('status', lang)} | {word('count', lang)} |"
    return [f"## {word('summary', lang).capitalize()}", "", head, "|---|---:|", *rows]


def _team(grid: Grid, lang: str) -> list[str]:
    if not grid.team_rules:
        return []
    head = f"| {word('rule', lang)} | {word('status', lang)} | {word('explanation', lang)} |"
    lines = ["", f"## {word('team obligations', lang).capitalize()}", "", head, "|---|---|---|"]
    for rule in grid.team_rules:
        result = grid.get(rule, "team")
        assert result is not None
        name = f"{_code(rule)} {_escape(title(grid.report, rule, lang))}"
        lines.append(f"| {name} | {_status(result, lang)} | {_escape(explanation(result, lang))} |")
    return lines


def _matrix(grid: Grid, lang: str) -> list[str]:
    if not grid.member_rules:
        return []
    names = [_escape(subject_label(grid.report, m, lang)) for m in grid.members]
    lines = [
        "",
        f"## {word('member obligations', lang).capitalize()}",
        "",
        f"| {word('rule', lang)} | " + " | ".join(names) + " |",
        "|---|" + ":---:|" * len(names),
    ]
    for rule in grid.member_rules:
        cells = []
        for member in grid.members:
            result = grid.get(rule, member)
            cells.append(SYMBOL[result.status] if result else " ")
        lines.append(f"| {_code(rule)} | " + " | ".join(cells) + " |")
    return lines


def _attention(grid: Grid, lang: str) -> list[str]:
    found = list(grid.attention())
    lines = ["", f"## {word('needs attention', lang).capitalize()} ({len(found)})", ""]
    if not found:
        return [*lines, f"{word('nothing needs attention', lang).capitalize()}."]
    for r in found:
        who = _escape(subject_label(grid.report, r.subject, lang))
        text = _escape(explanation(r, lang))
        lines.append(f"- {_status(r, lang)} **{_code(r.rule)}** — {who}: {text}")
    return lines


def _warnings(grid: Grid, lang: str) -> list[str]:
    found = list(grid.warnings())
    if not found:
        return []
    lines = ["", f"## {word('warnings', lang).capitalize()}", ""]
    lines += [f"- ⚠ {_code(r.rule)} {_escape(r.subject)}: {_escape(text)}" for r, text in found]
    return lines


def render(report: Report, lang: str) -> str:
    """The Markdown document (one trailing newline)."""
    grid = Grid(report)
    team = _escape(f"{report.team.name} ({report.team.id})")
    meta = (
        f"{word('regulation', lang).capitalize()} {_code(report.regulation)} · "
        f"{word('period', lang)} {_escape(report.period)} · "
        f"{word('as of', lang)} {report.as_of}"
    )
    lines = [f"# {team}", "", meta, ""]
    lines += _summary(report, lang)
    lines += _team(grid, lang)
    lines += _matrix(grid, lang)
    lines += _attention(grid, lang)
    lines += _warnings(grid, lang)
    lines += trace_markdown(report, lang)
    legend = " · ".join(f"{SYMBOL[s]} {label(s, lang)}" for s in Status)
    lines += ["", f"*{_escape(word('legend', lang).capitalize())}:* {legend}"]
    return "\n".join(lines) + "\n"
