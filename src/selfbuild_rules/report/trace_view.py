"""A result's trace as lines to read, in English or Chinese: the text form indents them
under the result, Markdown and HTML show them under its drill-down.

Each line is one step, ``depth`` deep, ending with the clause it applies in brackets.

>>> import selfbuild_rules as sr
>>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
...        "members": [], "democratic_life_meetings": [{"id": "dl-1", "date": "2018-12-20"}]}
>>> r = sr.evaluate(doc, "2018", "2019-03-01", rules=["6.democratic-life-meeting"],
...                 trace=True).results[0]
>>> for depth, text in lines(r, "en"):
...     print("  " * depth + text)  # doctest: +ELLIPSIS
window 2018-02-02..2018-12-31: 333 of the year's 365 days [... 6.democratic-life-meeting]
at least 1, measured 1: holds [... 6.democratic-life-meeting]
  window 2018-02-02..2018-12-31, known to 2018-12-31, room 0
  counted dl-1 2018-12-20
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from selfbuild_rules.engine.results import Result
from selfbuild_rules.internal.text import printable
from selfbuild_rules.report.view import day

if TYPE_CHECKING:
    from selfbuild_rules.report.document import Report
    from selfbuild_rules.rules.tallied import Tallied

# Steps are told apart by their ``step``, so that a report without a trace never loads
# the modules that make one (see selfbuild_rules.rules.trace).

__all__ = ["html", "lines", "markdown"]

_EN = {
    "true": "holds",
    "false": "fails",
    "unknown": "open",
    "at_least": "at least",
    "at_most": "at most",
    "any": "one of these holds",
    "not": "not",
    "condition": "condition",
    "outside_window": "outside the window",
    "after_as_of": "after as_of",
    "overlap": "its days already counted as those of",
    "repealed": "repealed",
    "not_applicable": "not applicable",
}
_ZH = {
    "true": "成立",
    "false": "不成立",
    "unknown": "未定",
    "at_least": "至少",
    "at_most": "至多",
    "any": "以下之一成立",
    "not": "否定",
    "condition": "条件",
    "outside_window": "不在计算区间内",
    "after_as_of": "晚于评估日",
    "overlap": "其日期已计入",
    "repealed": "已废止",
    "not_applicable": "不适用",
}


def _w(key: str, lang: str) -> str:
    return (_ZH if lang == "zh" else _EN).get(key, key)


def _colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def _plain(value: object, lang: str) -> str:
    if value is None:
        return "无" if lang == "zh" else "none"
    return day(value, lang) if isinstance(value, _dt.date) else str(value)


def _days(start: Any, end: Any, lang: str) -> str:
    """A run of days: ``2018-03-01..2018-03-10``, in Chinese ``2018年3月1日至2018年3月10日``."""
    if start is None:
        return ""
    if start == end:
        return day(start, lang)
    return f"{day(start, lang)}{'至' if lang == 'zh' else '..'}{day(end, lang)}"


def _tally(t: Tallied, lang: str) -> Iterator[str]:
    zh = lang == "zh"
    if t.window is not None:
        known = _plain(t.known.end if t.known is not None else None, lang)
        window = _days(t.window.start, t.window.end, lang)
        room = ("不限" if zh else "any") if t.room is None else t.room
        yield (
            f"计算区间 {window}，已知至 {known}，尚余 {room}"
            if zh
            else f"window {window}, known to {known}, room {room}"
        )
    for r in t.ranges:
        ids = ", ".join(r.records)
        yield (
            f"合并区间 {_days(r.start, r.end, lang)}：{r.days} 天（{ids}）"
            if zh
            else f"days {r.start}..{r.end}: {r.days} ({ids})"
        )
    if not t.ranges:
        for c in t.counted:
            yield f"{'计入' if zh else 'counted'} {c.record} {_days(c.start, c.end, lang)}".rstrip()
    for x in t.left_out:
        by = f" {', '.join(x.by)}" if x.by else ""
        yield f"{'未计入' if zh else 'left out'} {x.record}{_colon(lang)}{_w(x.why, lang)}{by}"


def _stated(fact: Any, lang: str) -> Iterator[str]:
    for stated in fact.stated:
        said = ", ".join(f"{k} {_plain(v, lang)}" for k, v in sorted(stated.fields.items()))
        yield f"{stated.record}{_colon(lang)}{said}"


def _step(s: Any, lang: str, depth: int) -> Iterator[tuple[int, str]]:
    zh = lang == "zh"
    cited = f" [{s.cites}]"
    if s.step in ("at_least", "at_most"):
        measured = "实测" if zh else "measured"
        comma = "，" if zh else ", "
        said = f"{_w(s.step, lang)} {s.bound}{comma}{measured} {s.measured}"
        said += f"{_colon(lang)}{_w(s.truth, lang)}"
        yield depth, said + cited
        if s.tally is not None:
            yield from ((depth + 1, text) for text in _tally(s.tally, lang))
    elif s.step == "item":
        due = "" if s.due is None else (f"，截止 {day(s.due, lang)}" if zh else f", due {s.due}")
        head = f"{'事项' if zh else 'item'} {s.item}{due}"
        yield depth, f"{head}{_colon(lang)}{_w(s.truth, lang)}{cited}"
        inner = s.steps
        if len(inner) == 1 and inner[0].step == "fact" and inner[0].facts == (s.item,):
            yield from ((depth + 1, text) for text in _stated(inner[0], lang))  # said once
            return
        for each in inner:
            yield from _step(each, lang, depth + 1)
    elif s.step == "fact":
        yield depth, f"{', '.join(s.facts)}{_colon(lang)}{_w(s.truth, lang)}{cited}"
        yield from ((depth + 1, text) for text in _stated(s, lang))
    elif s.step == "missing":
        yield depth, f"{'缺少' if zh else 'missing'} {', '.join(s.categories)}{cited}"
    elif s.step in ("any", "not", "condition"):
        measured = "" if s.measured is None else f" {s.measured}"
        yield depth, f"{_w(s.step, lang)}{measured}{_colon(lang)}{_w(s.truth, lang)}{cited}"
        for inner in s.steps:
            yield from _step(inner, lang, depth + 1)
    else:
        yield depth, _engine_step(s, lang) + cited


def _engine_step(s: Any, lang: str) -> str:
    zh = lang == "zh"
    if s.step == "window":
        w = s.window
        if zh:
            return f"计算区间 {_days(w.start, w.end, lang)}：{s.days} 天，全年 {s.year_days} 天"
        return f"window {w.start}..{w.end}: {s.days} of the year's {s.year_days} days"
    if s.step == "not_counted":
        ids = ", ".join(s.records)
        if zh:
            return f"规则未选用的{s.category}：{ids}"
        return f"{s.category} the rule did not select: {ids}"
    return f"{_w(s.step, lang)}{_colon(lang)}{s.zh if zh else s.en}"


def lines(result: Result, lang: str) -> list[tuple[int, str]]:
    """The trace of ``result`` as (depth, text) lines; none when it has no trace."""
    found: list[tuple[int, str]] = []
    for s in getattr(result, "trace", ()):
        found.extend(_step(s, lang, 0))
    return found


def html(result: Result, lang: str) -> str:
    """The trace as a nested list, for the result's drill-down (every text escaped):
    a step's own steps are a list inside its item."""
    from html import escape  # only for HTML: the text forms never load it

    out, opened = ['<ol class="trace">'], [False]  # per depth: is an item still open
    for d, text in lines(result, lang):
        while len(opened) <= d:  # one deeper: a list inside the open item
            out.append('<ol class="trace">')
            opened.append(False)
        while len(opened) > d + 1:
            out.append("</li></ol>" if opened.pop() else "</ol>")
        if opened[-1]:
            out.append("</li>")
        out.append(f"<li>{escape(text, quote=True)}")
        opened[-1] = True
    while opened:
        out.append("</li></ol>" if opened.pop() else "</ol>")
    return "".join(out)


def markdown(report: Report, lang: str) -> list[str]:
    """A section with each traced result's steps as an indented code block (no
    section when nothing is traced)."""
    traced = [r for r in report.results if getattr(r, "trace", None)]
    if not traced:
        return []
    found = ["", "## 追溯" if lang == "zh" else "## Trace"]
    for r in traced:
        found += ["", f"### `{r.rule}` {printable(r.subject)}", ""]
        found += [f"    {'  ' * d}{printable(text)}" for d, text in lines(r, lang)]
    return found
