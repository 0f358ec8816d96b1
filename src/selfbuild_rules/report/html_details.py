"""The appendix of the HTML report: every result in a ``<details>`` that opens on the
clause, measured against required, the facts used, the interpretations with their
sources and any warnings. Printed, it starts on a page of its own after the summary.

>>> warning_list(["lax loosens research.months: pilot"])
'<ul class="warnings"><li class="warn">⚠ lax loosens research.months: pilot</li></ul>'
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from selfbuild_rules.engine.results import Result
from selfbuild_rules.report.html_parts import cap, esc, rule_heading, status_html
from selfbuild_rules.report.trace_view import html as trace_html
from selfbuild_rules.report.view import (
    Grid,
    day,
    explanation,
    measured,
    span,
    subject_label,
    value_text,
    warning_text,
    word,
)

if TYPE_CHECKING:
    from selfbuild_rules.report.document import Report

__all__ = ["details", "warning_list"]


def _plain(report: Report, value: object, lang: str) -> str:
    words = value_text(report, value, lang)
    if words is not None:
        return words
    from selfbuild_rules.facts.structure import unstructure as plain

    data = plain(value)
    if isinstance(data, str):
        return data
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _ids(ids: Iterable[str], lang: str) -> str:
    return ", ".join(f"<code>{esc(i)}</code>" for i in ids) or esc(word("none", lang))


def _interpretations(report: Report, result: Result, lang: str) -> str:
    spans = [getattr(i, "valid", None) for i in result.interpretations]
    heads = ["parameter", "value", "default", "source"] + (["valid"] if any(spans) else [])
    rows = []
    for i, valid in zip(result.interpretations, spans, strict=True):
        used = word("default", lang) if i.default else word("changed", lang)
        source = esc(getattr(i, "source", ""))
        value = esc(_plain(report, i.value, lang))
        cells = [f"<code>{esc(i.parameter)}</code>", value, esc(used), source]
        if any(spans):
            cells.append(span(valid, lang) if valid is not None else "")
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{esc(cap(word(h, lang)))}</th>" for h in heads)
    return f'<table class="params"><tr>{head}</tr>{"".join(rows)}</table>'


def _requirement(report: Report, result: Result, lang: str) -> str:
    req = result.requirement
    assert req is not None
    if lang != "zh":
        parts = [f"{esc(word('measured', lang))} <b>{req.measured}</b> {esc(req.measure)}"]
        unit = ""
    else:  # 调研天数 <b>47</b> 天 · 至少 <b>55</b> 天: the row is already headed 实测
        name, unit = measured(report, result, lang)
        parts = [f"{esc(name)} <b>{req.measured}</b> {esc(unit)}".strip()]
        unit = f" {esc(unit)}" if unit else ""
    if req.minimum is not None:
        parts.append(f"{esc(word('minimum', lang))} <b>{req.minimum}</b>{unit}")
    if req.maximum is not None:
        parts.append(f"{esc(word('maximum', lang))} <b>{req.maximum}</b>{unit}")
    return " · ".join(parts)


def _clause(grid: Grid, result: Result, lang: str) -> list[tuple[str, str]]:
    c = result.citation
    items = [
        (
            "clause",
            f'<blockquote class="clause" lang="zh-CN">{esc(c.text)}</blockquote>'
            f'<div class="note">{esc(c.regulation)} · {esc(word("principle", lang))} '
            f"{esc(c.principle)} · <code>{esc(c.provision)}</code></div>",
        )
    ]
    text = grid.report.regulation_text
    if lang != "zh" and text is not None and c.regulation == text.id:
        with contextlib.suppress(KeyError):
            items.append(("english", esc(text.provision(result.rule).english)))
    return items


def _detail(grid: Grid, result: Result, lang: str) -> str:
    status = result.status.value
    items = _clause(grid, result, lang)
    if result.requirement is not None:
        items.append(("measured", _requirement(grid.report, result, lang)))
    if result.window is not None:
        items.append(("window", span(result.window, lang)))
    if result.due is not None:
        items.append(("due", day(result.due, lang)))
    items.append(("facts used", _ids(result.facts, lang)))
    failed = [i for i in result.failing if i not in result.open]
    if failed:
        items.append(("not met", _ids(failed, lang)))
    if result.open:
        items.append(("still open", _ids(result.open, lang)))
    if result.interpretations:
        items.append(("interpretations", _interpretations(grid.report, result, lang)))
    warnings = [warning_text(w, lang) for w in getattr(result, "warnings", ())]
    if warnings:
        items.append(("warnings", warning_list(warnings)))
    items.append(("source", esc(getattr(result, "source", result.citation.regulation))))
    if getattr(result, "trace", None):
        items.append(("trace", trace_html(result, lang)))
    body = "".join(f"<dt>{esc(cap(word(k, lang)))}</dt><dd>{v}</dd>" for k, v in items)
    heading = rule_heading(grid.report, result.rule, lang)
    return (
        f'<details class="result st-{status}" id="{grid.anchor(result)}" '
        f'data-rule="{esc(result.rule)}" data-subject="{esc(result.subject)}" '
        f'data-status="{status}">'
        f'<summary><span class="badge st-{status}">{status_html(result.status, lang)}</span> '
        f"{heading} — {esc(explanation(result, lang))}</summary>"
        f'<div class="body"><dl class="facts">{body}</dl></div></details>'
    )


def warning_list(texts: Iterable[str]) -> str:
    """Warnings as a list, each marked ⚠."""
    items = "".join(f'<li class="warn">⚠ {esc(t)}</li>' for t in texts)
    return f'<ul class="warnings">{items}</ul>'


def details(grid: Grid, lang: str) -> list[str]:
    """The appendix: each subject's results, the team's first."""
    heading = esc(cap(word("every result", lang)))
    parts = [f'<section id="details" class="appendix"><h2>{heading}</h2>']
    for subject in ["team", *grid.members]:
        results = [r for r in grid.report.results if r.subject == subject]
        if not results:
            continue
        who = esc(subject_label(grid.report, subject, lang))
        parts.append(f'<h3 id="s-{esc(subject)}">{who}</h3>')
        parts.extend(_detail(grid, r, lang) for r in results)
    parts.append("</section>")
    return parts
