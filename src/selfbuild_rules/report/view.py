"""What every report format shows alike: status symbols and labels, words in two
languages, who the subjects are, and which rules bind whom.

The renderers (table, Markdown, HTML) only lay this out; none decides on its own
what a status is called or in which order members appear.

>>> SYMBOL[Status.NON_COMPLIANT], label(Status.NON_COMPLIANT, "zh")
('✗', '不符合')
>>> word("needs attention", "zh")
'需要关注'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING

from selfbuild_rules.engine.results import Result, Status

if TYPE_CHECKING:
    from selfbuild_rules.report.document import Report

__all__ = [
    "ATTENTION",
    "SYMBOL",
    "Grid",
    "explanation",
    "label",
    "subject_label",
    "title",
    "width",
    "word",
]

#: A symbol for each status, so that no format relies on colour alone.
SYMBOL = {
    Status.COMPLIANT: "✓",
    Status.NON_COMPLIANT: "✗",
    Status.PENDING: "○",
    Status.UNDETERMINED: "?",
    Status.REQUIRES_JUDGMENT: "⚖",
    Status.NOT_APPLICABLE: "–",
}

_LABELS = {
    Status.COMPLIANT: ("compliant", "符合"),
    Status.NON_COMPLIANT: ("non-compliant", "不符合"),
    Status.PENDING: ("pending", "未到期"),
    Status.UNDETERMINED: ("undetermined", "无法判断"),
    Status.REQUIRES_JUDGMENT: ("requires judgment", "待人工评定"),
    Status.NOT_APPLICABLE: ("not applicable", "不适用"),
}

#: The statuses listed one by one under "needs attention", in this order.
ATTENTION = (Status.NON_COMPLIANT, Status.PENDING, Status.UNDETERMINED)

_WORDS = {
    "trace": "追溯",  # issue 14 item 6: the trace in a result's drill-down
    "report": "合规报告",
    "team": "班子",
    "period": "期间",
    "as of": "数据截至",
    "regulation": "规定",
    "summary": "概况",
    "results": "项结果",
    "count": "数量",
    "team obligations": "班子义务",
    "member obligations": "成员义务",
    "rule": "规则",
    "status": "状态",
    "explanation": "说明",
    "members": "成员",
    "needs attention": "需要关注",
    "nothing needs attention": "没有需要关注的结果",
    "warnings": "警示",
    "legend": "图例",
    "research days": "调研天数",
    "research days against the requirement": "调研天数与要求对比",
    "days": "天",
    "required": "要求",
    "every result": "全部结果明细",
    "clause": "条文",
    "english": "英文译文",
    "measured": "实测",
    "minimum": "至少",
    "maximum": "至多",
    "window": "适用期间",
    "due": "到期日",
    "facts used": "所用事实",
    "not met": "未满足",
    "still open": "尚未到期",
    "interpretations": "解释参数",
    "parameter": "参数",
    "value": "取值",
    "default": "默认",
    "changed": "已调整",
    "source": "来源",
    "valid": "适用日期",
    "parameters": "参数",
    "none": "无",
    "principle": "原则",
    "no results": "没有结果",
    "redacted": "已隐去姓名",
    "click": "点击任一格查看该结果的依据与计算。",
}


_ENGLISH = {"click": "Click a cell to see its clause, the facts used and the reasoning."}


def word(key: str, lang: str) -> str:
    """A word of the reports' own text in ``lang`` (``en`` or ``zh``)."""
    return _WORDS[key] if lang == "zh" else _ENGLISH.get(key, key)


_SHORT = {Status.REQUIRES_JUDGMENT: "judgment", Status.NOT_APPLICABLE: "n/a"}


def label(status: Status, lang: str, *, short: bool = False) -> str:
    """The status as a person reads it (``short``: for a narrow matrix cell)."""
    en, zh = _LABELS[status]
    if lang == "zh":
        return zh
    return _SHORT.get(status, en) if short else en


def explanation(result: Result, lang: str) -> str:
    """The result's one-line explanation in ``lang``."""
    return result.explanation.zh if lang == "zh" else result.explanation.en


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide Chinese characters count two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def title(report: Report, rule: str, lang: str) -> str:
    """A short name of a rule: its English title, or the start of its Chinese text (the
    id alone for a provision the base regulation's text does not have)."""
    if report.regulation_text is None:
        return rule
    try:
        provision = report.regulation_text.provision(rule)
    except KeyError:
        return rule
    if lang != "zh":
        return provision.title
    text = provision.text[0].strip("，。；、 ")
    return text if len(text) <= 18 else text[:17] + "…"


def subject_label(report: Report, subject: str, lang: str, *, with_id: bool = True) -> str:
    """``成员甲 (m01)``, or only the id when the name is unknown or redacted."""
    if subject == "team":
        return word("team", lang) if lang == "zh" else "Team"
    name = report.members.get(subject)
    if not name or name == subject:
        return subject
    return f"{name} ({subject})" if with_id else name


class Grid:
    """The results arranged by rule and subject, in the order of the law and the facts."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.cells: dict[tuple[str, str], Result] = {}
        self.index: dict[tuple[str, str], int] = {}
        team_rules: dict[str, None] = {}
        member_rules: dict[str, None] = {}
        seen: dict[str, None] = dict.fromkeys(report.members)
        for number, result in enumerate(report.results):
            key = (result.rule, result.subject)
            self.cells[key] = result
            self.index[key] = number
            if result.subject == "team":
                team_rules[result.rule] = None
            else:
                member_rules[result.rule] = None
                seen.setdefault(result.subject, None)
        self.team_rules = list(team_rules)
        self.member_rules = list(member_rules)
        self.members = list(seen)

    def get(self, rule: str, subject: str) -> Result | None:
        """The result of ``rule`` for ``subject``, if it was evaluated."""
        return self.cells.get((rule, subject))

    def anchor(self, result: Result) -> str:
        """A stable HTML id for a result (its position in the report)."""
        return f"r{self.index[(result.rule, result.subject)] + 1}"

    def attention(self) -> Iterator[Result]:
        """Non-compliant, pending and undetermined results, in that order."""
        for status in ATTENTION:
            yield from (r for r in self.report.results if r.status is status)

    def warnings(self) -> Iterator[tuple[Result, str]]:
        """Every module warning, with the result it concerns."""
        for result in self.report.results:
            for warning in getattr(result, "warnings", ()):
                yield result, str(warning)
