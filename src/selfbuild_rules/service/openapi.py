"""The OpenAPI document: Litestar's, made from the handlers' own types, with the facts
JSON Schema of :func:`~selfbuild_rules.facts.schema.facts_schema` plugged in as the
request body and the report's (:func:`~selfbuild_rules.report.schema.report_schema`) as
the evaluation's JSON response (their ``$defs`` moved to the components, so there is one
source).
"""

from __future__ import annotations

import copy
from typing import Any

from selfbuild_rules.facts.schema import facts_line_schema, facts_schema
from selfbuild_rules.report.schema import report_schema
from selfbuild_rules.service.work import MEDIA

__all__ = ["NDJSON", "completed", "components_of"]

#: The media type of facts sent as JSON Lines.
NDJSON = "application/x-ndjson"
_HERE = "#/components/schemas/"


def _moved(node: Any, prefix: str) -> Any:
    """``node`` with every ``#/$defs/X`` reference pointing at the components instead."""
    if isinstance(node, dict):
        return {
            k: (_HERE + prefix + v.removeprefix("#/$defs/") if k == "$ref" else _moved(v, prefix))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_moved(v, prefix) for v in node]
    return node


def components_of(schema: dict[str, Any], name: str, prefix: str = "") -> dict[str, Any]:
    """A JSON Schema's definitions (their names after ``prefix``, so that two schemas'
    ``Member`` stay apart) and the schema itself, as OpenAPI components.

    >>> found = components_of({"$defs": {"A": {"type": "string"}},
    ...                        "properties": {"a": {"$ref": "#/$defs/A"}}}, "Top", "Top")
    >>> found["Top"]["properties"]["a"], sorted(found)
    ({'$ref': '#/components/schemas/TopA'}, ['Top', 'TopA'])
    """
    own = copy.deepcopy(schema)
    found = {prefix + k: _moved(v, prefix) for k, v in own.pop("$defs", {}).items()}
    own.pop("$schema", None)
    own.pop("$id", None)  # an $id would make its references resolve against itself
    found[name] = _moved(own, prefix)
    return found


def _facts_body() -> dict[str, Any]:
    return {
        "required": True,
        "description": f"The facts: one JSON document, or JSON Lines with Content-Type {NDJSON}.",
        "content": {
            "application/json": {"schema": {"$ref": _HERE + "Facts"}},
            NDJSON: {"schema": {"$ref": _HERE + "FactsLine"}},
        },
    }


def completed(document: dict[str, Any]) -> dict[str, Any]:
    """Litestar's document with the facts body, the report's forms and the bearer scheme."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(components_of(facts_schema(), "Facts"))
    schemas.update(components_of(facts_line_schema(), "FactsLine"))
    schemas.update(components_of(report_schema(), "Report", prefix="Report"))
    document["components"]["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "description": "a token of --tokens"}
    }
    paths = document.get("paths", {})
    for path in ("/v1/evaluate", "/v1/validate"):
        paths[path]["post"]["requestBody"] = _facts_body()
    report = {"schema": {"$ref": _HERE + "Report"}}
    forms = {MEDIA["json"]: report}
    forms |= {MEDIA[f]: {"schema": {"type": "string"}} for f in ("html", "markdown")}
    paths["/v1/evaluate"]["post"]["responses"]["200"]["content"] = forms
    return document
