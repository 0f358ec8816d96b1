"""Results: one status for one rule, subject and period, with everything that explains it.

>>> Status.PENDING.value
'pending'
>>> str(Explanation("调研天数 47 天，少于要求的 55 天", "47 research days, fewer than 55"))
'47 research days, fewer than 55'
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterator, Sequence
from typing import overload

import attrs
from msgspec import UNSET, UnsetType

from selfbuild_rules.law.periods import DateRange
from selfbuild_rules.law.timeline import ModuleWarning
from selfbuild_rules.rules.conditions import Due
from selfbuild_rules.rules.outlook import Outlook

__all__ = [
    "NO_INTERPRETATIONS",
    "UNSET",
    "Citation",
    "Due",
    "Explanation",
    "Interpretation",
    "InterpretationSet",
    "ModuleWarning",
    "Outlook",
    "Requirement",
    "Result",
    "Status",
    "Stem",
    "StillNeeded",
    "result",
]


class Status(enum.Enum):
    """The six statuses a result can have.

    ``COMPLIANT`` and ``NON_COMPLIANT`` are final; ``PENDING``: due after ``as_of``,
    not settled by what is known, still achievable; ``UNDETERMINED``: facts needed were
    not supplied; ``REQUIRES_JUDGMENT``: a person must assess it; ``NOT_APPLICABLE``:
    no obligation arises for this subject in the period.

    >>> from selfbuild_rules import Status
    >>> [s.value for s in Status][:3]
    ['compliant', 'non_compliant', 'pending']
    """

    COMPLIANT = "compliant"
    NON_COMPLIANT = "non_compliant"
    PENDING = "pending"
    UNDETERMINED = "undetermined"
    REQUIRES_JUDGMENT = "requires_judgment"
    NOT_APPLICABLE = "not_applicable"


@attrs.frozen
class Explanation:
    """A one-line explanation in Chinese and English; ``str()`` gives the English.

    >>> from selfbuild_rules import Explanation
    >>> e = Explanation("调研天数 60 天", "60 research days")
    >>> e.zh, str(e)
    ('调研天数 60 天', '60 research days')
    """

    zh: str
    en: str

    def __str__(self) -> str:
        return self.en


@attrs.frozen
class Requirement:
    """What was measured against what is required, in the rule's own measure.

    >>> from selfbuild_rules import Requirement
    >>> Requirement(47, 55, None, "research days").minimum
    55
    """

    measured: int
    minimum: int | None
    maximum: int | None
    measure: str


@attrs.frozen
class StillNeeded:
    """What a pending result still needs: ``amount`` more ``unit`` by ``by``, with
    ``days_left`` from ``as_of``; for a rule of items, each open item with its own
    last day (``by`` is then the earliest of them).

    >>> import datetime
    >>> from selfbuild_rules import StillNeeded
    >>> StillNeeded(35, "days", datetime.date(2018, 12, 31), 120).items
    UNSET
    """

    amount: int
    unit: str
    by: _dt.date
    days_left: int
    items: tuple[Due, ...] | UnsetType = UNSET


@attrs.frozen
class Citation:
    """Where in the law a result comes from.

    >>> from selfbuild_rules import Citation
    >>> Citation("demo-city", "三", "3.research-days", "……不少于2个月").principle
    '三'
    """

    regulation: str
    principle: str
    provision: str
    text: str


@attrs.frozen
class Interpretation:
    """A parameter a result depended on, its value, whether that is the default, and its source.

    ``valid`` is set when the value changed inside the result's window: each value
    then appears with the days it governed.

    >>> from selfbuild_rules import Interpretation
    >>> Interpretation("research.months", 2, True, "demo-city").source
    'demo-city'
    """

    parameter: str
    value: object
    default: bool
    source: str
    valid: DateRange | None = None


class InterpretationSet(Sequence[Interpretation]):
    """The parameter values one or more results relied on, named by ``key`` (``None``
    for none at all): a sequence of :class:`~selfbuild_rules.Interpretation`.

    Not an attrs class on purpose: the report's encoder does not know it, so it asks
    its hook, which writes the key where the set is named and the items only once.

    >>> shown = InterpretationSet("3.x", (Interpretation("research.months", 2, True, "demo"),))
    >>> shown.key, len(shown), shown[0].value, list(NO_INTERPRETATIONS)
    ('3.x', 1, 2, [])
    """

    __slots__ = ("items", "key")

    def __init__(self, key: str | None, items: tuple[Interpretation, ...]) -> None:
        self.key = key
        self.items = items

    @overload
    def __getitem__(self, index: int) -> Interpretation: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Interpretation]: ...
    def __getitem__(self, index: int | slice) -> Interpretation | Sequence[Interpretation]:
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Interpretation]:
        return iter(self.items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, InterpretationSet):
            return self.key == other.key and self.items == other.items
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.key, self.items))

    def __repr__(self) -> str:
        return f"InterpretationSet({self.key!r}, {self.items!r})"

    def __reduce__(
        self,
    ) -> tuple[type[InterpretationSet], tuple[str | None, tuple[Interpretation, ...]]]:
        return (InterpretationSet, (self.key, self.items))


#: What a result that relied on no parameter value names: nothing (``null`` in JSON).
NO_INTERPRETATIONS = InterpretationSet(None, ())


@attrs.frozen
class Result:
    """The status of one rule for one subject (a member id, or ``"team"``) in a period.

    A ``pending`` result also has an ``outlook`` and, when it owes something still,
    ``still_needed``; other results have neither (``UNSET``: left out of the JSON).

    >>> import selfbuild_rules as sr
    >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
    ...        "members": [], "democratic_life_meetings": [{"id": "dl-1", "date": "2018-12-20"}]}
    >>> r = sr.evaluate(doc, "2018", "2019-03-01").result("6.democratic-life-meeting")
    >>> r.status.value, r.facts, r.requirement.measured
    ('compliant', ('dl-1',), 1)
    """

    rule: str
    subject: str
    period: str
    status: Status
    explanation: Explanation
    citation: Citation
    requirement: Requirement | None = None
    facts: tuple[str, ...] = ()
    failing: tuple[str, ...] = ()
    open: tuple[str, ...] = ()
    # A factory, not a default value: a schema of the report reads defaults as JSON.
    interpretations: InterpretationSet = attrs.field(factory=lambda: NO_INTERPRETATIONS)
    due: _dt.date | None = None
    window: DateRange | None = None
    source: str = ""
    warnings: tuple[ModuleWarning, ...] = ()
    still_needed: StillNeeded | UnsetType = UNSET
    outlook: Outlook | UnsetType = UNSET


#: What every result of one provision for one subject starts with: (rule, subject,
#: period). A plain tuple: one is made per result, and a named one costs ten times more.
Stem = tuple[str, str, str]


def result(
    stem: Stem,
    status: Status,
    explanation: Explanation,
    citation: Citation,
    source: str,
    *,
    requirement: Requirement | None = None,
    facts: tuple[str, ...] = (),
    failing: tuple[str, ...] = (),
    open: tuple[str, ...] = (),
    interpretations: InterpretationSet = NO_INTERPRETATIONS,
    due: _dt.date | None = None,
    window: DateRange | None = None,
    warnings: tuple[ModuleWarning, ...] = (),
    still_needed: StillNeeded | UnsetType = UNSET,
    outlook: Outlook | UnsetType = UNSET,
) -> Result:
    """A result, made in one place (positionally: this runs for most results).

    >>> cited = Citation("demo", "一", "1.x", "示例")
    >>> made = result(("1.x", "team", "2018"), Status.PENDING, Explanation("待定", "open"),
    ...               cited, "demo")
    >>> made.subject, made.status.value, made.source
    ('team', 'pending', 'demo')
    """
    rule, subject, period = stem
    return Result(
        rule, subject, period, status, explanation, citation, requirement, facts, failing,
        open, interpretations, due, window, source, warnings, still_needed, outlook,
    )  # fmt: skip
