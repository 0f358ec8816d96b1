"""Varying shared facts per case: records added and removed by id, per category.

Removals come first, so a record is replaced by removing its id and adding it again.

>>> doc = {"members": [{"id": "m01"}], "research_trips": [{"id": "rt-1"}, {"id": "rt-2"}]}
>>> new = patched(doc, {"research_trips": [{"id": "rt-3"}]}, {"research_trips": ["rt-2"]})
>>> [r["id"] for r in new["research_trips"]], len(doc["research_trips"])
(['rt-1', 'rt-3'], 2)
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["PatchError", "patched"]


class PatchError(ValueError):
    """A removal names a category or an id the facts do not have: ``field`` says which."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def _ids(records: Any) -> list[Any]:
    return [r.get("id") for r in records if isinstance(r, Mapping)]


def patched(
    facts: Mapping[str, Any],
    add: Mapping[str, Sequence[Any]],
    remove: Mapping[str, Sequence[str]],
) -> dict[str, Any]:
    """A copy of ``facts`` without the records ``remove`` names, then with ``add``'s.

    Adding to a category the facts lack supplies it (``[]`` supplies it empty).
    """
    doc = copy.deepcopy(dict(facts))  # the shared facts serve every case of the file
    for category, ids in remove.items():
        records = doc.get(category)
        if not isinstance(records, list):
            raise PatchError(f"remove.{category}", "the facts have no such list of records")
        unknown = [i for i in ids if i not in _ids(records)]
        if unknown:
            raise PatchError(f"remove.{category}", f"no record with id {unknown[0]!r}")
        doc[category] = [r for r in records if not (isinstance(r, Mapping) and r.get("id") in ids)]
    for category, records in add.items():
        present = doc.get(category)
        if present is not None and not isinstance(present, list):
            raise PatchError(f"add.{category}", "the facts' value there is not a list")
        doc[category] = [*(present or []), *copy.deepcopy(list(records))]
    return doc
