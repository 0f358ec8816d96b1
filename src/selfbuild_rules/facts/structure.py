"""Turning one JSON record into a typed record with cattrs, naming every field that is wrong.

The value hooks are made from :func:`selfbuild_rules.facts.fields.shape`, the same
description the JSON Schema is generated from; cattrs does the rest.

>>> from selfbuild_rules.facts.records import Tenure
>>> structure({"start": "2018-01-26"}, Tenure, "members[0].tenure")
(Tenure(start=datetime.date(2018, 1, 26), end=None), [])
>>> structure({"start": "2018-02-30", "until": 1}, Tenure, "t")
(None, [('t.start', '2018-02-30 is not a date'), ('t', 'unknown field until')])
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
import re
from collections.abc import Callable
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, override
from dateutil import parser as _dtparser

from selfbuild_rules.facts.fields import (
    DATE_RE,
    DATETIME_RE,
    NAIVE_DATETIME_RE,
    FieldShape,
    Kind,
    ValueShape,
    shape,
)
from selfbuild_rules.facts.records import FREE_TEXT
from selfbuild_rules.internal.i18n import N_
from selfbuild_rules.internal.text import SHORT
from selfbuild_rules.law.periods import CHINA_TZ, DateRange

__all__ = ["build", "given_twice", "loads", "local_date", "shown", "structure", "unstructure"]

_BARE = re.compile(r"[\w.:+\-/]+")
# What would read as another JSON value, so is quoted when shown.
_LITERAL = re.compile(r"true|false|null|NaN|-?Infinity|-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
Hook = Callable[[Any, Any], Any]


def shown(value: object) -> str:
    """A value as a problem message shows it: JSON spelling, short, never huge.

    Strings are bare when nothing else could be meant (``2018-02-30``), quoted when
    they could be read as another JSON value (``"5"``) or hold spaces.

    At most :data:`~selfbuild_rules.internal.text.SHORT` characters of a value are
    quoted, then ``…``: a message names what is wrong, it does not copy the input.

    >>> shown("2018-02-30"), shown("5"), shown(None), shown(True), shown(2018.0), shown({})
    ('2018-02-30', '"5"', 'null', 'true', '2018.0', 'an object')
    >>> shown("a long value that goes on and on and on")
    '"a long value that goes on and on…"'
    """
    if isinstance(value, str):
        cut = value[:SHORT]
        more = "…" if len(value) > SHORT else ""
        if _BARE.fullmatch(value) and not _LITERAL.fullmatch(value):
            return cut + more
        return json.dumps(cut, ensure_ascii=False)[:-1] + more + '"'
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (ValueError, TypeError):  # a number past Python's digit limit, from a dict
        return "a number" if isinstance(value, (int, float)) else type(value).__name__
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def kind_of(value: object) -> str:
    """What a value is, without quoting it: for free text (see :data:`FREE_TEXT`).

    >>> kind_of(5), kind_of(None), kind_of(["x"]), kind_of("secret")
    ('a number', 'null', 'a list', 'a string')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return shown(value) if isinstance(value, (dict, list)) else type(value).__name__


def _text(value: object) -> str:
    """A free-text field's value (a name, title, summary, assessor or place): checked
    like any string, but never quoted in a message, which may end up in a log."""
    if not isinstance(value, str):
        raise ValueError(N_("{value} is not a string").format(value=kind_of(value)))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(N_("not valid Unicode (a lone surrogate)")) from None
    return value


class _Twice(dict[str, Any]):
    """A JSON object that gave some key more than once (the last value kept, as JSON
    readers do), with the keys it repeated."""

    __slots__ = ("twice",)
    twice: list[str]


def loads(text: str) -> tuple[Any, bool]:
    """``json.loads``, and whether some object gave a key twice (then see
    :func:`given_twice`). ``json.loads`` alone keeps the last and says nothing, so a
    later ``"violations": []`` would silently drop the violations recorded before it.

    >>> value, twice = loads('{"a": {"b": 1, "b": 2}}')
    >>> value, twice, given_twice(value)
    ({'a': {'b': 2}}, True, ['a.b'])
    """
    seen: list[bool] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        found = dict(items)
        if len(found) == len(items):
            return found
        twice = _Twice(found)
        keys = [key for key, _ in items]
        twice.twice = sorted({key for key in keys if keys.count(key) > 1})
        seen.append(True)
        return twice

    value = json.loads(text, object_pairs_hook=pairs)
    return value, bool(seen)


