"""The report of one evaluation, and its versioned JSON and plain-text forms.

The JSON document (``selfbuild-rules.report/1``) is deterministic: the same input
gives byte-identical output, so reports can be diffed and archived.
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

import attrs

from .facts import Team
from .periods import DateRange
from .results import Result, Status

__all__ = ["REPORT_FORMAT", "Report"]

REPORT_FORMAT = "selfbuild-rules.report/1"


def _plain(value: object) -> Any:
    """JSON-ready data: dates as ISO strings, enums as values, ranges as start/end."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, DateRange):
        return {"start": value.start.isoformat(), "end": value.end.isoformat()}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if attrs.has(type(value)):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}  # type: ignore[arg-type]
    return value


@attrs.frozen
class Report:
    """All results of one evaluation, with the inputs that shaped them."""

    regulation: str
    team: Team
    period: str
    as_of: _dt.date
    parameters: Mapping[str, object]
    results: tuple[Result, ...]

    def result(self, rule: str, subject: str = "team") -> Result:
        """The result of ``rule`` for ``subject`` (a member id or ``"team"``)."""
        for r in self.results:
            if r.rule == rule and r.subject == subject:
                return r
        raise KeyError(f"no result for {rule} / {subject}")

    def summary(self) -> dict[str, int]:
        """How many results have each status, every status listed."""
        counts = Counter(r.status for r in self.results)
        return {s.value: counts.get(s, 0) for s in Status}

    def to_dict(self) -> dict[str, Any]:
        """The report as the ``selfbuild-rules.report/1`` document."""
        return {
            "format": REPORT_FORMAT,
            "regulation": self.regulation,
            "team": _plain(self.team),
            "period": self.period,
            "as_of": self.as_of.isoformat(),
            "parameters": {k: _plain(v) for k, v in sorted(self.parameters.items())},
            "summary": self.summary(),
            "results": [_plain(r) for r in self.results],
        }

    def to_json(self) -> str:
        """The JSON document, deterministic to the byte."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    def to_text(self, lang: str = "en") -> str:
        """One line a result, grouped by rule, for reading in a terminal."""
        lines = [f"{self.regulation}  {self.team.name}  period {self.period}  as of {self.as_of}"]
        lines.append("  ".join(f"{k}: {v}" for k, v in self.summary().items() if v))
        width = max((len(r.rule) for r in self.results), default=0)
        for r in self.results:
            text = r.explanation.zh if lang == "zh" else r.explanation.en
            lines.append(f"{r.rule:<{width}}  {r.subject:<8} {r.status.value:<17} {text}")
        return "\n".join(lines) + "\n"
