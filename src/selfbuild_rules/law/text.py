"""A regulation as data: its principles, provisions and their exact text.

A base regulation ships its Chinese text as package data; every provision quotes
fragments of it, and :func:`build_regulation` makes sure each quoted fragment really
stands in the law.

>>> from selfbuild_rules.evaluation import base_for
>>> law = base_for().regulation  # the bundled base regulation's text
>>> law.provision("3.research-days").kind
<ProvisionKind.EVALUABLE: 'evaluable'>
>>> [p.number for p in law.principles]
['一', '二', '三', '四', '五', '六']
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from collections.abc import Iterator, Mapping

import attrs

__all__ = [
    "Principle",
    "Provision",
    "ProvisionKind",
    "Regulation",
    "SubjectKind",
    "build_regulation",
]


class ProvisionKind(enum.Enum):
    """Whether a provision is checked by a rule or left to human assessment.

    >>> from selfbuild_rules.evaluation import base_for
    >>> base_for().regulation.provision("1.loyalty").kind is ProvisionKind.JUDGMENT
    True
    """

    EVALUABLE = "evaluable"
    JUDGMENT = "judgment"


class SubjectKind(enum.Enum):
    """Who an obligation binds: each team member, or the team as a whole.

    >>> from selfbuild_rules.evaluation import base_for
    >>> base_for().regulation.provision("4.livelihood-projects").subject.value
    'team'
    """

    MEMBER = "member"
    TEAM = "team"


def _nonempty(_inst: object, attr: attrs.Attribute[str], value: str) -> None:
    if not value.strip():
        raise ValueError(f"{attr.name} must not be empty")


@attrs.frozen
class Provision:
    """One provision: a stable id, the Chinese it encodes, and an English rendering.

    ``text`` holds the exact fragments of the regulation (one or more clauses or
    sentences) that this provision encodes; ``notes`` record how it is read.
    ``title`` is a short English name; ``chinese_title`` the short Chinese one that
    reports in Chinese use (optional: without it they show the start of ``text``).

    >>> p = Provision(
    ...     id="9.example", principle="一", kind=ProvisionKind.JUDGMENT,
    ...     subject=SubjectKind.TEAM, title="Example", text=("不忘初心",),
    ...     english="Never forget the original aspiration.")
    >>> p.citation_in("demo-city")
    'demo-city 一 9.example'
    >>> import attrs
    >>> p.title_in("zh"), attrs.evolve(p, chinese_title="示例").title_in("zh")
    ('不忘初心', '示例')
    """

    # A module's own provisions carry its id as a prefix: ``example-district/4.x``.
    id: str = attrs.field(
        validator=attrs.validators.matches_re(r"^(?:[a-z0-9][a-z0-9-]*/)?[0-9]\.[a-z0-9-]+$")
    )
    principle: str
    kind: ProvisionKind
    subject: SubjectKind
    title: str = attrs.field(validator=_nonempty)
    text: tuple[str, ...] = attrs.field(validator=attrs.validators.min_len(1))
    english: str = attrs.field(validator=_nonempty)
    notes: tuple[str, ...] = ()
    chinese_title: str = ""

    def title_in(self, lang: str) -> str:
        """The short title in ``zh`` or ``en``: without a Chinese title, the start of the
        Chinese text (at most 18 characters) stands in for it."""
        if lang != "zh":
            return self.title
        if self.chinese_title:
            return self.chinese_title
        text = self.text[0].strip("，。；、 ")
        return text if len(text) <= 18 else text[:17] + "…"

    def citation_in(self, regulation: str) -> str:
        """Regulation, principle and provision id, the way results cite a rule: a module's
        own provision (``example-district/4.x``) names its module, not ``regulation``."""
        source = self.id.split("/")[0] if "/" in self.id else regulation
        return f"{source} {self.principle} {self.id}"

    @property
    def chinese(self) -> str:
        """The quoted fragments joined as they read in the law."""
        return "……".join(self.text)


@attrs.frozen
class Principle:
    """One of the six numbered principles (一 to 六) with its provisions.

    >>> from selfbuild_rules.evaluation import base_for
    >>> p = base_for().regulation.principles[2]
    >>> p.number, p.title, len(p.sentences)
    ('三', '坚持唯实求真，实干勤政', 4)
    """

    number: str
    title: str
    english_title: str
    body: str
    provisions: tuple[Provision, ...]

    @property
    def sentences(self) -> tuple[str, ...]:
        """The principle's body split into sentences, each ending with 。."""
        return tuple(s + "。" for s in self.body.split("。") if s.strip())