def given_twice(value: object, path: str = "") -> list[str]:
    """The JSON paths of every key given twice in a value :func:`loads` read."""
    found: list[str] = []
    todo: list[tuple[object, str]] = [(value, path)]
    nested = (dict, list)
    while todo:  # by hand, not recursion: the value may be nested deeply
        item, where = todo.pop()
        if isinstance(item, dict):
            if isinstance(item, _Twice):
                found += [f"{where}.{key}" if where else key for key in item.twice]
            todo += [
                (v, f"{where}.{k}" if where else k)
                for k, v in item.items()
                if isinstance(v, nested)
            ]
        elif isinstance(item, list):
            todo += [(v, f"{where}[{i}]") for i, v in enumerate(item) if isinstance(v, nested)]
    return sorted(found)


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(N_("{value} is not a string").format(value=shown(value)))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        told = N_("{value} is not valid Unicode (a lone surrogate)")
        raise ValueError(told.format(value=shown(value))) from None
    return value


def _integer(value: object, minimum: int | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(N_("{value} is not a whole number").format(value=shown(value)))
    if minimum is not None and value < minimum:
        raise ValueError(N_("{value} is less than {minimum}").format(value=value, minimum=minimum))
    return value


def _date(value: object) -> _dt.date:
    if not isinstance(value, str) or not DATE_RE.search(value):
        raise ValueError(N_("{value} is not a date (YYYY-MM-DD)").format(value=shown(value)))
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(N_("{value} is not a date").format(value=shown(value))) from None


def local_date(value: object) -> _dt.date:
    """A date, or an ISO datetime with an offset taken as its date in China.

    >>> local_date("2018-05-14"), local_date("2018-05-13T23:30:00+00:00")
    (datetime.date(2018, 5, 14), datetime.date(2018, 5, 14))
    """
    if isinstance(value, str) and DATE_RE.search(value):
        return _date(value)
    if isinstance(value, str) and DATETIME_RE.search(value):
        try:
            return _dtparser.isoparse(value).astimezone(CHINA_TZ).date()
        except (ValueError, OverflowError):
            raise ValueError(
                N_("{value} is not a date or datetime").format(value=shown(value))
            ) from None
    if isinstance(value, str) and NAIVE_DATETIME_RE.fullmatch(value):
        raise ValueError(
            N_("{value} is a datetime without a UTC offset").format(value=shown(value))
        )
    told = N_("{value} is not a date or ISO datetime with a UTC offset")
    raise ValueError(told.format(value=shown(value)))


def _choice(value: object, shape: ValueShape) -> enum.Enum:
    if not isinstance(value, str) or value not in shape.choices:
        told = N_("{value} is not one of {choices}")
        raise ValueError(told.format(value=shown(value), choices=" | ".join(shape.choices)))
    assert shape.enum is not None
    return shape.enum(value)


# --- cattrs does the structuring ------------------------------------------------------
# Each field gets a hook made from its shape (the same shape the JSON Schema is written
# from); cattrs walks the record, finds missing and unknown fields, builds the attrs
# instance and, in detailed mode, collects every error with its path.


def _value_hook(
    converter: cattrs.Converter, shape: ValueShape, minimum: int | None, free: bool = False
) -> Hook:
    kind = shape.kind
    if kind is Kind.STRING:
        return (lambda v, _: _text(v)) if free else (lambda v, _: _string(v))
    if kind is Kind.INTEGER:
        return lambda v, _: _integer(v, minimum)
    if kind is Kind.DATE:
        return lambda v, _: _date(v)
    if kind is Kind.LOCAL_DATE:
        return lambda v, _: local_date(v)
    if kind is Kind.CHOICE:
        return lambda v, _: _choice(v, shape)
    if kind is Kind.RECORD:
        assert shape.record is not None
        record = shape.record
        return lambda v, _: converter.structure(v, record)
    assert shape.item is not None
    items = converter.get_structure_hook(tuple[Any, ...])
    item_hook = _value_hook(converter, shape.item, None)
    item_type = shape.item.record or object

    def as_list(value: object, _: object) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise ValueError(N_("{value} is not a list").format(value=shown(value)))
        if shape.item is not None and shape.item.kind is Kind.RECORD:
            return tuple(items(value, tuple[item_type, ...]))  # type: ignore[valid-type]
        return tuple(item_hook(v, None) for v in value)

    return as_list


def _field_hook(converter: cattrs.Converter, field: FieldShape) -> Hook:
    hook = _value_hook(converter, field.value, field.minimum, field.name in FREE_TEXT)
    if not field.nullable:
        return hook
    default = field.default
    return lambda v, t: default if v is None else hook(v, t)


def _record_hook(converter: cattrs.Converter, detailed: bool) -> Callable[[type], Hook]:
    def factory(cls: type) -> Hook:
        overrides = {f.name: override(struct_hook=_field_hook(converter, f)) for f in shape(cls)}
        inner: Hook = make_dict_structure_fn(
            cls,
            converter,
            _cattrs_forbid_extra_keys=True,
            _cattrs_detailed_validation=detailed,
            **overrides,  # type: ignore[arg-type]
        )

        def record(value: object, _: object) -> Any:
            if not isinstance(value, dict):
                found = f"the string {shown(value)}" if isinstance(value, str) else shown(value)
                raise ValueError(N_("must be an object, found {found}").format(found=found))
            return inner(value, cls)

        return record

    return factory


def _converter(detailed: bool) -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed)
    converter.register_structure_hook_factory(attrs.has, _record_hook(converter, detailed))
    return converter


