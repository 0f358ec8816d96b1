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
from selfbuild_rules.report.view import (
    SYMBOL,
    Grid,
    counted,
    day,
    explanation,
    label,
    subject_label,
    tenure,
    title,
    word,
)

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


def _rule(grid: Grid, rule: str, lang: str) -> str:
    """A row label: the rule's title, its id beside it as code."""
    name = title(grid.report, rule, lang)
    return _code(rule) if name == rule else f"{_escape(name)} {_code(rule)}"


def _team(grid: Grid, lang: str) -> list[str]:
    if not grid.team_rules:
        return []
    head = f"| {word('rule', lang)} | {word('status', lang)} | {word('explanation', lang)} |"
    lines = ["", f"## {word('team obligations', lang).capitalize()}", "", head, "|---|---|---|"]
    for rule in grid.team_rules:
        result = grid.get(rule, "team")
        assert result is not None
        name = _rule(grid, rule, lang)
        lines.append(f"| {name} | {_status(result, lang)} | {_escape(explanation(result, lang))} |")
    return lines


def _matrix(grid: Grid, lang: str) -> list[str]:
    if not grid.member_rules:
        return []
    names = []
    for m in grid.members:
        held = tenure(grid.report, m, lang)
        names.append(_escape(subject_label(grid.report, m, lang) + (f" {held}" if held else "")))
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
        lines.append(f"| {_rule(grid, rule, lang)} | " + " | ".join(cells) + " |")
    return lines


def _judged(grid: Grid, subject: str, lang: str) -> list[str]:
    found = [r for rule in grid.judgment_rules if (r := grid.get(rule, subject)) is not None]
    if not found:
        return []
    statuses = [r.status for r in found]
    assessed = statuses.count(Status.COMPLIANT) + statuses.count(Status.NON_COMPLIANT)
    marks = "".join(
        f" {SYMBOL[s]}{statuses.count(s)}"
        for s in (Status.COMPLIANT, Status.NON_COMPLIANT, Status.NOT_APPLICABLE)
        if s in statuses
    )
    who = _escape(subject_label(grid.report, subject, lang))
    summary = (
        f"{who} — {word('assessed', lang)} {assessed}{marks} · "
        f"{word('awaiting assessment', lang)} {statuses.count(Status.REQUIRES_JUDGMENT)}"
    )
    items = [f"- {_status(r, lang)} {_rule(grid, r.rule, lang)}" for r in found]
    return ["<details>", f"<summary>{summary}</summary>", "", *items, "", "</details>", ""]


def _judgment(grid: Grid, lang: str) -> list[str]:
    """Judgment provisions: per subject, assessed and awaiting, each list folded."""
    if not grid.judgment_rules:
        return []
    heading = f"{word('judgment provisions', lang).capitalize()} ({len(grid.judgment_rules)})"
    lines = ["", f"## {heading}", "", _escape(word("judgment note", lang)), ""]
    for subject in ["team", *grid.members]:
        lines += _judged(grid, subject, lang)
    return lines[:-1]


def _attention(grid: Grid, lang: str) -> list[str]:
    found = grid.attention()
    lines = ["", f"## {word('needs attention', lang).capitalize()} ({len(found)})", ""]
    left_out = ["", _escape(line)] if (line := counted(grid, lang)) else []
    if not found:
        return [*lines, f"{word('nothing needs attention', lang).capitalize()}.", *left_out]
    for r in found:
        who = _escape(subject_label(grid.report, r.subject, lang))
        text = _escape(explanation(r, lang))
        lines.append(f"- {_status(r, lang)} **{_rule(grid, r.rule, lang)}** — {who}: {text}")
    return lines + left_out


def _warnings(grid: Grid, lang: str) -> list[str]:
    found = list(grid.warnings(lang))
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
        f"{word('as of', lang)} {day(report.as_of, lang)}"
    )
    lines = [f"# {team}", "", meta, ""]
    lines += _summary(report, lang)
    lines += _team(grid, lang)
    lines += _matrix(grid, lang)
    lines += _judgment(grid, lang)
    lines += _attention(grid, lang)
    lines += _warnings(grid, lang)
    lines += trace_markdown(report, lang)
    legend = " · ".join(f"{SYMBOL[s]} {label(s, lang)}" for s in Status)
    lines += ["", f"*{_escape(word('legend', lang).capitalize())}:* {legend}"]
    return "\n".join(lines) + "\n"
