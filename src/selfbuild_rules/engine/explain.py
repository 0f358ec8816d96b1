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
"""

from __future__ import annotations

import datetime as _dt

from selfbuild_rules.engine.results import Explanation, Status
from selfbuild_rules.law.periods import chinese_date
from selfbuild_rules.rules.conditions import Measure, Outcome

__all__ = ["describe"]


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
    if o.open:
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
    status: Status, outcome: Outcome, measure: Measure, due: _dt.date, as_of: _dt.date
) -> Explanation:
    """The explanation of an evaluated obligation with this status."""
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
            zh, en = f"截至 {chinese_date(as_of)}，{zh}", f"as of {as_of}: {en}"
        return Explanation(zh, en)
    if status is Status.PENDING:
        req_zh, req_en = _required(o, measure.unit_zh)
        return Explanation(
            f"截至 {chinese_date(as_of)}，{measure.zh} {o.measured} {measure.unit_zh}；"
            f"要求 {req_zh}，{chinese_date(due)} 到期",
            f"as of {as_of}: {o.measured} {measure.english(o.measured)} so far; "
            f"{req_en} required by {due}",
        )
    return Explanation(*_comparison(o, measure))
