"""Major administrative decisions from 2019-09-01: the procedure before collective discussion.

The State Council's 《重大行政决策程序暂行条例》 (Decree No. 713) took effect on
2019-09-01. From that day, a major decision needs public participation, expert
argumentation, risk assessment and a legality review before it is discussed and
decided collectively. The module reads the optional ``procedures`` list of each
major decision (facts format ``selfbuild-rules.facts/1``, an additive field).

``TEXT`` below is a short Chinese summary written for this module, not the official
text of the decree; a deployment should replace it with the official articles.
"""

from __future__ import annotations

from datetime import date

from selfbuild_rules.module_api import (
    All,
    Check,
    Condition,
    Context,
    ForEach,
    Holds,
    MajorDecision,
    Measure,
    Member,
    Missing,
    Module,
    NewProvision,
    NotApplicable,
    Provision,
    ProvisionKind,
    RuleSet,
    SubjectKind,
    applicable,
)

__all__ = ["MODULE", "STEPS"]

TEXT = """《重大行政决策程序暂行条例》（国务院令第713号，2019年9月1日起施行）
要点摘要（非官方原文）：
重大行政决策应当履行公众参与、专家论证、风险评估、合法性审查和集体讨论决定等程序。
决策草案未经合法性审查或者经审查不合法的，不得提交决策机关讨论。"""

PROVISION_ID = "cn-major-decisions-2019/5.procedures"

#: The steps each decision needs before it is taken.
STEPS = ("public_participation", "expert_argumentation", "risk_assessment", "legality_review")


def _step_taken(decision: MajorDecision, step: str) -> Condition:
    """Whether a step was taken on or before the decision; unknown when not recorded."""
    if decision.procedures is None:
        return Missing(("major_decisions.procedures",))
    done = [p.date for p in decision.procedures if p.kind.value == step]
    if step == "legality_review" and decision.legal_review is not None:
        done.append(decision.legal_review)
    return Holds(any(day <= decision.date for day in done), (decision.id,))


#: The module's own rules, declared the same way as the base regulation's.
RULES = RuleSet()


@RULES.rule(
    PROVISION_ID,
    SubjectKind.TEAM,
    needs=("major_decisions",),
    parameters=(),
    measure=Measure("履行法定程序的重大决策", "项", "major decisions with the full procedure"),
)
def procedures(ctx: Context, member: Member | None) -> Check | NotApplicable:
    """Every major decision in force-time of the decree followed the four steps."""
    window = applicable(ctx, ctx.period.range, None)
    items = tuple(
        (d.id, All(tuple(_step_taken(d, step) for step in STEPS)))
        for d in ctx.records("major_decisions")
        if window is not None and d.date in window and d.date <= ctx.as_of
    )
    if not items:
        return NotApplicable(
            "本期间内没有适用该条例的重大决策",
            "no major decision under the decree in the period",
            True,
        )
    return Check(ForEach(items), ctx.period.range.end, window)


MODULE = Module(
    id="cn-major-decisions-2019",
    title="重大行政决策程序暂行条例",
    english_title="Interim Regulation on Major Administrative Decision-making Procedures "
    "(State Council Decree No. 713)",
    authority="国务院",
    adopted=date(2019, 4, 20),
    in_force=date(2019, 9, 1),
    text=TEXT,
    extends="tianjin-2018",
    changes=(
        NewProvision(
            provision=Provision(
                id=PROVISION_ID,
                principle="五",
                kind=ProvisionKind.EVALUABLE,
                subject=SubjectKind.TEAM,
                title="Statutory procedure before a major decision",
                text=(
                    "重大行政决策应当履行公众参与、专家论证、风险评估、合法性审查和集体讨论决定等程序",
                ),
                english="A major administrative decision must go through public participation, "
                "expert argumentation, risk assessment, legality review and collective "
                "discussion.",
                notes=(
                    "Each step must be dated on or before the decision; legal_review counts "
                    "as the legality review.",
                    "A decision whose procedures are not recorded is undetermined, never "
                    "non-compliant.",
                ),
            ),
            rule=RULES[PROVISION_ID],
            effective=date(2019, 9, 1),
        ),
    ),
)
