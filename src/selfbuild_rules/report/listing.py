"""What a report lists once, at its top, for its results to name: each provision with
results (its citation, kind and titles) and each set of parameter values they relied on.

Both are known before any result is made (from the law, the period and who is
evaluated), so a report written as it is evaluated can start with them.

>>> import selfbuild_rules as sr
>>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
...        "members": []}
>>> report = sr.evaluate(doc, "2018", "2019-03-01", rules=["2.relay-directives"])
>>> cited = report.listed["2.relay-directives"]
>>> cited.citation.principle, cited.subject.value, cited.title.zh
('二', 'team', '第一时间传达学习重要指示')
>>> [i.parameter for i in report.interpretations["2.relay-directives"]]
['regulation.in_force_from', 'relay.deadline_days']
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from selfbuild_rules.engine.provisions import Memo
from selfbuild_rules.engine.results import Citation, Interpretation
from selfbuild_rules.engine.setup import Evaluation
from selfbuild_rules.law.text import ProvisionKind, SubjectKind
from selfbuild_rules.plugins.law import Entry

__all__ = ["CitedProvision", "Title", "interpretation_table", "listed_entries", "provision_table"]


@attrs.frozen
class Title:
    """A provision's short title in Chinese and English."""

    zh: str
    en: str


@attrs.frozen
class CitedProvision:
    """A provision as a report lists it once: where it stands in the law, whether a rule
    or a person decides it, whom it binds, and its titles."""

    citation: Citation
    kind: ProvisionKind
    subject: SubjectKind
    title: Title

    @classmethod
    def of(cls, entry: Entry) -> CitedProvision:
        """The listing of one provision to evaluate."""
        p = entry.provision
        cited = Citation(entry.source, p.principle, p.id, p.chinese)
        return cls(cited, p.kind, p.subject, Title(p.title_in("zh"), p.title_in("en")))


def listed_entries(entries: Sequence[Entry], members: int) -> list[Entry]:
    """The provisions among ``entries`` that have results: all of them, but those
    binding each member when there are no ``members`` to evaluate."""
    return [e for e in entries if members or not e.binds_members]


def provision_table(entries: Sequence[Entry]) -> dict[str, CitedProvision]:
    """Each provision's listing, by id."""
    return {e.provision.id: CitedProvision.of(e) for e in entries}


def interpretation_table(
    run: Evaluation, entries: Sequence[Entry], memo: Memo | None = None
) -> dict[str, tuple[Interpretation, ...]]:
    """Every set of parameter values the results of ``entries`` can name, by key."""
    memo = Memo(run.law) if memo is None else memo
    table: dict[str, tuple[Interpretation, ...]] = {}
    for entry in entries:
        if entry.rule is not None:
            for found in memo.sets_of(run.ctx, entry.rule).sets:
                assert found.key is not None
                table[found.key] = found.items
    return table
