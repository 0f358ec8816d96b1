"""What is wrong with facts that do not load: each :class:`Problem`, and the
:class:`FactsError` that lists them all.

>>> raise FactsError([Problem("members[0].id", "required field missing")])
Traceback (most recent call last):
...
selfbuild_rules.facts.problems.FactsError: 1 problem in the facts:
members[0].id: required field missing
"""

from __future__ import annotations

import attrs

from selfbuild_rules.internal.text import printable

__all__ = ["FactsError", "Problem"]


@attrs.frozen
class Problem:
    """One thing wrong with the input: where (a JSON path, and a line for JSON Lines) and why.

    >>> str(Problem("research_trips[3].end", "2018-02-30 is not a date", line=12))
    'line 12: research_trips[3].end: 2018-02-30 is not a date'
    """

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        # Escaped: a path can hold any key of the input, a message a quoted value, and a
        # newline or escape sequence in either must not forge or hide a line.
        text = f"{self.path}: {self.message}" if self.path else self.message
        return printable(text if self.line is None else f"line {self.line}: {text}")


class FactsError(ValueError):
    """The facts could not be loaded; :attr:`problems` lists every reason.

    >>> import selfbuild_rules as sr
    >>> try:
    ...     sr.load_facts({"format": "selfbuild-rules.facts/1", "members": [],
    ...                    "team": {"id": "t", "name": "班子"},
    ...                    "violations": [{"id": "v", "member": "m9", "date": "2018-02-30",
    ...                                    "kind": "other"}]})
    ... except sr.FactsError as exc:
    ...     for problem in exc.problems:
    ...         print(problem)
    violations[0].date: 2018-02-30 is not a date
    """

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = "1 problem" if count == 1 else f"{count} problems"
        super().__init__(f"{head} in the facts:\n" + "\n".join(map(str, self.problems)))
