"""The facts-format reference, generated from the record classes the loader structures.

The categories and their classes come from ``selfbuild_rules.facts.records.CATEGORIES``,
each field's name, type, requiredness and enumeration values from the attrs
fields of those classes, and the cross-record references from the loader's
reference table. Only the short notes in ``_NOTES`` are written here by hand,
for rules the loader applies that the types cannot show.
"""

from __future__ import annotations

import datetime as _dt
import enum
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs

from selfbuild_rules.facts import records as facts_module
from selfbuild_rules.facts.records import CATEGORIES, Team
from selfbuild_rules.tianjin2018 import BASE

from ._rst import GENERATED_NOTICE, escape, heading, list_table, literal, write_if_changed
from .regulation_pages import show

try:  # the loader's table of references between records
    from selfbuild_rules.facts.checks import REFERENCES
except ImportError:  # pragma: no cover - the table moved: generate() warns
    REFERENCES = ()

_NOTES: dict[str, str] = {
    "research_trips.start": "A date, or an ISO 8601 date-time **with** a UTC offset, taken as "
    "its calendar date in China (Asia/Shanghai). A date-time without an offset is an error.",
    "research_trips.end": "As ``start``; both days are included. Must not be before ``start``.",
    "members.tenure": "The member's time in the team; see :ref:`facts-tenure`.",
    "contact_points.end": "``null`` or absent: still designated. Must not be before ``start``.",
    "livelihood_projects.completed": "The day the project was completed; only with the "
    "status ``completed``. Counts for its ``year`` from that day (by ``as_of``) if it is by "
    "31 December; absent, the project counts as it stands once its year has begun.",
    "research_topics.designated": "The day the topic was chosen; it counts from that day "
    "(by ``as_of``) if it is in its ``year``. Absent: counts as it stands once its year "
    "has begun.",
    "study_sessions.directives": "Ids of :facts-category:`directives` this session relayed.",
    "major_decisions.legal_review": "The date of the legal review; ``null`` means there "
    "was none. The field itself must be present.",
    "assessments.rule": "The id of a *judgment* provision (see :ref:`regulation`).",
    "assessments.subject": "A member id for a provision that binds each member, ``team`` "
    "for one that binds the team.",
    "assessments.period": "The period assessed, written as for ``--period``: ``2018``, "
    "``2018-Q1`` or ``2018-03``.",
    "personal_matters_reports.year": "The year the report is *for*; the report for year "
    "Y−1 is due in year Y.",
    "research_topics.year": "The year the topic is researched in.",
    "livelihood_projects.year": "The year the project belongs to.",
    "research_reports.recommendations": "How many recommendations (对策建议) the report "
    "makes; a whole number ≥ 0.",
}


def enums_used() -> list[type[enum.Enum]]:
    """Every enumeration a record field uses, in order of first use."""
    found: dict[type[enum.Enum], None] = {}
    for cls in [*CATEGORIES.values(), facts_module.Tenure]:
        for hint in typing.get_type_hints(cls).values():
            for part in _parts(hint):
                if isinstance(part, type) and issubclass(part, enum.Enum):
                    found[part] = None
    return list(found)


def _parts(hint: object) -> tuple[object, ...]:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return typing.get_args(hint)
    return (hint,)


def type_text(hint: object) -> str:
    """The JSON type of a field, in reST."""
    parts = [p for p in _parts(hint) if p is not type(None)]
    nullable = len(parts) < len(_parts(hint))
    texts = []
    for part in parts:
        if part is str:
            texts.append("string")
        elif part is int:
            texts.append("integer")
        elif part is _dt.date:
            texts.append("date ``YYYY-MM-DD``")
        elif isinstance(part, type) and issubclass(part, enum.Enum):
            texts.append(f"string: :ref:`{part.__name__} <enum-{part.__name__}>`")
        elif typing.get_origin(part) is tuple:
            texts.append("list of strings (ids)")
        elif attrs.has(part):
            texts.append("object")
        else:  # pragma: no cover - a type this generator does not know yet
            texts.append(escape(str(part)))
    text = " or ".join(texts)
    return f"{text} or ``null``" if nullable else text


