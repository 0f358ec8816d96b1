"""The matrices of the HTML report: the members × rules matrix of evaluable rules (in
column groups that each repeat the rule column, so that a printed page never loses a
member), the team's obligations, and the compact section of judgment provisions.

>>> import selfbuild_rules as sr
>>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
...        "members": [{"id": f"m{n:02d}", "name": f"成员{n}", "post": "mayor",
...                     "tenure": {"start": "2018-01-01"}} for n in range(1, 11)]}
>>> r = sr.evaluate(doc, "2018", "2019-03-01", rules=["1.loyalty", "6.integrity"])
>>> sum('<table class="matrix members">' in line for line in members(Grid(r), "en")), GROUP
(2, 8)
>>> judgment(Grid(r), "zh")[0]
'<section id="judgment"><h2>人工评定事项 (1)</h2>'
"""

from __future__ import annotations

from collections import Counter

from selfbuild_rules.engine.results import Result, Status
from selfbuild_rules.report.html_parts import cap, esc, rule_heading, status_html
from selfbuild_rules.report.view import (
    Grid,
    explanation,
    subject_label,
    tenure,
    title,
    word,
)

__all__ = ["GROUP", "judgment", "members", "team"]

#: The most members one matrix shows side by side: with the rule column, this many fit
#: across a landscape A4 page; more members make more matrices, one under the other.
GROUP = 8


def _principles(grid: Grid, lang: str) -> dict[str, str]:
    text = grid.report.regulation_text
    return {
        p.number: f"{p.number}、{p.title}" + ("" if lang == "zh" else f" — {p.english_title}")
        for p in (text.principles if text is not None else ())
    }


def _cell(grid: Grid, result: Result | None, lang: str, subject: str) -> str:
    if result is None:
        return f'<td class="empty" data-subject="{esc(subject)}"></td>'
    status = result.status.value
    why = esc(explanation(result, lang))
    return (
        f'<td class="cell st-{status}" data-subject="{esc(subject)}" data-status="{status}">'
        f'<a href="#{grid.anchor(result)}" title="{why}">'
        f"{status_html(result.status, lang, short=True)}</a>"
        "</td>"
    )


def _rows(grid: Grid, rules: list[str], subjects: list[str], lang: str, why: bool) -> list[str]:
    principles = _principles(grid, lang)
    span = len(subjects) + (2 if why else 1)
    rows, current = [], None
    for rule in rules:
        first = next(r for s in subjects if (r := grid.get(rule, s)) is not None)
        principle = first.citation.principle
        if principle != current:
            current = principle
            heading = principles.get(principle, principle)
            rows.append(f'<tr class="principle"><th colspan="{span}">{esc(heading)}</th></tr>')
        cells = "".join(_cell(grid, grid.get(rule, s), lang, s) for s in subjects)
        text = f'<td class="why">{esc(explanation(first, lang))}</td>' if why else ""
        heading = rule_heading(grid.report, rule, lang)
        rows.append(f'<tr data-rule="{esc(rule)}"><th>{heading}</th>{cells}{text}</tr>')
    return rows


def team(grid: Grid, lang: str) -> list[str]:
    """The team's evaluable obligations, one row each with its explanation."""
    if not grid.team_rules:
        return []
    head = (
        f"<tr><th>{cap(word('rule', lang))}</th><th>{cap(word('status', lang))}</th>"
        f"<th>{cap(word('explanation', lang))}</th></tr>"
    )
    return [
        f'<section id="team"><h2>{esc(cap(word("team obligations", lang)))}</h2>',
        f'<div class="scroll"><table class="matrix team"><thead>{head}</thead><tbody>',
        *_rows(grid, grid.team_rules, ["team"], lang, why=True),
        "</tbody></table></div></section>",
    ]


def _head(grid: Grid, member: str, lang: str) -> str:
    name = subject_label(grid.report, member, lang, with_id=False)
    small = f"<small>{esc(member)}</small>" if name != member else ""
    held = tenure(grid.report, member, lang)
    note = f'<small class="tenure">{esc(held)}</small>' if held else ""
    return f'<th scope="col" data-subject="{esc(member)}">{esc(name)}{small}{note}</th>'


def members(grid: Grid, lang: str) -> list[str]:
    """The members × evaluable rules matrix, :data:`GROUP` members at most to a table."""
    if not grid.member_rules:
        return []
    parts = [
        f'<section id="members"><h2>{esc(cap(word("member obligations", lang)))}</h2>',
        f'<p class="note noprint">{esc(word("click", lang))}</p>',
    ]
    for start in range(0, len(grid.members), GROUP):
        group = grid.members[start : start + GROUP]
        heads = "".join(_head(grid, m, lang) for m in group)
        parts += [
            '<div class="scroll"><table class="matrix members"><thead><tr>',
            f"<th>{esc(cap(word('rule', lang)))}</th>{heads}</tr></thead><tbody>",
            *_rows(grid, grid.member_rules, group, lang, why=False),
            "</tbody></table></div>",
        ]
    return [*parts, "</section>"]


def _tally(grid: Grid, subject: str, lang: str) -> str:
    """One subject's judgment provisions: how many assessed, how many awaiting, and each."""
    found = [r for rule in grid.judgment_rules if (r := grid.get(rule, subject)) is not None]
    counts = Counter(r.status for r in found)
    awaiting = counts[Status.REQUIRES_JUDGMENT]
    assessed = counts[Status.COMPLIANT] + counts[Status.NON_COMPLIANT]
    marks = " ".join(
        f'<span class="st-{s.value} badge">{status_html(s, lang)} {counts[s]}</span>'
        for s in (Status.COMPLIANT, Status.NON_COMPLIANT, Status.NOT_APPLICABLE)
        if counts[s]
    )
    items = "".join(
        f'<li><a href="#{grid.anchor(r)}"><span class="badge st-{r.status.value}">'
        f"{status_html(r.status, lang)}</span> {esc(title(grid.report, r.rule, lang))}</a> "
        f"<code>{esc(r.rule)}</code></li>"
        for r in found
    )
    who = esc(subject_label(grid.report, subject, lang))
    return (
        f'<details class="judged" data-subject="{esc(subject)}"><summary>'
        f'<span class="who">{who}</span> '
        f"{esc(word('assessed', lang))} <b>{assessed}</b> {marks} · "
        f"{esc(word('awaiting assessment', lang))} <b>{awaiting}</b></summary>"
        f'<ul class="judged">{items}</ul></details>'
    )


def judgment(grid: Grid, lang: str) -> list[str]:
    """Judgment provisions in a compact section: a row per subject, opened on demand."""
    if not grid.judgment_rules:
        return []
    subjects = [
        s for s in ["team", *grid.members] if any(grid.get(r, s) for r in grid.judgment_rules)
    ]
    heading = esc(cap(word("judgment provisions", lang)))
    return [
        f'<section id="judgment"><h2>{heading} ({len(grid.judgment_rules)})</h2>',
        f'<p class="note">{esc(word("judgment note", lang))}</p>',
        *(_tally(grid, s, lang) for s in subjects),
        "</section>",
    ]
