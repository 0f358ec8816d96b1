"""The results of one provision for its subjects: the team, or members in order.

Each result is explained from the rule's outcome (:mod:`.explain`), cites its
provision, and lists the parameter values it relied on; what results share is
worked out once per evaluation (:class:`Memo`). A judgment provision nobody has
assessed gives results that differ only by subject (:class:`Uniform`), so a report
can be written from one template per kind instead of one object per member.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

import attrs
from msgspec import UNSET, UnsetType

from selfbuild_rules.engine.explain import describe
from selfbuild_rules.engine.interpretations import ProvisionSets, Used
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
    StillNeeded,
    result,
)
from selfbuild_rules.facts.records import Member
from selfbuild_rules.law.periods import DateRange, chinese_date
from selfbuild_rules.law.text import Provision, SubjectKind
from selfbuild_rules.law.timeline import Segment
from selfbuild_rules.plugins.law import Entry, Law
from selfbuild_rules.rules.conditions import (
    All,
    AtLeast,
    AtMost,
    Condition,
    Measure,
    Missing,
    Outcome,
    Truth,
)
from selfbuild_rules.rules.context import Context
from selfbuild_rules.rules.outlook import OutlookRule
from selfbuild_rules.rules.ruleset import (
    Check,
    NotApplicable,
    Rule,
    RuleVersion,
    VersionKind,
    YearlyObligation,
    annual,
)

__all__ = [
    "MEMBERS_AT_ONCE",
    "Memo",
    "Uniform",
    "batch_starts",
    "entry_made",
    "entry_results",
    "made_in_batches",
    "results_by_entry",
]

#: Members whose results for one provision are made, written and dropped together: a
#: province's results for a provision, and their JSON, are never in memory at once.
#: 500, not 2,000: a batch's JSON (2.7 KB a member for research days) and the buffers
#: it is encoded through were the peak of a one-process run over a million records.
MEMBERS_AT_ONCE = 500

_NO_TENURE = Explanation("本期间内不在任", "not in office during the period")
_NOT_ASSESSED = Explanation("需由人工评定，尚无评定记录", "needs a human assessment; none recorded")
_BEFORE_FORCE = Explanation(
    "本期间早于规定施行日", "the period ends before the regulation is in force"
)
# The two results that say nothing but who they are for, as status and explanation:
# made one by one or from a template (Uniform), they must be the same.
_UNASSESSED = (Status.REQUIRES_JUDGMENT, _NOT_ASSESSED)
_OUT_OF_OFFICE = (Status.NOT_APPLICABLE, _NO_TENURE)


def _status(outcome: Outcome) -> Status:
    if outcome.truth is Truth.TRUE:
        return Status.COMPLIANT
    if outcome.truth is Truth.FALSE:
        return Status.NON_COMPLIANT
    return Status.UNDETERMINED if outcome.missing else Status.PENDING


def _citation(provision: Provision, source: str) -> Citation:
    return Citation(source, provision.principle, provision.id, provision.chinese)


class Memo:
    """What the results of one evaluation of ``law`` share, worked out once: the
    parameters a rule used over a window (most members share one), each rule's version
    in force and the categories it lacks, whether a member was in office, and the
    context of each provision's days in force."""

    __slots__ = ("contexts", "in_office", "law", "outlook", "sets", "told", "used", "versions")

    def __init__(
        self,
        law: Law,
        used: dict[tuple[str, DateRange], Used] | None = None,
        sets: dict[str, ProvisionSets] | None = None,
    ) -> None:
        self.law = law
        # These depend on the law and the period alone: a run over many teams of one law
        # and one period passes them along.
        self.used: dict[tuple[str, DateRange], Used] = {} if used is None else used
        self.sets: dict[str, ProvisionSets] = {} if sets is None else sets
        self.in_office: dict[str, bool] = {}
        self.versions: dict[str, tuple[tuple[str, ...], Segment]] = {}
        self.contexts: dict[DateRange, tuple[Context, Context]] = {}
        self.outlook: OutlookRule | None = None
        self.told: dict[tuple[object, ...], tuple[Measure, Requirement | None, Explanation]] = {}

    def in_force(self, ctx: Context, days: DateRange) -> Context:
        """``ctx`` for a provision in force on ``days``, made once for all the provisions
        that share those days (most do)."""
        found = self.contexts.get(days)
        if found is None or found[0] is not ctx:
            found = self.contexts[days] = (ctx, attrs.evolve(ctx, in_force=days))
        return found[1]

    def sets_of(self, ctx: Context, rule: Rule) -> ProvisionSets:
        """The sets of parameter values the results of ``rule`` can rely on."""
        found = self.sets.get(rule.id)
        if found is None:
            found = self.sets[rule.id] = ProvisionSets.of(
                rule.id, rule.parameters, ctx.parameters, self.law.base, ctx.period.range
            )
        return found

    def settled(
        self, status: Status, outcome: Outcome, measure: Measure, due: date, as_of: date
    ) -> tuple[Requirement | None, Explanation]:
        """The requirement and explanation of a settled ``outcome``: a plain count says
        only its numbers, so members with the same numbers share one of each."""
        o = outcome
        if o.failing or status is Status.UNDETERMINED:
            return _requirement(o, measure), describe(status, o, measure, due, as_of)
        # Items all met say only how many there are, as a plain count says its numbers.
        named = o.measure or measure
        found = self.told_before(o.measured, o.minimum, o.maximum, named, o.items)
        if found is None:
            found = _requirement(o, named), describe(status, o, named, due, as_of)
            self.told[o.measured, o.minimum, o.maximum, id(named), o.items] = (named, *found)
        return found

    def told_before(
        self,
        measured: int | None,
        low: int | None,
        high: int | None,
        named: Measure,
        items: int | None,
    ) -> tuple[Requirement | None, Explanation] | None:
        """The requirement and explanation :meth:`settled` gave a count with these
        numbers, if it did."""
        # The measure by identity: a rule's measure is one object, and hashing it is slow.
        found = self.told.get((measured, low, high, id(named), items))
        if found is None or found[0] is not named:
            return None
        return found[1], found[2]

    def outlook_rule(self, ctx: Context) -> OutlookRule:
        """The outlook rule, as the parameters in force at the period's end set it."""
        if self.outlook is None:
            self.outlook = OutlookRule.of(ctx.parameters, ctx.period.range.end)
        return self.outlook

    def version(self, ctx: Context, rule: Rule) -> tuple[tuple[str, ...], Segment]:
        """The categories a rule needs that are missing, and its version in force."""
        found = self.versions.get(rule.id)
        if found is None:
            missing = tuple(c for c in rule.needs if not ctx.has(c))
            segment = self.law.rules[rule.id].at(ctx.period.range.end)
            found = self.versions[rule.id] = (missing, segment)
        return found

    def serving(self, ctx: Context) -> dict[str, bool]:
        """Whether each member held office on some day of the period, by member id."""
        if not self.in_office:
            days = ctx.period.range
            for m in ctx.facts.members:
                self.in_office[m.id] = (days & m.tenure.range) is not None
        return self.in_office


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


