"""The report as a terminal table: summary, team rules, a members × rules matrix of
status symbols, then the results that need attention with their explanations.

Symbols and words carry every meaning; colour (ANSI, only if asked for) repeats it.
Every text from the facts or a module (names, ids, explanations, warnings) is made
:func:`~selfbuild_rules.internal.text.printable` before it is laid out, so that only the
table's own colours ever reach the terminal as escape sequences.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from selfbuild_rules.engine.results import Result, Status
from selfbuild_rules.internal.text import printable
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
    width,
    word,
)

if TYPE_CHECKING:
    from selfbuild_rules.report.document import Report

_COLOURS = {
    Status.COMPLIANT: "32",
    Status.NON_COMPLIANT: "1;31",
    Status.PENDING: "33",
    Status.UNDETERMINED: "35",
    Status.REQUIRES_JUDGMENT: "36",
    Status.NOT_APPLICABLE: "2",
}


def _pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


class _Painter:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, status: Status, text: str) -> str:
        if not self.color:
            return text
        return f"\x1b[{_COLOURS[status]}m{text}\x1b[0m"

    def bold(self, text: str) -> str:
        return f"\x1b[1m{text}\x1b[0m" if self.color else text


def _summary(report: Report, lang: str, paint: _Painter) -> str:
    counts = report.summary()
    parts = [
        paint(s, f"{SYMBOL[s]} {label(s, lang)} {counts[s.value]}")
        for s in Status
        if counts[s.value]
    ]
    return "   ".join(parts) or word("no results", lang)


def _labels(grid: Grid, rules: list[str], lang: str) -> dict[str, str]:
    """Row labels: each rule's title, then its id, the ids aligned in a column."""
    names = {rule: printable(title(grid.report, rule, lang)) for rule in rules}
    left = max((width(n) for r, n in names.items() if n != r), default=0)
    return {
        r: printable(r) if n == r else f"{_pad(n, left)}  {printable(r)}" for r, n in names.items()
    }


def _team(grid: Grid, lang: str, paint: _Painter) -> list[str]:
    if not grid.team_rules:
        return []
    labels = _labels(grid, grid.team_rules, lang)
    rows = [(labels[rule], grid.get(rule, "team")) for rule in grid.team_rules]
    left = max(width(rule) for rule, _ in rows)
    lines = [paint.bold(word("team obligations", lang).capitalize())]
    for rule, result in rows:
        assert result is not None
        status = result.status
        mark = paint(status, f"{SYMBOL[status]} {label(status, lang)}")
        lines.append(f"  {_pad(rule, left)}  {mark}")
    return ["", *lines]


def _matrix(grid: Grid, lang: str, paint: _Painter) -> list[str]:
    if not grid.member_rules:
        return []
    labels = _labels(grid, grid.member_rules, lang)
    left = max(width(text) for text in labels.values())
    shown = [printable(m) for m in grid.members]
    columns = [max(width(m), 3) for m in shown]
    head = "  ".join(_pad(m, c) for m, c in zip(shown, columns, strict=True))
    heading = word("member obligations", lang).capitalize()
    lines = ["", paint.bold(heading), f"  {_pad('', left)}  {head}".rstrip()]
    for rule in grid.member_rules:
        cells = []
        for member, column in zip(grid.members, columns, strict=True):
            result = grid.get(rule, member)
            text = f" {SYMBOL[result.status]}" if result else ""
            padding = " " * (column - width(text))
            cells.append((paint(result.status, text) if result else text) + padding)
        lines.append(f"  {_pad(labels[rule], left)}  {'  '.join(cells)}".rstrip())
    names = [_who(grid, m, lang) + _tenure(grid, m, lang) for m in grid.members]
    lines.append(f"  {word('members', lang).capitalize()}: {' · '.join(names)}")
    return lines


def _tenure(grid: Grid, member: str, lang: str) -> str:
    held = tenure(grid.report, member, lang)
    return f" [{held}]" if held else ""


def _judgment(grid: Grid, lang: str, paint: _Painter) -> list[str]:
    """Per subject: judgment provisions assessed (with their statuses) and awaiting."""
    if not grid.judgment_rules:
        return []
    heading = f"{word('judgment provisions', lang).capitalize()} ({len(grid.judgment_rules)})"
    rows = []
    for subject in ["team", *grid.members]:
        found = [r.status for rule in grid.judgment_rules if (r := grid.get(rule, subject))]
        if not found:
            continue
        awaiting = found.count(Status.REQUIRES_JUDGMENT)
        marks = "".join(
            " " + paint(s, f"{SYMBOL[s]}{found.count(s)}")
            for s in (Status.COMPLIANT, Status.NON_COMPLIANT, Status.NOT_APPLICABLE)
            if s in found
        )
        assessed = found.count(Status.COMPLIANT) + found.count(Status.NON_COMPLIANT)
        rows.append(
            (
                _who(grid, subject, lang),
                f"{word('assessed', lang)} {assessed}{marks} · "
                f"{word('awaiting assessment', lang)} {awaiting}",
            )
        )
    left = max(width(who) for who, _ in rows)
    return ["", paint.bold(heading), *(f"  {_pad(who, left)}  {text}" for who, text in rows)]


def _attention(grid: Grid, lang: str, paint: _Painter) -> list[str]:
    found = grid.attention()
    heading = f"{word('needs attention', lang).capitalize()} ({len(found)})"
    left_out = [f"  {line}"] if (line := counted(grid, lang)) else []
    if not found:
        return ["", f"{word('nothing needs attention', lang).capitalize()}.", *left_out]
    lines = ["", paint.bold(heading)]
    labels = _labels(grid, list(dict.fromkeys(r.rule for r in found)), lang)
    for r in found:
        mark = paint(r.status, f"{SYMBOL[r.status]} {label(r.status, lang)}")
        lines.append(f"  {mark}  {labels[r.rule]}  {_who(grid, r.subject, lang)}")
        lines.append(f"      {_explained(r, lang)}")
    return lines + left_out


def _who(grid: Grid, subject: str, lang: str) -> str:
    return printable(subject_label(grid.report, subject, lang))


def _explained(result: Result, lang: str) -> str:
    return printable(explanation(result, lang))


def render(report: Report, lang: str, color: bool) -> str:
    """The table as text (one trailing newline)."""
    paint = _Painter(color)
    grid = Grid(report)
    team = printable(f"{report.team.name} ({report.team.id})")
    head = printable(
        f"{team} · {report.regulation} · {word('period', lang)} {report.period}"
        f" · {word('as of', lang)} {day(report.as_of, lang)}"
    )
    lines = [paint.bold(head), _summary(report, lang, paint)]
    lines += _team(grid, lang, paint)
    lines += _matrix(grid, lang, paint)
    lines += _judgment(grid, lang, paint)
    lines += _attention(grid, lang, paint)
    warnings = list(grid.warnings(lang))
    if warnings:
        lines += ["", paint.bold(word("warnings", lang).capitalize())]
        lines += [printable(f"  ! {r.rule} {r.subject}: {text}") for r, text in warnings]
    legend = " · ".join(f"{SYMBOL[s]} {label(s, lang)}" for s in Status)
    lines += ["", f"{word('legend', lang).capitalize()}: {legend}"]
    return "\n".join(lines) + "\n"
