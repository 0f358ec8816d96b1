"""Consistency checks across records, run once every record has been structured.

Each check is a table row, not a function per category, so that a new category
needs one line here rather than new code. A record that failed to structure still
claims its id (so nothing else is reported as dangling because of it) but takes part
in no other check: its own problems are already reported.

These checks cannot be expressed in the JSON Schema, which describes shape only.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from selfbuild_rules.internal.i18n import N_
from selfbuild_rules.law.periods import Period

__all__ = [
    "RANGES",
    "REFERENCES",
    "Entry",
    "Judgments",
    "assessment_problems",
    "assessments_fit",
    "check",
    "directive_problems",
]


class Entry:
    """One record as read: where it was (category, index, line), its id, the typed record.

    ``record`` is ``None`` when the record failed to structure.
    """

    __slots__ = ("category", "id", "index", "line", "record")

    def __init__(
        self, category: str, index: int, line: int | None, id: str | None, record: Any
    ) -> None:
        self.category, self.index, self.line, self.id, self.record = (
            category,
            index,
            line,
            id,
            record,
        )

    @property
    def path(self) -> str:
        """The record's JSON path, ``research_trips[3]``."""
        return f"{self.category}[{self.index}]"


#: References between records: (category, field, target category, what the target is
#: called, whether both must belong to the same member).
#: The labels below, marked for the catalog: a message tells them as its ``{label}``.
_LABELS = (N_("member"), N_("research topic"), N_("contact point"), N_("directive"))

REFERENCES = (
    ("research_trips", "member", "members", "member", False),
    ("research_trips", "topic", "research_topics", "research topic", True),
    ("research_topics", "member", "members", "member", False),
    ("research_reports", "member", "members", "member", False),
    ("research_reports", "topic", "research_topics", "research topic", True),
    ("contact_points", "member", "members", "member", False),
    ("contact_point_visits", "member", "members", "member", False),
    ("contact_point_visits", "contact_point", "contact_points", "contact point", True),
    ("personal_matters_reports", "member", "members", "member", False),
    ("violations", "member", "members", "member", False),
)

#: Date ranges whose end must not come before their start: (category, path of start
#: within a record, path of end).
RANGES = (
    ("members", "tenure.start", "tenure.end"),
    ("research_trips", "start", "end"),
    ("contact_points", "start", "end"),
)

#: Fields that may be given only when another field has one value: (category, field,
#: the other field, its value). A completion day on a project not completed says two
#: contradictory things.
ONLY_WITH = (("livelihood_projects", "completed", "status", "completed"),)

Entries = Mapping[str, Sequence[Entry]]
#: A regulation's judgment provisions by id, with whom each binds (``member``/``team``).
Judgments = Mapping[str, str]
Found = Iterator[tuple[Entry, str, str]]


def _records(entries: Entries, category: str) -> Iterator[Entry]:
    return (e for e in entries.get(category) or () if e.record is not None)


def _duplicates(entries: Entries, _unreadable: frozenset[str]) -> Found:
    for records in entries.values():
        seen: dict[str, Entry] = {}
        for entry in records:
            if entry.id is None:
                continue
            first = seen.setdefault(entry.id, entry)
            if first is not entry:
                where = "" if first.line is None else f" (line {first.line})"
                yield entry, ".id", f"{entry.id} repeats {first.path}{where}"


def _references(entries: Entries, unreadable: frozenset[str]) -> Found:
    for category, field, target, label, same_member in REFERENCES:
        if category not in entries or target in unreadable:
            continue
        known = {e.id: e.record for e in entries.get(target) or () if e.id is not None}
        for entry in _records(entries, category):
            value = getattr(entry.record, field)
            if value is None:
                continue
            if value not in known:
                told = N_("{value} is not a known {label}")
                if target not in entries:
                    told = N_("{value} is not a known {label} ({target} not supplied)")
                yield entry, f".{field}", told.format(value=value, label=label, target=target)
                continue
            owner = getattr(known[value], "member", None)
            if same_member and owner is not None and owner != entry.record.member:
                told = N_("{value} belongs to {owner}, not {member}")
                yield (
                    entry,
                    f".{field}",
                    told.format(value=value, owner=owner, member=entry.record.member),
                )


