"""A comparison as a terminal table, Markdown or one self-contained HTML page (the HTML
report's style sheet, so the two read alike).

>>> from selfbuild_rules.cases.comparison import Comparison, Side
>>> import datetime
>>> c = Comparison("demo-city", "班子", "2018", datetime.date(2019, 3, 1), Side(), Side(), 0, ())
>>> print(table(c, "en"), end="")
demo-city  班子  period 2018  as of 2019-03-01
left:  base
right: base
0 results compared, 0 changed
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from selfbuild_rules.engine.results import Result
from selfbuild_rules.report.style import style
from selfbuild_rules.report.view import SYMBOL

if TYPE_CHECKING:  # the comparison calls these renderers; they never make one
    from selfbuild_rules.cases.comparison import Change, Comparison

__all__ = ["html", "markdown", "table"]


def _why(r: Result | None, lang: str) -> str:
    if r is None:
        return "(no such result on this side)"
    return r.explanation.zh if lang == "zh" else r.explanation.en


def _status(r: Result | None) -> str:
    return "absent" if r is None else f"{SYMBOL[r.status]} {r.status.value}"


def _numbers(change: Change) -> str:
    def shown(x: int | None) -> str:
        return "—" if x is None else str(x)

    return ", ".join(f"{n} {shown(x)} → {shown(y)}" for n, x, y in change.requirement_changes())


def _head(c: Comparison) -> list[str]:
    return [
        f"{c.regulation}  {c.team}  period {c.period}  as of {c.as_of}",
        f"left:  {c.left.label()}",
        f"right: {c.right.label()}",
        f"{c.compared} results compared, {len(c.changes)} changed",
    ]


def table(c: Comparison, lang: str) -> str:
    """Plain text: the head, the count per transition, then each change with both reasons."""
    lines = _head(c)
    lines += [f"  {t}: {n}" for t, n in c.transitions().items()]
    width = max((len(ch.rule) for ch in c.changes), default=0)
    for ch in c.changes:
        moved = f"{_status(ch.left)} → {_status(ch.right)}"
        numbers = _numbers(ch)
        lines.append("")
        tail = f"  ({numbers})" if numbers else ""
        lines.append(f"{ch.rule:<{width}}  {ch.subject:<8} {moved}{tail}")
        lines.append(f"{'':<{width}}    left:  {_why(ch.left, lang)}")
        lines.append(f"{'':<{width}}    right: {_why(ch.right, lang)}")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(c: Comparison, lang: str) -> str:
    """GitHub-flavoured Markdown: the head, a table of transitions, a table of changes."""
    head = _head(c)
    lines = [f"# {_md(head[0])}", "", f"- left: `{c.left.label()}`"]
    lines += [f"- right: `{c.right.label()}`", f"- {head[3]}", ""]
    if c.transitions():
        lines += ["| transition | results |", "| --- | ---: |"]
        lines += [f"| {t} | {n} |" for t, n in c.transitions().items()]
        lines.append("")
    if c.changes:
        lines += ["| rule | subject | left | right | requirement | left: why | right: why |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
        lines += [
            f"| `{ch.rule}` | {_md(ch.subject)} | {_status(ch.left)} | {_status(ch.right)} | "
            f"{_numbers(ch)} | {_md(_why(ch.left, lang))} | {_md(_why(ch.right, lang))} |"
            for ch in c.changes
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _badge(r: Result | None) -> str:
    if r is None:
        return '<span class="badge">absent</span>'
    return f'<span class="badge st-{r.status.value}">{_e(_status(r))}</span>'


def _row(ch: Change, lang: str) -> str:
    return (
        f"<tr><td><code>{_e(ch.rule)}</code></td><td>{_e(ch.subject)}</td>"
        f"<td>{_badge(ch.left)}<br><small>{_e(_why(ch.left, lang))}</small></td>"
        f"<td>{_badge(ch.right)}<br><small>{_e(_why(ch.right, lang))}</small></td>"
        f"<td>{_e(_numbers(ch))}</td></tr>"
    )


def html(c: Comparison, lang: str) -> str:
    """One page: no script, no network; every text from the facts escaped."""
    head = _head(c)
    counts = "".join(f"<li>{_e(t)}<b>{n}</b></li>" for t, n in c.transitions().items())
    rows = "".join(_row(ch, lang) for ch in c.changes)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(c.team)} · {_e(c.period)} — comparison — selfbuild-rules</title>",
        f"<style>\n{style()}</style></head>",
        "<body>",
        f"<header><h1>{_e(c.team)}</h1>",
        f'<p class="meta">{_e(head[0])}</p>',
        f'<p class="meta">left <code>{_e(c.left.label())}</code> · '
        f"right <code>{_e(c.right.label())}</code> · {_e(head[3])}</p></header>",
        f'<section id="transitions"><h2>Transitions</h2><ul class="counts">{counts}</ul></section>'
        if counts
        else "",
        '<section id="changes"><h2>Changes</h2><div class="scroll"><table class="matrix">'
        "<thead><tr><th>rule</th><th>subject</th><th>left</th><th>right</th>"
        f"<th>requirement</th></tr></thead><tbody>{rows}</tbody></table></div></section>",
        "<footer><p>selfbuild-rules · selfbuild-rules.comparison/1</p></footer>",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"
