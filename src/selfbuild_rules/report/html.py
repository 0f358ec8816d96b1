"""The report as one self-contained HTML page: no script, no network, no external file.

At a glance: counts per status, what needs attention, a members × rules matrix of the
evaluable rules, each member's research days against the requirement, the team's
obligations and the judgment provisions in a compact section. In two clicks: a matrix
cell leads to its result in the appendix (:mod:`.html_details`). Printed on landscape
A4, the summary comes first and the appendix starts on a new page. Every text from the
facts is escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from selfbuild_rules.engine.results import Status
from selfbuild_rules.report import html_details, html_matrix
from selfbuild_rules.report.encode import REPORT_FORMAT
from selfbuild_rules.report.html_parts import cap, esc, rule_heading, status_html
from selfbuild_rules.report.style import style
from selfbuild_rules.report.view import Grid, counted, day, explanation, subject_label, word

if TYPE_CHECKING:
    from selfbuild_rules.report.document import Report


def _research_days(grid: Grid, lang: str) -> list[str]:
    rule = "3.research-days"
    results = [r for m in grid.members if (r := grid.get(rule, m)) is not None]
    if not results:
        return []
    scale = max(
        [1]
        + [r.requirement.measured for r in results if r.requirement]
        + [r.requirement.minimum or 0 for r in results if r.requirement]
    )
    days = word("days", lang)
    rows = []
    for r in results:
        who = esc(subject_label(grid.report, r.subject, lang))
        status = r.status.value
        link = f'<a href="#{grid.anchor(r)}">{who}</a>'
        need = r.requirement.minimum if r.requirement else None
        if r.requirement is None or need is None:
            rows.append(f'<span class="who">{link}</span><div class="track"></div>')
            rows.append(f'<span class="num st-{status}">{status_html(r.status, lang)}</span>')
            continue
        got = r.requirement.measured
        share = f"{100 * got / scale:.1f}%"
        mark = f"{100 * need / scale:.1f}%"
        text = f"{got} / {need} {days}"
        rows.append(
            f'<span class="who">{link}</span>'
            f'<div class="track" role="img" aria-label="{esc(text)}" '
            f'data-subject="{esc(r.subject)}">'
            f'<div class="fill st-{status}" style="width: {share}"></div>'
            f'<div class="need" style="left: {mark}" title="{esc(word("required", lang))} {need}">'
            "</div></div>"
            f'<span class="num">{esc(text)} <span class="st-{status} badge">'
            f"{status_html(r.status, lang)}</span></span>"
        )
    heading = cap(word("research days against the requirement", lang))
    return [
        f'<section id="research-days"><h2>{esc(heading)}</h2><div class="bars">',
        *rows,
        "</div></section>",
    ]


def _header(report: Report, lang: str) -> list[str]:
    law, text = "", report.regulation_text
    if text is not None and report.regulation == text.id:
        english = "" if lang == "zh" else f"<br>{esc(text.english_title)}"
        law = f'<p class="law"><span lang="zh-CN">《{esc(text.title)}》</span>{english}</p>'
    meta = (
        f"{esc(cap(word('regulation', lang)))} <code>{esc(report.regulation)}</code> · "
        f"{esc(word('period', lang))} <b>{esc(report.period)}</b> · "
        f"{esc(word('as of', lang))} <b>{day(report.as_of, lang)}</b> · "
        f"{len(report.results)} {esc(word('results', lang))}"
    )
    team = f"{report.team.name} ({report.team.id})"
    return [f"<header><h1>{esc(team)}</h1>", law, f'<p class="meta">{meta}</p></header>']


def _summary(report: Report, lang: str) -> list[str]:
    counts = report.summary()
    items = "".join(
        f'<li class="st-{s.value}" data-status="{s.value}">{status_html(s, lang)}'
        f"<b>{counts[s.value]}</b></li>"
        for s in Status
    )
    heading = esc(cap(word("summary", lang)))
    return [f'<section id="summary"><h2>{heading}</h2><ul class="counts">{items}</ul></section>']


def _attention(grid: Grid, lang: str) -> list[str]:
    found = grid.attention()
    heading = f"{esc(cap(word('needs attention', lang)))} ({len(found)})"
    line = counted(grid, lang)
    left_out = f'<p class="counted">{esc(line)}</p>' if line else ""
    if not found:
        text = esc(cap(word("nothing needs attention", lang)))
        return [f'<section id="attention"><h2>{heading}</h2><p>{text}.</p>{left_out}</section>']
    items = "".join(
        f'<li><a href="#{grid.anchor(r)}"><span class="badge st-{r.status.value}">'
        f"{status_html(r.status, lang)}</span> {rule_heading(grid.report, r.rule, lang)} "
        f"{esc(subject_label(grid.report, r.subject, lang))}</a> — {esc(explanation(r, lang))}</li>"
        for r in found
    )
    return [
        f'<section id="attention"><h2>{heading}</h2>',
        f'<ul class="attention">{items}</ul>{left_out}</section>',
    ]


def _warnings(grid: Grid, lang: str) -> list[str]:
    found = list(grid.warnings(lang))
    if not found:
        return []
    items = "".join(
        f'<li class="warn">⚠ <a href="#{grid.anchor(r)}"><code>{esc(r.rule)}</code> '
        f"{esc(subject_label(grid.report, r.subject, lang))}</a>: {esc(text)}</li>"
        for r, text in found
    )
    heading = esc(cap(word("warnings", lang)))
    return [f'<section id="warnings"><h2>{heading}</h2><ul class="warnings">{items}</ul></section>']


def render(report: Report, lang: str) -> str:
    """The HTML page (one trailing newline)."""
    grid = Grid(report)
    legend = " · ".join(status_html(s, lang) for s in Status)
    team = f"{report.team.name} · {report.period}"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(team)} — selfbuild-rules</title>",
        f"<style>\n{style()}</style></head>",
        "<body>",
        *_header(report, lang),
        *_summary(report, lang),
        *_warnings(grid, lang),
        *_attention(grid, lang),
        *html_matrix.members(grid, lang),
        *_research_days(grid, lang),
        *html_matrix.team(grid, lang),
        *html_matrix.judgment(grid, lang),
        *html_details.details(grid, lang),
        f"<footer><p>{esc(cap(word('legend', lang)))}: {legend}</p>",
        f"<p>selfbuild-rules · {REPORT_FORMAT}</p></footer>",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"
