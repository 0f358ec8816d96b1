"""Errors as RFC 9457 problem details: one shape for every status, never a traceback.

>>> error = ServiceError(404, "no such provision: 9.x")
>>> error.details().title, error.details().type
('Not Found', 'about:blank')
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import msgspec

from selfbuild_rules.facts.loading import FactsError

__all__ = ["PROBLEM_JSON", "FactsProblem", "ProblemDetails", "ServiceError", "from_facts_error"]

#: The media type of a problem details body (RFC 9457).
PROBLEM_JSON = "application/problem+json"


class FactsProblem(msgspec.Struct):
    """One thing wrong with the facts, as ``validate --format json`` lists it."""

    path: str
    message: str
    line: int | None


class ProblemDetails(msgspec.Struct, omit_defaults=True):
    """An error body (RFC 9457); ``problems`` and ``valid`` only for facts that fail."""

    type: str
    title: str
    status: int
    detail: str
    valid: bool | None = None
    problems: list[FactsProblem] | None = None


class ServiceError(Exception):
    """An error to answer with: its status, a one-line detail, extra headers."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        problems: list[FactsProblem] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = dict(headers or {})
        self.problems = problems

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in a worker process too: sent back whole, not as ``args`` alone.
        return (_rebuilt, (self.status, self.detail, self.headers, self.problems))

    def details(self) -> ProblemDetails:
        """The body to send."""
        title = HTTPStatus(self.status).phrase
        if self.problems is None:
            return ProblemDetails("about:blank", title, self.status, self.detail)
        return ProblemDetails("about:blank", title, self.status, self.detail, False, self.problems)


def _rebuilt(
    status: int, detail: str, headers: dict[str, str], problems: list[FactsProblem] | None
) -> ServiceError:
    return ServiceError(status, detail, headers=headers, problems=problems)


def _is_syntax(error: FactsError) -> bool:
    # Malformed JSON is a bad request (400); JSON of the wrong shape is invalid facts (422).
    return all(p.message.startswith("not valid JSON") for p in error.problems)


def from_facts_error(error: FactsError) -> ServiceError:
    """The answer to facts that did not load: 400 if not JSON at all, else 422.

    >>> from selfbuild_rules.facts.loading import Problem
    >>> from_facts_error(FactsError([Problem("", "not valid JSON: x")])).status
    400
    """
    problems = [FactsProblem(p.path, p.message, p.line) for p in error.problems]
    count = len(problems)
    detail = f"{count} problem{'s' if count != 1 else ''} in the facts"
    return ServiceError(400 if _is_syntax(error) else 422, detail, problems=problems)
