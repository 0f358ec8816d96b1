"""An illustrative district module: stricter research and visits, and a quarterly visit.

This is an EXAMPLE written for the documentation and tests of selfbuild-rules; its
text is invented and is not the law of any real district.
"""

from __future__ import annotations

from datetime import date

from selfbuild_rules.module_api import (
    AtLeast,
    Check,
    Context,
    ForEach,
    Measure,
    Member,
    Module,
    NewProvision,
    NotApplicable,
    ParameterChange,
    Provision,
    ProvisionKind,
    RuleSet,
    SubjectKind,
    applicable,
    tally_events,
)

__all__ = ["MODULE"]

# The module's own text (invented, for illustration). Every change below quotes it.
TEXT = """示例区人民政府领导班子加强自身建设补充规定（示例文本，并非任何真实区的规定）
一、区政府领导班子成员每年深入基层调研时间不少于3个月。
二、每年至少2次深入联系点察民情、谋发展、解难题。
三、每季度至少1次深入联系点。"""

QUARTERLY_ID = "example-district/4.quarterly-visit"

#: The module's own rules, declared the same way as the base regulation's.
RULES = RuleSet()


@RULES.rule(
    QUARTERLY_ID,
    SubjectKind.MEMBER,
    needs=("contact_points", "contact_point_visits"),
    parameters=(),
    measure=Measure("有走访的季度", "个", "quarters with a contact-point visit"),
)
def quarterly_visits(ctx: Context, member: Member | None) -> Check | NotApplicable:
    """Each quarter whose end falls in the period needs a visit to the member's contact point."""
    assert member is not None
    own = {c.id: c.designation for c in ctx.of_member("contact_points", member)}
    visits = [
        (v.id, v.date)
        for v in ctx.of_member("contact_point_visits", member)
        if v.contact_point in own and v.date in own[v.contact_point]
    ]
    items = []
    for quarter in ctx.period.quarters():
        window = applicable(ctx, quarter.range, member)
        if window is not None and quarter.range.end in ctx.period.range:
            items.append((str(quarter), AtLeast(1, tally_events(visits, window, ctx.as_of))))
    if not items:
        return NotApplicable("本期间内没有季度义务", "no quarter's obligation in the period")
    return Check(ForEach(tuple(items)), ctx.period.range.end)


QUARTERLY = NewProvision(
    provision=Provision(
        id=QUARTERLY_ID,
        principle="四",
        kind=ProvisionKind.EVALUABLE,
        subject=SubjectKind.MEMBER,
        title="Quarterly contact-point visit (example)",
        text=("每季度至少1次深入联系点",),
        english="Visit the contact point at least once every quarter.",
        notes=("Each calendar quarter ∩ tenure ∩ in force needs one visit (example module).",),
    ),
    rule=RULES[QUARTERLY_ID],
    effective=date(2019, 1, 1),
)

MODULE = Module(
    id="example-district",
    title="示例区人民政府领导班子加强自身建设补充规定（示例）",
    english_title="Example District supplementary rules on self-construction "
    "(ILLUSTRATIVE EXAMPLE)",
    authority="示例区人民政府（虚构）",
    adopted=date(2018, 12, 20),
    in_force=date(2019, 1, 1),
    text=TEXT,
    extends="tianjin-2018",
    changes=(
        ParameterChange("research.months", 3, date(2019, 1, 1), "调研时间不少于3个月"),
        ParameterChange("contact_point.visits_min", 2, date(2019, 1, 1), "每年至少2次深入联系点"),
        QUARTERLY,
    ),
)
