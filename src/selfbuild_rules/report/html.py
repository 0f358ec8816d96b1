"""The report as one self-contained HTML page: no script, no network, no external file.

At a glance: counts per status, the team's obligations, a members × rules matrix and
each member's research days against the requirement. In two clicks: a matrix cell
leads to its result, whose ``<details>`` opens on the clause, measured against
required, the facts used, the interpretations with their sources and any warnings.
Every text from the facts is escaped.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

from selfbuild_rules.engine.results import Result, Status
from selfbuild_rules.report.style import style
from selfbuild_rules.report.trace_view import html as trace_html
from selfbuild_rules.report.view import SYMBOL, Grid, explanation, label, subject_label, title, word

if TYPE_CHECKING:
    from selfbuild_rules.report.document import Report


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _status_html(status: Status, lang: str, short: bool = False) -> str:
    text = label(status, lang, short=short)
    return f'<span class="sym" aria-hidden="true">{SYMBOL[status]}</span> {_e(text)}'


def _principles(report: Report, lang: str) -> dict[str, str]:
    text = report.regulation_text
    return {
        p.number: f"{p.number}、{p.title}" + ("" if lang == "zh" else f" — {p.english_title}")
        for p in (text.principles if text is not None else ())
    }


def _rule_heading(report: Report, rule: str, lang: str) -> str:
    name = title(report, rule, lang)
    extra = f'<span class="title">{_e(name)}</span>' if name != rule else ""
    return f"<code>{_e(rule)}</code>{extra}"


def _cell(grid: Grid, result: Result | None, lang: str, subject: str) -> str:
    if result is None:
        return f'<td class="empty" data-subject="{_e(subject)}"></td>'
    status = result.status.value
    why = _e(explanation(result, lang))
    return (
        f'<td class="cell st-{status}" data-subject="{_e(subject)}" data-status="{status}">'
        f'<a href="#{grid.anchor(result)}" title="{why}">'
        f"{_status_html(result.status, lang, short=True)}</a>"
        "</td>"
    )


def _rows(grid: Grid, rules: list[str], subjects: list[str], lang: str, why: bool) -> list[str]:
    principles = _principles(grid.report, lang)
    span = len(subjects) + (2 if why else 1)
    rows, current = [], None
    for rule in rules:
        first = next(r for s in subjects if (r := grid.get(rule, s)) is not None)
        principle = first.citation.principle
        if principle != current:
            current = principle
            heading = principles.get(principle, principle)
            rows.append(f'<tr class="principle"><th colspan="{span}">{_e(heading)}</th></tr>')
        cells = "".join(_cell(grid, grid.get(rule, s), lang, s) for s in subjects)
        text = f'<td class="why">{_e(explanation(first, lang))}</td>' if why else ""
        heading = _rule_heading(grid.report, rule, lang)
        rows.append(f'<tr data-rule="{_e(rule)}"><th>{heading}</th>{cells}{text}</tr>')
    return rows


def _team(grid: Grid, lang: str) -> list[str]:
    if not grid.team_rules:
        return []
    head = (
        f"<tr><th>{_cap(word('rule', lang))}</th><th>{_cap(word('status', lang))}</th>"
        f"<th>{_cap(word('explanation', lang))}</th></tr>"
    )
    return [
        f'<section id="team"><h2>{_e(_cap(word("team obligations", lang)))}</h2>',
        f'<div class="scroll"><table class="matrix team"><thead>{head}</thead><tbody>',
        *_rows(grid, grid.team_rules, ["team"], lang, why=True),
        "</tbody></table></div></section>",
    ]


def _members(grid: Grid, lang: str) -> list[str]:
    if not grid.member_rules:
        return []
    heads = []
    for member in grid.members:
        name = subject_label(grid.report, member, lang, with_id=False)
        small = f"<small>{_e(member)}</small>" if name != member else ""
        heads.append(f'<th scope="col" data-subject="{_e(member)}">{_e(name)}{small}</th>')
    return [
        f'<section id="members"><h2>{_e(_cap(word("member obligations", lang)))}</h2>',
        f'<p class="note noprint">{_e(word("click", lang))}</p>',
        '<div class="scroll"><table class="matrix members"><thead><tr>',
        f"<th>{_e(_cap(word('rule', lang)))}</th>{''.join(heads)}</tr></thead><tbody>",
        *_rows(grid, grid.member_rules, grid.members, lang, why=False),
        "</tbody></table></div></section>",
    ]


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
        who = _e(subject_label(grid.report, r.subject, lang))
        status = r.status.value
        link = f'<a href="#{grid.anchor(r)}">{who}</a>'
        need = r.requirement.minimum if r.requirement else None
        if r.requirement is None or need is None:
            rows.append(f'<span class="who">{link}</span><div class="track"></div>')
            rows.append(f'<span class="num st-{status}">{_status_html(r.status, lang)}</span>')
            continue
        got = r.requirement.measured
        share = f"{100 * got / scale:.1f}%"
        mark = f"{100 * need / scale:.1f}%"
        text = f"{got} / {need} {days}"
        rows.append(
            f'<span class="who">{link}</span>'
            f'<div class="track" role="img" aria-label="{_e(text)}" data-subject="{_e(r.subject)}">'
            f'<div class="fill st-{status}" style="width: {share}"></div>'
            f'<div class="need" style="left: {mark}" title="{_e(word("required", lang))} {need}">'
            "</div></div>"
            f'<span class="num">{_e(text)} <span class="st-{status} badge">'
            f"{_status_html(r.status, lang)}</span></span>"
        )
    heading = _cap(word("research days against the requirement", lang))
    return [
        f'<section id="research-days"><h2>{_e(heading)}</h2><div class="bars">',
        *rows,
        "</div></section>",
    ]


def _plain(value: object) -> str:
    from selfbuild_rules.facts.structure import unstructure as plain

    data = plain(value)
    if isinstance(data, str):
        return data
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _ids(ids: Iterable[str], lang: str) -> str:
    return ", ".join(f"<code>{_e(i)}</code>" for i in ids) or _e(word("none", lang))


def _interpretations(result: Result, lang: str) -> str:
    spans = [getattr(i, "valid", None) for i in result.interpretations]
    heads = ["parameter", "value", "default", "source"] + (["valid"] if any(spans) else [])
    rows = []
    for i, valid in zip(result.interpretations, spans, strict=True):
        used = word("default", lang) if i.default else word("changed", lang)
        source = _e(getattr(i, "source", ""))
        cells = [f"<code>{_e(i.parameter)}</code>", _e(_plain(i.value)), _e(used), source]
        if any(spans):
            cells.append(f"{valid.start} – {valid.end}" if valid is not None else "")
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{_e(_cap(word(h, lang)))}</th>" for h in heads)
    return f'<table class="params"><tr>{head}</tr>{"".join(rows)}</table>'


def _requirement(result: Result, lang: str) -> str:
    req = result.requirement
    assert req is not None
    parts = [f"{_e(word('measured', lang))} <b>{req.measured}</b> {_e(req.measure)}"]
    if req.minimum is not None:
        parts.append(f"{_e(word('minimum', lang))} <b>{req.minimum}</b>")
    if req.maximum is not None:
        parts.append(f"{_e(word('maximum', lang))} <b>{req.maximum}</b>")
    return " · ".join(parts)


def _detail(grid: Grid, result: Result, lang: str) -> str:
    status = result.status.value
    c = result.citation
    items: list[tuple[str, str]] = [
        (
            "clause",
            f'<blockquote class="clause" lang="zh-CN">{_e(c.text)}</blockquote>'
            f'<div class="note">{_e(c.regulation)} · {_e(word("principle", lang))} '
            f"{_e(c.principle)} · <code>{_e(c.provision)}</code></div>",
        )
    ]
    text = grid.report.regulation_text
    if lang != "zh" and text is not None and c.regulation == text.id:
        with contextlib.suppress(KeyError):
            items.append(("english", _e(text.provision(result.rule).english)))
    if result.requirement is not None:
        items.append(("measured", _requirement(result, lang)))
    if result.window is not None:
        items.append(("window", f"{result.window.start} – {result.window.end}"))
    if result.due is not None:
        items.append(("due", str(result.due)))
    items.append(("facts used", _ids(result.facts, lang)))
    failed = [i for i in result.failing if i not in result.open]
    if failed:
        items.append(("not met", _ids(failed, lang)))
    if result.open:
        items.append(("still open", _ids(result.open, lang)))
    if result.interpretations:
        items.append(("interpretations", _interpretations(result, lang)))
    warnings = [str(w) for w in getattr(result, "warnings", ())]
    if warnings:
        items.append(("warnings", _warning_list(warnings)))
    items.append(("source", _e(getattr(result, "source", c.regulation))))
    if getattr(result, "trace", None):
        items.append(("trace", trace_html(result, lang)))
    body = "".join(f"<dt>{_e(_cap(word(k, lang)))}</dt><dd>{v}</dd>" for k, v in items)
    heading = _rule_heading(grid.report, result.rule, lang)
    return (
        f'<details class="result st-{status}" id="{grid.anchor(result)}" '
        f'data-rule="{_e(result.rule)}" data-subject="{_e(result.subject)}" data-status="{status}">'
        f'<summary><span class="badge st-{status}">{_status_html(result.status, lang)}</span> '
        f"{heading} — {_e(explanation(result, lang))}</summary>"
        f'<div class="body"><dl class="facts">{body}</dl></div></details>'
    )


def _warning_list(texts: Iterable[str]) -> str:
    items = "".join(f'<li class="warn">⚠ {_e(t)}</li>' for t in texts)
    return f'<ul class="warnings">{items}</ul>'


def _details(grid: Grid, lang: str) -> list[str]:
    parts = [f'<section id="details"><h2>{_e(_cap(word("every result", lang)))}</h2>']
    for subject in ["team", *grid.members]:
        results = [r for r in grid.report.results if r.subject == subject]
        if not results:
            continue
        who = _e(subject_label(grid.report, subject, lang))
        parts.append(f'<h3 id="s-{_e(subject)}">{who}</h3>')
        parts.extend(_detail(grid, r, lang) for r in results)
    parts.append("</section>")
    return parts


def _header(report: Report, lang: str) -> list[str]:
    law, text = "", report.regulation_text
    if text is not None and report.regulation == text.id:
        english = "" if lang == "zh" else f"<br>{_e(text.english_title)}"
        law = f'<p class="law"><span lang="zh-CN">《{_e(text.title)}》</span>{english}</p>'
    meta = (
        f"{_e(_cap(word('regulation', lang)))} <code>{_e(report.regulation)}</code> · "
        f"{_e(word('period', lang))} <b>{_e(report.period)}</b> · "
        f"{_e(word('as of', lang))} <b>{report.as_of}</b> · "
        f"{len(report.results)} {_e(word('results', lang))}"
    )
    team = f"{report.team.name} ({report.team.id})"
    return [f"<header><h1>{_e(team)}</h1>", law, f'<p class="meta">{meta}</p></header>']


def _summary(report: Report, lang: str) -> list[str]:
    counts = report.summary()
    items = "".join(
        f'<li class="st-{s.value}" data-status="{s.value}">{_status_html(s, lang)}'
        f"<b>{counts[s.value]}</b></li>"
        for s in Status
    )
    heading = _e(_cap(word("summary", lang)))
    return [f'<section id="summary"><h2>{heading}</h2><ul class="counts">{items}</ul></section>']


def _attention(grid: Grid, lang: str) -> list[str]:
    found = list(grid.attention())
    heading = f"{_e(_cap(word('needs attention', lang)))} ({len(found)})"
    if not found:
        text = _e(_cap(word("nothing needs attention", lang)))
        return [f'<section id="attention"><h2>{heading}</h2><p>{text}.</p></section>']
    items = "".join(
        f'<li><a href="#{grid.anchor(r)}"><span class="badge st-{r.status.value}">'
        f"{_status_html(r.status, lang)}</span> <code>{_e(r.rule)}</code> "
        f"{_e(subject_label(grid.report, r.subject, lang))}</a> — {_e(explanation(r, lang))}</li>"
        for r in found
    )
    return [
        f'<section id="attention"><h2>{heading}</h2>',
        f'<ul class="attention">{items}</ul></section>',
    ]


def _warnings(grid: Grid, lang: str) -> list[str]:
    found = list(grid.warnings())
    if not found:
        return []
    items = "".join(
        f'<li class="warn">⚠ <a href="#{grid.anchor(r)}"><code>{_e(r.rule)}</code> '
        f"{_e(subject_label(grid.report, r.subject, lang))}</a>: {_e(text)}</li>"
        for r, text in found
    )
    heading = _e(_cap(word("warnings", lang)))
    return [f'<section id="warnings"><h2>{heading}</h2><ul class="warnings">{items}</ul></section>']


def render(report: Report, lang: str) -> str:
    """The HTML page (one trailing newline)."""
    grid = Grid(report)
    legend = " · ".join(_status_html(s, lang) for s in Status)
    team = f"{report.team.name} · {report.period}"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(team)} — selfbuild-rules</title>",
        f"<style>\n{style()}</style></head>",
        "<body>",
        *_header(report, lang),
        *_summary(report, lang),
        *_warnings(grid, lang),
        *_attention(grid, lang),
        *_members(grid, lang),
        *_research_days(grid, lang),
        *_team(grid, lang),
        *_details(grid, lang),
        f"<footer><p>{_e(_cap(word('legend', lang)))}: {legend}</p>",
        "<p>selfbuild-rules · selfbuild-rules.report/1</p></footer>",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"
