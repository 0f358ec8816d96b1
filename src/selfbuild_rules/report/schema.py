"""A JSON Schema (draft 2020-12) of the JSON report, generated from the classes it is
written from, so that programs in any language can check a report or generate types.

The report's records (a result, a citation, a requirement, the provenance…) are the
attrs classes the encoder writes; msgspec reads their fields and types into the
schema. What the classes leave open is said here: a result names its set of parameter
values by key (or ``null``), ``--trace`` adds a ``trace`` list of step objects, and a
parameter value is any JSON value.

>>> schema = report_schema()
>>> schema["$schema"], schema["properties"]["format"]["enum"]
('https://json-schema.org/draft/2020-12/schema', ['selfbuild-rules.report/2'])
>>> schema["$defs"]["Result"]["properties"]["interpretations"]
{'anyOf': [{'type': 'string'}, {'type': 'null'}]}
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Literal, TypedDict

import msgspec

from selfbuild_rules.engine.results import Interpretation, InterpretationSet, Result
from selfbuild_rules.facts.records import Team
from selfbuild_rules.report.encode import REPORT_FORMAT
from selfbuild_rules.report.listing import CitedProvision
from selfbuild_rules.report.provenance import Provenance

__all__ = ["report_schema"]

_DRAFT = "https://json-schema.org/draft/2020-12/schema"


class Member(TypedDict):
    """A member evaluated: id and name (the id again under ``--redact``)."""

    id: str
    name: str


class Summary(TypedDict):
    """How many results have each status."""

    compliant: int
    non_compliant: int
    pending: int
    undetermined: int
    requires_judgment: int
    not_applicable: int


class _Document(TypedDict, total=False):
    format: Literal["selfbuild-rules.report/2"]
    regulation: str
    team: Team
    period: str
    as_of: _dt.date
    members: list[Member]
    modules: list[str]
    parameters: dict[str, Any]
    provisions: dict[str, CitedProvision]
    interpretations: dict[str, list[Interpretation]]
    results: list[Result]
    summary: Summary
    provenance: Provenance


_REQUIRED = [
    "as_of",
    "format",
    "interpretations",
    "members",
    "modules",
    "parameters",
    "period",
    "provisions",
    "regulation",
    "results",
    "summary",
    "team",
]


def _hook(kind: type) -> dict[str, Any]:
    if kind is InterpretationSet:
        return {"anyOf": [{"type": "string"}, {"type": "null"}]}
    if kind is object:  # a parameter's value: any JSON value (an empty schema is refused)
        return {"description": "a number, text, a date or a list of choices"}
    raise NotImplementedError


def report_schema() -> dict[str, Any]:
    """The JSON Schema of a ``selfbuild-rules.report/2`` document."""
    assert REPORT_FORMAT == "selfbuild-rules.report/2"  # the Literal above says the same
    made: dict[str, Any] = msgspec.json.schema(_Document, schema_hook=_hook)
    name = made.pop("$ref").rsplit("/", 1)[1]
    defs = made.pop("$defs")
    document = defs.pop(name)
    document["required"] = _REQUIRED
    document["title"] = "selfbuild-rules report"
    document["description"] = "The JSON report (see the report format reference)."
    for found in defs.values():
        _always_written(found)
    result = defs["Result"]
    del result["properties"]["citation"]  # written once, under the provision
    named = {*result["required"], "interpretations"} - {"citation"}  # a key, or null
    result["required"] = [n for n in result["properties"] if n in named]
    # --trace adds the steps behind a result (their kinds: the report format page).
    result["properties"]["trace"] = {"type": "array", "items": {"type": "object"}}
    return {"$schema": _DRAFT, **document, "$defs": defs}


def _always_written(found: dict[str, Any]) -> None:
    """Every field of a record is written, its default too, but for those left out when
    unset (a field without a default here): those are required; the doctests go."""
    if "description" in found:
        found["description"] = found["description"].split("\n\n")[0].replace("\n", " ")
    properties = found.get("properties", {})
    required = set(found.get("required", ()))
    for name, value in properties.items():
        if value.pop("default", _NONE) is not _NONE:
            required.add(name)
    if properties:
        found["required"] = [n for n in properties if n in required]


_NONE = object()
