"""Consistency checks across records, run once the records are structured.

Each check is a table row, not a function per category, so that a new category
needs one line here rather than new code.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .facts import CATEGORIES
from .periods import Period

# (category, field, target category, what the target is called, must share the member)
_REFERENCES = (
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

# (category, path of start within a record, path of end)
_RANGES = (
    ("members", "tenure.start", "tenure.end"),
    ("research_trips", "start", "end"),
    ("contact_points", "start", "end"),
)


def _get(record: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        record = getattr(record, part)
    return record


def _records(fields: dict[str, Any], category: str) -> Iterator[tuple[int, Any]]:
    for index, record in enumerate(fields.get(category) or ()):
        if record is not None:  # records that failed to structure are already reported
            yield index, record


def _duplicates(raw: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    # Read from the raw records, so a record that failed to structure still claims its id.
    for category in CATEGORIES:
        records = raw.get(category)
        seen: dict[str, int] = {}
        for index, record in enumerate(records if isinstance(records, list) else ()):
            record_id = record.get("id") if isinstance(record, dict) else None
            if not isinstance(record_id, str):
                continue
            if record_id in seen:
                yield (
                    f"{category}[{index}].id",
                    f"{record_id} repeats {category}[{seen[record_id]}]",
                )
            else:
                seen[record_id] = index


def _references(fields: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for category, field, target, label, same_member in _REFERENCES:
        if category not in fields:
            continue
        known = {r.id: r for _, r in _records(fields, target)}
        for index, record in _records(fields, category):
            value = getattr(record, field)
            if value is None:
                continue
            where = f"{category}[{index}].{field}"
            if value not in known:
                absent = "" if target in fields else f" ({target} not supplied)"
                yield where, f"{value} is not a known {label}{absent}"
            elif same_member and known[value].member != record.member:
                yield where, f"{value} belongs to {known[value].member}, not {record.member}"


def _ranges(fields: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for category, start, end in _RANGES:
        for index, record in _records(fields, category):
            first, last = _get(record, start), _get(record, end)
            if last is not None and last < first:
                yield (
                    f"{category}[{index}].{end}",
                    f"{last} is before {start.split('.')[-1]} {first}",
                )


def _directives(fields: dict[str, Any]) -> Iterator[tuple[str, str]]:
    known = {r.id for _, r in _records(fields, "directives")}
    for index, session in _records(fields, "study_sessions"):
        for position, directive in enumerate(session.directives):
            if directive not in known:
                where = f"study_sessions[{index}].directives[{position}]"
                yield where, f"{directive} is not a known directive"


def _assessments(fields: dict[str, Any]) -> Iterator[tuple[str, str]]:
    from .rules import judgment_subjects

    members = {r.id for _, r in _records(fields, "members")}
    judged = judgment_subjects()
    for index, record in _records(fields, "assessments"):
        where = f"assessments[{index}]"
        kind = judged.get(record.rule)
        if kind is None:
            yield f"{where}.rule", f"{record.rule} is not a judgment provision"
        elif kind == "team" and record.subject != "team":
            yield f"{where}.subject", f"{record.rule} binds the team: subject must be 'team'"
        elif kind == "member" and record.subject not in members:
            yield f"{where}.subject", f"{record.subject} is not a known member"
        try:
            Period.parse(record.period)
        except ValueError as exc:
            yield f"{where}.period", str(exc)


def check(fields: dict[str, Any], raw: Mapping[str, Any]) -> list[Any]:
    """Every cross-record problem in structured ``fields``, as loading problems."""
    from .loading import Problem

    checks = (_references, _ranges, _directives, _assessments)
    found = [*_duplicates(raw), *(problem for c in checks for problem in c(fields))]
    return [Problem(path, message) for path, message in found]
