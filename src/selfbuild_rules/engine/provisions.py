"""The results of one provision for its subjects: the team, or members in order.

Each result is explained from the rule's outcome (:mod:`.explain`), cites its
provision, and lists the parameter values it relied on; what results share is
worked out once per evaluation (:class:`Memo`). A judgment provision nobody has
assessed gives results that differ only by subject (:class:`Uniform`), so a report
can be written from one template per kind instead of one object per member.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import attrs

from selfbuild_rules.engine.evaluable import Evaluating
from selfbuild_rules.engine.memo import Memo
from selfbuild_rules.engine.results import (
    Citation,
    Explanation,
    Result,
    Status,
    Stem,
    result,
)
from selfbuild_rules.facts.records import Member
from selfbuild_rules.law.periods import chinese_date
from selfbuild_rules.law.text import Provision, SubjectKind
from selfbuild_rules.plugins.law import Entry, Law
from selfbuild_rules.rules.context import Context

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


def _citation(provision: Provision, source: str) -> Citation:
    return Citation(source, provision.principle, provision.id, provision.chinese)


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
    evaluating = None if rule is None else Evaluating(here, rule, citation, memo)
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
