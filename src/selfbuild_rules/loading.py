"""Loading facts: strict structuring with every problem reported at once.

>>> facts = load_facts({"format": "selfbuild-rules.facts/1",
...                     "team": {"id": "t", "name": "班子"}, "members": []})
>>> facts.research_trips is None
True
>>> load_facts({"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
...             "members": [], "research_trips": [{"id": "rt-1"}]})
Traceback (most recent call last):
...
selfbuild_rules.loading.FactsError: 3 problems in the facts:
research_trips[0].member: required field missing
research_trips[0].start: required field missing
research_trips[0].end: required field missing
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, override
from dateutil import parser as _dtparser

from . import _checks
from .facts import CATEGORIES, FORMAT, Facts, ResearchTrip, Team
from .periods import CHINA_TZ

__all__ = ["FactsError", "Problem", "dump_facts", "load_facts"]


@attrs.frozen
class Problem:
    """One thing wrong with the input: where (a JSON path) and why."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class FactsError(ValueError):
    """The facts could not be loaded; :attr:`problems` lists every reason."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = "1 problem" if count == 1 else f"{count} problems"
        super().__init__(f"{head} in the facts:\n" + "\n".join(map(str, self.problems)))


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(value: object, _type: object = None) -> _dt.date:
    if not isinstance(value, str) or not _DATE.match(value):
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)")
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a date") from None


def _local_date(value: object, _type: object = None) -> _dt.date:
    """A date, or an ISO datetime with an offset taken as its date in China."""
    if isinstance(value, str) and _DATE.match(value):
        return _date(value)
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date or datetime")
    try:
        moment = _dtparser.isoparse(value)
    except ValueError:
        raise ValueError(f"{value} is not a date or ISO datetime") from None
    if moment.tzinfo is None:
        raise ValueError(f"{value} is a datetime without a UTC offset")
    return moment.astimezone(CHINA_TZ).date()


def _string(value: object, _type: object = None) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a string")
    return value


def _integer(value: object, _type: object = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{value!r} is not a whole number")
    return value


def _strings(value: object, _type: object = None) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f"{value!r} is not a list")
    return tuple(_string(v) for v in value)


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    converter.register_structure_hook(_dt.date, _date)
    converter.register_unstructure_hook(_dt.date, _dt.date.isoformat)
    converter.register_structure_hook(str, _string)
    converter.register_structure_hook(int, _integer)
    converter.register_structure_hook_func(lambda t: t == tuple[str, ...], _strings)
    converter.register_structure_hook(
        ResearchTrip,
        make_dict_structure_fn(
            ResearchTrip,
            converter,
            _cattrs_forbid_extra_keys=True,
            start=override(struct_hook=_local_date),
            end=override(struct_hook=_local_date),
        ),
    )
    return converter


_CONVERTER = _make_converter()


def _describe(exc: BaseException, _type: object) -> str:
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return (
            "unknown field"
            + ("s " if len(exc.extra_fields) > 1 else " ")
            + ", ".join(sorted(exc.extra_fields))
        )
    if isinstance(exc, ValueError) and type(exc) is ValueError and str(exc):
        return str(exc)
    if isinstance(exc, ValueError) and _type is not None:
        return f"not one of {_choices(_type)}"
    return str(exc) or type(exc).__name__


def _choices(type_: object) -> str:
    members = getattr(type_, "__members__", None)
    if members:
        return " | ".join(m.value for m in members.values())
    return getattr(type_, "__name__", str(type_))


def _structure(value: object, cls: type, path: str, problems: list[Problem]) -> Any:
    try:
        return _CONVERTER.structure(value, cls)
    except (cattrs.BaseValidationError, ValueError, TypeError) as exc:
        for line in cattrs.transform_error(exc, path=path, format_exception=_describe):
            message, _, where = line.rpartition(" @ ")
            problems.append(Problem(where, message))
        return None


def _read(source: str | os.PathLike[str] | IO[str] | IO[bytes]) -> object:
    if isinstance(source, (str, os.PathLike)):
        try:
            raw: str | bytes = Path(source).read_bytes()
        except OSError as exc:
            raise FactsError([Problem("", f"cannot read {source}: {exc.strerror}")]) from None
    else:
        raw = source.read()
    text: str | bytes = raw
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FactsError([Problem("", f"not UTF-8 (byte {exc.start})")]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise FactsError([Problem("", message)]) from None


def load_facts(source: str | os.PathLike[str] | IO[str] | IO[bytes] | Mapping[str, Any]) -> Facts:
    """Load facts from a JSON file path, an open file, or a dict already in memory.

    Raises :class:`FactsError` listing every problem found, each with the JSON path of
    the record and field concerned.
    """
    document = source if isinstance(source, Mapping) else _read(source)
    if not isinstance(document, Mapping):
        raise FactsError([Problem("", "the facts must be a JSON object")])
    problems: list[Problem] = []
    fields: dict[str, Any] = {}
    for key in sorted(set(document) - {"format", "team", *CATEGORIES}):
        problems.append(Problem(key, "unknown field"))
    if document.get("format") != FORMAT:
        found = document.get("format", "nothing")
        problems.append(Problem("format", f"expected {FORMAT!r}, found {found!r}"))
    if "team" not in document:
        problems.append(Problem("team", "required field missing"))
    else:
        fields["team"] = _structure(document["team"], Team, "team", problems)
    if "members" not in document:
        problems.append(Problem("members", "required field missing"))
    for category, cls in CATEGORIES.items():
        if category not in document:
            continue
        records = document[category]
        if not isinstance(records, list):
            problems.append(Problem(category, "must be a list"))
            continue
        structured = (
            _structure(r, cls, f"{category}[{i}]", problems) for i, r in enumerate(records)
        )
        fields[category] = tuple(structured)
    problems.extend(_checks.check(fields, document))
    if problems:
        raise FactsError(problems)
    return Facts(**fields)


def dump_facts(facts: Facts) -> dict[str, Any]:
    """The facts as a ``selfbuild-rules.facts/1`` document; categories not supplied are left out.

    >>> facts = load_facts({"format": "selfbuild-rules.facts/1",
    ...                     "team": {"id": "t", "name": "班子"}, "members": [],
    ...                     "violations": []})
    >>> dump_facts(facts)["violations"], "research_trips" in dump_facts(facts)
    ([], False)
    """
    document: dict[str, Any] = {"format": facts.format, "team": _CONVERTER.unstructure(facts.team)}
    for category in CATEGORIES:
        records = getattr(facts, category)
        if records is not None:
            document[category] = [_CONVERTER.unstructure(r) for r in records]
    return document
