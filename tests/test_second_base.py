"""A second base regulation, written only with ``selfbuild_rules.module_api``: three
provisions, its own text and parameters, one rule. It evaluates and renders like the
bundled one, modules extend it by its id, and nothing of Tianjin's shows through."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest

import selfbuild_rules as sr
from selfbuild_rules.module_api import (
    IN_FORCE,
    AtLeast,
    Base,
    Condition,
    Context,
    DateRange,
    Direction,
    Measure,
    Member,
    Module,
    ModuleError,
    NotApplicable,
    Parameter,
    ParameterChange,
    ParameterTable,
    Provision,
    ProvisionKind,
    Regulation,
    RuleSet,
    SubjectKind,
    build_law,
    build_regulation,
    tally_days,
)

TEXT = """示例市人民政府领导班子自身建设规定（测试用文本）
为加强示例市人民政府领导班子自身建设，制定本规定。
一、坚持学习
领导班子成员应当坚持理论学习，学以致用。
二、坚持调研
领导班子成员每年深入基层调研时间不少于1个月。
三、坚持廉洁
领导班子应当廉洁自律，接受监督。
"""

RULES = RuleSet(reads=(IN_FORCE,))


@RULES.yearly(
    "2.research-days",
    SubjectKind.MEMBER,
    ("research_trips",),
    ("research.days_min",),
    Measure("调研天数", "天", "research days", "research day"),
)
def research_days(
    ctx: Context, member: Member | None, window: DateRange
) -> Condition | NotApplicable:
    """Compliant when the member's research trips cover ``research.days_min`` days."""
    assert member is not None
    trips = ((t.id, t) for t in ctx.of_member("research_trips", member))
    return AtLeast(ctx.at_least("research.days_min", window), tally_days(trips, window, ctx.as_of))


def _provision(id: str, kind: ProvisionKind, subject: SubjectKind, text: str) -> Provision:
    return Provision(id, "一二三"[int(id[0]) - 1], kind, subject, id, (text,), f"English of {id}.")


PROVISIONS = (
    _provision("1.study", ProvisionKind.JUDGMENT, SubjectKind.MEMBER, "坚持理论学习"),
    _provision(
        "2.research-days", ProvisionKind.EVALUABLE, SubjectKind.MEMBER, "调研时间不少于1个月"
    ),
    _provision("3.integrity", ProvisionKind.JUDGMENT, SubjectKind.TEAM, "廉洁自律"),
)


def regulation(provisions: tuple[Provision, ...] = PROVISIONS) -> Regulation:
    return build_regulation(
        TEXT,
        preamble_starts="为加强示例市",
        id="demo-city",
        title="示例市人民政府领导班子自身建设规定",
        english_title="Demo City self-construction rules (test)",
        adopted=dt.date(2020, 1, 1),
        adopted_by="示例市人民政府常务会议",
        issued=dt.date(2020, 1, 2),
        english_titles={"一": "Study", "二": "Research", "三": "Integrity"},
        provisions=provisions,
    )


REGULATION = regulation()
PARAMETERS = ParameterTable(
    [
        Parameter(
            IN_FORCE, dt.date(2020, 1, 2), "date", "demo-city", "From issue.", Direction.DEADLINE
        ),
        Parameter(
            "research.days_min", 30, "days", "2.research-days", "不少于1个月", Direction.MINIMUM
        ),
    ]
)
DEMO = Base(REGULATION, PARAMETERS, RULES, version="test.1")

FACTS: dict[str, Any] = {
    "format": "selfbuild-rules.facts/1",
    "team": {"id": "demo", "name": "示例市人民政府领导班子"},
    "members": [
        {"id": "m1", "name": "成员一", "post": "mayor", "tenure": {"start": "2019-01-01"}},
        {"id": "m2", "name": "成员二", "post": "vice_mayor", "tenure": {"start": "2019-01-01"}},
    ],
    "research_trips": [
        {"id": "t1", "member": "m1", "start": "2021-03-01", "end": "2021-04-09"},
        {"id": "t2", "member": "m2", "start": "2021-03-01", "end": "2021-03-10"},
    ],
    "assessments": [
        {"id": "a1", "rule": "3.integrity", "subject": "team", "period": "2021",
         "result": "compliant", "date": "2022-01-10"},
    ],
}  # fmt: skip


def report(**how: Any) -> sr.Report:
    return sr.evaluate(FACTS, "2021", "2022-03-01", regulation=DEMO, **how)


