"""One rule's results for many subjects (:class:`Evaluating`): each subject's
obligation under the rule's version in force, evaluated and explained, with what the
subjects share worked out once.
"""

from __future__ import annotations

from datetime import date

from msgspec import UNSET

from selfbuild_rules.engine.interpretations import Used
from selfbuild_rules.engine.memo import Memo
from selfbuild_rules.engine.results import (
    NO_INTERPRETATIONS,
    Citation,
    Explanation,
    InterpretationSet,
    ModuleWarning,
    Requirement,
    Result,
    Status,
    Stem,
    result,
)
from selfbuild_rules.facts.records import Member
from selfbuild_rules.law.periods import DateRange, chinese_date
from selfbuild_rules.rules.conditions import (
    All,
    AtLeast,
    AtMost,
    Condition,
    Missing,
    Outcome,
    Truth,
)
from selfbuild_rules.rules.context import Context
from selfbuild_rules.rules.ruleset import (
    Check,
    NotApplicable,
    Rule,
    RuleVersion,
    VersionKind,
)

__all__ = ["Evaluating"]


def _status(outcome: Outcome) -> Status:
    if outcome.truth is Truth.TRUE:
        return Status.COMPLIANT
    if outcome.truth is Truth.FALSE:
        return Status.NON_COMPLIANT
    return Status.UNDETERMINED if outcome.missing else Status.PENDING


def _used(ctx: Context, rule: Rule, days: DateRange, memo: Memo) -> Used:
    """The parameter values a result relied on over ``days``: their warnings, and the
    set the report names them by."""
    found = memo.used.get((rule.id, days))
    if found is None:
        found = memo.used[rule.id, days] = memo.sets_of(ctx, rule).over(days)
    return found


def _obligation(
    ctx: Context, rule: Rule, version: RuleVersion, member: Member | None
) -> Check | NotApplicable:
    """The obligation under the rule version in force: a tightening must hold as well."""
    base = rule.obligation(ctx, member)
    if version.kind is VersionKind.BASE or version.obligation is None:
        return base
    amended = version.obligation(ctx, member)
    if version.kind is VersionKind.REPLACE or isinstance(base, NotApplicable):
        return amended
    if isinstance(amended, NotApplicable):
        return base
    return Check(All((base.condition, amended.condition)), base.due, base.window)