#: Collects every problem with its path; used when the fast converter refuses a record.
_CAREFUL = _converter(detailed=True)
#: cattrs without per-error bookkeeping: most records are right and take this path.
_FAST = _converter(detailed=False)


def _describe(exc: BaseException, _type: object) -> str:
    if isinstance(exc, KeyError):
        return N_("required field missing")
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        extra = [shown(str(key))[: SHORT + 3] for key in sorted(exc.extra_fields, key=str)]
        told = N_("unknown fields {fields}") if len(extra) > 1 else N_("unknown field {fields}")
        return told.format(fields=", ".join(map(str, extra)))
    return str(exc) or type(exc).__name__


def structure(
    value: object, cls: type, path: str, problems: list[tuple[str, str]] | None = None
) -> tuple[Any, list[tuple[str, str]]]:
    """``(record, problems)``: the typed record, or ``None`` and a ``(path, reason)`` each."""
    problems = [] if problems is None else problems
    try:
        return _CAREFUL.structure(value, cls), problems
    except (cattrs.BaseValidationError, ValueError, TypeError) as exc:
        for line in cattrs.transform_error(exc, path=path, format_exception=_describe):
            message, _, where = line.rpartition(" @ ")
            problems.append((where, message))
        return None, problems


def build(value: object, cls: type) -> Any:
    """The typed record if ``value`` is plainly right, else ``None`` (then use :func:`structure`).

    >>> from selfbuild_rules.facts.records import Tenure
    >>> build({"start": "2018-01-26"}, Tenure), build({"start": "2018-02-30"}, Tenure)
    (Tenure(start=datetime.date(2018, 1, 26), end=None), None)
    """
    try:
        return _FAST.structure(value, cls)
    except Exception:  # the careful path finds and names whatever it was
        return None


def _unstructure_converter() -> cattrs.Converter:
    """JSON-ready data from any record, result or report part: the reverse of loading."""
    converter = cattrs.Converter()
    converter.register_unstructure_hook(_dt.date, _dt.date.isoformat)
    converter.register_unstructure_hook(
        DateRange, lambda r: {"start": r.start.isoformat(), "end": r.end.isoformat()}
    )
    # Values typed ``object`` (a parameter's value) are unstructured by what they are.
    converter.register_unstructure_hook_func(
        lambda t: t is object, lambda v: converter.unstructure(v, unstructure_as=type(v))
    )
    return converter


#: Turns records, results and their parts into plain JSON-ready data.
unstructure: Callable[[Any], Any] = _unstructure_converter().unstructure