def test_the_second_base_evaluates_its_own_provisions() -> None:
    found = report()
    assert found.regulation == "demo-city"
    assert {r.rule for r in found.results} == {"1.study", "2.research-days", "3.integrity"}
    m1, m2 = found.result("2.research-days", "m1"), found.result("2.research-days", "m2")
    assert (m1.status, m2.status) == (sr.Status.COMPLIANT, sr.Status.NON_COMPLIANT)
    assert m1.requirement is not None and (m1.requirement.measured, m1.requirement.minimum) == (
        40,
        30,
    )
    assert m1.citation.regulation == "demo-city" and m1.citation.text == "调研时间不少于1个月"
    assert found.result("3.integrity").status is sr.Status.COMPLIANT  # its own judgment
    assert found.result("1.study", "m1").status is sr.Status.REQUIRES_JUDGMENT
    assert [i.source for i in m1.interpretations] == ["demo-city", "demo-city"]


def test_facts_are_checked_against_the_second_base() -> None:
    wrong = json.loads(json.dumps(FACTS))
    wrong["assessments"][0]["rule"] = "1.loyalty"  # Tianjin's judgment, not this base's
    with pytest.raises(sr.FactsError, match=r"assessments\[0\]\.rule: 1.loyalty is not a judgment"):
        sr.load_facts(wrong, regulation=DEMO)
    assert sr.load_facts(FACTS, regulation=DEMO).assessments is not None


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_report_format_renders_the_second_base(lang: str) -> None:
    found = report()
    forms = {
        "json": found.to_json(),
        "text": found.to_text(lang),
        "table": found.to_table(lang),
        "markdown": found.to_markdown(lang),
        "html": found.to_html(lang),
    }
    for form, text in forms.items():
        assert "2.research-days" in text and "m2" in text, form
        assert form == "text" or "成员二" in text, form  # the text form names ids only
        assert "tianjin" not in text.lower() and "天津" not in text, form
    assert "《示例市人民政府领导班子自身建设规定》" in forms["html"]
    assert "二、坚持调研" in forms["html"]  # the principle heads its rules in the matrix
    if lang == "en":
        assert "English of 2.research-days." in forms["html"]
    assert json.loads(forms["json"])["regulation"] == "demo-city"


def test_parallel_workers_evaluate_the_second_base_alike() -> None:
    assert report(jobs=2) == report()


def test_a_module_extends_the_second_base_by_its_id() -> None:
    stricter = Module(
        id="demo-district",
        title="示例区补充规定",
        english_title="Demo district",
        authority="示例区",
        adopted=dt.date(2021, 1, 1),
        in_force=dt.date(2021, 1, 1),
        text="调研时间不少于45天。",
        changes=(
            ParameterChange("research.days_min", 45, dt.date(2021, 1, 1), "调研时间不少于45天"),
        ),
        extends="demo-city",
    )
    found = sr.evaluate(FACTS, "2021", "2022-03-01", modules=[stricter], regulation=DEMO)
    assert found.result("2.research-days", "m1").status is sr.Status.NON_COMPLIANT
    assert build_law(DEMO, [stricter]).value("research.days_min", dt.date(2021, 6, 1)) == 45
    facts = sr.load_facts(FACTS, regulation=DEMO)
    with pytest.raises(ModuleError, match="extends 'demo-city', not 'tianjin-2018'"):
        sr.evaluate(facts, "2021", "2022-03-01", modules=[stricter], regulation="tianjin-2018")


def test_a_base_whose_parts_do_not_fit_is_refused() -> None:
    with pytest.raises(ValueError, match=r"2\.research-days: evaluable provision without a rule"):
        Base(REGULATION, PARAMETERS, RuleSet())
    with pytest.raises(ValueError, match=r"reads unknown parameter 'research\.days_min'"):
        Base(REGULATION, ParameterTable([PARAMETERS[IN_FORCE]]), RULES)


def test_the_base_keeps_its_rules_read_only() -> None:
    with pytest.raises(TypeError):
        DEMO.rules["2.research-days"] = DEMO.rules["2.research-days"]  # type: ignore[index]
    RULES_AFTER = dict(DEMO.rules)
    RuleSet().add(DEMO.rules["2.research-days"])  # another set cannot change this base's
    assert dict(DEMO.rules) == RULES_AFTER


def test_chinese_titles_are_optional() -> None:
    # Without one, a Chinese report labels the row with the start of the provision's text.
    assert "调研时间不少于1个月  2.research-days" in report().to_table("zh")
    assert "| 调研时间不少于1个月 `2.research-days` |" in report().to_markdown("zh")
    titled = tuple(attrs.evolve(p, chinese_title=f"示例条款{p.id[0]}") for p in PROVISIONS)
    base = Base(regulation(titled), PARAMETERS, RULES, version="test.2")
    found = sr.evaluate(FACTS, "2021", "2022-03-01", regulation=base)
    assert "示例条款2  2.research-days" in found.to_table("zh")
    assert '<span class="title">示例条款2</span>' in found.to_html("zh")
    assert "2.research-days" in found.to_table("en")  # English keeps the English title
    assert "人工评定事项 (2)" in found.to_table("zh")  # 1.study and 3.integrity
