"""A JSON Schema (draft 2020-12) of the facts format, generated from the loader's classes.

The schema and the loader read the same description of every record
(:func:`selfbuild_rules.facts.fields.shape`, itself read from the attrs classes in
:mod:`selfbuild_rules.facts.records`), so they agree on the *shape* of a valid document: which
fields exist, which are required or may be null, their types, enumerations and
date syntax. Calendar validity of plain dates is stated with ``"format": "date"``
(enable format assertion in your validator to check it).

What the schema cannot say, and only the loader checks: that ids are unique within
a category, that references resolve (to a record of the same member where required),
that ends are not before starts, that assessments name a judgment provision, a known
subject and a valid period, and that a trip's datetime names a real calendar day.
Integral numbers written with a fraction (``2018.0``) are integers to JSON Schema but
not to the loader.

>>> schema = facts_schema()
>>> schema["$schema"]
'https://json-schema.org/draft/2020-12/schema'
>>> schema["required"], schema["$defs"]["Tenure"]["required"]
(['format', 'team', 'members'], ['start'])
"""

from __future__ import annotations

from typing import Any

from selfbuild_rules.facts.fields import (
    DATE_PATTERN,
    DATETIME_PATTERN,
    FieldShape,
    Kind,
    ValueShape,
    shape,
)
from selfbuild_rules.facts.records import CATEGORIES, FORMAT, Team

__all__ = ["facts_line_schema", "facts_schema"]

_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _value(value: ValueShape, defs: dict[str, Any]) -> dict[str, Any]:
    kind = value.kind
    if kind is Kind.STRING:
        return {"type": "string"}
    if kind is Kind.INTEGER:
        return {"type": "integer"}
    if kind is Kind.DATE:
        return {"type": "string", "pattern": DATE_PATTERN, "format": "date"}
    if kind is Kind.LOCAL_DATE:
        return {
            "type": "string",
            "anyOf": [
                {"pattern": DATE_PATTERN, "format": "date"},
                {"pattern": DATETIME_PATTERN},
            ],
            "description": "a date, or an ISO datetime with a UTC offset (read in China time)",
        }
    if kind is Kind.CHOICE:
        return {"type": "string", "enum": list(value.choices)}
    if kind is Kind.RECORD:
        assert value.record is not None
        return {"$ref": f"#/$defs/{_define(value.record, defs)}"}
    assert value.item is not None
    return {"type": "array", "items": _value(value.item, defs)}


def _field(field: FieldShape, defs: dict[str, Any]) -> dict[str, Any]:
    schema = _value(field.value, defs)
    if field.minimum is not None:
        schema["minimum"] = field.minimum
    if not field.nullable:
        return schema
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    schema["type"] = [schema["type"], "null"]
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    return schema


def _define(cls: type, defs: dict[str, Any]) -> str:
    """Add ``cls`` (and the records it holds) to ``defs``; its name there."""
    name = cls.__name__
    if name in defs:
        return name
    defs[name] = {}  # reserved first, so a record that holds itself cannot loop
    fields = shape(cls)
    definition: dict[str, Any] = {"type": "object"}
    doc = (cls.__doc__ or "").strip().split("\n")[0].replace("``", "`")
    if doc:
        definition["description"] = doc
    definition["properties"] = {f.name: _field(f, defs) for f in fields}
    definition["required"] = [f.name for f in fields if f.required]
    definition["additionalProperties"] = False
    defs[name] = definition
    return name


def _defs() -> tuple[dict[str, Any], dict[str, str]]:
    defs: dict[str, Any] = {}
    _define(Team, defs)
    names = {category: _define(cls, defs) for category, cls in CATEGORIES.items()}
    return defs, names


def facts_schema() -> dict[str, Any]:
    """The JSON Schema of a ``selfbuild-rules.facts/1`` JSON document (shape only)."""
    defs, names = _defs()
    categories = {
        category: {"type": "array", "items": {"$ref": f"#/$defs/{name}"}}
        for category, name in names.items()
    }
    return {
        "$schema": _DRAFT,
        "$id": "urn:selfbuild-rules:facts:1",
        "title": FORMAT,
        "description": (
            "Facts about a leadership team, for selfbuild-rules. A category left out is "
            "unknown; an empty list means there is none. This schema checks shape only: "
            "unique ids, references between records and end-after-start are checked by "
            "'selfbuild-rules validate'."
        ),
        "type": "object",
        "properties": {
            "format": {"const": FORMAT},
            "team": {"$ref": "#/$defs/Team"},
            **categories,
        },
        "required": ["format", "team", "members"],
        "additionalProperties": False,
        "$defs": defs,
    }


def facts_line_schema() -> dict[str, Any]:
    """The JSON Schema of one line of a JSON Lines facts file (shape only).

    >>> sorted(facts_line_schema()["oneOf"][0]["properties"])
    ['format']
    """
    defs, names = _defs()
    records = [
        {
            "type": "object",
            "properties": {"category": {"const": category}, "record": {"$ref": f"#/$defs/{name}"}},
            "required": ["category"],
            "additionalProperties": False,
        }
        for category, name in names.items()
    ]
    return {
        "$schema": _DRAFT,
        "$id": "urn:selfbuild-rules:facts-line:1",
        "title": f"one line of {FORMAT} as JSON Lines",
        "oneOf": [
            {
                "type": "object",
                "properties": {"format": {"const": FORMAT}},
                "required": ["format"],
                "additionalProperties": False,
            },
            {
                "type": "object",
                "properties": {"team": {"$ref": "#/$defs/Team"}},
                "required": ["team"],
                "additionalProperties": False,
            },
            *records,
        ],
        "$defs": defs,
    }