@attrs.frozen
class Regulation:
    """A regulation: metadata, preamble and six principles.

    >>> from selfbuild_rules.evaluation import base_for
    >>> law = base_for().regulation
    >>> law.adopted.isoformat(), law.issued.isoformat()
    ('2018-02-01', '2018-02-02')
    """

    id: str
    title: str
    english_title: str
    adopted: _dt.date
    adopted_by: str
    issued: _dt.date
    preamble: str
    principles: tuple[Principle, ...]
    #: The notice's disclosure status: 此件主动公开 (released to the public on its own motion).
    publicly_released: bool = True
    #: Chinese words for the codes its parameter values use (``village`` → 村), so
    #: that reports in Chinese can name them.
    glossary: Mapping[str, str] = attrs.field(factory=dict, eq=False)

    def provisions(self) -> Iterator[Provision]:
        """All provisions in the order of the law."""
        for principle in self.principles:
            yield from principle.provisions

    def provision(self, provision_id: str) -> Provision:
        """The provision with this id; ``KeyError`` naming it when there is none.

        >>> from selfbuild_rules.evaluation import base_for
        >>> base_for().regulation.provision("6.integrity").principle
        '六'
        """
        for provision in self.provisions():
            if provision.id == provision_id:
                return provision
        raise KeyError(f"no provision {provision_id!r} in {self.id}")


_NUMERALS = "一二三四五六七八九十"
_HEADING = re.compile(rf"^\s*([{_NUMERALS}])、(.+?)\s*$")


def _split_principles(text: str, preamble_starts: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """The preamble (the line that begins ``preamble_starts``), and for each numeral the
    heading and body paragraph."""
    lines = [line.strip().strip("\u3000") for line in text.splitlines()]
    lines = [line for line in lines if line]
    found: dict[str, tuple[str, str]] = {}
    preamble = ""
    current: str | None = None
    for line in lines:
        match = _HEADING.match(line)
        if match:
            current = match.group(1)
            found[current] = (match.group(2), "")
        elif current is not None:
            heading, body = found[current]
            found[current] = (heading, body + line)
        elif line.startswith(preamble_starts):
            preamble = line
    return preamble, found


def build_regulation(
    text: str,
    *,
    preamble_starts: str,
    id: str,
    title: str,
    english_title: str,
    adopted: _dt.date,
    adopted_by: str,
    issued: _dt.date,
    english_titles: dict[str, str],
    provisions: tuple[Provision, ...],
    publicly_released: bool = True,
    glossary: Mapping[str, str] | None = None,
) -> Regulation:
    """Assemble a regulation from its text and provisions.

    ``text`` is the law's Chinese text: headings numbered ``一、`` to ``十、``, each
    followed by its body; the preamble is the line that begins ``preamble_starts``.
    Raises ``ValueError`` when a provision quotes text the law does not contain,
    so a typo in a quotation can never ship.

    >>> text = "序言：本规定如下。\\n一、总则\\n应当每年调研。\\n"
    >>> p = Provision("1.research", "一", ProvisionKind.JUDGMENT, SubjectKind.MEMBER,
    ...               "Research", ("每年调研",), "Research every year.")
    >>> law = build_regulation(text, preamble_starts="序言", id="demo", title="示例规定",
    ...     english_title="Demo", adopted=_dt.date(2020, 1, 1), adopted_by="示例",
    ...     issued=_dt.date(2020, 1, 2), english_titles={"一": "General"}, provisions=(p,))
    >>> law.preamble, law.principles[0].title
    ('序言：本规定如下。', '总则')
    """
    preamble, found = _split_principles(text, preamble_starts)
    principles = []
    for number, (heading, body) in found.items():
        own = tuple(p for p in provisions if p.principle == number)
        for provision in own:
            for fragment in provision.text:
                if fragment not in body:
                    raise ValueError(f"{provision.id}: quoted text not in principle {number}")
        principles.append(Principle(number, heading, english_titles[number], body, own))
    return Regulation(
        id=id,
        title=title,
        english_title=english_title,
        adopted=adopted,
        adopted_by=adopted_by,
        issued=issued,
        preamble=preamble,
        principles=tuple(principles),
        publicly_released=publicly_released,
        glossary=dict(glossary or {}),
    )
