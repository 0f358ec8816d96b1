"""What every report format shows alike: status symbols and labels, words in two
languages, who the subjects are, and which rules bind whom.

The renderers (table, Markdown, HTML) only lay this out; none decides on its own
what a status is called or in which order members appear.

>>> SYMBOL[Status.NON_COMPLIANT], label(Status.NON_COMPLIANT, "zh")
('✗', '不符合')
>>> word("needs attention", "zh")
'需要关注'

Rules by their titles, dates, tenure and parameter values, in either language:

>>> import selfbuild_rules as sr
>>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
...        "members": [{"id": "m01", "name": "成员甲", "post": "mayor",
...                     "tenure": {"start": "2018-07-01"}}], "research_trips": []}
>>> r = sr.evaluate(doc, "2018", "2019-03-01", rules=["3.research-days"])
>>> title(r, "3.research-days", "zh"), title(r, "3.research-days", "en")
('年度基层调研时间', 'Annual grassroots research time')
>>> tenure(r, "m01", "zh"), tenure(r, "m01", "en"), day(r.as_of, "zh")
('任职 2018年7月1日起', 'in office from 2018-07-01', '2019年3月1日')
>>> value_text(r, ("village", "school"), "zh"), measured(r, r.results[0], "zh")
('村、学校', ('调研天数', '天'))
"""

from __future__ import annotations

import datetime as _dt
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING

from selfbuild_rules.engine.results import UNSET, Outlook, Result, Status
from selfbuild_rules.law.parameters import IN_FORCE
from selfbuild_rules.law.periods import DateRange, Period, chinese_date
from selfbuild_rules.law.text import Provision, ProvisionKind
from selfbuild_rules.law.timeline import ModuleWarning

if TYPE_CHECKING:
    from selfbuild_rules.report.document import Report

__all__ = [
    "ATTENTION",
    "SYMBOL",
    "Grid",
    "counted",
    "day",
    "explanation",
    "label",
    "measured",
    "provision",
    "span",
    "subject_label",
    "tenure",
    "title",
    "urgency",
    "value_text",
    "warning_text",
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

#: The statuses listed one by one under "needs attention", in this order; of the
#: pending results only those at risk are listed, those on track are counted.
ATTENTION = (Status.NON_COMPLIANT, Status.PENDING, Status.UNDETERMINED)


def _needs_attention(result: Result) -> bool:
    if result.status is Status.PENDING:
        return result.outlook is Outlook.AT_RISK
    return result.status in ATTENTION


def urgency(result: Result) -> tuple[int, _dt.date, int]:
    """Where a result comes in the attention list: by status (non-compliant, then at
    risk, then undetermined), then by the last day it can be met (``still_needed.by``,
    else its due date), then the largest shortfall first.

    >>> import selfbuild_rules as sr
    >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
    ...        "members": [], "democratic_life_meetings": []}
    >>> urgency(sr.evaluate(doc, "2018", "2018-12-20").result("6.democratic-life-meeting"))
    (1, datetime.date(2018, 12, 31), -1)
    """
    needed = result.still_needed
    by = result.due or _dt.date.max
    shortfall = 0
    if needed is not UNSET:
        by, shortfall = needed.by, needed.amount
    elif result.requirement is not None and result.requirement.minimum is not None:
        shortfall = max(0, result.requirement.minimum - result.requirement.measured)
    return ATTENTION.index(result.status), by, -shortfall


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
    "on track": "项未到期结果进展正常，未列出",
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
    "judgment provisions": "人工评定事项",
    "assessed": "已评定",
    "awaiting assessment": "待评定",
    "judgment note": "以下条款由人工评定，不在上表中；展开各行可见逐条情况。",
    "appendix": "附录",
    "in office from": "任职",
    "since": "起",
    "in office until": "任职至",
    "modules": "地方模块",
    "loosens": "放宽了",
}


_ENGLISH = {
    "click": "Click a cell to see its clause, the facts used and the reasoning.",
    "judgment note": "A person assesses these provisions; they are not in the matrix above. "
    "Open a row to see each provision.",
    "appendix": "Appendix",
    "since": "",
    "in office until": "in office until",
    "on track": "pending results on track, not listed",
}


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


def counted(grid: Grid, lang: str) -> str:
    """The line under the attention list that counts what it leaves out ("" for none).

    >>> import selfbuild_rules as sr
    >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
    ...        "members": [], "major_decisions": [{"id": "md-1", "date": "2018-03-01",
    ...        "decided_by": "executive_meeting", "legal_review": "2018-02-20"}]}
    >>> counted(Grid(sr.evaluate(doc, "2018", "2018-06-30")), "en")
    '2 pending results on track, not listed.'
    """
    n = grid.on_track()
    if not n:
        return ""
    return f"{n} {word('on track', lang)}" + ("。" if lang == "zh" else ".")


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide Chinese characters count two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def provision(report: Report, rule: str) -> Provision | None:
    """The provision a rule encodes, the base's or a module's (``None`` when unknown)."""
    for entry in report.provisions:
        if entry.provision.id == rule:
            return entry.provision
    if report.regulation_text is None:
        return None
    try:
        return report.regulation_text.provision(rule)
    except KeyError:
        return None