def requirement_text(field: attrs.Attribute[object], hint: object) -> str:
    nullable = type(None) in _parts(hint)
    if field.default is attrs.NOTHING:
        return "required, may be ``null``" if nullable else "required"
    default = field.default
    shown = "null" if default is None else "[]" if default == () else show(default)
    return f"optional (default ``{shown}``)"


def references(category: str) -> dict[str, str]:
    """Field → note on what it refers to, from the loader's reference table."""
    notes: dict[str, str] = {}
    for source, field, target, _label, same_member in REFERENCES:
        if source != category:
            continue
        text = f"The id of a record in :facts-category:`{target}`"
        if same_member:
            text += " of the same member"
        notes[field] = text + "."
    return notes


def field_rows(category: str, cls: type) -> Iterator[list[str]]:
    hints = typing.get_type_hints(cls)
    refs = references(category)
    for field in attrs.fields(cls):
        hint = hints[field.name]
        note = " ".join(
            n for n in (refs.get(field.name), _NOTES.get(f"{category}.{field.name}")) if n
        )
        if field.name == "id":
            note = f"Unique among the {category.replace('_', ' ')}."
        yield [
            literal(field.name),
            type_text(hint),
            requirement_text(field, hint),
            note or "—",
        ]


def table(category: str, cls: type) -> list[str]:
    return list_table(
        ["Field", "Type", "Presence", "Notes"],
        field_rows(category, cls),
        widths=[18, 26, 18, 38],
    )


def doc_line(cls: type) -> str:
    doc = (cls.__doc__ or "").strip().split("\n\n")[0]
    return " ".join(doc.split())


def used_by(category: str) -> str:
    """Which provisions read a category, from the rules' ``needs``."""
    if category == "members":
        return "every provision that binds each member (one result per member)"
    if category == "assessments":
        return "every judgment provision (see :ref:`judgment`)"
    rules = [r.id for r in BASE.rules.values() if category in r.needs]
    return ", ".join(f":provision:`{r}`" for r in rules) or "no rule yet"


def generate(out: Path, warn: Callable[[str], None]) -> None:
    if not REFERENCES:
        warn(
            "selfbuild_rules.facts.checks.REFERENCES not found: references between records "
            "are missing from the facts-format reference (update docs/_ext facts_format.py)"
        )
    lines = [*GENERATED_NOTICE, ".. _facts-categories:", ""]
    lines += heading("Categories of records", "-")
    lines += [
        "Every category is a list of records (JSON objects). ``members`` is required;",
        "every other category is optional and, when absent, *unknown*.",
        "",
    ]
    lines += list_table(
        ["Category", "One record is", "Read by"],
        (
            [f":facts-category:`{name}`", escape(doc_line(cls)), used_by(name)]
            for name, cls in CATEGORIES.items()
        ),
        widths=[25, 40, 35],
    )
    lines += [".. facts-category:: team", ""]
    lines += heading("team", "~")
    lines += [escape(doc_line(Team)) + " An object, required.", ""]
    lines += table("team", Team)
    for name, cls in CATEGORIES.items():
        lines += [f".. facts-category:: {name}", ""]
        lines += heading(name, "~")
        lines += [escape(doc_line(cls)), ""]
        lines += [f":Required: {'yes' if name == 'members' else 'no (absent = unknown)'}"]
        lines += [f":Read by: {used_by(name)}", ""]
        lines += table(name, cls)
        if name == "members":
            lines += [".. _facts-tenure:", "", ".. rubric:: tenure", ""]
            lines += [escape(doc_line(facts_module.Tenure)), ""]
            lines += table("members.tenure", facts_module.Tenure)
    lines += [".. _facts-enumerations:", ""]
    lines += heading("Enumerations", "-")
    lines += ["Enumerated fields accept exactly these strings; anything else is an error.", ""]
    for enum_cls in enums_used():
        lines += [f".. _enum-{enum_cls.__name__}:", ""]
        lines += heading(enum_cls.__name__, "~")
        lines += [escape(doc_line(enum_cls)), ""]
        lines += [", ".join(literal(str(m.value)) for m in enum_cls), ""]
    write_if_changed(out / "facts-categories.rst", lines)