class _Evaluating:
    """One rule's results being made for many subjects: what they all share (the
    version in force, the categories missing, the warnings) worked out once, and the
    parameter values used over the last window asked for (most members share one)."""

    __slots__ = (
        "citation", "ctx", "days", "excuse", "excused", "memo", "missing", "rule", "segment",
        "shown", "source", "version", "warned", "warnings", "yearly",
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
        obligation = rule.obligation
        self.yearly = obligation if isinstance(obligation, YearlyObligation) else None
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
        elif self.yearly is not None:
            # A yearly rule's condition straight from its window, as its obligation would
            # wrap it, without the Check: most results are of yearly member rules.
            timing = annual(ctx, member)
            if isinstance(timing, NotApplicable):
                made = timing
            else:
                due, window = timing
                found = self.yearly.condition(ctx, member, window)
                if not isinstance(found, NotApplicable):
                    return self.evaluated(stem, found, due, window)
                made = found
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
        requirement = _requirement(outcome, rule.measure)
        forecast = self.memo.outlook_rule(ctx).judge(outcome, ctx.as_of, window)
        needed = _still_needed(outcome, outcome.measure or rule.measure, ctx)
        text = describe(status, outcome, rule.measure, due, ctx.as_of, forecast)
        return result(
            stem, status, text, self.citation, self.source, requirement=requirement,
            facts=outcome.facts, failing=outcome.failing, open=outcome.open,
            interpretations=shown, due=due, window=window, warnings=warnings,
            still_needed=needed, outlook=forecast.outlook,
        )  # fmt: skip


def _evaluable(
    ctx: Context, rule: Rule, member: Member | None, stem: Stem, citation: Citation, memo: Memo
) -> Result:
    """The result of ``rule`` for one subject."""
    return _Evaluating(ctx, rule, citation, memo).result(member, stem)


def _requirement(outcome: Outcome, measure: Measure) -> Requirement | None:
    """What was measured against what is required (``None`` when nothing was measured)."""
    if outcome.measured is None:
        return None
    name = (outcome.measure or measure).en
    return Requirement(outcome.measured, outcome.minimum, outcome.maximum, name)


def _still_needed(outcome: Outcome, measure: Measure, ctx: Context) -> StillNeeded | UnsetType:
    """What an open outcome still needs, counted from ``as_of`` (unset when nothing is)."""
    needed = outcome.needed
    if needed is None:
        return UNSET
    days_left = (needed.by - ctx.as_of).days
    items = needed.items or UNSET
    return StillNeeded(needed.amount, measure.unit or measure.en, needed.by, days_left, items)


def _judgment(ctx: Context, stem: Stem, citation: Citation, source: str) -> Result:
    recorded = ctx.index.assessments.get(stem, ())
    found = [a for a in recorded if a.date <= ctx.as_of]
    if not found:
        return result(stem, *_UNASSESSED, citation, source)
    latest = max(found, key=lambda a: (a.date, a.id))
    status = Status(latest.result.value)
    by = f" ({latest.assessor})" if latest.assessor else ""
    verdict = "符合" if status is Status.COMPLIANT else "不符合"
    text = Explanation(
        f"人工评定为{verdict}：{latest.id}，{chinese_date(latest.date)}{by}",
        f"assessed {status.value} in {latest.id} on {latest.date}{by}",
    )
    return result(stem, status, text, citation, source, facts=(latest.id,))


@attrs.frozen
class Uniform:
    """Results of one provision that differ only in their subject, as for a judgment
    nobody has assessed: for each ``(subject, k)`` of ``subjects``, the result of
    status and explanation ``kinds[k]``. Made without a result object each, so that a
    report can be written from one :meth:`template` per kind.

    >>> cited = Citation("demo-city", "一", "1.loyalty", "坚定不移……")
    >>> made = Uniform("1.loyalty", "2018", cited, "demo-city", [("m01", 0), ("m02", 1)])
    >>> [(r.subject, r.status.value) for r in made.results()]
    [('m01', 'requires_judgment'), ('m02', 'not_applicable')]
    """

    rule: str
    period: str
    citation: Citation
    source: str
    subjects: list[tuple[str, int]]
    kinds: tuple[tuple[Status, Explanation], ...] = (_UNASSESSED, _OUT_OF_OFFICE)

    def template(self, k: int, subject: str) -> Result:
        """The result of kind ``k``, for ``subject``."""
        status, text = self.kinds[k]
        stem = (self.rule, subject, self.period)
        return result(stem, status, text, self.citation, self.source)

    def results(self) -> list[Result]:
        """The results themselves, in order."""
        return [self.template(k, subject) for subject, k in self.subjects]


def entry_made(
    ctx: Context, entry: Entry, members: Sequence[Member], memo: Memo
) -> list[Result] | Uniform:
    """As :func:`entry_results`, but a judgment provision no assessment names, in force
    in the period, comes as :class:`Uniform`."""
    provision, rule, in_force, source = entry.provision, entry.rule, entry.in_force, entry.source
    if (
        rule is None
        and provision.subject is SubjectKind.MEMBER
        and provision.id not in ctx.index.assessed
        and (ctx.period.range & in_force) is not None
    ):
        serving = memo.serving(ctx)
        subjects = [(m.id, 0 if serving[m.id] else 1) for m in members]
        return Uniform(
            provision.id, str(ctx.period), _citation(provision, source), source, subjects
        )
    return _each_subject(ctx, entry, members, memo)


def batch_starts(count: int) -> range:
    """Where each batch of :data:`MEMBERS_AT_ONCE` starts among ``count`` members.

    >>> list(batch_starts(1200)), list(batch_starts(0))
    ([0, 500, 1000], [])
    """
    return range(0, count, MEMBERS_AT_ONCE)


def made_in_batches(
    ctx: Context, entry: Entry, members: Sequence[Member], memo: Memo
) -> Iterator[list[Result] | Uniform]:
    """:func:`entry_made` for ``members`` a batch at a time (a team provision: once)."""
    if not entry.binds_members:
        yield entry_made(ctx, entry, members, memo)
        return
    for start in batch_starts(len(members)):
        yield entry_made(ctx, entry, members[start : start + MEMBERS_AT_ONCE], memo)


def entry_results(
    ctx: Context, entry: Entry, members: Sequence[Member], memo: Memo
) -> list[Result]:
    """The results of one provision: for the team, or for each of ``members`` in order."""
    made = entry_made(ctx, entry, members, memo)
    return made.results() if isinstance(made, Uniform) else made


def _each_subject(
    ctx: Context, entry: Entry, members: Sequence[Member], memo: Memo
) -> list[Result]:
    provision, rule, in_force, source = entry.provision, entry.rule, entry.in_force, entry.source
    here = memo.in_force(ctx, in_force)
    period = str(ctx.period)
    citation = _citation(provision, source)
    if provision.subject is SubjectKind.TEAM:
        subjects: Sequence[tuple[str, Member | None]] = [("team", None)]
    else:
        subjects = [(m.id, m) for m in members]
    if (ctx.period.range & in_force) is None:
        return [
            result(
                (provision.id, s, period),
                Status.NOT_APPLICABLE,
                _BEFORE_FORCE,
                citation,
                source,
            )
            for s, _ in subjects
        ]
    found = []
    serving = memo.serving(ctx)
    evaluating = None if rule is None else _Evaluating(here, rule, citation, memo)
    for subject, member in subjects:
        stem = (provision.id, subject, period)
        if member is not None and not serving[subject]:
            found.append(result(stem, *_OUT_OF_OFFICE, citation, source))
        elif evaluating is None:  # a judgment
            found.append(_judgment(here, stem, citation, source))
        else:
            made = evaluating.result(member, stem)
            if here.trace:  # the steps behind it, worked out again; loaded only to trace
                from selfbuild_rules.engine.trace import traced

                made = traced(here, evaluating.rule, member, made, evaluating.segment)
            found.append(made)
    return found


def results_by_entry(
    ctx: Context, law: Law, entries: list[Entry], members: Sequence[Member]
) -> list[list[Result]]:
    """Each entry's results: the team's, or those of ``members`` in order."""
    memo = Memo(law)
    return [entry_results(ctx, entry, members, memo) for entry in entries]