def title(report: Report, rule: str, lang: str) -> str:
    """A short name of a rule in ``lang`` (:meth:`Provision.title_in`), or its id when
    the provision is unknown."""
    found = provision(report, rule)
    return rule if found is None else found.title_in(lang)


def judgment(report: Report, rule: str) -> bool:
    """Whether a person assesses the rule's provision (it has no evaluable rule)."""
    found = provision(report, rule)
    return found is not None and found.kind is ProvisionKind.JUDGMENT


def day(value: _dt.date, lang: str) -> str:
    """A date: ``2019-03-01``, or ``2019年3月1日`` in Chinese."""
    return chinese_date(value) if lang == "zh" else value.isoformat()


def span(window: DateRange, lang: str) -> str:
    """A window's first and last day."""
    return f"{day(window.start, lang)} – {day(window.end, lang)}"


def measured(report: Report, result: Result, lang: str) -> tuple[str, str]:
    """What a result's requirement counts and its unit in ``lang``: (``调研天数``, ``天``),
    or the English measure and no unit. In Chinese, a measure that no rule declares (one a
    condition names for itself) gives no name and the unit of the rule's own measure."""
    assert result.requirement is not None
    name = result.requirement.measure
    if lang != "zh":
        return name, ""
    unit = ""
    for entry in report.provisions:
        m = entry.rule.measure if entry.rule is not None else None
        if m is not None and name in (m.en, m.en_one):
            return m.zh, m.unit_zh
        if m is not None and entry.provision.id == result.rule:
            unit = m.unit_zh
    return "", unit


def value_text(report: Report, value: object, lang: str) -> str | None:
    """A parameter value in Chinese words (codes through the regulation's glossary, dates
    as 2019年3月1日, lists joined with 、); ``None`` in English (the caller's own form)."""
    if lang != "zh":
        return None
    glossary = report.regulation_text.glossary if report.regulation_text is not None else {}
    if isinstance(value, (list, tuple, set, frozenset)):
        return "、".join(str(value_text(report, v, lang)) for v in value)
    if isinstance(value, _dt.date):
        return chinese_date(value)
    text = getattr(value, "value", value)  # an enum's value
    return glossary.get(str(text), str(text))


def tenure(report: Report, member: str, lang: str) -> str:
    """When a member's tenure begins or ends inside the period, that day: ``任职
    2018年7月1日起``, ``任职至 2018年6月30日`` (empty for a member in office throughout)."""
    held = report.tenures.get(member)
    if held is None:
        return ""
    period = Period.parse(report.period).range
    first = report.parameters.get(IN_FORCE)  # a tenure begun before the law is no news
    start = max(period.start, first) if isinstance(first, _dt.date) else period.start
    parts = []
    if held.start > start:
        since = word("since", lang)
        parts.append(f"{word('in office from', lang)} {day(held.start, lang)}{since}")
    if held.end is not None and held.end < period.end:
        parts.append(f"{word('in office until', lang)} {day(held.end, lang)}")
    return " · ".join(parts)


def warning_text(warning: object, lang: str) -> str:
    """A module's warning in ``lang`` (the module's own reason as it wrote it)."""
    if lang == "zh" and isinstance(warning, ModuleWarning):
        return f"{warning.module} {word('loosens', lang)} {warning.target}：{warning.reason}"
    return str(warning)


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
        judged: dict[str, None] = {}
        kinds: dict[str, bool] = {}  # rule → assessed by a person (looked up once)
        seen: dict[str, None] = dict.fromkeys(report.members)
        for number, result in enumerate(report.results):
            key = (result.rule, result.subject)
            self.cells[key] = result
            self.index[key] = number
            if result.subject != "team":
                seen.setdefault(result.subject, None)
            if result.rule not in kinds:
                kinds[result.rule] = judgment(report, result.rule)
            if kinds[result.rule]:
                judged[result.rule] = None
            elif result.subject == "team":
                team_rules[result.rule] = None
            else:
                member_rules[result.rule] = None
        self.team_rules = list(team_rules)
        self.member_rules = list(member_rules)
        #: Rules whose provision a person assesses: in a section of their own.
        self.judgment_rules = list(judged)
        self.members = list(seen)

    def get(self, rule: str, subject: str) -> Result | None:
        """The result of ``rule`` for ``subject``, if it was evaluated."""
        return self.cells.get((rule, subject))

    def anchor(self, result: Result) -> str:
        """A stable HTML id for a result (its position in the report)."""
        return f"r{self.index[(result.rule, result.subject)] + 1}"

    def attention(self) -> list[Result]:
        """Non-compliant, at-risk pending and undetermined results, most urgent first
        (:func:`urgency`); pending results on track are only counted (:meth:`on_track`)."""
        return sorted(filter(_needs_attention, self.report.results), key=urgency)

    def on_track(self) -> int:
        """How many pending results are on track (not listed under "needs attention")."""
        return sum(
            r.status is Status.PENDING and r.outlook is not Outlook.AT_RISK
            for r in self.report.results
        )

    def warnings(self, lang: str = "en") -> Iterator[tuple[Result, str]]:
        """Every module warning in ``lang``, with the result it concerns."""
        for result in self.report.results:
            for warning in getattr(result, "warnings", ()):
                yield result, warning_text(warning, lang)
