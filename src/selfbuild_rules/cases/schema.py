"""The JSON Schema of the case-file format (``selfbuild-rules schema --cases``).

Written once beside :mod:`selfbuild_rules.cases.format`, which stays the judge (it also
checks periods, dates and patches against the facts); the tests validate every shipped
case file against this schema, so the two cannot drift apart unnoticed.

>>> cases_schema()["properties"]["cases"]["minItems"]
1
"""

from __future__ import annotations

from typing import Any

from selfbuild_rules.cases.format import EXPECTED_NUMBERS
from selfbuild_rules.engine.results import Status

__all__ = ["SCHEMA_ID", "cases_schema"]

SCHEMA_ID = "https://selfbuild-rules.invalid/schema/cases-1.json"


def _shared() -> dict[str, Any]:
    text_or_number = {"type": ["string", "integer"]}
    return {
        "facts": {
            "description": "a facts document (selfbuild-rules.facts/1), or the path of a "
            "JSON or YAML one relative to the case file",
            "type": ["object", "string"],
        },
        "period": {**text_or_number, "description": "YYYY, YYYY-Qn or YYYY-MM"},
        "as_of": {"type": "string", "format": "date", "description": "YYYY-MM-DD"},
        "modules": {
            "description": "installed local modules to apply, by id",
            "type": "array",
            "items": {"type": "string"},
        },
        "set": {"description": "parameter values by parameter name", "type": "object"},
        "regulation": {"type": "string", "description": "the base regulation's id"},
    }


def _expectation() -> dict[str, Any]:
    status = {"enum": [s.value for s in Status]}
    number = {"type": ["integer", "null"]}
    detailed = {
        "type": "object",
        "required": ["status"],
        "additionalProperties": False,
        "properties": {"status": status, **dict.fromkeys(EXPECTED_NUMBERS, number)},
    }
    return {"oneOf": [status, detailed]}


def cases_schema() -> dict[str, Any]:
    """The schema, as a dict (JSON Schema draft 2020-12)."""
    patch = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "add": {"type": "object", "additionalProperties": {"type": "array"}},
            "remove": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
    }
    expect = {
        "description": "subject (member id or 'team') → rule id → expected result",
        "type": "object",
        "minProperties": 1,
        "additionalProperties": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": _expectation(),
        },
    }
    case = {
        "type": "object",
        "required": ["name", "expect"],
        "additionalProperties": False,
        "properties": {"name": {"type": "string"}, "patch": patch, "expect": expect, **_shared()},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "selfbuild-rules case file (*.cases.yaml)",
        "type": "object",
        "required": ["cases"],
        "additionalProperties": False,
        "properties": {**_shared(), "cases": {"type": "array", "minItems": 1, "items": case}},
    }