class Evaluating:
    """One rule's results being made for many subjects: what they all share (the
    version in force, the categories missing, the warnings) worked out once, and the
    parameter values used over the last window asked for (most members share one).

    >>> from selfbuild_rules import load_facts
    >>> from selfbuild_rules.engine.run import Options, Setup, prepared
    >>> from selfbuild_rules.evaluation import base_for
    >>> facts = load_facts({"format": "selfbuild-rules.facts/1", "members": [],
    ...                     "team": {"id": "t", "name": "班子"},
    ...                     "democratic_life_meetings": [{"id": "dl-1", "date": "2018-12-20"}]})
    >>> run = prepared(facts, Setup(base_for(), Options.of("2018", "2019-03-01")))
    >>> entry = next(e for e in run.entries if e.provision.id == "6.democratic-life-meeting")
    >>> memo, cited = Memo(run.law), Citation(entry.source, "六", entry.provision.id, "……")
    >>> made = Evaluating(memo.in_force(run.ctx, entry.in_force), entry.rule, cited, memo)
    >>> made.result(None, (entry.provision.id, "team", "2018")).facts
    ('dl-1',)
    """

    __slots__ = (
        "citation", "ctx", "days", "excuse", "excused", "memo", "missing", "rule", "segment",
        "shown", "source", "version", "warned", "warnings",
    )  # fmt: skip

    def __init__(self, ctx: Context, rule: Rule, citation: Citation, memo: Memo) -> None:
        self.ctx, self.rule, self.citation, self.memo = ctx, rule, citation, memo
        self.missing, self.segment = memo.version(ctx, rule)
        version = self.segment.value
        assert isinstance(version, RuleVersion)
        self.version = version
        self.source = self.segment.source
        warning = self.segment.warning
        self.warnings: tuple[ModuleWarning, ...] = (warning,) if warning else ()
        self.days: DateRange | None = None
        self.excused: NotApplicable | None = None  # the last reason given, and its words
        self.excuse = Explanation("", "")
        self.warned: tuple[ModuleWarning, ...] = self.warnings
        self.shown = NO_INTERPRETATIONS

    def used(self, days: DateRange) -> tuple[tuple[ModuleWarning, ...], InterpretationSet]:
        """The warnings and the parameter values of a result whose window is ``days``."""
        if days is not self.days:  # by identity: members share their window's object
            used, self.shown = _used(self.ctx, self.rule, days, self.memo)
            more = tuple(w for w in used if w not in self.warnings)
            self.days, self.warned = days, self.warnings + more
        return self.warned, self.shown

    def result(self, member: Member | None, stem: Stem) -> Result:
        """The result for one subject (``member``, or ``None`` for the team)."""
        ctx, rule, version = self.ctx, self.rule, self.version
        if version.kind is VersionKind.REPEAL:
            source, days = self.source, self.segment.days
            text = Explanation(
                f"已由 {source} 自 {chinese_date(days.start)} 起废止",
                f"repealed by {source} from {days.start}",
            )
            return result(
                stem, Status.NOT_APPLICABLE, text, self.citation, source, warnings=self.warnings
            )
        if version.kind is not VersionKind.BASE:
            made = _obligation(ctx, rule, version, member)
        else:
            made = rule.obligation(ctx, member)
        if isinstance(made, Check):
            return self.evaluated(stem, made.condition, made.due, made.window)
        warnings, shown = self.used(ctx.period.range)
        if self.missing and made.from_data:  # a reason the missing data may hide
            return self.evaluated(stem, Missing(self.missing), ctx.period.range.end, None)
        if made is not self.excused:  # most members share their reason: one Explanation
            self.excused, self.excuse = made, Explanation(made.zh, made.en)
        rule_id, subject, period = stem
        return Result(
            rule_id, subject, period, Status.NOT_APPLICABLE, self.excuse, self.citation, None,
            (), (), (), shown, None, None, self.source, warnings, UNSET, UNSET,
        )  # fmt: skip

    def settled(
        self,
        stem: Stem,
        status: Status,
        told: tuple[Requirement | None, Explanation],
        facts: tuple[str, ...],
        failing: tuple[str, ...],
        still_open: tuple[str, ...],
        due: date,
        window: DateRange | None,
    ) -> Result:
        """A settled result: its requirement and explanation as ``told``."""
        warnings, shown = self.used(self.ctx.period.range if window is None else window)
        # The Result itself, positionally: most results are settled, and ``result``'s
        # keywords cost a tenth of making one.
        rule_id, subject, period = stem
        return Result(
            rule_id, subject, period, status, told[1], self.citation, told[0], facts,
            failing, still_open, shown, due, window, self.source, warnings, UNSET, UNSET,
        )  # fmt: skip

    def bound(
        self, stem: Stem, bound: AtLeast | AtMost, due: date, window: DateRange | None
    ) -> Result | None:
        """The result of a single bound on a count, settled with numbers a result before
        it had: made from the count, without an Outcome (most results of the busiest
        rules); ``None`` when open or new."""
        truth = bound.truth()
        if truth is Truth.UNKNOWN:
            return None
        t = bound.tally
        named = t.measure or self.rule.measure
        if isinstance(bound, AtLeast):
            told = self.memo.told_before(t.count, bound.minimum, None, named, None)
        else:
            told = self.memo.told_before(t.count, None, bound.maximum, named, None)
        if told is None:
            return None
        status = Status.COMPLIANT if truth is Truth.TRUE else Status.NON_COMPLIANT
        return self.settled(stem, status, told, t.facts, (), (), due, window)

    def evaluated(
        self, stem: Stem, condition: Condition, due: date, window: DateRange | None
    ) -> Result:
        """The result of an obligation that arises: ``condition`` evaluated (unless a
        category it needs is missing), due on ``due``, over ``window``."""
        ctx, rule, missing = self.ctx, self.rule, self.missing
        # Exactly these types: a subclass may evaluate otherwise.
        if not missing and (type(condition) is AtLeast or type(condition) is AtMost):
            made = self.bound(stem, condition, due, window)
            if made is not None:
                return made
        outcome = Missing(missing).evaluate() if missing else condition.evaluate()
        status = _status(outcome)
        if status is not Status.PENDING:
            told = self.memo.settled(status, outcome, rule.measure, due, ctx.as_of)
            facts, failing, still_open = outcome.facts, outcome.failing, outcome.open
            return self.settled(stem, status, told, facts, failing, still_open, due, window)
        warnings, shown = self.used(ctx.period.range if window is None else window)
        requirement, text, needed, outlook = self.memo.pending(
            ctx, outcome, rule.measure, due, window
        )
        rule_id, subject, period = stem
        return Result(
            rule_id, subject, period, status, text, self.citation, requirement, outcome.facts,
            outcome.failing, outcome.open, shown, due, window, self.source, warnings, needed,
            outlook,
        )  # fmt: skip


def _evaluable(
    ctx: Context, rule: Rule, member: Member | None, stem: Stem, citation: Citation, memo: Memo
) -> Result:
    """The result of ``rule`` for one subject."""
    return Evaluating(ctx, rule, citation, memo).result(member, stem)
