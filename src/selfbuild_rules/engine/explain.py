"""One-line explanations in Chinese and English, built from any outcome alike.

No rule writes its own sentence: each names what it measures (:class:`Measure`)
and the phrasing below turns measured-versus-required into words.

>>> from selfbuild_rules.rules.conditions import Outcome, Truth
>>> from selfbuild_rules.rules.conditions import Measure
>>> days = Measure("调研天数", "天", "research days")
>>> due, as_of = _dt.date(2018, 12, 31), _dt.date(2019, 3, 1)
>>> e = describe(Status.NON_COMPLIANT, Outcome(Truth.FALSE, 47, minimum=55), days, due, as_of)
>>> e.zh
'调研天数 47 天，少于要求的 55 天'
>>> e.en
'47 research days, fewer than the 55 required'

A pending result says what is still needed, by when, and whether it is at risk:

>>> from selfbuild_rules.rules.conditions import AtLeast, Tally
>>> days = Measure("调研天数", "天", "research days", "research day", "days")
>>> open_ = AtLeast(55, Tally(20, room=184, by=due)).evaluate()
>>> e = describe(Status.PENDING, open_, days, due, _dt.date(2018, 9, 2))
>>> e.zh.split("；")[-1]
'还需调研天数 35 天，截至 2018年12月31日（剩余 120 天）'
>>> e.en.split("; ")[-1]
'35 more days needed by 2018-12-31 (120 days left)'
"""

from __future__ import annotations

import datetime as _dt

from selfbuild_rules.engine.results import Explanation, Status
from selfbuild_rules.law.periods import chinese_date
from selfbuild_rules.rules.conditions import Measure, Needed, Outcome, Truth
from selfbuild_rules.rules.outlook import Forecast, Outlook

__all__ = ["describe"]


def _still_needed(needed: Needed, m: Measure, as_of: _dt.date) -> tuple[str, str]:
    """What more is needed by when, with the days left from ``as_of``."""
    left = (needed.by - as_of).days
    if needed.items:
        zh = "、".join(f"{d.item}（截至 {chinese_date(d.by)}）" for d in needed.items)
        en = ", ".join(f"{d.item} by {d.by}" for d in needed.items)
        return f"尚待完成：{zh}", f"still needed: {en}"
    unit = m.unit or m.en
    if needed.amount == 1 and unit.endswith("s"):
        unit = unit[:-1]  # the units are regular plurals: one day, one visit
    return (
        f"还需{m.zh} {needed.amount} {m.unit_zh}，截至 {chinese_date(needed.by)}（剩余 {left} 天）",
        f"{needed.amount} more {unit} needed by {needed.by} ({left} days left)",
    )


_RISK = {
    "days_left": ("有风险：剩余时间不多", "at risk: little time left"),
    "pace": ("有风险：进度落后于要求", "at risk: behind the pace required"),
}


def _pending(
    o: Outcome, m: Measure, due: _dt.date, as_of: _dt.date, forecast: Forecast | None
) -> tuple[str, str]:
    """The tail of a pending explanation: what is still needed, or that more may arise,
    and why it is at risk."""
    zh: list[str] = []
    en: list[str] = []
    if o.needed is not None:
        needed_zh, needed_en = _still_needed(o.needed, m, as_of)
        zh.append(needed_zh)
        en.append(needed_en)
    elif o.items is not None and o.truth is Truth.UNKNOWN and not o.open:
        zh.append(f"{chinese_date(due)}前仍可能新增")
        en.append(f"more may fall due by {due}")
    if forecast is not None and forecast.outlook is Outlook.AT_RISK and forecast.reason:
        risk_zh, risk_en = _RISK[forecast.reason]
        zh.append(risk_zh)
        en.append(risk_en)
    return "".join(f"；{t}" for t in zh), "".join(f"; {t}" for t in en)


def _required(o: Outcome, unit: str) -> tuple[str, str]:
    if o.minimum is not None and o.maximum is not None:
        return f"{o.minimum}至{o.maximum} {unit}", f"{o.minimum} to {o.maximum}"
    if o.maximum is not None:
        return f"至多 {o.maximum} {unit}", f"at most {o.maximum}"
    return f"{o.minimum} {unit}", f"{o.minimum}"


def _items(o: Outcome, m: Measure) -> tuple[str, str]:
    """How many items of a :class:`ForEach` are met, and which are not, or not yet."""
    zh = [f"{m.zh} {o.measured}/{o.items} {m.unit_zh}"]
    en = [f"{o.measured} of {o.items} {m.en}"]
    failed = [i for i in o.failing if i not in o.open]
    if failed:
        zh.append(f"未满足：{', '.join(failed)}")
        en.append(f"not met: {', '.join(failed)}")
    dated = {d.item for d in o.needed.items} if o.needed is not None else set()
    if set(o.open) - dated:  # items with a last day are listed with it (see _pending)
        zh.append(f"尚未到期：{', '.join(o.open)}")
        en.append(f"still open: {', '.join(o.open)}")
    return "；".join(zh), "; ".join(en)


def _comparison(o: Outcome, m: Measure) -> tuple[str, str]:
    """How the measured value stands against the requirement."""
    n, unit = o.measured, m.unit_zh
    head_zh, head_en = f"{m.zh} {n} {unit}", f"{n} {m.english(n)}"
    if o.minimum is not None and n is not None and n < o.minimum:
        return (
            f"{head_zh}，少于要求的 {o.minimum} {unit}",
            f"{head_en}, fewer than the {o.minimum} required",
        )
    if o.maximum is not None and n is not None and n > o.maximum:
        return (
            f"{head_zh}，多于允许的 {o.maximum} {unit}",
            f"{head_en}, more than the {o.maximum} allowed",
        )
    req_zh, req_en = _required(o, unit)
    return f"{head_zh}，符合要求（{req_zh}）", f"{head_en}, meeting the requirement of {req_en}"


def describe(
    status: Status,
    outcome: Outcome,
    measure: Measure,
    due: _dt.date,
    as_of: _dt.date,
    forecast: Forecast | None = None,
) -> Explanation:
    """The explanation of an evaluated obligation with this status (and, pending, its
    ``forecast``)."""
    o = outcome
    measure = o.measure or measure
    if status is Status.UNDETERMINED:
        missing = ", ".join(o.missing)
        return Explanation(
            f"缺少 {missing} 数据，无法判断", f"cannot be decided: no {missing} supplied"
        )
    if o.items is not None:
        zh, en = _items(o, measure)
        if status is Status.PENDING:
            tail_zh, tail_en = _pending(o, measure, due, as_of, forecast)
            zh, en = f"截至 {chinese_date(as_of)}，{zh}{tail_zh}", f"as of {as_of}: {en}{tail_en}"
        return Explanation(zh, en)
    if status is Status.PENDING:
        req_zh, req_en = _required(o, measure.unit_zh)
        tail_zh, tail_en = _pending(o, measure, due, as_of, forecast)
        return Explanation(
            f"截至 {chinese_date(as_of)}，{measure.zh} {o.measured} {measure.unit_zh}；"
            f"要求 {req_zh}，{chinese_date(due)} 到期{tail_zh}",
            f"as of {as_of}: {o.measured} {measure.english(o.measured)} so far; "
            f"{req_en} required by {due}{tail_en}",
        )
    return Explanation(*_comparison(o, measure))
