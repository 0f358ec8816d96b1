"""Team shards for the many-teams tests (the command line's and Dask's): small teams whose
results differ from team to team."""

from __future__ import annotations

from typing import Any


def team(i: int, members: int, last_day: int) -> dict[str, Any]:
    """Team ``i`` with ``members`` members: member j ≥ 1 on a research trip from 1 March
    2018 to day ``last_day`` of month 3 + j; a democratic life meeting when ``i`` is odd."""
    doc: dict[str, Any] = {
        "format": "selfbuild-rules.facts/1",
        "team": {"id": f"team-{i}", "name": f"班子{i}"},
        "members": [],
        "research_trips": [],
        "violations": [],
        "democratic_life_meetings": [{"id": "dl", "date": "2018-12-20"}] if i % 2 else [],
    }
    for j in range(members):
        m = f"t{i}-m{j}"
        doc["members"].append(
            {"id": m, "name": f"成员{j}", "post": "other", "tenure": {"start": "2018-01-01"}}
        )
        if j:
            end = f"2018-{3 + j:02d}-{last_day:02d}"
            doc["research_trips"].append(
                {"id": f"{m}-rt", "member": m, "start": "2018-03-01", "end": end}
            )
    return doc