def _ranges(entries: Entries, _unreadable: frozenset[str]) -> Found:
    for category, start, end in RANGES:
        get_start, get_end = operator.attrgetter(start), operator.attrgetter(end)
        for entry in _records(entries, category):
            first, last = get_start(entry.record), get_end(entry.record)
            if last is not None and last < first:
                yield entry, f".{end}", f"{last} is before {start.split('.')[-1]} {first}"


def _only_with(entries: Entries, _unreadable: frozenset[str]) -> Found:
    for category, field, other, value in ONLY_WITH:
        for entry in _records(entries, category):
            if getattr(entry.record, field) is None:
                continue
            actual = getattr(entry.record, other)
            if getattr(actual, "value", actual) != value:
                shown = getattr(actual, "value", actual)
                told = N_("given, but {other} is {found}, not {value}")
                yield entry, f".{field}", told.format(other=other, found=shown, value=value)


def directive_problems(entries: Entries, unreadable: frozenset[str]) -> Found:
    """Study sessions that relay a directive no record has."""
    if "directives" in unreadable:
        return
    known = {e.id for e in entries.get("directives") or () if e.id is not None}
    for entry in _records(entries, "study_sessions"):
        for position, directive in enumerate(entry.record.directives):
            if directive not in known:
                told = N_("{value} is not a known {label}")
                if "directives" not in entries:
                    told = N_("{value} is not a known {label} ({target} not supplied)")
                where = f".directives[{position}]"
                told = told.format(value=directive, label="directive", target="directives")
                yield entry, where, told


def _unknown_member(subject: str) -> str:
    return N_("{value} is not a known {label}").format(value=subject, label="member")


_MODULE_PROVISION = re.compile(r"^[a-z0-9][a-z0-9-]*/[0-9]\.[a-z0-9-]+$")


def assessment_problems(
    entries: Entries, unreadable: frozenset[str], judgments: Judgments | None
) -> Found:
    """Assessments that name no judgment provision of ``judgments``, a subject the
    provision does not bind, or a period that is not one. Without ``judgments`` (no
    regulation given) only subjects and periods are checked."""
    members = {e.id for e in entries.get("members") or () if e.id is not None}
    for entry in _records(entries, "assessments"):
        record = entry.record
        kind = None if judgments is None else judgments.get(record.rule)
        if kind is None and (judgments is None or _MODULE_PROVISION.match(record.rule)):
            # A module's own provision: which modules apply is only known when evaluating,
            # so only the subject is checked here.
            known = record.subject == "team" or record.subject in members
            if not known and "members" not in unreadable:
                yield entry, ".subject", _unknown_member(record.subject)
        elif kind is None:
            yield entry, ".rule", N_("{rule} is not a judgment provision").format(rule=record.rule)
        elif kind == "team" and record.subject != "team":
            told = N_("{rule} binds the team: subject must be 'team'")
            yield entry, ".subject", told.format(rule=record.rule)
        elif kind == "member" and "members" not in unreadable and record.subject not in members:
            yield entry, ".subject", _unknown_member(record.subject)
        try:
            Period.parse(record.period)
        except ValueError as exc:
            yield entry, ".period", str(exc)


def check(
    entries: Entries,
    unreadable: frozenset[str] = frozenset(),
    judgments: Judgments | None = None,
) -> list[tuple[str, int | None, str]]:
    """Every cross-record problem, as ``(path, line, message)``.

    ``unreadable`` names categories given as something other than a list: already
    reported, so references into them are not reported as dangling. ``judgments``
    are the regulation's judgment provisions, which assessments must name.
    """
    checks = (_duplicates, _references, _ranges, _only_with, directive_problems)
    found = [(e, where, message) for c in checks for e, where, message in c(entries, unreadable)]
    found += assessment_problems(entries, unreadable, judgments)
    return [(e.path + where, e.line, message) for e, where, message in found]


def assessments_fit(records: Mapping[str, Sequence[Any]], judgments: Judgments | None) -> bool:
    """Whether the assessments among ``records`` (each category's records) pass."""
    if not records.get("assessments"):
        return True
    entries = {
        name: [Entry(name, i, None, r.id, r) for i, r in enumerate(records.get(name) or ())]
        for name in ("members", "assessments")
        if name in records
    }
    return not any(assessment_problems(entries, frozenset(), judgments))
